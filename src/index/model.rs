//! The validated resource index: what every command reads.
//!
//! These types are built only by [`crate::index::load`] after validation, so code that holds an
//! [`Index`] can rely on every reference resolving and every list being sorted for display.

use std::collections::HashMap;
use std::fmt;

use url::Url;

use crate::calendar::CivilDate;

use super::error::IndexError;
use super::names::NameTable;
use super::phrases::PhraseTable;
use super::search::SearchIndex;

/// A date as precise as the source gives it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Calendar year.
    pub year: u16,
    /// Month 1–12, when known.
    pub month: Option<u8>,
    /// Day of the month, when known.
    pub day: Option<u8>,
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{d} {} {}", MONTHS[usize::from(m - 1)], self.year),
            (Some(m), None) => write!(f, "{} {}", MONTHS[usize::from(m - 1)], self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

/// What sort of resource an entry is; commands pick resources by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Guidance from a regulator or professional body.
    Guidance,
    /// Material for people starting out on social media.
    GettingStarted,
    /// Articles and talks worth reading.
    Article,
    /// A page for reporting abuse or crime.
    Reporting,
    /// A helpline people can phone or email.
    Helpline,
    /// An organisation's social media policy.
    Policy,
}

impl Kind {
    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Guidance => "guidance",
            Kind::GettingStarted => "getting started",
            Kind::Article => "article",
            Kind::Reporting => "reporting",
            Kind::Helpline => "helpline",
            Kind::Policy => "policy",
        }
    }
}

/// How far a resource can be trusted to be the one to follow today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The latest version found.
    Current,
    /// A consultation draft, not yet in force.
    Draft,
    /// Old material with no sign of an update.
    Historic,
    /// Replaced by a newer resource (see `superseded_by`).
    Superseded,
    /// Not confirmed to exist or to be current.
    Unverified,
}

impl Status {
    /// Display order: what people should follow first.
    pub fn rank(self) -> u8 {
        match self {
            Status::Current => 0,
            Status::Draft => 1,
            Status::Unverified => 2,
            Status::Historic => 3,
            Status::Superseded => 4,
        }
    }
}

/// Who issued a piece of guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Body {
    /// A statutory regulator (HCPC, GMC, NMC, Social Work England…).
    Regulator,
    /// A professional body or college (BPS, RCPsych, BACP, BASW…).
    ProfessionalBody,
}

impl Body {
    /// The words shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Body::Regulator => "regulator",
            Body::ProfessionalBody => "professional body",
        }
    }
}

/// The UK nations guidance can be specific to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nation {
    /// England.
    England,
    /// Scotland.
    Scotland,
    /// Wales.
    Wales,
    /// Northern Ireland.
    NorthernIreland,
}

impl Nation {
    /// Every nation, in display order.
    pub const ALL: [Nation; 4] = [
        Nation::England,
        Nation::Scotland,
        Nation::Wales,
        Nation::NorthernIreland,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Nation::England => "England",
            Nation::Scotland => "Scotland",
            Nation::Wales => "Wales",
            Nation::NorthernIreland => "Northern Ireland",
        }
    }

    /// Reads a nation from what people type (`scotland`, `NI`, `Northern-Ireland`).
    pub fn from_words(words: &str) -> Option<Nation> {
        let w: String = words
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        match w.as_str() {
            "england" | "english" | "eng" => Some(Nation::England),
            "scotland" | "scottish" | "scot" => Some(Nation::Scotland),
            "wales" | "welsh" | "cymru" => Some(Nation::Wales),
            "northernireland" | "ni" => Some(Nation::NorthernIreland),
            _ => None,
        }
    }
}

/// One link in the index.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Stable id (`hcpc-social-media-2024`).
    pub id: String,
    /// The resource's own title.
    pub title: String,
    /// Who publishes it.
    pub publisher: String,
    /// When it was published or took effect.
    pub date: PartialDate,
    /// How to show the date when the bare date would mislead.
    pub when: Option<String>,
    /// Link for users, if one is known.
    pub url: Option<Url>,
    /// False when the link is a best guess.
    pub url_confirmed: bool,
    /// The day the link was last found working.
    pub last_verified: Option<CivilDate>,
    /// What sort of resource this is.
    pub kind: Kind,
    /// Whether to follow it today.
    pub status: Status,
    /// Index of the newer resource, for superseded ones.
    pub superseded_by: Option<usize>,
    /// Regulator or professional body, for guidance.
    pub body: Option<Body>,
    /// Indexes of the professions it applies to.
    pub professions: Vec<usize>,
    /// Nations it is specific to; empty means UK-wide.
    pub nations: Vec<Nation>,
    /// One line in our own words.
    pub summary: String,
    /// One line of caution.
    pub note: Option<String>,
    /// Helpline phone number.
    pub phone: Option<String>,
    /// Helpline opening hours.
    pub hours: Option<String>,
    /// Helpline email address.
    pub email: Option<String>,
}

impl Resource {
    /// The date as users should see it.
    pub fn when_label(&self) -> String {
        self.when.clone().unwrap_or_else(|| self.date.to_string())
    }
}

