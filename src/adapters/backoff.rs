//! Capped exponential back-off, the one schedule every adapter waits by between retries
//! (reconnecting a gateway, re-syncing, resending, signing in again).
//!
//! A platform that says how long to wait (`Retry-After`, `retry_after_ms`) is obeyed, within
//! [`Backoff::MOST_REQUESTED`], so a confused server cannot park the bot for hours.

use std::time::Duration;

/// Waits that double from `first` up to `cap`.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    next: Duration,
}

impl Backoff {
    /// The longest wait a server's own request can impose.
    pub const MOST_REQUESTED: Duration = Duration::from_secs(300);

    /// A schedule starting at `first` and doubling up to `cap`.
    pub const fn new(first: Duration, cap: Duration) -> Backoff {
        Backoff {
            first,
            cap,
            next: first,
        }
    }

    /// The wait now; the one after doubles, up to the cap.
    pub fn next_delay(&mut self) -> Duration {
        let now = self.next;
        self.next = self.next.saturating_mul(2).min(self.cap);
        now
    }

    /// The wait now when the server may have asked for one: its request wins (capped by
    /// [`Self::MOST_REQUESTED`]); either way the schedule advances.
    pub fn after(&mut self, requested: Option<Duration>) -> Duration {
        let scheduled = self.next_delay();
        requested.map_or(scheduled, |asked| asked.min(Self::MOST_REQUESTED))
    }

    /// Starts again from `first`, after an attempt that succeeded or a connection that lasted.
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: Duration = Duration::from_millis(200);
    const CAP: Duration = Duration::from_secs(10);

    /// Waits double from the first step, stop at the cap, and start over after a reset.
    #[test]
    fn doubles_up_to_the_cap_and_resets() {
        let mut backoff = Backoff::new(FIRST, CAP);
        let waits: Vec<Duration> = (0..8).map(|_| backoff.next_delay()).collect();
        let mut expected = Vec::new();
        let mut step = FIRST;
        for _ in 0..8 {
            expected.push(step);
            step = (step * 2).min(CAP);
        }
        assert_eq!(waits, expected);
        assert_eq!(*waits.last().unwrap(), CAP);
        backoff.reset();
        assert_eq!(backoff.next_delay(), FIRST);
    }

    /// A server's request wins over the schedule, but an absurd one is capped.
    #[test]
    fn server_requests_win_within_a_bound() {
        let mut backoff = Backoff::new(FIRST, CAP);
        let asked = Duration::from_millis(1_234);
        assert_eq!(backoff.after(Some(asked)), asked);
        assert_eq!(
            backoff.after(None),
            FIRST * 2,
            "the schedule still advanced"
        );
        let absurd = Backoff::MOST_REQUESTED * 12;
        assert_eq!(backoff.after(Some(absurd)), Backoff::MOST_REQUESTED);
    }
}
