//! Welcoming newcomers, the part every adapter shares: the core's limits ([`Welcomes`]) applied
//! per place, the batched welcome sent when its interval ends, and the counts in
//! `signpost_welcomes_total`. Each adapter decides who is a newcomer (never a bot) and how a
//! welcome is addressed and sent.
//!
//! Sends run on their own tasks rather than through the intake: the limits already allow at
//! most one welcome per configured place per interval, so they cannot pile up.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;
use crate::welcome::{Admit, Welcomes};

/// One adapter's welcomes.
#[derive(Debug)]
pub struct Greeter {
    welcomes: Welcomes,
    metrics: Arc<Metrics>,
    platform: &'static str,
    shutdown: CancellationToken,
}

impl Greeter {
    /// Welcomes on `platform` at most once per `interval` per place, until `shutdown`.
    pub fn new(
        interval: std::time::Duration,
        platform: &'static str,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
    ) -> Arc<Greeter> {
        Arc::new(Greeter {
            welcomes: Welcomes::new(interval),
            metrics,
            platform,
            shutdown,
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
        match self.welcomes.admit(place, person, Instant::now()) {
            Admit::Now(people) => {
                self.metrics.count_welcomes(self.platform, "now", 1);
                tokio::spawn(async move { greeter.send(people, send).await });
            }
            Admit::Batched(due) => {
                self.metrics.count_welcomes(self.platform, "batched", 1);
                let Some(due) = due else {
                    return;
                };
                let place = place.to_string();
                tokio::spawn(async move {
                    tokio::select! {
                        () = greeter.shutdown.cancelled() => return,
                        () = tokio::time::sleep_until(due.into()) => {}
                    }
                    let people = greeter.welcomes.take_due(&place, Instant::now());
                    if !people.is_empty() {
                        greeter.send(people, send).await;
                    }
                });
            }
            Admit::Skipped => self.metrics.count_welcomes(self.platform, "skipped", 1),
        }
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
