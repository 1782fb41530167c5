//! The Discord adapter against the protocol peer in `support::discord_peer`: the real adapter
//! (`signpost::adapters::discord::run`) connects to a local REST endpoint and gateway, and the
//! tests drive it with documented-shape events and assert on what it sends back.

mod components;
mod gateway;
mod http;
mod local;
mod logs;
mod messages;
mod moderate;
mod rest;
mod slash;
mod welcome;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};
use signpost::adapters::discord::{self, DiscordError};
use signpost::adapters::Service;
use signpost::config::{DiscordSettings, Secret, ShardRange};
use signpost::index::load_dir;
use signpost::intake::Limits;
use signpost::Signpost;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::support::data_dir;
use crate::support::discord_peer::{fixture, Peer, Recorded, BOT_ID, GUILD_ID};

/// How long any one wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// The bot token the peer sees; the tests check it never shows up in logs or bodies.
pub const TOKEN: &str = "test-bot-token.not-a-real-one";

/// One core shared by the adapters under test.
pub fn core() -> Arc<Signpost> {
    static CORE: OnceLock<Arc<Signpost>> = OnceLock::new();
    Arc::clone(CORE.get_or_init(|| {
        Arc::new(Signpost::new(
            load_dir(&data_dir()).expect("data/ is valid").index,
            "!",
        ))
    }))
}

/// Settings pointing the adapter at `peer`.
pub fn settings(peer: &Peer, prefix_commands: bool) -> DiscordSettings {
    DiscordSettings {
        token: Secret::new(TOKEN),
        guild_ids: vec![GUILD_ID],
        prefix_commands,
        shards: None,
        api_base: Some(peer.rest_url.parse().expect("peer URL")),
        welcome: Default::default(),
    }
}

/// The adapter running against a fresh peer.
pub struct Bot {
    /// The peer it talks to.
    pub peer: Peer,
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), DiscordError>>,
}

impl Bot {
    /// Starts the adapter (guild-scoped registration) and waits until it has registered its
    /// commands, which it does after READY.
    pub async fn start(prefix_commands: bool) -> Bot {
        Bot::start_with(|peer| settings(peer, prefix_commands)).await
    }

    /// Starts the adapter with settings of the test's choosing, against a peer asking for a
    /// heartbeat every 250 ms.
    pub async fn start_with(settings: impl FnOnce(&Peer) -> DiscordSettings) -> Bot {
        Bot::start_limited(settings, Limits::default()).await
    }

    /// [`Bot::start_with`] with the given intake limits.
    pub async fn start_limited(
        settings: impl FnOnce(&Peer) -> DiscordSettings,
        limits: Limits,
    ) -> Bot {
        Bot::start_service(settings, |service| *service = Service::new(core(), limits)).await
    }

    /// [`Bot::start_with`] on a service the test adjusts (limits, moderators).
    pub async fn start_service(
        settings: impl FnOnce(&Peer) -> DiscordSettings,
        adjust: impl FnOnce(&mut Service),
    ) -> Bot {
        let peer = Peer::with_heartbeat(250, true).await;
        let mut service = Service::new(core(), Limits::default());
        adjust(&mut service);
        let shutdown = service.shutdown.clone();
        let task = tokio::spawn(discord::run(settings(&peer), service));
        peer.wait_requests(1, WAIT, |r| r.method == "PUT").await;
        Bot {
            peer,
            shutdown,
            task,
        }
    }

    /// Stops the adapter and returns how it ended.
    pub async fn stop(self) -> Result<(), DiscordError> {
        self.shutdown.cancel();
        tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the adapter stops on shutdown")
            .expect("the adapter task does not panic")
    }
}

/// A MESSAGE_CREATE payload: the fixture with this id and content.
pub fn message(id: u64, content: &str) -> Value {
    let mut d = fixture("message_create");
    d["id"] = json!(id.to_string());
    d["content"] = json!(content);
    d
}

/// An APPLICATION_COMMAND interaction for `/name` with these options.
pub fn command(id: u64, name: &str, options: Value) -> Value {
    let mut d = fixture("interaction_command");
    d["id"] = json!(id.to_string());
    d["token"] = json!(format!("interaction-token-{id}"));
    d["data"]["name"] = json!(name);
    d["data"]["options"] = options;
    d
}

