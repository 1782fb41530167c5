//! The topic words that say what a question is about, and the filler words that say nothing.
//!
//! Each list is written as people type it; it is folded once ([`crate::index::words::fold`]) into
//! one table, so "harassing", "harassed" and "harassment" all meet "harass" without listing every
//! form. Phrases ("kill myself") match as a whole.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::command::abuse_help::harms::HARMS;
use crate::command::COMMANDS;
use crate::index::words::{fold, folded_words};

/// What a topic word points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Danger or distress: abuse help with the emergency lines first, whatever else was asked.
    Danger,
    /// Abuse, harassment, reporting.
    Abuse,
    /// A command's own topic words (its row's `topics`): the row's name.
    Command(&'static str),
    /// Hello.
    Greeting,
    /// Thanks.
    Thanks,
    /// A platform the index has no reporting page for.
    OtherPlatform,
    /// A request for something Signpost does not do (an appointment, the weather).
    OutOfScope,
    /// A harm abuse help has a first step for: its id ([`crate::command::abuse_help::harms`]).
    Harm(&'static str),
}

use super::topic_words::*;

struct Lexicon {
    phrases: HashMap<String, Topic>,
    longest: usize,
    filler: HashSet<String>,
    /// Every word of every phrase ("self" of "self harm"), so none is taken for a typo.
    words: HashSet<String>,
    vocabulary: Vec<String>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut phrases = HashMap::new();
        let mut longest = 1;
        let mut words = HashSet::new();
        let mut every_word = HashSet::new();
        // Earlier lists win a shared folded form: danger before abuse before the commands'
        // topics (in table order) before greetings.
        let rows = COMMANDS
            .iter()
            .filter(|c| !c.topics.is_empty())
            .map(|c| (Topic::Command(c.name), c.topics));
        // A harm's words come first: "threats" is danger, and also says which first step.
        let harms = HARMS.iter().map(|h| (Topic::Harm(h.id), h.words));
        let lists = harms
            .chain([
                (Topic::Danger, DANGER),
                (Topic::Abuse, ABUSE),
                (Topic::OtherPlatform, OTHER_PLATFORMS),
                (Topic::OutOfScope, OUT_OF_SCOPE),
            ])
            .chain(rows)
            .chain([(Topic::Greeting, GREETING), (Topic::Thanks, THANKS)]);
        for (topic, list) in lists {
            for phrase in list {
                let folded = folded_words(phrase);
                longest = longest.max(folded.len());
                every_word.extend(folded.iter().cloned());
                if folded.len() == 1 {
                    words.insert(folded[0].clone());
                }
                phrases.entry(folded.join(" ")).or_insert(topic);
            }
        }
        let filler: HashSet<String> = FILLER.iter().map(|w| fold(w)).collect();
        let mut vocabulary: Vec<String> = words
            .into_iter()
            .filter(|w| w.chars().count() >= 5 && !filler.contains(w))
            .collect();
        vocabulary.sort();
        Lexicon {
            phrases,
            longest,
            filler,
            words: every_word,
            vocabulary,
        }
    })
}

/// The topic the folded words name together, if any.
pub fn topic(words: &[&str]) -> Option<Topic> {
    topic_joined(&words.join(" "))
}

/// The topic the folded words, joined by single spaces, name together, if any.
pub fn topic_joined(joined: &str) -> Option<Topic> {
    lexicon().phrases.get(joined).copied()
}

/// The most words a topic phrase has.
pub fn longest() -> usize {
    lexicon().longest
}

/// Whether a folded word says nothing about the topic.
pub fn is_filler(word: &str) -> bool {
    lexicon().filler.contains(word)
}

/// Whether a folded word is a topic word or filler, so never a typo to correct.
pub fn is_known(word: &str) -> bool {
    let l = lexicon();
    l.filler.contains(word) || l.words.contains(word)
}

/// Topic words close to a mistyped folded word; the first two letters must agree.
pub fn correct(word: &str) -> Vec<&'static str> {
    crate::index::words::closest(word, &lexicon().vocabulary, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word forms and phrases reach their topic.
    #[test]
    fn forms_reach_topics() {
        assert_eq!(topic(&["harass"]), Some(Topic::Abuse));
        assert_eq!(topic(&[fold("bullied").as_str()]), Some(Topic::Abuse));
        // Danger words that also name a harm say which first step to lead with.
        assert_eq!(
            topic(&[fold("threatening").as_str()]),
            Some(Topic::Harm(crate::command::abuse_help::harms::THREATS))
        );
        assert_eq!(
            topic(&["kill", "myself"]),
            Some(Topic::Harm(crate::command::abuse_help::harms::DISTRESS))
        );
        assert_eq!(topic(&[fold("scared").as_str()]), Some(Topic::Danger));
        assert_eq!(topic(&["social"]), None);
        assert!(is_filler("social"));
    }

    /// A mistyped topic word is corrected; a different word that happens to be close is not.
    #[test]
    fn typos_of_topic_words() {
        assert_eq!(correct(&fold("harrassed")), vec![fold("harass")]);
        let treat = correct("treat");
        assert!(
            !treat.iter().any(|w| topic(&[w]) == Some(Topic::Danger)),
            "{treat:?}"
        );
    }
}
