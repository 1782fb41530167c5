//! The gateway session: Identify with the right intents, READY, heartbeats, resuming after the
//! connection drops, shard ranges and shutdown.

use std::time::Duration;

use super::{is_channel_post, message, settings, shards, Bot, TOKEN, WAIT};

const GUILDS: u64 = 1;
const GUILD_MESSAGES: u64 = 1 << 9;
const DIRECT_MESSAGES: u64 = 1 << 12;
const MESSAGE_CONTENT: u64 = 1 << 15;

/// Hello → Identify (token, intents without Message Content, shard 0 of 1) → READY → heartbeats,
/// each acknowledged, with the session kept on one connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifies_then_heartbeats() {
    let bot = Bot::start(false).await;
    let identify = bot.peer.wait_frames(2, 1, WAIT).await.remove(0);
    // serenity sends the token as it sends it to REST, `Bot …`, which the gateway accepts.
    assert_eq!(identify.d["token"], format!("Bot {TOKEN}"));
    assert_eq!(
        identify.d["intents"].as_u64(),
        Some(GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES)
    );
    assert_eq!(identify.d["shard"], serde_json::json!([0, 1]));
    // The peer asks for a heartbeat every 250 ms; three arrive within a few intervals.
    let beats = bot.peer.wait_frames(1, 3, WAIT).await;
    assert!(beats.iter().all(|f| f.connection == 1));
    assert_eq!(bot.peer.connections(), 1);
    assert!(bot.stop().await.is_ok());
}

/// With prefix commands on, and only then, the privileged Message Content intent is requested.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_content_only_for_prefix_commands() {
    let bot = Bot::start(true).await;
    let identify = bot.peer.wait_frames(2, 1, WAIT).await.remove(0);
    assert_eq!(
        identify.d["intents"].as_u64(),
        Some(GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT)
    );
    bot.stop().await.unwrap();
}

/// The gateway closes the socket (close code 4000, "unknown error: reconnect"): the bot
/// reconnects, resumes the session with the last sequence number, and keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumes_after_close_and_keeps_answering() {
    let bot = Bot::start(true).await;
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_101, "!about"),
    );
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    bot.peer.close_connections(4000);
    let resume = bot.peer.wait_frames(6, 1, WAIT).await.remove(0);
    assert_eq!(resume.connection, 2);
    assert_eq!(resume.d["session_id"], "a7f3c2d9e1b84f0a9c6d5e4f3a2b1c0d");
    assert!(resume.d["seq"].as_u64().unwrap() >= 2, "{:?}", resume.d);
    // The session goes on: a message on the new connection is answered.
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_102, "!tips"),
    );
    bot.peer.wait_requests(2, WAIT, is_channel_post).await;
    assert_eq!(
        bot.peer.frames().iter().filter(|f| f.op == 2).count(),
        1,
        "no second Identify"
    );
    bot.stop().await.unwrap();
}

/// The connection drops without a close frame (a network failure): the bot notices, opens a
/// new connection, resumes the session there, and keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovers_from_a_dropped_connection() {
    let bot = Bot::start(true).await;
    bot.peer.drop_connections();
    let resume = bot.peer.wait_frames(6, 1, WAIT).await.remove(0);
    assert_eq!(resume.connection, 2);
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_103, "!start"),
    );
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    assert_eq!(
        bot.peer.frames().iter().filter(|f| f.op == 2).count(),
        1,
        "no second Identify"
    );
    bot.stop().await.unwrap();
}

/// Invalid Session (op 9, not resumable): the session is gone, so the bot identifies again on a
/// new connection and keeps answering. serenity waits out the 5 s Discord asks between
/// Identifies, so this takes about 5 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reidentifies_after_invalid_session() {
    let bot = Bot::start(true).await;
    bot.peer.send_raw(r#"{"op":9,"d":false,"s":null,"t":null}"#);
    let identifies = bot.peer.wait_frames(2, 2, WAIT).await;
    assert!(identifies[1].connection >= 2);
    assert!(
        bot.peer.frames().iter().all(|f| f.op != 6),
        "not resumable: no Resume"
    );
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_104, "!about"),
    );
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    bot.stop().await.unwrap();
}

/// Drops the gateway connection and refuses new ones until the bot has tried to reconnect.
async fn start_outage(bot: &Bot) {
    bot.peer.refuse_gateway(true);
    bot.peer.drop_connections();
    let deadline = std::time::Instant::now() + WAIT;
    while bot.peer.refused() == 0 {
        assert!(std::time::Instant::now() < deadline, "no reconnect attempt");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A gateway outage: the connection drops and reconnecting fails for a while. serenity keeps
/// retrying (every 5 s, the spacing Discord asks between Identifies); when the gateway is back the
/// bot identifies again and answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_after_an_outage() {
    let bot = Bot::start(true).await;
    start_outage(&bot).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    bot.peer.refuse_gateway(false);
    let identifies = bot.peer.wait_frames(2, 2, 2 * WAIT).await;
    assert!(identifies[1].connection >= 2);
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_105, "!tips"),
    );
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    bot.stop().await.unwrap();
}

/// Shutdown during an outage (no shard connected, serenity still retrying) still ends `run`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_during_an_outage() {
    let bot = Bot::start(false).await;
    start_outage(&bot).await;
    // `stop` fails the test if `run` has not returned within the test's patience.
    assert!(bot.stop().await.is_ok());
}

/// `shards = "1-2/4"` runs shards 1 and 2 of 4, each identifying with its own shard pair (the
/// range is inclusive). serenity spaces Identifies 5 s apart, as Discord asks, so that no third
/// shard follows could only be shown by waiting that out; the range itself is read by the
/// config's tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shard_range_identifies_each_shard() {
    let bot = Bot::start_with(|peer| {
        let mut s = settings(peer, false);
        s.shards = shards(1, 2, 4);
        s
    })
    .await;
    let identifies = bot.peer.wait_frames(2, 2, WAIT).await;
    let mut pairs: Vec<String> = identifies
        .iter()
        .map(|f| f.d["shard"].to_string())
        .collect();
    pairs.sort();
    assert_eq!(pairs, ["[1,4]", "[2,4]"]);
    // Commands are registered once per process, not once per shard.
    assert_eq!(
        bot.peer
            .requests()
            .iter()
            .filter(|r| r.method == "PUT")
            .count(),
        1
    );
    bot.stop().await.unwrap();
}

/// Cancelling the shutdown token closes the gateway and ends `run` with `Ok`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_on_shutdown() {
    let bot = Bot::start(false).await;
    assert!(bot.stop().await.is_ok());
}
