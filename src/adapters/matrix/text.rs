//! Pure helpers for Matrix messages: finding a mention of the bot, stripping old-style reply
//! quotes, and checking who may invite the bot. Kept apart from the SDK so they are unit-tested.

/// Removes a reply fallback (`> <@alice:hs> quoted…` lines then a blank line) from a body.
/// Since spec v1.13 replies carry no fallback, but older clients still send one, and the quoted
/// text must never be read as a command.
pub fn strip_reply_fallback(body: &str) -> &str {
    if !body.starts_with("> ") {
        return body;
    }
    let mut rest = body;
    while let Some(line_end) = rest.find('\n') {
        let line = &rest[..line_end];
        if line.starts_with('>') {
            rest = &rest[line_end + 1..];
        } else {
            break;
        }
    }
    // The fallback ends with one blank line.
    rest.strip_prefix('\n').unwrap_or(rest)
}

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

    /// Reply fallbacks are stripped; bodies without one are untouched.
    #[test]
    fn reply_fallback_is_stripped() {
        assert_eq!(
            strip_reply_fallback("> <@a:hs> !help\n> more\n\n!guidance nurse"),
            "!guidance nurse"
        );
        assert_eq!(strip_reply_fallback("!guidance nurse"), "!guidance nurse");
        assert_eq!(strip_reply_fallback("> only a quote"), "> only a quote");
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
