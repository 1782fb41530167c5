//! [`RecentIds`]: the ids of events already handled, so a platform's redelivery (Slack retries an
//! event it got no 200 for, a Matrix sync can repeat an event after a reconnect) is answered once.
//!
//! Memory is bounded two ways: at most `capacity` ids, and none older than `window`; the oldest
//! are forgotten first, which is safe because redeliveries come soon after the original.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bounded, thread-safe set of recently seen ids.
#[derive(Debug)]
pub struct RecentIds {
    capacity: usize,
    window: Duration,
    inner: Mutex<Recent>,
}

#[derive(Debug, Default)]
struct Recent {
    ids: HashSet<Box<str>>,
    order: VecDeque<(Instant, Box<str>)>,
}

impl Recent {
    fn forget_oldest(&mut self) {
        if let Some((_, old)) = self.order.pop_front() {
            self.ids.remove(&old);
        }
    }
}

impl RecentIds {
    /// Remembers at most `capacity` ids (at least one), each for at most `window`.
    pub fn new(capacity: usize, window: Duration) -> RecentIds {
        RecentIds {
            capacity: capacity.max(1),
            window,
            inner: Mutex::new(Recent::default()),
        }
    }

    /// True the first time `id` is seen, false for every repeat while it is remembered.
    pub fn first_time(&self, id: &str) -> bool {
        let now = Instant::now();
        // A panic elsewhere cannot leave the set inconsistent (both halves change together).
        let mut recent = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((at, _)) = recent.order.front() {
            if now.duration_since(*at) < self.window {
                break;
            }
            recent.forget_oldest();
        }
        if recent.ids.contains(id) {
            return false;
        }
        while recent.order.len() >= self.capacity {
            recent.forget_oldest();
        }
        let id: Box<str> = id.into();
        recent.ids.insert(id.clone());
        recent.order.push_back((now, id));
        true
    }

    /// How many ids are remembered now.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .ids
            .len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3_600);

    /// A repeated id is refused; other ids are not.
    #[test]
    fn repeats_are_refused() {
        let recent = RecentIds::new(8, HOUR);
        assert!(recent.first_time("a"));
        assert!(!recent.first_time("a"));
        assert!(recent.first_time("b"));
        assert!(!recent.first_time("b"));
    }

    /// Past the capacity the oldest id is forgotten first, and the newest are still refused.
    #[test]
    fn capacity_forgets_the_oldest() {
        const CAPACITY: usize = 16;
        let recent = RecentIds::new(CAPACITY, HOUR);
        for i in 0..=CAPACITY {
            assert!(recent.first_time(&i.to_string()));
        }
        assert_eq!(recent.len(), CAPACITY);
        assert!(
            !recent.first_time(&CAPACITY.to_string()),
            "newest remembered"
        );
        assert!(
            !recent.first_time(&(CAPACITY - 1).to_string()),
            "recent remembered"
        );
        assert!(recent.first_time("0"), "the oldest was forgotten");
    }

    /// Ids older than the window are forgotten.
    #[test]
    fn window_forgets_old_ids() {
        let recent = RecentIds::new(8, Duration::ZERO);
        assert!(recent.first_time("a"));
        assert!(recent.first_time("a"), "a zero window remembers nothing");
    }
}
