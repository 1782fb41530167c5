//! Why the store could not do something: named by operation, keeping the driver's report.

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
