//! What appservice mode knows about rooms without a sync: asked of the homeserver when needed
//! and kept in memory. Client mode has all of this in matrix-sdk's state store.
//!
//! - How many members a room has (whether a message there needs no prefix), forgotten when a
//!   membership event arrives for the room.
//! - Whether the room is encrypted, and whether the bot has said it cannot read it there.
//! - The bot's direct chats, from its `m.direct` account data (where private answers go),
//!   read once and kept up to date as the bot marks and opens direct chats.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use matrix_sdk::ruma::api::client::config::{get_global_account_data, set_global_account_data};
use matrix_sdk::ruma::api::client::membership::joined_members;
use matrix_sdk::ruma::api::client::room::create_room;
use matrix_sdk::ruma::api::client::state::get_state_event_for_key;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::events::{GlobalAccountDataEventType, StateEventType};
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};
use std::sync::Mutex;

use super::client::{CallError, Homeserver};
use crate::adapters::recent::RecentIds;

/// Rooms whose member counts are kept; past it the counts are dropped and asked again.
const ROOMS_KEPT: usize = 10_000;
/// Rooms told they are encrypted are remembered this long (so the bot says it once, not on
/// every message).
const TOLD_FOR: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// `m.direct`: each person's direct chats with the bot.
type DirectChats = BTreeMap<OwnedUserId, Vec<OwnedRoomId>>;

/// Room facts, asked for once and kept.
#[derive(Debug)]
pub(super) struct Rooms {
    members: Mutex<HashMap<OwnedRoomId, u64>>,
    told_encrypted: RecentIds,
    /// Read from the homeserver on first use; the lock also makes looking up and opening a
    /// direct chat one step, so two private answers to one person open one room.
    direct: tokio::sync::Mutex<Option<DirectChats>>,
}

impl Default for Rooms {
    fn default() -> Rooms {
        Rooms {
            members: Mutex::new(HashMap::new()),
            told_encrypted: RecentIds::new(ROOMS_KEPT, TOLD_FOR),
            direct: tokio::sync::Mutex::new(None),
        }
    }
}

impl Rooms {
    /// How many members have joined `room`; on a failure to ask, 0 is not assumed (a room
    /// that may be a group stays one): `u64::MAX`.
    pub async fn members(&self, homeserver: &Homeserver, room: &RoomId) -> u64 {
        if let Some(count) = self.lock_members().get(room) {
            return *count;
        }
        match homeserver
            .call(joined_members::v3::Request::new(room.to_owned()))
            .await
        {
            Ok(response) => {
                let count = response.joined.len() as u64;
                let mut members = self.lock_members();
                if members.len() >= ROOMS_KEPT {
                    members.clear();
                }
                members.insert(room.to_owned(), count);
                count
            }
            Err(e) => {
                tracing::warn!(adapter = super::ADAPTER, "cannot count members: {e}");
                u64::MAX
            }
        }
    }

    /// Forgets what is known about `room`'s members (someone joined or left).
    pub fn members_changed(&self, room: &RoomId) {
        self.lock_members().remove(room);
    }

    fn lock_members(&self) -> std::sync::MutexGuard<'_, HashMap<OwnedRoomId, u64>> {
        self.members.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True the first time this is asked for `room`: whether to tell it the bot cannot read
    /// encrypted messages.
    pub fn first_encrypted_notice(&self, room: &RoomId) -> bool {
        self.told_encrypted.first_time(room.as_str())
    }

    /// Whether `room` has `m.room.encryption` state.
    pub async fn is_encrypted(&self, homeserver: &Homeserver, room: &RoomId) -> bool {
        let request = get_state_event_for_key::v3::Request::new(
            room.to_owned(),
            StateEventType::RoomEncryption,
            String::new(),
        );
        match homeserver.call(request).await {
            Ok(_) => true,
            Err(e) if matches!(e.kind(), Some(ErrorKind::NotFound)) => false,
            Err(e) => {
                tracing::warn!(
                    adapter = super::ADAPTER,
                    "cannot read encryption state: {e}"
                );
                false
            }
        }
    }

