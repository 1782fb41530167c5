//! Building the Matrix client and logging in once: the session (user, device id, tokens) is
//! saved beside the sqlite store, so a restart reuses the same device and its crypto keys
//! instead of creating a new device every time.

use std::path::{Path, PathBuf};

use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::authentication::SessionTokens;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use matrix_sdk::{Client, SessionMeta, SqliteStoreConfig};

use super::MatrixError;
use crate::config::{MatrixLogin, MatrixSettings};

const SESSION_FILE: &str = "session.json";
const DEVICE_NAME: &str = "Signpost bot";

fn session_path(store_dir: &Path) -> PathBuf {
    store_dir.join(SESSION_FILE)
}

async fn new_client(settings: &MatrixSettings) -> Result<Client, MatrixError> {
    // The low-memory profile (one connection per core, small page caches) is plenty for a bot
    // and keeps its resident memory down.
    let store = SqliteStoreConfig::with_low_memory_config(settings.store_dir.join("store"));
    Client::builder()
        .homeserver_url(settings.homeserver.as_str())
        .sqlite_store_with_config_and_cache_path(store, None::<PathBuf>)
        .build()
        .await
        .map_err(|e| MatrixError::Client(e.to_string()))
}

/// A client with a live session: restored from the store when one was saved, else a fresh login.
pub async fn connect(settings: &MatrixSettings) -> Result<Client, MatrixError> {
    std::fs::create_dir_all(&settings.store_dir).map_err(|source| MatrixError::Store {
        path: settings.store_dir.clone(),
        source,
    })?;
    let client = new_client(settings).await?;
    let path = session_path(&settings.store_dir);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let session: MatrixSession =
            serde_json::from_str(&text).map_err(|e| MatrixError::Session {
                path: path.clone(),
                problem: e.to_string(),
            })?;
        client
            .restore_session(session)
            .await
            .map_err(|e| MatrixError::Login(e.to_string()))?;
        tracing::info!(adapter = "matrix", "session restored");
        return Ok(client);
    }
    let session = match &settings.login {
        MatrixLogin::Password(password) => {
            let response = client
                .matrix_auth()
                .login_username(&settings.user, password.expose())
                .initial_device_display_name(DEVICE_NAME)
                .send()
                .await
                .map_err(|e| MatrixError::Login(e.to_string()))?;
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
                .map_err(|e| MatrixError::Login(e.to_string()))?;
            session
        }
    };
    save(&path, &session)?;
    tracing::info!(adapter = "matrix", "logged in and saved the session");
    Ok(client)
}

/// Asks the homeserver who an access token belongs to, with a throwaway in-memory client, so the
/// real client's crypto store is opened for the right device from the start.
async fn whoami(
    settings: &MatrixSettings,
    token: &str,
) -> Result<(OwnedUserId, OwnedDeviceId), MatrixError> {
    let user_id: OwnedUserId = settings.user.parse().map_err(|_| {
        MatrixError::Login(
            "with an access token, matrix.user must be a full user id (@name:server)".into(),
        )
    })?;
    let probe = Client::builder()
        .homeserver_url(settings.homeserver.as_str())
        .build()
        .await
        .map_err(|e| MatrixError::Client(e.to_string()))?;
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
        .map_err(|e| MatrixError::Login(e.to_string()))?;
    let me = probe
        .whoami()
        .await
        .map_err(|e| MatrixError::Login(e.to_string()))?;
    let device_id = me
        .device_id
        .ok_or_else(|| MatrixError::Login("the access token is not bound to a device".into()))?;
    Ok((me.user_id, device_id))
}

/// Writes the session readable only by its owner: it holds the access token.
fn save(path: &Path, session: &MatrixSession) -> Result<(), MatrixError> {
    let text = serde_json::to_string(session).map_err(|e| MatrixError::Session {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let io = |source| MatrixError::Store {
        path: path.to_path_buf(),
        source,
    };
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
    }
    #[cfg(not(unix))]
    std::fs::write(path, text).map_err(io)?;
    Ok(())
}
