//! Short first answers, with the rest one step away.
//!
//! A long answer is several phone screens before the link someone needs, and on Matrix the
//! homeserver's cost per reply grows with its size. So the commands that list many resources
//! answer first with the few that matter (a profession's regulator and professional body; the
//! danger line, the platform's report route and the harm's first step) and mark the reply with
//! [`More`]: a **More** button where the platform has buttons, the same command with `all` typed
//! everywhere, and the site page with the full list when the operator set the site's address.

use super::spec::{ArgKind, ArgSpec, Context};
use crate::reply::{Inline, Item, Line, More, Reply};

/// Asks for the whole answer instead of the short first one.
pub const ALL: ArgSpec = ArgSpec {
    name: "all",
    help: "The whole answer, not the short first one",
    required: false,
    kind: ArgKind::Flag,
    synonyms: &["more", "full", "everything"],
    missing: "",
};

/// About how many visible characters a profession's first answer holds.
pub const GUIDANCE_BUDGET: usize = 900;
/// About how many visible characters abuse help's first answer holds.
pub const ABUSE_BUDGET: usize = 1_300;
/// About how many visible characters a list's first answer (`start`, `tips`, `articles`) holds.
pub const LIST_BUDGET: usize = 900;
/// Most characters of the one line of why beside an item in a short answer.
pub const WHY_LIMIT: usize = 110;

/// Marks `reply` as the short form of the command `words` (index ids, without `all`) and says
/// how to get the rest: the command typed with `all`, and the site page when there is one.
pub fn offer(ctx: &Context<'_>, reply: &mut Reply, words: &[&str], page: Option<String>) {
    let typed = format!("{} {}", words.join(" "), ALL.name);
    let mut line: Line = vec!["The rest: ".into(), ctx.typed(&typed)];
    if let (Some(site), Some(path)) = (ctx.site, page.as_deref()) {
        if let Ok(url) = site.join(path) {
            line.push(", or all of it on the web: ".into());
            line.push(Inline::Link {
                text: url.to_string(),
                url,
            });
        }
    }
    line.push(".".into());
    reply.notes.push(line);
    reply.more = Some(More {
        words: words.iter().map(|w| w.to_string()).collect(),
        page,
    });
}

/// The short first answer of a list command (`words`, its site page `page`): each item cut to
/// its title, link, badge and one line of why, then items and lines dropped from the end until it
/// fits `budget`. Offers the rest only when something was left out.
pub fn shorten(
    ctx: &Context<'_>,
    mut reply: Reply,
    budget: usize,
    words: &[&str],
    page: Option<&str>,
) -> Reply {
    let before = reply.visible_len();
    for item in reply.sections.iter_mut().flat_map(|s| s.items.iter_mut()) {
        brief(item);
    }
    if reply.visible_len() < before || reply.visible_len() > budget {
        offer(ctx, &mut reply, words, page.map(str::to_string));
    }
    cut_items(&mut reply, budget);
    while reply.visible_len() > budget {
        let Some(section) = reply
            .sections
            .iter_mut()
            .rev()
            .find(|s| s.lines.len() > MIN_LINES)
        else {
            break;
        };
        section.lines.pop();
    }
    reply
}

/// Lines a list keeps however short its answer must be.
const MIN_LINES: usize = 3;

/// An item cut to title, link, badge and its first line of detail, shortened at a word.
pub fn brief(item: &mut Item) {
    item.meta.clear();
    item.details.truncate(1);
    if let Some(line) = item.details.first_mut() {
        let text: String = line
            .iter()
            .map(|i| match i {
                Inline::Text(t) | Inline::Strong(t) | Inline::Code(t) => t.as_str(),
                Inline::Link { text, .. } => text.as_str(),
            })
            .collect();
        *line = vec![Inline::Text(cut_at_word(&text, WHY_LIMIT))];
    }
}

/// Keeps a list's items from the start while the reply stays within `budget` visible
/// characters (at least one item), dropping the rest; whether anything was dropped.
pub fn cut_items(reply: &mut Reply, budget: usize) -> bool {
    let mut cut = false;
    while reply.visible_len() > budget && reply_items(&reply.sections) > 1 {
        let Some(section) = reply
            .sections
            .iter_mut()
            .rev()
            .find(|s| !s.items.is_empty())
        else {
            break;
        };
        section.items.pop();
        cut = true;
    }
    reply
        .sections
        .retain(|s| !s.items.is_empty() || !s.lines.is_empty());
    cut
}

fn reply_items(sections: &[crate::reply::Section]) -> usize {
    sections.iter().map(|s| s.items.len()).sum()
}

/// `text` cut to at most `max` characters at a word boundary, ending with `…` when cut.
pub fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let head = match head.rfind(' ') {
        Some(space) if space > max / 2 => &head[..space],
        _ => head.as_str(),
    };
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':', '.']))
}
