//! The tests' scratch folders in the temp dir, and the sweep that removes those of runs that
//! have ended (a shared Synapse lives in a static and is never dropped, so nothing else would).
//! Included by path from the benches that use the Synapse or PostgreSQL helpers.

use std::path::Path;

/// The temp-dir folders the tests make for themselves, each named `<prefix><pid>` or
/// `<prefix><pid>-<rest>` after the test process that owns it.
const SCRATCH_PREFIXES: &[&str] = &["signpost-test-", "signpost-synapse-", "signpost-postgres-"];

/// Removes the scratch folders of earlier test runs whose process has ended, once per run. A
/// run's own folders stay after it, for reading after a failure, until the next run sweeps them.
pub fn remove_stale() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| remove_stale_in(&std::env::temp_dir()));
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
    let rest = SCRATCH_PREFIXES.iter().find_map(|p| name.strip_prefix(p))?;
    let pid = rest.split('-').next()?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(pid)
}

/// The sweep removes a folder named for a process that has ended and keeps one named for a live
/// process, and leaves folders that are not the tests' own alone.
#[test]
fn stale_scratch_of_ended_runs_is_removed() {
    let root = std::env::temp_dir().join(format!("signpost-sweep-{}", std::process::id()));
    // Above any pid_max Linux allows, so no process has it.
    let ended = "4194305000";
    let live = std::process::id().to_string();
    let names = [
        format!("signpost-test-{ended}-alice"),
        format!("signpost-synapse-{ended}-8008"),
        format!("signpost-postgres-{ended}"),
        format!("signpost-test-{live}-bob"),
        "signpost-test-notapid-x".to_string(),
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
    let mut kept = vec![names[3].clone(), names[4].clone(), names[5].clone()];
    kept.sort();
    assert_eq!(left, kept);
}
