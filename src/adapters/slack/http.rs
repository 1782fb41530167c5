//! The HTTP side: Slack's routes on the shared listener, plus the health check.
//!
//! | Route | What |
//! |---|---|
//! | `POST /slack/commands` | slash commands, answered inline (JSON with `response_type`) |
//! | `POST /slack/events` | Events API: `url_verification`, then `event_callback`s, acknowledged at once (503 when too busy: Slack delivers again) |
//! | `POST /slack/interactions` | `block_actions` (menu picks, buttons) and message shortcuts ([`super::shortcut`]): an empty 200 at once, the answer by `response_url` or in the background |
//!
//! Every Slack route reads the raw body once (at most [`MAX_BODY`] bytes, else 413) and checks
//! its signature ([`super::verify`]) before parsing anything; a request that fails gets 401 and
//! nothing else happens.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Serialize;

use super::commands::SlashCommand;
use super::dispatch::{Adapter, Handled, Source};
use super::events::Callback;
use super::interactive::Interaction;
use super::shortcut::Shortcut;
use super::verify::{unix_now, Verifier, MAX_SKEW_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::adapters::recent::Replays;
use crate::http::json;

/// Largest request body accepted. Slack's payloads are a few KiB; this leaves room without
/// letting anyone make the bot buffer megabytes before the signature check.
pub const MAX_BODY: usize = 64 * 1024;

/// What every route shares.
#[derive(Debug)]
struct Routes {
    adapter: Arc<Adapter>,
    verifier: Verifier,
    /// Commands and button presses answered, by signature: a replay is refused. (Events are
    /// de-duplicated by their own id, and Slack's retries of them are wanted.)
    replays: Replays,
}

/// The router for the Slack routes (the runtime's listener adds `/healthz` and the rest).
pub(crate) fn router(adapter: Arc<Adapter>, verifier: Verifier) -> Router {
    let state = Arc::new(Routes {
        adapter,
        verifier,
        replays: Replays::new(Duration::from_secs(2 * MAX_SKEW_SECONDS + 60)),
    });
    Router::new()
        .route("/slack/commands", post(commands))
        .route("/slack/events", post(events))
        .route("/slack/interactions", post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

impl Routes {
    /// Whether the request is signed by Slack; a refusal is logged with its reason.
    fn signed(&self, route: &'static str, headers: &HeaderMap, body: &[u8]) -> bool {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let checked = self.verifier.verify(
            header(TIMESTAMP_HEADER),
            header(SIGNATURE_HEADER),
            body,
            unix_now(),
        );
        if let Err(e) = &checked {
            tracing::debug!(route, outcome = "refused", "slack request: {e}");
            self.adapter.core.metrics().refuse("slack", "signature");
            return false;
        }
        if route != "events"
            && !self
                .replays
                .first(header(SIGNATURE_HEADER).unwrap_or_default())
        {
            self.adapter.core.metrics().refuse("slack", "replay");
            return false;
        }
        true
    }
}

/// `POST /slack/commands`: the answer's first message, inline.
async fn commands(State(routes): State<Arc<Routes>>, headers: HeaderMap, body: Bytes) -> Response {
    if !routes.signed("commands", &headers, &body) {
        return unauthorized();
    }
    let Ok(command) = serde_urlencoded::from_bytes::<SlashCommand>(&body) else {
        return bad_request("not a slash command payload");
    };
    if command.command.is_empty() {
        return match command.ssl_check.as_deref() {
            Some("1") => StatusCode::OK.into_response(),
            _ => bad_request("slash command payload without a command"),
        };
    }
    json(&routes.adapter.slash(&command, Source::Http).await)
}

/// `POST /slack/events`: the challenge, or 200 at once with the answer posted afterwards.
async fn events(State(routes): State<Arc<Routes>>, headers: HeaderMap, body: Bytes) -> Response {
    if !routes.signed("events", &headers, &body) {
        return unauthorized();
    }
    let callback: Callback = match serde_json::from_slice(&body) {
        Ok(callback) => callback,
        Err(_) => return bad_request("not an Events API payload"),
    };
    match callback {
        Callback::UrlVerification { challenge } => {
            #[derive(Serialize)]
            struct Challenge {
                challenge: String,
            }
            json(&Challenge { challenge })
        }
        Callback::EventCallback {
            event_id,
            team_id,
            mut event,
        } => {
            event.team = event.team.or(team_id);
            if let Some(retry) = headers.get("x-slack-retry-num") {
                tracing::debug!(retry = ?retry, "slack event redelivered");
            }
            match routes
                .adapter
                .event(event_id.as_deref(), &event, Source::Http)
                .await
            {
                Handled::Done => StatusCode::OK.into_response(),
                // Slack delivers an event again after a failure, so nothing accepted is lost.
                Handled::Busy => StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        Callback::Other => StatusCode::OK.into_response(),
    }
}

/// `POST /slack/interactions`: a message shortcut is answered in the background; every
/// verified request gets its empty 200 at once (503 when too busy: Slack shows an error).
async fn interactions(
    State(routes): State<Arc<Routes>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !routes.signed("interactions", &headers, &body) {
        return unauthorized();
    }
    if let Some(shortcut) = Shortcut::from_form(&body) {
        if routes.adapter.message_action(&shortcut, Source::Http).await == Handled::Busy {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        return StatusCode::OK.into_response();
    }
    #[derive(serde::Deserialize)]
    struct Form {
        payload: String,
    }
    let parsed = serde_urlencoded::from_bytes::<Form>(&body)
        .ok()
        .and_then(|f| serde_json::from_str::<Interaction>(&f.payload).ok());
    let Some(interaction) = parsed else {
        return bad_request("not an interaction payload");
    };
    routes.adapter.interaction(interaction);
    StatusCode::OK.into_response()
}

/// The one answer to an unsigned request: no hint about what was wrong.
fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "invalid request signature").into_response()
}

fn bad_request(why: &'static str) -> Response {
    tracing::warn!(outcome = why, "slack request");
    (StatusCode::BAD_REQUEST, why).into_response()
}
