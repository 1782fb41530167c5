//! Platform settings (Discord, Slack, Matrix): their raw TOML/environment shapes, and the
//! validation that turns them into settings an adapter can start with. A platform is configured
//! when its credentials are present; partial credentials are an error naming the missing key.

use std::path::PathBuf;

use serde::Deserialize;

use super::welcome::{self, Welcome, WelcomeChannel};
use super::{base_url, invalid, ConfigError};
pub use crate::secret::Secret;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSlack {
    bot_token: Option<Secret>,
    bot_token_file: Option<PathBuf>,
    signing_secret: Option<Secret>,
    signing_secret_file: Option<PathBuf>,
    app_token: Option<Secret>,
    app_token_file: Option<PathBuf>,
    mode: Option<String>,
    api_base: Option<String>,
    #[serde(default, deserialize_with = "list")]
    moderators: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    welcome_channels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    token: Option<Secret>,
    token_file: Option<PathBuf>,
    #[serde(default, deserialize_with = "list")]
    guild_ids: Vec<u64>,
    #[serde(default)]
    prefix_commands: bool,
    shards: Option<String>,
    api_base: Option<String>,
    #[serde(default, deserialize_with = "list")]
    moderator_roles: Vec<u64>,
    public_key: Option<String>,
    #[serde(default, deserialize_with = "list")]
    welcome_channels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatrix {
    pub(super) homeserver: Option<String>,
    pub(super) user: Option<String>,
    pub(super) password: Option<Secret>,
    pub(super) password_file: Option<PathBuf>,
    pub(super) access_token: Option<Secret>,
    pub(super) access_token_file: Option<PathBuf>,
    store_dir: Option<PathBuf>,
    #[serde(default, deserialize_with = "list")]
    pub(super) allowed_inviters: Vec<String>,
    moderator_power_level: Option<i64>,
    #[serde(default, deserialize_with = "list")]
    moderator_rooms: Vec<String>,
    // Application-service mode (see `super::appservice`).
    pub(super) mode: Option<String>,
    pub(super) as_token: Option<Secret>,
    pub(super) as_token_file: Option<PathBuf>,
    pub(super) hs_token: Option<Secret>,
    pub(super) hs_token_file: Option<PathBuf>,
    pub(super) appservice_id: Option<String>,
    pub(super) appservice_url: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub(super) welcome_rooms: Vec<String>,
}

/// A list given as a TOML array, or as one comma-separated value (how environment variables
/// carry lists: `SIGNPOST__DISCORD__GUILD_IDS=123,456`).
pub(super) fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr + serde::Deserialize<'de>,
    T::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        Number(u64),
        Text(String),
    }
    let parse = |text: &str| -> Result<Vec<T>, D::Error> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<T>().map_err(serde::de::Error::custom))
            .collect()
    };
    match OneOrMany::<T>::deserialize(deserializer)? {
        OneOrMany::Many(items) => Ok(items),
        OneOrMany::Number(n) => parse(&n.to_string()),
        OneOrMany::Text(text) => parse(&text),
    }
}

/// Who may review suggestions on each platform ([`crate::Incoming::moderator`]); adapters
/// decide it from these. Kept apart from the platform settings, which exist only when a platform
/// is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moderators {
    /// Discord roles whose members moderate.
    pub discord_roles: Vec<u64>,
    /// The operator's own Discord guilds (`discord.guild_ids`), where Manage Messages also
    /// makes a moderator.
    pub discord_guilds: Vec<u64>,
    /// Slack user ids (`U…`) who moderate.
    pub slack_users: Vec<String>,
    /// The Matrix power level in a room from which its members moderate there.
    pub matrix_power_level: i64,
    /// The Matrix rooms whose power levels count (`matrix.moderator_rooms`): anyone can make a
    /// room of their own and hold every power level there.
    pub matrix_rooms: Vec<String>,
}

/// The power level Matrix clients call "Moderator".
pub const MATRIX_MODERATOR_LEVEL: i64 = 50;

impl Default for Moderators {
    /// Nobody by role or id; Matrix's moderator level.
    fn default() -> Moderators {
        Moderators {
            discord_roles: Vec::new(),
            discord_guilds: Vec::new(),
            slack_users: Vec::new(),
            matrix_power_level: MATRIX_MODERATOR_LEVEL,
            matrix_rooms: Vec::new(),
        }
    }
}

pub(super) fn moderators(
    discord: &RawDiscord,
    slack: &RawSlack,
    matrix: &RawMatrix,
) -> Result<Moderators, ConfigError> {
    if discord.moderator_roles.contains(&0) {
        return Err(invalid(
            "discord.moderator_roles",
            "0",
            "must be Discord role ids (never 0)",
        ));
    }
    let level = matrix
        .moderator_power_level
        .unwrap_or(MATRIX_MODERATOR_LEVEL);
    if level < 1 {
        return Err(invalid(
            "matrix.moderator_power_level",
            level.to_string(),
            "must be at least 1 (0 would make everyone a moderator)",
        ));
    }
    let slack_users: Vec<String> = slack
        .moderators
        .iter()
        .map(|u| u.trim().to_string())
        .collect();
    if let Some(bad) = slack_users
        .iter()
        .find(|u| u.is_empty() || !u.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(invalid(
            "slack.moderators",
            bad.clone(),
            "must be Slack user ids such as U024BE7LH",
        ));
    }
    Ok(Moderators {
        discord_roles: discord.moderator_roles.clone(),
        discord_guilds: discord.guild_ids.clone(),
        slack_users,
        matrix_power_level: level,
        matrix_rooms: matrix.moderator_rooms.clone(),
    })
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

/// A contiguous range of Discord shards out of a total (`0-3/16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    /// First shard id run by this process.
    pub first: u32,
    /// Last shard id run by this process (inclusive).
    pub last: u32,
    /// Total shards of the bot.
    pub total: u32,
}

