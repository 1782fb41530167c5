//! Interactivity: `block_actions` from a menu pick or a button press, posted to
//! `/slack/interactions` (form field `payload`) or sent as an `interactive` Socket Mode
//! envelope, and the answers, which go to the payload's `response_url` (or, from the App Home
//! tab, which has none, to the person's direct messages with `chat.postMessage`).
//!
//! | Action | Answer |
//! |---|---|
//! | a profession or nation pick, by the asker (or from a private message) | the message is replaced: the next menu, then the answer |
//! | the same pick, by anyone else | a private message to them |
//! | a pick on the App Home tab | the answer in their direct messages |
//! | "Only show me" | a private copy of the message's blocks |
//! | "Post to channel" (on a private answer) | a public copy, from the answer kept here |
//! | "Remove", by the asker or a moderator | `delete_original` |
//! | "Remove", by anyone else | a short private refusal |
//!
//! Slack sends the message's blocks back for public messages only, and nothing says who asked
//! for an answer, so each answer's buttons carry an answer id (a random token naming no one and
//! holding no text) and [`Answers`](super::answers::Answers) keeps, for a bounded while, who asked and the blocks of
//! private answers. An answer id that is no longer remembered gets a polite answer; a value or
//! action id of the wrong shape is refused ([`crate::action`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::action::{self, Action, ChoiceError};
use crate::command::Context;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::slack::{self as render, Block, SlackMessage};
use crate::render::slack_components::{element_action, BUTTONS_BLOCK};
use crate::reply::{Reply, Tone, Visibility};

use super::commands::UMBRELLA_PREFIX;
use super::dispatch::Adapter;
use super::web_api::PostMessage;

/// The fields of an interaction payload the adapter reads.
#[derive(Debug, Deserialize)]
pub struct Interaction {
    /// `block_actions` (others are acknowledged and ignored).
    #[serde(rename = "type")]
    pub kind: String,
    /// Who acted.
    #[serde(default)]
    pub user: Id,
    /// Where, for messages.
    #[serde(default)]
    pub channel: Option<Id>,
    /// The workspace: its community.
    #[serde(default)]
    pub team: Option<Id>,
    /// What the action was on: a message (`is_ephemeral`) or a view (the App Home).
    #[serde(default)]
    pub container: Container,
    /// Where the answer goes (absent for views).
    #[serde(default)]
    pub response_url: Option<String>,
    /// The message acted on (public messages only).
    #[serde(default)]
    pub message: Option<Posted>,
    /// The actions (Slack sends one per payload).
    #[serde(default)]
    pub actions: Vec<ActionPayload>,
}

/// An object with an id.
#[derive(Debug, Default, Deserialize)]
pub struct Id {
    /// The id.
    #[serde(default)]
    pub id: String,
}

/// Where an action happened.
#[derive(Debug, Default, Deserialize)]
pub struct Container {
    /// `message`, `view`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// True on a private message.
    #[serde(default)]
    pub is_ephemeral: bool,
}

/// A message as Slack sends it back.
#[derive(Debug, Default, Deserialize)]
pub struct Posted {
    /// The fallback text.
    #[serde(default)]
    pub text: String,
    /// The blocks, as posted.
    #[serde(default)]
    pub blocks: Vec<serde_json::Value>,
}

/// One action.
#[derive(Debug, Deserialize)]
pub struct ActionPayload {
    /// The element's `action_id`.
    pub action_id: String,
    /// A button's value.
    #[serde(default)]
    pub value: Option<String>,
    /// A select's pick.
    #[serde(default)]
    pub selected_option: Option<Selected>,
}

/// A select's picked option.
#[derive(Debug, Deserialize)]
pub struct Selected {
    /// Its value.
    pub value: String,
}

/// A message for a `response_url`: replacing, deleting or adding to the one acted on.
#[derive(Debug, Serialize)]
struct Response<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    blocks: Option<&'a [serde_json::Value]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_type: Option<&'static str>,
    replace_original: bool,
    delete_original: bool,
}

/// What to do about one action.
enum Answer {
    /// Replace the message acted on.
    Replace(SlackMessage),
    /// A new message: private to the presser, or public.
    New(SlackMessage),
    /// A private copy of the message acted on.
    Copy(Vec<serde_json::Value>, String),
    /// Delete the message acted on.
    Delete,
}

