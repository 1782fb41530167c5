//! A websocket peer on 127.0.0.1 playing Slack's side of Socket Mode.

use std::net::SocketAddr;
use std::time::Instant;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::PATIENCE;

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
