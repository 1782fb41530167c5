//! `PUT /_matrix/app/v1/transactions/{txnId}`: the homeserver's pushes.
//!
//! Every push is checked against the `hs_token` first ([`super::token`]), before its body is
//! read, so a client without the token costs no memory: none gets 401 `M_UNAUTHORIZED`, a
//! wrong one 403 `M_FORBIDDEN`, and nothing else happens. A good one is read (at most
//! [`MAX_BODY`] bytes, else 413) and parsed with ruma's `push_events` request type.
//!
//! Each transaction is handled once. The homeserver sends a transaction until it gets a 200,
//! and the answer is 200 `{}` only once every event in it has been acted on or its answer
//! accepted into the shared [`Intake`](crate::intake::Intake); only then is the
//! transaction id recorded (in the store when there is one, so a restart knows it too). So a
//! crash before the 200 makes the homeserver send it again and nothing is lost, and a retry
//! after the 200 (a lost answer) finds the id and is answered 200 at once. Transactions are
//! handled one at a time, so a retry that overtakes its first attempt waits for it.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{self, header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::Router;
use ruma::api::appservice::event::push_events;
use ruma::api::IncomingRequest;
use serde_json::json;

use super::token::{self, Refusal};
use super::{Appservice, ADAPTER, MAX_BODY, ROUTE};
use crate::adapters::recent::RecentMap;
use crate::adapters::seen::Claims;
use crate::errors;
use crate::http::json;
use crate::records::now_ms;

/// How long a handled transaction is remembered. A homeserver retries a transaction until it
/// gets its 200, within minutes of a failure; a day is far beyond that and keeps the table small.
pub const HANDLED_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The router for the route.
pub(super) fn routes(appservice: Arc<Appservice>) -> Router {
    Router::new()
        .route(ROUTE, put(transaction))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(appservice)
}

/// Whether the events were all taken on.
pub(super) enum Taken {
    /// Every event was acted on or its answer accepted.
    All,
    /// Every event was one of the bot's own messages pushed back (each answer comes back
    /// so): nothing was done, so nothing would be done twice if it came again.
    OwnOnly,
    /// Shutdown began: the homeserver must send the transaction again later.
    Stopping,
}

async fn transaction(
    State(appservice): State<Arc<Appservice>>,
    Path(txn_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes());
    if let Err(refusal) = token::check(&appservice.settings.hs_token, authorization, uri.query()) {
        tracing::debug!(
            adapter = ADAPTER,
            outcome = "refused",
            ?refusal,
            "transaction"
        );
        appservice.service.core.metrics().refuse(ADAPTER, "token");
        return refuse(refusal);
    }
    // Read only now that the sender has shown the token.
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return matrix_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "M_TOO_LARGE",
            "transaction too large or cut off",
        );
    };
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    let push = match push_events::v1::Request::try_from_http_request(request, &[&txn_id]) {
        Ok(push) => push,
        Err(_) => {
            tracing::warn!(
                adapter = ADAPTER,
                outcome = "bad-request",
                // Not the error itself: it may quote the values it could not read.
                "transaction: unreadable"
            );
            return matrix_error(StatusCode::BAD_REQUEST, "M_BAD_JSON", "not a transaction");
        }
    };
    let _one_at_a_time = appservice.processing.lock().await;
    if appservice.handled(&txn_id) {
        tracing::debug!(adapter = ADAPTER, outcome = "repeat", "transaction");
        return done();
    }
    let count = push.events.len();
    match appservice.take(push.events).await {
        taken @ (Taken::All | Taken::OwnOnly) => {
            // Only a transaction that did something is worth a store write: that write is
            // what keeps a restarted process from doing it again.
            appservice.record(&txn_id, matches!(taken, Taken::All));
            tracing::debug!(adapter = ADAPTER, events = count, "transaction");
            done()
        }
        Taken::Stopping => matrix_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "M_UNKNOWN",
            "shutting down; send it again",
        ),
    }
}

impl Appservice {
    /// Whether transaction `txn_id` was handled before (by this process, or by any process
    /// using the store).
    fn handled(&self, txn_id: &str) -> bool {
        if self.transactions.get(txn_id).is_some() {
            return true;
        }
        let Some(store) = self.service.claims.as_ref().filter(|_| self.ask_store) else {
            return false;
        };
        match store.is_claimed(&self.key(txn_id), now_ms()) {
            Ok(handled) => handled,
            Err(e) => {
                // Answering twice during a store outage is better than never answering.
                tracing::warn!(
                    adapter = ADAPTER,
                    error = %errors::chain(&e),
                    "cannot look up a transaction; handling it"
                );
                false
            }
        }
    }

    /// The store's key for transaction `txn_id` of this registration.
    fn key(&self, txn_id: &str) -> String {
        format!("{}:{txn_id}", self.scope)
    }

    /// Records that transaction `txn_id` was handled: in this process, and in the store too
    /// when `durable`.
    fn record(&self, txn_id: &str, durable: bool) {
        self.transactions.insert_new(txn_id, ());
        if !durable {
            return;
        }
        // Not waited for: this process knows the id already, and the store's record is for a
        // retry that reaches a restarted process (or another replica), seconds later at least.
        if let Some(store) = &self.service.claims {
            store.note(&self.key(txn_id), now_ms(), HANDLED_FOR);
        }
    }
}

/// Loads the transaction ids earlier processes recorded under `scope` into `known`, when
/// `store` is used by this process alone: then nobody else can record one, and no transaction
/// needs a store lookup. True when that is so and the ids were loaded.
pub(super) fn load_handled(store: Option<&dyn Claims>, scope: &str, known: &RecentMap<()>) -> bool {
    let Some(store) = store.filter(|s| !s.is_shared()) else {
        return false;
    };
    let prefix = format!("{scope}:");
    match store.claimed_under(&prefix, now_ms(), known.capacity()) {
        Ok(keys) => {
            // Newest first: inserted oldest first, so the newest are kept if the map is full.
            for key in keys.iter().rev() {
                known.insert_new(key.strip_prefix(&prefix).unwrap_or(key), ());
            }
            true
        }
        Err(e) => {
            tracing::warn!(
                adapter = ADAPTER,
                error = %errors::chain(&e),
                "cannot load handled transactions; looking each one up instead"
            );
            false
        }
    }
}

/// The success answer: an empty JSON object.
fn done() -> Response {
    json(&json!({}))
}

fn refuse(refusal: Refusal) -> Response {
    let (status, code) = refusal.status_and_code();
    let status = StatusCode::from_u16(status).expect("a valid status");
    matrix_error(status, code, "bad or missing hs_token")
}

/// A Matrix error body (`errcode`, `error`) with `status`.
fn matrix_error(status: StatusCode, code: &'static str, why: &'static str) -> Response {
    (status, json(&json!({ "errcode": code, "error": why }))).into_response()
}
