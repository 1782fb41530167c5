//! Text hygiene at the boundary: how a message's text is folded before anything reads it
//! ([`clean`]) and how user input is bounded when a reply echoes it ([`echo`]). The characters
//! dropped are [`crate::unicode`]'s.

use unicode_normalization::UnicodeNormalization;

/// Longest message prefix that is read; the rest of a huge message is ignored.
pub const MAX_INPUT: usize = 2_000;
/// Longest piece of user input ever echoed back in a reply.
pub const MAX_ECHO: usize = 40;

/// A message's text folded once at the boundary ([`clean`]): what the parser, understanding and
/// counting read, so none of them folds it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clean(String);

impl Clean {
    /// Folds `raw` ([`clean`]).
    pub fn new(raw: &str) -> Clean {
        Clean(clean(raw))
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Clean {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// Folds text for parsing: NFKC, no control or zero-width characters, single spaces, bounded.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_INPUT));
    let mut pending_space = false;
    for c in text.chars().take(MAX_INPUT).nfkc() {
        if c.is_whitespace() {
            pending_space = true;
        } else if c.is_control() || crate::unicode::is_hidden(c) {
            continue;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Shortens user input for echoing in a reply, so a huge message never makes a huge answer.
pub fn echo(text: &str) -> String {
    crate::reply::truncate(text, MAX_ECHO)
}

/// `text` with its first letter capitalised: an error's message used as a reply's title.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
