//! Building the Matrix client and logging in once: the session (user, device id, tokens) is
//! saved beside the sqlite store, so a restart reuses the same device and its crypto keys
//! instead of creating a new device every time. The store directory is locked first and the
//! client built without sliding sync, the patched crypto crate's two conditions
//! ([`super::invariants`]).

use std::path::{Path, PathBuf};

use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::authentication::SessionTokens;
use matrix_sdk::cross_process_lock::CrossProcessLockConfig;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::store::StoreConfig;
use matrix_sdk::{Client, ClientBuilder, SessionMeta, SqliteCryptoStore, SqliteStoreConfig};

use super::invariants::{self, StoreLock};
use super::MatrixError;
use crate::config::{MatrixLogin, MatrixSettings};

const SESSION_FILE: &str = "session.json";
/// The SDK's SQLite stores this bot no longer keeps on disk (room state, the event cache and
/// media now live in memory), as earlier versions left them in `store/`: removed on start, so
/// they neither take disk space nor look like state that still matters.
const RETIRED_STORES: [&str; 3] = [
    "matrix-sdk-state.sqlite3",
    "matrix-sdk-event-cache.sqlite3",
    "matrix-sdk-media.sqlite3",
];
const DEVICE_NAME: &str = "Signpost bot";

fn session_path(store_dir: &Path) -> PathBuf {
    store_dir.join(SESSION_FILE)
}

/// The folder the SDK's SQLite stores live in, inside `matrix.store_dir`.
fn sdk_store_path(store_dir: &Path) -> PathBuf {
    store_dir.join("store")
}

async fn new_client(settings: &MatrixSettings) -> Result<Client, MatrixError> {
    // Only the crypto store (the device's keys and Olm sessions) has to outlive the process; it
    // is SQLite, with the low-memory profile (one connection per core, small page caches).
    // Room state lives in memory: the SDK reads and writes it several times per sync (the sync
    // token, room info, the bot's own member event and power levels for push rules), which on
    // SQLite cost a query on a blocking thread each and a commit per sync. A restart then
    // starts from an initial sync, which the adapter treats as history anyway.
    let store = SqliteStoreConfig::with_low_memory_config(sdk_store_path(&settings.store_dir));
    super::sqlite::commit_without_flush();
    let crypto = SqliteCryptoStore::open_with_config(&store)
        .await
        .map_err(|e| MatrixError::Client(e.into()))?;
    // The Matrix adapter runs in one process per deployment and nothing else (no notification
    // service, as on a phone) opens this store, so the SDK's lock between processes is off;
    // the store lock taken in `connect` refuses a second process.
    let stores = StoreConfig::new(CrossProcessLockConfig::SingleProcess).crypto_store(crypto);
    let client = client_builder(settings.homeserver.as_str())
        .store_config(stores)
        .build()
        .await
        .map_err(MatrixError::Client)?;
    if let Some(version) = invariants::sliding_sync_in_use(&client) {
        return Err(MatrixError::SlidingSync {
            version: format!("{version:?}"),
        });
    }
    Ok(client)
}

/// The builder for the bot's client: one process (no lock between processes) and no sliding
/// sync, whose stored position the patched crypto crate does not keep (vendor/README.md).
fn client_builder(homeserver: &str) -> ClientBuilder {
    Client::builder()
        .homeserver_url(homeserver)
        .cross_process_store_config(CrossProcessLockConfig::SingleProcess)
        .sliding_sync_version_builder(invariants::SLIDING_SYNC)
}

/// Runs blocking file work on tokio's blocking threads, off the async workers.
async fn blocking<T: Send + 'static>(
    path: &Path,
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T, MatrixError> {
    let io = |source| MatrixError::Store {
        path: path.to_path_buf(),
        source,
    };
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|joined| io(std::io::Error::other(joined)))?
        .map_err(io)
}

