//! Local Slack peers for the adapter tests, all on 127.0.0.1: a Web API peer that records every
//! call (and can answer 429 on demand), a websocket peer playing Slack's Socket Mode side, and
//! the adapter itself started on port 0 with helpers to send it signed requests.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;

use signpost::adapters::slack::{self, verify, SlackError};
use signpost::config::{Secret, SlackMode, SlackSettings};
use signpost::index::load_dir;
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
        let index = load_dir(&super::data_dir()).expect("data/ is valid").index;
        Arc::new(Signpost::new(index, "!"))
    }))
}

/// One request the Web API peer received.
#[derive(Debug, Clone)]
pub struct Call {
    /// `chat.postMessage`, `auth.test`, … or `response_url`.
    pub method: String,
    /// The JSON body (`Null` when there was none).
    pub body: Value,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The status the peer answered.
    pub status: u16,
    /// When it arrived.
    pub at: Instant,
}

#[derive(Default)]
struct PeerState {
    calls: Mutex<Vec<Call>>,
    arrived: Notify,
    /// Per method, how many of the next calls get a 429.
    rate_limited: Mutex<HashMap<String, u32>>,
    /// Per method, a Slack error code to answer with.
    failing: Mutex<HashMap<String, String>>,
    /// What `apps.connections.open` returns.
    socket_url: Mutex<Option<String>>,
}

/// A local Slack Web API that records calls.
pub struct WebApiPeer {
    /// Where it listens.
    pub addr: SocketAddr,
    state: Arc<PeerState>,
}

impl WebApiPeer {
    /// Starts a peer on 127.0.0.1:0 (it stops with the test's runtime).
    pub async fn start() -> WebApiPeer {
        let state = Arc::new(PeerState::default());
        let app = Router::new()
            .route("/api/{method}", post(api))
            .route("/respond/{id}", post(respond))
            .with_state(Arc::clone(&state));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind peer");
        let addr = listener.local_addr().expect("peer address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        WebApiPeer { addr, state }
    }

    /// The `api_base` to give the adapter.
    pub fn base(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/api/", self.addr)).expect("valid URL")
    }

    /// A `response_url` served by this peer.
    pub fn response_url(&self, id: &str) -> String {
        format!("http://{}/respond/{id}", self.addr)
    }

    /// The next `times` calls to `method` are answered 429 with `Retry-After: 1`.
    pub fn rate_limit_next(&self, method: &str, times: u32) {
        lock(&self.state.rate_limited).insert(method.to_string(), times);
    }

    /// Calls to `method` are answered `{"ok": false, "error": error}`.
    pub fn fail(&self, method: &str, error: &str) {
        lock(&self.state.failing).insert(method.to_string(), error.to_string());
    }

    /// What `apps.connections.open` answers from now on.
    pub fn set_socket_url(&self, url: String) {
        *lock(&self.state.socket_url) = Some(url);
    }

    /// Every call to `method` so far.
    pub fn calls(&self, method: &str) -> Vec<Call> {
        lock(&self.state.calls)
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// Waits until `method` has been called `count` times; panics after [`PATIENCE`].
    pub async fn wait_for(&self, method: &str, count: usize) -> Vec<Call> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let arrived = self.state.arrived.notified();
            let calls = self.calls(method);
            if calls.len() >= count {
                return calls;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if tokio::time::timeout(left, arrived).await.is_err() {
                panic!(
                    "waited {PATIENCE:?} for {count} {method} calls; got {:#?}",
                    lock(&self.state.calls)
                );
            }
        }
    }
}

async fn api(
    State(state): State<Arc<PeerState>>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let limited = {
        let mut limits = lock(&state.rate_limited);
        match limits.get_mut(&method) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    };
    let status = if limited { 429 } else { 200 };
    record(&state, &method, &headers, &body, status);
    if limited {
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], "").into_response();
    }
    if let Some(error) = lock(&state.failing).get(&method) {
        return axum_json(json!({"ok": false, "error": error}));
    }
    let answer = match method.as_str() {
        "auth.test" => json!({"ok": true, "user_id": BOT_USER, "bot_id": "BSIGNPOST"}),
        "apps.connections.open" => match lock(&state.socket_url).clone() {
            Some(url) => json!({"ok": true, "url": url}),
            None => json!({"ok": false, "error": "no socket peer"}),
        },
        "chat.postMessage" => json!({"ok": true, "channel": "C1", "ts": "1700000001.000200"}),
        _ => json!({"ok": true}),
    };
    axum_json(answer)
}

