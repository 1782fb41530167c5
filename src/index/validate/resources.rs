//! `resources.toml`: every link the bot can give, with its date, status and references to
//! professions and to the resource that replaces it.

use std::collections::HashMap;

use url::Url;

use crate::calendar::CivilDate;
use crate::index::check::{is_mirror, parse_date, Checker, EntryChecker};
use crate::index::model::{PartialDate, Resource, Status};
use crate::index::raw::RawResource;

const FILE: &str = "resources.toml";

/// Stands in for a date that does not parse. The index is refused whenever it is used, so it
/// is never shown; it only lets the remaining checks run and report their own problems.
const UNREADABLE_DATE: PartialDate = PartialDate {
    year: 1900,
    month: None,
    day: None,
};

/// What a resource may refer to, known before any resource is checked.
pub(super) struct References<'a> {
    /// Each resource's position by id (the last, when an id is used twice).
    pub(super) resource_ids: &'a HashMap<String, usize>,
    /// Each profession's position by id.
    pub(super) profession_ids: &'a HashMap<String, usize>,
}

fn entry_name(id: &str) -> String {
    format!("resource \"{id}\"")
}

/// Maps each resource id to its position, reporting ids used twice. This runs before the
/// resources are checked so that `superseded_by` can name a resource later in the file.
pub(super) fn check_ids(raw: &[RawResource], checker: &mut Checker) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for (position, resource) in raw.iter().enumerate() {
        if ids.insert(resource.id.clone(), position).is_some() {
            checker.entry(FILE, entry_name(&resource.id)).error(
                "id",
                format!("`{}` is used by another resource", resource.id),
            );
        }
    }
    ids
}

/// Checks every resource in file order and resolves its references.
pub(super) fn validate_resources(
    raw: &[RawResource],
    references: &References<'_>,
    checker: &mut Checker,
) -> Vec<Resource> {
    raw.iter()
        .map(|resource| {
            let mut entry = checker.entry(FILE, entry_name(&resource.id));
            validate_resource(resource, raw, references, &mut entry)
        })
        .collect()
}

fn validate_resource(
    resource: &RawResource,
    raw: &[RawResource],
    references: &References<'_>,
    entry: &mut EntryChecker<'_>,
) -> Resource {
    check_text(resource, entry);
    let date = parse_date(&resource.date).unwrap_or_else(|| {
        entry.error(
            "date",
            format!("`{}` is not YYYY, YYYY-MM or YYYY-MM-DD", resource.date),
        );
        UNREADABLE_DATE
    });
    let url = check_url(resource, entry);
    let last_verified = check_last_verified(resource, entry);
    let superseded_by = check_superseded_by(resource, date, raw, references, entry);
    let mut professions = Vec::new();
    for id in &resource.professions {
        match references.profession_ids.get(id) {
            Some(&position) => professions.push(position),
            None => entry.error("professions", format!("no profession has id `{id}`")),
        }
    }
    let mut nations = resource.nations.clone();
    nations.sort();
    nations.dedup();
    Resource {
        id: resource.id.clone(),
        title: resource.title.clone(),
        publisher: resource.publisher.clone(),
        date,
        when: resource.when.clone(),
        url,
        url_confirmed: resource.url_confirmed,
        last_verified,
        kind: resource.kind,
        status: resource.status,
        superseded_by,
        body: resource.body,
        professions,
        nations,
        summary: resource.summary.clone(),
        note: resource.note.clone(),
        phone: resource.phone.clone(),
        hours: resource.hours.clone(),
        email: resource.email.clone(),
    }
}

/// The id and every line of text shown to users.
fn check_text(resource: &RawResource, entry: &mut EntryChecker<'_>) {
    entry.check_id(&resource.id);
    entry.check_line("title", &resource.title);
    entry.check_line("publisher", &resource.publisher);
    entry.check_line("summary", &resource.summary);
    let optional = [
        ("when", &resource.when),
        ("note", &resource.note),
        ("phone", &resource.phone),
        ("hours", &resource.hours),
        ("email", &resource.email),
    ];
    for (field, value) in optional {
        if let Some(text) = value {
            entry.check_line(field, text);
        }
    }
}

/// The link: a web page at its publisher. A resource without one must say it is unverified.
fn check_url(resource: &RawResource, entry: &mut EntryChecker<'_>) -> Option<Url> {
    let Some(text) = &resource.url else {
        if resource.status != Status::Unverified {
            entry.error(
                "url",
                "is missing; a resource without a link must have status \"unverified\"",
            );
        }
        if !resource.url_confirmed {
            entry.error("url_confirmed", "is false but there is no url");
        }
        return None;
    };
    let url = match Url::parse(text) {
        Err(error) => {
            entry.error("url", format!("`{text}` is not a URL: {error}"));
            return None;
        }
        Ok(url) => url,
    };
    if url.scheme() != "https" && url.scheme() != "http" {
        entry.error("url", format!("`{text}` must be an https link"));
        return None;
    }
    if is_mirror(&url) {
        entry.error(
            "url",
            format!("`{text}` is a third-party mirror; link to the publisher"),
        );
    }
    if url.scheme() == "http" {
        entry.warn(
            "url",
            format!("`{text}` is plain http; use https if the site supports it"),
        );
    }
    Some(url)
}

/// The day the link was last found working: a real day, and only for a resource with a link.
fn check_last_verified(resource: &RawResource, entry: &mut EntryChecker<'_>) -> Option<CivilDate> {
    let text = resource.last_verified.as_deref()?;
    let Some(date) = CivilDate::parse(text) else {
        entry.error(
            "last_verified",
            format!("`{text}` is not a real day written YYYY-MM-DD"),
        );
        return None;
    };
    if resource.url.is_none() {
        entry.error("last_verified", "is set but there is no url");
        return None;
    }
    Some(date)
}

/// The replacement of a superseded resource: it must exist, be another resource, and be newer.
fn check_superseded_by(
    resource: &RawResource,
    date: PartialDate,
    raw: &[RawResource],
    references: &References<'_>,
    entry: &mut EntryChecker<'_>,
) -> Option<usize> {
    let Some(target) = &resource.superseded_by else {
        if resource.status == Status::Superseded {
            entry.error(
                "superseded_by",
                "is missing; a superseded resource must name its replacement",
            );
        }
        return None;
    };
    if resource.status != Status::Superseded {
        entry.error(
            "superseded_by",
            format!("is set but status is {:?}, not superseded", resource.status),
        );
    }
    let Some(&position) = references.resource_ids.get(target) else {
        entry.error("superseded_by", format!("no resource has id `{target}`"));
        return None;
    };
    if *target == resource.id {
        entry.error("superseded_by", "names the resource itself");
        return None;
    }
    if parse_date(&raw[position].date).is_some_and(|newer| newer <= date) {
        entry.error(
            "superseded_by",
            format!("`{target}` is not dated later than this resource"),
        );
    }
    Some(position)
}
