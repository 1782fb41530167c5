//! The Matrix adapter against a real Synapse on 127.0.0.1: invites, replies, encryption,
//! history, restarts, hostile input, bursts and homeserver outages. What moderators may do is
//! in `matrix_moderation`.

use std::collections::HashSet;
use std::time::Duration;

use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation,
};
use matrix_sdk::ruma::OwnedEventId;

use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::synapse::{shared, Synapse};

pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// The body and HTML of a notice (panics on anything else: the bot sends only notices).
pub(crate) fn html(event: &OriginalSyncRoomMessageEvent) -> (String, String) {
    match &event.content.msgtype {
        MessageType::Notice(n) => (
            n.body.clone(),
            n.formatted
                .as_ref()
                .map(|f| f.body.clone())
                .unwrap_or_default(),
        ),
        other => panic!("the bot must send m.notice, sent {}", other.msgtype()),
    }
}

/// The event a message replies to, plainly or inside a thread.
pub(crate) fn replied_to(event: &OriginalSyncRoomMessageEvent) -> Option<OwnedEventId> {
    match &event.content.relates_to {
        Some(Relation::Reply(reply)) => Some(reply.in_reply_to.event_id.clone()),
        Some(Relation::Thread(thread)) => thread.in_reply_to.as_ref().map(|r| r.event_id.clone()),
        _ => None,
    }
}

/// A room with the bot and a second person, so it is a group chat rather than a direct one.
pub(crate) async fn group_room(
    owner: &TestUser,
    bot: &BotAccount,
    other: &TestUser,
) -> matrix_sdk::Room {
    let room = owner.create_group_room(&bot.user_id, other).await;
    owner.wait_for_member(&room, &bot.user_id).await;
    room
}

pub(crate) async fn room_with_bot(
    user: &TestUser,
    bot: &BotAccount,
    encrypted: bool,
) -> matrix_sdk::Room {
    let room = user.create_room(&[&bot.user_id], encrypted).await;
    user.wait_for_member(&room, &bot.user_id).await;
    room
}

/// Invite → join; `!guidance nurse` → one m.notice, in reply to the command, HTML with the NMC
/// link, pinging nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_join_and_answer() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "alice").await;
    let room = room_with_bot(&alice, &bot, false).await;
    let command = alice.say(&room, "!guidance nurse").await;
    let (_, reply) = alice.next_from(&bot.user_id, WAIT).await.expect("a reply");
    let (body, formatted) = html(&reply);
    assert!(
        formatted
            .contains("<a href=\"https://www.nmc.org.uk/standards/guidance/social-media-guidance"),
        "{formatted}"
    );
    assert!(body.contains("nmc.org.uk"));
    assert_eq!(replied_to(&reply), Some(command));
    let mentions = reply.content.mentions.as_ref().expect("m.mentions present");
    assert!(
        mentions.user_ids.is_empty() && !mentions.room,
        "pings nobody"
    );
    assert!(
        alice
            .all_from(&bot.user_id, Duration::from_millis(800))
            .await
            .is_empty(),
        "exactly one reply"
    );
    running.stop().await;
}

/// The same in an end-to-end encrypted room: the bot decrypts the command and encrypts its reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_room() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "enc").await;
    let room = room_with_bot(&alice, &bot, true).await;
    assert!(room
        .latest_encryption_state()
        .await
        .expect("state")
        .is_encrypted());
    let command = alice.say(&room, "!guidance social worker").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("a decryptable reply");
    let (_, formatted) = html(&reply);
    assert!(
        formatted.contains("socialworkengland.org.uk"),
        "{formatted}"
    );
    assert_eq!(replied_to(&reply), Some(command));
    running.stop().await;
}

