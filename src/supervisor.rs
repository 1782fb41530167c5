//! Keeps every adapter running: one that fails (a revoked token, the network down, the
//! homeserver gone, a panic in its task) is logged with its cause, marked down in
//! [`crate::adapters::health`], counted in the metrics and started again after a capped,
//! jittered exponential back-off, while the others keep answering.
//!
//! A failure no retry can fix until someone changes the settings (credentials the platform
//! refused) is reported as permanent and retried on a much longer schedule, so a bad token
//! never hot-loops against the platform's API but recovers on its own once it is fixed.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use crate::adapters::backoff::Backoff;
use crate::adapters::Service;
use crate::errors::chain;

/// An adapter's failure, as the supervisor logs it.
pub type AdapterError = Box<dyn std::error::Error + Send + Sync>;

/// One run of an adapter.
pub type Run = Pin<Box<dyn Future<Output = Result<(), AdapterError>> + Send>>;

/// How to start one adapter, as often as it needs starting.
pub struct Plan {
    /// The adapter's name (`discord`, `discord-http`, `slack`, `matrix`).
    pub name: &'static str,
    /// Starts one run.
    pub start: Box<dyn Fn(Service) -> Run + Send + Sync>,
}

impl Plan {
    /// A plan that runs `run` with a fresh copy of `settings` each time.
    pub fn new<S, R, F, E>(name: &'static str, settings: S, run: R) -> Plan
    where
        S: Clone + Send + Sync + 'static,
        R: Fn(S, Service) -> F + Send + Sync + 'static,
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<AdapterError>,
    {
        Plan {
            name,
            start: Box::new(move |service| {
                let running = run(settings.clone(), service);
                Box::pin(async move { running.await.map_err(Into::into) })
            }),
        }
    }
}

/// Waits after transient failures: 1 s doubling to 5 minutes…
pub const TRANSIENT: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(300));
/// …and after permanent ones: 10 minutes doubling to 2 hours.
pub const PERMANENT: (Duration, Duration) = (Duration::from_secs(600), Duration::from_secs(7_200));
/// A run that lasted this long was healthy: its failure starts the schedule again.
const HEALTHY_FOR: Duration = Duration::from_secs(120);

