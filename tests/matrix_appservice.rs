//! Matrix appservice mode against a real Synapse on 127.0.0.1 that pushes transactions to the
//! bot: invites, answers, transactions handled once, the hs_token check, encrypted rooms, and
//! restarts of the homeserver and of the bot.

use std::time::Duration;

use matrix_sdk::ruma::OwnedEventId;
use serde_json::{json, Value};
use signpost::adapters::matrix::appservice::ENCRYPTED_NOTICE;

use crate::matrix::{html, replied_to};
use crate::support::appservice::{AppserviceHome, HS_TOKEN};
use crate::support::matrix_client::{Seen, TestUser};

const WAIT: Duration = Duration::from_secs(30);
/// How long to listen for a reply that must not come, after the one that must.
const QUIET: Duration = Duration::from_millis(800);
/// How long one probe after a restart waits for its answer, and how many are sent.
const PROBE: Duration = Duration::from_secs(5);
const PROBES: usize = 12;

/// A text message event from `sender` in `room`, as the homeserver would push it.
fn message(room: &str, sender: &str, event_id: &str, body: &str) -> Value {
    json!({
        "type": "m.room.message",
        "room_id": room,
        "sender": sender,
        "event_id": event_id,
        "origin_server_ts": 1,
        "unsigned": { "age": 0 },
        "content": { "msgtype": "m.text", "body": body },
    })
}

/// The bot's messages `user` sees until one replies to `last`, then for [`QUIET`] more.
async fn replies_until(
    user: &mut TestUser,
    home: &AppserviceHome,
    last: &OwnedEventId,
) -> Vec<Seen> {
    let mut seen = Vec::new();
    loop {
        let reply = user
            .next_from(&home.user_id, WAIT)
            .await
            .unwrap_or_else(|| panic!("no reply to {last}; saw {} other replies", seen.len()));
        let done = replied_to(&reply.1).as_ref() == Some(last);
        seen.push(reply);
        if done {
            break;
        }
    }
    seen.extend(user.all_from(&home.user_id, QUIET).await);
    seen
}

fn count_replies_to(seen: &[Seen], event: &str) -> usize {
    seen.iter()
        .filter(|(_, e)| replied_to(e).is_some_and(|r| r.as_str() == event))
        .count()
}

/// Invite → join; a command → one m.notice in reply with the NMC link; the same transaction
/// pushed twice → answered once; a push with a wrong or no hs_token → 403 / 401 and nothing
/// processed (the same transaction with the right token is then answered).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joins_answers_and_handles_each_transaction_once() {
    let home = AppserviceHome::start("as-once").await;
    let mut alice = TestUser::new(&home.synapse, "asalice").await;
    let room = alice.create_room(&[&home.user_id], false).await;
    alice.wait_for_member(&room, &home.user_id).await;

    let command = alice.say(&room, "!guidance nurse").await;
    let seen = replies_until(&mut alice, &home, &command).await;
    assert_eq!(seen.len(), 1, "exactly one reply");
    let (body, formatted) = html(&seen[0].1);
    assert!(
        formatted
            .contains("<a href=\"https://www.nmc.org.uk/standards/guidance/social-media-guidance"),
        "{formatted}"
    );
    assert!(body.contains("nmc.org.uk"));
    let mentions = seen[0].1.content.mentions.as_ref().expect("m.mentions");
    assert!(
        mentions.user_ids.is_empty() && !mentions.room,
        "pings nobody"
    );

    // The homeserver retrying a transaction: the same id, the same event, twice.
    let room_id = room.room_id().as_str();
    let alice_id = alice.id();
    let tips = message(
        room_id,
        alice_id.as_str(),
        "$pushed-tips:localhost",
        "!tips",
    );
    for _ in 0..2 {
        let (status, answer) = home
            .push("signpost-test-1", vec![tips.clone()], Some(HS_TOKEN))
            .await;
        assert_eq!((status, answer), (200, json!({})));
    }
    // Refused pushes: nothing in them may be acted on or remembered.
    let start = message(
        room_id,
        alice_id.as_str(),
        "$pushed-start:localhost",
        "!start",
    );
    let (status, answer) = home
        .push("signpost-test-2", vec![start.clone()], Some("wrong"))
        .await;
    assert_eq!(
        (status, answer["errcode"].as_str()),
        (403, Some("M_FORBIDDEN"))
    );
    let (status, answer) = home
        .push("signpost-test-2", vec![start.clone()], None)
        .await;
    assert_eq!(
        (status, answer["errcode"].as_str()),
        (401, Some("M_UNAUTHORIZED"))
    );
    let (status, _) = home
        .push("signpost-test-2", vec![start], Some(HS_TOKEN))
        .await;
    assert_eq!(status, 200);

    let last: OwnedEventId = "$pushed-start:localhost".try_into().expect("event id");
    let seen = replies_until(&mut alice, &home, &last).await;
    assert_eq!(
        count_replies_to(&seen, "$pushed-tips:localhost"),
        1,
        "a retried transaction is answered once"
    );
    assert_eq!(
        count_replies_to(&seen, "$pushed-start:localhost"),
        1,
        "refused pushes left nothing behind"
    );
    assert_eq!(
        seen.len(),
        2,
        "nothing else: {:?}",
        seen.iter().map(|s| html(&s.1).0).collect::<Vec<_>>()
    );
}