/// Plain chat in a group room, notices from other bots and history get no reply; a restart
/// keeps the device and does not answer old commands again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_chat_notices_and_restart() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "hist").await;
    let bob = TestUser::new(synapse, "histb").await;
    let room = group_room(&alice, &bot, &bob).await;
    let answered = alice.say(&room, "!help").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("reply to !help");
    assert_eq!(replied_to(&reply), Some(answered.clone()));
    let device = bot.device_id();
    running.stop().await;

    // While the bot is down: a command it must treat as history.
    let missed = alice.say(&room, "!tips").await;
    let running = bot.start().await;
    // Probe until the bot is live: probes it sees while catching up are history too.
    let mut probes = Vec::new();
    let probe_reply = loop {
        probes.push(alice.say(&room, "!start").await);
        if let Some((_, reply)) = alice.next_from(&bot.user_id, Duration::from_secs(2)).await {
            break reply;
        }
        assert!(probes.len() < 15, "the restarted bot never answered");
    };
    let probe = replied_to(&probe_reply).expect("the reply names its command");
    assert!(
        probes.contains(&probe),
        "the first reply after the restart answers a probe, not {missed}"
    );
    assert_eq!(bot.device_id(), device, "a restart reuses the same device");

    alice.say(&room, "hello everyone, just chatting").await;
    room.send(RoomMessageEventContent::notice_plain("!guidance nurse"))
        .await
        .expect("notice");
    let live = alice.say(&room, "!about").await;
    let replies = alice.all_from(&bot.user_id, Duration::from_secs(4)).await;
    let targets: Vec<_> = replies.iter().map(|(_, r)| replied_to(r)).collect();
    assert_eq!(
        targets,
        vec![Some(live)],
        "only the live command is answered (not {missed}, not {answered} again)"
    );
    running.stop().await;
}

/// In a direct chat every message is for the bot: no prefix needed, and chat gets a pointer to
/// help rather than silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_chat_needs_no_prefix() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "direct").await;
    let room = room_with_bot(&alice, &bot, true).await;
    let command = alice.say(&room, "guidance midwife").await;
    let (_, reply) = alice.next_from(&bot.user_id, WAIT).await.expect("reply");
    assert_eq!(replied_to(&reply), Some(command));
    assert!(html(&reply).1.contains("nmc.org.uk"));
    alice.say(&room, "hello").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("a pointer");
    assert!(html(&reply).0.contains("!help"), "{}", html(&reply).0);
    running.stop().await;
}

/// Hostile input (`@room`, HTML and script, a 50 KB message) is escaped and bounded, and the bot
/// keeps running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "hostile").await;
    let room = room_with_bot(&alice, &bot, false).await;
    alice
        .say(
            &room,
            "!search @room <script>alert(1)</script> <a href=\"https://evil.example\">x</a>",
        )
        .await;
    let (_, reply) = alice.next_from(&bot.user_id, WAIT).await.expect("reply");
    let (body, formatted) = html(&reply);
    assert!(
        !formatted.contains("<script") && !formatted.contains("evil.example\">"),
        "{formatted}"
    );
    assert!(!body.to_lowercase().contains("@room"), "{body}");
    let huge = format!("!search {}", "@room nurse ".repeat(4_600));
    assert!(huge.len() > 50_000);
    alice.say(&room, &huge).await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("reply to the huge message");
    let (body, formatted) = html(&reply);
    assert!(
        body.len() + formatted.len() < 20_000,
        "bounded: {} bytes",
        body.len() + formatted.len()
    );
    alice.say(&room, "!help").await;
    assert!(
        alice.next_from(&bot.user_id, WAIT).await.is_some(),
        "still answering"
    );
    assert!(running.is_running());
    running.stop().await;
}

/// A burst of 100 commands from two users gets exactly 100 replies, one to each command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_commands() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "bursta").await;
    let bob = TestUser::new(synapse, "burstb").await;
    let room = group_room(&alice, &bot, &bob).await;
    let bob_room = bob
        .client
        .get_room(room.room_id())
        .expect("bob sees the room");
    let commands = [
        "!guidance nurse",
        "!tips",
        "!help",
        "!abuse-help",
        "!search hcpc",
    ];
    let (a, b) = tokio::join!(
        async {
            let mut ids = Vec::new();
            for n in 0..50 {
                ids.push(alice.say(&room, commands[n % commands.len()]).await);
            }
            ids
        },
        async {
            let mut ids = Vec::new();
            for n in 0..50 {
                ids.push(bob.say(&bob_room, commands[(n + 2) % commands.len()]).await);
            }
            ids
        }
    );
    let sent: HashSet<OwnedEventId> = a.into_iter().chain(b).collect();
    assert_eq!(sent.len(), 100);
    let mut answered = Vec::new();
    while answered.len() < 100 {
        match alice.next_from(&bot.user_id, WAIT).await {
            Some((_, reply)) => {
                answered.push(replied_to(&reply).expect("every reply names its command"))
            }
            None => break,
        }
    }
    answered.extend(
        alice
            .all_from(&bot.user_id, Duration::from_secs(2))
            .await
            .iter()
            .filter_map(|(_, r)| replied_to(r)),
    );
    let unique: HashSet<OwnedEventId> = answered.iter().cloned().collect();
    assert_eq!(answered.len(), 100, "exactly 100 replies");
    assert_eq!(unique, sent, "each command answered once");
    running.stop().await;
}

