//! Signpost in Matrix appservice mode against a real Synapse that has its registration: the
//! bot's listener is bound on a free 127.0.0.1 port first, the registration
//! (`signpost matrix registration`'s YAML) points Synapse at it, and the bot keeps its
//! transaction ids in a SQLite file, so a restarted bot still knows them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use matrix_sdk::ruma::OwnedUserId;
use serde_json::Value;
use signpost::adapters::matrix::appservice::{self, registration, AppserviceError};
use signpost::config::{AppserviceSettings, Secret, StorageBackend, StorageSettings};
use signpost::Signpost;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::synapse::Synapse;

/// The token the bot sends to Synapse.
pub const AS_TOKEN: &str = "signpost-test-as-token";
/// The token Synapse sends with every push.
pub const HS_TOKEN: &str = "signpost-test-hs-token";
/// The bot's sender user's localpart.
pub const LOCALPART: &str = "signpost";

/// A Synapse with Signpost registered as an application service, and the bot serving.
pub struct AppserviceHome {
    /// The homeserver.
    pub synapse: Synapse,
    /// The bot's sender user.
    pub user_id: OwnedUserId,
    /// Where the bot listens.
    pub listen: SocketAddr,
    settings: AppserviceSettings,
    store: PathBuf,
    bot: Option<RunningAppservice>,
}

impl Drop for AppserviceHome {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("synapse's log:\n{}", self.synapse.log_tail());
        }
    }
}

struct RunningAppservice {
    core: Arc<Signpost>,
    claims: Arc<dyn signpost::adapters::seen::Claims>,
    shutdown: CancellationToken,
    task: JoinHandle<Result<(), AppserviceError>>,
}

impl AppserviceHome {
    /// Binds the bot's listener, starts Synapse with the registration, then the bot.
    pub async fn start(name: &str) -> AppserviceHome {
        // The bot's own log, when asked for (shown with a failing test's output).
        if std::env::var_os("SIGNPOST_TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("signpost=debug")
                .with_test_writer()
                .try_init();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the bot's listener");
        let listen = listener.local_addr().expect("address");
        let mut settings = AppserviceSettings {
            // Not in the registration; set once Synapse has its port.
            homeserver: "http://127.0.0.1:1".parse().expect("url"),
            user: format!("@{LOCALPART}:localhost"),
            as_token: Secret::new(AS_TOKEN),
            hs_token: Secret::new(HS_TOKEN),
            id: "signpost".into(),
            url: format!("http://{listen}").parse().expect("url"),
            allowed_inviters: Vec::new(),
            welcome: Default::default(),
        };
        let yaml = registration::to_yaml(&settings);
        let synapse = tokio::task::spawn_blocking(move || Synapse::start_with_appservice(&yaml))
            .await
            .expect("synapse started");
        settings.homeserver = synapse.url.parse().expect("url");
        let store = super::temp_dir(name).join("signpost.db");
        let mut home = AppserviceHome {
            synapse,
            user_id: settings.user.parse().expect("user id"),
            listen,
            settings,
            store,
            bot: None,
        };
        home.serve(listener);
        home
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let storage = StorageSettings::new(StorageBackend::Sqlite(self.store.clone()));
        let store = signpost::store::open(&storage)
            .expect("store")
            .expect("a store");
        let core = Arc::new(signpost::store::wire(
            Signpost::new(super::index_owned(), "!"),
            &store,
            false,
        ));
        let mut service = signpost::adapters::Service::new(Arc::clone(&core), Default::default());
        let claims = signpost::store::Parts::of(&store).claims;
        service.claims = Some(Arc::clone(&claims));
        let shutdown = service.shutdown.clone();
        let task = tokio::spawn(appservice::serve(listener, self.settings.clone(), service));
        self.bot = Some(RunningAppservice {
            core,
            claims,
            shutdown,
            task,
        });
    }

    /// The running bot's core (its metrics).
    pub fn core(&self) -> Arc<Signpost> {
        Arc::clone(&self.bot.as_ref().expect("the bot is running").core)
    }

    /// The transaction ids the running bot has recorded in its store so far.
    pub fn recorded(&self) -> Vec<String> {
        let claims = &self.bot.as_ref().expect("the bot is running").claims;
        let prefix = format!("{}:", appservice::transaction_scope(&self.settings.id));
        let now = signpost::records::now_ms();
        let keys = claims
            .claimed_under(&prefix, now, 10_000)
            .expect("the store answers");
        keys.iter()
            .map(|key| key.strip_prefix(&prefix).unwrap_or(key).to_string())
            .collect()
    }

    /// Stops the bot and starts a new one on the same port with the same store, with its
    /// settings changed by `change` (rooms to welcome in, say, once they exist).
    pub async fn restart_bot_with(&mut self, change: impl FnOnce(&mut AppserviceSettings)) {
        change(&mut self.settings);
        self.restart_bot().await;
    }

    /// Stops the bot and starts a new one on the same port with the same store.
    pub async fn restart_bot(&mut self) {
        self.stop_bot().await;
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .expect("bind the same port again");
        self.serve(listener);
    }

    /// Stops the bot, asserting it stopped cleanly.
    pub async fn stop_bot(&mut self) {
        let Some(bot) = self.bot.take() else { return };
        bot.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(10), bot.task)
            .await
            .expect("the bot stops")
            .expect("no panic")
            .expect("clean stop");
    }

    /// Pushes a transaction to the bot as the homeserver would, with `token` as the bearer
    /// token (none when `None`); the status and the JSON answer.
    pub async fn push(
        &self,
        txn_id: &str,
        events: Vec<Value>,
        token: Option<&str>,
    ) -> (u16, Value) {
        let client = reqwest::Client::new();
        let mut request = client
            .put(format!(
                "http://{}/_matrix/app/v1/transactions/{txn_id}",
                self.listen
            ))
            .json(&serde_json::json!({ "events": events }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the bot answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}
