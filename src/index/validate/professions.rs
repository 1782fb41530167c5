//! `professions.toml`: the professions people ask about, their names and aliases.
//!
//! Checked in two passes: names first, because resources refer to professions by id, and the
//! built professions last, because each lists the resources that name it.

use std::collections::HashMap;

use crate::index::check::Checker;
use crate::index::model::{display_order, Kind, Profession, Resource, Status};
use crate::index::names::NameTable;
use crate::index::raw::RawProfession;

const FILE: &str = "professions.toml";

/// Each profession's position by id, and the table resolving its names, aliases and typos.
pub(super) struct ProfessionNames {
    pub(super) ids: HashMap<String, usize>,
    pub(super) names: NameTable,
}

fn entry_name(id: &str) -> String {
    format!("profession \"{id}\"")
}

/// Checks ids and names, and that no name, id or alias belongs to two professions.
pub(super) fn check_names(raw: &[RawProfession], checker: &mut Checker) -> ProfessionNames {
    let mut ids = HashMap::new();
    let mut names = NameTable::default();
    for (position, profession) in raw.iter().enumerate() {
        let mut entry = checker.entry(FILE, entry_name(&profession.id));
        entry.check_id(&profession.id);
        entry.check_line("name", &profession.name);
        if ids.insert(profession.id.clone(), position).is_some() {
            entry.error(
                "id",
                format!("`{}` is used by another profession", profession.id),
            );
        }
        let every_name = [("id", &profession.id), ("name", &profession.name)]
            .into_iter()
            .chain(profession.aliases.iter().map(|alias| ("aliases", alias)));
        for (field, name) in every_name {
            if let Some(owner) = names.insert(name, position) {
                let other = &raw[owner].id;
                entry.error(
                    field,
                    format!("`{name}` already names profession `{other}`"),
                );
            }
        }
    }
    ProfessionNames { ids, names }
}

/// Builds the professions with their resources in display order, and requires each to have
/// current guidance: a profession the bot can only answer with old material is a data mistake.
pub(super) fn build_professions(
    raw: &[RawProfession],
    resources: &[Resource],
    checker: &mut Checker,
) -> Vec<Profession> {
    let mut professions: Vec<Profession> = raw
        .iter()
        .map(|profession| Profession {
            id: profession.id.clone(),
            name: profession.name.clone(),
            aliases: profession.aliases.clone(),
            regulators: profession.regulators.clone(),
            note: profession.note.clone(),
            resources: Vec::new(),
        })
        .collect();
    for (position, resource) in resources.iter().enumerate() {
        for &profession in &resource.professions {
            professions[profession].resources.push(position);
        }
    }
    for profession in &mut professions {
        profession
            .resources
            .sort_by(|&left, &right| display_order(&resources[left], &resources[right]));
        let has_current_guidance = profession.resources.iter().any(|&position| {
            let resource = &resources[position];
            resource.kind == Kind::Guidance && resource.status == Status::Current
        });
        if !has_current_guidance {
            checker
                .entry(FILE, entry_name(&profession.id))
                .error("id", "no current guidance resource lists this profession");
        }
    }
    professions
}
