//! Socket Mode: for workspaces without a public URL. The adapter asks `apps.connections.open`
//! (with the app-level `xapp-` token) for a websocket URL, connects, and receives the same
//! slash commands and events as over HTTP, wrapped in envelopes.
//!
//! Every envelope is acknowledged with its `envelope_id`; a slash command's ack carries the
//! first message of the answer, as its HTTP response would. Slack rotates connections by
//! sending `disconnect`: the adapter opens a new one at once. When the socket drops or cannot be
//! opened it tries again after a capped exponential backoff; a rejected token ends the adapter.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

use crate::adapters::backoff::Backoff;
use crate::config::Secret;
use crate::render::slack::SlackMessage;

use super::commands::SlashCommand;
use super::dispatch::{Adapter, Source};
use super::events::Callback;
use super::interactive::Interaction;
use super::shortcut::Shortcut;
use super::SlackError;

/// Wait before the first retry after a failure.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest wait between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Largest websocket message accepted (Slack's envelopes are a few KiB).
const MAX_MESSAGE: usize = 1 << 20;

/// One message from Slack over the socket.
#[derive(Debug, Deserialize)]
struct Envelope {
    /// `hello`, `disconnect`, `events_api`, `slash_commands`, `interactive`.
    #[serde(rename = "type")]
    kind: String,
    /// What to acknowledge (absent on `hello` and `disconnect`).
    #[serde(default)]
    envelope_id: Option<String>,
    /// The event, command or interaction.
    #[serde(default)]
    payload: Option<serde_json::Value>,
    /// Why Slack is disconnecting (`refresh_requested`, `link_disabled`, …).
    #[serde(default)]
    reason: Option<String>,
}

/// The acknowledgement of one envelope.
#[derive(Debug, Serialize)]
struct Ack<'a> {
    envelope_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a SlackMessage>,
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Shutdown was requested.
    Shutdown,
    /// Slack sent `disconnect`: reconnect now.
    Asked,
    /// The socket failed or closed; `greeted` if Slack had said hello on it.
    Dropped { greeted: bool },
}

