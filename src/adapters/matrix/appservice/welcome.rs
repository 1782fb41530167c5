//! Welcomes in appservice mode: a newcomer arriving in one of `matrix.welcome_rooms` gets client
//! mode's welcome (an `m.notice` mentioning only the people it names, see
//! [`super::super::welcome`]), within the shared [`Greeter`]'s limits, which replicas sharing a
//! store also share. The bot's own join is counted as a bot's; a join older than [`HISTORY`]
//! when pushed (held while the bot was unreachable) and a join pushed twice get nothing.

use std::sync::Arc;

use matrix_sdk::ruma::events::room::member::OriginalRoomMemberEvent;

use super::super::send::Relation;
use super::super::welcome::{is_arrival, welcome};
use super::events::{age, is_history};
use super::{Appservice, ADAPTER};

#[cfg(doc)]
use {super::HISTORY, crate::adapters::welcome::Greeter};

impl Appservice {
    /// Welcomes the person a membership event brings into a welcome room, if it does.
    pub(super) fn on_arrival(self: &Arc<Self>, event: &OriginalRoomMemberEvent) {
        let Some(greeter) = &self.welcomes else {
            return;
        };
        let room = event.room_id.as_str();
        if !self.settings.welcome.places.iter().any(|r| r == room)
            || !is_arrival(&event.membership_change())
        {
            return;
        }
        if event.state_key == self.user_id {
            greeter.bot();
            return;
        }
        if is_history(age(event.unsigned.age)) || !self.answered.first_time(event.event_id.as_str())
        {
            return;
        }
        let this = Arc::clone(self);
        let target = event.room_id.clone();
        greeter.join(room, event.state_key.as_str(), move |people| async move {
            let content = welcome(&people);
            match this
                .send_contents(&target, &[content], &Relation::None)
                .await
            {
                Ok(_) => true,
                Err(e) => {
                    tracing::warn!(adapter = ADAPTER, "welcome failed: {e}");
                    false
                }
            }
        });
    }
}
