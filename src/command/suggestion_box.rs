//! What the suggestion commands (`suggest`, `suggestions`, `accept`, `reject`, and `about`'s
//! count) need of storage. The store implements it; the runtime hands it to the core, which
//! passes it to handlers in their [`Context`](super::spec::Context).
//!
//! Every method may block for up to the store's timeout: a handler calling one waits on the
//! store's own threads while the runtime moves its other tasks elsewhere
//! ([`crate::store`] explains how).

use crate::records::{
    Decided, Decision, NewSuggestion, StoreError, Suggested, Suggestion, SuggestionStatus,
};

/// Suggestions from chat, as the commands read and decide them.
pub trait SuggestionBox: Send + Sync + std::fmt::Debug {
    /// Stores a suggestion, unless one with the same URL key exists: then that one is returned.
    fn suggest(&self, new: NewSuggestion) -> Result<Suggested, StoreError>;

    /// One suggestion by id.
    fn suggestion(&self, id: &str) -> Result<Option<Suggestion>, StoreError>;

    /// Suggestions with `status`, oldest first, at most `limit`.
    fn suggestions(
        &self,
        status: SuggestionStatus,
        limit: usize,
    ) -> Result<Vec<Suggestion>, StoreError>;

    /// How many suggestions have `status`.
    fn count(&self, status: SuggestionStatus) -> Result<u64, StoreError>;

    /// Accepts or rejects an open suggestion.
    fn decide(&self, id: &str, decision: Decision) -> Result<Decided, StoreError>;
}
