//! The one table of commands. Help text, parsing, dispatch to handlers, Discord slash-command
//! registration and Slack usage text all come from [`COMMANDS`], so a command is its own module
//! plus one row here, and is renamed or reworded in one place.
//!
//! A row says how its arguments are read ([`ArgKind`], flag synonyms, what a missing argument is
//! called) and which handler answers; the parser is generic over rows ([`super::args`]).

use super::args::Args;
use super::{about, abuse_help, guidance, help, lists, resource, search, Context};
use crate::index::Index;
use crate::reply::Reply;

/// What an argument holds and how it is read from typed words; adapters use it to pick option
/// types and autocomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArgKind {
    /// A profession name, alias or typo (autocompleted); takes the remaining words.
    Profession,
    /// A UK nation, split off the end of the words (`in wales`, `NI`).
    Nation,
    /// A platform name; takes the remaining words.
    Platform,
    /// Free words; takes the remaining words.
    Words,
    /// A resource id (autocompleted); one word.
    ResourceId,
    /// A command name; one word.
    CommandName,
    /// A yes/no switch, typed anywhere as its name (`private`) or one of its synonyms.
    Flag,
}

impl ArgKind {
    /// Whether an argument of this kind takes every remaining word rather than one, so nothing
    /// read in table order can follow it.
    pub fn takes_rest(self) -> bool {
        matches!(
            self,
            ArgKind::Profession | ArgKind::Platform | ArgKind::Words
        )
    }

    /// Whether an argument of this kind is read from the remaining words in table order; flags
    /// and nations are recognised by what they say.
    pub fn is_positional(self) -> bool {
        !matches!(self, ArgKind::Flag | ArgKind::Nation)
    }
}

/// One argument of a command.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    /// Name (also the slash-command option name).
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// Whether the command needs it.
    pub required: bool,
    /// What it holds.
    pub kind: ArgKind,
    /// Other words that set a flag (`dm` for `private`); empty for other kinds.
    pub synonyms: &'static [&'static str],
    /// For a required argument, what the person is told is missing: "`search` needs {missing}".
    pub missing: &'static str,
}

/// A command's handler: the index and the parsed arguments in, a reply out. Pure: no IO.
pub type Handler = fn(&Index, &Context<'_>, &Args) -> Reply;

/// One command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Name typed after the prefix, and the slash-command name.
    pub name: &'static str,
    /// Other names that work after the prefix.
    pub aliases: &'static [&'static str],
    /// One line for `!help` and slash-command descriptions (at most 100 characters for Discord).
    pub summary: &'static str,
    /// Arguments, in order.
    pub args: &'static [ArgSpec],
    /// An example invocation without the prefix.
    pub example: &'static str,
    /// Answers the command.
    pub run: Handler,
}

/// Rows are the same command when their names are: names are unique (see the table test), and
/// comparing handlers' addresses would not be reliable.
impl PartialEq for CommandSpec {
    fn eq(&self, other: &CommandSpec) -> bool {
        self.name == other.name
    }
}

impl Eq for CommandSpec {}

impl CommandSpec {
    /// Usage line without the prefix, e.g. `guidance [profession] [nation]`.
    pub fn usage(&self) -> String {
        let mut usage = self.name.to_string();
        for arg in self.args {
            if arg.required {
                usage.push_str(&format!(" <{}>", arg.name));
            } else {
                usage.push_str(&format!(" [{}]", arg.name));
            }
        }
        usage
    }

    /// Whether the command can answer privately.
    pub fn offers_private(&self) -> bool {
        self.args
            .iter()
            .any(|a| a.kind == ArgKind::Flag && a.name == "private")
    }
}

/// The name of the command that lists every command, which replies and adapters point to.
pub const HELP: &str = "help";

