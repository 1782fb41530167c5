//! `tips.toml`: top tips, each quoting the resource it comes from.

use std::collections::HashMap;

use crate::index::check::Checker;
use crate::index::model::Tip;
use crate::index::raw::RawTip;

const FILE: &str = "tips.toml";

/// Checks every tip's text and source; a tip whose source is unknown is left out.
pub(super) fn validate_tips(
    raw: &[RawTip],
    resource_ids: &HashMap<String, usize>,
    checker: &mut Checker,
) -> Vec<Tip> {
    let mut tips = Vec::with_capacity(raw.len());
    for (position, tip) in raw.iter().enumerate() {
        // Tips have no id, so they are named by their place in the file, counting from one.
        let mut entry = checker.entry(FILE, format!("tip {}", position + 1));
        entry.check_line("text", &tip.text);
        match resource_ids.get(&tip.source) {
            Some(&source) => tips.push(Tip {
                text: tip.text.clone(),
                source,
            }),
            None => entry.error("source", format!("no resource has id `{}`", tip.source)),
        }
    }
    tips
}