impl Adapter {
    /// Answers an interaction payload in the background (the caller acknowledges at once).
    pub(crate) fn interaction(self: &Arc<Self>, interaction: Interaction) {
        if interaction.kind != "block_actions" {
            return;
        }
        let adapter = Arc::clone(self);
        // Bounded by the shared intake like any answer; shed, the press goes unanswered and the
        // person can press again.
        let intake = Arc::clone(&self.intake);
        tokio::spawn(async move {
            let Some(admission) = intake.try_admit("slack").await else {
                return;
            };
            let _admission = admission;
            adapter.act(&interaction).await;
        });
    }

    async fn act(&self, interaction: &Interaction) {
        let Some(action) = interaction.actions.first() else {
            return;
        };
        let answer = match element_action(&action.action_id) {
            Ok(kind) => self.answer_action(interaction, action, &kind),
            Err(error) => Answer::New(refused(&error)),
        };
        let outcome = match &answer {
            Answer::Replace(_) => "updated",
            Answer::New(_) | Answer::Copy(..) => "answered",
            Answer::Delete => "removed",
        };
        self.deliver(interaction, answer).await;
        tracing::info!(adapter = "slack", outcome, "interaction");
    }

    fn presser(&self, interaction: &Interaction) -> Incoming {
        let channel = interaction.channel.as_ref().map_or("", |c| c.id.as_str());
        Incoming {
            text: String::new(),
            origin: Origin::Slack,
            addressed: true,
            from_bot: false,
            command_prefix: Some(UMBRELLA_PREFIX),
            sender: Some(Sender::new(interaction.user.id.as_str(), channel)),
            interaction: true,
            moderator: self.moderators.contains(&interaction.user.id),
            community: interaction
                .team
                .as_ref()
                .and_then(|t| Origin::Slack.community(&t.id)),
        }
    }

    /// The answer id on the message acted on, from its buttons block.
    fn answer_id(interaction: &Interaction) -> Option<String> {
        let blocks = &interaction.message.as_ref()?.blocks;
        let buttons = blocks.iter().find(|b| b["block_id"] == BUTTONS_BLOCK)?;
        buttons["elements"][0]["value"].as_str().map(str::to_string)
    }

    fn answer_action(
        &self,
        interaction: &Interaction,
        action: &ActionPayload,
        kind: &Action,
    ) -> Answer {
        match kind {
            Action::PickProfession | Action::PickNation(_) | Action::More(_) => {
                self.answer_pick(interaction, action, kind)
            }
            Action::OnlyMe => match &interaction.message {
                Some(message) => {
                    let blocks = message
                        .blocks
                        .iter()
                        .filter(|b| b["type"] != "actions")
                        .cloned()
                        .collect();
                    Answer::Copy(blocks, message.text.clone())
                }
                None => Answer::New(private(action::ANSWER_GONE)),
            },
            Action::PostToChannel | Action::Remove => {
                let Some(id) = action.value.as_deref().filter(|v| is_answer_id(v)) else {
                    return Answer::New(refused(&ChoiceError::Forged));
                };
                self.answer_button(interaction, id, kind)
            }
        }
    }

    /// A pick from a menu: the next menu or the command's answer, in place where the menu was
    /// the presser's own.
    fn answer_pick(
        &self,
        interaction: &Interaction,
        action: &ActionPayload,
        kind: &Action,
    ) -> Answer {
        let presser = interaction.user.id.as_str();
        // A button carries its meaning in its id; a select, in the option picked.
        let value = match kind {
            Action::More(_) => Some(""),
            _ => action.selected_option.as_ref().map(|o| o.value.as_str()),
        };
        let Some(value) = value else {
            return Answer::New(refused(&ChoiceError::Forged));
        };
        let Some(mut reply) = self.core.pick(&self.presser(interaction), kind, value) else {
            return Answer::New(private(action::ANSWER_GONE));
        };
        // The asker's own menu changes in place; a private message is only ever the
        // presser's. Anyone else's pick from a public menu answers them privately.
        let asked = Self::answer_id(interaction)
            .and_then(|id| self.answers.get(&id))
            .is_some_and(|kept| kept.asker == presser);
        let own = interaction.container.is_ephemeral || asked;
        let in_place = own && interaction.container.kind == "message";
        if !in_place {
            reply.visibility = Visibility::Private;
        }
        let visibility = if interaction.container.is_ephemeral {
            Visibility::Private
        } else {
            reply.visibility
        };
        let mut messages = render::to_messages(&reply);
        // From the App Home the answer goes to a direct message: nothing to copy there;
        // and a private refusal is nothing to share.
        let shareable = reply.tone == Tone::Answer || visibility == Visibility::Public;
        if interaction.container.kind != "view" && shareable {
            let more = reply.more.as_ref().and_then(crate::reply::More::action);
            self.answers
                .add_buttons(&mut messages, more, visibility, presser);
        }
        let first = messages.into_iter().next().unwrap_or_else(|| private(""));
        if in_place {
            Answer::Replace(first)
        } else {
            Answer::New(first)
        }
    }

