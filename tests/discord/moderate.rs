//! The "Send abuse help" message action (a message context-menu command: an APPLICATION_COMMAND
//! interaction whose `data.type` is 3, with `target_id` and the message in `data.resolved`) and
//! its "send privately instead" button (a MESSAGE_COMPONENT interaction), over the gateway and
//! over the signed HTTP endpoint, against the protocol peer.

use serde_json::{json, Value};
use signpost::adapters::discord::moderate::DM_BUTTON;
use signpost::adapters::Service;
use signpost::command::table::MESSAGE_ACTIONS;
use signpost::intake::Limits;
use signpost::render::discord::EPHEMERAL;

use super::http::Endpoint;
use super::{callback, core, is_channel_post, links, Bot, TOKEN, WAIT};
use crate::support::discord_peer::{
    fixture, Peer, Recorded, Scripted, CHANNEL_ID, DM_CHANNEL_ID, GUILD_ID, USER_ID,
};

/// The reported message's id.
const TARGET: u64 = 1_300_000_000_000_000_777;
/// The id the peer gives every message the bot posts (its `message` fixture).
const ANSWER: u64 = 1_310_000_000_000_000_001;
/// What the reported message says: markdown, a broadcast, a role mention, a link and HTML,
/// none of which may come back in anything the bot sends.
const HOSTILE: &str =
    "@everyone **you** <@&1> [click](https://evil.example/x) <script>alert(1)</script>";
/// Permissions with Manage Messages (1 << 13) besides the fixture's own.
const MODERATOR: &str = "2248473465843265";
/// The fixture's permissions: no Manage Messages, no Administrator.
const MEMBER: &str = "2248473465835073";

/// The message action used on the hostile message by a member with `permissions`.
fn action(id: u64, permissions: &str) -> Value {
    let mut target = fixture("message_create");
    target["id"] = json!(TARGET.to_string());
    target["content"] = json!(HOSTILE);
    let mut d = fixture("interaction_command");
    d["id"] = json!(id.to_string());
    d["token"] = json!(format!("interaction-token-{id}"));
    d["data"] = json!({
        "id": "1600000000000000201",
        "name": MESSAGE_ACTIONS[0].label,
        "type": 3,
        "target_id": TARGET.to_string(),
        "resolved": { "messages": { TARGET.to_string(): target } },
        "guild_id": GUILD_ID.to_string(),
    });
    d["member"]["permissions"] = json!(permissions);
    d
}

/// The button with `custom_id` pressed by a member with `permissions`, on the ephemeral notice.
fn button(id: u64, custom_id: &str, permissions: &str) -> Value {
    let mut d = action(id, permissions);
    d["type"] = json!(3);
    d["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    let mut notice = fixture("message");
    notice["flags"] = json!(EPHEMERAL);
    d["message"] = notice;
    d
}

/// The custom id the confirmation's button carries for the hostile message and the answer.
fn dm_button() -> String {
    format!("{DM_BUTTON}:{CHANNEL_ID}:{TARGET}:{ANSWER}")
}

/// Asserts nothing the bot sent echoes the reported message.
fn echoes_nothing(requests: &[Recorded]) {
    for r in requests {
        let body = String::from_utf8_lossy(&r.body);
        for part in ["evil.example", "alert(1)", "**you**", "@everyone", "<@&1>"] {
            assert!(
                !body.contains(part),
                "{} {} echoed {part}",
                r.method,
                r.path
            );
        }
    }
}

/// The fixtures parse as serenity's models: a message command with its resolved message, and
/// a button press.
#[test]
fn fixtures_parse_as_interactions() {
    use serenity::all::{CommandType, Interaction, ResolvedTarget};
    match serde_json::from_value::<Interaction>(action(1, MODERATOR)).unwrap() {
        Interaction::Command(c) => {
            assert_eq!(c.data.kind, CommandType::Message);
            let Some(ResolvedTarget::Message(m)) = c.data.target() else {
                panic!("no resolved message");
            };
            assert_eq!(m.id.get(), TARGET);
        }
        other => panic!("not a command: {other:?}"),
    }
    match serde_json::from_value::<Interaction>(button(2, &dm_button(), MODERATOR)).unwrap() {
        Interaction::Component(c) => assert_eq!(c.data.custom_id, dm_button()),
        other => panic!("not a component: {other:?}"),
    }
}

/// Over the gateway, a moderator's "Send abuse help" posts Discord's abuse help as a reply to
/// that message (pinging nobody, echoing none of it), and confirms privately with a button;
/// the button sends the help to the author's DMs instead and removes the public answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_sends_abuse_help_under_a_message_then_privately() {
    let bot = Bot::start(false).await;
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &action(1_500_000_000_000_000_701, MODERATOR),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_701).await;
    assert_eq!(
        (body["type"].as_u64(), body["data"]["flags"].as_u64()),
        (Some(4), Some(EPHEMERAL))
    );
    let offered = &body["data"]["components"][0]["components"][0];
    assert_eq!(offered["custom_id"], dm_button(), "{body}");
    let post = bot
        .peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0);
    assert_eq!(
        post.path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    let post = post.json();
    assert_eq!(post["message_reference"]["message_id"], TARGET.to_string());
    assert_eq!(
        post["allowed_mentions"],
        json!({ "parse": [], "replied_user": false })
    );
    assert!(post.get("flags").is_none(), "public: {post}");
    assert!(
        links(&post).iter().any(|l| l.contains("discord.com")),
        "Discord's reporting page: {post}"
    );

    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &button(1_500_000_000_000_000_702, &dm_button(), MODERATOR),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_702).await;
    assert_eq!(body["type"], 7, "the notice is updated: {body}");
    assert_eq!(body["data"]["components"], json!([]), "the button is gone");
    let requests = bot.peer.requests();
    let dm = requests
        .iter()
        .find(|r| r.path == format!("/api/v10/channels/{DM_CHANNEL_ID}/messages"))
        .expect("the help went to the author's DMs")
        .json();
    assert!(dm.to_string().contains("A moderator sent you this"), "{dm}");
    assert!(dm.to_string().contains("999"), "{dm}");
    let opened = requests
        .iter()
        .find(|r| r.path == "/api/v10/users/@me/channels")
        .expect("a DM channel opened")
        .json();
    assert_eq!(opened["recipient_id"], USER_ID.to_string(), "to the author");
    assert!(
        requests.iter().any(|r| r.method == "DELETE"
            && r.path == format!("/api/v10/channels/{CHANNEL_ID}/messages/{ANSWER}")),
        "the public answer is removed"
    );
    echoes_nothing(&requests);
    bot.stop().await.unwrap();
}

