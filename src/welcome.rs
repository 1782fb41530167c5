//! Welcomes for newcomers: what they are told (a [`Reply`] from the core, which each adapter
//! renders and addresses natively) and how often, so a join storm never becomes a flood.
//!
//! Welcomes are opt-in per place (a Discord guild's channel, a Slack channel, a Matrix room; see
//! `welcome_*` in `config/default.toml`). Each adapter keeps one [`Welcomes`], which remembers
//! per place when the last welcome went out and who joined since:
//!
//! - the first newcomer in a quiet place is welcomed at once;
//! - anyone joining within the interval after that waits for one batched welcome at the end of
//!   the interval, which names at most [`MAX_NAMED`] people;
//! - joins beyond that are skipped (counted, never queued without bound): in a raid or a mass
//!   invite nobody is helped by a hundred pings.
//!
//! So a place gets at most one welcome per interval whatever happens. Bots are never welcomed;
//! adapters drop them before they reach this (Discord's `user.bot`, Slack's `is_bot`, the bot
//! itself on Matrix). Times are passed in, so the rules are tested without waiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::command::table::{ABUSE_HELP, GUIDANCE, HELP, START};
use crate::line;
use crate::reply::{code, Reply};

/// Most people one welcome names (and pings).
pub const MAX_NAMED: usize = 10;

/// The interval when none is configured: at most one welcome a minute per place.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);

/// What to do with one newcomer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admit {
    /// Welcome these people now.
    Now(Vec<String>),
    /// Wait for the batched welcome. `Some(at)` when this join opened the batch: the caller
    /// then calls [`Welcomes::take_due`] at `at` and welcomes whoever it returns.
    Batched(Option<Instant>),
    /// Not welcomed: the batch is full, or the person is already waiting.
    Skipped,
}

/// One place's state.
#[derive(Debug, Default)]
struct Place {
    /// When its last welcome went out.
    last: Option<Instant>,
    /// Who waits for the batched welcome, in order of joining.
    waiting: Vec<String>,
    /// When the batched welcome is due, while one is.
    due: Option<Instant>,
}

/// The welcome limits of one adapter, per place.
#[derive(Debug)]
pub struct Welcomes {
    interval: Duration,
    places: Mutex<HashMap<String, Place>>,
}

impl Welcomes {
    /// At most one welcome per `interval` per place.
    pub fn new(interval: Duration) -> Welcomes {
        Welcomes {
            interval,
            places: Mutex::new(HashMap::new()),
        }
    }

    /// The interval between two welcomes in one place.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Decides what happens to `person` joining `place` at `now`. Only configured places should
    /// be asked: the map holds one entry per place ever asked about.
    pub fn admit(&self, place: &str, person: &str, now: Instant) -> Admit {
        let mut places = self.places.lock().unwrap_or_else(|p| p.into_inner());
        let state = places.entry(place.to_string()).or_default();
        if state.waiting.iter().any(|p| p == person) {
            return Admit::Skipped;
        }
        let quiet = state
            .last
            .is_none_or(|last| now.duration_since(last) >= self.interval);
        if quiet && state.due.is_none() {
            state.last = Some(now);
            return Admit::Now(vec![person.to_string()]);
        }
        if state.waiting.len() >= MAX_NAMED {
            return Admit::Skipped;
        }
        state.waiting.push(person.to_string());
        if state.due.is_some() {
            return Admit::Batched(None);
        }
        let due = state.last.map_or(now, |last| last + self.interval).max(now);
        state.due = Some(due);
        Admit::Batched(Some(due))
    }

    /// The people waiting in `place`, for the batched welcome due now; the interval starts
    /// again from `now` when there are any.
    pub fn take_due(&self, place: &str, now: Instant) -> Vec<String> {
        let mut places = self.places.lock().unwrap_or_else(|p| p.into_inner());
        let Some(state) = places.get_mut(place) else {
            return Vec::new();
        };
        state.due = None;
        let batch = std::mem::take(&mut state.waiting);
        if !batch.is_empty() {
            state.last = Some(now);
        }
        batch
    }
}

impl Welcomes {
    /// Another process sharing the store welcomed in `place` within the interval, so `people`
    /// (who were to be welcomed here) wait for this place's batch instead, as if that welcome
    /// had gone out from here at `now`. Returns when the batch is due, if this opened it; `None`
    /// when a batch was already due (whoever scheduled it sends it) or nobody could be queued.
    /// People past [`MAX_NAMED`] are skipped, as in [`Welcomes::admit`].
    pub fn requeue(&self, place: &str, people: Vec<String>, now: Instant) -> Option<Instant> {
        let mut places = self.places.lock().unwrap_or_else(|p| p.into_inner());
        let state = places.entry(place.to_string()).or_default();
        state.last = Some(now);
        for person in people {
            if state.waiting.len() < MAX_NAMED && !state.waiting.contains(&person) {
                state.waiting.push(person);
            }
        }
        if state.due.is_some() || state.waiting.is_empty() {
            return None;
        }
        let due = now + self.interval;
        state.due = Some(due);
        Some(due)
    }
}

