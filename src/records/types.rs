//! The values the store keeps and returns, shared by both backends.

use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

/// A suggestion as it arrives, already checked (see [`crate::suggestions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSuggestion {
    /// The URL as given, cleaned.
    pub url: String,
    /// The URL normalised for finding duplicates ([`crate::suggestions::url_key`]).
    pub url_key: String,
    /// The suggester's note, cleaned and bounded; empty when none.
    pub note: String,
    /// The platform it came from (`discord`, `slack`, `matrix`, `console`).
    pub platform: String,
    /// The channel's or room's id on that platform; empty for the console.
    pub channel: String,
    /// The suggester's id on that platform; `console` for the console.
    pub suggester: String,
    /// When, in Unix seconds.
    pub at: i64,
}

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionStatus {
    /// Waiting for a moderator.
    Open,
    /// Accepted: `signpost suggestions export` prints it.
    Accepted,
    /// Rejected, with a reason.
    Rejected,
}

impl SuggestionStatus {
    /// The word stored in the database and shown in replies.
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Rejected => "rejected",
        }
    }

    /// The status stored as `word`.
    pub fn from_word(word: &str) -> Option<SuggestionStatus> {
        match word {
            "open" => Some(SuggestionStatus::Open),
            "accepted" => Some(SuggestionStatus::Accepted),
            "rejected" => Some(SuggestionStatus::Rejected),
            _ => None,
        }
    }
}

/// A stored suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Its short id, as replies show it.
    pub id: String,
    /// What was stored.
    pub new: NewSuggestion,
    /// Where it stands.
    pub status: SuggestionStatus,
    /// The moderator's decision, once made.
    pub decision: Option<Decision>,
}

/// A moderator's decision on a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Accepted or rejected (never open).
    pub status: SuggestionStatus,
    /// The moderator's id on their platform (`console` for the console).
    pub by: String,
    /// Why; empty when none was given.
    pub reason: String,
    /// When, in Unix seconds.
    pub at: i64,
}

/// What [`Store::suggest`](super::Store::suggest) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggested {
    /// Stored as new.
    Stored(Suggestion),
    /// Not stored: the same URL was suggested before.
    Existing(Suggestion),
}

/// What [`Store::decide`](super::Store::decide) did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Decided now.
    Done(Suggestion),
    /// No suggestion has that id.
    NotFound,
    /// It was decided before; nothing changed.
    AlreadyDecided(Suggestion),
}

/// One count for the questions report: scrubbed words, never ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tally {
    /// A question that got no confident answer, normalised ([`crate::misses::normalise`]).
    Miss(String),
    /// An answer given, as the command that gave it (`guidance nurse`), scrubbed the same way.
    Answer(String),
}

impl Tally {
    /// The kind stored in the database.
    pub fn kind(&self) -> &'static str {
        match self {
            Tally::Miss(_) => "miss",
            Tally::Answer(_) => "answer",
        }
    }

    /// The words counted.
    pub fn into_text(self) -> String {
        match self {
            Tally::Miss(text) | Tally::Answer(text) => text,
        }
    }
}

/// One line of the report: the words and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tallied {
    /// The normalised words.
    pub text: String,
    /// How many times in the period.
    pub count: u64,
}

/// The questions report for a period.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Questions without a confident answer, most frequent first.
    pub misses: Vec<Tallied>,
    /// Answers given, most frequent first.
    pub answers: Vec<Tallied>,
}

/// The Unix day number of a time in Unix seconds (days since 1970-01-01, UTC).
pub fn day_of(seconds: i64) -> i64 {
    seconds.div_euclid(86_400)
}

/// The time now, in Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The time now, in Unix milliseconds (what replicas sharing a store compare, see
/// [`super::shared`]).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Letters for ids: lowercase and digits without the easily confused 0/o, 1/l/i.
const ID_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters in an id: 31^6 is about 887 million, and the store retries on the rare clash.
pub const ID_LENGTH: usize = 6;

/// A new random short id. Randomness comes from std's per-process hash keys (no dependency);
/// ids need to be hard to mistype into another, not secret.
pub fn new_id() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let mut bits = hasher.finish();
    let base = ID_ALPHABET.len() as u64;
    (0..ID_LENGTH)
        .map(|_| {
            let c = ID_ALPHABET[(bits % base) as usize] as char;
            bits /= base;
            c
        })
        .collect()
}

/// Whether `text` could be an id [`new_id`] made (so a typo is told apart from a missing id).
pub fn looks_like_id(text: &str) -> bool {
    text.len() == ID_LENGTH && text.bytes().all(|b| ID_ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids are short, from the unambiguous alphabet, and differ from call to call.
    #[test]
    fn ids_are_short_and_vary() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert!(ids.len() > 990, "{}", ids.len());
        assert!(ids.iter().all(|id| looks_like_id(id)));
    }
}
