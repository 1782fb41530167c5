//! What the adapter does with a slash command or an event, whichever way it arrived (signed
//! HTTP or Socket Mode), so both transports behave the same.

use std::sync::Arc;

use crate::bot::Signpost;
use crate::render::slack::{self, SlackMessage};
use crate::reply::Visibility;

use super::commands::{self, SlashCommand};
use super::events::{self, Event, SeenEvents};
use super::web_api::{PostMessage, WebApi};

/// State shared by the HTTP routes and the Socket Mode loop.
#[derive(Debug)]
pub(crate) struct Adapter {
    /// The bot's core.
    pub core: Arc<Signpost>,
    /// The Web API client.
    pub api: WebApi,
    /// The bot's own user id (from `auth.test`).
    pub bot_user_id: String,
    /// Events already handled.
    pub seen: SeenEvents,
}

impl Adapter {
    /// Answers a slash command: returns the first message for the immediate response and sends
    /// any further ones to the command's `response_url` in the background.
    pub fn slash(self: &Arc<Self>, command: &SlashCommand) -> SlackMessage {
        let answer = commands::answer(&self.core, command);
        if !answer.rest.is_empty() {
            let adapter = Arc::clone(self);
            let response_url = command.response_url.clone();
            tokio::spawn(async move {
                let Some(url) = response_url else {
                    tracing::warn!(outcome = "no response_url", "slack: later messages dropped");
                    return;
                };
                for message in &answer.rest {
                    // Errors are logged by the client; stop rather than send a gappy answer.
                    if adapter.api.respond(&url, message).await.is_err() {
                        break;
                    }
                }
            });
        }
        answer.first
    }

    /// Handles one Events API event: skips repeats and events not for the bot, and posts the
    /// answer in the background (the caller acknowledges Slack at once).
    pub fn event(self: &Arc<Self>, event_id: Option<&str>, event: &Event) {
        if let Some(id) = event_id {
            if !self.seen.first_time(id) {
                tracing::info!(outcome = "repeat ignored", "slack event");
                return;
            }
        }
        let request = match events::to_request(event, &self.bot_user_id) {
            Ok(request) => request,
            Err(why) => {
                tracing::debug!(kind = %event.kind, outcome = why, "slack event ignored");
                return;
            }
        };
        let Some(reply) = self.core.handle(&request.incoming) else {
            return;
        };
        // In a DM every answer is private already; in a channel a private one is ephemeral.
        let ephemeral = reply.visibility == Visibility::Private && !request.direct;
        let messages = slack::to_messages(&reply);
        let adapter = Arc::clone(self);
        tokio::spawn(async move {
            for message in &messages {
                let mut post =
                    PostMessage::new(&request.channel, Some(&request.thread_ts), message);
                let sent = if ephemeral {
                    post.user = Some(&request.user);
                    adapter.api.post_ephemeral(&post).await
                } else {
                    adapter.api.post_message(&post).await
                };
                if sent.is_err() {
                    break;
                }
            }
        });
    }
}
