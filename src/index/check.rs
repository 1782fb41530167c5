//! Field-level checks for the index files: ids, one-line text, dates, links. Each problem is
//! recorded with its file, entry and field, as errors (the index is refused) or warnings.

use std::path::PathBuf;

use url::Url;

use super::error::IndexError;
use super::model::PartialDate;

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

/// Collects problems with their file and entry.
pub(super) struct Checker {
    pub(super) dir: PathBuf,
    pub(super) errors: Vec<IndexError>,
    pub(super) warnings: Vec<IndexError>,
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
    pub(super) fn error(&mut self, file: &str, entry: &str, field: &'static str, problem: String) {
        let e = self.problem(file, entry, field, problem);
        self.errors.push(e);
    }
    pub(super) fn warn(&mut self, file: &str, entry: &str, field: &'static str, problem: String) {
        let e = self.problem(file, entry, field, problem);
        self.warnings.push(e);
    }
    pub(super) fn check_id(&mut self, file: &str, entry: &str, id: &str) {
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
    pub(super) fn check_line(&mut self, file: &str, entry: &str, field: &'static str, text: &str) {
        if text.trim().is_empty() {
            self.error(file, entry, field, "must not be empty".into());
        } else if text.contains('\n') {
            self.error(file, entry, field, "must be one line".into());
        } else if text.chars().count() > 400 {
            self.error(file, entry, field, "is longer than 400 characters".into());
        } else if text.trim_start().starts_with("TODO") {
            // Placeholders `signpost suggestions export` writes for a reviewer to complete.
            self.error(file, entry, field, "still says TODO: complete it".into());
        }
    }
    /// Scopes problems to one entry of one file, so a validator names them once.
    pub(super) fn entry(&mut self, file: &'static str, entry: String) -> EntryChecker<'_> {
        EntryChecker {
            checker: self,
            file,
            entry,
        }
    }
}

/// A [`Checker`] for one entry (`resource "nmc-social-media-guidance"`) of one file.
pub(super) struct EntryChecker<'a> {
    checker: &'a mut Checker,
    file: &'static str,
    entry: String,
}

impl EntryChecker<'_> {
    pub(super) fn error(&mut self, field: &'static str, problem: impl Into<String>) {
        let problem = problem.into();
        self.checker.error(self.file, &self.entry, field, problem);
    }
    pub(super) fn warn(&mut self, field: &'static str, problem: impl Into<String>) {
        let problem = problem.into();
        self.checker.warn(self.file, &self.entry, field, problem);
    }
    pub(super) fn check_id(&mut self, id: &str) {
        self.checker.check_id(self.file, &self.entry, id);
    }
    pub(super) fn check_line(&mut self, field: &'static str, text: &str) {
        self.checker.check_line(self.file, &self.entry, field, text);
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

/// Whether `url` is on a host that only mirrors other people's documents.
pub fn is_mirror(url: &Url) -> bool {
    url.host_str().is_some_and(|host| {
        MIRROR_HOSTS
            .iter()
            .any(|m| host == *m || host.ends_with(&format!(".{m}")))
    })
}
