//! Discord's HTTP interactions endpoint, `POST /discord/interactions`: Discord sends each slash
//! command and autocomplete request as a signed HTTP request and takes the answer from the
//! response, so no gateway connection is needed and any number of stateless replicas behind a
//! load balancer can answer. Set the application's Interactions Endpoint URL to this route and
//! `discord.public_key` to its public key; with the key alone (no bot token) `signpost run`
//! serves the endpoint without a gateway.
//!
//! | Interaction | Answer in the response |
//! |---|---|
//! | PING (1) | PONG `{"type":1}` |
//! | APPLICATION_COMMAND (2) | type 4 with the first message; the rest as follow-ups by webhook |
//! | MESSAGE_COMPONENT (3) | a menu pick or a button ([`super::components`]): type 4 or 7 with the first message, or type 6 and then the message deleted by webhook |
//! | APPLICATION_COMMAND_AUTOCOMPLETE (4) | type 8 with at most 25 choices |
//! | MESSAGE_COMPONENT (3), a message action's button | type 7, the moderator's notice updated |
//! | anything else | 400 (Signpost sends no modals) |
//!
//! A message action (a type 2 interaction whose command type is 3) is answered by
//! [`super::moderate`], which posts under the message with the bot token when one is configured.
//!
//! Every request is read whole (at most [`MAX_BODY`] bytes, else 413) and its signature checked
//! ([`super::verify`]) before anything is parsed; one that fails gets 401 and nothing else
//! happens. Answers are the gateway path's ([`super::answer`]), rendered by the same renderer.
//! Commands pass the shared intake: shed, they get the ephemeral busy message; autocomplete
//! gets no choices.
//!
//! Follow-ups (replies longer than one message) go to `POST /webhooks/{application}/{token}`
//! after the response, which needs no bot token. Discord accepts them only once it has the
//! response, which Signpost cannot observe, so they start after [`FOLLOW_UP_AFTER`] and each
//! is tried up to [`FOLLOW_UP_TRIES`] times with doubling waits.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};
use serenity::all::{CommandInteraction, CommandType, ComponentInteraction};
use tokio::net::TcpListener;

