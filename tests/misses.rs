//! What people could not find: questions without a confident answer are counted, scrubbed of
//! anything that identifies someone, and `signpost report` lists them with the answers given.

use signpost::bot::Sender;
use signpost::{Incoming, Origin};

use crate::suggestions::{core_with, stores};

/// Addressed questions full of ids, handles, emails, phone numbers and links are counted
/// without any of them, beside the answers given; on both stores.
#[test]
fn report_holds_no_one() {
    let questions = [
        "<@412345678901234567> can @alice.smith find the wibble frobnicate? ring 07700 900123",
        "email bob.jones@nhs.net about wibble frobnicate <#C024BE7LH>",
        "@carol:matrix.org wibble frobnicate please +44 (0)20 7946 0958 U024BE7LH",
        "wibble frobnicate see https://evil.example/x?u=dave www.example.org !room:matrix.org",
        "guidance nurse",
    ];
    for (backend, store) in stores() {
        let core = core_with(&store);
        for text in questions {
            let mut message = Incoming::new(text, Origin::Discord);
            message.addressed = true;
            message.sender = Some(Sender::new("412345678901234567", "998877665544332211"));
            core.handle(&message).expect("answered");
        }
        store.flush().unwrap();
        let report = signpost::misses::report(store.as_ref(), 7).unwrap();
        let printed = report.to_string();
        assert!(!report.report.misses.is_empty(), "{backend}: {printed}");
        assert!(
            printed.contains("wibble frobnicate"),
            "{backend}: {printed}"
        );
        assert!(printed.contains("guidance nurse"), "{backend}: {printed}");
        let words: String = report
            .report
            .misses
            .iter()
            .chain(&report.report.answers)
            .map(|t| t.text.clone())
            .collect::<Vec<_>>()
            .join(" | ");
        assert!(
            !words.chars().any(|c| c.is_ascii_digit()),
            "{backend}: {words}"
        );
        for secret in [
            "@",
            "alice",
            "bob",
            "jones",
            "nhs.net",
            "carol",
            "matrix",
            "evil",
            "dave",
            "example",
            "c024be7lh",
            "u024be7lh",
            "room",
            "http",
        ] {
            assert!(!words.contains(secret), "{backend}: {secret} in {words}");
        }
    }
}

/// With `record_questions` off nothing is counted.
#[test]
fn recording_can_be_switched_off() {
    let (_, store) = stores().remove(0);
    let core = signpost::store::wire(
        signpost::Signpost::new(crate::support::index_owned(), "!"),
        &store,
        false,
    );
    let mut message = Incoming::new("wibble frobnicate", Origin::Console);
    message.addressed = true;
    core.handle(&message).expect("answered");
    store.flush().unwrap();
    let report = signpost::misses::report(store.as_ref(), 7).unwrap();
    assert!(report.report.misses.is_empty() && report.report.answers.is_empty());
}

/// Counts gathered in memory and written in separate batches add up to every question asked,
/// the same words merged into one line; on both stores.
#[test]
fn batched_counts_add_up() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        let ask = |text: &str, times: usize| {
            for _ in 0..times {
                let mut message = Incoming::new(text, Origin::Console);
                message.addressed = true;
                core.handle(&message).expect("answered");
            }
        };
        ask("guidance nurse", 3);
        ask("wibble frobnicate", 1);
        store.flush().unwrap();
        ask("guidance nurse", 2);
        store.flush().unwrap();
        let report = signpost::misses::report(store.as_ref(), 7).unwrap();
        let nurse: Vec<_> = report
            .report
            .answers
            .iter()
            .filter(|t| t.text == "guidance nurse")
            .map(|t| t.count)
            .collect();
        assert_eq!(nurse, [5], "{backend}: {report}");
        let misses: Vec<_> = report.report.misses.iter().map(|t| t.count).collect();
        assert_eq!(misses, [1], "{backend}: {report}");
    }
}

/// Typed commands that find nothing count as misses (an unknown profession, an empty search, a
/// platform with no page, a profession not covered), a typo and its spelling as one; answers
/// are counted by what they answered, however it was typed, and never include a miss; on both
/// stores.
#[test]
fn typed_misses_count_and_spellings_merge() {
    for (backend, store) in stores() {
        let core = core_with(&store);
        for text in ["socail wibble frobnicate", "social wibble frobnicate"] {
            let mut message = Incoming::new(text, Origin::Console);
            message.addressed = true;
            core.handle(&message).expect("answered");
        }
        for text in [
            "!guidance wibbler",
            "!search zzqx",
            "!abuse-help myspace",
            "!guidance dentist",
            "!guidance socail worker",
            "!guidance SW",
            "!guidance social workers",
        ] {
            core.handle(&Incoming::new(text, Origin::Console))
                .expect("answered");
        }
        store.flush().unwrap();
        let report = signpost::misses::report(store.as_ref(), 7).unwrap();
        let count = |list: &[signpost::records::Tallied], text: &str| {
            list.iter().find(|t| t.text == text).map(|t| t.count)
        };
        let misses = &report.report.misses;
        assert_eq!(
            count(misses, "social wibble frobnicate"),
            Some(2),
            "{backend}: {report}"
        );
        for missed in ["wibbler", "zzqx", "myspace", "dentist"] {
            assert!(
                misses.iter().any(|t| t.text.contains(missed)),
                "{backend}: {missed} not a miss: {report}"
            );
        }
        let answers = &report.report.answers;
        assert_eq!(
            count(answers, "guidance social-worker"),
            Some(3),
            "{backend}: {report}"
        );
        for missed in ["wibbler", "zzqx", "myspace", "dentist", "wibble"] {
            assert!(
                !answers.iter().any(|t| t.text.contains(missed)),
                "{backend}: {missed} counted as an answer: {report}"
            );
        }
    }
}
