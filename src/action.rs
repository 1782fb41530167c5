//! What a menu pick or a button on an answer means, and the component id it is sent as.
//!
//! Adapters show a [`Menu`](crate::reply::Menu) natively and send back what was picked as an
//! [`Action`] and a value. Ids and values carry no secrets and no user text: an action is one of a
//! few fixed words, a value an index id (`social-worker`, `scotland`), so what comes back is
//! checked against this shape ([`Action::from_id`], [`is_index_id`]) and then against the index
//! being served ([`crate::bot::Signpost::pick`]). Anything else was not made by Signpost and is
//! refused ([`ChoiceError`]); an id of the right shape for something no longer there (a profession
//! removed by a reload, an id of an older version) gets a polite reply. Who may use a button (only
//! the asker removes an answer) is never read from an id: adapters keep it server-side or take it
//! from the platform's own data. A leaf: it imports nothing of the crate.

/// Every id starts with this, so ids of another app or another version are told apart.
pub const ID_PREFIX: &str = "sp1:";
/// The prefix of older or newer versions' ids: answered politely, not refused.
const FAMILY: &str = "sp";
/// Most characters in a component id or value (Discord's limit; Slack allows more).
pub const ID_LIMIT: usize = 100;
/// The value of the "whole UK" option in the nation menu.
pub const ALL_NATIONS: &str = "uk";

/// What a pick or a press means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A profession from the guidance menu; the value is its id.
    PickProfession,
    /// A UK nation for this profession (its id); the value is a nation id or [`ALL_NATIONS`].
    PickNation(String),
    /// "Only show me": a private copy of a public answer for whoever presses it.
    OnlyMe,
    /// "Post to channel": a public copy of a private answer.
    PostToChannel,
    /// "Remove": deletes the bot's answer; only the person who asked or a moderator may.
    Remove,
    /// "More": the whole of a short first answer. It carries the command and its arguments,
    /// index ids joined by `:` (`guidance:nurse:scotland`), checked again by the parser.
    More(String),
}

/// Why an id or value that came back was refused: it is not one Signpost makes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChoiceError {
    /// The id has none of Signpost's shapes.
    #[error("component id is not one of Signpost's")]
    Forged,
    /// An id of Signpost's family but of another version (sent before an upgrade).
    #[error("component id is from another version")]
    Stale,
}

impl Action {
    /// The component id (`custom_id`, `action_id`) this action is sent as.
    pub fn to_id(&self) -> String {
        let rest = match self {
            Action::PickProfession => "prof".to_string(),
            Action::PickNation(profession) => format!("nation:{profession}"),
            Action::OnlyMe => "me".to_string(),
            Action::PostToChannel => "post".to_string(),
            Action::Remove => "rm".to_string(),
            Action::More(words) => format!("more:{words}"),
        };
        format!("{ID_PREFIX}{rest}")
    }

    /// Reads an id back; only the shapes [`Action::to_id`] makes are accepted.
    pub fn from_id(id: &str) -> Result<Action, ChoiceError> {
        let Some(rest) = id.strip_prefix(ID_PREFIX) else {
            let versioned = id
                .strip_prefix(FAMILY)
                .and_then(|r| r.split_once(':'))
                .is_some_and(|(v, _)| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
            return Err(if versioned && id.len() <= ID_LIMIT {
                ChoiceError::Stale
            } else {
                ChoiceError::Forged
            });
        };
        match rest.split_once(':') {
            None => match rest {
                "prof" => Ok(Action::PickProfession),
                "me" => Ok(Action::OnlyMe),
                "post" => Ok(Action::PostToChannel),
                "rm" => Ok(Action::Remove),
                _ => Err(ChoiceError::Forged),
            },
            Some(("nation", profession)) if is_index_id(profession) => {
                Ok(Action::PickNation(profession.to_string()))
            }
            Some(("more", words)) if words.split(':').all(is_index_id) => {
                Ok(Action::More(words.to_string()))
            }
            Some(_) => Err(ChoiceError::Forged),
        }
    }

    /// The button's label, for the actions shown as buttons on answers.
    pub fn label(&self) -> &'static str {
        match self {
            Action::PickProfession => "Pick your profession",
            Action::PickNation(_) => "Pick your nation",
            Action::OnlyMe => "Only show me",
            Action::PostToChannel => "Post to channel",
            Action::Remove => "Remove",
            Action::More(_) => "More",
        }
    }
}

/// Whether `value` has the shape of an index id (`a-z0-9-`, bounded): the only values Signpost
/// puts in a menu.
pub fn is_index_id(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= ID_LIMIT
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Said privately to someone pressing "Remove" on an answer they did not ask for.
pub const NOT_YOURS: &str = "Only the person who asked, or a moderator, can remove this answer.";
/// Said when a component id was refused.
pub const REFUSED: &str = "That button or menu isn't one Signpost made, so nothing was done.";
/// Said when who asked for an answer is no longer known (too old, or from before a restart).
pub const ASKER_UNKNOWN: &str =
    "I no longer know who asked for this answer, so only a moderator can remove it.";
/// Said when an answer can no longer be copied (too old to find, or already removed).
pub const ANSWER_GONE: &str = "That answer is no longer available. Please ask again.";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id reads back as the action it came from and fits Discord's limit.
    #[test]
    fn ids_round_trip() {
        for action in [
            Action::PickProfession,
            Action::PickNation("social-worker".into()),
            Action::OnlyMe,
            Action::PostToChannel,
            Action::Remove,
            Action::More("guidance:social-worker:scotland".into()),
        ] {
            let id = action.to_id();
            assert!(id.len() <= ID_LIMIT, "{id}");
            assert_eq!(Action::from_id(&id), Ok(action));
        }
    }

    /// Ids of another shape are forged; Signpost's family with another version is stale.
    #[test]
    fn odd_ids_are_refused() {
        for id in [
            "",
            "sp1:",
            "sp1:rm:x",
            "sp1:nation:",
            "sp1:nation:<@everyone>",
            "sp1:nation:Social Worker",
            "sp1:more:",
            "sp1:more:guidance::nurse",
            "sp1:more:guidance:../x",
            "other:rm",
            "sp:rm",
            "spx:rm",
        ] {
            assert_eq!(Action::from_id(id), Err(ChoiceError::Forged), "{id:?}");
        }
        assert_eq!(Action::from_id("sp0:prof"), Err(ChoiceError::Stale));
        assert_eq!(Action::from_id("sp2:whatever"), Err(ChoiceError::Stale));
    }
}
