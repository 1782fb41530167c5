//! The progress bar `signpost links` draws on stderr while it works: only when both stdout and
//! stderr are terminals, so a piped report, a cron job's log or a test's output never carries
//! the bar's control sequences.

use std::io::IsTerminal as _;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting `len` addresses, hidden unless someone is watching a terminal.
pub fn bar(len: usize) -> ProgressBar {
    let watched = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    if !watched {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(len).unwrap_or(u64::MAX));
    // The template is fixed and known good; fall back to the default style if it ever is not.
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} checking links {bar:30} {pos}/{len} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}
