//! The link report: each resource's link with its URL's verdict, in five groups, as text for a
//! maintainer and as JSON for scripts (and for `state/links.json`, the saved results).
//!
//! Links the index itself calls best guesses (`url_confirmed = false`) are checked like the rest
//! but reported as their own group, "unverified", with their verdict beside them: a guess that
//! answers is still a guess, and one that fails is no surprise. A resource marked current whose
//! link is dead fails the run whether its link was confirmed or not, since people are given that
//! link either way.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use url::Url;

use super::check::{Checked, Verdict};
use super::{Link, LinkError, USER_AGENT};
use crate::calendar::CivilDate;
use crate::command::items::badge;
use crate::index::Status;

/// The report's groups, in the order the text shows them: what needs fixing first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// The server says the page is missing or broken, or its redirects never end.
    Dead,
    /// Redirected to a page that works: the index should link the final address.
    Moved,
    /// No usable answer this time.
    Unreachable,
    /// A link the index marks as not confirmed, whatever its verdict.
    Unverified,
    /// Answered 2xx where the index points.
    Ok,
}

impl Group {
    /// Every group, in display order.
    pub const ALL: [Group; 5] = [
        Group::Dead,
        Group::Moved,
        Group::Unreachable,
        Group::Unverified,
        Group::Ok,
    ];

    /// The group's name in the text and JSON.
    pub fn label(self) -> &'static str {
        match self {
            Group::Dead => "dead",
            Group::Moved => "moved",
            Group::Unreachable => "unreachable",
            Group::Unverified => "unverified",
            Group::Ok => "ok",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Group::Dead => "Dead: the server says the page is missing or broken",
            Group::Moved => "Moved: link the final address instead",
            Group::Unreachable => "Unreachable: no usable answer this time; check again later",
            Group::Unverified => "Unverified: links the index marks url_confirmed = false",
            Group::Ok => "Ok",
        }
    }
}

/// One resource's link and what its check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The resource and its link.
    pub link: Link,
    /// The check of its URL (shared with other resources linking the same URL).
    pub checked: Checked,
}

impl Entry {
    /// Which group the entry is reported in.
    pub fn group(&self) -> Group {
        if !self.link.confirmed {
            return Group::Unverified;
        }
        match self.checked.verdict {
            Verdict::Ok { .. } => Group::Ok,
            Verdict::Moved { .. } => Group::Moved,
            Verdict::Dead(_) => Group::Dead,
            Verdict::Unreachable(_) => Group::Unreachable,
        }
    }

    /// A current resource whose link is dead: what fails the run.
    pub fn is_dead_current(&self) -> bool {
        self.link.status == Status::Current && matches!(self.checked.verdict, Verdict::Dead(_))
    }

    /// The verdict in a few words: `200 OK`, `404 Not Found`, `moved (301) to …`.
    pub fn outcome(&self) -> String {
        let after = match &self.checked.final_url {
            Some(url) => format!(" at {url}"),
            None => String::new(),
        };
        match &self.checked.verdict {
            Verdict::Ok { status } => format!("ok {status}"),
            Verdict::Moved { status, permanent } => format!(
                "moved {} to {}, which answers {status}",
                if *permanent { "permanently" } else { "for now" },
                self.checked.final_url.as_ref().map_or("", Url::as_str)
            ),
            Verdict::Dead(dead) => format!("dead: {dead}{after}"),
            Verdict::Unreachable(why) => format!("unreachable: {why}{after}"),
        }
    }
}

/// Every link's result.
#[derive(Debug, Clone)]
pub struct Report {
    /// The day of the run (UTC).
    pub checked_on: CivilDate,
    /// How long the run took.
    pub elapsed: Duration,
    /// One per resource with a link, in file order.
    pub entries: Vec<Entry>,
}

impl Report {
    /// Joins each link to its URL's check. A link whose URL was not checked is left out (the
    /// checker checks every URL it is given, so this does not happen in a run).
    pub fn new(links: Vec<Link>, checked: Vec<Checked>, elapsed: Duration) -> Report {
        let by_url: HashMap<Url, Checked> =
            checked.into_iter().map(|c| (c.url.clone(), c)).collect();
        let entries = links
            .into_iter()
            .filter_map(|link| {
                let checked = by_url.get(&link.url)?.clone();
                Some(Entry { link, checked })
            })
            .collect();
        Report {
            checked_on: CivilDate::today(),
            elapsed,
            entries,
        }
    }

