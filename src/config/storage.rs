//! The `[storage]` settings: where suggestions and question counts are kept, and how long a
//! command waits for them (see [`crate::store`]).

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::{invalid, ConfigError, Secret};
pub use crate::records::settings::{StorageBackend, StorageSettings, DEFAULT_FILE};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStorage {
    url: Secret,
    dir: PathBuf,
    timeout_seconds: f64,
    connections: usize,
    record_questions: bool,
}

pub(super) fn storage(raw: RawStorage) -> Result<StorageSettings, ConfigError> {
    let url = raw.url.expose().trim();
    let backend = if url.is_empty() {
        if raw.dir.as_os_str().is_empty() {
            return Err(invalid(
                "storage.dir",
                "",
                "must name a folder when storage.url is empty",
            ));
        }
        StorageBackend::Sqlite(raw.dir.join(DEFAULT_FILE))
    } else if url == "off" {
        StorageBackend::Off
    } else if url == "sqlite::memory:" {
        StorageBackend::SqliteMemory
    } else if let Some(path) = url.strip_prefix("sqlite:") {
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(invalid("storage.url", url, "needs a file after sqlite:"));
        }
        StorageBackend::Sqlite(PathBuf::from(path))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        if url.parse::<postgres::Config>().is_err() {
            // The URL may hold a password, so it is not repeated.
            return Err(invalid(
                "storage.url",
                "***",
                "is not a valid postgres:// URL",
            ));
        }
        StorageBackend::Postgres(Secret::new(url))
    } else {
        return Err(invalid(
            "storage.url",
            "***",
            "must be empty (SQLite in storage.dir), \"sqlite:FILE\", \"postgres://…\" or \"off\"",
        ));
    };
    let timeout = match Duration::try_from_secs_f64(raw.timeout_seconds) {
        Ok(t) if !t.is_zero() => t,
        _ => {
            return Err(invalid(
                "storage.timeout_seconds",
                raw.timeout_seconds.to_string(),
                "must be a number of seconds above 0",
            ))
        }
    };
    if raw.connections == 0 {
        return Err(invalid("storage.connections", "0", "must be at least 1"));
    }
    Ok(StorageSettings {
        backend,
        timeout,
        connections: raw.connections,
        record_questions: raw.record_questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(url: &str) -> RawStorage {
        RawStorage {
            url: Secret::new(url),
            dir: PathBuf::from("state"),
            timeout_seconds: 5.0,
            connections: 4,
            record_questions: true,
        }
    }

    /// Each form of `storage.url` picks its backend; anything else is refused by key, without
    /// repeating a URL that may hold a password.
    #[test]
    fn url_forms() {
        let backend = |url| storage(raw(url)).map(|s| s.backend);
        assert_eq!(
            backend("").unwrap(),
            StorageBackend::Sqlite(PathBuf::from("state/signpost.db"))
        );
        assert_eq!(backend("off").unwrap(), StorageBackend::Off);
        assert_eq!(
            backend("sqlite:/var/lib/x.db").unwrap(),
            StorageBackend::Sqlite(PathBuf::from("/var/lib/x.db"))
        );
        assert!(matches!(
            backend("postgres://signpost:pw@127.0.0.1:5432/signpost").unwrap(),
            StorageBackend::Postgres(_)
        ));
        let error = backend("mysql://root:hunter2@db/x")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("storage.url") && !error.contains("hunter2"),
            "{error}"
        );
        let mut zero = raw("");
        zero.timeout_seconds = 0.0;
        assert!(storage(zero)
            .unwrap_err()
            .to_string()
            .contains("storage.timeout_seconds"));
    }
}
