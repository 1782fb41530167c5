//! `!local add <url> <title>`, `!local remove <id>` and `!local list`: a community's own
//! resources, such as its trust's social media policy, a staff network or a local wellbeing
//! line. Moderators add and remove them; anyone may list them. They show in that community's
//! guidance, tips and abuse help under [`HEADING`] ([`section`]), and nowhere else: not in
//! another community, not on the site (which asks from no community).
//!
//! Titles are a moderator's words, so they travel only as reply text, which every renderer
//! escapes, and each entry shows its site's name beside it, so a title cannot disguise where
//! its link goes.

pub mod shelf;

use super::names::LOCAL;
use super::spec::{Args, Context};
use super::suggest::{apology, who, SHOWN_URL};
use crate::index::Index;
use crate::line;
use crate::records::{looks_like_id, AddedLocal, Local, NewLocal, MAX_LOCAL};
use crate::reply::{code, truncate, Item, Reply, Section};
use crate::suggestions::{self, local::check};
pub use shelf::LocalShelf;

/// The heading over a community's own resources in its answers.
pub const HEADING: &str = "From this community's moderators";

/// How many of a community's resources a short answer shows; the rest come with `all`.
pub const SHORT: usize = 3;

/// Answers `!local`.
pub fn run(_: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let request = args.note.as_deref().unwrap_or_default().trim();
    let (verb, rest) = request
        .split_once(char::is_whitespace)
        .unwrap_or((request, ""));
    let Some(community) = ctx.community else {
        return Reply::problem(
            "Local resources belong to a community",
            vec![line![
                "Ask in your Discord server, Slack workspace or Matrix room."
            ]],
        );
    };
    let Some(shelf) = ctx.local else {
        return Reply::problem(
            "Local resources are switched off here",
            vec![line![
                "Signpost is running without a store (storage.url = \"off\")."
            ]],
        );
    };
    match verb.to_lowercase().as_str() {
        "" | "list" | "show" => list(ctx, shelf, community),
        "add" if ctx.moderator => add(ctx, shelf, community, rest.trim()),
        "remove" | "delete" | "rm" if ctx.moderator => remove(ctx, shelf, community, rest.trim()),
        "add" | "remove" | "delete" | "rm" => not_moderator(ctx),
        _ => usage(
            ctx,
            format!(
                "“{}” is not something `local` does",
                crate::text::echo(verb)
            ),
        ),
    }
}

fn list(ctx: &Context<'_>, shelf: &dyn LocalShelf, community: &str) -> Reply {
    let entries = match shelf.list(community) {
        Ok(entries) => entries,
        Err(error) => return apology("list local resources", &error),
    };
    if entries.is_empty() {
        let mut reply = Reply::titled("This community has added no resources of its own");
        reply.intro.push(line![
            "Moderators can add the community's own, such as its social media policy: ",
            ctx.typed("local add <url> <title>"),
            "."
        ]);
        return reply;
    }
    let mut reply = Reply::titled(format!(
        "This community's own resources: {} of {MAX_LOCAL}",
        entries.len()
    ));
    reply.sections.push(Section {
        heading: None,
        lines: Vec::new(),
        items: entries
            .iter()
            .map(|e| {
                let mut item = entry(e);
                item.meta.insert(0, format!("id {}", e.id));
                item.meta.push(format!(
                    "added {}",
                    suggestions::export::date(e.new.at_us / 1_000_000)
                ));
                item
            })
            .collect(),
    });
    reply.notes.push(line![
        "They show under “",
        HEADING,
        "” in guidance, tips and abuse help here. Moderators remove one with ",
        ctx.typed("local remove <id>"),
        "."
    ]);
    reply
}

