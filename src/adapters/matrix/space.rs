//! Which community a room belongs to: the space it is in, when the bot can confirm it, so a
//! space's rooms share their moderators' own resources (`!local`). A parent counts only when
//! the space lists the room as its child too (`m.space.child`), which needs the bot in the
//! space: a room's own claim to a parent is not enough, or any room admin could read and change
//! another space's entries. Otherwise the room is its own community.

use futures_util::StreamExt;
use matrix_sdk::room::ParentSpace;
use matrix_sdk::ruma::OwnedRoomId;
use matrix_sdk::Room;

/// The space `room` is confirmed to be in (the first, if several), from the synced state.
pub async fn space_of(room: &Room) -> Option<OwnedRoomId> {
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
