//! Bad index data is reported with its file, entry and field; the bot keeps serving the last good
//! index when a reload fails.

use std::path::Path;

use signpost::index::load_dir;
use signpost::{Incoming, Origin, Signpost};

use signpost::index::Source;

use crate::support::{copy_of_data, data_dir};

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn errors_of(dir: &Path) -> String {
    load_dir(dir)
        .expect_err("the index must be rejected")
        .to_string()
}

/// The committed index is valid.
#[test]
fn committed_index_is_valid() {
    let loaded = load_dir(&data_dir()).expect("data/ is valid");
    assert!(loaded.index.resources.len() >= 40);
    assert!(loaded.index.professions.len() >= 10);
}

/// A dangling `superseded_by` names the file, the entry and the field.
#[test]
fn dangling_superseded_by() {
    let dir = copy_of_data("dangling");
    edit(
        &dir,
        "resources.toml",
        "superseded_by = \"hcpc-social-media-2024\"",
        "superseded_by = \"hcpc-2099\"",
    );
    let e = errors_of(&dir);
    assert!(
        e.contains("resources.toml")
            && e.contains("resource \"hcpc-social-media-2017\"")
            && e.contains("`superseded_by`")
            && e.contains("hcpc-2099"),
        "{e}"
    );
}

/// A duplicate id is reported.
#[test]
fn duplicate_id() {
    let dir = copy_of_data("duplicate");
    edit(
        &dir,
        "resources.toml",
        "id = \"bps-social-media-2012\"",
        "id = \"nmc-social-media-guidance\"",
    );
    let e = errors_of(&dir);
    assert!(
        e.contains("`id`") && e.contains("used by another resource"),
        "{e}"
    );
}

/// A mirror host is refused as a link.
#[test]
fn mirror_host_refused() {
    let dir = copy_of_data("mirror");
    edit(
        &dir,
        "resources.toml",
        "url = \"https://revengepornhelpline.org.uk/\"",
        "url = \"https://www.scribd.com/doc/1\"",
    );
    let e = errors_of(&dir);
    assert!(
        e.contains("resource \"revenge-porn-helpline\"") && e.contains("mirror"),
        "{e}"
    );
}

/// An unknown field is an error naming the field and the file.
#[test]
fn unknown_field() {
    let dir = copy_of_data("unknown-field");
    edit(
        &dir,
        "professions.toml",
        "[[profession]]",
        "[[profession]]\ncolour = \"blue\"",
    );
    let e = errors_of(&dir);
    assert!(
        e.contains("professions.toml") && e.contains("colour"),
        "{e}"
    );
}

/// A bad date, a non-https scheme and a reference to an unknown profession are all reported at once.
#[test]
fn several_problems_at_once() {
    let dir = copy_of_data("several");
    edit(
        &dir,
        "resources.toml",
        "date = \"2012\"",
        "date = \"spring 2012\"",
    );
    edit(
        &dir,
        "resources.toml",
        "url = \"https://revengepornhelpline.org.uk/\"",
        "url = \"ftp://revengepornhelpline.org.uk/\"",
    );
    edit(
        &dir,
        "resources.toml",
        "professions = [\"nurse\"",
        "professions = [\"astronaut\", \"nurse\"",
    );
    let e = errors_of(&dir);
    assert!(e.contains("`date`") && e.contains("spring 2012"), "{e}");
    assert!(e.contains("ftp://"), "{e}");
    assert!(e.contains("astronaut"), "{e}");
}

/// `last_verified` is read as a day; an impossible day is refused naming the file, the entry,
/// the field and the value.
#[test]
fn last_verified_dates() {
    let dir = copy_of_data("last-verified");
    let id = "id = \"hcpc-social-media-2024\"";
    edit(
        &dir,
        "resources.toml",
        id,
        &format!("{id}\nlast_verified = \"2026-11-30\""),
    );
    let loaded = load_dir(&dir).expect("a real day is accepted");
    let resource = loaded.index.resource("hcpc-social-media-2024").unwrap();
    assert_eq!(
        resource.last_verified.map(|d| d.to_string()).as_deref(),
        Some("2026-11-30")
    );
    edit(&dir, "resources.toml", "2026-11-30", "2026-02-30");
    let e = errors_of(&dir);
    assert!(
        e.contains("resources.toml")
            && e.contains("resource \"hcpc-social-media-2024\"")
            && e.contains("`last_verified`")
            && e.contains("2026-02-30"),
        "{e}"
    );
}

/// A missing file is reported by name.
#[test]
fn missing_file() {
    let dir = copy_of_data("missing");
    std::fs::remove_file(dir.join("tips.toml")).unwrap();
    let e = errors_of(&dir);
    assert!(e.contains("tips.toml") && e.contains("cannot read"), "{e}");
}

/// A profession without current guidance is rejected.
#[test]
fn profession_needs_current_guidance() {
    let dir = copy_of_data("no-current");
    let profs = std::fs::read_to_string(dir.join("professions.toml")).unwrap();
    std::fs::write(
        dir.join("professions.toml"),
        format!("{profs}\n[[profession]]\nid = \"astronaut\"\nname = \"Astronaut\"\n"),
    )
    .unwrap();
    let e = errors_of(&dir);
    assert!(
        e.contains("profession \"astronaut\"") && e.contains("no current guidance"),
        "{e}"
    );
}

/// A failed reload keeps the previous index serving; a good one replaces it.
#[test]
fn reload_keeps_last_good_index() {
    let dir = copy_of_data("reload");
    let core = Signpost::new(load_dir(&dir).unwrap().index, "!");
    let before = core.index().resources.len();
    std::fs::write(dir.join("resources.toml"), "this is not toml = = =").unwrap();
    let err = core
        .reload(&Source::Dir(dir.clone()))
        .unwrap_err()
        .to_string();
    assert!(err.contains("resources.toml"), "{err}");
    assert_eq!(core.index().resources.len(), before);
    assert!(core
        .handle(&Incoming::new("!guidance nurse", Origin::Console))
        .is_some());
    // Restore and add a resource: the reload takes effect.
    std::fs::copy(
        data_dir().join("resources.toml"),
        dir.join("resources.toml"),
    )
    .unwrap();
    let extra = "\n[[resource]]\nid = \"extra\"\ntitle = \"Extra guide\"\npublisher = \"Test\"\ndate = \"2025\"\nurl = \"https://example.org/\"\nkind = \"article\"\nstatus = \"current\"\nsummary = \"An extra test resource.\"\n";
    let mut text = std::fs::read_to_string(dir.join("resources.toml")).unwrap();
    text.push_str(extra);
    std::fs::write(dir.join("resources.toml"), text).unwrap();
    core.reload(&Source::Dir(dir.clone())).expect("valid again");
    assert_eq!(core.index().resources.len(), before + 1);
}
