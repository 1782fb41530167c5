//! `!abuse-help [platform] [private]`: how to report abuse on the platform the message came from
//! (or the one named), plus UK support lines.

use std::collections::HashSet;

use super::items::{resource_item, Detail};
use super::{Args, Context};
use crate::index::{Index, Kind, NameMatch, Platform};
use crate::line;
use crate::reply::{Line, Reply, Section, Visibility};

/// Answers `!abuse-help`.
pub fn run(index: &Index, ctx: &Context<'_>, args: &Args) -> Reply {
    let platform = args.platform.as_deref();
    let private = args.flag("private");
    let chosen: Vec<&Platform> = match platform {
        Some(name) => match index.find_platform(name) {
            NameMatch::Exact(p) | NameMatch::Confident(p) => vec![&index.platforms[p]],
            _ => {
                let mut lines: Vec<Line> = vec![line!["I have reporting links for:"]];
                for p in &index.platforms {
                    lines.push(line![
                        format!("• {} — ", p.name),
                        ctx.typed(&format!("abuse-help {}", p.id))
                    ]);
                }
                let mut reply = Reply::problem(
                    format!("I don't know the platform “{}”", super::parse::echo(name)),
                    lines,
                );
                if private {
                    reply.visibility = Visibility::Private;
                }
                return reply;
            }
        },
        None => match ctx.origin.platform_id().and_then(|id| index.platform(id)) {
            Some(p) => vec![p],
            None => index.platforms.iter().collect(),
        },
    };
    let title = match chosen.as_slice() {
        [one] => format!("Online abuse: reporting it on {}, and UK support", one.name),
        _ => "Online abuse: reporting it, and UK support".to_string(),
    };
    let mut reply = Reply::titled(title);
    reply.intro.push(line!["If you are in danger now, call 999. You are not alone: keep evidence (screenshots, links, dates) before you block or report."]);
    for p in &chosen {
        reply.sections.push(Section {
            heading: Some(format!("Report it on {}", p.name)),
            lines: vec![line![p.advice.clone()]],
            items: p
                .reporting
                .iter()
                .map(|&r| resource_item(index, &index.resources[r], Detail::List))
                .collect(),
        });
    }
    // UK support: helplines, plus reporting services that are not tied to one platform.
    let platform_pages: HashSet<&str> = index
        .platforms
        .iter()
        .flat_map(|p| p.reporting.iter().map(|&r| index.resources[r].id.as_str()))
        .collect();
    let support: Vec<_> = index
        .by_kind(Kind::Helpline)
        .into_iter()
        .chain(index.by_kind(Kind::Reporting))
        .filter(|r| !platform_pages.contains(r.id.as_str()))
        .map(|r| resource_item(index, r, Detail::List))
        .collect();
    reply.sections.push(Section {
        heading: Some("UK support and reporting".into()),
        lines: Vec::new(),
        items: support,
    });
    if private {
        reply.visibility = Visibility::Private;
    } else {
        reply.notes.push(line![
            "Want this just for you? ",
            ctx.typed("abuse-help private"),
            " answers privately."
        ]);
    }
    reply
}
