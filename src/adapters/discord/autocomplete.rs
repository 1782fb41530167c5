//! Autocomplete answers: ranked choices for the option being typed, from the index.
//!
//! Discord shows at most 25 choices and drops an answer that arrives after 3 seconds, so this is
//! pure, allocation-light work on the index already in memory: no IO between the event and the
//! callback.

use super::slash::{Choice, CHOICES_LIMIT};
use crate::command::table::{ArgKind, COMMANDS};
use crate::index::{normalize, Index, Resource};
use crate::reply::truncate;

/// Most characters of a choice's name and value.
const CHOICE_TEXT_LIMIT: usize = 100;

/// A value longer than Discord allows could not be sent back whole, and a cut id would not
/// resolve, so such entries are left out rather than shortened.
fn fits(id: &str) -> bool {
    id.chars().count() <= CHOICE_TEXT_LIMIT
}

/// The choices for option `option` of command `command` while `typed` is being entered. Empty
/// for options that do not autocomplete.
pub fn choices(index: &Index, command: &str, option: &str, typed: &str) -> Vec<Choice> {
    let kind = COMMANDS
        .iter()
        .find(|c| c.name == command)
        .and_then(|c| c.args.iter().find(|a| a.name == option))
        .map(|a| a.kind);
    match kind {
        Some(ArgKind::Profession) => professions(index, typed),
        Some(ArgKind::ResourceId) => resources(index, typed),
        _ => Vec::new(),
    }
}

/// Professions, best match first: display name shown, id sent. With nothing typed yet, the first
/// 25 by name, so the list is useful before the first keystroke.
pub fn professions(index: &Index, typed: &str) -> Vec<Choice> {
    let choice = |i: usize| {
        let p = &index.professions[i];
        Choice {
            name: truncate(&p.name, CHOICE_TEXT_LIMIT),
            value: p.id.clone(),
        }
    };
    if normalize(typed).is_empty() {
        let mut all: Vec<usize> = (0..index.professions.len()).collect();
        all.retain(|&i| fits(&index.professions[i].id));
        all.sort_by(|&a, &b| index.professions[a].name.cmp(&index.professions[b].name));
        return all.into_iter().take(CHOICES_LIMIT).map(choice).collect();
    }
    index
        .rank_professions(typed, CHOICES_LIMIT)
        .into_iter()
        .filter(|r| fits(&index.professions[r.target].id))
        .map(|r| choice(r.target))
        .collect()
}

/// Whether `id` starts with `wanted` (already normalized, so `-` reads as a space), without
/// normalizing every id on every keystroke: ids are validated as `a-z0-9-`.
fn id_starts_with(id: &str, wanted: &str) -> bool {
    id.len() >= wanted.len()
        && id
            .bytes()
            .zip(wanted.bytes())
            .all(|(i, w)| i == w || (i == b'-' && w == b' '))
}

/// Resources for `/resource id:`: ids starting with what was typed first (people often paste or
/// remember the start of an id), then word-search hits on titles and summaries.
pub fn resources(index: &Index, typed: &str) -> Vec<Choice> {
    let wanted = normalize(typed);
    let mut picked: Vec<&Resource> = if wanted.is_empty() {
        index.resources.iter().take(CHOICES_LIMIT).collect()
    } else {
        index
            .resources
            .iter()
            .filter(|r| id_starts_with(&r.id, &wanted))
            .take(CHOICES_LIMIT)
            .collect()
    };
    if picked.len() < CHOICES_LIMIT && !wanted.is_empty() {
        let (hits, _) = index.search(typed, CHOICES_LIMIT);
        for hit in hits {
            if picked.len() == CHOICES_LIMIT {
                break;
            }
            if !picked.iter().any(|p| p.id == hit.id) {
                picked.push(hit);
            }
        }
    }
    picked
        .into_iter()
        .filter(|r| fits(&r.id))
        .map(|r| Choice {
            name: truncate(&format!("{} ({})", r.title, r.publisher), CHOICE_TEXT_LIMIT),
            value: r.id.clone(),
        })
        .collect()
}
