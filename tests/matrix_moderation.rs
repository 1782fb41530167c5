//! What moderators may do with the Matrix adapter, against a real Synapse on 127.0.0.1: review
//! commands by power level, abuse help as a reply to someone's message, and ❌ removal of an
//! answer by its asker.

use std::time::Duration;

use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};

use crate::matrix::{group_room, html, replied_to, room_with_bot, WAIT};
use crate::support::matrix_client::{BotAccount, TestUser};
use crate::support::synapse::shared;

/// Review commands follow power levels in the configured moderator rooms: there the room's
/// creator (unlimited from room version 12) is a moderator and a member at the default level 0
/// is politely refused; in a room of the creator's own that is not configured, the creator is
/// refused too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_commands_follow_power_levels() {
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let mut owner = TestUser::new(synapse, "owner").await;
    let mut member = TestUser::new(synapse, "member").await;
    // Made before the bot starts, so its id can be configured; the bot joins on its first sync.
    let room = owner.create_group_room(&bot.user_id, &member).await;
    let configured = room.room_id().to_string();
    let running = bot
        .start_with(|service| {
            service.moderators = std::sync::Arc::new(signpost::config::Moderators {
                matrix_rooms: vec![configured],
                ..Default::default()
            })
        })
        .await;
    owner.wait_for_member(&room, &bot.user_id).await;
    let refused = |reply: &OriginalSyncRoomMessageEvent| html(reply).0.contains("only moderators");

    let theirs = member
        .client
        .get_room(room.room_id())
        .expect("the member's view of the room");
    member.say(&theirs, "!suggestions").await;
    let (_, reply) = member.next_from(&bot.user_id, WAIT).await.expect("a reply");
    assert!(refused(&reply), "{}", html(&reply).0);

    let asked = owner.say(&room, "!suggestions").await;
    // The owner sees the member's answer in the room too; skip to the answer to the owner.
    let reply = loop {
        let (_, reply) = owner.next_from(&bot.user_id, WAIT).await.expect("a reply");
        if replied_to(&reply).as_ref() == Some(&asked) {
            break reply;
        }
    };
    assert!(!refused(&reply), "{}", html(&reply).0);

    let own = room_with_bot(&owner, &bot, false).await;
    owner.say(&own, "!suggestions").await;
    let reply = loop {
        let (room_id, reply) = owner.next_from(&bot.user_id, WAIT).await.expect("a reply");
        if room_id == own.room_id() {
            break reply;
        }
    };
    assert!(refused(&reply), "not a moderator room: {}", html(&reply).0);
    running.stop().await;
}

/// A moderator's `!abuse-help` sent as a reply to someone's message answers that message (the
/// help lands under it), pinging nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abuse_help_as_a_reply_answers_the_message_replied_to() {
    use matrix_sdk::ruma::events::relation::Reply;
    use matrix_sdk::ruma::events::room::message::Relation as Rel;
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut moderator = TestUser::new(synapse, "mod").await;
    let target = TestUser::new(synapse, "target").await;
    let room = group_room(&moderator, &bot, &target).await;
    let theirs = target
        .client
        .get_room(room.room_id())
        .expect("the target's view of the room");
    let worried = target.say(&theirs, "someone keeps posting about me").await;
    let mut content = RoomMessageEventContent::text_plain("!abuse-help");
    content.relates_to = Some(Rel::Reply(Reply::with_event_id(worried.clone())));
    room.send(content).await.expect("send the reply");
    let (_, reply) = moderator
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("the bot answers");
    assert_eq!(
        replied_to(&reply),
        Some(worried),
        "under the message replied to"
    );
    assert!(html(&reply).0.contains("999"), "{}", html(&reply).0);
    let mentions = reply.content.mentions.as_ref().expect("m.mentions present");
    assert!(
        mentions.user_ids.is_empty() && !mentions.room,
        "pings nobody"
    );
    running.stop().await;
}

/// Whether `id` in `room` has been redacted, as the homeserver now serves it.
pub(crate) async fn is_redacted(room: &matrix_sdk::Room, id: &matrix_sdk::ruma::EventId) -> bool {
    let event = room.event(id, None).await.expect("the event");
    let json: serde_json::Value =
        serde_json::from_str(event.raw().json().get()).expect("event JSON");
    json["unsigned"]["redacted_because"].is_object()
}

/// A ❌ reaction from the person who asked removes the bot's answer; the same reaction from
/// someone else (not a moderator) leaves an answer alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_from_the_asker_removes_the_answer() {
    use matrix_sdk::ruma::events::reaction::ReactionEventContent;
    use matrix_sdk::ruma::events::relation::Annotation;
    let synapse = shared();
    let bot = BotAccount::new(synapse);
    let running = bot.start().await;
    let mut asker = TestUser::new(synapse, "asker").await;
    let other = TestUser::new(synapse, "other").await;
    let room = group_room(&asker, &bot, &other).await;
    let cross = |id: &matrix_sdk::ruma::OwnedEventId| {
        ReactionEventContent::new(Annotation::new(id.clone(), "❌".to_string()))
    };

    asker.say(&room, "!tips").await;
    let (_, first) = asker
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("an answer");
    asker.say(&room, "!about").await;
    let (_, second) = asker
        .next_from(&bot.user_id, WAIT)
        .await
        .expect("an answer");
    let theirs = other
        .client
        .get_room(room.room_id())
        .expect("the other member's view");
    theirs.send(cross(&first.event_id)).await.expect("react");
    room.send(cross(&second.event_id)).await.expect("react");

    let deadline = tokio::time::Instant::now() + WAIT;
    while !is_redacted(&room, &second.event_id).await {
        assert!(tokio::time::Instant::now() < deadline, "never removed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Reactions are handled in timeline order: the other member's came first and was refused.
    assert!(!is_redacted(&room, &first.event_id).await);
    running.stop().await;
}
