//! The platform-neutral reply: what the bot wants to say, before any platform's formatting.
//!
//! Commands build a [`Reply`]; renderers turn it into Discord markdown, Slack mrkdwn, Matrix HTML
//! or plain text. All text here is raw (unescaped): escaping is the renderers' job, because only
//! they know their format. Links are kept as whole values so no renderer can split one.

use url::Url;

pub use crate::action::Action;

/// Cuts `text` to at most `max` characters (char-safe), ending with `…` when cut: how echoed
/// input and every platform-limited field are bounded.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// What a room or channel is told when a private answer went to the asker's direct messages
/// instead (the answer itself is never repeated there). Shared by every adapter that does this.
pub const SENT_PRIVATELY: &str = "I've sent you a direct message.";

/// What the asker is told when the bot is too busy to take a command on (see
/// [`crate::intake`]), where the platform gives no better way to say "later".
pub const BUSY: &str = "Signpost is busy right now. Please try again in a moment.";

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Ordinary text.
    Text(String),
    /// Emphasised text (a label, a name).
    Strong(String),
    /// A command or identifier the user can type.
    Code(String),
    /// A link with its own text.
    Link {
        /// What the link says.
        text: String,
        /// Where it goes.
        url: Url,
    },
}

/// A line of inline pieces.
pub type Line = Vec<Inline>;

/// Builds a line from pieces.
#[macro_export]
macro_rules! line {
    ($($piece:expr),* $(,)?) => { vec![$($crate::reply::Inline::from($piece)),*] };
}

impl From<&str> for Inline {
    fn from(s: &str) -> Self {
        Inline::Text(s.to_string())
    }
}

impl From<String> for Inline {
    fn from(s: String) -> Self {
        Inline::Text(s)
    }
}

/// Shorthand for `Inline::Code`.
pub fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// How far an item can be trusted; shown as a badge beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// The version to follow.
    Current,
    /// A consultation draft.
    Draft,
    /// Old, not updated.
    Historic,
    /// Replaced by a newer version.
    Superseded,
    /// Existence or currency unconfirmed.
    Unverified,
}

impl Badge {
    /// The word shown in every format.
    pub fn label(self) -> &'static str {
        match self {
            Badge::Current => "current",
            Badge::Draft => "draft",
            Badge::Historic => "historic",
            Badge::Superseded => "superseded",
            Badge::Unverified => "unverified",
        }
    }

    /// A symbol for formats that show one beside the word.
    pub fn symbol(self) -> &'static str {
        match self {
            Badge::Current => "✅",
            Badge::Draft => "📝",
            Badge::Historic => "🕰️",
            Badge::Superseded => "⛔",
            Badge::Unverified => "❓",
        }
    }
}

/// One entry in a list: usually a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Title (shown as the link text when there is a link).
    pub title: String,
    /// The link, if one is known.
    pub url: Option<Url>,
    /// True when the link is a best guess.
    pub url_unverified: bool,
    /// Status badge.
    pub badge: Option<Badge>,
    /// Short facts: publisher, date, regulator or body.
    pub meta: Vec<String>,
    /// Further lines: summary, contact details, cautions.
    pub details: Vec<Line>,
}

impl Item {
    /// The symbol shown before the item: its badge's, except that a link not confirmed shows
    /// the unverified mark whatever the badge, so a warning never sits beside a success mark.
    pub fn symbol(&self) -> Option<&'static str> {
        match self.badge {
            Some(_) if self.url_unverified => Some(Badge::Unverified.symbol()),
            badge => badge.map(Badge::symbol),
        }
    }

    /// An item with only a title.
    pub fn titled(title: impl Into<String>) -> Item {
        Item {
            title: title.into(),
            url: None,
            url_unverified: false,
            badge: None,
            meta: Vec::new(),
            details: Vec::new(),
        }
    }
}

/// A headed group of lines and items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// Heading, if any.
    pub heading: Option<String>,
    /// Lines of text before the items.
    pub lines: Vec<Line>,
    /// The items.
    pub items: Vec<Item>,
}

/// Who should see a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Everyone in the channel.
    #[default]
    Public,
    /// Only the person who asked (ephemeral reply or direct message).
    Private,
}

/// Whether the reply answers the question or explains a problem with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// An answer.
    #[default]
    Answer,
    /// The user's input could not be answered (unknown command, no such profession).
    Problem,
}

/// One thing a person can pick from a [`Menu`].
#[derive(Debug, Clone, PartialEq)]
pub struct MenuOption {
    /// What the option says (a profession's name, a nation).
    pub label: String,
    /// What a pick sends back with the menu's [`Action`]: an index id, never user text.
    pub value: String,
    /// The command that gives the same answer, for formats that list options as text.
    pub typed: Option<Inline>,
}

/// A choice the core offers instead of asking the person to type (professions, then UK nations
/// when a profession's regulators differ by nation). Each adapter shows it natively: a select
/// menu on Discord and Slack, a numbered list on Matrix and in plain text. A pick comes back as
/// the menu's [`Action`] and the option's value, read by [`crate::bot::Signpost::pick`].
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// What the person is asked ("Pick your profession").
    pub prompt: String,
    /// What a pick means.
    pub action: Action,
    /// The options, in the order shown (numbered from 1 where numbers are used).
    pub options: Vec<MenuOption>,
}

