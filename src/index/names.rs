//! Names people type (professions, platforms) resolved despite typos, aliases and plurals.
//!
//! The table is built once when the index loads. Fuzzy matching compares letter histograms
//! before running `strsim`, which keeps a typo lookup cheap even with thousands of names.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Folds text to the form names are compared in: NFKC (so full-width letters match), lowercase,
/// separators (`-`, `_`, `/`, `.`) as spaces, other punctuation dropped, single spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | ',' | '+' | '&') {
            pending_space = true;
        }
        // Other punctuation (apostrophes, quotes, `?`, `!`) is dropped without a break, so
        // "doctors'" and "doctors" compare equal.
    }
    out
}

/// How a name lookup went.
#[derive(Debug, Clone, PartialEq)]
pub enum NameMatch {
    /// The query is a name or alias.
    Exact(usize),
    /// Not a name, but one target is clearly meant.
    Confident(usize),
    /// Several targets are close: ask which was meant (best first, at most
    /// [`MAX_CANDIDATES`]).
    Ambiguous(Vec<usize>),
    /// Nothing close.
    None,
}

/// A scored candidate for autocomplete and "did you mean".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Index of the target (a profession or platform).
    pub target: usize,
    /// 0.0–1.0, higher is closer.
    pub score: f64,
}

#[derive(Debug, Clone)]
struct Name {
    text: String,
    letters: [u8; 36],
    target: usize,
}

/// Names and aliases of a list of targets (professions or platforms), ready for matching.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    names: Vec<Name>,
    exact: HashMap<String, usize>,
}

/// At most this many targets are offered when a name is ambiguous: enough to hold the one
/// meant, few enough to read at a glance.
pub const MAX_CANDIDATES: usize = 3;
/// A fuzzy score at or above this picks a single target without asking.
const CONFIDENT: f64 = 0.78;
/// The best target must beat the next one by this much to be picked without asking.
const MARGIN: f64 = 0.04;
/// Below this a candidate is not worth suggesting.
const SUGGEST: f64 = 0.55;

fn histogram(text: &str) -> [u8; 36] {
    let mut h = [0u8; 36];
    for c in text.chars() {
        let slot = match c {
            'a'..='z' => c as usize - 'a' as usize,
            '0'..='9' => 26 + c as usize - '0' as usize,
            _ => continue,
        };
        h[slot] = h[slot].saturating_add(1);
    }
    h
}

fn shared_letters(a: &[u8; 36], b: &[u8; 36]) -> usize {
    a.iter().zip(b).map(|(x, y)| usize::from(*x.min(y))).sum()
}

impl NameTable {
    /// Adds a name for `target`. Returns the target already holding that name, if any.
    pub fn insert(&mut self, name: &str, target: usize) -> Option<usize> {
        let text = normalize(name);
        if text.is_empty() {
            return None;
        }
        match self.exact.get(&text) {
            Some(&owner) if owner != target => return Some(owner),
            Some(_) => return None,
            None => {}
        }
        self.exact.insert(text.clone(), target);
        self.names.push(Name {
            letters: histogram(&text),
            text,
            target,
        });
        None
    }

    /// The target whose name or alias this is, ignoring case, punctuation and a plural `s`.
    pub fn exact(&self, query: &str) -> Option<usize> {
        let q = normalize(query);
        self.exact_normalized(&q)
    }

    fn exact_normalized(&self, q: &str) -> Option<usize> {
        self.exact.get(q).copied().or_else(|| {
            q.strip_suffix('s')
                .and_then(|singular| self.exact.get(singular).copied())
        })
    }

    /// Every target scored against `query`, best first, at most `limit`, dropping weak ones.
    pub fn rank(&self, query: &str, limit: usize) -> Vec<Ranked> {
        let q = normalize(query);
        self.rank_normalized(&q, limit, SUGGEST)
    }

    fn rank_normalized(&self, q: &str, limit: usize, floor: f64) -> Vec<Ranked> {
        if q.is_empty() {
            return Vec::new();
        }
        let q_letters = histogram(q);
        let q_len = q.chars().count();
        let mut best: HashMap<usize, f64> = HashMap::new();
        for name in &self.names {
            let score = score(q, q_len, &q_letters, name);
            if score >= floor {
                let slot = best.entry(name.target).or_insert(0.0);
                if score > *slot {
                    *slot = score;
                }
            }
        }
        let mut ranked: Vec<Ranked> = best
            .into_iter()
            .map(|(target, score)| Ranked { target, score })
            .collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.target.cmp(&b.target))
        });
        ranked.truncate(limit);
        ranked
    }

    /// Decides what the query names: exactly, confidently, ambiguously or nothing.
    pub fn resolve(&self, query: &str) -> NameMatch {
        let q = normalize(query);
        if let Some(target) = self.exact_normalized(&q) {
            return NameMatch::Exact(target);
        }
        let ranked = self.rank_normalized(&q, MAX_CANDIDATES, SUGGEST);
        match ranked.as_slice() {
            [] => NameMatch::None,
            [only] if only.score >= CONFIDENT => NameMatch::Confident(only.target),
            [first, second, ..]
                if first.score >= CONFIDENT && first.score - second.score >= MARGIN =>
            {
                NameMatch::Confident(first.target)
            }
            _ => NameMatch::Ambiguous(ranked.iter().map(|r| r.target).collect()),
        }
    }
}