async fn respond(State(state): State<Arc<PeerState>>, headers: HeaderMap, body: Bytes) -> Response {
    record(&state, "response_url", &headers, &body, 200);
    "ok".into_response()
}

fn record(state: &PeerState, method: &str, headers: &HeaderMap, body: &[u8], status: u16) {
    let call = Call {
        method: method.to_string(),
        body: serde_json::from_slice(body).unwrap_or(Value::Null),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        status,
        at: Instant::now(),
    };
    lock(&state.calls).push(call);
    state.arrived.notify_waiters();
}

fn axum_json(value: Value) -> Response {
    ([("content-type", "application/json")], value.to_string()).into_response()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
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
    }
}

impl HttpAdapter {
    /// Starts the adapter with its Web API at `peer`.
    pub async fn start(peer: &WebApiPeer) -> HttpAdapter {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind adapter");
        let addr = listener.local_addr().expect("adapter address");
        let shutdown = CancellationToken::new();
        tokio::spawn(slack::serve(
            listener,
            settings(peer, SlackMode::Http),
            shared_core(),
            shutdown.clone(),
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
        let body = serde_urlencoded::to_string([
            ("token", "deprecated-verification-token"),
            ("team_id", "T0001"),
            ("channel_id", "C0001"),
            ("user_id", "UALICE"),
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
        let content_type = if path == "/slack/commands" {
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

/// A websocket peer playing Slack's side of Socket Mode.
pub struct SocketPeer {
    /// Where it listens.
    pub addr: SocketAddr,
    connections: mpsc::UnboundedReceiver<WebSocketStream<TcpStream>>,
}

impl SocketPeer {
    /// Starts accepting websocket connections on 127.0.0.1:0.
    pub async fn start() -> SocketPeer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind ws");
        let addr = listener.local_addr().expect("ws address");
        let (sender, connections) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                if let Ok(socket) = tokio_tungstenite::accept_async(stream).await {
                    if sender.send(socket).is_err() {
                        break;
                    }
                }
            }
        });
        SocketPeer { addr, connections }
    }

    /// The URL `apps.connections.open` hands out.
    pub fn url(&self) -> String {
        format!("ws://{}/link/?ticket=test", self.addr)
    }

    /// The next connection the adapter opens; panics after [`PATIENCE`].
    pub async fn accept(&mut self) -> WebSocketStream<TcpStream> {
        tokio::time::timeout(PATIENCE, self.connections.recv())
            .await
            .expect("the adapter connects in time")
            .expect("peer still running")
    }
}

/// Sends one JSON message over `socket`.
pub async fn send_json(socket: &mut WebSocketStream<TcpStream>, value: Value) {
    socket
        .send(Message::text(value.to_string()))
        .await
        .expect("send to adapter");
}

/// The next JSON text message from the adapter; panics after [`PATIENCE`].
pub async fn recv_json(socket: &mut WebSocketStream<TcpStream>) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, socket.next())
            .await
            .expect("the adapter answers in time")
            .expect("socket open")
            .expect("readable frame");
        if let Message::Text(text) = frame {
            return serde_json::from_str(text.as_str()).expect("JSON from adapter");
        }
    }
}

/// Starts the adapter in Socket Mode against `peer`; the task's result tells how it stopped.
pub fn start_socket_mode(
    peer: &WebApiPeer,
    shutdown: &CancellationToken,
) -> tokio::task::JoinHandle<Result<(), SlackError>> {
    tokio::spawn(slack::run(
        settings(peer, SlackMode::Socket),
        "127.0.0.1:0".parse().expect("address"),
        shared_core(),
        shutdown.clone(),
    ))
}
