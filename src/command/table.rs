//! The one table of commands. Help text, parsing, dispatch to handlers, Discord slash-command
//! registration and Slack usage text all come from [`COMMANDS`], so a command is its own module
//! plus one row here, and is renamed or reworded in one place.
//!
//! A row says how its arguments are read ([`ArgKind`], flag synonyms, what a missing argument is
//! called) and which handler answers; the parser is generic over rows ([`super::args`]).

use super::args::Args;
use super::{about, abuse_help, guidance, help, lists, resource, review, search, suggest, Context};
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
    /// A web address, kept as typed; one word.
    Url,
    /// Free text kept as typed (a suggestion's note, a moderator's reason), bounded by its
    /// handler rather than the parser; takes the remaining words.
    Note,
    /// A suggestion's short id, lowercased; one word.
    SuggestionId,
}

impl ArgKind {
    /// Whether an argument of this kind takes every remaining word rather than one, so nothing
    /// read in table order can follow it.
    pub fn takes_rest(self) -> bool {
        matches!(
            self,
            ArgKind::Profession | ArgKind::Platform | ArgKind::Words | ArgKind::Note
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

/// A command's handler: the index and the parsed arguments in, a reply out. Pure, except that
/// the suggestion commands reach the store through the [`Context`].
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

    /// The most characters of arguments the parser accepts: commands that take a note bound
    /// their own parts (with clearer refusals), so only the input limit applies to them.
    pub fn max_argument(&self) -> usize {
        if self.args.iter().any(|a| a.kind == ArgKind::Note) {
            super::parse::MAX_INPUT
        } else {
            super::parse::MAX_ARGUMENT
        }
    }

    /// Whether the command reads or writes the store (so it is never read as a question, and
    /// neither it nor its words are counted for the report).
    pub fn uses_store(&self) -> bool {
        STORE_COMMANDS.contains(&self.name)
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

/// The commands that use the store.
pub const STORE_COMMANDS: &[&str] = &["suggest", "suggestions", "accept", "reject"];

/// The commands only moderators may run: adapters for which finding out costs a lookup
/// (Matrix power levels) do it only for these.
pub const MODERATOR_COMMANDS: &[&str] = &["suggestions", "accept", "reject"];

const SUGGESTION_ID: ArgSpec = ArgSpec {
    name: "id",
    help: "a suggestion's id, as `suggestions` lists it, e.g. k7m2qd",
    required: true,
    kind: ArgKind::SuggestionId,
    synonyms: &[],
    missing: "a suggestion id (`suggestions` lists them)",
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
        name: "suggest",
        aliases: &["propose", "add-link"],
        summary: "Suggest a link for the index; a moderator reviews it",
        args: &[
            ArgSpec {
                name: "url",
                help: "the page's address, starting https://",
                required: true,
                kind: ArgKind::Url,
                synonyms: &[],
                missing: "a link (https://…)",
            },
            ArgSpec {
                name: "note",
                help: "why it helps and who it is for (optional)",
                required: false,
                kind: ArgKind::Note,
                synonyms: &[],
                missing: "",
            },
        ],
        example: "suggest https://www.example.org/guide Clear guidance for student nurses",
        run: suggest::run,
    },
    CommandSpec {
        name: "suggestions",
        aliases: &["review", "open-suggestions"],
        summary: "Moderators: the suggested links waiting for review",
        args: &[],
        example: "suggestions",
        run: review::list,
    },
    CommandSpec {
        name: "accept",
        aliases: &["approve"],
        summary: "Moderators: accept a suggested link for the index",
        args: &[
            SUGGESTION_ID,
            ArgSpec {
                name: "reason",
                help: "why, for the reviewer who adds it (optional)",
                required: false,
                kind: ArgKind::Note,
                synonyms: &[],
                missing: "",
            },
        ],
        example: "accept k7m2qd current and clear",
        run: review::accept,
    },
    CommandSpec {
        name: "reject",
        aliases: &["decline"],
        summary: "Moderators: reject a suggested link, saying why",
        args: &[
            SUGGESTION_ID,
            ArgSpec {
                name: "reason",
                help: "why, e.g. already covered by the NMC guidance",
                required: true,
                kind: ArgKind::Note,
                synonyms: &[],
                missing: "a reason",
            },
        ],
        example: "reject k7m2qd already covered by the NMC guidance",
        run: review::reject,
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

/// A moderator's action on someone else's message, where the platform has a native place for
/// one: a message context-menu command on Discord ("Apps" on a message), a message shortcut on
/// Slack. The answer is the row's command, posted under the message, naming and pinging no one.
/// Matrix has neither: there a moderator sends the command as a reply to the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageAction {
    /// What the menu shows; also Discord's command name (at most 32 characters).
    pub label: &'static str,
    /// Slack's callback id, as the shortcut is declared in the app's manifest.
    pub callback_id: &'static str,
    /// One line for Slack's shortcut description and the docs.
    pub summary: &'static str,
    /// The command (a row of [`COMMANDS`]) whose answer is posted under the message.
    pub command: &'static str,
}

/// Every message action, in the order menus show them.
pub const MESSAGE_ACTIONS: &[MessageAction] = &[MessageAction {
    label: "Send abuse help",
    callback_id: "send_abuse_help",
    summary: "Moderators: answer this message with how to report abuse and UK support lines",
    command: ABUSE_HELP,
}];

/// Finds a message action by its label (Discord) or callback id (Slack).
pub fn message_action(name: &str) -> Option<&'static MessageAction> {
    MESSAGE_ACTIONS
        .iter()
        .find(|a| a.label == name || a.callback_id == name)
}

/// Finds a command by name or alias (already lowercased).
pub fn by_name(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
