//! The Matrix bot as its own process with its store on disk: killed by SIGKILL in the middle of
//! a burst in an encrypted room and started again on the same store and device, and a second
//! process on a store already in use refused (the crypto patch's first invariant,
//! vendor/README.md).

use std::collections::{BTreeMap, HashMap, HashSet};

use matrix_sdk::ruma::api::client::keys::claim_keys;
use matrix_sdk::ruma::events::room::encrypted::{OriginalSyncRoomEncryptedEvent, Relation};
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OneTimeKeyAlgorithm, OwnedDeviceId, OwnedEventId, OwnedUserId};
use matrix_sdk::{Client, Room};
use tokio::sync::mpsc;

use crate::matrix::{replied_to, WAIT};
use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::matrix_process::BotProcess;
use crate::support::synapse::shared;

/// Commands in the burst the bot is killed in.
const BURST: usize = 20;
/// The bot is killed once this many of the burst's replies have reached the test user.
const KILL_AFTER: usize = 5;
/// Commands sent while no bot process runs.
const WHILE_DOWN: usize = 3;
/// Commands sent by the first member once the restarted bot is live.
const AFTER_RESTART: usize = 10;
/// Commands sent by a member who joined after the restart.
const FROM_NEWCOMER: usize = 3;

/// Commands the bot answers, cycled through; replies are matched to commands by their
/// `m.in_reply_to`, not by their text.
const COMMANDS: [&str; 5] = [
    "!guidance nurse",
    "!tips",
    "!help",
    "!search hcpc",
    "!about",
];

/// The commands (events) messages from the bot in `user`'s rooms reply to but that `user`
/// could not decrypt.
fn undecryptable_from(user: &TestUser, bot: &OwnedUserId) -> mpsc::UnboundedReceiver<OwnedEventId> {
    let (tx, rx) = mpsc::unbounded_channel();
    let bot = bot.clone();
    // The SDK hands handlers the decrypted event when it can; an m.room.encrypted event reaches
    // this handler only when it could not be decrypted.
    user.client
        .add_event_handler(move |event: OriginalSyncRoomEncryptedEvent| {
            let tx = tx.clone();
            let bot = bot.clone();
            async move {
                if event.sender != bot {
                    return;
                }
                let target = match event.content.relates_to {
                    Some(Relation::Reply(reply)) => reply.in_reply_to.event_id,
                    // A bot message replying to nothing: name the message itself.
                    _ => event.event_id,
                };
                let _ = tx.send(target);
            }
        });
    rx
}

/// What the homeserver hands out when someone claims one of a device's keys.
#[derive(Debug, PartialEq, Eq)]
enum Claimed {
    /// One of its one-time keys.
    OneTime,
    /// Its fallback key: the one-time keys are all taken.
    Fallback,
    /// Nothing at all.
    Nothing,
}

/// Claims one of `device`'s keys as `client`, as a device opening an Olm session with it does.
async fn claim_key(client: &Client, user: &OwnedUserId, device: &OwnedDeviceId) -> Claimed {
    let wanted = BTreeMap::from([(device.clone(), OneTimeKeyAlgorithm::SignedCurve25519)]);
    let request = claim_keys::v3::Request::new(BTreeMap::from([(user.clone(), wanted)]));
    let response = client.send(request).await.expect("claim a key");
    let key = response
        .one_time_keys
        .get(user)
        .and_then(|devices| devices.get(device))
        .and_then(|keys| keys.values().next());
    let Some(key) = key else {
        return Claimed::Nothing;
    };
    let json: serde_json::Value = serde_json::from_str(key.json().get()).expect("key JSON");
    if json["fallback"] == true {
        Claimed::Fallback
    } else {
        Claimed::OneTime
    }
}

/// Sends `count` commands from the cycle, numbered from `first`, and returns their ids in order.
async fn send_commands(room: &Room, first: usize, count: usize) -> Vec<OwnedEventId> {
    let mut sent = Vec::with_capacity(count);
    for n in first..first + count {
        let content = RoomMessageEventContent::text_plain(COMMANDS[n % COMMANDS.len()]);
        sent.push(room.send(content).await.expect("send").response.event_id);
    }
    sent
}

/// The replies seen so far, per command.
#[derive(Default)]
struct Tally(HashMap<OwnedEventId, usize>);

impl Tally {
    fn count(&self, command: &OwnedEventId) -> usize {
        self.0.get(command).copied().unwrap_or(0)
    }

