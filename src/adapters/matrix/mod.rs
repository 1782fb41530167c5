//! The Matrix adapter, on matrix-sdk: logs in once and keeps its device, joins rooms it is invited
//! to (from allowed inviters), answers `!` commands and mentions in rooms and direct chats,
//! encrypted or not, with `m.notice` replies, and never answers history or the same event twice.
//!
//! It drives its own long-poll loop with `sync_once` instead of `Client::sync`, because the SDK's
//! loop sleeps a full second after any sync that returned within a second, which would delay
//! every reply in a busy room; here the only waits are back-offs after errors.
//!
//! `welcome` greets newcomers to `matrix.welcome_rooms`; `remove` takes down an answer on a ❌;
//! `invariants` holds the conditions the patched crypto crate needs (one process on the store,
//! no sliding sync) in code.

pub mod appservice;
mod filter;
mod invariants;
mod menus;
mod message;
mod remove;
mod send;
mod session;
mod space;
mod sqlite;
pub mod text;
mod welcome;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use matrix_sdk::ruma::presence::PresenceState;
use matrix_sdk::ruma::{OwnedRoomId, OwnedUserId};
use matrix_sdk::{Client, Room, RoomState};
use tokio_util::sync::CancellationToken;

use self::send::{send_all, Relation};
use self::space::Spaces;
use crate::adapters::backoff::Backoff;
use crate::adapters::recent::{RecentIds, RecentMap};
use crate::adapters::Service;
use crate::bot::Signpost;
use crate::config::MatrixSettings;
use crate::intake::Intake;
use crate::message::Origin;
use crate::render::cache::RenderCache;
use crate::render::matrix::{to_contents, MatrixContent};
use crate::reply::{Reply, Visibility, SENT_PRIVATELY};

/// Why the Matrix adapter stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// The client could not be built (bad homeserver URL, store could not open).
    #[error("matrix: cannot set up the client")]
    Client(#[source] matrix_sdk::ClientBuildError),
    /// The store directory could not be created or written.
    #[error("matrix: store {}", path.display())]
    Store {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The saved session file is unreadable.
    #[error("matrix: session file {} is unreadable", path.display())]
    Session {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: serde_json::Error,
    },
    /// The homeserver refused the login or the saved session.
    #[error("matrix: login failed")]
    Login(#[source] matrix_sdk::Error),
    /// The settings cannot sign in as asked.
    #[error("matrix: {0}")]
    Setup(&'static str),
    /// Another Signpost process (or another Matrix adapter in this one) holds the store
    /// directory's lock: only one may write its crypto store.
    #[error(
        "matrix: another Signpost process is using the store {} (only one process may use a \
         Matrix store: stop the other or give each its own matrix.store_dir)",
        dir.display()
    )]
    StoreInUse {
        /// The store directory.
        dir: PathBuf,
    },
    /// The client was built able to use sliding sync, which the patched matrix-sdk-crypto does
    /// not support (vendor/README.md).
    #[error(
        "matrix: the client would use sliding sync ({version}); the patched matrix-sdk-crypto \
         Signpost builds with supports /v3/sync only"
    )]
    SlidingSync {
        /// The sliding sync version the client has.
        version: String,
    },
}

impl MatrixError {
    /// Whether retrying cannot help until the settings change: the homeserver refused the
    /// credentials, or the settings cannot sign in as asked.
    pub fn is_permanent(&self) -> bool {
        match self {
            MatrixError::Setup(_)
            | MatrixError::Session { .. }
            | MatrixError::SlidingSync { .. } => true,
            MatrixError::Login(error) => matches!(
                error.client_api_error_kind(),
                Some(ErrorKind::Forbidden | ErrorKind::UnknownToken { .. })
            ),
            _ => false,
        }
    }
}

