//! Helpers for the Slack adapter tests, all on 127.0.0.1: the adapter started on port 0 with
//! helpers to send it signed requests, Slack payload builders, and two peers playing Slack's part
//! ([`WebApiPeer`] records Web API calls, [`SocketPeer`] is the Socket Mode websocket).

mod socket_peer;
mod web_api_peer;

pub use socket_peer::{recv_json, send_json, SocketPeer};
pub use web_api_peer::WebApiPeer;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use signpost::adapters::slack::{self, verify, SlackError};
use signpost::adapters::Service;
use signpost::config::{Secret, SlackMode, SlackSettings};
use signpost::index::load_dir;
use signpost::intake::Limits;
use signpost::Signpost;

/// The signing secret the tests sign with.
pub const SECRET: &str = "test-signing-secret-8f742231b10e";
/// The bot token the adapter is given.
pub const BOT_TOKEN: &str = "xoxb-test-token";
/// The app-level token for Socket Mode.
pub const APP_TOKEN: &str = "xapp-test-token";
/// The bot's user id, as the peer's `auth.test` reports it.
pub const BOT_USER: &str = "UBOTSIGNPOST";
/// How long any wait in these tests may take before it counts as a failure.
pub const PATIENCE: Duration = Duration::from_secs(5);

/// A core serving the real index, shared by the adapters under test.
pub fn shared_core() -> Arc<Signpost> {
    static CORE: OnceLock<Arc<Signpost>> = OnceLock::new();
    Arc::clone(CORE.get_or_init(|| {
        let index = load_dir(&crate::support::data_dir())
            .expect("data/ is valid")
            .index;
        Arc::new(Signpost::new(index, "!"))
    }))
}

/// The adapter in HTTP mode on 127.0.0.1:0, stopped when dropped.
pub struct HttpAdapter {
    /// Where it listens.
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    client: reqwest::Client,
}

impl Drop for HttpAdapter {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Settings pointing at `peer`.
pub fn settings(peer: &WebApiPeer, mode: SlackMode) -> SlackSettings {
    SlackSettings {
        bot_token: Secret::new(BOT_TOKEN),
        signing_secret: Some(Secret::new(SECRET)),
        app_token: Some(Secret::new(APP_TOKEN)),
        mode,
        api_base: Some(peer.base()),
        welcome: Default::default(),
    }
}

impl HttpAdapter {
    /// Starts the adapter with its Web API at `peer`.
    pub async fn start(peer: &WebApiPeer) -> HttpAdapter {
        HttpAdapter::start_with(peer, |_| {}).await
    }

    /// [`HttpAdapter::start`] on a service the test adjusts (moderators, limits).
    pub async fn start_with(peer: &WebApiPeer, adjust: impl FnOnce(&mut Service)) -> HttpAdapter {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind adapter");
        let addr = listener.local_addr().expect("adapter address");
        let mut service = Service::new(shared_core(), Limits::default());
        adjust(&mut service);
        let shutdown = service.shutdown.clone();
        tokio::spawn(slack::serve(
            listener,
            settings(peer, SlackMode::Http),
            service,
        ));
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        HttpAdapter {
            addr,
            shutdown,
            client,
        }
    }

    /// A client for a Slack endpoint some other process serves at `addr`.
    pub fn at(addr: SocketAddr) -> HttpAdapter {
        HttpAdapter {
            addr,
            shutdown: CancellationToken::new(),
            client: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
        }
    }

    /// Posts `body` to `path`, signed now with [`SECRET`], with `extra` headers.
    pub async fn signed(
        &self,
        path: &str,
        body: &str,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let now = verify::unix_now();
        let signature = verify::sign(SECRET, now, body.as_bytes());
        self.post(path, body, Some(&now.to_string()), Some(&signature), extra)
            .await
    }

    /// Posts a signed form (slash command) and returns the status and JSON answer.
    pub async fn slash(&self, command: &str, text: &str, response_url: &str) -> (u16, Value) {
        self.slash_as("T0001", "UALICE", command, text, response_url)
            .await
    }

