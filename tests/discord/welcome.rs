//! Welcomes on Discord: GUILD_MEMBER_ADD in a guild of `discord.welcome_channels` gets one
//! welcome in its channel pinging only the newcomer; a storm of 200 joins stays within the
//! limits; bots and other guilds get nothing; the Server Members intent is asked for.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use signpost::adapters::Service;
use signpost::config::{DiscordSettings, Welcome, WelcomeChannel};
use signpost::intake::Limits;
use signpost::welcome::MAX_NAMED;
use signpost::Signpost;

use super::{is_channel_post, settings, Bot, WAIT};
use crate::support::discord_peer::{fixture, Peer, CHANNEL_ID, GUILD_ID};

/// The welcome channel, apart from the fixtures' own channel.
const WELCOME_CHANNEL: u64 = 1_210_000_000_000_000_099;
/// A guild with no welcome configured.
const OTHER_GUILD: u64 = 1_200_000_000_000_000_002;
/// How many join in the storm.
const STORM: u64 = 200;

/// A GUILD_MEMBER_ADD for user `id` in `guild`.
fn member(guild: u64, id: u64, bot: bool) -> Value {
    let mut d = fixture("interaction_command")["member"].clone();
    d["guild_id"] = json!(guild.to_string());
    d["user"]["id"] = json!(id.to_string());
    d["user"]["bot"] = json!(bot);
    d.as_object_mut().expect("an object").remove("permissions");
    d
}

/// The adapter welcoming in [`WELCOME_CHANNEL`] at most once per `interval`, on a core of its
/// own so its welcome counts are this test's.
async fn start(interval: Duration) -> (Bot, Arc<Signpost>) {
    let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
    let settings = move |peer: &Peer| DiscordSettings {
        welcome: Welcome {
            places: vec![WelcomeChannel {
                guild: GUILD_ID,
                channel: WELCOME_CHANNEL,
            }],
            interval,
        },
        ..settings(peer, false)
    };
    let service_core = Arc::clone(&core);
    let bot = Bot::start_service(settings, move |service| {
        *service = Service::new(service_core, Limits::default());
    })
    .await;
    (bot, core)
}

/// Waits until the metrics have counted `n` newcomers on Discord, whatever became of them.
async fn counted(core: &Signpost, n: u64) {
    let metrics = core.metrics().clone();
    let deadline = Instant::now() + WAIT;
    loop {
        let seen: u64 = ["now", "batched", "skipped", "bot"]
            .iter()
            .map(|o| metrics.welcomes("discord", o))
            .sum();
        if seen >= n {
            return;
        }
        assert!(Instant::now() < deadline, "counted {seen} of {n} joins");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A bot joining, a join in a guild without a welcome and a storm of 200 newcomers give one
/// welcome, in the configured channel, pinging only the first newcomer; the next MAX_NAMED wait
/// for the batch (an hour away here), the rest are skipped; the Identify asks for GUILD_MEMBERS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_storm_gets_one_welcome_and_bots_none() {
    let (bot, core) = start(Duration::from_secs(3600)).await;
    let identify = bot.peer.wait_frames(2, 1, WAIT).await.remove(0);
    let intents = identify.d["intents"].as_u64().expect("intents");
    assert_eq!(
        intents & (1 << 1),
        1 << 1,
        "GUILD_MEMBERS asked for: {intents}"
    );

    let metrics = core.metrics().clone();
    bot.peer.dispatch(
        "GUILD_MEMBER_ADD",
        &member(GUILD_ID, 1_400_000_000_000_009_999, true),
    );
    bot.peer.dispatch(
        "GUILD_MEMBER_ADD",
        &member(OTHER_GUILD, 1_400_000_000_000_009_998, false),
    );
    let first = 1_400_000_000_000_010_000;
    for n in 0..STORM {
        bot.peer
            .dispatch("GUILD_MEMBER_ADD", &member(GUILD_ID, first + n, false));
    }
    counted(&core, STORM + 1).await;
    assert_eq!(
        metrics.welcomes("discord", "bot"),
        1,
        "the bot is not welcomed"
    );
    assert_eq!(metrics.welcomes("discord", "now"), 1);
    assert_eq!(metrics.welcomes("discord", "batched"), MAX_NAMED as u64);
    assert_eq!(
        metrics.welcomes("discord", "skipped"),
        STORM - 1 - MAX_NAMED as u64
    );
    let posts = bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    assert_eq!(posts.len(), 1, "one welcome");
    assert_eq!(
        posts[0].path,
        format!("/api/v10/channels/{WELCOME_CHANNEL}/messages")
    );
    assert_ne!(WELCOME_CHANNEL, CHANNEL_ID);
    let body = posts[0].json();
    let pinged = body["allowed_mentions"]["users"]
        .as_array()
        .expect("users")
        .clone();
    assert_eq!(pinged.len(), 1, "{body}");
    let id: u64 = pinged[0].as_str().unwrap().parse().unwrap();
    assert!((first..first + STORM).contains(&id), "a newcomer: {id}");
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    let content = body["content"].as_str().unwrap();
    assert!(content.starts_with(&format!("<@{id}>")), "{content}");
    assert!(
        content.contains("/guidance") && content.contains("/start"),
        "{content}"
    );
    bot.stop().await.unwrap();
}

/// Those who join soon after a welcome share the next one, when the interval ends: every
/// newcomer is named once, and no welcome names more than MAX_NAMED.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newcomers_soon_after_share_the_next_welcome() {
    let (bot, _core) = start(Duration::from_secs(1)).await;
    let first = 1_400_000_000_000_020_000;
    for n in 0..3 {
        bot.peer
            .dispatch("GUILD_MEMBER_ADD", &member(GUILD_ID, first + n, false));
    }
    let mut named = Vec::new();
    let deadline = Instant::now() + WAIT;
    while named.len() < 3 {
        assert!(Instant::now() < deadline, "named {named:?}");
        named = bot
            .peer
            .requests()
            .iter()
            .filter(|r| is_channel_post(r))
            .flat_map(|r| {
                let users = r.json()["allowed_mentions"]["users"].clone();
                let users = users.as_array().cloned().unwrap_or_default();
                assert!(users.len() <= MAX_NAMED);
                users
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    named.sort_by_key(|v| v.to_string());
    named.dedup();
    assert_eq!(named.len(), 3, "each named once: {named:?}");
    bot.stop().await.unwrap();
}