    /// How many replies in all.
    fn total(&self) -> usize {
        self.0.values().sum()
    }

    /// Counts `reply` against the command it names.
    fn add(&mut self, reply: &OriginalSyncRoomMessageEvent) {
        let command = replied_to(reply).expect("every reply names its command");
        *self.0.entry(command).or_default() += 1;
    }

    /// Reads the bot's next decrypted reply as `user` sees it, within the hang guard; on
    /// timeout, says what it waited for and names the replies `user` could not decrypt.
    async fn next(
        &mut self,
        user: &mut Watched,
        bot: &OwnedUserId,
        waiting_for: &str,
    ) -> Result<(), String> {
        let Some((_, reply)) = user.user.next_from(bot, WAIT).await else {
            return Err(format!(
                "no reply from the bot while waiting for {waiting_for}; replies that did not \
                 decrypt, by command: {:?}",
                user.undecryptable()
            ));
        };
        self.add(&reply);
        Ok(())
    }

    /// Reads replies until every one of `commands` has one.
    async fn until_answered(
        &mut self,
        user: &mut Watched,
        bot: &OwnedUserId,
        commands: &[OwnedEventId],
        what: &str,
    ) -> Result<(), String> {
        while let Some(missing) = commands.iter().find(|c| self.count(c) == 0) {
            let waiting_for = format!("{what} ({missing} unanswered)");
            self.next(user, bot, &waiting_for).await?;
        }
        Ok(())
    }
}

/// The bot's log lines that mention decryption, one per line, for a failure's report.
fn about_decryption(bot: &mut BotProcess) -> String {
    let lines: Vec<&str> = bot
        .log()
        .iter()
        .filter(|l| l.to_lowercase().contains("decrypt"))
        .map(String::as_str)
        .collect();
    lines.join("\n")
}

/// A test user, and the bot's messages to them that did not decrypt.
struct Watched {
    user: TestUser,
    failed: mpsc::UnboundedReceiver<OwnedEventId>,
}

impl Watched {
    fn new(user: TestUser, bot: &OwnedUserId) -> Watched {
        let failed = undecryptable_from(&user, bot);
        Watched { user, failed }
    }

    /// The commands whose replies did not decrypt so far.
    fn undecryptable(&mut self) -> Vec<OwnedEventId> {
        std::iter::from_fn(|| self.failed.try_recv().ok()).collect()
    }
}

/// The commands the test sent, by when.
#[derive(Default)]
struct Sent {
    /// Before the burst, each answered before the next was sent.
    warm_up: Vec<OwnedEventId>,
    /// The burst the first process was killed in.
    burst: Vec<OwnedEventId>,
    /// While no bot process ran.
    while_down: Vec<OwnedEventId>,
    /// Once the restarted bot was live, by either member.
    live: Vec<OwnedEventId>,
    /// Of `live`, those the member who joined after the restart sent.
    from_newcomer: Vec<OwnedEventId>,
}

impl Sent {
    /// The commands that must be answered exactly once.
    fn answerable(&self) -> impl Iterator<Item = &OwnedEventId> {
        self.warm_up.iter().chain(&self.live)
    }

    /// Every command sent.
    fn all(&self) -> HashSet<&OwnedEventId> {
        self.answerable()
            .chain(&self.burst)
            .chain(&self.while_down)
            .collect()
    }
}

/// Takes every one-time key `bot` has on the server, as that many devices opening sessions
/// would, leaving its fallback key; returns how many there were.
async fn take_one_time_keys(client: &Client, bot: &BotAccount) -> usize {
    let device: OwnedDeviceId = bot.device_id().as_str().into();
    let mut taken = 0;
    while claim_key(client, &bot.user_id, &device).await == Claimed::OneTime {
        taken += 1;
        assert!(taken <= 1_000, "the bot's one-time keys never ran out");
    }
    taken
}

/// Two commands, each answered before the next is sent: the first's sync tells the bot it has
/// no one-time keys left, and a sync uploads the keys it made before it ends, so once the
/// second is answered the new keys are on the server.
async fn warm_up(
    room: &Room,
    alice: &mut Watched,
    bot: &mut BotProcess,
    bot_id: &OwnedUserId,
    replies: &mut Tally,
) -> Vec<OwnedEventId> {
    let mut sent = Vec::new();
    for n in 0..2 {
        sent.extend(send_commands(room, n, 1).await);
        if let Err(why) = replies
            .until_answered(alice, bot_id, &sent, "the first commands")
            .await
        {
            panic!("{why}\nbot log:\n{}", about_decryption(bot));
        }
    }
    sent
}

