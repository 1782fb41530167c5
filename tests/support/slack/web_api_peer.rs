//! A local Slack Web API on 127.0.0.1 that records every call, answers `auth.test`,
//! `apps.connections.open`, `chat.post*` and `users.info` (ids starting `UBOT` are bots) as Slack
//! would, and can answer 429 or an error on demand.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use super::{BOT_USER, PATIENCE};

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
    /// Calls to this method are recorded, then not answered until [`WebApiPeer::release`].
    held: Mutex<Option<String>>,
    released: Notify,
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

    /// Calls to `method` get no answer until [`Self::release`] (a reply kept in flight).
    pub fn hold(&self, method: &str) {
        *lock(&self.state.held) = Some(method.to_string());
    }

    /// Answers the held calls, and every later one at once.
    pub fn release(&self) {
        *lock(&self.state.held) = None;
        self.state.released.notify_waiters();
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
    loop {
        let released = state.released.notified();
        if lock(&state.held).as_deref() != Some(method.as_str()) {
            break;
        }
        released.await;
    }
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
        // Users whose id starts with UBOT are bots.
        "users.info" => {
            let id = form(&body).get("user").cloned().unwrap_or_default();
            json!({"ok": true, "user": {"id": id, "is_bot": id.starts_with("UBOT")}})
        }
        _ => json!({"ok": true}),
    };
    axum_json(answer)
}

async fn respond(State(state): State<Arc<PeerState>>, headers: HeaderMap, body: Bytes) -> Response {
    record(&state, "response_url", &headers, &body, 200);
    "ok".into_response()
}

fn record(state: &PeerState, method: &str, headers: &HeaderMap, body: &[u8], status: u16) {
    // JSON, or a form (read methods such as users.info) as an object of its fields.
    let fields = form(body);
    let call = Call {
        method: method.to_string(),
        body: serde_json::from_slice(body).unwrap_or_else(|_| {
            if fields.is_empty() {
                Value::Null
            } else {
                json!(fields)
            }
        }),
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

fn form(body: &[u8]) -> HashMap<String, String> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

fn axum_json(value: Value) -> Response {
    ([("content-type", "application/json")], value.to_string()).into_response()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