    /// The entries of one group, in file order.
    pub fn group(&self, group: Group) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.group() == group).collect()
    }

    /// Current resources whose links are dead; any makes `signpost links` exit non-zero.
    pub fn dead_current(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.is_dead_current())
            .collect()
    }

    /// The resources whose confirmed links answered at the address given: the ones
    /// `--write-data` stamps. An unconfirmed link that answers is still only a guess at the
    /// right page, so it waits for a person to confirm it.
    pub fn verified_ids(&self) -> Vec<&str> {
        self.group(Group::Ok)
            .into_iter()
            .map(|e| e.link.resource.as_str())
            .collect()
    }

    /// The report for a maintainer's terminal.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        let counts: Vec<String> = Group::ALL
            .iter()
            .map(|&g| format!("{} {}", self.group(g).len(), g.label()))
            .collect();
        let _ = writeln!(
            text,
            "Checked {} links ({} addresses) on {} in {:.1} s: {}.",
            self.entries.len(),
            self.distinct_urls(),
            self.checked_on,
            self.elapsed.as_secs_f64(),
            counts.join(", ")
        );
        for group in Group::ALL {
            let entries = self.group(group);
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(text, "\n{} ({}):", group.heading(), entries.len());
            for e in entries {
                let status = badge(e.link.status).label();
                let _ = writeln!(text, "  {} ({status})  {}", e.link.resource, e.link.url);
                if group != Group::Ok {
                    let _ = writeln!(text, "      {}", e.outcome());
                }
            }
        }
        let dead = self.dead_current();
        if !dead.is_empty() {
            let ids: Vec<&str> = dead.iter().map(|e| e.link.resource.as_str()).collect();
            let _ = writeln!(
                text,
                "\n{} current resource{} with a dead link: {}.",
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                ids.join(", ")
            );
        }
        text
    }

    /// The report for scripts, and the saved results.
    pub fn to_json(&self) -> Value {
        let counts: serde_json::Map<String, Value> = Group::ALL
            .iter()
            .map(|&g| (g.label().to_string(), json!(self.group(g).len())))
            .collect();
        let links: Vec<Value> = self.entries.iter().map(entry_json).collect();
        let dead: Vec<&str> = self
            .dead_current()
            .iter()
            .map(|e| e.link.resource.as_str())
            .collect();
        json!({
            "checked_on": self.checked_on.to_string(),
            "elapsed_ms": u64::try_from(self.elapsed.as_millis()).unwrap_or(u64::MAX),
            "user_agent": USER_AGENT,
            "counts": counts,
            "dead_current": dead,
            "links": links,
        })
    }

    /// Writes the JSON report to `path`, creating its folder; written beside and renamed, so a
    /// reader never sees half a file.
    pub fn save(&self, path: &Path) -> Result<(), LinkError> {
        let failed = |source| LinkError::Save {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let mut text = serde_json::to_string_pretty(&self.to_json()).expect("JSON values encode");
        text.push('\n');
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text).map_err(failed)?;
        std::fs::rename(&partial, path).map_err(failed)
    }

    fn distinct_urls(&self) -> usize {
        let mut urls: Vec<&Url> = self.entries.iter().map(|e| &e.link.url).collect();
        urls.sort();
        urls.dedup();
        urls.len()
    }
}

fn entry_json(e: &Entry) -> Value {
    let (verdict, http_status, problem) = match &e.checked.verdict {
        Verdict::Ok { status } => ("ok", Some(*status), None),
        Verdict::Moved { status, .. } => ("moved", Some(*status), None),
        Verdict::Dead(dead) => {
            let status = match dead {
                super::Dead::Status(s) => Some(*s),
                _ => None,
            };
            ("dead", status, Some(dead.to_string()))
        }
        Verdict::Unreachable(why) => {
            let status = match why {
                super::Unreachable::Refused(s) => Some(*s),
                _ => None,
            };
            ("unreachable", status, Some(why.to_string()))
        }
    };
    json!({
        "resource": e.link.resource,
        "url": e.link.url.as_str(),
        "status": badge(e.link.status).label(),
        "confirmed": e.link.confirmed,
        "group": e.group().label(),
        "verdict": verdict,
        "http_status": http_status,
        "final_url": e.checked.final_url.as_ref().map(Url::as_str),
        "problem": problem,
        "requests": e.checked.requests,
    })
}
