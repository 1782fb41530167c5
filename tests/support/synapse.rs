//! A real Synapse homeserver on 127.0.0.1 for the Matrix tests.
//!
//! Synapse comes from PyPI into a virtual environment created on first use and reused after
//! (`$SIGNPOST_SYNAPSE_VENV`, default `/var/tmp/signpost-synapse-venv`, outside the clone). Each
//! server gets a free port, an sqlite database in a temporary folder, shared-secret registration
//! and relaxed rate limits, and optionally an application service's registration. A watchdog
//! kills it if the test process dies without cleaning up.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long a started server may take to answer before the test gives up on it: far beyond a
/// normal start (seconds), for a server that neither answers nor exits.
const START_CAP: Duration = Duration::from_secs(300);

/// The Synapse versions the tests are known to work with.
const SYNAPSE_REQUIREMENT: &str = "matrix-synapse>=1.140,<2";
const SECRET: &str = "signpost-test-shared-secret";

/// The virtual environment's `bin` folder, creating the environment if needed.
pub fn venv_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let venv = std::env::var_os("SIGNPOST_SYNAPSE_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/var/tmp/signpost-synapse-venv"));
        let bin = venv.join("bin");
        let ready = venv.join(".signpost-ready");
        if !ready.exists() {
            // A half-made environment from an interrupted run is rebuilt from scratch.
            let _ = std::fs::remove_dir_all(&venv);
            run(
                Command::new("python3").args(["-m", "venv"]).arg(&venv),
                "create the Synapse venv",
            );
            run(
                Command::new(bin.join("pip")).args([
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    SYNAPSE_REQUIREMENT,
                ]),
                "pip install matrix-synapse",
            );
            std::fs::write(&ready, SYNAPSE_REQUIREMENT).expect("mark the venv ready");
        }
        bin
    })
}

fn run(command: &mut Command, what: &str) {
    let out = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Rewrites the generated config with our listener, database and limits (YAML via Python, so
/// the generated keys are replaced rather than duplicated).
const CONFIGURE: &str = r#"
import json, sys, yaml
path, port, secret, data, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
cfg = yaml.safe_load(open(path))
cfg.update(json.loads(extra))
fast = {"per_second": 100000, "burst_count": 100000}
cfg.update({
    "listeners": [{"port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                   "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}],
    "database": {"name": "sqlite3", "args": {"database": data + "/homeserver.db"}},
    "media_store_path": data + "/media_store",
    "log_config": data + "/log.config",
    "registration_shared_secret": secret,
    "trusted_key_servers": [],
    "suppress_key_server_warning": True,
    "report_stats": False,
    "presence": {"enabled": False},
    "rc_message": fast, "rc_registration": fast, "rc_joins_per_room": fast, "rc_key_requests": fast,
    "rc_login": {"address": fast, "account": fast, "failed_attempts": fast},
    "rc_joins": {"local": fast, "remote": fast},
    "rc_invites": {"per_room": fast, "per_user": fast, "per_issuer": fast},
})
yaml.safe_dump(cfg, open(path, "w"))
open(data + "/log.config", "w").write(
    "version: 1\nformatters:\n  f:\n    format: '%(asctime)s %(levelname)s %(name)s %(message)s'\n"
    "handlers:\n  file:\n    class: logging.FileHandler\n    filename: " + data + "/homeserver.log\n    formatter: f\n"
    "root:\n  level: WARNING\n  handlers: [file]\ndisable_existing_loggers: false\n")
"#;

/// A running (or stopped) Synapse.
pub struct Synapse {
    /// Base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    dir: PathBuf,
    child: Option<Child>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

impl Synapse {
    /// Configures and starts a new homeserver named `localhost`.
    pub fn start() -> Synapse {
        Synapse::start_with(None)
    }

    /// [`Synapse::start`] with an application service registered: `registration` (the YAML
    /// `signpost matrix registration` prints) is written beside the config and named in
    /// `app_service_config_files`.
    pub fn start_with_appservice(registration: &str) -> Synapse {
        Synapse::start_with(Some(registration))
    }

    fn start_with(registration: Option<&str>) -> Synapse {
        let bin = venv_bin();
        let port = free_port();
        let dir = super::scratch::temp_dir(&format!("synapse-{port}"));
        let config = dir.join("homeserver.yaml");
        let mut extra = serde_json::json!({});
        if let Some(registration) = registration {
            let file = dir.join("appservice.yaml");
            std::fs::write(&file, registration).expect("write the registration");
            extra["app_service_config_files"] = serde_json::json!([file]);
        }
        run(
            Command::new(bin.join("python"))
                .args([
                    "-m",
                    "synapse.app.homeserver",
                    "--server-name",
                    "localhost",
                    "--config-path",
                ])
                .arg(&config)
                .args(["--generate-config", "--report-stats=no"])
                .current_dir(&dir),
            "generate the Synapse config",
        );
        run(
            Command::new(bin.join("python"))
                .args(["-c", CONFIGURE])
                .arg(&config)
                .arg(port.to_string())
                .arg(SECRET)
                .arg(&dir)
                .arg(extra.to_string()),
            "configure Synapse",
        );
        let mut synapse = Synapse {
            url: format!("http://127.0.0.1:{port}"),
            dir,
            child: None,
        };
        synapse.resume();
        synapse
    }

    /// Starts the server again after [`Synapse::stop`], with the same data and port.
    pub fn resume(&mut self) {
        let child = Command::new(venv_bin().join("python"))
            .args(["-m", "synapse.app.homeserver", "--config-path"])
            .arg(self.dir.join("homeserver.yaml"))
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start synapse");
        watchdog(child.id());
        self.child = Some(child);
        let versions = format!(
            "{}/_matrix/client/versions",
            self.url.trim_start_matches("http://")
        );
        // Ready or dead, whichever comes first: a loaded machine can take a minute or more to
        // start Python, so the only time bound is a cap for a server that hangs half started.
        let cap = Instant::now() + START_CAP;
        let log = self.dir.join("homeserver.log");
        while !http_get_ok(&versions) {
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                panic!(
                    "synapse exited with {status} before serving; see {}",
                    log.display()
                );
            }
            assert!(
                Instant::now() < cap,
                "synapse did not answer within {START_CAP:?}; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (the data stays).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The end of the server's log (warnings and errors), for a failing test's report.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("homeserver.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Registers a user with the shared secret.
    pub fn register(&self, name: &str, password: &str) {
        run(
            Command::new(venv_bin().join("register_new_matrix_user"))
                .args(["-k", SECRET, "-u", name, "-p", password, "--no-admin"])
                .arg(&self.url),
            "register a Matrix user",
        );
    }
}

impl Drop for Synapse {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One homeserver shared by the tests that do not stop it.
pub fn shared() -> &'static Synapse {
    static SHARED: OnceLock<Synapse> = OnceLock::new();
    SHARED.get_or_init(Synapse::start)
}

/// Kills `pid` once this test process has exited (statics are never dropped).
fn watchdog(pid: u32) {
    let me = std::process::id();
    let _ = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 {me} 2>/dev/null; do sleep 1; done; kill {pid} 2>/dev/null"
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// A bare HTTP/1.0 GET to `host:port/path`, true on a 200 answer.
fn http_get_ok(host_and_path: &str) -> bool {
    use std::io::{Read, Write};
    let (host, path) = host_and_path.split_once('/').unwrap_or((host_and_path, ""));
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}
