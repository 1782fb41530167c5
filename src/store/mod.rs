//! Storage: suggestions from chat, counts of what people asked, and what replicas must agree on
//! (deliveries already handled, cooldown buckets: [`shared`]), behind one small trait
//! ([`Store`]) with two backends: SQLite ([`sqlite`], a file in the state directory, the default)
//! and PostgreSQL ([`postgres`], so several instances share one store). Each backend runs its
//! numbered migrations ([`migrations`]) when it first connects.
//!
//! # Why the trait is synchronous, and where the waiting happens
//!
//! The core's [`handle`](crate::Signpost::handle) is synchronous and adapters call it from tokio
//! tasks, so a store call blocks whichever thread makes it. Making the trait async would make
//! `handle` async for every command, when only a few touch the store. Instead each backend owns a
//! few plain threads holding its connections ([`pool`]): a call sends the work there and waits
//! for the answer, at most [`StorageSettings::timeout`](crate::config::StorageSettings). While
//! it waits on a multi-threaded runtime the caller steps aside with
//! [`tokio::task::block_in_place`], so the runtime moves its other tasks to other workers and a
//! slow database never stalls unrelated answers. The database work itself never runs on a tokio
//! thread: the blocking `postgres` client starts its own small runtime, which would panic there.
//!
//! Counting questions ([`Store::tally`]) does not wait at all: counts gather in memory for a few
//! seconds and are written together ([`tallies`]), and when the queue is full they are dropped
//! rather than slowing an answer.
//!
//! Errors ([`StoreError`]) name the operation and keep their source; they never hold what a
//! person wrote, so they can be logged as they are.

pub mod migrations;
pub mod pool;
pub mod postgres;
pub mod settings;
pub mod shared;
pub mod sqlite;
pub mod tallies;
mod types;

use std::sync::Arc;
use std::time::Duration;

pub use shared::{Bucket, Taken};
pub use types::{
    day_of, looks_like_id, new_id, now, now_ms, Decided, Decision, NewSuggestion, Report,
    Suggested, Suggestion, SuggestionStatus, Tallied, Tally, ID_LENGTH,
};

pub use settings::{StorageBackend, StorageSettings};

