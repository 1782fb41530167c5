//! The Matrix adapter, on matrix-sdk: logs in once and keeps its device, joins rooms it is invited
//! to (from allowed inviters), answers `!` commands and mentions in rooms and direct chats,
//! encrypted or not, with `m.notice` replies, and never answers history or the same event twice.
//!
//! It drives its own long-poll loop with `sync_once` instead of `Client::sync`, because the SDK's
//! loop sleeps a full second after any sync that returned within a second, which would delay
//! every reply in a busy room; here the only waits are back-offs after errors.

mod send;
mod session;
pub mod text;

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::filter::{
    Filter as PresenceFilter, FilterDefinition, LazyLoadOptions, RoomEventFilter, RoomFilter,
};
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation as MessageRelation,
};
use matrix_sdk::ruma::presence::PresenceState;
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, OwnedEventId, OwnedUserId, UInt};
use matrix_sdk::{Client, Room, RoomState};
use tokio_util::sync::CancellationToken;

use self::send::{send_all, Relation};
use crate::bot::{Incoming, Signpost};
use crate::command::Origin;
use crate::config::MatrixSettings;
use crate::render::matrix::to_contents;
use crate::reply::{Reply, Visibility, SENT_PRIVATELY};

/// Why the Matrix adapter stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// The client could not be built (bad homeserver URL, store could not open).
    #[error("matrix: cannot set up the client: {0}")]
    Client(String),
    /// The store directory could not be created or written.
    #[error("matrix: store {}: {source}", path.display())]
    Store {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The saved session file is unreadable.
    #[error("matrix: session file {}: {problem}", path.display())]
    Session {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The homeserver refused the login or the saved session.
    #[error("matrix: login failed: {0}")]
    Login(String),
}

/// The longest wait between retries when the homeserver is failing.
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How long one long-poll waits on the server for new events.
const LONG_POLL: Duration = Duration::from_secs(30);
/// How many answered event ids are remembered to avoid answering one twice.
const REMEMBERED: usize = 4096;
/// Timeline events per room per sync: large enough that a burst of commands arrives whole
/// (a small limit gives `limited` timelines and silently skips commands).
const TIMELINE_LIMIT: u32 = 500;

/// State shared by the event handlers.
struct Adapter {
    core: Arc<Signpost>,
    user_id: OwnedUserId,
    display_name: Option<String>,
    allowed_inviters: Vec<String>,
    /// Set after the catch-up sync: messages seen before it are history and get no reply.
    live: AtomicBool,
    started: MilliSecondsSinceUnixEpoch,
    answered: Mutex<(HashSet<OwnedEventId>, VecDeque<OwnedEventId>)>,
}

impl Adapter {
    /// Remembers `event`; false if it was already answered.
    fn first_time(&self, event: &OwnedEventId) -> bool {
        let mut guard = self.answered.lock().unwrap_or_else(|p| p.into_inner());
        let (seen, order) = &mut *guard;
        if !seen.insert(event.clone()) {
            return false;
        }
        order.push_back(event.clone());
        if order.len() > REMEMBERED {
            if let Some(old) = order.pop_front() {
                seen.remove(&old);
            }
        }
        true
    }
}

/// Runs the adapter until `shutdown` is cancelled.
pub async fn run(
    settings: MatrixSettings,
    core: Arc<Signpost>,
    shutdown: CancellationToken,
) -> Result<(), MatrixError> {
    let client = session::connect(&settings).await?;
    let user_id = client
        .user_id()
        .ok_or_else(|| MatrixError::Login("no user id after login".into()))?
        .to_owned();
    let display_name = client.account().get_display_name().await.ok().flatten();
    let adapter = Arc::new(Adapter {
        core,
        user_id,
        display_name,
        allowed_inviters: settings.allowed_inviters.clone(),
        live: AtomicBool::new(false),
        started: MilliSecondsSinceUnixEpoch::now(),
        answered: Mutex::new((HashSet::new(), VecDeque::new())),
    });

    let on_invite = Arc::clone(&adapter);
    client.add_event_handler(move |event: StrippedRoomMemberEvent, room: Room| {
        let adapter = Arc::clone(&on_invite);
        async move { adapter.on_invite(event, room) }
    });
    let on_message = Arc::clone(&adapter);
    client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
        let adapter = Arc::clone(&on_message);
        async move { adapter.on_message(event, room).await }
    });

    let filter = Filter::FilterId(upload_filter(&client, &adapter.user_id, &shutdown).await);
    // Catch up without answering: anything in this first sync happened before we started.
    // A bot has no presence worth showing; syncing as offline spares the server presence updates.
    let base = SyncSettings::default()
        .filter(filter)
        .set_presence(PresenceState::Offline);
    let catch_up = base.clone().timeout(Duration::ZERO);
    if !sync_until_ok(&client, catch_up, &shutdown).await {
        return Ok(());
    }
    adapter.live.store(true, Ordering::SeqCst);
    tracing::info!(adapter = "matrix", "live");
    let settings = base.timeout(LONG_POLL);
    while sync_until_ok(&client, settings.clone(), &shutdown).await {}
    tracing::info!(adapter = "matrix", "stopped");
    Ok(())
}

