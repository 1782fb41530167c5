//! Sending replies: Matrix event contents from the renderer, related to the command (a reply, or
//! a reply inside the command's thread), retried on `M_LIMIT_EXCEEDED` and passing faults.
//! The contents and relations are shared with appservice mode, which sends them itself.

use std::time::Duration;

use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
use matrix_sdk::ruma::{EventId, OwnedEventId};
use matrix_sdk::Room;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use crate::render::matrix::MatrixContent;

/// Attempts per message before giving up (rate limits wait as long as the server asks).
const ATTEMPTS: u32 = 6;

/// How a reply relates to the command it answers.
#[derive(Debug, Clone)]
pub enum Relation<'a> {
    /// A reply to the event.
    Reply(&'a EventId),
    /// A reply inside a thread (`root` is the thread root).
    InThread {
        /// The thread root.
        root: &'a EventId,
        /// The command event.
        event: &'a EventId,
    },
    /// Not related (a private answer in another room).
    None,
}

impl Relation<'_> {
    /// The `m.relates_to` object, if any.
    pub fn to_json(&self) -> Option<Value> {
        match self {
            Relation::Reply(event) => {
                Some(json!({ "m.in_reply_to": { "event_id": event.as_str() } }))
            }
            Relation::InThread { root, event } => Some(json!({
                "rel_type": "m.thread",
                "event_id": root.as_str(),
                "is_falling_back": true,
                "m.in_reply_to": { "event_id": event.as_str() },
            })),
            Relation::None => None,
        }
    }
}

/// Sends each rendered message to `room`, in order.
pub async fn send_all(
    room: &Room,
    contents: &[MatrixContent],
    relation: &Relation<'_>,
) -> Result<Vec<OwnedEventId>, matrix_sdk::Error> {
    let mut sent = Vec::with_capacity(contents.len());
    for content in contents {
        sent.push(send_with_retry(room, &event_content(content, relation)).await?);
    }
    Ok(sent)
}

/// One rendered message as `m.room.message` content JSON, with its `m.relates_to`, serialized
/// once, straight to the text that is sent (no `Value` tree to build, clone and serialize again).
pub fn event_content(content: &MatrixContent, relation: &Relation<'_>) -> Box<RawValue> {
    #[derive(Serialize)]
    struct Related<'a> {
        #[serde(flatten)]
        content: &'a MatrixContent,
        #[serde(rename = "m.relates_to", skip_serializing_if = "Option::is_none")]
        relates_to: Option<Value>,
    }
    let related = Related {
        content,
        relates_to: relation.to_json(),
    };
    serde_json::value::to_raw_value(&related).expect("MatrixContent serializes")
}

/// How long the homeserver asks to wait, when `kind` is `M_LIMIT_EXCEEDED` with a delay.
pub fn rate_limit_wait(kind: Option<&ErrorKind>) -> Option<Duration> {
    match kind {
        Some(ErrorKind::LimitExceeded(data)) => match &data.retry_after {
            Some(RetryAfter::Delay(d)) => Some(*d),
            _ => None,
        },
        _ => None,
    }
}

async fn send_with_retry(
    room: &Room,
    content: &RawValue,
) -> Result<OwnedEventId, matrix_sdk::Error> {
    let mut backoff = Duration::from_millis(250);
    let mut attempt = 1;
    loop {
        match room.send_raw("m.room.message", content).await {
            Ok(sent) => return Ok(sent.response.event_id),
            Err(e) if attempt < ATTEMPTS => {
                let kind = e.client_api_error_kind();
                let wait = match rate_limit_wait(kind) {
                    Some(wait) => wait,
                    None if kind.is_some() => return Err(e),
                    // No Matrix error: the server or network failed; try again shortly.
                    None => backoff,
                };
                tracing::warn!(
                    adapter = "matrix",
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "send failed, retrying"
                );
                tokio::time::sleep(wait).await;
                backoff = (backoff * 2).min(Duration::from_secs(10));
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::event_id;

    /// Replies carry `m.in_reply_to`; thread replies also the thread root with a fallback flag.
    #[test]
    fn relations_are_shaped_per_spec() {
        let event = event_id!("$command:hs");
        let root = event_id!("$root:hs");
        assert_eq!(
            Relation::Reply(event).to_json().unwrap(),
            json!({"m.in_reply_to": {"event_id": "$command:hs"}})
        );
        let thread = Relation::InThread { root, event }.to_json().unwrap();
        assert_eq!(thread["rel_type"], "m.thread");
        assert_eq!(thread["event_id"], "$root:hs");
        assert_eq!(thread["is_falling_back"], true);
        assert_eq!(thread["m.in_reply_to"]["event_id"], "$command:hs");
        assert!(Relation::None.to_json().is_none());
    }

    /// The sent JSON is the rendered content with the relation beside it, and no
    /// `m.relates_to` at all when the answer relates to nothing.
    #[test]
    fn event_content_is_the_content_plus_its_relation() {
        use crate::render::matrix::Mentions;
        let content = MatrixContent {
            msgtype: "m.notice",
            body: "plain \"quoted\"".into(),
            format: "org.matrix.custom.html",
            formatted_body: "<b>html</b>".into(),
            mentions: Mentions::default(),
        };
        let event = event_id!("$command:hs");
        let parse = |raw: Box<RawValue>| serde_json::from_str::<Value>(raw.get()).unwrap();
        let mut expected = serde_json::to_value(&content).unwrap();
        let related = parse(event_content(&content, &Relation::Reply(event)));
        expected["m.relates_to"] = Relation::Reply(event).to_json().unwrap();
        assert_eq!(related, expected);
        let unrelated = parse(event_content(&content, &Relation::None));
        assert_eq!(unrelated, serde_json::to_value(&content).unwrap());
        assert!(unrelated.get("m.relates_to").is_none());
    }
}
