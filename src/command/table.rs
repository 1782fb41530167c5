//! The one table of commands. Help text, the parser, Discord slash-command registration and Slack
//! usage text are all generated from [`COMMANDS`], so a command is added or renamed in one place.

/// Which command a message asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandId {
    /// `!help [command]`
    Help,
    /// `!guidance [profession] [nation]`
    Guidance,
    /// `!abuse-help [platform] [private]`
    AbuseHelp,
    /// `!start`
    Start,
    /// `!articles`
    Articles,
    /// `!tips`
    Tips,
    /// `!search <words>`
    Search,
    /// `!resource <id>`
    Resource,
    /// `!about`
    About,
}

/// What an argument holds; adapters use it to pick option types and autocomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A profession name, alias or typo (autocompleted).
    Profession,
    /// A UK nation.
    Nation,
    /// A platform name.
    Platform,
    /// Free words.
    Words,
    /// A resource id (autocompleted).
    ResourceId,
    /// A command name.
    CommandName,
    /// A yes/no switch, typed as its name (`private`).
    Flag,
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
}

/// One command.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// Which command.
    pub id: CommandId,
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
}

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

const PRIVATE: ArgSpec = ArgSpec {
    name: "private",
    help: "Answer only you (ephemeral reply or direct message)",
    required: false,
    kind: ArgKind::Flag,
};

/// Every command, in the order `!help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        id: CommandId::Guidance,
        name: "guidance",
        aliases: &["guide", "regulator", "profession"],
        summary: "Social media guidance for a profession, newest first",
        args: &[
            ArgSpec {
                name: "profession",
                help: "e.g. nurse, social worker, GP, art therapist",
                required: false,
                kind: ArgKind::Profession,
            },
            ArgSpec {
                name: "nation",
                help: "England, Scotland, Wales or Northern Ireland",
                required: false,
                kind: ArgKind::Nation,
            },
        ],
        example: "guidance social worker",
    },
    CommandSpec {
        id: CommandId::AbuseHelp,
        name: "abuse-help",
        aliases: &["abuse", "report", "abusehelp", "harassment"],
        summary: "How to report online abuse here, plus UK support lines",
        args: &[
            ArgSpec {
                name: "platform",
                help: "discord, slack, matrix or x (default: where you are)",
                required: false,
                kind: ArgKind::Platform,
            },
            PRIVATE,
        ],
        example: "abuse-help private",
    },
    CommandSpec {
        id: CommandId::Start,
        name: "start",
        aliases: &["getting-started", "newbie", "begin"],
        summary: "Getting started on social media as a health professional",
        args: &[],
        example: "start",
    },
    CommandSpec {
        id: CommandId::Tips,
        name: "tips",
        aliases: &["top-tips", "tip"],
        summary: "Top tips for posting as a registered professional",
        args: &[],
        example: "tips",
    },
    CommandSpec {
        id: CommandId::Articles,
        name: "articles",
        aliases: &["reading", "article"],
        summary: "Articles and policies worth reading",
        args: &[],
        example: "articles",
    },
    CommandSpec {
        id: CommandId::Search,
        name: "search",
        aliases: &["find", "s"],
        summary: "Search every resource by words",
        args: &[ArgSpec {
            name: "query",
            help: "words to look for, e.g. hcpc 2024",
            required: true,
            kind: ArgKind::Words,
        }],
        example: "search twitter newbies",
    },
    CommandSpec {
        id: CommandId::Resource,
        name: "resource",
        aliases: &["res", "link"],
        summary: "One resource in full, by its id",
        args: &[ArgSpec {
            name: "id",
            help: "a resource id, e.g. nmc-social-media-guidance",
            required: true,
            kind: ArgKind::ResourceId,
        }],
        example: "resource gmc-using-social-media-2024",
    },
    CommandSpec {
        id: CommandId::About,
        name: "about",
        aliases: &["source", "info"],
        summary: "Where these links come from and when they were checked",
        args: &[],
        example: "about",
    },
    CommandSpec {
        id: CommandId::Help,
        name: "help",
        aliases: &["commands", "h"],
        summary: "Every command, or how to use one",
        args: &[ArgSpec {
            name: "command",
            help: "a command name, e.g. guidance",
            required: false,
            kind: ArgKind::CommandName,
        }],
        example: "help guidance",
    },
];

/// The spec of a command.
pub fn spec(id: CommandId) -> &'static CommandSpec {
    COMMANDS
        .iter()
        .find(|c| c.id == id)
        .expect("every CommandId has a row in COMMANDS")
}

/// Finds a command by name or alias (already lowercased).
pub fn by_name(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every CommandId has exactly one row, names and aliases never collide, and summaries fit
    /// Discord's 100-character description limit.
    #[test]
    fn table_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for c in COMMANDS {
            assert_eq!(spec(c.id).name, c.name);
            for n in std::iter::once(&c.name).chain(c.aliases) {
                assert!(seen.insert(*n), "name {n} used twice");
                assert_eq!(n.to_lowercase(), *n);
            }
            assert!(c.summary.len() <= 100, "{} summary too long", c.name);
            for a in c.args {
                assert!(a.help.len() <= 100, "{} {} help too long", c.name, a.name);
            }
        }
        assert_eq!(COMMANDS.len(), 9);
    }

    /// Usage lines mark required and optional arguments.
    #[test]
    fn usage_marks_arguments() {
        assert_eq!(spec(CommandId::Search).usage(), "search <query>");
        assert_eq!(
            spec(CommandId::AbuseHelp).usage(),
            "abuse-help [platform] [private]"
        );
        assert!(spec(CommandId::AbuseHelp).offers_private());
        assert!(!spec(CommandId::Guidance).offers_private());
    }
}
