//! The `signpost` command line: wiring only. Everything it runs lives in the library.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use signpost::adapters::Service;
use signpost::config::{self, LogFormat, Settings, Sources};
use signpost::index::Source;
use signpost::render::Target;
use signpost::{Incoming, Signpost};

/// mimalloc instead of glibc's malloc: a sync is thousands of small, short-lived allocations.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Signpost: social media guidance and abuse help for UK health and care professionals.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// A settings file read after config/default.toml and config/local.toml.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Action>,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Start every configured adapter; with none configured, the local console (the default).
    Run {
        /// Run only these configured adapters (discord, discord-http, slack, matrix), comma
        /// separated; overrides `bot.roles`.
        #[arg(long, value_delimiter = ',', value_name = "ADAPTERS")]
        only: Vec<String>,
    },
    /// Chat with the bot in this terminal.
    Console,
    /// Run one message through the bot and print the reply as a platform would get it.
    Ask {
        /// How to render the reply.
        #[arg(long, value_enum, default_value = "plain")]
        platform: Platform,
        /// Print the payloads the adapter would send, one JSON object per message per line.
        #[arg(long)]
        json: bool,
        /// The message, e.g. "!guidance nurse".
        message: String,
    },
    /// Print the effective settings, each with where it came from; secrets are redacted.
    Config,
    /// Validate a resource index folder (default: the configured data_dir, else the built-in
    /// index).
    Check {
        /// The folder to check.
        data_dir: Option<PathBuf>,
    },
    /// Write the site generated from the configured index (the pages the HTTP listener serves
    /// at `/`) into a folder, for any static web host.
    Site {
        /// The folder to write into (created if missing; other files in it are left alone).
        out_dir: PathBuf,
    },
    /// Links people suggested with `!suggest`.
    Suggestions {
        #[command(subcommand)]
        action: SuggestionsAction,
    },
    /// The questions that got no confident answer, and the answers given most, from the store.
    Report {
        /// How many days to cover, today included.
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
    /// Check every link in the index (the configured one, or --write-data's folder) and report
    /// ok / moved / dead / unreachable / unverified; exits 1 when a current resource's link is
    /// dead.
    #[cfg(feature = "links")]
    Links(LinksArgs),
    /// Matrix helpers.
    #[cfg(feature = "matrix")]
    Matrix {
        #[command(subcommand)]
        action: MatrixAction,
    },
}

#[cfg(feature = "matrix")]
#[derive(Debug, Subcommand)]
enum MatrixAction {
    /// Print the application-service registration YAML (matrix.mode = "appservice") to give
    /// the homeserver (Synapse: app_service_config_files). It holds both tokens.
    Registration,
}

#[derive(Debug, Subcommand)]
enum SuggestionsAction {
    /// Print accepted suggestions as `[[resource]]` entries to review into data/resources.toml.
    Export,
}

/// `signpost links` options.
#[cfg(feature = "links")]
#[derive(Debug, clap::Args)]
struct LinksArgs {
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Where to save the results as JSON.
    #[arg(long, value_name = "FILE", default_value = signpost::links::DEFAULT_SAVE)]
    save: PathBuf,
    /// Check the index in DIR and set last_verified to today in DIR/resources.toml for each
    /// confirmed link found ok (only that line changes).
    #[arg(long, value_name = "DIR")]
    write_data: Option<PathBuf>,
    /// Seconds to wait for each answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
    /// Requests at once to one host (host name and port).
    #[arg(long, value_name = "N", default_value_t = 2)]
    per_host: usize,
    /// Requests at once in all.
    #[arg(long, value_name = "N", default_value_t = 16)]
    max_in_flight: usize,
}

/// The renderers `ask --platform` offers: the CLI's names for the library's render targets.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Platform {
    /// Plain text, as the console shows it.
    Plain,
    /// Discord markdown and embeds.
    Discord,
    /// Slack mrkdwn and Block Kit.
    Slack,
    /// Matrix HTML with a plain body.
    Matrix,
}