/// After `!abuse-help private` from `asker` in the group `room`: exactly one pointer comes in the
/// room and the answer (with the links) in a direct chat from `bot`, whose invite is accepted
/// as it arrives.
pub(crate) async fn check_private_abuse_help(
    asker: &mut TestUser,
    bot: &matrix_sdk::ruma::UserId,
    room: &matrix_sdk::Room,
) {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while seen.len() < 2 && tokio::time::Instant::now() < deadline {
        for invited in asker.client.invited_rooms() {
            let _ = invited.join().await;
        }
        if let Some(message) = asker.next_from(bot, Duration::from_millis(300)).await {
            seen.push(message);
        }
    }
    let (in_room, in_dm): (Vec<_>, Vec<_>) = seen.iter().partition(|(r, _)| r == room.room_id());
    assert_eq!(in_room.len(), 1, "one pointer in the room: {seen:?}");
    let (pointer, _) = html(&in_room[0].1);
    assert!(
        pointer.contains("direct message") && !pointer.contains("matrix.org/legal"),
        "{pointer}"
    );
    assert_eq!(in_dm.len(), 1, "the answer in the direct chat");
    let (_, formatted) = html(&in_dm[0].1);
    assert!(
        formatted.contains("matrix.org/legal/code-of-conduct"),
        "{formatted}"
    );
}

/// `!abuse-help private` answers in a direct chat and only points to it in the room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_answer_goes_to_a_direct_chat() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "private").await;
    let bob = TestUser::new(synapse, "observer").await;
    let room = group_room(&alice, &bot, &bob).await;
    alice.say(&room, "!abuse-help private").await;
    check_private_abuse_help(&mut alice, &bot.user_id, &room).await;
    running.stop().await;
}

/// Synapse stopped for a few seconds and started again: the bot recovers and answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_homeserver_restart() {
    let mut synapse = Synapse::start();
    let bot = BotAccount::new(&synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(&synapse, "outage").await;
    let room = room_with_bot(&alice, &bot, false).await;
    alice.say(&room, "!help").await;
    alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("answer before the outage");
    synapse.stop();
    tokio::time::sleep(Duration::from_secs(3)).await;
    synapse.resume();
    let command = alice.say(&room, "!tips").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, Duration::from_secs(45))
        .await
        .expect("answer after the outage");
    assert_eq!(replied_to(&reply), Some(command));
    assert!(running.is_running());
    running.stop().await;
}

/// A mention without the prefix is answered, and a command inside a thread is answered in that
/// thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mentions_and_threads() {
    use matrix_sdk::ruma::events::relation::Thread;
    use matrix_sdk::ruma::events::room::message::Relation as Rel;

    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut alice = TestUser::new(synapse, "thread").await;
    // A second person, so the room is not a direct chat and the prefix would be required.
    let carol = TestUser::new(synapse, "carol").await;
    let room = group_room(&alice, &bot, &carol).await;

    alice.say(&room, "guidance nurse").await;
    let mention = alice
        .say(&room, &format!("{}: guidance nurse", bot.user_id))
        .await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("reply to the mention");
    assert_eq!(
        replied_to(&reply),
        Some(mention),
        "plain chat without prefix or mention is ignored"
    );

    let root = alice.say(&room, "Thread: getting started").await;
    let mut content = RoomMessageEventContent::text_plain("!start");
    content.relates_to = Some(Rel::Thread(Thread::plain(root.clone(), root.clone())));
    let command = room
        .send(content)
        .await
        .expect("send in thread")
        .response
        .event_id;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("reply in the thread");
    match &reply.content.relates_to {
        Some(Rel::Thread(thread)) => {
            assert_eq!(thread.event_id, root, "same thread");
            assert_eq!(
                thread.in_reply_to.as_ref().map(|r| r.event_id.clone()),
                Some(command)
            );
        }
        other => panic!("expected a thread relation, got {other:?}"),
    }
    running.stop().await;
}
