//! [`SeenIds`]: the events already answered, as [`RecentIds`] does it, and also in the store when
//! other processes share it ([`Claims::is_shared`]). A platform's retry may reach another replica
//! (Slack redelivers an event it got no 200 for to whichever replica its load balancer picks),
//! and only the store can tell that replica the event was answered.
//!
//! The in-process set is asked first, so a repeat on the same replica costs no round trip. If
//! the store cannot answer, the event counts as new: answering twice during an outage is better
//! than never answering.

use std::sync::Arc;
use std::time::Duration;

use super::recent::RecentIds;
use crate::errors::{self, Throttle};
use crate::records::{now_ms, StoreError};

/// What the adapters' "handled already" needs of storage: claims of keys that hold for a while,
/// across processes and restarts. The store implements it; the runtime hands it to the adapters
/// through [`super::Service::claims`]. `first_time` and `is_claimed` may wait for the store, up
/// to its timeout.
pub trait Claims: Send + Sync + std::fmt::Debug {
    /// Whether other processes may share this store, so that de-duplication belongs in it
    /// rather than in each process's memory.
    fn is_shared(&self) -> bool;

    /// True the first time `key` is claimed (or once an earlier claim has expired), false
    /// while a claim made within `keep` before `now_ms` holds; across every process sharing
    /// the store, exactly one claim of a key wins.
    fn first_time(&self, key: &str, now_ms: i64, keep: Duration) -> Result<bool, StoreError>;

    /// Whether a claim of `key` made with [`Claims::first_time`] still holds at `now_ms`,
    /// without claiming it: for work that must be marked done only once it is done (a
    /// transaction is recorded after its events were taken, so a crash in between means it is
    /// done again).
    fn is_claimed(&self, key: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Claims `key` as [`Claims::first_time`] does, without waiting for the store: for a record
    /// nobody needs an answer from now (a transaction already answered, kept for a retry that
    /// may reach a restarted process). Dropped, with a debug line, if the store cannot take it.
    fn note(&self, key: &str, now_ms: i64, keep: Duration);

    /// The keys starting with `prefix` whose claims still hold at `now_ms`, newest first, at
    /// most `limit`: what a process that alone uses the store loads once at start, rather than
    /// asking [`Claims::is_claimed`] for every key.
    fn claimed_under(
        &self,
        prefix: &str,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<String>, StoreError>;
}

/// Event ids already handled, in this process and, when shared, in the store.
#[derive(Debug)]
pub struct SeenIds {
    local: RecentIds,
    shared: Option<Arc<dyn Claims>>,
    namespace: &'static str,
    window: Duration,
    warn: Throttle,
}

impl SeenIds {
    /// Remembers at most `capacity` ids in memory, each for `window`; the ids of `namespace`
    /// (a platform and kind, such as `slack-event`) also go to `store` when it is shared.
    pub fn new(
        namespace: &'static str,
        capacity: usize,
        window: Duration,
        store: Option<&Arc<dyn Claims>>,
    ) -> SeenIds {
        SeenIds {
            local: RecentIds::new(capacity, window),
            shared: store.filter(|s| s.is_shared()).map(Arc::clone),
            namespace,
            window,
            warn: Throttle::new(Duration::from_secs(60)),
        }
    }

    /// Whether a store shared with other processes is consulted.
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// True the first time `id` is seen by any process sharing the store, false for repeats.
    pub fn first_time(&self, id: &str) -> bool {
        if !self.local.first_time(id) {
            return false;
        }
        let Some(store) = &self.shared else {
            return true;
        };
        let key = format!("{}:{id}", self.namespace);
        match store.first_time(&key, now_ms(), self.window) {
            Ok(first) => first,
            Err(error) => {
                if self.warn.ready() {
                    tracing::warn!(
                        namespace = self.namespace,
                        error = %errors::chain(&error),
                        "the shared store did not answer; repeats are caught per process meanwhile"
                    );
                }
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{StorageBackend, StorageSettings};

    fn store() -> Arc<dyn Claims> {
        let settings = StorageSettings::new(StorageBackend::SqliteMemory);
        Arc::new(crate::store::sqlite::SqliteStore::open(None, &settings).expect("store"))
    }

    /// An unshared store (SQLite) is not consulted: the set is this process's only.
    #[test]
    fn an_unshared_store_is_not_used() {
        let store = store();
        let a = SeenIds::new("slack-event", 8, Duration::from_secs(60), Some(&store));
        let b = SeenIds::new("slack-event", 8, Duration::from_secs(60), Some(&store));
        assert!(!a.is_shared());
        assert!(a.first_time("Ev1"));
        assert!(!a.first_time("Ev1"));
        assert!(
            b.first_time("Ev1"),
            "another process's set knows nothing of a's"
        );
    }

    /// The store's claim: a key is new once, again after it expires, and claims in one
    /// namespace do not block another.
    #[test]
    fn claims_expire_and_are_per_key() {
        let store = store();
        let keep = Duration::from_secs(60);
        assert!(store.first_time("slack-event:Ev1", 1_000, keep).unwrap());
        assert!(!store.first_time("slack-event:Ev1", 2_000, keep).unwrap());
        assert!(store.first_time("matrix-txn:Ev1", 2_000, keep).unwrap());
        let after = 1_000 + keep.as_millis() as i64;
        assert!(store.first_time("slack-event:Ev1", after, keep).unwrap());
        assert!(!store
            .first_time("slack-event:Ev1", after + 1, keep)
            .unwrap());
    }

    /// Listing claims under a prefix gives that prefix's live claims, newest first: not other
    /// prefixes, not expired claims, and `_` or `%` in the prefix match only themselves.
    #[test]
    fn claims_are_listed_under_a_prefix() {
        let store = store();
        let keep = Duration::from_secs(60);
        for (key, at) in [
            ("matrix-txn:as_1:1", 1_000),
            ("matrix-txn:as_1:2", 2_000),
            ("matrix-txn:asx1:3", 2_000),
            ("matrix-txn:as_1:old", -100_000),
            ("slack-event:as_1:4", 2_000),
        ] {
            assert!(store.first_time(key, at, keep).unwrap(), "{key}");
        }
        let listed = store.claimed_under("matrix-txn:as_1:", 2_500, 10).unwrap();
        assert_eq!(listed, ["matrix-txn:as_1:2", "matrix-txn:as_1:1"]);
        let newest = store.claimed_under("matrix-txn:as_1:", 2_500, 1).unwrap();
        assert_eq!(newest, ["matrix-txn:as_1:2"]);
        assert!(store
            .claimed_under("matrix-txn:as%", 2_500, 10)
            .unwrap()
            .is_empty());
    }
}
