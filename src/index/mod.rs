//! The resource index: data model, loading and validation, fuzzy names and search.
//!
//! Raw TOML ([`raw`], read by [`load`]) is validated into an [`Index`] ([`validate`]); nothing
//! else builds one, so the rest of the bot never re-checks references.

mod check;
pub mod error;
pub mod load;
pub mod model;
pub mod names;
pub mod raw;
pub mod search;
pub mod validate;

pub use error::{IndexError, IndexErrors};
pub use load::{load_dir, load_embedded, Loaded, Source};
pub use model::*;
pub use names::{normalize, NameMatch, Ranked};
pub use validate::from_raw;

impl Index {
    /// Resolves a profession name, alias or typo.
    pub fn find_profession(&self, query: &str) -> NameMatch {
        self.profession_names.resolve(query)
    }

    /// Professions ranked against a partial name, for autocomplete (best first).
    pub fn rank_professions(&self, query: &str, limit: usize) -> Vec<Ranked> {
        self.profession_names.rank(query, limit)
    }

    /// Resolves a platform name or alias (`twitter` → X).
    pub fn find_platform(&self, query: &str) -> NameMatch {
        self.platform_names.resolve(query)
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
}
