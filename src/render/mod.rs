//! Renderers: pure functions from a [`Reply`] to what each platform displays.
//!
//! All four share one layout ([`layout`]): the reply becomes a list of [`Chunk`]s (the title, a
//! heading, a line, an item), each formatted by the target's [`Markup`], which escapes every piece
//! of text it is given. Chunks are the units of splitting ([`pack`]): a long reply is divided
//! between chunks, so a link, which always lives inside one chunk, is never cut in half.
//!
//! A reply's [`Menu`](crate::reply::Menu) is written as a numbered list by targets without
//! components of their own ([`Markup::native_menus`]); Discord and Slack send it as selects
//! ([`discord_components`], [`slack_components`]), with the buttons adapters add to answers.

pub mod cache;
pub mod discord;
pub mod discord_components;
pub mod matrix;
pub mod plain;
pub mod slack;
pub mod slack_components;

use std::ops::Range;

use url::Url;

pub use crate::reply::truncate;
use crate::reply::{Inline, Item, Line, Menu, Reply};

use crate::unicode::is_hidden;

/// Words that ping a whole room or channel when they appear in a message on some platform.
const BROADCAST_MENTIONS: &[&str] = &["everyone", "here", "room", "channel"];

/// Breaks `@everyone`, `@here`, `@room` and `@channel` with a zero-width space after the `@`, so
/// they read the same but no client treats them as a mention.
pub fn defang(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let broadcast = BROADCAST_MENTIONS.iter().any(|w| {
            rest.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
        });
        if broadcast {
            out.push('\u{200B}');
        }
    }
    out.push_str(rest);
    out
}

/// Replaces the characters listed in `entities`, drops control and format characters (keeping
/// newlines when `keep_newlines`), and breaks broadcast mentions: the escaping shared by Slack
/// and Matrix.
pub fn escape_entities(s: &str, entities: &[(char, &str)], keep_newlines: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if let Some((_, entity)) = entities.iter().find(|(from, _)| *from == c) {
            out.push_str(entity);
        } else if !is_hidden(c) || (keep_newlines && c == '\n') {
            out.push(c);
        }
    }
    defang(&out)
}

/// How one target writes each piece of a reply. Every method escapes its text argument.
pub trait Markup {
    /// Ordinary text.
    fn text(&self, s: &str) -> String;
    /// Emphasised text.
    fn strong(&self, s: &str) -> String;
    /// A command or identifier.
    fn code(&self, s: &str) -> String;
    /// A link with text.
    fn link(&self, text: &str, url: &Url) -> String;
    /// What separates lines inside one chunk.
    fn line_break(&self) -> &'static str {
        "\n"
    }
    /// Wraps a finished chunk (Matrix wraps it in `<p>`).
    fn block(&self, s: String) -> String {
        s
    }
    /// The reply's title.
    fn title(&self, s: &str) -> String {
        self.strong(s)
    }
    /// A section heading.
    fn heading(&self, s: &str) -> String {
        self.strong(s)
    }
    /// Whether the target shows a reply's menu as components of its own (a select), so the
    /// text leaves it out; otherwise the menu is written as a numbered list.
    fn native_menus(&self) -> bool {
        false
    }

    /// A line of inline pieces.
    fn line(&self, line: &Line) -> String {
        line.iter()
            .map(|piece| match piece {
                Inline::Text(s) => self.text(s),
                Inline::Strong(s) => self.strong(s),
                Inline::Code(s) => self.code(s),
                Inline::Link { text, url } => self.link(text, url),
            })
            .collect()
    }

    /// A list item: badge and linked title, then facts, then details.
    fn item(&self, item: &Item) -> String {
        let mut first = String::new();
        if let Some(symbol) = item.symbol() {
            first.push_str(symbol);
            first.push(' ');
        }
        match &item.url {
            Some(url) => first.push_str(&self.link(&item.title, url)),
            None => first.push_str(&self.strong(&item.title)),
        }
        if let Some(badge) = item.badge {
            first.push_str(&self.text(&format!(" · {}", badge.label())));
        }
        if item.url_unverified {
            first.push_str(&self.text(" · unverified link"));
        }
        let mut lines = vec![first];
        if !item.meta.is_empty() {
            lines.push(self.text(&item.meta.join(" · ")));
        }
        lines.extend(item.details.iter().map(|l| self.line(l)));
        lines.join(self.line_break())
    }
}

