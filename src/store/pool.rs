//! The store's own threads: each holds one database connection, made when first needed and made
//! again after it is lost, and runs the work callers send it. Callers wait for the answer with a
//! timeout, stepping aside from the tokio runtime while they do (see the [module comment](super)
//! for why the database never runs on a tokio thread).

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::StoreError;

/// Work for a connection: given the connection (or why there is none), returns whether the
/// connection is now broken and must be made again.
type Job<C> = Box<dyn FnOnce(Result<&mut C, StoreError>) -> bool + Send>;

/// Makes a connection (and brings its schema up to date).
pub type Connect<C> = dyn Fn() -> Result<C, StoreError> + Send + Sync;

/// Threads holding connections of type `C`, fed from one queue.
pub struct Pool<C> {
    jobs: SyncSender<Job<C>>,
    timeout: Duration,
    threads: usize,
}

impl<C> std::fmt::Debug for Pool<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Work that may wait in the queue before callers block (waiting calls) or counts are dropped
/// (tallies).
const QUEUE: usize = 4096;

impl<C: 'static> Pool<C> {
    /// Starts `threads` threads named `signpost-<name>-N`. They end when the pool is dropped.
    pub fn start(
        name: &str,
        threads: usize,
        timeout: Duration,
        connect: Arc<Connect<C>>,
    ) -> Result<Pool<C>, StoreError> {
        let (jobs, queue) = mpsc::sync_channel::<Job<C>>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        let threads = threads.max(1);
        for n in 0..threads {
            let queue = Arc::clone(&queue);
            let connect = Arc::clone(&connect);
            std::thread::Builder::new()
                .name(format!("signpost-{name}-{n}"))
                .spawn(move || work(&queue, &*connect))
                .map_err(|source| StoreError::Stopped {
                    source: Some(source),
                })?;
        }
        Ok(Pool {
            jobs,
            timeout,
            threads,
        })
    }

    /// Runs `f` on a connection and waits for its result, at most the timeout.
    pub fn call<T: Send + 'static>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut C) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (answer, answered) = mpsc::sync_channel(1);
        // Set when the caller gives up, so work it was told failed is not done behind its back.
        let abandoned = Arc::new(AtomicBool::new(false));
        let skip = Arc::clone(&abandoned);
        let job: Job<C> = Box::new(move |connection| {
            if skip.load(Ordering::Acquire) {
                return false;
            }
            let result = connection.and_then(f);
            let broken = matches!(&result, Err(e) if e.is_connection_lost());
            // The caller may have stopped waiting; then the answer is not needed.
            let _ = answer.send(result);
            broken
        });
        let timed_out = || StoreError::TimedOut {
            operation,
            seconds: self.timeout.as_secs_f64(),
        };
        // Never wait to enqueue: a full queue (a backlog behind a database that is down) is
        // answered at once rather than holding a thread for the whole backlog.
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(timed_out()),
            Err(TrySendError::Disconnected(_)) => return Err(StoreError::Stopped { source: None }),
        }
        step_aside(|| match answered.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                abandoned.store(true, Ordering::Release);
                Err(timed_out())
            }
            Err(RecvTimeoutError::Disconnected) => Err(StoreError::Stopped { source: None }),
        })
    }

    /// Queues `f` without waiting; returns false (and drops it) when the queue is full.
    pub fn spawn(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut C) -> Result<(), StoreError> + Send + 'static,
    ) -> bool {
        let job: Job<C> = Box::new(move |connection| match connection.and_then(f) {
            Ok(()) => false,
            Err(error) => {
                tracing::debug!(operation, %error, "storage: background write failed");
                error.is_connection_lost()
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        }
    }
}

impl<C: 'static> Pool<C> {
    /// Waits until every job queued before this call has finished: each thread takes one barrier
    /// job, and no thread passes the barrier until all hold one, so none is still busy with
    /// earlier work.
    pub fn flush(&self) -> Result<(), StoreError> {
        let barrier = Arc::new(std::sync::Barrier::new(self.threads));
        let (done, finished) = mpsc::sync_channel(self.threads);
        step_aside(|| {
            for _ in 0..self.threads {
                let (barrier, done) = (Arc::clone(&barrier), done.clone());
                let job: Job<C> = Box::new(move |_| {
                    barrier.wait();
                    let _ = done.send(());
                    false
                });
                self.jobs
                    .send(job)
                    .map_err(|_| StoreError::Stopped { source: None })?;
            }
            for _ in 0..self.threads {
                finished
                    .recv_timeout(self.timeout)
                    .map_err(|_| StoreError::TimedOut {
                        operation: "flush",
                        seconds: self.timeout.as_secs_f64(),
                    })?;
            }
            Ok(())
        })
    }
}

pub use crate::blocking::step_aside;

/// How long a thread answers "unavailable" after failing to connect before trying again.
const RECONNECT_PAUSE: Duration = Duration::from_secs(5);

/// One thread: takes jobs until the pool is dropped, keeping its connection between them.
fn work<C>(queue: &Mutex<Receiver<Job<C>>>, connect: &Connect<C>) {
    let mut connection: Option<C> = None;
    // After a failed connect, jobs fail at once for a while instead of each waiting out its own
    // connect timeout against a database that is down.
    let mut down_since: Option<Instant> = None;
    loop {
        let job = {
            // A poisoned lock still guards a usable receiver: jobs run outside it.
            let receiver = match queue.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            match receiver.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        if connection.is_none() {
            if down_since.is_some_and(|at| at.elapsed() < RECONNECT_PAUSE) {
                job(Err(StoreError::Stopped { source: None }));
                continue;
            }
            match connect() {
                Ok(made) => {
                    connection = Some(made);
                    down_since = None;
                }
                Err(error) => {
                    tracing::debug!(%error, "storage: no connection");
                    down_since = Some(Instant::now());
                    job(Err(error));
                    continue;
                }
            }
        }
        if let Some(made) = connection.as_mut() {
            // A bug in one job must not stop the thread; its caller sees the pool as stopped.
            let broken = std::panic::catch_unwind(AssertUnwindSafe(|| job(Ok(made))));
            if broken.unwrap_or(true) {
                connection = None;
            }
        }
    }
}
