//! Helpers shared by the integration tests: the real index, a core, and rendering shortcuts.

#![allow(dead_code)]

pub mod chromium;
pub mod debian;
#[cfg(feature = "discord")]
pub mod discord_peer;
#[cfg(feature = "slack")]
pub mod haproxy;
#[cfg(feature = "links")]
pub mod link_server;
pub mod postgres;
#[cfg(any(feature = "slack", feature = "matrix"))]
pub mod process;
pub mod scratch;
pub use scratch::temp_dir;
#[cfg(feature = "slack")]
pub mod slack;

use std::path::PathBuf;
use std::sync::OnceLock;

use signpost::index::{load_dir, Index};
use signpost::render::Target;
use signpost::{Incoming, Origin, Reply, Signpost};

#[cfg(feature = "matrix")]
pub mod appservice;
#[cfg(feature = "matrix")]
pub mod matrix_client;
#[cfg(feature = "matrix")]
pub mod matrix_process;
#[cfg(feature = "matrix")]
pub mod synapse;

/// The repository's `data/` folder.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// The real index, loaded once.
pub fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| load_dir(&data_dir()).expect("data/ is valid").index)
}

/// A fresh copy of the real index (for a core of one's own).
pub fn index_owned() -> Index {
    load_dir(&data_dir()).expect("data/ is valid").index
}

/// A core serving the real index with prefix `!`.
pub fn core() -> &'static Signpost {
    static CORE: OnceLock<Signpost> = OnceLock::new();
    CORE.get_or_init(|| Signpost::new(load_dir(&data_dir()).expect("data/ is valid").index, "!"))
}

/// The reply to a channel message from `origin`.
pub fn reply(text: &str, origin: Origin) -> Option<Reply> {
    core().handle(&Incoming::new(text, origin))
}

/// The reply to a console message; panics when there is none.
pub fn answer(text: &str) -> Reply {
    reply(text, Origin::Console).unwrap_or_else(|| panic!("no reply to {text:?}"))
}

/// The reply rendered for `target`, every message joined.
pub fn rendered(text: &str, target: Target) -> String {
    let reply = reply(text, target.origin()).unwrap_or_else(|| panic!("no reply to {text:?}"));
    target.to_texts(&reply).join("\n\n")
}

/// All four targets.
pub const TARGETS: [Target; 4] = [
    Target::Plain,
    Target::Discord,
    Target::Slack,
    Target::Matrix,
];

/// The URLs of every item in a reply, in order.
pub fn item_urls(reply: &Reply) -> Vec<String> {
    reply
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .filter_map(|i| i.url.as_ref().map(|u| u.to_string()))
        .collect()
}

/// The titles of every item in a reply, in order.
pub fn item_titles(reply: &Reply) -> Vec<String> {
    reply
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|i| i.title.clone())
        .collect()
}

/// Copies the real index into a temporary folder, so a test can break one file.
pub fn copy_of_data(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    for entry in std::fs::read_dir(data_dir()).expect("read data/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}
