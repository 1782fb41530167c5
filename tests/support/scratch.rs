//! The tests' scratch folders in the temp dir, one naming scheme for all of them, and the sweep
//! that removes those of runs that have ended (a shared Synapse lives in a static and is never
//! dropped, so nothing else would). Included by path from the benches that use the Synapse or
//! PostgreSQL helpers.

use std::path::{Path, PathBuf};

/// Every scratch folder is `<PREFIX><pid>-<name>`, after the test process that owns it.
const PREFIX: &str = "signpost-scratch-";

/// A fresh, empty scratch folder `name` for this process. The first call of a run also removes
/// the folders of earlier runs whose process has ended; a run's own folders stay after it, for
/// reading after a failure, until the next run sweeps them.
pub fn temp_dir(name: &str) -> PathBuf {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| remove_stale_in(&std::env::temp_dir()));
    let dir = std::env::temp_dir().join(format!("{PREFIX}{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

fn remove_stale_in(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = owner_pid(&name) else {
            continue;
        };
        if !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id a scratch folder's name carries, if it is one of ours.
fn owner_pid(name: &str) -> Option<&str> {
    let pid = name.strip_prefix(PREFIX)?.split('-').next()?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(pid)
}

/// The sweep removes a folder named for a process that has ended and keeps one named for a live
/// process, and leaves folders that are not the tests' own alone.
#[test]
fn stale_scratch_of_ended_runs_is_removed() {
    let root = temp_dir("sweep-test");
    // Above any pid_max Linux allows, so no process has it.
    let ended = "4194305000";
    let live = std::process::id().to_string();
    let names = [
        format!("{PREFIX}{ended}-alice"),
        format!("{PREFIX}{ended}-synapse-8008"),
        format!("{PREFIX}{live}-bob"),
        format!("{PREFIX}notapid-x"),
        format!("other-{ended}"),
    ];
    for name in &names {
        std::fs::create_dir_all(root.join(name)).expect("make folder");
    }
    remove_stale_in(&root);
    let mut left: Vec<String> = std::fs::read_dir(&root)
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let _ = std::fs::remove_dir_all(&root);
    let mut kept = names[2..].to_vec();
    kept.sort();
    assert_eq!(left, kept);
}
