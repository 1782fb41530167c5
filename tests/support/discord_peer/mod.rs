//! A Discord API v10 protocol peer on 127.0.0.1: a REST endpoint (hyper) and a websocket gateway
//! (tokio-tungstenite), enough of each for a bot to connect, identify, receive events and answer.
//!
//! No self-hostable Discord server exists, so the adapter's tests and benchmark run against this.
//! Payloads come from `tests/fixtures/discord/*.json`, shaped like the documented ones; the peer
//! only fills in ids, sequence numbers and its own address. It records every REST request (method,
//! path, raw body, arrival time) and every gateway frame the bot sends, for assertions, and can
//! answer the next matching requests with a scripted status (a 429, a 403).
//!
//! Gateway behaviour: Hello on connect; Identify → READY (shard echoed from the Identify);
//! Resume → RESUMED; Heartbeat → Heartbeat ACK. Tests push dispatches with [`Peer::dispatch`]
//! and can close or drop the socket to make the bot reconnect.
//!
//! Layout: this file holds the [`Peer`] handle and what tests read; `rest` serves the REST API
//! (plain and TLS) and `gateway` the websocket.

#![allow(dead_code)]

mod gateway;
mod rest;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The bot's user id (and application id, as for apps created since 2020).
pub const BOT_ID: u64 = 1_100_000_000_000_000_001;
/// The guild every fixture is in.
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
/// The channel every fixture is in.
pub const CHANNEL_ID: u64 = 1_210_000_000_000_000_001;
/// The DM channel the peer opens.
pub const DM_CHANNEL_ID: u64 = 1_220_000_000_000_000_001;
/// The person writing in the fixtures.
pub const USER_ID: u64 = 1_400_000_000_000_000_001;

/// Reads `tests/fixtures/discord/{name}.json`.
pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/discord")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, `PUT`…
    pub method: String,
    /// The path, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// The raw body.
    pub body: Bytes,
    /// When it arrived.
    pub at: Instant,
}

impl Recorded {
    /// The body as JSON (`null` when empty).
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&self.body).expect("the bot sent JSON")
        }
    }
}

/// One gateway frame the bot sent.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Which connection (1 for the first) it came on.
    pub connection: usize,
    /// The opcode (1 heartbeat, 2 identify, 6 resume…).
    pub op: u64,
    /// The payload.
    pub d: Value,
}

/// A canned answer for the next request whose path contains `path_contains`.
#[derive(Debug, Clone)]
pub struct Scripted {
    /// Matched against the request path.
    pub path_contains: String,
    /// The status to answer with.
    pub status: u16,
    /// Extra headers (`retry-after`, `x-ratelimit-*`).
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Value,
}

enum Control {
    Send(String),
    Close(u16),
    Drop,
}

struct State {
    gateway_url: String,
    heartbeat_ms: u64,
    requests: Mutex<Vec<Recorded>>,
    frames: Mutex<Vec<Frame>>,
    connections: Mutex<Vec<(usize, mpsc::UnboundedSender<Control>)>>,
    connection_count: AtomicUsize,
    /// While set, gateway connections are closed before the websocket handshake (an outage).
    refusing: std::sync::atomic::AtomicBool,
    refused: AtomicUsize,
    seq: AtomicU64,
    scripted: Mutex<VecDeque<Scripted>>,
    /// Requests whose path contains this are recorded, then not answered until
    /// [`Peer::release`].
    held: Mutex<Option<String>>,
    released: tokio::sync::Notify,
    /// When false, bodies are not kept (benchmarks: only method, path and time matter).
    keep_bodies: bool,
    ready: String,
    message: Bytes,
    dm_channel: Bytes,
}

/// A running peer; its tasks stop when it is dropped.
pub struct Peer {
    state: Arc<State>,
    /// REST base URL, e.g. `http://127.0.0.1:41234` (what `api_base` is set to).
    pub rest_url: String,
    /// Gateway URL, e.g. `ws://127.0.0.1:41235`.
    pub gateway_url: String,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for Peer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        for (_, tx) in self.state.connections.lock().unwrap().iter() {
            let _ = tx.send(Control::Drop);
        }
    }
}

impl Peer {
    /// Starts a peer with a 41.25 s heartbeat interval (Discord's usual).
    pub async fn start() -> Peer {
        Peer::with_heartbeat(41_250, true).await
    }

    /// Starts a peer asking for heartbeats every `heartbeat_ms`; `keep_bodies: false` records
    /// requests without their bodies.
    pub async fn with_heartbeat(heartbeat_ms: u64, keep_bodies: bool) -> Peer {
        let rest = TcpListener::bind("127.0.0.1:0").await.expect("bind REST");
        let gateway = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind gateway");
        let rest_addr = rest.local_addr().unwrap();
        let gateway_addr = gateway.local_addr().unwrap();
        let gateway_url = format!("ws://{gateway_addr}");
        let state = Arc::new(State {
            gateway_url: gateway_url.clone(),
            heartbeat_ms,
            requests: Mutex::new(Vec::new()),
            frames: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
            connection_count: AtomicUsize::new(0),
            refusing: std::sync::atomic::AtomicBool::new(false),
            refused: AtomicUsize::new(0),
            seq: AtomicU64::new(0),
            scripted: Mutex::new(VecDeque::new()),
            held: Mutex::new(None),
            released: tokio::sync::Notify::new(),
            keep_bodies,
            ready: fixture("ready").to_string(),
            message: Bytes::from(fixture("message").to_string()),
            dm_channel: Bytes::from(fixture("dm_channel").to_string()),
        });
        let tasks = vec![
            tokio::spawn(rest::serve_rest(Arc::clone(&state), rest)),
            tokio::spawn(gateway::serve_gateway(Arc::clone(&state), gateway)),
        ];
        Peer {
            state,
            rest_url: format!("http://{rest_addr}"),
            gateway_url,
            tasks,
        }
    }

