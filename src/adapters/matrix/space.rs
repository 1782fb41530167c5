//! Which community a room belongs to: the space it is in, when the bot can confirm it, so a
//! space's rooms share their moderators' own resources (`!local`). A parent counts only when
//! the space lists the room as its child too (`m.space.child`), which needs the bot in the
//! space: a room's own claim to a parent is not enough, or any room admin could read and change
//! another space's entries. Otherwise the room is its own community.
//!
//! Reading it takes a state-store query per room and parent, and every message needs it, while
//! the answer changes only with a space's state. So [`Spaces`] keeps each room's answer until
//! an `m.space.parent` or `m.space.child` event, or one of the bot's own memberships, is
//! synced; then it forgets them all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use matrix_sdk::room::ParentSpace;
use matrix_sdk::ruma::events::room::member::SyncRoomMemberEvent;
use matrix_sdk::ruma::events::space::child::SyncSpaceChildEvent;
use matrix_sdk::ruma::events::space::parent::SyncSpaceParentEvent;
use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::{Client, Room};

use crate::adapters::recent::RecentMap;

/// Most rooms whose space is remembered.
const ROOMS: usize = 4096;
/// How long an answer is kept at most, should a change ever come without its event (a gap in
/// the sync, say).
const KEPT_FOR: Duration = Duration::from_secs(10 * 60);

/// Each room's space, as last read, until a space's state changes.
pub struct Spaces {
    known: RecentMap<Option<OwnedRoomId>>,
    /// Moved on by every change, so a reading that began before one is not kept after it.
    generation: AtomicU64,
}

impl Default for Spaces {
    fn default() -> Spaces {
        Spaces {
            known: RecentMap::new(ROOMS, KEPT_FOR),
            generation: AtomicU64::new(0),
        }
    }
}

impl Spaces {
    /// The space `room` is confirmed to be in, from what is remembered or else the synced state.
    pub async fn of(&self, room: &Room) -> Option<OwnedRoomId> {
        let id = room.room_id().as_str();
        if let Some(known) = self.known.get(id) {
            return known;
        }
        let generation = self.generation.load(Ordering::Acquire);
        let found = space_of(room).await;
        // Read from state older than a change that came meanwhile: used once, not kept.
        if self.generation.load(Ordering::Acquire) == generation {
            self.known.insert(id, found.clone());
        }
        found
    }

    /// Forgets every room's space: a space's state (or the bot's place in one) changed.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.known.clear();
    }

    /// Forgets every room's space whenever `client` syncs a change that can move one: a
    /// parent or child event, or the bot's own membership (joining a space confirms its rooms).
    pub fn listen(self: &Arc<Self>, client: &Client) {
        let spaces = Arc::clone(self);
        client.add_event_handler(move |_: SyncSpaceParentEvent| {
            spaces.changed();
            async {}
        });
        let spaces = Arc::clone(self);
        client.add_event_handler(move |_: SyncSpaceChildEvent| {
            spaces.changed();
            async {}
        });
        let spaces = Arc::clone(self);
        client.add_event_handler(move |event: SyncRoomMemberEvent, client: Client| {
            if client.user_id().is_some_and(|own| event.state_key() == own) {
                spaces.changed();
            }
            async {}
        });
    }
}

/// The space `room` is confirmed to be in (the first, if several), from the synced state.
async fn space_of(room: &Room) -> Option<OwnedRoomId> {
    let parents = room.parent_spaces().await.ok()?;
    let mut parents = std::pin::pin!(parents);
    let mut found: Vec<OwnedRoomId> = Vec::new();
    while let Some(parent) = parents.next().await {
        if let Ok(ParentSpace::Reciprocal(space)) = parent {
            found.push(space.room_id().to_owned());
        }
    }
    // Results come in no particular order; the smallest id is the same choice every time.
    found.into_iter().min()
}
