//! How a backend reads a suggestion back: the columns every query selects, checked into a
//! [`Suggestion`].

use crate::records::{Decision, NewSuggestion, StoreError, Suggestion, SuggestionStatus};

/// The columns every query reads a suggestion from, in [`Columns`] order.
pub const COLUMNS: &str = "id, url, url_key, note, platform, channel, suggester, suggested_at, \
     status, decided_at, decided_by, reason";

/// A suggestion's columns as a backend reads them, before they are checked.
#[derive(Debug)]
pub struct Columns {
    /// `id`.
    pub id: String,
    /// `url`, `url_key`, `note`, `platform`, `channel`, `suggester`, `suggested_at`.
    pub new: NewSuggestion,
    /// `status`.
    pub status: String,
    /// `decided_at`.
    pub decided_at: Option<i64>,
    /// `decided_by`.
    pub decided_by: Option<String>,
    /// `reason`.
    pub reason: Option<String>,
}

impl Columns {
    /// The suggestion these columns hold; a status no build writes is an error.
    pub fn into_suggestion(self, operation: &'static str) -> Result<Suggestion, StoreError> {
        let status = SuggestionStatus::from_word(&self.status).ok_or(StoreError::Corrupt {
            operation,
            column: "status",
        })?;
        let decision = match (status, self.decided_at) {
            (SuggestionStatus::Open, _) | (_, None) => None,
            (status, Some(at)) => Some(Decision {
                status,
                by: self.decided_by.unwrap_or_default(),
                reason: self.reason.unwrap_or_default(),
                at,
            }),
        };
        Ok(Suggestion {
            id: self.id,
            new: self.new,
            status,
            decision,
        })
    }
}

/// Tries a few fresh ids: a clash among 887 million is rare, several in a row mean a bug.
pub const ID_ATTEMPTS: usize = 5;
