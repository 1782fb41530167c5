//! `signpost suggestions export`: accepted suggestions as `[[resource]]` entries for
//! `data/resources.toml`. What a suggestion cannot know (title, publisher, date, summary) is
//! left as a `TODO` placeholder, which `signpost check` refuses by field name until a reviewer
//! completes it; the suggester's note and the moderator's reason come along as comments.

use std::fmt::Write as _;

use crate::records::Suggestion;

/// The entries for `accepted`, each preceded by comments saying where it came from.
pub fn to_toml(accepted: &[Suggestion]) -> String {
    let mut out = String::new();
    if accepted.is_empty() {
        out.push_str("# No accepted suggestions.\n");
        return out;
    }
    out.push_str(
        "# Accepted suggestions, ready to review into data/resources.toml.\n\
         # Complete every TODO, then run `signpost check`.\n",
    );
    for s in accepted {
        let _ = entry(&mut out, s);
    }
    out
}

fn entry(out: &mut String, s: &Suggestion) -> std::fmt::Result {
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    writeln!(out)?;
    writeln!(
        out,
        "# Suggestion {} from {} on {}.",
        s.id,
        s.new.platform,
        date(s.new.at)
    )?;
    if !s.new.note.is_empty() {
        // Notes are one cleaned line (see `clean_text`), so a comment cannot end early.
        writeln!(out, "# Their note: {}", s.new.note)?;
    }
    if let Some(d) = s.decision.as_ref().filter(|d| !d.reason.is_empty()) {
        writeln!(out, "# Accepted because: {}", d.reason)?;
    }
    writeln!(out, "[[resource]]")?;
    writeln!(out, "id = {}", quoted(&format!("suggested-{}", s.id)))?;
    writeln!(out, "title = \"TODO: the page's own title\"")?;
    writeln!(out, "publisher = \"TODO: who publishes it\"")?;
    writeln!(
        out,
        "date = \"TODO\"  # the version's date: YYYY, YYYY-MM or YYYY-MM-DD"
    )?;
    writeln!(out, "url = {}", quoted(&s.new.url))?;
    writeln!(out, "url_confirmed = false")?;
    writeln!(
        out,
        "kind = \"guidance\"  # or getting-started, article, reporting, helpline, policy"
    )?;
    writeln!(out, "status = \"unverified\"")?;
    writeln!(out, "summary = \"TODO: one sentence on what it offers\"")
}

/// `YYYY-MM-DD` (UTC) of a time in Unix seconds.
pub fn date(seconds: i64) -> String {
    crate::calendar::CivilDate::from_days(seconds.div_euclid(86_400)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates come out in UTC.
    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_767_225_599), "2025-12-31");
    }
}