    /// Sends a dispatch (op 0) with the next sequence number to every live connection.
    pub fn dispatch(&self, event: &str, d: &Value) -> u64 {
        self.dispatch_raw(event, &d.to_string())
    }

    /// [`Peer::dispatch`] with `d` already serialised (benchmarks prepare their payloads).
    pub fn dispatch_raw(&self, event: &str, d: &str) -> u64 {
        let seq = self.state.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let frame = format!(r#"{{"op":0,"s":{seq},"t":"{event}","d":{d}}}"#);
        for (_, tx) in self.state.connections.lock().unwrap().iter() {
            let _ = tx.send(Control::Send(frame.clone()));
        }
        seq
    }

    /// Also serves the REST API over TLS, with the fixtures' self-signed certificate for
    /// `discord.com`, and returns the address. A client that resolves discord.com to it can run
    /// serenity's production path (rate limiter on, no proxy) against this peer.
    pub async fn serve_tls(&mut self) -> std::net::SocketAddr {
        use tokio_rustls::rustls::pki_types::pem::PemObject;
        use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
        use tokio_rustls::rustls::{crypto, ServerConfig};
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/discord");
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(dir.join("tls-cert.pem"))
                .expect("certificate fixture")
                .collect::<Result<_, _>>()
                .expect("certificate PEM");
        let key = PrivateKeyDer::from_pem_file(dir.join("tls-key.pem")).expect("key fixture");
        let config =
            ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_no_client_auth()
                .with_single_cert(certs, key)
                .expect("certificate and key match");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind TLS");
        let addr = listener.local_addr().unwrap();
        let state = Arc::clone(&self.state);
        self.tasks.push(tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (acceptor, state) = (acceptor.clone(), Arc::clone(&state));
                tokio::spawn(async move {
                    if let Ok(tls) = acceptor.accept(stream).await {
                        rest::serve_http(state, tls).await;
                    }
                });
            }
        }));
        addr
    }

    /// Sends a raw gateway frame (e.g. op 9, Invalid Session) to every live connection.
    pub fn send_raw(&self, frame: &str) {
        for (_, tx) in self.state.connections.lock().unwrap().iter() {
            let _ = tx.send(Control::Send(frame.to_string()));
        }
    }

    /// Closes every live gateway connection with a close frame carrying `code`.
    pub fn close_connections(&self, code: u16) {
        for (_, tx) in self.state.connections.lock().unwrap().iter() {
            let _ = tx.send(Control::Close(code));
        }
    }

    /// Drops every live gateway connection without a close frame (a network failure).
    pub fn drop_connections(&self) {
        for (_, tx) in self.state.connections.lock().unwrap().iter() {
            let _ = tx.send(Control::Drop);
        }
    }

    /// Answers the next request whose path contains `script.path_contains` with `script`.
    pub fn script(&self, script: Scripted) {
        self.state.scripted.lock().unwrap().push_back(script);
    }

    /// Holds back the answers to requests whose path contains `path_contains` (they are still
    /// recorded on arrival) until [`Peer::release`].
    pub fn hold(&self, path_contains: &str) {
        *self.state.held.lock().unwrap() = Some(path_contains.to_string());
    }

    /// Answers every held request and stops holding.
    pub fn release(&self) {
        *self.state.held.lock().unwrap() = None;
        self.state.released.notify_waiters();
    }

    /// Every REST request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// How many REST requests so far.
    pub fn request_count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// Every gateway frame the bot has sent so far.
    pub fn frames(&self) -> Vec<Frame> {
        self.state.frames.lock().unwrap().clone()
    }

    /// Starts or ends a gateway outage: while on, connections are closed at once.
    pub fn refuse_gateway(&self, refusing: bool) {
        self.state.refusing.store(refusing, Ordering::SeqCst);
    }

    /// How many gateway connections were refused during outages.
    pub fn refused(&self) -> usize {
        self.state.refused.load(Ordering::SeqCst)
    }

    /// How many gateway connections have been accepted.
    pub fn connections(&self) -> usize {
        self.state.connection_count.load(Ordering::SeqCst)
    }

    /// Waits (polling, up to `within`) until `n` requests match; panics with what was seen.
    pub async fn wait_requests(
        &self,
        n: usize,
        within: Duration,
        matches: impl Fn(&Recorded) -> bool,
    ) -> Vec<Recorded> {
        let deadline = Instant::now() + within;
        loop {
            let found: Vec<Recorded> = self.requests().into_iter().filter(&matches).collect();
            if found.len() >= n {
                return found;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = self
                    .requests()
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect();
                panic!(
                    "waited {within:?} for {n} requests, found {}: {seen:#?}",
                    found.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits until `n` gateway frames with opcode `op` have arrived.
    pub async fn wait_frames(&self, op: u64, n: usize, within: Duration) -> Vec<Frame> {
        let deadline = Instant::now() + within;
        loop {
            let found: Vec<Frame> = self.frames().into_iter().filter(|f| f.op == op).collect();
            if found.len() >= n {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "waited {within:?} for {n} frames with op {op}, found {}",
                found.len()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}
