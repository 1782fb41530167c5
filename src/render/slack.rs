//! Slack: mrkdwn in Block Kit sections, with a plain `text` fallback for notifications.
//!
//! In mrkdwn only `&`, `<` and `>` are control characters; escaping them as entities makes
//! `<!channel>`, `<!here>`, `<@U…>` and `<url|spoof>` inert wherever they come from. Limits: 3,000
//! characters per section text, 150 per header, 50 blocks per message.

use serde::Serialize;
use url::Url;

use super::slack_components::{button_block, menu_blocks};
/// The Block Kit types, defined with the interactive elements they hold.
pub use super::slack_components::{Block, Text};
use super::{defang, escape_entities, join, layout, pack, truncate, Chunk, ChunkKind, Markup};
use crate::action::Action;
use crate::reply::{Reply, Visibility};

/// Most characters in one section's text.
pub const SECTION_LIMIT: usize = 3_000;
/// Most characters in a header block.
pub const HEADER_LIMIT: usize = 150;
/// Most blocks in one message.
pub const BLOCKS_PER_MESSAGE: usize = 50;

/// Slack mrkdwn.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlackMrkdwn;

/// Escapes `&`, `<`, `>` and drops control characters; breaks broadcast words too.
pub fn escape(s: &str) -> String {
    escape_entities(s, &[('&', "&amp;"), ('<', "&lt;"), ('>', "&gt;")], true)
}

impl Markup for SlackMrkdwn {
    fn text(&self, s: &str) -> String {
        escape(s)
    }
    fn strong(&self, s: &str) -> String {
        format!("*{}*", escape(s))
    }
    fn code(&self, s: &str) -> String {
        format!("`{}`", escape(&s.replace('`', "ˋ")))
    }
    fn link(&self, text: &str, url: &Url) -> String {
        // `|` would end the URL part early; `>` is already percent-encoded by `Url`.
        let href = url.as_str().replace('|', "%7C").replace('>', "%3E");
        let text = escape(text).replace('|', "¦");
        format!("<{href}|{text}>")
    }
    fn native_menus(&self) -> bool {
        true
    }
}

/// A Slack message (`chat.postMessage` arguments, or a slash-command response).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlackMessage {
    /// Notification fallback (escaped mrkdwn).
    pub text: String,
    /// The blocks.
    pub blocks: Vec<Block>,
    /// `ephemeral` for private replies, `in_channel` otherwise (used by slash-command responses).
    pub response_type: &'static str,
}

impl SlackMessage {
    /// The mrkdwn people see, block by block.
    pub fn to_mrkdwn(&self) -> String {
        self.blocks
            .iter()
            .map(|b| match b {
                Block::Header { text } => format!("*{}*", escape(&text.text)),
                Block::Section { text } => text.text.clone(),
                Block::Context { elements } => elements
                    .iter()
                    .map(|e| e.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                Block::Divider => "---".to_string(),
                Block::Actions { .. } => String::new(),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// The reply as Slack messages.
pub fn to_messages(reply: &Reply) -> Vec<SlackMessage> {
    let chunks = layout(&SlackMrkdwn, reply);
    let response_type = match reply.visibility {
        Visibility::Private => "ephemeral",
        Visibility::Public => "in_channel",
    };
    // Header from the raw title (plain_text needs no escaping, but broadcasts are still broken).
    let header = Block::Header {
        text: Text {
            kind: "plain_text",
            text: truncate(&defang(&reply.title), HEADER_LIMIT),
        },
    };
    let fallback = truncate(&escape(&reply.title), SECTION_LIMIT);
    let body: Vec<Chunk> = chunks
        .into_iter()
        .filter(|c| c.kind != ChunkKind::Title)
        .collect();
    let notes_from = body
        .iter()
        .position(|c| c.kind == ChunkKind::Note)
        .unwrap_or(body.len());
    let mut blocks = vec![header];
    for run in pack(&body[..notes_from], SECTION_LIMIT, |_, c| {
        c.text.chars().count() + 2
    }) {
        blocks.push(Block::Section {
            text: Text {
                kind: "mrkdwn",
                text: truncate(&join(&body[run]), SECTION_LIMIT),
            },
        });
    }
    for note in &body[notes_from..] {
        blocks.push(Block::Context {
            elements: vec![Text {
                kind: "mrkdwn",
                text: truncate(&note.text, SECTION_LIMIT),
            }],
        });
    }
    if let Some(menu) = &reply.menu {
        blocks.extend(menu_blocks(menu));
    }
    blocks
        .chunks(BLOCKS_PER_MESSAGE)
        .map(|blocks| SlackMessage {
            text: fallback.clone(),
            blocks: blocks.to_vec(),
            response_type,
        })
        .collect()
}

/// Adds a block of buttons for `actions` (sending back `answer`) to the last message, after its
/// last block: in place of that block when the message is full.
pub fn add_buttons(messages: &mut [SlackMessage], actions: &[Action], answer: &str) {
    if let (Some(last), Some(block)) = (messages.last_mut(), button_block(actions, answer)) {
        last.blocks.truncate(BLOCKS_PER_MESSAGE - 1);
        last.blocks.push(block);
    }
}
