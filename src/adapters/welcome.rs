//! Welcoming newcomers, the part every adapter shares: the core's limits ([`Welcomes`]) applied
//! per place, the batched welcome sent when its interval ends, and the counts in
//! `signpost_welcomes_total`. Each adapter decides who is a newcomer (never a bot) and how a
//! welcome is addressed and sent.
//!
//! Replicas sharing a store ([`Claims::is_shared`]) share the limits too: before a welcome goes
//! out, its place's turn is claimed in the store for one interval. A replica that finds the turn
//! taken (another welcomed there within the interval) keeps its newcomers for its own batch at
//! the end of an interval, so a place still gets at most one welcome per interval, whichever
//! replica each join reached. If the store does not answer, each replica keeps its own limits.
//!
//! Sends run on their own tasks rather than through the intake: the limits already allow at
//! most one welcome per configured place per interval, so they cannot pile up.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::seen::Claims;
use super::Service;
use crate::config::Welcome;
use crate::errors::{self, Throttle};
use crate::metrics::Metrics;
use crate::records::now_ms;
use crate::welcome::{Admit, Welcomes};

/// One adapter's welcomes.
#[derive(Debug)]
pub struct Greeter {
    welcomes: Welcomes,
    metrics: Arc<Metrics>,
    platform: &'static str,
    shutdown: CancellationToken,
    /// The store, when other processes share it (and so the places' turns).
    shared: Option<Arc<dyn Claims>>,
    warn: Throttle,
}

impl Greeter {
    /// The greeter for `platform`'s `settings`, with the service's metrics, shutdown and
    /// shared store; `None` when no place is configured.
    pub fn for_service<P>(
        settings: &Welcome<P>,
        platform: &'static str,
        service: &Service,
    ) -> Option<Arc<Greeter>> {
        settings.is_on().then(|| {
            Greeter::new(
                settings.interval,
                platform,
                Arc::clone(service.core.metrics()),
                service.shutdown.clone(),
                service.claims.as_ref(),
            )
        })
    }

    /// Welcomes on `platform` at most once per `interval` per place, until `shutdown`; the
    /// limits are shared with other processes through `store` when it is shared.
    pub fn new(
        interval: Duration,
        platform: &'static str,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
        store: Option<&Arc<dyn Claims>>,
    ) -> Arc<Greeter> {
        Arc::new(Greeter {
            welcomes: Welcomes::new(interval),
            metrics,
            platform,
            shutdown,
            shared: store.filter(|s| s.is_shared()).map(Arc::clone),
            warn: Throttle::new(Duration::from_secs(60)),
        })
    }

    /// Counts a bot that joined; bots are never welcomed.
    pub fn bot(&self) {
        self.metrics.count_welcomes(self.platform, "bot", 1);
    }

    /// `person` joined `place`: `send` is run with the people to welcome, now or when the batch
    /// is due, or not at all (a storm). `send` says whether the welcome went out.
    pub fn join<F, Fut>(self: &Arc<Self>, place: &str, person: &str, send: F)
    where
        F: FnOnce(Vec<String>) -> Fut + Send + 'static,
        Fut: Future<Output = bool> + Send + 'static,
    {
        let greeter = Arc::clone(self);
        let place_owned = place.to_string();
        match self.welcomes.admit(place, person, Instant::now()) {
            Admit::Now(people) => {
                self.metrics.count_welcomes(self.platform, "now", 1);
                tokio::spawn(async move { greeter.welcome(place_owned, None, people, send).await });
            }
            Admit::Batched(due) => {
                self.metrics.count_welcomes(self.platform, "batched", 1);
                if due.is_some() {
                    tokio::spawn(async move {
                        greeter.welcome(place_owned, due, Vec::new(), send).await;
                    });
                }
            }
            Admit::Skipped => self.metrics.count_welcomes(self.platform, "skipped", 1),
        }
    }

    /// Welcomes `people` in `place` now, or (`due`) whoever waits when the batch is due; when
    /// another process has this interval's turn, they wait for a batch an interval later.
    async fn welcome<F, Fut>(
        &self,
        place: String,
        mut due: Option<Instant>,
        mut people: Vec<String>,
        send: F,
    ) where
        F: FnOnce(Vec<String>) -> Fut,
        Fut: Future<Output = bool>,
    {
        loop {
            if let Some(at) = due {
                tokio::select! {
                    () = self.shutdown.cancelled() => return,
                    () = tokio::time::sleep_until(at.into()) => {}
                }
                people = self.welcomes.take_due(&place, Instant::now());
                if people.is_empty() {
                    return;
                }
            }
            if self.take_turn(&place) {
                return self.send(people, send).await;
            }
            self.metrics.count_welcomes(self.platform, "elsewhere", 1);
            due = self.welcomes.requeue(&place, people, Instant::now());
            if due.is_none() {
                return;
            }
            people = Vec::new();
        }
    }

    /// Whether this process may welcome in `place` now: always, unless the store is shared and
    /// another process claimed the place's turn within the interval.
    fn take_turn(&self, place: &str) -> bool {
        let Some(store) = &self.shared else {
            return true;
        };
        let key = format!("welcome-{}:{place}", self.platform);
        let interval = self.welcomes.interval();
        let claimed = crate::blocking::step_aside(|| store.first_time(&key, now_ms(), interval));
        claimed.unwrap_or_else(|error| {
            if self.warn.ready() {
                tracing::warn!(
                    adapter = self.platform,
                    error = %errors::chain(&error),
                    "the shared store did not answer; welcomes are limited per process meanwhile"
                );
            }
            true
        })
    }

    async fn send<F, Fut>(&self, people: Vec<String>, send: F)
    where
        F: FnOnce(Vec<String>) -> Fut,
        Fut: Future<Output = bool>,
    {
        let count = people.len();
        let outcome = if send(people).await { "sent" } else { "failed" };
        self.metrics.count_welcomes(self.platform, outcome, 1);
        tracing::info!(adapter = self.platform, people = count, outcome, "welcome");
    }
}
