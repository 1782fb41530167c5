//! Word forms folded to one key, so "harassing", "harassed" and "harassment" meet, and so do
//! "therapists" and "therapist".
//!
//! A small suffix folder rather than a full stemmer: the bot only ever compares a message's words
//! with a closed vocabulary (the index's names and the topic words of
//! [`crate::understand`]), and both sides are folded by this same function, so it needs to be
//! consistent, not linguistically right. A handful of rules covers the English plurals, verb
//! forms and nouns people use, stays readable, and makes every match explainable.

/// Suffixes taken off, longest first, with what replaces them.
const SUFFIXES: &[(&str, &str)] = &[
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ied", "y"),
    ("ies", "y"),
    ("ive", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
];

/// Stems shorter than this are left whole: "dying", "bus" and "gps" lose nothing.
const MIN_STEM: usize = 3;

/// The key a word is compared under. `word` is already lowercase and alphanumeric (see
/// [`super::normalize`]).
pub fn fold(word: &str) -> String {
    if word.chars().count() <= MIN_STEM {
        return word.to_string();
    }
    let mut stem = word.to_string();
    for (suffix, replacement) in SUFFIXES {
        if let Some(rest) = word.strip_suffix(suffix) {
            // A double "s" is part of the word ("harass"), not a plural.
            if *suffix == "s" && rest.ends_with('s') {
                break;
            }
            if rest.chars().count() >= MIN_STEM {
                stem = format!("{rest}{replacement}");
            }
            break;
        }
    }
    if stem.chars().count() > MIN_STEM {
        if let Some(rest) = stem.strip_suffix('e') {
            stem = rest.to_string();
        }
    }
    stem
}

/// Every word of `text`, normalized and folded.
pub fn folded_words(text: &str) -> Vec<String> {
    super::normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// The words of a sorted `vocabulary` closest to a mistyped folded `word`: one edit for words up
/// to seven letters, two for longer ones (so "medicine" never becomes "medic"), and the first `same_start` letters unchanged (typos
/// rarely hit them, and it keeps "treat" from reading as "threat"). Empty when none is that close.
pub fn closest<'a>(word: &str, vocabulary: &'a [String], same_start: usize) -> Vec<&'a str> {
    let len = word.chars().count();
    if len < 4 || len <= same_start {
        return Vec::new();
    }
    let tolerance = if len <= 7 { 1 } else { 2 };
    let start: String = word.chars().take(same_start).collect();
    let first = vocabulary.partition_point(|w| w.as_str() < start.as_str());
    let mut best = tolerance + 1;
    let mut found = Vec::new();
    for candidate in vocabulary[first..]
        .iter()
        .take_while(|w| w.starts_with(start.as_str()))
    {
        if candidate.chars().count().abs_diff(len) > tolerance {
            continue;
        }
        let distance = strsim::osa_distance(word, candidate);
        if distance < best {
            best = distance;
            found.clear();
        }
        if distance == best && distance <= tolerance {
            found.push(candidate.as_str());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{closest, fold};

    /// A word further than the tolerance from every candidate gets none: "franc" (from
    /// "france") is two letters from "fraud" and must not be read as it.
    #[test]
    fn nothing_beyond_the_tolerance() {
        let vocabulary = vec!["fraud".to_string(), "frank".to_string()];
        assert_eq!(closest("franc", &vocabulary, 2), vec!["frank"]);
        assert!(closest("frnce", &["fraud".to_string()], 2).is_empty());
        assert!(closest("franc", &["fraud".to_string()], 2).is_empty());
    }

    /// The word forms people use meet their base word.
    #[test]
    fn forms_meet() {
        for (a, b) in [
            ("harassing", "harass"),
            ("harassed", "harassment"),
            ("harasses", "harass"),
            ("trolled", "troll"),
            ("trolling", "trolls"),
            ("bullied", "bully"),
            ("bullying", "bullies"),
            ("therapists", "therapist"),
            ("psychologists", "psychologist"),
            ("abusive", "abuse"),
            ("abused", "abuse"),
            ("threatening", "threatened"),
            ("nurses", "nurse"),
            ("stalking", "stalked"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
        }
    }

    /// Short words and words that only look inflected are left alone.
    #[test]
    fn short_words_stay() {
        assert_eq!(fold("gps"), "gps");
        assert_eq!(fold("bus"), "bus");
        assert_eq!(fold("harass"), "harass");
        assert_ne!(fold("nurse"), fold("worse"));
    }
}
