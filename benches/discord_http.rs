//! Signed slash-command throughput of Discord's HTTP interactions endpoint
//! (`POST /discord/interactions`), against real `signpost run` processes on 127.0.0.1 serving
//! the endpoint alone (public key, no bot token): one replica reached directly, one behind
//! haproxy, and two behind haproxy, so the balancer's own cost is told apart from what a second
//! replica adds. `wrk` (one thread, 16 connections, 10 s) sends `/guidance nurse` interactions,
//! each its own (id, token) and signed with Ed25519 by a key pair from a fixed seed (one signed
//! request sent twice is refused as a replay); the answer comes in the HTTP response, as
//! Discord expects.
//!
//! Run with `cargo bench --bench discord_http` (needs `wrk` and `haproxy`: `apt-get install wrk
//! haproxy`). `DISCORD_BENCH_SECONDS` and `DISCORD_BENCH_CONNECTIONS` change the run. On a
//! machine with few cores the replicas, haproxy and wrk share them: the figures then say what
//! the balancer costs more than what a second replica gains; the CPU line says who used what.
//! The gateway's figures for comparison come from `cargo bench --bench discord_peer`.

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

#[path = "support/load.rs"]
mod load;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use ed25519_dalek::{Signer, SigningKey};
use load::{cpu_seconds, env_or, free_port, mib, run_wrk, status_kib, wait_healthy};
use serde_json::json;
use support::haproxy::Haproxy;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("discord_http: wrk not found; install it (apt-get install wrk)");
        return;
    }
    let seconds: u32 = env_or("DISCORD_BENCH_SECONDS", 10);
    let connections: u32 = env_or("DISCORD_BENCH_CONNECTIONS", 16);
    let key = SigningKey::from_bytes(&[42; 32]);
    let signed = |n: usize| {
        let body = interaction(n);
        let timestamp = signpost_now().to_string();
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body.as_bytes());
        (timestamp, hex(&key.sign(&message).to_bytes()), body)
    };
    let names = ["X-Signature-Timestamp", "X-Signature-Ed25519"];
    let json = "application/json";
    let warm = load::pool_script("discord-warm", json, names, (0..20_000).map(signed));
    let pool = 20_000..20_000 + load::pool_size(seconds);
    let script = load::pool_script("discord-run", json, names, pool.map(signed));
    let public_key = hex(&key.verifying_key().to_bytes());

    println!("== discord_http: wrk -t1 -c{connections} -d{seconds}s, /guidance nurse, each signed");
    println!("setup                    requests/s  p50        p99        errors; CPU s (servers, wrk); RSS MiB");
    for (label, replicas, balanced) in [
        ("1 replica, direct", 1, false),
        ("1 replica, haproxy", 1, true),
        ("2 replicas, haproxy", 2, true),
    ] {
        let mut servers: Vec<Server> = (0..replicas).map(|_| Server::start(&public_key)).collect();
        for server in &servers {
            wait_healthy(server.listen);
            let (timestamp, signature, body) = signed(10_000_000);
            let headers = [
                ("content-type", "application/json"),
                ("x-signature-timestamp", timestamp.as_str()),
                ("x-signature-ed25519", signature.as_str()),
            ];
            let (status, answer) =
                load::post(server.listen, "/discord/interactions", &headers, &body);
            assert_eq!(status, 200, "a signed interaction is answered: {answer}");
            assert!(answer.contains("nmc.org.uk"), "the real answer: {answer}");
        }
        let listens: Vec<String> = servers.iter().map(|s| s.listen.to_string()).collect();
        let listen_refs: Vec<&str> = listens.iter().map(String::as_str).collect();
        let balancer = balanced.then(|| Haproxy::start("discord-http-bench", &listen_refs));
        let url = match &balancer {
            Some(b) => {
                wait_healthy(b.listen.parse().expect("an address"));
                format!("http://{}/discord/interactions", b.listen)
            }
            None => format!("http://{}/discord/interactions", servers[0].listen),
        };
        run_wrk(&warm, &url, 2, connections);
        let before: f64 = servers.iter().map(|s| cpu_seconds(s.child.id())).sum();
        let (report, wrk_cpu, _wall) = run_wrk(&script, &url, seconds, connections);
        let server_cpu: f64 = servers
            .iter()
            .map(|s| cpu_seconds(s.child.id()))
            .sum::<f64>()
            - before;
        let rss: Vec<String> = servers
            .iter()
            .map(|s| mib(status_kib(s.child.id(), "VmRSS")))
            .collect();
        println!(
            "{label:<24} {:<11} {:<10} {:<10} {}; {server_cpu:.1}, {wrk_cpu:.1}; {}",
            load::wrk_field(&report, "Requests/sec:"),
            load::wrk_field(&report, "50%"),
            load::wrk_field(&report, "99%"),
            load::wrk_errors(&report),
            rss.join(" + ")
        );
        drop(balancer);
        servers.clear();
    }
    load::remove_pool(&script);
    load::remove_pool(&warm);
    println!(
        "cores                    {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}

/// One `signpost run` serving the interactions endpoint alone, killed when dropped.
struct Server {
    child: Child,
    listen: SocketAddr,
}

impl Server {
    fn start(public_key: &str) -> Server {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let listen = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .arg("run")
            .current_dir(manifest)
            .env("SIGNPOST__BOT__DATA_DIR", manifest.join("data"))
            .env("SIGNPOST__HTTP__LISTEN", listen.to_string())
            .env("SIGNPOST__DISCORD__PUBLIC_KEY", public_key)
            .env("SIGNPOST__STORAGE__URL", "off")
            .env("SIGNPOST__COOLDOWN__PERSON_BURST", "0")
            .env("SIGNPOST__COOLDOWN__CHANNEL_BURST", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start signpost");
        Server { child, listen }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `/guidance nurse` as Discord sends it over HTTP, as one line of JSON: interaction `n`.
fn interaction(n: usize) -> String {
    let mut d = support::discord_peer::fixture("interaction_command");
    d["id"] = json!((1_400_000_000_000_000_000_u64 + n as u64).to_string());
    d["token"] = json!(format!("bench-token-{n}"));
    d["data"]["name"] = json!("guidance");
    d["data"]["options"] = json!([{ "name": "profession", "type": 3, "value": "nurse" }]);
    d.to_string()
}

fn signpost_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
