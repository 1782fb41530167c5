//! Settings: `config/default.toml`, then `config/local.toml`, then `--config FILE`, then
//! `SIGNPOST__SECTION__KEY` environment variables, each overriding the one before.
//!
//! Raw settings are read with serde's `deny_unknown_fields`, so a misspelt key is an error naming
//! the key, then validated into [`Settings`].

use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

/// The committed defaults, built in so the binary works from any directory.
pub const DEFAULTS: &str = include_str!("../config/default.toml");

/// Why settings could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A source could not be read or has an unknown or mistyped key (the message names it).
    #[error("settings: {0}")]
    Read(#[from] config::ConfigError),
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBot {
    prefix: String,
    data_dir: PathBuf,
    log: String,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Command prefix.
    pub prefix: String,
    /// Folder of the resource index.
    pub data_dir: PathBuf,
    /// Log filter.
    pub log: String,
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
    let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
    if let Some(local) = &sources.local {
        builder = builder.add_source(
            File::from(local.as_path())
                .format(FileFormat::Toml)
                .required(false),
        );
    }
    if let Some(file) = &sources.file {
        builder = builder.add_source(
            File::from(file.as_path())
                .format(FileFormat::Toml)
                .required(true),
        );
    }
    let mut env = Environment::with_prefix("SIGNPOST")
        .prefix_separator("__")
        .separator("__");
    if let Some(vars) = &sources.env {
        env = env.source(Some(vars.iter().cloned().collect()));
    }
    let raw: RawSettings = builder.add_source(env).build()?.try_deserialize()?;
    validate(raw)
}

fn validate(raw: RawSettings) -> Result<Settings, ConfigError> {
    let prefix = raw.bot.prefix;
    if prefix.is_empty() || prefix.chars().count() > 5 || prefix.chars().any(char::is_whitespace) {
        return Err(ConfigError::Invalid {
            key: "bot.prefix",
            value: prefix,
            problem: "must be 1 to 5 characters with no spaces",
        });
    }
    Ok(Settings {
        prefix,
        data_dir: raw.bot.data_dir,
        log: raw.bot.log,
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
        assert_eq!(s.data_dir, PathBuf::from("data"));
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
        assert_eq!(s.data_dir, PathBuf::from("/srv/index"));
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
}
