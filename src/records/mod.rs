//! What storage holds and says, apart from where it is kept: suggestions and their decisions,
//! question tallies and reports, a community's own resources, shared cooldown buckets, the store's settings and its errors.
//! Every layer that talks to storage names these; the backends that keep them are
//! [`crate::store`]'s, above the traits each user defines for the part it needs.

mod buckets;
mod error;
mod local;
pub mod settings;
mod types;

pub use buckets::{Bucket, Taken};
pub use error::StoreError;
pub use local::{now_us, AddedLocal, Local, NewLocal, MAX_LOCAL};
pub use settings::{StorageBackend, StorageSettings};
pub use types::{
    day_of, looks_like_id, new_id, now, now_ms, Decided, Decision, NewSuggestion, Report,
    Suggested, Suggestion, SuggestionStatus, Tallied, Tally, ID_LENGTH,
};
