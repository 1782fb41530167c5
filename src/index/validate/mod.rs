//! Turns a raw index (from files or generated) into a validated [`Index`].
//!
//! Validation collects every problem rather than stopping at the first, so a curator fixes a batch
//! of mistakes in one pass, and only a clean result produces an `Index`: callers keep serving
//! their previous index when this fails.
//!
//! There is one validator per data file. They run in the order references need: profession ids
//! and resource ids are known before the resources that name them are checked, and the resources
//! are built before the professions, platforms and tips that point at them. That order is also the
//! order problems are reported in.

mod meta;
mod platforms;
mod professions;
mod resources;
mod tips;
mod uncovered;

use std::path::Path;

use super::check::Checker;
use super::error::IndexErrors;
use super::model::{Index, Loaded, Profession, Resource, Status};
use super::model::{Platform, Uncovered};
use super::phrases::{Named, PhraseTable};
use super::raw::RawIndex;
use super::search::{Field, SearchIndex, SearchIndexBuilder};

/// Validates a raw index (from files or generated) and builds the lookup tables.
pub fn from_raw(raw: RawIndex, dir: &Path) -> Result<Loaded, IndexErrors> {
    let mut checker = Checker {
        dir: dir.to_path_buf(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let provenance = meta::validate_meta(raw.meta, &mut checker);
    let profession_names = professions::check_names(&raw.professions, &mut checker);
    let resource_ids = resources::check_ids(&raw.resources, &mut checker);
    let resources = resources::validate_resources(
        &raw.resources,
        &resources::References {
            resource_ids: &resource_ids,
            profession_ids: &profession_names.ids,
        },
        &mut checker,
    );
    let professions = professions::build_professions(&raw.professions, &resources, &mut checker);
    let (platforms, platform_names) =
        platforms::validate_platforms(&raw.platforms, &resources, &resource_ids, &mut checker);
    let tips = tips::validate_tips(&raw.tips, &resource_ids, &mut checker);
    let (uncovered, uncovered_names) = uncovered::validate_uncovered(
        &raw.not_covered,
        &profession_names.names,
        &resources,
        &resource_ids,
        &mut checker,
    );

    if !checker.errors.is_empty() {
        return Err(IndexErrors(checker.errors));
    }
    let search = search_index(&resources, &professions);
    let phrases = PhraseTable::build(phrase_targets(&professions, &uncovered, &platforms));
    Ok(Loaded {
        index: Index {
            provenance,
            origin: dir.display().to_string(),
            resource_ids,
            resources,
            professions,
            uncovered,
            platforms,
            tips,
            profession_names: profession_names.names,
            uncovered_names,
            phrases,
            platform_names,
            search,
        },
        warnings: checker.warnings,
    })
}

/// The word index over each resource's own text and the names of its professions.
fn search_index(resources: &[Resource], professions: &[Profession]) -> SearchIndex {
    let mut search = SearchIndexBuilder::default();
    for (position, resource) in resources.iter().enumerate() {
        if resource.status == Status::Superseded {
            search.demote(position);
        }
        search.add(position, Field::Title, &resource.title);
        search.add(position, Field::Title, &resource.id);
        search.add(position, Field::Name, &resource.publisher);
        search.add(position, Field::Text, &resource.summary);
        search.add(position, Field::Text, resource.kind.label());
        if let Some(note) = &resource.note {
            search.add(position, Field::Text, note);
        }
        for &profession in &resource.professions {
            search.add(position, Field::Name, &professions[profession].name);
            for alias in &professions[profession].aliases {
                search.add(position, Field::Name, alias);
            }
        }
    }
    search.build()
}

/// Each profession, uncovered profession and platform with the names a question may use for it,
/// in that order, for [`PhraseTable::build`].
fn phrase_targets(
    professions: &[Profession],
    uncovered: &[Uncovered],
    platforms: &[Platform],
) -> Vec<(Named, Vec<String>)> {
    let named = |id: String, name: &str, aliases: &[String]| {
        let mut names = vec![id, name.to_string()];
        names.extend(aliases.iter().cloned());
        names
    };
    let professions = professions.iter().enumerate().map(|(i, p)| {
        (
            Named::Profession(i),
            named(p.id.replace('-', " "), &p.name, &p.aliases),
        )
    });
    let uncovered = uncovered.iter().enumerate().map(|(i, u)| {
        (
            Named::Uncovered(i),
            named(u.id.replace('-', " "), &u.name, &u.aliases),
        )
    });
    let platforms = platforms
        .iter()
        .enumerate()
        .map(|(i, p)| (Named::Platform(i), named(p.id.clone(), &p.name, &p.aliases)));
    professions.chain(uncovered).chain(platforms).collect()
}