/// Creates the store directory and makes it, and the session file if there is one, private
/// to the bot's user (0700 and 0600) on every start, whatever made them before; removes the
/// retired stores.
fn prepare_store(dir: &Path) -> std::io::Result<Option<String>> {
    std::fs::create_dir_all(dir)?;
    remove_retired_stores(&sdk_store_path(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let path = session_path(dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
            Ok(Some(text))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Removes [`RETIRED_STORES`] and their journal files from the SDK's store folder.
fn remove_retired_stores(store: &Path) -> std::io::Result<()> {
    for name in RETIRED_STORES {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let path = store.join(format!("{name}{suffix}"));
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    tracing::info!(adapter = "matrix", file = %path.display(), "removed a retired store")
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// Locks the store directory, then prepares it: `None` when another holder has the lock, in
/// which case nothing in the directory is touched.
fn lock_and_prepare(dir: &Path) -> std::io::Result<Option<(StoreLock, Option<String>)>> {
    std::fs::create_dir_all(dir)?;
    let Some(lock) = StoreLock::try_take(dir)? else {
        return Ok(None);
    };
    Ok(Some((lock, prepare_store(dir)?)))
}

/// A client with a live session: restored from the store when one was saved, else a fresh login,
/// and the store's lock, which the caller holds for as long as it uses the client.
pub async fn connect(settings: &MatrixSettings) -> Result<(Client, StoreLock), MatrixError> {
    let dir = settings.store_dir.clone();
    let (lock, saved) = blocking(&settings.store_dir, move || lock_and_prepare(&dir))
        .await?
        .ok_or_else(|| MatrixError::StoreInUse {
            dir: settings.store_dir.clone(),
        })?;
    let client = new_client(settings).await?;
    let path = session_path(&settings.store_dir);
    if let Some(text) = saved {
        let session: MatrixSession =
            serde_json::from_str(&text).map_err(|source| MatrixError::Session {
                path: path.clone(),
                source,
            })?;
        client
            .restore_session(session)
            .await
            .map_err(MatrixError::Login)?;
        tracing::info!(adapter = "matrix", "session restored");
        return Ok((client, lock));
    }
    let session = match &settings.login {
        MatrixLogin::Password(password) => {
            let response = client
                .matrix_auth()
                .login_username(&settings.user, password.expose())
                .initial_device_display_name(DEVICE_NAME)
                .send()
                .await
                .map_err(MatrixError::Login)?;
            MatrixSession {
                meta: SessionMeta {
                    user_id: response.user_id,
                    device_id: response.device_id,
                },
                tokens: SessionTokens {
                    access_token: response.access_token,
                    refresh_token: response.refresh_token,
                },
            }
        }
        MatrixLogin::AccessToken(token) => {
            let (user_id, device_id) = whoami(settings, token.expose()).await?;
            let session = MatrixSession {
                meta: SessionMeta { user_id, device_id },
                tokens: SessionTokens {
                    access_token: token.expose().to_string(),
                    refresh_token: None,
                },
            };
            client
                .restore_session(session.clone())
                .await
                .map_err(MatrixError::Login)?;
            session
        }
    };
    let text = serde_json::to_string(&session).map_err(|source| MatrixError::Session {
        path: path.clone(),
        source,
    })?;
    let file = path.clone();
    blocking(&path, move || save(&file, &text)).await?;
    tracing::info!(adapter = "matrix", "logged in and saved the session");
    Ok((client, lock))
}

/// Asks the homeserver who an access token belongs to, with a throwaway in-memory client, so the
/// real client's crypto store is opened for the right device from the start.
async fn whoami(
    settings: &MatrixSettings,
    token: &str,
) -> Result<(OwnedUserId, OwnedDeviceId), MatrixError> {
    let user_id: OwnedUserId = settings.user.parse().map_err(|_| {
        MatrixError::Setup(
            "with an access token, matrix.user must be a full user id (@name:server)",
        )
    })?;
    let probe = Client::builder()
        .homeserver_url(settings.homeserver.as_str())
        .build()
        .await
        .map_err(MatrixError::Client)?;
    probe
        .restore_session(MatrixSession {
            meta: SessionMeta {
                user_id,
                device_id: "SIGNPOSTPROBE".into(),
            },
            tokens: SessionTokens {
                access_token: token.to_string(),
                refresh_token: None,
            },
        })
        .await
        .map_err(MatrixError::Login)?;
    let me = probe
        .whoami()
        .await
        .map_err(|e| MatrixError::Login(e.into()))?;
    let device_id = me.device_id.ok_or(MatrixError::Setup(
        "the access token is not bound to a device",
    ))?;
    Ok((me.user_id, device_id))
}

/// Writes the session readable only by its owner: it holds the access token.
fn save(path: &Path, text: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        // `mode` applies only when the file is created.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(text.as_bytes())?;
    }
    #[cfg(not(unix))]
    std::fs::write(path, text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store directory and session file are made private on every start, even when they
    /// existed with looser modes.
    #[cfg(unix)]
    #[test]
    fn store_is_private_on_every_start() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("signpost-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = session_path(&dir);
        std::fs::write(&file, "{}").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(prepare_store(&dir).unwrap().as_deref(), Some("{}"));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&file), 0o600);
        save(&file, "{\"a\":1}").unwrap();
        assert_eq!(mode(&file), 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The bot's client cannot run sliding sync: building one fails, as the patched crypto
    /// crate requires (it does not store the position sliding sync reads back).
    #[tokio::test]
    async fn the_client_cannot_use_sliding_sync() {
        let client = client_builder("http://127.0.0.1:1")
            .build()
            .await
            .expect("client");
        assert!(invariants::sliding_sync_in_use(&client).is_none());
        // A sliding sync is only built for a signed-in client; nothing here reaches a server.
        client
            .restore_session(MatrixSession {
                meta: SessionMeta {
                    user_id: "@signpost:localhost".parse().expect("user id"),
                    device_id: "SIGNPOSTTEST".into(),
                },
                tokens: SessionTokens {
                    access_token: "token".into(),
                    refresh_token: None,
                },
            })
            .await
            .expect("session");
        let built = client
            .sliding_sync("signpost")
            .expect("builder")
            .build()
            .await;
        let error = built.expect_err("no sliding sync is built");
        assert!(
            matches!(
                &error,
                matrix_sdk::Error::SlidingSync(e)
                    if matches!(**e, matrix_sdk::sliding_sync::Error::VersionIsMissing)
            ),
            "{error}"
        );
    }

    /// A start removes the stores earlier versions kept on disk and their journals, and leaves
    /// the crypto store (the device's keys) and anything else in the folder alone.
    #[test]
    fn retired_stores_are_removed_and_the_crypto_store_kept() {
        let dir = std::env::temp_dir().join(format!("signpost-retired-{}", std::process::id()));
        let store = sdk_store_path(&dir);
        std::fs::create_dir_all(&store).unwrap();
        let kept = [
            "matrix-sdk-crypto.sqlite3",
            "matrix-sdk-crypto.sqlite3-wal",
            "notes.txt",
        ];
        let retired: Vec<String> = RETIRED_STORES
            .iter()
            .flat_map(|name| {
                [
                    name.to_string(),
                    format!("{name}-wal"),
                    format!("{name}-shm"),
                ]
            })
            .collect();
        for name in kept
            .iter()
            .map(|k| k.to_string())
            .chain(retired.iter().cloned())
        {
            std::fs::write(store.join(name), "x").unwrap();
        }
        assert_eq!(prepare_store(&dir).unwrap(), None);
        let mut left: Vec<String> = std::fs::read_dir(&store)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected: Vec<String> = kept.iter().map(|k| k.to_string()).collect();
        expected.sort();
        assert_eq!(left, expected);
        // A second start finds nothing to remove and does not fail.
        assert_eq!(prepare_store(&dir).unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
