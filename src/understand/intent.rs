//! Picking what a question asks from what it mentions, by rules in a fixed order, so every
//! answer can be explained by the words that chose it:
//!
//! 1. danger or distress → abuse help (for the platform and harm named), whatever else was asked;
//! 2. a harm or abuse words, or a platform named with no other topic → abuse help for that
//!    platform, leading with the harm's first step;
//! 3. a profession → its guidance (with the nation named); a bare word several professions end
//!    in ("therapist") → the question of which;
//! 4. a topic word → its command (start, tips, articles, about, help, the guidance list);
//! 5. words that surely name a resource (a BM25-style confidence over titles, names and text) →
//!    that search;
//! 6. a request for something Signpost does not do, hello or thanks, or nothing recognisable →
//!    a short answer saying what it does, with no links.
//!
//! Every other rule that also applies becomes an alternative reading, offered as a command.

use super::find::{Found, Signals};
use super::lexicon::Topic;
use crate::command::abuse_help::harms::{self, Harm};
use crate::command::table::{by_name, ABUSE_HELP, GUIDANCE, SEARCH, START};
use crate::command::{Args, Command, COMMANDS};
use crate::index::phrases::Named;
use crate::index::Index;

/// What the menu answer is greeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// A hello.
    Greeting,
    /// A thank-you.
    Thanks,
    /// Nothing recognisable.
    NotUnderstood,
}

/// The best answer to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
// One reading is made per question and never copied in bulk, so boxing the command would only
// add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Answer {
    /// Answered exactly as this command would be.
    Command(Command),
    /// The short menu of what the bot can do.
    Menu(Menu),
}

/// A question's reading: the best answer, other readings, and whether the best was clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// What to answer.
    pub best: Answer,
    /// Other readings, as commands to offer.
    pub others: Vec<Command>,
    /// False when the words could mean something else (a typo close to two names, two
    /// professions, a bare word shared by several names).
    pub sure: bool,
    /// Whether danger words were found: the answer leads with the emergency lines.
    pub urgent: bool,
}

/// How surely the leftover words must name a resource ([`Index::search_confidence`]) for a
/// search to be a reading.
pub const SEARCH_CONFIDENCE: f32 = 0.4;

/// How surely the leftover words must name a resource for the search to come before a topic
/// word's command.
pub const SEARCH_OUTRIGHT: f32 = 0.75;

/// At most this many other readings are offered.
pub const MAX_OTHERS: usize = 3;

fn command(name: &str, args: Args) -> Option<Command> {
    by_name(name).map(|spec| Command { spec, args })
}

