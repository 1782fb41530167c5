//! The index files as written by hand: serde shapes of the TOML, before any checking.
//!
//! Every table denies unknown fields, so a misspelt key is an error naming the key and line
//! rather than a silently ignored setting.

use serde::Deserialize;

use super::model::{Body, Kind, Nation, Status};

/// `index.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub title: String,
    pub source_title: String,
    pub source_publisher: String,
    pub source_updated: String,
    pub reviewed: String,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// `resources.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResources {
    #[serde(default)]
    pub resource: Vec<RawResource>,
}

/// One `[[resource]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub date: String,
    pub when: Option<String>,
    pub url: Option<String>,
    #[serde(default = "yes")]
    pub url_confirmed: bool,
    /// The day the link was last found working, `YYYY-MM-DD` (see `signpost links`).
    pub last_verified: Option<String>,
    pub kind: Kind,
    pub status: Status,
    pub superseded_by: Option<String>,
    pub body: Option<Body>,
    #[serde(default)]
    pub professions: Vec<String>,
    #[serde(default)]
    pub nations: Vec<Nation>,
    pub summary: String,
    pub note: Option<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub email: Option<String>,
}

fn yes() -> bool {
    true
}

/// `professions.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfessions {
    #[serde(default)]
    pub profession: Vec<RawProfession>,
    #[serde(default)]
    pub not_covered: Vec<RawUncovered>,
}

/// One `[[not_covered]]`: a profession people ask about that the index has no guidance for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUncovered {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub regulator: Option<String>,
    #[serde(default)]
    pub guidance: Vec<String>,
    pub note: Option<String>,
}

/// One `[[profession]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfession {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub regulators: Vec<String>,
    pub note: Option<String>,
}

/// `platforms.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlatforms {
    #[serde(default)]
    pub platform: Vec<RawPlatform>,
}

/// One `[[platform]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlatform {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub reporting: Vec<String>,
    #[serde(default)]
    pub impersonation: Vec<String>,
    pub advice: String,
}

/// `tips.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTips {
    #[serde(default)]
    pub tip: Vec<RawTip>,
}

/// One `[[tip]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTip {
    pub text: String,
    pub source: String,
}

/// All five files, parsed.
#[derive(Debug)]
pub struct RawIndex {
    pub meta: RawMeta,
    pub resources: Vec<RawResource>,
    pub professions: Vec<RawProfession>,
    pub not_covered: Vec<RawUncovered>,
    pub platforms: Vec<RawPlatform>,
    pub tips: Vec<RawTip>,
}
