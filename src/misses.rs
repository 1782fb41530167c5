//! What people could not find: questions that got no confident answer, and the answers given,
//! counted per day in the store for `signpost report`, so maintainers see what to add.
//!
//! Only scrubbed words are counted, never who asked or where: the text is folded (NFKC, hidden
//! characters dropped, lowercase, single spaces) and every word that could identify someone is
//! removed: anything with a digit (phone numbers, ids, dates), an `@` (handles, emails, Matrix
//! ids), a `/` or `:` (links, room and user ids), or starting with `<`, `#` or `!` (mentions and
//! channel references), and anything shaped like a domain. What is left is short and ordinary.
//!
//! Counting costs a little text folding and a queued write ([`QuestionCounts::tally`]);
//! the answer never waits for the store.

use crate::records::{day_of, now, Report, StoreError, Tallied, Tally};
use crate::text::Clean;

/// What counting questions needs of storage. The store implements it; the runtime hands it to
/// the core ([`crate::bot::Signpost::with_question_counts`]).
pub trait QuestionCounts: Send + Sync + std::fmt::Debug {
    /// Counts one question or answer for today, without waiting: written with the others of
    /// the next few seconds, or dropped when the store is busy.
    fn tally(&self, tally: Tally);

    /// The most frequent misses and answers since `since_day` (a Unix day number), at most
    /// `limit` of each. May wait for the store, up to its timeout.
    fn report(&self, since_day: i64, limit: usize) -> Result<Report, StoreError>;

    /// Waits until every tally made before this call is written (on stopping, for `signpost
    /// report` after a run, and tests).
    fn flush(&self) -> Result<(), StoreError>;
}

/// At most this many words are kept of a question.
pub const MAX_WORDS: usize = 12;

/// Lines of each list `signpost report` prints.
pub const REPORT_LINES: usize = 20;

/// The report for the last `days` days (today included), ready to print.
pub fn report(store: &dyn QuestionCounts, days: u32) -> Result<Printed, StoreError> {
    let since = day_of(now()) - i64::from(days.max(1)) + 1;
    Ok(Printed {
        days: days.max(1),
        report: store.report(since, REPORT_LINES)?,
    })
}

/// A report as `signpost report` prints it.
#[derive(Debug, Clone)]
pub struct Printed {
    /// The days covered.
    pub days: u32,
    /// What the store counted.
    pub report: Report,
}

impl std::fmt::Display for Printed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days = self.days;
        let list = |f: &mut std::fmt::Formatter<'_>, title: &str, lines: &[Tallied]| {
            writeln!(f, "{title}, last {days} days:")?;
            if lines.is_empty() {
                writeln!(f, "  (none)")?;
            }
            for line in lines {
                writeln!(f, "{:>7}  {}", line.count, line.text)?;
            }
            Ok(())
        };
        list(f, "Asked without a confident answer", &self.report.misses)?;
        writeln!(f)?;
        list(f, "Answers given most", &self.report.answers)
    }
}

/// The question's words as counted, or `None` when nothing countable is left.
pub fn normalise(text: &Clean) -> Option<String> {
    let words: Vec<String> = text
        .split(' ')
        .filter(|word| !a_name(word))
        .map(str::to_lowercase)
        .filter(|word| !identifying(word))
        .map(|word| {
            word.trim_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Whether a word as written looks like someone's name: capitalised ("Sarah", "Jones"), and
/// not a word the bot knows (so "Where" and "Harassment" at the start of a question stay).
/// Acronyms such as "HCPC" are all capitals and stay too.
fn a_name(word: &str) -> bool {
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let mut chars = letters.chars();
    let titlecase = chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
    titlecase && {
        let folded = crate::index::words::fold(&letters.to_lowercase());
        !crate::understand::lexicon::is_known(&folded)
    }
}

/// Whether a word could identify a person, a channel or a message.
fn identifying(word: &str) -> bool {
    word.chars()
        .any(|c| c.is_numeric() || matches!(c, '@' | '/' | ':' | '\\' | '<' | '>' | '|'))
        || word.starts_with(['#', '!', '+', '&', '$', '%'])
        || looks_like_domain(word)
}

/// `example.org`, `www.x.co.uk`: letters on both sides of an inner dot.
fn looks_like_domain(word: &str) -> bool {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed.split('.').filter(|part| !part.is_empty()).count() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids, handles, emails, phone numbers and links are removed; case and spacing are folded.
    #[test]
    fn scrubs_what_identifies() {
        assert_eq!(
            normalise(&Clean::new("  Where is the   HCPC guidance?? ")).as_deref(),
            Some("where is the hcpc guidance")
        );
        let noisy = "<@123456789> @alice.smith ask bob@example.com or call 07700 900123 \
                     +44 20 7946 0958 see https://x.org/p example.org <#C024BE7LH> \
                     @bob:matrix.org !room:matrix.org U024BE7LH please";
        assert_eq!(
            normalise(&Clean::new(noisy)).as_deref(),
            Some("ask or call see please")
        );
        assert_eq!(normalise(&Clean::new("@someone 0123")), None);
    }

    /// Capitalised words the bot does not know (people's names) are removed; known words keep
    /// their place whatever their case, and acronyms stay.
    #[test]
    fn drops_names() {
        assert_eq!(
            normalise(&Clean::new(
                "My manager Sarah Jones posted about me on Twitter"
            ))
            .as_deref(),
            Some("my manager posted about me on")
        );
        assert_eq!(
            normalise(&Clean::new("Where is the HCPC guidance for Dentists")).as_deref(),
            Some("where is the hcpc guidance for")
        );
    }
}