use super::components::{self, ComponentAnswer, DEFERRED_UPDATE};
use super::slash::Choice;
use super::verify::{
    unix_now, Verifier, MAX_AGE_SECONDS, MAX_AHEAD_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use super::{answer, moderate};
use crate::adapters::recent::Replays;
use crate::adapters::Service;
use crate::bot::Signpost;
use crate::config::DiscordHttpSettings;
use crate::config::Moderators;
use crate::http::json;
use crate::intake::Intake;
use crate::render::discord::DiscordMessage;

/// The adapter's name in health, metrics and logs.
pub const ADAPTER: &str = "discord-http";
/// The route Discord posts interactions to.
pub const ROUTE: &str = "/discord/interactions";
/// Largest request body accepted. Interactions are a few KiB; this leaves room for resolved
/// data without letting anyone make the bot buffer megabytes before the signature check.
pub const MAX_BODY: usize = 64 * 1024;
/// How long follow-ups wait for Discord to have taken the response.
pub const FOLLOW_UP_AFTER: Duration = Duration::from_millis(500);
/// How often one follow-up is tried.
pub const FOLLOW_UP_TRIES: u32 = 3;
/// Where follow-ups go without `discord.api_base`.
const DISCORD: &str = "https://discord.com";

/// Interaction types (Discord's `type` field).
const PING: u8 = 1;
const APPLICATION_COMMAND: u8 = 2;
const MESSAGE_COMPONENT: u8 = 3;
const APPLICATION_COMMAND_AUTOCOMPLETE: u8 = 4;
/// Response types.
const PONG: u8 = 1;
const CHANNEL_MESSAGE: u8 = 4;
const AUTOCOMPLETE_RESULT: u8 = 8;

/// Why the endpoint could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// `discord.public_key` is no Ed25519 key (the settings check should have caught it).
    #[error("discord-http: discord.public_key is not a valid Ed25519 public key")]
    PublicKey,
    /// The listener could not be opened (only when run without the runtime's listener).
    #[error("discord-http: cannot listen on {addr}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client for follow-ups could not be made.
    #[error("discord-http: cannot make the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// The HTTP server failed.
    #[error("discord-http: HTTP server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// What the route shares.
struct Endpoint {
    core: Arc<Signpost>,
    intake: Arc<Intake>,
    moderators: Arc<Moderators>,
    verifier: Verifier,
    client: reqwest::Client,
    /// `https://discord.com`, or the local peer's base.
    api_base: String,
    /// REST with the bot token, for message actions; `None` without a token.
    rest: Option<serenity::http::Http>,
    /// Interactions answered, by signature: a replay within the window is refused.
    replays: Replays,
}

/// The endpoint's route (the runtime's listener adds `/healthz` and the rest).
pub fn router(settings: &DiscordHttpSettings, service: &Service) -> Result<Router, EndpointError> {
    let verifier = Verifier::new(&settings.public_key).ok_or(EndpointError::PublicKey)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(EndpointError::Client)?;
    let api_base = settings
        .api_base
        .as_ref()
        .map_or(DISCORD, |u| u.as_str())
        .trim_end_matches('/')
        .to_string();
    let rest = settings
        .token
        .as_ref()
        .map(|token| super::rest_client(token, settings.api_base.as_ref()));
    let endpoint = Arc::new(Endpoint {
        rest,
        core: Arc::clone(&service.core),
        intake: Arc::clone(&service.intake),
        moderators: Arc::clone(&service.moderators),
        verifier,
        client,
        api_base,
        replays: Replays::new(Duration::from_secs(
            (MAX_AGE_SECONDS + MAX_AHEAD_SECONDS + 60).unsigned_abs(),
        )),
    });
    Ok(Router::new()
        .route(ROUTE, post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(endpoint))
}

/// Runs the endpoint until the service shuts down: mounted on the runtime's listener, or, run
/// alone (no mount), on its own listener at `listen`.
pub async fn run(
    settings: DiscordHttpSettings,
    listen: SocketAddr,
    service: Service,
) -> Result<(), EndpointError> {
    let Some(mount) = service.mount.clone() else {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| EndpointError::Listen {
                addr: listen,
                source,
            })?;
        return serve(listener, settings, service).await;
    };
    mount.set(ADAPTER, router(&settings, &service)?);
    service.health.up(ADAPTER);
    tracing::info!(adapter = ADAPTER, route = ROUTE, "serving");
    service.shutdown.cancelled().await;
    mount.clear(ADAPTER);
    Ok(())
}

/// Serves the endpoint, with `/healthz`, `/readyz` and `/metrics`, on an already bound
/// `listener` (tests bind 127.0.0.1:0 and read the port) until the service shuts down.
pub async fn serve(
    listener: TcpListener,
    settings: DiscordHttpSettings,
    service: Service,
) -> Result<(), EndpointError> {
    let router = crate::http::ops_routes(&service).merge(router(&settings, &service)?);
    service.health.up(ADAPTER);
    crate::http::serve(listener, router, &service)
        .await
        .map_err(EndpointError::Serve)
}

/// Just the interaction's type, read before the whole payload.
#[derive(Deserialize)]
struct Kind {
    #[serde(rename = "type")]
    kind: u8,
}

#[derive(Serialize)]
struct Callback<T> {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
}

#[derive(Serialize)]
struct Choices {
    choices: Vec<Choice>,
}

/// `POST /discord/interactions`.
async fn interactions(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let checked = endpoint.verifier.verify(
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
        &body,
        unix_now(),
    );
    if let Err(e) = checked {
        tracing::debug!(adapter = ADAPTER, outcome = "refused", "interaction: {e}");
        endpoint.core.metrics().refuse(ADAPTER, "signature");
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    if !endpoint
        .replays
        .first(header(SIGNATURE_HEADER).unwrap_or_default())
    {
        endpoint.core.metrics().refuse(ADAPTER, "replay");
        return (StatusCode::UNAUTHORIZED, "invalid request signature").into_response();
    }
    let Ok(Kind { kind }) = serde_json::from_slice(&body) else {
        return bad_request("not an interaction");
    };
    match kind {
        PING => json(&Callback::<()> {
            kind: PONG,
            data: None,
        }),
        APPLICATION_COMMAND | APPLICATION_COMMAND_AUTOCOMPLETE => {
            let Ok(command) = serde_json::from_slice::<CommandInteraction>(&body) else {
                return bad_request("not an application command interaction");
            };
            if kind == APPLICATION_COMMAND && command.data.kind == CommandType::Message {
                endpoint.message_action(&command).await
            } else if kind == APPLICATION_COMMAND {
                endpoint.command(command).await
            } else {
                endpoint.autocomplete(&command).await
            }
        }
        MESSAGE_COMPONENT => match serde_json::from_slice::<ComponentInteraction>(&body) {
            Ok(component) if moderate::is_ours(&component.data.custom_id) => {
                endpoint.button(&component).await
            }
            Ok(component) => endpoint.component(component).await,
            Err(_) => bad_request("not a message component interaction"),
        },
        other => {
            tracing::debug!(
                adapter = ADAPTER,
                kind = other,
                "interaction type not handled"
            );
            bad_request("interaction type not handled")
        }
    }
}

impl Endpoint {
    /// A slash command: the first message in the response, the rest as follow-ups.
    async fn command(self: &Arc<Self>, command: CommandInteraction) -> Response {
        let Some(admission) = self.intake.try_admit(ADAPTER).await else {
            tracing::debug!(adapter = ADAPTER, command = %command.data.name, "busy");
            return message_response(&answer::busy());
        };
        let messages = answer::command_messages(&self.core, &self.moderators, &command);
        let Some((first, rest)) = messages.split_first() else {
            return bad_request("nothing to answer");
        };
        tracing::debug!(
            adapter = ADAPTER,
            command = %command.data.name,
            count = messages.len(),
            "answered"
        );
        if !rest.is_empty() {
            let endpoint = Arc::clone(self);
            let rest = rest.to_vec();
            let target = Webhook {
                application: command.application_id.get(),
                token: command.token.clone(),
            };
            self.intake.spawn(admission, async move {
                endpoint
                    .follow_ups(&target, &command.data.name, &rest)
                    .await;
            });
        }
        message_response(first)
    }

    /// A message action: posted under the message (a REST call), then the moderator's notice
    /// in the response.
    async fn message_action(&self, command: &CommandInteraction) -> Response {
        let Some(_admission) = self.intake.try_admit(ADAPTER).await else {
            return message_response(&answer::busy());
        };
        json(&moderate::action(&self.core, self.rest.as_ref(), command).await)
    }

    /// The message action's button.
    async fn button(&self, component: &ComponentInteraction) -> Response {
        let Some(_admission) = self.intake.try_admit(ADAPTER).await else {
            return message_response(&answer::busy());
        };
        json(&moderate::button(&self.core, self.rest.as_ref(), component).await)
    }

    /// Autocomplete: the choices in the response; none when busy or nothing is focused.
    async fn autocomplete(&self, command: &CommandInteraction) -> Response {
        let choices = match self.intake.try_admit(ADAPTER).await {
            Some(_admission) => answer::choices(&self.core, command).unwrap_or_default(),
            None => Vec::new(),
        };
        json(&Callback {
            kind: AUTOCOMPLETE_RESULT,
            data: Some(Choices { choices }),
        })
    }

    /// A component interaction: a pick or a button ([`components::answer`]).
    async fn component(self: &Arc<Self>, interaction: ComponentInteraction) -> Response {
        let Some(admission) = self.intake.try_admit(ADAPTER).await else {
            return message_response(&answer::busy());
        };
        let answer = components::answer(&self.core, &self.moderators, &interaction);
        tracing::debug!(adapter = ADAPTER, outcome = answer.outcome(), "component");
        let target = Webhook {
            application: interaction.application_id.get(),
            token: interaction.token,
        };
        match answer {
            ComponentAnswer::Delete => {
                let endpoint = Arc::clone(self);
                self.intake.spawn(admission, async move {
                    endpoint.delete_original(&target).await;
                });
                json(&Callback::<()> {
                    kind: DEFERRED_UPDATE,
                    data: None,
                })
            }
            ComponentAnswer::Messages { kind, messages } => {
                let Some((first, rest)) = messages.split_first() else {
                    return bad_request("nothing to answer");
                };
                if !rest.is_empty() {
                    let endpoint = Arc::clone(self);
                    let rest = rest.to_vec();
                    self.intake.spawn(admission, async move {
                        endpoint.follow_ups(&target, "component", &rest).await;
                    });
                }
                json(&Callback {
                    kind,
                    data: Some(first),
                })
            }
        }
    }

    /// Deletes the message a component is on, once Discord has the type 6 response (see
    /// [`super::send::component_reply`] for why by webhook).
    async fn delete_original(&self, target: &Webhook) {
        tokio::time::sleep(FOLLOW_UP_AFTER).await;
        let Some(base) = target.url(&self.api_base) else {
            return;
        };
        let url = format!("{base}/messages/@original");
        let mut wait = FOLLOW_UP_AFTER;
        for tries in 1..=FOLLOW_UP_TRIES {
            let status = match self.client.delete(&url).send().await {
                Ok(response) if response.status().is_success() => return,
                Ok(response) => Some(response.status().as_u16()),
                Err(_) => None,
            };
            if tries == FOLLOW_UP_TRIES {
                tracing::warn!(adapter = ADAPTER, status, "answer not removed");
                return;
            }
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }

    /// Sends `messages` in order as follow-ups to the interaction; stops at the first that
    /// cannot be sent, so they never arrive out of order.
    async fn follow_ups(&self, target: &Webhook, command: &str, messages: &[DiscordMessage]) {
        tokio::time::sleep(FOLLOW_UP_AFTER).await;
        let Some(url) = target.url(&self.api_base) else {
            return;
        };
        for message in messages {
            let mut wait = FOLLOW_UP_AFTER;
            let mut tries = 0;
            loop {
                tries += 1;
                let sent = self.client.post(&url).json(message).send().await;
                let status = match &sent {
                    Ok(response) if response.status().is_success() => break,
                    Ok(response) => Some(response.status().as_u16()),
                    Err(_) => None,
                };
                if tries == FOLLOW_UP_TRIES {
                    tracing::warn!(adapter = ADAPTER, command, status, "follow-up not sent");
                    return;
                }
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
    }
}

/// An interaction's webhook: where follow-ups go and its messages are edited or deleted.
struct Webhook {
    application: u64,
    /// The interaction token, a credential for 15 minutes: never logged.
    token: String,
}

impl Webhook {
    /// The webhook's address, or `None` for a token that is no token. The token comes from the
    /// request body (signed, but not by Discord's promise alone a path segment): only the
    /// characters Discord's tokens use are let into the path, so `../../x?q=1` can never reach
    /// another route on the API host.
    fn url(&self, api_base: &str) -> Option<String> {
        let token = self.token.as_str();
        let shaped = !token.is_empty()
            && token.len() <= MAX_TOKEN
            && token.chars().any(|c| c.is_ascii_alphanumeric())
            && token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !shaped {
            tracing::warn!(adapter = ADAPTER, "interaction token refused: not a token");
            return None;
        }
        Some(format!(
            "{api_base}/api/v10/webhooks/{}/{token}",
            self.application
        ))
    }
}

/// Longest interaction token taken (Discord's are a few hundred characters).
const MAX_TOKEN: usize = 1_024;

fn message_response(message: &DiscordMessage) -> Response {
    json(&Callback {
        kind: CHANNEL_MESSAGE,
        data: Some(message),
    })
}

fn bad_request(why: &'static str) -> Response {
    (StatusCode::BAD_REQUEST, why).into_response()
}

#[cfg(test)]
mod tests {
    use super::Webhook;

    /// A token shaped like Discord's goes into the path as it is; one that would leave the
    /// webhook's path (`..`, `/`, `?`, `#`, `%`) is refused, and nothing is sent.
    #[test]
    fn only_token_shaped_tokens_reach_the_path() {
        let url = |token: &str| {
            Webhook {
                application: 7,
                token: token.to_string(),
            }
            .url("https://discord.test")
        };
        assert_eq!(
            url("aW50ZXJhY3Rpb24.abc_DEF-123").as_deref(),
            Some("https://discord.test/api/v10/webhooks/7/aW50ZXJhY3Rpb24.abc_DEF-123")
        );
        for forged in ["../../x?q=1", "..", "a/b", "a?b", "a#b", "a%2Fb", "", "a b"] {
            assert_eq!(url(forged), None, "{forged:?}");
        }
    }
}
