//! Slack Block Kit: blocks and text objects, and the interactive elements: a reply's [`Menu`] as a `static_select` and the buttons
//! on answers, each in an `actions` block.
//!
//! Limits: 100 options per static select (a longer menu is split over several selects, each
//! with its own `action_id`: the action's id, then `~n`), 75 characters per option text and 150
//! per placeholder, 2,000 per `action_id` and value. Texts are `plain_text` objects, which
//! Slack shows literally; broadcast words are broken all the same.

use serde::Serialize;

use super::defang;
use crate::action::{Action, ChoiceError, ID_LIMIT};
use crate::reply::{truncate, Menu};
use crate::unicode::is_hidden;

/// A text object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    /// `mrkdwn` or `plain_text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// A Block Kit block (only the kinds Signpost sends).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A large plain-text title.
    Header {
        /// Plain text, at most 150 characters.
        text: Text,
    },
    /// A mrkdwn paragraph.
    Section {
        /// mrkdwn, at most 3,000 characters.
        text: Text,
    },
    /// Small print.
    Context {
        /// mrkdwn elements.
        elements: Vec<Text>,
    },
    /// A horizontal rule between parts of a view.
    Divider,
    /// Interactive elements: a menu's select, an answer's buttons.
    Actions {
        /// Names the block, for the buttons' block; absent otherwise.
        #[serde(skip_serializing_if = "Option::is_none")]
        block_id: Option<&'static str>,
        /// The elements (below).
        elements: Vec<Element>,
    },
}

/// Most options in one static select.
pub const OPTIONS_PER_SELECT: usize = 100;
/// Most selects one menu is split over.
pub const MAX_SELECTS: usize = 5;
/// Most characters of an option's text.
pub const OPTION_TEXT_LIMIT: usize = 75;
/// Most characters of a placeholder or button text.
pub const PLACEHOLDER_LIMIT: usize = 150;
/// The `block_id` of the block holding the buttons on an answer.
pub const BUTTONS_BLOCK: &str = "sp-buttons";

/// An interactive element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Element {
    /// A menu of fixed options.
    StaticSelect {
        /// The action's id ([`Action::to_id`]), with `~n` for a menu's later selects.
        action_id: String,
        /// Shown before a pick.
        placeholder: Text,
        /// The options.
        options: Vec<SelectOption>,
    },
    /// A button.
    Button {
        /// The action's id.
        action_id: String,
        /// Its label.
        text: Text,
        /// What it sends back: an answer id ([`crate::action`]: no user text).
        value: String,
        /// `danger` for removal.
        #[serde(skip_serializing_if = "Option::is_none")]
        style: Option<&'static str>,
    },
}

/// One option of a static select.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectOption {
    /// Shown.
    pub text: Text,
    /// Sent back (an index id).
    pub value: String,
}

/// A `plain_text` object, cut to `limit`.
pub fn plain_text(text: &str, limit: usize) -> Text {
    let text: String = text.chars().filter(|&c| !is_hidden(c)).collect();
    Text {
        kind: "plain_text",
        text: truncate(&defang(&text), limit),
    }
}

/// The menu as `actions` blocks of selects.
pub fn menu_blocks(menu: &Menu) -> Vec<Block> {
    let id = menu.action.to_id();
    let options: Vec<SelectOption> = menu
        .options
        .iter()
        .filter(|o| o.value.chars().count() <= ID_LIMIT)
        .map(|o| SelectOption {
            text: plain_text(&o.label, OPTION_TEXT_LIMIT),
            value: o.value.clone(),
        })
        .collect();
    options
        .chunks(OPTIONS_PER_SELECT)
        .take(MAX_SELECTS)
        .enumerate()
        .map(|(n, chunk)| Block::Actions {
            block_id: None,
            elements: vec![Element::StaticSelect {
                action_id: if n == 0 {
                    id.clone()
                } else {
                    format!("{id}~{n}")
                },
                placeholder: plain_text(&menu.prompt, PLACEHOLDER_LIMIT),
                options: chunk.to_vec(),
            }],
        })
        .collect()
}

/// An `actions` block of buttons for `actions`, each sending back `answer` (an answer id).
pub fn button_block(actions: &[Action], answer: &str) -> Option<Block> {
    if actions.is_empty() {
        return None;
    }
    let elements = actions
        .iter()
        .map(|action| Element::Button {
            action_id: action.to_id(),
            text: plain_text(action.label(), PLACEHOLDER_LIMIT),
            value: answer.to_string(),
            style: (*action == Action::Remove).then_some("danger"),
        })
        .collect();
    Some(Block::Actions {
        block_id: Some(BUTTONS_BLOCK),
        elements,
    })
}

/// The action a returned `action_id` stands for, without the `~n` of a menu's later selects.
pub fn element_action(action_id: &str) -> Result<Action, ChoiceError> {
    let id = match action_id.rsplit_once('~') {
        Some((id, n)) if n.parse::<usize>().is_ok_and(|n| n > 0 && n < MAX_SELECTS) => id,
        _ => action_id,
    };
    Action::from_id(id)
}
