//! Prometheus metrics, kept by the core and the runtime and served as text at `/metrics`.
//!
//! Counters and gauges are the `prometheus-client` crate's (lock-free atomics), so counting a
//! command costs a few nanoseconds; names follow Prometheus conventions (`_total` for counters,
//! `_seconds` for durations). Labels carry command names, platforms, outcomes and adapter
//! names only: never anything a person wrote, never user ids.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The labels of one command outcome.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct CommandLabels {
    /// The command's name (`?` when it could not be parsed).
    pub command: &'static str,
    /// `console`, `discord`, `slack` or `matrix`.
    pub platform: &'static str,
    /// `answered`, `problem`, `parse-error`, …
    pub outcome: &'static str,
}

/// The label naming an adapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct AdapterLabels {
    /// `discord`, `slack` or `matrix`.
    pub adapter: String,
}

/// The labels of a refused request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct RefusedLabels {
    /// The adapter or route that refused it.
    pub adapter: &'static str,
    /// Why: `signature`, `token`, `unreadable`, `shed`…
    pub why: &'static str,
}

/// How often at most a refusal is logged: a flood of forged or shed requests is counted in
/// full by the metric, and writes one line per interval, not one per request.
pub const REFUSAL_LOG_INTERVAL: std::time::Duration = std::time::Duration::from_secs(10);

/// Logs refusals at most once per [`REFUSAL_LOG_INTERVAL`], saying how many it left out.
#[derive(Debug, Default)]
struct RefusalLog {
    last: std::sync::Mutex<Option<std::time::Instant>>,
    left_out: std::sync::atomic::AtomicU64,
}

