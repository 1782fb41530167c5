//! Message shortcuts: the table's message actions ([`MESSAGE_ACTIONS`]) as Slack shortcuts on a
//! message ("More actions" → "Send abuse help"), delivered as `message_action` payloads to the
//! interactivity route (or as Socket Mode `interactive` envelopes).
//!
//! A moderator (`slack.moderators`) gets the action's answer posted in the message's thread,
//! naming no one, and a private (ephemeral) confirmation; anyone else gets a private refusal.
//! What the message says is never read: only where it is.
//!
//! The shortcut is declared in the app's manifest with the table's callback id, e.g.
//! `shortcuts: [{name: "Send abuse help", type: message, callback_id: send_abuse_help,
//! description: …}]` (see the README).
//!
//! [`MESSAGE_ACTIONS`]: crate::command::table::MESSAGE_ACTIONS

use std::sync::Arc;

use serde::Deserialize;

use super::commands::UMBRELLA_PREFIX;
use super::dispatch::{Adapter, Handled, Source};
use super::web_api::PostMessage;
use crate::command::table::{self, MessageAction};
use crate::line;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::slack::{self, SlackMessage};
use crate::reply::{Reply, Visibility};

/// The payload type of a message shortcut.
pub const MESSAGE_ACTION: &str = "message_action";

const REFUSED: &str = "Only Signpost's moderators (slack.moderators) can send abuse help to \
    someone's message.";
const POSTED: &str = "Abuse help is posted in that message's thread, naming no one.";
const FAILED: &str = "I couldn't post in that channel (is Signpost in it?). Nothing was sent.";

/// An id object (`{"id": "U…"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Id {
    /// The id.
    pub id: String,
}

/// Where the message is: its timestamp, and its thread when it is a reply. Its text is not
/// read.
#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    /// The message's timestamp (its id).
    pub ts: String,
    /// The thread it is in, if any.
    #[serde(default)]
    pub thread_ts: Option<String>,
}

/// The fields of a `message_action` payload the adapter reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Shortcut {
    /// `message_action` (other interactive payloads are not shortcuts).
    #[serde(rename = "type")]
    pub kind: String,
    /// Which shortcut: a message action's callback id.
    #[serde(default)]
    pub callback_id: String,
    /// Who used it.
    pub user: Id,
    /// Where the message is.
    pub channel: Id,
    /// The workspace: its community.
    #[serde(default)]
    pub team: Option<Id>,
    /// The message.
    pub message: Target,
}

impl Shortcut {
    /// A message shortcut from an interactive payload (JSON); `None` for any other payload.
    pub fn from_json(payload: &serde_json::Value) -> Option<Shortcut> {
        (payload.get("type")?.as_str()? == MESSAGE_ACTION)
            .then(|| Shortcut::deserialize(payload).ok())
            .flatten()
    }

    /// A message shortcut from the interactivity route's form body (`payload=<json>`).
    pub fn from_form(body: &[u8]) -> Option<Shortcut> {
        #[derive(Deserialize)]
        struct Form {
            payload: String,
        }
        let form: Form = serde_urlencoded::from_bytes(body).ok()?;
        Shortcut::from_json(&serde_json::from_str(&form.payload).ok()?)
    }

    /// The thread the answer goes in: the message's own, or a new one under it.
    fn thread(&self) -> &str {
        self.message
            .thread_ts
            .as_deref()
            .unwrap_or(&self.message.ts)
    }
}

/// A short private message.
fn notice(text: &str) -> Vec<SlackMessage> {
    let mut reply = Reply::titled("Signpost");
    reply.intro.push(line![text]);
    reply.visibility = Visibility::Private;
    slack::to_messages(&reply)
}

impl Adapter {
    /// Answers a message shortcut in the background (Slack wants its 200 within 3 s).
    pub(crate) async fn message_action(
        self: &Arc<Self>,
        shortcut: &Shortcut,
        source: Source,
    ) -> Handled {
        let Some(action) = table::message_action(&shortcut.callback_id) else {
            tracing::debug!(outcome = "unknown shortcut", "slack shortcut");
            return Handled::Done;
        };
        let Some(admission) = self.admit(source).await else {
            return Handled::Busy;
        };
        let adapter = Arc::clone(self);
        let shortcut = shortcut.clone();
        self.intake.spawn(admission, async move {
            let outcome = adapter.run_action(action, &shortcut).await;
            tracing::info!(
                adapter = "slack",
                action = action.callback_id,
                outcome,
                "message shortcut"
            );
        });
        Handled::Done
    }

    async fn run_action(&self, action: &MessageAction, shortcut: &Shortcut) -> &'static str {
        let (channel, user) = (shortcut.channel.id.as_str(), shortcut.user.id.as_str());
        if !self.moderators.iter().any(|m| m == user) {
            self.tell(channel, user, shortcut.thread(), REFUSED).await;
            return "refused";
        }
        let incoming = Incoming {
            text: action.command.to_string(),
            origin: Origin::Slack,
            addressed: true,
            from_bot: false,
            command_prefix: Some(UMBRELLA_PREFIX),
            sender: Some(Sender::new(user, channel)),
            interaction: true,
            moderator: true,
            community: shortcut
                .team
                .as_ref()
                .and_then(|t| Origin::Slack.community(&t.id)),
        };
        let Some(mut reply) = self.core.handle(&incoming) else {
            return "no answer";
        };
        reply.visibility = Visibility::Public;
        for message in &slack::to_messages(&reply) {
            let post = PostMessage::new(channel, Some(shortcut.thread()), message);
            if self.api.post_message(&post).await.is_err() {
                self.tell(channel, user, shortcut.thread(), FAILED).await;
                return "failed";
            }
        }
        self.tell(channel, user, shortcut.thread(), POSTED).await;
        "posted"
    }

    /// Tells `user` alone, in `thread`.
    async fn tell(&self, channel: &str, user: &str, thread: &str, text: &str) {
        for message in &notice(text) {
            let mut post = PostMessage::new(channel, Some(thread), message);
            post.user = Some(user);
            // Errors are logged by the client.
            let _ = self.api.post_ephemeral(&post).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form-encoded `message_action` is read; other interactive payloads are not shortcuts.
    #[test]
    fn payloads_are_read() {
        let payload = serde_json::json!({
            "type": "message_action", "callback_id": "send_abuse_help",
            "user": {"id": "U1"}, "channel": {"id": "C1"},
            "message": {"ts": "1.2", "thread_ts": "1.0", "text": "ignored"}
        });
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).unwrap();
        let shortcut = Shortcut::from_form(body.as_bytes()).expect("a shortcut");
        assert_eq!(
            (shortcut.callback_id.as_str(), shortcut.thread()),
            ("send_abuse_help", "1.0")
        );
        let other = serde_json::json!({"type": "block_actions", "user": {"id": "U1"}});
        assert!(Shortcut::from_json(&other).is_none());
        assert!(Shortcut::from_form(b"payload=not-json").is_none());
    }
}
