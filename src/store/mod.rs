//! Storage: suggestions from chat, each community's own resources ([`local`]), counts of what people asked, and what replicas must agree on
//! (deliveries already handled, cooldown buckets: [`shared`]), behind one trait ([`Store`]) that
//! is each user's own small trait at once, with two backends: SQLite ([`sqlite`], a file in the state directory, the default)
//! and PostgreSQL ([`postgres`], so several instances share one store). Each backend runs its
//! numbered migrations ([`migrations`]) when it first connects.
//!
//! # Why the trait is synchronous, and where the waiting happens
//!
//! The core's [`handle`](crate::Signpost::handle) is synchronous and adapters call it from tokio
//! tasks, so a store call blocks whichever thread makes it. Making the trait async would make
//! `handle` async for every command, when only a few touch the store. Instead each backend owns a
//! few plain threads holding its connections ([`pool`]): a call sends the work there and waits
//! for the answer, at most [`StorageSettings::timeout`]. While it waits on a multi-threaded
//! runtime the caller steps aside with
//! [`tokio::task::block_in_place`], so the runtime moves its other tasks to other workers and a
//! slow database never stalls unrelated answers. The database work itself never runs on a tokio
//! thread: the blocking `postgres` client starts its own small runtime, which would panic there.
//!
//! Counting questions ([`QuestionCounts::tally`]) does not wait at all: counts gather in memory
//! for a few seconds and are written together ([`tallies`]), and when the queue is full they are dropped
//! rather than slowing an answer.
//!
//! Errors ([`StoreError`]) name the operation and keep their source; they never hold what a
//! person wrote, so they can be logged as they are.

pub mod columns;
pub mod local;
pub mod local_cache;
pub mod migrations;
pub mod pool;
pub mod postgres;
pub mod shared;
pub mod sqlite;
pub mod tallies;

use std::sync::Arc;
use std::time::Duration;

/// The parts of storage each user needs, each defined in the layer that uses it.
pub use crate::adapters::seen::Claims;
pub use crate::command::local::shelf::LocalShelf;
pub use crate::command::suggestion_box::SuggestionBox;
pub use crate::cooldown::shared::Buckets;
pub use crate::misses::QuestionCounts;
/// What storage holds, defined below the layers that use it ([`crate::records`]).
pub use crate::records::{
    day_of, looks_like_id, new_id, now, now_ms, settings, Bucket, Decided, Decision, NewSuggestion,
    Report, StorageBackend, StorageSettings, StoreError, Suggested, Suggestion, SuggestionStatus,
    Taken, Tallied, Tally, ID_LENGTH,
};

/// A whole store: every part the layers below need of storage, each a trait of its user's
/// ([`SuggestionBox`] for the suggestion commands, [`QuestionCounts`] for the core's counting,
/// [`Buckets`] for shared cooldowns, [`Claims`] for the adapters' de-duplication). The runtime
/// opens one and hands each user its part ([`wire`]).
///
/// Which calls block: every method except [`QuestionCounts::tally`] may wait for the database,
/// up to the configured timeout, on the store's own threads (see the module comment for why that
/// is safe on the runtime); `tally` queues and never waits.
pub trait Store: SuggestionBox + LocalShelf + QuestionCounts + Buckets + Claims {
    /// Which backend this is, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
}

/// A store as the parts its users take.
#[derive(Debug, Clone)]
pub struct Parts {
    /// For the suggestion commands.
    pub suggestions: Arc<dyn SuggestionBox>,
    /// For the core's question counting and `signpost report`.
    pub questions: Arc<dyn QuestionCounts>,
    /// For cooldowns shared by replicas.
    pub buckets: Arc<dyn Buckets>,
    /// For the adapters' "handled already" across processes and restarts.
    pub claims: Arc<dyn Claims>,
    /// For `!local` and the answers that show a community's own resources, each community's
    /// list kept for a few seconds ([`local_cache`]).
    pub local: Arc<dyn LocalShelf>,
}

impl Parts {
    /// `store` as each of its parts.
    pub fn of(store: &Arc<dyn Store>) -> Parts {
        Parts {
            suggestions: Arc::clone(store) as Arc<dyn SuggestionBox>,
            questions: Arc::clone(store) as Arc<dyn QuestionCounts>,
            buckets: Arc::clone(store) as Arc<dyn Buckets>,
            claims: Arc::clone(store) as Arc<dyn Claims>,
            local: Arc::new(local_cache::LocalCache::new(
                Arc::clone(store) as Arc<dyn LocalShelf>
            )),
        }
    }
}

/// Hands `store` to the core: its suggestions, its question counts when `record_questions`, and
/// its cooldown buckets when other processes share it. Adapters take [`Parts::claims`] from the
/// service ([`crate::adapters::Service::claims`]).
pub fn wire(
    core: crate::bot::Signpost,
    store: &Arc<dyn Store>,
    record_questions: bool,
) -> crate::bot::Signpost {
    let parts = Parts::of(store);
    let shared = parts.claims.is_shared();
    let core = core
        .with_suggestions(parts.suggestions)
        .with_local(parts.local);
    let core = if record_questions {
        core.with_question_counts(parts.questions)
    } else {
        core
    };
    if shared {
        core.with_shared_buckets(parts.buckets)
    } else {
        core
    }
}

/// Whether a sweep of expired shared rows is due, counting this call.
fn sweep_due(calls: &std::sync::atomic::AtomicU32) -> bool {
    let n = calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    n % shared::SWEEP_EVERY == shared::SWEEP_EVERY - 1
}

/// `now_ms + keep`, saturating.
fn expiry(now_ms: i64, keep: Duration) -> i64 {
    now_ms.saturating_add(i64::try_from(keep.as_millis()).unwrap_or(i64::MAX))
}

/// Opens the configured store; `Ok(None)` when storage is off. A database that cannot be reached
/// yet is not an error here: calls apologise until it can be, and the connection is retried.
pub fn open(settings: &StorageSettings) -> Result<Option<Arc<dyn Store>>, StoreError> {
    let store: Arc<dyn Store> = match &settings.backend {
        StorageBackend::Off => return Ok(None),
        StorageBackend::Sqlite(path) => {
            Arc::new(sqlite::SqliteStore::open(Some(path.clone()), settings)?)
        }
        StorageBackend::SqliteMemory => Arc::new(sqlite::SqliteStore::open(None, settings)?),
        StorageBackend::Postgres(url) => {
            Arc::new(postgres::PostgresStore::open(url.expose(), settings)?)
        }
    };
    Ok(Some(store))
}
