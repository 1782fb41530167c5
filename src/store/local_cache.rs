//! A short-lived copy of each community's own resources, since guidance, tips and abuse help
//! read them on every answer and most communities have none: a list is read from the store at
//! most once per [`FRESH`] per community, and this process's own adds and removes take effect
//! at once. Another replica's change shows here within [`FRESH`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::command::local::shelf::LocalShelf;
use crate::records::{AddedLocal, Local, NewLocal, StoreError};

/// How long a community's list is served from memory.
pub const FRESH: Duration = Duration::from_secs(30);

/// How many communities' lists are kept; past this the copies are dropped and read again.
pub const KEPT: usize = 10_000;

/// A [`LocalShelf`] that keeps each community's list for [`FRESH`].
#[derive(Debug)]
pub struct LocalCache {
    inner: Arc<dyn LocalShelf>,
    lists: Mutex<HashMap<String, (Instant, Vec<Local>)>>,
}

impl LocalCache {
    /// `inner`, with its lists kept.
    pub fn new(inner: Arc<dyn LocalShelf>) -> LocalCache {
        LocalCache {
            inner,
            lists: Mutex::new(HashMap::new()),
        }
    }

    fn forget(&self, community: &str) {
        self.lists
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(community);
    }
}

impl LocalShelf for LocalCache {
    fn add(&self, new: NewLocal) -> Result<AddedLocal, StoreError> {
        let community = new.community.clone();
        let added = self.inner.add(new);
        self.forget(&community);
        added
    }

    fn remove(&self, community: &str, id: &str) -> Result<bool, StoreError> {
        let removed = self.inner.remove(community, id);
        self.forget(community);
        removed
    }

    fn list(&self, community: &str) -> Result<Vec<Local>, StoreError> {
        {
            let lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((at, list)) = lists.get(community) {
                if at.elapsed() < FRESH {
                    return Ok(list.clone());
                }
            }
        }
        // Read outside the lock, so a slow store holds up only this community's answer.
        let list = self.inner.list(community)?;
        let mut lists = self.lists.lock().unwrap_or_else(PoisonError::into_inner);
        if lists.len() >= KEPT {
            lists.clear();
        }
        lists.insert(community.to_string(), (Instant::now(), list.clone()));
        Ok(list)
    }

    fn everything(&self) -> Result<Vec<Local>, StoreError> {
        self.inner.everything()
    }
}