/// Retries against a failing homeserver wait from this, doubling…
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// …up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How long one long-poll waits on the server for new events.
const LONG_POLL: Duration = Duration::from_secs(30);
/// How many answered event ids are remembered to avoid answering one twice.
const REMEMBERED: usize = 4096;
/// A sync can repeat an event only soon after it first came; a day is far beyond that.
const REMEMBERED_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// State shared by the event handlers.
struct Adapter {
    core: Arc<Signpost>,
    intake: Arc<Intake>,
    user_id: OwnedUserId,
    display_name: Option<String>,
    allowed_inviters: Vec<String>,
    /// The power level from which a room's members may review suggestions, and the rooms
    /// where it counts.
    moderator_level: i64,
    moderator_rooms: Vec<String>,
    /// Set after the catch-up sync: messages seen before it are history and get no reply.
    live: AtomicBool,
    /// Rooms the bot was in at the end of the previous sync. A message in any other room comes
    /// with the room's first sync, which also carries what was said before the bot joined.
    known_rooms: RwLock<HashSet<OwnedRoomId>>,
    answered: RecentIds,
    /// Who asked for each answer this process sent, so a ❌ from them can remove it.
    answer_owners: RecentMap<String>,
    /// Menus sent as numbered lists, per room and person, waiting for a number.
    menus: menus::Menus,
    /// Direct chats this process opened, per person. Looking one up and creating it happen
    /// under this lock, so concurrent private requests from one person open one room, even
    /// before the homeserver's `m.direct` record of the new room has synced back.
    direct_chats: tokio::sync::Mutex<HashMap<OwnedUserId, Room>>,
    /// Newcomers' welcomes, where configured, and the rooms they are for.
    welcomes: Option<Arc<crate::adapters::welcome::Greeter>>,
    welcome_rooms: Vec<String>,
    /// Recent replies as event contents: most answers repeat, and laying one out is a good
    /// part of what a reply costs this process.
    rendered: RenderCache<Vec<MatrixContent>>,
    /// Each room's space (its community), kept until a space's state changes.
    spaces: Arc<Spaces>,
}

impl Adapter {
    /// Whether `user`'s power level in `room` reaches the moderator level (a room creator's
    /// unlimited level, from room version 12, does), in one of the configured moderator rooms
    /// only: in a room of their own anyone holds every level.
    async fn moderates(&self, room: &Room, user: &matrix_sdk::ruma::UserId) -> bool {
        use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;
        if !self
            .moderator_rooms
            .iter()
            .any(|r| r == room.room_id().as_str())
        {
            return false;
        }
        // Members are lazy-loaded, so this may ask the homeserver; only review commands ask.
        match room.get_member(user).await {
            Ok(Some(member)) => match member.power_level() {
                UserPowerLevel::Infinite => true,
                UserPowerLevel::Int(level) => i64::from(level) >= self.moderator_level,
                _ => false,
            },
            _ => false,
        }
    }

    /// Remembers the rooms joined now, after a sync.
    fn note_rooms(&self, client: &Client) {
        let rooms: HashSet<OwnedRoomId> = client
            .joined_rooms()
            .iter()
            .map(|r| r.room_id().to_owned())
            .collect();
        *self.known_rooms.write().unwrap_or_else(|p| p.into_inner()) = rooms;
    }
}

