//! `signpost run`: starts every configured adapter side by side in one tokio runtime, or the
//! console when none is configured, and reloads the index on SIGHUP.

use std::sync::Arc;

use crate::adapters::console;
use crate::bot::Signpost;
use crate::config::Settings;

/// Runs until the adapters finish or `shutdown` resolves.
pub async fn run(
    settings: Settings,
    core: Arc<Signpost>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    spawn_reloader(Arc::clone(&core), settings.data_dir.clone());
    tracing::info!(adapter = "console", "starting");
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    console::run(&core, stdin, tokio::io::stdout(), shutdown).await
}

/// Reloads the index from `data_dir` on every SIGHUP, keeping the last good index on error.
fn spawn_reloader(core: Arc<Signpost>, data_dir: std::path::PathBuf) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; index reload disabled");
            return;
        };
        while hangups.recv().await.is_some() {
            match core.reload(&data_dir) {
                Ok(warnings) => tracing::info!(warnings = warnings.len(), "index reloaded"),
                Err(errors) => {
                    tracing::error!("index reload failed, keeping the previous index: {errors}")
                }
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (core, data_dir);
}
