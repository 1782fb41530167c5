//! The HTTP listener every service mode shares: `GET /healthz` (the process is alive),
//! `GET /readyz` (the index is loaded and every enabled adapter connected; a JSON body names
//! any that is not), `GET /metrics` (Prometheus text), the site generated from the index at `/`
//! and `/<page>` ([`crate::site`], unless `http.site` is off), and the routes platforms mount
//! on it (Slack's, when Slack runs over HTTP; Discord's interactions endpoint). Mounting is
//! dynamic because adapters start, fail and restart under the supervisor while the listener
//! stays up.
//!
//! The site is tried before the mounted routes, for reads only, so it can never shadow a
//! platform's webhook; a read of a path nobody has gets the site's small 404 page.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::json;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

pub mod listener;
pub mod roster;

use crate::adapters::mount::Mount;
use crate::adapters::Service;
use crate::site;

/// `/healthz`, `/readyz` and `/metrics` for `service`, and the site at `/` and `/<page>`.
pub fn ops_routes(service: &Service) -> Router {
    let service = service.clone();
    ops(&service).fallback(move |request: Request| {
        let service = service.clone();
        async move {
            if let Some(response) = site_page(&service, &request) {
                return response;
            }
            let read = site::serve::is_read(request.method());
            site_fallback(&service, read, request.uri().path())
                .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
        }
    })
}

fn ops(service: &Service) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(service.clone())
}

/// The whole listener: the ops routes, the site, then whatever is mounted in `mount`.
pub fn router(service: &Service, mount: Arc<Mount>) -> Router {
    let service = service.clone();
    ops(&service).fallback(move |request: Request| {
        let mount = Arc::clone(&mount);
        let service = service.clone();
        async move {
            if let Some(response) = site_page(&service, &request) {
                return response;
            }
            let read = site::serve::is_read(request.method());
            let path = request.uri().path().to_owned();
            let response = match mount.get() {
                Some(routes) => match routes.oneshot(request).await {
                    Ok(response) if response.status() != StatusCode::NOT_FOUND => {
                        return response;
                    }
                    Ok(response) => response,
                    Err(never) => match never {},
                },
                None => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not serving this route now",
                )
                    .into_response(),
            };
            site_fallback(&service, read, &path).unwrap_or(response)
        }
    })
}

/// The site's answer to a read of one of its pages; `None` for anything else.
fn site_page(service: &Service, request: &Request) -> Option<Response> {
    // Checked first so a webhook's POST never waits for the site to be built.
    if !site::serve::is_read(request.method()) {
        return None;
    }
    // The first request after a reload builds the site: off the runtime's other tasks.
    let site =
        crate::blocking::step_aside(|| service.site.as_ref().map(|c| c.site(&service.core)))?;
    site::serve::respond(
        &site,
        request.method(),
        request.uri().path(),
        request.headers(),
    )
}

/// What the site says about a request no route answered: its 404 page for a read, 405 for a
/// write to one of its pages; `None` when the site is off or the path is not its business.
fn site_fallback(service: &Service, read: bool, path: &str) -> Option<Response> {
    // The first request after a reload builds the site: off the runtime's other tasks.
    let site =
        crate::blocking::step_aside(|| service.site.as_ref().map(|c| c.site(&service.core)))?;
    if read {
        Some(site::serve::not_found(&site))
    } else if site::serve::file_for(&site, path).is_some() {
        Some(site::serve::read_only())
    } else {
        None
    }
}

/// Serves `router` on `listener` until the service shuts down, finishing requests in progress
/// within the grace period, and holding every client to [`listener::Limits`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    service: &Service,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "http: listening");
    }
    listener::serve(
        listener,
        router,
        service.shutdown.clone(),
        listener::Limits::default(),
        Some(Arc::clone(service.core.metrics())),
    )
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
            // A refused reload leaves the last good index serving: still ready, since every
            // replica would refuse the same files and none could do better, but said here.
            "reload": match service.core.reload_refused() {
                None => json!({ "ok": true }),
                Some(error) => json!({ "ok": false, "refused": error }),
            },
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

/// A JSON response (`application/json`), or a bare 500 if `value` cannot be written.
pub fn json(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
