//! Discord message components: a reply's [`Menu`] as string selects (component type 3) and the
//! buttons on answers (type 2), in action rows (type 1).
//!
//! Limits (API v10): 5 action rows per message, 25 options per select, 5 buttons per row, 100
//! characters per label, option value and `custom_id`, 150 per placeholder. A menu longer than
//! one select is split over several (at most [`MAX_SELECTS`]), each with its own `custom_id`
//! (the action's id, then `~n`), read back by [`select_action`]. Labels are plain text (Discord
//! parses no markdown or mentions in components); hidden characters are still dropped and
//! broadcast words broken, as everywhere.

use serde::Serialize;

use crate::action::{Action, ChoiceError, ID_LIMIT};
use crate::reply::{truncate, Menu};
use crate::unicode::is_hidden;

/// Component type 1.
const ACTION_ROW: u8 = 1;
/// Component type 2.
const BUTTON: u8 = 2;
/// Component type 3.
pub const STRING_SELECT: u8 = 3;
/// Most options in one select.
pub const OPTIONS_PER_SELECT: usize = 25;
/// Most selects one menu is split over (leaving an action row for the buttons).
pub const MAX_SELECTS: usize = 4;
/// Most characters in a label.
pub const LABEL_LIMIT: usize = 100;
/// Most characters in a placeholder.
pub const PLACEHOLDER_LIMIT: usize = 150;
/// Button styles: secondary (grey) and danger (red).
const SECONDARY: u8 = 2;
const DANGER: u8 = 4;

/// An action row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionRow {
    /// Always 1.
    #[serde(rename = "type")]
    pub kind: u8,
    /// One select, or up to five buttons.
    pub components: Vec<Component>,
}

/// A select or a button.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// 2 (button) or 3 (string select).
    #[serde(rename = "type")]
    pub kind: u8,
    /// The action's id ([`Action::to_id`]), with `~n` for a menu's later selects.
    pub custom_id: String,
    /// A button's style.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<u8>,
    /// A button's label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A select's placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// A select's options.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
}

/// One option of a string select.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectOption {
    /// Shown.
    pub label: String,
    /// Sent back (an index id).
    pub value: String,
}

fn label(text: &str, limit: usize) -> String {
    let text: String = text.chars().filter(|&c| !is_hidden(c)).collect();
    truncate(&super::defang(&text), limit)
}

/// The menu as action rows of selects; options whose value would not fit are left out (a cut
/// id would not resolve).
pub fn menu_rows(menu: &Menu) -> Vec<ActionRow> {
    let id = menu.action.to_id();
    let options: Vec<SelectOption> = menu
        .options
        .iter()
        .filter(|o| o.value.chars().count() <= ID_LIMIT)
        .map(|o| SelectOption {
            label: label(&o.label, LABEL_LIMIT),
            value: o.value.clone(),
        })
        .collect();
    options
        .chunks(OPTIONS_PER_SELECT)
        .take(MAX_SELECTS)
        .enumerate()
        .map(|(n, chunk)| ActionRow {
            kind: ACTION_ROW,
            components: vec![Component {
                kind: STRING_SELECT,
                custom_id: if n == 0 {
                    id.clone()
                } else {
                    format!("{id}~{n}")
                },
                style: None,
                label: None,
                placeholder: Some(label(&menu.prompt, PLACEHOLDER_LIMIT)),
                options: chunk.to_vec(),
            }],
        })
        .collect()
}

/// One action row of buttons for `actions` (removal in red).
pub fn button_row(actions: &[Action]) -> Option<ActionRow> {
    if actions.is_empty() {
        return None;
    }
    let components = actions
        .iter()
        .map(|action| Component {
            kind: BUTTON,
            custom_id: action.to_id(),
            style: Some(if *action == Action::Remove {
                DANGER
            } else {
                SECONDARY
            }),
            label: Some(action.label().to_string()),
            placeholder: None,
            options: Vec::new(),
        })
        .collect();
    Some(ActionRow {
        kind: ACTION_ROW,
        components,
    })
}

/// The action a returned `custom_id` stands for, without the `~n` of a menu's later selects.
pub fn select_action(custom_id: &str) -> Result<Action, ChoiceError> {
    let id = match custom_id.rsplit_once('~') {
        Some((id, n)) if n.parse::<usize>().is_ok_and(|n| n > 0 && n < MAX_SELECTS) => id,
        _ => custom_id,
    };
    Action::from_id(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::MenuOption;

    /// A long menu is split into selects of at most 25 options whose ids read back as the
    /// menu's action.
    #[test]
    fn long_menus_split_into_selects() {
        let menu = Menu {
            prompt: "Pick".into(),
            action: Action::PickProfession,
            options: (0..60)
                .map(|n| MenuOption {
                    label: format!("option {n}"),
                    value: format!("id-{n}"),
                    typed: None,
                })
                .collect(),
        };
        let rows = menu_rows(&menu);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[2].components[0].options.len(),
            60 - 2 * OPTIONS_PER_SELECT
        );
        for row in &rows {
            let select = &row.components[0];
            assert!(select.options.len() <= OPTIONS_PER_SELECT);
            assert_eq!(select_action(&select.custom_id), Ok(Action::PickProfession));
        }
        assert!(select_action("sp1:prof~9").is_err());
    }
}
