//! Counts of questions gathered in memory and written together. A write per count would cost
//! every answer a database transaction (on PostgreSQL a round trip too), for a figure nobody
//! reads until the next report. Counts gather for up to [`WINDOW`] and go to the store as one
//! batch; the same words on the same day are merged first, so a burst of one command is one row
//! update.
//!
//! What is lost: counts not yet written when the process dies without stopping (a stop through
//! the service manager writes them, see [`Store::flush`](super::Store::flush)). Counts were
//! already best effort, dropped when the store is busy.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::pool::Pool;
use super::{StoreError, Tally};

/// How long counts gather before they are written, in a running bot.
pub const WINDOW: Duration = Duration::from_secs(2);

/// The most distinct counts held back; past it, counts for new words are dropped until the next
/// write, as a full store queue drops them.
pub const MOST: usize = 1024;

/// The operation a failed batch is logged as.
pub const COUNT: &str = "count questions";

/// One line to add to: the day, the kind (`miss` or `answer`) and the words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Counted {
    /// The Unix day number.
    pub day: i64,
    /// [`Tally::kind`].
    pub kind: &'static str,
    /// [`Tally::into_text`].
    pub text: String,
}

/// A batch to write: each line and how many to add to it.
pub type Batch = Vec<(Counted, u64)>;

/// Hands a batch to the store's threads without waiting for it to be written; false when the
/// store's queue is full and the batch was dropped.
pub type Write = dyn Fn(Batch) -> bool + Send + Sync;

/// The counts waiting to be written, and the thread that writes them.
pub struct Tallies {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Tallies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tallies").finish_non_exhaustive()
    }
}

struct Shared {
    pending: Mutex<Pending>,
    /// Rung on the first count after a write, and on stopping.
    wake: Condvar,
    window: Duration,
    write: Box<Write>,
}

#[derive(Default)]
struct Pending {
    counts: HashMap<Counted, u64>,
    stopping: bool,
}

