//! The Discord adapter end to end, as deployed: the release `signpost run` binary, configured
//! for Discord, against the protocol peer from `tests/support/discord_peer/` on 127.0.0.1.
//!
//! Measures, from the moment the peer queues a gateway event to the moment the bot's REST
//! callback arrives:
//! - bursts of 1,000 `/guidance` interactions sent back to back: callbacks per second, and
//!   latency percentiles within the burst;
//! - a steady 50 events per second: p50, p99 and worst latency;
//! - the bot's resident memory (VmRSS) idle and after the bursts, and its CPU time per event
//!   (utime + stime from /proc), next to the peer's own CPU time so it can be seen that the
//!   peer is not the bottleneck.
//!
//! Run with `cargo bench --bench discord_peer` (builds both in release mode). Settings:
//! `BENCH_LOG` (the bot's log filter, default: the configured one, `info`; its logs go to
//! /dev/null), `BENCH_BURSTS` (default 3), `BENCH_STEADY_SECS` (default 20).

#[path = "../tests/support/discord_peer/mod.rs"]
mod discord_peer;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use discord_peer::{fixture, Peer, GUILD_ID};
use serde_json::json;

const PROFESSIONS: &[&str] = &[
    "social-worker",
    "nurse",
    "gp",
    "midwife",
    "practitioner-psychologist",
    "psychiatrist",
    "occupational-therapist",
    "counsellor",
];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Clock ticks per second for /proc/…/stat times (100 on Linux).
const TICKS: f64 = 100.0;

/// (utime + stime) of a process in seconds, from /proc/{pid}/stat.
fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("proc stat");
    // The command name may hold spaces; fields after it are fixed.
    let after = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after.split(' ').collect();
    let utime: f64 = fields[11].parse().unwrap();
    let stime: f64 = fields[12].parse().unwrap();
    (utime + stime) / TICKS
}

/// Resident memory in MB (VmRSS from /proc/{pid}/status).
fn rss_mb(pid: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS");
    let kb: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024.0
}

/// INTERACTION_CREATE payloads for `/guidance profession:…`, serialised ahead of time so the
/// peer only copies bytes while measuring.
fn interactions(first_id: u64, count: usize) -> Vec<(u64, String)> {
    let template = fixture("interaction_command");
    (0..count)
        .map(|n| {
            let id = first_id + n as u64;
            let mut d = template.clone();
            d["id"] = json!(id.to_string());
            d["token"] = json!(format!("bench-token-{id}"));
            d["data"]["options"] = json!([{
                "name": "profession", "type": 3, "value": PROFESSIONS[n % PROFESSIONS.len()]
            }]);
            (id, d.to_string())
        })
        .collect()
}

