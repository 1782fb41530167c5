//! `signpost run`: starts every configured adapter side by side in one tokio runtime, or the
//! console when none is configured, and reloads the index on SIGHUP and on edits
//! ([`crate::reload`]).
//!
//! Each adapter runs under the [`crate::supervisor`] with the same [`Service`]: one failing (a
//! revoked token, say) is logged, restarted with back-off, and does not stop the others.
//!
//! Stopping ([`stop_requested`]: SIGTERM, as service managers send, or Ctrl-C) cancels the
//! shutdown token: adapters stop taking events and close their connections, then the answers
//! already accepted get up to [`GRACE`] to be sent before the process exits.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::adapters::Mount;
use crate::adapters::{console, Service};
use crate::config::Settings;
use crate::http;
use crate::supervisor::{supervise, Plan};

/// How long answers in flight may take to be sent once shutdown begins, the same as the HTTP
/// listener gives requests in progress. Service managers wait longer than this before killing
/// (systemd 90 s, Docker and Kubernetes 10 s and 30 s).
pub const GRACE: Duration = http::listener::GRACE;

/// The adapters whose settings are present, whose cargo feature is built in and which this
/// process runs ([`Settings::running`]: `bot.roles`, `--only`), as plans the supervisor can
/// start again and again.
pub fn configured(settings: &Settings) -> Vec<Plan> {
    let mut plans: Vec<Plan> = Vec::new();
    #[cfg(feature = "discord")]
    if let Some(discord) = settings.discord.clone() {
        plans.push(Plan::new("discord", discord, crate::adapters::discord::run));
    }
    #[cfg(feature = "discord")]
    if let Some(endpoint) = settings.discord_http.clone() {
        use crate::adapters::discord::endpoint;
        plans.push(Plan::new(
            endpoint::ADAPTER,
            (endpoint, settings.http_listen),
            |(endpoint, listen), service| endpoint::run(endpoint, listen, service),
        ));
    }
    #[cfg(feature = "matrix")]
    if let Some(matrix) = settings.matrix.clone() {
        plans.push(Plan::new("matrix", matrix, crate::adapters::matrix::run));
    }
    #[cfg(feature = "matrix")]
    if let Some(appservice) = settings.matrix_appservice.clone() {
        use crate::adapters::matrix::appservice;
        plans.push(Plan::new(
            appservice::ADAPTER,
            (appservice, settings.http_listen),
            |(appservice, listen), service| appservice::run(appservice, listen, service),
        ));
    }
    #[cfg(feature = "slack")]
    if let Some(slack) = settings.slack.clone() {
        plans.push(Plan::new(
            "slack",
            (slack, settings.http_listen),
            |(slack, listen), service| crate::adapters::slack::run(slack, listen, service),
        ));
    }
    let running = settings.running();
    plans.retain(|plan| running.contains(&plan.name));
    plans
}

/// Why `signpost run` could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeError {
    /// The HTTP listener could not be opened.
    #[error("cannot listen on {addr} (http.listen)")]
    Listen {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Runs every configured adapter under the supervisor, with the HTTP listener (health,
/// readiness, metrics, Slack's routes, Discord's interactions endpoint) on `http.listen`, until the service's shutdown token is
/// cancelled; then gives the answers in flight up to [`GRACE`]. With no platform configured,
/// runs the console on stdin/stdout instead.
pub async fn run(settings: Settings, mut service: Service) -> Result<(), RuntimeError> {
    crate::reload::spawn(
        Arc::clone(&service.core),
        settings.index_source(),
        service.shutdown.clone(),
    );
    let plans = configured(&settings);
    if plans.is_empty() {
        for name in settings.running() {
            tracing::warn!(
                adapter = name,
                "configured, but this build lacks its cargo feature"
            );
        }
        run_console(&service).await;
        write_counts(&service);
        return Ok(());
    }
    let addr = settings.http_listen;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| RuntimeError::Listen { addr, source })?;
    let mount = Arc::new(Mount::default());
    service.mount = Some(Arc::clone(&mount));
    if !settings.http_site {
        service.site = None;
    }
    // Every planned adapter counts as starting before the listener answers, so `/readyz` never
    // says ready while an adapter's task has yet to run.
    for plan in &plans {
        service.health.starting(plan.name);
    }
    let router = http::router(&service, mount);
    let http_service = service.clone();
    let listening = tokio::spawn(async move {
        if let Err(e) = http::serve(listener, router, &http_service).await {
            tracing::error!("http: listener failed: {e}");
        }
    });
    let mut adapters = JoinSet::new();
    for plan in plans {
        adapters.spawn(supervise(plan, service.clone()));
    }
    while adapters.join_next().await.is_some() {}
    let _ = listening.await;
    let in_flight = service.intake.in_flight();
    if service.intake.drain(GRACE).await {
        tracing::info!(
            in_flight,
            shed = service.intake.shed(),
            "all answers sent; exiting"
        );
    }
    write_counts(&service);
    Ok(())
}

/// Writes the question counts still held in memory (the last few seconds' worth).
fn write_counts(service: &Service) {
    if let Some(questions) = service.core.question_counts() {
        if let Err(error) = questions.flush() {
            tracing::warn!(%error, "storage: question counts not written on stopping");
        }
    }
}

async fn run_console(service: &Service) {
    tracing::info!(adapter = "console", "starting");
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let stopped = service.shutdown.clone().cancelled_owned();
    if let Err(e) = console::run(&service.core, stdin, tokio::io::stdout(), stopped).await {
        // A closed terminal or pipe ends the console like end of input does.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            tracing::error!(adapter = "console", "stopped: {e}");
        }
    }
}

/// Resolves when the process is asked to stop: SIGTERM (service managers, `kill`), or Ctrl-C
/// (SIGINT). Logs which.
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => tracing::info!(signal = "SIGTERM", "shutting down"),
                    _ = tokio::signal::ctrl_c() => tracing::info!(signal = "SIGINT", "shutting down"),
                }
                return;
            }
            Err(e) => tracing::warn!("cannot listen for SIGTERM ({e}); only Ctrl-C stops"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!(signal = "SIGINT", "shutting down");
}

/// Dependencies whose logs are capped unless the filter names them, with the most each may show.
/// serenity opens an INFO span around every REST request and gateway step, recording the request
/// (body and interaction token included) as a field: at `info` that doubles the CPU per command
/// and writes what the bot sends into the log. Its gateway reader logs a whole payload (message
/// text) at WARN when one fails to decode, so that module is held to errors.
/// The Matrix SDK logs every sync at INFO, warns on every message that no key backup is set up,
/// and its HTTP client logs expected 404s as errors; the adapter logs real sync and send failures
/// itself. ruma opens an INFO span, with the room id formatted, for each event it checks
/// against the push rules.
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
    ("ruma_common", &[("ruma_common", 2)]),
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

#[cfg(test)]
mod tests {
    use super::log_filter;

    /// Dependencies are capped below the wanted level, never raised above it, and left alone
    /// when the filter names them.
    #[test]
    fn noisy_dependencies_are_capped() {
        const MATRIX_AT_INFO: &str = "matrix_sdk=warn,matrix_sdk_base=warn,matrix_sdk_crypto=warn,\
                                      matrix_sdk_crypto::backups=error,matrix_sdk::http_client=off,\
                                      ruma_common=warn";
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
