//! `signpost run` as an operator runs it, with all three adapters against local peers (the
//! Discord v10 peer, the Slack Web API peer, a real Synapse): time from start to ready, CPU spent
//! getting there, and resident memory once idle.
//!
//! Run with `cargo bench --bench service` (a release build). Each start is a new process:
//! the first logs in to Matrix, later ones restore the saved session, as a restarted service
//! does. `SIGNPOST_BENCH_STARTS` sets how many starts (default 5); `SIGNPOST_BENCH_IDLE_SECS`
//! how long each stays idle before its memory is read (default 5).

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::discord_peer::Peer;
use support::matrix_client::BotAccount;
use support::process::{free_port, start_bot, wait_until_ready};
use support::slack::WebApiPeer;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A field of `/proc/<pid>/status` in KiB, such as `VmRSS`.
fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("field present")
}

/// User plus system CPU time the process has used.
fn cpu(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // SC_CLK_TCK is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let starts = env_number("SIGNPOST_BENCH_STARTS", 5);
        let idle = Duration::from_secs(env_number("SIGNPOST_BENCH_IDLE_SECS", 5));
        let discord = Peer::with_heartbeat(41_250, false).await;
        let slack = WebApiPeer::start().await;
        let synapse = support::synapse::shared();
        let bot = BotAccount::new(synapse);
        let password = match &bot.settings.login {
            signpost::config::MatrixLogin::Password(p) => p.expose().to_string(),
            _ => unreachable!("the bench bot logs in with a password"),
        };
        let store = bot.settings.store_dir.to_str().expect("utf-8").to_string();
        let client = reqwest::Client::builder().no_proxy().build().expect("client");
        let (mut ready_ms, mut cpu_ms, mut rss_mib) = (Vec::new(), Vec::new(), Vec::new());
        println!("start  ready_ms  cpu_to_ready_ms  idle_rss_mib  matrix");
        for start in 0..starts {
            let listen = format!("127.0.0.1:{}", free_port());
            let began = Instant::now();
            let (mut process, _lines) = start_bot(
                &slack,
                &listen,
                &[
                    ("SIGNPOST__BOT__LOG", "warn"),
                    ("SIGNPOST__DISCORD__TOKEN", "bench-token"),
                    ("SIGNPOST__DISCORD__API_BASE", &discord.rest_url),
                    ("SIGNPOST__MATRIX__HOMESERVER", &synapse.url),
                    ("SIGNPOST__MATRIX__USER", bot.user_id.as_str()),
                    ("SIGNPOST__MATRIX__PASSWORD", &password),
                    ("SIGNPOST__MATRIX__STORE_DIR", &store),
                ],
            );
            wait_until_ready(&client, &listen).await;
            let ready = began.elapsed();
            let pid = process.id();
            let spent = cpu(pid);
            tokio::time::sleep(idle).await;
            let rss = status_kib(pid, "VmRSS") as f64 / 1024.0;
            let matrix = if start == 0 { "login" } else { "restored" };
            println!(
                "{start:>5}  {:>8.1}  {:>15}  {rss:>12.1}  {matrix}",
                ready.as_secs_f64() * 1e3,
                spent.as_millis()
            );
            ready_ms.push(ready.as_secs_f64() * 1e3);
            cpu_ms.push(spent.as_secs_f64() * 1e3);
            rss_mib.push(rss);
            let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
            let _ = tokio::task::spawn_blocking(move || process.wait()).await;
        }
        println!(
            "median over {starts} starts: ready {:.1} ms, CPU to ready {:.0} ms, idle RSS {:.1} MiB",
            median(&mut ready_ms),
            median(&mut cpu_ms),
            median(&mut rss_mib)
        );
    });
}