/// The names of the commands whose answers the site ([`crate::site`]) prints as pages, so each
/// page names the command that gives the same answer from the row itself.
pub const GUIDANCE: &str = "guidance";
/// See [`GUIDANCE`].
pub const ABUSE_HELP: &str = "abuse-help";
/// See [`GUIDANCE`].
pub const START: &str = "start";
/// See [`GUIDANCE`].
pub const TIPS: &str = "tips";
/// See [`GUIDANCE`].
pub const ARTICLES: &str = "articles";
/// See [`GUIDANCE`].
pub const ABOUT: &str = "about";
/// See [`GUIDANCE`].
pub const SEARCH: &str = "search";
/// See [`GUIDANCE`].
pub const RESOURCE: &str = "resource";

const PRIVATE: ArgSpec = ArgSpec {
    name: "private",
    help: "Answer only you (ephemeral reply or direct message)",
    required: false,
    kind: ArgKind::Flag,
    synonyms: &["privately", "dm", "ephemeral", "secret", "quietly"],
    missing: "",
};

/// Every command, in the order `!help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: GUIDANCE,
        aliases: &["guide", "regulator", "profession"],
        summary: "Social media guidance for a profession, newest first",
        args: &[
            ArgSpec {
                name: "profession",
                help: "e.g. nurse, social worker, GP, art therapist",
                required: false,
                kind: ArgKind::Profession,
                synonyms: &[],
                missing: "",
            },
            ArgSpec {
                name: "nation",
                help: "England, Scotland, Wales or Northern Ireland",
                required: false,
                kind: ArgKind::Nation,
                synonyms: &[],
                missing: "",
            },
        ],
        example: "guidance social worker",
        run: guidance::run,
    },
    CommandSpec {
        name: ABUSE_HELP,
        aliases: &["abuse", "report", "abusehelp", "harassment"],
        summary: "How to report online abuse here, plus UK support lines",
        args: &[
            ArgSpec {
                name: "platform",
                help: "discord, slack, matrix or x (default: where you are)",
                required: false,
                kind: ArgKind::Platform,
                synonyms: &[],
                missing: "",
            },
            PRIVATE,
        ],
        example: "abuse-help private",
        run: abuse_help::run,
    },
    CommandSpec {
        name: START,
        aliases: &["getting-started", "newbie", "begin"],
        summary: "Getting started on social media as a health professional",
        args: &[],
        example: "start",
        run: lists::start,
    },
    CommandSpec {
        name: TIPS,
        aliases: &["top-tips", "tip"],
        summary: "Top tips for posting as a registered professional",
        args: &[],
        example: "tips",
        run: lists::tips,
    },
    CommandSpec {
        name: ARTICLES,
        aliases: &["reading", "article"],
        summary: "Articles and policies worth reading",
        args: &[],
        example: "articles",
        run: lists::articles,
    },
    CommandSpec {
        name: SEARCH,
        aliases: &["find", "s"],
        summary: "Search every resource by words",
        args: &[ArgSpec {
            name: "query",
            help: "words to look for, e.g. hcpc 2024",
            required: true,
            kind: ArgKind::Words,
            synonyms: &[],
            missing: "some words to search for",
        }],
        example: "search twitter newbies",
        run: search::run,
    },
    CommandSpec {
        name: RESOURCE,
        aliases: &["res", "link"],
        summary: "One resource in full, by the id search results show",
        args: &[ArgSpec {
            name: "id",
            help: "a resource id, as search results show it, e.g. nmc-social-media-guidance",
            required: true,
            kind: ArgKind::ResourceId,
            synonyms: &[],
            missing: "a resource id",
        }],
        example: "resource gmc-using-social-media-2024",
        run: resource::run,
    },
    CommandSpec {
        name: ABOUT,
        aliases: &["source", "info"],
        summary: "Where these links come from and when they were checked",
        args: &[],
        example: "about",
        run: about::run,
    },
    CommandSpec {
        name: HELP,
        aliases: &["commands", "h"],
        summary: "Every command, or how to use one",
        args: &[ArgSpec {
            name: "command",
            help: "a command name, e.g. guidance",
            required: false,
            kind: ArgKind::CommandName,
            synonyms: &[],
            missing: "",
        }],
        example: "help guidance",
        run: help::run,
    },
];

