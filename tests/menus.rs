//! Guided lookup in the core: `guidance` alone offers a menu of professions, a pick of a
//! profession whose regulators differ by nation offers the nations, and the pick of a nation
//! gives the command's own answer; odd values are refused; every renderer escapes menu text.

use signpost::action::{Action, ALL_NATIONS, REFUSED};
use signpost::render::Target;
use signpost::reply::{Menu, MenuOption, Reply, Tone};
use signpost::{Incoming, Origin};

use crate::support::{answer, core, index, rendered};

fn presser() -> Incoming {
    let mut message = Incoming::new("", Origin::Console);
    message.addressed = true;
    message
}

fn pick(action: &Action, value: &str) -> Reply {
    core()
        .pick(&presser(), action, value)
        .unwrap_or_else(|| panic!("no answer to {value}"))
}

/// `!guidance` alone is a menu of every profession in index order, each by its id; plain text
/// numbers them with the command to type.
#[test]
fn guidance_alone_offers_every_profession() {
    let reply = answer("!guidance");
    let menu = reply.menu.expect("a menu");
    assert_eq!(menu.action, Action::PickProfession);
    let values: Vec<&str> = menu.options.iter().map(|o| o.value.as_str()).collect();
    let ids: Vec<&str> = index().professions.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(values, ids);
    let text = rendered("!guidance", Target::Plain);
    for (n, p) in index().professions.iter().enumerate() {
        let line = format!("{}. {} — !guidance {}", n + 1, p.name, p.id);
        assert!(text.contains(&line), "missing {line:?} in {text}");
    }
}

/// Only professions whose regulators name more than one nation ask for a nation.
#[test]
fn nations_are_asked_only_where_regulators_differ() {
    let by_nation: Vec<&str> = index()
        .professions
        .iter()
        .filter(|p| p.regulated_by_nation())
        .map(|p| p.id.as_str())
        .collect();
    // Social workers and their students (four councils), pharmacists (the GPhC in Great
    // Britain, the PSNI in Northern Ireland).
    assert_eq!(
        by_nation,
        ["social-worker", "social-work-student", "pharmacist"]
    );
    let nurse = pick(&Action::PickProfession, "nurse");
    assert!(nurse.menu.is_none());
    assert_eq!(nurse.title, "Social media guidance: Nurse");
}

/// Social worker offers the four nations and the whole UK; each nation's pick is the answer to
/// `!guidance social-worker <nation>`, and the whole UK's to `!guidance social-worker`.
#[test]
fn a_nation_pick_is_the_commands_own_answer() {
    let menu = pick(&Action::PickProfession, "social-worker")
        .menu
        .expect("nations");
    assert_eq!(menu.action, Action::PickNation("social-worker".into()));
    let values: Vec<&str> = menu.options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "england",
            "scotland",
            "wales",
            "northern-ireland",
            ALL_NATIONS
        ]
    );
    let scotland = pick(&menu.action, "scotland");
    assert_eq!(scotland, answer("!guidance social-worker scotland"));
    assert!(scotland.title.ends_with("(Scotland)"));
    assert_eq!(
        pick(&menu.action, "northern-ireland"),
        answer("!guidance social-worker northern ireland")
    );
    assert_eq!(
        pick(&menu.action, ALL_NATIONS),
        answer("!guidance social-worker")
    );
}

/// Values that are no index id are refused without being echoed; ids the index does not have
/// are answered as out of date; a nation menu for a profession that is gone likewise.
#[test]
fn odd_picks_are_refused_or_out_of_date() {
    for value in [
        "<@everyone>",
        "Nurse",
        "",
        "nurse\u{202E}",
        &"a".repeat(101),
    ] {
        let reply = pick(&Action::PickProfession, value);
        assert_eq!(reply.title, REFUSED, "{value:?}");
        assert!(!format!("{reply:?}").contains("everyone"));
    }
    let gone = pick(&Action::PickProfession, "astronaut");
    assert_eq!(
        (gone.title.as_str(), gone.tone),
        ("That choice is out of date", Tone::Problem)
    );
    let gone = pick(&Action::PickNation("astronaut".into()), "wales");
    assert_eq!(gone.title, "That choice is out of date");
    let bad_nation = pick(&Action::PickNation("social-worker".into()), "atlantis");
    assert_eq!(bad_nation.title, REFUSED);
}

/// A menu's prompt and labels are escaped by every renderer that writes them as text, and
/// broadcast mentions are broken in the components too.
#[test]
fn menu_text_is_escaped_everywhere() {
    let hostile = "<b>@everyone</b> *x* [a](https://evil.example)";
    let mut reply = Reply::titled("Menu");
    reply.menu = Some(Menu {
        prompt: hostile.to_string(),
        action: Action::PickProfession,
        options: vec![MenuOption {
            label: hostile.to_string(),
            value: "nurse".to_string(),
            typed: None,
        }],
    });
    let matrix = Target::Matrix.to_texts(&reply).join("\n");
    assert!(matrix.contains("&lt;b&gt;@\u{200B}everyone"), "{matrix}");
    assert!(!matrix.contains("<b>"), "{matrix}");
    let plain = Target::Plain.to_texts(&reply).join("\n");
    assert!(plain.contains("1. <b>@\u{200B}everyone"), "{plain}");
    for target in [Target::Slack, Target::Discord] {
        let payload = serde_json::to_string(&target.to_payloads(&reply)).unwrap();
        assert!(!payload.contains("@everyone"), "{target:?}: {payload}");
        assert!(payload.contains("sp1:prof"), "{target:?}: {payload}");
    }
}
