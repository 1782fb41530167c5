//! Suggestions through the core, on SQLite and on a real PostgreSQL: suggesting, moderator
//! review, export, many suggesters at once, hostile input, and a store that is down.

use std::sync::Arc;
use std::time::Duration;

use signpost::bot::Sender;
use signpost::config::Secret;
use signpost::config::{StorageBackend, StorageSettings};
use signpost::reply::Tone;
use signpost::store::{self, Store, SuggestionStatus};
use signpost::{Incoming, Origin, Reply, Signpost};

use crate::escaping::check_reply;
use crate::support::{index_owned, postgres, TARGETS};

/// A fresh store of each backend: SQLite in a temporary file, and a new Postgres database.
pub fn stores() -> Vec<(&'static str, Arc<dyn Store>)> {
    let file = crate::support::temp_dir(&format!("store-{}", store::new_id())).join("store.db");
    let open = |backend| {
        store::open(&StorageSettings::new(backend))
            .expect("opens")
            .expect("a store")
    };
    vec![
        ("sqlite", open(StorageBackend::Sqlite(file))),
        (
            "postgres",
            open(StorageBackend::Postgres(Secret::new(postgres::database()))),
        ),
    ]
}

/// A core serving the real index with `store`.
pub fn core_with(store: &Arc<dyn Store>) -> Signpost {
    signpost::store::wire(Signpost::new(index_owned(), "!"), store, true)
}

/// The reply to `text` from `person` on Slack, a moderator or not.
fn from(core: &Signpost, person: &str, moderator: bool, text: &str) -> Reply {
    let mut message = Incoming::new(text, Origin::Slack);
    message.sender = Some(Sender::new(person, "C1"));
    message.moderator = moderator;
    core.handle(&message)
        .unwrap_or_else(|| panic!("no reply to {text}"))
}

/// The suggestion id a confirmation names.
fn id_in(reply: &Reply) -> String {
    let id = reply
        .title
        .split(' ')
        .find(|w| store::looks_like_id(w))
        .unwrap_or_else(|| panic!("no id in {:?}", reply.title));
    id.to_string()
}

fn text(reply: &Reply) -> String {
    signpost::render::plain::to_text(reply)
}

/// Anyone can suggest, a repeat or an indexed link is answered with the existing entry, only
/// moderators list and decide, and export prints accepted ones as entries `signpost check`
/// refuses until their TODOs are completed and accepts after: on both stores.
#[test]
fn suggest_review_and_export() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        let stored = from(
            &core,
            "U1",
            false,
            "!suggest https://Example.org/guide/#top For nurses",
        );
        assert_eq!(stored.tone, Tone::Answer, "{backend}: {}", stored.title);
        let id = id_in(&stored);
        let again = from(&core, "U2", false, "!suggest http://example.org/guide/");
        assert!(again.title.contains(&id), "{backend}: {}", again.title);
        let indexed = core.index().resources[0].url.clone().unwrap();
        let listed = from(&core, "U2", false, &format!("!suggest {indexed}"));
        assert!(
            listed.title.contains("already in the index"),
            "{}",
            listed.title
        );
        let other = id_in(&from(&core, "U3", false, "!suggest https://example.net/x"));
        assert_eq!(store.count(SuggestionStatus::Open).unwrap(), 2, "{backend}");
        let about = text(&from(&core, "U9", false, "!about"));
        assert!(
            about.contains("waiting for review: 2"),
            "{backend}: {about}"
        );

        for command in [
            "!suggestions",
            &format!("!accept {id}"),
            &format!("!reject {id} no"),
        ] {
            let refused = from(&core, "U1", false, command);
            assert_eq!(refused.tone, Tone::Problem, "{backend}: {command}");
            assert!(
                text(&refused).contains("only moderators"),
                "{}",
                text(&refused)
            );
        }
        let open = text(&from(&core, "M1", true, "!suggestions"));
        assert!(
            open.contains(&id) && open.contains(&other) && open.contains("For nurses"),
            "{open}"
        );

        let accepted = from(
            &core,
            "M1",
            true,
            &format!("!accept {id} current and clear"),
        );
        assert_eq!(accepted.tone, Tone::Answer, "{}", accepted.title);
        let rejected = from(&core, "M1", true, &format!("!reject {other} out of scope"));
        assert_eq!(rejected.tone, Tone::Answer, "{}", rejected.title);
        let twice = from(&core, "M1", true, &format!("!reject {id} changed my mind"));
        assert!(twice.title.contains("already accepted"), "{}", twice.title);
        let missing = from(&core, "M1", true, "!accept zzzzzz");
        assert!(missing.title.contains("No suggestion"), "{}", missing.title);
        let none = text(&from(&core, "M1", true, "!suggestions"));
        assert!(none.contains("No suggestions"), "{none}");

        let accepted = store.suggestions(SuggestionStatus::Accepted, 10).unwrap();
        assert_eq!(accepted.len(), 1);
        let decision = accepted[0].decision.as_ref().expect("decided");
        assert_eq!(
            (decision.by.as_str(), decision.reason.as_str()),
            ("M1", "current and clear")
        );
        assert_eq!(accepted[0].new.suggester, "U1");
        assert_eq!(accepted[0].new.channel, "C1");
        export_checks(&signpost::suggestions::export::to_toml(&accepted));
    }
}

