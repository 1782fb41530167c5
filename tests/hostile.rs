//! The HTTP listener against hostile clients: idle and slow connections are cut off, more
//! connections than the cap are closed at once, a body trickled past the request deadline gets
//! 408, and shutdown keeps its grace period whatever a client holds open.

use std::time::Duration;

use axum::routing::{get, post};
use axum::Router;
use signpost::http::listener::{serve, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// Short limits, so the test sees each one act.
const LIMITS: Limits = Limits {
    connections: 2,
    headers: Duration::from_millis(300),
    request: Duration::from_millis(400),
    idle: Duration::from_millis(300),
    grace: Duration::from_millis(300),
};

fn router() -> Router {
    Router::new().route("/ok", get(|| async { "ok" })).route(
        "/echo",
        post(|body: axum::body::Bytes| async move { body.len().to_string() }),
    )
}

async fn start(
    limits: Limits,
) -> (
    std::net::SocketAddr,
    CancellationToken,
    tokio::task::JoinHandle<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let stop = shutdown.clone();
    let task = tokio::spawn(async move {
        serve(listener, router(), stop, limits, None).await.unwrap();
    });
    (addr, shutdown, task)
}

/// Reads until the server closes the connection; what it sent.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn get_ok(addr: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    until_closed(&mut stream).await
}

/// A connection that sends nothing and one that trickles half its headers are both closed by
/// the server; while they are open, a connection beyond the cap is closed at once; afterwards a
/// well-behaved client is answered.
#[tokio::test]
async fn idle_and_slow_clients_are_cut_off() {
    let (addr, shutdown, task) = start(LIMITS).await;
    let mut silent = TcpStream::connect(addr).await.unwrap();
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /ok HTTP/1.1\r\nHost:").await.unwrap();
    // Both hold the two permits only once accepted; a request through either proves it.
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let refused = until_closed(&mut extra).await;
    assert!(refused.is_empty(), "over the cap: {refused:?}");
    assert!(until_closed(&mut silent).await.is_empty());
    assert!(!until_closed(&mut slow).await.contains("200 OK"));
    assert!(get_ok(addr).await.contains("200 OK"));
    shutdown.cancel();
    task.await.unwrap();
}

/// At the cap, the connection idle longest (silent for at least `MAKE_ROOM_AFTER`) is closed
/// to make room, so a flood of idle connections cannot keep a health check out; connections
/// sending a request are never closed for room, so with only those open a new one is refused.
#[tokio::test]
async fn idle_connections_make_room_at_the_cap() {
    use signpost::http::listener::MAKE_ROOM_AFTER;
    let hour = Duration::from_secs(3_600);
    let limits = Limits {
        connections: 2,
        headers: hour,
        request: hour,
        idle: hour,
        grace: Duration::from_millis(300),
    };
    let (addr, shutdown, task) = start(limits).await;
    let mut oldest = TcpStream::connect(addr).await.unwrap();
    let _newer = TcpStream::connect(addr).await.unwrap();
    // Both must have been idle for the time that makes them eligible.
    tokio::time::sleep(MAKE_ROOM_AFTER + Duration::from_millis(200)).await;
    assert!(
        get_ok(addr).await.contains("200 OK"),
        "the idle flood makes room"
    );
    assert!(
        until_closed(&mut oldest).await.is_empty(),
        "the oldest idle one went"
    );
    drop(_newer);

    let (addr, shutdown2, task2) = start(limits).await;
    let mut sending = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /ok HTTP/1.1\r\nHost:").await.unwrap();
        sending.push(s);
    }
    tokio::time::sleep(MAKE_ROOM_AFTER + Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let refused = until_closed(&mut extra).await;
    assert!(
        refused.is_empty(),
        "requests in progress are not closed for room: {refused:?}"
    );
    for s in &mut sending {
        s.write_all(b" x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        assert!(until_closed(s).await.contains("200 OK"), "still served");
    }
    shutdown.cancel();
    shutdown2.cancel();
    task.await.unwrap();
    task2.await.unwrap();
}

/// A body sent slower than the request deadline is answered 408, not waited for.
#[tokio::test]
async fn a_trickled_body_gets_408() {
    // The connection is not idle for long enough to be cut first.
    let limits = Limits {
        idle: Duration::from_secs(3_600),
        ..LIMITS
    };
    let (addr, shutdown, task) = start(limits).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        .await
        .unwrap();
    let answer = until_closed(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    shutdown.cancel();
    task.await.unwrap();
}

/// After shutdown, a client holding a half-sent request (with a header deadline far away)
/// keeps the listener only for the grace period: `serve` returns and the connection closes.
#[tokio::test]
async fn shutdown_keeps_its_grace() {
    let limits = Limits {
        headers: Duration::from_secs(3_600),
        idle: Duration::from_secs(3_600),
        request: Duration::from_secs(3_600),
        ..LIMITS
    };
    let (addr, shutdown, task) = start(limits).await;
    let mut held = TcpStream::connect(addr).await.unwrap();
    held.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\na")
        .await
        .unwrap();
    // The connection is being served once a well-behaved request beside it is answered.
    assert!(get_ok(addr).await.contains("200 OK"));
    shutdown.cancel();
    task.await.unwrap();
    assert!(!until_closed(&mut held).await.contains("200 OK"));
}
