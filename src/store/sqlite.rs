//! The SQLite store: one file (or memory, for tests) and one thread holding one connection.
//! SQLite takes one writer at a time anyway, so more threads would only queue on its lock; the
//! file is in WAL mode with `synchronous = NORMAL`, so a write costs no disk flush, and a lock
//! held by another process (a backup, `sqlite3` at a prompt) is waited for up to the timeout.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU32;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use super::columns::{Columns, COLUMNS, ID_ATTEMPTS};
use super::migrations::{self, SQLITE};
use super::pool::Pool;
use super::shared;
use super::tallies::{Batch, Tallies, COUNT};
use super::{
    day_of, new_id, now, Bucket, Buckets, Claims, Decided, Decision, NewSuggestion, QuestionCounts,
    Report, StorageSettings, Store, StoreError, Suggested, Suggestion, SuggestionBox,
    SuggestionStatus, Taken, Tallied, Tally,
};

/// Suggestions and counts in a SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    /// Declared first, so that on drop its last counts are queued before the pool goes.
    tallies: Tallies,
    pub(super) pool: Arc<Pool<Connection>>,
    /// Claims and takes since start, for sweeping expired rows now and then.
    calls: AtomicU32,
}

impl SqliteStore {
    /// A store in the file at `path` (its folder is created), or in memory when `None`. The file
    /// is opened on first use, so a bad path shows as apologies and logged errors, not a panic.
    pub fn open(
        path: Option<PathBuf>,
        settings: &StorageSettings,
    ) -> Result<SqliteStore, StoreError> {
        let timeout = settings.timeout;
        let pool = Arc::new(Pool::start(
            "sqlite",
            1,
            timeout,
            Arc::new(move || connect(path.as_deref(), timeout)),
        )?);
        let tallies = Tallies::on_pool(&pool, count)?;
        Ok(SqliteStore {
            tallies,
            pool,
            calls: AtomicU32::new(0),
        })
    }
}

fn connect(path: Option<&Path>, timeout: Duration) -> Result<Connection, StoreError> {
    let open_error = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
        path: path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf),
        source,
    };
    let mut connection = match path {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| open_error(e.into()))?;
            }
            create_private(path).map_err(|e| open_error(e.into()))?;
            Connection::open(path)
        }
        None => Connection::open_in_memory(),
    }
    .map_err(|e| open_error(e.into()))?;
    connection
        .busy_timeout(timeout)
        .map_err(|e| open_error(e.into()))?;
    // The journal mode answers with a row, so it is read rather than executed.
    connection
        .query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(|e| open_error(e.into()))?;
    connection
        .execute_batch("PRAGMA synchronous = NORMAL")
        .map_err(|e| open_error(e.into()))?;
    migrate(&mut connection)?;
    Ok(connection)
}

/// Creates the store's file readable by its owner only, unless it exists: it holds who
/// suggested what. SQLite gives its journal files the same permissions.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Applies the missing steps, all under one write lock so two processes never both apply one.
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let tx = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(failed("migrate"))?;
    tx.execute_batch(migrations::TABLE)
        .map_err(failed("migrate"))?;
    let applied: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(failed("migrate"))?;
    for step in migrations::pending(SQLITE, u32::try_from(applied).unwrap_or(u32::MAX))? {
        let error = |e: rusqlite::Error| StoreError::Migration {
            version: step.version,
            name: step.name,
            source: e.into(),
        };
        tx.execute_batch(step.sql).map_err(error)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![step.version, step.name, now()],
        )
        .map_err(error)?;
    }
    tx.commit().map_err(failed("migrate"))
}

/// Adds a batch of counts in one transaction.
fn count(c: &mut Connection, batch: &Batch) -> Result<(), StoreError> {
    let tx = c.transaction().map_err(failed(COUNT))?;
    {
        let mut add = tx
            .prepare_cached(
                "INSERT INTO asked (day, kind, text, count) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (day, kind, text) DO UPDATE SET count = count + ?4",
            )
            .map_err(failed(COUNT))?;
        for (line, n) in batch {
            let n = i64::try_from(*n).unwrap_or(i64::MAX);
            add.execute(params![line.day, line.kind, line.text, n])
                .map_err(failed(COUNT))?;
        }
    }
    tx.commit().map_err(failed(COUNT))
}

/// Maps a driver error: a busy or locked database is told apart from other failures.
pub(super) fn failed(operation: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |error| match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked {
            operation,
            source: error.into(),
        },
        _ => StoreError::Query {
            operation,
            source: error.into(),
        },
    }
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Columns> {
    Ok(Columns {
        id: row.get(0)?,
        new: NewSuggestion {
            url: row.get(1)?,
            url_key: row.get(2)?,
            note: row.get(3)?,
            platform: row.get(4)?,
            channel: row.get(5)?,
            suggester: row.get(6)?,
            at: row.get(7)?,
        },
        status: row.get(8)?,
        decided_at: row.get(9)?,
        decided_by: row.get(10)?,
        reason: row.get(11)?,
    })
}