/// Sends the burst and kills `bot` with SIGKILL once [`KILL_AFTER`] of its replies have reached
/// the first member; returns the burst and how many of its replies had arrived by then.
async fn burst_then_kill(
    room: &Room,
    alice: &mut Watched,
    bot: &mut BotProcess,
    bot_id: &OwnedUserId,
    replies: &mut Tally,
) -> (Vec<OwnedEventId>, usize) {
    let sender = tokio::spawn({
        let room = room.clone();
        async move { send_commands(&room, 0, BURST).await }
    });
    let before = replies.total();
    for n in 1..=KILL_AFTER {
        let waiting_for = format!("reply {n} of the burst");
        if let Err(why) = replies.next(alice, bot_id, &waiting_for).await {
            panic!("{why}\nbot log:\n{}", about_decryption(bot));
        }
    }
    bot.kill();
    let burst = sender.await.expect("the burst was sent");
    (burst, replies.total() - before)
}

/// A member who joins `room` after the restart, with no session with the bot yet.
async fn newcomer(room: &Room, bot_id: &OwnedUserId) -> (Watched, Room) {
    let carol = Watched::new(TestUser::new(shared(), "crashc").await, bot_id);
    room.invite_user_by_id(&carol.user.id())
        .await
        .expect("invite the newcomer");
    let theirs = carol
        .user
        .client
        .join_room_by_id(room.room_id())
        .await
        .expect("the newcomer joins");
    (carol, theirs)
}

/// Commands from the first member and the newcomer once the restarted bot is live, read until
/// each is answered (the newcomer's as the newcomer sees them too), then a last one: its reply
/// comes after any stray one to an earlier command in the room's order, so once it is here
/// everything the bot sent before it has been read too.
async fn after_restart(
    room: &Room,
    alice: &mut Watched,
    sent: &mut Sent,
    bot_id: &OwnedUserId,
    replies: &mut Tally,
) -> Result<Watched, String> {
    let (mut carol, carols_room) = newcomer(room, bot_id).await;
    sent.live = send_commands(room, 0, AFTER_RESTART).await;
    sent.from_newcomer = send_commands(&carols_room, 1, FROM_NEWCOMER).await;
    sent.live.extend(sent.from_newcomer.iter().cloned());
    let what = "the commands after the restart";
    replies
        .until_answered(alice, bot_id, &sent.live, what)
        .await?;
    let newcomers = &sent.from_newcomer;
    let what = "the newcomer's replies";
    Tally::default()
        .until_answered(&mut carol, bot_id, newcomers, what)
        .await?;
    let last = send_commands(room, 2, 1).await;
    replies
        .until_answered(alice, bot_id, &last, "the last command")
        .await?;
    sent.live.extend(last);
    // Anything that came with the last reply.
    while let Ok((_, reply)) = alice.user.messages.try_recv() {
        if &reply.sender == bot_id {
            replies.add(&reply);
        }
    }
    Ok(carol)
}

/// What the bot promises, asserted on what was sent and what came back.
fn check(replies: &Tally, sent: &Sent, alice: &mut Watched, carol: &mut Watched) {
    // The newcomer cannot decrypt what the bot sent before they joined; only their own
    // commands' replies count.
    let newcomer: Vec<_> = carol
        .undecryptable()
        .into_iter()
        .filter(|command| sent.from_newcomer.contains(command))
        .collect();
    let first = alice.undecryptable();
    assert!(
        first.is_empty() && newcomer.is_empty(),
        "bot messages that did not decrypt, by command: {first:?} (first member), \
         {newcomer:?} (newcomer)"
    );
    let twice: Vec<_> = replies.0.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "answered more than once: {twice:?}");
    let all = sent.all();
    let unknown: Vec<_> = replies.0.keys().filter(|c| !all.contains(c)).collect();
    assert!(
        unknown.is_empty(),
        "replies to no command sent: {unknown:?}"
    );
    let answered = sent.burst.iter().filter(|c| replies.count(c) == 1).count();
    assert!(answered >= KILL_AFTER, "{answered} of the burst answered");
    let was_answered = |c: &&OwnedEventId| replies.count(c) > 0;
    let history: Vec<_> = sent.while_down.iter().filter(was_answered).collect();
    assert!(
        history.is_empty(),
        "sent while down, so history, yet answered: {history:?}"
    );
    let unanswered: Vec<_> = sent
        .answerable()
        .filter(|c| replies.count(c) != 1)
        .collect();
    assert!(
        unanswered.is_empty(),
        "not answered once while the bot was live: {unanswered:?}"
    );
}

