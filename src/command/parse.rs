//! Turns raw message text into a [`Command`], or says why it cannot.
//!
//! # Grammar
//! ```text
//! message   := space* prefix? space* name (space+ argument)*
//! name      := letter (letter | digit | '-' | '_')*  then trailing punctuation, ignored
//! ```
//! The text is first folded with NFKC (so full-width `！ｇｕｉｄａｎｃｅ` reads as `!guidance`), stripped
//! of control and zero-width characters, and cut to [`MAX_INPUT`] characters. The prefix is
//! required unless the message was addressed to the bot (a mention or a direct message). A
//! prefix followed by anything but a letter (`!!`, `! `, `!?`) is chat, not a command.
//!
//! Arguments per command:
//! - `guidance [profession words] [nation]`: a trailing nation (`scotland`, `in wales`, `NI`) filters.
//! - `abuse-help [platform] [private]`: `private` (or `dm`, `privately`, `ephemeral`) anywhere.
//! - `search <words>`, `resource <id>`, `help [command]`; other commands ignore extra words.

use unicode_normalization::UnicodeNormalization;

use super::table::{self, CommandId};
use crate::index::Nation;

/// Longest message prefix that is read; the rest of a huge message is ignored.
pub const MAX_INPUT: usize = 2_000;
/// Longest argument accepted.
pub const MAX_ARGUMENT: usize = 120;
/// Longest piece of user input ever echoed back in a reply.
pub const MAX_ECHO: usize = 40;

/// A parsed command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `help [command]`
    Help {
        /// The command asked about, if any.
        topic: Option<CommandId>,
    },
    /// `guidance [profession] [nation]`
    Guidance {
        /// The profession as typed (resolved later against the index).
        profession: Option<String>,
        /// Only this nation's guidance (plus UK-wide).
        nation: Option<Nation>,
    },
    /// `abuse-help [platform] [private]`
    AbuseHelp {
        /// The platform as typed.
        platform: Option<String>,
        /// Answer privately.
        private: bool,
    },
    /// `start`
    Start,
    /// `articles`
    Articles,
    /// `tips`
    Tips,
    /// `search <words>`
    Search {
        /// The words.
        query: String,
    },
    /// `resource <id>`
    Resource {
        /// The id as typed.
        id: String,
    },
    /// `about`
    About,
}

impl Command {
    /// Which command this is.
    pub fn id(&self) -> CommandId {
        match self {
            Command::Help { .. } => CommandId::Help,
            Command::Guidance { .. } => CommandId::Guidance,
            Command::AbuseHelp { .. } => CommandId::AbuseHelp,
            Command::Start => CommandId::Start,
            Command::Articles => CommandId::Articles,
            Command::Tips => CommandId::Tips,
            Command::Search { .. } => CommandId::Search,
            Command::Resource { .. } => CommandId::Resource,
            Command::About => CommandId::About,
        }
    }
}

/// Why a message that looked like a command could not be parsed. Shown to the user.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// No command has that name.
    #[error("there is no command `{name}`")]
    UnknownCommand {
        /// The name typed (shortened for echoing).
        name: String,
        /// The closest command, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A required argument is missing.
    #[error("`{command}` needs {argument}")]
    MissingArgument {
        /// The command.
        command: &'static str,
        /// The argument's name.
        argument: &'static str,
    },
    /// An argument is longer than [`MAX_ARGUMENT`].
    #[error("the {argument} is too long (at most {MAX_ARGUMENT} characters)")]
    TooLong {
        /// The command.
        command: &'static str,
        /// The argument's name.
        argument: &'static str,
    },
}

