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

/// SIGTERM stops intake, lets the reply in flight finish, closes the listener and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_replies_in_flight_then_exits_cleanly() {
    let peer = WebApiPeer::start().await;
    peer.hold("chat.postMessage");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("address").port()
    };
    let listen = format!("127.0.0.1:{port}");
    let mut bot = Command::new(env!("CARGO_BIN_EXE_signpost"))
        .arg("run")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("SIGNPOST__BOT__PREFIX")
        .env("SIGNPOST__BOT__LOG", "info")
        .env("SIGNPOST__HTTP__LISTEN", &listen)
        .env("SIGNPOST__SLACK__BOT_TOKEN", BOT_TOKEN)
        .env("SIGNPOST__SLACK__SIGNING_SECRET", SECRET)
        .env("SIGNPOST__SLACK__API_BASE", peer.base().as_str())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
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
    let mut seen = Vec::new();
    let lines_ref = &lines;
    wait_for_line(lines_ref, &mut seen, "slack: listening");

    let body = callback(
        "EvTERM",
        message("C1", "channel", "!guidance nurse", "1700000000.000100"),
    )
    .to_string();
    let now = verify::unix_now();
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let acked = client
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
        .expect("event delivered");
    assert_eq!(acked.status(), 200);
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