/// Our sync filter: a generous timeline limit, lazy-loaded members, and nothing the bot never
/// reads (its own messages, typing and receipts, presence), so each sync carries and stores as
/// little as possible.
fn filter_definition(own: &OwnedUserId) -> FilterDefinition {
    let mut timeline = RoomEventFilter::default();
    timeline.limit = Some(UInt::from(TIMELINE_LIMIT));
    timeline.not_senders = vec![own.clone()];
    let mut state = RoomEventFilter::default();
    state.lazy_load_options = LazyLoadOptions::Enabled {
        include_redundant_members: false,
    };
    let mut room = RoomFilter::default();
    room.timeline = timeline;
    room.state = state;
    room.ephemeral = RoomEventFilter::ignore_all();
    room.account_data = RoomEventFilter::ignore_all();
    let mut filter = FilterDefinition::default();
    filter.room = room;
    filter.presence = PresenceFilter::ignore_all();
    filter
}

async fn upload_filter(client: &Client, own: &OwnedUserId, shutdown: &CancellationToken) -> String {
    let mut backoff = Backoff::new();
    loop {
        // The name is the cache key in the store: change it whenever the definition changes.
        let uploaded = client
            .get_or_upload_filter("signpost-v2", filter_definition(own))
            .await;
        match uploaded {
            Ok(id) => return id,
            Err(e) => {
                tracing::warn!(adapter = "matrix", "filter upload failed: {e}");
                let wait = backoff.after(retry_after(&e));
                tokio::select! {
                    () = shutdown.cancelled() => return String::new(),
                    () = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
}

/// One successful `sync_once`, retrying with capped exponential back-off (or the server's
/// `retry_after_ms`). Returns false when shut down.
async fn sync_until_ok(
    client: &Client,
    settings: SyncSettings,
    shutdown: &CancellationToken,
) -> bool {
    let mut backoff = Backoff::new();
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
    match e.client_api_error_kind() {
        Some(ErrorKind::LimitExceeded(data)) => match &data.retry_after {
            Some(RetryAfter::Delay(d)) => Some(*d),
            _ => None,
        },
        _ => None,
    }
}

/// Capped exponential back-off starting at 200 ms.
struct Backoff(Duration);

impl Backoff {
    fn new() -> Backoff {
        Backoff(Duration::from_millis(200))
    }
    /// The next wait: the server's request if it made one, else the next step.
    fn after(&mut self, requested: Option<Duration>) -> Duration {
        let wait = requested.unwrap_or(self.0);
        self.0 = (self.0 * 2).min(MAX_BACKOFF);
        wait.min(Duration::from_secs(300))
    }
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
            let mut backoff = Backoff::new();
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
        if !self.live.load(Ordering::SeqCst)
            || event.sender == self.user_id
            || event.origin_server_ts < self.started
            || room.state() != RoomState::Joined
        {
            return;
        }
        // Bots answer text only: never notices (other bots), emotes or media; and never edits.
        let MessageType::Text(text) = &event.content.msgtype else {
            return;
        };
        if matches!(
            event.content.relates_to,
            Some(MessageRelation::Replacement(_))
        ) {
            return;
        }
        let body = text::strip_reply_fallback(&text.body);
        let mentioned = event
            .content
            .mentions
            .as_ref()
            .is_some_and(|m| m.user_ids.contains(&self.user_id));
        let (body, named) =
            match text::strip_mention(body, self.user_id.as_str(), self.display_name.as_deref()) {
                Some(rest) => (rest, true),
                None => (body, false),
            };
        let direct = room.is_direct().await.unwrap_or(false) || room.joined_members_count() <= 2;
        let incoming = Incoming {
            text: body.to_string(),
            origin: Origin::Matrix,
            addressed: mentioned || named || direct,
            from_bot: false,
            command_prefix: None,
        };
        let Some(reply) = self.core.handle(&incoming) else {
            return;
        };
        if !self.first_time(&event.event_id) {
            return;
        }
        // Send in the background so the sync loop keeps receiving while replies go out.
        tokio::spawn(async move {
            if let Err(e) = self.deliver(&event, &room, &reply, direct).await {
                tracing::error!(adapter = "matrix", "reply failed: {e}");
            }
        });
    }

    async fn deliver(
        &self,
        event: &OriginalSyncRoomMessageEvent,
        room: &Room,
        reply: &Reply,
        direct: bool,
    ) -> Result<(), matrix_sdk::Error> {
        let relation = match &event.content.relates_to {
            Some(MessageRelation::Thread(thread)) => Relation::InThread {
                root: &thread.event_id,
                event: &event.event_id,
            },
            _ => Relation::Reply(&event.event_id),
        };
        if reply.visibility == Visibility::Private && !direct {
            let client = room.client();
            let dm = match client.get_dm_room(&event.sender) {
                Some(dm) => dm,
                None => client.create_dm(&event.sender).await?,
            };
            send_all(&dm, &to_contents(reply), &Relation::None).await?;
            let mut pointer = Reply::titled(SENT_PRIVATELY);
            pointer.visibility = Visibility::Public;
            send_all(room, &to_contents(&pointer), &relation).await?;
            return Ok(());
        }
        send_all(room, &to_contents(reply), &relation).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Back-off doubles from 200 ms up to its cap, and a server's `retry_after_ms` wins.
    #[test]
    fn backoff_doubles_caps_and_obeys_the_server() {
        let mut b = Backoff::new();
        let waits: Vec<u128> = (0..8).map(|_| b.after(None).as_millis()).collect();
        assert_eq!(
            waits,
            vec![200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000]
        );
        assert_eq!(
            b.after(Some(Duration::from_millis(1_234))),
            Duration::from_millis(1_234)
        );
        assert_eq!(
            b.after(Some(Duration::from_secs(3_600))),
            Duration::from_secs(300),
            "an absurd request is capped"
        );
    }

    /// The sync filter drops the bot's own events, typing, receipts and presence, and keeps a
    /// timeline long enough for bursts.
    #[test]
    fn filter_keeps_only_what_the_bot_reads() {
        let own: OwnedUserId = "@signpost:localhost".parse().expect("user id");
        let f = filter_definition(&own);
        assert_eq!(f.room.timeline.not_senders, vec![own]);
        assert_eq!(f.room.timeline.limit, Some(UInt::from(TIMELINE_LIMIT)));
        assert_eq!(f.room.ephemeral.types, Some(vec![]));
        assert_eq!(f.presence.types, Some(vec![]));
    }
}
