//! The last few replies an adapter rendered, so a repeated answer is laid out once.
//!
//! Most questions in a channel get one of a handful of answers (the same regulator, the same
//! abuse-help link), and a reply is a pure function of the index, which changes only on reload.
//! The key is the whole [`Reply`], compared by value, so a reloaded index that changes an answer
//! simply misses: nothing needs clearing.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use crate::reply::Reply;

/// How many distinct replies are kept; the oldest is dropped past this.
pub const KEPT: usize = 16;

/// Rendered forms of recent replies, most recently used first.
#[derive(Debug)]
pub struct RenderCache<T> {
    slots: Mutex<VecDeque<(Reply, Arc<T>)>>,
}

impl<T> Default for RenderCache<T> {
    fn default() -> Self {
        Self {
            slots: Mutex::new(VecDeque::with_capacity(KEPT)),
        }
    }
}

impl<T> RenderCache<T> {
    /// The rendered `reply`: kept from an earlier call, or made by `render` now and kept.
    ///
    /// `render` runs outside the lock, so one slow layout never holds up other replies.
    pub fn get_or_render(&self, reply: &Reply, render: impl FnOnce(&Reply) -> T) -> Arc<T> {
        if let Some(found) = self.take(reply) {
            return found;
        }
        let made = Arc::new(render(reply));
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        // Another task may have rendered the same reply meanwhile; keep one copy.
        if let Some(at) = slots.iter().position(|(kept, _)| kept == reply) {
            slots.remove(at);
        }
        slots.truncate(KEPT - 1);
        slots.push_front((reply.clone(), Arc::clone(&made)));
        made
    }

    /// How many replies are kept now.
    pub fn len(&self) -> usize {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A kept rendering of `reply`, moved to the front.
    fn take(&self, reply: &Reply) -> Option<Arc<T>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let at = slots.iter().position(|(kept, _)| kept == reply)?;
        let entry = slots.remove(at)?;
        let found = Arc::clone(&entry.1);
        slots.push_front(entry);
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn reply(title: &str) -> Reply {
        Reply::titled(title)
    }

    /// A repeated reply is rendered once; a different one is rendered on its own.
    #[test]
    fn a_repeated_reply_renders_once() {
        let cache = RenderCache::default();
        let calls = Cell::new(0);
        let render = |r: &Reply| {
            calls.set(calls.get() + 1);
            r.title.to_uppercase()
        };
        assert_eq!(*cache.get_or_render(&reply("one"), render), "ONE");
        assert_eq!(*cache.get_or_render(&reply("one"), render), "ONE");
        assert_eq!(calls.get(), 1);
        assert_eq!(*cache.get_or_render(&reply("two"), render), "TWO");
        assert_eq!(calls.get(), 2);
    }

    /// A reply that differs anywhere, not just in its title, is not served another's rendering.
    #[test]
    fn any_difference_misses() {
        let cache = RenderCache::default();
        let first = reply("same");
        let mut changed = reply("same");
        changed.notes.push(crate::line!["an edited note"]);
        cache.get_or_render(&first, |_| 1);
        assert_eq!(*cache.get_or_render(&changed, |_| 2), 2);
        assert_eq!(*cache.get_or_render(&first, |_| 3), 1);
    }

    /// At most `KEPT` replies are kept, and the one dropped is the least recently used.
    #[test]
    fn keeps_the_most_recently_used() {
        let cache = RenderCache::default();
        for i in 0..KEPT {
            cache.get_or_render(&reply(&i.to_string()), |_| i);
        }
        // Using the oldest makes the second-oldest the one to go.
        cache.get_or_render(&reply("0"), |_| usize::MAX);
        cache.get_or_render(&reply("new"), |_| KEPT);
        assert_eq!(cache.len(), KEPT);
        assert_eq!(*cache.get_or_render(&reply("0"), |_| usize::MAX), 0);
        assert_eq!(
            *cache.get_or_render(&reply("1"), |_| usize::MAX),
            usize::MAX
        );
    }
}