fn interaction_id(path: &str) -> Option<u64> {
    let mut parts = path.split('/');
    // /api/v10/interactions/{id}/{token}/callback
    parts.nth(4).and_then(|id| id.parse().ok())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Sends `events` at `interval` (all at once when zero) and returns the latency of each, the
/// wall time from the first send to the last callback, and how many were answered "busy".
async fn drive(
    peer: &Peer,
    events: &[(u64, String)],
    interval: Duration,
) -> (Vec<Duration>, Duration, usize) {
    let before = peer.request_count();
    let mut sent = Vec::with_capacity(events.len());
    let started = Instant::now();
    let mut next = started;
    for (id, d) in events {
        if !interval.is_zero() {
            next += interval;
            tokio::time::sleep_until(next.into()).await;
        }
        sent.push((*id, Instant::now()));
        peer.dispatch_raw("INTERACTION_CREATE", d);
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while peer.request_count() < before + events.len() {
        assert!(Instant::now() < deadline, "callbacks missing after 60 s");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let requests = peer.requests();
    let busy = requests[before..]
        .iter()
        .filter(|r| r.path.ends_with("/callback"))
        .filter(|r| String::from_utf8_lossy(&r.body).contains(signpost::reply::BUSY))
        .count();
    let answered: std::collections::HashMap<u64, Instant> = requests[before..]
        .iter()
        .filter(|r| r.path.ends_with("/callback"))
        .filter_map(|r| interaction_id(&r.path).map(|id| (id, r.at)))
        .collect();
    let mut latencies: Vec<Duration> = sent
        .iter()
        .map(|(id, at)| {
            answered
                .get(id)
                .expect("every interaction answered")
                .duration_since(*at)
        })
        .collect();
    let last = answered.values().max().copied().unwrap();
    if std::env::var("BENCH_VERBOSE").is_ok() && !interval.is_zero() {
        let mut worst: Vec<(usize, Duration)> = latencies.iter().copied().enumerate().collect();
        worst.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
        let worst: Vec<String> = worst[..15.min(worst.len())]
            .iter()
            .map(|(n, d)| format!("#{n}: {:.2} ms", ms(*d)))
            .collect();
        println!("slowest: {}", worst.join(", "));
    }
    latencies.sort();
    (latencies, last.duration_since(started), busy)
}

fn main() {
    // The same binary, started with these variables, is the floor client (see `floor_client`).
    if let (Ok(gateway), Ok(rest)) = (std::env::var("FLOOR_GATEWAY"), std::env::var("FLOOR_REST")) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(floor_client(gateway, rest));
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench());
}

/// The least a bot can do: identify, and for each interaction post a fixed callback on one
/// keep-alive connection, with no framework, parsing only the two fields it needs. Measured the
/// same way as the bot, it shows the latency floor of the peer and this machine.
async fn floor_client(gateway: String, rest: String) {
    use futures_util::{SinkExt, StreamExt};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_tungstenite::tungstenite::Message;

    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{gateway}/?v=10&encoding=json"))
            .await
            .expect("floor client: gateway");
    let identify = json!({ "op": 2, "d": {
        "token": "floor", "intents": 4609, "shard": [0, 1],
        "properties": { "os": "linux", "browser": "floor", "device": "floor" }
    }});
    socket
        .send(Message::Text(identify.to_string().into()))
        .await
        .unwrap();
    let address = rest.trim_start_matches("http://");
    let mut http = tokio::net::TcpStream::connect(address)
        .await
        .expect("floor client: REST");
    http.set_nodelay(true).unwrap();
    let body = r#"{"type":4,"data":{"content":"floor","allowed_mentions":{"parse":[]}}}"#;
    let mut buffer = vec![0u8; 4096];
    while let Some(Ok(message)) = socket.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        let Ok(frame) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if frame["t"] != "INTERACTION_CREATE" {
            continue;
        }
        let (id, token) = (&frame["d"]["id"], &frame["d"]["token"]);
        let request = format!(
            "POST /api/v10/interactions/{}/{}/callback HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            id.as_str().unwrap(),
            token.as_str().unwrap(),
            body.len()
        );
        http.write_all(request.as_bytes()).await.unwrap();
        // A 204 has no body: the answer ends with its blank line.
        let mut seen = Vec::new();
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = http.read(&mut buffer).await.unwrap();
            assert!(n > 0, "floor client: REST closed");
            seen.extend_from_slice(&buffer[..n]);
        }
    }
}

