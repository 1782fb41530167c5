//! What a component interaction (type 3, MESSAGE_COMPONENT: a pick from a select, a press of a
//! button) is answered with, the same over the gateway and over the HTTP endpoint.
//!
//! | Component | Answer |
//! |---|---|
//! | profession or nation select, by the person who asked | the message is updated in place (type 7): the next menu, then the answer |
//! | the same select, by anyone else | a new private message (type 4, ephemeral) with the next step |
//! | "Only show me" | a private copy of the message (type 4, ephemeral) |
//! | "Post to channel" (on a private answer) | a public copy, with the public answer's buttons |
//! | "Remove", by the asker or a moderator | acknowledged (type 6), then the message is deleted |
//! | "Remove", by anyone else | a short private refusal |
//!
//! A pick by the asker updates their message rather than adding one, so choosing a profession
//! and then a nation stays one message in the channel instead of three; someone else picking
//! from a public menu must not rewrite the asker's message, so they get their own answer.
//!
//! Who asked is never read from the component id: Discord sends the message the component is
//! on, and with it who ran the command that made it (`interaction_metadata.user`, or the older
//! `interaction.user`) or, for an answer to a typed command, the message it replies to
//! (`referenced_message.author`). That keeps both paths stateless, so HTTP replicas agree. Ids
//! are checked on return ([`crate::action`]): a refused one gets a private one-liner.

use serenity::all::{
    ComponentInteraction, ComponentInteractionDataKind, Message, MessageFlags,
    MessageInteractionMetadata, UserId,
};

use super::answer::{is_moderator, plain};
use crate::action::{self, Action, ChoiceError};
use crate::bot::Signpost;
use crate::command::Context;
use crate::config::Moderators;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::discord::{
    self, add_buttons, AllowedMentions, DiscordMessage, Embed, ANSWER_COLOUR, EPHEMERAL,
};
use crate::render::discord_components::select_action;
use crate::reply::{Tone, Visibility};

/// Interaction callback types.
pub const CHANNEL_MESSAGE: u8 = 4;
/// Acknowledge a component without changing its message yet.
pub const DEFERRED_UPDATE: u8 = 6;
/// Replace the message the component is on.
pub const UPDATE_MESSAGE: u8 = 7;

/// What to answer a component interaction with.
#[derive(Debug, Clone, PartialEq)]
pub enum ComponentAnswer {
    /// A callback of `kind` (4 or 7) with the first message; the rest as follow-ups.
    Messages {
        /// [`CHANNEL_MESSAGE`] or [`UPDATE_MESSAGE`].
        kind: u8,
        /// The messages, at least one.
        messages: Vec<DiscordMessage>,
    },
    /// Acknowledge ([`DEFERRED_UPDATE`]), then delete the message the component is on.
    Delete,
}

impl ComponentAnswer {
    fn private(text: &str) -> ComponentAnswer {
        ComponentAnswer::Messages {
            kind: CHANNEL_MESSAGE,
            messages: vec![plain(text, Some(EPHEMERAL))],
        }
    }

    /// What the log calls it.
    pub fn outcome(&self) -> &'static str {
        match self {
            ComponentAnswer::Messages {
                kind: UPDATE_MESSAGE,
                ..
            } => "updated",
            ComponentAnswer::Messages { .. } => "answered",
            ComponentAnswer::Delete => "removed",
        }
    }
}

/// Who asked for the answer `message` is, as Discord reports it.
pub fn asker(message: &Message) -> Option<UserId> {
    let from_metadata = message
        .interaction_metadata
        .as_deref()
        .and_then(|m| match m {
            MessageInteractionMetadata::Command(c) => Some(c.user.id),
            MessageInteractionMetadata::Component(c) => Some(c.user.id),
            MessageInteractionMetadata::ModalSubmit(c) => Some(c.user.id),
            _ => None,
        });
    #[allow(deprecated)]
    let from_interaction = message.interaction.as_ref().map(|i| i.user.id);
    from_metadata
        .or(from_interaction)
        .or_else(|| message.referenced_message.as_ref().map(|m| m.author.id))
}

fn ephemeral(message: &Message) -> bool {
    message
        .flags
        .is_some_and(|f| f.contains(MessageFlags::EPHEMERAL))
}

/// The message the component is on, as a message body of ours again (without its components).
fn copy(message: &Message, flags: Option<u64>) -> Option<DiscordMessage> {
    let embeds: Vec<Embed> = message
        .embeds
        .iter()
        .map(|e| Embed {
            title: e.title.clone(),
            description: e.description.clone().unwrap_or_default(),
            color: e.colour.map_or(ANSWER_COLOUR, |c| c.0),
        })
        .collect();
    if message.content.is_empty() && embeds.is_empty() {
        return None;
    }
    Some(DiscordMessage {
        content: message.content.clone(),
        embeds,
        allowed_mentions: AllowedMentions::default(),
        flags,
        components: Vec::new(),
    })
}

