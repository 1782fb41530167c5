//! Matrix test users (matrix-sdk clients with their own crypto stores) and a bot runner.

use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, UserId};
use matrix_sdk::{Client, Room, RoomMemberships};
use signpost::config::{MatrixLogin, MatrixSettings, Secret};
use signpost::Signpost;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::synapse::Synapse;

/// A unique name for a user or folder in this test process.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// A message someone saw: the room and the event.
pub type Seen = (OwnedRoomId, OriginalSyncRoomMessageEvent);

/// A person in the tests, syncing in the background.
pub struct TestUser {
    /// The client.
    pub client: Client,
    /// Messages this user has received, in order.
    pub messages: mpsc::UnboundedReceiver<Seen>,
    sync: JoinHandle<()>,
}

impl Drop for TestUser {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

impl TestUser {
    /// Registers and logs in a new user, then starts syncing.
    pub async fn new(synapse: &Synapse, prefix: &str) -> TestUser {
        let name = unique(prefix);
        synapse.register(&name, "password-1234");
        let client = Client::builder()
            .homeserver_url(&synapse.url)
            .sqlite_store(crate::support::temp_dir(&name), None)
            .build()
            .await
            .expect("client");
        client
            .matrix_auth()
            .login_username(&name, "password-1234")
            .send()
            .await
            .expect("login");
        let (tx, rx) = mpsc::unbounded_channel();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((room.room_id().to_owned(), event));
            }
        });
        client
            .sync_once(SyncSettings::default())
            .await
            .expect("first sync");
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            loop {
                if syncing
                    .sync_once(SyncSettings::default().timeout(Duration::from_secs(10)))
                    .await
                    .is_err()
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        });
        TestUser {
            client,
            messages: rx,
            sync,
        }
    }

    /// This user's id.
    pub fn id(&self) -> OwnedUserId {
        self.client.user_id().expect("logged in").to_owned()
    }

    /// Creates a room (encrypted or not) and invites `invite`.
    pub async fn create_room(&self, invite: &[&UserId], encrypted: bool) -> Room {
        let mut request = CreateRoom::new();
        request.invite = invite.iter().map(|u| (*u).to_owned()).collect();
        if encrypted {
            request.initial_state = vec![InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any()];
        }
        self.client.create_room(request).await.expect("create room")
    }

    /// A group room this user makes with `bot` invited and `other` in it, so it is not a direct
    /// chat. The bot joins by itself (when it runs): wait for it with [`Self::wait_for_member`].
    pub async fn create_group_room(&self, bot: &UserId, other: &TestUser) -> Room {
        let room = self.create_room(&[bot, &other.id()], false).await;
        other
            .client
            .join_room_by_id(room.room_id())
            .await
            .expect("the second person joins");
        room
    }

    /// Waits until `user` has joined `room`, as this user's client sees it.
    pub async fn wait_for_member(&self, room: &Room, user: &UserId) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::time::Instant::now() < deadline {
            if let Ok(members) = room.members(RoomMemberships::JOIN).await {
                if members.iter().any(|m| m.user_id() == user) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{user} never joined {}", room.room_id());
    }

    /// Sends a text message and returns its event id.
    pub async fn say(&self, room: &Room, text: &str) -> OwnedEventId {
        room.send(RoomMessageEventContent::text_plain(text))
            .await
            .expect("send")
            .response
            .event_id
    }

    /// The next message from `sender`, waiting at most `wait`.
    pub async fn next_from(&mut self, sender: &UserId, wait: Duration) -> Option<Seen> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.messages.recv()).await {
                Ok(Some(seen)) if seen.1.sender == sender => return Some(seen),
                Ok(Some(_)) => continue,
                _ => return None,
            }
        }
    }

    /// Every message from `sender` arriving within `wait`.
    pub async fn all_from(&mut self, sender: &UserId, wait: Duration) -> Vec<Seen> {
        let mut all = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Some(seen) = self
            .next_from(
                sender,
                deadline.saturating_duration_since(tokio::time::Instant::now()),
            )
            .await
        {
            all.push(seen);
        }
        all
    }
}

/// The bot's account and store, which outlive one run of the adapter.
pub struct BotAccount {
    /// Settings for the adapter.
    pub settings: MatrixSettings,
    /// Its user id.
    pub user_id: OwnedUserId,
}

impl BotAccount {
    /// Registers a bot user on `synapse` with a fresh store folder.
    pub fn new(synapse: &Synapse) -> BotAccount {
        let name = unique("signpost");
        synapse.register(&name, "bot-password-1234");
        BotAccount {
            settings: MatrixSettings {
                homeserver: synapse.url.parse().expect("url"),
                user: name.clone(),
                login: MatrixLogin::Password(Secret::new("bot-password-1234")),
                store_dir: crate::support::temp_dir(&format!("{name}-store")),
                allowed_inviters: Vec::new(),
                welcome: Default::default(),
            },
            user_id: format!("@{name}:localhost").parse().expect("user id"),
        }
    }

    /// Starts the adapter; stop it with [`RunningBot::stop`].
    pub async fn start(&self) -> RunningBot {
        self.start_with(|_| {}).await
    }

    /// [`BotAccount::start`] on a service the test adjusts (moderators).
    pub async fn start_with(
        &self,
        adjust: impl FnOnce(&mut signpost::adapters::Service),
    ) -> RunningBot {
        let core = Arc::new(Signpost::new(crate::support::index_owned(), "!"));
        let mut service = signpost::adapters::Service::new(core, Default::default());
        adjust(&mut service);
        let shutdown = service.shutdown.clone();
        let task = tokio::spawn(signpost::adapters::matrix::run(
            self.settings.clone(),
            service,
        ));
        RunningBot { shutdown, task }
    }

    /// The device id saved in the bot's session file.
    pub fn device_id(&self) -> String {
        let text = std::fs::read_to_string(self.settings.store_dir.join("session.json"))
            .expect("session saved");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        v["device_id"].as_str().expect("device id").to_string()
    }
}

/// A running adapter.
pub struct RunningBot {
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), signpost::adapters::matrix::MatrixError>>,
}

impl RunningBot {
    /// Whether the adapter task is still running.
    pub fn is_running(&self) -> bool {
        !self.task.is_finished()
    }

    /// Stops the adapter and waits for it, asserting it stopped cleanly.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let result = tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("adapter stops");
        result.expect("no panic").expect("clean stop");
    }
}
