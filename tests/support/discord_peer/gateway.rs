//! The peer's gateway: Hello on connect, READY for an Identify, RESUMED for a Resume, an ACK
//! for each heartbeat, and whatever the test dispatches; records every frame the bot sends.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

use super::{Control, Frame, State};

pub(super) async fn serve_gateway(state: Arc<State>, listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        if state.refusing.load(Ordering::SeqCst) {
            state.refused.fetch_add(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let number = state.connection_count.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::spawn(gateway_connection(Arc::clone(&state), stream, number));
    }
}

async fn gateway_connection(state: Arc<State>, stream: TcpStream, number: usize) {
    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel();
    state.connections.lock().unwrap().push((number, tx));
    let hello = json!({ "op": 10, "d": { "heartbeat_interval": state.heartbeat_ms }, "s": null, "t": null });
    if sink
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = source.next() => {
                let Some(Ok(message)) = incoming else { break };
                let Message::Text(text) = message else {
                    if matches!(message, Message::Close(_)) {
                        // Complete the closing handshake, as Discord does.
                        let _ = sink.close().await;
                        break;
                    }
                    continue;
                };
                let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                let op = frame["op"].as_u64().unwrap_or(u64::MAX);
                let d = frame["d"].clone();
                let answer = match op {
                    1 => Some(r#"{"op":11,"d":null,"s":null,"t":null}"#.to_string()),
                    2 => Some(ready(&state, &d)),
                    6 => {
                        let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        Some(format!(r#"{{"op":0,"s":{seq},"t":"RESUMED","d":{{"_trace":["peer"]}}}}"#))
                    }
                    _ => None,
                };
                state.frames.lock().unwrap().push(Frame { connection: number, op, d });
                if let Some(answer) = answer {
                    if sink.send(Message::Text(answer.into())).await.is_err() { break }
                }
            }
            control = rx.recv() => match control {
                Some(Control::Send(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() { break }
                }
                Some(Control::Close(code)) => {
                    let frame = CloseFrame { code: CloseCode::from(code), reason: "peer closed".into() };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break;
                }
                Some(Control::Drop) | None => break,
            }
        }
    }
    state
        .connections
        .lock()
        .unwrap()
        .retain(|(n, _)| *n != number);
}

/// The READY dispatch for an Identify: the fixture with this peer's URL and the shard asked for.
fn ready(state: &State, identify: &Value) -> String {
    let mut d: Value = serde_json::from_str(&state.ready).expect("ready fixture");
    d["resume_gateway_url"] = json!(state.gateway_url);
    if let Some(shard) = identify.get("shard") {
        d["shard"] = shard.clone();
    }
    let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 1;
    json!({ "op": 0, "s": seq, "t": "READY", "d": d }).to_string()
}
