//! `signpost matrix registration`: the registration file the homeserver is given (Synapse's
//! `app_service_config_files`), made from the appservice settings so the two always agree. The
//! sender user's namespace is exclusive (no one else may register it) and the bot is not rate
//! limited, so a burst of answers is not slowed by its own homeserver.
//!
//! Written by hand rather than with a YAML library: every value is a JSON string, which is also
//! a valid YAML double-quoted scalar, so nothing a setting holds can break the file's shape.

use crate::config::AppserviceSettings;

/// The registration YAML for `settings`. It holds both tokens: give it only to the homeserver.
pub fn to_yaml(settings: &AppserviceSettings) -> String {
    let quoted = |text: &str| serde_json::to_string(text).expect("a string serializes");
    let regex = format!(
        "^@{}:{}$",
        regex_escape(settings.localpart()),
        regex_escape(settings.server_name())
    );
    format!(
        "# Signpost's application-service registration: give it to the homeserver\n\
         # (Synapse: app_service_config_files). It holds both tokens; keep it private.\n\
         id: {id}\n\
         url: {url}\n\
         as_token: {as_token}\n\
         hs_token: {hs_token}\n\
         sender_localpart: {localpart}\n\
         namespaces:\n  \
           users:\n    \
             - exclusive: true\n      \
               regex: {regex}\n  \
           aliases: []\n  \
           rooms: []\n\
         rate_limited: false\n",
        id = quoted(&settings.id),
        url = quoted(settings.url.as_str().trim_end_matches('/')),
        as_token = quoted(settings.as_token.expose()),
        hs_token = quoted(settings.hs_token.expose()),
        localpart = quoted(settings.localpart()),
        regex = quoted(&regex),
    )
}

/// `text` with every character a regular expression gives a meaning escaped.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~/=".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn settings() -> AppserviceSettings {
        AppserviceSettings {
            homeserver: "https://matrix.example.org".parse().unwrap(),
            user: "@sign.post:example.org".into(),
            as_token: Secret::new("as-\"quoted\"-token"),
            hs_token: Secret::new("hs-token"),
            id: "signpost".into(),
            url: "http://signpost:8080".parse().unwrap(),
            allowed_inviters: Vec::new(),
            welcome: Default::default(),
        }
    }

    /// Every field the homeserver needs is there, quoted, with the sender's exclusive
    /// namespace escaped as a regular expression and no rate limit.
    #[test]
    fn registration_has_every_field() {
        let yaml = to_yaml(&settings());
        let lines: Vec<&str> = yaml.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "id: \"signpost\"",
                "url: \"http://signpost:8080\"",
                "as_token: \"as-\\\"quoted\\\"-token\"",
                "hs_token: \"hs-token\"",
                "sender_localpart: \"sign.post\"",
                "namespaces:",
                "  users:",
                "    - exclusive: true",
                "      regex: \"^@sign\\\\.post:example\\\\.org$\"",
                "  aliases: []",
                "  rooms: []",
                "rate_limited: false",
            ]
        );
    }

    /// Characters with a meaning in a regular expression are escaped; others are kept.
    #[test]
    fn namespaces_are_escaped() {
        assert_eq!(regex_escape("a.b+c"), "a\\.b\\+c");
        assert_eq!(regex_escape("localhost:8448"), "localhost:8448");
        assert_eq!(regex_escape("x/y=z"), "x\\/y\\=z");
    }
}
