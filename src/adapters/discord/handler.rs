//! serenity's event handler: READY (learn the bot's id, register the slash commands), messages
//! (prefix commands, mentions, DMs) and interactions (slash commands, autocomplete).
//!
//! Every answer comes from the core and the Discord renderer; this file only decides where it
//! goes. Logs name the kind of event, the command and the outcome, never what anyone wrote.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::answer::{self, is_moderator, plain};
use super::incoming::{self, Seen};
use super::welcome::DiscordWelcomes;
use super::{components, moderate, send, slash};
use crate::adapters::health::Health;
use crate::adapters::Service;
use crate::bot::Signpost;
use crate::config::Moderators;
use crate::intake::Intake;
use crate::message::Incoming;
use crate::render::discord;
use crate::reply::Visibility;
use crate::reply::SENT_PRIVATELY;
use serenity::all::{
    CommandInteraction, CommandType, ComponentInteraction, Context, EventHandler, Interaction,
    Member, Message, MessageType, Ready, ResumedEvent,
};

/// Said in the channel when the author's DMs are closed. The answer is not posted publicly.
const DM_FAILED: &str = "I couldn't send you a direct message (are your DMs open?). \
    Try the slash command with private:true for an answer only you can see.";

/// The adapter's state, shared by every shard.
pub(super) struct Handler {
    core: Arc<Signpost>,
    prefix_commands: bool,
    guild_ids: Vec<u64>,
    /// The bot's user id, known from READY; mentions of it address the bot.
    bot_id: AtomicU64,
    /// Commands are registered once per process, not on every re-identify or per shard.
    registered: AtomicBool,
    /// Admission for answers. serenity runs every event on its own task, so past the limits
    /// an event is shed at once instead of queueing without bound.
    intake: Arc<Intake>,
    /// Told when a shard is connected.
    health: Arc<Health>,
    /// Roles whose members may review suggestions (besides Manage Messages, which Discord only
    /// reports with interactions: in a message event a member's permissions are not given).
    moderators: Arc<Moderators>,
    /// Newcomers' welcomes, where configured.
    welcomes: DiscordWelcomes,
}

/// Logs a delivery: what kind of event, which command if known, how many messages, the outcome.
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

impl Handler {
    pub(super) fn new(
        service: Service,
        prefix_commands: bool,
        guild_ids: Vec<u64>,
        welcomes: DiscordWelcomes,
    ) -> Handler {
        Handler {
            welcomes,
            core: service.core,
            prefix_commands,
            guild_ids,
            bot_id: AtomicU64::new(0),
            registered: AtomicBool::new(false),
            intake: service.intake,
            health: service.health,
            moderators: Arc::clone(&service.moderators),
        }
    }

