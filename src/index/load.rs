//! Reads the index folder and turns the raw files into a validated [`Index`].
//!
//! Validation collects every problem rather than stopping at the first, and only a clean result
//! produces an `Index`: callers keep serving their previous index when this fails.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use url::Url;

use super::error::{IndexError, IndexErrors};
use super::lookup::{Field, NameTable, SearchIndexBuilder};
use super::model::*;
use super::raw::*;

/// Hosts that only mirror other people's documents: never a link for users.
const MIRROR_HOSTS: &[&str] = &[
    "scribd.com",
    "docslib.org",
    "paperzz.com",
    "vdocuments.net",
    "vdocuments.mx",
    "docplayer.net",
    "cizhuan.biz",
    "slideread.com",
];

/// The files of an index folder.
pub const FILES: [&str; 5] = [
    "index.toml",
    "resources.toml",
    "professions.toml",
    "platforms.toml",
    "tips.toml",
];

/// A loaded index plus the warnings it passed with (e.g. plain-http links).
#[derive(Debug)]
pub struct Loaded {
    /// The index.
    pub index: Index,
    /// Problems worth fixing that do not stop the bot.
    pub warnings: Vec<IndexError>,
}

/// Reads and validates the index in `dir`.
pub fn load_dir(dir: &Path) -> Result<Loaded, IndexErrors> {
    let mut errors = Vec::new();
    let meta = read::<RawMeta>(dir, "index.toml", &mut errors);
    let resources = read::<RawResources>(dir, "resources.toml", &mut errors);
    let professions = read::<RawProfessions>(dir, "professions.toml", &mut errors);
    let platforms = read::<RawPlatforms>(dir, "platforms.toml", &mut errors);
    let tips = read::<RawTips>(dir, "tips.toml", &mut errors);
    match (meta, resources, professions, platforms, tips) {
        (Some(meta), Some(r), Some(p), Some(pl), Some(t)) if errors.is_empty() => {
            let raw = RawIndex {
                meta,
                resources: r.resource,
                professions: p.profession,
                platforms: pl.platform,
                tips: t.tip,
            };
            from_raw(raw, dir)
        }
        _ => Err(IndexErrors(errors)),
    }
}

fn read<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    errors: &mut Vec<IndexError>,
) -> Option<T> {
    let file = dir.join(name);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(source) => {
            errors.push(IndexError::Read { file, source });
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            errors.push(IndexError::Parse {
                file,
                message: e.to_string().trim_end().replace('\n', "\n    "),
            });
            None
        }
    }
}

/// Collects problems with their file and entry.
struct Checker {
    dir: PathBuf,
    errors: Vec<IndexError>,
    warnings: Vec<IndexError>,
}

impl Checker {
    fn problem(&self, file: &str, entry: &str, field: &'static str, problem: String) -> IndexError {
        IndexError::Invalid {
            file: self.dir.join(file),
            entry: entry.to_string(),
            field,
            problem,
        }
    }
    fn error(&mut self, file: &str, entry: &str, field: &'static str, problem: String) {
        let e = self.problem(file, entry, field, problem);
        self.errors.push(e);
    }
    fn warn(&mut self, file: &str, entry: &str, field: &'static str, problem: String) {
        let e = self.problem(file, entry, field, problem);
        self.warnings.push(e);
    }
    fn check_id(&mut self, file: &str, entry: &str, id: &str) {
        let ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            self.error(
                file,
                entry,
                "id",
                format!("`{id}` must be lowercase a-z, 0-9 and '-'"),
            );
        }
    }
    fn check_line(&mut self, file: &str, entry: &str, field: &'static str, text: &str) {
        if text.trim().is_empty() {
            self.error(file, entry, field, "must not be empty".into());
        } else if text.contains('\n') {
            self.error(file, entry, field, "must be one line".into());
        } else if text.chars().count() > 400 {
            self.error(file, entry, field, "is longer than 400 characters".into());
        }
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let mut parts = text.split('-');
    let year: u16 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (1900..=2100).contains(y))?;
    let month: Option<u8> = match parts.next() {
        Some(m) => Some(m.parse().ok().filter(|m| (1..=12).contains(m))?),
        None => None,
    };
    let day: Option<u8> = match parts.next() {
        Some(d) => Some(d.parse().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(PartialDate { year, month, day })
}

fn is_mirror(url: &Url) -> bool {
    url.host_str().is_some_and(|host| {
        MIRROR_HOSTS
            .iter()
            .any(|m| host == *m || host.ends_with(&format!(".{m}")))
    })
}

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
