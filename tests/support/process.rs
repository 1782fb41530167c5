//! `signpost run` as a real process: started with settings in its environment, watched through
//! its stderr and its HTTP listener. The Slack helpers need the `slack` feature; the rest serve
//! any platform (the Matrix bot process in `matrix_process` too).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[cfg(feature = "slack")]
use signpost::adapters::slack::verify;

#[cfg(feature = "slack")]
use crate::support::slack::{WebApiPeer, BOT_TOKEN, SECRET};

/// How long to wait for the process before failing (a hang guard, not a performance bound).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for a stderr line containing `wanted`, returning every line read so far.
pub fn wait_for_line(lines: &mpsc::Receiver<String>, seen: &mut Vec<String>, wanted: &str) {
    while !seen.iter().any(|l| l.contains(wanted)) {
        match lines.recv_timeout(PATIENCE) {
            Ok(line) => seen.push(line),
            Err(_) => panic!("no log line with {wanted:?}; got {seen:#?}"),
        }
    }
}

/// Polls `/readyz` until it answers 200 (every enabled adapter connected).
pub async fn wait_until_ready(client: &reqwest::Client, listen: &str) {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let ready = client.get(format!("http://{listen}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "never ready");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A free port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    probe.local_addr().expect("address").port()
}

/// Starts `signpost run` with the Slack settings for `peer` plus `env`, and its stderr lines.
#[cfg(feature = "slack")]
pub fn start_bot(
    peer: &WebApiPeer,
    listen: &str,
    env: &[(&str, &str)],
) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
    command
        .arg("run")
        .current_dir(std::env::temp_dir())
        .env_remove("SIGNPOST__BOT__PREFIX")
        .env("SIGNPOST__BOT__LOG", "info")
        .env("SIGNPOST__HTTP__LISTEN", listen)
        .env("SIGNPOST__SLACK__BOT_TOKEN", BOT_TOKEN)
        .env("SIGNPOST__SLACK__SIGNING_SECRET", SECRET)
        .env("SIGNPOST__SLACK__API_BASE", peer.base().as_str())
        // Each process keeps its own store (nothing shared between tests or runs).
        .env("SIGNPOST__STORAGE__URL", "sqlite::memory:")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    spawn_watched(&mut command)
}

/// Spawns `command` with its stderr piped, and the lines it writes there as they come.
pub fn spawn_watched(command: &mut Command) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut bot = command
        .stderr(Stdio::piped())
        .spawn()
        .expect("start signpost run");
    let (send, lines) = mpsc::channel();
    let stderr = bot.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    (bot, lines)
}

/// Posts a signed Events API body to the bot at `listen`, returning the status.
#[cfg(feature = "slack")]
pub async fn post_event(client: &reqwest::Client, listen: &str, body: String) -> u16 {
    send_event(client, listen, &body, None)
        .await
        .expect("event delivered")
}

/// Posts a signed Events API body, marked as Slack's `retry`-th redelivery when given; the
/// status, or the connection error (a replica that is gone).
#[cfg(feature = "slack")]
pub async fn send_event(
    client: &reqwest::Client,
    listen: &str,
    body: &str,
    retry: Option<u32>,
) -> reqwest::Result<u16> {
    let now = verify::unix_now();
    let mut request = client
        .post(format!("http://{listen}/slack/events"))
        .header("content-type", "application/json")
        .header(verify::TIMESTAMP_HEADER, now.to_string())
        .header(
            verify::SIGNATURE_HEADER,
            verify::sign(SECRET, now, body.as_bytes()),
        );
    if let Some(retry) = retry {
        request = request.header("x-slack-retry-num", retry.to_string());
    }
    let response = request.body(body.to_string()).send().await?;
    Ok(response.status().as_u16())
}

/// The bot's `/metrics` exposition.
pub async fn metrics(client: &reqwest::Client, listen: &str) -> String {
    client
        .get(format!("http://{listen}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text")
}

/// Waits until the metric `series` reads `value`.
pub async fn wait_for_metric(client: &reqwest::Client, listen: &str, series: &str, value: f64) {
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        let text = metrics(client, listen).await;
        if sample(&text, series) == Some(value) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{series} never reached {value}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One stored value of a Prometheus text exposition: `name{labels} value` for one sample,
/// after checking that every line has that shape or is a comment.
pub fn sample(exposition: &str, series: &str) -> Option<f64> {
    let mut found = None;
    for line in exposition.lines().filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            continue;
        }
        let (name, value) = line.rsplit_once(' ').expect("`series value`");
        let value: f64 = value.parse().expect("a number");
        let bare = name.split('{').next().unwrap_or_default();
        assert!(
            !bare.is_empty() && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "bad metric name in {line:?}"
        );
        if name == series {
            found = Some(value);
        }
    }
    found
}