/// An APPLICATION_COMMAND_AUTOCOMPLETE interaction with `option` focused and `typed` so far.
pub fn autocomplete(id: u64, name: &str, option: &str, typed: &str) -> Value {
    let mut d = fixture("interaction_autocomplete");
    d["id"] = json!(id.to_string());
    d["token"] = json!(format!("interaction-token-{id}"));
    d["data"]["name"] = json!(name);
    d["data"]["options"] = json!([{ "name": option, "type": 3, "value": typed, "focused": true }]);
    d
}

/// A MESSAGE_COMPONENT interaction `id`: `custom_id` with `values` (a select; empty for a
/// button), pressed by `presser` on the bot's answer to a command `asker` ran.
pub fn component(id: u64, custom_id: &str, values: &[&str], presser: u64, asker: u64) -> Value {
    let mut d = fixture("interaction_component");
    d["id"] = json!(id.to_string());
    d["token"] = json!(format!("interaction-token-{id}"));
    d["data"]["custom_id"] = json!(custom_id);
    if values.is_empty() {
        d["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    } else {
        d["data"]["values"] = json!(values);
    }
    d["member"]["user"]["id"] = json!(presser.to_string());
    d["message"]["interaction_metadata"]["user"]["id"] = json!(asker.to_string());
    d
}

/// The callback request for interaction `id`.
pub async fn callback(peer: &Peer, id: u64) -> Value {
    let path = format!("/api/v10/interactions/{id}/");
    peer.wait_requests(1, WAIT, |r| r.path.starts_with(&path))
        .await
        .remove(0)
        .json()
}

/// Whether a request is a channel message post.
pub fn is_channel_post(r: &Recorded) -> bool {
    r.method == "POST" && r.path.ends_with("/messages") && r.path.contains("/channels/")
}

/// Every link target in a message body's content and embeds.
pub fn links(body: &Value) -> Vec<String> {
    let mut text = body["content"].as_str().unwrap_or("").to_string();
    for e in body["embeds"].as_array().into_iter().flatten() {
        text.push_str(e["description"].as_str().unwrap_or(""));
    }
    text.split("](<")
        .skip(1)
        .filter_map(|rest| rest.split(">)").next())
        .map(str::to_string)
        .collect()
}

/// Every fixture parses as the serenity model it stands for: a field serenity needs that is
/// missing would make it drop the event without a word, and every test here would then time out
/// for a reason that is hard to see.
#[test]
fn fixtures_parse_as_serenity_models() {
    use serenity::model::prelude::*;
    serde_json::from_value::<Ready>(fixture("ready")).expect("READY");
    serde_json::from_value::<Message>(fixture("message_create")).expect("MESSAGE_CREATE");
    serde_json::from_value::<Message>(fixture("message")).expect("message");
    serde_json::from_value::<CurrentUser>(fixture("user_me")).expect("users/@me");
    serde_json::from_value::<PrivateChannel>(fixture("dm_channel")).expect("DM channel");
    serde_json::from_value::<CurrentApplicationInfo>(fixture("application"))
        .expect("applications/@me");
    match serde_json::from_value::<Interaction>(fixture("interaction_command")).unwrap() {
        Interaction::Command(c) => {
            assert_eq!(c.data.name, "guidance");
            assert_eq!(c.attachment_size_limit, 10_485_760);
        }
        other => panic!("not a command: {other:?}"),
    }
    assert!(matches!(
        serde_json::from_value::<Interaction>(fixture("interaction_autocomplete")).unwrap(),
        Interaction::Autocomplete(_)
    ));
    match serde_json::from_value::<Interaction>(fixture("interaction_component")).unwrap() {
        Interaction::Component(c) => {
            assert_eq!(c.data.custom_id, "sp1:prof");
            assert!(c.message.interaction_metadata.is_some(), "who asked");
        }
        other => panic!("not a component: {other:?}"),
    }
    // The peer's ids are the fixtures' ids.
    assert_eq!(fixture("ready")["user"]["id"], json!(BOT_ID.to_string()));
}

/// A shard range from the settings, as `first-last/total`.
pub fn shards(first: u32, last: u32, total: u32) -> Option<ShardRange> {
    Some(ShardRange { first, last, total })
}
