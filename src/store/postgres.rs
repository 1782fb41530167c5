//! The PostgreSQL store, so several instances share suggestions and counts: a few threads, each
//! with its own blocking `postgres` client (which drives its own small runtime, so it must not
//! run on a tokio thread: see the [module comment](super)). Connections are made on first use
//! with the configured timeout and made again after one is lost; every statement is bounded by
//! `statement_timeout`. Migrations take an advisory lock, so instances starting together apply
//! each step once.
//!
//! Connections are plain TCP (or a Unix socket): TLS is not built in yet, so the database belongs
//! on the same host or a private network.

use std::sync::atomic::AtomicU32;
use std::sync::Arc;
use std::time::Duration;

use postgres::{Client, NoTls};

use super::columns::{Columns, COLUMNS, ID_ATTEMPTS};
use super::migrations::{self, POSTGRES};
use super::pool::Pool;
use super::shared;
use super::tallies::{Batch, Tallies, COUNT};
use super::{
    day_of, new_id, now, Bucket, Buckets, Claims, Decided, Decision, NewSuggestion, QuestionCounts,
    Report, StorageSettings, Store, StoreError, Suggested, Suggestion, SuggestionBox,
    SuggestionStatus, Taken, Tallied, Tally,
};

/// The advisory lock key migrations hold ("signpost" in ASCII, as a number).
const MIGRATION_LOCK: i64 = 0x7369_676e_706f_7374;

/// Suggestions and counts in a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresStore {
    /// Declared first, so that on drop its last counts are queued before the pool goes.
    tallies: Tallies,
    pub(super) pool: Arc<Pool<Client>>,
    /// Claims and takes since start, for sweeping expired rows now and then.
    calls: AtomicU32,
}

impl PostgresStore {
    /// A store at `url` (`postgres://user:password@host:port/database`). The URL is checked
    /// now; the server is first contacted by the first call.
    pub fn open(url: &str, settings: &StorageSettings) -> Result<PostgresStore, StoreError> {
        let mut config: postgres::Config = url.parse().map_err(|e| StoreError::Connect {
            backend: "postgres",
            source: Box::new(e),
        })?;
        config.connect_timeout(settings.timeout);
        let timeout = settings.timeout;
        let pool = Arc::new(Pool::start(
            "postgres",
            settings.connections,
            timeout,
            Arc::new(move || connect(&config, timeout)),
        )?);
        let tallies = Tallies::on_pool(&pool, count)?;
        Ok(PostgresStore {
            tallies,
            pool,
            calls: AtomicU32::new(0),
        })
    }
}

fn connect(config: &postgres::Config, timeout: Duration) -> Result<Client, StoreError> {
    let mut client = config.connect(NoTls).map_err(lost)?;
    client
        .batch_execute(&format!(
            "SET statement_timeout = {}; SET lock_timeout = {0}",
            timeout.as_millis().max(1)
        ))
        .map_err(lost)?;
    migrate(&mut client)?;
    Ok(client)
}

