//! What a slash command or an autocomplete interaction is answered with, the same whichever way
//! it arrived: as a gateway event (`handler`) or as a signed HTTP request ([`super::endpoint`]).
//! Only the delivery differs (a callback request, or the HTTP response), so the two paths cannot
//! drift apart.

use serenity::all::{CommandDataOptionValue, CommandInteraction, Permissions, RoleId};

use super::autocomplete;
use super::slash::{self, Choice, OptionValue};
use crate::bot::Signpost;
use crate::config::Moderators;
use crate::message::Origin;
use crate::message::{Incoming, Sender};
use crate::render::discord::{self, AllowedMentions, DiscordMessage, EPHEMERAL};
use crate::reply::{Visibility, BUSY};

/// Whether a member with `roles` (and, for interactions, `permissions`) in `guild` moderates:
/// one of the configured moderator roles (role ids are unique across Discord), or Manage
/// Messages (or Administrator) in one of the operator's own guilds (`discord.guild_ids`):
/// anyone who adds the bot to a server of their own holds those permissions there, and
/// suggestions are reviewed for every platform at once. Discord reports a member's
/// permissions only with interactions, not in message events.
pub fn is_moderator(
    moderators: &Moderators,
    guild: Option<u64>,
    roles: &[RoleId],
    permissions: Option<Permissions>,
) -> bool {
    let own_guild = guild.is_some_and(|g| moderators.discord_guilds.contains(&g));
    (own_guild && permissions.is_some_and(|p| p.manage_messages() || p.administrator()))
        || roles
            .iter()
            .any(|r| moderators.discord_roles.contains(&r.get()))
}

/// A message body with fixed text and no embeds (nothing user-supplied to escape).
pub fn plain(text: &str, flags: Option<u64>) -> DiscordMessage {
    DiscordMessage {
        content: text.to_string(),
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
        flags,
        components: Vec::new(),
    }
}

/// The ephemeral answer to a command shed because Signpost is too busy.
pub fn busy() -> DiscordMessage {
    plain(BUSY, Some(EPHEMERAL))
}

/// The core message for an invoked slash command; `None` when the command is not in the table
/// (a registration left by an older version).
pub fn to_incoming(
    core: &Signpost,
    moderators: &Moderators,
    command: &CommandInteraction,
) -> Option<Incoming> {
    let options: Vec<(&str, OptionValue<'_>)> = command
        .data
        .options
        .iter()
        .filter_map(|o| match &o.value {
            CommandDataOptionValue::String(s) => Some((o.name.as_str(), OptionValue::Text(s))),
            CommandDataOptionValue::Boolean(b) => Some((o.name.as_str(), OptionValue::Switch(*b))),
            _ => None,
        })
        .collect();
    let text = slash::to_core_text(core.prefix(), &command.data.name, &options)?;
    Some(Incoming {
        text,
        origin: Origin::Discord,
        addressed: true,
        from_bot: false,
        command_prefix: Some("/"),
        sender: Some(Sender::new(
            command.user.id.to_string(),
            command.channel_id.to_string(),
        )),
        interaction: true,
        moderator: command.member.as_ref().is_some_and(|m| {
            let guild = command.guild_id.map(|g| g.get());
            is_moderator(moderators, guild, &m.roles, m.permissions)
        }),
        community: command
            .guild_id
            .and_then(|g| Origin::Discord.community(&g.to_string())),
    })
}

/// The messages answering a slash command: the core's reply rendered for Discord (the first
/// goes in the interaction response, the rest as follow-ups), or a polite note for a command
/// that no longer exists.
pub fn command_messages(
    core: &Signpost,
    moderators: &Moderators,
    command: &CommandInteraction,
) -> Vec<DiscordMessage> {
    let mut reply = to_incoming(core, moderators, command).and_then(|m| core.handle(&m));
    let installed = installed_here(command);
    if let Some(reply) = reply.as_mut().filter(|_| !installed) {
        reply.visibility = Visibility::Private;
    }
    match &reply {
        Some(reply) => {
            let mut messages = discord::to_messages(reply);
            // A public copy only where Signpost itself is installed: elsewhere the answer is
            // private because the others there never chose it.
            discord::add_buttons(&mut messages, &crate::reply::buttons_for(reply, installed));
            messages
        }
        // A command registered by an older version: answer rather than leave it spinning.
        None => vec![plain(
            "That command is not available any more.",
            Some(EPHEMERAL),
        )],
    }
}

/// Whether the bot itself is installed where the command was used: in a server that installed
/// it, or the bot's own DM. A person's own install used in another server or a group DM answers
/// only that person, since the others there never chose Signpost.
fn installed_here(command: &CommandInteraction) -> bool {
    use serenity::all::{AuthorizingIntegrationOwner, InteractionContext};
    match command.context {
        None | Some(InteractionContext::BotDm) => true,
        Some(_) => command
            .authorizing_integration_owners
            .0
            .iter()
            .any(|owner| matches!(owner, AuthorizingIntegrationOwner::GuildInstall(Some(_)))),
    }
}

/// The choices for the option being typed; `None` when no option is focused.
pub fn choices(core: &Signpost, command: &CommandInteraction) -> Option<Vec<Choice>> {
    let focused = command.data.autocomplete()?;
    let index = core.index();
    Some(autocomplete::choices(
        &index,
        &command.data.name,
        focused.name,
        focused.value,
    ))
}
