//! `signpost config`: the effective settings, each with the source it came from, secrets
//! redacted; and naming the source of an unknown key when settings fail to read.

use std::collections::BTreeMap;

use config::{Config, Value, ValueKind};

use super::{ConfigError, Sources};

/// Keys whose values are never printed.
pub const SECRETS: &[&str] = &[
    "discord.token",
    "slack.bot_token",
    "slack.signing_secret",
    "slack.app_token",
    "matrix.password",
    "matrix.access_token",
    "matrix.as_token",
    "matrix.hs_token",
    // A postgres:// URL may hold a password.
    "storage.url",
];

/// What a redacted secret is printed as.
pub const REDACTED: &str = "*** (redacted)";

/// One effective setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `section.key`.
    pub key: String,
    /// The value as text, or [`REDACTED`] for a set secret.
    pub value: String,
    /// The layer that set it.
    pub source: String,
}

/// Every setting that has a value, in key order, with its source.
pub fn describe(sources: &Sources) -> Result<Vec<Entry>, ConfigError> {
    // Each file is read once: the same layers give the sources and the merged values.
    let read = sources.layers()?;
    let merged = super::sources::merge(read.iter().map(|(_, layer)| layer.clone()))?;
    let layers: Vec<(String, BTreeMap<String, String>)> = read
        .into_iter()
        .map(|(name, layer)| (name, flatten(&layer)))
        .collect();
    let mut entries = Vec::new();
    for (key, value) in flatten(&merged) {
        let source = layers
            .iter()
            .rev()
            .find(|(_, keys)| keys.contains_key(&key))
            .map_or("built-in defaults", |(name, _)| name.as_str())
            .to_string();
        let value = if SECRETS.contains(&key.as_str()) && !value.trim().is_empty() {
            REDACTED.to_string()
        } else {
            value
        };
        entries.push(Entry { key, value, source });
    }
    Ok(entries)
}

/// Adds the layer an unknown key came from to a read error.
pub(super) fn name_the_source(sources: &Sources, error: config::ConfigError) -> ConfigError {
    let message = error.to_string();
    let unknown = message
        .split("unknown field `")
        .nth(1)
        .and_then(|rest| rest.split('`').next());
    if let (Some(field), Ok(layers)) = (unknown, sources.layers()) {
        let hint = did_you_mean(field, &message);
        for (name, layer) in layers.iter().rev() {
            // The unknown name may be a key or a whole section (`[bott]`).
            let key = flatten(layer).into_keys().find_map(|key| {
                let segments: Vec<&str> = key.split('.').collect();
                let at = segments.iter().position(|s| *s == field)?;
                Some(segments[..=at].join("."))
            });
            if let Some(key) = key {
                return ConfigError::UnknownKey {
                    key,
                    source_name: name.clone(),
                    hint,
                    source: Box::new(error),
                };
            }
        }
    }
    ConfigError::Read(error)
}

/// " (did you mean `prefix`?)" when one of the names serde expected (`expected one of `a`,
/// `b``) is close to `field`; empty otherwise.
fn did_you_mean(field: &str, message: &str) -> String {
    let Some(expected) = message.split("expected ").nth(1) else {
        return String::new();
    };
    let closest = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|name| (strsim::damerau_levenshtein(field, name), name))
        .filter(|(distance, name)| *distance <= 2.max(name.len() / 4))
        .min();
    closest.map_or_else(String::new, |(_, name)| {
        format!(" (did you mean `{name}`?)")
    })
}

/// `section.key = value` for every leaf of a layer.
fn flatten(layer: &Config) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Ok(table) = layer
        .clone()
        .try_deserialize::<config::Map<String, Value>>()
    {
        for (key, value) in table {
            walk(&key, &value, &mut out);
        }
    }
    out
}

