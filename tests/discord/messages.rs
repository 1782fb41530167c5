//! Prefix commands, mentions and direct messages: what the bot posts, and what it ignores.

use serde_json::{json, Value};

use super::{is_channel_post, links, message, Bot, TOKEN, WAIT};
use crate::support::discord_peer::{Scripted, BOT_ID, CHANNEL_ID, DM_CHANNEL_ID, USER_ID};

fn assert_safe(body: &Value) {
    assert_eq!(
        body["allowed_mentions"],
        json!({ "parse": [], "replied_user": false }),
        "{body}"
    );
    assert!(
        body.get("flags").is_none(),
        "no ephemeral flag outside interactions: {body}"
    );
    assert!(body["content"].as_str().unwrap().chars().count() <= 2_000);
}

/// `!guidance social-worker` → one POST to the channel, replying to the command, with embeds
/// linking the four UK regulators' pages and `allowed_mentions` parsing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefix_command_posts_embeds() {
    let bot = Bot::start(true).await;
    let id = 1_300_000_000_000_000_201_u64;
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(id, "!guidance social-worker all"),
    );
    let post = bot
        .peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0);
    assert_eq!(
        post.path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    let body = post.json();
    assert_safe(&body);
    assert_eq!(
        body["message_reference"]["message_id"],
        json!(id.to_string())
    );
    assert!(body["content"].as_str().unwrap().contains("Social worker"));
    let links = links(&body);
    for site in [
        "socialworkengland.org.uk",
        "socialcare.wales",
        "niscc.info",
        "basw.co.uk",
    ] {
        assert!(
            links.iter().any(|l| l.contains(site)),
            "{site} missing from {links:?}"
        );
    }
    assert!(body["embeds"].as_array().unwrap().len() >= 5);
    bot.stop().await.unwrap();
}

/// `@Signpost guidance nurse` works with prefix commands off (no Message Content intent needed),
/// while `!guidance nurse` without a mention is then ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mention_works_without_prefix_commands() {
    let bot = Bot::start(false).await;
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_211, "!guidance nurse"),
    );
    let mut mention = message(
        1_300_000_000_000_000_212,
        &format!("<@{BOT_ID}> guidance nurse"),
    );
    mention["mentions"] = json!([crate::support::discord_peer::fixture("user_me")]);
    bot.peer.dispatch("MESSAGE_CREATE", &mention);
    let post = bot
        .peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0);
    let body = post.json();
    assert_safe(&body);
    assert_eq!(
        body["message_reference"]["message_id"],
        "1300000000000000212"
    );
    assert!(
        links(&body).iter().any(|l| l.contains("nmc.org.uk")),
        "{body}"
    );
    // A second mention as a sentinel: an answer to the unaddressed `!guidance nurse` would come
    // before its answer.
    let mut sentinel = message(1_300_000_000_000_000_213, &format!("<@{BOT_ID}> tips"));
    sentinel["mentions"] = json!([crate::support::discord_peer::fixture("user_me")]);
    bot.peer.dispatch("MESSAGE_CREATE", &sentinel);
    let posts = bot.peer.wait_requests(2, WAIT, is_channel_post).await;
    assert_eq!(
        posts[1].json()["message_reference"]["message_id"],
        "1300000000000000213"
    );
    assert_eq!(
        bot.peer
            .requests()
            .iter()
            .filter(|r| is_channel_post(r))
            .count(),
        2
    );
    bot.stop().await.unwrap();
}

/// A reply to one of Signpost's messages needs no prefix or mention (Discord shows its text to
/// the bot even without the Message Content intent).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_to_the_bot_are_addressed() {
    let bot = Bot::start(false).await;
    let mut reply = message(1_300_000_000_000_000_215, "guidance midwife");
    reply["type"] = json!(19);
    reply["message_reference"] = json!({
        "type": 0,
        "message_id": "1310000000000000001",
        "channel_id": CHANNEL_ID.to_string(),
        "guild_id": crate::support::discord_peer::GUILD_ID.to_string()
    });
    reply["referenced_message"] = crate::support::discord_peer::fixture("message");
    bot.peer.dispatch("MESSAGE_CREATE", &reply);
    let post = bot
        .peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0);
    let body = post.json();
    assert_safe(&body);
    assert!(
        body["content"].as_str().unwrap().contains("Midwife"),
        "{body}"
    );
    bot.stop().await.unwrap();
}

/// Messages from bots, from webhooks and from Signpost itself get no answer; a person's message
/// sent after them does (so the silence is not just slowness).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bots_webhooks_and_itself_are_ignored() {
    let bot = Bot::start(true).await;
    let mut from_bot = message(1_300_000_000_000_000_221, "!guidance nurse");
    from_bot["author"]["bot"] = json!(true);
    let mut from_webhook = message(1_300_000_000_000_000_222, "!guidance nurse");
    from_webhook["webhook_id"] = json!("1700000000000000001");
    let mut from_itself = message(1_300_000_000_000_000_223, "!guidance nurse");
    from_itself["author"] = crate::support::discord_peer::fixture("user_me");
    let mut system = message(1_300_000_000_000_000_224, "!guidance nurse");
    system["type"] = json!(7); // a member joined
    for d in [&from_bot, &from_webhook, &from_itself, &system] {
        bot.peer.dispatch("MESSAGE_CREATE", d);
    }
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_225, "!about"),
    );
    // `!about` is the sentinel: an answer to any message before it would come first.
    bot.peer.wait_requests(1, WAIT, is_channel_post).await;
    let posts: Vec<_> = bot
        .peer
        .requests()
        .into_iter()
        .filter(is_channel_post)
        .collect();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(
        posts[0].json()["message_reference"]["message_id"],
        "1300000000000000225"
    );
    bot.stop().await.unwrap();
}

