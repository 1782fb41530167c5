//! The store's claims (`first_time`, `is_claimed`), which de-duplicate deliveries across
//! processes and restarts (Slack event ids, Matrix appservice transaction ids), on SQLite and on
//! a real PostgreSQL: a key is new until claimed, claimed once, kept per key until it expires,
//! and still known to a store opened again on the same file (a restarted bot).

use std::time::Duration;

use signpost::config::{StorageBackend, StorageSettings};
use signpost::store::{self, now_ms};

use crate::suggestions::stores;

/// How long the claims in these tests hold.
const KEEP: Duration = Duration::from_secs(60);

/// Unclaimed keys are not claimed; the first claim wins and later ones say so; keys are apart;
/// a claim expires after its time; both backends agree.
#[test]
fn keys_are_claimed_once_until_they_expire() {
    for (backend, store) in stores() {
        let now = now_ms();
        let key = "matrix-txn:signpost:17";
        assert!(!store.is_claimed(key, now).unwrap(), "{backend}: new");
        assert!(
            store.first_time(key, now, KEEP).unwrap(),
            "{backend}: first claim"
        );
        assert!(
            store.is_claimed(key, now).unwrap(),
            "{backend}: now claimed"
        );
        assert!(
            !store.first_time(key, now + 1, KEEP).unwrap(),
            "{backend}: second claim"
        );
        assert!(
            !store.is_claimed("matrix-txn:signpost:18", now).unwrap(),
            "{backend}: another id"
        );
        assert!(
            !store.is_claimed("matrix-txn:other:17", now).unwrap(),
            "{backend}: another registration's ids are its own"
        );
        let expired = now + KEEP.as_millis() as i64;
        assert!(
            !store.is_claimed(key, expired).unwrap(),
            "{backend}: expired"
        );
        assert!(
            store.first_time(key, expired, KEEP).unwrap(),
            "{backend}: claimed again"
        );
    }
}

/// A store opened again on the same SQLite file knows what the first one claimed.
#[test]
fn claims_outlive_the_process_that_made_them() {
    let file = crate::support::temp_dir(&format!("store-{}", store::new_id())).join("store.db");
    let open = || {
        store::open(&StorageSettings::new(StorageBackend::Sqlite(file.clone())))
            .expect("opens")
            .expect("a store")
    };
    let key = "matrix-txn:signpost:1";
    assert!(open().first_time(key, now_ms(), KEEP).unwrap());
    assert!(open().is_claimed(key, now_ms()).unwrap());
    let _ = std::fs::remove_file(&file);
}
