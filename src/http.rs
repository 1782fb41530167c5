//! The HTTP listener every service mode shares: `GET /healthz` (the process is alive),
//! `GET /readyz` (the index is loaded and every enabled adapter connected; a JSON body names
//! any that is not), `GET /metrics` (Prometheus text), and the routes a platform mounts on it
//! (Slack's, when Slack runs over HTTP). Mounting is dynamic because adapters start, fail and
//! restart under the supervisor while the listener stays up.

use std::sync::{Arc, RwLock};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

use crate::adapters::Service;

/// Routes a platform adapter lends the listener while it runs.
#[derive(Debug, Default)]
pub struct Mount {
    routes: RwLock<Option<Router>>,
}

impl Mount {
    /// Serves `routes` from now on (replacing any before).
    pub fn set(&self, routes: Router) {
        *self.routes.write().unwrap_or_else(|p| p.into_inner()) = Some(routes);
    }

    /// Stops serving the mounted routes: requests get 503 until they are mounted again.
    pub fn clear(&self) {
        *self.routes.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn get(&self) -> Option<Router> {
        self.routes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// `/healthz`, `/readyz` and `/metrics` for `service`.
pub fn ops_routes(service: &Service) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(service.clone())
}

/// The whole listener: the ops routes, then whatever is mounted in `mount`.
pub fn router(service: &Service, mount: Arc<Mount>) -> Router {
    ops_routes(service).fallback(move |request: Request| {
        let mount = Arc::clone(&mount);
        async move {
            match mount.get() {
                Some(routes) => match routes.oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                None => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not serving this route now",
                )
                    .into_response(),
            }
        }
    })
}

/// Serves `router` on `listener` until the service shuts down, finishing requests in progress.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    service: &Service,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "http: listening");
    }
    // Answers are one write each; without TCP_NODELAY a keep-alive connection's next answer can
    // wait on the peer's delayed ACK.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router)
        .with_graceful_shutdown(service.shutdown.clone().cancelled_owned())
        .await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(service): State<Service>) -> Response {
    let index = service.core.index();
    let ready = service.health.ready() && !service.shutdown.is_cancelled();
    let body = json!({
        "ready": ready,
        "index": {
            "origin": index.origin,
            "reviewed": index.provenance.reviewed,
            "resources": index.resources.len(),
        },
        "adapters": service.health.states(),
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

async fn metrics(State(service): State<Service>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        service.core.metrics().to_text(),
    )
        .into_response()
}
