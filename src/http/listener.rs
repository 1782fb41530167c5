//! Accepting connections on the HTTP listener so that no client can hold it: a cap on open
//! connections, a deadline for each request's headers, for the whole request (body and answer)
//! and for an idle keep-alive connection, and a shutdown that keeps its grace period whatever
//! the clients do.
//!
//! axum's own `serve` has none of these (it serves without a timer, so hyper's header timeout
//! never fires), so connections are served here with hyper directly: a few hundred slow or idle
//! clients cannot exhaust file descriptors, keep `/healthz` from answering, or hold the process
//! past its grace after SIGTERM.

use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::response::IntoResponse as _;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::roster::{Roster, Seat};
use crate::metrics::Metrics;

/// At the connection cap, a connection idle at least this long is closed to make room for a
/// new one ([`Roster`]); one idle for less is not, so a client between its connecting and
/// its first byte is not cut off.
pub const MAKE_ROOM_AFTER: Duration = Duration::from_secs(1);

/// How long a new connection waits for the room an idle one's closing makes.
const ROOM_WAIT: Duration = Duration::from_millis(500);

/// How long requests in progress get after shutdown begins; answers the intake accepted get
/// the same (the runtime's grace is this one).
pub const GRACE: Duration = Duration::from_secs(8);

/// What one listener allows each client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once; one more is closed at once (and counted as refused).
    pub connections: usize,
    /// From a connection's first byte to the end of a request's headers.
    pub headers: Duration,
    /// From the end of the headers to the end of the answer: the body is read inside it, so a
    /// body trickled in byte by byte is cut off.
    pub request: Duration,
    /// How long a keep-alive connection may wait for its next request.
    pub idle: Duration,
    /// After shutdown, how long requests in progress may take before their connections close.
    pub grace: Duration,
}

impl Default for Limits {
    /// Generous for platforms (Slack, Discord and homeservers send small requests quickly), far
    /// below what lets idle clients pile up; well under the process's file-descriptor limit
    /// (1,024 by default under systemd) with room for outgoing connections.
    fn default() -> Limits {
        Limits {
            connections: 512,
            headers: Duration::from_secs(10),
            request: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            grace: GRACE,
        }
    }
}

/// Serves `router` on `listener` until `shutdown`, within `limits`. Returns once every
/// connection has finished, or when the grace period is over (the rest are dropped).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    limits: Limits,
    metrics: Option<Arc<Metrics>>,
) -> std::io::Result<()> {
    let router = router.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| async move {
            match tokio::time::timeout(limits.request, next.run(request)).await {
                Ok(response) => response,
                Err(_) => axum::http::StatusCode::REQUEST_TIMEOUT.into_response(),
            }
        },
    ));
    let permits = Arc::new(Semaphore::new(limits.connections));
    let roster = Roster::new();
    let connections = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let tcp = match accepted {
            Ok((tcp, _)) => tcp,
            // Out of descriptors or a connection reset before it was taken: wait a moment
            // rather than spin, and keep listening.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(permit) => Some(permit),
            // Full: the connection idle longest makes room, if there is one.
            Err(_) if roster.close_quietest(MAKE_ROOM_AFTER) => {
                tokio::time::timeout(ROOM_WAIT, Arc::clone(&permits).acquire_owned())
                    .await
                    .ok()
                    .and_then(Result::ok)
            }
            Err(_) => None,
        };
        let Some(permit) = permit else {
            if let Some(metrics) = &metrics {
                metrics.refuse("http", "connections");
            }
            drop(tcp);
            continue;
        };
        // Answers are one write each; without TCP_NODELAY a keep-alive connection's next answer
        // can wait on the peer's delayed ACK.
        let _ = tcp.set_nodelay(true);
        let seat = roster.join();
        let evicted = seat.close.clone();
        let io = IdleIo::new(TokioIo::new(tcp), limits.idle, seat);
        let service = TowerToHyperService::new(router.clone());
        let shutdown = shutdown.clone();
        connections.spawn(async move {
            let _permit = permit;
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.headers)
                .keep_alive(true)
                .serve_connection(io, service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                // Closed to make room: it was idle, so no answer is cut short.
                () = evicted.cancelled() => {}
                () = shutdown.cancelled() => {
                    // Finish the request in progress, then close; a client that never
                    // finishes its request is cut off with the grace period.
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(limits.grace, connection).await;
                }
            }
        });
    }
    connections.close();
    let _ = tokio::time::timeout(limits.grace, connections.wait()).await;
    Ok(())
}

/// A connection that ends once it has been idle (nothing read or written) for `idle`: hyper's
/// header timeout starts only with a request's first byte, so a keep-alive connection that
/// sends nothing would otherwise stay open for ever.
struct IdleIo<T> {
    inner: T,
    idle: Duration,
    deadline: std::pin::Pin<Box<tokio::time::Sleep>>,
    /// Where the roster learns this connection's moves.
    seat: Seat,
}

impl<T> IdleIo<T> {
    fn new(inner: T, idle: Duration, seat: Seat) -> IdleIo<T> {
        IdleIo {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
            seat,
        }
    }

    /// Pushes the deadline back: something was read or written.
    fn touch(&mut self) {
        let next = tokio::time::Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }

    /// An error once the deadline has passed, so hyper closes the connection.
    fn expired(&mut self, cx: &mut std::task::Context<'_>) -> bool {
        self.deadline.as_mut().poll(cx).is_ready()
    }
}

fn idle_error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, "connection idle")
}

impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for IdleIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                self.touch();
                self.seat.read();
                Poll::Ready(result)
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for IdleIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                self.touch();
                self.seat.wrote();
                Poll::Ready(result)
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