/// Runs the adapter until the service's shutdown token is cancelled.
pub async fn run(settings: MatrixSettings, service: Service) -> Result<(), MatrixError> {
    let shutdown = service.shutdown.clone();
    let health = Arc::clone(&service.health);
    // Held, not dropped, until this run ends: while it is held no other process (and no
    // other adapter in this one) can open the store; a restart takes it again.
    let (client, _store_lock) = session::connect(&settings).await?;
    let user_id = client
        .user_id()
        .ok_or(MatrixError::Setup("no user id after login"))?
        .to_owned();
    let display_name = client.account().get_display_name().await.ok().flatten();
    let welcomes = welcome::greeter(&settings, &service);
    let adapter = Arc::new(Adapter {
        core: service.core,
        intake: service.intake,
        user_id,
        display_name,
        allowed_inviters: settings.allowed_inviters.clone(),
        moderator_level: service.moderators.matrix_power_level,
        moderator_rooms: service.moderators.matrix_rooms.clone(),
        live: AtomicBool::new(false),
        known_rooms: RwLock::new(HashSet::new()),
        answered: RecentIds::new(REMEMBERED, REMEMBERED_FOR),
        answer_owners: RecentMap::new(remove::ANSWERS_REMEMBERED, remove::ANSWERS_REMEMBERED_FOR),
        menus: menus::Menus::default(),
        direct_chats: tokio::sync::Mutex::new(HashMap::new()),
        welcomes,
        welcome_rooms: settings.welcome.places.clone(),
        rendered: RenderCache::default(),
        spaces: Arc::default(),
    });
    welcome::listen(&client, &adapter);
    adapter.spaces.listen(&client);

    let on_invite = Arc::clone(&adapter);
    client.add_event_handler(move |event: StrippedRoomMemberEvent, room: Room| {
        let adapter = Arc::clone(&on_invite);
        async move { adapter.on_invite(event, room) }
    });
    let on_reaction = Arc::clone(&adapter);
    client.add_event_handler(move |event: OriginalSyncReactionEvent, room: Room| {
        let adapter = Arc::clone(&on_reaction);
        async move { adapter.on_reaction(event, room).await }
    });
    let on_message = Arc::clone(&adapter);
    client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
        let adapter = Arc::clone(&on_message);
        async move { adapter.on_message(event, room).await }
    });

    let own = &adapter.user_id;
    let live_filter = filter::live(&client, own, &shutdown).await;
    // Catch up without answering: anything in this first sync happened before we started.
    let history = filter::catch_up(own);
    // A bot has no presence worth showing; syncing as offline spares the server presence updates.
    let base = SyncSettings::default().set_presence(PresenceState::Offline);
    let catch_up = base.clone().filter(history).timeout(Duration::ZERO);
    if !sync_until_ok(&client, catch_up, &shutdown).await {
        return Ok(());
    }
    adapter.note_rooms(&client);
    adapter.live.store(true, Ordering::SeqCst);
    health.up("matrix");
    tracing::info!(adapter = "matrix", "live");
    let settings = base.filter(live_filter).timeout(LONG_POLL);
    while sync_until_ok(&client, settings.clone(), &shutdown).await {
        adapter.note_rooms(&client);
    }
    tracing::info!(adapter = "matrix", "stopped");
    Ok(())
}

