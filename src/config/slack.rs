//! The `[slack]` section: its raw shape and the validation that turns it into settings the Slack
//! adapter can start with. Slack is configured when its bot token is present.

use std::path::PathBuf;

use serde::Deserialize;

use super::fields::secret;
use super::welcome::{self, Welcome};
use super::{base_url, invalid, ConfigError};
use crate::secret::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlack {
    pub(super) bot_token: Option<Secret>,
    pub(super) bot_token_file: Option<PathBuf>,
    pub(super) signing_secret: Option<Secret>,
    pub(super) signing_secret_file: Option<PathBuf>,
    pub(super) app_token: Option<Secret>,
    pub(super) app_token_file: Option<PathBuf>,
    pub(super) mode: Option<String>,
    pub(super) api_base: Option<String>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) moderators: Vec<String>,
    #[serde(default, deserialize_with = "super::fields::list")]
    pub(super) welcome_channels: Vec<String>,
}

/// How the Slack adapter receives events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlackMode {
    /// Slash commands and the Events API over HTTP, on the shared listener.
    Http,
    /// Socket Mode: a websocket opened with the app-level token.
    Socket,
}

/// Slack settings, present when Slack credentials are configured.
#[derive(Debug, Clone, PartialEq)]
pub struct SlackSettings {
    /// Bot token (`xoxb-…`) for the Web API.
    pub bot_token: Secret,
    /// Signing secret for verifying HTTP requests (required in HTTP mode).
    pub signing_secret: Option<Secret>,
    /// App-level token (`xapp-…`) for Socket Mode.
    pub app_token: Option<Secret>,
    /// HTTP or Socket Mode.
    pub mode: SlackMode,
    /// Web API base URL; only set for local test peers.
    pub api_base: Option<url::Url>,
    /// Channels whose newcomers get a private welcome.
    pub welcome: Welcome<String>,
}

pub(super) fn slack(
    raw: RawSlack,
    interval: std::time::Duration,
) -> Result<Option<SlackSettings>, ConfigError> {
    let (bot_token, signing_secret, app_token) = (
        secret("slack.bot_token", raw.bot_token, raw.bot_token_file)?,
        secret(
            "slack.signing_secret",
            raw.signing_secret,
            raw.signing_secret_file,
        )?,
        secret("slack.app_token", raw.app_token, raw.app_token_file)?,
    );
    if bot_token.is_none() && signing_secret.is_none() && app_token.is_none() {
        return Ok(None);
    }
    let mode = match raw.mode.as_deref().unwrap_or("http") {
        "http" => SlackMode::Http,
        "socket" => SlackMode::Socket,
        other => {
            return Err(invalid(
                "slack.mode",
                other,
                "must be \"http\" or \"socket\"",
            ))
        }
    };
    let Some(bot_token) = bot_token else {
        return Err(invalid(
            "slack.bot_token",
            "",
            "is required when Slack is configured",
        ));
    };
    match mode {
        SlackMode::Http if signing_secret.is_none() => {
            return Err(invalid(
                "slack.signing_secret",
                "",
                "is required in http mode",
            ));
        }
        SlackMode::Socket if app_token.is_none() => {
            return Err(invalid(
                "slack.app_token",
                "",
                "is required in socket mode (an xapp- token)",
            ));
        }
        _ => {}
    }
    Ok(Some(SlackSettings {
        bot_token,
        signing_secret,
        app_token,
        mode,
        api_base: base_url("slack.api_base", raw.api_base)?,
        welcome: welcome::slack(&raw.welcome_channels, interval)?,
    }))
}
