//! `!about`: where the index comes from and when it was checked.

use super::names::HELP;
use super::spec::{Args, Context};
use crate::index::{Index, Status};
use crate::line;
use crate::reply::{Reply, Section};

/// Words in a plain-words question that ask where the links come from and how current they are.
pub const TOPICS: &[&str] = &[
    "source",
    "sources",
    "who made you",
    "who built you",
    "up to date",
    "out of date",
    "last checked",
    "last updated",
    "reviewed",
    "reliable",
    "trust",
    "information come from",
    "info come from",
    "links come from",
    "where do you get",
    "how current",
    "accurate",
    "verified",
    "links verified",
    "links checked",
    "who made this",
    "who made you",
    "who wrote this",
    "who runs this",
    "who maintains",
    "when was this updated",
    "updated",
    "about you",
];

/// How recent a link check must be to count as fresh in `!about`: a quarter, long enough for a
/// monthly check to miss a run, short enough that a link last seen working last year does not.
pub const VERIFIED_WITHIN_DAYS: i64 = 90;

/// Answers `!about`.
pub fn run(index: &Index, ctx: &Context<'_>, _: &Args) -> Reply {
    let p = &index.provenance;
    let mut reply = Reply::titled(format!("About {}", p.title));
    reply.intro.push(line![format!(
        "Started from “{}” by {} (last updated {}), with newer versions added and moved links corrected.",
        p.source_title, p.source_publisher, p.source_updated
    )]);
    reply.intro.push(line![format!(
        "Last reviewed: {}. Serving the index {}.",
        p.reviewed, index.origin
    )]);
    let count = |s: Status| index.resources.iter().filter(|r| r.status == s).count();
    let (verified, linked) = index.links_verified_within(ctx.today, VERIFIED_WITHIN_DAYS);
    let lines = vec![
        line![format!(
            "{} resources for {} professions and {} platforms: {} current, {} draft, {} historic, {} superseded, {} unverified.",
            index.resources.len(),
            index.professions.len(),
            index.platforms.len(),
            count(Status::Current),
            count(Status::Draft),
            count(Status::Historic),
            count(Status::Superseded),
            count(Status::Unverified)
        )],
        line![format!(
            "{verified} of {linked} links checked in the last {VERIFIED_WITHIN_DAYS} days."
        )],
    ];
    reply.sections.push(Section {
        heading: None,
        lines,
        items: Vec::new(),
    });
    for note in &p.notes {
        reply.notes.push(line![note.clone()]);
    }
    if let Some(store) = ctx.suggestions {
        // `about` answers even when the store is down: the count is left out, not apologised for.
        match store.count(crate::records::SuggestionStatus::Open) {
            Ok(open) => reply.notes.push(line![
                format!("Suggested links waiting for review: {open}. Suggest one with "),
                ctx.typed("suggest <url> [note]"),
                "."
            ]),
            Err(error) => tracing::debug!(%error, "about: no suggestion count"),
        }
    }
    reply.notes.push(line!["Commands: ", ctx.typed(HELP), "."]);
    reply
}
