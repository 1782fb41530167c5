//! The answers the Slack adapter has sent recently, by answer id: who asked, and the blocks of
//! private answers, which Slack does not send back with a button press.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::adapters::recent::RecentMap;
use crate::render::slack::{self as render, SlackMessage};
use crate::reply::{Action, Visibility};

/// How long an answer's asker and private blocks are kept: a `response_url` works for 30
/// minutes, so a button pressed later could not be answered anyway.
pub const ANSWERS_KEPT_FOR: Duration = Duration::from_secs(30 * 60);
/// Most answers kept.
pub const ANSWERS_KEPT: usize = 2_000;

/// What is kept about one answer.
#[derive(Debug, Clone)]
pub struct Kept {
    /// Who asked.
    pub asker: String,
    /// The blocks of a private answer, for "Post to channel" (Slack does not send them back).
    pub message: Option<Arc<SlackMessage>>,
}

/// Answers the adapter has sent recently, by answer id.
#[derive(Debug)]
pub struct Answers {
    kept: RecentMap<Kept>,
    next: AtomicU64,
    salt: u64,
}

impl Default for Answers {
    fn default() -> Answers {
        let salt = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Answers {
            kept: RecentMap::new(ANSWERS_KEPT, ANSWERS_KEPT_FOR),
            next: AtomicU64::new(1),
            salt,
        }
    }
}

impl Answers {
    /// Adds the buttons for an answer of `visibility` to `messages` (`more` first, on a short
    /// answer), remembering who asked.
    pub fn add_buttons(
        &self,
        messages: &mut [SlackMessage],
        more: Option<Action>,
        visibility: Visibility,
        asker: &str,
    ) {
        let buttons = crate::reply::buttons_with(more, visibility, true);
        if buttons.is_empty() || messages.is_empty() {
            return;
        }
        // Unique per process and unlike the last run's, so an old message's id is not reused.
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let id = format!("a{:x}{n:x}", self.salt & 0xFFFF_FFFF);
        render::add_buttons(messages, &buttons, &id);
        let message = (visibility == Visibility::Private)
            .then(|| messages.last().cloned().map(Arc::new))
            .flatten();
        self.kept.insert_new(
            &id,
            Kept {
                asker: asker.to_string(),
                message,
            },
        );
    }

    /// What is kept about the answer `id`, while it is.
    pub fn get(&self, id: &str) -> Option<Kept> {
        self.kept.get(id)
    }
}