/// Finds a command by name or alias (already lowercased).
pub fn by_name(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::command::{parse, Origin};
    use crate::reply::Tone;

    fn row(name: &str) -> &'static CommandSpec {
        by_name(name).expect("a table command")
    }

    fn seed_index() -> Index {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        crate::index::load_dir(&data).expect("data/ is valid").index
    }

    const CONSOLE: Context<'static> = Context {
        prefix: "!",
        origin: Origin::Console,
    };

    /// Names and aliases never collide and are lowercase, and descriptions fit Discord's
    /// 100-character limit.
    #[test]
    fn names_and_descriptions() {
        let mut seen = HashSet::new();
        for c in COMMANDS {
            for n in std::iter::once(&c.name).chain(c.aliases) {
                assert!(seen.insert(*n), "name {n} used twice");
                assert_eq!(n.to_lowercase(), *n);
            }
            assert!(c.summary.len() <= 100, "{} summary too long", c.name);
            for a in c.args {
                assert!(a.help.len() <= 100, "{} {} help too long", c.name, a.name);
            }
        }
    }

    /// Every row's arguments can be read by the generic parser: one argument per kind (flags
    /// aside, which are told apart by name), nothing read in order after an argument that takes
    /// the rest, required arguments read in order and worded for the error, and flag words
    /// lowercase and never shared.
    #[test]
    fn arguments_are_readable() {
        for c in COMMANDS {
            let mut kinds = HashSet::new();
            let mut flag_words = HashSet::new();
            let mut rest_taken = false;
            for a in c.args {
                if a.kind == ArgKind::Flag {
                    for w in std::iter::once(&a.name).chain(a.synonyms) {
                        assert!(flag_words.insert(*w), "{}: flag word {w} twice", c.name);
                        assert_eq!(w.to_lowercase(), *w);
                    }
                } else {
                    assert!(kinds.insert(a.kind), "{}: two {:?}", c.name, a.kind);
                    assert!(a.synonyms.is_empty(), "{} {}: synonyms", c.name, a.name);
                }
                if a.kind.is_positional() {
                    assert!(!rest_taken, "{} {} never gets a word", c.name, a.name);
                    rest_taken = a.kind.takes_rest();
                }
                if a.required {
                    assert!(a.kind.is_positional(), "{} {}", c.name, a.name);
                    assert!(!a.missing.is_empty(), "{} {}: no wording", c.name, a.name);
                }
            }
        }
    }

    /// Every row's example, typed with the prefix or addressed without it, parses to that row
    /// and its handler answers it from the seed data without a problem.
    #[test]
    fn examples_are_answered() {
        let index = seed_index();
        for c in COMMANDS {
            let typed = parse(&format!("!{}", c.example), "!", false);
            let addressed = parse(c.example, "!", true);
            assert_eq!(typed, addressed, "{}", c.example);
            let command = typed.expect("parses").expect("is a command");
            assert_eq!(command.spec.name, c.name, "{}", c.example);
            let reply = (c.run)(&index, &CONSOLE, &command.args);
            assert_eq!(reply.tone, Tone::Answer, "{}: {}", c.example, reply.title);
        }
    }

    /// `help` lists every row with its usage and summary, and `help` with any name or alias of
    /// a row explains that row.
    #[test]
    fn help_covers_every_row() {
        let index = seed_index();
        let all =
            crate::render::plain::to_text(&(row(HELP).run)(&index, &CONSOLE, &Args::default()));
        for c in COMMANDS {
            assert!(all.contains(&format!("!{}", c.usage())), "{all}");
            assert!(all.contains(c.summary), "{all}");
            for n in std::iter::once(&c.name).chain(c.aliases) {
                let command = parse(&format!("!help {n}"), "!", false).unwrap().unwrap();
                assert_eq!(command.args.command, Some(c));
                let one = (command.spec.run)(&index, &CONSOLE, &command.args);
                assert_eq!(one.title, format!("!{}", c.name));
            }
        }
    }

    /// Usage lines mark required and optional arguments.
    #[test]
    fn usage_marks_arguments() {
        assert_eq!(row("search").usage(), "search <query>");
        assert_eq!(row("abuse-help").usage(), "abuse-help [platform] [private]");
        assert!(row("abuse-help").offers_private());
        assert!(!row("guidance").offers_private());
    }
}
