//! `platforms.toml`: the platforms people can be abused on, and where to report it on each.

use std::collections::{HashMap, HashSet};

use crate::index::check::{Checker, EntryChecker};
use crate::index::model::{Kind, Platform, Resource};
use crate::index::names::NameTable;
use crate::index::raw::RawPlatform;

const FILE: &str = "platforms.toml";

/// Checks every platform and builds the table resolving their names and aliases.
pub(super) fn validate_platforms(
    raw: &[RawPlatform],
    resources: &[Resource],
    resource_ids: &HashMap<String, usize>,
    checker: &mut Checker,
) -> (Vec<Platform>, NameTable) {
    let mut ids = HashSet::new();
    let mut names = NameTable::default();
    let mut platforms = Vec::with_capacity(raw.len());
    for (position, platform) in raw.iter().enumerate() {
        let mut entry = checker.entry(FILE, format!("platform \"{}\"", platform.id));
        entry.check_id(&platform.id);
        entry.check_line("advice", &platform.advice);
        if !ids.insert(platform.id.clone()) {
            entry.error(
                "id",
                format!("`{}` is used by another platform", platform.id),
            );
        }
        let every_name = [&platform.id, &platform.name]
            .into_iter()
            .chain(&platform.aliases);
        for name in every_name {
            if let Some(owner) = names.insert(name, position) {
                let other = &raw[owner].id;
                entry.error(
                    "aliases",
                    format!("`{name}` already names platform `{other}`"),
                );
            }
        }
        let reporting = resolve_pages(
            "reporting",
            &platform.reporting,
            resources,
            resource_ids,
            &mut entry,
        );
        if platform.reporting.is_empty() {
            entry.error("reporting", "must list at least one reporting resource");
        }
        let impersonation = resolve_pages(
            "impersonation",
            &platform.impersonation,
            resources,
            resource_ids,
            &mut entry,
        );
        platforms.push(Platform {
            id: platform.id.clone(),
            name: platform.name.clone(),
            aliases: platform.aliases.clone(),
            reporting,
            impersonation,
            advice: platform.advice.clone(),
        });
    }
    (platforms, names)
}

/// A platform's pages listed in `field`, each a resource of kind reporting.
fn resolve_pages(
    field: &'static str,
    ids: &[String],
    resources: &[Resource],
    resource_ids: &HashMap<String, usize>,
    entry: &mut EntryChecker<'_>,
) -> Vec<usize> {
    let mut pages = Vec::new();
    for id in ids {
        match resource_ids.get(id) {
            Some(&position) if resources[position].kind == Kind::Reporting => {
                pages.push(position);
            }
            Some(_) => entry.error(field, format!("`{id}` is not a reporting resource")),
            None => entry.error(field, format!("no resource has id `{id}`")),
        }
    }
    pages
}
