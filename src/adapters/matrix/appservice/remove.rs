//! Removing an answer in appservice mode, as in client mode ([`super::super::remove`]): a ❌
//! reaction to one of this process's answers, from the person who asked or a moderator, redacts
//! it. Who asked is remembered per answer for a day (bounded), so reactions to older answers, or
//! to anything else, do nothing and cost no homeserver call.

use std::sync::Arc;

use matrix_sdk::ruma::api::client::redact::redact_event;
use matrix_sdk::ruma::events::reaction::OriginalReactionEvent;
use matrix_sdk::ruma::TransactionId;

use super::super::remove::{asks_removal, REASON};
use super::endpoint::Taken;
use super::{Appservice, ADAPTER};

impl Appservice {
    /// A reaction: when it is a ❌ to a known answer, checks who reacted and redacts the answer
    /// after the transaction is answered (the moderator check and the redaction call the
    /// homeserver).
    pub(super) async fn on_reaction(self: &Arc<Self>, event: OriginalReactionEvent) -> Taken {
        let annotation = &event.content.relates_to;
        if !asks_removal(&annotation.key) {
            return Taken::All;
        }
        let Some(asker) = self.answer_owners.get(annotation.event_id.as_str()) else {
            return Taken::All;
        };
        if !self.answered.first_time(event.event_id.as_str()) {
            return Taken::All;
        }
        let Some(admission) = self.service.intake.wait_admit().await else {
            return Taken::Stopping;
        };
        let this = Arc::clone(self);
        self.service.intake.spawn(admission, async move {
            let room = &event.room_id;
            let allowed =
                asker == event.sender.as_str() || this.moderates(room, &event.sender).await;
            let outcome = if !allowed {
                "refused"
            } else {
                let target = event.content.relates_to.event_id.clone();
                let mut request =
                    redact_event::v3::Request::new(room.clone(), target, TransactionId::new());
                request.reason = Some(REASON.to_string());
                match this.homeserver.call(request).await {
                    Ok(_) => "removed",
                    Err(e) => {
                        tracing::warn!(adapter = ADAPTER, "removing an answer failed: {e}");
                        "failed"
                    }
                }
            };
            tracing::info!(adapter = ADAPTER, outcome, "remove");
        });
        Taken::All
    }
}
