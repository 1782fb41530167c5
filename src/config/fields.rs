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
/// it (the Docker, Kubernetes and systemd-credentials convention). Exactly one trailing newline
/// is ignored: an empty file, or one with other whitespace around the secret (a second
/// newline, a trailing space), is an error naming the file, since it would otherwise become a
/// different secret that every request then fails. A file others may read is allowed, with a
/// warning ([`take_warnings`]). Empty values count as unset, so `SIGNPOST__SLACK__BOT_TOKEN=`
/// turns a platform off.
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
            let text =
                std::fs::read_to_string(&path).map_err(|source| ConfigError::SecretFile {
                    key,
                    path: path.clone(),
                    source,
                })?;
            let inner = text
                .strip_suffix("\r\n")
                .or_else(|| text.strip_suffix('\n'))
                .unwrap_or(&text);
            let problem = if inner.is_empty() {
                Some("is empty")
            } else if inner.trim() != inner || inner.contains(['\n', '\r']) {
                Some("has whitespace around the secret besides one trailing newline")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ConfigError::SecretFileContent { key, path, problem });
            }
            warn_if_others_read(key, &path);
            Ok(Some(Secret::new(inner)))
        }
    }
}

thread_local! {
    /// Warnings from reading settings on this thread, for the caller to log once logging is
    /// set up (which needs the settings).
    static WARNINGS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The warnings gathered while reading settings on this thread, emptied.
pub(super) fn take_warnings() -> Vec<String> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}

fn warn_if_others_read(key: &str, path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o004 != 0 {
                WARNINGS.with(|w| {
                    w.borrow_mut().push(format!(
                        "`{key}_file` = {}: any user on this machine can read it (chmod o-r)",
                        path.display()
                    ));
                });
            }
        }
    }
}
