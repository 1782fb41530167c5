//! Matrix application-service mode (`matrix.mode = "appservice"`): the homeserver pushes
//! events to the bot's HTTP listener and the bot acts as its sender user with the `as_token`,
//! instead of logging in and syncing. These are the settings for it, and what the registration
//! the homeserver is given (`signpost matrix registration`) is made from.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::fields::secret;
use super::matrix::RawMatrix;
use super::welcome::{self, Welcome};
use super::{base_url, invalid, ConfigError};
use crate::secret::Secret;

/// How the Matrix adapter talks to the homeserver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixMode {
    /// Logs in as a user and syncs (matrix-sdk); the only mode that reads encrypted rooms.
    Client,
    /// An application service: the homeserver pushes transactions, no sync.
    Appservice,
}

/// The registration id when `matrix.appservice_id` is not set.
pub const DEFAULT_ID: &str = "signpost";

/// Application-service settings, present when `matrix.mode = "appservice"` and a homeserver
/// is configured.
#[derive(Debug, Clone, PartialEq)]
pub struct AppserviceSettings {
    /// Homeserver base URL, for the client-server API calls the bot makes.
    pub homeserver: url::Url,
    /// The bot's sender user, a full user id (`@signpost:example.org`).
    pub user: String,
    /// The token the bot sends to the homeserver (it acts as the sender user with it).
    pub as_token: Secret,
    /// The token the homeserver sends with every transaction; anything else is refused.
    pub hs_token: Secret,
    /// The registration's id, unique on the homeserver.
    pub id: String,
    /// Where the homeserver reaches the bot's listener (the registration's `url`).
    pub url: url::Url,
    /// Users (`@name:server`) or servers (`server`) whose invites are accepted; empty accepts all.
    pub allowed_inviters: Vec<String>,
    /// Rooms whose newcomers are welcomed (`matrix.welcome_rooms`, as in client mode).
    pub welcome: Welcome<String>,
}

impl AppserviceSettings {
    /// The sender user's localpart (`signpost` of `@signpost:example.org`).
    pub fn localpart(&self) -> &str {
        split_user_id(&self.user).map_or("", |(local, _)| local)
    }

    /// The sender user's server name (`example.org` of `@signpost:example.org`).
    pub fn server_name(&self) -> &str {
        split_user_id(&self.user).map_or("", |(_, server)| server)
    }
}

/// `(localpart, server)` of a well-formed user id: `@`, a localpart of the characters the
/// spec allows, `:`, and a non-empty server name without spaces.
fn split_user_id(id: &str) -> Option<(&str, &str)> {
    let (local, server) = id.strip_prefix('@')?.split_once(':')?;
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._=-/+".contains(c));
    let server_ok = !server.is_empty() && !server.chars().any(|c| c.is_whitespace() || c == '/');
    (local_ok && server_ok).then_some((local, server))
}

/// The mode `matrix.mode` names (client when unset).
pub(super) fn mode(raw: &RawMatrix) -> Result<MatrixMode, ConfigError> {
    match raw.mode.as_deref().map(str::trim).unwrap_or("client") {
        "" | "client" => Ok(MatrixMode::Client),
        "appservice" => Ok(MatrixMode::Appservice),
        other => Err(invalid(
            "matrix.mode",
            other,
            "must be \"client\" or \"appservice\"",
        )),
    }
}

/// Appservice mode's settings; `listen` (`http.listen`) gives the registration's default URL.
pub(super) fn appservice(
    raw: RawMatrix,
    listen: SocketAddr,
    interval: std::time::Duration,
) -> Result<Option<AppserviceSettings>, ConfigError> {
    refuse_client_settings(&raw)?;
    let Some(homeserver) = base_url("matrix.homeserver", raw.homeserver)? else {
        return Err(invalid(
            "matrix.homeserver",
            "",
            "is required with matrix.mode = \"appservice\"",
        ));
    };
    let user = raw.user.map(|u| u.trim().to_string()).unwrap_or_default();
    if split_user_id(&user).is_none() {
        return Err(invalid(
            "matrix.user",
            user,
            "must be the sender's full user id (@signpost:example.org) in appservice mode",
        ));
    }
    let (as_token, hs_token) = tokens(
        raw.as_token,
        raw.as_token_file,
        raw.hs_token,
        raw.hs_token_file,
    )?;
    let id = appservice_id(raw.appservice_id)?;
    let url = match base_url("matrix.appservice_url", raw.appservice_url)? {
        Some(url) => url,
        None => default_url(listen),
    };
    Ok(Some(AppserviceSettings {
        homeserver,
        user,
        as_token,
        hs_token,
        id,
        url,
        allowed_inviters: raw.allowed_inviters,
        welcome: welcome::matrix(&raw.welcome_rooms, interval)?,
    }))
}

