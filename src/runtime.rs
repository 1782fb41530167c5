//! `signpost run`: starts every configured adapter side by side in one tokio runtime, or the
//! console when none is configured, and reloads the index on SIGHUP.
//!
//! Each adapter runs as its own task with the same shutdown token. One adapter failing (a revoked
//! token, say) is logged and does not stop the others.

use std::future::Future;
use std::sync::Arc;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::adapters::console;
use crate::bot::Signpost;
use crate::config::Settings;

/// An adapter's failure, as the runtime logs it.
pub type AdapterError = Box<dyn std::error::Error + Send + Sync>;

/// The adapters that will run, as named tasks.
pub struct Adapters {
    tasks: JoinSet<(&'static str, Result<(), AdapterError>)>,
}

impl Adapters {
    // Unused in builds without any platform feature.
    #[cfg_attr(not(feature = "slack"), allow(dead_code))]
    fn spawn<F, E>(&mut self, name: &'static str, future: F)
    where
        F: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<AdapterError>,
    {
        tracing::info!(adapter = name, "starting");
        self.tasks
            .spawn(async move { (name, future.await.map_err(Into::into)) });
    }
}

/// Starts the adapters whose settings are present (and whose cargo feature is built in).
pub fn start_configured(
    settings: &Settings,
    core: &Arc<Signpost>,
    shutdown: &CancellationToken,
) -> Adapters {
    let mut adapters = Adapters {
        tasks: JoinSet::new(),
    };
    #[cfg(feature = "slack")]
    if let Some(slack) = &settings.slack {
        adapters.spawn(
            "slack",
            crate::adapters::slack::run(
                slack.clone(),
                settings.http_listen,
                Arc::clone(core),
                shutdown.clone(),
            ),
        );
    }
    // Each platform block is added by its adapter; the variables are used by them.
    let _ = (settings, core, shutdown, &mut adapters);
    adapters
}

/// Runs until the adapters finish or `shutdown` is cancelled. With no platform configured, runs
/// the console on stdin/stdout.
pub async fn run(settings: Settings, core: Arc<Signpost>, shutdown: CancellationToken) {
    spawn_reloader(
        Arc::clone(&core),
        settings.data_dir.clone(),
        shutdown.clone(),
    );
    let mut adapters = start_configured(&settings, &core, &shutdown);
    if adapters.tasks.is_empty() {
        for name in settings.configured_platforms() {
            tracing::warn!(
                adapter = name,
                "configured, but this build lacks its cargo feature"
            );
        }
        tracing::info!(adapter = "console", "starting");
        let stdin = tokio::io::BufReader::new(tokio::io::stdin());
        if let Err(e) = console::run(
            &core,
            stdin,
            tokio::io::stdout(),
            shutdown.cancelled_owned(),
        )
        .await
        {
            tracing::error!(adapter = "console", "stopped: {e}");
        }
        return;
    }
    while let Some(joined) = adapters.tasks.join_next().await {
        match joined {
            Ok((name, Ok(()))) => tracing::info!(adapter = name, "stopped"),
            Ok((name, Err(e))) => tracing::error!(adapter = name, "failed: {e}"),
            Err(e) => tracing::error!("adapter task panicked: {e}"),
        }
    }
}

/// Reloads the index from `data_dir` on every SIGHUP, keeping the last good index on error.
fn spawn_reloader(core: Arc<Signpost>, data_dir: std::path::PathBuf, shutdown: CancellationToken) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; index reload disabled");
            return;
        };
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                got = hangups.recv() => if got.is_none() { return },
            }
            match core.reload(&data_dir) {
                Ok(warnings) => tracing::info!(warnings = warnings.len(), "index reloaded"),
                Err(errors) => {
                    tracing::error!("index reload failed, keeping the previous index: {errors}")
                }
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (core, data_dir, shutdown);
}
