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
    // Unused when no platform feature is built in.
    #[cfg_attr(
        not(any(feature = "discord", feature = "slack", feature = "matrix")),
        allow(dead_code)
    )]
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
    #[cfg(feature = "discord")]
    if let Some(discord) = &settings.discord {
        adapters.spawn(
            "discord",
            crate::adapters::discord::run(discord.clone(), Arc::clone(core), shutdown.clone()),
        );
    }
    #[cfg(feature = "matrix")]
    if let Some(matrix) = &settings.matrix {
        adapters.spawn(
            "matrix",
            crate::adapters::matrix::run(matrix.clone(), Arc::clone(core), shutdown.clone()),
        );
    }
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
    // Without platform features these are unused.
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

/// Dependencies whose logs are capped unless the filter names them, with the most each may show.
/// serenity opens an INFO span around every REST request and gateway step, recording the request
/// (body and interaction token included) as a field: at `info` that doubles the CPU per command
/// and writes what the bot sends into the log. Its gateway reader logs a whole payload (message
/// text) at WARN when one fails to decode, so that module is held to errors.
/// The Matrix SDK logs every sync at INFO, warns on every message that no key backup is set up,
/// and its HTTP client logs expected 404s as errors; the adapter logs real sync and send failures
/// itself.
const QUIET: &[(&str, &[(&str, u8)])] = &[
    ("serenity", &[("serenity", 2), ("serenity::gateway::ws", 1)]),
    (
        "matrix_sdk",
        &[
            ("matrix_sdk", 2),
            ("matrix_sdk_base", 2),
            ("matrix_sdk_crypto", 2),
            ("matrix_sdk_crypto::backups", 1),
            ("matrix_sdk::http_client", 0),
        ],
    ),
];

const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// The log filter to install for `wanted` (EnvFilter syntax): `wanted` plus caps for noisy
/// dependencies it does not name. A cap never raises a level: under `error`, serenity shows
/// errors only; with no bare level (`signpost=debug`), it stays off.
pub fn log_filter(wanted: &str) -> String {
    let bare = wanted
        .split(',')
        .map(str::trim)
        .rfind(|d| !d.is_empty() && !d.contains('=') && !d.contains('['))
        .map_or(0, |level| {
            LEVELS
                .iter()
                .position(|l| l.eq_ignore_ascii_case(level))
                .unwrap_or(3)
        });
    let mut filter = wanted.to_string();
    for (name, caps) in QUIET {
        if wanted.contains(name) {
            continue;
        }
        for (target, most) in *caps {
            let level = LEVELS[bare.min(usize::from(*most))];
            if !filter.is_empty() {
                filter.push(',');
            }
            filter.push_str(&format!("{target}={level}"));
        }
    }
    filter
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

#[cfg(test)]
mod tests {
    use super::log_filter;

    /// Dependencies are capped below the wanted level, never raised above it, and left alone
    /// when the filter names them.
    #[test]
    fn noisy_dependencies_are_capped() {
        const MATRIX_AT_INFO: &str = "matrix_sdk=warn,matrix_sdk_base=warn,matrix_sdk_crypto=warn,\
                                      matrix_sdk_crypto::backups=error,matrix_sdk::http_client=off";
        assert_eq!(
            log_filter("info"),
            format!("info,serenity=warn,serenity::gateway::ws=error,{MATRIX_AT_INFO}")
        );
        assert_eq!(
            log_filter("debug,signpost=trace"),
            format!(
                "debug,signpost=trace,serenity=warn,serenity::gateway::ws=error,{MATRIX_AT_INFO}"
            )
        );
        assert!(log_filter("error")
            .starts_with("error,serenity=error,serenity::gateway::ws=error,matrix_sdk=error"));
        assert!(log_filter("signpost=debug")
            .starts_with("signpost=debug,serenity=off,serenity::gateway::ws=off,matrix_sdk=off"));
        assert!(
            log_filter("info,serenity=debug").starts_with("info,serenity=debug,matrix_sdk=warn")
        );
    }
}
