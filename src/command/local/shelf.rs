//! What `!local` and the answers that show a community's own resources need of storage. The
//! store implements it, behind a short-lived cache of each community's list
//! ([`crate::store::local_cache`]), since guidance, tips and abuse help read it on every answer.

use crate::records::{AddedLocal, Local, NewLocal, StoreError};

/// Each community's own resources.
pub trait LocalShelf: Send + Sync + std::fmt::Debug {
    /// Adds an entry, unless its community has the same page (that one is returned) or is full.
    fn add(&self, new: NewLocal) -> Result<AddedLocal, StoreError>;

    /// Removes the entry `id` of `community`; false when it has none by that id.
    fn remove(&self, community: &str, id: &str) -> Result<bool, StoreError>;

    /// The entries of `community`, oldest first.
    fn list(&self, community: &str) -> Result<Vec<Local>, StoreError>;

    /// Every community's entries, by community then age, for `signpost local export`.
    fn everything(&self) -> Result<Vec<Local>, StoreError>;
}
