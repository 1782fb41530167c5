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