/// A complete reply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reply {
    /// One-line title.
    pub title: String,
    /// Lines under the title.
    pub intro: Vec<Line>,
    /// The body.
    pub sections: Vec<Section>,
    /// Closing lines (pointers to other commands, cautions).
    pub notes: Vec<Line>,
    /// Who should see it.
    pub visibility: Visibility,
    /// Answer or problem.
    pub tone: Tone,
    /// A choice offered instead of typing, if any.
    pub menu: Option<Menu>,
    /// Set on a short first answer: how to get the whole of it.
    pub more: Option<More>,
    /// Answered, but the index holds nothing for what was asked (a profession not covered, a
    /// platform with no reporting page): counted as a miss, not as an answer.
    pub missed: bool,
}

/// Where the rest of a short first answer is: the command that gives all of it, offered as a
/// **More** button where the platform has buttons and as a typed command everywhere, and the
/// site page that lists it in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct More {
    /// The command and its arguments, each an index id (`["guidance", "nurse", "scotland"]`),
    /// without the flag that asks for everything.
    pub words: Vec<String>,
    /// The site page holding the whole list, relative to the site's root.
    pub page: Option<String>,
}

impl More {
    /// The button that asks for the rest, when every word is an index id (the only words a
    /// component id may carry) and the id fits.
    pub fn action(&self) -> Option<Action> {
        let action = Action::More(self.words.join(":"));
        (self.words.iter().all(|w| crate::action::is_index_id(w))
            && action.to_id().len() <= crate::action::ID_LIMIT)
            .then_some(action)
    }
}

/// The characters a line shows: a link counts as its text.
pub fn line_len(line: &[Inline]) -> usize {
    line.iter()
        .map(|i| match i {
            Inline::Text(t) | Inline::Strong(t) | Inline::Code(t) => t.chars().count(),
            Inline::Link { text, .. } => text.chars().count(),
        })
        .sum()
}

impl Item {
    /// The characters the item shows in every format: its mark, title, facts and details.
    pub fn visible_len(&self) -> usize {
        self.symbol().map_or(0, |s| s.chars().count() + 1)
            + self.title.chars().count()
            + self
                .meta
                .iter()
                .map(|m| m.chars().count() + 3)
                .sum::<usize>()
            + self.details.iter().map(|l| line_len(l) + 1).sum::<usize>()
    }
}

impl Reply {
    /// About how many characters a person reads in this reply, whatever the format: its text
    /// with links counted as their words, one per line break, and no markup. What the short
    /// first answers are held to ([`crate::command::more`]).
    pub fn visible_len(&self) -> usize {
        let lines = |ls: &[Line]| ls.iter().map(|l| line_len(l) + 1).sum::<usize>();
        let sections: usize = self
            .sections
            .iter()
            .map(|s| {
                s.heading.as_ref().map_or(0, |h| h.chars().count() + 1)
                    + lines(&s.lines)
                    + s.items.iter().map(|i| i.visible_len() + 1).sum::<usize>()
            })
            .sum();
        let menu = self.menu.as_ref().map_or(0, |m| {
            m.prompt.chars().count()
                + m.options
                    .iter()
                    .map(|o| o.label.chars().count() + 1)
                    .sum::<usize>()
        });
        self.title.chars().count() + 1 + lines(&self.intro) + sections + lines(&self.notes) + menu
    }

    /// Whether this is a refusal or a problem ("please wait", "no such command"): shown, but
    /// nothing anyone would post to a channel or keep.
    pub fn is_refusal(&self) -> bool {
        self.tone == Tone::Problem
    }

    /// A reply with a title only.
    pub fn titled(title: impl Into<String>) -> Reply {
        Reply {
            title: title.into(),
            ..Reply::default()
        }
    }

    /// A short reply explaining a problem with the user's input.
    pub fn problem(title: impl Into<String>, lines: Vec<Line>) -> Reply {
        Reply {
            title: title.into(),
            intro: lines,
            tone: Tone::Problem,
            ..Reply::default()
        }
    }
}

/// The buttons `reply` offers where it is shown: none on a refusal ([`Reply::is_refusal`]),
/// else **More** on a short first answer, then [`answer_buttons`].
pub fn buttons_for(reply: &Reply, can_post: bool) -> Vec<Action> {
    buttons_as(reply, reply.visibility, can_post)
}

/// [`buttons_for`] a reply shown as `visibility`, which an adapter may have changed (an answer
/// sent privately, an update keeping its message's own visibility).
pub fn buttons_as(reply: &Reply, visibility: Visibility, can_post: bool) -> Vec<Action> {
    if reply.is_refusal() {
        return Vec::new();
    }
    buttons_with(
        reply.more.as_ref().and_then(More::action),
        visibility,
        can_post,
    )
}

/// An answer's buttons: `more` first (a short answer's **More**), then [`answer_buttons`].
pub fn buttons_with(more: Option<Action>, visibility: Visibility, can_post: bool) -> Vec<Action> {
    more.into_iter()
        .chain(answer_buttons(visibility, can_post))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Truncation is char-safe and marks the cut.
    #[test]
    fn truncate_is_char_safe() {
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("abc", 3), "abc");
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
