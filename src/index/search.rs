//! Free-text search over resources: a word index (titles, publishers, summaries, notes and
//! profession names) built once when the index loads, queried by whole words and prefixes.

use std::collections::HashMap;

use super::names::normalize;

/// One resource's weight for one word.
#[derive(Debug, Clone, Copy)]
struct Posting {
    resource: usize,
    weight: u16,
}

/// The words of a normalised query that carry meaning: stop words and empties left out.
fn query_words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
}

/// Each word once, in sorted order.
fn distinct<'a>(words: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut words: Vec<&str> = words.collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// What a word counts for when it only begins a resource's word (`mate` in `materials`).
const PREFIX_SHARE: f32 = 0.5;

/// How many resources at most may hold a word that names one outright.
pub const RARE: usize = 2;

/// What a word counts for in a name (a publisher, an author, a profession).
const NAME_SHARE: f32 = 0.8;

impl Posting {
    /// What a word counts for where it stands: all of it in a title, less in a name, less again
    /// in the text.
    fn field_share(self) -> f32 {
        match self.weight {
            w if w >= Field::Title.weight() => 1.0,
            w if w >= Field::Name.weight() => NAME_SHARE,
            _ => 0.6,
        }
    }
}

/// Words that carry no meaning in a search.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "for", "in", "of", "on", "the", "to", "with", "my", "is", "what", "how",
    "about",
];

/// A word index over resources: titles, publishers, summaries, notes and profession names.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<(String, Vec<Posting>)>,
    resources: usize,
    /// Resources that never outrank a live one matching as many words (superseded ones), so
    /// the version to follow is always listed before the one it replaced.
    demoted: Vec<bool>,
}

/// Where a word was found decides how much it counts.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// The resource's title.
    Title,
    /// Publisher or profession name.
    Name,
    /// Summary, note, kind.
    Text,
}

impl Field {
    fn weight(self) -> u16 {
        match self {
            Field::Title => 4,
            Field::Name => 3,
            Field::Text => 1,
        }
    }
}

/// Collects words before the index is sorted.
#[derive(Debug, Default)]
pub struct SearchIndexBuilder {
    words: HashMap<String, HashMap<usize, u16>>,
    demoted: Vec<usize>,
}

impl SearchIndexBuilder {
    /// Records the words of `text` for `resource`.
    pub fn add(&mut self, resource: usize, field: Field, text: &str) {
        for word in normalize(text).split(' ') {
            if word.is_empty() || STOP_WORDS.contains(&word) {
                continue;
            }
            let weight = self
                .words
                .entry(word.to_string())
                .or_default()
                .entry(resource)
                .or_insert(0);
            *weight = (*weight).max(field.weight());
        }
    }

    /// Ranks `resource` below every live resource matching as many words.
    pub fn demote(&mut self, resource: usize) {
        self.demoted.push(resource);
    }

    /// Sorts the words so prefixes can be found by binary search.
    pub fn build(self) -> SearchIndex {
        let mut words: Vec<(String, Vec<Posting>)> = self
            .words
            .into_iter()
            .map(|(word, postings)| {
                let mut postings: Vec<Posting> = postings
                    .into_iter()
                    .map(|(resource, weight)| Posting { resource, weight })
                    .collect();
                postings.sort_by_key(|p| p.resource);
                (word, postings)
            })
            .collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        let resources = words
            .iter()
            .flat_map(|(_, postings)| postings.iter().map(|p| p.resource + 1))
            .max()
            .unwrap_or(0);
        let mut demoted = vec![false; resources];
        for r in self.demoted {
            if let Some(slot) = demoted.get_mut(r) {
                *slot = true;
            }
        }
        SearchIndex {
            words,
            resources,
            demoted,
        }
    }
}

/// A search hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Index of the resource.
    pub resource: usize,
    /// How many query words it matched.
    pub matched: usize,
    /// Sum of the best weights of the words it matched.
    pub score: u32,
}

/// The best hits of a search and how many there were in all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hits {
    /// The best hits, best first.
    pub best: Vec<Hit>,
    /// How many resources matched.
    pub total: usize,
    /// How many distinct words the query had (stop words aside).
    pub terms: usize,
}

