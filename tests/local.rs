//! A community's own resources (`!local`) through the core, on SQLite and on a real
//! PostgreSQL: moderators add and remove them, everyone else may only list them; they show in
//! that community's guidance, tips and abuse help and in no other community; hostile titles
//! stay inert on every renderer; entries outlive the process; the limit holds.

use std::sync::Arc;

use signpost::bot::Sender;
use signpost::command::local::{HEADING, SHORT};
use signpost::config::{StorageBackend, StorageSettings};
use signpost::records::MAX_LOCAL;
use signpost::reply::Tone;
use signpost::store::{self, Store};
use signpost::{Incoming, Origin, Reply, Signpost};

use crate::escaping::check_reply;
use crate::suggestions::{core_with, stores};
use crate::support::TARGETS;

const POLICY: &str = "https://trust.example.nhs.uk/social-media-policy";

/// The reply to `text` from `person` in `community` on Slack.
fn from(core: &Signpost, community: &str, person: &str, moderator: bool, text: &str) -> Reply {
    let mut message = Incoming::new(text, Origin::Slack);
    message.sender = Some(Sender::new(person, "C1"));
    message.moderator = moderator;
    message.community = Origin::Slack.community(community);
    core.handle(&message)
        .unwrap_or_else(|| panic!("no reply to {text}"))
}

/// The items under [`HEADING`] in `reply`, as (title, url).
fn local_items(reply: &Reply) -> Vec<(String, String)> {
    items(reply, |heading| heading == Some(HEADING))
}

/// Every item of a reply, as (title, url).
fn local_items_any(reply: &Reply) -> Vec<(String, String)> {
    items(reply, |_| true)
}

/// The items of the sections whose heading `wanted` accepts, as (title, url).
fn items(reply: &Reply, wanted: impl Fn(Option<&str>) -> bool) -> Vec<(String, String)> {
    reply
        .sections
        .iter()
        .filter(|s| wanted(s.heading.as_deref()))
        .flat_map(|s| &s.items)
        .map(|i| {
            (
                i.title.clone(),
                i.url.as_ref().map(ToString::to_string).unwrap_or_default(),
            )
        })
        .collect()
}

/// A moderator adds an entry; a non-moderator's add and remove are refused and change nothing;
/// the entry shows last in that community's guidance, tips and abuse help and in `!local list`,
/// never in another community's answers; removing it takes it out: on both stores.
#[test]
fn moderators_add_and_only_their_community_sees_it() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        let refused = from(
            &core,
            "T1",
            "U1",
            false,
            &format!("!local add {POLICY} Sneaky"),
        );
        assert_eq!(refused.tone, Tone::Problem, "{backend}");
        assert!(store.list("slack:T1").unwrap().is_empty(), "{backend}");

        let added = from(
            &core,
            "T1",
            "M1",
            true,
            &format!("!local add {POLICY} Our trust's social media policy"),
        );
        assert_eq!(added.tone, Tone::Answer, "{backend}: {}", added.title);
        let entry = store.list("slack:T1").unwrap().remove(0);
        assert!(added.title.contains(&entry.id), "{}", added.title);
        assert_eq!(entry.new.title, "Our trust's social media policy");

        let expected = vec![(entry.new.title.clone(), POLICY.to_string())];
        for ask in [
            "!guidance nurse",
            "!guidance nurse all",
            "!tips",
            "!abuse-help",
            "!abuse-help facebook all",
        ] {
            let here = from(&core, "T1", "U1", false, ask);
            assert_eq!(local_items(&here), expected, "{backend}: {ask}");
            assert_eq!(
                here.sections.last().and_then(|s| s.heading.as_deref()),
                Some(HEADING),
                "{backend}: {ask}: the community's own come last"
            );
            let elsewhere = from(&core, "T2", "U1", false, ask);
            assert!(local_items(&elsewhere).is_empty(), "{backend}: {ask} in T2");
        }
        let listed = from(&core, "T1", "U9", false, "!local list");
        assert_eq!(local_items_any(&listed), expected, "{backend}");
        let other = from(&core, "T2", "U9", false, "!local");
        assert!(local_items_any(&other).is_empty(), "{backend}");

        let not_yours = from(
            &core,
            "T1",
            "U1",
            false,
            &format!("!local remove {}", entry.id),
        );
        assert_eq!(not_yours.tone, Tone::Problem, "{backend}");
        let wrong_place = from(
            &core,
            "T2",
            "M2",
            true,
            &format!("!local remove {}", entry.id),
        );
        assert_eq!(
            wrong_place.tone,
            Tone::Problem,
            "{backend}: another community's id"
        );
        assert_eq!(store.list("slack:T1").unwrap().len(), 1, "{backend}");
        let removed = from(
            &core,
            "T1",
            "M1",
            true,
            &format!("!local remove {}", entry.id),
        );
        assert_eq!(removed.tone, Tone::Answer, "{backend}: {}", removed.title);
        let after = from(&core, "T1", "U1", false, "!guidance nurse");
        assert!(local_items(&after).is_empty(), "{backend}");
    }
}

