//! `!guidance [profession] [nation]`: a profession's regulator and professional-body guidance,
//! grouped UK-wide then by nation, current versions first.

use super::items::{resource_item, Detail};
use super::local;
use super::more::ALL;
use super::names::{pages, GUIDANCE, TIPS};
use super::spec::{Args, Context};
use crate::action::{ChoiceError, ALL_NATIONS, REFUSED};
use crate::index::{
    display_order, Body, Index, Kind, NameMatch, Nation, Profession, Resource, Uncovered,
};
use crate::line;
use crate::reply::{Action, Inline, Menu, MenuOption, Reply, Section, Visibility};

/// Words in a plain-words question that ask for guidance without naming a profession: answered
/// with the list of professions, and only when nothing else in the question was read.
pub const TOPICS: &[&str] = &[
    "guidance",
    "guideline",
    "guidelines",
    "regulator",
    "regulators",
    "code of conduct",
    "code of practice",
    "standards",
    "rules",
    "registration",
    "fitness to practise",
    "professional body",
    "allowed",
];

/// Answers `!guidance`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let nation = args.nation;
    let Some(query) = args.profession.as_deref() else {
        return list(index, ctx);
    };
    let found = index.find_profession(query);
    // A profession the index knows it lacks is answered as such, never fuzzed to a neighbour
    // ("pharmacist" is not a typo of "psychiatrist").
    if !matches!(found, NameMatch::Exact(_)) {
        if let Some(u) = index.find_uncovered(query) {
            let mut reply = not_covered(index, ctx, u);
            local::append(ctx, &mut reply, args.flag(ALL.name));
            return reply;
        }
    }
    match found {
        NameMatch::Exact(p) | NameMatch::Confident(p) => {
            let p = &index.professions[p];
            let full = profession(index, ctx, p, nation);
            let mut reply = if args.flag(ALL.name) {
                full
            } else {
                brief(index, ctx, p, nation, full)
            };
            local::append(ctx, &mut reply, args.flag(ALL.name));
            reply
        }
        NameMatch::Ambiguous(candidates) => which(index, ctx, query, candidates),
        NameMatch::None => {
            if let Some(reply) = unknown_nation(index, ctx, query) {
                return reply;
            }
            let mut reply = list(index, ctx);
            reply.title = format!("I don't know the profession “{}”", crate::text::echo(query));
            reply.tone = crate::reply::Tone::Problem;
            reply
        }
    }
}

/// A name several professions could be ("therapist"): asked back as a choice, never guessed.
/// The choices are the close names and every profession whose name ends in the word.
fn which(index: &Index, ctx: &Context<'_>, query: &str, close: Vec<usize>) -> Reply {
    let mut candidates: Vec<usize> = Vec::new();
    for p in index.professions_ending_in(query).into_iter().chain(close) {
        if !candidates.contains(&p) {
            candidates.push(p);
        }
    }
    let mut reply = Reply::titled(format!(
        "Which profession do you mean by “{}”?",
        crate::text::echo(query)
    ));
    reply.menu = Some(Menu {
        prompt: "Pick your profession".to_string(),
        action: Action::PickProfession,
        options: candidates
            .into_iter()
            .map(|p| &index.professions[p])
            .filter(|p| crate::action::is_index_id(&p.id))
            .map(|p| MenuOption {
                label: p.name.clone(),
                value: p.id.clone(),
                typed: Some(ctx.typed(&format!("{GUIDANCE} {}", p.id))),
            })
            .collect(),
    });
    reply
}

/// `!guidance nurse narnia`: a known profession followed by a word that is no profession and no
/// nation the parser knows. The nation is what was not understood, so that is what is said.
fn unknown_nation(index: &Index, ctx: &Context<'_>, query: &str) -> Option<Reply> {
    let (head, last) = query.rsplit_once(' ')?;
    let NameMatch::Exact(p) = index.find_profession(head) else {
        return None;
    };
    let p = &index.professions[p];
    let nations: Vec<&str> = NATIONS.iter().map(|(n, _)| n.name()).collect();
    Some(Reply::problem(
        format!("I don't know the UK nation “{}”", crate::text::echo(last)),
        vec![
            line![format!("The nations are {}.", nations.join(", "))],
            line![
                format!("For {} across the UK: ", p.name),
                ctx.typed(&format!("{GUIDANCE} {}", p.id)),
            ],
        ],
    ))
}

