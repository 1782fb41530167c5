//! Checking what people suggest for the index before anything is stored: the URL must be an
//! http(s) web address with a host and no user name or password, and the note is cleaned of
//! control and format characters (bidi overrides, zero-width characters; see [`crate::unicode`])
//! and bounded. [`url_key`] normalises a URL so the same page suggested twice, or already in the
//! index, is recognised. [`export`] turns accepted suggestions into index entries to review;
//! [`local`] checks what moderators add for their own community the same way.
//!
//! Errors ([`SuggestionError`]) are shown to the person, so they read as sentences and echo at
//! most a short, cleaned piece of what was typed.

pub mod export;
pub mod local;

use url::Url;

use crate::index::Index;
use crate::text::echo;

/// Longest URL accepted, in characters: longer ones are tracking links or mistakes.
pub const MAX_URL: usize = 500;
/// Longest note accepted, in characters: enough to say why, short enough to review in a list.
pub const MAX_NOTE: usize = 300;

/// Why a suggestion was refused. Shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SuggestionError {
    /// Not a web address at all.
    #[error("“{given}” is not a web address (it should start with https://)")]
    NotAUrl {
        /// What was typed, shortened.
        given: String,
        /// Why the URL parser refused it.
        #[source]
        source: url::ParseError,
    },
    /// A scheme other than http or https (`javascript:`, `data:`, `ftp:`, …).
    #[error("only http:// and https:// links can be suggested, not {scheme}: links")]
    Scheme {
        /// The scheme given, shortened.
        scheme: String,
    },
    /// The URL carries a user name or password.
    #[error("links with a user name or password in them can't be suggested")]
    Credentials,
    /// No host (`https:///x`), or one that is only an IP-less placeholder.
    #[error("“{given}” has no web site in it")]
    NoHost {
        /// What was typed, shortened.
        given: String,
    },
    /// Longer than [`MAX_URL`].
    #[error("the link is {length} characters long; at most {MAX_URL} can be suggested")]
    UrlTooLong {
        /// Its length in characters.
        length: usize,
    },
    /// Longer than [`MAX_NOTE`].
    #[error("the note is {length} characters long; at most {MAX_NOTE} fit")]
    NoteTooLong {
        /// Its length in characters, after cleaning.
        length: usize,
    },
}

/// Removes control and format characters and folds runs of whitespace to one space.
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let word: String = word
            .chars()
            .filter(|c| !crate::unicode::is_hidden(*c))
            .collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// Checks a suggested URL: the cleaned URL, parsed.
pub fn check_url(given: &str) -> Result<Url, SuggestionError> {
    let cleaned: String = given
        .chars()
        .filter(|c| !crate::unicode::is_hidden(*c) && !c.is_whitespace())
        .collect();
    let length = cleaned.chars().count();
    if length > MAX_URL {
        return Err(SuggestionError::UrlTooLong { length });
    }
    let url = Url::parse(&cleaned).map_err(|source| SuggestionError::NotAUrl {
        given: echo(&cleaned),
        source,
    })?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(SuggestionError::Scheme {
            scheme: echo(url.scheme()),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SuggestionError::Credentials);
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SuggestionError::NoHost {
            given: echo(&cleaned),
        });
    }
    Ok(url)
}

/// Checks a note: cleaned, at most [`MAX_NOTE`] characters; empty when none.
pub fn check_note(given: Option<&str>) -> Result<String, SuggestionError> {
    let note = clean_text(given.unwrap_or_default());
    let length = note.chars().count();
    if length > MAX_NOTE {
        return Err(SuggestionError::NoteTooLong { length });
    }
    Ok(note)
}

/// The URL as it is compared: http and https alike, host lowercase (the parser does that), no
/// fragment, no trailing slash, the default port dropped. `https://Example.org/a/#top` and
/// `http://example.org/a` are the same page.
pub fn url_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let mut key = host.to_string();
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(url.path().trim_end_matches('/'));
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(query);
    }
    key
}

/// The resource in the index with the same URL key, if any.
pub fn in_index<'a>(index: &'a Index, key: &str) -> Option<&'a crate::index::Resource> {
    index
        .resources
        .iter()
        .find(|r| r.url.as_ref().is_some_and(|u| url_key(u) == key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Web links pass; other schemes, credentials, non-URLs and overlong links are refused
    /// with the reason.
    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://www.nmc.org.uk/guidance").is_ok());
        assert!(check_url("http://example.org").is_ok());
        for (bad, says) in [
            ("javascript:alert(1)", "javascript"),
            ("data:text/html,<b>x</b>", "data"),
            ("ftp://example.org/x", "ftp"),
            ("https://user:pass@example.org/", "password"),
            ("https://user@example.org/", "password"),
            ("not a link", "not a web address"),
            ("example.org", "not a web address"),
        ] {
            let error = check_url(bad).expect_err(bad).to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL));
        assert!(matches!(
            check_url(&long),
            Err(SuggestionError::UrlTooLong { .. })
        ));
    }

    /// Hidden characters are dropped from links and notes before anything else.
    #[test]
    fn hidden_characters_are_dropped() {
        let url = check_url("https://exa\u{200B}mple.org/\u{202E}x").unwrap();
        assert_eq!(url.as_str(), "https://example.org/x");
        assert_eq!(
            check_note(Some("a\u{202E}b \u{2066}c\u{2069}\n\n d")).unwrap(),
            "ab c d"
        );
        assert!(matches!(
            check_note(Some(&"x".repeat(MAX_NOTE + 1))),
            Err(SuggestionError::NoteTooLong { .. })
        ));
    }

    /// Case of the host, the scheme, a fragment and a trailing slash do not make a new page.
    #[test]
    fn keys_normalise() {
        let key = |s| url_key(&check_url(s).unwrap());
        assert_eq!(
            key("https://Example.ORG/a/#top"),
            key("http://example.org/a")
        );
        assert_eq!(key("https://example.org/"), key("https://example.org"));
        assert_ne!(
            key("https://example.org/a?x=1"),
            key("https://example.org/a")
        );
        assert_ne!(key("https://example.org/A"), key("https://example.org/a"));
    }
}
