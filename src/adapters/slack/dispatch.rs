//! What the adapter does with a slash command or an event, whichever way it arrived (signed
//! HTTP or Socket Mode), so both transports behave the same.

use std::sync::Arc;
use std::time::Duration;

use crate::adapters::seen::SeenIds;
use crate::adapters::welcome::Greeter;
use crate::adapters::Service;
use crate::bot::Signpost;
use crate::config::Welcome;
use crate::intake::{Admission, Intake};
use crate::render::slack::{self, SlackMessage};
use crate::reply::{Visibility, BUSY};

use super::commands::{self, SlashCommand};
use super::events::{self, Event};
use super::web_api::{PostMessage, WebApi};

/// Slack retries an event for about five minutes; an hour of ids leaves a wide margin.
const SEEN_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Most event ids remembered.
pub(crate) const SEEN_CAPACITY: usize = 10_000;

/// How an event reached the adapter, which decides what happens when it is busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Concurrent HTTP requests: past the intake's limits the event is refused (Slack
    /// delivers it again later).
    Http,
    /// The one Socket Mode connection: waiting for a slot slows the socket down instead.
    Socket,
}

/// What became of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handled {
    /// Answered, or not for the bot, or a repeat: acknowledge it.
    Done,
    /// Refused for now: let Slack deliver it again.
    Busy,
}

/// State shared by the HTTP routes and the Socket Mode loop.
#[derive(Debug)]
pub(crate) struct Adapter {
    /// The bot's core.
    pub core: Arc<Signpost>,
    /// Admission for answers (shared with the other adapters).
    pub intake: Arc<Intake>,
    /// The Web API client.
    pub api: WebApi,
    /// The bot's own user id (from `auth.test`).
    pub bot_user_id: String,
    /// Events already handled.
    pub seen: SeenIds,
    /// Slack user ids who may review suggestions.
    pub moderators: Vec<String>,
    /// Who asked for recent answers, for their buttons ([`super::interactive`]).
    pub answers: super::answers::Answers,
    /// Newcomers' welcomes, where configured (see `welcome`).
    pub welcomes: Option<Arc<Greeter>>,
    /// The channels whose newcomers are welcomed.
    pub welcome_channels: Vec<String>,
}

impl Adapter {
    pub fn new(
        service: Service,
        api: WebApi,
        bot_user_id: String,
        welcome: &Welcome<String>,
    ) -> Adapter {
        // Slack may deliver a retry to another replica: shared stores remember for all of them.
        let seen = SeenIds::new(
            "slack-event",
            SEEN_CAPACITY,
            SEEN_WINDOW,
            service.claims.as_ref(),
        );
        Adapter {
            welcomes: Greeter::for_service(welcome, "slack", &service),
            welcome_channels: welcome.places.clone(),
            core: service.core,
            intake: service.intake,
            api,
            bot_user_id,
            seen,
            moderators: service.moderators.slack_users.clone(),
            answers: super::answers::Answers::default(),
        }
    }

    pub(super) async fn admit(&self, source: Source) -> Option<Admission> {
        match source {
            Source::Http => self.intake.try_admit("slack").await,
            Source::Socket => self.intake.wait_admit().await,
        }
    }

    /// Answers a slash command: returns the first message for the immediate response and sends
    /// any further ones to the command's `response_url` in the background. When too busy, the
    /// answer says so, only to the person who asked.
    pub async fn slash(self: &Arc<Self>, command: &SlashCommand, source: Source) -> SlackMessage {
        let Some(admission) = self.admit(source).await else {
            return SlackMessage {
                text: BUSY.to_string(),
                blocks: Vec::new(),
                response_type: "ephemeral",
            };
        };
        let moderator = self.moderators.contains(&command.user_id);
        let mut answer = commands::answer(&self.core, command, moderator);
        let visibility = match answer.first.response_type {
            "ephemeral" => Visibility::Private,
            _ => Visibility::Public,
        };
        match answer.rest.last_mut() {
            _ if !answer.buttons => {}
            Some(last) => self.answers.add_buttons(
                std::slice::from_mut(last),
                answer.more.clone(),
                visibility,
                &command.user_id,
            ),
            None => self.answers.add_buttons(
                std::slice::from_mut(&mut answer.first),
                answer.more.clone(),
                visibility,
                &command.user_id,
            ),
        }
        if answer.rest.is_empty() {
            return answer.first;
        }
        let adapter = Arc::clone(self);
        let response_url = command.response_url.clone();
        self.intake.spawn(admission, async move {
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
        answer.first
    }

    /// Publishes the App Home tab for the person who opened it (the Messages tab needs
    /// nothing), in the background under the shared intake like any answer. Publishing is
    /// idempotent, so repeats are not deduplicated.
    async fn open_home(self: &Arc<Self>, event: &Event, source: Source) -> Handled {
        let (Some(user), Some("home")) = (event.user.clone(), event.tab.as_deref()) else {
            return Handled::Done;
        };
        let Some(admission) = self.admit(source).await else {
            return Handled::Busy;
        };
        let adapter = Arc::clone(self);
        self.intake.spawn(admission, async move {
            let view = super::home::view(&adapter.core, &user);
            let outcome = match adapter.api.publish_view(&view).await {
                Ok(()) => "published",
                Err(error) => {
                    tracing::warn!(
                        adapter = "slack",
                        "publishing the home tab failed: {}",
                        crate::errors::chain(&error)
                    );
                    "failed"
                }
            };
            tracing::info!(adapter = "slack", outcome, "home tab");
        });
        Handled::Done
    }

    /// Handles one Events API event: skips events not for the bot and repeats, and posts the
    /// answer in the background (the caller acknowledges Slack at once).
    pub async fn event(
        self: &Arc<Self>,
        event_id: Option<&str>,
        event: &Event,
        source: Source,
    ) -> Handled {
        if event.kind == "app_home_opened" {
            return self.open_home(event, source).await;
        }
        if event.kind == "member_joined_channel" {
            return self.member_joined(event_id, event);
        }
        let mut request = match events::to_request(event, &self.bot_user_id) {
            Ok(request) => request,
            Err(why) => {
                tracing::debug!(kind = %event.kind, outcome = why, "slack event ignored");
                return Handled::Done;
            }
        };
        // Admitted before it is marked as seen, so a refused event is answered on redelivery.
        let Some(admission) = self.admit(source).await else {
            return Handled::Busy;
        };
        if let Some(id) = event_id {
            if !self.seen.first_time(id) {
                self.core.metrics().repeats.inc();
                tracing::info!(outcome = "repeat ignored", "slack event");
                return Handled::Done;
            }
        }
        request.incoming.moderator = self.moderators.contains(&request.user);
        let Some(reply) = self.core.handle(&request.incoming) else {
            return Handled::Done;
        };
        // In a DM every answer is private already; in a channel a private one is ephemeral.
        let ephemeral = reply.visibility == Visibility::Private && !request.direct;
        let mut messages = slack::to_messages(&reply);
        if !request.direct && !reply.is_refusal() {
            self.answers.add_buttons(
                &mut messages,
                reply.more.as_ref().and_then(crate::reply::More::action),
                reply.visibility,
                &request.user,
            );
        }
        let adapter = Arc::clone(self);
        self.intake.spawn(admission, async move {
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
        Handled::Done
    }
}
