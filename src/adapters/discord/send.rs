//! Sending: the rendered [`DiscordMessage`] bodies go out as they are, to a channel, a direct
//! message, an interaction callback or its follow-ups.
//!
//! Every request goes through serenity's [`Http::request`], which in production passes through
//! serenity's rate limiter (it waits out a 429's `retry-after` and the per-route buckets before
//! retrying). Against a local peer or an HTTP proxy (`api_base`) the limiter is off and limits
//! are the proxy's job; a 429 then comes back here as [`SendError::Refused`] and is logged.
//!
//! The responses are not decoded into serenity models: Signpost never needs the created message
//! back, and skipping the decode keeps a send cheap and independent of the response's shape.

use serde::{Deserialize, Serialize};
use serenity::http::{Http, HttpError, LightMethod, Request, Route};
use serenity::model::id::{ApplicationId, ChannelId, GuildId, InteractionId, MessageId, UserId};

use super::components::{ComponentAnswer, DEFERRED_UPDATE};
use super::slash::{Choice, CommandBody};
use crate::render::discord::DiscordMessage;

/// Interaction callback type 4: answer with a message.
const CHANNEL_MESSAGE: u8 = 4;
/// Interaction callback type 8: autocomplete choices.
const AUTOCOMPLETE_RESULT: u8 = 8;

/// Why a request did not go through. Never carries a URL: interaction URLs hold tokens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// Discord (or the peer) answered with an error status.
    #[error("Discord refused the request: HTTP {status}, code {code}")]
    Refused {
        /// The HTTP status, e.g. 403 or 429.
        status: u16,
        /// Discord's JSON error code (50007: cannot DM this user), or -1 when there was none.
        code: isize,
    },
    /// The request never got an answer (connection, timeout, TLS). The error's URL is removed:
    /// interaction URLs hold tokens.
    #[error("the request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// serenity could not make the request.
    #[error("the request could not be made: {0}")]
    Client(#[source] Box<serenity::Error>),
    /// A body could not be encoded or a response decoded.
    #[error("bad JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl SendError {
    /// The HTTP status, when Discord answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            SendError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<serenity::Error> for SendError {
    fn from(error: serenity::Error) -> Self {
        match error {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => SendError::Refused {
                status: response.status_code.as_u16(),
                code: response.error.code,
            },
            serenity::Error::Json(e) => SendError::Json(e),
            serenity::Error::Http(HttpError::Request(e)) => SendError::Transport(e.without_url()),
            other => SendError::Client(Box::new(other)),
        }
    }
}

/// Sends one JSON request and returns the response body.
async fn send(http: &Http, route: Route<'_>, body: &impl Serialize) -> Result<Vec<u8>, SendError> {
    let request = Request::new(route, LightMethod::Post).body(Some(serde_json::to_vec(body)?));
    let response = http.request(request).await?;
    let bytes = response
        .bytes()
        .await
        .map_err(|e| SendError::Transport(e.without_url()))?;
    Ok(bytes.to_vec())
}

#[derive(Serialize)]
struct Callback<T> {
    #[serde(rename = "type")]
    kind: u8,
    data: T,
}

/// Posts an interaction callback of `kind` with `data` (the one route every answer uses).
pub async fn callback(
    http: &Http,
    interaction: InteractionId,
    token: &str,
    kind: u8,
    data: impl Serialize,
) -> Result<Vec<u8>, SendError> {
    let route = Route::InteractionResponse {
        interaction_id: interaction,
        token,
    };
    send(http, route, &Callback { kind, data }).await
}

#[derive(Serialize)]
struct Choices<'a> {
    choices: &'a [Choice],
}

/// Answers an interaction with the first message (callback type 4) and sends the rest as
/// follow-ups. The renderer already set flag 64 on every message of a private reply, so each
/// follow-up of an ephemeral answer is ephemeral too.
pub async fn interaction_reply(
    http: &Http,
    interaction: InteractionId,
    token: &str,
    application: ApplicationId,
    messages: &[DiscordMessage],
) -> Result<(), SendError> {
    reply_as(
        http,
        interaction,
        token,
        application,
        CHANNEL_MESSAGE,
        messages,
    )
    .await
}

/// [`interaction_reply`] with callback type `kind` (4, or 7 to update a component's message).
async fn reply_as(
    http: &Http,
    interaction: InteractionId,
    token: &str,
    application: ApplicationId,
    kind: u8,
    messages: &[DiscordMessage],
) -> Result<(), SendError> {
    let Some((first, rest)) = messages.split_first() else {
        return Ok(());
    };
    callback(http, interaction, token, kind, first).await?;
    for message in rest {
        send(
            http,
            Route::WebhookFollowupMessages {
                application_id: application,
                token,
            },
            message,
        )
        .await?;
    }
    Ok(())
}

