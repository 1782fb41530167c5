//! Tests of the command table.

use std::collections::HashSet;

use super::*;
use crate::command::parse;
use crate::command::Args;
use crate::index::Index;
use crate::message::Origin;
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
    suggestions: None,
    sender: None,
    moderator: true,
    commands: COMMANDS,
    today: match crate::calendar::CivilDate::new(2026, 12, 1) {
        Some(day) => day,
        None => panic!("a real day"),
    },
    site: None,
    community: Some("console"),
    local: None,
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
        assert!(
            c.summary.len() <= crate::command::spec::SUMMARY_LIMIT,
            "{} summary too long",
            c.name
        );
        for a in c.args {
            assert!(
                a.help.len() <= crate::command::spec::SUMMARY_LIMIT,
                "{} {} help too long",
                c.name,
                a.name
            );
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
/// and its handler answers it from the seed data without a problem (the suggestion
/// commands with a store in memory, deciding on a suggestion made for them).
#[test]
fn examples_are_answered() {
    use crate::command::suggestion_box::SuggestionBox;
    use crate::store::{sqlite::SqliteStore, NewSuggestion, Suggested};
    use crate::store::{StorageBackend, StorageSettings};
    let index = seed_index();
    let store =
        SqliteStore::open(None, &StorageSettings::new(StorageBackend::SqliteMemory)).unwrap();
    let ctx = Context {
        suggestions: Some(&store),
        local: Some(&store),
        ..CONSOLE
    };
    for c in COMMANDS {
        let mut example = c.example.to_string();
        if c.args.iter().any(|a| a.kind == ArgKind::SuggestionId) {
            let url = format!("https://example.org/{}", c.name);
            let Ok(Suggested::Stored(s)) = store.suggest(NewSuggestion {
                url_key: url.clone(),
                url,
                note: String::new(),
                platform: "console".into(),
                channel: String::new(),
                suggester: "console".into(),
                at: 0,
            }) else {
                panic!("stored")
            };
            example = example.replace("k7m2qd", &s.id);
        }
        let typed = parse(&format!("!{example}"), "!", false);
        let addressed = parse(&example, "!", true);
        assert_eq!(typed, addressed, "{example}");
        let command = typed.expect("parses").expect("is a command");
        assert_eq!(command.spec.name, c.name, "{example}");
        let reply = (c.run)(&index, &ctx, &command.args);
        assert_eq!(reply.tone, Tone::Answer, "{example}: {}", reply.title);
    }
}

/// Only commands that use the store are marked so, and every moderators-only command uses it.
#[test]
fn store_and_moderator_marks() {
    let store: Vec<&str> = store_commands().collect();
    assert!(store.contains(&"suggest"), "{store:?}");
    assert!(!store.contains(&GUIDANCE), "{store:?}");
    for c in COMMANDS.iter().filter(|c| c.moderators) {
        assert!(c.store, "{}", c.name);
    }
    assert!(COMMANDS.iter().any(|c| c.moderators));
}

/// `help` lists every row with its usage and summary, and `help` with any name or alias of
/// a row explains that row.
#[test]
fn help_covers_every_row() {
    let index = seed_index();
    let all = crate::render::plain::to_text(&(row(HELP).run)(&index, &CONSOLE, &Args::default()));
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
    assert_eq!(
        row("abuse-help").usage(),
        "abuse-help [platform] [private] [all]"
    );
    assert!(row("abuse-help").offers_private());
    assert!(!row("guidance").offers_private());
}

/// Each message action answers with a command of the table and fits Discord's and Slack's
/// rules: a label of at most 32 characters (Discord's context-menu names), a callback id of
/// lowercase word characters, a summary within 100 characters, and neither is a command name.
#[test]
fn message_actions_fit_both_platforms() {
    for action in MESSAGE_ACTIONS {
        assert!(by_name(action.command).is_some(), "{}", action.command);
        assert!(action.label.chars().count() <= 32, "{}", action.label);
        assert!(action
            .callback_id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_'));
        assert!(action.summary.chars().count() <= 100);
        assert!(by_name(&action.label.to_lowercase()).is_none());
        assert_eq!(message_action(action.label), Some(action));
        assert_eq!(message_action(action.callback_id), Some(action));
    }
}
