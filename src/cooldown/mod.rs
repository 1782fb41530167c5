//! Cooldowns: how often one person, and one channel, may ask before the bot stops answering for
//! a while. Every platform goes through the core, so every platform gets the same limits.
//!
//! Each limit is a GCRA bucket (the `governor` crate): `burst` answers at once, then one more
//! every `refill`. Over a limit the asker gets one short "please wait" naming how long, and
//! then silence until the whole bucket would have refilled: a flood costs the channel one line,
//! not one per message. Interactions (slash commands) are answered every time, because the
//! platform shows an error when they are not and the answer is only seen by the asker.
//!
//! Ids are never kept: the limiters are keyed by a keyed hash of platform, scope and id, so
//! neither the maps nor a memory dump name anyone.
//!
//! With a store that several processes share, the buckets live there instead ([`shared`]), so
//! a person cannot multiply their limit by the number of replicas; [`Limiter`] is either.

pub mod shared;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::HashMapStateStore;
use governor::{NotUntil, Quota, RateLimiter};

use crate::line;
use crate::reply::Reply;

/// One limit: `burst` answers at once, then one more every `refill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Answers allowed at once.
    pub burst: NonZeroU32,
    /// How long until one more is allowed.
    pub refill: Duration,
}

impl Limit {
    fn quota(self) -> Quota {
        // `refill` is validated non-zero when settings are read; a zero here falls back to
        // the smallest period rather than failing.
        Quota::with_period(self.refill)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(self.burst)
    }
}

/// Both limits; `None` switches one off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per person on a platform.
    pub person: Option<Limit>,
    /// Per channel or room on a platform (a direct chat is a channel too).
    pub channel: Option<Limit>,
}

/// Who is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One person.
    Person,
    /// One channel or room.
    Channel,
}

/// What to do with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Go,
    /// Say "please wait" once: the first refusal in a window.
    Warn {
        /// Whose limit was reached.
        scope: Scope,
        /// How long until the next answer is allowed.
        wait: Duration,
    },
    /// Say nothing: the asker was already told to wait.
    Quiet {
        /// Whose limit was reached.
        scope: Scope,
        /// How long until the next answer is allowed.
        wait: Duration,
    },
}

/// The cooldowns a core applies: in this process, or in a store replicas share.
#[derive(Debug)]
pub enum Limiter {
    /// In this process's memory.
    Local(Cooldowns),
    /// In a shared store.
    Shared(shared::SharedCooldowns),
}

impl Limiter {
    /// Takes one answer from `person`'s and `channel`'s buckets on `platform`, or says why not.
    pub fn check(&self, platform: &str, person: &str, channel: &str) -> Verdict {
        match self {
            Limiter::Local(local) => local.check(platform, person, channel),
            Limiter::Shared(shared) => shared.check(platform, person, channel),
        }
    }

    /// The same limits, kept in `buckets` that other processes share.
    pub fn share(self, buckets: &std::sync::Arc<dyn shared::Buckets>) -> Limiter {
        match self {
            Limiter::Local(local) => Limiter::Shared(shared::SharedCooldowns::new(
                std::sync::Arc::clone(buckets),
                local.limits,
            )),
            other => other,
        }
    }
}

type Keyed<C> = RateLimiter<u64, HashMapStateStore<u64>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// How many checks pass between sweeps of buckets that have refilled (and so hold nothing).
const SWEEP_EVERY: u32 = 4096;

/// The per-person and per-channel limiters of one process.
pub struct Cooldowns<C: Clock = DefaultClock> {
    limits: Limits,
    person: Option<Keyed<C>>,
    channel: Option<Keyed<C>>,
    /// Buckets told to wait, and until when they stay silent.
    warned: Mutex<HashMap<u64, C::Instant>>,
    hasher: RandomState,
    clock: C,
    checks: AtomicU32,
}

impl<C: Clock> std::fmt::Debug for Cooldowns<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cooldowns")
            .field("person", &self.person.is_some())
            .field("channel", &self.channel.is_some())
            .finish_non_exhaustive()
    }
}

