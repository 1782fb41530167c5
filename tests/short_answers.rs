//! Short first answers with the rest one step away: every profession's and every platform and
//! harm's first message fits its budget, keeps a badge on every item and the danger line on top,
//! and offers the rest as a **More** button, as the command with `all`, and as the site's page
//! when the operator set the site's address; pressing More gives the whole answer.

use signpost::command::abuse_help::harms::HARMS;
use signpost::command::abuse_help::EMERGENCY;
use signpost::command::more::{ABUSE_BUDGET, ALL, GUIDANCE_BUDGET, LIST_BUDGET};
use signpost::reply::{Action, Badge, Inline, Reply};
use signpost::{Incoming, Origin, Signpost};

use crate::support::{answer, core, index, index_owned, reply};

/// Every item has a badge, and a link not confirmed never shows the success mark.
fn badges_hold(text: &str, r: &Reply) {
    for item in r.sections.iter().flat_map(|s| s.items.iter()) {
        assert!(item.badge.is_some(), "{text}: {} has no badge", item.title);
        if item.url_unverified {
            assert_eq!(item.symbol(), Some(Badge::Unverified.symbol()), "{text}");
        }
    }
}

/// The typed command a short answer offers for the rest, from its `more`.
fn offered(r: &Reply) -> String {
    let more = r.more.as_ref().expect("the rest is offered");
    format!("{} {}", more.words.join(" "), ALL.name)
}

/// Every covered profession's first answer fits the guidance budget, with a badge on every
/// item; when it leaves anything out it offers `guidance <id> all`, which gives more.
#[test]
fn every_profession_first_answer_fits() {
    for p in &index().professions {
        let text = format!("!guidance {}", p.id);
        let r = answer(&text);
        assert!(
            r.visible_len() <= GUIDANCE_BUDGET,
            "{text}: {} visible characters",
            r.visible_len()
        );
        badges_hold(&text, &r);
        if r.more.is_some() {
            assert_eq!(offered(&r), format!("guidance {} all", p.id));
            let whole = answer(&format!("!{}", offered(&r)));
            assert!(whole.more.is_none(), "{text}: the whole answer is whole");
            assert!(
                whole.visible_len() > r.visible_len(),
                "{text}: the rest adds something"
            );
        }
    }
}

/// Abuse help's first answer, for every platform alone and with every harm, fits the abuse
/// budget, opens with the emergency number, and offers the rest for the same platform and harm.
#[test]
fn every_platform_and_harm_first_answer_fits() {
    for p in &index().platforms {
        let harms = std::iter::once(None).chain(HARMS.iter().map(Some));
        for harm in harms {
            let text = match harm {
                Some(h) => format!("!abuse-help {} {}", p.id, h.id),
                None => format!("!abuse-help {}", p.id),
            };
            let r = answer(&text);
            assert!(
                r.visible_len() <= ABUSE_BUDGET,
                "{text}: {} visible characters",
                r.visible_len()
            );
            badges_hold(&text, &r);
            let first = format!("{:?}", r.intro.first().expect("a danger line"));
            assert!(first.contains(EMERGENCY), "{text}: {first}");
            let words: Vec<&str> = ["abuse-help", p.id.as_str()]
                .into_iter()
                .chain(harm.map(|h| h.id))
                .collect();
            assert_eq!(offered(&r), format!("{} all", words.join(" ")), "{text}");
        }
    }
}

/// The lists' first answers (`start`, `tips`, `articles`) fit the list budget and offer the
/// rest; `all` gives every item.
#[test]
fn list_first_answers_fit() {
    for name in ["start", "tips", "articles"] {
        let r = answer(&format!("!{name}"));
        assert!(
            r.visible_len() <= LIST_BUDGET,
            "{name}: {}",
            r.visible_len()
        );
        assert_eq!(offered(&r), format!("{name} all"));
        let count = |r: &Reply| r.sections.iter().map(|s| s.items.len()).sum::<usize>();
        let whole = answer(&format!("!{name} more"));
        assert!(count(&whole) > count(&r), "{name}: `more` lists more");
    }
}

/// Where there are buttons, a short answer's first is More, then the usual ones; a refusal
/// has none.
#[test]
fn more_is_the_first_button() {
    let r = answer("!guidance nurse");
    let buttons = signpost::reply::buttons_for(&r, true);
    assert_eq!(buttons[0], Action::More("guidance:nurse".into()));
    assert_eq!(
        buttons[1..],
        signpost::reply::answer_buttons(r.visibility, true)
    );
    let refusal = answer("!guidance");
    assert!(refusal.more.is_none());
}

/// Pressing More is answered as the command with `all`: the whole answer, counted and limited
/// like any other.
#[test]
fn pressing_more_gives_the_whole_answer() {
    let base = Incoming::new("", Origin::Discord);
    for words in [
        "guidance:social-worker:scotland",
        "abuse-help:facebook:fake-account",
        "tips",
    ] {
        let pressed = core()
            .pick(&base, &Action::More(words.into()), "")
            .expect("an answer");
        let typed = format!("!{} all", words.replace(':', " "));
        assert_eq!(Some(pressed), reply(&typed, Origin::Discord), "{words}");
    }
}

/// With the site's address set, the short answer links the page holding the rest; without
/// it, no link is guessed.
#[test]
fn the_site_page_is_linked_when_set() {
    let site = url::Url::parse("https://signpost.example.org/nhs/").unwrap();
    let with_site = Signpost::new(index_owned(), "!").with_site(site);
    let r = with_site
        .handle(&Incoming::new("!guidance nurse", Origin::Console))
        .expect("an answer");
    let links: Vec<String> = r
        .notes
        .iter()
        .flatten()
        .filter_map(|i| match i {
            Inline::Link { url, .. } => Some(url.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        links,
        ["https://signpost.example.org/nhs/professions/nurse.html"]
    );
    let r = answer("!guidance nurse");
    assert!(!r
        .notes
        .iter()
        .flatten()
        .any(|i| matches!(i, Inline::Link { .. })));
}
