//! Welcoming newcomers to the guilds in `discord.welcome_channels`: on GUILD_MEMBER_ADD (which
//! needs the privileged Server Members intent, asked for only when a welcome is configured) a
//! short welcome in the guild's channel, pinging only the newcomers it names. Bots are never
//! welcomed; join storms are limited by the shared [`Greeter`].

use std::sync::Arc;

use serenity::all::{ChannelId, Member};
use serenity::http::Http;

use super::send;
use crate::adapters::welcome::Greeter;
use crate::adapters::Service;
use crate::config::{Welcome, WelcomeChannel};
use crate::render::discord::{self, DiscordMessage, CONTENT_LIMIT};
use crate::reply::truncate;

/// How slash commands are typed on Discord, for the welcome's pointers.
const SLASH: &str = "/";

/// The configured welcomes; none when no guild has a welcome channel.
#[derive(Debug)]
pub(super) struct DiscordWelcomes {
    greeter: Option<Arc<Greeter>>,
    channels: Vec<WelcomeChannel>,
}

impl DiscordWelcomes {
    pub(super) fn new(settings: &Welcome<WelcomeChannel>, service: &Service) -> DiscordWelcomes {
        DiscordWelcomes {
            greeter: Greeter::for_service(settings, "discord", service),
            channels: settings.places.clone(),
        }
    }

    /// A member joined a guild: welcomed in its channel, if it has one, within the limits.
    pub(super) fn member_added(&self, http: &Arc<Http>, member: &Member) {
        let Some(greeter) = &self.greeter else {
            return;
        };
        let guild = member.guild_id.get();
        let Some(place) = self.channels.iter().find(|c| c.guild == guild) else {
            return;
        };
        if member.user.bot {
            greeter.bot();
            return;
        }
        let channel = ChannelId::new(place.channel);
        let http = Arc::clone(http);
        greeter.join(
            &guild.to_string(),
            &member.user.id.to_string(),
            move |people| async move {
                let sent = send::to_channel(&http, channel, None, &[message(&people)]).await;
                if let Err(error) = &sent {
                    tracing::warn!(
                        adapter = "discord",
                        status = error.status(),
                        "welcome: {error}"
                    );
                }
                sent.is_ok()
            },
        );
    }
}

/// The core's welcome as one Discord message, opening with the newcomers' mentions, which are
/// the only pings `allowed_mentions` lets through.
fn message(people: &[String]) -> DiscordMessage {
    let reply = crate::welcome::reply(SLASH);
    let mut message = discord::to_messages(&reply).swap_remove(0);
    let mentions: Vec<String> = people.iter().map(|id| format!("<@{id}>")).collect();
    message.content = truncate(
        &format!("{}\n{}", mentions.join(" "), message.content),
        CONTENT_LIMIT,
    );
    message.allowed_mentions.users = people.to_vec();
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The welcome pings exactly the people it names and parses no other mention.
    #[test]
    fn the_welcome_pings_only_the_newcomers() {
        let people = vec!["11".to_string(), "22".to_string()];
        let message = message(&people);
        assert!(
            message.content.starts_with("<@11> <@22>\n"),
            "{}",
            message.content
        );
        assert!(
            message.content.contains("`/guidance`"),
            "{}",
            message.content
        );
        assert_eq!(message.allowed_mentions.users, people);
        assert!(message.allowed_mentions.parse.is_empty());
        assert!(message.embeds.is_empty());
    }
}