fn walk(key: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    match &value.kind {
        ValueKind::Table(table) => {
            for (child, value) in table {
                walk(&format!("{key}.{child}"), value, out);
            }
        }
        ValueKind::Nil => {}
        _ => {
            out.insert(key.to_string(), value.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(env: &[(&str, &str)]) -> Sources {
        Sources {
            local: None,
            file: None,
            env: Some(
                env.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        }
    }

    /// Every secret is redacted, whether set directly or read from a file, and each setting
    /// names the layer it came from.
    #[test]
    fn secrets_are_redacted_and_sources_named() {
        let dir = std::env::temp_dir().join(format!("signpost-describe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let token_file = dir.join("token");
        std::fs::write(&token_file, "xoxb-from-file\n").unwrap();
        let sources = sources(&[
            (
                "SIGNPOST__SLACK__BOT_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
            ("SIGNPOST__SLACK__SIGNING_SECRET", "signing-secret-value"),
            ("SIGNPOST__DISCORD__TOKEN", "discord-token-value"),
            ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:1"),
            ("SIGNPOST__MATRIX__USER", "@bot:localhost"),
            ("SIGNPOST__MATRIX__PASSWORD", "matrix-password-value"),
            ("SIGNPOST__BOT__PREFIX", "?"),
        ]);
        let settings = super::super::load(&sources).expect("valid");
        let slack = settings.slack.expect("slack configured");
        assert_eq!(
            slack.bot_token.expose(),
            "xoxb-from-file",
            "newline stripped"
        );
        let entries = describe(&sources).expect("described");
        let text = format!("{entries:?}");
        for secret in [
            "xoxb-from-file",
            "signing-secret-value",
            "discord-token-value",
            "matrix-password-value",
        ] {
            assert!(!text.contains(secret), "{secret} printed: {text}");
        }
        let entry = |key: &str| entries.iter().find(|e| e.key == key).expect(key).clone();
        assert_eq!(entry("discord.token").value, REDACTED);
        assert_eq!(entry("slack.signing_secret").value, REDACTED);
        assert_eq!(entry("bot.prefix").value, "?");
        assert!(entry("bot.prefix").source.starts_with("environment"));
        assert_eq!(entry("bot.log").source, "built-in defaults");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Appservice mode's two tokens are never printed by `signpost config`.
    #[test]
    fn appservice_tokens_are_redacted() {
        let sources = sources(&[
            ("SIGNPOST__MATRIX__MODE", "appservice"),
            ("SIGNPOST__MATRIX__HOMESERVER", "http://127.0.0.1:1"),
            ("SIGNPOST__MATRIX__USER", "@bot:localhost"),
            ("SIGNPOST__MATRIX__AS_TOKEN", "as-token-value"),
            ("SIGNPOST__MATRIX__HS_TOKEN", "hs-token-value"),
        ]);
        super::super::load(&sources).expect("valid");
        let entries = describe(&sources).expect("described");
        let text = format!("{entries:?}");
        assert!(
            !text.contains("as-token-value") && !text.contains("hs-token-value"),
            "{text}"
        );
        for key in ["matrix.as_token", "matrix.hs_token"] {
            let entry = entries.iter().find(|e| e.key == key).expect(key);
            assert_eq!(entry.value, REDACTED);
        }
    }

    /// A misspelt key names the key, the layer it came from and the key it is close to; a
    /// misspelt section in a file names the section and the file.
    #[test]
    fn unknown_keys_name_their_source() {
        let error = super::super::load(&sources(&[("SIGNPOST__BOT__PREFX", "?")]))
            .expect_err("unknown key");
        let text = error.to_string();
        assert!(text.contains("bot.prefx"), "{text}");
        assert!(text.contains("environment"), "{text}");
        assert!(text.contains("did you mean `prefix`"), "{text}");
        let far = super::super::load(&sources(&[("SIGNPOST__BOT__ZZZZZZZZ", "?")]))
            .expect_err("unknown key")
            .to_string();
        assert!(!far.contains("did you mean"), "{far}");

        let dir = std::env::temp_dir().join(format!("signpost-bott-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, "[bott]\nprefix = \"?\"\n").unwrap();
        let mut with_file = sources(&[]);
        with_file.file = Some(file.clone());
        let text = super::super::load(&with_file)
            .expect_err("unknown section")
            .to_string();
        assert!(text.contains("`bott`"), "{text}");
        assert!(text.contains("bad.toml"), "{text}");
        assert!(text.contains("did you mean `bot`"), "{text}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
