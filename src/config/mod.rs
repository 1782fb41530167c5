//! Settings: `config/default.toml`, then `config/local.toml`, then `--config FILE`, then
//! `SIGNPOST__SECTION__KEY` environment variables, each overriding the one before.
//!
//! Raw settings are read with serde's `deny_unknown_fields`, so a misspelt key is an error naming
//! the key, then validated into [`Settings`].

use std::path::PathBuf;

use serde::Deserialize;

pub mod appservice;
pub mod describe;
pub mod discord;
pub mod fields;
pub mod matrix;
pub mod moderators;
pub mod slack;
mod sources;
pub mod storage;
pub mod welcome;

pub use crate::secret::Secret;
pub use appservice::{AppserviceSettings, MatrixMode};
#[cfg(feature = "discord")]
pub(crate) use discord::from_hex;
use discord::{discord, discord_http, RawDiscord};
pub use discord::{DiscordHttpSettings, DiscordSettings, PublicKey, ShardRange};
use matrix::{matrix, RawMatrix};
pub use matrix::{MatrixLogin, MatrixSettings};
use moderators::moderators;
pub use moderators::Moderators;
use slack::{slack, RawSlack};
pub use slack::{SlackMode, SlackSettings};
pub use sources::Sources;
pub use storage::{StorageBackend, StorageSettings};
pub use welcome::{Welcome, WelcomeChannel};

