//! `!abuse-help [platform] [harm] [private] [all]`: how to report abuse on the platform the
//! message came from (or the one named), the first step for the harm named ([`harms`]), and UK
//! support lines.
//!
//! The emergency and crisis lines always come first, because this is also the answer to any
//! message that sounds like someone is in danger. The first answer is short (the danger line, the
//! harm's first step, the platform's report route, and where to go when the platform does not
//! act); `all` gives every UK line ([`super::more`]). A platform the index has no page for still
//! gets an answer, with general steps in place of its reporting page: never a guessed link.

pub mod harms;

use std::collections::HashSet;

use super::items::{resource_item, Detail};
use super::more;
use super::more::ALL;
use super::names::{pages, ABUSE_HELP};
use super::spec::{Args, Context};
use crate::index::{display_order, Index, Kind, NameMatch, Platform, Resource, Status};
use crate::line;
use crate::reply::{Line, Reply, Section, Visibility};
use crate::text::echo;
use harms::Harm;

/// The id of the crisis line shown beside 999 at the top of every answer.
pub const CRISIS_LINE: &str = "samaritans";

/// The UK emergency number, which no index edit should be able to drop.
pub const EMERGENCY: &str = "999";

/// Which platforms the answer covers.
enum Chosen<'a> {
    /// Platforms the index has reporting pages for.
    Known(Vec<&'a Platform>),
    /// A platform named that the index has no page for, as typed.
    Unknown(String),
}

/// What the words after `!abuse-help` name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named {
    /// A platform of the index, by its name in a run of up to three words ("on linked in").
    pub platform: Option<usize>,
    /// Words left that name no platform and no harm: a platform the index has no page for.
    pub other: Option<String>,
    /// The harm, by its words, typos included.
    pub harm: Option<&'static Harm>,
}

/// Reads `!abuse-help`'s words: the answer and the report of what was asked both go by this.
pub fn read(index: &Index, words: Option<&str>) -> Named {
    let Some(words) = words.filter(|w| !w.trim().is_empty()) else {
        return Named::default();
    };
    // A platform's own name is never read as a harm's typo ("threads" is not "threats").
    let (named, unnamed): (Vec<&str>, Vec<&str>) = words
        .split_whitespace()
        .partition(|w| index.platform_names_exact(w).is_some());
    let harm = harms::find(&unnamed.join(" "));
    let rest = match harm {
        Some(harm) => format!(
            "{} {}",
            named.join(" "),
            harms::without_harm(&unnamed.join(" "), harm)
        ),
        None => words.to_string(),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Named {
            harm,
            ..Named::default()
        };
    }
    let platform = match index.find_platform(rest) {
        NameMatch::Exact(p) | NameMatch::Confident(p) => Some(p),
        _ => named_within(index, rest),
    };
    Named {
        platform,
        other: platform.is_none().then(|| rest.to_string()),
        harm,
    }
}

/// Answers `!abuse-help`: the short first answer, or all of it with `all`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let named = read(index, args.platform.as_deref());
    let harm = named.harm;
    let chosen = choose(index, ctx, named);
    let mut reply = Reply::titled(title(&chosen, harm));
    reply.intro = urgent_lines(index);
    if let Some(harm) = harm {
        reply.sections.push(harm_section(index, harm, &chosen));
    }
    if args.flag(ALL.name) {
        full(index, ctx, &mut reply, &chosen, harm);
    } else {
        brief(index, ctx, &mut reply, &chosen, harm);
    }
    reply.missed = matches!(chosen, Chosen::Unknown(_));
    if args.flag("private") {
        reply.visibility = Visibility::Private;
    } else {
        reply.notes.push(line![
            "Want this just for you? ",
            ctx.typed(&format!("{ABUSE_HELP} private")),
            " answers privately."
        ]);
    }
    if !args.flag(ALL.name) {
        more::cut_items(&mut reply, more::ABUSE_BUDGET);
    }
    super::local::append(ctx, &mut reply, args.flag(ALL.name));
    reply
}

/// The platforms the answer is for: the one named, else the one the message came from, else all.
fn choose<'a>(index: &'a Index, ctx: &Context<'_>, named: Named) -> Chosen<'a> {
    match (named.platform, named.other) {
        (Some(p), _) => Chosen::Known(vec![&index.platforms[p]]),
        (None, Some(other)) => Chosen::Unknown(other),
        (None, None) => match ctx.origin.platform_id().and_then(|id| index.platform(id)) {
            Some(p) => Chosen::Known(vec![p]),
            None => Chosen::Known(index.platforms.iter().collect()),
        },
    }
}

/// A platform named by one, two or three of `words` in a row, the first found.
fn named_within(index: &Index, words: &str) -> Option<usize> {
    let words: Vec<&str> = words.split_whitespace().collect();
    (0..words.len()).find_map(|at| {
        (1..=3)
            .rev()
            .filter(|len| at + len <= words.len())
            .find_map(|len| index.platform_names_exact(&words[at..at + len].join(" ")))
    })
}

fn title(chosen: &Chosen<'_>, harm: Option<&Harm>) -> String {
    let place = match chosen {
        Chosen::Known(one) if one.len() == 1 => format!(" on {}", one[0].name),
        Chosen::Unknown(name) => format!(" on “{}”", echo(name)),
        Chosen::Known(_) => String::new(),
    };
    match harm {
        Some(harm) => format!("{}{place}: what to do first", harm.name),
        None if place.is_empty() => "Online abuse: reporting it, and UK support".to_string(),
        None => format!("Online abuse{place}: reporting it, and UK support"),
    }
}

