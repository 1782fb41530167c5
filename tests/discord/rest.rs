//! REST details: follow-up messages, and what a 429 does on each path.

use std::time::Duration;

use serde_json::json;
use serenity::http::HttpBuilder;
use serenity::model::id::{ApplicationId, ChannelId, InteractionId};
use signpost::adapters::discord::send;
use signpost::render::discord::{AllowedMentions, DiscordMessage, EPHEMERAL};

use super::{is_channel_post, message, Bot, TOKEN, WAIT};
use crate::support::discord_peer::{fixture, Peer, Scripted, BOT_ID, CHANNEL_ID};

fn body(text: &str, flags: Option<u64>) -> DiscordMessage {
    DiscordMessage {
        content: text.to_string(),
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
        flags,
        components: Vec::new(),
    }
}

/// A reply of several messages answers the interaction with the first (type 4) and sends the
/// rest as follow-ups to `/webhooks/{application}/{token}`, each keeping the ephemeral flag.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extra_messages_become_follow_ups() {
    let peer = Peer::start().await;
    let http = HttpBuilder::new(TOKEN)
        .proxy(peer.rest_url.clone())
        .ratelimiter_disabled(true)
        .build();
    let messages = [
        body("one", Some(EPHEMERAL)),
        body("two", Some(EPHEMERAL)),
        body("three", Some(EPHEMERAL)),
    ];
    send::interaction_reply(
        &http,
        InteractionId::new(42),
        "tok",
        ApplicationId::new(BOT_ID),
        &messages,
    )
    .await
    .unwrap();
    let requests = peer.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    let follow_up = format!("/api/v10/webhooks/{BOT_ID}/tok");
    assert_eq!(
        paths,
        [
            "/api/v10/interactions/42/tok/callback",
            &follow_up,
            &follow_up
        ]
    );
    assert_eq!(requests[0].json()["type"], 4);
    assert_eq!(requests[0].json()["data"]["content"], "one");
    assert_eq!(requests[0].json()["data"]["flags"], 64);
    assert_eq!(requests[2].json()["content"], "three");
    assert_eq!(requests[2].json()["flags"], 64);
}

/// Against a local peer or proxy (`api_base` set) serenity's rate limiter is off, as it must be
/// for the proxy to be used at all, so a 429 is the proxy's business: the adapter sends the
/// reply once, logs the refusal, does not retry in a loop, and keeps answering. (The production
/// path, where serenity's limiter waits out `retry-after`, is `production_path_honours_retry_after`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_through_a_proxy_is_not_retried_blindly() {
    let bot = Bot::start(true).await;
    bot.peer.script(Scripted {
        path_contains: "/messages".into(),
        status: 429,
        headers: vec![("retry-after".into(), "1".into())],
        body: fixture("rate_limited"),
    });
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_301, "!about"),
    );
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_302, "!tips"),
    );
    bot.peer.wait_requests(2, WAIT, is_channel_post).await;
    // A sentinel: a blind retry of either post would come before its answer.
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_303, "!help"),
    );
    let posts = bot.peer.wait_requests(3, WAIT, is_channel_post).await;
    let answered: Vec<_> = posts
        .iter()
        .map(|p| p.json()["message_reference"]["message_id"].clone())
        .collect();
    assert_eq!(
        answered,
        [
            json!("1300000000000000301"),
            json!("1300000000000000302"),
            json!("1300000000000000303")
        ],
        "one attempt each"
    );
    bot.stop().await.unwrap();
}

/// The production path: serenity's rate limiter on and no proxy, talking TLS to `discord.com`
/// (resolved to the peer, which holds a test certificate). A channel post answered with 429 and
/// `retry-after: 0.3` is retried by the adapter's send path once, no sooner than 0.3 s later,
/// and then succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_path_honours_retry_after() {
    let mut peer = Peer::start().await;
    let address = peer.serve_tls().await;
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .resolve("discord.com", address)
        // The fixture certificate is self-signed; trusting it is the test's only shortcut.
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let http = HttpBuilder::new(TOKEN).client(client).build();
    peer.script(Scripted {
        path_contains: "/messages".into(),
        status: 429,
        headers: vec![
            ("retry-after".into(), "0.3".into()),
            ("x-ratelimit-limit".into(), "5".into()),
            ("x-ratelimit-remaining".into(), "0".into()),
            ("x-ratelimit-reset-after".into(), "0.3".into()),
            ("x-ratelimit-bucket".into(), "4d0f2d6c8a1b".into()),
            ("x-ratelimit-scope".into(), "user".into()),
        ],
        body: fixture("rate_limited"),
    });
    send::to_channel(
        &http,
        ChannelId::new(CHANNEL_ID),
        None,
        &[body("hello", None)],
    )
    .await
    .expect("sent after waiting");
    let posts: Vec<_> = peer
        .requests()
        .into_iter()
        .filter(is_channel_post)
        .collect();
    assert_eq!(posts.len(), 2, "one refused, one retried");
    let waited = posts[1].at - posts[0].at;
    assert!(
        waited >= Duration::from_millis(300),
        "retried after {waited:?}"
    );
    assert_eq!(posts[1].json()["content"], "hello");
}
