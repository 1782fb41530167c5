//! The resource index: data model, loading and validation, fuzzy names and search.
//!
//! Raw TOML ([`raw`], read by [`load`]) is validated into an [`Index`] ([`validate`]); nothing
//! else builds one, so the rest of the bot never re-checks references.

mod check;
pub mod error;
pub mod load;
pub mod model;
pub mod names;
pub mod phrases;
pub mod raw;
pub mod search;
pub mod validate;
pub mod words;

pub use check::is_mirror;
pub use error::{IndexError, IndexErrors};
pub use load::{load_dir, load_embedded, Source};
pub use model::Loaded;
pub use model::*;
pub use names::{normalize, NameMatch, Ranked};
pub use validate::from_raw;

impl Index {
    /// Resolves a profession name, alias or typo. A stage of training around the name ("social
    /// work student", "GP trainee", "student nurse") still names the profession, since the same
    /// guidance applies to students on the way to it.
    pub fn find_profession(&self, query: &str) -> NameMatch {
        let found = self.profession_names.resolve(query);
        if matches!(found, NameMatch::Exact(_)) {
            return found;
        }
        let role = without_training(query);
        match self.profession_names.exact(&role) {
            Some(p) if !role.is_empty() => NameMatch::Exact(p),
            _ => found,
        }
    }

    /// The covered professions whose names end in the one word `word` ("therapist" ends
    /// "art therapist", "occupational therapist"…), in the phrase table's order.
    pub fn professions_ending_in(&self, word: &str) -> Vec<usize> {
        let folded = words::fold(&normalize(word));
        self.phrases
            .sharing_head(&folded)
            .iter()
            .filter_map(|n| match n {
                phrases::Named::Profession(p) => Some(*p),
                _ => None,
            })
            .collect()
    }

    /// The id of the profession, covered or not, that `!guidance` answers for `query`: a covered
    /// one named exactly, else one the index knows it lacks (never fuzzed to a neighbour), else a
    /// covered one named confidently.
    pub fn profession_id(&self, query: &str) -> Option<&str> {
        match (self.find_profession(query), self.find_uncovered(query)) {
            (NameMatch::Exact(p), _) | (NameMatch::Confident(p), None) => {
                Some(self.professions[p].id.as_str())
            }
            (_, Some(u)) => Some(u.id.as_str()),
            _ => None,
        }
    }

    /// The profession the index does not cover yet that `query` names exactly (any stage of
    /// training included), if any.
    pub fn find_uncovered(&self, query: &str) -> Option<&Uncovered> {
        self.uncovered_names
            .exact(query)
            .or_else(|| self.uncovered_names.exact(&without_training(query)))
            .map(|u| &self.uncovered[u])
    }

    /// Professions ranked against a partial name, for autocomplete (best first).
    pub fn rank_professions(&self, query: &str, limit: usize) -> Vec<Ranked> {
        self.profession_names.rank(query, limit)
    }

    /// Resolves a platform name or alias (`twitter` → X).
    pub fn find_platform(&self, query: &str) -> NameMatch {
        self.platform_names.resolve(query)
    }

    /// The platform this one word names exactly (an id, name or alias), if any.
    pub fn platform_names_exact(&self, word: &str) -> Option<usize> {
        self.platform_names.exact(word)
    }

    /// The platform with this id.
    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.id == id)
    }

    /// The best `limit` resources matching the words of `query`, best first, and how many
    /// matched in all.
    pub fn search(&self, query: &str, limit: usize) -> (Vec<&Resource>, usize) {
        let hits = self.search.search(query, limit);
        let best = hits
            .best
            .iter()
            .map(|hit| &self.resources[hit.resource])
            .collect();
        (best, hits.total)
    }

    /// How surely `query` names a resource, from 0 to 1 ([`search::SearchIndex::confidence`]).
    pub fn search_confidence(&self, query: &str) -> f32 {
        self.search.confidence(query)
    }

    /// Whether a rare word of `query` names a resource outright
    /// ([`search::SearchIndex::names_outright`]).
    pub fn search_names_outright(&self, query: &str) -> bool {
        self.search.names_outright(query)
    }

    /// Whether some resource holds every word of `query` (each as a word or a word's start).
    pub fn finds_every_word(&self, query: &str) -> bool {
        let hits = self.search.search(query, 1);
        hits.terms > 0 && hits.best.first().is_some_and(|h| h.matched == hits.terms)
    }
}

/// Words that say how far someone is into a profession rather than which one it is.
const TRAINING_WORDS: &[&str] = &[
    "student",
    "students",
    "trainee",
    "trainees",
    "training",
    "in",
    "registrar",
    "registrars",
    "newly",
    "qualified",
    "aspiring",
    "locum",
    "locums",
    "senior",
    "apprentice",
    "apprentices",
];

/// `query` normalized, without the words of [`TRAINING_WORDS`].
fn without_training(query: &str) -> String {
    normalize(query)
        .split(' ')
        .filter(|w| !TRAINING_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}