impl std::str::FromStr for ShardRange {
    type Err = &'static str;

    /// Parses `0-3/16`, or `2/16` for one shard.
    fn from_str(s: &str) -> Result<ShardRange, &'static str> {
        const FORM: &str = "must look like 0-3/16 (shards 0 to 3 of 16) or 2/16";
        let (range, total) = s.split_once('/').ok_or(FORM)?;
        let total: u32 = total.trim().parse().map_err(|_| FORM)?;
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (
                a.trim().parse().map_err(|_| FORM)?,
                b.trim().parse().map_err(|_| FORM)?,
            ),
            None => {
                let one = range.trim().parse().map_err(|_| FORM)?;
                (one, one)
            }
        };
        if total == 0 || first > last || last >= total {
            return Err("needs first <= last < total, and total > 0");
        }
        Ok(ShardRange { first, last, total })
    }
}

/// Discord settings, present when a bot token is configured.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscordSettings {
    /// Bot token.
    pub token: Secret,
    /// Guilds to register slash commands in (instantly); empty registers them globally.
    pub guild_ids: Vec<u64>,
    /// Whether to answer `!` commands (needs the privileged Message Content intent).
    pub prefix_commands: bool,
    /// Which shards this process runs; `None` runs one shard (0/1).
    pub shards: Option<ShardRange>,
    /// REST base URL; only set for local test peers.
    pub api_base: Option<url::Url>,
    /// Guilds whose newcomers are welcomed, each in its channel.
    pub welcome: Welcome<WelcomeChannel>,
}

/// A Discord application's Ed25519 public key (32 bytes), which signs every interaction Discord
/// sends to the HTTP endpoint. Not a secret, but shown as hex so logs stay short.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// Parses the 64 hex digits the Developer Portal shows; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<PublicKey> {
        from_hex(text.trim()).map(PublicKey)
    }
}

/// Exactly `N` bytes from `2 * N` hex digits (either case); `None` for anything else.
pub(crate) fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != 2 * N {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
        *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(bytes)
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicKey(")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

/// Discord's HTTP interactions endpoint (`POST /discord/interactions`), present when
/// `discord.public_key` is set. Independent of the bot token: with the key alone the endpoint
/// answers slash commands and autocomplete without any gateway connection.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscordHttpSettings {
    /// The application's public key, checked against every request's signature.
    pub public_key: PublicKey,
    /// REST base URL for follow-up messages (`discord.api_base`); only set for local test peers.
    pub api_base: Option<url::Url>,
    /// The bot token (`discord.token`) when one is configured: message actions post under the
    /// message with it; without it they say they cannot.
    pub token: Option<Secret>,
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

/// The secret `key`, given as its value or, with `_file` appended to the key, as a file holding
/// it (the Docker, Kubernetes and systemd-credentials convention; one trailing newline is
/// ignored). Empty values count as unset, so `SIGNPOST__SLACK__BOT_TOKEN=` turns a platform off.
pub(super) fn secret(
    key: &'static str,
    value: Option<Secret>,
    file: Option<PathBuf>,
) -> Result<Option<Secret>, ConfigError> {
    let value = value.filter(|s| !s.expose().trim().is_empty());
    let file = file.filter(|path| !path.as_os_str().is_empty());
    match (value, file) {
        (Some(_), Some(_)) => Err(invalid(key, "***", "is set both directly and as a _file")),
        (Some(value), None) => Ok(Some(value)),
        (None, None) => Ok(None),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|source| ConfigError::SecretFile { key, path, source })?;
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            Ok(Some(Secret::new(text)).filter(|s| !s.expose().trim().is_empty()))
        }
    }
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

pub(super) fn discord_http(raw: &RawDiscord) -> Result<Option<DiscordHttpSettings>, ConfigError> {
    let Some(text) = raw.public_key.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let public_key = PublicKey::from_hex(text).ok_or_else(|| {
        invalid(
            "discord.public_key",
            text,
            "must be the application's public key: 64 hex digits",
        )
    })?;
    #[cfg(feature = "discord")]
    if ed25519_dalek::VerifyingKey::from_bytes(&public_key.0).is_err() {
        return Err(invalid(
            "discord.public_key",
            text,
            "is not a valid Ed25519 public key",
        ));
    }
    Ok(Some(DiscordHttpSettings {
        public_key,
        api_base: base_url("discord.api_base", raw.api_base.clone())?,
        token: None,
    }))
}

pub(super) fn discord(
    raw: RawDiscord,
    interval: std::time::Duration,
) -> Result<Option<DiscordSettings>, ConfigError> {
    let Some(token) = secret("discord.token", raw.token, raw.token_file)? else {
        return Ok(None);
    };
    let shards = match raw.shards.filter(|s| !s.trim().is_empty()) {
        None => None,
        Some(text) => Some(
            text.parse()
                .map_err(|problem| invalid("discord.shards", text, problem))?,
        ),
    };
    // Discord ids are never 0, and serenity's id types panic on one.
    if raw.guild_ids.contains(&0) {
        return Err(invalid(
            "discord.guild_ids",
            "0",
            "must be Discord guild ids (never 0)",
        ));
    }
    Ok(Some(DiscordSettings {
        token,
        guild_ids: raw.guild_ids,
        prefix_commands: raw.prefix_commands,
        shards,
        api_base: base_url("discord.api_base", raw.api_base)?,
        welcome: welcome::discord(&raw.welcome_channels, interval)?,
    }))
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