/// Folds text for parsing: NFKC, no control or zero-width characters, single spaces, bounded.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_INPUT));
    let mut pending_space = false;
    for c in text.chars().take(MAX_INPUT).nfkc() {
        if c.is_whitespace() {
            pending_space = true;
        } else if c.is_control() || is_invisible(c) {
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

fn is_invisible(c: char) -> bool {
    crate::unicode::is_hidden(c)
}

/// Shortens user input for echoing in a reply, so a huge message never makes a huge answer.
pub fn echo(text: &str) -> String {
    crate::reply::truncate(text, MAX_ECHO)
}

const PRIVATE_WORDS: &[&str] = &[
    "private",
    "privately",
    "dm",
    "ephemeral",
    "secret",
    "quietly",
];

/// Parses one message. `Ok(None)` means the message is ordinary chat and gets no reply.
/// `prefix` must already be folded with [`clean`] (the core does that once, not per message).
pub fn parse(text: &str, prefix: &str, addressed: bool) -> Result<Option<Command>, ParseError> {
    let text = clean(text);
    let clean_prefix = prefix;
    let rest = match text.strip_prefix(clean_prefix) {
        Some(rest) if !clean_prefix.is_empty() => rest.trim_start(),
        _ if addressed => text.as_str(),
        _ => return Ok(None),
    };
    if !rest.chars().next().is_some_and(char::is_alphabetic) {
        return Ok(None);
    }
    let (word, args) = rest.split_once(' ').unwrap_or((rest, ""));
    let name: String = word
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    let Some(spec) = table::by_name(&name) else {
        return Err(ParseError::UnknownCommand {
            suggestion: suggest(&name),
            name: echo(&name),
        });
    };
    let args = args.trim();
    if args.chars().count() > MAX_ARGUMENT {
        return Err(ParseError::TooLong {
            command: spec.name,
            argument: spec.args.first().map_or("input", |a| a.name),
        });
    }
    let words: Vec<&str> = args
        .split(' ')
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '?' | '!' | '.' | ',' | ';' | ':' | '"' | '\''))
        })
        .filter(|w| !w.is_empty())
        .collect();
    let command = match spec.id {
        CommandId::Help => Command::Help {
            topic: words.first().and_then(|w| {
                let w = w.trim_start_matches(clean_prefix).to_lowercase();
                table::by_name(&w).map(|spec| spec.id)
            }),
        },
        CommandId::Guidance => {
            let (profession, nation) = split_nation(&words);
            Command::Guidance {
                profession: (!profession.is_empty()).then_some(profession),
                nation,
            }
        }
        CommandId::AbuseHelp => {
            let private = words
                .iter()
                .any(|w| PRIVATE_WORDS.contains(&w.to_lowercase().as_str()));
            let platform: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| !PRIVATE_WORDS.contains(&w.to_lowercase().as_str()))
                .collect();
            Command::AbuseHelp {
                platform: (!platform.is_empty()).then(|| platform.join(" ")),
                private,
            }
        }
        CommandId::Start => Command::Start,
        CommandId::Articles => Command::Articles,
        CommandId::Tips => Command::Tips,
        CommandId::About => Command::About,
        CommandId::Search => {
            if words.is_empty() {
                return Err(ParseError::MissingArgument {
                    command: spec.name,
                    argument: "some words to search for",
                });
            }
            Command::Search {
                query: words.join(" "),
            }
        }
        CommandId::Resource => match words.first() {
            Some(id) => Command::Resource {
                id: id.to_lowercase(),
            },
            None => {
                return Err(ParseError::MissingArgument {
                    command: spec.name,
                    argument: "a resource id",
                })
            }
        },
    };
    Ok(Some(command))
}

/// Splits a trailing nation off profession words: `social worker in scotland`.
fn split_nation(words: &[&str]) -> (String, Option<Nation>) {
    for take in [2, 1] {
        if words.len() >= take {
            let tail = words[words.len() - take..].join(" ");
            if let Some(nation) = Nation::from_words(&tail) {
                let mut head = &words[..words.len() - take];
                if head.last().is_some_and(|w| w.eq_ignore_ascii_case("in")) {
                    head = &head[..head.len() - 1];
                }
                return (head.join(" "), Some(nation));
            }
        }
    }
    (words.join(" "), None)
}

