//! The `[matrix]` section: its raw shape and the validation that turns it into settings the
//! Matrix adapter (client mode) can start with. Appservice mode's are in [`super::appservice`].

use std::path::PathBuf;

use serde::Deserialize;

use super::fields::secret;
use super::welcome::{self, Welcome};
use super::{base_url, invalid, ConfigError};
use crate::secret::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatrix {
    pub(super) homeserver: Option<String>,
    pub(super) user: Option<String>,
    pub(super) password: Option<Secret>,
    pub(super) password_file: Option<PathBuf>,
    pub(super) access_token: Option<Secret>,
    pub(super) access_token_file: Option<PathBuf>,
    pub(super) store_dir: Option<PathBuf>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) allowed_inviters: Vec<String>,
    pub(super) moderator_power_level: Option<i64>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) moderator_rooms: Vec<String>,
    // Application-service mode (see `super::appservice`).
    pub(super) mode: Option<String>,
    pub(super) as_token: Option<Secret>,
    pub(super) as_token_file: Option<PathBuf>,
    pub(super) hs_token: Option<Secret>,
    pub(super) hs_token_file: Option<PathBuf>,
    pub(super) appservice_id: Option<String>,
    pub(super) appservice_url: Option<String>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) welcome_rooms: Vec<String>,
}

/// How the Matrix adapter logs in.
#[derive(Debug, Clone, PartialEq)]
pub enum MatrixLogin {
    /// With a password (the session is then kept in the store).
    Password(Secret),
    /// With an existing access token.
    AccessToken(Secret),
}

/// Matrix settings, present when a homeserver is configured.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixSettings {
    /// Homeserver base URL (`http://` allowed for local servers).
    pub homeserver: url::Url,
    /// The bot's user id or localpart.
    pub user: String,
    /// How to log in.
    pub login: MatrixLogin,
    /// Where the state and crypto store (and the saved session) live.
    pub store_dir: PathBuf,
    /// Users (`@name:server`) or servers (`server`) whose invites are accepted; empty accepts all.
    pub allowed_inviters: Vec<String>,
    /// Rooms whose newcomers are welcomed.
    pub welcome: Welcome<String>,
}

/// Client mode's settings (`matrix.mode = "client"`, the default).
pub(super) fn matrix(
    raw: RawMatrix,
    interval: std::time::Duration,
) -> Result<Option<MatrixSettings>, ConfigError> {
    let Some(homeserver) = base_url("matrix.homeserver", raw.homeserver)? else {
        return Ok(None);
    };
    for (key, set) in [
        (
            "matrix.as_token",
            raw.as_token.is_some() || raw.as_token_file.is_some(),
        ),
        (
            "matrix.hs_token",
            raw.hs_token.is_some() || raw.hs_token_file.is_some(),
        ),
    ] {
        if set {
            return Err(invalid(
                key,
                "***",
                "is only used with matrix.mode = \"appservice\"",
            ));
        }
    }
    let user = raw.user.filter(|u| !u.trim().is_empty()).ok_or_else(|| {
        invalid(
            "matrix.user",
            "",
            "is required when matrix.homeserver is set",
        )
    })?;
    let access_token = secret(
        "matrix.access_token",
        raw.access_token,
        raw.access_token_file,
    )?;
    let password = secret("matrix.password", raw.password, raw.password_file)?;
    let login = match (access_token, password) {
        (Some(token), _) => MatrixLogin::AccessToken(token),
        (None, Some(password)) => MatrixLogin::Password(password),
        (None, None) => {
            return Err(invalid(
                "matrix.password",
                "",
                "or matrix.access_token is required",
            ));
        }
    };
    Ok(Some(MatrixSettings {
        homeserver,
        user,
        login,
        store_dir: raw
            .store_dir
            .unwrap_or_else(|| PathBuf::from("state/matrix")),
        allowed_inviters: raw.allowed_inviters,
        welcome: welcome::matrix(&raw.welcome_rooms, interval)?,
    }))
}
