//! What the store is told at start: which database, how long a command waits for it, how many
//! connections. The store owns these types; [`crate::config`] reads them from `[storage]`.

use std::path::PathBuf;
use std::time::Duration;

use crate::secret::Secret;

/// Which database the store uses.
#[derive(Debug, Clone, PartialEq)]
pub enum StorageBackend {
    /// No store: suggestions are unavailable and questions are not counted.
    Off,
    /// A SQLite file.
    Sqlite(PathBuf),
    /// SQLite in memory, gone at exit (tests).
    SqliteMemory,
    /// PostgreSQL at this URL (which may hold a password, so it is a secret).
    Postgres(Secret),
}

/// Validated `[storage]` settings.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageSettings {
    /// Which database.
    pub backend: StorageBackend,
    /// How long a command waits for the store (and a connection attempt lasts) before the
    /// person gets an apology.
    pub timeout: Duration,
    /// PostgreSQL connections (and threads holding them); SQLite always uses one.
    pub connections: usize,
    /// Whether questions without a confident answer, and answers given, are counted.
    pub record_questions: bool,
}

impl StorageSettings {
    /// Settings for a store of `backend` with the defaults' timeout and connections (tests,
    /// benchmarks).
    pub fn new(backend: StorageBackend) -> StorageSettings {
        StorageSettings {
            backend,
            timeout: Duration::from_secs(5),
            connections: 4,
            record_questions: true,
        }
    }
}

/// The file used when `storage.url` is empty.
pub const DEFAULT_FILE: &str = "signpost.db";
