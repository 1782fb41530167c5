//! [`Health`]: whether each enabled adapter is connected, for `/readyz`, the `adapter_up`
//! metric and the supervisor's reports. Adapters say when they are connected; the supervisor
//! says when one failed and when it will try again.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::metrics::Metrics;

/// Where one adapter stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Started, not connected yet.
    Starting {
        /// Attempts so far (1 on the first start).
        attempt: u32,
    },
    /// Connected and answering.
    Up {
        /// Attempts so far.
        attempt: u32,
    },
    /// Failed; retried after `retry_in_ms`.
    Down {
        /// Attempts so far.
        attempt: u32,
        /// The cause, as logged.
        reason: String,
        /// True when retrying cannot help until someone fixes the settings (credentials
        /// refused): retried rarely.
        permanent: bool,
        /// The scheduled wait before the next attempt, before jitter.
        retry_in_ms: u64,
    },
}

/// Every enabled adapter's state.
#[derive(Debug, Default)]
pub struct Health {
    states: Mutex<BTreeMap<&'static str, State>>,
    metrics: Option<Arc<Metrics>>,
}

impl Health {
    /// Health that also sets the `adapter_up` metric.
    pub fn with_metrics(metrics: Arc<Metrics>) -> Health {
        Health {
            states: Mutex::default(),
            metrics: Some(metrics),
        }
    }

    fn set(&self, adapter: &'static str, state: State) {
        if let Some(metrics) = &self.metrics {
            metrics.set_up(adapter, matches!(state, State::Up { .. }));
        }
        self.lock().insert(adapter, state);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<&'static str, State>> {
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn attempt(&self, adapter: &str) -> u32 {
        match self.lock().get(adapter) {
            Some(
                State::Starting { attempt } | State::Up { attempt } | State::Down { attempt, .. },
            ) => *attempt,
            None => 0,
        }
    }

    /// `adapter` is (re)starting. An adapter still starting is on the same attempt: the
    /// runtime marks every planned adapter as starting before the supervisor starts it.
    pub fn starting(&self, adapter: &'static str) {
        let current = self.lock().get(adapter).cloned();
        let attempt = match current {
            Some(State::Starting { attempt }) => attempt,
            _ => self.attempt(adapter) + 1,
        };
        self.set(adapter, State::Starting { attempt });
    }

    /// `adapter` is connected.
    pub fn up(&self, adapter: &'static str) {
        let attempt = self.attempt(adapter).max(1);
        self.set(adapter, State::Up { attempt });
    }

    /// `adapter` failed and is retried after `retry_in`.
    pub fn down(&self, adapter: &'static str, reason: String, permanent: bool, retry_in: Duration) {
        let attempt = self.attempt(adapter).max(1);
        self.set(
            adapter,
            State::Down {
                attempt,
                reason,
                permanent,
                retry_in_ms: retry_in.as_millis() as u64,
            },
        );
    }

    /// Whether every enabled adapter is connected (true with none enabled).
    pub fn ready(&self) -> bool {
        self.lock().values().all(|s| matches!(s, State::Up { .. }))
    }

    /// Every adapter's state, by name.
    pub fn states(&self) -> BTreeMap<&'static str, State> {
        self.lock().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ready only when every adapter is up; attempts count from 1 and count restarts; the
    /// metric follows.
    #[test]
    fn ready_when_all_are_up() {
        let metrics = Arc::new(Metrics::default());
        let health = Health::with_metrics(Arc::clone(&metrics));
        assert!(health.ready(), "nothing enabled");
        health.starting("slack");
        health.starting("matrix");
        health.starting("matrix");
        assert_eq!(
            health.states()["matrix"],
            State::Starting { attempt: 1 },
            "a start that has not ended is one attempt"
        );
        assert!(!health.ready());
        health.up("slack");
        health.down("matrix", "refused".into(), false, Duration::from_secs(1));
        assert!(!health.ready());
        health.starting("matrix");
        assert_eq!(health.states()["matrix"], State::Starting { attempt: 2 });
        health.up("matrix");
        assert!(health.ready());
        assert!(metrics
            .to_text()
            .contains(r#"signpost_adapter_up{adapter="matrix"} 1"#));
    }
}
