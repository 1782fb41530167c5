//! `!resource <id>`: one resource in full.

use super::items::{resource_item, Detail};
use super::spec::{Args, Context};
use crate::index::Index;
use crate::line;
use crate::reply::{Reply, Section};
use crate::text::echo;

/// Answers `!resource`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    // Required, so the parser has always filled it in.
    let id = args.resource_id.as_deref().unwrap_or_default();
    match index.resource(id) {
        Some(r) => {
            let mut reply = Reply::titled(r.title.clone());
            reply.sections.push(Section {
                heading: None,
                lines: Vec::new(),
                items: vec![resource_item(index, r, Detail::Full)],
            });
            reply
        }
        None => {
            let close: Vec<&str> = {
                let mut scored: Vec<(f64, &str)> = index
                    .resources
                    .iter()
                    .map(|r| (strsim::jaro_winkler(id, &r.id), r.id.as_str()))
                    .filter(|(s, _)| *s >= 0.8)
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                scored.into_iter().take(3).map(|(_, id)| id).collect()
            };
            let mut lines = Vec::new();
            for c in close {
                lines.push(line![
                    "Did you mean ",
                    ctx.typed(&format!("resource {c}")),
                    "?"
                ]);
            }
            lines.push(line![
                "Ids are shown under each search result: try ",
                ctx.typed("search <words>"),
                "."
            ]);
            Reply::problem(format!("No resource has the id “{}”", echo(id)), lines)
        }
    }
}