    /// `user`'s power level in `room` from its `m.room.power_levels` state: the user's own,
    /// else `users_default`; `None` when it cannot be read. (A room creator's unlimited level
    /// in room version 12 is not in that event; creators there are not moderators in this mode
    /// unless also listed.)
    pub async fn power_level(
        &self,
        homeserver: &Homeserver,
        room: &RoomId,
        user: &UserId,
    ) -> Option<i64> {
        let request = get_state_event_for_key::v3::Request::new(
            room.to_owned(),
            StateEventType::RoomPowerLevels,
            String::new(),
        );
        let response = homeserver.call(request).await.ok()?;
        let content: serde_json::Value =
            serde_json::from_str(response.event_or_content.get()).ok()?;
        let level = |v: &serde_json::Value| v.as_i64();
        content["users"]
            .get(user.as_str())
            .and_then(level)
            .or_else(|| level(&content["users_default"]))
            .or(Some(0))
    }

    /// Whether `room` is one of the bot's direct chats.
    pub async fn is_direct(&self, homeserver: &Homeserver, own: &UserId, room: &RoomId) -> bool {
        let mut direct = self.direct.lock().await;
        let chats = load(&mut direct, homeserver, own).await;
        chats.values().any(|rooms| rooms.iter().any(|r| r == room))
    }

    /// Marks `room` as a direct chat with `person` (an invite with `is_direct`).
    pub async fn mark_direct(
        &self,
        homeserver: &Homeserver,
        own: &UserId,
        person: &UserId,
        room: &RoomId,
    ) -> Result<(), CallError> {
        let mut direct = self.direct.lock().await;
        let chats = load(&mut direct, homeserver, own).await;
        let rooms = chats.entry(person.to_owned()).or_default();
        if rooms.iter().any(|r| r == room) {
            return Ok(());
        }
        rooms.push(room.to_owned());
        save(homeserver, own, chats).await
    }

    /// The direct chat with `person`: the newest one `m.direct` lists, else a new one (private,
    /// `is_direct`, inviting them), recorded in `m.direct`.
    pub async fn direct_chat(
        &self,
        homeserver: &Homeserver,
        own: &UserId,
        person: &UserId,
    ) -> Result<OwnedRoomId, CallError> {
        let mut direct = self.direct.lock().await;
        let chats = load(&mut direct, homeserver, own).await;
        if let Some(room) = chats.get(person).and_then(|rooms| rooms.last()) {
            return Ok(room.clone());
        }
        let mut request = create_room::v3::Request::new();
        request.invite = vec![person.to_owned()];
        request.is_direct = true;
        request.preset = Some(create_room::v3::RoomPreset::TrustedPrivateChat);
        let room = homeserver.call(request).await?.room_id;
        chats
            .entry(person.to_owned())
            .or_default()
            .push(room.clone());
        save(homeserver, own, chats).await?;
        Ok(room)
    }
}

/// The bot's `m.direct`, read on first use (none yet, or unreadable, is empty).
async fn load<'a>(
    direct: &'a mut Option<DirectChats>,
    homeserver: &Homeserver,
    own: &UserId,
) -> &'a mut DirectChats {
    if direct.is_none() {
        let request = get_global_account_data::v3::Request::new(
            own.to_owned(),
            GlobalAccountDataEventType::Direct,
        );
        let chats = match homeserver.call(request).await {
            Ok(response) => response
                .account_data
                .deserialize_as_unchecked::<DirectChats>()
                .unwrap_or_default(),
            Err(e) => {
                if !matches!(e.kind(), Some(ErrorKind::NotFound)) {
                    tracing::warn!(adapter = super::ADAPTER, "cannot read m.direct: {e}");
                }
                DirectChats::new()
            }
        };
        *direct = Some(chats);
    }
    direct.get_or_insert_with(DirectChats::new)
}

async fn save(homeserver: &Homeserver, own: &UserId, chats: &DirectChats) -> Result<(), CallError> {
    let raw = Raw::new(chats)
        .expect("m.direct serializes")
        .cast_unchecked();
    let request = set_global_account_data::v3::Request::new_raw(
        own.to_owned(),
        GlobalAccountDataEventType::Direct,
        raw,
    );
    homeserver.call(request).await.map(drop)
}
