//! Checking what a moderator adds with `!local add <url> <title>`, as suggestions are checked,
//! but stricter: the page must be https (it will be shown to the whole community as theirs),
//! and the title is required and short. [`to_text`] prints every community's entries for
//! `signpost local export`.

use std::fmt::Write as _;

use url::Url;

use super::{check_url, clean_text, SuggestionError};
use crate::records::Local;
use crate::text::echo;

/// Longest title accepted, in characters: one line in a reply.
pub const MAX_TITLE: usize = 100;

/// Why an entry was refused. Shown to the moderator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// The URL fails the suggestion checks.
    #[error(transparent)]
    Url(#[from] SuggestionError),
    /// A plain http:// page.
    #[error("only https:// pages can be added, and “{given}” is not one")]
    NotHttps {
        /// What was typed, shortened.
        given: String,
    },
    /// No title after the URL.
    #[error("the entry needs a title after the link")]
    NoTitle,
    /// Longer than [`MAX_TITLE`].
    #[error("the title is {length} characters long; at most {MAX_TITLE} fit")]
    TitleTooLong {
        /// Its length in characters, after cleaning.
        length: usize,
    },
}

/// Checks an entry: the https URL parsed and the title cleaned of hidden characters.
pub fn check(url: &str, title: &str) -> Result<(Url, String), LocalError> {
    let parsed = check_url(url)?;
    if parsed.scheme() != "https" {
        return Err(LocalError::NotHttps {
            given: echo(parsed.as_str()),
        });
    }
    let title = clean_text(title);
    let length = title.chars().count();
    if length == 0 {
        return Err(LocalError::NoTitle);
    }
    if length > MAX_TITLE {
        return Err(LocalError::TitleTooLong { length });
    }
    Ok((parsed, title))
}

/// Every entry, grouped by community, as lines a person reads (or a script splits on tabs):
/// community, id, date added, URL, title. Titles are cleaned single lines, so none spans two.
pub fn to_text(entries: &[Local]) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("# No community has added resources.\n");
        return out;
    }
    out.push_str("# community\tid\tadded\turl\ttitle\n");
    for e in entries {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            e.new.community,
            e.id,
            super::export::date(e.new.at_us / 1_000_000),
            e.new.url,
            e.new.title
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// https pages with a title pass; http, credentials, missing and overlong titles are
    /// refused with the reason, and hidden characters are dropped from the title.
    #[test]
    fn entries_are_checked() {
        let (url, title) = check(
            "https://trust.example.nhs.uk/policy",
            "Trust\u{202E} social\u{200B} media  policy",
        )
        .unwrap();
        assert_eq!(url.as_str(), "https://trust.example.nhs.uk/policy");
        assert_eq!(title, "Trust social media policy");
        assert!(matches!(
            check("http://example.org/", "x"),
            Err(LocalError::NotHttps { .. })
        ));
        assert!(matches!(
            check("https://u:p@example.org/", "x"),
            Err(LocalError::Url(SuggestionError::Credentials))
        ));
        assert!(matches!(
            check("https://example.org/", " \u{200B} "),
            Err(LocalError::NoTitle)
        ));
        assert!(matches!(
            check("https://example.org/", &"t".repeat(MAX_TITLE + 1)),
            Err(LocalError::TitleTooLong { .. })
        ));
    }
}