/// The whole answer after the harm: every harm's first step when none was named, every
/// platform's pages and every UK line.
fn full(
    index: &Index,
    ctx: &Context<'_>,
    reply: &mut Reply,
    chosen: &Chosen<'_>,
    harm: Option<&Harm>,
) {
    if harm.is_none() {
        for harm in harms::HARMS {
            reply.sections.push(harm_section(index, harm, chosen));
        }
    }
    match chosen {
        Chosen::Known(platforms) => {
            for p in platforms {
                reply
                    .sections
                    .push(platform_section(index, p, Detail::List));
            }
        }
        Chosen::Unknown(name) => reply
            .sections
            .push(unknown_platform_section(index, ctx, name)),
    }
    let mut support = uk_support(index);
    // A line already given as a harm's first step is not listed twice.
    let shown: HashSet<&str> = reply
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| i.title.as_str())
        .collect();
    support.items.retain(|i| !shown.contains(i.title.as_str()));
    reply.sections.push(support);
}

/// The short first answer after the harm: the platform's report route and where to go when the
/// platform does not act, with the rest one step away.
fn brief(
    index: &Index,
    ctx: &Context<'_>,
    reply: &mut Reply,
    chosen: &Chosen<'_>,
    harm: Option<&Harm>,
) {
    let mut words: Vec<&str> = vec![ABUSE_HELP];
    match chosen {
        Chosen::Known(platforms) if platforms.len() == 1 => {
            words.push(&platforms[0].id);
            let mut section = platform_section(index, platforms[0], Detail::Brief);
            if harm.is_some_and(|h| h.impersonation) {
                // The impersonation route is already above: the general report follows it,
                // unless it is the same page.
                section.heading = Some(format!("Other abuse on {}", platforms[0].name));
                if platforms[0].impersonation.is_empty() {
                    section.items.clear();
                }
            }
            reply.sections.push(section);
        }
        Chosen::Known(platforms) => {
            let names: Vec<&str> = platforms.iter().map(|p| p.name.as_str()).collect();
            reply.sections.push(Section {
                heading: Some("Report it on the platform".into()),
                lines: vec![line![
                    format!(
                        "Name the platform for its report route ({}), e.g. ",
                        names.join(", ")
                    ),
                    ctx.typed(&format!("{ABUSE_HELP} facebook")),
                    "."
                ]],
                items: Vec::new(),
            });
        }
        Chosen::Unknown(name) => reply
            .sections
            .push(unknown_platform_section(index, ctx, name)),
    }
    if let Some(rhc) = index.resource(PLATFORM_FOLLOW_UP) {
        reply.sections.push(Section {
            heading: Some("If the platform does not act".into()),
            lines: Vec::new(),
            items: vec![resource_item(index, rhc, Detail::Brief)],
        });
    }
    match harm {
        Some(harm) => words.push(harm.id),
        None => {
            let ids: Vec<&str> = harms::HARMS.iter().map(|h| h.id).collect();
            reply.notes.push(line![
                "Say what happened for its first step (",
                ids.join(", "),
                "), e.g. ",
                ctx.typed(&format!("{ABUSE_HELP} {}", harms::FAKE_ACCOUNT)),
                "."
            ]);
        }
    }
    more::offer(ctx, reply, &words, Some(pages::ABUSE.to_string()));
}

/// The first step for a harm: its lines, then its services (for impersonation, the platform's
/// own route).
fn harm_section(index: &Index, harm: &Harm, chosen: &Chosen<'_>) -> Section {
    let mut items: Vec<&Resource> = Vec::new();
    if harm.impersonation {
        if let Chosen::Known(platforms) = chosen {
            if let [p] = platforms.as_slice() {
                let pages = if p.impersonation.is_empty() {
                    &p.reporting
                } else {
                    &p.impersonation
                };
                items.extend(pages.iter().map(|&r| &index.resources[r]));
            }
        }
    }
    items.extend(
        harm.first
            .iter()
            .filter_map(|id| index.resource(id))
            .filter(|r| r.status == Status::Current && r.superseded_by.is_none()),
    );
    Section {
        heading: Some(format!("First step: {}", harm.name.to_lowercase())),
        lines: harm.steps.iter().map(|s| line![*s]).collect(),
        items: items
            .into_iter()
            .map(|r| resource_item(index, r, Detail::Brief))
            .collect(),
    }
}

/// The service that takes up what a platform did not act on.
pub const PLATFORM_FOLLOW_UP: &str = "report-harmful-content";

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
fn platform_section(index: &Index, p: &Platform, detail: Detail) -> Section {
    let mut pages: Vec<&Resource> = p.reporting.iter().map(|&r| &index.resources[r]).collect();
    pages.sort_by(|a, b| display_order(a, b));
    Section {
        heading: Some(format!("Report it on {}", p.name)),
        lines: vec![line![p.advice.clone()]],
        items: pages
            .into_iter()
            .map(|r| resource_item(index, r, detail))
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
        .flat_map(|p| p.reporting.iter().chain(&p.impersonation))
        .map(|&r| index.resources[r].id.as_str())
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
