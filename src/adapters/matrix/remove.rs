//! Removing an answer: a ❌ reaction to one of the bot's answers, from the person who asked or
//! a moderator (see [`super::Adapter::moderates`]), redacts it. Matrix has no buttons; a
//! reaction is the gesture clients offer on any message.
//!
//! Only answers this process sent are known (who asked is remembered for a day, bounded), so a
//! reaction to an older answer, or to anything else, does nothing. Which reactions ask for
//! removal, and the reason given, are shared with appservice mode.

use std::time::Duration;

use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::OwnedEventId;
use matrix_sdk::Room;

use super::Adapter;
use crate::adapters::recent::RecentMap;

/// Reactions that ask for removal (with and without the emoji variation selector).
const REMOVE: &[&str] = &["❌", "❌\u{FE0F}", "✖", "✖\u{FE0F}"];

/// Whether a reaction with this key asks for the answer's removal.
pub(super) fn asks_removal(key: &str) -> bool {
    REMOVE.contains(&key)
}

/// How many answers' askers are remembered, and for how long.
pub(super) const ANSWERS_REMEMBERED: usize = 10_000;
pub(super) const ANSWERS_REMEMBERED_FOR: Duration = Duration::from_secs(24 * 3_600);

/// The reason given with the redaction (shown by clients as "message deleted: …").
pub(super) const REASON: &str = "removed by the person who asked, or a moderator";

/// Notes in `owners` that the bot's messages `sent` answer `asker` (both modes keep one such map).
pub(super) fn note_answer(owners: &RecentMap<String>, sent: &[OwnedEventId], asker: &str) {
    for id in sent {
        owners.insert_new(id.as_str(), asker.to_string());
    }
}

impl Adapter {
    /// Redacts the answer a ❌ reaction points at, when the person reacting may remove it.
    pub(super) async fn on_reaction(&self, event: OriginalSyncReactionEvent, room: Room) {
        if !self.live.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let annotation = &event.content.relates_to;
        if !asks_removal(&annotation.key) {
            return;
        }
        let target = &annotation.event_id;
        let Some(asker) = self.answer_owners.get(target.as_str()) else {
            return;
        };
        let allowed = asker == event.sender.as_str() || self.moderates(&room, &event.sender).await;
        let outcome = if !allowed {
            "refused"
        } else {
            match room.redact(target, Some(REASON), None).await {
                Ok(_) => "removed",
                Err(e) => {
                    tracing::warn!(adapter = "matrix", "removing an answer failed: {e}");
                    "failed"
                }
            }
        };
        tracing::info!(adapter = "matrix", outcome, "remove");
    }
}
