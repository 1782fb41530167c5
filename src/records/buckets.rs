//! A cooldown bucket as replicas share it: one take ([`Bucket`]) and what it decided
//! ([`Taken`]). The SQL that takes it is the store's (`store::shared::TAKE`).

use std::time::Duration;

/// The longest period a bucket keeps (a year, in milliseconds).
const MAX_PERIOD_MS: i64 = 366 * 24 * 60 * 60 * 1000;

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
    /// The parameters of `TAKE` after the key: now, period and window, in milliseconds
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
    /// Reads `TAKE`'s returned row for `bucket`, or `None` for an outcome it cannot give.
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
