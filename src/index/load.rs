//! Reads the index folder: the five TOML files, parsed into raw shapes, then validated by
//! [`super::validate`] into an `Index`.

use std::path::Path;

use super::error::{IndexError, IndexErrors};
use super::model::Index;
use super::raw::*;
use super::validate::from_raw;

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