/// A community keeps at most `MAX_LOCAL` entries and the same page once; a short answer shows
/// `SHORT` of them and `all` shows every one; http, credentials and missing titles are refused.
#[test]
fn the_limit_duplicates_and_bad_entries() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        for n in 0..MAX_LOCAL {
            let added = from(
                &core,
                "T1",
                "M1",
                true,
                &format!("!local add https://example.org/{n} Page {n}"),
            );
            assert_eq!(added.tone, Tone::Answer, "{backend}: {n}: {}", added.title);
        }
        let full = from(
            &core,
            "T1",
            "M1",
            true,
            "!local add https://example.org/x One more",
        );
        assert_eq!(full.tone, Tone::Problem, "{backend}");
        assert!(
            full.title.contains(&MAX_LOCAL.to_string()),
            "{}",
            full.title
        );
        let again = from(
            &core,
            "T1",
            "M1",
            true,
            "!local add https://Example.org/3/ Twice",
        );
        assert_eq!(again.tone, Tone::Problem, "{backend}");
        assert_eq!(
            store.list("slack:T1").unwrap().len(),
            MAX_LOCAL,
            "{backend}"
        );

        let short = from(&core, "T1", "U1", false, "!tips");
        assert_eq!(local_items(&short).len(), SHORT, "{backend}");
        assert_eq!(
            local_items(&short)[0].0,
            "Page 0",
            "{backend}: oldest first"
        );
        let all = from(&core, "T1", "U1", false, "!tips all");
        assert_eq!(local_items(&all).len(), MAX_LOCAL, "{backend}");

        for (input, says) in [
            ("!local add http://example.org/plain Plain", "https"),
            ("!local add https://u:p@example.org/ Creds", "password"),
            ("!local add https://example.org/untitled", "title"),
            ("!local add", "needs a link"),
            ("!local remove nope!", "not a resource id"),
            ("!local frobnicate", "frobnicate"),
        ] {
            let reply = from(&core, "T3", "M1", true, input);
            assert_eq!(reply.tone, Tone::Problem, "{backend}: {input}");
            let shown = signpost::render::plain::to_text(&reply);
            assert!(shown.contains(says), "{backend}: {input} -> {shown}");
        }
        assert!(store.list("slack:T3").unwrap().is_empty(), "{backend}");
    }
}

/// A title full of markup, mentions and hidden characters is stored cleaned and rendered
/// inert on every platform, in the answers and in the list.
#[test]
fn hostile_titles_are_inert_everywhere() {
    let (_, store) = stores().remove(0);
    let core = core_with(&store);
    let title = "@everyone <@U1> <!channel> **b** [evil](https://evil.example) \
                 <script>x</script> `c` \u{202E}flip \u{2066}end";
    let input = format!("!local add {POLICY} {title}");
    let added = from(&core, "T1", "M1", true, &input);
    assert_eq!(added.tone, Tone::Answer, "{}", added.title);
    let kept = &store.list("slack:T1").unwrap()[0];
    assert!(
        !kept.new.title.chars().any(signpost::unicode::is_hidden),
        "{kept:?}"
    );
    for ask in ["!guidance nurse", "!abuse-help", "!local list"] {
        let reply = from(&core, "T1", "U1", false, ask);
        assert_eq!(
            local_items_any(&reply)
                .iter()
                .filter(|(_, u)| u == POLICY)
                .count(),
            1,
            "{ask}"
        );
        for target in TARGETS {
            check_reply(target, &reply, &input);
        }
    }
}

/// An entry outlives the process: a new store on the same SQLite file, and a second instance
/// on the same PostgreSQL database (a restart or a replica), both list it and answer with it.
#[test]
fn entries_survive_a_restart() {
    let file = crate::support::temp_dir(&format!("local-{}", store::new_id())).join("store.db");
    let open = |backend| -> Arc<dyn Store> {
        store::open(&StorageSettings::new(backend))
            .unwrap()
            .unwrap()
    };
    let url = crate::support::postgres::database();
    let backends = [
        StorageBackend::Sqlite(file.clone()),
        StorageBackend::Postgres(signpost::config::Secret::new(url.clone())),
    ];
    for backend in backends {
        let first = open(backend.clone());
        let added = from(
            &core_with(&first),
            "T1",
            "M1",
            true,
            &format!("!local add {POLICY} Policy"),
        );
        assert_eq!(added.tone, Tone::Answer, "{}", added.title);
        drop(first);
        let again = open(backend);
        let reply = from(&core_with(&again), "T1", "U1", false, "!guidance nurse");
        assert_eq!(
            local_items(&reply),
            vec![("Policy".to_string(), POLICY.to_string())]
        );
    }
}

/// Without a community (the site, a Discord direct message) `!local` says where it works, and
/// answers show no community's entries.
#[test]
fn no_community_no_entries() {
    let (_, store) = stores().remove(0);
    let core = core_with(&store);
    from(
        &core,
        "T1",
        "M1",
        true,
        &format!("!local add {POLICY} Policy"),
    );
    let mut message = Incoming::new("!local list", Origin::Discord);
    message.sender = Some(Sender::new("U1", "D1"));
    let reply = core.handle(&message).unwrap();
    assert_eq!(reply.tone, Tone::Problem);
    message.text = "!guidance nurse".into();
    assert!(local_items(&core.handle(&message).unwrap()).is_empty());
}
