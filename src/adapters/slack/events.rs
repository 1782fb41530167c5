//! The Events API: the JSON Slack posts to `/slack/events` (and wraps in Socket Mode envelopes),
//! and the rules deciding which events become messages for the core.
//!
//! Slack delivers an event again when it did not get a 200 within 3 seconds, and a message that
//! mentions the bot arrives twice (as `app_mention` and as `message`). The adapter drops repeated
//! `event_id`s ([`crate::adapters::seen::SeenIds`]); [`to_request`] drops the `message` copy
//! of a mention, bot messages, edits and every other subtype.

use serde::Deserialize;

use crate::message::Origin;
use crate::message::{Incoming, Sender};

/// What Slack posts to the events URL.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Callback {
    /// Sent once when the URL is configured: answer with the challenge.
    UrlVerification {
        /// The value to echo.
        challenge: String,
    },
    /// An event the app subscribed to.
    EventCallback {
        /// Unique per event; repeated on retries.
        #[serde(default)]
        event_id: Option<String>,
        /// The workspace, for events that do not carry it themselves.
        #[serde(default)]
        team_id: Option<String>,
        /// The event (boxed: it is most of the payload).
        event: Box<Event>,
    },
    /// Anything else (`app_rate_limited`, …): acknowledged and ignored.
    #[serde(other)]
    Other,
}

/// The fields of `message` and `app_mention` events that the adapter reads.
#[derive(Debug, Default, Deserialize)]
pub struct Event {
    /// `message`, `app_mention`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Set for bot messages, edits, deletions, joins…: none of them is a person asking.
    #[serde(default)]
    pub subtype: Option<String>,
    /// Set when a bot (an integration) sent it.
    #[serde(default)]
    pub bot_id: Option<String>,
    /// Who sent it.
    #[serde(default)]
    pub user: Option<String>,
    /// The text, in Slack's escaped format.
    #[serde(default)]
    pub text: Option<String>,
    /// Channel id.
    #[serde(default)]
    pub channel: Option<String>,
    /// `channel`, `group`, `im` or `mpim` (only on `message` events).
    #[serde(default)]
    pub channel_type: Option<String>,
    /// The message's timestamp (its id).
    #[serde(default)]
    pub ts: Option<String>,
    /// The thread it is in, when it is a reply.
    #[serde(default)]
    pub thread_ts: Option<String>,
    /// Present when the message was edited.
    #[serde(default)]
    pub edited: Option<serde_json::Value>,
    /// The workspace (on message events; otherwise the envelope's `team_id`): its community.
    #[serde(default)]
    pub team: Option<String>,
    /// Which App Home tab was opened (`home` or `messages`; `app_home_opened` only).
    #[serde(default)]
    pub tab: Option<String>,
}

/// An event the bot should answer, and where the answer goes.
#[derive(Debug, Clone)]
pub struct Request {
    /// The message for the core.
    pub incoming: Incoming,
    /// Channel to answer in.
    pub channel: String,
    /// Thread to answer in: the event's thread, or a new thread under the message.
    pub thread_ts: String,
    /// Who asked (for ephemeral answers).
    pub user: String,
    /// True in a direct message, where every answer is already private.
    pub direct: bool,
}

/// Why an event is not answered (logged as the outcome).
pub type Ignored = &'static str;

/// Decides whether `event` is a person talking to the bot (whose user id is `bot_user_id`).
pub fn to_request(event: &Event, bot_user_id: &str) -> Result<Request, Ignored> {
    let mention = match event.kind.as_str() {
        "app_mention" => true,
        "message" => false,
        _ => return Err("not a message"),
    };
    if event.bot_id.is_some() {
        return Err("from a bot");
    }
    if event.subtype.is_some() || event.edited.is_some() {
        return Err("edit or other subtype");
    }
    let (Some(user), Some(text), Some(channel), Some(ts)) =
        (&event.user, &event.text, &event.channel, &event.ts)
    else {
        return Err("incomplete");
    };
    if user == bot_user_id {
        return Err("from itself");
    }
    let direct = event.channel_type.as_deref() == Some("im");
    let mentioned = mentions(text, bot_user_id);
    if !mention && mentioned && !direct {
        // The same message also arrives as `app_mention`, which answers it.
        return Err("mention, answered as app_mention");
    }
    let text = unescape(&strip_mentions(text, bot_user_id));
    Ok(Request {
        incoming: Incoming {
            text,
            origin: Origin::Slack,
            addressed: mention || direct || mentioned,
            from_bot: false,
            command_prefix: None,
            sender: Some(Sender::new(user.as_str(), channel.as_str())),
            interaction: false,
            moderator: false,
            community: event
                .team
                .as_deref()
                .and_then(|t| Origin::Slack.community(t)),
        },
        channel: channel.clone(),
        thread_ts: event.thread_ts.clone().unwrap_or_else(|| ts.clone()),
        user: user.clone(),
        direct,
    })
}