/// Client mode's settings, refused in appservice mode rather than silently ignored.
fn refuse_client_settings(raw: &RawMatrix) -> Result<(), ConfigError> {
    for (key, set) in [
        (
            "matrix.password",
            raw.password.is_some() || raw.password_file.is_some(),
        ),
        (
            "matrix.access_token",
            raw.access_token.is_some() || raw.access_token_file.is_some(),
        ),
    ] {
        if set {
            return Err(invalid(
                key,
                "***",
                "is for client mode; appservice mode uses matrix.as_token",
            ));
        }
    }
    Ok(())
}

/// `as_token` and `hs_token`: both required, different, and fit for YAML and a header as
/// they are.
fn tokens(
    as_token: Option<Secret>,
    as_token_file: Option<PathBuf>,
    hs_token: Option<Secret>,
    hs_token_file: Option<PathBuf>,
) -> Result<(Secret, Secret), ConfigError> {
    let required = |key, value: Option<Secret>| {
        value.ok_or_else(|| invalid(key, "", "is required with matrix.mode = \"appservice\""))
    };
    let as_token = required(
        "matrix.as_token",
        secret("matrix.as_token", as_token, as_token_file)?,
    )?;
    let hs_token = required(
        "matrix.hs_token",
        secret("matrix.hs_token", hs_token, hs_token_file)?,
    )?;
    if as_token == hs_token {
        return Err(invalid(
            "matrix.hs_token",
            "***",
            "must differ from matrix.as_token (each proves a different side)",
        ));
    }
    for (key, token) in [
        ("matrix.as_token", &as_token),
        ("matrix.hs_token", &hs_token),
    ] {
        // Both go into YAML and an HTTP header as they are.
        if token
            .expose()
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(invalid(
                key,
                "***",
                "must not contain spaces or control characters",
            ));
        }
    }
    Ok((as_token, hs_token))
}

/// The registration's id: as set, or the default; letters, digits, `.`, `_` and `-` only.
fn appservice_id(raw: Option<String>) -> Result<String, ConfigError> {
    let id = raw
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| DEFAULT_ID.to_string());
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(invalid(
            "matrix.appservice_id",
            id,
            "must be letters, digits, '.', '_' or '-'",
        ));
    }
    Ok(id)
}

/// `http://` + the listener's address, with an unspecified address (`0.0.0.0`) read as this
/// host; behind a proxy or in containers, set `matrix.appservice_url` instead.
fn default_url(listen: SocketAddr) -> url::Url {
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    url::Url::parse(&format!("http://{addr}")).expect("a socket address makes a URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// User ids are split only when well formed.
    #[test]
    fn user_ids_are_checked() {
        assert_eq!(
            split_user_id("@signpost:example.org"),
            Some(("signpost", "example.org"))
        );
        assert_eq!(
            split_user_id("@bot:localhost:8448"),
            Some(("bot", "localhost:8448"))
        );
        for bad in [
            "signpost",
            "@:example.org",
            "@Sign:example.org",
            "@a b:x",
            "@a:",
        ] {
            assert_eq!(split_user_id(bad), None, "{bad}");
        }
    }

    /// The default URL is the listener's, with 0.0.0.0 read as this host.
    #[test]
    fn default_url_follows_the_listener() {
        let url = default_url("0.0.0.0:8080".parse().unwrap());
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/");
        let url = default_url("10.0.0.5:9000".parse().unwrap());
        assert_eq!(url.as_str(), "http://10.0.0.5:9000/");
    }
}
