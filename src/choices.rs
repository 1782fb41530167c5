//! Choices instead of typing: what a select menu or a button on an answer means, the id it is
//! sent as, and what a pick is answered with.
//!
//! Adapters show a [`Menu`](crate::reply::Menu) natively and send back what was picked as an
//! [`Action`] and a value. Ids and values carry no secrets and no user text: an action is one of a
//! few fixed words, a value an index id (`social-worker`, `scotland`), so what comes back is
//! checked against this shape ([`Action::from_id`], [`is_index_id`]) and then against the index
//! being served. Anything else was not made by Signpost and is refused ([`ChoiceError`]); an id of
//! the right shape for something no longer there (a profession removed by a reload, an id of an
//! older version) gets a polite reply. Who may use a button (only the asker removes an answer) is
//! never read from an id: adapters keep it server-side or take it from the platform's own data.

use crate::bot::{Incoming, Signpost};
use crate::command::{table, Context};
use crate::index::{Index, Nation, Profession};
use crate::line;
use crate::reply::{Line, Menu, MenuOption, Reply, Visibility};

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

/// The buttons an answer offers: on a public answer a private copy and removal; on a private one
/// a public copy, when the platform can post one there (`can_post`).
pub fn answer_buttons(visibility: Visibility, can_post: bool) -> Vec<Action> {
    match visibility {
        Visibility::Public => vec![Action::OnlyMe, Action::Remove],
        Visibility::Private if can_post => vec![Action::PostToChannel],
        Visibility::Private => Vec::new(),
    }
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

/// The nation ids of the nation menu, as the data files spell them.
const NATIONS: [(Nation, &str); 4] = [
    (Nation::England, "england"),
    (Nation::Scotland, "scotland"),
    (Nation::Wales, "wales"),
    (Nation::NorthernIreland, "northern-ireland"),
];

/// The nation menu for a profession whose regulators differ by nation.
pub fn nation_menu(ctx: &Context<'_>, p: &Profession) -> Reply {
    let mut reply = Reply::titled(format!("Social media guidance: {}", p.name));
    reply
        .intro
        .push(line!["Its regulator depends on where you work."]);
    let mut options: Vec<MenuOption> = NATIONS
        .iter()
        .map(|(nation, id)| MenuOption {
            label: nation.name().to_string(),
            value: id.to_string(),
            typed: Some(ctx.typed(&format!("guidance {} {}", p.id, nation.name()))),
        })
        .collect();
    options.push(MenuOption {
        label: "All of the UK".to_string(),
        value: ALL_NATIONS.to_string(),
        typed: Some(ctx.typed(&format!("guidance {}", p.id))),
    });
    reply.menu = Some(Menu {
        prompt: "Which UK nation do you work in?".to_string(),
        action: Action::PickNation(p.id.clone()),
        options,
    });
    reply
}

/// The polite reply to a pick of something the index no longer has: private, so the menu it
/// came from is left as it was.
fn gone(ctx: &Context<'_>) -> Reply {
    let mut reply = Reply::problem(
        "That choice is out of date",
        vec![line![
            "The list has changed since it was sent. Ask again: ",
            ctx.typed(table::GUIDANCE),
            "."
        ]],
    );
    reply.visibility = Visibility::Private;
    reply
}

/// The reply to a refused id or value (see [`ChoiceError`]).
pub fn refused(error: &ChoiceError, ctx: &Context<'_>) -> Reply {
    match error {
        ChoiceError::Forged => Reply {
            visibility: Visibility::Private,
            ..Reply::problem(REFUSED, Vec::new())
        },
        ChoiceError::Stale => gone(ctx),
    }
}

fn profession<'a>(index: &'a Index, id: &str) -> Option<&'a Profession> {
    index.professions.iter().find(|p| p.id == id)
}

impl Signpost {
    /// Answers a pick from a menu: `action` and `value` as they came back, `base` the presser's
    /// message as the adapter would hand it to [`Signpost::handle`] (its text is ignored). A
    /// value that is no index id is refused; one the index no longer has is answered politely;
    /// otherwise the answer is the command's own, through [`Signpost::handle`] (so cooldowns and
    /// counting apply), or the next menu. `None` only where `handle` gives nothing (a bot).
    pub fn pick(&self, base: &Incoming, action: &Action, value: &str) -> Option<Reply> {
        let prefix = base.command_prefix.unwrap_or(self.prefix());
        let ctx = Context::new(prefix, base.origin);
        if !is_index_id(value) {
            return Some(refused(&ChoiceError::Forged, &ctx));
        }
        let index = self.index();
        let text = match action {
            Action::PickProfession => {
                let Some(p) = profession(&index, value) else {
                    return Some(gone(&ctx));
                };
                if p.regulated_by_nation() {
                    return (!base.from_bot).then(|| nation_menu(&ctx, p));
                }
                format!("{} {}", table::GUIDANCE, p.id)
            }
            Action::PickNation(id) => {
                let Some(p) = profession(&index, id) else {
                    return Some(gone(&ctx));
                };
                match NATIONS.iter().find(|(_, n)| *n == value) {
                    Some((nation, _)) => format!("{} {} {}", table::GUIDANCE, p.id, nation.name()),
                    None if value == ALL_NATIONS => format!("{} {}", table::GUIDANCE, p.id),
                    None => return Some(refused(&ChoiceError::Forged, &ctx)),
                }
            }
            // Buttons are the adapters' business (they copy or delete a message).
            Action::OnlyMe | Action::PostToChannel | Action::Remove => {
                return Some(refused(&ChoiceError::Forged, &ctx));
            }
        };
        let mut message = base.clone();
        message.text = text;
        message.addressed = true;
        self.handle(&message)
    }
}

/// The numbered form of a menu, for formats without components: one line per option, `n. label
/// — command`.
pub fn numbered(menu: &Menu) -> Vec<Line> {
    menu.options
        .iter()
        .enumerate()
        .map(|(n, option)| {
            let mut line = line![format!("{}. {}", n + 1, option.label)];
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

    /// Every id reads back as the action it came from and fits Discord's limit.
    #[test]
    fn ids_round_trip() {
        for action in [
            Action::PickProfession,
            Action::PickNation("social-worker".into()),
            Action::OnlyMe,
            Action::PostToChannel,
            Action::Remove,
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
            "other:rm",
            "sp:rm",
            "spx:rm",
        ] {
            assert_eq!(Action::from_id(id), Err(ChoiceError::Forged), "{id:?}");
        }
        assert_eq!(Action::from_id("sp0:prof"), Err(ChoiceError::Stale));
        assert_eq!(Action::from_id("sp2:whatever"), Err(ChoiceError::Stale));
    }

    /// Public answers offer a private copy and removal; private ones a public copy where
    /// possible.
    #[test]
    fn buttons_follow_visibility() {
        assert_eq!(
            answer_buttons(Visibility::Public, true),
            vec![Action::OnlyMe, Action::Remove]
        );
        assert_eq!(
            answer_buttons(Visibility::Private, true),
            vec![Action::PostToChannel]
        );
        assert!(answer_buttons(Visibility::Private, false).is_empty());
    }
}
