//! A room's or space's own resources on a real Synapse: `!local add` by a moderator and by a
//! member, the entry in that community's answers and not another room's, a space's rooms
//! sharing one list, and a restart.

use std::sync::Arc;

use matrix_sdk::ruma::api::client::room::create_room::v3::{
    CreationContent, Request as CreateRoom,
};
use matrix_sdk::ruma::events::space::child::SpaceChildEventContent;
use matrix_sdk::ruma::events::space::parent::SpaceParentEventContent;
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::room::RoomType;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedEventId, OwnedServerName};
use signpost::config::{Moderators, StorageBackend, StorageSettings};
use signpost::store::{self, Store};
use signpost::Signpost;

use crate::matrix::{html, replied_to, WAIT};
use crate::support::matrix_client::{BotAccount, RunningBot, TestUser};
use crate::support::synapse::shared;

const POLICY: &str = "https://trust.example.nhs.uk/social-media";
const NETWORK: &str = "https://network.example.org/staff";

/// The bot with `store` wired in, moderating in `rooms` by power level.
async fn start(bot: &BotAccount, store: &Arc<dyn Store>, rooms: &[String]) -> RunningBot {
    let core = Arc::new(store::wire(
        Signpost::new(crate::support::index_owned(), "!"),
        store,
        false,
    ));
    let rooms = rooms.to_vec();
    bot.start_with(move |service| {
        service.core = core;
        service.moderators = Arc::new(Moderators {
            matrix_rooms: rooms,
            ..Default::default()
        });
    })
    .await
}

/// The HTML of the bot's answer to `asked`, skipping its answers to others.
async fn answer_to(user: &mut TestUser, bot: &BotAccount, asked: &OwnedEventId) -> String {
    loop {
        let (_, reply) = user.next_from(&bot.user_id, WAIT).await.expect("an answer");
        if replied_to(&reply).as_ref() == Some(asked) {
            return html(&reply).1;
        }
    }
}

/// What `user` is answered when saying `text` in `room`.
async fn ask(user: &mut TestUser, bot: &BotAccount, room: &matrix_sdk::Room, text: &str) -> String {
    let asked = user.say(room, text).await;
    answer_to(user, bot, &asked).await
}

fn has(answer: &str, url: &str) -> bool {
    answer.contains(&format!("href=\"{url}\""))
}

/// A space `owner` makes, with `bot` invited, and a room in it (both ways: the room names the
/// space as its parent and the space the room as its child).
async fn space_with_room(
    owner: &TestUser,
    bot: &BotAccount,
) -> (matrix_sdk::Room, matrix_sdk::Room) {
    let mut request = CreateRoom::new();
    let mut creation = CreationContent::new();
    creation.room_type = Some(RoomType::Space);
    request.creation_content = Some(Raw::new(&creation).expect("creation content"));
    request.invite = vec![bot.user_id.clone()];
    let space = owner
        .client
        .create_room(request)
        .await
        .expect("create space");
    let via: Vec<OwnedServerName> = vec!["localhost".try_into().expect("server name")];
    let mut request = CreateRoom::new();
    request.invite = vec![bot.user_id.clone()];
    request.initial_state = vec![InitialStateEvent::new(
        space.room_id().to_owned(),
        SpaceParentEventContent::new(via.clone()),
    )
    .to_raw_any()];
    let room = owner
        .client
        .create_room(request)
        .await
        .expect("create room");
    space
        .send_state_event_for_key(room.room_id(), SpaceChildEventContent::new(via))
        .await
        .expect("space child");
    (space, room)
}

/// In a moderator room a member's `!local add` is refused and its creator's is kept; the entry
/// shows in that room's guidance and not in another room's; in a space the bot is in, an entry
/// added in one room is the space's; and after a restart the room still sees its entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rooms_and_a_spaces_own_resources() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let mut owner = TestUser::new(synapse, "owner").await;
    let mut member = TestUser::new(synapse, "member").await;
    // Made before the bot starts, so their ids can be configured; the bot joins on first sync.
    let room = owner.create_group_room(&bot.user_id, &member).await;
    let other = owner.create_room(&[&bot.user_id], false).await;
    let (space, in_space) = space_with_room(&owner, &bot).await;
    let moderated = vec![room.room_id().to_string(), in_space.room_id().to_string()];
    let file = crate::support::temp_dir(&format!("mlocal-{}", store::new_id())).join("s.db");
    let open = || -> Arc<dyn Store> {
        store::open(&StorageSettings::new(StorageBackend::Sqlite(file.clone())))
            .unwrap()
            .unwrap()
    };
    let kept = open();
    let running = start(&bot, &kept, &moderated).await;
    owner.wait_for_member(&room, &bot.user_id).await;
    owner.wait_for_member(&in_space, &bot.user_id).await;
    owner.wait_for_member(&space, &bot.user_id).await;
    let community = format!("matrix:{}", room.room_id());

    let theirs = member
        .client
        .get_room(room.room_id())
        .expect("the member's view");
    let refused = ask(
        &mut member,
        &bot,
        &theirs,
        &format!("!local add {POLICY} Policy"),
    )
    .await;
    assert!(refused.contains("only moderators"), "{refused}");
    assert!(kept.list(&community).unwrap().is_empty());
    let added = ask(
        &mut owner,
        &bot,
        &room,
        &format!("!local add {POLICY} Trust <b>policy</b> @room"),
    )
    .await;
    assert_eq!(kept.list(&community).unwrap().len(), 1, "{added}");
    assert!(!added.contains("<b>policy</b>"), "{added}");

    let here = ask(&mut member, &bot, &theirs, "!guidance nurse").await;
    assert!(has(&here, POLICY), "{here}");
    let elsewhere = ask(&mut owner, &bot, &other, "!guidance nurse").await;
    assert!(!has(&elsewhere, POLICY), "{elsewhere}");

    let in_space_added = ask(
        &mut owner,
        &bot,
        &in_space,
        &format!("!local add {NETWORK} Network"),
    )
    .await;
    let space_community = format!("matrix:{}", space.room_id());
    assert_eq!(
        kept.list(&space_community).unwrap().len(),
        1,
        "{in_space_added}"
    );
    let tips = ask(&mut owner, &bot, &in_space, "!tips").await;
    assert!(has(&tips, NETWORK) && !has(&tips, POLICY), "{tips}");
    running.stop().await;
    drop(kept);

    let reopened = open();
    let running = start(&bot, &reopened, &moderated).await;
    // Probe until the bot is live: what it sees while catching up is history, not answered.
    let mut probes = 0;
    let after = loop {
        member.say(&theirs, "!abuse-help").await;
        let wait = std::time::Duration::from_secs(2);
        if let Some((_, reply)) = member.next_from(&bot.user_id, wait).await {
            break html(&reply).1;
        }
        probes += 1;
        assert!(probes < 15, "the restarted bot never answered");
    };
    assert!(has(&after, POLICY), "{after}");
    running.stop().await;
}
