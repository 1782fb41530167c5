//! Discord: markdown with masked links, sent as embeds with a short `content`, or as plain
//! markdown messages where embeds are not wanted.
//!
//! Limits (Discord API v10): 2,000 characters of content, 4,096 per embed description, 256 per
//! embed title, 10 embeds and 6,000 characters of embed text per message. Every message carries
//! `allowed_mentions: {"parse": []}` so nothing can ping, whatever the text says.

use serde::Serialize;
use url::Url;

use super::discord_components::{button_row, menu_rows, ActionRow};
use super::{defang, join, layout, pack, truncate, Chunk, ChunkKind, Markup};
use crate::action::Action;
use crate::reply::{Reply, Tone, Visibility};
use crate::unicode::is_hidden;

/// Most characters of `content`.
pub const CONTENT_LIMIT: usize = 2_000;
/// Most characters of one embed description.
pub const DESCRIPTION_LIMIT: usize = 4_096;
/// Most characters of one embed title.
pub const TITLE_LIMIT: usize = 256;
/// Most embeds in one message.
pub const EMBEDS_PER_MESSAGE: usize = 10;
/// Most characters across all embeds of one message.
pub const EMBED_TOTAL_LIMIT: usize = 6_000;
/// The ephemeral message flag, honoured in interaction responses.
pub const EPHEMERAL: u64 = 64;

/// The embed colour of an answer.
pub const ANSWER_COLOUR: u32 = 0x2B6CB0;
/// The embed colour of a reply reporting a problem (a typo, an unknown command).
pub const PROBLEM_COLOUR: u32 = 0xC05621;

/// Discord markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscordMarkdown;

/// Escapes Discord markdown and mention syntax with backslashes: the inline markup characters
/// everywhere (so `<@id>`, `<@&role>`, `<#channel>`, `[text](url)`, `**`, `~~`, `||` show
/// literally), and `#`, `-`, `+`, `>` where they would start a heading, list or quote. Broadcast
/// mentions are broken too, although `allowed_mentions` already stops them pinging.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut line_start = true;
    for c in s.chars() {
        if is_hidden(c) && c != '\n' {
            continue;
        }
        let block_marker = line_start && matches!(c, '#' | '-' | '+' | '>');
        if block_marker
            || matches!(
                c,
                '\\' | '*' | '_' | '~' | '`' | '|' | '<' | '>' | '[' | ']'
            )
        {
            out.push('\\');
        }
        out.push(c);
        if c == '\n' {
            line_start = true;
        } else if !c.is_whitespace() {
            line_start = false;
        }
    }
    defang(&out)
}

/// A URL safe inside `[text](<url>)`: parentheses and angle brackets percent-encoded.
fn href(url: &Url) -> String {
    url.as_str()
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

impl Markup for DiscordMarkdown {
    fn text(&self, s: &str) -> String {
        escape(s)
    }
    fn strong(&self, s: &str) -> String {
        format!("**{}**", escape(s))
    }
    fn code(&self, s: &str) -> String {
        // Nothing can be escaped inside a code span, so backticks are swapped for a look-alike.
        let s: String = s
            .chars()
            .filter(|&c| !is_hidden(c))
            .map(|c| if c == '`' { 'ˋ' } else { c })
            .collect();
        format!("`{}`", defang(&s))
    }
    fn link(&self, text: &str, url: &Url) -> String {
        // `<url>` inside the parentheses stops Discord unfurling a preview for every link.
        format!("[{}](<{}>)", escape(text), href(url))
    }
    fn native_menus(&self) -> bool {
        true
    }
}

/// One embed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Embed {
    /// Heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Markdown body.
    pub description: String,
    /// Side colour.
    pub color: u32,
}

/// The `allowed_mentions` object: nothing parsed, no reply ping.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AllowedMentions {
    /// Mention types to parse: always empty.
    pub parse: Vec<String>,
    /// Whether replying pings the author: never.
    pub replied_user: bool,
    /// The only users who may be pinged (a welcome's newcomers); empty, and then absent, in
    /// every answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
}

/// A Discord message body (`POST /channels/{id}/messages`, or an interaction callback's `data`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscordMessage {
    /// Markdown content.
    pub content: String,
    /// Embeds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
    /// Always `{"parse": []}`.
    pub allowed_mentions: AllowedMentions,
    /// 64 (ephemeral) for private replies; only honoured in interaction responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<u64>,
    /// Selects and buttons ([`super::discord_components`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ActionRow>,
}