fn lost(error: postgres::Error) -> StoreError {
    StoreError::Connect {
        backend: "postgres",
        source: Box::new(error),
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction().map_err(failed("migrate"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(failed("migrate"))?;
    tx.batch_execute(migrations::TABLE)
        .map_err(failed("migrate"))?;
    let applied: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(failed("migrate"))?
        .get(0);
    for step in migrations::pending(POSTGRES, u32::try_from(applied).unwrap_or(u32::MAX))? {
        let error = |e: postgres::Error| StoreError::Migration {
            version: step.version,
            name: step.name,
            source: Box::new(e),
        };
        tx.batch_execute(step.sql).map_err(error)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[&i64::from(step.version), &step.name, &now()],
        )
        .map_err(error)?;
    }
    tx.commit().map_err(failed("migrate"))
}

/// Adds a batch of counts in one statement, so one round trip whatever its size. The lines go in
/// a fixed order so two replicas writing overlapping batches cannot deadlock on each other's rows;
/// each appears once in a batch, as `ON CONFLICT` requires.
fn count(c: &mut Client, batch: &Batch) -> Result<(), StoreError> {
    let mut lines: Vec<_> = batch.iter().collect();
    lines.sort_unstable_by(|a, b| {
        (a.0.day, a.0.kind, &a.0.text).cmp(&(b.0.day, b.0.kind, &b.0.text))
    });
    let days: Vec<i64> = lines.iter().map(|(line, _)| line.day).collect();
    let kinds: Vec<&str> = lines.iter().map(|(line, _)| line.kind).collect();
    let texts: Vec<&str> = lines.iter().map(|(line, _)| line.text.as_str()).collect();
    let counts: Vec<i64> = lines
        .iter()
        .map(|(_, n)| i64::try_from(*n).unwrap_or(i64::MAX))
        .collect();
    c.execute(
        "INSERT INTO asked (day, kind, text, count) \
         SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[]) \
         ON CONFLICT (day, kind, text) DO UPDATE SET count = asked.count + EXCLUDED.count",
        &[&days, &kinds, &texts, &counts],
    )
    .map(drop)
    .map_err(failed(COUNT))
}

/// Maps a driver error: a lost connection (so it is made again), a lock or statement timeout,
/// or another failure.
pub(super) fn failed(operation: &'static str) -> impl Fn(postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    move |error| {
        if error.is_closed() || error.as_db_error().is_none() {
            return lost(error);
        }
        match error.code() {
            Some(code)
                if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED =>
            {
                StoreError::Locked {
                    operation,
                    source: Box::new(error),
                }
            }
            _ => StoreError::Query {
                operation,
                source: Box::new(error),
            },
        }
    }
}

fn read_row(row: &postgres::Row) -> Columns {
    Columns {
        id: row.get(0),
        new: NewSuggestion {
            url: row.get(1),
            url_key: row.get(2),
            note: row.get(3),
            platform: row.get(4),
            channel: row.get(5),
            suggester: row.get(6),
            at: row.get(7),
        },
        status: row.get(8),
        decided_at: row.get(9),
        decided_by: row.get(10),
        reason: row.get(11),
    }
}

fn one(
    client: &mut Client,
    operation: &'static str,
    filter: &str,
    value: &str,
) -> Result<Option<Suggestion>, StoreError> {
    client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM suggestions WHERE {filter} = $1"),
            &[&value],
        )
        .map_err(failed(operation))?
        .map(|row| read_row(&row).into_suggestion(operation))
        .transpose()
}

fn suggest(client: &mut Client, new: NewSuggestion) -> Result<Suggested, StoreError> {
    const OP: &str = "store a suggestion";
    for _ in 0..ID_ATTEMPTS {
        let id = new_id();
        let inserted = client
            .execute(
                "INSERT INTO suggestions (id, url, url_key, note, platform, channel, suggester, \
                 suggested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                &[
                    &id,
                    &new.url,
                    &new.url_key,
                    &new.note,
                    &new.platform,
                    &new.channel,
                    &new.suggester,
                    &new.at,
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
        if let Some(existing) = one(client, OP, "url_key", &new.url_key)? {
            return Ok(Suggested::Existing(existing));
        }
    }
    Err(StoreError::Corrupt {
        operation: OP,
        column: "id",
    })
}

fn decide(client: &mut Client, id: &str, d: Decision) -> Result<Decided, StoreError> {
    const OP: &str = "decide on a suggestion";
    let changed = client
        .execute(
            "UPDATE suggestions SET status = $2, decided_at = $3, decided_by = $4, reason = $5 \
             WHERE id = $1 AND status = 'open'",
            &[&id, &d.status.as_str(), &d.at, &d.by, &d.reason],
        )
        .map_err(failed(OP))?;
    Ok(match (changed, one(client, OP, "id", id)?) {
        (_, None) => Decided::NotFound,
        (1, Some(now)) => Decided::Done(now),
        (_, Some(before)) => Decided::AlreadyDecided(before),
    })
}

fn top(
    client: &mut Client,
    kind: &str,
    since_day: i64,
    limit: usize,
) -> Result<Vec<Tallied>, StoreError> {
    const OP: &str = "read the questions report";
    let rows = client
        .query(
            "SELECT text, SUM(count)::BIGINT AS n FROM asked WHERE kind = $1 AND day >= $2 \
             GROUP BY text ORDER BY n DESC, text LIMIT $3",
            &[&kind, &since_day, &(limit as i64)],
        )
        .map_err(failed(OP))?;
    Ok(rows
        .iter()
        .map(|row| Tallied {
            text: row.get(0),
            count: row.get::<_, i64>(1).max(0) as u64,
        })
        .collect())
}

impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }
}