/// The committed defaults, built in so the binary works from any directory.
pub const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Why settings could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A source could not be read or has an unknown or mistyped key (the message names it).
    #[error("settings: {0}")]
    Read(#[from] config::ConfigError),
    /// A source has a key no setting has.
    #[error("settings: unknown key `{key}` in {source_name}{hint}")]
    UnknownKey {
        /// The key, as `section.key`.
        key: String,
        /// The layer it came from (a file, or the environment).
        source_name: String,
        /// " (did you mean `…`?)" when a known key is close, else empty.
        hint: String,
        /// The reader's own report.
        #[source]
        source: Box<config::ConfigError>,
    },
    /// A secret's `_file` could not be read.
    #[error("settings: `{key}_file` = {}: cannot read", path.display())]
    SecretFile {
        /// The secret's key, as `section.key`.
        key: &'static str,
        /// The file named.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A secret's `_file` holds something that cannot be the secret.
    #[error("settings: `{key}_file` = {}: {problem}", path.display())]
    SecretFileContent {
        /// The secret's key, as `section.key`.
        key: &'static str,
        /// The file named.
        path: PathBuf,
        /// What is wrong.
        problem: &'static str,
    },
    /// A value is not acceptable.
    #[error("settings: `{key}` = {value:?}: {problem}")]
    Invalid {
        /// The key, as `section.key`.
        key: &'static str,
        /// The value given.
        value: String,
        /// What is wrong.
        problem: &'static str,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    bot: RawBot,
    cooldown: RawCooldown,
    http: RawHttp,
    storage: storage::RawStorage,
    welcome: welcome::RawWelcome,
    #[serde(default)]
    slack: RawSlack,
    #[serde(default)]
    discord: RawDiscord,
    #[serde(default)]
    matrix: RawMatrix,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCooldown {
    person_burst: u32,
    person_refill_seconds: f64,
    channel_burst: u32,
    channel_refill_seconds: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: String,
    site: bool,
    #[serde(default)]
    site_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBot {
    prefix: String,
    data_dir: PathBuf,
    log: String,
    log_format: String,
    max_in_flight: usize,
    max_queued: usize,
    #[serde(default)]
    workers: Option<usize>,
    #[serde(default, deserialize_with = "fields::list")]
    roles: Vec<String>,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// `bot.workers`: how many threads run the async work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// Unset: by what the process runs ([`Settings::worker_threads`]).
    ByRole,
    /// `0`: one per CPU core.
    PerCore,
    /// A number.
    Fixed(std::num::NonZeroUsize),
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Command prefix.
    pub prefix: String,
    /// Folder of the resource index; `None` serves the index built into the binary.
    pub data_dir: Option<PathBuf>,
    /// Log filter.
    pub log: String,
    /// How log lines are written.
    pub log_format: LogFormat,
    /// How many answers the adapters work on at once and how many more may wait.
    pub limits: crate::intake::Limits,
    /// What is allowed but unwise in these settings (a secret file others may read), for the
    /// caller to log once logging is set up.
    pub warnings: Vec<String>,
    /// Threads running the async work (`bot.workers`); see [`Settings::worker_threads`].
    pub workers: Workers,
    /// How often one person, and one channel, may ask.
    pub cooldowns: crate::cooldown::Limits,
    /// Address of the HTTP listener (Slack endpoints, health).
    pub http_listen: std::net::SocketAddr,
    /// Whether the listener serves the site ([`crate::site`]) at `/`.
    pub http_site: bool,
    /// Where people reach the site (`http.site_url`), ending in `/`: short answers link to
    /// their page there.
    pub site_url: Option<url::Url>,
    /// Slack, when configured.
    pub slack: Option<SlackSettings>,
    /// Discord's gateway, when a bot token is configured.
    pub discord: Option<DiscordSettings>,
    /// Discord's HTTP interactions endpoint, when `discord.public_key` is set.
    pub discord_http: Option<DiscordHttpSettings>,
    /// Matrix in client mode (the default), when configured.
    pub matrix: Option<MatrixSettings>,
    /// Matrix as an application service (`matrix.mode = "appservice"`), when configured.
    pub matrix_appservice: Option<AppserviceSettings>,
    /// Where suggestions and question counts are kept.
    pub storage: StorageSettings,
    /// Who may review suggestions on each platform.
    pub moderators: Moderators,
    /// The adapters this process runs (`bot.roles`, `signpost run --only`); empty runs every
    /// configured one.
    pub roles: Vec<&'static str>,
}

/// Every adapter's name, as `bot.roles` and `--only` take them.
pub const ADAPTERS: [&str; 4] = ["discord", "discord-http", "slack", "matrix"];

impl Settings {
    /// Where the resource index comes from.
    pub fn index_source(&self) -> crate::index::Source {
        crate::index::Source::from_setting(self.data_dir.as_deref())
    }

    /// Names of the platforms with credentials configured.
    pub fn configured_platforms(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.discord.is_some() {
            names.push("discord");
        }
        if self.discord_http.is_some() {
            names.push("discord-http");
        }
        if self.slack.is_some() {
            names.push("slack");
        }
        if self.matrix.is_some() || self.matrix_appservice.is_some() {
            names.push("matrix");
        }
        names
    }

    /// How many threads run the async work: `bot.workers` when set (0 is one per core, `None`
    /// here), else by what this process runs. HTTP adapters (Slack over HTTP, Discord's
    /// interactions endpoint) take requests from many connections at once, so they get a thread
    /// per core; gateway and sync clients (and the appservice, whose homeserver sends one
    /// transaction at a time) get their work as one stream, answered at the least CPU per
    /// answer by one thread (no work stealing, no cross-thread wake-ups).
    pub fn worker_threads(&self) -> Option<std::num::NonZeroUsize> {
        match self.workers {
            Workers::Fixed(n) => Some(n),
            Workers::PerCore => None,
            Workers::ByRole if self.serves_http_adapters() => None,
            Workers::ByRole => std::num::NonZeroUsize::new(1),
        }
    }

    /// Whether this process runs an adapter that serves many HTTP requests at once.
    pub fn serves_http_adapters(&self) -> bool {
        let running = self.running();
        let slack_http = self
            .slack
            .as_ref()
            .is_some_and(|s| s.mode == SlackMode::Http);
        running.contains(&"discord-http") || (slack_http && running.contains(&"slack"))
    }

    /// The configured adapters this process runs: those in [`Settings::roles`], or all.
    pub fn running(&self) -> Vec<&'static str> {
        let mut names = self.configured_platforms();
        if !self.roles.is_empty() {
            names.retain(|name| self.roles.contains(name));
        }
        names
    }

    /// Runs only the adapters `names` (from `key`: `bot.roles` or `--only`); empty runs all.
    /// Each must be an adapter's name and configured, or the error names it.
    pub fn select_roles(
        &mut self,
        key: &'static str,
        names: &[impl AsRef<str>],
    ) -> Result<(), ConfigError> {
        let configured = self.configured_platforms();
        let mut roles = Vec::new();
        for name in names
            .iter()
            .map(|n| n.as_ref().trim())
            .filter(|n| !n.is_empty())
        {
            let Some(known) = ADAPTERS.iter().find(|a| **a == name) else {
                return Err(invalid(
                    key,
                    name,
                    "must name adapters: discord, discord-http, slack, matrix",
                ));
            };
            if !configured.contains(known) {
                return Err(invalid(
                    key,
                    name,
                    "names an adapter whose settings are not configured",
                ));
            }
            if !roles.contains(known) {
                roles.push(*known);
            }
        }
        self.roles = roles;
        Ok(())
    }
}

/// Reads and validates settings.
pub fn load(sources: &Sources) -> Result<Settings, ConfigError> {
    let merged = sources.merged()?;
    let raw: RawSettings = match merged.try_deserialize() {
        Ok(raw) => raw,
        Err(error) => return Err(describe::name_the_source(sources, error)),
    };
    // Warnings left by an earlier load on this thread that failed are not this load's.
    drop(fields::take_warnings());
    let mut settings = validate(raw)?;
    settings.warnings = fields::take_warnings();
    Ok(settings)
}

pub(super) fn invalid(
    key: &'static str,
    value: impl Into<String>,
    problem: &'static str,
) -> ConfigError {
    ConfigError::Invalid {
        key,
        value: value.into(),
        problem,
    }
}

pub(super) fn base_url(
    key: &'static str,
    text: Option<String>,
) -> Result<Option<url::Url>, ConfigError> {
    match text {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => match url::Url::parse(&t) {
            Ok(u) if u.scheme() == "http" || u.scheme() == "https" => Ok(Some(u)),
            _ => Err(invalid(key, t, "must be an http:// or https:// URL")),
        },
    }
}

fn validate(raw: RawSettings) -> Result<Settings, ConfigError> {
    let prefix = raw.bot.prefix;
    if prefix.is_empty() || prefix.chars().count() > 5 || prefix.chars().any(char::is_whitespace) {
        return Err(invalid(
            "bot.prefix",
            prefix,
            "must be 1 to 5 characters with no spaces",
        ));
    }
    let http_listen = raw.http.listen.parse().map_err(|_| {
        invalid(
            "http.listen",
            raw.http.listen.clone(),
            "must be an address like 127.0.0.1:8080",
        )
    })?;
    if raw.bot.max_in_flight == 0 {
        return Err(invalid("bot.max_in_flight", "0", "must be at least 1"));
    }
    let log_format = match raw.bot.log_format.as_str() {
        "text" => LogFormat::Text,
        "json" => LogFormat::Json,
        other => {
            return Err(invalid(
                "bot.log_format",
                other,
                "must be \"text\" or \"json\"",
            ))
        }
    };
    let moderators = moderators(&raw.discord, &raw.slack, &raw.matrix)?;
    let interval = welcome::interval(&raw.welcome)?;
    let (matrix, matrix_appservice) = match appservice::mode(&raw.matrix)? {
        MatrixMode::Client => (matrix(raw.matrix, interval)?, None),
        MatrixMode::Appservice => (
            None,
            appservice::appservice(raw.matrix, http_listen, interval)?,
        ),
    };
    let roles = raw.bot.roles;
    let mut discord_http = discord_http(&raw.discord)?;
    let discord = discord(raw.discord, interval)?;
    if let (Some(endpoint), Some(gateway)) = (discord_http.as_mut(), discord.as_ref()) {
        endpoint.token = Some(gateway.token.clone());
    }
    let mut settings = Settings {
        log_format,
        prefix,
        data_dir: Some(raw.bot.data_dir).filter(|dir| !dir.as_os_str().is_empty()),
        log: raw.bot.log,
        limits: crate::intake::Limits {
            in_flight: raw.bot.max_in_flight,
            queued: raw.bot.max_queued,
            wait: crate::intake::WAIT,
        },
        workers: match raw.bot.workers {
            None => Workers::ByRole,
            Some(n) => std::num::NonZeroUsize::new(n).map_or(Workers::PerCore, Workers::Fixed),
        },
        cooldowns: cooldowns(&raw.cooldown)?,
        http_listen,
        http_site: raw.http.site,
        site_url: site_url(&raw.http.site_url)?,
        slack: slack(raw.slack, interval)?,
        discord_http,
        discord,
        matrix,
        matrix_appservice,
        storage: storage::storage(raw.storage)?,
        moderators,
        roles: Vec::new(),
        warnings: Vec::new(),
    };
    settings.select_roles("bot.roles", &roles)?;
    Ok(settings)
}

/// `http.site_url`: empty for none, else an http(s) address, read as a folder.
fn site_url(raw: &str) -> Result<Option<url::Url>, ConfigError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let folder = if raw.ends_with('/') {
        raw.to_string()
    } else {
        format!("{raw}/")
    };
    match url::Url::parse(&folder) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => {
            Ok(Some(url))
        }
        _ => Err(invalid(
            "http.site_url",
            raw.to_string(),
            "must be the site's public address, such as https://signpost.example.org/",
        )),
    }
}

fn cooldowns(raw: &RawCooldown) -> Result<crate::cooldown::Limits, ConfigError> {
    let limit = |burst: u32, refill: f64, key: &'static str| {
        let Some(burst) = std::num::NonZeroU32::new(burst) else {
            return Ok(None);
        };
        match std::time::Duration::try_from_secs_f64(refill) {
            Ok(refill) if !refill.is_zero() => Ok(Some(crate::cooldown::Limit { burst, refill })),
            _ => Err(invalid(
                key,
                refill.to_string(),
                "must be a number of seconds above 0 (set the burst to 0 to switch the limit off)",
            )),
        }
    };
    Ok(crate::cooldown::Limits {
        person: limit(
            raw.person_burst,
            raw.person_refill_seconds,
            "cooldown.person_refill_seconds",
        )?,
        channel: limit(
            raw.channel_burst,
            raw.channel_refill_seconds,
            "cooldown.channel_refill_seconds",
        )?,
    })
}

#[cfg(test)]
mod tests;
