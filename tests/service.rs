//! `signpost run` as a service manager runs it: a real process, stopped with a real SIGTERM.

use std::process::Command;
use std::time::Duration;

use crate::support::process::{
    free_port, metrics, post_event, sample, start_bot, wait_for_line, wait_for_metric,
    wait_until_ready, PATIENCE,
};
use crate::support::slack::WebApiPeer;
use crate::support::slack::{callback, message, BOT_TOKEN, SECRET};

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
    seen.extend(lines.iter());
    wait_for_line(lines_ref, &mut seen, "all answers sent");
    let posted = peer.calls("chat.postMessage");
    assert_eq!(posted.len(), 1, "answered once");
    assert_eq!(posted[0].body["channel"], "C1");
}

/// With Slack working and Matrix unable to reach its homeserver, Slack still answers,
/// `/readyz` names Matrix as down (attempts counted from 1) and says the index loaded, Matrix is retried on a growing schedule, `/metrics` counts the
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
        assert_eq!(body["index"]["reload"]["ok"], true, "{body}");
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
    assert_eq!(waits[0].0, 1, "attempts count from 1: {waits:?}");

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
    seen.extend(lines.iter());
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