impl SuggestionBox for PostgresStore {
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
            let rows = c
                .query(
                    &format!(
                        "SELECT {COLUMNS} FROM suggestions WHERE status = $1 \
                         ORDER BY suggested_at, id LIMIT $2"
                    ),
                    &[&status.as_str(), &(limit as i64)],
                )
                .map_err(failed(OP))?;
            rows.iter()
                .map(|row| read_row(row).into_suggestion(OP))
                .collect()
        })
    }

    fn count(&self, status: SuggestionStatus) -> Result<u64, StoreError> {
        const OP: &str = "count suggestions";
        self.pool.call(OP, move |c| {
            let row = c
                .query_one(
                    "SELECT COUNT(*) FROM suggestions WHERE status = $1",
                    &[&status.as_str()],
                )
                .map_err(failed(OP))?;
            Ok(row.get::<_, i64>(0).max(0) as u64)
        })
    }

    fn decide(&self, id: &str, decision: Decision) -> Result<Decided, StoreError> {
        let id = id.to_string();
        self.pool
            .call("decide on a suggestion", move |c| decide(c, &id, decision))
    }
}

impl QuestionCounts for PostgresStore {
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
fn claim(c: &mut Client, key: &str, expires: i64, now: i64) -> Result<bool, postgres::Error> {
    c.query_opt(shared::CLAIM, &[&key, &expires, &now])
        .map(|row| row.is_some())
}

impl Claims for PostgresStore {
    fn is_shared(&self) -> bool {
        true
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
            c.query(shared::CLAIMED_UNDER, &[&prefix, &now_ms, &limit])
                .map(|rows| rows.iter().map(|row| row.get(0)).collect())
                .map_err(failed(OP))
        })
    }

    fn is_claimed(&self, key: &str, now_ms: i64) -> Result<bool, StoreError> {
        const OP: &str = "look up an event id";
        let key = key.to_string();
        self.pool.call(OP, move |c| {
            c.query_one(shared::CLAIMED, &[&key, &now_ms])
                .map(|row| row.get(0))
                .map_err(failed(OP))
        })
    }
}

impl Buckets for PostgresStore {
    fn take(&self, bucket: Bucket) -> Result<Taken, StoreError> {
        const OP: &str = "take from a cooldown";
        self.sweep(bucket.now_ms);
        self.pool.call(OP, move |c| {
            let [now, period, window] = bucket.millis();
            let row = c
                .query_one(shared::TAKE, &[&bucket.key, &now, &period, &window])
                .map_err(failed(OP))?;
            Taken::from_row(&bucket, row.get(0), row.get(1), row.get(2)).ok_or(
                StoreError::Corrupt {
                    operation: OP,
                    column: "outcome",
                },
            )
        })
    }

    fn salt(&self) -> Result<String, StoreError> {
        const OP: &str = "read the shared salt";
        self.pool.call(OP, |c| {
            c.query_one(shared::SALT, &[])
                .map(|row| row.get(0))
                .map_err(failed(OP))
        })
    }
}

impl PostgresStore {
    /// Now and then, deletes expired claims and refilled buckets, without waiting.
    fn sweep(&self, now_ms: i64) {
        if super::sweep_due(&self.calls) {
            self.pool.spawn("sweep shared state", move |c| {
                c.execute(shared::SWEEP_SEEN, &[&now_ms])
                    .and_then(|_| c.execute(shared::SWEEP_COOLDOWNS, &[&now_ms]))
                    .map(drop)
                    .map_err(failed("sweep shared state"))
            });
        }
    }
}
