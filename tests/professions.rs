//! What people type resolves to the right profession: names, aliases, plurals, typos.

use signpost::index::names::MAX_CANDIDATES;
use signpost::index::NameMatch;

use crate::support::{answer, index};

fn resolve(query: &str) -> Option<String> {
    let index = index();
    match index.find_profession(query) {
        NameMatch::Exact(p) | NameMatch::Confident(p) => Some(index.professions[p].id.clone()),
        _ => None,
    }
}

/// A table of names, aliases and typos and the profession each must reach.
#[test]
fn typos_and_aliases_table() {
    let table = [
        ("social-worker", "social-worker"),
        ("social worker", "social-worker"),
        ("socail worker", "social-worker"),
        ("Social Workers", "social-worker"),
        ("SW", "social-worker"),
        ("sw", "social-worker"),
        ("nurse", "nurse"),
        ("nurses", "nurse"),
        ("nurce", "nurse"),
        ("midwife", "midwife"),
        ("midwives", "midwife"),
        ("GP", "gp"),
        ("general practitioner", "gp"),
        ("art therapist", "arts-therapist"),
        ("music therapist", "arts-therapist"),
        ("drama therapist", "arts-therapist"),
        ("OT", "occupational-therapist"),
        ("occupational therapists", "occupational-therapist"),
        ("ocupational therapist", "occupational-therapist"),
        ("psychiatrist", "psychiatrist"),
        ("psychiatrsit", "psychiatrist"),
        ("clinical psychologist", "practitioner-psychologist"),
        ("psychologist", "practitioner-psychologist"),
        ("counsellor", "counsellor"),
        ("counselor", "counsellor"),
        ("councellor", "counsellor"),
        ("psychotherapist", "psychotherapist"),
        ("CAT", "cat-practitioner"),
        ("doctor", "doctor"),
        ("physician associate", "physician-associate"),
        ("ＮＵＲＳＥ", "nurse"),
    ];
    let mut failures = Vec::new();
    for (typed, expected) in table {
        let got = resolve(typed);
        if got.as_deref() != Some(expected) {
            failures.push(format!("{typed:?} → {got:?}, expected {expected}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A prefix shared by several professions asks which was meant, offering at least two and at
/// most `MAX_CANDIDATES`.
#[test]
fn ambiguous_prefix_asks() {
    match index().find_profession("psych") {
        NameMatch::Ambiguous(c) => assert!((2..=MAX_CANDIDATES).contains(&c.len()), "{c:?}"),
        other => panic!("expected a question, got {other:?}"),
    }
    let r = answer("!guidance psych");
    assert!(r.title.starts_with("Which profession"), "{}", r.title);
    let options: Vec<&str> = r
        .menu
        .as_ref()
        .expect("a choice")
        .options
        .iter()
        .map(|o| o.value.as_str())
        .collect();
    assert!(options.contains(&"psychiatrist"), "{options:?}");
}

/// An unknown profession gets the menu of professions instead of a guess.
#[test]
fn unknown_profession_lists_all() {
    let r = answer("!guidance astronaut");
    assert!(r.title.contains("astronaut"));
    let menu = r.menu.expect("the professions menu");
    assert_eq!(menu.options.len(), index().professions.len());
    assert!(format!("{:?}", menu.options).contains("!guidance nurse"));
}

/// Autocomplete ranking puts the intended profession first for partial input.
#[test]
fn ranking_for_autocomplete() {
    let index = index();
    let top = |q: &str| {
        index.professions[index.rank_professions(q, 25)[0].target]
            .id
            .clone()
    };
    assert_eq!(top("socail"), "social-worker");
    assert_eq!(top("nur"), "nurse");
    assert!(index.rank_professions("psych", 25).len() >= 3);
    assert!(index.rank_professions("", 25).is_empty());
}

/// Every profession (covered or not), platform and harm the index knows can be found without
/// knowing its name: `!help` lists them, the profession menu and autocomplete offer each
/// profession, and `!abuse-help` answers each platform by id.
#[test]
fn everything_in_the_index_can_be_found() {
    use signpost::render::Target;
    let index = index();
    let help = crate::support::rendered("!help guidance", Target::Plain);
    for id in index
        .professions
        .iter()
        .map(|p| &p.id)
        .chain(index.uncovered.iter().map(|u| &u.id))
    {
        assert!(help.contains(id.as_str()), "!help guidance lacks {id}");
    }
    let help = crate::support::rendered("!help abuse-help", Target::Plain);
    for p in &index.platforms {
        assert!(
            help.contains(p.id.as_str()),
            "!help abuse-help lacks {}",
            p.id
        );
        let r = answer(&format!("!abuse-help {}", p.id));
        assert!(r.title.contains(&p.name), "{}: {}", p.id, r.title);
    }
    for h in signpost::command::abuse_help::harms::HARMS {
        assert!(help.contains(h.id), "!help abuse-help lacks {}", h.id);
    }
    let menu = answer("!guidance").menu.expect("the profession menu");
    for (at, p) in index.professions.iter().enumerate() {
        assert!(
            menu.options.iter().any(|o| o.value == p.id),
            "the menu lacks {}",
            p.id
        );
        let ranked = index.rank_professions(&p.name, 3);
        assert_eq!(ranked.first().map(|r| r.target), Some(at), "{}", p.id);
    }
}
