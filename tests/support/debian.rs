//! The Debian packages the tests start servers from (`chromium` for the site's browser tests,
//! `haproxy` for the replica tests, `postgresql` for the storage tests), installed on first use
//! as Synapse comes from PyPI and axe-core from npm, so `cargo test` passes on a fresh machine.
//!
//! The first test that needs any of them installs every one that is missing in a single
//! `apt-get` run, under a file lock, so tests in other threads or processes (a test runner that
//! runs each test in its own process) wait for it rather than racing dpkg. That needs root;
//! otherwise the test fails with the one command that would install them.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// A package the tests need, and how to tell it is installed.
struct Package {
    name: &'static str,
    installed: fn() -> bool,
}

/// Every package the tests start something from.
const PACKAGES: [Package; 3] = [
    Package {
        name: "chromium",
        installed: || {
            std::env::var_os("SIGNPOST_CHROMIUM").is_some()
                || Path::new("/usr/bin/chromium").exists()
        },
    },
    Package {
        name: "haproxy",
        installed: || {
            ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
                .iter()
                .any(|p| Path::new(p).exists())
        },
    },
    Package {
        name: "postgresql",
        installed: postgres_installed,
    },
];

fn postgres_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
        versions
            .flatten()
            .any(|v| v.path().join("bin/initdb").exists())
    })
}

/// Where the lock that serialises installs across test processes lives.
const LOCK: &str = "/var/tmp/signpost-apt.lock";

/// Makes sure every package the tests need is installed, installing the missing ones once per
/// run; panics with the command to run when that is not possible here.
pub fn ensure_installed() {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    if let Err(problem) = DONE.get_or_init(install_missing) {
        panic!("{problem}");
    }
}

fn missing() -> Vec<&'static str> {
    PACKAGES
        .iter()
        .filter(|p| !(p.installed)())
        .map(|p| p.name)
        .collect()
}

fn install_missing() -> Result<(), String> {
    if missing().is_empty() {
        return Ok(());
    }
    if !is_root() {
        return Err(format!(
            "the tests need Debian packages that are not installed; run:\n    \
             sudo apt-get install -y {}",
            missing().join(" ")
        ));
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(LOCK)
        .map_err(|e| format!("open {LOCK}: {e}"))?;
    lock.lock().map_err(|e| format!("lock {LOCK}: {e}"))?;
    // Another process may have installed them while this one waited for the lock.
    let wanted = missing();
    if wanted.is_empty() {
        return Ok(());
    }
    eprintln!("installing {} from Debian for the tests", wanted.join(" "));
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq"];
    install.extend(&wanted);
    apt(&install)?;
    let still = missing();
    if still.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "apt-get installed nothing usable for {}",
            still.join(" ")
        ))
    }
}

fn apt(args: &[&str]) -> Result<(), String> {
    let out = Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .map_err(|e| format!("run apt-get: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "apt-get {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Whether this process runs as root (from `/proc`, so no extra crate is needed).
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            == Some("0")
    })
}