/// What a chunk is; decides spacing and whether it may end a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// The reply's title.
    Title,
    /// A line under the title.
    Intro,
    /// A section heading: never left at the end of a message.
    Heading,
    /// A line in a section.
    Line,
    /// A list item.
    Item,
    /// A closing line.
    Note,
}

/// One formatted, unsplittable unit of a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// What it is.
    pub kind: ChunkKind,
    /// Index of its section, for chunks inside one.
    pub section: Option<usize>,
    /// The formatted text.
    pub text: String,
}

/// Lays a reply out as formatted chunks, in reading order.
pub fn layout<M: Markup + ?Sized>(m: &M, reply: &Reply) -> Vec<Chunk> {
    let chunk = |kind, section, text| Chunk {
        kind,
        section,
        text,
    };
    let mut out = vec![chunk(
        ChunkKind::Title,
        None,
        m.block(m.title(&reply.title)),
    )];
    out.extend(
        reply
            .intro
            .iter()
            .map(|l| chunk(ChunkKind::Intro, None, m.block(m.line(l)))),
    );
    for (i, s) in reply.sections.iter().enumerate() {
        if let Some(h) = &s.heading {
            out.push(chunk(ChunkKind::Heading, Some(i), m.block(m.heading(h))));
        }
        out.extend(
            s.lines
                .iter()
                .map(|l| chunk(ChunkKind::Line, Some(i), m.block(m.line(l)))),
        );
        out.extend(
            s.items
                .iter()
                .map(|it| chunk(ChunkKind::Item, Some(i), m.block(m.item(it)))),
        );
    }
    if let Some(menu) = reply.menu.as_ref().filter(|_| !m.native_menus()) {
        // After every section, as a group of its own.
        let group = Some(reply.sections.len());
        out.push(chunk(
            ChunkKind::Line,
            group,
            m.block(m.strong(&menu.prompt)),
        ));
        out.extend(
            numbered(menu)
                .iter()
                .map(|l| chunk(ChunkKind::Line, group, m.block(m.line(l)))),
        );
    }
    out.extend(
        reply
            .notes
            .iter()
            .map(|l| chunk(ChunkKind::Note, None, m.block(m.line(l)))),
    );
    out
}

/// The separator to put before `next` when it follows `prev` in text formats: a blank line
/// between items, headings and the notes; a plain newline between lines.
pub fn separator(prev: &Chunk, next: &Chunk) -> &'static str {
    let paragraph = matches!(next.kind, ChunkKind::Heading | ChunkKind::Item)
        || prev.kind == ChunkKind::Item
        || (next.kind == ChunkKind::Note && prev.kind != ChunkKind::Note)
        || (prev.kind == ChunkKind::Title)
        || (prev.section != next.section && next.kind == ChunkKind::Line);
    if paragraph {
        "\n\n"
    } else {
        "\n"
    }
}

/// Joins chunks with [`separator`].
pub fn join(chunks: &[Chunk]) -> String {
    let mut out = String::new();
    for (i, c) in chunks.iter().enumerate() {
        if i > 0 {
            out.push_str(separator(&chunks[i - 1], c));
        }
        out.push_str(&c.text);
    }
    out
}

/// Splits chunks into consecutive runs whose cost fits `limit`, never splitting a chunk and never
/// ending a run on a heading. `cost` gives a chunk's size (by position and chunk) in the target's unit, including its
/// separator. A chunk bigger than `limit` on its own gets a run to itself (callers then shorten it
/// with [`truncate`]).
pub fn pack(
    chunks: &[Chunk],
    limit: usize,
    cost: impl Fn(usize, &Chunk) -> usize,
) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, c) in chunks.iter().enumerate() {
        let size = cost(i, c);
        if i > start && used + size > limit {
            // Carry a trailing heading over to the next run with its first item.
            let mut end = i;
            if chunks[end - 1].kind == ChunkKind::Heading && end - 1 > start {
                end -= 1;
            }
            runs.push(start..end);
            used = (end..i).map(|j| cost(j, &chunks[j])).sum();
            start = end;
        }
        used += size;
    }
    if start < chunks.len() {
        runs.push(start..chunks.len());
    }
    runs
}

