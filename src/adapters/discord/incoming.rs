//! Which gateway messages reach the core, and as what.
//!
//! Kept apart from the event handler and free of serenity types so the rules (ignore bots,
//! webhooks and system messages; a leading mention or a DM addresses the bot; `!` commands only
//! when they are switched on) are plain functions with unit tests.

use crate::message::Origin;
use crate::message::{Incoming, Sender};

/// What the adapter knows about a `MESSAGE_CREATE`, reduced to what the rules need.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The message text.
    pub content: &'a str,
    /// False in a direct message.
    pub in_guild: bool,
    /// The guild's id, in a guild.
    pub guild: Option<u64>,
    /// The author is a bot account (including Signpost itself).
    pub from_bot: bool,
    /// The message was posted by a webhook.
    pub from_webhook: bool,
    /// The author is the bot's own user.
    pub from_self: bool,
    /// A system message (join, pin, boost…) rather than something a person wrote.
    pub system: bool,
    /// A reply to one of the bot's messages (Discord shows its text without Message Content).
    pub replying_to_bot: bool,
    /// The author's user id.
    pub author: u64,
    /// The channel's id (a DM channel for direct messages).
    pub channel: u64,
    /// The author holds one of the configured moderator roles here.
    pub moderator: bool,
}

/// Removes a leading mention of `bot_id` (`<@id>` or the older nickname form `<@!id>`), returning
/// the rest, or `None` when the message does not start with one.
pub fn strip_mention(content: &str, bot_id: u64) -> Option<&str> {
    let rest = content.trim_start().strip_prefix("<@")?;
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    let rest = rest.strip_prefix(bot_id.to_string().as_str())?;
    rest.strip_prefix('>').map(str::trim_start)
}

/// The core message for a gateway message, or `None` when Signpost should not even look at it.
///
/// Bots, webhooks and system messages are dropped here (the core would drop bots too, but
/// stopping early also stops loops with bots that answer everything). A message that starts by
/// mentioning the bot, a reply to the bot, or any direct message is addressed, so the prefix is
/// optional. Other
/// guild messages are only read when prefix commands are on: without the Message Content intent
/// their text is empty anyway.
pub fn to_incoming(seen: Seen<'_>, bot_id: u64, prefix_commands: bool) -> Option<Incoming> {
    if seen.from_bot || seen.from_webhook || seen.from_self || seen.system {
        return None;
    }
    let (text, addressed) = match strip_mention(seen.content, bot_id) {
        Some(rest) => (rest, true),
        None if !seen.in_guild || seen.replying_to_bot => (seen.content, true),
        None if prefix_commands => (seen.content, false),
        None => return None,
    };
    Some(Incoming {
        text: text.to_string(),
        origin: Origin::Discord,
        addressed,
        from_bot: false,
        command_prefix: None,
        sender: Some(Sender::new(
            seen.author.to_string(),
            seen.channel.to_string(),
        )),
        interaction: false,
        moderator: seen.moderator,
        community: seen
            .guild
            .and_then(|g| Origin::Discord.community(&g.to_string())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: u64 = 1_111;

    fn guild(content: &str) -> Seen<'_> {
        Seen {
            content,
            in_guild: true,
            guild: Some(5),
            from_bot: false,
            from_webhook: false,
            from_self: false,
            system: false,
            replying_to_bot: false,
            author: 7,
            channel: 9,
            moderator: false,
        }
    }

    /// Both mention forms are stripped; other users' mentions are not ours.
    #[test]
    fn mentions_are_stripped() {
        assert_eq!(
            strip_mention("<@1111> guidance nurse", BOT),
            Some("guidance nurse")
        );
        assert_eq!(strip_mention("  <@!1111>guidance", BOT), Some("guidance"));
        assert_eq!(strip_mention("<@11112> guidance", BOT), None);
        assert_eq!(strip_mention("<@&1111> guidance", BOT), None);
        assert_eq!(strip_mention("hi <@1111>", BOT), None);
    }

    /// A mention addresses the bot with or without prefix commands; plain text needs them.
    #[test]
    fn prefix_commands_switch() {
        let m = to_incoming(guild("<@1111> guidance nurse"), BOT, false).unwrap();
        assert_eq!((m.text.as_str(), m.addressed), ("guidance nurse", true));
        assert!(to_incoming(guild("!guidance nurse"), BOT, false).is_none());
        let m = to_incoming(guild("!guidance nurse"), BOT, true).unwrap();
        assert_eq!((m.text.as_str(), m.addressed), ("!guidance nurse", false));
    }

    /// A reply to the bot is addressed even with prefix commands off.
    #[test]
    fn replies_to_the_bot_are_addressed() {
        let reply = Seen {
            replying_to_bot: true,
            ..guild("tips")
        };
        let m = to_incoming(reply, BOT, false).unwrap();
        assert_eq!((m.text.as_str(), m.addressed), ("tips", true));
    }

    /// Direct messages are addressed; bots, webhooks, itself and system messages are dropped.
    #[test]
    fn who_is_heard() {
        let dm = Seen {
            in_guild: false,
            guild: None,
            ..guild("guidance nurse")
        };
        assert!(to_incoming(dm, BOT, false).unwrap().addressed);
        for seen in [
            Seen {
                from_bot: true,
                ..guild("!guidance")
            },
            Seen {
                from_webhook: true,
                ..guild("!guidance")
            },
            Seen {
                from_self: true,
                ..guild("!guidance")
            },
            Seen {
                system: true,
                ..guild("!guidance")
            },
        ] {
            assert!(to_incoming(seen, BOT, true).is_none(), "{seen:?}");
        }
    }
}
