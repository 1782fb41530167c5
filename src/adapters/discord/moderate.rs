//! Moderator actions on a message (the table's [`MESSAGE_ACTIONS`], registered as message
//! context-menu commands): "Send abuse help" posts the core's abuse help as a reply to the
//! message, naming and pinging nobody, and tells the moderator privately, with a button to send
//! it to the message's author by direct message instead.
//!
//! The same for both transports: the gateway handler and the HTTP endpoint each deliver the
//! [`Callback`] returned here. Posting needs the bot token (a REST call); the endpoint run
//! without one says so instead.
//!
//! What the reported message says is never read, let alone echoed: only its channel, id and
//! author's id are used. Discord offers the command to members with Manage Messages by default,
//! but a server can change that, so the invoker's permissions (sent with the interaction) are
//! checked again, for the command and for the button.
//!
//! The button's custom id is `abuse-dm:{channel}:{message}:{answer}`: ids only, no secret. It
//! is checked on return (the channel must be the interaction's, the message must still exist),
//! and a message deleted since gets a polite answer.
//!
//! [`MESSAGE_ACTIONS`]: crate::command::table::MESSAGE_ACTIONS

use serde::{Deserialize, Serialize};
use serenity::all::{
    ChannelId, CommandInteraction, ComponentInteraction, Member, MessageId, ResolvedTarget, UserId,
};
use serenity::http::{Http, LightMethod, Request, Route};

use super::send::{self, SendError};
use crate::bot::Signpost;
use crate::command::table::{self, MessageAction};
use crate::line;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::discord::{self, AllowedMentions, DiscordMessage, EPHEMERAL};
use crate::reply::{Reply, Visibility};

/// The custom id prefix of the "send privately instead" button.
pub const DM_BUTTON: &str = "abuse-dm";

/// Interaction callback type 4: a message (here always ephemeral).
const CHANNEL_MESSAGE: u8 = 4;
/// Interaction callback type 7: replace the message the button is on.
const UPDATE_MESSAGE: u8 = 7;
/// Component types: an action row, a button.
const ACTION_ROW: u8 = 1;
const BUTTON: u8 = 2;
/// Button style 2: secondary (grey).
const SECONDARY: u8 = 2;

const REFUSED: &str = "Only members with Manage Messages in this server can send abuse help \
    to someone's message.";
const UNKNOWN: &str = "That action is not available any more.";
const NO_TARGET: &str = "I couldn't see which message that was. Please try again.";
const NO_TOKEN: &str = "I can't post in channels from here: Signpost needs its bot token \
    (discord.token) where the interactions endpoint runs.";
const POST_FAILED: &str = "I couldn't post in that channel (do I have Send Messages and Read \
    Message History there?). Nothing was sent.";
const POSTED: &str = "Abuse help is posted under that message, naming and pinging nobody.";
const DM_LABEL: &str = "Send it privately to the author instead";
const STALE: &str = "That button is out of date. Use the action on the message again.";
const GONE: &str = "That message has been deleted, so there is no one to send it to.";
const BOT_AUTHOR: &str = "That message is from a bot, which gets no direct messages.";
const DM_FAILED: &str = "I couldn't send them a direct message (their DMs may be closed). The \
    answer stays under their message.";
const SENT_INSTEAD: &str = "Sent privately to the author; the answer under their message is \
    removed.";
const FOR_YOU: &str = "A moderator sent you this, in case it helps.";

/// An interaction callback body: an ephemeral notice for the moderator, possibly with the
/// button, or the update replacing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Callback {
    /// 4 (a new ephemeral message) or 7 (update the button's message).
    #[serde(rename = "type")]
    pub kind: u8,
    /// The message.
    pub data: Notice,
}

/// The moderator's private message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// Fixed text: nothing anyone wrote.
    pub content: String,
    /// Always ephemeral.
    pub flags: u64,
    /// Nothing parsed: the text names no one anyway.
    pub allowed_mentions: AllowedMentions,
    /// The button's row, or none (an update then removes the button).
    pub components: Vec<Row>,
}

/// An action row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Always 1.
    #[serde(rename = "type")]
    pub kind: u8,
    /// The buttons.
    pub components: Vec<Button>,
}

/// A button.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Button {
    /// Always 2.
    #[serde(rename = "type")]
    pub kind: u8,
    /// Secondary.
    pub style: u8,
    /// What it says.
    pub label: &'static str,
    /// `abuse-dm:{channel}:{message}:{answer}`.
    pub custom_id: String,
}

fn notice(kind: u8, text: &str, components: Vec<Row>) -> Callback {
    Callback {
        kind,
        data: Notice {
            content: text.to_string(),
            flags: EPHEMERAL,
            allowed_mentions: AllowedMentions::default(),
            components,
        },
    }
}

/// A new ephemeral message for the moderator.
fn tell(text: &str) -> Callback {
    notice(CHANNEL_MESSAGE, text, Vec::new())
}

