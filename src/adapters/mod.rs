//! Adapters: each turns one platform's events into [`crate::Incoming`] messages and sends the
//! rendered [`crate::Reply`] following that platform's conventions. Only the console exists in
//! the core build; platform adapters sit behind their own cargo features.
//!
//! The mechanisms every adapter needs live here once: [`intake`] bounds how much work they take
//! on, [`backoff`] spaces their retries, [`recent`] remembers which events were answered
//! ([`seen`] also in a store other replicas share), and [`welcome`] welcomes newcomers within
//! the core's limits.

pub mod backoff;
pub mod console;
pub mod health;
pub mod mount;
pub mod recent;
pub mod seen;
pub mod welcome;

#[cfg(feature = "discord")]
pub mod discord;
#[cfg(feature = "matrix")]
pub mod matrix;
#[cfg(feature = "slack")]
pub mod slack;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::bot::Signpost;
use crate::config::Moderators;
use crate::intake::{Intake, Limits};
use crate::site::SiteCache;
use health::Health;
pub use mount::Mount;
use seen::Claims;

/// What every adapter's `run` gets from the runtime: the core, the intake and health shared by
/// all adapters, the shared HTTP listener's mount point, and the token that starts shutdown.
#[derive(Debug, Clone)]
pub struct Service {
    /// The bot's core (and its metrics).
    pub core: Arc<Signpost>,
    /// Admission for answers, shared by every adapter.
    pub intake: Arc<Intake>,
    /// Which adapters are connected.
    pub health: Arc<Health>,
    /// Where an adapter with HTTP routes mounts them on the runtime's listener; `None` when
    /// the adapter runs alone (tests) and opens its own.
    pub mount: Option<Arc<Mount>>,
    /// The site the HTTP listener serves at `/`; `None` when `http.site` is off.
    pub site: Option<Arc<SiteCache>>,
    /// Who may review suggestions on each platform (adapters set `Incoming::moderator`).
    pub moderators: Arc<Moderators>,
    /// Cancelled when the process is asked to stop: adapters stop taking new events.
    pub shutdown: CancellationToken,
    /// Claims in the store, when one is configured: events and transactions already handled,
    /// across restarts and, when the store is shared, across processes.
    pub claims: Option<Arc<dyn Claims>>,
}

impl Service {
    /// A service for `core` with these limits and a fresh shutdown token.
    pub fn new(core: Arc<Signpost>, limits: Limits) -> Service {
        let metrics = Arc::clone(core.metrics());
        Service {
            intake: Arc::new(Intake::with_metrics(limits, Arc::clone(&metrics))),
            health: Arc::new(Health::with_metrics(metrics)),
            core,
            mount: None,
            site: Some(Arc::default()),
            moderators: Arc::new(Moderators::default()),
            shutdown: CancellationToken::new(),
            claims: None,
        }
    }
}