    /// "Post to channel" or "Remove" on the answer `id`: only its asker or a moderator removes
    /// it; a public copy needs the private answer still kept.
    fn answer_button(&self, interaction: &Interaction, id: &str, kind: &Action) -> Answer {
        let presser = interaction.user.id.as_str();
        let kept = self.answers.get(id);
        if *kind == Action::Remove {
            let moderator = self.moderators.contains(&interaction.user.id);
            return match kept {
                _ if moderator => Answer::Delete,
                Some(k) if k.asker == presser => Answer::Delete,
                Some(_) => Answer::New(private(action::NOT_YOURS)),
                None => Answer::New(private(action::ASKER_UNKNOWN)),
            };
        }
        match kept.and_then(|k| k.message) {
            Some(message) => {
                let mut copy = vec![SlackMessage {
                    blocks: message
                        .blocks
                        .iter()
                        .filter(|b| !matches!(b, Block::Actions { .. }))
                        .cloned()
                        .collect(),
                    response_type: "in_channel",
                    ..(*message).clone()
                }];
                self.answers
                    .add_buttons(&mut copy, None, Visibility::Public, presser);
                Answer::New(copy.remove(0))
            }
            None => Answer::New(private(action::ANSWER_GONE)),
        }
    }

    async fn deliver(&self, interaction: &Interaction, answer: Answer) {
        let Some(url) = interaction.response_url.as_deref() else {
            // The App Home tab: answers go to the person's direct messages with the app.
            let message = match answer {
                Answer::Replace(m) | Answer::New(m) => m,
                Answer::Copy(..) | Answer::Delete => return,
            };
            let user = interaction.user.id.as_str();
            let _ = self
                .api
                .post_message(&PostMessage::new(user, None, &message))
                .await;
            return;
        };
        let result = match &answer {
            Answer::Replace(message) => self.api.respond(url, &with(message, true)).await,
            Answer::New(message) => self.api.respond(url, &with(message, false)).await,
            Answer::Copy(blocks, text) => {
                let response = Response {
                    text: Some(text),
                    blocks: Some(blocks),
                    response_type: Some("ephemeral"),
                    replace_original: false,
                    delete_original: false,
                };
                self.api.respond(url, &response).await
            }
            Answer::Delete => {
                let response = Response {
                    text: None,
                    blocks: None,
                    response_type: None,
                    replace_original: false,
                    delete_original: true,
                };
                self.api.respond(url, &response).await
            }
        };
        // Failures are logged by the client.
        drop(result);
    }
}

/// A message for a `response_url`, replacing the one acted on or not.
fn with(message: &SlackMessage, replace: bool) -> serde_json::Value {
    let mut value = serde_json::to_value(message).expect("messages serialize");
    value["replace_original"] = replace.into();
    value
}

/// Whether `value` has the shape of an answer id this adapter makes.
fn is_answer_id(value: &str) -> bool {
    value.len() <= 32 && value.starts_with('a') && value[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn private(text: &str) -> SlackMessage {
    SlackMessage {
        text: render::escape(text),
        blocks: Vec::new(),
        response_type: "ephemeral",
    }
}

fn refused(error: &ChoiceError) -> SlackMessage {
    let ctx = Context::new(UMBRELLA_PREFIX, Origin::Slack);
    let reply: Reply = crate::command::guidance::refused(error, &ctx);
    let mut message = render::to_messages(&reply).remove(0);
    message.response_type = "ephemeral";
    message
}