/// One successful `sync_once`, retrying with capped exponential back-off (or the server's
/// `retry_after_ms`). Returns false when shut down.
async fn sync_until_ok(
    client: &Client,
    settings: SyncSettings,
    shutdown: &CancellationToken,
) -> bool {
    let mut backoff = Backoff::new(FIRST_BACKOFF, MAX_BACKOFF);
    loop {
        let result = tokio::select! {
            () = shutdown.cancelled() => return false,
            result = client.sync_once(settings.clone()) => result,
        };
        match result {
            Ok(_) => return true,
            Err(e) => {
                let wait = backoff.after(retry_after(&e));
                tracing::warn!(
                    adapter = "matrix",
                    wait_ms = wait.as_millis() as u64,
                    "sync failed: {e}"
                );
                tokio::select! {
                    () = shutdown.cancelled() => return false,
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
}

fn retry_after(e: &matrix_sdk::Error) -> Option<Duration> {
    send::rate_limit_wait(e.client_api_error_kind())
}

impl Adapter {
    fn on_invite(self: Arc<Self>, event: StrippedRoomMemberEvent, room: Room) {
        if event.state_key != self.user_id || event.content.membership != MembershipState::Invite {
            return;
        }
        if !text::inviter_allowed(event.sender.as_str(), &self.allowed_inviters) {
            tracing::info!(adapter = "matrix", outcome = "invite-refused", "invite");
            return;
        }
        // Join in the background: joining right after the invite can race the server.
        tokio::spawn(async move {
            let mut backoff = Backoff::new(FIRST_BACKOFF, MAX_BACKOFF);
            for _ in 0..8 {
                match room.join().await {
                    Ok(()) => {
                        tracing::info!(adapter = "matrix", outcome = "joined", "invite");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(adapter = "matrix", "join failed: {e}");
                        tokio::time::sleep(backoff.after(retry_after(&e))).await;
                    }
                }
            }
        });
    }

    async fn on_message(self: Arc<Self>, event: OriginalSyncRoomMessageEvent, room: Room) {
        if room.state() != RoomState::Joined {
            return;
        }
        let Some(said) = message::read(&event, &self.user_id, self.display_name.as_deref()) else {
            return;
        };
        if !self.is_new(&event, &room).await {
            return;
        }
        // Where a private answer may go rests on the room really being a direct chat; a
        // two-member room only spares the prefix.
        let direct = room.is_direct().await.unwrap_or(false);
        let members = room.joined_members_count();
        let mut incoming = message::incoming(said, &event, room.room_id(), direct, members);
        if let Some(space) = self.spaces.of(&room).await {
            incoming.community = Origin::Matrix.community(space.as_str());
        }
        // Read once: whether a power-level lookup is worth it, and where the answer goes.
        let command = self.core.command(&incoming);
        if command.is_some_and(|spec| spec.moderators) {
            incoming.moderator = self.moderates(&room, &event.sender).await;
        }
        let answers = message::answers(command.map(|spec| spec.name), &event);
        let picked = self.menus.answer(
            &self.core,
            room.room_id().as_str(),
            event.sender.as_str(),
            &incoming,
        );
        let Some(mut reply) = picked.or_else(|| self.core.handle(&incoming)) else {
            return;
        };
        menus::how_to_pick(&mut reply);
        // Waiting here holds up this sync's remaining events: back-pressure on the homeserver
        // instead of a queue of replies without bound.
        let Some(admission) = self.intake.wait_admit().await else {
            return;
        };
        if !self.answered.first_time(event.event_id.as_str()) {
            self.core.metrics().repeats.inc();
            return;
        }
        // Send in the background so the sync loop keeps receiving while replies go out.
        let intake = Arc::clone(&self.intake);
        intake.spawn(admission, async move {
            let target = answers.as_deref().unwrap_or(&event.event_id);
            if let Err(e) = self.deliver(&event, target, &room, &reply, direct).await {
                tracing::error!(adapter = "matrix", "reply failed: {e}");
            }
        });
    }

    /// Whether a message is new, decided by sync position rather than by the local clock.
    async fn is_new(&self, event: &OriginalSyncRoomMessageEvent, room: &Room) -> bool {
        let live = self.live.load(Ordering::SeqCst);
        let known = self
            .known_rooms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(room.room_id());
        let joined_at = if live && !known {
            room.get_member_no_sync(&self.user_id)
                .await
                .ok()
                .flatten()
                .and_then(|me| me.event().origin_server_ts())
        } else {
            None
        };
        text::is_new(
            live,
            known,
            event.origin_server_ts.get().into(),
            joined_at.map(|ts| ts.get().into()),
        )
    }

    /// The direct chat with `person`: one this process opened, else one the homeserver lists,
    /// else a new one; never two at once for one person.
    async fn direct_chat(
        &self,
        client: &Client,
        person: &OwnedUserId,
    ) -> Result<Room, matrix_sdk::Error> {
        let mut opened = self.direct_chats.lock().await;
        if let Some(room) = opened.get(person) {
            if room.state() != RoomState::Left {
                return Ok(room.clone());
            }
        }
        let room = match client.get_dm_room(person) {
            Some(room) => room,
            None => client.create_dm(person).await?,
        };
        opened.insert(person.clone(), room.clone());
        Ok(room)
    }

    fn contents(&self, reply: &Reply) -> Arc<Vec<MatrixContent>> {
        self.rendered.get_or_render(reply, to_contents)
    }

    async fn deliver(
        &self,
        event: &OriginalSyncRoomMessageEvent,
        target: &matrix_sdk::ruma::EventId,
        room: &Room,
        reply: &Reply,
        direct: bool,
    ) -> Result<(), matrix_sdk::Error> {
        let relation = message::relation(event, target);
        if reply.visibility == Visibility::Private && !direct {
            let dm = self.direct_chat(&room.client(), &event.sender).await?;
            send_all(&dm, &self.contents(reply), &Relation::None).await?;
            // A menu sent privately is answered by number in the direct chat.
            self.menus
                .offer(dm.room_id().as_str(), event.sender.as_str(), reply);
            let mut pointer = Reply::titled(SENT_PRIVATELY);
            pointer.visibility = Visibility::Public;
            send_all(room, &self.contents(&pointer), &relation).await?;
            return Ok(());
        }
        let sent = send_all(room, &self.contents(reply), &relation).await?;
        remove::note_answer(&self.answer_owners, &sent, event.sender.as_str());
        self.menus
            .offer(room.room_id().as_str(), event.sender.as_str(), reply);
        Ok(())
    }
}