/// A profession the index has no guidance for: said plainly, with the regulator by name when it
/// is well established and any guidance in the index that applies.
fn not_covered(index: &Index, ctx: &Context<'_>, u: &Uncovered) -> Reply {
    let mut reply = Reply::titled(format!("{}: not covered yet", u.name));
    reply.missed = true;
    reply.intro.push(line![format!(
        "I don't have social media guidance for {} yet.",
        u.name.to_lowercase()
    )]);
    match &u.regulator {
        Some(regulator) => reply.intro.push(line![format!(
            "Regulator most likely to apply — {regulator}. Its standards and guidance are the place to start."
        )]),
        None => reply.intro.push(line![
            "I can't say which regulator applies: check with your employer or professional body."
        ]),
    }
    if !u.guidance.is_empty() {
        reply.sections.push(Section {
            heading: Some("Guidance in this index that applies".into()),
            lines: Vec::new(),
            items: u
                .guidance
                .iter()
                .map(|&r| resource_item(index, &index.resources[r], Detail::List))
                .collect(),
        });
    }
    if let Some(note) = &u.note {
        reply.notes.push(line![note.clone()]);
    }
    reply.notes.push(line![
        "Professions I do cover: ",
        ctx.typed(GUIDANCE),
        ". General tips: ",
        ctx.typed(TIPS),
        "."
    ]);
    reply
}

/// Every profession, as a menu (a select where the platform has one, else a numbered list with
/// the command to type for each).
fn list(index: &Index, ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::titled("Guidance on social media, by profession");
    let options = index
        .professions
        .iter()
        .filter(|p| crate::action::is_index_id(&p.id))
        .map(|p| MenuOption {
            label: p.name.clone(),
            value: p.id.clone(),
            typed: Some(ctx.typed(&format!("guidance {}", p.id))),
        })
        .collect();
    reply.menu = Some(Menu {
        prompt: "Pick your profession".to_string(),
        action: Action::PickProfession,
        options,
    });
    reply.notes.push(line![
        "Short names and typos work too, e.g. ",
        ctx.typed("guidance SW"),
        " or ",
        ctx.typed("guidance GP"),
        "."
    ]);
    reply
}

fn profession(index: &Index, ctx: &Context<'_>, p: &Profession, only: Option<Nation>) -> Reply {
    let mut title = format!("Social media guidance: {}", p.name);
    if let Some(n) = only {
        title.push_str(&format!(" ({})", n.name()));
    }
    let mut reply = Reply::titled(title);
    for regulator in &p.regulators {
        let shown = match (only, regulator.split_once(':')) {
            (Some(n), Some((place, _))) => {
                let place = place.trim();
                place == n.name() || place == "UK" || Nation::from_words(place).is_none()
            }
            _ => true,
        };
        if shown {
            reply.intro.push(line![format!("Regulator — {regulator}")]);
        }
    }
    // UK-wide first, then each nation that has its own guidance; then every group holding
    // current guidance moves ahead of those holding only older material, so a Scottish social
    // worker sees the SSSC's current guidance before a UK-wide historic policy.
    let first_group = reply.sections.len();
    let groups = std::iter::once(None).chain(Nation::ALL.into_iter().map(Some));
    for group in groups {
        if let (Some(g), Some(n)) = (group, only) {
            if g != n {
                continue;
            }
        }
        let items: Vec<_> = p
            .resources
            .iter()
            .map(|&i| &index.resources[i])
            .filter(|r| is_guidance(r.kind))
            .filter(|r| match group {
                None => r.nations.is_empty(),
                Some(g) => r.nations.contains(&g),
            })
            .map(|r| resource_item(index, r, Detail::List))
            .collect();
        if items.is_empty() {
            continue;
        }
        let heading = match group {
            None => "Across the UK".to_string(),
            Some(g) => g.name().to_string(),
        };
        reply.sections.push(Section {
            heading: Some(heading),
            lines: Vec::new(),
            items,
        });
    }
    current_first(&mut reply.sections[first_group..]);
    let reading: Vec<_> = p
        .resources
        .iter()
        .map(|&i| &index.resources[i])
        .filter(|r| !is_guidance(r.kind))
        .map(|r| resource_item(index, r, Detail::List))
        .collect();
    if !reading.is_empty() {
        reply.sections.push(Section {
            heading: Some("Further reading".into()),
            lines: Vec::new(),
            items: reading,
        });
    }
    if let Some(note) = &p.note {
        reply.notes.push(line![note.clone()]);
    }
    reply.notes.push(line![
        "Current versions come first; superseded, historic and unverified ones are marked. Tips: ",
        ctx.typed(TIPS),
        "."
    ]);
    reply
}