/// Runs `plan` until the service shuts down, restarting it after every failure.
pub async fn supervise(plan: Plan, service: Service) {
    let mut transient = Backoff::new(TRANSIENT.0, TRANSIENT.1);
    let mut permanent = Backoff::new(PERMANENT.0, PERMANENT.1);
    let metrics = std::sync::Arc::clone(service.core.metrics());
    loop {
        service.health.starting(plan.name);
        tracing::info!(adapter = plan.name, "starting");
        let started = Instant::now();
        // Its own task, so a panic inside the adapter is caught here as a failure.
        let outcome = tokio::spawn((plan.start)(service.clone())).await;
        if service.shutdown.is_cancelled() {
            tracing::info!(adapter = plan.name, "stopped");
            return;
        }
        let (reason, is_permanent) = match outcome {
            Ok(Ok(())) => ("stopped on its own".to_string(), false),
            Ok(Err(error)) => (chain(&*error), is_permanent(&error)),
            Err(joined) if joined.is_panic() => ("panicked".to_string(), false),
            Err(_) => ("was cancelled".to_string(), false),
        };
        if started.elapsed() >= HEALTHY_FOR {
            transient.reset();
        }
        let scheduled = if is_permanent {
            permanent.next_delay()
        } else {
            permanent.reset();
            transient.next_delay()
        };
        let wait = jitter(scheduled);
        metrics.count_restart(plan.name);
        service
            .health
            .down(plan.name, reason.clone(), is_permanent, scheduled);
        tracing::error!(
            adapter = plan.name,
            permanent = is_permanent,
            retry_in_ms = wait.as_millis() as u64,
            "adapter down: {reason}"
        );
        tokio::select! {
            () = service.shutdown.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Whether the platform refused the bot's credentials or settings, which no retry can fix.
pub fn is_permanent(error: &AdapterError) -> bool {
    #[cfg(feature = "discord")]
    if error
        .downcast_ref::<crate::adapters::discord::DiscordError>()
        .is_some()
    {
        // The Discord adapter retries everything else itself and returns only these.
        return true;
    }
    #[cfg(feature = "discord")]
    if let Some(endpoint) =
        error.downcast_ref::<crate::adapters::discord::endpoint::EndpointError>()
    {
        use crate::adapters::discord::endpoint::EndpointError;
        return matches!(endpoint, EndpointError::PublicKey);
    }
    #[cfg(feature = "slack")]
    if let Some(slack) = error.downcast_ref::<crate::adapters::slack::SlackError>() {
        use crate::adapters::slack::SlackError;
        return match slack {
            SlackError::MissingSetting(_) => true,
            SlackError::WebApi(api) => api.is_auth(),
            _ => false,
        };
    }
    #[cfg(feature = "matrix")]
    if let Some(matrix) = error.downcast_ref::<crate::adapters::matrix::MatrixError>() {
        return matrix.is_permanent();
    }
    #[cfg(feature = "matrix")]
    if let Some(appservice) =
        error.downcast_ref::<crate::adapters::matrix::appservice::AppserviceError>()
    {
        return appservice.is_permanent();
    }
    let _ = error;
    false
}

/// `wait` scaled by a pseudo-random factor between ½ and 1 ("equal jitter"), so adapters that
/// failed together (a network outage) do not all retry in the same instant.
pub fn jitter(wait: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    let fraction = (hasher.finish() % 1_000) as f64 / 1_000.0;
    wait.mul_f64(0.5 + fraction / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    /// Jitter stays between half the wait and the wait.
    #[test]
    fn jitter_is_bounded() {
        let wait = Duration::from_secs(10);
        for _ in 0..100 {
            let jittered = jitter(wait);
            assert!(jittered >= wait / 2 && jittered <= wait, "{jittered:?}");
        }
    }

    /// A failing adapter is restarted on a growing schedule and reported down with its cause;
    /// shutdown ends the loop.
    #[tokio::test(start_paused = true)]
    async fn failures_are_retried_with_growing_waits() {
        let core = Arc::new(crate::Signpost::new(
            crate::index::load_embedded().expect("built-in index").index,
            "!",
        ));
        let service = Service::new(core, Default::default());
        let attempts = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&attempts);
        let plan = Plan {
            name: "flaky",
            start: Box::new(move |_| {
                counted.fetch_add(1, Ordering::SeqCst);
                Box::pin(async { Err::<(), AdapterError>("connection refused".into()) })
            }),
        };
        let task = tokio::spawn(supervise(plan, service.clone()));
        let mut seen = Vec::new();
        while seen.len() < 4 {
            tokio::task::yield_now().await;
            if let Some(crate::adapters::health::State::Down {
                attempt,
                retry_in_ms,
                reason,
                permanent,
            }) = service.health.states().get("flaky").cloned()
            {
                if seen.last().map(|(a, _)| *a) != Some(attempt) {
                    assert_eq!(reason, "connection refused");
                    assert!(!permanent);
                    seen.push((attempt, retry_in_ms));
                }
            }
            tokio::time::advance(Duration::from_millis(100)).await;
        }
        let waits: Vec<u64> = seen.iter().map(|(_, w)| *w).collect();
        assert!(waits.windows(2).all(|w| w[1] > w[0]), "{waits:?}");
        assert_eq!(waits[0], TRANSIENT.0.as_millis() as u64);
        assert!(attempts.load(Ordering::SeqCst) >= 4);
        service.shutdown.cancel();
        task.await.expect("supervisor ends on shutdown");
        let text = service.core.metrics().to_text();
        assert!(
            text.contains(r#"signpost_adapter_restarts_total{adapter="flaky"}"#),
            "{text}"
        );
    }
}