    async fn slash_command(&self, ctx: &Context, command: &CommandInteraction) {
        if command.data.kind == CommandType::Message {
            let answer = moderate::action(&self.core, Some(&ctx.http), command).await;
            return self
                .callback(ctx, command.id, &command.token, &answer)
                .await;
        }
        let messages = answer::command_messages(&self.core, &self.moderators, command);
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

    async fn component(&self, ctx: &Context, interaction: &ComponentInteraction) {
        // The message action's own button is answered by `moderate`; the rest are menus and
        // answer buttons.
        if moderate::is_ours(&interaction.data.custom_id) {
            let answer = moderate::button(&self.core, Some(&ctx.http), interaction).await;
            self.callback(ctx, interaction.id, &interaction.token, &answer)
                .await;
            return;
        }
        let answer = components::answer(&self.core, &self.moderators, interaction);
        let sent = send::component_reply(
            &ctx.http,
            interaction.id,
            &interaction.token,
            interaction.application_id,
            &answer,
        )
        .await;
        log_sent("component", answer.outcome(), 1, sent);
    }

    /// Delivers a message action's answer to the moderator.
    async fn callback(
        &self,
        ctx: &Context,
        id: serenity::all::InteractionId,
        token: &str,
        answer: &moderate::Callback,
    ) {
        let sent = send::callback(&ctx.http, id, token, answer.kind, &answer.data).await;
        log_sent("message-action", "-", 1, sent.map(drop));
    }

    async fn autocomplete(&self, ctx: &Context, command: &CommandInteraction) {
        let Some(choices) = answer::choices(&self.core, command) else {
            return;
        };
        let sent = send::autocomplete(&ctx.http, command.id, &command.token, &choices).await;
        log_sent("autocomplete", &command.data.name, choices.len(), sent);
    }

    /// Registers the commands in each configured guild (or globally), once per process. A
    /// failure is logged per scope and the next READY tries again.
    async fn register(&self, ctx: &Context, ready: &Ready) {
        if self.registered.swap(true, Ordering::AcqRel) {
            return;
        }
        let scopes: Vec<Option<u64>> = if self.guild_ids.is_empty() {
            vec![None]
        } else {
            self.guild_ids.iter().copied().map(Some).collect()
        };
        for guild in scopes {
            let body = match guild {
                Some(_) => slash::registration_body(),
                None => slash::global_registration_body(),
            };
            let scope = if guild.is_some() { "guild" } else { "global" };
            match send::register(&ctx.http, ready.application.id, guild, &body).await {
                Ok(()) => tracing::info!(
                    adapter = "discord",
                    commands = body.len(),
                    scope,
                    guild,
                    "slash commands registered"
                ),
                Err(error) => {
                    self.registered.store(false, Ordering::Release);
                    tracing::error!(
                        adapter = "discord",
                        scope,
                        guild,
                        "registering slash commands failed: {error}"
                    );
                }
            }
        }
    }

    /// Answers a message the rules let through; private answers asked for in a channel go to
    /// the author's DMs.
    async fn answer(&self, ctx: &Context, message: &Message, incoming: Incoming) {
        let Some(reply) = self.core.handle(&incoming) else {
            return;
        };
        let mut messages = discord::to_messages(&reply);
        let reply_to = Some(message.id);
        if reply.visibility != Visibility::Private || message.guild_id.is_none() {
            if message.guild_id.is_some() && !reply.is_refusal() {
                // Removal knows the asker from the message this one replies to.
                discord::add_buttons(
                    &mut messages,
                    &crate::reply::buttons_as(&reply, Visibility::Public, false),
                );
            }
            let sent = send::to_channel(&ctx.http, message.channel_id, reply_to, &messages).await;
            log_sent("message", "-", messages.len(), sent);
            return;
        }
        let sent = send::direct(&ctx.http, message.author.id, &messages).await;
        let note = if sent.is_ok() {
            SENT_PRIVATELY
        } else {
            DM_FAILED
        };
        log_sent("direct", "-", messages.len(), sent);
        let noted = send::to_channel(
            &ctx.http,
            message.channel_id,
            reply_to,
            &[plain(note, None)],
        )
        .await;
        log_sent("message", "private-notice", 1, noted);
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        self.bot_id.store(ready.user.id.get(), Ordering::Release);
        self.health.up("discord");
        tracing::info!(
            adapter = "discord",
            shard = ?ready.shard.map(|s| s.id.0),
            guilds = ready.guilds.len(),
            "connected"
        );
        self.register(&ctx, &ready).await;
    }

    async fn guild_member_addition(&self, ctx: Context, new_member: Member) {
        self.welcomes.member_added(&ctx.http, &new_member);
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!(adapter = "discord", "session resumed");
    }

    async fn message(&self, ctx: Context, message: Message) {
        let bot_id = self.bot_id.load(Ordering::Acquire);
        let seen = Seen {
            content: &message.content,
            in_guild: message.guild_id.is_some(),
            guild: message.guild_id.map(|g| g.get()),
            from_bot: message.author.bot,
            from_webhook: message.webhook_id.is_some(),
            from_self: message.author.id.get() == bot_id,
            system: !matches!(
                message.kind,
                MessageType::Regular | MessageType::InlineReply
            ),
            replying_to_bot: message
                .referenced_message
                .as_ref()
                .is_some_and(|m| m.author.id.get() == bot_id),
            author: message.author.id.get(),
            channel: message.channel_id.get(),
            moderator: message.member.as_ref().is_some_and(|m| {
                let guild = message.guild_id.map(|g| g.get());
                is_moderator(&self.moderators, guild, &m.roles, None)
            }),
        };
        let Some(incoming) = incoming::to_incoming(seen, bot_id, self.prefix_commands) else {
            return;
        };
        let Some(_admission) = self.intake.try_admit("discord").await else {
            return;
        };
        self.answer(&ctx, &message, incoming).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Some(_admission) = self.intake.try_admit("discord").await else {
            // Unanswered, a slash command shows the person "The application did not respond";
            // one small callback says why instead. Autocomplete may go unanswered.
            let (id, token, application) = match &interaction {
                Interaction::Command(c) => (c.id, &c.token, c.application_id),
                Interaction::Component(c) => (c.id, &c.token, c.application_id),
                _ => return,
            };
            let busy = [answer::busy()];
            let sent = send::interaction_reply(&ctx.http, id, token, application, &busy).await;
            log_sent("interaction", "busy", 1, sent);
            return;
        };
        match &interaction {
            Interaction::Command(command) => self.slash_command(&ctx, command).await,
            Interaction::Autocomplete(command) => self.autocomplete(&ctx, command).await,
            Interaction::Component(component) => self.component(&ctx, component).await,
            _ => {}
        }
    }
}
