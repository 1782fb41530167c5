//! A command's arguments: [`Args`], and how the words after a command's name become them.
//!
//! Reading is driven by the command's row in the table, kind by kind, so a new command needs no
//! parsing code of its own (the order is in the grammar of [`parse`](mod@super::parse)):
//! flags are taken out wherever they stand, then a nation is split off the end, then the other
//! arguments take the remaining words in table order.
//!
//! [`Args`] has one field per [`ArgKind`] rather than a map from argument names, so handlers read
//! typed values without naming an argument twice; the table test allows at most one argument of
//! each kind per command (flags aside, which are told apart by name).

use super::error::ParseError;
use super::spec::{ArgKind, ArgSpec, Args, CommandSpec};
use super::table;
use crate::index::Nation;

impl ArgSpec {
    /// Whether `word` sets this flag: its name or one of its synonyms, in any case.
    fn names_flag(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        self.name == word || self.synonyms.contains(&word.as_str())
    }
}

/// Reads the argument words of `spec` (already split, punctuation trimmed). `prefix` is the
/// command prefix, which people sometimes type before a command name (`!help !guidance`).
pub fn read(spec: &CommandSpec, mut words: Vec<&str>, prefix: &str) -> Result<Args, ParseError> {
    let mut args = Args::default();
    for arg in spec.args.iter().filter(|a| a.kind == ArgKind::Flag) {
        let before = words.len();
        words.retain(|w| !arg.names_flag(w));
        if words.len() < before {
            args.flags.push(arg.name);
        }
    }
    if spec.args.iter().any(|a| a.kind == ArgKind::Nation) {
        args.nation = split_nation(&mut words);
    }
    let mut rest = words.as_slice();
    for arg in spec.args.iter().filter(|a| a.kind.is_positional()) {
        if rest.is_empty() {
            if arg.required {
                return Err(ParseError::MissingArgument {
                    command: spec.name,
                    argument: arg.missing,
                });
            }
            continue;
        }
        let taken = if arg.kind.takes_rest() { rest.len() } else { 1 };
        let (now, later) = rest.split_at(taken);
        rest = later;
        let text = now.join(" ");
        match arg.kind {
            ArgKind::Profession => args.profession = Some(text),
            ArgKind::Platform => args.platform = Some(text),
            ArgKind::Words => args.words = Some(text),
            ArgKind::ResourceId => args.resource_id = Some(text.to_lowercase()),
            ArgKind::Url => args.url = Some(text),
            ArgKind::Note => args.note = Some(text),
            ArgKind::SuggestionId => args.suggestion_id = Some(text.to_lowercase()),
            ArgKind::CommandName => {
                args.command = table::by_name(&text.trim_start_matches(prefix).to_lowercase())
            }
            // Read above, before the positional words.
            ArgKind::Flag | ArgKind::Nation => {}
        }
    }
    Ok(args)
}

/// Takes a trailing nation off the words, with an `in` before it: `social worker in scotland`.
fn split_nation(words: &mut Vec<&str>) -> Option<Nation> {
    for take in [2, 1] {
        if words.len() >= take {
            let tail = words[words.len() - take..].join(" ");
            if let Some(nation) = Nation::from_words(&tail) {
                words.truncate(words.len() - take);
                if words.last().is_some_and(|w| w.eq_ignore_ascii_case("in")) {
                    words.pop();
                }
                return Some(nation);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_for(command: &str, text: &str) -> Result<Args, ParseError> {
        let spec = table::by_name(command).expect("a table command");
        read(spec, text.split_whitespace().collect(), "!")
    }

    /// A flag is recognised by any of its table words, in any case and anywhere, and is not
    /// read as part of another argument.
    #[test]
    fn flags_come_from_the_table() {
        let spec = table::by_name("abuse-help").unwrap();
        let private = spec.args.iter().find(|a| a.name == "private").unwrap();
        for word in std::iter::once(&private.name).chain(private.synonyms) {
            let args = read_for("abuse-help", &format!("{} x", word.to_uppercase())).unwrap();
            assert!(args.flag("private"), "{word}");
            assert_eq!(args.platform.as_deref(), Some("x"), "{word}");
        }
        assert!(!read_for("abuse-help", "x").unwrap().flag("private"));
    }

    /// One-word kinds take one word and ignore the rest; the command name may carry the prefix.
    #[test]
    fn one_word_kinds() {
        let args = read_for("resource", "NMC-Guidance extra words").unwrap();
        assert_eq!(args.resource_id.as_deref(), Some("nmc-guidance"));
        let args = read_for("help", "!GUIDE").unwrap();
        assert_eq!(args.command.map(|c| c.name), Some("guidance"));
        assert_eq!(read_for("help", "frobnicate").unwrap().command, None);
    }

    /// A nation alone leaves no profession; `in` is only dropped before a nation.
    #[test]
    fn nation_without_profession() {
        let args = read_for("guidance", "in wales").unwrap();
        assert_eq!((args.profession, args.nation), (None, Some(Nation::Wales)));
        let args = read_for("guidance", "nurse in").unwrap();
        assert_eq!(args.profession.as_deref(), Some("nurse in"));
    }

    /// A required argument with no words left is reported with the table's wording.
    #[test]
    fn missing_uses_table_wording() {
        assert_eq!(
            read_for("resource", ""),
            Err(ParseError::MissingArgument {
                command: "resource",
                argument: "a resource id"
            })
        );
    }
}
