//! [`RecentIds`]: the ids of events already handled, so a platform's redelivery (Slack retries an
//! event it got no 200 for, a Matrix sync can repeat an event after a reconnect) is answered once.
//!
//! Memory is bounded two ways: at most `capacity` ids, and none older than `window`; the oldest
//! are forgotten first, which is safe because redeliveries come soon after the original.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bounded, thread-safe set of recently seen ids.
#[derive(Debug)]
pub struct RecentIds(RecentMap<()>);

impl RecentIds {
    /// Remembers at most `capacity` ids (at least one), each for at most `window`.
    pub fn new(capacity: usize, window: Duration) -> RecentIds {
        RecentIds(RecentMap::new(capacity, window))
    }

    /// True the first time `id` is seen, false for every repeat while it is remembered.
    pub fn first_time(&self, id: &str) -> bool {
        self.0.insert_new(id, ())
    }

    /// How many ids are remembered now.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A bounded, thread-safe map from recent ids to a value (who asked for the answer a bot
/// message id belongs to, say), bounded the same two ways as [`RecentIds`].
#[derive(Debug)]
pub struct RecentMap<V> {
    capacity: usize,
    window: Duration,
    inner: Mutex<Recent<V>>,
}

#[derive(Debug)]
struct Recent<V> {
    /// Each value with when it was stored, which names its entry in `order`: an id removed
    /// and stored again has a newer entry, and the older one must not forget it.
    values: HashMap<Box<str>, (Instant, V)>,
    order: VecDeque<(Instant, Box<str>)>,
}

impl<V> Recent<V> {
    fn forget_oldest(&mut self) {
        if let Some((at, old)) = self.order.pop_front() {
            if self
                .values
                .get(&old)
                .is_some_and(|(stored, _)| *stored == at)
            {
                self.values.remove(&old);
            }
        }
    }

    fn forget_before(&mut self, now: Instant, window: Duration) {
        while let Some((at, _)) = self.order.front() {
            if now.duration_since(*at) < window {
                break;
            }
            self.forget_oldest();
        }
    }
}

impl<V: Clone> RecentMap<V> {
    /// Remembers at most `capacity` ids (at least one), each for at most `window`.
    pub fn new(capacity: usize, window: Duration) -> RecentMap<V> {
        RecentMap {
            capacity: capacity.max(1),
            window,
            inner: Mutex::new(Recent {
                values: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recent<V>> {
        // A panic elsewhere cannot leave the map inconsistent (both halves change together).
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The most ids remembered at once.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Remembers `value` for `id` unless `id` is already remembered; true when it was new.
    pub fn insert_new(&self, id: &str, value: V) -> bool {
        let now = Instant::now();
        let mut recent = self.lock();
        recent.forget_before(now, self.window);
        if recent.values.contains_key(id) {
            return false;
        }
        // Stale entries of replaced ids count towards a bound of their own, so `order` stays
        // bounded too.
        while (recent.values.len() >= self.capacity || recent.order.len() >= 2 * self.capacity)
            && !recent.order.is_empty()
        {
            recent.forget_oldest();
        }
        let id: Box<str> = id.into();
        recent.values.insert(id.clone(), (now, value));
        recent.order.push_back((now, id));
        true
    }

    /// Remembers `value` for `id`, replacing what was remembered for it (and restarting its
    /// window).
    pub fn insert(&self, id: &str, value: V) {
        self.remove(id);
        self.insert_new(id, value);
    }

    /// Forgets `id`, returning what was remembered for it.
    pub fn remove(&self, id: &str) -> Option<V> {
        let mut recent = self.lock();
        recent.forget_before(Instant::now(), self.window);
        // Its entry in `order` stays until it comes up, and is then skipped.
        recent.values.remove(id).map(|(_, v)| v)
    }

    /// The value remembered for `id`, if it is still remembered.
    pub fn get(&self, id: &str) -> Option<V> {
        let mut recent = self.lock();
        recent.forget_before(Instant::now(), self.window);
        recent.values.get(id).map(|(_, v)| v.clone())
    }

    /// Forgets every id.
    pub fn clear(&self) {
        let mut recent = self.lock();
        recent.values.clear();
        recent.order.clear();
    }

    /// How many ids are remembered now.
    pub fn len(&self) -> usize {
        self.lock().values.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Signed requests seen within their platform's replay window, by signature: a request sent
/// again inside the window (a replay of a captured command or button press) carries the same
/// signature and is refused, where without this it would be answered again. Bounded, so a
/// flood costs fixed memory; one evicted early may be answered twice, never more.
#[derive(Debug)]
pub struct Replays(RecentIds);

/// Most signatures remembered.
pub const REPLAYS_KEPT: usize = 100_000;

impl Replays {
    /// Remembers signatures for `window` (the platform's accepted age, plus its clock skew).
    pub fn new(window: Duration) -> Replays {
        Replays(RecentIds::new(REPLAYS_KEPT, window))
    }

    /// True the first time `signature` is seen, false for a replay.
    pub fn first(&self, signature: &str) -> bool {
        self.0.first_time(signature)
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

    /// A map gives back what was stored for an id while it is remembered, and keeps the first
    /// value for an id.
    #[test]
    fn maps_keep_values() {
        let map = RecentMap::new(2, HOUR);
        assert!(map.insert_new("a", 1));
        assert!(!map.insert_new("a", 2));
        assert_eq!(map.get("a"), Some(1));
        assert!(map.insert_new("b", 3) && map.insert_new("c", 4));
        assert_eq!(map.get("a"), None, "the oldest was forgotten");
        assert_eq!(map.get("c"), Some(4));
    }

    /// A replaced value is the one given back, and survives the old entry's turn to be
    /// forgotten; a removed one is gone.
    #[test]
    fn maps_replace_and_remove() {
        let map = RecentMap::new(2, HOUR);
        map.insert("a", 1);
        map.insert("a", 2);
        assert_eq!(map.get("a"), Some(2));
        assert!(map.insert_new("b", 3));
        assert_eq!(
            map.get("a"),
            Some(2),
            "a replaced entry is not forgotten early"
        );
        assert_eq!(map.remove("b"), Some(3));
        assert_eq!(map.get("b"), None);
        assert_eq!(map.len(), 1);
    }

    /// A cleared map forgets every id, and takes new ones again up to its capacity.
    #[test]
    fn cleared_maps_forget_everything() {
        let map = RecentMap::new(2, HOUR);
        assert!(map.insert_new("a", 1) && map.insert_new("b", 2));
        map.clear();
        assert!(map.is_empty());
        assert_eq!(map.get("a"), None);
        assert!(map.insert_new("a", 3) && map.insert_new("c", 4));
        assert_eq!((map.get("a"), map.get("c")), (Some(3), Some(4)));
    }
}
