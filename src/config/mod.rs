//! Settings: `config/default.toml`, then `config/local.toml`, then `--config FILE`, then
//! `SIGNPOST__SECTION__KEY` environment variables, each overriding the one before.
//!
//! Raw settings are read with serde's `deny_unknown_fields`, so a misspelt key is an error naming
//! the key, then validated into [`Settings`].

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

pub mod describe;
pub mod platforms;
pub mod storage;

#[cfg(feature = "discord")]
pub(crate) use platforms::from_hex;
use platforms::{
    discord, discord_http, matrix, moderators, slack, RawDiscord, RawMatrix, RawSlack,
};
pub use platforms::{
    DiscordHttpSettings, DiscordSettings, MatrixLogin, MatrixSettings, Moderators, PublicKey,
    Secret, ShardRange, SlackMode, SlackSettings,
};
pub use storage::{StorageBackend, StorageSettings};

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
    #[error("settings: unknown key `{key}` in {source_name}")]
    UnknownKey {
        /// The key, as `section.key`.
        key: String,
        /// The layer it came from (a file, or the environment).
        source_name: String,
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
    #[serde(default, deserialize_with = "platforms::list")]
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
    pub limits: crate::adapters::intake::Limits,
    /// How often one person, and one channel, may ask.
    pub cooldowns: crate::cooldown::Limits,
    /// Address of the HTTP listener (Slack endpoints, health).
    pub http_listen: std::net::SocketAddr,
    /// Whether the listener serves the site ([`crate::site`]) at `/`.
    pub http_site: bool,
    /// Slack, when configured.
    pub slack: Option<SlackSettings>,
    /// Discord's gateway, when a bot token is configured.
    pub discord: Option<DiscordSettings>,
    /// Discord's HTTP interactions endpoint, when `discord.public_key` is set.
    pub discord_http: Option<DiscordHttpSettings>,
    /// Matrix, when configured.
    pub matrix: Option<MatrixSettings>,
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
        if self.matrix.is_some() {
            names.push("matrix");
        }
        names
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

/// Where settings come from; tests pass their own environment instead of the process's.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `config/local.toml` or equivalent, read if it exists.
    pub local: Option<PathBuf>,
    /// A file that must exist (`--config`).
    pub file: Option<PathBuf>,
    /// Environment variables to read (`SIGNPOST__…`); `None` reads the process environment.
    pub env: Option<Vec<(String, String)>>,
}

impl Sources {
    /// The usual sources: `config/local.toml`, the given file, the process environment.
    pub fn standard(file: Option<&Path>) -> Sources {
        Sources {
            local: Some(PathBuf::from("config/local.toml")),
            file: file.map(Path::to_path_buf),
            env: None,
        }
    }
}

/// Reads and validates settings.
pub fn load(sources: &Sources) -> Result<Settings, ConfigError> {
    let merged = sources.merged()?;
    let raw: RawSettings = match merged.try_deserialize() {
        Ok(raw) => raw,
        Err(error) => return Err(describe::name_the_source(sources, error)),
    };
    validate(raw)
}

impl Sources {
    /// Each layer on its own, lowest precedence first, with a name for it.
    fn layers(&self) -> Result<Vec<(String, Config)>, ConfigError> {
        let mut layers = vec![(
            "built-in defaults".to_string(),
            Config::builder()
                .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
                .build()?,
        )];
        let files = [(&self.local, false), (&self.file, true)];
        for (path, required) in files {
            if let Some(path) = path {
                let layer = Config::builder()
                    .add_source(
                        File::from(path.as_path())
                            .format(FileFormat::Toml)
                            .required(required),
                    )
                    .build()?;
                layers.push((path.display().to_string(), layer));
            }
        }
        let mut env = Environment::with_prefix("SIGNPOST")
            .prefix_separator("__")
            .separator("__");
        if let Some(vars) = &self.env {
            env = env.source(Some(vars.iter().cloned().collect()));
        }
        layers.push((
            "environment (SIGNPOST__…)".to_string(),
            Config::builder().add_source(env).build()?,
        ));
        Ok(layers)
    }

