//! A local web server for the link checker's tests and benchmark: one fixed answer per path,
//! on 127.0.0.x, counting how many requests it holds at once. It runs on its own thread and
//! runtime, so a plain `#[test]` that runs the `signpost` binary can use it as well as an async
//! test, and it stops when dropped.
//!
//! | path | answer |
//! | --- | --- |
//! | `/ok` (and anything unlisted) | 200 |
//! | `/moved` | 301 to `/ok` |
//! | `/gone` | 404 |
//! | `/broken` | 500 |
//! | `/private` | 403 |
//! | `/slow` | never: it waits for a signal nobody sends, so only the client's timeout ends it |
//! | `/loop` | 302 to `/loop-back`, which redirects to `/loop` |
//! | `/head-refused` | HEAD 405, GET 200 |

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Empty;
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::{oneshot, Notify};

/// How many requests a server (or several sharing it) held at once.
#[derive(Debug, Default)]
pub struct Concurrency {
    now: AtomicUsize,
    max: AtomicUsize,
    total: AtomicUsize,
}

impl Concurrency {
    /// The most requests held at once so far.
    pub fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    /// Requests received so far.
    pub fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    fn enter(self: &Arc<Self>) -> Held {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        self.total.fetch_add(1, Ordering::SeqCst);
        Held(Arc::clone(self))
    }
}

/// One request being held; counted out when dropped, also when the client gives up.
struct Held(Arc<Concurrency>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running server.
pub struct LinkServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its own count of requests at once.
    pub concurrency: Arc<Concurrency>,
    stop: Option<oneshot::Sender<()>>,
}

impl LinkServer {
    /// Starts a server on `ip` (any port), counting into its own counter and `shared` too, and
    /// holding each answer for `delay` so that overlapping requests overlap at the server.
    pub fn start(ip: IpAddr, shared: Option<Arc<Concurrency>>, delay: Duration) -> LinkServer {
        let listener = std::net::TcpListener::bind((ip, 0)).expect("bind a local port");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("local address");
        let concurrency = Arc::new(Concurrency::default());
        let counters: Vec<Arc<Concurrency>> = std::iter::once(Arc::clone(&concurrency))
            .chain(shared)
            .collect();
        let (stop, stopped) = oneshot::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(serve(listener, Arc::new(counters), delay, stopped));
        });
        LinkServer {
            addr,
            concurrency,
            stop: Some(stop),
        }
    }

    /// `http://addr/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for LinkServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    counters: Arc<Vec<Arc<Concurrency>>>,
    delay: Duration,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    // Never notified: `/slow` waits on it, so it answers only if the test is wrong.
    let never = Arc::new(Notify::new());
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let (counters, never) = (Arc::clone(&counters), Arc::clone(&never));
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (counters, never) = (Arc::clone(&counters), Arc::clone(&never));
                async move { Ok::<_, Infallible>(answer(&counters, &never, delay, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    counters: &[Arc<Concurrency>],
    never: &Notify,
    delay: Duration,
    request: Request<hyper::body::Incoming>,
) -> Response<Empty<Bytes>> {
    let _held: Vec<Held> = counters.iter().map(Concurrency::enter).collect();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let head = request.method() == Method::HEAD;
    match request.uri().path() {
        "/moved" => redirect(301, "/ok"),
        "/gone" => status(404),
        "/broken" => status(500),
        "/private" => status(403),
        "/slow" => {
            never.notified().await;
            status(200)
        }
        "/loop" => redirect(302, "/loop-back"),
        "/loop-back" => redirect(302, "/loop"),
        "/head-refused" if head => status(405),
        _ => status(200),
    }
}

fn status(code: u16) -> Response<Empty<Bytes>> {
    let mut response = Response::new(Empty::new());
    *response.status_mut() = StatusCode::from_u16(code).expect("a status");
    response
}

fn redirect(code: u16, to: &str) -> Response<Empty<Bytes>> {
    let mut response = status(code);
    response
        .headers_mut()
        .insert("location", to.parse().expect("a header value"));
    response
}

/// A `127.0.0.1` port nothing listens on: bound, then closed.
pub fn refused_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}
