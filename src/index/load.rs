//! Reads an index: the five TOML files, from a folder on disk or from the copy of `data/` built
//! into the binary (so a copied binary, a container or `cargo install` answers correctly from any
//! directory), parsed into raw shapes, then validated by [`super::validate`] into an `Index`.

use std::path::{Path, PathBuf};

use super::error::{IndexError, IndexErrors};
use super::model::Loaded;
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

/// The repository's `data/` as it was when the binary was built, file by file.
const EMBEDDED: [(&str, &str); 5] = [
    ("index.toml", include_str!("../../data/index.toml")),
    ("resources.toml", include_str!("../../data/resources.toml")),
    (
        "professions.toml",
        include_str!("../../data/professions.toml"),
    ),
    ("platforms.toml", include_str!("../../data/platforms.toml")),
    ("tips.toml", include_str!("../../data/tips.toml")),
];

/// What `origin` says of the built-in index.
pub const EMBEDDED_ORIGIN: &str = "built into this release";

/// Where an index is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The copy of `data/` built into the binary.
    Embedded,
    /// A folder of the five files on disk.
    Dir(PathBuf),
}

impl Source {
    /// The built-in index unless `dir` names a folder.
    pub fn from_setting(dir: Option<&Path>) -> Source {
        match dir {
            Some(dir) => Source::Dir(dir.to_path_buf()),
            None => Source::Embedded,
        }
    }

    /// Reads and validates this index.
    pub fn load(&self) -> Result<Loaded, IndexErrors> {
        match self {
            Source::Embedded => load_embedded(),
            Source::Dir(dir) => load_dir(dir),
        }
    }

    /// The folder to watch for edits, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Source::Embedded => None,
            Source::Dir(dir) => Some(dir),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Embedded => f.write_str("the index built into this release"),
            Source::Dir(dir) => write!(f, "the index in {}", dir.display()),
        }
    }
}

/// Reads and validates the index built into the binary.
pub fn load_embedded() -> Result<Loaded, IndexErrors> {
    let dir = Path::new("data");
    let text = |name: &str| {
        EMBEDDED
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, text)| (*text).to_string())
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    };
    let mut loaded = load_with(dir, text)?;
    loaded.index.origin = EMBEDDED_ORIGIN.to_string();
    Ok(loaded)
}

/// Reads and validates the index in `dir`.
pub fn load_dir(dir: &Path) -> Result<Loaded, IndexErrors> {
    let mut loaded = load_with(dir, |name| std::fs::read_to_string(dir.join(name)))?;
    loaded.index.origin = format!("in {}", dir.display());
    Ok(loaded)
}

fn load_with(
    dir: &Path,
    text: impl Fn(&str) -> std::io::Result<String>,
) -> Result<Loaded, IndexErrors> {
    let mut errors = Vec::new();
    let meta = read::<RawMeta>(dir, "index.toml", &text, &mut errors);
    let resources = read::<RawResources>(dir, "resources.toml", &text, &mut errors);
    let professions = read::<RawProfessions>(dir, "professions.toml", &text, &mut errors);
    let platforms = read::<RawPlatforms>(dir, "platforms.toml", &text, &mut errors);
    let tips = read::<RawTips>(dir, "tips.toml", &text, &mut errors);
    match (meta, resources, professions, platforms, tips) {
        (Some(meta), Some(r), Some(p), Some(pl), Some(t)) if errors.is_empty() => {
            let raw = RawIndex {
                meta,
                resources: r.resource,
                professions: p.profession,
                not_covered: p.not_covered,
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
    text: &impl Fn(&str) -> std::io::Result<String>,
    errors: &mut Vec<IndexError>,
) -> Option<T> {
    let file = dir.join(name);
    let text = match text(name) {
        Ok(text) => text,
        Err(source) => {
            errors.push(IndexError::Read { file, source });
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            let mut message = e.to_string().trim_end().replace('\n', "\n    ");
            if let Some(id) = e.span().and_then(|span| entry_at(&text, span.start)) {
                message.push_str(&format!("\n    (in the entry with id = \"{id}\")"));
            }
            errors.push(IndexError::Parse { file, message });
            None
        }
    }
}

/// The `id` of the `[[table]]` entry holding byte `at` of a data file, when it has one: a type
/// error's line alone makes the curator count entries.
fn entry_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let start = text[..at].rfind("\n[[").map_or(0, |n| n + 1);
    let end = text[at..].find("\n[").map_or(text.len(), |n| at + n);
    text[start..end].lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("id")?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim().trim_matches('"');
        (!value.is_empty()).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A type error is placed in its entry: the id of the `[[table]]` around the error, before
    /// or after the bad line; none outside any entry.
    #[test]
    fn errors_name_their_entry() {
        let text = "[meta]\nname = 1\n\n[[resource]]\nid = \"first\"\nstatus = \"current\"\n\n\
                    [[resource]]\nstatus = 42\nid = \"second\"\n";
        let at = |needle: &str| text.find(needle).unwrap();
        assert_eq!(entry_at(text, at("status = 42")).as_deref(), Some("second"));
        assert_eq!(
            entry_at(text, at("status = \"current\"")).as_deref(),
            Some("first")
        );
        assert_eq!(entry_at(text, at("name = 1")), None);
    }

    /// Loading a folder whose resources have a type error names the file, the line and the
    /// entry's id, and a broken second file is reported in the same run.
    #[test]
    fn a_type_error_names_file_line_and_entry() {
        let dir = std::env::temp_dir().join(format!("signpost-load-{}", std::process::id()));
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
            }
        }
        let resources = std::fs::read_to_string(dir.join("resources.toml")).unwrap();
        let first = resources.find("status = \"current\"").unwrap();
        let id = resources[..first]
            .rsplit("id = \"")
            .next()
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_string();
        let broken = resources.replacen("status = \"current\"", "status = 42", 1);
        std::fs::write(dir.join("resources.toml"), broken).unwrap();
        std::fs::write(dir.join("tips.toml"), "bogus = \n").unwrap();
        let errors = load_dir(&dir).expect_err("two broken files").to_string();
        assert!(
            errors.contains("resources.toml") && errors.contains("tips.toml"),
            "{errors}"
        );
        assert!(errors.contains(&format!("id = \"{id}\"")), "{id}: {errors}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
