//! The topic words that say what a question is about, and the filler words that say nothing.
//!
//! Each list is written as people type it; it is folded once ([`crate::index::words::fold`]) into
//! one table, so "harassing", "harassed" and "harassment" all meet "harass" without listing every
//! form. Phrases ("kill myself") match as a whole.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::index::words::{fold, folded_words};

/// What a topic word points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Danger or distress: abuse help with the emergency lines first, whatever else was asked.
    Danger,
    /// Abuse, harassment, reporting.
    Abuse,
    /// Getting started.
    Start,
    /// Tips on posting.
    Tips,
    /// Articles and further reading.
    Articles,
    /// Where the information comes from.
    About,
    /// What the bot can do.
    Capabilities,
    /// Guidance, regulators, standards.
    Guidance,
    /// Hello.
    Greeting,
    /// Thanks.
    Thanks,
    /// A platform the index has no reporting page for.
    OtherPlatform,
}

const DANGER: &[&str] = &[
    "threat",
    "threats",
    "threatening",
    "threatened",
    "unsafe",
    "danger",
    "dangerous",
    "in danger",
    "stalking",
    "stalker",
    "stalked",
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "self harm",
    "selfharm",
    "self harming",
    "harm myself",
    "hurt myself",
    "want to die",
    "kill me",
    "going to kill",
    "violence",
    "violent",
    "blackmail",
    "sextortion",
    "doxxed",
    "doxxing",
    "doxed",
    "scared",
    "afraid",
    "frightened",
    "terrified",
    "emergency",
    "overdose",
    "not safe",
];

const ABUSE: &[&str] = &[
    "harassment",
    "harassing",
    "harassed",
    "harass",
    "abuse",
    "abusive",
    "abused",
    "troll",
    "trolled",
    "trolling",
    "trolls",
    "bully",
    "bullied",
    "bullying",
    "cyberbullying",
    "hate",
    "hateful",
    "hate speech",
    "pile on",
    "report",
    "reporting",
    "block",
    "blocked",
    "nasty",
    "insulted",
    "insulting",
    "attacked",
    "impersonating",
    "impersonated",
    "fake account",
    "fake profile",
    "hacked",
    "scam",
    "scammed",
    "fraud",
    "revenge porn",
    "intimate image",
    "intimate images",
    "nudes",
    "leaked",
    "defamation",
    "defamatory",
    "smear",
    "racist",
    "racism",
    "homophobic",
    "transphobic",
    "misogynistic",
    "creepy",
    "unwanted messages",
    "targeted",
    "horrible comments",
    "nasty comments",
    "mean comments",
    "online abuse",
    "pestering",
    "slander",
];

const START: &[&str] = &[
    "start",
    "starting",
    "get started",
    "getting started",
    "beginner",
    "beginners",
    "newbie",
    "newbies",
    "new to",
    "set up",
    "setting up",
    "first time",
    "sign up",
    "begin",
    "join",
];

const TIPS: &[&str] = &[
    "tip",
    "tips",
    "top tips",
    "dos and donts",
    "donts",
    "post",
    "posting",
    "posts",
    "best practice",
    "good practice",
    "boundaries",
    "privacy",
    "confidentiality",
    "friend request",
    "friend requests",
    "tweet",
    "tweeting",
];

const ARTICLES: &[&str] = &[
    "article",
    "articles",
    "reading",
    "read",
    "paper",
    "papers",
    "blog",
    "blogs",
    "journal",
    "research",
    "further reading",
    "literature",
];

const ABOUT: &[&str] = &[
    "source",
    "sources",
    "who made you",
    "who built you",
    "up to date",
    "out of date",
    "last checked",
    "last updated",
    "reviewed",
    "reliable",
    "trust",
    "information come from",
    "info come from",
    "links come from",
    "where do you get",
    "how current",
    "accurate",
];

const CAPABILITIES: &[&str] = &[
    "what can you do",
    "what do you do",
    "who are you",
    "what are you",
    "commands",
    "command",
    "options",
    "menu",
    "how do you work",
    "how does this work",
    "what can i ask",
    "can you help",
    "what do you know",
];

const GUIDANCE: &[&str] = &[
    "guidance",
    "guideline",
    "guidelines",
    "regulator",
    "regulators",
    "code of conduct",
    "code of practice",
    "standards",
    "rules",
    "registration",
    "fitness to practise",
    "professional body",
    "allowed",
];

const GREETING: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "good morning",
    "good afternoon",
    "good evening",
    "morning",
    "greetings",
    "howdy",
    "yo",
];