/// The welcome: what Signpost does and how to start, with commands written as people type them
/// here (`prefix`: `/` on Discord, `/signpost ` on Slack, `!` on Matrix). Who is welcomed is the
/// adapter's to add, as its platform's mentions.
pub fn reply(prefix: &str) -> Reply {
    let typed = |name: &str| code(format!("{prefix}{name}"));
    let mut reply = Reply::titled("Welcome!");
    reply.intro = vec![
        line!["I'm Signpost: I answer with curated links for UK health and care professionals, from what your regulator and professional body say about social media to help with online abuse."],
        line![
            "Pick your profession with ",
            typed(GUIDANCE),
            " for its guidance, or try ",
            typed(START),
            " for getting started on social media."
        ],
        line![
            "If someone is abusing you online, ",
            typed(ABUSE_HELP),
            " has reporting links and UK support lines; ",
            typed(HELP),
            " lists everything."
        ],
    ];
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    /// The first newcomer is welcomed at once; the next ones wait for one batch at the end of
    /// the interval, which names at most MAX_NAMED; the rest are skipped; after the batch the
    /// interval starts again.
    #[test]
    fn a_storm_gets_one_welcome_then_one_batch() {
        let welcomes = Welcomes::new(MINUTE);
        let start = Instant::now();
        assert_eq!(
            welcomes.admit("g", "p0", start),
            Admit::Now(vec!["p0".into()])
        );
        let due = start + MINUTE;
        let mut batched = 0;
        let mut skipped = 0;
        for n in 1..200 {
            match welcomes.admit("g", &format!("p{n}"), start + Duration::from_millis(n)) {
                Admit::Batched(Some(at)) => {
                    assert_eq!(at, due);
                    batched += 1;
                }
                Admit::Batched(None) => batched += 1,
                Admit::Skipped => skipped += 1,
                Admit::Now(_) => panic!("a second welcome within the interval"),
            }
        }
        assert_eq!((batched, skipped), (MAX_NAMED, 199 - MAX_NAMED));
        let batch = welcomes.take_due("g", due);
        assert_eq!(batch.len(), MAX_NAMED);
        assert_eq!(batch[0], "p1");
        assert!(welcomes.take_due("g", due).is_empty());
        // Right after the batch another newcomer waits for the next interval.
        assert_eq!(
            welcomes.admit("g", "late", due + Duration::from_secs(1)),
            Admit::Batched(Some(due + MINUTE))
        );
    }

    /// Places are limited apart, and a person already waiting is not queued twice.
    #[test]
    fn places_are_apart_and_people_wait_once() {
        let welcomes = Welcomes::new(MINUTE);
        let now = Instant::now();
        assert!(matches!(welcomes.admit("a", "x", now), Admit::Now(_)));
        assert!(matches!(welcomes.admit("b", "x", now), Admit::Now(_)));
        assert!(matches!(
            welcomes.admit("a", "y", now),
            Admit::Batched(Some(_))
        ));
        assert_eq!(welcomes.admit("a", "y", now), Admit::Skipped);
        assert!(matches!(
            welcomes.admit("a", "x", now + MINUTE * 2),
            Admit::Batched(None)
        ));
    }

    /// Welcomed elsewhere: the people wait for a batch a whole interval later, which the first
    /// requeue opens; a second requeue joins it, and the batch is taken once.
    #[test]
    fn people_welcomed_elsewhere_wait_for_the_batch() {
        let welcomes = Welcomes::new(MINUTE);
        let now = Instant::now();
        assert!(matches!(welcomes.admit("g", "a", now), Admit::Now(_)));
        assert_eq!(
            welcomes.requeue("g", vec!["a".into()], now),
            Some(now + MINUTE)
        );
        assert_eq!(
            welcomes.requeue("g", vec!["b".into(), "a".into()], now),
            None
        );
        assert_eq!(welcomes.admit("g", "c", now), Admit::Batched(None));
        assert_eq!(welcomes.take_due("g", now + MINUTE), ["a", "b", "c"]);
        assert_eq!(welcomes.requeue("h", Vec::new(), now), None);
    }

    /// The welcome names the guidance picker, getting started, abuse help and help as typed
    /// on the platform.
    #[test]
    fn the_welcome_points_to_the_commands() {
        let reply = reply("/");
        let text = crate::render::plain::to_text(&reply);
        for name in [GUIDANCE, START, ABUSE_HELP, HELP] {
            assert!(text.contains(&format!("/{name}")), "{name}: {text}");
        }
    }
}
