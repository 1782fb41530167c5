//! Reloading the index while the bot runs: on SIGHUP, and when a file in `data_dir` changes
//! (watched with the `notify` crate, debounced so an editor's save-rename-chmod burst or a
//! `git pull` of several files reloads once). Every reload is validated off the async workers
//! first; an invalid edit is logged with its file, entry and field, counted in the metrics,
//! and the last good index keeps serving. The swap itself is atomic ([`Signpost::reload`]).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bot::Signpost;
use crate::index::Source;

/// How long the folder must be quiet after a change before it is read.
pub const SETTLE: Duration = Duration::from_millis(300);

/// Starts reloading `source` into `core` on SIGHUP and, for a folder, on every change in it,
/// until `shutdown` is cancelled.
pub fn spawn(core: Arc<Signpost>, source: Source, shutdown: CancellationToken) {
    let (changed, mut changes) = mpsc::channel::<()>(16);
    // Dropped with this task's end, which stops the watcher thread.
    let watcher = source.dir().and_then(|dir| watch(dir, changed.clone()));
    #[cfg(unix)]
    spawn_hangups(changed, shutdown.clone());
    tokio::spawn(async move {
        let _watcher = watcher;
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                got = changes.recv() => if got.is_none() { return },
            }
            // Let a burst of changes settle, then read once.
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    got = changes.recv() => if got.is_none() { return },
                    () = tokio::time::sleep(SETTLE) => break,
                }
            }
            reload(&core, &source).await;
        }
    });
}

async fn reload(core: &Arc<Signpost>, source: &Source) {
    // Reading and validating every file is blocking work: keep it off the async workers.
    let (core, source) = (Arc::clone(core), source.clone());
    match tokio::task::spawn_blocking(move || core.reload(&source)).await {
        Ok(Ok(warnings)) => tracing::info!(warnings = warnings.len(), "index reloaded"),
        Ok(Err(errors)) => {
            tracing::error!("index reload refused, keeping the previous index: {errors}")
        }
        Err(_) => tracing::error!("index reload panicked, keeping the previous index"),
    }
}

/// Watches `dir`; every event sends a nudge. `None` (logged) if the folder cannot be watched:
/// SIGHUP still works.
fn watch(dir: &std::path::Path, changed: mpsc::Sender<()>) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    let handler = move |event: notify::Result<notify::Event>| {
        let is_change = event.is_ok_and(|e| !e.kind.is_access() && !e.kind.is_other());
        if is_change {
            // A full channel already holds a nudge: nothing is lost.
            let _ = changed.try_send(());
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(watcher) => watcher,
        Err(e) => {
            tracing::warn!("cannot watch the index folder ({e}); reload with SIGHUP");
            return None;
        }
    };
    if let Err(e) = watcher.watch(dir, RecursiveMode::NonRecursive) {
        tracing::warn!(dir = %dir.display(), "cannot watch the index folder ({e}); reload with SIGHUP");
        return None;
    }
    Some(watcher)
}

#[cfg(unix)]
fn spawn_hangups(changed: mpsc::Sender<()>, shutdown: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    tokio::spawn(async move {
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload by editing the index folder");
            return;
        };
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                got = hangups.recv() => if got.is_none() { return },
            }
            if changed.send(()).await.is_err() {
                return;
            }
        }
    });
}