    /// Every layer merged, later ones overriding earlier ones.
    fn merged(&self) -> Result<Config, ConfigError> {
        merge(self.layers()?.into_iter().map(|(_, layer)| layer))
    }
}

/// Layers merged in order, later ones overriding earlier ones.
fn merge(layers: impl IntoIterator<Item = Config>) -> Result<Config, ConfigError> {
    let mut builder = Config::builder();
    for layer in layers {
        builder = builder.add_source(layer);
    }
    Ok(builder.build()?)
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
    let roles = raw.bot.roles;
    let mut settings = Settings {
        log_format,
        prefix,
        data_dir: Some(raw.bot.data_dir).filter(|dir| !dir.as_os_str().is_empty()),
        log: raw.bot.log,
        limits: crate::adapters::intake::Limits {
            in_flight: raw.bot.max_in_flight,
            queued: raw.bot.max_queued,
        },
        cooldowns: cooldowns(&raw.cooldown)?,
        http_listen,
        http_site: raw.http.site,
        slack: slack(raw.slack)?,
        discord_http: discord_http(&raw.discord)?,
        discord: discord(raw.discord)?,
        matrix: matrix(raw.matrix)?,
        storage: storage::storage(raw.storage)?,
        moderators,
        roles: Vec::new(),
    };
    settings.select_roles("bot.roles", &roles)?;
    Ok(settings)
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
mod tests {
    use super::*;

    fn with_env(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        load(&Sources {
            local: None,
            file: None,
            env: Some(
                vars.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        })
    }

    /// The committed defaults parse and give the documented values.
    #[test]
    fn defaults_parse() {
        let s = with_env(&[]).expect("defaults are valid");
        assert_eq!(s.prefix, "!");
        assert_eq!(s.data_dir, None, "the built-in index");
        assert_eq!(s.index_source(), crate::index::Source::Embedded);
        assert_eq!(s.http_listen.to_string(), "127.0.0.1:8080");
        assert!(
            s.configured_platforms().is_empty(),
            "nothing configured: console"
        );
    }

    /// The cooldown defaults are on for people and channels; a burst of 0 switches one off,
    /// and a refill of 0 seconds is refused naming its key.
    #[test]
    fn cooldowns_are_read_and_checked() {
        let s = with_env(&[]).expect("defaults are valid");
        let person = s.cooldowns.person.expect("on by default");
        assert!(person.burst.get() > 1 && !person.refill.is_zero());
        assert!(s.cooldowns.channel.expect("on by default").burst > person.burst);
        let off = with_env(&[("SIGNPOST__COOLDOWN__PERSON_BURST", "0")]).expect("valid");
        assert_eq!(off.cooldowns.person, None);
        let slow =
            with_env(&[("SIGNPOST__COOLDOWN__CHANNEL_REFILL_SECONDS", "0.5")]).expect("valid");
        assert_eq!(
            slow.cooldowns.channel.map(|l| l.refill),
            Some(std::time::Duration::from_millis(500))
        );
        let error = with_env(&[("SIGNPOST__COOLDOWN__PERSON_REFILL_SECONDS", "0")])
            .expect_err("zero refill");
        assert!(
            error.to_string().contains("cooldown.person_refill_seconds"),
            "{error}"
        );
    }

    /// Storage is SQLite in `state/` by default with question counting on; moderator settings
    /// default to none and Matrix's moderator level, and bad values are refused by key.
    #[test]
    fn storage_and_moderators() {
        let s = with_env(&[]).unwrap();
        assert_eq!(
            s.storage.backend,
            StorageBackend::Sqlite(PathBuf::from("state/signpost.db"))
        );
        assert!(s.storage.record_questions);
        assert_eq!(s.moderators.matrix_power_level, 50);
        assert!(s.moderators.discord_roles.is_empty() && s.moderators.slack_users.is_empty());
        let s = with_env(&[
            ("SIGNPOST__DISCORD__MODERATOR_ROLES", "11,22"),
            ("SIGNPOST__SLACK__MODERATORS", "U024BE7LH"),
            ("SIGNPOST__STORAGE__RECORD_QUESTIONS", "false"),
        ])
        .unwrap();
        assert_eq!(s.moderators.discord_roles, vec![11, 22]);
        assert_eq!(s.moderators.slack_users, vec!["U024BE7LH"]);
        assert!(!s.storage.record_questions);
        assert!(
            s.configured_platforms().is_empty(),
            "moderator lists configure no platform"
        );
        for (key, value, named) in [
            (
                "SIGNPOST__MATRIX__MODERATOR_POWER_LEVEL",
                "0",
                "matrix.moderator_power_level",
            ),
            ("SIGNPOST__SLACK__MODERATORS", "<@U1>", "slack.moderators"),
            ("SIGNPOST__STORAGE__CONNECTIONS", "0", "storage.connections"),
        ] {
            let error = with_env(&[(key, value)]).unwrap_err().to_string();
            assert!(error.contains(named), "{error}");
        }
    }

    /// Environment variables override the defaults.
    #[test]
    fn environment_overrides() {
        let s = with_env(&[
            ("SIGNPOST__BOT__PREFIX", "?"),
            ("SIGNPOST__BOT__DATA_DIR", "/srv/index"),
        ])
        .unwrap();
        assert_eq!(s.prefix, "?");
        assert_eq!(s.data_dir, Some(PathBuf::from("/srv/index")));
    }

    /// The log format is text by default, JSON on request, and anything else is refused by name.
    #[test]
    fn log_format_is_checked() {
        assert_eq!(with_env(&[]).unwrap().log_format, LogFormat::Text);
        let json = with_env(&[("SIGNPOST__BOT__LOG_FORMAT", "json")]).unwrap();
        assert_eq!(json.log_format, LogFormat::Json);
        let err = with_env(&[("SIGNPOST__BOT__LOG_FORMAT", "xml")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("bot.log_format"), "{err}");
    }

    /// An unknown key is an error that names the key.
    #[test]
    fn unknown_key_is_named() {
        let err = with_env(&[("SIGNPOST__BOT__PERFIX", "?")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("perfix"), "{err}");
    }

    /// A bad prefix is rejected with the key and the value.
    #[test]
    fn bad_prefix_is_rejected() {
        let err = with_env(&[("SIGNPOST__BOT__PREFIX", "a b")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("bot.prefix") && err.contains("a b"), "{err}");
    }

    /// A `--config` file overrides defaults, and a missing one is an error naming it.
    #[test]
    fn config_file_overrides_and_must_exist() {
        let dir = std::env::temp_dir().join(format!("signpost-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("test.toml");
        std::fs::write(&file, "[bot]\nprefix = \"%\"\n").unwrap();
        let s = load(&Sources {
            local: None,
            file: Some(file.clone()),
            env: Some(vec![]),
        })
        .unwrap();
        assert_eq!(s.prefix, "%");
        let missing = dir.join("missing.toml");
        let err = load(&Sources {
            local: None,
            file: Some(missing),
            env: Some(vec![]),
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("missing.toml"), "{err}");
    }

    /// Platform sections are read from the environment; secrets never show in debug output.
    #[test]
    fn platforms_from_environment() {
        let s = with_env(&[
            ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008"),
            ("SIGNPOST__MATRIX__USER", "signpost"),
            ("SIGNPOST__MATRIX__PASSWORD", "hunter2hunter2"),
            (
                "SIGNPOST__MATRIX__ALLOWED_INVITERS",
                "@alice:localhost,example.org",
            ),
            ("SIGNPOST__DISCORD__TOKEN", "discord-token-value"),
            ("SIGNPOST__DISCORD__GUILD_IDS", "123,456"),
            ("SIGNPOST__DISCORD__SHARDS", "0-3/16"),
            ("SIGNPOST__DISCORD__PREFIX_COMMANDS", "true"),
            ("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-1"),
            (
                "SIGNPOST__SLACK__SIGNING_SECRET",
                "8f742231b10e8888abcd99yyyzzz85a5",
            ),
        ])
        .unwrap();
        assert_eq!(s.configured_platforms(), vec!["discord", "slack", "matrix"]);
        let m = s.matrix.as_ref().unwrap();
        assert_eq!(m.allowed_inviters, vec!["@alice:localhost", "example.org"]);
        assert_eq!(m.store_dir, PathBuf::from("state/matrix"));
        let d = s.discord.as_ref().unwrap();
        assert_eq!(d.guild_ids, vec![123, 456]);
        assert!(d.prefix_commands);
        assert_eq!(
            d.shards,
            Some(ShardRange {
                first: 0,
                last: 3,
                total: 16
            })
        );
        let debug = format!("{s:?}");
        for secret in [
            "hunter2hunter2",
            "discord-token-value",
            "xoxb-1",
            "8f742231b10e",
        ] {
            assert!(!debug.contains(secret), "{secret} leaked into {debug}");
        }
    }

    /// Incomplete platform settings are errors naming the missing key.
    #[test]
    fn incomplete_platforms_are_named() {
        let err = with_env(&[("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:8008")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("matrix.user"), "{err}");
        let err = with_env(&[("SIGNPOST__SLACK__BOT_TOKEN", "xoxb-1")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("slack.signing_secret"), "{err}");
        let err = with_env(&[
            ("SIGNPOST__DISCORD__TOKEN", "t"),
            ("SIGNPOST__DISCORD__SHARDS", "4-3/2"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("discord.shards"), "{err}");
        let err = with_env(&[
            ("SIGNPOST__DISCORD__TOKEN", "t"),
            ("SIGNPOST__DISCORD__GUILD_IDS", "0"),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("discord.guild_ids"), "{err}");
    }

    /// `bot.roles` picks configured adapters by name; unknown or unconfigured names are errors
    /// naming the key, and empty runs everything configured.
    #[test]
    fn roles_choose_configured_adapters() {
        let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        let both = [
            ("SIGNPOST__DISCORD__PUBLIC_KEY", key),
            ("SIGNPOST__DISCORD__TOKEN", "t"),
        ];
        let s = with_env(&both).unwrap();
        assert_eq!(s.running(), vec!["discord", "discord-http"]);
        let mut vars = both.to_vec();
        vars.push(("SIGNPOST__BOT__ROLES", "discord-http"));
        let mut s = with_env(&vars).unwrap();
        assert_eq!(s.running(), vec!["discord-http"]);
        s.select_roles("--only", &["discord", " discord "]).unwrap();
        assert_eq!(s.roles, vec!["discord"]);
        assert_eq!(s.running(), vec!["discord"]);
        let err = s
            .select_roles("--only", &["slack"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--only") && err.contains("not configured"),
            "{err}"
        );
        let mut vars = both.to_vec();
        vars.push(("SIGNPOST__BOT__ROLES", "discord,gateway"));
        let err = with_env(&vars).unwrap_err().to_string();
        assert!(
            err.contains("bot.roles") && err.contains("gateway"),
            "{err}"
        );
    }

    /// `discord.public_key` alone configures the HTTP endpoint (no gateway); a key that is not
    /// 64 hex digits, or not a curve point, is an error naming the key.
    #[test]
    fn discord_public_key_is_checked() {
        // RFC 8032 test vector 1's public key.
        let key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        let s = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", key)]).unwrap();
        assert_eq!(s.configured_platforms(), vec!["discord-http"]);
        let http = s.discord_http.as_ref().unwrap();
        assert_eq!(PublicKey::from_hex(key), Some(http.public_key));
        assert_eq!(http.public_key.0[0], 0xd7);
        assert!(s.discord.is_none());
        for bad in ["abc", &key[1..], &key.replace('d', "g")] {
            let err = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", bad)])
                .unwrap_err()
                .to_string();
            assert!(err.contains("discord.public_key"), "{err}");
        }
        #[cfg(feature = "discord")]
        {
            // y = 2 is not on the curve.
            let off_curve = format!("02{}", "0".repeat(62));
            let err = with_env(&[("SIGNPOST__DISCORD__PUBLIC_KEY", off_curve.as_str())])
                .unwrap_err()
                .to_string();
            assert!(err.contains("not a valid Ed25519"), "{err}");
        }
    }
}