/// Whether `text` mentions `<@bot_user_id>` (optionally `<@id|name>`).
fn mentions(text: &str, bot_user_id: &str) -> bool {
    !bot_user_id.is_empty() && text.contains(&format!("<@{bot_user_id}"))
}

/// Removes every `<@bot_user_id>` and `<@bot_user_id|name>` from `text`.
pub fn strip_mentions(text: &str, bot_user_id: &str) -> String {
    if bot_user_id.is_empty() {
        return text.to_string();
    }
    let open = format!("<@{bot_user_id}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        // Only a whole mention: `>` or `|name>` must follow the id.
        let end = match after.chars().next() {
            Some('>') => Some(1),
            Some('|') => after.find('>').map(|i| i + 1),
            _ => None,
        };
        match end {
            Some(end) => {
                out.push_str(&rest[..at]);
                out.push(' ');
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..at + open.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Slack escapes `&`, `<` and `>` in message and command text; the core wants what was typed
/// (the renderer escapes again on the way out).
pub fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: &str = "UBOT";

    fn event(kind: &str, text: &str) -> Event {
        Event {
            kind: kind.into(),
            user: Some("UALICE".into()),
            text: Some(text.into()),
            channel: Some("C1".into()),
            channel_type: Some("channel".into()),
            ts: Some("1700000000.000100".into()),
            ..Event::default()
        }
    }

    /// A mention is stripped and addressed; the answer opens a thread under the message.
    #[test]
    fn app_mention_is_addressed() {
        let r = to_request(&event("app_mention", "<@UBOT> guidance nurse"), BOT).unwrap();
        assert_eq!(r.incoming.text, "guidance nurse");
        assert!(r.incoming.addressed);
        assert_eq!(r.thread_ts, "1700000000.000100");
        assert_eq!(r.channel, "C1");
        assert!(!r.direct);
    }

    /// Channel messages need the prefix; DMs are addressed; thread replies stay in their thread.
    #[test]
    fn messages_in_channels_and_dms() {
        let r = to_request(&event("message", "!guidance nurse"), BOT).unwrap();
        assert!(!r.incoming.addressed);
        let mut dm = event("message", "guidance gp");
        dm.channel_type = Some("im".into());
        dm.thread_ts = Some("1699999999.000001".into());
        let r = to_request(&dm, BOT).unwrap();
        assert!(r.incoming.addressed && r.direct);
        assert_eq!(r.thread_ts, "1699999999.000001");
    }

    /// Bots, the bot itself, edits, other subtypes and the message copy of a mention are ignored.
    #[test]
    fn ignored_events() {
        let mut bot = event("message", "!guidance");
        bot.bot_id = Some("B1".into());
        let mut own = event("message", "!guidance");
        own.user = Some(BOT.into());
        let mut edit = event("message", "!guidance");
        edit.subtype = Some("message_changed".into());
        let mut edited = event("app_mention", "<@UBOT> guidance");
        edited.edited = Some(serde_json::json!({"user": "UALICE"}));
        let copy = event("message", "<@UBOT> guidance");
        let other = event("reaction_added", "");
        for e in [bot, own, edit, edited, copy, other] {
            assert!(to_request(&e, BOT).is_err(), "{e:?}");
        }
    }

    /// Only whole mentions of this bot are removed, including the `|name` form.
    #[test]
    fn strips_only_the_bot() {
        assert_eq!(strip_mentions("<@UBOT|signpost> help", BOT), "help");
        assert_eq!(strip_mentions("hi <@UBOT2> <@UBOT>", BOT), "hi <@UBOT2>");
        assert_eq!(strip_mentions("<@UBOT", BOT), "<@UBOT");
    }

    /// Entities come back as typed, `&amp;lt;` only once.
    #[test]
    fn unescapes_entities() {
        assert_eq!(unescape("a &lt;!channel&gt; &amp;lt;"), "a <!channel> &lt;");
    }
}