/// The button's message replaced, without the button.
fn update(text: &str) -> Callback {
    notice(UPDATE_MESSAGE, text, Vec::new())
}

/// Whether a member holds Manage Messages (or Administrator) where they used the action.
/// Outside a server there is no member, and no one moderates.
fn manages_messages(member: Option<&Member>) -> bool {
    member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.manage_messages() || p.administrator())
}

/// Whether a component's custom id is this module's button.
pub fn is_ours(custom_id: &str) -> bool {
    custom_id
        .strip_prefix(DM_BUTTON)
        .is_some_and(|rest| rest.starts_with(':'))
}

/// The button's custom id.
fn button_id(channel: ChannelId, message: MessageId, answer: MessageId) -> String {
    format!("{DM_BUTTON}:{channel}:{message}:{answer}")
}

/// Reads a button's custom id back; `None` unless it is exactly three non-zero ids.
fn parse_button(custom_id: &str) -> Option<(ChannelId, MessageId, MessageId)> {
    let rest = custom_id.strip_prefix(DM_BUTTON)?.strip_prefix(':')?;
    let ids: Vec<u64> = rest
        .split(':')
        .map(|part| part.parse().ok().filter(|&id| id != 0))
        .collect::<Option<_>>()?;
    match ids[..] {
        [channel, message, answer] => Some((
            ChannelId::new(channel),
            MessageId::new(message),
            MessageId::new(answer),
        )),
        _ => None,
    }
}

/// The action's command answered as the core answers it on Discord, for the channel (public)
/// or for the author's DMs (private, with a line saying who it is from).
fn answer(
    core: &Signpost,
    action: &MessageAction,
    moderator: UserId,
    channel: ChannelId,
    guild: Option<u64>,
    visibility: Visibility,
) -> Vec<DiscordMessage> {
    let incoming = Incoming {
        text: format!("{}{}", core.prefix(), action.command),
        origin: Origin::Discord,
        addressed: true,
        from_bot: false,
        command_prefix: Some("/"),
        sender: Some(Sender::new(moderator.to_string(), channel.to_string())),
        interaction: true,
        moderator: true,
        community: guild.and_then(|g| Origin::Discord.community(&g.to_string())),
    };
    let mut reply = core
        .handle(&incoming)
        .unwrap_or_else(|| Reply::titled(action.label));
    reply.visibility = visibility;
    if visibility == Visibility::Private {
        reply.intro.insert(0, line![FOR_YOU]);
    }
    discord::to_messages(&reply)
}

/// Answers a message action: the help under the message and the moderator's confirmation, or
/// a private refusal. `http` is `None` where no bot token is configured.
pub async fn action(
    core: &Signpost,
    http: Option<&Http>,
    command: &CommandInteraction,
) -> Callback {
    let Some(action) = table::message_action(&command.data.name) else {
        return tell(UNKNOWN);
    };
    if !manages_messages(command.member.as_deref()) {
        tracing::info!(
            adapter = "discord",
            action = action.callback_id,
            outcome = "refused"
        );
        return tell(REFUSED);
    }
    let Some(ResolvedTarget::Message(target)) = command.data.target() else {
        return tell(NO_TARGET);
    };
    let Some(http) = http else {
        return tell(NO_TOKEN);
    };
    let messages = answer(
        core,
        action,
        command.user.id,
        target.channel_id,
        command.guild_id.map(|g| g.get()),
        Visibility::Public,
    );
    let posted = post_under(http, target.channel_id, target.id, &messages).await;
    let answer = match posted {
        Ok(answer) => answer,
        Err(error) => {
            tracing::warn!(
                adapter = "discord",
                action = action.callback_id,
                status = error.status(),
                "posting under the message failed: {error}"
            );
            return tell(POST_FAILED);
        }
    };
    tracing::info!(
        adapter = "discord",
        action = action.callback_id,
        outcome = "posted"
    );
    let buttons = if target.author.bot {
        Vec::new()
    } else {
        vec![Row {
            kind: ACTION_ROW,
            components: vec![Button {
                kind: BUTTON,
                style: SECONDARY,
                label: DM_LABEL,
                custom_id: button_id(target.channel_id, target.id, answer),
            }],
        }]
    };
    notice(CHANNEL_MESSAGE, POSTED, buttons)
}

