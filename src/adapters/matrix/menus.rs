//! Menus without components: a reply's [`Menu`] is sent as a numbered list (the renderer's
//! text form), and the same person answering in that room with just a number, within
//! [`MENU_WINDOW`], gets what that option gives, as a pick would on a platform with selects.
//!
//! The pending menu is kept per room and person (bounded, [`RecentMap`]), so someone else's
//! number in the room is ordinary chat, and a newer menu for the same person replaces the
//! older one; a pick uses it up. Client mode and appservice mode share [`Menus`].

use std::time::Duration;

use crate::adapters::recent::RecentMap;
use crate::bot::Signpost;
use crate::line;
use crate::message::Incoming;
use crate::reply::{Menu, Reply};

/// How long a menu can be answered with a number.
pub const MENU_WINDOW: Duration = Duration::from_secs(5 * 60);
/// Most menus waiting for an answer.
pub const MENUS_PENDING: usize = 1_000;

/// The menus waiting for a number, by room and person.
#[derive(Debug)]
pub struct Menus(RecentMap<Menu>);

impl Default for Menus {
    fn default() -> Menus {
        Menus(RecentMap::new(MENUS_PENDING, MENU_WINDOW))
    }
}

fn key(room: &str, person: &str) -> String {
    format!("{room}\n{person}")
}

/// The option `text` picks, when it is only a number (1 and up).
fn number(text: &str) -> Option<usize> {
    let text = text.trim().trim_end_matches(['.', ')']);
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<usize>().ok().filter(|&n| n > 0)
}

impl Menus {
    /// The answer to `incoming` when it is a number answering this person's pending menu in
    /// this room; `None` to handle it as any other message.
    pub fn answer(
        &self,
        core: &Signpost,
        room: &str,
        person: &str,
        incoming: &Incoming,
    ) -> Option<Reply> {
        let n = number(&incoming.text)?;
        let key = key(room, person);
        let menu = self.0.get(&key)?;
        let option = menu.options.get(n - 1)?;
        self.0.remove(&key);
        tracing::debug!(adapter = "matrix", "menu answered");
        core.pick(incoming, &menu.action, &option.value)
    }

    /// Keeps the menu of a reply just sent to `person` in `room`.
    pub fn offer(&self, room: &str, person: &str, reply: &Reply) {
        if let Some(menu) = &reply.menu {
            self.0.insert(&key(room, person), menu.clone());
        }
    }
}

/// The line added to a reply with a menu, saying how to pick.
pub fn how_to_pick(reply: &mut Reply) {
    if reply.menu.is_some() {
        let minutes = MENU_WINDOW.as_secs() / 60;
        reply.notes.insert(
            0,
            line![format!(
                "Answer with just the number within {minutes} minutes, or type the command."
            )],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    /// Only a bare number picks; `2.` and `2)` are read as 2; anything else is not a pick.
    #[test]
    fn only_numbers_pick() {
        assert_eq!(number(" 2 "), Some(2));
        assert_eq!(number("2."), Some(2));
        assert_eq!(number("10)"), Some(10));
        for text in ["0", "", "two", "2 please", "-1", "99999", "１"] {
            assert_eq!(number(text), None, "{text:?}");
        }
    }
}