/// The closest command name to a mistyped one, if it is close enough to be a typo.
fn suggest(name: &str) -> Option<&'static str> {
    table::COMMANDS
        .iter()
        .flat_map(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(move |n| (c.name, n))
        })
        .filter(|(_, n)| n.len() >= 3)
        .map(|(canonical, n)| (canonical, strsim::jaro_winkler(name, n)))
        .filter(|(_, score)| *score >= 0.85)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(canonical, _)| canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Option<Command> {
        parse(text, "!", false).expect("parses")
    }

    /// Plain chat, and a prefix followed by punctuation, are not commands.
    #[test]
    fn chat_is_not_a_command() {
        assert_eq!(ok("hello there"), None);
        assert_eq!(ok("!!!"), None);
        assert_eq!(
            ok("! guidance"),
            Some(Command::Guidance {
                profession: None,
                nation: None
            })
        );
        assert_eq!(ok("!?"), None);
        assert_eq!(ok(""), None);
    }

    /// Case, extra spaces, trailing punctuation and full-width forms are tolerated.
    #[test]
    fn tolerant_forms() {
        let nurse = Some(Command::Guidance {
            profession: Some("nurse".into()),
            nation: None,
        });
        assert_eq!(ok("!GUIDANCE   nurse"), nurse);
        assert_eq!(ok("  !guidance nurse?"), nurse);
        assert_eq!(ok("！ｇｕｉｄａｎｃｅ　ｎｕｒｓｅ"), nurse);
        assert_eq!(ok("!guidance\u{200B} nurse"), nurse);
        assert_eq!(ok("!help!"), Some(Command::Help { topic: None }));
    }

    /// Without the prefix, only messages addressed to the bot are commands.
    #[test]
    fn addressed_needs_no_prefix() {
        assert_eq!(parse("guidance nurse", "!", false), Ok(None));
        assert!(matches!(
            parse("guidance nurse", "!", true),
            Ok(Some(Command::Guidance { .. }))
        ));
        assert!(matches!(
            parse("!guidance nurse", "!", true),
            Ok(Some(Command::Guidance { .. }))
        ));
    }

    /// A trailing nation is split off the profession.
    #[test]
    fn nation_is_split_off() {
        assert_eq!(
            ok("!guidance social worker in Northern Ireland"),
            Some(Command::Guidance {
                profession: Some("social worker".into()),
                nation: Some(Nation::NorthernIreland)
            })
        );
        assert_eq!(
            ok("!guidance sw scotland"),
            Some(Command::Guidance {
                profession: Some("sw".into()),
                nation: Some(Nation::Scotland)
            })
        );
    }

    /// `private` is a flag anywhere in abuse-help, and the rest names the platform.
    #[test]
    fn abuse_help_private_flag() {
        assert_eq!(
            ok("!abuse-help twitter private"),
            Some(Command::AbuseHelp {
                platform: Some("twitter".into()),
                private: true
            })
        );
        assert_eq!(
            ok("!report"),
            Some(Command::AbuseHelp {
                platform: None,
                private: false
            })
        );
    }

    /// Unknown commands are errors with a suggestion when one is close; the echo is bounded.
    #[test]
    fn unknown_commands() {
        assert_eq!(
            parse("!guidence nurse", "!", false),
            Err(ParseError::UnknownCommand {
                name: "guidence".into(),
                suggestion: Some("guidance")
            })
        );
        let long = format!("!{}", "x".repeat(500));
        match parse(&long, "!", false) {
            Err(ParseError::UnknownCommand {
                name,
                suggestion: None,
            }) => {
                assert_eq!(name.chars().count(), MAX_ECHO)
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Required arguments and length limits are enforced.
    #[test]
    fn argument_errors() {
        assert_eq!(
            parse("!search", "!", false),
            Err(ParseError::MissingArgument {
                command: "search",
                argument: "some words to search for"
            })
        );
        let long = format!("!search {}", "word ".repeat(100));
        assert!(matches!(
            parse(&long, "!", false),
            Err(ParseError::TooLong { .. })
        ));
    }

    /// A custom multi-character prefix works.
    #[test]
    fn custom_prefix() {
        assert!(matches!(
            parse("sp!tips", "sp!", false),
            Ok(Some(Command::Tips))
        ));
        assert_eq!(parse("!tips", "sp!", false), Ok(None));
    }
}