/// Every reading the rules give, best first, and whether the words were clear.
fn readings(index: &Index, signals: &Signals) -> (Vec<Command>, bool) {
    let mut readings: Vec<Command> = Vec::new();
    let mut sure = true;
    let platform = platform_words(index, signals);
    let urgent = is_urgent(signals);
    let harm = harm(signals);
    let professions: Vec<&Found> = signals
        .names
        .iter()
        .filter(|f| !matches!(f.named, Named::Platform(_)))
        .collect();
    // Topic words of commands other than the guidance list, in table order.
    let topics: Vec<&'static str> = COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|name| *name != GUIDANCE && signals.has(Topic::Command(name)))
        .collect();
    let topical = !topics.is_empty();
    // A request for something Signpost does not do ("book me a GP appointment") is answered
    // with what it does, never with the profession or search its other words happen to name.
    if signals.has(Topic::OutOfScope) && !urgent && harm.is_none() && !signals.has(Topic::Abuse) {
        return (Vec::new(), true);
    }
    let abuse = urgent
        || harm.is_some()
        || signals.has(Topic::Abuse)
        || (platform.is_some() && professions.is_empty() && !topical);
    if abuse {
        let words: Vec<&str> = platform
            .iter()
            .map(String::as_str)
            .chain(harm.map(|h| h.id))
            .collect();
        readings.extend(command(
            ABUSE_HELP,
            Args {
                platform: (!words.is_empty()).then(|| words.join(" ")),
                ..Args::default()
            },
        ));
        // A platform named alone may also be a question about starting out there.
        if !urgent && harm.is_none() && !signals.has(Topic::Abuse) {
            sure = false;
            readings.extend(command(START, Args::default()));
        }
    }
    for (n, found) in professions.iter().enumerate() {
        // A second profession, or a name the words could also mean, leaves the reading open.
        if n > 0 || found.others.iter().any(Option::is_some) {
            sure = false;
        }
        readings.extend(guidance(index, found.named, signals));
        if n == 0 {
            for other in found.others.iter().flatten() {
                readings.extend(guidance(index, *other, signals));
            }
        }
    }
    // A bare word that several professions end in ("therapist") is asked about, not guessed.
    if professions.is_empty() && readings.is_empty() {
        let which = signals
            .rest
            .iter()
            .find(|w| index.professions_ending_in(w).len() >= 2);
        if let Some(word) = which {
            readings.extend(command(
                GUIDANCE,
                Args {
                    profession: Some(word.clone()),
                    ..Args::default()
                },
            ));
        }
    }
    // Only a search that surely names something: a stray word never picks a link.
    let words = signals.rest.join(" ");
    let confidence = index.search_confidence(&words);
    let outright = confidence >= SEARCH_OUTRIGHT && index.search_names_outright(&words);
    let search = (confidence >= SEARCH_CONFIDENCE)
        .then(|| {
            command(
                SEARCH,
                Args {
                    words: Some(words),
                    ..Args::default()
                },
            )
        })
        .flatten();
    // A topic word says what is asked ("top tips … as a registered professional"), and the
    // other words may still find something, offered after it; unless they name one resource
    // outright ("sectioned twitter newbies" is a title).
    let (before, after) = if outright {
        (search, None)
    } else {
        (None, search)
    };
    readings.extend(before);
    for name in topics {
        if !readings.iter().any(|c| c.spec.name == name) {
            readings.extend(command(name, Args::default()));
        }
    }
    readings.extend(after);
    if signals.has(Topic::Command(GUIDANCE)) && readings.is_empty() {
        readings.extend(command(GUIDANCE, Args::default()));
    }
    (readings, sure)
}

/// Picks the reading of the signals found in a question.
pub fn decide(index: &Index, signals: &Signals) -> Reading {
    let urgent = is_urgent(signals);
    let (readings, mut sure) = readings(index, signals);
    let mut readings = readings.into_iter();
    let Some(best) = readings.next() else {
        let menu = if signals.has(Topic::Greeting) {
            Menu::Greeting
        } else if signals.has(Topic::Thanks) {
            Menu::Thanks
        } else {
            Menu::NotUnderstood
        };
        return Reading {
            best: Answer::Menu(menu),
            others: Vec::new(),
            sure: true,
            urgent: false,
        };
    };
    let mut others: Vec<Command> = Vec::new();
    for c in readings {
        if c != best && !others.contains(&c) && others.len() < MAX_OTHERS {
            others.push(c);
        }
    }
    // Readings that only add to an answer (a topic besides a profession) leave it sure; two
    // readings of the same kind (two professions, two searches) do not.
    if others.iter().any(|c| c.spec.name == best.spec.name) && !urgent {
        sure = false;
    }
    Reading {
        best: Answer::Command(best),
        others,
        sure,
        urgent,
    }
}

/// The harm the question names; of several, the one the harm table puts first ("threatening
/// to post nudes" is about intimate images before it is a threat).
fn harm(signals: &Signals) -> Option<&'static Harm> {
    harms::HARMS.iter().find(|h| signals.has(Topic::Harm(h.id)))
}

/// Whether the question speaks of danger or distress, in danger words or an urgent harm.
fn is_urgent(signals: &Signals) -> bool {
    signals.has(Topic::Danger) || harm(signals).is_some_and(|h| h.urgent)
}

/// The platform the question names: a known one by id, or another as typed.
fn platform_words(index: &Index, signals: &Signals) -> Option<String> {
    signals
        .names
        .iter()
        .find_map(|f| match f.named {
            Named::Platform(p) => Some(index.platforms[p].id.clone()),
            _ => None,
        })
        .or_else(|| signals.other_platform.clone())
}

/// Guidance for a profession (covered or not), with the nation named.
fn guidance(index: &Index, named: Named, signals: &Signals) -> Option<Command> {
    let id = match named {
        Named::Profession(p) => index.professions[p].id.clone(),
        Named::Uncovered(u) => index.uncovered[u].id.clone(),
        Named::Platform(_) => return None,
    };
    command(
        GUIDANCE,
        Args {
            profession: Some(id),
            nation: signals.nation,
            ..Args::default()
        },
    )
}
