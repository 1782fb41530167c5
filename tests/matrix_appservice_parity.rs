//! Appservice mode does what client mode does, against a real Synapse that pushes transactions
//! to the bot: newcomers to a welcome room are welcomed within the limits, a ❌ from the asker
//! removes an answer (and from anyone else does not), and private answers go to a direct chat.
//! (Numbered menus are in `matrix_appservice`.)

use std::time::Duration;

use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::message::MessageType;
use matrix_sdk::ruma::OwnedEventId;

use crate::matrix::check_private_abuse_help;
use crate::matrix_moderation::is_redacted;
use crate::matrix_welcome::counted;
use crate::support::appservice::AppserviceHome;
use crate::support::matrix_client::TestUser;

const WAIT: Duration = Duration::from_secs(30);
/// How long to listen for a message that must not come.
const QUIET: Duration = Duration::from_millis(800);

/// A public room with the bot in it, made by `owner`.
async fn public_room(owner: &TestUser, home: &AppserviceHome) -> matrix_sdk::Room {
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PublicChat);
    request.invite = vec![home.user_id.clone()];
    let room = owner
        .client
        .create_room(request)
        .await
        .expect("create room");
    owner.wait_for_member(&room, &home.user_id).await;
    room
}

/// Says `text` in `room` and waits for the bot's answer, whose event id is returned.
async fn ask(
    user: &mut TestUser,
    home: &AppserviceHome,
    room: &matrix_sdk::Room,
    text: &str,
) -> OwnedEventId {
    user.say(room, text).await;
    let (_, answer) = user
        .next_from(&home.user_id, WAIT)
        .await
        .unwrap_or_else(|| panic!("an answer to {text}"));
    answer.event_id
}

/// In a welcome room, the first newcomer gets one m.notice welcome mentioning only them; the
/// next, within the interval, waits for the batch (counted, not sent now).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newcomers_to_a_welcome_room_are_welcomed_within_the_limits() {
    let mut home = AppserviceHome::start("as-welcome").await;
    let mut owner = TestUser::new(&home.synapse, "aswelcomeowner").await;
    let room = public_room(&owner, &home).await;
    let place = room.room_id().to_string();
    home.restart_bot_with(|settings| {
        settings.welcome.places = vec![place];
        settings.welcome.interval = Duration::from_secs(3600);
    })
    .await;
    // Answered: the restarted bot is being pushed to, so the joins that follow reach it.
    ask(&mut owner, &home, &room, "!about").await;

    let first = TestUser::new(&home.synapse, "asnewcomer").await;
    first
        .client
        .join_room_by_id(room.room_id())
        .await
        .expect("join");
    let (_, welcome) = owner
        .next_from(&home.user_id, WAIT)
        .await
        .expect("the welcome");
    let MessageType::Notice(notice) = &welcome.content.msgtype else {
        panic!("an m.notice");
    };
    assert!(notice.body.contains("!guidance"), "{}", notice.body);
    let mentions = welcome.content.mentions.as_ref().expect("m.mentions");
    assert_eq!(
        mentions.user_ids.iter().cloned().collect::<Vec<_>>(),
        [first.id()]
    );
    assert!(!mentions.room);

    let second = TestUser::new(&home.synapse, "asnewcomer").await;
    second
        .client
        .join_room_by_id(room.room_id())
        .await
        .expect("join");
    let core = home.core();
    counted(&core, 2).await;
    assert_eq!(core.metrics().welcomes("matrix", "now"), 1);
    assert_eq!(core.metrics().welcomes("matrix", "batched"), 1);
    assert!(
        owner.all_from(&home.user_id, QUIET).await.is_empty(),
        "no second welcome within the interval"
    );
}

/// A ❌ from the person who asked removes the bot's answer; the same reaction from another
/// member (not a moderator) leaves an answer alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_from_the_asker_removes_the_answer() {
    let home = AppserviceHome::start("as-remove").await;
    let mut asker = TestUser::new(&home.synapse, "asasker").await;
    let other = TestUser::new(&home.synapse, "asother").await;
    let room = asker.create_group_room(&home.user_id, &other).await;
    asker.wait_for_member(&room, &home.user_id).await;
    let cross = |id: &OwnedEventId| {
        ReactionEventContent::new(Annotation::new(id.clone(), "❌".to_string()))
    };

    let first = ask(&mut asker, &home, &room, "!tips").await;
    let second = ask(&mut asker, &home, &room, "!about").await;
    let theirs = other
        .client
        .get_room(room.room_id())
        .expect("the other member's view");
    theirs.send(cross(&first)).await.expect("react");
    room.send(cross(&second)).await.expect("react");

    let deadline = tokio::time::Instant::now() + WAIT;
    while !is_redacted(&room, &second).await {
        assert!(tokio::time::Instant::now() < deadline, "never removed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The other member's reaction came first, and needed no homeserver call to refuse.
    assert!(!is_redacted(&room, &first).await);
}

/// `!abuse-help private` in a group room answers in a direct chat the bot opens with the asker,
/// and only points to it in the room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_answers_go_to_a_direct_chat() {
    let home = AppserviceHome::start("as-private").await;
    let mut alice = TestUser::new(&home.synapse, "asprivate").await;
    let bob = TestUser::new(&home.synapse, "asobserver").await;
    let room = alice.create_group_room(&home.user_id, &bob).await;
    alice.wait_for_member(&room, &home.user_id).await;

    alice.say(&room, "!abuse-help private").await;
    check_private_abuse_help(&mut alice, &home.user_id, &room).await;
}