/// Scores one candidate name: prefixes rank high (for autocomplete and short forms), then edit
/// similarity for typos. The histogram check skips `strsim` for names that share too few letters.
fn score(q: &str, q_len: usize, q_letters: &[u8; 36], name: &Name) -> f64 {
    if name.text == q {
        return 1.0;
    }
    let n_len = name.text.chars().count();
    if q_len >= 2 && name.text.starts_with(q) {
        return 0.8 + 0.19 * (q_len as f64 / n_len as f64);
    }
    if q_len >= 3 && name.text.split(' ').any(|word| word.starts_with(q)) {
        return 0.7 + 0.1 * (q_len as f64 / n_len as f64);
    }
    let mut best = 0.0;
    let longest = q_len.max(n_len);
    if q_len >= 3 && shared_letters(q_letters, &name.letters) * 10 >= longest * 7 {
        best = similarity(q, q_len, &name.text, n_len);
    }
    // A typo in a partial name (`socail` while typing "social worker"): compare with the name's
    // start, a little below a whole-name match. Sharing the first letter keeps this cheap.
    if q_len >= 4 && q_len < n_len && q.chars().next() == name.text.chars().next() {
        let head: String = name.text.chars().take(q_len).collect();
        best = f64::max(best, 0.9 * similarity(q, q_len, &head, q_len));
    }
    best
}

/// 1.0 for equal strings, falling by the share of edits (insertions, deletions, substitutions and
/// swaps of neighbours) needed. Optimal string alignment rather than full Damerau-Levenshtein:
/// it counts the same typos and needs no per-call alphabet table.
fn similarity(a: &str, a_len: usize, b: &str, b_len: usize) -> f64 {
    let longest = a_len.max(b_len);
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::osa_distance(a, b) as f64 / longest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> NameTable {
        let mut t = NameTable::default();
        for (i, names) in [
            &["social worker", "sw", "social work"][..],
            &["nurse", "rmn"],
            &["nursing associate"],
            &["psychiatrist"],
            &["psychologist", "practitioner psychologist"],
            &["psychotherapist"],
        ]
        .iter()
        .enumerate()
        {
            for n in *names {
                assert_eq!(t.insert(n, i), None);
            }
        }
        t
    }

    /// Normalising folds case, full-width letters, separators and stray punctuation.
    #[test]
    fn normalize_folds_forms() {
        assert_eq!(normalize("  Social-Worker!! "), "social worker");
        assert_eq!(normalize("ＮＵＲＳＥ"), "nurse");
        assert_eq!(normalize("doctors'"), "doctors");
        assert_eq!(normalize("a_b/c.d"), "a b c d");
    }

    /// Exact names, aliases and plurals resolve without fuzzing.
    #[test]
    fn exact_and_plural() {
        let t = table();
        assert_eq!(t.resolve("SW"), NameMatch::Exact(0));
        assert_eq!(t.resolve("nurses"), NameMatch::Exact(1));
        assert_eq!(t.resolve("Social_Worker"), NameMatch::Exact(0));
    }

    /// A transposition typo is confidently corrected.
    #[test]
    fn typo_is_confident() {
        assert_eq!(table().resolve("socail worker"), NameMatch::Confident(0));
        assert_eq!(table().resolve("psychiatrsit"), NameMatch::Confident(3));
    }

    /// A prefix shared by several names asks which one was meant.
    #[test]
    fn shared_prefix_is_ambiguous() {
        match table().resolve("psych") {
            NameMatch::Ambiguous(c) => {
                assert_eq!(c.len(), 3);
                assert!(c.contains(&3) && c.contains(&4) && c.contains(&5));
            }
            other => panic!("expected ambiguous, got {other:?}"),
        }
    }

    /// Gibberish matches nothing.
    #[test]
    fn gibberish_is_none() {
        assert_eq!(table().resolve("qqqqzzzz"), NameMatch::None);
    }

    /// A duplicate name for another target is reported, not silently overwritten.
    #[test]
    fn duplicate_name_reports_owner() {
        let mut t = table();
        assert_eq!(t.insert("SW", 3), Some(0));
    }
}
