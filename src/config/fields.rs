//! Readers shared by the platform sections: lists given as an array or one comma-separated
//! value, and secrets given directly or as a file.

use std::path::PathBuf;

use serde::Deserialize;

use super::{invalid, ConfigError};
use crate::secret::Secret;

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
