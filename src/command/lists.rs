//! `!start`, `!articles` and `!tips`: fixed lists from the index.

use super::items::{resource_item, Detail};
use super::more;
use super::more::ALL;
use super::names::{pages, ARTICLES, GUIDANCE, START, TIPS};
use super::spec::{Args, Context};
use crate::index::{display_order, Index, Kind};
use crate::line;
use crate::reply::{Reply, Section};

/// Words in a plain-words question that ask how to get started (the `start` row's topics).
pub const START_TOPICS: &[&str] = &[
    "start",
    "starting",
    "get started",
    "getting started",
    "beginner",
    "beginners",
    "newbie",
    "newbies",
    "new to",
    "set up",
    "setting up",
    "first time",
    "sign up",
    "begin",
    "join",
];

/// Words in a plain-words question that ask for tips on posting (the `tips` row's topics).
pub const TIPS_TOPICS: &[&str] = &[
    "tip",
    "tips",
    "top tips",
    "dos and donts",
    "donts",
    "post",
    "posting",
    "posts",
    "best practice",
    "good practice",
    "boundaries",
    "privacy",
    "confidentiality",
    "friend request",
    "friend requests",
    "tweet",
    "tweeting",
];

/// Words in a plain-words question that ask for further reading (the `articles` row's topics).
pub const ARTICLES_TOPICS: &[&str] = &[
    "article",
    "articles",
    "reading",
    "read",
    "paper",
    "papers",
    "blog",
    "blogs",
    "journal",
    "research",
    "further reading",
    "literature",
];

/// Answers `!start`: getting-started material.
pub fn start(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let reply = start_all(index, ctx);
    short_unless_all(ctx, args, reply, START, pages::START_HERE)
}

/// The first answer of a list command, unless `all` was asked for.
fn short_unless_all(ctx: &Context<'_>, args: &Args, reply: Reply, name: &str, page: &str) -> Reply {
    if args.flag(ALL.name) {
        return reply;
    }
    more::shorten(ctx, reply, more::LIST_BUDGET, &[name], Some(page))
}

fn start_all(index: &Index, ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::titled("Getting started on social media");
    reply.intro.push(line![
        "Posting as a health or care professional? Know your regulator's and professional body's guidance first: ",
        ctx.typed(GUIDANCE),
        "."
    ]);
    reply.sections.push(Section {
        heading: Some("Guides and talks".into()),
        lines: Vec::new(),
        items: index
            .by_kind(Kind::GettingStarted)
            .into_iter()
            .map(|r| resource_item(index, r, Detail::List))
            .collect(),
    });
    reply.notes.push(line![
        "Top tips: ",
        ctx.typed(TIPS),
        ". Further reading: ",
        ctx.typed(ARTICLES),
        "."
    ]);
    reply
}

/// One headed section per kind that has resources, each listed in the index's display order.
pub fn by_kind(index: &Index, kinds: &[(&str, Kind)]) -> Vec<Section> {
    kinds
        .iter()
        .filter_map(|&(heading, kind)| {
            let items: Vec<_> = index
                .by_kind(kind)
                .into_iter()
                .map(|r| resource_item(index, r, Detail::List))
                .collect();
            (!items.is_empty()).then(|| Section {
                heading: Some(heading.into()),
                lines: Vec::new(),
                items,
            })
        })
        .collect()
}

/// Answers `!articles`: articles and published policies.
pub fn articles(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let reply = articles_all(index, ctx);
    short_unless_all(ctx, args, reply, ARTICLES, pages::ARTICLES)
}

fn articles_all(index: &Index, ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::titled("Articles and policies worth reading");
    reply.sections = by_kind(
        index,
        &[("Articles", Kind::Article), ("Policies", Kind::Policy)],
    );
    reply.notes.push(line![
        "Looking for something specific? ",
        ctx.typed("search <words>"),
        "."
    ]);
    reply
}

/// Answers `!tips`: numbered tips and the guidance they come from.
pub fn tips(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let reply = tips_all(index, ctx);
    let mut reply = short_unless_all(ctx, args, reply, TIPS, pages::TIPS);
    super::local::append(ctx, &mut reply, args.flag(ALL.name));
    reply
}

fn tips_all(index: &Index, ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::titled("Top tips for social media");
    let lines = index
        .tips
        .iter()
        .enumerate()
        .map(|(n, t)| line![format!("{}. {}", n + 1, t.text)])
        .collect();
    let mut sources: Vec<usize> = index.tips.iter().map(|t| t.source).collect();
    sources.sort_unstable();
    sources.dedup();
    // The guidance to follow today comes before the version it replaced.
    sources.sort_by(|&a, &b| display_order(&index.resources[a], &index.resources[b]));
    reply.sections.push(Section {
        heading: None,
        lines,
        items: Vec::new(),
    });
    reply.sections.push(Section {
        heading: Some("Where these come from".into()),
        lines: Vec::new(),
        items: sources
            .into_iter()
            .map(|i| resource_item(index, &index.resources[i], Detail::List))
            .collect(),
    });
    reply.notes.push(line![
        "Your own profession's guidance: ",
        ctx.typed("guidance <profession>"),
        "."
    ]);
    reply
}
