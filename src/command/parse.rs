//! Turns raw message text into a [`Command`], or says why it cannot.
//!
//! # Grammar
//! ```text
//! message   := space* prefix? space* name (space+ word)*
//! name      := letter (letter | digit | '-' | '_')*  then trailing punctuation, ignored
//! word      := non-space characters; leading and trailing ? ! . , ; : " ' are ignored
//! ```
//! The text is first folded with NFKC (so full-width `！ｇｕｉｄａｎｃｅ` reads as `!guidance`), stripped
//! of control and zero-width characters, and cut to [`MAX_INPUT`] characters. The prefix is
//! required unless the message was addressed to the bot (a mention or a direct message). A
//! prefix followed by anything but a letter (`!!`, `! `, `!?`) is chat, not a command. The name
//! (any case, `_` read as `-`) is looked up among the table's names and aliases.
//!
//! The words are then read as the command's row in [`COMMANDS`](super::table::COMMANDS) says
//! ([`args::read`]), by argument kind:
//! 1. flags, anywhere: the flag's name or a synonym (`private`, `dm`, `ephemeral`, …);
//! 2. a nation, at the end: `scotland`, `in wales`, `NI`;
//! 3. the rest, in table order: a resource id or suggestion id (lowercased), a URL or a command
//!    name takes one word; a profession, a platform, free words or a note take all remaining
//!    words.
//!
//! Words left over are ignored. A required argument with no words left, or more than
//! [`MAX_ARGUMENT`] characters of arguments, is a [`ParseError`]; commands that take a note
//! bound their own parts instead ([`CommandSpec::max_argument`]).

use super::args;
/// Why parsing failed, defined in [`super::error`].
pub use super::error::{ParseError, MAX_ARGUMENT};
use super::names::HELP;
use super::spec::Context;
use super::spec::{Args, CommandSpec};
use super::table;
use crate::index::Index;
use crate::reply::Reply;
/// Text hygiene, defined in [`crate::text`]; re-exported where the parser first defined it.
pub use crate::text::{clean, echo, Clean, MAX_ECHO, MAX_INPUT};

/// A parsed command: its table row, which also holds its handler, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command's row in the table.
    pub spec: &'static CommandSpec,
    /// What the message said for each argument.
    pub args: Args,
}

/// Parses one message. `Ok(None)` means the message is ordinary chat and gets no reply.
/// `prefix` must already be folded with [`clean`] (the core does that once, not per message).
pub fn parse(text: &str, prefix: &str, addressed: bool) -> Result<Option<Command>, ParseError> {
    parse_clean(&Clean::new(text), prefix, addressed)
}

/// [`parse`] for text already folded at the boundary.
pub fn parse_clean(
    text: &Clean,
    prefix: &str,
    addressed: bool,
) -> Result<Option<Command>, ParseError> {
    let clean_prefix = prefix;
    let rest = match text.strip_prefix(clean_prefix) {
        Some(rest) if !clean_prefix.is_empty() => rest.trim_start(),
        _ if addressed => text.as_str(),
        _ => return Ok(None),
    };
    if !rest.chars().next().is_some_and(char::is_alphabetic) {
        return Ok(None);
    }
    let (word, given) = rest.split_once(' ').unwrap_or((rest, ""));
    let name = typed_name(word);
    // A hyphenated name typed as two words (`abuse help`) is that command, not `abuse` with
    // "help" as its argument.
    let (next, after) = given.split_once(' ').unwrap_or((given, ""));
    let joined = format!("{name}-{}", next.to_lowercase());
    let (spec, given) = match table::by_name(&joined) {
        Some(spec) if !next.is_empty() => (Some(spec), after),
        _ => (table::by_name(&name), given),
    };
    let Some(spec) = spec else {
        return Err(ParseError::UnknownCommand {
            suggestion: suggest(&name),
            name: echo(&name),
        });
    };
    let given = given.trim();
    if given.chars().count() > spec.max_argument() {
        return Err(ParseError::TooLong {
            command: spec.name,
            argument: spec.args.first().map_or("input", |a| a.name),
        });
    }
    let words: Vec<&str> = given
        .split(' ')
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '?' | '!' | '.' | ',' | ';' | ':' | '"' | '\''))
        })
        .filter(|w| !w.is_empty())
        .collect();
    let args = args::read(spec, words, clean_prefix)?;
    Ok(Some(Command { spec, args }))
}

