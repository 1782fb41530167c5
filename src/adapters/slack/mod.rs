//! The Slack adapter: slash commands and the Events API over signed HTTP, or Socket Mode.
//!
//! - [`verify`]: request signatures (HMAC-SHA256, constant-time, five-minute window).
//! - [`http`]: the routes on the shared HTTP listener (`/slack/commands`, `/slack/events`,
//!   `/slack/interactions`, `/healthz`).
//! - [`socket`]: Socket Mode (`apps.connections.open`, envelopes and acks, reconnects).
//! - [`interactive`]: `block_actions` (menu picks, buttons on answers) and their answers.
//! - [`commands`] and [`events`]: Slack's payloads and what becomes a message for the core;
//!   `dispatch` does the same thing with them whichever transport they came by.
//! - [`shortcut`]: message shortcuts (the table's message actions, for `slack.moderators`).
//! - `welcome`: a private welcome for newcomers to `slack.welcome_channels`.
//! - [`web_api`]: `auth.test`, `chat.postMessage`, `chat.postEphemeral`,
//!   `apps.connections.open` and `response_url`, honouring 429 `Retry-After`.
//!
//! Replies are rendered by [`crate::render::slack`] (Block Kit, escaped mrkdwn) and nowhere else.
//!
//! # Why not slack-morphism
//!
//! The adapter is written on axum (already the HTTP server), hmac + sha2, reqwest and
//! tokio-tungstenite rather than on slack-morphism, Rust's full Slack SDK:
//! - The protocol surface Signpost uses is small (three routes, four Web API methods, five
//!   envelope types); slack-morphism models the whole API and is one of the largest crates a
//!   build would compile, for types this adapter never touches.
//! - Local test peers: plain-HTTP API bases and `ws://` Socket Mode URLs are ordinary URLs here,
//!   with no custom connector, so every test runs against 127.0.0.1.
//! - The hot path (signature check, core, rendering) is ours to measure and keep lean: the raw
//!   body is read once with a size bound, the keyed HMAC is cloned per request, and retries,
//!   de-duplication and 429 handling follow Slack's documentation directly.
//! - TLS is rustls on ring throughout: no OpenSSL, no aws-lc/cmake.

pub mod answers;
pub mod commands;
pub mod events;
pub mod home;
pub mod http;
pub mod interactive;
pub mod shortcut;
pub mod socket;
pub mod verify;
pub mod web_api;

mod dispatch;
mod welcome;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::adapters::backoff::Backoff;
use crate::adapters::Service;
use crate::config::{SlackMode, SlackSettings};

use dispatch::Adapter;
use verify::Verifier;
use web_api::{Identity, WebApi, WebApiError};

/// Why the Slack adapter stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SlackError {
    /// The HTTP listener could not be opened.
    #[error("slack: cannot listen on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A setting this mode needs is missing (`slack.signing_secret`, `slack.app_token`).
    #[error("slack: `slack.{0}` is required in this mode")]
    MissingSetting(&'static str),
    /// The Web API refused the token, or could not be set up.
    #[error("slack: {0}")]
    WebApi(#[from] WebApiError),
    /// The HTTP server failed.
    #[error("slack: HTTP server failed: {0}")]
    Serve(#[source] std::io::Error),
}

/// Runs the adapter as configured until the service's shutdown token is cancelled. In HTTP
/// mode it mounts its routes on the runtime's listener (or, run alone, listens on `listen`);
/// in Socket Mode it needs no listener.
pub async fn run(
    settings: SlackSettings,
    listen: SocketAddr,
    service: Service,
) -> Result<(), SlackError> {
    match settings.mode {
        SlackMode::Http => match service.mount.clone() {
            Some(mount) => {
                let shutdown = service.shutdown.clone();
                let Some(routes) = routes(&settings, service).await? else {
                    return Ok(());
                };
                mount.set("slack", routes);
                shutdown.cancelled().await;
                mount.clear("slack");
                Ok(())
            }
            None => {
                let listener =
                    TcpListener::bind(listen)
                        .await
                        .map_err(|source| SlackError::Listen {
                            addr: listen,
                            source,
                        })?;
                serve(listener, settings, service).await
            }
        },
        SlackMode::Socket => {
            let app_token = settings
                .app_token
                .clone()
                .ok_or(SlackError::MissingSetting("app_token"))?;
            let shutdown = service.shutdown.clone();
            let Some(adapter) = start(&settings, service).await? else {
                return Ok(());
            };
            socket::run(adapter, app_token, shutdown).await
        }
    }
}

/// The signed HTTP routes, once signed in; `None` on shutdown.
async fn routes(
    settings: &SlackSettings,
    service: Service,
) -> Result<Option<axum::Router>, SlackError> {
    let secret = settings
        .signing_secret
        .as_ref()
        .ok_or(SlackError::MissingSetting("signing_secret"))?;
    let verifier = Verifier::new(secret);
    let Some(adapter) = start(settings, service).await? else {
        return Ok(None);
    };
    Ok(Some(http::router(adapter, verifier)))
}

/// Serves the HTTP routes, with `/healthz`, `/readyz` and `/metrics`, on an already bound
/// `listener` (tests bind 127.0.0.1:0 and read the port) until the service's shutdown token is
/// cancelled. Needs `signing_secret`; ignores `mode`.
pub async fn serve(
    listener: TcpListener,
    settings: SlackSettings,
    service: Service,
) -> Result<(), SlackError> {
    let Some(routes) = routes(&settings, service.clone()).await? else {
        return Ok(());
    };
    let router = crate::http::ops_routes(&service).merge(routes);
    crate::http::serve(listener, router, &service)
        .await
        .map_err(SlackError::Serve)
}

/// Builds the shared state, learning the bot's user id from `auth.test`. `None` on shutdown.
async fn start(
    settings: &SlackSettings,
    service: Service,
) -> Result<Option<Arc<Adapter>>, SlackError> {
    let api = WebApi::new(settings.api_base.as_ref(), settings.bot_token.clone())?;
    let Some(identity) = identify(&api, &service.shutdown).await? else {
        return Ok(None);
    };
    tracing::info!(user = %identity.user_id, "slack: signed in");
    service.health.up("slack");
    Ok(Some(Arc::new(Adapter::new(
        service,
        api,
        identity.user_id,
        &settings.welcome,
    ))))
}

/// `auth.test`, retried with backoff while Slack is unreachable; a rejected token is final.
async fn identify(
    api: &WebApi,
    shutdown: &CancellationToken,
) -> Result<Option<Identity>, SlackError> {
    let mut backoff = Backoff::new(socket::FIRST_BACKOFF, socket::MAX_BACKOFF);
    loop {
        let attempt = tokio::select! {
            () = shutdown.cancelled() => return Ok(None),
            attempt = api.auth_test() => attempt,
        };
        match attempt {
            Ok(identity) => return Ok(Some(identity)),
            Err(e) if e.is_auth() || matches!(e, WebApiError::Client(_)) => return Err(e.into()),
            Err(_) => {}
        }
        tokio::select! {
            () = shutdown.cancelled() => return Ok(None),
            () = tokio::time::sleep(backoff.next_delay()) => {}
        }
    }
}
