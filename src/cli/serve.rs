//! Starting the bot: the index it serves, its store, its async runtime and its logs, for
//! `signpost run`, the console and `signpost ask`.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use signpost::adapters::Service;
use signpost::config::{LogFormat, Settings};
use signpost::render::Target;
use signpost::{Incoming, Signpost};

/// `signpost ask MESSAGE`: one answer, as `target` would show it (or its payloads as JSON). The
/// person typing at a command line is talking to the bot, so the message is `addressed` to it
/// (a question in plain words is answered as in a direct message) unless `--group` previews a
/// message in a group chat.
pub fn ask(
    settings: &Settings,
    target: Target,
    json: bool,
    addressed: bool,
    message: String,
) -> anyhow::Result<ExitCode> {
    let core = core(settings)?;
    let mut incoming = Incoming::new(message, target.origin());
    incoming.addressed = addressed;
    // The operator's terminal: its own resources are the console's.
    incoming.community = signpost::Origin::Console.community("");
    let mut out = std::io::stdout().lock();
    if let Some(reply) = core.handle(&incoming) {
        if json {
            for payload in target.to_payloads(&reply) {
                writeln!(out, "{}", serde_json::to_string(&payload)?)?;
            }
        } else {
            writeln!(out, "{}", target.to_texts(&reply).join("\n\n"))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost console`: the local console on stdin and stdout.
pub fn console(settings: &Settings) -> anyhow::Result<ExitCode> {
    init_logging(settings, true);
    let (core, _) = serving_core(settings)?;
    let runtime = service_runtime(settings)?;
    runtime.block_on(async {
        let stdin = tokio::io::BufReader::new(tokio::io::stdin());
        signpost::adapters::console::run(
            &core,
            stdin,
            tokio::io::stdout(),
            signpost::runtime::stop_requested(),
        )
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost run`: every configured adapter side by side until a stop is requested; the
/// console when no platform is configured.
pub fn run(settings: Settings) -> anyhow::Result<ExitCode> {
    // With no platform configured, `run` is the console: keep its screen free of logs.
    init_logging(&settings, settings.running().is_empty());
    let (core, store) = serving_core(&settings)?;
    let runtime = service_runtime(&settings)?;
    runtime.block_on(async {
        let mut service = Service::new(Arc::new(core), settings.limits);
        service.moderators = Arc::new(settings.moderators.clone());
        service.claims = store.map(|store| signpost::store::Parts::of(&store).claims);
        let on_signal = service.shutdown.clone();
        tokio::spawn(async move {
            signpost::runtime::stop_requested().await;
            on_signal.cancel();
        });
        signpost::runtime::run(settings, service).await
    })?;
    // Tasks that outlived the grace period are abandoned rather than awaited.
    runtime.shutdown_background();
    Ok(ExitCode::SUCCESS)
}

/// The runtime the console and the adapters run on, with [`Settings::worker_threads`] threads. Blocking work
/// (storage, reloads) gets its own threads, so even one worker never stalls behind it.
fn service_runtime(settings: &Settings) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = settings.worker_threads() {
        builder.worker_threads(workers.get());
    }
    builder
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Caps glibc's malloc arenas at two. Rust allocations go to mimalloc, but C code (SQLite in the
/// SDK's stores) still uses glibc's malloc, which by default gives busy threads their own arenas
/// (up to eight per core); the SDKs' short-lived blocking threads would leave each one holding
/// freed memory. For a bot that idles most of the time, two arenas cost no speed.
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Loads the configured index, refusing to start on an invalid one.
fn core(settings: &Settings) -> anyhow::Result<Signpost> {
    let source = settings.index_source();
    let loaded = source.load().with_context(|| format!("loading {source}"))?;
    tracing::info!(
        index = %source,
        reviewed = %loaded.index.provenance.reviewed,
        resources = loaded.index.resources.len(),
        "index loaded"
    );
    if !loaded.warnings.is_empty() {
        tracing::warn!(
            warnings = loaded.warnings.len(),
            "the index has warnings; `signpost check` lists them"
        );
    }
    let core =
        Signpost::new(loaded.index, settings.prefix.clone()).with_cooldowns(settings.cooldowns);
    Ok(match &settings.site_url {
        Some(site) => core.with_site(site.clone()),
        None => core,
    })
}

/// The configured store, for the commands that need one.
/// The configured store, for the operator's tools that read it (`report`, the exports). They
/// say which store they read, on stderr, and a SQLite file that does not exist is an error
/// rather than a new empty store: run in the wrong folder, they would otherwise print nothing
/// found, as if nobody had asked anything.
pub(crate) fn store(settings: &Settings) -> anyhow::Result<Arc<dyn signpost::store::Store>> {
    use signpost::store::StorageBackend;
    match &settings.storage.backend {
        StorageBackend::Sqlite(path) if !path.exists() => anyhow::bail!(
            "no store at {} (storage.url): run where the bot runs, or set SIGNPOST__STORAGE__URL",
            path.display()
        ),
        StorageBackend::Sqlite(path) => eprintln!("store: {}", path.display()),
        StorageBackend::Postgres(_) => eprintln!("store: PostgreSQL (storage.url)"),
        StorageBackend::SqliteMemory | StorageBackend::Off => {}
    }
    signpost::store::open(&settings.storage)?
        .context("storage is off (storage.url = \"off\"): there is nothing to read")
}

/// The core with the configured store wired in, and the store, for the commands that serve
/// people (not `ask`, which previews an answer and keeps nothing).
fn serving_core(
    settings: &Settings,
) -> anyhow::Result<(Signpost, Option<Arc<dyn signpost::store::Store>>)> {
    let core = core(settings)?;
    Ok(match signpost::store::open(&settings.storage)? {
        Some(store) => (
            signpost::store::wire(core, &store, settings.storage.record_questions),
            Some(store),
        ),
        None => (core, None),
    })
}

/// Standard error for log lines, where a write that fails (the reader gone: `| head`, a closed
/// terminal or journal pipe) drops the line. tracing-subscriber reports a failed write with
/// `eprintln!`, which panics when stderr is the thing that failed; a service must go on
/// answering, and stop on SIGTERM with status 0, whoever reads its log.
struct QuietStderr;

impl std::io::Write for QuietStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(std::io::stderr().write(buf).unwrap_or(buf.len()))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

/// Colour in log lines only for a person at a terminal, and not when `NO_COLOR` is set
/// (no-color.org): journals and log files get plain text.
fn colour() -> bool {
    use std::io::IsTerminal as _;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Logs go to stderr so they never mix with replies on stdout. In the console only errors are
/// shown, so log lines do not interleave with the chat.
fn init_logging(settings: &Settings, console: bool) {
    let wanted = if console {
        "error"
    } else {
        settings.log.as_str()
    };
    let filter = tracing_subscriber::EnvFilter::try_new(signpost::runtime::log_filter(wanted))
        .unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(signpost::runtime::log_filter("info"))
        });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour())
        .with_writer(|| QuietStderr);
    let _ = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    for warning in &settings.warnings {
        tracing::warn!("settings: {warning}");
    }
}