async fn bench() {
    let bursts: usize = env_or("BENCH_BURSTS", 3);
    let steady_secs: u64 = env_or("BENCH_STEADY_SECS", 20);
    let log = std::env::var("BENCH_LOG").ok();
    let peer = Peer::with_heartbeat(41_250, false).await;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut next_id = 1_500_000_000_000_100_000_u64;

    // The floor: a minimal client in its own process, before the bot connects (the peer sends
    // every event to every connection).
    let mut floor = Command::new(std::env::current_exe().expect("own path"))
        .env("FLOOR_GATEWAY", &peer.gateway_url)
        .env("FLOOR_REST", &peer.rest_url)
        .stdin(Stdio::null())
        .spawn()
        .expect("start the floor client");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !peer.frames().iter().any(|f| f.op == 2) {
        assert!(
            Instant::now() < deadline,
            "the floor client did not identify"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let floor_count = 500;
    let events = interactions(next_id, floor_count);
    next_id += floor_count as u64;
    let (latencies, _, _) = drive(&peer, &events, Duration::from_millis(20)).await;
    let floor_line = format!(
        "floor (minimal client, one connection, no framework) at 50/s, {floor_count} events: latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(*latencies.last().unwrap()),
    );
    let _ = floor.kill();
    let _ = floor.wait();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut bot = Command::new(env!("CARGO_BIN_EXE_signpost"));
    if let Some(log) = &log {
        bot.env("SIGNPOST__BOT__LOG", log);
    }
    let mut bot = bot
        .arg("run")
        .current_dir(&root)
        .env("SIGNPOST__DISCORD__TOKEN", "bench-bot-token")
        .env("SIGNPOST__DISCORD__API_BASE", &peer.rest_url)
        .env("SIGNPOST__DISCORD__GUILD_IDS", GUILD_ID.to_string())
        .env("SIGNPOST__BOT__DATA_DIR", root.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the signpost binary");
    let pid = bot.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !peer.requests().iter().any(|r| r.method == "PUT") {
        assert!(
            Instant::now() < deadline,
            "the bot did not register its commands"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_rss = rss_mb(&pid);
    let idle_cpu = cpu_seconds(&pid);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_cpu = (cpu_seconds(&pid) - idle_cpu) / 5.0;
    println!(
        "signpost Discord adapter vs local peer (bot log filter: {})",
        log.as_deref().unwrap_or("the configured default")
    );
    println!(
        "idle: VmRSS {idle_rss:.1} MB; CPU {:.1} ms per second",
        idle_cpu * 1000.0
    );

    let mut rates = Vec::new();
    for burst in 1..=bursts {
        let events = interactions(next_id, 1_000);
        next_id += 1_000;
        let (bot_cpu, peer_cpu) = (cpu_seconds(&pid), cpu_seconds("self"));
        let (latencies, wall, busy) = drive(&peer, &events, Duration::ZERO).await;
        let bot_cpu = cpu_seconds(&pid) - bot_cpu;
        let peer_cpu = cpu_seconds("self") - peer_cpu;
        let rate = events.len() as f64 / wall.as_secs_f64();
        rates.push(rate);
        println!(
            "burst {burst}: 1000 /guidance in {:.1} ms → {rate:.0} callbacks/s ({busy} busy); latency p50 {:.2} ms, p99 {:.2} ms; bot CPU {:.3} ms/event; peer CPU {:.3} ms/event; VmRSS {:.1} MB",
            ms(wall),
            ms(percentile(&latencies, 50.0)),
            ms(percentile(&latencies, 99.0)),
            bot_cpu * 1000.0 / events.len() as f64,
            peer_cpu * 1000.0 / events.len() as f64,
            rss_mb(&pid),
        );
    }
    rates.sort_by(f64::total_cmp);
    let burst_rss = rss_mb(&pid);

    let count = (steady_secs * 50) as usize;
    let events = interactions(next_id, count);
    let bot_cpu = cpu_seconds(&pid);
    let (latencies, _, _) = drive(&peer, &events, Duration::from_millis(20)).await;
    let bot_cpu = cpu_seconds(&pid) - bot_cpu;
    println!(
        "steady 50/s for {steady_secs} s ({count} events): latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; bot CPU {:.3} ms/event",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(*latencies.last().unwrap()),
        bot_cpu * 1000.0 / count as f64,
    );
    println!("{floor_line}");
    println!(
        "summary: median burst {:.0} callbacks/s; VmRSS idle {idle_rss:.1} MB, after bursts {burst_rss:.1} MB, at end {:.1} MB",
        rates[rates.len() / 2],
        rss_mb(&pid),
    );

    // SIGINT: the bot's graceful shutdown path.
    let _ = Command::new("kill").args(["-INT", &pid]).status();
    let stopped = Instant::now();
    loop {
        if let Ok(Some(_)) = bot.try_wait() {
            break;
        }
        if stopped.elapsed() > Duration::from_secs(10) {
            let _ = bot.kill();
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
