//! The Discord adapter, on serenity 0.12: slash commands (registered at start from the command
//! table, with autocomplete), `!` prefix commands when switched on, and mentions.
//!
//! - [`slash`]: registration bodies from the command table; an invocation back to core text.
//! - [`autocomplete`]: ranked choices for professions and resource ids.
//! - [`incoming`]: which gateway messages reach the core, and whether they address the bot.
//! - [`send`]: posting the renderer's message bodies as they are.
//!
//! serenity owns the gateway: heartbeats, resuming after a dropped connection and re-identifying
//! when a session is gone, and (in production) REST rate limits. [`run`] adds a capped backoff
//! around the whole client for failures serenity gives up on, and stops on the shutdown token.
//! Logs carry command names and outcomes, never message text or tokens.

pub mod autocomplete;
pub mod incoming;
pub mod send;
pub mod slash;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serenity::all::{
    ClientBuilder, CommandDataOptionValue, CommandInteraction, Context, EventHandler,
    GatewayIntents, Interaction, Message, MessageType, Ready, ResumedEvent,
};
use serenity::gateway::GatewayError;
use serenity::http::HttpBuilder;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::bot::{Incoming, Signpost};
use crate::command::Origin;
use crate::config::DiscordSettings;
use crate::render::discord::{self, AllowedMentions, DiscordMessage, EPHEMERAL};
use crate::reply::Visibility;
use incoming::Seen;
use slash::OptionValue;

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

/// Most events answered at once. A burst beyond this waits for a slot instead of opening one
/// more HTTP connection per event: against Discord (tens of ms per request) 128 in flight still
/// answer thousands of commands a second, and the connection pool and memory stay bounded.
pub const MAX_IN_FLIGHT: usize = 128;

/// The intents Signpost asks for. Message Content is privileged (reviewed yearly for large
/// apps), so it is requested only when `!` commands are on; mentions and DMs work without it.
pub fn intents(prefix_commands: bool) -> GatewayIntents {
    let base =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if prefix_commands {
        base | GatewayIntents::MESSAGE_CONTENT
    } else {
        base
    }
}

/// Capped exponential backoff between client restarts: 1 s, 2 s, 4 s … 60 s.
#[derive(Debug, Clone)]
pub struct Backoff {
    next: Duration,
}

impl Backoff {
    const FIRST: Duration = Duration::from_secs(1);
    const CAP: Duration = Duration::from_secs(60);

    /// Starts at one second.
    pub fn new() -> Backoff {
        Backoff { next: Self::FIRST }
    }

    /// The delay to wait now; the next one doubles, up to the cap.
    pub fn next_delay(&mut self) -> Duration {
        let now = self.next;
        self.next = (self.next * 2).min(Self::CAP);
        now
    }