impl DiscordMessage {
    /// All text a user sees in this message, in order (content, then each embed).
    pub fn to_markdown(&self) -> String {
        let mut parts = vec![self.content.clone()];
        for e in &self.embeds {
            if let Some(t) = &e.title {
                parts.push(format!("**{t}**"));
            }
            parts.push(e.description.clone());
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n\n")
    }
}

fn chars(_: usize, c: &Chunk) -> usize {
    c.text.chars().count() + 2
}

fn flags(reply: &Reply) -> Option<u64> {
    (reply.visibility == Visibility::Private).then_some(EPHEMERAL)
}

/// The reply as markdown-only messages (no embeds), each within 2,000 characters.
pub fn to_texts(reply: &Reply) -> Vec<String> {
    let chunks = layout(&DiscordMarkdown, reply);
    pack(&chunks, CONTENT_LIMIT, chars)
        .into_iter()
        .map(|run| truncate(&join(&chunks[run]), CONTENT_LIMIT))
        .collect()
}

/// The reply as message bodies: the title and intro as `content`, each section as embeds.
pub fn to_messages(reply: &Reply) -> Vec<DiscordMessage> {
    let chunks = layout(&DiscordMarkdown, reply);
    // Content: title and intro lines.
    let head: Vec<Chunk> = chunks
        .iter()
        .filter(|c| matches!(c.kind, ChunkKind::Title | ChunkKind::Intro))
        .cloned()
        .collect();
    let content = truncate(&join(&head), CONTENT_LIMIT);
    let mut messages = Vec::new();
    let mut current = message(reply, content);
    let mut total = 0;
    // As many embeds in each message as fit Discord's per-message limits.
    for e in embeds(reply, &chunks) {
        let size =
            e.description.chars().count() + e.title.as_ref().map_or(0, |t| t.chars().count());
        if !current.embeds.is_empty()
            && (current.embeds.len() == EMBEDS_PER_MESSAGE || total + size > EMBED_TOTAL_LIMIT)
        {
            messages.push(std::mem::replace(
                &mut current,
                message(reply, String::new()),
            ));
            total = 0;
        }
        total += size;
        current.embeds.push(e);
    }
    if let Some(menu) = &reply.menu {
        current.components = menu_rows(menu);
    }
    messages.push(current);
    messages
}

/// An empty message of `reply`'s, with `content`.
fn message(reply: &Reply, content: String) -> DiscordMessage {
    DiscordMessage {
        content,
        embeds: Vec::new(),
        allowed_mentions: AllowedMentions::default(),
        flags: flags(reply),
        components: Vec::new(),
    }
}

/// The embeds: one per section, split where a description would pass its limit, and the notes
/// last.
fn embeds(reply: &Reply, chunks: &[Chunk]) -> Vec<Embed> {
    let colour = match reply.tone {
        Tone::Answer => ANSWER_COLOUR,
        Tone::Problem => PROBLEM_COLOUR,
    };
    let mut groups: Vec<(Option<String>, Vec<Chunk>)> = Vec::new();
    for (i, section) in reply.sections.iter().enumerate() {
        let body: Vec<Chunk> = chunks
            .iter()
            .filter(|c| c.section == Some(i) && c.kind != ChunkKind::Heading)
            .cloned()
            .collect();
        groups.push((section.heading.clone(), body));
    }
    let notes: Vec<Chunk> = chunks
        .iter()
        .filter(|c| c.kind == ChunkKind::Note)
        .cloned()
        .collect();
    if !notes.is_empty() {
        groups.push((None, notes));
    }
    let mut embeds = Vec::new();
    for (heading, body) in groups.into_iter().filter(|(_, body)| !body.is_empty()) {
        for (n, run) in pack(&body, DESCRIPTION_LIMIT, chars)
            .into_iter()
            .enumerate()
        {
            let title = heading.as_ref().map(|h| {
                let h = if n == 0 {
                    h.clone()
                } else {
                    format!("{h} (continued)")
                };
                truncate(&defang(&h), TITLE_LIMIT)
            });
            embeds.push(Embed {
                title,
                description: truncate(&join(&body[run]), DESCRIPTION_LIMIT),
                color: colour,
            });
        }
    }
    embeds
}

/// Adds a row of buttons for `actions` under the last message (after any menu), where the
/// answer ends.
pub fn add_buttons(messages: &mut [DiscordMessage], actions: &[Action]) {
    if let (Some(last), Some(row)) = (messages.last_mut(), button_row(actions)) {
        last.components.push(row);
    }
}