fn one(
    connection: &Connection,
    operation: &'static str,
    filter: &str,
    value: &str,
) -> Result<Option<Suggestion>, StoreError> {
    connection
        .query_row(
            &format!("SELECT {COLUMNS} FROM suggestions WHERE {filter} = ?1"),
            [value],
            read_row,
        )
        .optional()
        .map_err(failed(operation))?
        .map(|columns| columns.into_suggestion(operation))
        .transpose()
}

fn suggest(connection: &mut Connection, new: NewSuggestion) -> Result<Suggested, StoreError> {
    const OP: &str = "store a suggestion";
    for _ in 0..ID_ATTEMPTS {
        let id = new_id();
        let inserted = connection
            .execute(
                "INSERT INTO suggestions (id, url, url_key, note, platform, channel, suggester, \
                 suggested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                params![
                    id,
                    new.url,
                    new.url_key,
                    new.note,
                    new.platform,
                    new.channel,
                    new.suggester,
                    new.at
                ],
            )
            .map_err(failed(OP))?;
        if inserted == 1 {
            return Ok(Suggested::Stored(Suggestion {
                id,
                new,
                status: SuggestionStatus::Open,
                decision: None,
            }));
        }
        if let Some(existing) = one(connection, OP, "url_key", &new.url_key)? {
            return Ok(Suggested::Existing(existing));
        }
        // Otherwise the id clashed: try another.
    }
    Err(StoreError::Corrupt {
        operation: OP,
        column: "id",
    })
}

fn decide(connection: &mut Connection, id: &str, d: Decision) -> Result<Decided, StoreError> {
    const OP: &str = "decide on a suggestion";
    let changed = connection
        .execute(
            "UPDATE suggestions SET status = ?2, decided_at = ?3, decided_by = ?4, reason = ?5 \
             WHERE id = ?1 AND status = 'open'",
            params![id, d.status.as_str(), d.at, d.by, d.reason],
        )
        .map_err(failed(OP))?;
    Ok(match (changed, one(connection, OP, "id", id)?) {
        (_, None) => Decided::NotFound,
        (1, Some(now)) => Decided::Done(now),
        (_, Some(before)) => Decided::AlreadyDecided(before),
    })
}

