//! `!search <words>`: resources whose title, publisher, summary or professions match.

use super::items::{resource_item, Detail};
use super::names::{ARTICLES, GUIDANCE, START};
use super::spec::{Args, Context};
use crate::index::{Index, NameMatch};
use crate::line;
use crate::reply::{Reply, Section};
use crate::text::echo;

/// At most this many results are shown, each in short (title, link, badge, one line and the
/// command that opens it in full); the rest are counted with a pointer to narrow the search.
pub const MAX_RESULTS: usize = 5;

/// Answers `!search`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    // Required, so the parser has always filled it in.
    let query = args.words.as_deref().unwrap_or_default();
    let (hits, total) = index.search(query, MAX_RESULTS);
    let shown = echo(query);
    if hits.is_empty() {
        return Reply::problem(
            format!("Nothing found for “{shown}”"),
            vec![line![
                "Try fewer or different words, or browse: ",
                ctx.typed(GUIDANCE),
                ", ",
                ctx.typed(START),
                ", ",
                ctx.typed(ARTICLES),
                "."
            ]],
        );
    }
    let mut reply = Reply::titled(format!("Search: “{shown}”"));
    if let NameMatch::Exact(p) = index.find_profession(query) {
        let p = &index.professions[p];
        reply.intro.push(line![
            format!("All guidance for {}: ", p.name),
            ctx.typed(&format!("guidance {}", p.id))
        ]);
    }
    reply.sections.push(Section {
        heading: None,
        lines: Vec::new(),
        items: hits
            .into_iter()
            .map(|r| {
                // The id is what `!resource` takes, and search is where people find it.
                let mut item = resource_item(index, r, Detail::Brief);
                item.details
                    .push(line!["In full: ", ctx.typed(&format!("resource {}", r.id))]);
                item
            })
            .collect(),
    });
    if total > MAX_RESULTS {
        // The example repeats only the plain words of the query: a command to copy is no
        // place for anything that could render as a mention or a link.
        let plain: Vec<&str> = query
            .split_whitespace()
            .filter(|w| w.chars().all(char::is_alphanumeric))
            .take(4)
            .collect();
        let mut line = line![format!(
            "Showing {MAX_RESULTS} of {total} results. Add words to narrow it"
        )];
        if !plain.is_empty() {
            line.push(", e.g. ".into());
            line.push(ctx.typed(&format!("search {} 2024", plain.join(" "))));
        }
        line.push(".".into());
        reply.notes.push(line);
    }
    reply
}
