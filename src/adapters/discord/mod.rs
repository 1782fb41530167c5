//! The Discord adapter, on serenity 0.12: slash commands (registered at start from the command
//! table, with autocomplete), `!` prefix commands when switched on, and mentions. Slash commands
//! and autocomplete can also arrive over HTTP instead of the gateway ([`endpoint`]).
//!
//! - [`slash`]: registration bodies from the command table; an invocation back to core text.
//! - [`autocomplete`]: ranked choices for professions and resource ids.
//! - [`answer`]: what an interaction is answered with, shared by the gateway and HTTP paths.
//! - [`components`]: the same for component interactions (menu picks, buttons on answers).
//! - [`incoming`]: which gateway messages reach the core, and whether they address the bot.
//! - [`moderate`]: moderator actions on a message ("Send abuse help", from the table's
//!   message actions) and their "send privately instead" button.
//! - [`send`]: posting the renderer's message bodies as they are.
//! - `welcome`: welcoming newcomers in `discord.welcome_channels`.
//! - `handler`: serenity's event handler, tying the above to the core.
//! - [`endpoint`] and [`verify`]: the HTTP interactions endpoint (`POST /discord/interactions`)
//!   and its Ed25519 signature check; it runs as its own adapter, `discord-http`.
//!
//! serenity owns the gateway: heartbeats, resuming after a dropped connection, re-identifying
//! when a session is gone (and retrying every 5 s while the gateway is unreachable, the spacing
//! Discord asks between Identifies), and in production REST rate limits (429 `retry-after`).
//! [`run`] adds a capped exponential backoff around the whole client for failures serenity gives
//! up on, stops for good on errors no retry can fix, and stops on the shutdown token.
//! Logs carry command names and outcomes, never message text or tokens.

pub mod answer;
pub mod autocomplete;
pub mod components;
pub mod endpoint;
mod handler;
pub mod incoming;
pub mod moderate;
pub mod send;
pub mod slash;
pub mod verify;
mod welcome;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{ClientBuilder, GatewayIntents};
use serenity::gateway::GatewayError;
use serenity::http::HttpBuilder;
use tokio_util::sync::CancellationToken;

use crate::adapters::backoff::Backoff;
use crate::adapters::Service;
use crate::config::{DiscordSettings, Secret};
use handler::Handler;

/// Why the adapter stopped. Each variant says what to fix; none carries the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscordError {
    /// Discord refused the bot token.
    #[error("Discord refused the bot token (check SIGNPOST__DISCORD__TOKEN)")]
    InvalidToken,
    /// Discord refused the intents: Message Content is privileged.
    #[error(
        "Discord refused the gateway intents: enable the Message Content intent for the app, \
         or set discord.prefix_commands = false"
    )]
    Intents,
    /// Discord refused the shard settings.
    #[error("Discord refused the shard settings (discord.shards): {0}")]
    Shards(&'static str),
}

/// How long shutdown waits for shards that are still connecting.
const STOP_WITHIN: Duration = Duration::from_secs(5);

/// The intents Signpost asks for. Message Content is privileged (reviewed yearly for large
/// apps), so it is requested only when `!` commands are on; mentions and DMs work without it.
/// Server Members (GUILD_MEMBERS, also privileged) only when a welcome is configured: it is
/// what delivers GUILD_MEMBER_ADD.
pub fn intents(prefix_commands: bool, welcomes: bool) -> GatewayIntents {
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if prefix_commands {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    }
    if welcomes {
        intents |= GatewayIntents::GUILD_MEMBERS;
    }
    intents
}

/// Waits between client restarts: 1 s, doubling up to a minute.
const RESTART_FIRST: Duration = Duration::from_secs(1);
const RESTART_CAP: Duration = Duration::from_secs(60);
/// A client that ran this long was healthy: its failure starts the schedule again.
const LASTED: Duration = Duration::from_secs(60);

