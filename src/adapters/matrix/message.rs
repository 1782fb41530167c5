//! Reading a room message the same way in client and appservice mode: whether it is for the bot
//! at all, the command text with any reply fallback and leading mention removed, the
//! [`Incoming`] the core gets, and where the answer goes (a reply, inside the command's thread,
//! or under the message a moderator's `!abuse-help` replies to).

use matrix_sdk::ruma::events::room::message::sanitize::remove_plain_reply_fallback;
use matrix_sdk::ruma::events::room::message::{
    MessageType, OriginalSyncRoomMessageEvent, Relation as MessageRelation,
};
use matrix_sdk::ruma::{EventId, OwnedEventId, RoomId, UserId};

use super::send::Relation;
use super::text;
use crate::command::table;
use crate::message::Origin;
use crate::message::{Incoming, Sender};

/// What a message says to the bot, before the room is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// The text, without a reply fallback or a leading mention of the bot.
    pub text: String,
    /// Whether it mentions the bot (`m.mentions`) or starts with its name.
    pub named: bool,
}

/// What `event` says to the bot `own` (display name `display_name`), or `None` when it must not
/// be answered: the bot's own messages, anything but text (notices, which other bots send;
/// emotes; media), and edits.
pub fn read(
    event: &OriginalSyncRoomMessageEvent,
    own: &UserId,
    display_name: Option<&str>,
) -> Option<Said> {
    if event.sender == own {
        return None;
    }
    let MessageType::Text(text) = &event.content.msgtype else {
        return None;
    };
    if matches!(
        event.content.relates_to,
        Some(MessageRelation::Replacement(_))
    ) {
        return None;
    }
    let body = if is_reply(event) {
        remove_plain_reply_fallback(&text.body)
    } else {
        &text.body
    };
    let mentioned = event
        .content
        .mentions
        .as_ref()
        .is_some_and(|m| m.user_ids.contains(own));
    let (body, named) = match text::strip_mention(body, own.as_str(), display_name) {
        Some(rest) => (rest, true),
        None => (body, false),
    };
    Some(Said {
        text: body.to_string(),
        named: named || mentioned,
    })
}

/// The core's view of a message in `room`: addressed to the bot when it names the bot, in a
/// direct chat, or in a room of at most two members (the bot and the asker).
pub fn incoming(
    said: Said,
    event: &OriginalSyncRoomMessageEvent,
    room: &RoomId,
    direct: bool,
    members: u64,
) -> Incoming {
    Incoming {
        text: said.text,
        origin: Origin::Matrix,
        addressed: said.named || direct || members <= 2,
        from_bot: false,
        command_prefix: None,
        sender: Some(Sender::new(event.sender.as_str(), room.as_str())),
        interaction: false,
        moderator: false,
        community: Origin::Matrix.community(room.as_str()),
    }
}

/// Where the answer to `command` goes: a moderator's `!abuse-help` sent as a reply answers the
/// message it replies to, so the help lands under the abuse without naming or pinging anyone;
/// anything else answers the command itself. `None` means the command.
pub fn answers(
    command: Option<&str>,
    event: &OriginalSyncRoomMessageEvent,
) -> Option<OwnedEventId> {
    match command {
        Some(table::ABUSE_HELP) => replied_to(event),
        _ => None,
    }
}

/// How an answer to `event` relates to it: a reply to `target`, inside the event's thread when
/// it was in one.
pub fn relation<'a>(event: &'a OriginalSyncRoomMessageEvent, target: &'a EventId) -> Relation<'a> {
    match &event.content.relates_to {
        Some(MessageRelation::Thread(thread)) => Relation::InThread {
            root: &thread.event_id,
            event: target,
        },
        _ => Relation::Reply(target),
    }
}

/// The event a message replies to: a plain reply's, or a real reply inside a thread (not the
/// thread's fallback to its latest event).
pub fn replied_to(event: &OriginalSyncRoomMessageEvent) -> Option<OwnedEventId> {
    match &event.content.relates_to {
        Some(MessageRelation::Reply(reply)) => Some(reply.in_reply_to.event_id.clone()),
        Some(MessageRelation::Thread(thread)) if !thread.is_falling_back => {
            thread.in_reply_to.as_ref().map(|r| r.event_id.clone())
        }
        _ => None,
    }
}

/// Whether the message is a reply, the only kind that can carry a reply fallback.
fn is_reply(event: &OriginalSyncRoomMessageEvent) -> bool {
    match &event.content.relates_to {
        Some(MessageRelation::Reply { .. }) => true,
        Some(MessageRelation::Thread(thread)) => thread.in_reply_to.is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::user_id;

    fn event(content: serde_json::Value, sender: &str) -> OriginalSyncRoomMessageEvent {
        serde_json::from_value(serde_json::json!({
            "type": "m.room.message",
            "event_id": "$e:localhost",
            "sender": sender,
            "origin_server_ts": 1,
            "content": content,
        }))
        .expect("a message event")
    }

    /// Text is read without the reply fallback and the leading mention; the bot's own
    /// messages, notices and edits are not read at all.
    #[test]
    fn only_text_from_others_is_read() {
        let own = user_id!("@signpost:localhost");
        let reply = event(
            serde_json::json!({
                "msgtype": "m.text",
                "body": "> <@a:localhost> hi\n\nsignpost: guidance nurse",
                "m.relates_to": {"m.in_reply_to": {"event_id": "$x:localhost"}},
            }),
            "@alice:localhost",
        );
        assert_eq!(
            read(&reply, own, None),
            Some(Said {
                text: "guidance nurse".into(),
                named: true
            })
        );
        assert_eq!(
            replied_to(&reply).as_deref().map(|e| e.as_str()),
            Some("$x:localhost")
        );
        let text = serde_json::json!({"msgtype": "m.text", "body": "!help"});
        assert_eq!(read(&event(text.clone(), own.as_str()), own, None), None);
        let notice = serde_json::json!({"msgtype": "m.notice", "body": "!help"});
        assert_eq!(read(&event(notice, "@bot:localhost"), own, None), None);
        let edit = serde_json::json!({
            "msgtype": "m.text", "body": "* !help",
            "m.new_content": {"msgtype": "m.text", "body": "!help"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$x:localhost"},
        });
        assert_eq!(read(&event(edit, "@alice:localhost"), own, None), None);
        let plain = read(&event(text, "@alice:localhost"), own, None).expect("read");
        assert!(!plain.named);
    }
}
