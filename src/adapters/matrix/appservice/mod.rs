//! Matrix as an application service (`matrix.mode = "appservice"`): the homeserver pushes
//! every event in the bot's rooms to `PUT /_matrix/app/v1/transactions/{txnId}` on the shared
//! HTTP listener, and the bot answers as its sender user with the `as_token`. There is no sync
//! loop, no login and no local state store: a quiet bot costs nothing, and a busy one is only
//! as fast as the homeserver's pushes. Encrypted rooms need client mode (the homeserver pushes
//! only ciphertext); in one, the bot says so once.
//!
//! - [`endpoint`]: the route, the `hs_token` check ([`token`]) and each transaction processed
//!   once, even when the homeserver retries it.
//! - [`events`]: what each pushed event does (invites, messages, encryption).
//! - [`welcome`]: newcomers in `matrix.welcome_rooms` welcomed; [`remove`]: answers taken down
//!   on a ❌ from their asker or a moderator (both as in client mode).
//! - [`client`]: the client-server calls made as the sender user.
//! - [`rooms`]: what the bot needs to know about a room, asked of the homeserver and kept.
//! - [`registration`]: the registration YAML the homeserver is given.
//!
//! Reading a message and building its answer is shared with client mode
//! ([`super::message`], [`super::send`], [`crate::render::matrix`]).

pub mod client;
pub mod endpoint;
mod events;
pub mod registration;
mod remove;
mod rooms;
pub mod token;
mod welcome;

pub use events::{ENCRYPTED_NOTICE, HISTORY};

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use matrix_sdk::ruma::OwnedUserId;
use tokio::net::TcpListener;

use self::client::{CallError, Homeserver};
use super::remove::{ANSWERS_REMEMBERED, ANSWERS_REMEMBERED_FOR};
use crate::adapters::recent::{RecentIds, RecentMap};
use crate::adapters::welcome::Greeter;
use crate::adapters::Service;
use crate::config::AppserviceSettings;
use crate::render::cache::RenderCache;
use crate::render::matrix::MatrixContent;

