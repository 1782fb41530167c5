//! Plain text, for the console and logs-free terminals: no markup, URLs written out in full.
//! Broadcast mentions are still broken, since plain text is what gets pasted elsewhere.

use url::Url;

use super::{defang, join, layout, Markup};
use crate::reply::{Item, Reply, Visibility};

/// Plain-text markup.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

/// Strips control characters (terminal escapes) and format characters (bidi controls), and
/// breaks broadcast mentions.
fn clean(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|&c| !crate::unicode::is_hidden(c) || c == '\n')
        .collect();
    defang(&s)
}

impl Markup for Plain {
    fn text(&self, s: &str) -> String {
        clean(s)
    }
    fn strong(&self, s: &str) -> String {
        clean(s)
    }
    fn code(&self, s: &str) -> String {
        clean(s)
    }
    fn link(&self, text: &str, url: &Url) -> String {
        format!("{} <{}>", clean(text), url)
    }
    fn title(&self, s: &str) -> String {
        let t = clean(s);
        let rule = "=".repeat(t.chars().count().min(60));
        format!("{t}\n{rule}")
    }
    fn heading(&self, s: &str) -> String {
        let t = clean(s);
        format!("{t}\n{}", "-".repeat(t.chars().count().min(60)))
    }
    fn item(&self, item: &Item) -> String {
        let mut first = String::from("* ");
        if let Some(badge) = item.badge {
            first.push_str(&format!("[{}] ", badge.label()));
        }
        first.push_str(&clean(&item.title));
        let mut lines = vec![first];
        if !item.meta.is_empty() {
            lines.push(format!("  {}", clean(&item.meta.join(" · "))));
        }
        if let Some(url) = &item.url {
            let flag = if item.url_unverified {
                " (unverified link)"
            } else {
                ""
            };
            lines.push(format!("  {url}{flag}"));
        }
        lines.extend(item.details.iter().map(|l| format!("  {}", self.line(l))));
        lines.join("\n")
    }
}

/// The reply as one plain-text message.
pub fn to_text(reply: &Reply) -> String {
    let mut text = join(&layout(&Plain, reply));
    if reply.visibility == Visibility::Private {
        text.push_str("\n\n(Sent privately: only you can see this.)");
    }
    text
}
