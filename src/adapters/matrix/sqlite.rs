//! How the SDK's SQLite stores commit: in WAL mode with `synchronous = NORMAL`, like the bot's own
//! store ([`crate::store::sqlite`]), instead of SQLite's default `FULL`.
//!
//! The SDK writes its state store at least once per sync (the sync token, room info) and its
//! crypto store whenever keys move; under `FULL` every one of those commits waits for a disk
//! flush before the sync's events reach the handlers, which costs system time and delays every
//! reply. Under `NORMAL` a WAL commit is flushed at checkpoints only: still safe against the
//! process crashing, while a power cut may lose the last commits, which for a bot means syncing
//! again from a slightly older token (history it does not answer) and, at worst, keys it
//! re-requests. The SDK offers no setting for this, so the pragma is applied to each connection
//! as SQLite opens it (an auto-extension, which SQLite runs for every connection in the process).

use std::ffi::{c_char, c_int};
use std::sync::Once;

use rusqlite::ffi;

/// Makes every SQLite connection opened from now on in this process commit with
/// `synchronous = NORMAL`. Idempotent.
pub fn commit_without_flush() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // SAFETY: `on_open` neither opens nor closes a connection and does not touch the list of
        // auto-extensions, the conditions rusqlite names for this call.
        if let Err(e) = unsafe { rusqlite::auto_extension::register_auto_extension(on_open) } {
            tracing::warn!(
                adapter = "matrix",
                "store commits stay fully synchronous: {e}"
            );
        }
    });
}

/// SQLite's auto-extension entry point: sets the pragma on the connection being opened. Always
/// reports success, so a connection that refuses the pragma still opens, just flushing as before.
unsafe extern "C" fn on_open(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite passes the connection it is opening, valid for this call; the statement is a
    // NUL-terminated constant and no callback or error buffer is asked for.
    unsafe {
        ffi::sqlite3_exec(
            db,
            c"PRAGMA synchronous = NORMAL".as_ptr(),
            None,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
    }
    ffi::SQLITE_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    /// After registering, a connection opened by anyone (here plain rusqlite, as the SDK's store
    /// does) reports `synchronous = 1` (NORMAL) rather than SQLite's default 2 (FULL).
    #[test]
    fn connections_open_with_normal_synchronous() {
        commit_without_flush();
        let db = rusqlite::Connection::open_in_memory().expect("open");
        let level: i64 = db
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .expect("pragma");
        assert_eq!(level, 1);
    }
}
