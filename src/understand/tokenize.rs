//! Message text into words: folded like parsing folds commands (NFKC, no hidden characters,
//! bounded), normalized like names are, and each word folded to its base form
//! ([`crate::index::words::fold`]), keeping whether it was typed in capitals (abbreviations).

use crate::index::normalize;
use crate::index::words::fold;
use crate::text::Clean;

/// Most words read from one message: questions are short, and this bounds the work a huge
/// message can cause.
pub const MAX_WORDS: usize = 60;

/// One word of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word, lowercase, as typed otherwise.
    pub word: String,
    /// The folded form it is compared under (may be replaced by a typo correction).
    pub folded: String,
    /// Typed all in capitals, two letters or more (`CAT`, `OT`).
    pub capitals: bool,
}

/// The words of `text`, at most [`MAX_WORDS`].
pub fn tokenize(text: &Clean) -> Vec<Token> {
    let mut tokens = Vec::new();
    for piece in text.split(' ') {
        let letters = piece.chars().filter(|c| c.is_alphabetic()).count();
        let capitals = letters >= 2 && !piece.chars().any(char::is_lowercase);
        for word in normalize(piece).split(' ').filter(|w| !w.is_empty()) {
            if tokens.len() == MAX_WORDS {
                return tokens;
            }
            tokens.push(Token {
                folded: fold(word),
                word: word.to_string(),
                capitals,
            });
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Punctuation, separators and case are folded; capitals are remembered.
    #[test]
    fn words_are_folded() {
        let t = tokenize(&Clean::new("Someone's HARASSING me on self-harm, CAT?"));
        let words: Vec<&str> = t.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(
            words,
            ["someones", "harassing", "me", "on", "self", "harm", "cat"]
        );
        assert_eq!(t[1].folded, "harass");
        assert!(t[1].capitals && t[6].capitals && !t[0].capitals);
    }

    /// A huge message is cut to a bounded number of words.
    #[test]
    fn bounded() {
        assert_eq!(
            tokenize(&Clean::new(&"word ".repeat(10_000))).len(),
            MAX_WORDS
        );
    }
}