/// In an encrypted room the bot says once that it cannot read it, and answers nothing there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn says_once_that_encrypted_rooms_need_client_mode() {
    let home = AppserviceHome::start("as-encrypted").await;
    let mut alice = TestUser::new(&home.synapse, "asenc").await;
    let encrypted = alice.create_room(&[&home.user_id], true).await;
    alice.wait_for_member(&encrypted, &home.user_id).await;
    let (room, notice) = alice
        .next_from(&home.user_id, WAIT)
        .await
        .expect("the notice");
    assert_eq!(room, encrypted.room_id());
    let (body, _) = html(&notice);
    assert!(body.contains(ENCRYPTED_NOTICE), "{body}");
    // Two encrypted commands, then a command in a plain room to know the bot has read them.
    alice.say(&encrypted, "!help").await;
    alice.say(&encrypted, "!tips").await;
    let plain = alice.create_room(&[&home.user_id], false).await;
    alice.wait_for_member(&plain, &home.user_id).await;
    let marker = alice.say(&plain, "!start").await;
    let seen = replies_until(&mut alice, &home, &marker).await;
    assert_eq!(
        seen.len(),
        1,
        "one answer, in the plain room; no second notice"
    );
    assert_eq!(seen[0].0, plain.room_id());
}

/// Synapse restarted: its pushes resume and a command is answered. The bot restarted: a
/// transaction it handled before is still known (the store), and new ones are answered. A
/// transaction of only the bot's own messages, pushed back, costs no store record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumes_after_homeserver_and_bot_restarts() {
    let mut home = AppserviceHome::start("as-restart").await;
    let mut alice = TestUser::new(&home.synapse, "asrestart").await;
    let room = alice.create_room(&[&home.user_id], false).await;
    alice.wait_for_member(&room, &home.user_id).await;
    let room_id = room.room_id().as_str().to_string();
    let alice_id = alice.id();
    let echo = message(
        &room_id,
        home.user_id.as_str(),
        "$echo:localhost",
        "an answer",
    );
    let (status, _) = home
        .push("signpost-restart-echo", vec![echo], Some(HS_TOKEN))
        .await;
    assert_eq!(status, 200);
    let pushed = message(&room_id, alice_id.as_str(), "$before:localhost", "!about");
    let (status, _) = home
        .push("signpost-restart-1", vec![pushed.clone()], Some(HS_TOKEN))
        .await;
    assert_eq!(status, 200);
    let first: OwnedEventId = "$before:localhost".try_into().expect("event id");
    replies_until(&mut alice, &home, &first).await;
    // Records are written in the order they are made: once the command's is in, the echo's
    // would be too.
    let recorded = tokio::time::timeout(WAIT, async {
        loop {
            let recorded = home.recorded();
            if recorded.iter().any(|id| id == "signpost-restart-1") {
                break recorded;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the command's transaction is recorded");
    assert!(
        !recorded.iter().any(|id| id == "signpost-restart-echo"),
        "{recorded:?}"
    );

    tokio::task::block_in_place(|| {
        home.synapse.stop();
        home.synapse.resume();
    });
    // Commands until one is answered: right after its start Synapse may still be catching up
    // on what it sent before it stopped.
    let mut probes = Vec::new();
    let answered = loop {
        probes.push(alice.say(&room, "!tips").await);
        if let Some((_, reply)) = alice.next_from(&home.user_id, PROBE).await {
            break reply;
        }
        assert!(
            probes.len() < PROBES,
            "no command answered after the restart"
        );
    };
    let target = replied_to(&answered).expect("a reply");
    assert!(
        probes.contains(&target),
        "answers a command sent after the restart"
    );
    alice.all_from(&home.user_id, QUIET).await;

    home.restart_bot().await;
    let (status, _) = home
        .push("signpost-restart-1", vec![pushed], Some(HS_TOKEN))
        .await;
    assert_eq!(status, 200, "a known transaction is acknowledged");
    let again = alice.say(&room, "!start").await;
    let seen = replies_until(&mut alice, &home, &again).await;
    assert_eq!(
        count_replies_to(&seen, "$before:localhost"),
        0,
        "not answered again after the restart"
    );
    assert_eq!(count_replies_to(&seen, again.as_str()), 1);
    home.stop_bot().await;
}

/// A transaction is answered before anything in it calls the homeserver: with a homeserver
/// that accepts connections and never answers, a push of messages in a room the bot has never
/// seen (whose members and direct-chat status it would look up) is still answered 200, and
/// the next transaction is too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_are_answered_before_the_homeserver() {
    use crate::support::appservice::AS_TOKEN;
    use signpost::adapters::matrix::appservice;
    use signpost::config::{AppserviceSettings, Secret};

    // A homeserver that takes every connection and says nothing.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let homeserver = silent.local_addr().unwrap();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            open.push(socket);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let listen = listener.local_addr().unwrap();
    let settings = AppserviceSettings {
        homeserver: format!("http://{homeserver}").parse().unwrap(),
        user: "@signpost:localhost".into(),
        as_token: Secret::new(AS_TOKEN),
        hs_token: Secret::new(HS_TOKEN),
        id: "signpost".into(),
        url: format!("http://{listen}").parse().unwrap(),
        allowed_inviters: Vec::new(),
        welcome: Default::default(),
    };
    let core = std::sync::Arc::new(signpost::Signpost::new(crate::support::index_owned(), "!"));
    let service = signpost::adapters::Service::new(core, Default::default());
    let shutdown = service.shutdown.clone();
    let task = tokio::spawn(appservice::serve(listener, settings, service));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    for txn in ["slow-1", "slow-2"] {
        let events: Vec<Value> = (0..3)
            .map(|n| {
                message(
                    "!never-seen:localhost",
                    "@alice:localhost",
                    &format!("${txn}-{n}"),
                    "!guidance nurse",
                )
            })
            .collect();
        let put = client
            .put(format!("http://{listen}/_matrix/app/v1/transactions/{txn}"))
            .bearer_auth(HS_TOKEN)
            .json(&json!({ "events": events }))
            .send();
        let response = tokio::time::timeout(WAIT, put)
            .await
            .expect("the transaction is answered without waiting for the homeserver")
            .expect("a response");
        assert_eq!(response.status().as_u16(), 200, "{txn}");
    }
    shutdown.cancel();
    let _ = tokio::time::timeout(WAIT, task).await;
    held.abort();
}

/// Menus are answered by number in appservice mode as in client mode: `!guidance therapist`
/// gets a numbered which-profession menu, and the same person's "1" gets the first option's
/// guidance, in reply to the number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn menus_are_answered_by_number() {
    let home = AppserviceHome::start("as-menu").await;
    let mut alice = TestUser::new(&home.synapse, "asmenu").await;
    let room = alice.create_room(&[&home.user_id], false).await;
    alice.wait_for_member(&room, &home.user_id).await;

    let asked = alice.say(&room, "!guidance therapist").await;
    let seen = replies_until(&mut alice, &home, &asked).await;
    let (menu, _) = html(&seen.last().expect("the menu").1);
    let first = menu
        .lines()
        .find_map(|line| line.trim().strip_prefix("1. "))
        .unwrap_or_else(|| panic!("a numbered menu: {menu}"))
        // "Occupational therapist — !guidance occupational-therapist": the label.
        .split(" — ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string();

    let picked = alice.say(&room, "1").await;
    let seen = replies_until(&mut alice, &home, &picked).await;
    let (answer, _) = html(&seen.last().expect("the pick's answer").1);
    assert!(
        answer.to_lowercase().contains(&first.to_lowercase()),
        "{first}: {answer}"
    );
    assert!(answer.contains("https://"), "guidance with links: {answer}");
}