/// Runs Socket Mode until `shutdown` is cancelled or the app token is rejected.
pub(crate) async fn run(
    adapter: Arc<Adapter>,
    app_token: Secret,
    shutdown: CancellationToken,
) -> Result<(), SlackError> {
    // wss:// needs a rustls crypto provider; pick ring explicitly so it works whichever other
    // providers the build enables. An error means one is installed already, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut backoff = Backoff::new(FIRST_BACKOFF, MAX_BACKOFF);
    loop {
        let end = tokio::select! {
            () = shutdown.cancelled() => End::Shutdown,
            end = connection(&adapter, &app_token, &shutdown) => end?,
        };
        let wait = match end {
            End::Shutdown => return Ok(()),
            End::Asked => {
                backoff.reset();
                continue;
            }
            // A connection that worked was lost: try again soon, from the start of the schedule.
            End::Dropped { greeted: true } => {
                backoff.reset();
                backoff.next_delay()
            }
            End::Dropped { greeted: false } => backoff.next_delay(),
        };
        tracing::info!(
            wait_ms = wait.as_millis() as u64,
            "slack socket mode: reconnecting"
        );
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Opens one connection and serves it until it ends. Only a rejected token is an error.
async fn connection(
    adapter: &Arc<Adapter>,
    app_token: &Secret,
    shutdown: &CancellationToken,
) -> Result<End, SlackError> {
    let Some(socket) = open(adapter, app_token).await? else {
        return Ok(End::Dropped { greeted: false });
    };
    let (mut sink, mut stream) = socket.split();
    let mut greeted = false;
    loop {
        let frame = tokio::select! {
            () = shutdown.cancelled() => {
                let _ = sink.send(Message::Close(None)).await;
                return Ok(End::Shutdown);
            }
            frame = stream.next() => frame,
        };
        let text = match frame {
            Some(Ok(Message::Text(text))) => text,
            // tungstenite answers pings itself.
            Some(Ok(
                Message::Ping(_) | Message::Pong(_) | Message::Binary(_) | Message::Frame(_),
            )) => continue,
            Some(Ok(Message::Close(_))) | None => {
                tracing::info!(outcome = "closed", "slack socket mode");
                return Ok(End::Dropped { greeted });
            }
            Some(Err(e)) => {
                tracing::warn!(outcome = "failed", "slack socket mode: {e}");
                return Ok(End::Dropped { greeted });
            }
        };
        let Ok(envelope) = serde_json::from_str::<Envelope>(text.as_str()) else {
            tracing::warn!(outcome = "unreadable envelope", "slack socket mode");
            continue;
        };
        match envelope.kind.as_str() {
            "hello" => {
                greeted = true;
                tracing::info!(outcome = "connected", "slack socket mode");
            }
            "disconnect" => {
                let reason = envelope.reason.as_deref().unwrap_or("unknown");
                tracing::info!(reason, "slack socket mode: Slack asked to reconnect");
                let _ = sink.send(Message::Close(None)).await;
                return Ok(End::Asked);
            }
            _ => {}
        }
        let Some(envelope_id) = envelope.envelope_id.as_deref() else {
            continue;
        };
        // A slash command's answer rides on the ack; everything else is acknowledged first.
        let command = match (&*envelope.kind, &envelope.payload) {
            ("slash_commands", Some(payload)) => SlashCommand::deserialize(payload).ok(),
            _ => None,
        };
        let answer = match command {
            Some(command) => Some(adapter.slash(&command, Source::Socket).await),
            None => None,
        };
        let ack = Ack {
            envelope_id,
            payload: answer.as_ref(),
        };
        let ack = serde_json::to_string(&ack).expect("acks serialize");
        if let Err(e) = sink.send(Message::text(ack)).await {
            tracing::warn!(outcome = "ack failed", "slack socket mode: {e}");
            return Ok(End::Dropped { greeted });
        }
        dispatch(adapter, envelope).await;
    }
}

/// Asks Slack for a Socket Mode URL and opens the websocket; `None` when this attempt failed
/// in a way worth retrying (logged), an error when the token is refused.
async fn open(
    adapter: &Adapter,
    app_token: &Secret,
) -> Result<Option<WebSocketStream<MaybeTlsStream<TcpStream>>>, SlackError> {
    let url = match adapter.api.open_connection(app_token).await {
        Ok(url) => url,
        Err(e) if e.is_auth() => return Err(e.into()),
        // Logged by the client.
        Err(_) => return Ok(None),
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE));
    match tokio_tungstenite::connect_async_with_config(url.as_str(), Some(config), false).await {
        Ok((socket, _)) => {
            tracing::debug!("slack socket mode: websocket open");
            Ok(Some(socket))
        }
        Err(e) => {
            tracing::warn!(outcome = "connect failed", "slack socket mode: {e}");
            Ok(None)
        }
    }
}

/// Handles an acknowledged envelope: a shortcut or interaction, or an Events API callback.
async fn dispatch(adapter: &Arc<Adapter>, envelope: Envelope) {
    match envelope.kind.as_str() {
        "interactive" => {
            if let Some(shortcut) = envelope.payload.as_ref().and_then(Shortcut::from_json) {
                let _ = adapter.message_action(&shortcut, Source::Socket).await;
                return;
            }
            match envelope.payload.map(serde_json::from_value::<Interaction>) {
                Some(Ok(interaction)) => adapter.interaction(interaction),
                _ => tracing::warn!(outcome = "unreadable interaction", "slack socket mode"),
            }
        }
        "events_api" => match envelope.payload.map(serde_json::from_value::<Callback>) {
            Some(Ok(Callback::EventCallback {
                event_id,
                team_id,
                mut event,
            })) => {
                event.team = event.team.or(team_id);
                // Over the socket the adapter waits for room, so it is never refused.
                let _ = adapter
                    .event(event_id.as_deref(), &event, Source::Socket)
                    .await;
            }
            Some(Ok(_)) => {}
            _ => tracing::warn!(outcome = "unreadable event", "slack socket mode"),
        },
        _ => {}
    }
}