impl SearchIndex {
    /// Resources matching the query's words: the best `limit`, best first, and the total. Words of
    /// three letters or more also match as prefixes (`psych` finds psychologist and
    /// psychiatrist). When some resources match every word, only those count.
    ///
    /// Scores live in flat arrays indexed by resource, and only the best `limit` are sorted, so a
    /// common word matching thousands of resources stays cheap.
    pub fn search(&self, query: &str, limit: usize) -> Hits {
        let normalized = normalize(query);
        let terms = distinct(query_words(&normalized));
        let mut matched = vec![0u16; self.resources];
        let mut score = vec![0u32; self.resources];
        let mut term_weight = vec![0u16; self.resources];
        let mut touched: Vec<usize> = Vec::new();
        let mut term_touched: Vec<usize> = Vec::new();
        for term in &terms {
            for (_, postings) in self.matching_words(term) {
                for p in postings {
                    let w = &mut term_weight[p.resource];
                    if *w == 0 {
                        term_touched.push(p.resource);
                    }
                    *w = (*w).max(p.weight);
                }
            }
            for &r in &term_touched {
                if matched[r] == 0 {
                    touched.push(r);
                }
                matched[r] += 1;
                score[r] += u32::from(term_weight[r]);
                term_weight[r] = 0;
            }
            term_touched.clear();
        }
        let most = touched.iter().map(|&r| matched[r]).max().unwrap_or(0);
        let required = if usize::from(most) == terms.len() {
            most
        } else {
            1
        };
        let mut hits: Vec<Hit> = touched
            .into_iter()
            .filter(|&r| matched[r] >= required)
            .map(|r| Hit {
                resource: r,
                matched: usize::from(matched[r]),
                score: score[r],
            })
            .collect();
        let total = hits.len();
        let order = |a: &Hit, b: &Hit| {
            b.matched
                .cmp(&a.matched)
                .then(self.demoted[a.resource].cmp(&self.demoted[b.resource]))
                .then(b.score.cmp(&a.score))
                .then(a.resource.cmp(&b.resource))
        };
        if limit < hits.len() {
            if limit == 0 {
                hits.clear();
            } else {
                hits.select_nth_unstable_by(limit - 1, order);
                hits.truncate(limit);
            }
        }
        hits.sort_by(order);
        Hits {
            best: hits,
            total,
            terms: terms.len(),
        }
    }

