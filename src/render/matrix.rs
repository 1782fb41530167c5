//! Matrix: `m.notice` events with an HTML `formatted_body` and a plain-text `body`.
//!
//! Everything is HTML-escaped (including quotes, since text lands in attributes too), links are
//! `<a href>` with escaped targets, and every event carries an empty `m.mentions` so no one is
//! pinged; `@room` is also broken in the text for clients that predate `m.mentions`. Events are
//! split well under Matrix's 65,536-byte event limit.

use serde::Serialize;
use url::Url;

use super::plain::Plain;
use super::{escape_entities, join, layout, pack, Markup};
use crate::reply::Reply;

/// Most bytes of `body` plus `formatted_body` in one event.
pub const EVENT_TEXT_LIMIT: usize = 32_000;

/// Matrix HTML (the `org.matrix.custom.html` subset).
#[derive(Debug, Clone, Copy, Default)]
pub struct MatrixHtml;

/// Escapes `&`, `<`, `>`, `"`, `'`, drops control characters and breaks broadcast mentions.
pub fn escape(s: &str) -> String {
    let entities = [
        ('&', "&amp;"),
        ('<', "&lt;"),
        ('>', "&gt;"),
        ('"', "&quot;"),
        ('\'', "&#39;"),
    ];
    escape_entities(s, &entities, false)
}

impl Markup for MatrixHtml {
    fn text(&self, s: &str) -> String {
        escape(s)
    }
    fn strong(&self, s: &str) -> String {
        format!("<strong>{}</strong>", escape(s))
    }
    fn code(&self, s: &str) -> String {
        format!("<code>{}</code>", escape(s))
    }
    fn link(&self, text: &str, url: &Url) -> String {
        format!("<a href=\"{}\">{}</a>", escape(url.as_str()), escape(text))
    }
    fn line_break(&self) -> &'static str {
        "<br>"
    }
    fn block(&self, s: String) -> String {
        format!("<p>{s}</p>")
    }
    fn title(&self, s: &str) -> String {
        format!("<strong>{}</strong>", escape(s))
    }
    fn heading(&self, s: &str) -> String {
        format!("<em><strong>{}</strong></em>", escape(s))
    }
}

/// Intentional mentions: an empty object pings nobody.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mentions {
    /// The only users pinged (a welcome's newcomers); empty, and then absent, in every answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub user_ids: Vec<String>,
}

/// The content of one `m.room.message` event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixContent {
    /// Always `m.notice`: bots must not answer notices, so bots never loop.
    pub msgtype: &'static str,
    /// Plain-text fallback.
    pub body: String,
    /// Always `org.matrix.custom.html`.
    pub format: &'static str,
    /// The HTML.
    pub formatted_body: String,
    /// Empty (nobody pinged) except in a welcome.
    #[serde(rename = "m.mentions")]
    pub mentions: Mentions,
}

/// The reply as Matrix event contents (adapters add `m.relates_to`).
pub fn to_contents(reply: &Reply) -> Vec<MatrixContent> {
    let html = layout(&MatrixHtml, reply);
    let plain = layout(&Plain, reply);
    // Both layouts have the same chunks in the same order, so one packing serves both.
    debug_assert_eq!(html.len(), plain.len());
    let runs = pack(&html, EVENT_TEXT_LIMIT, |i, c| {
        c.text.len() + plain[i].text.len() + 4
    });
    runs.into_iter()
        .map(|run| MatrixContent {
            msgtype: "m.notice",
            body: join(&plain[run.clone()]),
            format: "org.matrix.custom.html",
            formatted_body: html[run]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            mentions: Mentions::default(),
        })
        .collect()
}
