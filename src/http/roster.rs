//! The listener's open connections and when each last moved, so that at the connection cap the
//! one quiet longest can be closed to make room: a flood of idle connections then costs the
//! flooder its oldest ones, not everyone else (`/healthz` included) their access.
//!
//! A connection counts as idle when it has sent nothing yet or its last move was the server's
//! answer; one whose last move was reading (a request arriving, or waiting for its answer) is
//! never chosen: slow senders are the header and request deadlines' to end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

/// Set in a connection's stamp while its last move was a read.
const READING: u64 = 1 << 63;

/// Every open connection.
#[derive(Debug)]
pub struct Roster {
    start: Instant,
    next: AtomicU64,
    open: Mutex<HashMap<u64, (Arc<AtomicU64>, CancellationToken)>>,
}

/// One connection's place on the roster: it records the connection's moves, says when to
/// close, and leaves the roster when dropped.
#[derive(Debug)]
pub struct Seat {
    id: u64,
    roster: Arc<Roster>,
    stamp: Arc<AtomicU64>,
    /// Cancelled when the roster closes this connection to make room.
    pub close: CancellationToken,
}

impl Roster {
    /// An empty roster.
    pub fn new() -> Arc<Roster> {
        Arc::new(Roster {
            start: Instant::now(),
            next: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(READING - 1)
    }

    /// A new connection, idle since now.
    pub fn join(self: &Arc<Self>) -> Seat {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let stamp = Arc::new(AtomicU64::new(self.now()));
        let close = CancellationToken::new();
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, (Arc::clone(&stamp), close.clone()));
        Seat {
            id,
            roster: Arc::clone(self),
            stamp,
            close,
        }
    }

    /// Asks the connection idle longest to close, if one has been idle at least `quiet`;
    /// whether one was asked.
    pub fn close_quietest(&self, quiet: Duration) -> bool {
        let now = self.now();
        let quiet = u64::try_from(quiet.as_millis()).unwrap_or(u64::MAX);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let chosen = open
            .iter()
            .map(|(id, (stamp, _))| (*id, stamp.load(Ordering::Relaxed)))
            .filter(|(_, stamp)| stamp & READING == 0 && now.saturating_sub(*stamp) >= quiet)
            // The older connection first when two moved in the same millisecond.
            .min_by_key(|(id, stamp)| (*stamp, *id))
            .map(|(id, _)| id);
        match chosen.and_then(|id| open.remove(&id)) {
            Some((_, close)) => {
                close.cancel();
                true
            }
            None => false,
        }
    }
}

impl Seat {
    /// The connection read something: a request is arriving or waits for its answer.
    pub fn read(&self) {
        self.stamp
            .store(self.roster.now() | READING, Ordering::Relaxed);
    }

    /// The connection wrote something: an answer went out.
    pub fn wrote(&self) {
        self.stamp.store(self.roster.now(), Ordering::Relaxed);
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        self.roster
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The connection idle longest is chosen; one whose last move was a read, one idle for less
    /// than the quiet time, and one that has left are never chosen.
    #[test]
    fn the_quietest_idle_connection_is_closed() {
        let roster = Roster::new();
        let oldest = roster.join();
        let reading = roster.join();
        std::thread::sleep(Duration::from_millis(30));
        let newer = roster.join();
        reading.read();
        assert!(
            !roster.close_quietest(Duration::from_secs(60)),
            "none quiet that long"
        );
        assert!(roster.close_quietest(Duration::from_millis(20)));
        assert!(oldest.close.is_cancelled() && !reading.close.is_cancelled());
        assert!(!newer.close.is_cancelled());
        assert!(
            !roster.close_quietest(Duration::from_millis(20)),
            "the rest are too fresh"
        );
        drop(newer);
        assert_eq!(
            roster.open.lock().unwrap().len(),
            1,
            "only the reader is left"
        );
    }
}