impl RefusalLog {
    fn note(&self, adapter: &'static str, why: &'static str) {
        use std::sync::atomic::Ordering;
        let now = std::time::Instant::now();
        let due = {
            let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
            let due = last.is_none_or(|at| now.duration_since(at) >= REFUSAL_LOG_INTERVAL);
            if due {
                *last = Some(now);
            }
            due
        };
        if due {
            let left_out = self.left_out.swap(0, Ordering::Relaxed);
            tracing::warn!(
                adapter,
                why,
                left_out,
                "request refused (the metric `refused` counts every one)"
            );
        } else {
            self.left_out.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The labels of one welcome outcome.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct WelcomeLabels {
    /// `discord`, `slack` or `matrix`.
    pub platform: &'static str,
    /// For newcomers: `now` (welcomed at once), `batched`, `skipped` (a storm), `bot`; for
    /// welcome messages: `sent`, `failed`, or `elsewhere` (another replica had the place's
    /// turn, so its newcomers wait for the next batch).
    pub outcome: &'static str,
}

/// Every metric Signpost exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// Commands handled, by command, platform and outcome.
    pub commands: Family<CommandLabels, Counter>,
    /// Time from accepting an answer to having sent it.
    pub answer_seconds: Histogram,
    /// 1 while an adapter is connected, 0 otherwise.
    pub adapter_up: Family<AdapterLabels, Gauge>,
    /// Adapter restarts after a failure.
    pub adapter_restarts: Family<AdapterLabels, Counter>,
    /// Commands refused because too many were in flight and waiting.
    pub shed: Counter,
    /// Messages refused by a cooldown.
    pub cooldown_refusals: Counter,
    /// Platform events dropped because they were already handled (by this or another replica).
    pub repeats: Counter,
    /// Newcomers by what became of them, and welcome messages sent or failed.
    pub welcomes: Family<WelcomeLabels, Counter>,
    /// Resources in the index now served.
    pub index_resources: Gauge,
    /// Index reloads refused because the new index was invalid.
    pub reload_failures: Counter,
    /// Requests refused before any work, by adapter and why.
    pub refused: Family<RefusedLabels, Counter>,
    refusal_log: RefusalLog,
}

impl Metrics {
    /// Counts a request refused before any work, and logs it unless one was logged within
    /// [`REFUSAL_LOG_INTERVAL`]: what the request said is never logged.
    pub fn refuse(&self, adapter: &'static str, why: &'static str) {
        self.refused
            .get_or_create(&RefusedLabels { adapter, why })
            .inc();
        self.refusal_log.note(adapter, why);
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let metrics = Metrics {
            registry: Registry::with_prefix("signpost"),
            commands: Family::default(),
            // 0.5 ms to about 16 s.
            answer_seconds: Histogram::new(exponential_buckets(0.000_5, 2.0, 16)),
            adapter_up: Family::default(),
            adapter_restarts: Family::default(),
            shed: Counter::default(),
            cooldown_refusals: Counter::default(),
            repeats: Counter::default(),
            welcomes: Family::default(),
            index_resources: Gauge::default(),
            reload_failures: Counter::default(),
            refused: Family::default(),
            refusal_log: RefusalLog::default(),
        };
        let mut registry = metrics.registry;
        registry.register(
            "commands",
            "Commands handled, by command, platform and outcome",
            metrics.commands.clone(),
        );
        registry.register(
            "answer_seconds",
            "Time from accepting an answer to having sent it",
            metrics.answer_seconds.clone(),
        );
        registry.register(
            "adapter_up",
            "1 while the adapter is connected",
            metrics.adapter_up.clone(),
        );
        registry.register(
            "adapter_restarts",
            "Adapter restarts after a failure",
            metrics.adapter_restarts.clone(),
        );
        registry.register(
            "shed",
            "Commands refused because too many were in flight and waiting",
            metrics.shed.clone(),
        );
        registry.register(
            "cooldown_refusals",
            "Messages refused by a per-user or per-channel cooldown",
            metrics.cooldown_refusals.clone(),
        );
        registry.register(
            "repeats",
            "Platform events dropped because they were already handled, here or by another replica",
            metrics.repeats.clone(),
        );
        registry.register(
            "welcomes",
            "Newcomers welcomed at once, batched or skipped, and welcome messages sent, failed or left to another replica's turn",
            metrics.welcomes.clone(),
        );
        registry.register(
            "index_resources",
            "Resources in the index being served",
            metrics.index_resources.clone(),
        );
        registry.register(
            "refused",
            "Requests refused before any work (bad signature or token, unreadable, shed), by adapter and why",
            metrics.refused.clone(),
        );
        registry.register(
            "index_reload_failures",
            "Index reloads refused because the new index was invalid",
            metrics.reload_failures.clone(),
        );
        Metrics {
            registry,
            ..metrics
        }
    }
}

impl Metrics {
    /// Counts one command outcome. The labels are static strings, so counting allocates
    /// nothing on the per-message path.
    pub fn count_command(
        &self,
        command: &'static str,
        platform: &'static str,
        outcome: &'static str,
    ) {
        self.commands
            .get_or_create(&CommandLabels {
                command,
                platform,
                outcome,
            })
            .inc();
    }

    /// Counts `n` newcomers (or welcome messages) with one outcome on `platform`.
    pub fn count_welcomes(&self, platform: &'static str, outcome: &'static str, n: usize) {
        self.welcomes
            .get_or_create(&WelcomeLabels { platform, outcome })
            .inc_by(n as u64);
    }

    /// How many newcomers (or welcome messages) had this outcome on `platform` so far.
    pub fn welcomes(&self, platform: &'static str, outcome: &'static str) -> u64 {
        self.welcomes
            .get_or_create(&WelcomeLabels { platform, outcome })
            .get()
    }

    /// Records how long an answer took to send.
    pub fn observe_answer(&self, took: Duration) {
        self.answer_seconds.observe(took.as_secs_f64());
    }

    /// Sets whether `adapter` is connected.
    pub fn set_up(&self, adapter: &str, up: bool) {
        self.adapter_up
            .get_or_create(&AdapterLabels {
                adapter: adapter.to_string(),
            })
            .set(i64::from(up));
    }

    /// Counts a restart of `adapter`.
    pub fn count_restart(&self, adapter: &str) {
        self.adapter_restarts
            .get_or_create(&AdapterLabels {
                adapter: adapter.to_string(),
            })
            .inc();
    }

    /// Everything, in the Prometheus text exposition format.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counted commands appear with their labels and value; every sample line is
    /// `name{labels} value` and every family has HELP and TYPE.
    #[test]
    fn text_exposition_has_counts_and_types() {
        let metrics = Metrics::default();
        metrics.count_command("guidance", "slack", "answered");
        metrics.count_command("guidance", "slack", "answered");
        metrics.set_up("matrix", false);
        let text = metrics.to_text();
        assert!(
            text.contains(
                r#"signpost_commands_total{command="guidance",platform="slack",outcome="answered"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"signpost_adapter_up{adapter="matrix"} 0"#),
            "{text}"
        );
        assert!(
            text.contains("# TYPE signpost_answer_seconds histogram"),
            "{text}"
        );
        assert!(text.trim_end().ends_with("# EOF"));
    }
}