    /// Back to one second, after a connection that lasted.
    pub fn reset(&mut self) {
        self.next = Self::FIRST;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

/// Runs the Discord adapter until `shutdown` is cancelled or Discord refuses the credentials.
///
/// With `settings.api_base` set (local protocol peers, HTTP proxies), REST goes there with
/// serenity's rate limiter off, and the gateway URL comes from that peer's `GET /gateway`.
pub async fn run(
    settings: DiscordSettings,
    core: Arc<Signpost>,
    shutdown: CancellationToken,
) -> Result<(), DiscordError> {
    let handler = Arc::new(Handler {
        core,
        prefix_commands: settings.prefix_commands,
        guild_ids: settings.guild_ids.clone(),
        bot_id: AtomicU64::new(0),
        registered: AtomicBool::new(false),
        in_flight: Semaphore::new(MAX_IN_FLIGHT),
    });
    let mut backoff = Backoff::new();
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
        if started.elapsed() > Duration::from_secs(60) {
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

/// One serenity client, from connection to the end of its shards.
async fn run_client(
    settings: &DiscordSettings,
    handler: Arc<Handler>,
    shutdown: &CancellationToken,
) -> Result<(), serenity::Error> {
    let mut http = HttpBuilder::new(settings.token.expose());
    if let Some(base) = &settings.api_base {
        // serenity swaps `https://discord.com` for the proxy only when its limiter is off.
        http = http
            .proxy(base.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let mut client = ClientBuilder::new_with_http(http.build(), intents(settings.prefix_commands))
        .event_handler_arc(handler)
        .await?;
    let manager = Arc::clone(&client.shard_manager);
    let stopper = tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            shutdown.cancelled().await;
            manager.shutdown_all().await;
        }
    });
    let result = match settings.shards {
        // serenity boots `start..=end` here (its range end is inclusive), which is what
        // `first-last/total` means.
        Some(range) => {
            client
                .start_shard_range(range.first..range.last, range.total)
                .await
        }
        None => client.start().await,
    };
    stopper.abort();
    result
}

/// serenity's event handler: the adapter's state shared by every shard.
struct Handler {
    core: Arc<Signpost>,
    prefix_commands: bool,
    guild_ids: Vec<u64>,
    /// The bot's user id, known from READY; mentions of it address the bot.
    bot_id: AtomicU64,
    /// Commands are registered once per process, not on every re-identify.
    registered: AtomicBool,
    /// Slots for events being answered (see [`MAX_IN_FLIGHT`]).
    in_flight: Semaphore,
}

/// A short ephemeral answer for an interaction the core has no reply to.
fn unavailable() -> DiscordMessage {
    DiscordMessage {
        content: "That command is not available any more.".to_string(),
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
        flags: Some(EPHEMERAL),
    }
}

/// Said in the channel when a private answer went to the author's DMs instead.
fn notice(text: &str) -> DiscordMessage {
    DiscordMessage {
        content: text.to_string(),
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
        flags: None,
    }
}

impl Handler {
    async fn slash_command(&self, ctx: &Context, command: &CommandInteraction) {
        let options: Vec<(&str, OptionValue<'_>)> = command
            .data
            .options
            .iter()
            .filter_map(|o| match &o.value {
                CommandDataOptionValue::String(s) => Some((o.name.as_str(), OptionValue::Text(s))),
                CommandDataOptionValue::Boolean(b) => {
                    Some((o.name.as_str(), OptionValue::Switch(*b)))
                }
                _ => None,
            })
            .collect();
        let reply = slash::to_core_text(self.core.prefix(), &command.data.name, &options).and_then(
            |text| {
                self.core.handle(&Incoming {
                    text,
                    origin: Origin::Discord,
                    addressed: true,
                    from_bot: false,
                })
            },
        );
        let messages = match &reply {
            Some(reply) => discord::to_messages(reply),
            None => vec![unavailable()],
        };
        let sent = send::interaction_reply(
            &ctx.http,
            command.id,
            &command.token,
            command.application_id,
            &messages,
        )
        .await;
        log_sent("slash", &command.data.name, messages.len(), sent);
    }

    async fn autocomplete(&self, ctx: &Context, command: &CommandInteraction) {
        let Some(focused) = command.data.autocomplete() else {
            return;
        };
        let index = self.core.index();
        let choices =
            autocomplete::choices(&index, &command.data.name, focused.name, focused.value);
        let sent = send::autocomplete(&ctx.http, command.id, &command.token, &choices).await;
        log_sent("autocomplete", &command.data.name, choices.len(), sent);
    }

    async fn register(&self, ctx: &Context, ready: &Ready) {
        if self.registered.swap(true, Ordering::AcqRel) {
            return;
        }
        let body = slash::registration_body();
        let scope = if self.guild_ids.is_empty() {
            "global"
        } else {
            "guild"
        };
        match send::register(&ctx.http, ready.application.id, &self.guild_ids, &body).await {
            Ok(()) => tracing::info!(
                adapter = "discord",
                commands = body.len(),
                scope,
                "slash commands registered"
            ),
            Err(error) => {
                // Let the next READY try again.
                self.registered.store(false, Ordering::Release);
                tracing::error!(
                    adapter = "discord",
                    scope,
                    "registering slash commands failed: {error}"
                );
            }
        }
    }
}

/// Logs a delivery: what kind, which command, how many messages, and the outcome.
fn log_sent(kind: &'static str, command: &str, count: usize, sent: Result<(), send::SendError>) {
    match sent {
        Ok(()) => tracing::debug!(adapter = "discord", kind, command, count, "sent"),
        Err(error) => tracing::warn!(
            adapter = "discord",
            kind,
            command,
            status = error.status(),
            "sending failed: {error}"
        ),
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.bot_id.store(ready.user.id.get(), Ordering::Release);
        tracing::info!(
            adapter = "discord",
            shard = ?ready.shard.map(|s| s.id.0),
            guilds = ready.guilds.len(),
            "connected"
        );
        self.register(&ctx, &ready).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!(adapter = "discord", "session resumed");
    }

    async fn message(&self, ctx: Context, message: Message) {
        let bot_id = self.bot_id.load(Ordering::Acquire);
        let seen = Seen {
            content: &message.content,
            in_guild: message.guild_id.is_some(),
            from_bot: message.author.bot,
            from_webhook: message.webhook_id.is_some(),
            from_self: message.author.id.get() == bot_id,
            system: !matches!(
                message.kind,
                MessageType::Regular | MessageType::InlineReply
            ),
        };
        let Some(incoming) = incoming::to_incoming(seen, bot_id, self.prefix_commands) else {
            return;
        };
        // The semaphore is never closed, so acquiring only waits.
        let Ok(_slot) = self.in_flight.acquire().await else {
            return;
        };
        let Some(reply) = self.core.handle(&incoming) else {
            return;
        };
        let messages = discord::to_messages(&reply);
        if reply.visibility == Visibility::Private && message.guild_id.is_some() {
            // Asked for privately in a channel: answer in a DM and say so where they asked.
            // If the DM fails (closed DMs), the answer is not posted publicly instead.
            let sent = send::direct(&ctx.http, message.author.id, &messages).await;
            let note = match &sent {
                Ok(()) => "I've sent you a direct message.",
                Err(_) => {
                    "I couldn't send you a direct message (are your DMs open?). \
                           Try the slash command with private:true for an answer only you can see."
                }
            };
            log_sent("direct", "private", messages.len(), sent);
            let noted = send::to_channel(
                &ctx.http,
                message.channel_id,
                Some(message.id),
                &[notice(note)],
            )
            .await;
            log_sent("message", "private-notice", 1, noted);
        } else {
            let sent =
                send::to_channel(&ctx.http, message.channel_id, Some(message.id), &messages).await;
            log_sent("message", "reply", messages.len(), sent);
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Ok(_slot) = self.in_flight.acquire().await else {
            return;
        };
        match &interaction {
            Interaction::Command(command) => self.slash_command(&ctx, command).await,
            Interaction::Autocomplete(command) => self.autocomplete(&ctx, command).await,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Message Content is asked for only with prefix commands on.
    #[test]
    fn intents_follow_prefix_switch() {
        let base = GatewayIntents::GUILDS
            | GatewayIntents::GUILD_MESSAGES
            | GatewayIntents::DIRECT_MESSAGES;
        assert_eq!(intents(false), base);
        assert_eq!(intents(true), base | GatewayIntents::MESSAGE_CONTENT);
        assert_eq!(intents(false).bits(), 1 | (1 << 9) | (1 << 12));
    }

    /// The backoff doubles from one second and stops at a minute; reset starts again.
    #[test]
    fn backoff_is_capped() {
        let mut b = Backoff::new();
        let delays: Vec<u64> = (0..8).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60]);
        b.reset();
        assert_eq!(b.next_delay().as_secs(), 1);
    }
}