/// Answers a component interaction as [`ComponentAnswer`] says. A removal is acknowledged
/// (type 6) and the message then deleted through the interaction's webhook: after a type 6
/// the "original response" is the message the component is on, and deleting it that way needs
/// no bot permission in the channel (it works where only a person's install of Signpost is).
pub async fn component_reply(
    http: &Http,
    interaction: InteractionId,
    token: &str,
    application: ApplicationId,
    answer: &ComponentAnswer,
) -> Result<(), SendError> {
    match answer {
        ComponentAnswer::Messages { kind, messages } => {
            reply_as(http, interaction, token, application, *kind, messages).await
        }
        ComponentAnswer::Delete => {
            #[derive(Serialize)]
            struct Ack {
                #[serde(rename = "type")]
                kind: u8,
            }
            let route = Route::InteractionResponse {
                interaction_id: interaction,
                token,
            };
            send(
                http,
                route,
                &Ack {
                    kind: DEFERRED_UPDATE,
                },
            )
            .await?;
            let route = Route::WebhookOriginalInteractionResponse {
                application_id: application,
                token,
            };
            http.request(Request::new(route, LightMethod::Delete))
                .await?;
            Ok(())
        }
    }
}

/// Answers an autocomplete interaction (callback type 8).
pub async fn autocomplete(
    http: &Http,
    interaction: InteractionId,
    token: &str,
    choices: &[Choice],
) -> Result<(), SendError> {
    callback(
        http,
        interaction,
        token,
        AUTOCOMPLETE_RESULT,
        Choices { choices },
    )
    .await
    .map(drop)
}

/// `message_reference` for a reply; a deleted command message must not make the reply fail.
#[derive(Serialize)]
struct Reference {
    message_id: MessageId,
    fail_if_not_exists: bool,
}

#[derive(Serialize)]
struct ChannelMessage<'a> {
    #[serde(flatten)]
    message: &'a DiscordMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_reference: Option<Reference>,
}

/// Posts messages in a channel, the first as a reply to `reply_to` when given. Flag 64 is
/// dropped: it only means something in interaction responses, and Discord rejects it here.
pub async fn to_channel(
    http: &Http,
    channel: ChannelId,
    reply_to: Option<MessageId>,
    messages: &[DiscordMessage],
) -> Result<(), SendError> {
    for (n, message) in messages.iter().enumerate() {
        let plain = DiscordMessage {
            flags: None,
            ..message.clone()
        };
        let body = ChannelMessage {
            message: &plain,
            message_reference: reply_to.filter(|_| n == 0).map(|message_id| Reference {
                message_id,
                fail_if_not_exists: false,
            }),
        };
        send(
            http,
            Route::ChannelMessages {
                channel_id: channel,
            },
            &body,
        )
        .await?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Recipient {
    recipient_id: UserId,
}

#[derive(Deserialize)]
struct Created {
    id: ChannelId,
}

/// Opens (or finds) the direct-message channel with `user` and posts the messages there.
pub async fn direct(
    http: &Http,
    user: UserId,
    messages: &[DiscordMessage],
) -> Result<(), SendError> {
    let body = send(
        http,
        Route::UserMeDmChannels,
        &Recipient { recipient_id: user },
    )
    .await?;
    let channel: Created = serde_json::from_slice(&body)?;
    to_channel(http, channel.id, None, messages).await
}

/// Replaces the application's slash commands with `commands` (Discord's bulk overwrite): in
/// `guild`, or globally.
pub async fn register(
    http: &Http,
    application: ApplicationId,
    guild: Option<u64>,
    commands: &[CommandBody],
) -> Result<(), SendError> {
    let route = match guild {
        Some(guild) => Route::GuildCommands {
            application_id: application,
            guild_id: GuildId::new(guild),
        },
        None => Route::Commands {
            application_id: application,
        },
    };
    let request = Request::new(route, LightMethod::Put).body(Some(serde_json::to_vec(commands)?));
    http.request(request).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed request keeps its cause, but no part of the error chain shows the URL (whose
    /// path holds the interaction token).
    #[tokio::test]
    async fn errors_keep_their_cause_but_never_the_url() {
        // Port 9 (discard) on loopback refuses the connection at once.
        let url = "http://127.0.0.1:9/api/v10/interactions/1/secret-token/callback";
        let failure = reqwest::Client::new()
            .get(url)
            .send()
            .await
            .expect_err("nothing listens there");
        let error = SendError::from(serenity::Error::Http(HttpError::Request(failure)));
        let mut texts = vec![error.to_string()];
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            texts.push(cause.to_string());
            source = cause.source();
        }
        assert!(texts.len() > 1, "the cause is kept: {texts:?}");
        assert!(
            texts.iter().all(|t| !t.contains("secret-token")),
            "{texts:?}"
        );
    }
}
