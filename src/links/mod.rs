//! `signpost links`: checks that every link in the index still answers, so a moved or dead page
//! is found by a maintainer rather than by someone who needed it.
//!
//! Each distinct URL is checked once ([`check`]: HEAD, GET when HEAD is refused, redirects
//! followed by hand so the final address can be reported), under per-host and global limits
//! ([`schedule`]) so the checker is a polite visitor. The results are joined back to the
//! resources that use each URL and grouped ([`report`]); [`data`] records the day a link was
//! found working as `last_verified` in `resources.toml`, editing only that line.
//!
//! What counts as dead and what only as unreachable is decided in [`check`]: dead when the
//! server itself answers that the page is missing or broken, or its redirects never end;
//! unreachable when no usable answer came back at all (timeout, refused connection, DNS or TLS
//! failure) or the server refused the checker (401, 403, 429, 503), which may be this machine's
//! problem or a passing one, not the link's.

pub mod check;
pub mod data;
pub mod progress;
pub mod report;
pub mod schedule;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use url::Url;

use crate::index::{Index, Status};
pub use check::{Checked, Dead, Unreachable, Verdict};
pub use report::{Entry, Group, Report};

/// What the checker says it is, in every request: a site owner who sees it in a log can tell
/// what visited and why.
pub const USER_AGENT: &str = concat!(
    "Signpost/",
    env!("CARGO_PKG_VERSION"),
    " (link checker for a resource index of social media guidance)"
);

/// Where the results are saved unless `--save` says otherwise, relative to the working
/// directory like the Matrix store (`state/matrix`).
pub const DEFAULT_SAVE: &str = "state/links.json";

/// How the checker behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long to wait for each answer (connection included).
    pub timeout: Duration,
    /// Requests at once to one host; two is what crawlers' etiquette allows a small site.
    pub per_host: usize,
    /// Requests at once in all.
    pub max_in_flight: usize,
    /// Redirects followed before a link counts as dead.
    pub max_redirects: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            timeout: Duration::from_secs(10),
            per_host: 2,
            max_in_flight: 16,
            max_redirects: 10,
        }
    }
}

/// Why the checker could not run or keep its results.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    /// The HTTP client could not be built (e.g. no TLS roots).
    #[error("cannot start the HTTP client")]
    Client(#[source] reqwest::Error),
    /// The results could not be written.
    #[error("{}: cannot save the link results", path.display())]
    Save {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `resources.toml` could not be read or written back.
    #[error("{}: cannot update last_verified", path.display())]
    DataFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `resources.toml` is not TOML that toml_edit can keep the layout of.
    #[error("{}: cannot update last_verified", path.display())]
    DataParse {
        /// The file.
        path: PathBuf,
        /// toml_edit's report, with line and column.
        #[source]
        source: toml_edit::TomlError,
    },
}

/// One resource's link, with what the report needs to know of the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The resource's id.
    pub resource: String,
    /// Its link.
    pub url: Url,
    /// Its status: a dead link on a current resource fails the run.
    pub status: Status,
    /// False when the index marks the link as a best guess (`url_confirmed = false`).
    pub confirmed: bool,
}

/// Every resource's link, in file order; resources without one have nothing to check.
pub fn links_of(index: &Index) -> Vec<Link> {
    index
        .resources
        .iter()
        .filter_map(|r| {
            Some(Link {
                resource: r.id.clone(),
                url: r.url.clone()?,
                status: r.status,
                confirmed: r.url_confirmed,
            })
        })
        .collect()
}

/// Checks every link, each distinct URL once, calling `on_each` as each URL's check ends (for a
/// progress bar), and groups the results.
pub async fn check_links(
    links: Vec<Link>,
    settings: &Settings,
    on_each: impl FnMut(&Checked),
) -> Result<Report, LinkError> {
    let started = std::time::Instant::now();
    let urls = distinct_urls(&links);
    let checked = check_urls(urls, settings, on_each).await?;
    Ok(Report::new(links, checked, started.elapsed()))
}

/// The URLs of `links`, each once (sorted): what [`check_links`] checks, and so how many times
/// it calls its `on_each`.
pub fn distinct_urls(links: &[Link]) -> Vec<Url> {
    let mut urls: Vec<Url> = links.iter().map(|l| l.url.clone()).collect();
    urls.sort();
    urls.dedup();
    urls
}

/// Checks each URL, all under the limits of `settings`; the results are in the order given.
pub async fn check_urls(
    urls: Vec<Url>,
    settings: &Settings,
    mut on_each: impl FnMut(&Checked),
) -> Result<Vec<Checked>, LinkError> {
    let client = check::client(settings)?;
    let scheduler = Arc::new(schedule::Scheduler::new(
        settings.per_host,
        settings.max_in_flight,
    ));
    let mut tasks = JoinSet::new();
    let count = urls.len();
    for (position, url) in urls.into_iter().enumerate() {
        let (client, scheduler, settings) = (client.clone(), scheduler.clone(), settings.clone());
        tasks.spawn(async move {
            let checked = check::check_url(&client, &scheduler, url, &settings).await;
            (position, checked)
        });
    }
    let mut results: Vec<Option<Checked>> = vec![None; count];
    while let Some(joined) = tasks.join_next().await {
        // A check never panics on a server's answer; if one does, that is a bug to see whole.
        let (position, checked) =
            joined.unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        on_each(&checked);
        results[position] = Some(checked);
    }
    Ok(results.into_iter().flatten().collect())
}