/// A member without Manage Messages (the server changed who sees the action) is refused
/// privately, for the action and for the button, and nothing is posted or sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_without_manage_messages_is_refused() {
    let bot = Bot::start(false).await;
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &action(1_500_000_000_000_000_711, MEMBER),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_711).await;
    assert_eq!(body["data"]["flags"].as_u64(), Some(EPHEMERAL));
    assert!(body["data"]["content"]
        .as_str()
        .unwrap()
        .contains("Manage Messages"));
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &button(1_500_000_000_000_000_712, &dm_button(), MEMBER),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_712).await;
    assert!(body["data"]["content"]
        .as_str()
        .unwrap()
        .contains("Manage Messages"));
    let requests = bot.peer.requests();
    assert!(!requests.iter().any(is_channel_post), "nothing posted");
    assert!(!requests
        .iter()
        .any(|r| r.path.contains("/users/@me/channels")));
    bot.stop().await.unwrap();
}

/// A button for a message deleted since, or with an id that is not Signpost's shape, gets a
/// polite answer and sends nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_button_is_answered_politely() {
    let bot = Bot::start(false).await;
    bot.peer.script(Scripted {
        path_contains: format!("/messages/{TARGET}"),
        status: 404,
        headers: Vec::new(),
        body: json!({ "message": "Unknown Message", "code": 10008 }),
    });
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &button(1_500_000_000_000_000_721, &dm_button(), MODERATOR),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_721).await;
    assert!(
        body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("deleted"),
        "{body}"
    );
    let forged = format!("{DM_BUTTON}:{CHANNEL_ID}:{TARGET}");
    bot.peer.dispatch(
        "INTERACTION_CREATE",
        &button(1_500_000_000_000_000_722, &forged, MODERATOR),
    );
    let body = callback(&bot.peer, 1_500_000_000_000_000_722).await;
    assert!(
        body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("out of date"),
        "{body}"
    );
    assert!(!bot
        .peer
        .requests()
        .iter()
        .any(|r| r.path.contains("/users/@me/channels")));
    bot.stop().await.unwrap();
}

/// Over the HTTP endpoint (real Ed25519 signatures) the action is answered in the response
/// after the help is posted with the bot token, and so is its button; without a token it says
/// it cannot post, and a member without Manage Messages is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_endpoint_answers_the_action_and_its_button() {
    let peer = Peer::start().await;
    let service = Service::new(core(), Limits::default());
    let endpoint =
        Endpoint::start_with_token(service.clone(), Some(&peer.rest_url), Some(TOKEN)).await;
    let (status, body) = endpoint
        .post_signed(&action(1_500_000_000_000_000_731, MODERATOR))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["type"], 4);
    assert_eq!(
        body["data"]["components"][0]["components"][0]["custom_id"],
        dm_button()
    );
    let post = peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0)
        .json();
    assert_eq!(post["message_reference"]["message_id"], TARGET.to_string());
    let (_, body) = endpoint
        .post_signed(&button(1_500_000_000_000_000_732, &dm_button(), MODERATOR))
        .await;
    assert_eq!(body["type"], 7, "{body}");
    assert!(peer
        .requests()
        .iter()
        .any(|r| r.path == format!("/api/v10/channels/{DM_CHANNEL_ID}/messages")));
    let (_, body) = endpoint
        .post_signed(&action(1_500_000_000_000_000_733, MEMBER))
        .await;
    assert!(body["data"]["content"]
        .as_str()
        .unwrap()
        .contains("Manage Messages"));
    echoes_nothing(&peer.requests());

    let tokenless = Endpoint::start_with_token(service, Some(&peer.rest_url), None).await;
    let posts = peer
        .requests()
        .iter()
        .filter(|r| is_channel_post(r))
        .count();
    let (_, body) = tokenless
        .post_signed(&action(1_500_000_000_000_000_734, MODERATOR))
        .await;
    assert!(
        body["data"]["content"]
            .as_str()
            .unwrap()
            .contains("bot token"),
        "{body}"
    );
    assert_eq!(
        peer.requests()
            .iter()
            .filter(|r| is_channel_post(r))
            .count(),
        posts
    );
}