    /// How surely the query names something in the index, from 0 to 1: the best resource's
    /// share of the query's weight, in the manner of BM25. Each word weighs its rarity (a word
    /// few resources have weighs more; one none has, most of all), and counts for a resource by
    /// where it stands there (a title most, then a name, then the text) and by whether it is
    /// the whole word or only begins one. So a rare name in a title ("kolmes") carries a question
    /// that also says "template", while "capital of france" or a stray "mate" that only begins
    /// "materials" carry nothing.
    pub fn confidence(&self, query: &str) -> f32 {
        let normalized = normalize(query);
        // "brown's" is normalised to "browns": the name is "brown".
        let terms = distinct(query_words(&normalized).map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && self.matching_words(w).next().is_none() => stem,
            _ => w,
        }));
        let n = self.resources.max(1) as f32;
        let mut mass = 0.0f32;
        let mut score = vec![0.0f32; self.resources];
        let mut share = vec![0.0f32; self.resources];
        // How many words each resource matched, and whether one was a whole word of its title
        // or a name: one word found only in passing text is no answer.
        let mut matched = vec![0u16; self.resources];
        let mut strong = vec![false; self.resources];
        let mut touched: Vec<usize> = Vec::new();
        for term in &terms {
            for (word, postings) in self.matching_words(term) {
                let whole = if word == term { 1.0 } else { PREFIX_SHARE };
                for p in postings {
                    let here = whole * p.field_share();
                    let slot = &mut share[p.resource];
                    if *slot == 0.0 {
                        touched.push(p.resource);
                    }
                    *slot = slot.max(here);
                }
            }
            // Rarer words weigh more; a word no resource has weighs most.
            let rarity = (1.0 + n / (touched.len().max(1) as f32)).ln();
            mass += rarity;
            for &r in &touched {
                score[r] += rarity * share[r];
                matched[r] += 1;
                strong[r] |= share[r] >= NAME_SHARE;
                share[r] = 0.0;
            }
            touched.clear();
        }
        for r in 0..self.resources {
            if matched[r] < 2 && !strong[r] {
                score[r] = 0.0;
            }
        }
        if mass == 0.0 {
            return 0.0;
        }
        score.into_iter().fold(0.0f32, f32::max) / mass
    }

    /// Whether a word of the query that at most [`RARE`] resources hold is a whole word of one's
    /// title or a name: the query names that resource outright ("sectioned"), not a topic.
    pub fn names_outright(&self, query: &str) -> bool {
        let normalized = normalize(query);
        let named = query_words(&normalized)
            .filter(|w| w.chars().count() >= 4)
            .any(|term| {
                let start = self.words.partition_point(|(w, _)| w.as_str() < term);
                self.words.get(start).is_some_and(|(w, postings)| {
                    w == term
                        && postings.len() <= RARE
                        && postings.iter().any(|p| p.field_share() >= NAME_SHARE)
                })
            });
        named
    }

    fn matching_words<'a>(
        &'a self,
        term: &'a str,
    ) -> impl Iterator<Item = &'a (String, Vec<Posting>)> {
        let start = self.words.partition_point(|(w, _)| w.as_str() < term);
        let prefix = term.chars().count() >= 3;
        self.words[start..].iter().take_while(move |(w, _)| {
            if prefix {
                w.starts_with(term)
            } else {
                w == term
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Search ranks title words above summary words and requires every word when possible.
    #[test]
    fn search_ranks_and_requires_all_words() {
        let mut b = SearchIndexBuilder::default();
        b.add(0, Field::Title, "Guidance on social media");
        b.add(0, Field::Text, "nurses and midwives");
        b.add(1, Field::Title, "Twitter for newbies");
        b.add(1, Field::Text, "social media tips");
        b.add(2, Field::Title, "Media law");
        let idx = b.build();
        let hits = idx.search("social media", 10);
        let order: Vec<usize> = hits.best.iter().map(|h| h.resource).collect();
        assert_eq!(order, vec![0, 1]);
        assert_eq!(hits.total, 2);
        let hits = idx.search("twit", 10);
        assert_eq!(hits.best[0].resource, 1);
        assert_eq!(idx.search("zzz", 10).total, 0);
        // A limit keeps the best and still counts them all; title matches beat text matches.
        let hits = idx.search("media", 2);
        assert_eq!(hits.total, 3);
        let order: Vec<usize> = hits.best.iter().map(|h| h.resource).collect();
        assert_eq!(order, vec![0, 2]);
    }

    /// A demoted (superseded) resource comes after a live one matching as many words, even
    /// when its own words weigh more.
    #[test]
    fn demoted_resources_rank_below_live_ones() {
        let mut b = SearchIndexBuilder::default();
        b.add(0, Field::Title, "Social media guidance");
        b.add(1, Field::Text, "social media guidance, revised");
        b.demote(0);
        let idx = b.build();
        let order: Vec<usize> = idx
            .search("social media", 10)
            .best
            .iter()
            .map(|h| h.resource)
            .collect();
        assert_eq!(order, vec![1, 0]);
    }

    /// Confidence is high for a rare name beside a word no resource has, nothing for words no
    /// resource has, and nothing for one word met only in passing text.
    #[test]
    fn confidence_weighs_rarity_and_place() {
        let mut b = SearchIndexBuilder::default();
        b.add(0, Field::Name, "Dr Keely Kolmes");
        b.add(0, Field::Title, "My private practice social media policy");
        b.add(1, Field::Title, "Social media guidance");
        b.add(1, Field::Text, "materials for nurses");
        b.add(2, Field::Title, "Social media policy for staff");
        let idx = b.build();
        let kolmes = idx.confidence("kolmes social media policy template");
        assert!(kolmes > 0.5, "{kolmes}");
        assert_eq!(idx.confidence("capital france"), 0.0);
        assert_eq!(idx.confidence("mate"), 0.0);
        assert_eq!(idx.confidence(""), 0.0);
        assert!(idx.confidence("kolmes's") > 0.5);
    }
}