/// A direct message needs neither prefix nor mention, and is answered in the DM channel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_messages_are_addressed() {
    let bot = Bot::start(false).await;
    let mut dm = message(1_300_000_000_000_000_231, "tips");
    dm["channel_id"] = json!(DM_CHANNEL_ID.to_string());
    dm.as_object_mut().unwrap().remove("guild_id");
    dm.as_object_mut().unwrap().remove("member");
    bot.peer.dispatch("MESSAGE_CREATE", &dm);
    let post = bot
        .peer
        .wait_requests(1, WAIT, is_channel_post)
        .await
        .remove(0);
    assert_eq!(
        post.path,
        format!("/api/v10/channels/{DM_CHANNEL_ID}/messages")
    );
    assert!(post.json()["content"]
        .as_str()
        .unwrap()
        .contains("Top tips"));
    bot.stop().await.unwrap();
}

/// `!abuse-help private` in a channel: the answer goes to the author's DMs (channel created with
/// `recipient_id`), and the channel only hears that it was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_prefix_answer_goes_to_dms() {
    let bot = Bot::start(true).await;
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_241, "!abuse-help private"),
    );
    let posts = bot.peer.wait_requests(2, WAIT, is_channel_post).await;
    let requests = bot.peer.requests();
    let dm = requests
        .iter()
        .find(|r| r.path == "/api/v10/users/@me/channels")
        .expect("DM opened");
    assert_eq!(dm.json(), json!({ "recipient_id": USER_ID.to_string() }));
    let private = &posts[0];
    assert_eq!(
        private.path,
        format!("/api/v10/channels/{DM_CHANNEL_ID}/messages")
    );
    let body = private.json();
    assert_safe(&body);
    assert!(
        links(&body)
            .iter()
            .any(|l| l.contains("discord.com/safety")),
        "{body}"
    );
    let notice = posts[1].json();
    assert_eq!(
        posts[1].path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    assert_eq!(notice["content"], "I've sent you a direct message.");
    assert!(notice.get("embeds").is_none());
    assert_safe(&notice);
    bot.stop().await.unwrap();
}

/// When the author's DMs are closed (403, code 50007), the private answer is not posted in the
/// channel instead: the channel is told how to get it privately.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_dms_never_leak_the_private_answer() {
    let bot = Bot::start(true).await;
    bot.peer.script(Scripted {
        path_contains: format!("/channels/{DM_CHANNEL_ID}/messages"),
        status: 403,
        headers: vec![],
        body: json!({ "message": "Cannot send messages to this user", "code": 50007 }),
    });
    bot.peer.dispatch(
        "MESSAGE_CREATE",
        &message(1_300_000_000_000_000_251, "!abuse-help private"),
    );
    let posts = bot
        .peer
        .wait_requests(1, WAIT, |r| {
            is_channel_post(r) && r.path.contains(&CHANNEL_ID.to_string())
        })
        .await;
    let notice = posts[0].json();
    assert!(notice["content"]
        .as_str()
        .unwrap()
        .contains("couldn't send you a direct message"));
    assert!(notice.get("embeds").is_none(), "{notice}");
    bot.stop().await.unwrap();
}

/// Hostile input (`@everyone`, a role mention, a spoofed markdown link, then 10 KB) is echoed
/// escaped and short, nothing can ping, and the answer stays within Discord's limits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_is_escaped_and_bounded() {
    let bot = Bot::start(true).await;
    let short = "!search @everyone <@&1234567> [spoof](https://evil.example/x) @here";
    let long = format!(
        "<@{BOT_ID}> search @everyone {}",
        "[a](https://evil.example) ".repeat(400)
    );
    assert!(long.len() > 10_000);
    bot.peer
        .dispatch("MESSAGE_CREATE", &message(1_300_000_000_000_000_261, short));
    bot.peer
        .dispatch("MESSAGE_CREATE", &message(1_300_000_000_000_000_262, &long));
    let posts = bot.peer.wait_requests(2, WAIT, is_channel_post).await;
    for post in &posts {
        let body = post.json();
        assert_safe(&body);
        let text = body.to_string();
        assert!(
            !text.contains("@everyone") && !text.contains("@here"),
            "{text}"
        );
        assert!(!text.contains("<@&1234567>"), "{text}");
        assert!(!text.contains("[spoof](https://evil"), "{text}");
        assert!(
            !links(&body).iter().any(|l| l.contains("evil.example")),
            "{text}"
        );
        assert!(
            post.body.len() < 8_000,
            "answer of {} bytes",
            post.body.len()
        );
        assert!(!text.contains(TOKEN));
    }
    bot.stop().await.unwrap();
}
