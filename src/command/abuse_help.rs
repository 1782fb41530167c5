//! `!abuse-help [platform] [private]`: how to report abuse on the platform the message came from
//! (or the one named), plus UK support lines.
//!
//! The emergency and crisis lines always come first, because this is also the answer to any
//! message that sounds like someone is in danger. A platform the index has no page for still gets
//! the whole answer, with general steps in place of its reporting page: someone being abused on
//! Facebook needs the UK lines just as much as someone on Discord.

use super::names::ABUSE_HELP;
use std::collections::HashSet;

use super::items::{resource_item, Detail};
use super::spec::{Args, Context};
use crate::index::{display_order, Index, Kind, NameMatch, Platform, Resource, Status};
use crate::line;
use crate::reply::{Line, Reply, Section, Visibility};
use crate::text::echo;

/// The id of the crisis line shown beside 999 at the top of every answer.
pub const CRISIS_LINE: &str = "samaritans";

/// The UK emergency number, which no index edit should be able to drop.
pub const EMERGENCY: &str = "999";

/// Which platforms the answer covers.
enum Chosen<'a> {
    /// Platforms the index has reporting pages for.
    Known(Vec<&'a Platform>),
    /// A platform named that the index has no page for, as typed.
    Unknown(&'a str),
}

/// Answers `!abuse-help`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let chosen = match args.platform.as_deref() {
        Some(name) => match index.find_platform(name) {
            NameMatch::Exact(p) | NameMatch::Confident(p) => {
                Chosen::Known(vec![&index.platforms[p]])
            }
            // "on twitter", "abuse on discord": a platform named among other words.
            _ => match name
                .split_whitespace()
                .find_map(|w| index.platform_names_exact(w))
            {
                Some(p) => Chosen::Known(vec![&index.platforms[p]]),
                None => Chosen::Unknown(name),
            },
        },
        None => match ctx.origin.platform_id().and_then(|id| index.platform(id)) {
            Some(p) => Chosen::Known(vec![p]),
            None => Chosen::Known(index.platforms.iter().collect()),
        },
    };
    let title = match &chosen {
        Chosen::Known(one) if one.len() == 1 => {
            format!(
                "Online abuse: reporting it on {}, and UK support",
                one[0].name
            )
        }
        Chosen::Unknown(name) => format!(
            "Online abuse on “{}”: what to do, and UK support",
            echo(name)
        ),
        Chosen::Known(_) => "Online abuse: reporting it, and UK support".to_string(),
    };
    let mut reply = Reply::titled(title);
    reply.intro = urgent_lines(index);
    match &chosen {
        Chosen::Known(platforms) => {
            for p in platforms {
                reply.sections.push(platform_section(index, p));
            }
        }
        Chosen::Unknown(name) => reply
            .sections
            .push(unknown_platform_section(index, ctx, name)),
    }
    reply.sections.push(uk_support(index));
    if args.flag("private") {
        reply.visibility = Visibility::Private;
    } else {
        reply.notes.push(line![
            "Want this just for you? ",
            ctx.typed(&format!("{ABUSE_HELP} private")),
            " answers privately."
        ]);
    }
    reply
}

/// 999 and the crisis line, then the first thing to do.
fn urgent_lines(index: &Index) -> Vec<Line> {
    let mut danger = format!("If you are in danger now, call {EMERGENCY}.");
    if let Some(phone) = index.resource(CRISIS_LINE).and_then(|r| r.phone.as_ref()) {
        let name = index.resource(CRISIS_LINE).map_or("", |r| r.title.as_str());
        danger.push_str(&format!(
            " If you feel unable to cope or are thinking of harming yourself, {name} listen any time on {phone}, free."
        ));
    }
    vec![
        line![danger],
        line!["You are not alone: keep evidence (screenshots, links, dates) before you block or report."],
    ]
}

/// A known platform's advice and reporting pages, current first.
fn platform_section(index: &Index, p: &Platform) -> Section {
    let mut pages: Vec<&Resource> = p.reporting.iter().map(|&r| &index.resources[r]).collect();
    pages.sort_by(|a, b| display_order(a, b));
    Section {
        heading: Some(format!("Report it on {}", p.name)),
        lines: vec![line![p.advice.clone()]],
        items: pages
            .into_iter()
            .map(|r| resource_item(index, r, Detail::List))
            .collect(),
    }
}

/// General steps for a platform the index has no page for; never a guessed link.
fn unknown_platform_section(index: &Index, ctx: &Context<'_>, name: &str) -> Section {
    let known: Vec<String> = index.platforms.iter().map(|p| p.name.clone()).collect();
    let mut lines = vec![
        line![format!(
            "I have no reporting page for “{}” yet. Use its own report option on the post, message or account: most platforms have one beside the content.",
            echo(name)
        )],
        line!["Block or mute the account after you have saved the evidence, and tell your employer, union or professional body if it touches your work."],
        line!["If the platform does not act, Report Harmful Content (below) can take it up; for threats, stalking or hate crime, also report to the police."],
    ];
    if !known.is_empty() {
        lines.push(line![
            format!("Reporting pages I do have: {} — e.g. ", known.join(", ")),
            ctx.typed(&format!("abuse-help {}", index.platforms[0].id)),
            "."
        ]);
    }
    Section {
        heading: Some("What to do on the platform".into()),
        lines,
        items: Vec::new(),
    }
}

/// Live UK helplines, plus reporting services that are not tied to one platform. Superseded,
/// historic and unconfirmed entries stay out: someone in trouble needs a line that answers.
fn uk_support(index: &Index) -> Section {
    let platform_pages: HashSet<&str> = index
        .platforms
        .iter()
        .flat_map(|p| p.reporting.iter().map(|&r| index.resources[r].id.as_str()))
        .collect();
    let items = index
        .by_kind(Kind::Helpline)
        .into_iter()
        .chain(index.by_kind(Kind::Reporting))
        .filter(|r| r.status == Status::Current && r.superseded_by.is_none())
        .filter(|r| !platform_pages.contains(r.id.as_str()))
        .map(|r| resource_item(index, r, Detail::List))
        .collect();
    Section {
        heading: Some("UK support and reporting".into()),
        lines: Vec::new(),
        items,
    }
}