/// Why the store could not do something. Shown to no one: users get a short apology and the
/// error is logged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The SQLite file could not be opened or its folder created.
    #[error("storage: cannot open the SQLite file {path}")]
    Open {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database could not be reached or refused the connection.
    #[error("storage: cannot connect to {backend}")]
    Connect {
        /// `sqlite` or `postgres`.
        backend: &'static str,
        /// Why.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database is locked by another writer for longer than the timeout.
    #[error("storage: {operation}: the database is locked")]
    Locked {
        /// What was being done.
        operation: &'static str,
        /// The driver's report.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A query failed.
    #[error("storage: {operation} failed")]
    Query {
        /// What was being done.
        operation: &'static str,
        /// The driver's report.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A migration failed; the store stays at the version before it.
    #[error("storage: migration {version} ({name}) failed")]
    Migration {
        /// Its number.
        version: u32,
        /// Its file name.
        name: &'static str,
        /// The driver's report.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database holds a migration this build does not know: a newer version wrote it.
    #[error("storage: the database is at migration {found}, newer than this build's {known}")]
    TooNew {
        /// The newest applied migration.
        found: u32,
        /// The newest this build knows.
        known: u32,
    },
    /// No answer within the configured timeout.
    #[error("storage: {operation}: no answer within {seconds} s")]
    TimedOut {
        /// What was being done.
        operation: &'static str,
        /// The timeout.
        seconds: f64,
    },
    /// The store's threads could not be started, or have stopped.
    #[error("storage: the store's threads are not running")]
    Stopped {
        /// Why, when known.
        #[source]
        source: Option<std::io::Error>,
    },
    /// A stored value could not be read back.
    #[error("storage: {operation}: unexpected value in column {column}")]
    Corrupt {
        /// What was being done.
        operation: &'static str,
        /// The column.
        column: &'static str,
    },
}

impl StoreError {
    /// Whether the connection that gave this error should be dropped and made again.
    pub fn is_connection_lost(&self) -> bool {
        matches!(self, StoreError::Connect { .. } | StoreError::Open { .. })
    }
}

/// What the rest of Signpost needs from storage. Every method may block for up to the configured
/// timeout (see the module comment for why that is safe on the runtime), except [`tally`],
/// which never waits.
///
/// [`tally`]: Store::tally
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Which backend this is, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Stores a suggestion, unless one with the same URL key exists: then that one is returned.
    fn suggest(&self, new: NewSuggestion) -> Result<Suggested, StoreError>;

    /// One suggestion by id.
    fn suggestion(&self, id: &str) -> Result<Option<Suggestion>, StoreError>;

    /// Suggestions with `status`, oldest first, at most `limit`.
    fn suggestions(
        &self,
        status: SuggestionStatus,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError>;

    /// How many suggestions have `status`.
    fn count(&self, status: SuggestionStatus) -> Result<u64, StoreError>;

    /// Accepts or rejects an open suggestion.
    fn decide(&self, id: &str, decision: Decision) -> Result<Decided, StoreError>;

    /// Counts one question or answer for today, without waiting: written with the others of the
    /// next few seconds, or dropped when the store is busy.
    fn tally(&self, tally: Tally);

    /// The most frequent misses and answers since `since_day` (a Unix day number), at most
    /// `limit` of each.
    fn report(&self, since_day: i64, limit: usize) -> Result<Report, StoreError>;

    /// Waits until every tally made before this call is written (on stopping, for `signpost
    /// report` after a run, and tests).
    fn flush(&self) -> Result<(), StoreError>;

    /// Whether other processes may share this store, so that de-duplication and cooldowns
    /// belong in it rather than in each process's memory ([`shared`]).
    fn is_shared(&self) -> bool;

    /// True the first time `key` is claimed (or once an earlier claim has expired), false
    /// while a claim made within `keep` before `now_ms` holds; across every process sharing
    /// the store, exactly one claim of a key wins.
    fn first_time(&self, key: &str, now_ms: i64, keep: Duration) -> Result<bool, StoreError>;

    /// Whether a claim of `key` made with [`Store::first_time`] still holds at `now_ms`, without
    /// claiming it: for work that must be marked done only once it is done (a transaction is
    /// recorded after its events were taken, so a crash in between means it is done again).
    fn is_claimed(&self, key: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// Takes one answer from a cooldown bucket shared by every process using the store.
    fn take(&self, bucket: Bucket) -> Result<Taken, StoreError>;

    /// The secret every process sharing the store hashes cooldown keys with.
    fn salt(&self) -> Result<String, StoreError>;
}

/// Whether a sweep of expired shared rows is due, counting this call.
fn sweep_due(calls: &std::sync::atomic::AtomicU32) -> bool {
    let n = calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    n % shared::SWEEP_EVERY == shared::SWEEP_EVERY - 1
}

/// `now_ms + keep`, saturating.
fn expiry(now_ms: i64, keep: Duration) -> i64 {
    now_ms.saturating_add(i64::try_from(keep.as_millis()).unwrap_or(i64::MAX))
}

/// Opens the configured store; `Ok(None)` when storage is off. A database that cannot be reached
/// yet is not an error here: calls apologise until it can be, and the connection is retried.
pub fn open(settings: &StorageSettings) -> Result<Option<Arc<dyn Store>>, StoreError> {
    let store: Arc<dyn Store> = match &settings.backend {
        StorageBackend::Off => return Ok(None),
        StorageBackend::Sqlite(path) => {
            Arc::new(sqlite::SqliteStore::open(Some(path.clone()), settings)?)
        }
        StorageBackend::SqliteMemory => Arc::new(sqlite::SqliteStore::open(None, settings)?),
        StorageBackend::Postgres(url) => {
            Arc::new(postgres::PostgresStore::open(url.expose(), settings)?)
        }
    };
    Ok(Some(store))
}
