//! Turns a raw index (from files or generated) into a validated [`Index`].
//!
//! Validation collects every problem rather than stopping at the first, so a curator fixes a batch
//! of mistakes in one pass, and only a clean result produces an `Index`: callers keep serving
//! their previous index when this fails.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use url::Url;

use super::check::{is_mirror, parse_date, Checker};
use super::error::IndexErrors;
use super::load::Loaded;
use super::model::*;
use super::names::NameTable;
use super::raw::*;
use super::search::{Field, SearchIndexBuilder};

/// Validates a raw index (from files or generated) and builds the lookup tables.
pub fn from_raw(raw: RawIndex, dir: &Path) -> Result<Loaded, IndexErrors> {
    let mut c = Checker {
        dir: dir.to_path_buf(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    const RES: &str = "resources.toml";
    const PROF: &str = "professions.toml";
    const PLAT: &str = "platforms.toml";
    const TIPS: &str = "tips.toml";

    if parse_date(&raw.meta.reviewed).is_none() {
        c.error(
            "index.toml",
            "index",
            "reviewed",
            format!("`{}` is not a YYYY-MM-DD date", raw.meta.reviewed),
        );
    }

    // Professions first: resources refer to them.
    let mut profession_ids: HashMap<String, usize> = HashMap::new();
    let mut profession_names = NameTable::default();
    for (i, p) in raw.professions.iter().enumerate() {
        let entry = format!("profession \"{}\"", p.id);
        c.check_id(PROF, &entry, &p.id);
        c.check_line(PROF, &entry, "name", &p.name);
        if profession_ids.insert(p.id.clone(), i).is_some() {
            c.error(
                PROF,
                &entry,
                "id",
                format!("`{}` is used by another profession", p.id),
            );
        }
        for (field, name) in std::iter::once(("id", &p.id))
            .chain(std::iter::once(("name", &p.name)))
            .chain(p.aliases.iter().map(|a| ("aliases", a)))
        {
            if let Some(owner) = profession_names.insert(name, i) {
                let other = &raw.professions[owner].id;
                c.error(
                    PROF,
                    &entry,
                    field,
                    format!("`{name}` already names profession `{other}`"),
                );
            }
        }
    }

    let mut resource_ids: HashMap<String, usize> = HashMap::new();
    for (i, r) in raw.resources.iter().enumerate() {
        if resource_ids.insert(r.id.clone(), i).is_some() {
            c.error(
                RES,
                &format!("resource \"{}\"", r.id),
                "id",
                format!("`{}` is used by another resource", r.id),
            );
        }
    }

    let mut resources = Vec::with_capacity(raw.resources.len());
    for r in &raw.resources {
        let entry = format!("resource \"{}\"", r.id);
        c.check_id(RES, &entry, &r.id);
        c.check_line(RES, &entry, "title", &r.title);
        c.check_line(RES, &entry, "publisher", &r.publisher);
        c.check_line(RES, &entry, "summary", &r.summary);
        for (field, value) in [
            ("when", &r.when),
            ("note", &r.note),
            ("phone", &r.phone),
            ("hours", &r.hours),
            ("email", &r.email),
        ] {
            if let Some(v) = value {
                c.check_line(RES, &entry, field, v);
            }
        }
        let date = parse_date(&r.date).unwrap_or_else(|| {
            c.error(
                RES,
                &entry,
                "date",
                format!("`{}` is not YYYY, YYYY-MM or YYYY-MM-DD", r.date),
            );
            PartialDate {
                year: 1900,
                month: None,
                day: None,
            }
        });
        let url = match &r.url {
            None => {
                if r.status != Status::Unverified {
                    c.error(
                        RES,
                        &entry,
                        "url",
                        "is missing; a resource without a link must have status \"unverified\""
                            .into(),
                    );
                }
                if !r.url_confirmed {
                    c.error(
                        RES,
                        &entry,
                        "url_confirmed",
                        "is false but there is no url".into(),
                    );
                }
                None
            }
            Some(text) => match Url::parse(text) {
                Err(e) => {
                    c.error(RES, &entry, "url", format!("`{text}` is not a URL: {e}"));
                    None
                }
                Ok(u) if u.scheme() != "https" && u.scheme() != "http" => {
                    c.error(
                        RES,
                        &entry,
                        "url",
                        format!("`{text}` must be an https link"),
                    );
                    None
                }
                Ok(u) => {
                    if is_mirror(&u) {
                        c.error(
                            RES,
                            &entry,
                            "url",
                            format!("`{text}` is a third-party mirror; link to the publisher"),
                        );
                    }
                    if u.scheme() == "http" {
                        c.warn(
                            RES,
                            &entry,
                            "url",
                            format!("`{text}` is plain http; use https if the site supports it"),
                        );
                    }
                    Some(u)
                }
            },
        };
        let superseded_by = match (&r.superseded_by, r.status) {
            (None, Status::Superseded) => {
                c.error(
                    RES,
                    &entry,
                    "superseded_by",
                    "is missing; a superseded resource must name its replacement".into(),
                );
                None
            }
            (Some(target), status) => {
                if status != Status::Superseded {
                    c.error(
                        RES,
                        &entry,
                        "superseded_by",
                        format!("is set but status is {status:?}, not superseded"),
                    );
                }
                match resource_ids.get(target) {
                    None => {
                        c.error(
                            RES,
                            &entry,
                            "superseded_by",
                            format!("no resource has id `{target}`"),
                        );
                        None
                    }
                    Some(&t) if raw.resources[t].id == r.id => {
                        c.error(
                            RES,
                            &entry,
                            "superseded_by",
                            "names the resource itself".into(),
                        );
                        None
                    }
                    Some(&t) => {
                        if parse_date(&raw.resources[t].date).is_some_and(|newer| newer <= date) {
                            c.error(
                                RES,
                                &entry,
                                "superseded_by",
                                format!("`{target}` is not dated later than this resource"),
                            );
                        }
                        Some(t)
                    }
                }
            }
            (None, _) => None,
        };
        let mut professions = Vec::new();
        for p in &r.professions {
            match profession_ids.get(p) {
                Some(&i) => professions.push(i),
                None => c.error(
                    RES,
                    &entry,
                    "professions",
                    format!("no profession has id `{p}`"),
                ),
            }
        }
        let mut nations = r.nations.clone();
        nations.sort();
        nations.dedup();
        resources.push(Resource {
            id: r.id.clone(),
            title: r.title.clone(),
            publisher: r.publisher.clone(),
            date,
            when: r.when.clone(),
            url,
            url_confirmed: r.url_confirmed,
            kind: r.kind,
            status: r.status,
            superseded_by,
            body: r.body,
            professions,
            nations,
            summary: r.summary.clone(),
            note: r.note.clone(),
            phone: r.phone.clone(),
            hours: r.hours.clone(),
            email: r.email.clone(),
        });
    }

    let mut professions: Vec<Profession> = raw
        .professions
        .iter()
        .map(|p| Profession {
            id: p.id.clone(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            regulators: p.regulators.clone(),
            note: p.note.clone(),
            resources: Vec::new(),
        })
        .collect();
    for (i, r) in resources.iter().enumerate() {
        for &p in &r.professions {
            professions[p].resources.push(i);
        }
    }
    for p in &mut professions {
        p.resources
            .sort_by(|&a, &b| display_order(&resources[a], &resources[b]));
        let has_current = p.resources.iter().any(|&i| {
            resources[i].kind == Kind::Guidance && resources[i].status == Status::Current
        });
        if !has_current {
            let entry = format!("profession \"{}\"", p.id);
            c.error(
                PROF,
                &entry,
                "id",
                "no current guidance resource lists this profession".into(),
            );
        }
    }

    let mut platform_ids = HashSet::new();
    let mut platform_names = NameTable::default();
    let mut platforms = Vec::new();
    for (i, p) in raw.platforms.iter().enumerate() {
        let entry = format!("platform \"{}\"", p.id);
        c.check_id(PLAT, &entry, &p.id);
        c.check_line(PLAT, &entry, "advice", &p.advice);
        if !platform_ids.insert(p.id.clone()) {
            c.error(
                PLAT,
                &entry,
                "id",
                format!("`{}` is used by another platform", p.id),
            );
        }
        for name in std::iter::once(&p.id)
            .chain(std::iter::once(&p.name))
            .chain(&p.aliases)
        {
            if let Some(owner) = platform_names.insert(name, i) {
                let other = &raw.platforms[owner].id;
                c.error(
                    PLAT,
                    &entry,
                    "aliases",
                    format!("`{name}` already names platform `{other}`"),
                );
            }
        }
        let mut reporting = Vec::new();
        for id in &p.reporting {
            match resource_ids.get(id) {
                Some(&r) if resources[r].kind == Kind::Reporting => reporting.push(r),
                Some(_) => c.error(
                    PLAT,
                    &entry,
                    "reporting",
                    format!("`{id}` is not a reporting resource"),
                ),
                None => c.error(
                    PLAT,
                    &entry,
                    "reporting",
                    format!("no resource has id `{id}`"),
                ),
            }
        }
        if p.reporting.is_empty() {
            c.error(
                PLAT,
                &entry,
                "reporting",
                "must list at least one reporting resource".into(),
            );
        }
        platforms.push(Platform {
            id: p.id.clone(),
            name: p.name.clone(),
            aliases: p.aliases.clone(),
            reporting,
            advice: p.advice.clone(),
        });
    }

    let mut tips = Vec::new();
    for (n, t) in raw.tips.iter().enumerate() {
        let entry = format!("tip {}", n + 1);
        c.check_line(TIPS, &entry, "text", &t.text);
        match resource_ids.get(&t.source) {
            Some(&source) => tips.push(Tip {
                text: t.text.clone(),
                source,
            }),
            None => c.error(
                TIPS,
                &entry,
                "source",
                format!("no resource has id `{}`", t.source),
            ),
        }
    }

    if !c.errors.is_empty() {
        return Err(IndexErrors(c.errors));
    }

    let mut search = SearchIndexBuilder::default();
    for (i, r) in resources.iter().enumerate() {
        search.add(i, Field::Title, &r.title);
        search.add(i, Field::Title, &r.id);
        search.add(i, Field::Name, &r.publisher);
        search.add(i, Field::Text, &r.summary);
        search.add(i, Field::Text, r.kind.label());
        if let Some(note) = &r.note {
            search.add(i, Field::Text, note);
        }
        for &p in &r.professions {
            search.add(i, Field::Name, &professions[p].name);
            for alias in &professions[p].aliases {
                search.add(i, Field::Name, alias);
            }
        }
    }

    let m = raw.meta;
    Ok(Loaded {
        index: Index {
            provenance: Provenance {
                title: m.title,
                source_title: m.source_title,
                source_publisher: m.source_publisher,
                source_updated: m.source_updated,
                reviewed: m.reviewed,
                notes: m.notes,
            },
            resource_ids,
            resources,
            professions,
            platforms,
            tips,
            profession_names,
            platform_names,
            search: search.build(),
        },
        warnings: c.warnings,
    })
}