/// The adapter's name in health, metrics and logs (the same as client mode's: one Matrix
/// adapter runs, in one mode or the other).
pub const ADAPTER: &str = "matrix";
/// The route the homeserver pushes transactions to (`{txn_id}` is the path parameter).
pub const ROUTE: &str = "/_matrix/app/v1/transactions/{txn_id}";
/// Largest transaction body accepted. Synapse batches at most 100 events (and 100 ephemeral
/// ones) per transaction; events are at most 64 KiB each.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
/// How many answered event ids are remembered, and for how long (a second line of defence
/// behind the transaction ids: the same event in two transactions is answered once).
const REMEMBERED: usize = 4096;
const REMEMBERED_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Why appservice mode could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppserviceError {
    /// `matrix.user` is not a user id ruma accepts (the settings check should have caught it).
    #[error("matrix appservice: matrix.user {0:?} is not a user id")]
    User(String),
    /// The HTTP client for the homeserver could not be made.
    #[error("matrix appservice: {0}")]
    Client(#[source] CallError),
    /// The listener could not be opened (only when run without the runtime's listener).
    #[error("matrix appservice: cannot listen on {addr}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP server failed.
    #[error("matrix appservice: HTTP server failed")]
    Serve(#[source] std::io::Error),
}

impl AppserviceError {
    /// Whether retrying cannot help until the settings change.
    pub fn is_permanent(&self) -> bool {
        matches!(self, AppserviceError::User(_))
    }
}

/// What the route and the event handlers share.
struct Appservice {
    service: Service,
    settings: AppserviceSettings,
    user_id: OwnedUserId,
    homeserver: Homeserver,
    /// The store scope of this registration's transaction ids.
    scope: String,
    /// Transaction ids handled: this process's, and (with a store no other process uses) the
    /// ones earlier processes recorded, loaded at start.
    transactions: RecentMap<()>,
    /// Whether each new transaction id is looked up in the store: when other processes share it
    /// (or the ids could not be loaded at start). Otherwise `transactions` knows every id.
    ask_store: bool,
    /// One transaction at a time: the homeserver sends them in order anyway, and a retry that
    /// arrives while the first attempt is still being handled waits and then finds it done.
    processing: tokio::sync::Mutex<()>,
    answered: RecentIds,
    rooms: rooms::Rooms,
    /// Recent replies as event contents (most answers repeat).
    rendered: RenderCache<Vec<MatrixContent>>,
    /// Menus waiting for a number, as in client mode.
    menus: super::menus::Menus,
    /// Who asked for each answer this process sent, so a ❌ from them can remove it.
    answer_owners: RecentMap<String>,
    /// Newcomers' welcomes, when `matrix.welcome_rooms` names any room.
    welcomes: Option<Arc<Greeter>>,
}

/// Where in the store registration `id`'s handled transaction ids are kept: each is recorded
/// as this, a colon, and the id.
pub fn transaction_scope(id: &str) -> String {
    format!("matrix-txn:{id}")
}

/// The route, for the runtime's listener (which adds `/healthz` and the rest).
pub fn router(settings: &AppserviceSettings, service: &Service) -> Result<Router, AppserviceError> {
    let user_id: OwnedUserId = settings
        .user
        .parse()
        .map_err(|_| AppserviceError::User(settings.user.clone()))?;
    let homeserver = Homeserver::new(&settings.homeserver, settings.as_token.clone())
        .map_err(AppserviceError::Client)?;
    let scope = transaction_scope(&settings.id);
    let transactions = RecentMap::new(REMEMBERED, REMEMBERED_FOR);
    let ask_store = !endpoint::load_handled(service.claims.as_deref(), &scope, &transactions);
    let appservice = Arc::new(Appservice {
        service: service.clone(),
        scope,
        settings: settings.clone(),
        user_id,
        homeserver,
        transactions,
        ask_store,
        processing: tokio::sync::Mutex::new(()),
        answered: RecentIds::new(REMEMBERED, REMEMBERED_FOR),
        rooms: rooms::Rooms::default(),
        rendered: RenderCache::default(),
        menus: super::menus::Menus::default(),
        answer_owners: RecentMap::new(ANSWERS_REMEMBERED, ANSWERS_REMEMBERED_FOR),
        welcomes: Greeter::for_service(&settings.welcome, ADAPTER, service),
    });
    Ok(endpoint::routes(appservice))
}

/// Runs appservice mode until the service shuts down: mounted on the runtime's listener, or,
/// run alone (no mount), on its own listener at `listen`.
pub async fn run(
    settings: AppserviceSettings,
    listen: SocketAddr,
    service: Service,
) -> Result<(), AppserviceError> {
    let Some(mount) = service.mount.clone() else {
        let listener =
            TcpListener::bind(listen)
                .await
                .map_err(|source| AppserviceError::Listen {
                    addr: listen,
                    source,
                })?;
        return serve(listener, settings, service).await;
    };
    mount.set(ADAPTER, router(&settings, &service)?);
    service.health.up(ADAPTER);
    tracing::info!(adapter = ADAPTER, mode = "appservice", "live");
    service.shutdown.cancelled().await;
    mount.clear(ADAPTER);
    tracing::info!(adapter = ADAPTER, "stopped");
    Ok(())
}

/// Serves the route, with `/healthz`, `/readyz` and `/metrics`, on an already bound `listener`
/// (tests bind 127.0.0.1:0 and write the port into the registration) until shutdown.
pub async fn serve(
    listener: TcpListener,
    settings: AppserviceSettings,
    service: Service,
) -> Result<(), AppserviceError> {
    let router = crate::http::ops_routes(&service).merge(router(&settings, &service)?);
    service.health.up(ADAPTER);
    tracing::info!(adapter = ADAPTER, mode = "appservice", "live");
    crate::http::serve(listener, router, &service)
        .await
        .map_err(AppserviceError::Serve)
}
