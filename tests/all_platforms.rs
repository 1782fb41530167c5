//! One `signpost run` process serving Discord, Slack and Matrix at once, as an operator runs it:
//! each platform's local peer (the Discord v10 peer, the Slack Web API peer, a real Synapse).

use std::process::Command;

use matrix_sdk::ruma::events::room::message::MessageType;

use crate::support::discord_peer::{Peer, BOT_ID, CHANNEL_ID, USER_ID};
use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::process::{
    free_port, post_event, start_bot, wait_for_line, wait_until_ready, PATIENCE,
};
use crate::support::slack::{callback, message, WebApiPeer, BOT_TOKEN, SECRET};
use crate::support::synapse::shared;

/// The Discord bot token given to the process.
const DISCORD_TOKEN: &str = "discord-token.never-logged";

/// With debug off, a process running all three adapters answers a command on each and serves
/// the site at `/`, and its log holds none of the words people wrote, no configured secret and
/// no one's user id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_platform_answers_and_the_log_names_no_one() {
    let discord = Peer::with_heartbeat(250, true).await;
    let slack = WebApiPeer::start().await;
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let mut person = TestUser::new(synapse, "asker").await;
    let matrix_password = match &bot.settings.login {
        signpost::config::MatrixLogin::Password(p) => p.expose().to_string(),
        other => panic!("the test bot logs in with a password, not {other:?}"),
    };
    let listen = format!("127.0.0.1:{}", free_port());
    let store_dir = bot.settings.store_dir.to_str().expect("utf-8").to_string();
    let (mut process, lines) = start_bot(
        &slack,
        &listen,
        &[
            ("SIGNPOST__DISCORD__TOKEN", DISCORD_TOKEN),
            ("SIGNPOST__DISCORD__API_BASE", &discord.rest_url),
            ("SIGNPOST__MATRIX__HOMESERVER", &synapse.url),
            ("SIGNPOST__MATRIX__USER", bot.user_id.as_str()),
            ("SIGNPOST__MATRIX__PASSWORD", &matrix_password),
            ("SIGNPOST__MATRIX__STORE_DIR", &store_dir),
        ],
    );
    let mut seen = Vec::new();
    wait_for_line(&lines, &mut seen, "http: listening");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    wait_until_ready(&client, &listen).await;

    // The same listener serves the index's web page.
    let page = client
        .get(format!("http://{listen}/"))
        .send()
        .await
        .expect("the site answers");
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/html")));
    let html = page.text().await.expect("html");
    assert!(html.contains("<main"), "{html}");

    // Slack: a channel message.
    let body = callback(
        "EvEverywhere",
        message("C1", "channel", "!search zebrafinch", "1700000000.000200"),
    );
    assert_eq!(post_event(&client, &listen, body.to_string()).await, 200);
    let posted = slack.wait_for("chat.postMessage", 1).await;
    assert_eq!(posted[0].body["channel"], "C1");

    // Discord: a mention in a guild channel.
    let mut create = crate::discord::message(
        1_300_000_000_000_000_901,
        &format!("<@{BOT_ID}> search quokka"),
    );
    create["channel_id"] = serde_json::json!(CHANNEL_ID.to_string());
    discord.dispatch("MESSAGE_CREATE", &create);
    let sent = discord
        .wait_requests(1, PATIENCE, crate::discord::is_channel_post)
        .await;
    assert!(sent[0].path.contains(&CHANNEL_ID.to_string()));

    // Matrix: a command in a room the bot was invited to.
    let room = person.create_room(&[&bot.user_id], false).await;
    person.wait_for_member(&room, &bot.user_id).await;
    person.say(&room, "!search pangolin").await;
    let (_, answer) = person
        .next_from(&bot.user_id, PATIENCE)
        .await
        .expect("the bot answers on Matrix");
    assert!(matches!(answer.content.msgtype, MessageType::Notice(_)));

    let pid = process.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(killed.expect("kill runs").success());
    let status = tokio::task::spawn_blocking(move || process.wait())
        .await
        .expect("joined")
        .expect("exit status");
    assert!(status.success(), "{status:?}");
    seen.extend(lines.iter());
    let log = seen.join("\n");
    for adapter in ["discord", "slack", "matrix"] {
        assert!(log.contains(adapter), "the log names {adapter}:\n{log}");
    }
    let person_id = person.id().to_string();
    let person_localpart = person.id().localpart().to_string();
    let forbidden = [
        // What people wrote.
        "zebrafinch",
        "quokka",
        "pangolin",
        // Configured secrets.
        DISCORD_TOKEN,
        BOT_TOKEN,
        SECRET,
        &matrix_password,
        // Who asked.
        "UALICE",
        &USER_ID.to_string(),
        &person_id,
        &person_localpart,
    ];
    for secret in forbidden {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
