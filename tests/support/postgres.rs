//! A throwaway PostgreSQL server for the tests: Debian's `postgresql` package (installed on
//! first use by `support::debian`), initialised in a temporary folder and started on 127.0.0.1 on a free port,
//! once per test process. As root it runs as the `postgres` user, since the server refuses to
//! run as root. It is started from a thread that lives as long as the process and asks the
//! kernel to stop the server when that thread ends, so it goes away with the tests. Each test
//! gets a database of its own ([`database`]).

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The superuser the tests connect as (trust authentication, local only).
const USER: &str = "signpost";

/// The running server's port.
fn port() -> u16 {
    static PORT: OnceLock<u16> = OnceLock::new();
    *PORT.get_or_init(start)
}

/// A URL for a new, empty database on the shared server.
pub fn database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let port = port();
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    // The blocking client runs its own runtime, which must not start inside a test's.
    let admin = format!("postgres://{USER}@127.0.0.1:{port}/postgres");
    let create = name.clone();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!("CREATE DATABASE {create}"))
            .expect("create database");
    })
    .join()
    .expect("database created");
    format!("postgres://{USER}@127.0.0.1:{port}/{name}")
}

/// The folder holding `initdb` and `postgres`.
fn bin_dir() -> PathBuf {
    super::debian::ensure_installed();
    let versions = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (support::debian)");
    let mut dirs: Vec<PathBuf> = versions
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop().expect("no /usr/lib/postgresql/*/bin/initdb")
}

/// The uid and gid to run the server as: `postgres` when we are root, else ourselves.
fn identity() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("/etc/passwd");
    let line = passwd
        .lines()
        .find(|l| l.starts_with("postgres:"))
        .expect("running as root needs the postgres user (from the postgresql package)");
    let fields: Vec<&str> = line.split(':').collect();
    Some((fields[2].parse().unwrap(), fields[3].parse().unwrap()))
}

fn command(program: &Path, who: Option<(u32, u32)>) -> Command {
    let mut command = Command::new(program);
    if let Some((uid, gid)) = who {
        command.uid(uid).gid(gid);
    }
    command
}

fn start() -> u16 {
    let bin = bin_dir();
    let who = identity();
    let dir = super::scratch::temp_dir("postgres");
    if let Some((uid, gid)) = who {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).unwrap();
    }
    let data = dir.join("data");
    let status = command(&bin.join("initdb"), who)
        .args(["-A", "trust", "-U", USER, "-E", "UTF8", "--no-sync", "-D"])
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run initdb");
    assert!(status.success(), "initdb failed");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.join("log")).unwrap();
    let mut server = command(&bin.join("postgres"), who);
    server
        .arg("-D")
        .arg(&data)
        .arg("-k")
        .arg(&dir)
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-F"])
        .args(["-c", "max_connections=200"])
        .stdout(Stdio::null())
        .stderr(log);
    // SAFETY: prctl only sets this process's parent-death signal; it runs after the uid change,
    // so the kernel keeps it across exec.
    unsafe {
        server.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    // The signal follows the thread that started the server, so that thread must outlive every
    // test: it waits on the server for the rest of the process.
    let (started, spawned) = std::sync::mpsc::channel();
    std::thread::spawn(move || match server.spawn() {
        Ok(mut child) => {
            started.send(Ok(())).unwrap();
            let _ = child.wait();
        }
        Err(e) => started.send(Err(e)).unwrap(),
    });
    spawned.recv().unwrap().expect("start postgres");
    wait_until_ready(port, &dir);
    port
}

fn wait_until_ready(port: u16, dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let url = format!("postgres://{USER}@127.0.0.1:{port}/postgres");
    loop {
        let url = url.clone();
        let ready = std::thread::spawn(move || postgres::Client::connect(&url, postgres::NoTls))
            .join()
            .unwrap();
        if ready.is_ok() {
            return;
        }
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        assert!(Instant::now() < deadline, "postgres did not start:\n{log}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
