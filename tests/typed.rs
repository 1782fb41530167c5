//! Commands typed not quite right: a mistyped name that can only mean one command runs it and
//! says so, a hyphenated name typed as two words is that command, and an unknown nation is
//! named as what was not understood.

use signpost::reply::Tone;
use signpost::Origin;

use crate::support::{answer, item_urls, rendered};

/// `!guidence nurse` runs `!guidance nurse`, first saying what it read, with the same links as
/// the command typed right.
#[test]
fn a_sure_typo_runs_the_command_and_says_so() {
    let typo = answer("!guidence nurse");
    let right = answer("!guidance nurse");
    assert_eq!(typo.tone, Tone::Answer);
    assert_eq!(item_urls(&typo), item_urls(&right));
    let first = rendered("!guidence nurse", signpost::render::Target::Plain);
    let said = first
        .lines()
        .find(|l| l.contains("guidence"))
        .expect("the typo is named");
    assert!(said.contains("!guidance"), "{said}");
}

/// `!abuse help` is `!abuse-help`, and no platform is read from "help".
#[test]
fn two_words_for_a_hyphenated_command() {
    let split = answer("!abuse help");
    assert_eq!(split.tone, Tone::Answer);
    assert_eq!(item_urls(&split), item_urls(&answer("!abuse-help")));
}

/// `!guidance nurse narnia` names "narnia" as the nation it does not know and points to the
/// nurse's guidance, instead of saying the profession is unknown.
#[test]
fn an_unknown_nation_is_named() {
    let reply = crate::support::reply("!guidance nurse narnia", Origin::Console).expect("reply");
    assert_eq!(reply.tone, Tone::Problem);
    assert!(reply.title.contains("narnia"), "{}", reply.title);
    assert!(!reply.title.contains("profession"), "{}", reply.title);
    let text = signpost::render::Target::Plain.to_texts(&reply).join("\n");
    assert!(text.contains("!guidance nurse"), "{text}");
}