/// A command name as typed, read as the table spells names: any case, trailing punctuation
/// dropped, `_` as `-`.
fn typed_name(word: &str) -> String {
    word.trim_end_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' { '-' } else { c })
        .collect()
}

/// The command a mistyped name surely means: exactly one command whose name or an alias is one
/// edit away (a swap of two letters counts as one), or two for names of seven letters or more.
/// Names under four letters are never corrected ("hi" is not "help").
pub fn correction(name: &str) -> Option<&'static CommandSpec> {
    let length = name.chars().count();
    if length < 4 {
        return None;
    }
    let most = if length >= 7 { 2 } else { 1 };
    let mut found: Option<&'static CommandSpec> = None;
    for spec in table::COMMANDS {
        let near = std::iter::once(spec.name)
            .chain(spec.aliases.iter().copied())
            .any(|n| strsim::damerau_levenshtein(name, n) <= most);
        if near {
            if found.is_some() {
                return None;
            }
            found = Some(spec);
        }
    }
    found
}

/// A command typed with its prefix but a mistyped name that surely means one command
/// ([`correction`]): that command with the words given, and the name as typed (bounded for
/// echoing). `None` for anything else, so an unprefixed sentence is never read as a typo.
pub fn parse_corrected(text: &str, prefix: &str) -> Option<(Command, String)> {
    let text = clean(text);
    let rest = text
        .strip_prefix(prefix)
        .filter(|_| !prefix.is_empty())?
        .trim_start();
    let (word, given) = rest.split_once(' ').unwrap_or((rest, ""));
    let name = typed_name(word);
    if table::by_name(&name).is_some() {
        return None;
    }
    let spec = correction(&name)?;
    let fixed = format!("{prefix}{} {given}", spec.name);
    let command = parse(&fixed, prefix, false).ok()??;
    Some((command, echo(&name)))
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

/// Runs a parsed command with the handler its table row names.
pub fn run(index: &Index, ctx: &Context<'_>, command: &Command) -> Reply {
    (command.spec.run)(index, ctx, &command.args)
}

/// The reply for input that looked like a command but could not be parsed.
pub fn parse_problem(ctx: &Context<'_>, error: &ParseError) -> Reply {
    let mut lines = Vec::new();
    match error {
        ParseError::UnknownCommand { suggestion, .. } => {
            if let Some(s) = suggestion {
                lines.push(crate::line!["Did you mean ", ctx.typed(s), "?"]);
            }
            lines.push(crate::line![
                "Type ",
                ctx.typed(HELP),
                " to see every command."
            ]);
        }
        ParseError::MissingArgument { command, .. } | ParseError::TooLong { command, .. } => {
            if let Some(spec) = table::by_name(command) {
                lines.push(crate::line!["Usage: ", ctx.typed(&spec.usage())]);
                lines.push(crate::line!["For example: ", ctx.typed(spec.example)]);
            }
        }
    }
    Reply::problem(crate::text::sentence(&error.to_string()), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::index::Nation;

    fn ok(text: &str) -> Option<Command> {
        parse(text, "!", false).expect("parses")
    }

    /// The command `name` with `args`, as [`ok`] returns it.
    fn command(name: &str, args: Args) -> Option<Command> {
        let spec = table::by_name(name).expect("a table command");
        Some(Command { spec, args })
    }

    /// The name of the command parsed, if the text is one.
    fn name_of(parsed: Result<Option<Command>, ParseError>) -> Option<&'static str> {
        parsed.expect("parses").map(|c| c.spec.name)
    }

    /// A hyphenated command typed as two words is that command, and the word is not read as
    /// its argument; a word that makes no command name stays an argument.
    #[test]
    fn two_word_names_are_one_command() {
        assert_eq!(
            name_of(parse("!abuse help", "!", false)),
            Some("abuse-help")
        );
        let parsed = ok("!abuse help discord").expect("a command");
        assert_eq!(parsed.spec.name, "abuse-help");
        assert_eq!(parsed.args.platform.as_deref(), Some("discord"));
        let parsed = ok("!abuse-help help").expect("a command");
        assert_eq!(parsed.args.platform.as_deref(), Some("help"));
    }

    /// Plain chat, and a prefix followed by punctuation, are not commands.
    #[test]
    fn chat_is_not_a_command() {
        assert_eq!(ok("hello there"), None);
        assert_eq!(ok("!!!"), None);
        assert_eq!(ok("! guidance"), command("guidance", Args::default()));
        assert_eq!(ok("!?"), None);
        assert_eq!(ok(""), None);
    }

    /// Case, extra spaces, trailing punctuation and full-width forms are tolerated.
    #[test]
    fn tolerant_forms() {
        let nurse = command(
            "guidance",
            Args {
                profession: Some("nurse".into()),
                ..Args::default()
            },
        );
        assert_eq!(ok("!GUIDANCE   nurse"), nurse);
        assert_eq!(ok("  !guidance nurse?"), nurse);
        assert_eq!(ok("！ｇｕｉｄａｎｃｅ　ｎｕｒｓｅ"), nurse);
        assert_eq!(ok("!guidance\u{200B} nurse"), nurse);
        assert_eq!(ok("!help!"), command("help", Args::default()));
    }

    /// Without the prefix, only messages addressed to the bot are commands.
    #[test]
    fn addressed_needs_no_prefix() {
        assert_eq!(parse("guidance nurse", "!", false), Ok(None));
        assert_eq!(
            name_of(parse("guidance nurse", "!", true)),
            Some("guidance")
        );
        assert_eq!(
            name_of(parse("!guidance nurse", "!", true)),
            Some("guidance")
        );
    }

    /// A trailing nation is split off the profession.
    #[test]
    fn nation_is_split_off() {
        assert_eq!(
            ok("!guidance social worker in Northern Ireland"),
            command(
                "guidance",
                Args {
                    profession: Some("social worker".into()),
                    nation: Some(Nation::NorthernIreland),
                    ..Args::default()
                }
            )
        );
        assert_eq!(
            ok("!guidance sw scotland"),
            command(
                "guidance",
                Args {
                    profession: Some("sw".into()),
                    nation: Some(Nation::Scotland),
                    ..Args::default()
                }
            )
        );
    }

    /// `private` is a flag anywhere in abuse-help, and the rest names the platform.
    #[test]
    fn abuse_help_private_flag() {
        assert_eq!(
            ok("!abuse-help twitter private"),
            command(
                "abuse-help",
                Args {
                    platform: Some("twitter".into()),
                    flags: vec!["private"],
                    ..Args::default()
                }
            )
        );
        assert_eq!(ok("!report"), command("abuse-help", Args::default()));
    }

    /// A mistyped name that is surely one command is corrected, with the words given; a short
    /// or ambiguous one, or a sentence without the prefix, is not.
    #[test]
    fn sure_typos_are_corrected() {
        let (cmd, typed) = parse_corrected(&Clean::new("!guidence nurse"), "!").expect("corrected");
        assert_eq!((cmd.spec.name, typed.as_str()), ("guidance", "guidence"));
        assert_eq!(cmd.args.profession.as_deref(), Some("nurse"));
        assert_eq!(
            parse_corrected(&Clean::new("!serch hcpc"), "!").map(|(c, _)| c.spec.name),
            Some("search")
        );
        assert!(parse_corrected(&Clean::new("guidence nurse"), "!").is_none());
        assert!(parse_corrected(&Clean::new("!hi"), "!").is_none());
        assert!(parse_corrected(&Clean::new("!guidance nurse"), "!").is_none());
        assert!(parse_corrected(&Clean::new("!frobnicate"), "!").is_none());
        assert!(
            correction("hello").is_none(),
            "two edits from help, and short"
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
        assert_eq!(name_of(parse("sp!tips", "sp!", false)), Some("tips"));
        assert_eq!(parse("!tips", "sp!", false), Ok(None));
    }
}