/// The presser as a message for the core (its text is set by the pick).
fn presser(moderators: &Moderators, interaction: &ComponentInteraction) -> Incoming {
    Incoming {
        text: String::new(),
        origin: Origin::Discord,
        addressed: true,
        from_bot: interaction.user.bot,
        command_prefix: Some("/"),
        sender: Some(Sender::new(
            interaction.user.id.to_string(),
            interaction.channel_id.to_string(),
        )),
        interaction: true,
        moderator: moderates(moderators, interaction),
        community: interaction
            .guild_id
            .and_then(|g| Origin::Discord.community(&g.to_string())),
    }
}

fn moderates(moderators: &Moderators, interaction: &ComponentInteraction) -> bool {
    interaction.member.as_ref().is_some_and(|m| {
        let guild = interaction.guild_id.map(|g| g.get());
        is_moderator(moderators, guild, &m.roles, m.permissions)
    })
}

/// The answer to a component interaction.
pub fn answer(
    core: &Signpost,
    moderators: &Moderators,
    interaction: &ComponentInteraction,
) -> ComponentAnswer {
    let message = &interaction.message;
    let action = match select_action(&interaction.data.custom_id) {
        Ok(action) => action,
        Err(error) => return refused(&error),
    };
    let is_asker = asker(message) == Some(interaction.user.id);
    match action {
        Action::PickProfession | Action::PickNation(_) => {
            let value = match &interaction.data.kind {
                ComponentInteractionDataKind::StringSelect { values } => values.first(),
                _ => None,
            };
            let Some(value) = value else {
                return refused(&ChoiceError::Forged);
            };
            pick(core, moderators, interaction, &action, value, is_asker)
        }
        // "More" answers like a pick: the asker's short answer grows in place.
        Action::More(_) => pick(core, moderators, interaction, &action, "", is_asker),
        Action::OnlyMe => match copy(message, Some(EPHEMERAL)) {
            Some(copy) => ComponentAnswer::Messages {
                kind: CHANNEL_MESSAGE,
                messages: vec![copy],
            },
            None => ComponentAnswer::private(action::ANSWER_GONE),
        },
        Action::PostToChannel => match copy(message, None) {
            Some(copy) => {
                let mut messages = vec![copy];
                add_buttons(
                    &mut messages,
                    &crate::reply::answer_buttons(Visibility::Public, true),
                );
                ComponentAnswer::Messages {
                    kind: CHANNEL_MESSAGE,
                    messages,
                }
            }
            None => ComponentAnswer::private(action::ANSWER_GONE),
        },
        Action::Remove => {
            if is_asker || moderates(moderators, interaction) {
                ComponentAnswer::Delete
            } else if asker(message).is_none() {
                ComponentAnswer::private(action::ASKER_UNKNOWN)
            } else {
                ComponentAnswer::private(action::NOT_YOURS)
            }
        }
    }
}

fn refused(error: &ChoiceError) -> ComponentAnswer {
    let ctx = Context::new("/", Origin::Discord);
    let mut messages = discord::to_messages(&crate::command::guidance::refused(error, &ctx));
    for m in &mut messages {
        m.flags = Some(EPHEMERAL);
    }
    ComponentAnswer::Messages {
        kind: CHANNEL_MESSAGE,
        messages,
    }
}

/// A pick from a menu: the asker's message changes in place, anyone else gets a private answer.
fn pick(
    core: &Signpost,
    moderators: &Moderators,
    interaction: &ComponentInteraction,
    action: &Action,
    value: &str,
    is_asker: bool,
) -> ComponentAnswer {
    let Some(mut reply) = core.pick(&presser(moderators, interaction), action, value) else {
        return ComponentAnswer::private(action::ANSWER_GONE);
    };
    let in_place = is_asker && reply.visibility == Visibility::Public;
    if in_place {
        // An update keeps the message's own visibility, so its buttons follow that.
        let private = ephemeral(&interaction.message);
        let mut messages = discord::to_messages(&reply);
        let visibility = if private {
            Visibility::Private
        } else {
            Visibility::Public
        };
        add_buttons(
            &mut messages,
            &crate::reply::buttons_as(&reply, visibility, true),
        );
        // The update itself takes no ephemeral flag; follow-ups need it to stay private.
        for (n, m) in messages.iter_mut().enumerate() {
            m.flags = (private && n > 0).then_some(EPHEMERAL);
        }
        return ComponentAnswer::Messages {
            kind: UPDATE_MESSAGE,
            messages,
        };
    }
    reply.visibility = Visibility::Private;
    let mut messages = discord::to_messages(&reply);
    // A private refusal is nothing to share.
    if reply.tone == Tone::Answer {
        add_buttons(
            &mut messages,
            &crate::reply::buttons_as(&reply, Visibility::Private, true),
        );
    }
    ComponentAnswer::Messages {
        kind: CHANNEL_MESSAGE,
        messages,
    }
}
