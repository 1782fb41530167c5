//! Names found inside sentences: every profession, uncovered profession and platform name and
//! alias as a phrase of folded words ([`super::words::fold`]), built once when the index loads so
//! reading a question costs a few hash lookups.
//!
//! [`super::names`] resolves a whole argument ("socail worker"); this table finds names among
//! other words ("i'm a social work student in wales"), so it works word by word: exact phrases,
//! and single-word typo correction against the table's own vocabulary.

use std::collections::{HashMap, HashSet};

use super::words::{closest, folded_words};

/// What a phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Named {
    /// A profession, by position in the index.
    Profession(usize),
    /// A profession the index does not cover yet, by position.
    Uncovered(usize),
    /// A platform, by position.
    Platform(usize),
}

/// Short aliases that are also everyday English words ("cat", "salt"): in free text they only
/// name a profession when typed in capitals, as abbreviations are.
const EVERYDAY_WORDS: &[&str] = &["cat", "pa", "pas", "salt", "chemist", "ot", "ots", "snap"];

/// The phrase table.
#[derive(Debug, Clone, Default)]
pub struct PhraseTable {
    phrases: HashMap<String, Named>,
    longest: usize,
    vocabulary: Vec<String>,
    known: HashSet<String>,
    heads: HashMap<String, Vec<Named>>,
}

impl PhraseTable {
    /// Builds the table from each target's names (its id with spaces, its name, its aliases),
    /// in order; on two targets sharing a folded phrase the first keeps it (the name tables have
    /// already refused true duplicates).
    pub fn build(targets: impl IntoIterator<Item = (Named, Vec<String>)>) -> PhraseTable {
        let mut table = PhraseTable::default();
        for (named, names) in targets {
            table.add_all(names.iter(), named);
        }
        let mut vocabulary: Vec<String> = table
            .known
            .iter()
            .filter(|w| w.chars().count() >= 4)
            .cloned()
            .collect();
        vocabulary.sort();
        table.vocabulary = vocabulary;
        table
    }

    fn add_all<'a>(&mut self, names: impl Iterator<Item = &'a String>, target: Named) {
        for name in names {
            let words = folded_words(name);
            if words.is_empty() {
                continue;
            }
            self.longest = self.longest.max(words.len());
            self.known.extend(words.iter().cloned());
            if words.len() > 1 {
                let heads = self
                    .heads
                    .entry(words[words.len() - 1].clone())
                    .or_default();
                if !heads.contains(&target) {
                    heads.push(target);
                }
            }
            self.phrases.entry(words.join(" ")).or_insert(target);
        }
    }

    /// What the folded words name together, if anything.
    pub fn get(&self, words: &[String]) -> Option<Named> {
        self.get_joined(&words.join(" "))
    }

    /// What the folded words, joined by single spaces, name together, if anything.
    pub fn get_joined(&self, joined: &str) -> Option<Named> {
        self.phrases.get(joined).copied()
    }

    /// The most words any phrase has.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// Whether a folded word is part of some phrase.
    pub fn knows(&self, word: &str) -> bool {
        self.known.contains(word)
    }

    /// Targets of the longer phrases ending in `word` ("family doctor" for "doctor"): other
    /// readings of a bare word.
    pub fn sharing_head(&self, word: &str) -> &[Named] {
        self.heads.get(word).map_or(&[], Vec::as_slice)
    }

    /// Whether the phrase is an everyday word that only counts typed in capitals.
    pub fn needs_capitals(phrase: &str) -> bool {
        EVERYDAY_WORDS.contains(&phrase)
    }

    /// The table's words closest to a mistyped folded word (see [`closest`]).
    pub fn correct(&self, word: &str) -> Vec<&str> {
        closest(word, &self.vocabulary, 1)
    }
}
