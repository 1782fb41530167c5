//! The operator's one-shot commands: `config`, `check`, `site`, `suggestions export`,
//! `local export`, `report`
//! and `links`.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use signpost::config::{self, Settings, Sources};
use signpost::index::Source;

use super::serve::store;

/// `signpost config`: every setting with its source, then whether they are valid together.
pub fn print_config(sources: &Sources) -> anyhow::Result<ExitCode> {
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

/// `signpost site OUT_DIR`: the site for the configured index, written to `out_dir`.
pub fn write_site(settings: &Settings, out_dir: &std::path::Path) -> anyhow::Result<ExitCode> {
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
pub fn export_suggestions(settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = store(settings)?;
    let accepted = store
        .suggestions(signpost::store::SuggestionStatus::Accepted, usize::MAX >> 1)
        .context("reading accepted suggestions")?;
    let mut out = std::io::stdout().lock();
    write!(out, "{}", signpost::suggestions::export::to_toml(&accepted))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost local export`: every community's own resources.
pub fn export_local(settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = store(settings)?;
    let entries = store
        .everything()
        .context("reading the communities' own resources")?;
    let mut out = std::io::stdout().lock();
    write!(out, "{}", signpost::suggestions::local::to_text(&entries))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost report`: the top misses and answers of the last `days` days.
pub fn report(settings: &Settings, days: u32) -> anyhow::Result<ExitCode> {
    let store = store(settings)?;
    let report = signpost::misses::report(store.as_ref(), days).context("reading the report")?;
    let mut out = std::io::stdout().lock();
    write!(out, "{report}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `signpost check`: whether the index at `source` is valid, and its warnings.
pub fn check(source: &Source) -> anyhow::Result<ExitCode> {
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
pub fn links(settings: &Settings, args: crate::LinksArgs) -> anyhow::Result<ExitCode> {
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

/// `signpost matrix registration`: the appservice registration file for the homeserver.
#[cfg(feature = "matrix")]
pub fn matrix_registration(settings: &Settings) -> anyhow::Result<ExitCode> {
    let appservice = settings.matrix_appservice.as_ref().context(
        "matrix.mode is not \"appservice\" (set matrix.mode, homeserver, user, as_token and \
         hs_token)",
    )?;
    let yaml = signpost::adapters::matrix::appservice::registration::to_yaml(appservice);
    let mut out = std::io::stdout().lock();
    out.write_all(yaml.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
