//! Every Slack route refuses requests that are not signed by Slack, just now, for this body:
//! 401 and no processing (nothing posted, no answer computed).

use signpost::adapters::slack::verify::{sign, unix_now};

use crate::support::slack::{callback, mention, HttpAdapter, WebApiPeer, SECRET};

/// Forged, missing, stale and replayed signatures all get 401 and no reply is ever posted.
#[tokio::test]
async fn unsigned_requests_are_refused() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let body = callback(
        "Ev70",
        mention("C0CHAN", "guidance nurse", "1700000010.000100"),
    )
    .to_string();
    let now = unix_now();
    let ts = now.to_string();
    let good = sign(SECRET, now, body.as_bytes());
    let six_minutes_ago = now - 6 * 60;
    let old_ts = six_minutes_ago.to_string();
    let old_signature = sign(SECRET, six_minutes_ago, body.as_bytes());
    let forged = sign("not-the-secret", now, body.as_bytes());
    let other_body = sign(
        SECRET,
        now,
        b"{\"type\":\"url_verification\",\"challenge\":\"x\"}",
    );
    let cases: [(&str, Option<&str>, Option<&str>); 7] = [
        ("forged signature", Some(&ts), Some(&forged)),
        ("signature of another body", Some(&ts), Some(&other_body)),
        ("missing signature", Some(&ts), None),
        ("missing timestamp", None, Some(&good)),
        ("missing both", None, None),
        ("six minutes old", Some(&old_ts), Some(&old_signature)),
        (
            "replayed with a new timestamp",
            Some(&ts),
            Some(&old_signature),
        ),
    ];
    for (case, timestamp, signature) in cases {
        for path in ["/slack/events", "/slack/commands", "/slack/interactions"] {
            let response = adapter.post(path, &body, timestamp, signature, &[]).await;
            assert_eq!(response.status().as_u16(), 401, "{case} on {path}");
            assert_eq!(response.text().await.unwrap(), "invalid request signature");
        }
    }
    // The same body, properly signed, is answered: so the refusals above were the signature's.
    let response = adapter
        .post("/slack/events", &body, Some(&ts), Some(&good), &[])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    peer.wait_for("chat.postMessage", 1).await;
    // A signed sentinel after it: had any refused request been processed after all, its post
    // would be among those before the sentinel's.
    let sentinel =
        callback("Ev71", mention("C0SENTINEL", "about", "1700000010.000200")).to_string();
    let response = adapter
        .post(
            "/slack/events",
            &sentinel,
            Some(&ts),
            Some(&sign(SECRET, now, sentinel.as_bytes())),
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let posts = peer.wait_for("chat.postMessage", 2).await;
    assert_eq!(posts[1].body["channel"], "C0SENTINEL", "{posts:#?}");
    assert_eq!(peer.calls("chat.postMessage").len(), 2, "{posts:#?}");
}

/// A forged slash command gets 401 and no answer in the body.
#[tokio::test]
async fn forged_slash_command_gets_no_answer() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let body = "command=%2Fguidance&text=nurse&response_url=x";
    let now = unix_now();
    let forged = sign("guessed", now, body.as_bytes());
    let response = adapter
        .post(
            "/slack/commands",
            body,
            Some(&now.to_string()),
            Some(&forged),
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 401);
    assert!(!response.text().await.unwrap().contains("nmc.org.uk"));
}

/// Bodies over 64 KiB are refused with 413 before any signature work.
#[tokio::test]
async fn oversized_bodies_are_refused() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let body = format!("command=%2Fsearch&text={}", "a".repeat(70 * 1024));
    let response = adapter.signed("/slack/commands", &body, &[]).await;
    assert_eq!(response.status().as_u16(), 413);
}

/// A signed slash command sent again inside the five-minute window (a captured request
/// replayed) is refused with 401 and not answered twice; a command signed afresh is answered.
#[tokio::test]
async fn replayed_commands_are_refused() {
    let peer = WebApiPeer::start().await;
    let adapter = HttpAdapter::start(&peer).await;
    let body = serde_urlencoded::to_string([
        ("team_id", "T0001"),
        ("channel_id", "C0001"),
        ("user_id", "UALICE"),
        ("command", "/guidance"),
        ("text", "nurse"),
        ("response_url", &peer.response_url("replay")),
        ("trigger_id", "13345224609.738474920.replay"),
    ])
    .unwrap();
    let now = unix_now();
    let ts = now.to_string();
    let signature = sign(SECRET, now, body.as_bytes());
    let first = adapter
        .post("/slack/commands", &body, Some(&ts), Some(&signature), &[])
        .await;
    assert_eq!(first.status().as_u16(), 200);
    let again = adapter
        .post("/slack/commands", &body, Some(&ts), Some(&signature), &[])
        .await;
    assert_eq!(again.status().as_u16(), 401);
    let (status, _) = adapter
        .slash("/guidance", "nurse", &peer.response_url("fresh"))
        .await;
    assert_eq!(status, 200);
}
