//! `signpost run` as a service manager runs it: a real process, stopped with a real SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use signpost::adapters::slack::verify;

use crate::support::slack::WebApiPeer;
use crate::support::slack::{callback, message, BOT_TOKEN, SECRET};

/// How long to wait for the process before failing (a hang guard, not a performance bound).
const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for a stderr line containing `wanted`, returning every line read so far.
fn wait_for_line(lines: &mpsc::Receiver<String>, seen: &mut Vec<String>, wanted: &str) {
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
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    probe.local_addr().expect("address").port()
}

/// Starts `signpost run` with the Slack settings for `peer` plus `env`, and its stderr lines.
fn start_bot(
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
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut bot = command.spawn().expect("start signpost run");
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
async fn post_event(client: &reqwest::Client, listen: &str, body: String) -> u16 {
    let now = verify::unix_now();
    client
        .post(format!("http://{listen}/slack/events"))
        .header("content-type", "application/json")
        .header(verify::TIMESTAMP_HEADER, now.to_string())
        .header(
            verify::SIGNATURE_HEADER,
            verify::sign(SECRET, now, body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .expect("event delivered")
        .status()
        .as_u16()
}

/// The bot's `/metrics` exposition.
async fn metrics(client: &reqwest::Client, listen: &str) -> String {
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
async fn wait_for_metric(client: &reqwest::Client, listen: &str, series: &str, value: f64) {
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

/// SIGTERM stops intake, lets the reply in flight finish, closes the listener and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_replies_in_flight_then_exits_cleanly() {
    let peer = WebApiPeer::start().await;
    peer.hold("chat.postMessage");
    let listen = format!("127.0.0.1:{}", free_port());
    let (mut bot, lines) = start_bot(&peer, &listen, &[]);
    let mut seen = Vec::new();
    let lines_ref = &lines;
    wait_for_line(lines_ref, &mut seen, "http: listening");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    wait_until_ready(&client, &listen).await;

    let body = callback(
        "EvTERM",
        message("C1", "channel", "!guidance nurse", "1700000000.000100"),
    )
    .to_string();
    assert_eq!(post_event(&client, &listen, body).await, 200);
    // The answer is on its way: the peer has the request and holds its response.
    peer.wait_for("chat.postMessage", 1).await;

    let pid = bot.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.expect("kill runs").success());
    wait_for_line(lines_ref, &mut seen, "shutting down");
    // Intake is closed: the listener no longer accepts a new event.
    let refused = loop {
        match tokio::net::TcpStream::connect(&listen).await {
            Err(_) => break true,
            Ok(_) if bot.try_wait().expect("status").is_some() => break false,
            Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    };
    assert!(
        refused,
        "the listener closed while the reply was still in flight"
    );
    assert!(
        bot.try_wait().expect("status").is_none(),
        "the process waits for the reply in flight"
    );
    peer.release();
    let status = tokio::task::spawn_blocking(move || bot.wait())
        .await
        .expect("joined")
        .expect("exit status");
    assert!(status.success(), "exit status {status:?}");
    seen.extend(lines.try_iter());
    wait_for_line(lines_ref, &mut seen, "all answers sent");
    let posted = peer.calls("chat.postMessage");
    assert_eq!(posted.len(), 1, "answered once");
    assert_eq!(posted[0].body["channel"], "C1");
}

/// One stored value of a Prometheus text exposition: `name{labels} value` for one sample,
/// after checking that every line has that shape or is a comment.
fn sample(exposition: &str, series: &str) -> Option<f64> {
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

/// With Slack working and Matrix unable to reach its homeserver, Slack still answers,
/// `/readyz` names Matrix as down, Matrix is retried on a growing schedule, `/metrics` counts the
/// answered command, and the (JSON) log holds neither what was asked nor any secret.
#[cfg(feature = "matrix")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_adapter_is_retried_while_the_other_answers() {
    let peer = WebApiPeer::start().await;
    let listen = format!("127.0.0.1:{}", free_port());
    // Nothing listens there: every login attempt is refused.
    let homeserver = format!("http://127.0.0.1:{}", free_port());
    let store = std::env::temp_dir().join(format!("signpost-down-{}", std::process::id()));
    const MATRIX_PASSWORD: &str = "matrix-password-never-logged";
    let store_dir = store.to_str().expect("utf-8 temp dir");
    let (mut bot, lines) = start_bot(
        &peer,
        &listen,
        &[
            ("SIGNPOST__BOT__LOG_FORMAT", "json"),
            ("SIGNPOST__MATRIX__HOMESERVER", &homeserver),
            ("SIGNPOST__MATRIX__USER", "@signpost:localhost"),
            ("SIGNPOST__MATRIX__PASSWORD", MATRIX_PASSWORD),
            ("SIGNPOST__MATRIX__STORE_DIR", store_dir),
        ],
    );
    let mut seen = Vec::new();
    wait_for_line(&lines, &mut seen, "http: listening");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");

    // Watch readiness until Matrix has failed three times, noting each scheduled wait.
    let mut waits: Vec<(u64, u64)> = Vec::new();
    let deadline = std::time::Instant::now() + PATIENCE;
    while waits.len() < 3 {
        assert!(std::time::Instant::now() < deadline, "readiness: {waits:?}");
        let response = client
            .get(format!("http://{listen}/readyz"))
            .send()
            .await
            .expect("readyz answers");
        assert_eq!(response.status(), 503, "not ready while Matrix is down");
        let body: serde_json::Value = response.json().await.expect("JSON");
        let matrix = &body["adapters"]["matrix"];
        if matrix["state"] == "down" {
            assert_eq!(
                matrix["permanent"], false,
                "a refused connection is transient"
            );
            let attempt = matrix["attempt"].as_u64().expect("attempt");
            let wait = matrix["retry_in_ms"].as_u64().expect("wait");
            if waits.last().map(|(a, _)| *a) != Some(attempt) {
                waits.push((attempt, wait));
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        waits.windows(2).all(|w| w[1].1 > w[0].1),
        "waits grow: {waits:?}"
    );

    let slack = crate::support::slack::HttpAdapter::at(listen.parse().expect("address"));
    let (status, answer) = slack
        .slash("/guidance", "nurse", &peer.response_url("down"))
        .await;
    assert_eq!(status, 200);
    assert!(answer.to_string().contains("nmc.org.uk"), "{answer}");

    let metrics = metrics(&client, &listen).await;
    assert_eq!(
        sample(
            &metrics,
            r#"signpost_commands_total{command="guidance",platform="slack",outcome="answered"}"#
        ),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        sample(&metrics, r#"signpost_adapter_up{adapter="slack"}"#),
        Some(1.0)
    );
    assert_eq!(
        sample(&metrics, r#"signpost_adapter_up{adapter="matrix"}"#),
        Some(0.0)
    );
    assert!(
        sample(
            &metrics,
            r#"signpost_adapter_restarts_total{adapter="matrix"}"#
        )
        .is_some_and(|n| n >= 2.0),
        "{metrics}"
    );

    let pid = bot.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    let status = tokio::task::spawn_blocking(move || bot.wait())
        .await
        .expect("joined")
        .expect("exit status");
    assert!(status.success(), "{status:?}");
    seen.extend(lines.try_iter());
    let log = seen.join("\n");
    assert!(log.contains("adapter down"), "{log}");
    for line in &seen {
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(line);
        assert!(
            parsed.is_ok_and(|v| v["level"].is_string()),
            "not a JSON log line: {line}"
        );
    }
    for secret in [BOT_TOKEN, SECRET, MATRIX_PASSWORD, "nurse"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    let _ = std::fs::remove_dir_all(&store);
}

/// A burst from one person in a channel is answered up to the configured limit, then gets
/// one "please wait", then nothing; another person in the same channel is answered as usual,
/// and every refusal is counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_one_person_is_answered_up_to_the_limit_then_told_once_to_wait() {
    const BURST: usize = 3;
    const QUIET: usize = 2;
    let peer = WebApiPeer::start().await;
    let listen = format!("127.0.0.1:{}", free_port());
    let burst = BURST.to_string();
    // A refill far longer than the test, so nothing refills while it runs.
    let (mut bot, lines) = start_bot(
        &peer,
        &listen,
        &[
            ("SIGNPOST__COOLDOWN__PERSON_BURST", burst.as_str()),
            ("SIGNPOST__COOLDOWN__PERSON_REFILL_SECONDS", "86400"),
            ("SIGNPOST__COOLDOWN__CHANNEL_BURST", "0"),
        ],
    );
    let mut seen = Vec::new();
    wait_for_line(&lines, &mut seen, "http: listening");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    wait_until_ready(&client, &listen).await;

    let from = |person: &str, n: usize| {
        let mut event = message(
            "C1",
            "channel",
            "!guidance nurse",
            &format!("17000000{n:02}.000100"),
        );
        event["user"] = serde_json::json!(person);
        callback(&format!("EvBurst{n}"), event).to_string()
    };
    let refused = r#"signpost_cooldown_refusals_total"#;
    // One at a time, each waited for, so the order of arrival is the order of sending.
    for n in 0..BURST + 1 + QUIET {
        assert_eq!(post_event(&client, &listen, from("UALICE", n)).await, 200);
        if n <= BURST {
            peer.wait_for("chat.postMessage", n + 1).await;
        } else {
            wait_for_metric(&client, &listen, refused, (n - BURST + 1) as f64).await;
        }
    }
    assert_eq!(post_event(&client, &listen, from("UBOB", 99)).await, 200);
    let posted = peer.wait_for("chat.postMessage", BURST + 2).await;

    let texts: Vec<String> = posted.iter().map(|c| c.body.to_string()).collect();
    let answered = |t: &String| t.contains("nmc.org.uk");
    assert!(texts[..BURST].iter().all(answered), "{texts:#?}");
    assert!(
        !answered(&texts[BURST]) && texts[BURST].contains("wait"),
        "{}",
        texts[BURST]
    );
    assert!(answered(&texts[BURST + 1]), "the other person is answered");
    assert_eq!(posted.len(), BURST + 2, "the quiet ones got nothing");
    let metrics = metrics(&client, &listen).await;
    assert_eq!(sample(&metrics, refused), Some((1 + QUIET) as f64));
    assert_eq!(
        sample(
            &metrics,
            &format!(
                r#"signpost_commands_total{{command="guidance",platform="slack",outcome="{}"}}"#,
                signpost::bot::COOLDOWN
            )
        ),
        Some((1 + QUIET) as f64)
    );

    let _ = bot.kill();
    let _ = bot.wait();
}