impl Platform {
    fn to_target(self) -> Target {
        match self {
            Platform::Plain => Target::Plain,
            Platform::Discord => Target::Discord,
            Platform::Slack => Target::Slack,
            Platform::Matrix => Target::Matrix,
        }
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // Output piped into `head` or a closed terminal: the reader has what it wanted, so stop
        // quietly and successfully, as ripgrep and coreutils do.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("signpost: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let sources = Sources::standard(cli.config.as_deref());
    if matches!(cli.command, Some(Action::Config)) {
        return print_config(&sources);
    }
    let mut settings = config::load(&sources)?;
    match cli.command.unwrap_or(Action::Run { only: Vec::new() }) {
        Action::Config => print_config(&sources),
        Action::Check { data_dir } => {
            let source = match data_dir {
                Some(dir) => Source::Dir(dir),
                None => settings.index_source(),
            };
            check(&source)
        }
        Action::Site { out_dir } => write_site(&settings, &out_dir),
        Action::Suggestions {
            action: SuggestionsAction::Export,
        } => export_suggestions(&settings),
        Action::Report { days } => report(&settings, days),
        #[cfg(feature = "links")]
        Action::Links(args) => links(&settings, args),
        #[cfg(feature = "matrix")]
        Action::Matrix {
            action: MatrixAction::Registration,
        } => {
            let appservice = settings.matrix_appservice.as_ref().context(
                "matrix.mode is not \"appservice\" (set matrix.mode, homeserver, user, \
                 as_token and hs_token)",
            )?;
            let yaml = signpost::adapters::matrix::appservice::registration::to_yaml(appservice);
            let mut out = std::io::stdout().lock();
            out.write_all(yaml.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Ask {
            platform,
            json,
            message,
        } => {
            let core = core(&settings)?;
            let platform = platform.to_target();
            let incoming = Incoming::new(message, platform.origin());
            let mut out = std::io::stdout().lock();
            if let Some(reply) = core.handle(&incoming) {
                if json {
                    for payload in platform.to_payloads(&reply) {
                        writeln!(out, "{}", serde_json::to_string(&payload)?)?;
                    }
                } else {
                    writeln!(out, "{}", platform.to_texts(&reply).join("\n\n"))?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Console => {
            init_logging(&settings, true);
            let core = serving_core(&settings)?;
            let runtime = service_runtime(&settings)?;
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
        Action::Run { only } => {
            if !only.is_empty() {
                settings.select_roles("--only", &only)?;
            }
            // With no platform configured, `run` is the console: keep its screen free of logs.
            init_logging(&settings, settings.running().is_empty());
            let core = Arc::new(serving_core(&settings)?);
            let runtime = service_runtime(&settings)?;
            runtime.block_on(async {
                let mut service = Service::new(core, settings.limits);
                service.moderators = Arc::new(settings.moderators.clone());
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
    }
}

/// The runtime the console and the adapters run on, with `bot.workers` threads. Blocking work
/// (storage, reloads) gets its own threads, so even one worker never stalls behind it.
fn service_runtime(settings: &Settings) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = settings.workers {
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
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator tuning; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// `signpost config`: every setting with its source, then whether they are valid together.
fn print_config(sources: &Sources) -> anyhow::Result<ExitCode> {
    let entries = config::describe::describe(sources)?;
    let mut out = std::io::stdout().lock();
    let width = entries.iter().map(|e| e.key.len()).max().unwrap_or(0);
    for entry in &entries {
        writeln!(
            out,
            "{:width$} = {}    # {}",
            entry.key, entry.value, entry.source
        )?;
    }
    out.flush()?;
    match config::load(sources) {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("signpost: {e}");
            Ok(ExitCode::FAILURE)
        }
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
    Ok(Signpost::new(loaded.index, settings.prefix.clone()).with_cooldowns(settings.cooldowns))
}

/// `signpost site OUT_DIR`: the site for the configured index, written to `out_dir`.
fn write_site(settings: &Settings, out_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
    let source = settings.index_source();
    let loaded = source.load().with_context(|| format!("loading {source}"))?;
    let started = std::time::Instant::now();
    let options = signpost::site::Options {
        prefix: settings.prefix.clone(),
        generated: std::time::SystemTime::now(),
    };
    let site = signpost::site::build(&loaded.index, &options);
    let took = started.elapsed();
    site.write_to(out_dir)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}: {} files, {} bytes, generated in {} ms from {source}",
        out_dir.display(),
        site.files.len(),
        site.total_bytes(),
        took.as_millis()
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost suggestions export`: accepted suggestions as `[[resource]]` entries.
fn export_suggestions(settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = store(settings)?;
    let accepted = store
        .suggestions(signpost::store::SuggestionStatus::Accepted, usize::MAX >> 1)
        .context("reading accepted suggestions")?;
    let mut out = std::io::stdout().lock();
    write!(out, "{}", signpost::suggestions::export::to_toml(&accepted))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost report`: the top misses and answers of the last `days` days.
fn report(settings: &Settings, days: u32) -> anyhow::Result<ExitCode> {
    let store = store(settings)?;
    let report = signpost::misses::report(store.as_ref(), days).context("reading the report")?;
    let mut out = std::io::stdout().lock();
    write!(out, "{report}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The configured store, for the commands that need one.
fn store(settings: &Settings) -> anyhow::Result<Arc<dyn signpost::store::Store>> {
    signpost::store::open(&settings.storage)?
        .context("storage is off (storage.url = \"off\"): there is nothing to read")
}

/// The core with the configured store, for the commands that serve people (not `ask`, which
/// previews an answer and keeps nothing).
fn serving_core(settings: &Settings) -> anyhow::Result<Signpost> {
    let core = core(settings)?;
    Ok(match signpost::store::open(&settings.storage)? {
        Some(store) => core.with_store(store, settings.storage.record_questions),
        None => core,
    })
}

fn check(source: &Source) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match source.load() {
        Ok(loaded) => {
            for w in &loaded.warnings {
                writeln!(out, "warning: {w}")?;
            }
            let i = &loaded.index;
            writeln!(
                out,
                "{source}: ok — {} resources, {} professions, {} platforms, {} tips, {} warnings",
                i.resources.len(),
                i.professions.len(),
                i.platforms.len(),
                i.tips.len(),
                loaded.warnings.len()
            )?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{source}: {errors}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `signpost links`: check, save the results, stamp `last_verified` if asked, print the report.
#[cfg(feature = "links")]
fn links(settings: &Settings, args: LinksArgs) -> anyhow::Result<ExitCode> {
    use signpost::links;
    let source = match &args.write_data {
        Some(dir) => Source::Dir(dir.clone()),
        None => settings.index_source(),
    };
    let loaded = source.load().with_context(|| format!("loading {source}"))?;
    let timeout = std::time::Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .context("--timeout must be a number of seconds above 0")?;
    let link_settings = links::Settings {
        timeout,
        per_host: args.per_host,
        max_in_flight: args.max_in_flight,
        ..links::Settings::default()
    };
    let targets = links::links_of(&loaded.index);
    let bar = links::progress::bar(links::distinct_urls(&targets).len());
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let report = runtime.block_on(links::check_links(targets, &link_settings, |checked| {
        bar.set_message(checked.url.to_string());
        bar.inc(1);
    }))?;
    bar.finish_and_clear();
    report.save(&args.save)?;
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &args.write_data {
        let stamped = links::data::mark_verified(dir, &report.verified_ids(), report.checked_on)?;
        if !args.json {
            writeln!(
                out,
                "Set last_verified = \"{}\" on {stamped} resources in {}.",
                report.checked_on,
                dir.display()
            )?;
        }
    }
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.to_json())?)?;
    } else {
        write!(out, "{}", report.to_text())?;
    }
    out.flush()?;
    Ok(if report.dead_current().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
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
        .with_writer(std::io::stderr);
    let _ = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
