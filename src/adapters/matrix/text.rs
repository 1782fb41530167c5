//! Pure helpers for Matrix messages: finding a mention of the bot, deciding whether a message is
//! history, and checking who may invite the bot. Kept apart from the SDK so they are unit-tested.
//! (Reply fallbacks are removed with ruma's own sanitizer, and only from replies.)

/// If `body` starts by addressing the bot (by full user id, localpart or display name, followed
/// by `:` or `,` or a space), returns the rest. `@signpost:hs: guidance nurse` → `guidance nurse`.
pub fn strip_mention<'a>(
    body: &'a str,
    user_id: &str,
    display_name: Option<&str>,
) -> Option<&'a str> {
    let trimmed = body.trim_start();
    let localpart = user_id
        .trim_start_matches('@')
        .split(':')
        .next()
        .unwrap_or_default();
    let candidates = [Some(user_id), display_name, Some(localpart)];
    for name in candidates.into_iter().flatten().filter(|n| !n.is_empty()) {
        let starts = trimmed
            .get(..name.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(name));
        let at_name = format!("@{name}");
        let starts_at = !name.starts_with('@')
            && trimmed
                .get(..at_name.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(&at_name));
        let after = if starts {
            &trimmed[name.len()..]
        } else if starts_at {
            &trimmed[at_name.len()..]
        } else {
            continue;
        };
        // The name must end there: `signposting is fun` does not address `signpost`.
        match after.chars().next() {
            None => return Some(""),
            Some(':' | ',' | ' ') => {
                return Some(after.trim_start_matches([':', ',']).trim_start());
            }
            Some(_) => continue,
        }
    }
    None
}

/// Whether a message is new enough to answer, from where it arrived in the sync stream, never
/// from the local clock (a skewed clock would otherwise answer history or drop new commands):
/// - nothing in the catch-up sync after start (`live` false) is new: it was said while the bot
///   was down;
/// - after it, everything in a room the bot was already in (`known_room`) is new;
/// - a room's first sync after the bot joined also carries what was said before: only messages
///   from the bot's join on are new, comparing the homeserver's timestamps with each other
///   (`joined_at`, the bot's own join event; unknown means not new).
pub fn is_new(live: bool, known_room: bool, sent_at: u64, joined_at: Option<u64>) -> bool {
    if !live {
        return false;
    }
    known_room || joined_at.is_some_and(|joined| sent_at >= joined)
}

/// Whether an invite from `inviter` (`@name:server`) is accepted: an empty list accepts all;
/// otherwise the list names users (`@name:server`) or whole servers (`server`).
pub fn inviter_allowed(inviter: &str, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let server = inviter.split_once(':').map(|(_, s)| s).unwrap_or_default();
    allowed.iter().any(|entry| {
        if entry.starts_with('@') {
            entry == inviter
        } else {
            entry.eq_ignore_ascii_case(server)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// History is decided by sync position: timestamps far from the local clock, in either
    /// direction, change nothing once the bot is live in a room.
    #[test]
    fn history_follows_the_sync_not_the_clock() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_millis() as u64;
        const DAY: u64 = 24 * 60 * 60 * 1_000;
        // A homeserver clock a day behind or ahead of ours.
        for sent_at in [now - DAY, now, now + DAY, 0, u64::MAX] {
            assert!(
                is_new(true, true, sent_at, None),
                "live, known room: {sent_at}"
            );
            assert!(!is_new(false, true, sent_at, None), "catch-up: {sent_at}");
        }
        // A newly joined room: server time against server time only.
        let joined = now + DAY;
        assert!(
            !is_new(true, false, joined - 1, Some(joined)),
            "said before the join"
        );
        assert!(is_new(true, false, joined, Some(joined)));
        assert!(is_new(true, false, joined + 1, Some(joined)));
        assert!(
            !is_new(true, false, joined, None),
            "join unknown: not answered"
        );
    }

    /// Only replies lose their fallback, and a person's own leading quote survives.
    #[test]
    fn reply_fallbacks_use_ruma() {
        use matrix_sdk::ruma::events::room::message::sanitize::remove_plain_reply_fallback;
        assert_eq!(
            remove_plain_reply_fallback("> <@a:hs> !help\n> more\n\n!guidance nurse"),
            "!guidance nurse"
        );
        assert_eq!(
            remove_plain_reply_fallback("> a quote of my own\n!guidance nurse"),
            "> a quote of my own\n!guidance nurse"
        );
    }

    /// The bot is addressed by user id, display name or localpart, with `:`/`,`/space after.
    #[test]
    fn mentions_are_stripped() {
        let id = "@signpost:localhost";
        assert_eq!(
            strip_mention("@signpost:localhost: guidance nurse", id, None),
            Some("guidance nurse")
        );
        assert_eq!(
            strip_mention("Signpost Bot, help", id, Some("Signpost Bot")),
            Some("help")
        );
        assert_eq!(strip_mention("signpost: tips", id, None), Some("tips"));
        assert_eq!(strip_mention("@signpost tips", id, None), Some("tips"));
        assert_eq!(strip_mention("signposting is fun", id, None), None);
        assert_eq!(strip_mention("hello signpost", id, None), None);
    }

    /// Invites are checked against users and servers; an empty list accepts everyone.
    #[test]
    fn inviters_are_checked() {
        let allowed = vec!["@alice:example.org".to_string(), "nhs.example".to_string()];
        assert!(inviter_allowed("@alice:example.org", &allowed));
        assert!(inviter_allowed("@bob:nhs.example", &allowed));
        assert!(!inviter_allowed("@mallory:example.org", &allowed));
        assert!(inviter_allowed("@anyone:anywhere", &[]));
    }
}