/// The export, appended to a copy of `data/`, is refused while it says TODO and served once
/// each TODO is filled in.
fn export_checks(exported: &str) {
    assert!(exported.contains("https://example.org/guide"), "{exported}");
    let dir = std::env::temp_dir().join(format!("signpost-export-{}", store::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(crate::support::data_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let resources = dir.join("resources.toml");
    let original = std::fs::read_to_string(&resources).unwrap();
    std::fs::write(&resources, format!("{original}\n{exported}")).unwrap();
    let errors = signpost::index::load_dir(&dir)
        .expect_err("TODOs refused")
        .to_string();
    for field in ["title", "publisher", "date", "summary"] {
        assert!(errors.contains(field), "{field} not named: {errors}");
    }
    let completed = exported
        .replace("\"TODO: the page's own title\"", "\"A guide\"")
        .replace("\"TODO: who publishes it\"", "\"Example\"")
        .replace("\"TODO\"", "\"2025\"")
        .replace(
            "\"TODO: one sentence on what it offers\"",
            "\"A guide for nurses.\"",
        );
    std::fs::write(&resources, format!("{original}\n{completed}")).unwrap();
    signpost::index::load_dir(&dir).expect("completed export is valid");
    let _ = std::fs::remove_dir_all(&dir);
}

/// 200 suggestions from 20 tasks at once on a multi-threaded runtime are all stored, with
/// distinct ids: on both stores.
#[test]
fn concurrent_suggestions_are_all_kept() {
    for (backend, store) in stores() {
        let core = Arc::new(core_with(&store));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .build()
            .unwrap();
        let ids = runtime.block_on(async {
            let tasks: Vec<_> = (0..20)
                .map(|task| {
                    let core = Arc::clone(&core);
                    tokio::spawn(async move {
                        (0..10)
                            .map(|n| {
                                let text =
                                    format!("!suggest https://example.org/{task}/{n} note {n}");
                                id_in(&from(&core, &format!("U{task}"), false, &text))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let mut ids = Vec::new();
            for task in tasks {
                ids.extend(task.await.unwrap());
            }
            ids
        });
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!((ids.len(), distinct.len()), (200, 200), "{backend}");
        assert_eq!(
            store.count(SuggestionStatus::Open).unwrap(),
            200,
            "{backend}"
        );
        let rows = store.suggestions(SuggestionStatus::Open, 1000).unwrap();
        assert_eq!(rows.len(), 200, "{backend}");
    }
}

/// Non-links, other schemes, credentials, overlong notes and hidden characters are refused
/// or cleaned, and nothing refused is stored; markup and mentions in a note reach moderators
/// inert on every renderer.
#[test]
fn bad_input_is_refused_and_escaped() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        let huge = format!("!suggest https://example.org/a {}", "x".repeat(10_000));
        for (input, says) in [
            ("!suggest not-a-link", "not a web address"),
            ("!suggest javascript:alert(document.cookie)", "javascript"),
            ("!suggest data:text/html,<script>alert(1)</script>", "data"),
            ("!suggest https://admin:hunter2@example.org/", "password"),
            ("!suggest https://user@example.org/", "password"),
            (huge.as_str(), "note"),
            ("!suggest", "needs a link"),
        ] {
            let reply = from(&core, "U1", false, input);
            assert_eq!(reply.tone, Tone::Problem, "{backend}: {input:.60}");
            let shown = text(&reply);
            assert!(shown.contains(says), "{backend}: {input:.60} -> {shown}");
            assert!(!shown.contains("hunter2"), "{shown}");
        }
        assert_eq!(store.count(SuggestionStatus::Open).unwrap(), 0, "{backend}");

        let hostile = "!suggest https://example.org/h\u{202E}x @everyone <@U123> <!channel> \
                       **bold** [evil](https://evil.example) <script>x</script> `code` \u{2066}end";
        let stored = from(&core, "U1", false, hostile);
        assert_eq!(stored.tone, Tone::Answer, "{}", stored.title);
        let kept = &store.suggestions(SuggestionStatus::Open, 10).unwrap()[0];
        assert!(
            !kept.new.note.chars().any(signpost::unicode::is_hidden)
                && !kept.new.url.contains('\u{202E}'),
            "{kept:?}"
        );
        let listing = from(&core, "M1", true, "!suggestions");
        for target in TARGETS {
            check_reply(target, &listing, hostile);
        }
    }
}

/// A Postgres on a closed port, and a SQLite file locked by another writer, give a short
/// apology and no panic, and the bot keeps answering other commands.
#[test]
fn a_store_that_is_down_gets_an_apology() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut settings = StorageSettings::new(StorageBackend::Postgres(Secret::new(format!(
        "postgres://nobody@127.0.0.1:{port}/none"
    ))));
    settings.timeout = Duration::from_millis(500);
    let down = store::open(&settings).unwrap().unwrap();

    let file = crate::support::temp_dir("locked-store").join("store.db");
    let mut settings = StorageSettings::new(StorageBackend::Sqlite(file.clone()));
    settings.timeout = Duration::from_millis(300);
    let locked = store::open(&settings).unwrap().unwrap();
    locked
        .count(SuggestionStatus::Open)
        .expect("creates the file");
    let holder = rusqlite::Connection::open(&file).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();

    for (name, store) in [("postgres", down), ("sqlite", locked)] {
        let core = core_with(&store);
        let reply = from(&core, "U1", false, "!suggest https://example.org/down");
        assert_eq!(reply.tone, Tone::Problem, "{name}");
        assert!(reply.title.starts_with("Sorry"), "{name}: {}", reply.title);
        if name == "postgres" {
            // SQLite in WAL mode still reads under another writer's lock.
            let listing = from(&core, "M1", true, "!suggestions");
            assert!(
                listing.title.starts_with("Sorry"),
                "{name}: {}",
                listing.title
            );
        }
        let still = from(&core, "U1", false, "!guidance nurse");
        assert_eq!(still.tone, Tone::Answer, "{name}");
    }
    drop(holder);
}

/// A `!suggest` held back by a cooldown stores nothing: the limit is checked before the
/// command runs.
#[test]
fn a_suggestion_over_the_cooldown_is_not_stored() {
    use signpost::cooldown::{Limit, Limits};
    let (_, store) = stores().remove(0);
    let person = Limit {
        burst: std::num::NonZeroU32::new(1).expect("non-zero"),
        refill: std::time::Duration::from_secs(86_400),
    };
    let core = core_with(&store).with_cooldowns(Limits {
        person: Some(person),
        channel: None,
    });
    let first = from(&core, "U1", false, "!suggest https://example.org/first");
    assert_eq!(
        first.tone,
        signpost::reply::Tone::Answer,
        "{}",
        text(&first)
    );
    let held = from(&core, "U1", false, "!suggest https://example.org/second");
    assert_eq!(held.tone, signpost::reply::Tone::Problem);
    assert_eq!(
        store.count(store::SuggestionStatus::Open).expect("count"),
        1,
        "only the first was stored"
    );
}
