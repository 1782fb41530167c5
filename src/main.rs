//! The `signpost` command line: wiring only. What each command does is in [`cli`] (the binary's
//! own: starting the service, the operator's tools) and the library.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use signpost::config::{self, Sources};
use signpost::index::Source;
use signpost::render::Target;

mod cli;
use cli::{serve, tools};

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
        /// Send it as a message in a group chat, not addressed to the bot: only commands (and
        /// mistyped ones) are answered there, and anything else prints nothing.
        #[arg(long)]
        group: bool,
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
    /// Each community's own resources, added by its moderators with `!local add`.
    Local {
        #[command(subcommand)]
        action: LocalAction,
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
enum LocalAction {
    /// Print every community's entries, one per line: community, id, date, URL, title.
    Export,
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

/// The exit status for settings that cannot work (sysexits.h's EX_CONFIG), so a service manager
/// and the person reading its log can tell a configuration mistake from a crash.
const EX_CONFIG: u8 = 78;

fn main() -> ExitCode {
    serve::limit_malloc_arenas();
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
        return tools::print_config(&sources);
    }
    let mut settings = config::load(&sources)?;
    match cli.command.unwrap_or(Action::Run { only: Vec::new() }) {
        Action::Config => tools::print_config(&sources),
        Action::Check { data_dir } => {
            let source = match data_dir {
                Some(dir) => Source::Dir(dir),
                None => settings.index_source(),
            };
            tools::check(&source)
        }
        Action::Site { out_dir } => tools::write_site(&settings, &out_dir),
        Action::Suggestions {
            action: SuggestionsAction::Export,
        } => tools::export_suggestions(&settings),
        Action::Local {
            action: LocalAction::Export,
        } => tools::export_local(&settings),
        Action::Report { days } => tools::report(&settings, days),
        #[cfg(feature = "links")]
        Action::Links(args) => tools::links(&settings, args),
        #[cfg(feature = "matrix")]
        Action::Matrix {
            action: MatrixAction::Registration,
        } => tools::matrix_registration(&settings),
        Action::Ask {
            platform,
            json,
            group,
            message,
        } => serve::ask(&settings, platform.to_target(), json, !group, message),
        Action::Console => serve::console(&settings),
        Action::Run { only } => {
            if !only.is_empty() {
                settings.select_roles("--only", &only)?;
            }
            // Nothing configured means the console, which needs a person at a terminal. In a
            // container or a unit a forgotten secret would otherwise read end-of-file and exit
            // 0, which no restart policy notices.
            if settings.running().is_empty() && !std::io::stdin().is_terminal() {
                eprintln!(
                    "signpost: no platform is configured (`signpost config` shows the settings; deploy/README.md names the secrets each platform needs) and stdin is no terminal, so there is no console to start; `signpost console` reads stdin anyway"
                );
                return Ok(ExitCode::from(EX_CONFIG));
            }
            serve::run(settings)
        }
    }
}