impl Tallies {
    /// Starts the writer thread (`signpost-tallies`), which hands the counts gathered in each
    /// `window` to `write`.
    pub fn start(window: Duration, write: Box<Write>) -> Result<Tallies, StoreError> {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Pending::default()),
            wake: Condvar::new(),
            window,
            write,
        });
        let writer = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("signpost-tallies".into())
            .spawn(move || writer.run())
            .map_err(|source| StoreError::Stopped {
                source: Some(source),
            })?;
        Ok(Tallies {
            shared,
            thread: Some(thread),
        })
    }

    /// Counts whose batches `count` writes on `pool`'s threads, one job per [`WINDOW`].
    pub fn on_pool<C: 'static>(
        pool: &Arc<Pool<C>>,
        count: fn(&mut C, &Batch) -> Result<(), StoreError>,
    ) -> Result<Tallies, StoreError> {
        let pool = Arc::clone(pool);
        Tallies::start(
            WINDOW,
            Box::new(move |batch| pool.spawn(COUNT, move |c| count(c, &batch))),
        )
    }

    /// Counts `tally` on `day`, without waiting.
    pub fn add(&self, day: i64, tally: Tally) {
        let key = Counted {
            day,
            kind: tally.kind(),
            text: tally.into_text(),
        };
        let mut pending = self.shared.lock();
        let was_empty = pending.counts.is_empty();
        if let Some(count) = pending.counts.get_mut(&key) {
            *count += 1;
        } else if pending.counts.len() < MOST {
            pending.counts.insert(key, 1);
        }
        drop(pending);
        if was_empty {
            self.shared.wake.notify_one();
        }
    }

    /// Hands every count gathered so far to the store's threads now. Together with the pool's
    /// own flush this makes every count made before it written.
    pub fn write_now(&self) {
        let mut pending = self.shared.lock();
        self.shared.hand_over(&mut pending);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        // The counts stay usable after a panic elsewhere: they are plain numbers.
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the pending counts. Called with the lock held, so a batch taken here is queued
    /// before anyone else can see the counts empty and flush the store behind it.
    fn hand_over(&self, pending: &mut Pending) {
        if pending.counts.is_empty() {
            return;
        }
        let batch: Batch = pending.counts.drain().collect();
        let lines = batch.len();
        if !(self.write)(batch) {
            tracing::debug!(lines, "storage: question counts dropped, the store is busy");
        }
    }

    fn run(&self) {
        let mut pending = self.lock();
        loop {
            while pending.counts.is_empty() && !pending.stopping {
                pending = self.wake.wait(pending).unwrap_or_else(|p| p.into_inner());
            }
            if !pending.stopping {
                pending = self
                    .wake
                    .wait_timeout_while(pending, self.window, |p| !p.stopping)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            self.hand_over(&mut pending);
            if pending.stopping {
                return;
            }
        }
    }
}

impl Drop for Tallies {
    /// Writes what is pending and stops the thread.
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Longer than any test runs, so only `write_now` and stopping write.
    const NEVER: Duration = Duration::from_secs(3600);

    fn started(window: Duration) -> (Tallies, mpsc::Receiver<Batch>) {
        let (sent, batches) = mpsc::channel();
        let sent = Mutex::new(sent);
        let tallies = Tallies::start(
            window,
            Box::new(move |batch| sent.lock().unwrap().send(batch).is_ok()),
        )
        .unwrap();
        (tallies, batches)
    }

    fn sorted(mut batch: Batch) -> Batch {
        batch.sort_by(|a, b| (a.0.kind, &a.0.text).cmp(&(b.0.kind, &b.0.text)));
        batch
    }

    /// The same words on the same day become one line with their count; other words and kinds
    /// keep lines of their own.
    #[test]
    fn repeats_are_merged_into_one_line() {
        let (tallies, batches) = started(NEVER);
        for _ in 0..3 {
            tallies.add(7, Tally::Answer("guidance nurse".into()));
        }
        tallies.add(7, Tally::Miss("guidance nurse".into()));
        tallies.add(8, Tally::Answer("guidance nurse".into()));
        tallies.write_now();
        let batch = sorted(batches.recv().unwrap());
        let lines: Vec<(i64, &str, u64)> = batch.iter().map(|(c, n)| (c.day, c.kind, *n)).collect();
        assert_eq!(lines.len(), 3);
        assert!(lines.contains(&(7, "answer", 3)));
        assert!(lines.contains(&(7, "miss", 1)));
        assert!(lines.contains(&(8, "answer", 1)));
    }

    /// Counts are written without anyone asking, once the window has passed.
    #[test]
    fn the_window_writes_on_its_own() {
        let (tallies, batches) = started(Duration::from_millis(10));
        tallies.add(1, Tally::Miss("abuse".into()));
        let batch = batches.recv().unwrap();
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].1, 1);
        drop(tallies);
    }

    /// Stopping writes what is pending, so a clean stop loses no counts.
    #[test]
    fn stopping_writes_what_is_pending() {
        let (tallies, batches) = started(NEVER);
        tallies.add(1, Tally::Answer("start".into()));
        tallies.add(1, Tally::Answer("start".into()));
        drop(tallies);
        let total: u64 = batches.iter().flatten().map(|(_, n)| n).sum();
        assert_eq!(total, 2);
    }

    /// Past [`MOST`] distinct lines new words are dropped, but words already held still count.
    #[test]
    fn distinct_lines_are_bounded() {
        let (tallies, batches) = started(NEVER);
        for n in 0..=MOST {
            tallies.add(1, Tally::Miss(format!("words {n}")));
        }
        tallies.add(1, Tally::Miss("words 0".into()));
        tallies.write_now();
        let batch = batches.recv().unwrap();
        assert_eq!(batch.len(), MOST);
        let first = batch.iter().find(|(c, _)| c.text == "words 0").unwrap();
        assert_eq!(first.1, 2);
    }
}
