//! Moderator review: `!suggestions` lists the open suggestions, `!accept <id> [reason]` and
//! `!reject <id> <reason>` decide one. Only moderators ([`crate::Incoming::moderator`]) may;
//! anyone else is told politely who can and how to suggest instead.
//!
//! Notes and reasons are people's words, so they only ever travel as reply text, which every
//! renderer escapes; links are shown as code, never as clickable links whose text could
//! disguise where they go.

use super::names::SUGGESTIONS;
use super::spec::{Args, Context};
use super::suggest::{apology, unavailable, who, SHOWN_URL};
use crate::index::Index;
use crate::line;
use crate::records::{looks_like_id, Decided, Decision, Suggestion, SuggestionStatus};
use crate::reply::{code, truncate, Item, Reply, Section};
use crate::suggestions::{check_note, export};

/// At most this many suggestions are listed at once, oldest first.
pub const LISTED: usize = 10;

/// Answers `!suggestions`.
pub fn list(_: &Index, ctx: &Context<'_>, _: &Args) -> Reply {
    if !ctx.moderator {
        return not_moderator(ctx);
    }
    let Some(store) = ctx.suggestions else {
        return unavailable();
    };
    let (open, total) = match store
        .suggestions(SuggestionStatus::Open, LISTED)
        .and_then(|open| Ok((open, store.count(SuggestionStatus::Open)?)))
    {
        Ok(found) => found,
        Err(error) => return apology("list suggestions", &error),
    };
    if open.is_empty() {
        return Reply::titled("No suggestions are waiting for review");
    }
    let mut reply = Reply::titled(format!("Suggestions waiting for review: {total}"));
    reply.sections.push(Section {
        heading: None,
        lines: Vec::new(),
        items: open.iter().map(item).collect(),
    });
    if total > open.len() as u64 {
        reply.notes.push(line![format!(
            "The oldest {} are shown; decide on them to see the rest.",
            open.len()
        )]);
    }
    reply.notes.push(line![
        "Decide with ",
        ctx.typed("accept <id> [reason]"),
        " or ",
        ctx.typed("reject <id> <reason>"),
        "."
    ]);
    reply
}

fn item(s: &Suggestion) -> Item {
    let mut item = Item::titled(format!("Suggestion {}", s.id));
    item.meta = vec![
        format!("from {}", s.new.platform),
        format!("on {}", export::date(s.new.at)),
    ];
    item.details
        .push(line![code(truncate(&s.new.url, SHOWN_URL))]);
    if !s.new.note.is_empty() {
        item.details.push(line![format!("Note: {}", s.new.note)]);
    }
    item
}

/// Answers `!accept`.
pub fn accept(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    decide(index, ctx, args, SuggestionStatus::Accepted)
}

/// Answers `!reject`.
pub fn reject(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    decide(index, ctx, args, SuggestionStatus::Rejected)
}

fn decide(_: &Index, ctx: &Context<'_>, args: &Args, status: SuggestionStatus) -> Reply {
    if !ctx.moderator {
        return not_moderator(ctx);
    }
    let Some(store) = ctx.suggestions else {
        return unavailable();
    };
    let id = args.suggestion_id.as_deref().unwrap_or_default();
    if !looks_like_id(id) {
        return Reply::problem(
            format!("“{}” is not a suggestion id", crate::text::echo(id)),
            vec![line![
                "Ids look like k7m2qd: ",
                ctx.typed(SUGGESTIONS),
                " lists them."
            ]],
        );
    }
    let reason = match check_note(args.note.as_deref()) {
        Ok(reason) => reason,
        Err(error) => return Reply::problem(format!("The reason is too long: {error}"), vec![]),
    };
    let (_, _, by) = who(ctx);
    let decision = Decision {
        status,
        by,
        reason,
        at: crate::records::now(),
    };
    match store.decide(id, decision) {
        Ok(Decided::Done(s)) => decided(&s, status),
        Ok(Decided::NotFound) => Reply::problem(
            format!("No suggestion has the id {id}"),
            vec![line![ctx.typed(SUGGESTIONS), " lists the open ones."]],
        ),
        Ok(Decided::AlreadyDecided(s)) => Reply::problem(
            format!("Suggestion {} was already {}", s.id, s.status.as_str()),
            Vec::new(),
        ),
        Err(error) => apology("decide on a suggestion", &error),
    }
}

fn decided(s: &Suggestion, status: SuggestionStatus) -> Reply {
    let mut reply = Reply::titled(format!("Suggestion {} {}", s.id, status.as_str()));
    reply
        .intro
        .push(line![code(truncate(&s.new.url, SHOWN_URL))]);
    if status == SuggestionStatus::Accepted {
        reply.notes.push(line![
            "A maintainer adds it to the index from ",
            code("signpost suggestions export"),
            "."
        ]);
    }
    reply
}

fn not_moderator(ctx: &Context<'_>) -> Reply {
    Reply::problem(
        "Sorry, only moderators can review suggestions",
        vec![line![
            "Anyone can suggest a link with ",
            ctx.typed("suggest <url> [note]"),
            ", and a moderator will look at it. Thank you for helping!"
        ]],
    )
}
