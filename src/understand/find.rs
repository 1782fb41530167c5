//! Finding what a question mentions: professions, platforms, nations and topic words anywhere in
//! its words, and what is left over for a search.
//!
//! Words are read left to right, longest phrase first, so "art therapists" is one profession and
//! not "art" plus the counsellor alias "therapist". A word nothing knows is first checked for a
//! typo against the names and topic words; only then is it left as a search word.

use super::lexicon::{self, Topic};
use super::tokenize::Token;
use crate::index::phrases::{Named, PhraseTable};
use crate::index::{Index, Nation};

/// A name found in the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// What it names.
    pub named: Named,
    /// Other things the same words could name (a typo close to two names, or a bare word that
    /// ends longer names: "therapist").
    pub others: [Option<Named>; 3],
    /// Whether it was read through a typo correction.
    pub corrected: bool,
}

/// Everything a question mentions.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Topics, in the order first mentioned.
    pub topics: Vec<Topic>,
    /// Names of professions and platforms, in the order mentioned.
    pub names: Vec<Found>,
    /// A platform the index has no page for, as typed.
    pub other_platform: Option<String>,
    /// The nation mentioned, if any.
    pub nation: Option<Nation>,
    /// Words that are neither names, topics nor filler, as typed.
    pub rest: Vec<String>,
}

impl Signals {
    /// Whether the question mentions `topic`.
    pub fn has(&self, topic: Topic) -> bool {
        self.topics.contains(&topic)
    }
}

/// Reads the signals out of a message's tokens.
pub fn find(index: &Index, mut tokens: Vec<Token>) -> Signals {
    let phrases = &index.phrases;
    let mut corrected = vec![None; tokens.len()];
    for (i, token) in tokens.iter_mut().enumerate() {
        corrected[i] = correct(phrases, token);
    }
    let mut signals = Signals::default();
    let mut at = 0;
    while at < tokens.len() {
        let taken = name_at(phrases, &tokens, at, &corrected, &mut signals)
            .or_else(|| topic_at(&tokens, at, &mut signals))
            .or_else(|| nation_at(&tokens, at, &mut signals));
        match taken {
            Some(n) => at += n,
            None => {
                let t = &tokens[at];
                if !lexicon::is_filler(&t.folded) && Nation::from_words(&t.word).is_none() {
                    signals.rest.push(t.word.clone());
                }
                at += 1;
            }
        }
    }
    signals
}

/// The word as counted in the report of misses: the name or topic word a typo is closest to
/// ("socail" → "social"), else the word as typed.
pub fn respelled(index: &Index, mut token: Token) -> String {
    match correct(&index.phrases, &mut token) {
        Some(_) => token.folded,
        None => token.word,
    }
}

/// Replaces a token's folded form with the closest known word when it is a typo; returns the
/// other equally close words that name something else.
fn correct(phrases: &PhraseTable, token: &mut Token) -> Option<Vec<String>> {
    let word = token.folded.as_str();
    if phrases.knows(word) || lexicon::is_known(word) || Nation::from_words(word).is_some() {
        return None;
    }
    let mut close: Vec<String> = phrases
        .correct(word)
        .into_iter()
        .map(String::from)
        .collect();
    if close.is_empty() {
        close = lexicon::correct(word)
            .into_iter()
            .map(String::from)
            .collect();
    }
    let first = close.first()?.clone();
    token.folded = first;
    Some(close)
}

/// A profession or platform name starting at `at`: how many tokens it took.
fn name_at(
    phrases: &PhraseTable,
    tokens: &[Token],
    at: usize,
    corrected: &[Option<Vec<String>>],
    signals: &mut Signals,
) -> Option<usize> {
    let window = Window::new(tokens, at, phrases.longest());
    for len in (1..=window.most()).rev() {
        let Some(named) = phrases.get_joined(window.first(len)) else {
            continue;
        };
        let word = tokens[at].folded.as_str();
        if len == 1 && PhraseTable::needs_capitals(word) && !tokens[at].capitals {
            return None;
        }
        let mut others: Vec<Named> = Vec::new();
        if len == 1 {
            // A longer name ending in this word ("dental nurse" for "nurse") is another reading,
            // except that a profession the index covers is never second-guessed with one it
            // does not: "nurse" must not offer dentistry.
            let covered = matches!(named, Named::Profession(_));
            others.extend(
                phrases
                    .sharing_head(word)
                    .iter()
                    .filter(|n| **n != named && !(covered && matches!(n, Named::Uncovered(_)))),
            );
            if let Some(close) = &corrected[at] {
                for alternative in close.iter().skip(1) {
                    if let Some(n) = phrases.get(std::slice::from_ref(alternative)) {
                        if n != named && !others.contains(&n) {
                            others.insert(0, n);
                        }
                    }
                }
            }
        }
        let mut slots = [None; 3];
        for (slot, other) in slots.iter_mut().zip(others) {
            *slot = Some(other);
        }
        let found = Found {
            named,
            others: slots,
            corrected: corrected[at..at + len].iter().any(Option::is_some),
        };
        if !signals.names.iter().any(|f| f.named == named) {
            signals.names.push(found);
        }
        return Some(len);
    }
    None
}

/// A topic phrase starting at `at`: how many tokens it took.
fn topic_at(tokens: &[Token], at: usize, signals: &mut Signals) -> Option<usize> {
    let window = Window::new(tokens, at, lexicon::longest());
    for len in (1..=window.most()).rev() {
        if let Some(topic) = lexicon::topic_joined(window.first(len)) {
            if topic == Topic::OtherPlatform && signals.other_platform.is_none() {
                let typed: Vec<&str> = tokens[at..at + len]
                    .iter()
                    .map(|t| t.word.as_str())
                    .collect();
                signals.other_platform = Some(typed.join(" "));
            }
            if !signals.has(topic) {
                signals.topics.push(topic);
            }
            return Some(len);
        }
    }
    None
}

/// A nation starting at `at` ("northern ireland", "wales", "NI"): how many tokens it took.
fn nation_at(tokens: &[Token], at: usize, signals: &mut Signals) -> Option<usize> {
    for len in [2, 1] {
        if at + len > tokens.len() {
            continue;
        }
        let words: Vec<&str> = tokens[at..at + len]
            .iter()
            .map(|t| t.word.as_str())
            .collect();
        // "ni" is also a common typo and syllable: only as a capitalised abbreviation.
        if len == 1 && words[0] == "ni" && !tokens[at].capitals {
            return None;
        }
        if let Some(nation) = Nation::from_words(&words.join(" ")) {
            signals.nation.get_or_insert(nation);
            return Some(len);
        }
    }
    None
}

/// The folded words from one position on, joined once, so each phrase length is a slice of one
/// string rather than a new one.
struct Window {
    joined: String,
    ends: Vec<usize>,
}

impl Window {
    fn new(tokens: &[Token], at: usize, longest: usize) -> Window {
        let mut joined = String::new();
        let mut ends = Vec::new();
        for t in tokens[at..].iter().take(longest) {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(&t.folded);
            ends.push(joined.len());
        }
        Window { joined, ends }
    }

    /// How many words the window holds.
    fn most(&self) -> usize {
        self.ends.len()
    }

    /// The first `len` words, joined.
    fn first(&self, len: usize) -> &str {
        &self.joined[..self.ends[len - 1]]
    }
}
