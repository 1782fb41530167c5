//! What each pushed event does: an invite of the bot is accepted (from allowed inviters), a
//! message is read and answered as in client mode ([`super::super::message`]), a membership
//! change refreshes the room's member count (and may be a newcomer to welcome, [`super::welcome`]),
//! a ❌ reaction may remove an answer ([`super::remove`]), and encryption (an `m.room.encrypted` event, or
//! `m.room.encryption` state) gets one notice per room that this mode cannot read it.
//!
//! Work that talks to the homeserver runs under an admission from the shared intake, waited
//! for (back-pressure on the homeserver, which waits for the transaction's answer before it
//! sends the next): nothing is shed, and the transaction is answered once all of it is taken,
//! before any of it has called the homeserver (room lookups included), so a slow homeserver
//! or one busy room never delays the next transaction by more than the intake's room.
//!
//! History: the homeserver pushes events as they happen, but holds them while the bot is
//! unreachable and sends them all when it is back. Like client mode after a restart, the bot
//! does not answer those: a message older than [`HISTORY`] when it arrives is not answered.
//! Its age is the homeserver's own (`unsigned.age`), so the two clocks are never compared.

use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::ruma::api::client::membership::join_room_by_id;
use matrix_sdk::ruma::api::client::message::send_message_event;
use matrix_sdk::ruma::events::room::member::{MembershipState, OriginalRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use matrix_sdk::ruma::events::{
    AnyMessageLikeEvent, AnyStateEvent, AnyTimelineEvent, MessageLikeEvent, MessageLikeEventType,
    StateEvent,
};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{EventId, OwnedEventId, OwnedRoomId, RoomId, TransactionId};

use super::super::remove::note_answer;
use super::super::send::{event_content, Relation};
use super::super::text;
use super::super::{menus, message};
use super::client::CallError;
use super::endpoint::Taken;
use super::{Appservice, ADAPTER};
use crate::render::matrix::{to_contents, MatrixContent};
use crate::reply::{Reply, Visibility, SENT_PRIVATELY};

/// Messages older than this when they arrive were said while the bot was unreachable.
pub const HISTORY: Duration = Duration::from_secs(5 * 60);

/// What the bot says, once, in an encrypted room.
pub const ENCRYPTED_NOTICE: &str = "This room is end-to-end encrypted, and Signpost runs here \
     as an application service, which cannot read encrypted messages. Ask in an unencrypted \
     room, or ask whoever runs Signpost to use its client mode (matrix.mode = \"client\").";

impl Appservice {
    /// Acts on every event of a transaction, in order.
    pub(super) async fn take(self: &Arc<Self>, events: Vec<Raw<AnyTimelineEvent>>) -> Taken {
        let mut own_only = true;
        for raw in events {
            if self.is_own_message(&raw) {
                continue;
            }
            own_only = false;
            let event = match raw.deserialize() {
                Ok(event) => event,
                Err(_) => {
                    // The error is not logged: serde quotes the values it could not read.
                    tracing::debug!(adapter = ADAPTER, "event not understood");
                    continue;
                }
            };
            if let Taken::Stopping = self.on_event(event).await {
                return Taken::Stopping;
            }
        }
        if own_only {
            Taken::OwnOnly
        } else {
            Taken::All
        }
    }

    /// Whether `raw` is one of the bot's own messages, which the homeserver pushes back like any
    /// other event: nothing to do, so it is not read in full (an answer is several KB of HTML).
    fn is_own_message(&self, raw: &Raw<AnyTimelineEvent>) -> bool {
        #[derive(serde::Deserialize)]
        struct Head<'a> {
            #[serde(rename = "type", borrow)]
            kind: std::borrow::Cow<'a, str>,
            #[serde(borrow)]
            sender: std::borrow::Cow<'a, str>,
        }
        raw.deserialize_as_unchecked::<Head<'_>>()
            .is_ok_and(|head| head.kind == "m.room.message" && head.sender == self.user_id.as_str())
    }

    async fn on_event(self: &Arc<Self>, event: AnyTimelineEvent) -> Taken {
        let room = event.room_id().to_owned();
        match event {
            AnyTimelineEvent::State(AnyStateEvent::RoomMember(StateEvent::Original(member))) => {
                self.rooms.members_changed(&room);
                self.on_arrival(&member);
                self.on_member(member).await
            }
            AnyTimelineEvent::MessageLike(AnyMessageLikeEvent::Reaction(
                MessageLikeEvent::Original(reaction),
            )) => self.on_reaction(reaction).await,
            AnyTimelineEvent::State(AnyStateEvent::RoomEncryption(_))
            | AnyTimelineEvent::MessageLike(AnyMessageLikeEvent::RoomEncrypted(_)) => {
                self.say_encrypted(room).await
            }
            AnyTimelineEvent::MessageLike(AnyMessageLikeEvent::RoomMessage(
                MessageLikeEvent::Original(event),
            )) => self.on_message(room, event.into()).await,
            _ => Taken::All,
        }
    }

    /// An invite of the bot: join (then, in an encrypted room, say so), and remember a direct
    /// chat as one.
    async fn on_member(self: &Arc<Self>, event: OriginalRoomMemberEvent) -> Taken {
        if event.state_key != self.user_id || event.content.membership != MembershipState::Invite {
            return Taken::All;
        }
        if !text::inviter_allowed(event.sender.as_str(), &self.settings.allowed_inviters) {
            tracing::info!(adapter = ADAPTER, outcome = "invite-refused", "invite");
            return Taken::All;
        }
        let Some(admission) = self.service.intake.wait_admit().await else {
            return Taken::Stopping;
        };
        let this = Arc::clone(self);
        self.service.intake.spawn(admission, async move {
            let room = event.room_id.clone();
            let join = join_room_by_id::v3::Request::new(room.clone());
            if let Err(e) = this.homeserver.call(join).await {
                tracing::warn!(adapter = ADAPTER, "join failed: {e}");
                return;
            }
            tracing::info!(adapter = ADAPTER, outcome = "joined", "invite");
            if event.content.is_direct == Some(true) {
                let marked = this
                    .rooms
                    .mark_direct(&this.homeserver, &this.user_id, &event.sender, &room)
                    .await;
                if let Err(e) = marked {
                    tracing::warn!(adapter = ADAPTER, "cannot mark the direct chat: {e}");
                }
            }
            if this.rooms.is_encrypted(&this.homeserver, &room).await {
                this.tell_encrypted(&room).await;
            }
        });
        Taken::All
    }

    async fn say_encrypted(self: &Arc<Self>, room: OwnedRoomId) -> Taken {
        if !self.rooms.first_encrypted_notice(&room) {
            return Taken::All;
        }
        let Some(admission) = self.service.intake.wait_admit().await else {
            return Taken::Stopping;
        };
        let this = Arc::clone(self);
        self.service.intake.spawn(admission, async move {
            this.tell_encrypted_now(&room).await;
        });
        Taken::All
    }

    /// Says [`ENCRYPTED_NOTICE`] in `room`, unless it was said there before.
    async fn tell_encrypted(&self, room: &RoomId) {
        if self.rooms.first_encrypted_notice(room) {
            self.tell_encrypted_now(room).await;
        }
    }

    async fn tell_encrypted_now(&self, room: &RoomId) {
        let notice = Reply::titled(ENCRYPTED_NOTICE);
        match self.send_all(room, &notice, &Relation::None).await {
            Ok(_) => tracing::info!(adapter = ADAPTER, outcome = "encrypted-room", "notice"),
            Err(e) => tracing::warn!(adapter = ADAPTER, "encrypted-room notice failed: {e}"),
        }
    }

    async fn on_message(
        self: &Arc<Self>,
        room: OwnedRoomId,
        event: OriginalSyncRoomMessageEvent,
    ) -> Taken {
        let Some(said) = message::read(&event, &self.user_id, None) else {
            return Taken::All;
        };
        if is_history(age(event.unsigned.age)) {
            tracing::debug!(adapter = ADAPTER, outcome = "history", "message");
            return Taken::All;
        }
        let Some(admission) = self.service.intake.wait_admit().await else {
            return Taken::Stopping;
        };
        // A transaction sent again (its answer was lost) repeats events already taken.
        if !self.answered.first_time(event.event_id.as_str()) {
            return Taken::All;
        }
        // Everything that may call the homeserver runs after the transaction is answered: it
        // sends one transaction at a time, so one slow lookup here would hold every room back.
        let this = Arc::clone(self);
        self.service.intake.spawn(admission, async move {
            this.answer(said, room, event).await;
        });
        Taken::All
    }

    /// Reads a taken message as the core does and delivers its answer, if any.
    async fn answer(
        &self,
        said: message::Said,
        room: OwnedRoomId,
        event: OriginalSyncRoomMessageEvent,
    ) {
        let direct = self
            .rooms
            .is_direct(&self.homeserver, &self.user_id, &room)
            .await;
        let members = self.rooms.members(&self.homeserver, &room).await;
        let mut incoming = message::incoming(said, &event, &room, direct, members);
        let command = self.service.core.command(&incoming);
        if command.is_some_and(|spec| spec.moderators) {
            incoming.moderator = self.moderates(&room, &event.sender).await;
        }
        let answers = message::answers(command.map(|spec| spec.name), &event);
        let core = &self.service.core;
        let picked = self
            .menus
            .answer(core, room.as_str(), event.sender.as_str(), &incoming);
        let Some(mut reply) = picked.or_else(|| core.handle(&incoming)) else {
            return;
        };
        menus::how_to_pick(&mut reply);
        let target = answers.as_deref().unwrap_or(&event.event_id);
        if let Err(e) = self.deliver(&event, target, &room, &reply, direct).await {
            tracing::error!(adapter = ADAPTER, "reply failed: {e}");
        }
    }

    /// Whether `user` moderates in `room`: one of the moderator rooms, at the moderator level.
    pub(super) async fn moderates(&self, room: &RoomId, user: &matrix_sdk::ruma::UserId) -> bool {
        let moderators = &self.service.moderators;
        if !moderators.matrix_rooms.iter().any(|r| r == room.as_str()) {
            return false;
        }
        self.rooms
            .power_level(&self.homeserver, room, user)
            .await
            .is_some_and(|level| level >= moderators.matrix_power_level)
    }

    async fn deliver(
        &self,
        event: &OriginalSyncRoomMessageEvent,
        target: &EventId,
        room: &RoomId,
        reply: &Reply,
        direct: bool,
    ) -> Result<(), CallError> {
        let relation = message::relation(event, target);
        if reply.visibility == Visibility::Private && !direct {
            let dm = self
                .rooms
                .direct_chat(&self.homeserver, &self.user_id, &event.sender)
                .await?;
            self.send_all(&dm, reply, &Relation::None).await?;
            // A menu sent privately is answered by number in the direct chat.
            self.menus.offer(dm.as_str(), event.sender.as_str(), reply);
            let mut pointer = Reply::titled(SENT_PRIVATELY);
            pointer.visibility = Visibility::Public;
            self.send_all(room, &pointer, &relation).await?;
            return Ok(());
        }
        let sent = self.send_all(room, reply, &relation).await?;
        note_answer(&self.answer_owners, &sent, event.sender.as_str());
        self.menus
            .offer(room.as_str(), event.sender.as_str(), reply);
        Ok(())
    }

    /// Sends each rendered message of `reply` to `room`, in order.
    async fn send_all(
        &self,
        room: &RoomId,
        reply: &Reply,
        relation: &Relation<'_>,
    ) -> Result<Vec<OwnedEventId>, CallError> {
        let contents = self.rendered.get_or_render(reply, to_contents);
        self.send_contents(room, &contents, relation).await
    }

    /// Sends `contents` to `room`, in order; the ids of the events sent.
    pub(super) async fn send_contents(
        &self,
        room: &RoomId,
        contents: &[MatrixContent],
        relation: &Relation<'_>,
    ) -> Result<Vec<OwnedEventId>, CallError> {
        let mut sent = Vec::with_capacity(contents.len());
        for content in contents {
            let raw = event_content(content, relation);
            let request = send_message_event::v3::Request::new_raw(
                room.to_owned(),
                TransactionId::new(),
                MessageLikeEventType::RoomMessage,
                Raw::from_json(raw),
            );
            sent.push(self.homeserver.call(request).await?.event_id);
        }
        Ok(sent)
    }
}

/// An event's `unsigned.age` (milliseconds, as the homeserver counts them) as a duration.
pub(super) fn age(ms: Option<matrix_sdk::ruma::Int>) -> Option<Duration> {
    ms.map(|ms| Duration::from_millis(u64::try_from(i64::from(ms)).unwrap_or(0)))
}

/// Whether a message of homeserver-reported `age` is history: older than [`HISTORY`]. No age
/// (the homeserver did not say) is not history.
pub(super) fn is_history(age: Option<Duration>) -> bool {
    age.is_some_and(|age| age > HISTORY)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages held back past [`HISTORY`] are history; fresh ones and those without an age
    /// are not.
    #[test]
    fn history_is_by_the_homeservers_age() {
        assert!(!is_history(None));
        assert!(!is_history(Some(Duration::ZERO)));
        assert!(!is_history(Some(HISTORY)));
        assert!(is_history(Some(HISTORY + Duration::from_millis(1))));
    }
}
