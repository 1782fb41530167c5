//! Socket Mode against a local websocket peer: hello, envelopes acknowledged (a slash command's
//! ack carrying the answer), events answered through the Web API, and reconnection when Slack
//! asks or the socket drops.

use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::support::slack::{
    callback, mention, recv_json, send_json, start_socket_mode, SocketPeer, WebApiPeer, APP_TOKEN,
    PATIENCE,
};

/// A full session: hello, slash command (answer in the ack), event (ack, then chat.postMessage),
/// interaction (ack), then `disconnect` makes the adapter open a new connection.
#[tokio::test]
async fn socket_mode_session_and_reconnect() {
    let peer = WebApiPeer::start().await;
    let mut sockets = SocketPeer::start().await;
    peer.set_socket_url(sockets.url());
    let shutdown = CancellationToken::new();
    let adapter = start_socket_mode(&peer, &shutdown);

    let mut socket = sockets.accept().await;
    let opens = peer.wait_for("apps.connections.open", 1).await;
    assert_eq!(
        opens[0].authorization.as_deref(),
        Some(format!("Bearer {APP_TOKEN}").as_str()),
        "connections are opened with the app-level token"
    );
    send_json(&mut socket, json!({"type": "hello", "num_connections": 1})).await;

    send_json(
        &mut socket,
        json!({
            "envelope_id": "env-slash-1",
            "type": "slash_commands",
            "accepts_response_payload": true,
            "payload": {
                "command": "/guidance", "text": "nurse", "user_id": "UALICE",
                "channel_id": "C0CHAN", "response_url": peer.response_url("s1"),
            },
        }),
    )
    .await;
    let ack = recv_json(&mut socket).await;
    assert_eq!(ack["envelope_id"], "env-slash-1");
    assert_eq!(ack["payload"]["response_type"], "in_channel");
    assert!(
        ack["payload"]["blocks"].to_string().contains("nmc.org.uk"),
        "{ack}"
    );

    let event = callback("EvS1", mention("C0CHAN", "abuse-help", "1700000020.000100"));
    send_json(
        &mut socket,
        json!({"envelope_id": "env-event-1", "type": "events_api", "retry_attempt": 0, "payload": event}),
    )
    .await;
    let ack = recv_json(&mut socket).await;
    assert_eq!(ack, json!({"envelope_id": "env-event-1"}));
    let posts = peer.wait_for("chat.postMessage", 1).await;
    assert_eq!(posts[0].body["channel"], "C0CHAN");
    assert_eq!(posts[0].body["thread_ts"], "1700000020.000100");
    assert!(posts[0].body["blocks"]
        .to_string()
        .contains("slack.com/help"));

    send_json(
        &mut socket,
        json!({"envelope_id": "env-click-1", "type": "interactive", "payload": {"type": "block_actions"}}),
    )
    .await;
    assert_eq!(
        recv_json(&mut socket).await,
        json!({"envelope_id": "env-click-1"})
    );

    send_json(
        &mut socket,
        json!({"type": "disconnect", "reason": "refresh_requested"}),
    )
    .await;
    let mut second = sockets.accept().await;
    assert_eq!(peer.calls("apps.connections.open").len(), 2);
    // The new connection works: the same event redelivered there is acknowledged, not repeated.
    send_json(&mut second, json!({"type": "hello"})).await;
    send_json(
        &mut second,
        json!({"envelope_id": "env-event-2", "type": "events_api", "retry_attempt": 1, "payload": event}),
    )
    .await;
    assert_eq!(
        recv_json(&mut second).await,
        json!({"envelope_id": "env-event-2"})
    );

    shutdown.cancel();
    let stopped = tokio::time::timeout(PATIENCE, adapter).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
    assert_eq!(
        peer.calls("chat.postMessage").len(),
        1,
        "the redelivery got no second reply"
    );
}

/// When the socket drops without a word, the adapter connects again.
#[tokio::test]
async fn socket_mode_reconnects_after_a_drop() {
    let peer = WebApiPeer::start().await;
    let mut sockets = SocketPeer::start().await;
    peer.set_socket_url(sockets.url());
    let shutdown = CancellationToken::new();
    let _adapter = start_socket_mode(&peer, &shutdown);
    let mut socket = sockets.accept().await;
    send_json(&mut socket, json!({"type": "hello"})).await;
    drop(socket);
    let _again = sockets.accept().await;
    assert_eq!(peer.calls("apps.connections.open").len(), 2);
    shutdown.cancel();
}

/// A rejected app token stops the adapter with an error naming Slack's answer.
#[tokio::test]
async fn rejected_app_token_stops_socket_mode() {
    let peer = WebApiPeer::start().await;
    peer.fail("apps.connections.open", "invalid_auth");
    let shutdown = CancellationToken::new();
    let adapter = start_socket_mode(&peer, &shutdown);
    let stopped = tokio::time::timeout(PATIENCE, adapter)
        .await
        .expect("stops in time")
        .expect("task ran");
    let error = stopped.expect_err("invalid_auth is fatal").to_string();
    assert!(
        error.contains("apps.connections.open") && error.contains("invalid_auth"),
        "{error}"
    );
}