const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thank",
    "cheers",
    "ta",
    "thx",
    "ty",
    "much appreciated",
    "great",
    "brilliant",
    "perfect",
    "lovely",
    "ok",
    "okay",
    "cool",
    "nice",
    "bye",
    "goodbye",
];

/// Platforms people name that the index has no reporting page for: enough to know the person
/// means a platform, so the answer is abuse help with general steps, never a guessed link.
const OTHER_PLATFORMS: &[&str] = &[
    "facebook",
    "instagram",
    "insta",
    "tiktok",
    "linkedin",
    "whatsapp",
    "youtube",
    "reddit",
    "snapchat",
    "threads",
    "bluesky",
    "mastodon",
    "telegram",
    "tumblr",
    "twitch",
    "pinterest",
    "messenger",
    "email",
    "text message",
    "signal",
];

/// Words that carry no topic: question words, pronouns, and words every question here shares
/// ("social media", "online"). What is left after names, topics and these is searched.
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "i",
    "im",
    "ive",
    "id",
    "me",
    "my",
    "mine",
    "myself",
    "you",
    "your",
    "youre",
    "we",
    "us",
    "our",
    "they",
    "them",
    "their",
    "he",
    "she",
    "him",
    "her",
    "his",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "is",
    "are",
    "am",
    "was",
    "were",
    "be",
    "been",
    "being",
    "do",
    "does",
    "did",
    "doing",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "should",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "what",
    "whats",
    "where",
    "wheres",
    "when",
    "why",
    "how",
    "who",
    "which",
    "there",
    "here",
    "about",
    "for",
    "of",
    "on",
    "in",
    "at",
    "to",
    "from",
    "with",
    "by",
    "as",
    "or",
    "and",
    "but",
    "if",
    "so",
    "not",
    "no",
    "yes",
    "please",
    "pls",
    "any",
    "some",
    "all",
    "anything",
    "something",
    "get",
    "got",
    "find",
    "look",
    "looking",
    "need",
    "want",
    "know",
    "tell",
    "say",
    "says",
    "said",
    "give",
    "show",
    "see",
    "use",
    "using",
    "used",
    "social",
    "media",
    "online",
    "internet",
    "account",
    "accounts",
    "someone",
    "somebody",
    "people",
    "person",
    "just",
    "really",
    "very",
    "also",
    "too",
    "like",
    "dont",
    "cant",
    "work",
    "job",
    "bot",
    "signpost",
    "thing",
    "things",
    "stuff",
    "lot",
    "lots",
    "question",
    "ask",
    "asking",
    "info",
    "information",
    "advice",
    "help",
    "more",
    "now",
    "today",
    "current",
    "latest",
    "recent",
    "version",
    "uk",
    "british",
    "again",
    "other",
    "after",
    "before",
    "over",
    "out",
    "up",
    "one",
    "way",
    "best",
    "good",
    "bad",
    "right",
    "wrong",
    "then",
    "than",
    "only",
    "keep",
    "keeps",
    "kept",
    "sent",
    "send",
    "sending",
    "message",
    "messages",
    "comment",
    "comments",
    "platform",
    "site",
    "app",
    "stall",
    "still",
    "treat",
    "well",
];

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
        // Earlier lists win a shared folded form: danger before abuse before the rest.
        for (topic, list) in [
            (Topic::Danger, DANGER),
            (Topic::Abuse, ABUSE),
            (Topic::OtherPlatform, OTHER_PLATFORMS),
            (Topic::Capabilities, CAPABILITIES),
            (Topic::About, ABOUT),
            (Topic::Start, START),
            (Topic::Tips, TIPS),
            (Topic::Articles, ARTICLES),
            (Topic::Guidance, GUIDANCE),
            (Topic::Greeting, GREETING),
            (Topic::Thanks, THANKS),
        ] {
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
    lexicon().phrases.get(&words.join(" ")).copied()
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
        assert_eq!(topic(&[fold("threatening").as_str()]), Some(Topic::Danger));
        assert_eq!(topic(&["kill", "myself"]), Some(Topic::Danger));
        assert_eq!(topic(&["social"]), None);
        assert!(is_filler("social"));
    }

    /// A mistyped topic word is corrected; a different word that happens to be close is not.
    #[test]
    fn typos_of_topic_words() {
        assert_eq!(correct(&fold("harrassed")), vec![fold("harass")]);
        assert!(correct("treat").is_empty());
    }
}