/// A profession's first answer: the best current guidance of each regulator and professional
/// body, one short line each, with the rest one step away ([`super::more`]). `full` is the whole
/// answer, given instead when it fits the short answer's budget anyway.
fn brief(
    index: &Index,
    ctx: &Context<'_>,
    p: &Profession,
    only: Option<Nation>,
    full: Reply,
) -> Reply {
    let mut picked: Vec<&Resource> = Vec::new();
    for body in [Body::Regulator, Body::ProfessionalBody] {
        let mut candidates: Vec<&Resource> = p
            .resources
            .iter()
            .map(|&i| &index.resources[i])
            .filter(|r| is_guidance(r.kind) && r.body == Some(body))
            .filter(|r| only.is_none_or(|n| r.nations.is_empty() || r.nations.contains(&n)))
            .collect();
        candidates.sort_by(|a, b| display_order(a, b));
        let mut publishers = std::collections::HashSet::new();
        candidates.retain(|r| publishers.insert(&r.publisher));
        // UK-wide first, then the nations in their usual order.
        candidates.sort_by_key(|r| {
            r.nations.first().map_or(0, |n| {
                1 + Nation::ALL.iter().position(|m| m == n).unwrap_or(0)
            })
        });
        picked.extend(candidates);
    }
    if picked.is_empty() {
        let mut guidance: Vec<&Resource> = p
            .resources
            .iter()
            .map(|&i| &index.resources[i])
            .filter(|r| is_guidance(r.kind))
            .collect();
        guidance.sort_by(|a, b| display_order(a, b));
        picked.extend(guidance.into_iter().take(2));
    }
    if picked.is_empty() || full.visible_len() <= super::more::GUIDANCE_BUDGET {
        return full;
    }
    let mut reply = Reply::titled(full.title);
    let items = picked
        .into_iter()
        .map(|r| {
            let mut item = resource_item(index, r, Detail::Brief);
            if let (None, [nation]) = (only, r.nations.as_slice()) {
                if let Some(Inline::Text(why)) =
                    item.details.first_mut().and_then(|l| l.first_mut())
                {
                    *why = format!("{}: {why}", nation.name());
                }
            }
            item
        })
        .collect();
    reply.sections.push(Section {
        heading: None,
        lines: Vec::new(),
        items,
    });
    if only.is_none() && p.regulated_by_nation() {
        reply.intro.push(line![
            "Regulators differ by nation: add yours, e.g. ",
            ctx.typed(&format!("{GUIDANCE} {} scotland", p.id)),
            "."
        ]);
    }
    let nation_id = only.and_then(|n| NATIONS.iter().find(|(m, _)| *m == n).map(|(_, id)| *id));
    let words: Vec<&str> = [GUIDANCE, p.id.as_str()]
        .into_iter()
        .chain(nation_id)
        .collect();
    super::more::offer(ctx, &mut reply, &words, Some(pages::profession(&p.id)));
    super::more::cut_items(&mut reply, super::more::GUIDANCE_BUDGET);
    reply
}

/// Guidance and published policies are what a profession must follow; the rest is reading.
fn is_guidance(kind: Kind) -> bool {
    matches!(kind, Kind::Guidance | Kind::Policy)
}

/// Moves sections holding current guidance ahead of those holding only older material, keeping
/// their order otherwise.
fn current_first(sections: &mut [Section]) {
    sections.sort_by_key(|s| {
        !s.items
            .iter()
            .any(|i| i.badge == Some(crate::reply::Badge::Current))
    });
}

/// The nation ids of the nation menu, as the data files spell them.
pub const NATIONS: [(Nation, &str); 4] = [
    (Nation::England, "england"),
    (Nation::Scotland, "scotland"),
    (Nation::Wales, "wales"),
    (Nation::NorthernIreland, "northern-ireland"),
];

/// The nation menu for a profession whose regulators differ by nation.
pub fn nation_menu(ctx: &Context<'_>, p: &Profession) -> Reply {
    let mut reply = Reply::titled(format!("Social media guidance: {}", p.name));
    reply
        .intro
        .push(line!["Its regulator depends on where you work."]);
    let mut options: Vec<MenuOption> = NATIONS
        .iter()
        .map(|(nation, id)| MenuOption {
            label: nation.name().to_string(),
            value: id.to_string(),
            typed: Some(ctx.typed(&format!("guidance {} {}", p.id, nation.name()))),
        })
        .collect();
    options.push(MenuOption {
        label: "All of the UK".to_string(),
        value: ALL_NATIONS.to_string(),
        typed: Some(ctx.typed(&format!("guidance {}", p.id))),
    });
    reply.menu = Some(Menu {
        prompt: "Which UK nation do you work in?".to_string(),
        action: Action::PickNation(p.id.clone()),
        options,
    });
    reply
}

/// The polite reply to a pick of something the index no longer has: private, so the menu it
/// came from is left as it was.
pub fn gone(ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::problem(
        "That choice is out of date",
        vec![line![
            "The list has changed since it was sent. Ask again: ",
            ctx.typed(super::names::GUIDANCE),
            "."
        ]],
    );
    reply.visibility = Visibility::Private;
    reply
}

/// The reply to a refused id or value (see [`ChoiceError`]).
pub fn refused(error: &ChoiceError, ctx: &Context<'_>) -> Reply {
    match error {
        ChoiceError::Forged => Reply {
            visibility: Visibility::Private,
            ..Reply::problem(REFUSED, Vec::new())
        },
        ChoiceError::Stale => gone(ctx),
    }
}

/// The profession with id `id`, if the index has it.
pub fn by_id<'a>(index: &'a Index, id: &str) -> Option<&'a Profession> {
    index.professions.iter().find(|p| p.id == id)
}