    /// [`HttpAdapter::slash`] by `user` in workspace `team`.
    pub async fn slash_as(
        &self,
        team: &str,
        user: &str,
        command: &str,
        text: &str,
        response_url: &str,
    ) -> (u16, Value) {
        let body = serde_urlencoded::to_string([
            ("token", "deprecated-verification-token"),
            ("team_id", team),
            ("channel_id", "C0001"),
            ("user_id", user),
            ("command", command),
            ("text", text),
            ("response_url", response_url),
            ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ])
        .expect("form");
        let response = self.signed("/slack/commands", &body, &[]).await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Posts an Events API payload, signed, with `extra` headers; returns the status.
    pub async fn event(&self, payload: &Value, extra: &[(&str, &str)]) -> u16 {
        self.signed("/slack/events", &payload.to_string(), extra)
            .await
            .status()
            .as_u16()
    }

    /// Posts `body` with the given signature headers (each omitted when `None`).
    pub async fn post(
        &self,
        path: &str,
        body: &str,
        timestamp: Option<&str>,
        signature: Option<&str>,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let content_type = if path == "/slack/commands" || path == "/slack/interactions" {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let mut request = self
            .client
            .post(format!("http://{}{path}", self.addr))
            .header("content-type", content_type)
            .body(body.to_string());
        if let Some(ts) = timestamp {
            request = request.header(verify::TIMESTAMP_HEADER, ts);
        }
        if let Some(sig) = signature {
            request = request.header(verify::SIGNATURE_HEADER, sig);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        request.send().await.expect("adapter answers")
    }

    /// A GET, for `/healthz`.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("http://{}{path}", self.addr))
            .send()
            .await
            .expect("adapter answers");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }
}

/// An `event_callback` payload with `event_id` around `event`.
pub fn callback(event_id: &str, event: Value) -> Value {
    json!({
        "token": "deprecated",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1_700_000_000,
        "event": event,
    })
}

/// A person's message event in `channel` (`channel_type` `channel` or `im`).
pub fn message(channel: &str, channel_type: &str, text: &str, ts: &str) -> Value {
    json!({
        "type": "message",
        "channel": channel,
        "channel_type": channel_type,
        "user": "UALICE",
        "text": text,
        "ts": ts,
        "event_ts": ts,
    })
}

/// An `app_mention` event mentioning the bot before `text`.
pub fn mention(channel: &str, text: &str, ts: &str) -> Value {
    json!({
        "type": "app_mention",
        "channel": channel,
        "user": "UALICE",
        "text": format!("<@{BOT_USER}> {text}"),
        "ts": ts,
        "event_ts": ts,
    })
}

/// The interactivity route's form body for a `message_action` (a message shortcut) by `user`
/// on a message saying `text` in `channel`.
pub fn shortcut(callback_id: &str, user: &str, channel: &str, ts: &str, text: &str) -> String {
    let payload = json!({
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "response_url": "https://hooks.slack.com/app/T0001/1/abc",
        "team": {"id": "T0001", "domain": "example"},
        "channel": {"id": channel, "name": "general"},
        "user": {"id": user, "name": "someone"},
        "message_ts": ts,
        "message": {"type": "message", "user": "UTARGET", "ts": ts, "text": text},
    });
    serde_urlencoded::to_string([("payload", payload.to_string())]).expect("form")
}

/// Every mrkdwn text and the `text` fallback of a posted message, for escaping checks.
pub fn mrkdwn_texts(message: &Value) -> Vec<String> {
    let mut texts = vec![message["text"].as_str().unwrap_or_default().to_string()];
    for block in message["blocks"].as_array().into_iter().flatten() {
        let pieces = block["elements"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![block["text"].clone()]);
        for piece in pieces {
            if piece["type"] == "mrkdwn" {
                texts.push(piece["text"].as_str().unwrap_or_default().to_string());
            }
        }
    }
    texts
}

/// Starts the adapter in Socket Mode against `peer`; the task's result tells how it stopped.
pub fn start_socket_mode(
    peer: &WebApiPeer,
    shutdown: &CancellationToken,
) -> tokio::task::JoinHandle<Result<(), SlackError>> {
    let mut service = Service::new(shared_core(), Limits::default());
    service.shutdown = shutdown.clone();
    tokio::spawn(slack::run(
        settings(peer, SlackMode::Socket),
        "127.0.0.1:0".parse().expect("address"),
        service,
    ))
}