/// Answers the "send privately instead" button: the help to the author's DMs, the public answer
/// removed, and the moderator's notice updated.
pub async fn button(
    core: &Signpost,
    http: Option<&Http>,
    component: &ComponentInteraction,
) -> Callback {
    let parsed = parse_button(&component.data.custom_id)
        .filter(|(channel, _, _)| *channel == component.channel_id);
    let Some((channel, message, answer_id)) = parsed else {
        return tell(STALE);
    };
    if !manages_messages(component.member.as_ref()) {
        return tell(REFUSED);
    }
    let Some(http) = http else {
        return tell(NO_TOKEN);
    };
    let author = match author_of(http, channel, message).await {
        Ok(Some(author)) => author,
        Ok(None) => return update(GONE),
        Err(error) => {
            tracing::warn!(adapter = "discord", "reading the message failed: {error}");
            return tell(STALE);
        }
    };
    if author.bot {
        return update(BOT_AUTHOR);
    }
    // The button belongs to the abuse-help action: its id says so by its prefix.
    let Some(action) = table::MESSAGE_ACTIONS
        .iter()
        .find(|a| a.command == table::ABUSE_HELP)
    else {
        return tell(UNKNOWN);
    };
    let messages = answer(
        core,
        action,
        component.user.id,
        channel,
        component.guild_id.map(|g| g.get()),
        Visibility::Private,
    );
    if let Err(error) = send::direct(http, author.id, &messages).await {
        tracing::info!(
            adapter = "discord",
            status = error.status(),
            outcome = "dm-failed",
            "abuse help by DM: {error}"
        );
        return update(DM_FAILED);
    }
    // Already gone (someone removed it) is as good as removed.
    if let Err(error) = delete(http, channel, answer_id).await {
        if error.status() != Some(404) {
            tracing::warn!(
                adapter = "discord",
                "removing the public answer failed: {error}"
            );
        }
    }
    tracing::info!(
        adapter = "discord",
        outcome = "sent-privately",
        "abuse help by DM"
    );
    update(SENT_INSTEAD)
}

/// One REST request; its response body.
async fn request(
    http: &Http,
    route: Route<'_>,
    method: LightMethod,
    body: Option<Vec<u8>>,
) -> Result<Vec<u8>, SendError> {
    let response = http.request(Request::new(route, method).body(body)).await?;
    let bytes = response
        .bytes()
        .await
        .map_err(|e| SendError::Transport(e.without_url()))?;
    Ok(bytes.to_vec())
}

#[derive(Serialize)]
struct Reference {
    message_id: MessageId,
    fail_if_not_exists: bool,
}

#[derive(Serialize)]
struct Posted<'a> {
    #[serde(flatten)]
    message: &'a DiscordMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_reference: Option<Reference>,
}

#[derive(Deserialize)]
struct Created {
    id: MessageId,
}

/// Posts `messages` in `channel`, the first as a reply to `target` (which must exist: help
/// under a deleted message would hang in the air); returns the first one's id.
async fn post_under(
    http: &Http,
    channel: ChannelId,
    target: MessageId,
    messages: &[DiscordMessage],
) -> Result<MessageId, SendError> {
    let mut first = None;
    for message in messages {
        let plain = DiscordMessage {
            flags: None,
            ..message.clone()
        };
        let body = Posted {
            message: &plain,
            message_reference: first.is_none().then_some(Reference {
                message_id: target,
                fail_if_not_exists: true,
            }),
        };
        let route = Route::ChannelMessages {
            channel_id: channel,
        };
        let created = request(
            http,
            route,
            LightMethod::Post,
            Some(serde_json::to_vec(&body)?),
        )
        .await?;
        let created: Created = serde_json::from_slice(&created)?;
        first.get_or_insert(created.id);
    }
    first.ok_or(SendError::Refused {
        status: 0,
        code: -1,
    })
}

#[derive(Deserialize)]
struct Author {
    id: UserId,
    #[serde(default)]
    bot: bool,
}

#[derive(Deserialize)]
struct Fetched {
    author: Author,
}

/// Who wrote `message`; `None` when it no longer exists.
async fn author_of(
    http: &Http,
    channel: ChannelId,
    message: MessageId,
) -> Result<Option<Author>, SendError> {
    let route = Route::ChannelMessage {
        channel_id: channel,
        message_id: message,
    };
    match request(http, route, LightMethod::Get, None).await {
        Ok(body) => Ok(Some(serde_json::from_slice::<Fetched>(&body)?.author)),
        Err(error) if error.status() == Some(404) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Deletes one of the bot's messages.
async fn delete(http: &Http, channel: ChannelId, message: MessageId) -> Result<(), SendError> {
    let route = Route::ChannelMessage {
        channel_id: channel,
        message_id: message,
    };
    request(http, route, LightMethod::Delete, None)
        .await
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Button ids round-trip, and anything else (extra parts, zero, words) is refused.
    #[test]
    fn button_ids_are_checked() {
        let id = button_id(ChannelId::new(1), MessageId::new(2), MessageId::new(3));
        assert!(is_ours(&id));
        assert_eq!(
            parse_button(&id),
            Some((ChannelId::new(1), MessageId::new(2), MessageId::new(3)))
        );
        for bad in [
            "abuse-dm:1:2",
            "abuse-dm:1:2:3:4",
            "abuse-dm:0:2:3",
            "abuse-dm:a:2:3",
            "abuse-dmx:1:2:3",
            "abuse-dm:1:2:-3",
        ] {
            assert_eq!(parse_button(bad), None, "{bad}");
        }
        assert!(!is_ours("abuse-dmx:1"));
        assert!(id.len() <= 100, "Discord's custom id limit");
    }
}
