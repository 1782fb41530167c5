//! [`Intake`]: the one bound on how much work the adapters take on at once, shared by all of them.
//!
//! Every answer an adapter sends runs under an [`Admission`]. At most `in_flight` answers run at
//! once; up to `queued` more may wait for a slot; beyond that new work is *shed*: refused before
//! it is accepted, with a warning in the log and a count in [`Intake::shed`], so the adapter can
//! answer "busy" or let the platform redeliver. Nothing accepted is dropped, and memory stays
//! bounded however fast events arrive.
//!
//! Sequential sources (a Matrix sync loop, a Slack socket) use [`Intake::wait_admit`] instead:
//! waiting there is back-pressure on the source itself, so nothing needs to be shed.
//!
//! On shutdown [`Intake::drain`] stops admitting and waits, for a bounded time, for the answers
//! already accepted to be sent.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore, TryAcquireError};
use tokio_util::task::task_tracker::TaskTrackerToken;
use tokio_util::task::TaskTracker;

use crate::metrics::Metrics;

/// Shared admission control for every adapter's answers.
#[derive(Debug)]
pub struct Intake {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
    limits: Limits,
    tracker: TaskTracker,
    shed: AtomicU64,
    metrics: Option<Arc<Metrics>>,
}

/// How much work may be in flight and waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Answers being worked on at once (at least one).
    pub in_flight: usize,
    /// Answers waiting for a slot beyond those, before new ones are shed: a bound on memory,
    /// not the usual reason to shed.
    pub queued: usize,
    /// How long an answer from a platform that waits for it may wait for a slot: one that could
    /// not start by then could no longer be answered within the platform's deadline (3 s for
    /// Discord's and Slack's), so it is shed; one that can is never refused.
    pub wait: Duration,
}

/// How long an answer may wait for a slot by default: Discord's and Slack's 3-second deadline,
/// less the time to compute and send the answer.
pub const WAIT: Duration = Duration::from_secs(2);

impl Default for Limits {
    /// Against a platform's API (tens of ms per request) 128 answers in flight still send
    /// thousands a second, while connection pools and memory stay small.
    fn default() -> Self {
        Limits {
            in_flight: 128,
            queued: 2_048,
            wait: WAIT,
        }
    }
}

/// Permission to work on one answer; the slot is freed when it is dropped.
#[derive(Debug)]
pub struct Admission {
    _running: OwnedSemaphorePermit,
    _admitted: Option<OwnedSemaphorePermit>,
    _tracked: TaskTrackerToken,
}

impl Intake {
    /// An intake with these limits.
    pub fn new(limits: Limits) -> Intake {
        let in_flight = limits.in_flight.max(1);
        Intake {
            running: Arc::new(Semaphore::new(in_flight)),
            admitted: Arc::new(Semaphore::new(in_flight + limits.queued)),
            limits: Limits {
                in_flight,
                ..limits
            },
            tracker: TaskTracker::new(),
            shed: AtomicU64::new(0),
            metrics: None,
        }
    }

