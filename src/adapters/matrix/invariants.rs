//! The two conditions the patched matrix-sdk-crypto is correct under (`vendor/README.md`,
//! "Invariants"), checked where the client is set up instead of only written down.
//!
//! - **One process writes the crypto store.** [`StoreLock`] is an exclusive advisory lock
//!   (`flock`) on [`LOCK_FILE`] in `matrix.store_dir`, taken before the crypto store opens and
//!   held for as long as the adapter runs. A second Signpost process on the same store (or a
//!   second Matrix adapter in this one) is refused with
//!   [`StoreInUse`](super::MatrixError::StoreInUse). The SDK's own lock between processes stays
//!   off (`CrossProcessLockConfig::SingleProcess`): this lock makes sure nothing needs it. The
//!   kernel drops the lock when its file is closed, so a process that dies, even by SIGKILL,
//!   leaves no stale lock for its restart to trip over.
//! - **Never sliding sync.** The client is built with sliding sync version `None`
//!   ([`SLIDING_SYNC`]), so `Client::sliding_sync(..).build()` refuses to build one, and the
//!   start fails with [`SlidingSync`](super::MatrixError::SlidingSync) if
//!   [`sliding_sync_in_use`] finds that the built client has a version all the same.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use matrix_sdk::sliding_sync::{Version, VersionBuilder};
use matrix_sdk::Client;

/// The lock file, in `matrix.store_dir` beside the session and the SDK's store folder. Its
/// contents are nothing; only the lock on it counts.
pub const LOCK_FILE: &str = "signpost.lock";

/// The sliding sync version every client of this adapter is built with: none.
pub const SLIDING_SYNC: VersionBuilder = VersionBuilder::None;

/// This process's hold on a Matrix store directory; dropping it (closing the file) releases it.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Takes the lock on `dir` (which must exist) without waiting: `None` when another open
    /// file holds it, in this process or another.
    pub fn try_take(dir: &Path) -> std::io::Result<Option<StoreLock>> {
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(StoreLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

/// The sliding sync version `client` could use, if it has one (`None` when it cannot use
/// sliding sync at all, as it must not).
pub fn sliding_sync_in_use(client: &Client) -> Option<Version> {
    match client.sliding_sync_version() {
        Version::None => None,
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::MatrixError;
    use super::*;

    /// While one holder has a store directory, a second (another open file, as another
    /// process or a second adapter would have) is refused; once the first is dropped the
    /// second gets it, as a restart in the same process must.
    #[test]
    fn a_store_has_one_holder_at_a_time() {
        let dir = std::env::temp_dir().join(format!("signpost-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = StoreLock::try_take(&dir)
            .unwrap()
            .expect("the first takes it");
        assert!(StoreLock::try_take(&dir).unwrap().is_none(), "refused");
        drop(first);
        let again = StoreLock::try_take(&dir).unwrap();
        assert!(again.is_some(), "free again after the first let go");
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The refusal names the store directory and says another Signpost process uses it.
    #[test]
    fn the_refusal_names_the_store() {
        let error = MatrixError::StoreInUse {
            dir: "/srv/signpost/matrix".into(),
        };
        let text = error.to_string();
        assert!(text.contains("/srv/signpost/matrix"), "{text}");
        assert!(text.contains("another Signpost process"), "{text}");
        assert!(
            !error.is_permanent(),
            "retried: the other process may be on its way out"
        );
    }

    /// A client built with [`SLIDING_SYNC`] has no sliding sync version; one given a version
    /// is caught, and the start's error names it.
    #[tokio::test]
    async fn a_client_with_sliding_sync_is_caught() {
        let client = Client::builder()
            .homeserver_url("http://127.0.0.1:1")
            .sliding_sync_version_builder(SLIDING_SYNC)
            .build()
            .await
            .expect("client");
        assert!(sliding_sync_in_use(&client).is_none());
        client.set_sliding_sync_version(Version::Native);
        let version = sliding_sync_in_use(&client).expect("caught");
        let error = MatrixError::SlidingSync {
            version: format!("{version:?}"),
        };
        assert!(
            error.to_string().contains("sliding sync (Native)"),
            "{error}"
        );
        assert!(error.is_permanent(), "no retry builds another client");
    }
}