fn top(
    connection: &Connection,
    kind: &str,
    since_day: i64,
    limit: usize,
) -> Result<Vec<Tallied>, StoreError> {
    const OP: &str = "read the questions report";
    let mut statement = connection
        .prepare_cached(
            "SELECT text, SUM(count) AS n FROM asked WHERE kind = ?1 AND day >= ?2 \
             GROUP BY text ORDER BY n DESC, text LIMIT ?3",
        )
        .map_err(failed(OP))?;
    let rows = statement
        .query_map(params![kind, since_day, limit as i64], |row| {
            Ok(Tallied {
                text: row.get(0)?,
                count: row.get::<_, i64>(1)?.max(0) as u64,
            })
        })
        .map_err(failed(OP))?;
    rows.collect::<Result<_, _>>().map_err(failed(OP))
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

impl SuggestionBox for SqliteStore {
    fn suggest(&self, new: NewSuggestion) -> Result<Suggested, StoreError> {
        self.pool
            .call("store a suggestion", move |c| suggest(c, new))
    }

    fn suggestion(&self, id: &str) -> Result<Option<Suggestion>, StoreError> {
        let id = id.to_string();
        self.pool.call("read a suggestion", move |c| {
            one(c, "read a suggestion", "id", &id)
        })
    }

    fn suggestions(
        &self,
        status: SuggestionStatus,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError> {
        const OP: &str = "list suggestions";
        self.pool.call(OP, move |c| {
            let mut statement = c
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM suggestions WHERE status = ?1 \
                     ORDER BY suggested_at, id LIMIT ?2"
                ))
                .map_err(failed(OP))?;
            let rows = statement
                .query_map(params![status.as_str(), limit as i64], read_row)
                .map_err(failed(OP))?;
            rows.map(|row| row.map_err(failed(OP))?.into_suggestion(OP))
                .collect()
        })
    }

    fn count(&self, status: SuggestionStatus) -> Result<u64, StoreError> {
        const OP: &str = "count suggestions";
        self.pool.call(OP, move |c| {
            c.query_row(
                "SELECT COUNT(*) FROM suggestions WHERE status = ?1",
                [status.as_str()],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(failed(OP))
        })
    }

    fn decide(&self, id: &str, decision: Decision) -> Result<Decided, StoreError> {
        let id = id.to_string();
        self.pool
            .call("decide on a suggestion", move |c| decide(c, &id, decision))
    }
}

impl QuestionCounts for SqliteStore {
    fn tally(&self, tally: Tally) {
        self.tallies.add(day_of(now()), tally);
    }

    fn report(&self, since_day: i64, limit: usize) -> Result<Report, StoreError> {
        self.pool.call("read the questions report", move |c| {
            Ok(Report {
                misses: top(c, "miss", since_day, limit)?,
                answers: top(c, "answer", since_day, limit)?,
            })
        })
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.tallies.write_now();
        self.pool.flush()
    }
}

/// Claims `key` until `expires`: true when it was new or its earlier claim had expired by `now`.
fn claim(c: &Connection, key: &str, expires: i64, now: i64) -> rusqlite::Result<bool> {
    c.prepare_cached(shared::CLAIM)?
        .query_row(params![key, expires, now], |_| Ok(()))
        .optional()
        .map(|row| row.is_some())
}

impl Claims for SqliteStore {
    fn is_shared(&self) -> bool {
        // One file on one machine: processes sharing it would have to share its disk too.
        false
    }

    fn first_time(&self, key: &str, now_ms: i64, keep: Duration) -> Result<bool, StoreError> {
        const OP: &str = "claim an event id";
        self.sweep(now_ms);
        let key = key.to_string();
        let expires = super::expiry(now_ms, keep);
        self.pool.call(OP, move |c| {
            claim(c, &key, expires, now_ms).map_err(failed(OP))
        })
    }

    fn note(&self, key: &str, now_ms: i64, keep: Duration) {
        const OP: &str = "note an event id";
        self.sweep(now_ms);
        let key = key.to_string();
        let expires = super::expiry(now_ms, keep);
        let queued = self.pool.spawn(OP, move |c| {
            claim(c, &key, expires, now_ms)
                .map(drop)
                .map_err(failed(OP))
        });
        if !queued {
            tracing::debug!(operation = OP, "storage: queue full, not noted");
        }
    }

    fn claimed_under(
        &self,
        prefix: &str,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        const OP: &str = "list claimed ids";
        let prefix = prefix.to_string();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.pool.call(OP, move |c| {
            let mut listed = c
                .prepare_cached(shared::CLAIMED_UNDER)
                .map_err(failed(OP))?;
            let keys = listed
                .query_map(params![prefix, now_ms, limit], |r| r.get(0))
                .map_err(failed(OP))?;
            keys.map(|key| key.map_err(failed(OP))).collect()
        })
    }

    fn is_claimed(&self, key: &str, now_ms: i64) -> Result<bool, StoreError> {
        const OP: &str = "look up an event id";
        let key = key.to_string();
        self.pool.call(OP, move |c| {
            c.prepare_cached(shared::CLAIMED)
                .and_then(|mut claimed| claimed.query_row(params![key, now_ms], |r| r.get(0)))
                .map_err(failed(OP))
        })
    }
}

impl Buckets for SqliteStore {
    fn take(&self, bucket: Bucket) -> Result<Taken, StoreError> {
        const OP: &str = "take from a cooldown";
        self.sweep(bucket.now_ms);
        self.pool.call(OP, move |c| {
            let [now, period, window] = bucket.millis();
            let (outcome, tat, at) = c
                .prepare_cached(shared::TAKE)
                .and_then(|mut take| {
                    take.query_row(params![bucket.key, now, period, window], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                })
                .map_err(failed(OP))?;
            Taken::from_row(&bucket, outcome, tat, at).ok_or(StoreError::Corrupt {
                operation: OP,
                column: "outcome",
            })
        })
    }

    fn salt(&self) -> Result<String, StoreError> {
        const OP: &str = "read the shared salt";
        self.pool.call(OP, |c| {
            c.query_row(shared::SALT, [], |r| r.get(0))
                .map_err(failed(OP))
        })
    }
}

impl SqliteStore {
    /// Now and then, deletes expired claims and refilled buckets, without waiting.
    fn sweep(&self, now_ms: i64) {
        if super::sweep_due(&self.calls) {
            self.pool.spawn("sweep shared state", move |c| {
                c.execute(shared::SWEEP_SEEN, [now_ms])
                    .and_then(|_| c.execute(shared::SWEEP_COOLDOWNS, [now_ms]))
                    .map(drop)
                    .map_err(failed("sweep shared state"))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{StorageBackend, StorageSettings};

    /// A new store file, and the journal beside it, are readable by their owner only.
    #[cfg(unix)]
    #[test]
    fn new_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("signpost-private-{}", new_id()));
        let path = dir.join("store.db");
        let settings = StorageSettings::new(StorageBackend::Sqlite(path.clone()));
        let store = SqliteStore::open(Some(path.clone()), &settings).unwrap();
        store.flush().unwrap();
        for file in [path.clone(), dir.join("store.db-wal")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}
