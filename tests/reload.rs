//! Editing the index folder while the bot runs: an invalid edit is refused (old index served,
//! failure counted, file/entry/field named), a valid edit is served without a restart or signal.

use std::sync::Arc;
use std::time::{Duration, Instant};

use signpost::index::{load_dir, Source};
use signpost::Signpost;
use tokio_util::sync::CancellationToken;

use crate::support::{copy_of_data, data_dir};

/// A hang guard, not a performance bound.
const PATIENCE: Duration = Duration::from_secs(30);

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !done() {
        assert!(Instant::now() < deadline, "waited for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn failures(core: &Signpost) -> bool {
    core.metrics()
        .to_text()
        .contains("signpost_index_reload_failures_total 1")
}

/// Edits are picked up from the folder itself: an invalid one keeps the old index and is
/// counted, and why is kept (for `/readyz`) until a valid one is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_to_the_folder_reload_the_index() {
    let dir = copy_of_data("watch");
    let core = Arc::new(Signpost::new(load_dir(&dir).expect("valid").index, "!"));
    let before = core.index().resources.len();
    let shutdown = CancellationToken::new();
    signpost::reload::spawn(
        Arc::clone(&core),
        Source::Dir(dir.clone()),
        shutdown.clone(),
    );

    let good = std::fs::read_to_string(data_dir().join("resources.toml")).expect("read");
    // A resource whose status is not one the schema knows.
    let bad = good.replacen("status = \"current\"", "status = \"brand-new\"", 1);
    std::fs::write(dir.join("resources.toml"), &bad).expect("write");
    until("the refused reload to be counted", || failures(&core)).await;
    assert_eq!(
        core.index().resources.len(),
        before,
        "old index still served"
    );
    let refused = core
        .reload_refused()
        .expect("the refusal is kept for /readyz");
    assert!(refused.contains("brand-new"), "{refused}");

    let extra = "\n[[resource]]\nid = \"watched-extra\"\ntitle = \"Extra guide\"\npublisher = \"Test\"\ndate = \"2025\"\nurl = \"https://example.org/\"\nkind = \"article\"\nstatus = \"current\"\nsummary = \"An extra test resource.\"\n";
    std::fs::write(dir.join("resources.toml"), format!("{good}{extra}")).expect("write");
    until("the new index to be served", || {
        core.index().resource("watched-extra").is_some()
    })
    .await;
    assert_eq!(core.index().resources.len(), before + 1);
    // The watcher may also have read the file half-written; the good reload that follows
    // clears the refusal.
    until("a good reload to clear the refusal", || {
        core.reload_refused().is_none()
    })
    .await;
    shutdown.cancel();
}
