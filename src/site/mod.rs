//! The site: the index as a small static web site, for people who would rather browse than ask
//! and for moderators who want one link to pin. `signpost site OUT_DIR` writes it to disk and
//! the HTTP listener serves it from memory ([`cache`]); both call [`build`], so they cannot
//! drift apart.
//!
//! Pages are the commands' own answers: each page runs the command that answers the same
//! question ([`pages`]) and prints its [`crate::reply::Reply`] as HTML ([`html`]) inside one
//! shared shell ([`layout`]), so ordering, grouping and badges are the chat's, never re-derived.
//! Templates are `maud`: checked at compile time and escaping every value, so no index text is
//! ever concatenated into markup. Links between pages are relative, so the written site works
//! from any folder, any mount point and `file://`.
//!
//! The pages work without JavaScript; a small script ([`assets`]) adds a search box over a JSON
//! list of items ([`search`]) when it can. Over HTTP ([`serve`]) pages are read-only and carry
//! an entity tag from their content, so a cache revalidates with a `304`.

pub mod assets;
pub mod cache;
pub mod clock;
mod common;
mod extras;
pub mod html;
pub mod layout;
pub mod pages;
pub mod paths;
pub mod search;
pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::index::Index;

pub use cache::SiteCache;

/// Content type of every page.
pub const HTML: &str = "text/html; charset=utf-8";

/// The path of the home page, which `/` serves.
pub const HOME: &str = "index.html";

/// The path of the page for a path the site does not have.
pub const NOT_FOUND: &str = "404.html";

/// What a site is built with besides the index.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command prefix the bot answers to (`!`), for the commands each page names.
    pub prefix: String,
    /// When the site is generated, printed on every page.
    pub generated: SystemTime,
}

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: Vec<u8>,
    /// A strong HTTP entity tag (quoted) from a hash of the body, for `If-None-Match`.
    pub etag: String,
}

impl File {
    fn new(content_type: &'static str, body: Vec<u8>) -> File {
        let etag = format!("\"{:016x}\"", fnv1a(&body));
        File {
            content_type,
            body,
            etag,
        }
    }
}

/// A whole site in memory: relative path (`professions/nurse.html`) to file.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// Every file, by relative path with `/` separators.
    pub files: BTreeMap<String, File>,
}

/// Why a site could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SiteError {
    /// A folder or file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The folder or file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Site {
    /// The file at `path` (relative, no leading `/`).
    pub fn get(&self, path: &str) -> Option<&File> {
        self.files.get(path)
    }

    /// Bytes of every file together.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(|f| f.body.len()).sum()
    }

    /// Writes every file under `dir`, creating folders as needed; files already there with
    /// other names are left alone.
    pub fn write_to(&self, dir: &Path) -> Result<(), SiteError> {
        for (path, file) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|source| SiteError::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&target, &file.body).map_err(|source| SiteError::Write {
                path: target.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

/// Builds the whole site from `index`.
pub fn build(index: &Index, options: &Options) -> Site {
    let mut site = Site::default();
    let built = pages::build(index, options);
    for (path, body) in built.pages {
        site.files
            .insert(path, File::new(HTML, body.into_string().into_bytes()));
    }
    for (path, content_type, body) in assets::files() {
        site.files
            .insert(path.to_string(), File::new(content_type, body.to_vec()));
    }
    site.files.insert(
        search::PATH.to_string(),
        File::new(search::CONTENT_TYPE, search::to_json(&built.entries)),
    );
    site
}

/// 64-bit FNV-1a: a stable content hash for entity tags (not for security: a collision only
/// costs a stale page until the next change).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entity tag is quoted, stable for the same bytes and different for different bytes.
    #[test]
    fn etags_follow_content() {
        let a = File::new(HTML, b"one".to_vec());
        assert_eq!(a.etag, File::new(HTML, b"one".to_vec()).etag);
        assert_ne!(a.etag, File::new(HTML, b"two".to_vec()).etag);
        assert!(a.etag.starts_with('"') && a.etag.ends_with('"'));
    }
}