/// SIGKILL in the middle of a burst in an encrypted room, then a restart on the same store and
/// device: everything the bot sends still decrypts, the restarted bot decrypts what it is sent,
/// no command is answered twice, and every command sent once the restarted bot is live is
/// answered. The crypto state the killed process wrote is what the restart needs: the room key
/// the first member sent it, and the one-time keys it made and uploaded after the test took all
/// its first ones (what the patched crypto crate saves differently, vendor/README.md), one of
/// which a member joining after the restart claims to open an Olm session with it; that member
/// must also be sent the bot's room key.
///
/// What the bot promises across a SIGKILL is at most one answer to each command, not exactly
/// one. It remembers what it answered only in memory (`RecentIds`), and keeps no sync position
/// on disk (room state lives in memory): a restart begins with a catch-up sync whose events are
/// history and get no answer, exactly as at any start. So a command of the burst whose answer
/// had not been sent when the process died is never answered, and neither is one sent while no
/// process ran; but nothing from before the restart can be answered a second time. How many of
/// the burst were answered before the kill varies from run to run: it is printed, not pinned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_burst_then_restart_on_the_same_store() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let mut first = BotProcess::start(&bot);
    first.wait_until_live().await;
    let mut alice = Watched::new(TestUser::new(synapse, "crash").await, &bot.user_id);
    let room = alice.user.create_room(&[&bot.user_id], true).await;
    alice.user.wait_for_member(&room, &bot.user_id).await;
    let device = bot.device_id();
    let (mut replies, mut sent) = (Tally::default(), Sent::default());

    let taken = take_one_time_keys(&alice.user.client, &bot).await;
    sent.warm_up = warm_up(&room, &mut alice, &mut first, &bot.user_id, &mut replies).await;
    let (burst, read_before_kill) =
        burst_then_kill(&room, &mut alice, &mut first, &bot.user_id, &mut replies).await;
    sent.burst = burst;
    assert_eq!(
        claim_key(&alice.user.client, &bot.user_id, &device.as_str().into()).await,
        Claimed::OneTime,
        "the killed process made and uploaded new one-time keys ({taken} were taken)"
    );

    sent.while_down = send_commands(&room, BURST, WHILE_DOWN).await;
    let mut second = BotProcess::start(&bot);
    second.wait_until_live().await;
    assert_eq!(bot.device_id(), device, "the restart keeps the device");
    let restarted = after_restart(&room, &mut alice, &mut sent, &bot.user_id, &mut replies);
    let mut carol = restarted.await.unwrap_or_else(|why| {
        panic!(
            "{why}\nthe restarted bot's log about decryption:\n{}",
            about_decryption(&mut second)
        )
    });

    let answered = sent.burst.iter().filter(|c| replies.count(c) == 1).count();
    eprintln!(
        "burst of {BURST}: {read_before_kill} replies read before the kill, {answered} answered \
         in all; the bots' log lines about decryption:\n{}\n{}",
        about_decryption(&mut first),
        about_decryption(&mut second)
    );
    check(&replies, &sent, &mut alice, &mut carol);
}

/// While one bot process runs on a store, a second started on the same store is refused with
/// an error naming the store and saying another Signpost process uses it, and the first keeps
/// answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_the_same_store_is_refused() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let first = BotProcess::start(&bot);
    first.wait_until_live().await;
    let mut second = BotProcess::start(&bot);
    let refused = second.wait_for_line("another Signpost process is using the store");
    let store = bot.settings.store_dir.display().to_string();
    assert!(refused.contains(&store), "names {store}: {refused}");
    assert!(refused.contains("adapter down"), "{refused}");
    second.kill();

    let mut alice = TestUser::new(synapse, "locked").await;
    let room = alice.create_room(&[&bot.user_id], false).await;
    alice.wait_for_member(&room, &bot.user_id).await;
    let command = alice.say(&room, "!help").await;
    let (_, reply) = alice
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("the first process still answers");
    assert_eq!(replied_to(&reply), Some(command));
}