    /// An intake that also counts shedding and times answers in `metrics`.
    pub fn with_metrics(limits: Limits, metrics: Arc<Metrics>) -> Intake {
        Intake {
            metrics: Some(metrics),
            ..Intake::new(limits)
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Admits one answer, waiting for a slot if all are busy; `None` (counted and logged as
    /// shed) when as many answers are already waiting as allowed, or after shutdown began.
    pub async fn try_admit(&self, adapter: &'static str) -> Option<Admission> {
        let admitted = match Arc::clone(&self.admitted).try_acquire_owned() {
            Ok(permit) => permit,
            Err(TryAcquireError::NoPermits) => {
                self.count_shed(adapter);
                return None;
            }
            Err(TryAcquireError::Closed) => return None,
        };
        let tracked = self.tracker.token();
        let slot = Arc::clone(&self.running).acquire_owned();
        let running = match tokio::time::timeout(self.limits.wait, slot).await {
            Ok(Ok(running)) => running,
            Ok(Err(_)) => return None,
            // Too late to answer in time: shed now rather than answer after the deadline.
            Err(_) => {
                self.count_shed(adapter);
                return None;
            }
        };
        Some(Admission {
            _running: running,
            _admitted: Some(admitted),
            _tracked: tracked,
        })
    }

    /// Admits one answer from a sequential source, waiting as long as it takes for a slot (the
    /// wait slows the source down); `None` after shutdown began.
    pub async fn wait_admit(&self) -> Option<Admission> {
        let tracked = self.tracker.token();
        let running = Arc::clone(&self.running).acquire_owned().await.ok()?;
        Some(Admission {
            _running: running,
            _admitted: None,
            _tracked: tracked,
        })
    }

    /// Runs `work` on its own task while holding `admission`.
    pub fn spawn<F>(&self, admission: Admission, work: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let metrics = self.metrics.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            work.await;
            if let Some(metrics) = metrics {
                metrics.observe_answer(started.elapsed());
            }
            drop(admission);
        });
    }

    /// How many answers were refused because too many were waiting, since start.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    /// How many answers are being worked on now.
    pub fn in_flight(&self) -> usize {
        self.limits.in_flight - self.running.available_permits()
    }

    /// Whether shutdown has begun.
    pub fn is_stopped(&self) -> bool {
        self.running.is_closed()
    }

    /// Stops admitting (every later `*_admit` returns `None`) and waits up to `grace` for the
    /// admitted answers to finish. True when all finished in time.
    pub async fn drain(&self, grace: Duration) -> bool {
        self.admitted.close();
        self.running.close();
        self.tracker.close();
        let finished = tokio::time::timeout(grace, self.tracker.wait())
            .await
            .is_ok();
        if !finished {
            tracing::warn!(
                unfinished = self.tracker.len(),
                "shutdown: answers still in flight after the grace period"
            );
        }
        finished
    }

    fn count_shed(&self, adapter: &'static str) {
        let total = self.shed.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.metrics {
            Some(metrics) => {
                metrics.shed.inc();
                metrics.refuse(adapter, "shed");
            }
            None => tracing::debug!(adapter, shed_total = total, "too busy: refused new work"),
        }
    }
}

impl Default for Intake {
    fn default() -> Self {
        Intake::new(Limits::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// A flood far above the limits runs at most `in_flight` at once, sheds exactly what
    /// cannot wait, and runs every admitted piece of work exactly once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn flood_is_bounded_and_every_admitted_answer_runs_once() {
        const LIMITS: Limits = Limits {
            in_flight: 4,
            queued: 8,
            // Work here waits on the test, not on a platform's deadline.
            wait: Duration::from_secs(3_600),
        };
        const FLOOD: usize = 1_000;
        let admitted = LIMITS.in_flight + LIMITS.queued;
        let intake = Arc::new(Intake::new(LIMITS));
        // Work waits here until the test lets it finish, so nothing frees a slot early.
        let gate = Arc::new(Semaphore::new(0));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let runs: Arc<Vec<AtomicUsize>> =
            Arc::new((0..FLOOD).map(|_| AtomicUsize::new(0)).collect());
        let mut arrivals = tokio::task::JoinSet::new();
        for i in 0..FLOOD {
            // Each arrival asks on its own task, as serenity's per-event tasks and concurrent
            // HTTP requests do.
            let (intake, gate, running, most, runs) = (
                Arc::clone(&intake),
                Arc::clone(&gate),
                Arc::clone(&running),
                Arc::clone(&most),
                Arc::clone(&runs),
            );
            arrivals.spawn(async move {
                let Some(_admission) = intake.try_admit("test").await else {
                    return;
                };
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                gate.acquire().await.expect("gate open").forget();
                runs[i].fetch_add(1, Ordering::SeqCst);
                running.fetch_sub(1, Ordering::SeqCst);
            });
        }
        while intake.shed() < (FLOOD - admitted) as u64 {
            tokio::task::yield_now().await;
        }
        while running.load(Ordering::SeqCst) < LIMITS.in_flight {
            tokio::task::yield_now().await;
        }
        assert_eq!(intake.in_flight(), LIMITS.in_flight);
        gate.add_permits(admitted);
        while arrivals.join_next().await.is_some() {}
        assert!(most.load(Ordering::SeqCst) <= LIMITS.in_flight);
        let counts: Vec<usize> = runs.iter().map(|r| r.load(Ordering::SeqCst)).collect();
        assert!(counts.iter().all(|&c| c <= 1), "nothing ran twice");
        assert_eq!(
            counts.iter().sum::<usize>(),
            admitted,
            "every admitted answer ran"
        );
        assert_eq!(intake.shed() as usize, FLOOD - admitted);
        assert_eq!(intake.in_flight(), 0);
    }

    /// Work that cannot start within the wait is shed when the wait ends, not before: a
    /// queue far below its bound refuses nothing that could still be answered in time.
    #[tokio::test]
    async fn work_is_shed_only_past_its_wait() {
        let intake = Intake::new(Limits {
            in_flight: 1,
            queued: 100,
            wait: Duration::from_millis(50),
        });
        let held = intake.try_admit("test").await.expect("the free slot");
        assert_eq!(intake.shed(), 0);
        assert!(
            intake.try_admit("test").await.is_none(),
            "no slot within the wait"
        );
        assert_eq!(intake.shed(), 1);
        drop(held);
        assert!(
            intake.try_admit("test").await.is_some(),
            "a free slot at once"
        );
        assert_eq!(intake.shed(), 1);
    }

    /// Draining waits for admitted work, then refuses new work.
    #[tokio::test]
    async fn drain_waits_for_admitted_work_then_refuses() {
        let intake = Intake::new(Limits {
            in_flight: 2,
            queued: 0,
            ..Limits::default()
        });
        let done = Arc::new(AtomicUsize::new(0));
        let admission = intake.try_admit("test").await.expect("room");
        let finished = Arc::clone(&done);
        intake.spawn(admission, async move {
            tokio::task::yield_now().await;
            finished.fetch_add(1, Ordering::SeqCst);
        });
        assert!(intake.drain(Duration::from_secs(30)).await);
        assert_eq!(done.load(Ordering::SeqCst), 1);
        assert!(intake.try_admit("test").await.is_none());
        assert!(intake.wait_admit().await.is_none());
        assert_eq!(
            intake.shed(),
            0,
            "refusals after shutdown are not load shedding"
        );
    }

    /// Draining gives up after the grace period when work never finishes.
    #[tokio::test(start_paused = true)]
    async fn drain_is_bounded() {
        let intake = Intake::default();
        let admission = intake.wait_admit().await.expect("room");
        intake.spawn(admission, std::future::pending());
        assert!(!intake.drain(Duration::from_secs(10)).await);
    }
}
