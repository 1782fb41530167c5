//! Message shortcuts (`message_action` on the signed interactivity route): a moderator's "Send
//! abuse help" answers in the message's thread with a private confirmation; anyone else is
//! refused privately; the message's text is never echoed.

use std::sync::Arc;

use signpost::command::table::MESSAGE_ACTIONS;
use signpost::config::Moderators;

use crate::support::slack::{mrkdwn_texts, shortcut, HttpAdapter, WebApiPeer};

/// What the reported message says: a broadcast, a user mention, a spoofed link and HTML.
const HOSTILE: &str = "<!channel> <@UVICTIM> <https://evil.example|bank> <b>you</b> &amp; *bold*";

/// The adapter with `UMOD` as its one moderator.
async fn adapter(peer: &WebApiPeer) -> HttpAdapter {
    HttpAdapter::start_with(peer, |service| {
        service.moderators = Arc::new(Moderators {
            slack_users: vec!["UMOD".to_string()],
            ..Default::default()
        })
    })
    .await
}

/// Asserts no call to the Web API carried any part of the reported message.
fn echoes_nothing(peer: &WebApiPeer) {
    for method in ["chat.postMessage", "chat.postEphemeral"] {
        for call in peer.calls(method) {
            let body = call.body.to_string();
            for part in ["evil.example", "UVICTIM", "<!channel>", "<b>you"] {
                assert!(!body.contains(part), "{method} echoed {part}: {body}");
            }
        }
    }
}

/// A moderator's shortcut on a thread reply posts Slack's abuse help in that thread, then
/// tells the moderator alone (ephemeral) that it is posted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_answers_a_message_in_its_thread() {
    let peer = WebApiPeer::start().await;
    let adapter = adapter(&peer).await;
    let body = shortcut(
        MESSAGE_ACTIONS[0].callback_id,
        "UMOD",
        "C0001",
        "1700000000.000300",
        HOSTILE,
    );
    let response = adapter.signed("/slack/interactions", &body, &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    let posts = peer.wait_for("chat.postMessage", 1).await;
    let post = &posts[0].body;
    assert_eq!(post["channel"], "C0001");
    assert_eq!(
        post["thread_ts"], "1700000000.000300",
        "in the message's thread"
    );
    assert!(
        mrkdwn_texts(post).iter().any(|t| t.contains("999")),
        "the abuse help: {post}"
    );
    let told = peer.wait_for("chat.postEphemeral", 1).await;
    assert_eq!(told[0].body["user"], "UMOD");
    assert!(
        told[0].body.to_string().contains("posted"),
        "{}",
        told[0].body
    );
    echoes_nothing(&peer);
}

/// Someone who is not in `slack.moderators` is told privately that only moderators can, and
/// nothing is posted; an unsigned shortcut is refused before anything runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_moderator_is_refused_privately() {
    let peer = WebApiPeer::start().await;
    let adapter = adapter(&peer).await;
    let body = shortcut(
        MESSAGE_ACTIONS[0].callback_id,
        "UALICE",
        "C0001",
        "1700000000.000400",
        HOSTILE,
    );
    let unsigned = adapter
        .post("/slack/interactions", &body, None, None, &[])
        .await;
    assert_eq!(unsigned.status().as_u16(), 401);
    let response = adapter.signed("/slack/interactions", &body, &[]).await;
    assert_eq!(response.status().as_u16(), 200);
    let told = peer.wait_for("chat.postEphemeral", 1).await;
    assert_eq!(told.len(), 1, "told once, by the signed request");
    assert_eq!(told[0].body["user"], "UALICE");
    assert!(
        told[0].body.to_string().contains("moderators"),
        "{}",
        told[0].body
    );
    assert!(peer.calls("chat.postMessage").is_empty(), "nothing posted");
    echoes_nothing(&peer);
}
