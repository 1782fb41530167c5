//! Welcoming newcomers to `matrix.welcome_rooms`: a join (`m.room.member` becoming `join`, not
//! a profile change) gets a short `m.notice` welcome that mentions only the newcomers it names
//! (intentional mentions, `m.mentions.user_ids`). The bot's own join, joins from before the
//! bot was live in the room, and an event seen twice get nothing; join storms are limited by the
//! shared [`Greeter`]. What a join is and what the welcome says are shared with appservice mode.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use matrix_sdk::ruma::events::room::member::{MembershipChange, OriginalSyncRoomMemberEvent};
use matrix_sdk::{Client, Room};

use super::send::{send_all, Relation};
use super::Adapter;
use crate::adapters::welcome::Greeter;
use crate::adapters::Service;
use crate::config::MatrixSettings;
use crate::render::defang;
use crate::render::matrix::{escape, to_contents, MatrixContent};

/// How commands are typed on Matrix, for the welcome's pointers.
const PREFIX: &str = "!";

/// The welcomes, when a room is configured for them.
pub(super) fn greeter(settings: &MatrixSettings, service: &Service) -> Option<Arc<Greeter>> {
    Greeter::for_service(&settings.welcome, "matrix", service)
}

/// Whether a membership change is someone arriving (joining, or accepting an invite), rather
/// than a profile change, a leave or an invite.
pub(super) fn is_arrival(change: &MembershipChange<'_>) -> bool {
    matches!(
        change,
        MembershipChange::Joined | MembershipChange::InvitationAccepted
    )
}

/// Listens for joins, when welcomes are on.
pub(super) fn listen(client: &Client, adapter: &Arc<Adapter>) {
    if adapter.welcomes.is_none() {
        return;
    }
    let on_member = Arc::clone(adapter);
    client.add_event_handler(move |event: OriginalSyncRoomMemberEvent, room: Room| {
        let adapter = Arc::clone(&on_member);
        async move { adapter.on_member(event, room) }
    });
}

impl Adapter {
    fn on_member(self: Arc<Self>, event: OriginalSyncRoomMemberEvent, room: Room) {
        let Some(greeter) = &self.welcomes else {
            return;
        };
        if !self
            .welcome_rooms
            .iter()
            .any(|r| r == room.room_id().as_str())
        {
            return;
        }
        if !is_arrival(&event.membership_change()) {
            return;
        }
        if event.state_key == self.user_id {
            greeter.bot();
            return;
        }
        // A join in the catch-up sync, or in a room's first sync after the bot joined it, is
        // history.
        let known = self
            .known_rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(room.room_id());
        if !self.live.load(Ordering::SeqCst) || !known {
            return;
        }
        if !self.answered.first_time(event.event_id.as_str()) {
            return;
        }
        let place = room.room_id().to_string();
        greeter.join(&place, event.state_key.as_str(), move |people| async move {
            let content = welcome(&people);
            match send_all(&room, &[content], &Relation::None).await {
                Ok(_) => true,
                Err(error) => {
                    tracing::warn!(adapter = "matrix", "welcome failed: {error}");
                    false
                }
            }
        });
    }
}

/// The core's welcome as one `m.notice`, opening with the newcomers as pills and mentioning
/// exactly them.
pub(super) fn welcome(people: &[String]) -> MatrixContent {
    let reply = crate::welcome::reply(PREFIX);
    let mut content = to_contents(&reply).swap_remove(0);
    let pills: Vec<String> = people
        .iter()
        .map(|id| {
            let id = escape(id);
            format!("<a href=\"https://matrix.to/#/{id}\">{id}</a>")
        })
        .collect();
    let names: Vec<String> = people.iter().map(|id| defang(id)).collect();
    content.body = format!("{}\n{}", names.join(" "), content.body);
    content.formatted_body = format!("<p>{}</p>\n{}", pills.join(" "), content.formatted_body);
    content.mentions.user_ids = people.to_vec();
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The welcome mentions exactly its newcomers, as escaped pills, and points to `!guidance`.
    #[test]
    fn the_welcome_mentions_only_the_newcomers() {
        let people = vec![
            "@a:example.org".to_string(),
            "@b\"<x>:example.org".to_string(),
        ];
        let content = welcome(&people);
        assert_eq!(content.mentions.user_ids, people);
        assert_eq!(content.msgtype, "m.notice");
        assert!(
            content.body.starts_with("@a:example.org"),
            "{}",
            content.body
        );
        assert!(content.body.contains("!guidance"), "{}", content.body);
        assert!(
            !content.formatted_body.contains("<x>"),
            "{}",
            content.formatted_body
        );
        assert!(content
            .formatted_body
            .contains("<a href=\"https://matrix.to/#/@a:example.org\">"));
    }
}
