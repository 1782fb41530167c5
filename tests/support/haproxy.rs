//! A real load balancer in front of replicas: Debian's `haproxy` (installed on first use by
//! [`crate::support::debian`]),
//! started in the foreground on 127.0.0.1 with a configuration written for the test, and killed
//! when dropped. It spreads requests round-robin, checks each replica's `/readyz`, and sends a
//! request whose connection is refused to another replica, as a production balancer would.

use std::process::{Child, Command, Stdio};

use crate::support::process::free_port;

/// A running haproxy.
pub struct Haproxy {
    child: Child,
    /// Where it listens (`127.0.0.1:port`).
    pub listen: String,
}

impl Haproxy {
    /// Balances HTTP over `replicas` (`host:port` each).
    pub fn start(name: &str, replicas: &[&str]) -> Haproxy {
        let listen = format!("127.0.0.1:{}", free_port());
        let servers: String = replicas
            .iter()
            .enumerate()
            .map(|(n, at)| format!("    server r{n} {at} check inter 100ms fall 1 rise 1\n"))
            .collect();
        let config = format!(
            "global\n    maxconn 512\n\
             defaults\n    mode http\n    timeout connect 1s\n    timeout client 30s\n    \
             timeout server 30s\n    retries 3\n    option redispatch 1\n    \
             retry-on conn-failure empty-response\n\
             frontend replicas\n    bind {listen}\n    default_backend replicas\n\
             backend replicas\n    balance roundrobin\n    option httpchk GET /readyz\n{servers}"
        );
        let path = crate::support::temp_dir(name).join("haproxy.cfg");
        std::fs::write(&path, config).expect("write haproxy.cfg");
        crate::support::debian::ensure_installed();
        let binary = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("haproxy is installed (support::debian)");
        let child = Command::new(binary)
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        Haproxy { child, listen }
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
