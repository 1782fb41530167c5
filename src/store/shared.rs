//! What replicas sharing one store must agree on: which events were already answered
//! ([`Store::first_time`](super::Store::first_time)) and how full each cooldown bucket is
//! ([`Store::take`](super::Store::take)). Each is one upsert, the same SQL text on both backends,
//! so two replicas racing on the same key are ordered by the database's row lock and exactly one
//! wins.
//!
//! Times are Unix milliseconds from the caller's wall clock: replicas compare each other's
//! times, so a monotonic clock (which is per machine) cannot serve. Rows expire: a sweep every
//! [`SWEEP_EVERY`] calls deletes what no check could still need.

/// Claims a key: a row comes back when the key is new or its claim has expired, none while an
/// earlier claim holds. Parameters: key, expiry, now (first appearing in that order, which is
/// how SQLite numbers them).
pub const CLAIM: &str = "INSERT INTO seen (key, expires_ms) VALUES ($1, CAST($2 AS BIGINT)) \
     ON CONFLICT (key) DO UPDATE SET expires_ms = excluded.expires_ms \
     WHERE seen.expires_ms <= CAST($3 AS BIGINT) \
     RETURNING key";

/// The keys starting with a prefix whose claims still hold, newest claim first. Parameters:
/// prefix, now, most rows.
pub const CLAIMED_UNDER: &str = "SELECT key FROM seen \
     WHERE substr(key, 1, length($1)) = $1 AND expires_ms > CAST($2 AS BIGINT) \
     ORDER BY expires_ms DESC LIMIT CAST($3 AS BIGINT)";

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

/// How many claims or takes pass between sweeps of expired rows.
pub const SWEEP_EVERY: u32 = 1024;
