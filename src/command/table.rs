//! The one table of commands. Help text, parsing, dispatch to handlers, Discord slash-command
//! registration and Slack usage text all come from [`COMMANDS`], so a command is its own module
//! plus one row here, and is renamed or reworded in one place.
//!
//! A row says how its arguments are read ([`ArgKind`], flag synonyms, what a missing argument is
//! called) and which handler answers; the parser is generic over rows ([`super::args`]).

use super::more::ALL;
pub use super::names::*;
use super::spec::Context;
pub use super::spec::{ArgKind, ArgSpec, CommandSpec, Handler, MessageAction, SitePage};
use super::{about, abuse_help, guidance, help, lists, local, resource, review, search, suggest};
use crate::calendar::CivilDate;
use crate::message::Origin;

const PRIVATE: ArgSpec = ArgSpec {
    name: "private",
    help: "Answer only you (ephemeral reply or direct message)",
    required: false,
    kind: ArgKind::Flag,
    synonyms: &["privately", "dm", "ephemeral", "secret", "quietly"],
    missing: "",
};

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
            ALL,
        ],
        example: "guidance social worker",
        run: guidance::run,
        topics: guidance::TOPICS,
        page: Some(SitePage {
            path: pages::PROFESSIONS,
            nav: Some("Professions"),
            printed: false,
        }),
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: ABUSE_HELP,
        aliases: &["abuse", "report", "abusehelp", "harassment"],
        summary: "Online abuse: the first step for what happened, reporting it, UK support",
        args: &[
            ArgSpec {
                name: "platform",
                help: "the platform and what happened, e.g. facebook fake account (default: where you are)",
                required: false,
                kind: ArgKind::Platform,
                synonyms: &[],
                missing: "",
            },
            PRIVATE,
            ALL,
        ],
        example: "abuse-help private",
        run: abuse_help::run,
        topics: &[],
        page: Some(SitePage {
            path: pages::ABUSE,
            nav: Some("Abuse help"),
            printed: false,
        }),
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: START,
        aliases: &["getting-started", "newbie", "begin"],
        summary: "Getting started on social media as a health professional",
        args: &[ALL],
        example: "start",
        run: lists::start,
        topics: lists::START_TOPICS,
        page: Some(SitePage {
            path: pages::START_HERE,
            nav: None,
            printed: false,
        }),
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: TIPS,
        aliases: &["top-tips", "tip"],
        summary: "Top tips for posting as a registered professional",
        args: &[ALL],
        example: "tips",
        run: lists::tips,
        topics: lists::TIPS_TOPICS,
        page: Some(SitePage {
            path: pages::TIPS,
            nav: Some("Tips"),
            printed: true,
        }),
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: ARTICLES,
        aliases: &["reading", "article"],
        summary: "Articles and policies worth reading",
        args: &[ALL],
        example: "articles",
        run: lists::articles,
        topics: lists::ARTICLES_TOPICS,
        page: Some(SitePage {
            path: pages::ARTICLES,
            nav: Some("Articles"),
            printed: true,
        }),
        store: false,
        moderators: false,
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
        topics: &[],
        page: None,
        store: false,
        moderators: false,
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
        topics: &[],
        page: None,
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: ABOUT,
        aliases: &["source", "info"],
        summary: "Where these links come from and when they were checked",
        args: &[],
        example: "about",
        run: about::run,
        topics: about::TOPICS,
        page: Some(SitePage {
            path: pages::ABOUT,
            nav: Some("About"),
            printed: false,
        }),
        store: false,
        moderators: false,
    },
    CommandSpec {
        name: SUGGEST,
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
        topics: &[],
        page: None,
        store: true,
        moderators: false,
    },
    CommandSpec {
        name: SUGGESTIONS,
        aliases: &["review", "open-suggestions"],
        summary: "Moderators: the suggested links waiting for review",
        args: &[],
        example: "suggestions",
        run: review::list,
        topics: &[],
        page: None,
        store: true,
        moderators: true,
    },
    CommandSpec {
        name: ACCEPT,
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
        topics: &[],
        page: None,
        store: true,
        moderators: true,
    },
    CommandSpec {
        name: REJECT,
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
        topics: &[],
        page: None,
        store: true,
        moderators: true,
    },
    CommandSpec {
        name: LOCAL,
        aliases: &["ours", "community"],
        summary: "Resources of this community, added and removed by its moderators",
        args: &[ArgSpec {
            name: "request",
            help: "list, add <url> <title> or remove <id> (moderators add and remove)",
            required: false,
            kind: ArgKind::Note,
            synonyms: &[],
            missing: "",
        }],
        example: "local add https://www.example.nhs.uk/social-media Our trust's social media policy",
        run: local::run,
        topics: &[],
        page: None,
        store: true,
        moderators: true,
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
        topics: help::TOPICS,
        page: Some(SitePage {
            path: pages::COMMANDS,
            nav: None,
            printed: false,
        }),
        store: false,
        moderators: false,
    },
];

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

/// The names of the commands that use the store (see [`CommandSpec::store`]).
pub fn store_commands() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().filter(|c| c.store).map(|c| c.name)
}

impl<'a> Context<'a> {
    /// A context with no store, sender or moderator rights (tests, previews).
    pub fn new(prefix: &'a str, origin: Origin) -> Context<'a> {
        Context {
            prefix,
            origin,
            suggestions: None,
            sender: None,
            moderator: false,
            commands: COMMANDS,
            today: CivilDate::today(),
            site: None,
            community: None,
            local: None,
        }
    }
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
