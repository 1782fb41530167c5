//! Signed slash-command throughput of the Slack adapter's HTTP endpoint, measured as Slack's
//! Bolt frameworks are compared with it: `wrk` with one thread and 16 connections sending
//! `/guidance nurse` for 10 s, each request signed on its own (a signed request sent twice is
//! refused as a replay), against the real `signpost run` process on 127.0.0.1, logging at its
//! default level, with cooldowns off (every request comes from one person). The side-by-side
//! figures against Bolt for Python come from `scripts/slack_vs_bolt`.
//!
//! Run with `cargo bench --bench slack_http` (needs `wrk`: `apt-get install wrk`). Prints
//! requests per second, p50/p99 latency, errors, the server's resident memory, and the CPU time
//! both the server and wrk used, since on a small machine they compete for the same cores.
//! `SLACK_BENCH_SECONDS` changes the run's length, `SLACK_BENCH_CONNECTIONS` the connections;
//! the server inherits the environment, so `SIGNPOST__BOT__LOG=warn` measures it without the
//! core's one info line per command.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use signpost::adapters::slack::verify::{sign, unix_now};

#[path = "support/load.rs"]
mod load;
use load::{cpu_seconds, env_or, free_port, mib, run_wrk, status_kib, wait_healthy};

const SECRET: &str = "bench-signing-secret";
const BODY: &str = "token=unused&team_id=T0001&team_domain=bench&channel_id=C0001&channel_name=general&user_id=U0001&user_name=bench&command=%2Fguidance&text=nurse&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1%2Fbench&trigger_id=1.2.";

/// Slash command `n`, signed now: its timestamp, signature and body.
fn signed(n: usize) -> (String, String, String) {
    let timestamp = unix_now();
    let body = format!("{BODY}{n}");
    let signature = sign(SECRET, timestamp, body.as_bytes());
    (timestamp.to_string(), signature, body)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: skip then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "slack_http: wrk not found; install it (apt-get install wrk) to run this benchmark"
        );
        return;
    }
    let seconds: u32 = env_or("SLACK_BENCH_SECONDS", 10);
    let connections: u32 = env_or("SLACK_BENCH_CONNECTIONS", 16);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let api = fake_web_api();
    let listen = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("run")
        .current_dir(manifest)
        .env("SIGNPOST__BOT__DATA_DIR", manifest.join("data"))
        .env("SIGNPOST__HTTP__LISTEN", listen.to_string())
        .env("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-bench")
        .env("SIGNPOST__SLACK__SIGNING_SECRET", SECRET)
        .env("SIGNPOST__SLACK__API_BASE", format!("http://{api}/api/"))
        .env("SIGNPOST__STORAGE__URL", "off")
        .env("SIGNPOST__COOLDOWN__PERSON_BURST", "0")
        .env("SIGNPOST__COOLDOWN__CHANNEL_BURST", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start signpost");
    let outcome = std::panic::catch_unwind(|| measure(&server, listen, seconds, connections));
    let _ = server.kill();
    let _ = server.wait();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

fn measure(server: &Child, listen: SocketAddr, seconds: u32, connections: u32) {
    wait_healthy(listen);
    let pid = server.id();
    let rss_idle = status_kib(pid, "VmRSS");
    let (timestamp, signature, body) = signed(10_000_000);
    let headers = [
        ("content-type", "application/x-www-form-urlencoded"),
        ("x-slack-request-timestamp", timestamp.as_str()),
        ("x-slack-signature", signature.as_str()),
    ];
    let (status, answer) = load::post(listen, "/slack/commands", &headers, &body);
    assert_eq!(status, 200, "a signed request is answered: {answer}");
    assert!(
        answer.contains("nmc.org.uk"),
        "the answer is the real one: {answer}"
    );
    let form = "application/x-www-form-urlencoded";
    let names = ["X-Slack-Request-Timestamp", "X-Slack-Signature"];
    let warm = load::pool_script("slack-warm", form, names, (0..20_000).map(signed));
    let pool = 20_000..20_000 + load::pool_size(seconds);
    let script = load::pool_script("slack-run", form, names, pool.map(signed));
    let url = format!("http://{listen}/slack/commands");
    // Warm-up, so the measured run sees a settled allocator and warm caches.
    run_wrk(&warm, &url, 2, connections);
    let server_cpu_before = cpu_seconds(pid);
    let (report, wrk_cpu, wall) = run_wrk(&script, &url, seconds, connections);
    let server_cpu = cpu_seconds(pid) - server_cpu_before;
    let rss = status_kib(pid, "VmRSS");
    let peak = status_kib(pid, "VmHWM");
    load::remove_pool(&script);
    load::remove_pool(&warm);

    println!("{report}");
    let field = |label: &str| load::wrk_field(&report, label);
    println!("== slack_http: wrk -t1 -c{connections} -d{seconds}s, /guidance nurse, each signed");
    println!("requests/s        {}", field("Requests/sec:"));
    println!("latency p50       {}", field("50%"));
    println!("latency p99       {}", field("99%"));
    println!("errors            {}", load::wrk_errors(&report));
    println!(
        "server RSS        {} MiB idle, {} MiB after, {} MiB peak",
        mib(rss_idle),
        mib(rss),
        mib(peak)
    );
    println!(
        "CPU over {:.1} s    server {:.2} s ({:.0}% of one core), wrk {:.2} s ({:.0}%)",
        wall.as_secs_f64(),
        server_cpu,
        100.0 * server_cpu / wall.as_secs_f64(),
        wrk_cpu,
        100.0 * wrk_cpu / wall.as_secs_f64()
    );
    println!(
        "cores             {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}

/// A stand-in for Slack's Web API that answers `auth.test` (all the server calls at start).
fn fake_web_api() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake API");
    let addr = listener.local_addr().expect("fake API address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let json = r#"{"ok":true,"user_id":"UBENCH","bot_id":"BBENCH"}"#;
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{json}",
                json.len()
            );
        }
    });
    addr
}