/// Runs the Discord adapter until `shutdown` is cancelled or Discord refuses the credentials.
///
/// With `settings.api_base` set (local protocol peers, HTTP proxies), REST goes there with
/// serenity's rate limiter off, and the gateway URL comes from that peer's `GET /gateway`.
pub async fn run(settings: DiscordSettings, service: Service) -> Result<(), DiscordError> {
    let shutdown = service.shutdown.clone();
    let welcomes = welcome::DiscordWelcomes::new(&settings.welcome, &service);
    let handler = Arc::new(Handler::new(
        service,
        settings.prefix_commands,
        settings.guild_ids.clone(),
        welcomes,
    ));
    let mut backoff = Backoff::new(RESTART_FIRST, RESTART_CAP);
    loop {
        let started = Instant::now();
        let outcome = run_client(&settings, Arc::clone(&handler), &shutdown).await;
        if shutdown.is_cancelled() {
            return Ok(());
        }
        match outcome {
            Ok(()) => tracing::warn!(adapter = "discord", "all shards stopped; restarting"),
            Err(error) => match fatal(&error) {
                Some(fatal) => return Err(fatal),
                None => tracing::warn!(adapter = "discord", "client failed: {error}; restarting"),
            },
        }
        if started.elapsed() > LASTED {
            backoff.reset();
        }
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = tokio::time::sleep(backoff.next_delay()) => {}
        }
    }
}

/// The errors no retry can fix.
fn fatal(error: &serenity::Error) -> Option<DiscordError> {
    match error {
        serenity::Error::Gateway(g) => match g {
            GatewayError::InvalidAuthentication => Some(DiscordError::InvalidToken),
            GatewayError::InvalidGatewayIntents | GatewayError::DisallowedGatewayIntents => {
                Some(DiscordError::Intents)
            }
            GatewayError::InvalidShardData => Some(DiscordError::Shards("invalid shard data")),
            GatewayError::OverloadedShard => Some(DiscordError::Shards("more shards are needed")),
            _ => None,
        },
        _ => None,
    }
}

/// serenity's REST client for the bot `token`: Discord's API, or `api_base` (a local peer or
/// an HTTP proxy), where limits are the proxy's job.
pub(crate) fn rest_client(token: &Secret, api_base: Option<&url::Url>) -> serenity::http::Http {
    let mut http = HttpBuilder::new(token.expose());
    if let Some(base) = api_base {
        // serenity swaps `https://discord.com` for the proxy only when its limiter is off.
        http = http
            .proxy(base.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    http.build()
}

/// One serenity client, from connection to the end of its shards.
async fn run_client(
    settings: &DiscordSettings,
    handler: Arc<Handler>,
    shutdown: &CancellationToken,
) -> Result<(), serenity::Error> {
    let http = rest_client(&settings.token, settings.api_base.as_ref());
    let intents = intents(settings.prefix_commands, settings.welcome.is_on());
    let mut client = ClientBuilder::new_with_http(http, intents)
        .event_handler_arc(handler)
        .await?;
    let manager = Arc::clone(&client.shard_manager);
    let start = async {
        match settings.shards {
            // serenity boots `start..=end` here (its range end is inclusive), which is what
            // `first-last/total` means.
            Some(range) => {
                client
                    .start_shard_range(range.first..range.last, range.total)
                    .await
            }
            None => client.start().await,
        }
    };
    tokio::pin!(start);
    tokio::select! {
        result = &mut start => return result,
        () = shutdown.cancelled() => {}
    }
    // serenity's `shutdown_all` only reaches shards that are connected; one still waiting to
    // (in an outage, or queued behind the 5 s spacing) is missed. Ask until `start` returns,
    // and give up after a while: the process is exiting anyway.
    let stopping = async {
        loop {
            manager.shutdown_all().await;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::select! {
        result = &mut start => result,
        () = stopping => unreachable!("the stopping loop never ends"),
        () = tokio::time::sleep(STOP_WITHIN) => {
            tracing::warn!(adapter = "discord", "shards still connecting at shutdown; leaving them");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Message Content is asked for only with prefix commands on, Server Members only with a
    /// welcome configured.
    #[test]
    fn intents_follow_prefix_switch() {
        let base = GatewayIntents::GUILDS
            | GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::DIRECT_MESSAGES;
        assert_eq!(intents(false, false), base);
        assert_eq!(intents(true, false), base | GatewayIntents::MESSAGE_CONTENT);
        assert_eq!(intents(false, false).bits(), 1 | (1 << 9) | (1 << 12));
        assert_eq!(intents(false, true), base | GatewayIntents::GUILD_MEMBERS);
    }
}