impl Cooldowns {
    /// Limiters on the system's monotonic clock.
    pub fn new(limits: Limits) -> Cooldowns {
        Cooldowns::with_clock(limits, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Cooldowns<C> {
    /// Limiters on `clock` (tests use a clock they advance by hand).
    pub fn with_clock(limits: Limits, clock: C) -> Cooldowns<C> {
        let keyed = |limit: Option<Limit>| {
            limit.map(|l| RateLimiter::hashmap_with_clock(l.quota(), clock.clone()))
        };
        Cooldowns {
            limits,
            person: keyed(limits.person),
            channel: keyed(limits.channel),
            warned: Mutex::new(HashMap::new()),
            hasher: RandomState::new(),
            clock,
            checks: AtomicU32::new(0),
        }
    }

    /// Takes one answer from `person`'s and `channel`'s buckets on `platform`, or says why not.
    pub fn check(&self, platform: &str, person: &str, channel: &str) -> Verdict {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
        let limiters = [
            (Scope::Person, &self.person, person),
            (Scope::Channel, &self.channel, channel),
        ];
        for (scope, limiter, id) in limiters {
            let Some(limiter) = limiter else { continue };
            let key = self.hasher.hash_one((platform, scope, id));
            if let Err(refused) = limiter.check_key(&key) {
                return self.refuse(scope, key, &refused);
            }
        }
        Verdict::Go
    }

    fn refuse(&self, scope: Scope, key: u64, refused: &NotUntil<C::Instant>) -> Verdict {
        let now = self.clock.now();
        let wait = refused.wait_time_from(now);
        let mut warned = lock(&self.warned);
        match warned.get(&key) {
            Some(until) if now < *until => Verdict::Quiet { scope, wait },
            _ => {
                let window = refused.quota().burst_size_replenished_in();
                warned.insert(key, now + Nanos::from(window));
                Verdict::Warn { scope, wait }
            }
        }
    }

    /// Forgets buckets that are full again and warnings whose silence has ended, so memory
    /// follows recent askers, not everyone ever seen.
    fn sweep(&self) {
        for limiter in [&self.person, &self.channel].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        let now = self.clock.now();
        lock(&self.warned).retain(|_, until| now < *until);
    }

    /// How many people and channels are being tracked (for tests and debugging).
    pub fn tracked(&self) -> usize {
        [&self.person, &self.channel]
            .into_iter()
            .flatten()
            .map(|l| l.len())
            .sum()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The map stays consistent whatever panicked while it was held: entries are whole values.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The one short answer to a person or channel over its limit.
pub fn please_wait(scope: Scope, wait: Duration) -> Reply {
    let who = match scope {
        Scope::Person => "You're asking faster than I can answer.",
        Scope::Channel => "This channel is asking faster than I can answer.",
    };
    let seconds = whole_seconds(wait);
    let unit = if seconds == 1 { "second" } else { "seconds" };
    Reply::problem(
        "Please wait a moment",
        vec![line!(format!(
            "{who} Please ask again in {seconds} {unit}."
        ))],
    )
}

/// Rounds a wait up to whole seconds, at least one, for saying it.
pub fn whole_seconds(wait: Duration) -> u64 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    seconds.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn limit(burst: u32, refill_secs: u64) -> Option<Limit> {
        Some(Limit {
            burst: NonZeroU32::new(burst).unwrap(),
            refill: Duration::from_secs(refill_secs),
        })
    }

    fn cooldowns(
        person: Option<Limit>,
        channel: Option<Limit>,
    ) -> (Cooldowns<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (
            Cooldowns::with_clock(Limits { person, channel }, clock.clone()),
            clock,
        )
    }

    /// A burst is answered up to the limit, then one warning, then silence until the bucket
    /// has refilled; after waiting as told, the person is answered again.
    #[test]
    fn one_warning_per_window_then_answers_again() {
        let (c, clock) = cooldowns(limit(3, 10), None);
        for _ in 0..3 {
            assert_eq!(c.check("slack", "U1", "C1"), Verdict::Go);
        }
        let Verdict::Warn { scope, wait } = c.check("slack", "U1", "C1") else {
            panic!("the first refusal warns");
        };
        assert_eq!(scope, Scope::Person);
        assert_eq!(wait, Duration::from_secs(10));
        for _ in 0..5 {
            assert!(matches!(
                c.check("slack", "U1", "C1"),
                Verdict::Quiet { .. }
            ));
        }
        clock.advance(wait);
        assert_eq!(c.check("slack", "U1", "C1"), Verdict::Go, "waited as told");
        assert!(
            matches!(c.check("slack", "U1", "C1"), Verdict::Quiet { .. }),
            "still inside the silent window"
        );
        clock.advance(Duration::from_secs(30));
        assert!(matches!(c.check("slack", "U1", "C1"), Verdict::Go));
    }

    /// Another person, the same id on another platform, and another channel are not held up
    /// by one person's flood.
    #[test]
    fn limits_are_per_person_and_platform() {
        let (c, _clock) = cooldowns(limit(1, 60), None);
        assert_eq!(c.check("discord", "1", "C"), Verdict::Go);
        assert!(matches!(c.check("discord", "1", "C"), Verdict::Warn { .. }));
        assert_eq!(c.check("discord", "2", "C"), Verdict::Go);
        assert_eq!(c.check("matrix", "1", "C"), Verdict::Go);
    }

    /// A channel's limit holds back everyone in it, with its own warning.
    #[test]
    fn a_channel_limit_covers_everyone_in_it() {
        let (c, _clock) = cooldowns(limit(5, 60), limit(2, 60));
        assert_eq!(c.check("slack", "U1", "C1"), Verdict::Go);
        assert_eq!(c.check("slack", "U2", "C1"), Verdict::Go);
        assert!(matches!(
            c.check("slack", "U3", "C1"),
            Verdict::Warn {
                scope: Scope::Channel,
                ..
            }
        ));
        assert!(matches!(
            c.check("slack", "U4", "C1"),
            Verdict::Quiet { .. }
        ));
        assert_eq!(c.check("slack", "U4", "C2"), Verdict::Go);
    }

    /// With both limits off, nothing is tracked and everything goes.
    #[test]
    fn no_limits_track_nothing() {
        let (c, _clock) = cooldowns(None, None);
        for i in 0..100 {
            assert_eq!(c.check("slack", &i.to_string(), "C"), Verdict::Go);
        }
        assert_eq!(c.tracked(), 0);
    }

    /// Buckets that have refilled are forgotten by the periodic sweep.
    #[test]
    fn refilled_buckets_are_forgotten() {
        let (c, clock) = cooldowns(limit(2, 1), None);
        for i in 0..SWEEP_EVERY - 1 {
            c.check("slack", &i.to_string(), "C");
        }
        assert_eq!(c.tracked(), (SWEEP_EVERY - 1) as usize);
        clock.advance(Duration::from_secs(5));
        c.check("slack", "last", "C");
        assert!(c.tracked() <= 1, "only the newest bucket may remain");
    }

    /// Waits are said in whole seconds, rounded up, never zero.
    #[test]
    fn waits_round_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(5_001)), 6);
        assert_eq!(whole_seconds(Duration::from_secs(6)), 6);
    }
}