fn add(ctx: &Context<'_>, shelf: &dyn LocalShelf, community: &str, rest: &str) -> Reply {
    let (url, title) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if url.is_empty() {
        return usage(ctx, "`local add` needs a link and a title".to_string());
    }
    let (url, title) = match check(url, title) {
        Ok(checked) => checked,
        Err(error) => return usage(ctx, crate::text::sentence(&error.to_string())),
    };
    let (_, _, added_by) = who(ctx);
    let new = NewLocal {
        community: community.to_string(),
        url_key: suggestions::url_key(&url),
        url: url.to_string(),
        title,
        added_by,
        at_us: crate::records::now_us(),
    };
    match shelf.add(new) {
        Ok(AddedLocal::Stored(e)) => {
            let mut reply = Reply::titled(format!("Added {} to this community's resources", e.id));
            reply.sections.push(Section {
                heading: None,
                lines: Vec::new(),
                items: vec![entry(&e)],
            });
            reply.notes.push(line![
                "It now shows under “",
                HEADING,
                "” in guidance, tips and abuse help here, and only here."
            ]);
            reply
        }
        Ok(AddedLocal::Existing(e)) => Reply::problem(
            format!("This community has that page already, as {}", e.id),
            vec![line![code(truncate(&e.new.url, SHOWN_URL))]],
        ),
        Ok(AddedLocal::Full) => Reply::problem(
            format!("This community has {MAX_LOCAL} resources already"),
            vec![line![
                "Remove one first: ",
                ctx.typed("local list"),
                " shows their ids."
            ]],
        ),
        Err(error) => apology("add a local resource", &error),
    }
}

fn remove(ctx: &Context<'_>, shelf: &dyn LocalShelf, community: &str, id: &str) -> Reply {
    let id = id.to_lowercase();
    if !looks_like_id(&id) {
        return Reply::problem(
            format!("“{}” is not a resource id", crate::text::echo(&id)),
            vec![line![
                "Ids look like k7m2qd: ",
                ctx.typed("local list"),
                " shows them."
            ]],
        );
    }
    match shelf.remove(community, &id) {
        Ok(true) => Reply::titled(format!("Removed {id} from this community's resources")),
        Ok(false) => Reply::problem(
            format!("This community has no resource with the id {id}"),
            vec![line![ctx.typed("local list"), " shows their ids."]],
        ),
        Err(error) => apology("remove a local resource", &error),
    }
}

/// The community's own resources for an answer (all of them, or the first [`SHORT`] with a
/// pointer to the rest), or `None` when it has none or they cannot be read: the answer is
/// whole without them, so a store that is down costs nothing here.
pub fn section(ctx: &Context<'_>, all: bool) -> Option<Section> {
    let (community, shelf) = (ctx.community?, ctx.local?);
    let entries = match shelf.list(community) {
        Ok(entries) => entries,
        Err(error) => {
            tracing::debug!(error = %crate::errors::chain(&error), "local resources unavailable");
            return None;
        }
    };
    if entries.is_empty() {
        return None;
    }
    let shown = if all { entries.len() } else { SHORT };
    let mut section = Section {
        heading: Some(HEADING.to_string()),
        lines: Vec::new(),
        items: entries.iter().take(shown).map(entry).collect(),
    };
    if entries.len() > shown {
        section.lines.push(line![
            format!("{} more: ", entries.len() - shown),
            ctx.typed(&format!("{LOCAL} list")),
            "."
        ]);
    }
    Some(section)
}

/// Adds the community's own resources ([`section`]) to the end of `reply`, if it has any.
pub fn append(ctx: &Context<'_>, reply: &mut Reply, all: bool) {
    if let Some(section) = section(ctx, all) {
        reply.sections.push(section);
    }
}

/// An entry as an item: its title as the link, and the site's name beside it.
fn entry(e: &Local) -> Item {
    let mut item = Item::titled(e.new.title.clone());
    let url = url::Url::parse(&e.new.url).ok();
    if let Some(host) = url.as_ref().and_then(url::Url::host_str) {
        item.meta.push(host.trim_start_matches("www.").to_string());
    }
    item.url = url;
    item
}

fn usage(ctx: &Context<'_>, title: String) -> Reply {
    Reply::problem(
        title,
        vec![
            line![
                "For example: ",
                ctx.typed("local add https://www.example.nhs.uk/social-media Our trust's policy")
            ],
            line![
                "Also ",
                ctx.typed("local list"),
                " and ",
                ctx.typed("local remove <id>"),
                "."
            ],
        ],
    )
}

fn not_moderator(ctx: &Context<'_>) -> Reply {
    Reply::problem(
        "Sorry, only moderators can change this community's resources",
        vec![line![
            ctx.typed("local list"),
            " shows them, and anyone can suggest a link for everyone with ",
            ctx.typed("suggest <url> [note]"),
            "."
        ]],
    )
}