/// A profession people ask about.
#[derive(Debug, Clone)]
pub struct Profession {
    /// Stable id used in commands (`social-worker`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names people type.
    pub aliases: Vec<String>,
    /// Regulator per nation, one line each.
    pub regulators: Vec<String>,
    /// One line shown under the guidance.
    pub note: Option<String>,
    /// Indexes of guidance and policy resources for it, in display order.
    pub resources: Vec<usize>,
}

impl Profession {
    /// Whether its regulators differ by UK nation: its regulator lines (`Scotland: SSSC`) name
    /// more than one nation, so which guidance applies depends on where the person works.
    pub fn regulated_by_nation(&self) -> bool {
        let mut nations: Vec<Nation> = self
            .regulators
            .iter()
            .filter_map(|r| r.split_once(':'))
            .filter_map(|(place, _)| Nation::from_words(place))
            .collect();
        nations.sort();
        nations.dedup();
        nations.len() > 1
    }
}

/// A profession people ask about that the index has no guidance for yet: named so the bot can
/// say so plainly, with the regulator most likely to apply, instead of guessing a neighbour.
#[derive(Debug, Clone)]
pub struct Uncovered {
    /// Stable id (`pharmacist`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names people type.
    pub aliases: Vec<String>,
    /// The regulator most likely to apply, by name, when that is well established.
    pub regulator: Option<String>,
    /// Indexes of guidance in the index that applies to it (e.g. its regulator's own).
    pub guidance: Vec<usize>,
    /// One line of caution.
    pub note: Option<String>,
}

/// A platform people can be abused on, with where to report it.
#[derive(Debug, Clone)]
pub struct Platform {
    /// Stable id (`discord`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names (`twitter`).
    pub aliases: Vec<String>,
    /// Indexes of reporting resources.
    pub reporting: Vec<usize>,
    /// Indexes of the pages for reporting a fake account or impersonation, when the platform
    /// has its own route (empty: its general report covers it).
    pub impersonation: Vec<usize>,
    /// Who to go to first on that platform.
    pub advice: String,
}

/// A top tip with the resource it comes from.
#[derive(Debug, Clone)]
pub struct Tip {
    /// The tip.
    pub text: String,
    /// Index of the source resource.
    pub source: usize,
}

/// Where the index comes from, for `!about`.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// Name of the index.
    pub title: String,
    /// The page it started from.
    pub source_title: String,
    /// Who published that page.
    pub source_publisher: String,
    /// When that page was last updated.
    pub source_updated: String,
    /// When the facts were last checked.
    pub reviewed: String,
    /// Short lines shown by `!about`.
    pub notes: Vec<String>,
}

/// The whole validated index.
#[derive(Debug)]
pub struct Index {
    /// Where it comes from.
    pub provenance: Provenance,
    /// Which copy is being served: the one built into the binary, or a folder on disk.
    pub origin: String,
    /// Every resource, in file order.
    pub resources: Vec<Resource>,
    /// Every profession, in file order.
    pub professions: Vec<Profession>,
    /// Professions the index does not cover yet, in file order.
    pub uncovered: Vec<Uncovered>,
    /// Every platform, in file order.
    pub platforms: Vec<Platform>,
    /// Top tips, in file order.
    pub tips: Vec<Tip>,
    pub(crate) resource_ids: HashMap<String, usize>,
    pub(crate) profession_names: NameTable,
    pub(crate) uncovered_names: NameTable,
    /// Every name as a phrase, for finding names inside questions.
    pub phrases: PhraseTable,
    pub(crate) platform_names: NameTable,
    pub(crate) search: SearchIndex,
}

impl Index {
    /// The resource with this id.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resource_ids.get(id).map(|&i| &self.resources[i])
    }

    /// How many links were found working within `days` days before `today` (a date after
    /// `today`, from a clock that was ahead, counts too), and how many resources have a link.
    pub fn links_verified_within(&self, today: CivilDate, days: i64) -> (usize, usize) {
        let linked = self.resources.iter().filter(|r| r.url.is_some());
        let verified = linked
            .clone()
            .filter(|r| r.last_verified.is_some_and(|d| today.days_since(d) <= days))
            .count();
        (verified, linked.count())
    }

    /// Resources of one kind, in display order (status, then newest first).
    pub fn by_kind(&self, kind: Kind) -> Vec<&Resource> {
        let mut list: Vec<&Resource> = self.resources.iter().filter(|r| r.kind == kind).collect();
        list.sort_by(|a, b| display_order(a, b));
        list
    }
}

/// Current before draft before unverified before historic before superseded; newest first within each.
pub fn display_order(a: &Resource, b: &Resource) -> std::cmp::Ordering {
    a.status
        .rank()
        .cmp(&b.status.rank())
        .then(b.date.cmp(&a.date))
        .then(a.title.cmp(&b.title))
}

/// A loaded index plus the warnings it passed with (e.g. plain-http links).
#[derive(Debug)]
pub struct Loaded {
    /// The index.
    pub index: Index,
    /// Problems worth fixing that do not stop the bot.
    pub warnings: Vec<IndexError>,
}
