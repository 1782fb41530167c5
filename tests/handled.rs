//! The store's record of handled deliveries (Matrix appservice transaction ids), on SQLite and
//! on a real PostgreSQL: a delivery is new until recorded, recorded once, kept per scope, and
//! still known to a store opened again on the same file (a restarted bot).

use signpost::config::{StorageBackend, StorageSettings};
use signpost::store;

use crate::suggestions::stores;

/// Unrecorded ids are not handled; the first record wins and later ones say so; scopes are
/// apart; both backends agree.
#[test]
fn deliveries_are_recorded_once_per_scope() {
    for (backend, store) in stores() {
        let scope = "matrix-txn:signpost";
        assert!(!store.handled(scope, "17").unwrap(), "{backend}: new");
        assert!(
            store.record_handled(scope, "17").unwrap(),
            "{backend}: first record"
        );
        assert!(
            store.handled(scope, "17").unwrap(),
            "{backend}: now handled"
        );
        assert!(
            !store.record_handled(scope, "17").unwrap(),
            "{backend}: second record"
        );
        assert!(
            !store.handled(scope, "18").unwrap(),
            "{backend}: another id"
        );
        assert!(
            !store.handled("matrix-txn:other", "17").unwrap(),
            "{backend}: another registration's ids are its own"
        );
    }
}

/// A store opened again on the same SQLite file knows what the first one recorded.
#[test]
fn records_outlive_the_process_that_made_them() {
    let file = std::env::temp_dir().join(format!(
        "signpost-test-{}-{}.db",
        std::process::id(),
        store::new_id()
    ));
    let open = || {
        store::open(&StorageSettings::new(StorageBackend::Sqlite(file.clone())))
            .expect("opens")
            .expect("a store")
    };
    assert!(open().record_handled("matrix-txn:signpost", "1").unwrap());
    assert!(open().handled("matrix-txn:signpost", "1").unwrap());
    let _ = std::fs::remove_file(&file);
}
