//! What replicas sharing one store must agree on: which events were already answered
//! ([`Store::first_time`](super::Store::first_time)) and how full each cooldown bucket is
//! ([`Store::take`](super::Store::take)). Each is one upsert, the same SQL text on both backends,
//! so two replicas racing on the same key are ordered by the database's row lock and exactly one
//! wins.
//!
//! Times are Unix milliseconds from the caller's wall clock: replicas compare each other's
//! times, so a monotonic clock (which is per machine) cannot serve. Rows expire: a sweep every
//! [`SWEEP_EVERY`] calls deletes what no check could still need.

use std::time::Duration;

/// Claims a key: a row comes back when the key is new or its claim has expired, none while an
/// earlier claim holds. Parameters: key, expiry, now (first appearing in that order, which is
/// how SQLite numbers them).
pub const CLAIM: &str = "INSERT INTO seen (key, expires_ms) VALUES ($1, CAST($2 AS BIGINT)) \
     ON CONFLICT (key) DO UPDATE SET expires_ms = excluded.expires_ms \
     WHERE seen.expires_ms <= CAST($3 AS BIGINT) \
     RETURNING key";

/// Whether a key's claim still holds. Parameters: key, now.
pub const CLAIMED: &str = "SELECT EXISTS (SELECT 1 FROM seen WHERE key = $1 \
     AND expires_ms > CAST($2 AS BIGINT))";

/// Takes one answer from a GCRA bucket (see [`crate::cooldown`]): the new theoretical arrival
/// time is `max(tat, now) + period`, allowed when it is at most `window` (burst × period) ahead
/// of now. A refusal while the bucket is not silenced warns and silences it for one window;
/// later refusals are quiet. The outcome is computed from the old row (every `SET` expression
/// reads the row as it was) and returned with the bucket's `tat` and the `now` it used.
/// Parameters: key, now, period, window.
pub const TAKE: &str = "INSERT INTO cooldowns AS c \
     (key, now_ms, period_ms, window_ms, tat_ms, quiet_until_ms, outcome) \
     VALUES ($1, CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS BIGINT), \
             CAST($2 AS BIGINT) + CAST($3 AS BIGINT), 0, 0) \
     ON CONFLICT (key) DO UPDATE SET \
       now_ms = excluded.now_ms, period_ms = excluded.period_ms, window_ms = excluded.window_ms, \
       outcome = CASE \
         WHEN (CASE WHEN c.tat_ms > excluded.now_ms THEN c.tat_ms ELSE excluded.now_ms END) \
              + excluded.period_ms - excluded.now_ms <= excluded.window_ms THEN 0 \
         WHEN c.quiet_until_ms <= excluded.now_ms THEN 1 \
         ELSE 2 END, \
       quiet_until_ms = CASE \
         WHEN (CASE WHEN c.tat_ms > excluded.now_ms THEN c.tat_ms ELSE excluded.now_ms END) \
              + excluded.period_ms - excluded.now_ms <= excluded.window_ms THEN c.quiet_until_ms \
         WHEN c.quiet_until_ms <= excluded.now_ms THEN excluded.now_ms + excluded.window_ms \
         ELSE c.quiet_until_ms END, \
       tat_ms = CASE \
         WHEN (CASE WHEN c.tat_ms > excluded.now_ms THEN c.tat_ms ELSE excluded.now_ms END) \
              + excluded.period_ms - excluded.now_ms <= excluded.window_ms \
         THEN (CASE WHEN c.tat_ms > excluded.now_ms THEN c.tat_ms ELSE excluded.now_ms END) \
              + excluded.period_ms \
         ELSE c.tat_ms END \
     RETURNING outcome, tat_ms, now_ms";

/// Deletes expired claims. Parameter: now.
pub const SWEEP_SEEN: &str = "DELETE FROM seen WHERE expires_ms <= CAST($1 AS BIGINT)";

/// Deletes buckets that are full again and no longer silenced. Parameter: now.
pub const SWEEP_COOLDOWNS: &str = "DELETE FROM cooldowns \
     WHERE tat_ms <= CAST($1 AS BIGINT) AND quiet_until_ms <= CAST($1 AS BIGINT)";

/// The secret replicas hash cooldown keys with.
pub const SALT: &str = "SELECT value FROM shared_salt WHERE id = 1";

/// The longest period a bucket keeps (a year, in milliseconds).
const MAX_PERIOD_MS: i64 = 366 * 24 * 60 * 60 * 1000;

/// How many claims or takes pass between sweeps of expired rows.
pub const SWEEP_EVERY: u32 = 1024;

/// One take from a bucket: which, now, and its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The keyed hash naming the bucket (never a platform id).
    pub key: String,
    /// Unix milliseconds.
    pub now_ms: i64,
    /// How long one answer takes to come back.
    pub period: Duration,
    /// How many answers the full bucket holds.
    pub burst: u32,
}

impl Bucket {
    /// The parameters of [`TAKE`] after the key: now, period and window, in milliseconds
    /// (a period under a millisecond counts as one).
    pub fn millis(&self) -> [i64; 3] {
        // At most a year, so `tat + period` stays far inside BIGINT.
        let period = i64::try_from(self.period.as_millis())
            .unwrap_or(i64::MAX)
            .clamp(1, MAX_PERIOD_MS);
        [
            self.now_ms,
            period,
            period.saturating_mul(i64::from(self.burst.max(1))),
        ]
    }
}

/// What a take from a bucket decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Answer.
    Go,
    /// Refused; the first refusal in a window, so say "please wait".
    Warn {
        /// Until the bucket allows one more.
        wait: Duration,
    },
    /// Refused and already told.
    Quiet {
        /// Until the bucket allows one more.
        wait: Duration,
    },
}

impl Taken {
    /// Reads [`TAKE`]'s returned row for `bucket`, or `None` for an outcome it cannot give.
    pub fn from_row(bucket: &Bucket, outcome: i64, tat_ms: i64, now_ms: i64) -> Option<Taken> {
        let [_, period, window] = bucket.millis();
        // Refused: one more fits once `tat + period - window` has passed.
        let wait_ms = tat_ms
            .saturating_add(period)
            .saturating_sub(window)
            .saturating_sub(now_ms);
        let wait = Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0));
        match outcome {
            0 => Some(Taken::Go),
            1 => Some(Taken::Warn { wait }),
            2 => Some(Taken::Quiet { wait }),
            _ => None,
        }
    }
}
