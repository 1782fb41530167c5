//! `professions.toml`, `[[not_covered]]`: professions people ask about that the index has no
//! guidance for yet. Their names must not overlap a covered profession's, or a question about a
//! nurse could be told nurses are not covered.

use std::collections::{HashMap, HashSet};

use crate::index::check::Checker;
use crate::index::model::{Kind, Resource, Uncovered};
use crate::index::names::NameTable;
use crate::index::raw::RawUncovered;

const FILE: &str = "professions.toml";

/// Checks every uncovered profession and builds the table of their names.
pub(super) fn validate_uncovered(
    raw: &[RawUncovered],
    covered: &NameTable,
    resources: &[Resource],
    resource_ids: &HashMap<String, usize>,
    checker: &mut Checker,
) -> (Vec<Uncovered>, NameTable) {
    let mut ids = HashSet::new();
    let mut names = NameTable::default();
    let mut uncovered = Vec::with_capacity(raw.len());
    for (position, entry_raw) in raw.iter().enumerate() {
        let mut entry = checker.entry(FILE, format!("not_covered \"{}\"", entry_raw.id));
        entry.check_id(&entry_raw.id);
        entry.check_line("name", &entry_raw.name);
        if let Some(regulator) = &entry_raw.regulator {
            entry.check_line("regulator", regulator);
        }
        if !ids.insert(entry_raw.id.clone()) {
            entry.error("id", format!("`{}` is used twice", entry_raw.id));
        }
        let every_name = [&entry_raw.id, &entry_raw.name]
            .into_iter()
            .chain(&entry_raw.aliases);
        for name in every_name {
            if covered.exact(name).is_some() {
                entry.error("aliases", format!("`{name}` names a covered profession"));
            } else if let Some(owner) = names.insert(name, position) {
                let other = &raw[owner].id;
                entry.error("aliases", format!("`{name}` already names `{other}`"));
            }
        }
        let mut guidance = Vec::new();
        for id in &entry_raw.guidance {
            match resource_ids.get(id) {
                Some(&r) if resources[r].kind == Kind::Guidance => guidance.push(r),
                Some(_) => entry.error("guidance", format!("`{id}` is not guidance")),
                None => entry.error("guidance", format!("no resource has id `{id}`")),
            }
        }
        uncovered.push(Uncovered {
            id: entry_raw.id.clone(),
            name: entry_raw.name.clone(),
            aliases: entry_raw.aliases.clone(),
            regulator: entry_raw.regulator.clone(),
            guidance,
            note: entry_raw.note.clone(),
        });
    }
    (uncovered, names)
}