/// The rendering targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Plain text (console).
    Plain,
    /// Discord markdown and embeds.
    Discord,
    /// Slack mrkdwn and Block Kit.
    Slack,
    /// Matrix HTML with a plain-text body.
    Matrix,
}

impl Target {
    /// The origin a message rendered for this target came from.
    pub fn origin(self) -> crate::message::Origin {
        use crate::message::Origin;
        match self {
            Target::Plain => Origin::Console,
            Target::Discord => Origin::Discord,
            Target::Slack => Origin::Slack,
            Target::Matrix => Origin::Matrix,
        }
    }

    /// The reply as the text people see, one string per message.
    pub fn to_texts(self, reply: &Reply) -> Vec<String> {
        match self {
            Target::Plain => vec![plain::to_text(reply)],
            Target::Discord => discord::to_texts(reply),
            Target::Slack => slack::to_messages(reply)
                .into_iter()
                .map(|m| m.to_mrkdwn())
                .collect(),
            Target::Matrix => matrix::to_contents(reply)
                .into_iter()
                .map(|c| c.formatted_body)
                .collect(),
        }
    }

    /// The reply as the JSON payloads the adapter sends, one per message.
    pub fn to_payloads(self, reply: &Reply) -> Vec<serde_json::Value> {
        let json =
            |v: Result<serde_json::Value, serde_json::Error>| v.expect("payload types serialize");
        match self {
            Target::Plain => vec![serde_json::json!({ "text": plain::to_text(reply) })],
            Target::Discord => discord::to_messages(reply)
                .iter()
                .map(|m| json(serde_json::to_value(m)))
                .collect(),
            Target::Slack => slack::to_messages(reply)
                .iter()
                .map(|m| json(serde_json::to_value(m)))
                .collect(),
            Target::Matrix => matrix::to_contents(reply)
                .iter()
                .map(|m| json(serde_json::to_value(m)))
                .collect(),
        }
    }
}

/// The numbered form of a menu, for formats without components: one line per option, `n. label
/// — command`.
pub fn numbered(menu: &Menu) -> Vec<Line> {
    menu.options
        .iter()
        .enumerate()
        .map(|(n, option)| {
            let mut line = crate::line![format!("{}. {}", n + 1, option.label)];
            if let Some(typed) = &option.typed {
                line.push(" — ".into());
                line.push(typed.clone());
            }
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Broadcast mentions are broken in any case; ordinary `@` text and emails are untouched.
    #[test]
    fn defang_breaks_broadcasts_only() {
        assert_eq!(defang("hi @everyone"), "hi @\u{200B}everyone");
        assert_eq!(
            defang("@Room @HERE @channel"),
            "@\u{200B}Room @\u{200B}HERE @\u{200B}channel"
        );
        assert_eq!(
            defang("help@saferinternet.org.uk"),
            "help@saferinternet.org.uk"
        );
        assert_eq!(defang("@"), "@");
        assert_eq!(defang("é@é"), "é@é");
    }

    fn chunk(kind: ChunkKind, len: usize) -> Chunk {
        Chunk {
            kind,
            section: None,
            text: "x".repeat(len),
        }
    }

    /// Packing fills runs greedily and carries a heading over with the item that follows it.
    #[test]
    fn pack_keeps_headings_with_items() {
        let chunks = vec![
            chunk(ChunkKind::Title, 10),
            chunk(ChunkKind::Item, 50),
            chunk(ChunkKind::Heading, 10),
            chunk(ChunkKind::Item, 50),
        ];
        let runs = pack(&chunks, 80, |_, c| c.text.len());
        assert_eq!(runs, vec![0..2, 2..4]);
    }

    /// An oversized chunk gets a run of its own instead of an endless loop or a lost chunk.
    #[test]
    fn pack_isolates_oversized_chunk() {
        let chunks = vec![
            chunk(ChunkKind::Item, 10),
            chunk(ChunkKind::Item, 500),
            chunk(ChunkKind::Item, 10),
        ];
        let runs = pack(&chunks, 100, |_, c| c.text.len());
        assert_eq!(runs, vec![0..1, 1..2, 2..3]);
    }
}
