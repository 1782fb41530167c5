//! The harms abuse help knows, and the first step for each.
//!
//! Someone being abused online first needs the step for what is happening to them, not a list
//! of every service: intimate images go to the Revenge Porn Helpline, threats to the police, a
//! fake account to the platform's own impersonation route, a scam or a hacked account to Report
//! Fraud, distress to Samaritans. Each harm names the index resources of its first step (the
//! first that the index holds and that is current is shown) and the words people use for it,
//! which the question reader ([`crate::understand`]) and the command's own argument both read.

use std::sync::OnceLock;

use crate::index::words::{closest, fold};

/// One harm and its first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Harm {
    /// Its id, typed as a command argument (`!abuse-help facebook fake-account`).
    pub id: &'static str,
    /// What it is, as a heading.
    pub name: &'static str,
    /// Words and phrases people use for it, as typed; folded when read.
    pub words: &'static [&'static str],
    /// Index ids of the services for its first step, in order; those missing or not current
    /// are left out.
    pub first: &'static [&'static str],
    /// Whether the platform's own impersonation route comes first.
    pub impersonation: bool,
    /// Whether it is danger: a question naming it is answered with abuse help whatever else it
    /// asks.
    pub urgent: bool,
    /// The two or three lines of what to do, in order.
    pub steps: &'static [&'static str],
}

/// Intimate images shared or threatened.
pub const INTIMATE_IMAGES: &str = "intimate-images";
/// Threats, stalking, someone posting your address.
pub const THREATS: &str = "threats";
/// Impersonation or a fake account.
pub const FAKE_ACCOUNT: &str = "fake-account";
/// Fraud, scams, a hacked account.
pub const FRAUD: &str = "fraud";
/// Distress.
pub const DISTRESS: &str = "distress";

/// Every harm, in the order the site and the help list them.
pub const HARMS: &[Harm] = &[
    Harm {
        id: INTIMATE_IMAGES,
        name: "Intimate images shared or threatened",
        words: &[
            "intimate-images",
            "intimate image",
            "intimate images",
            "intimate photo",
            "intimate photos",
            "intimate pictures",
            "intimate video",
            "nude",
            "nudes",
            "naked",
            "revenge porn",
            "sextortion",
            "sexual images",
            "sexual photos",
            "explicit images",
            "explicit photos",
            "explicit pictures",
            "private photos",
            "private pictures",
            "deepfake",
            "deepfakes",
        ],
        first: &["revenge-porn-helpline", "police-intimate-image-abuse"],
        impersonation: false,
        urgent: true,
        steps: &[
            "Save what you can first (screenshots, links, usernames, dates); the helpline can then help get the images taken down.",
            "Sharing intimate images without consent, or threatening to, is a crime: police on 101, or 999 if you are in danger.",
        ],
    },
    Harm {
        id: THREATS,
        name: "Threats, stalking or your address posted",
        words: &[
            "threats",
            "threat",
            "threatened",
            "threatening",
            "stalking",
            "stalker",
            "stalked",
            "doxxed",
            "doxxing",
            "doxed",
            "my address",
            "home address",
            "where i live",
            "hate crime",
            "racist abuse",
            "homophobic abuse",
            "transphobic abuse",
        ],
        first: &[
            "police-harassment-social-media",
            "true-vision-hate-crime",
            "victim-support",
        ],
        impersonation: false,
        urgent: true,
        steps: &[
            "In danger now, call 999. Otherwise report it to the police on 101 or online, with screenshots and links.",
            "Abuse aimed at who you are (race, religion, disability, sexuality, gender identity) is a hate crime: report it too.",
        ],
    },
    Harm {
        id: FAKE_ACCOUNT,
        name: "A fake account or someone impersonating you",
        words: &[
            "fake-account",
            "fake account",
            "fake accounts",
            "fake profile",
            "fake page",
            "impersonate",
            "impersonating",
            "impersonation",
            "impersonator",
            "pretending to be me",
            "posing as me",
            "using my photos",
            "using my name",
            "cloned account",
            "cloned profile",
            "catfish",
            "catfished",
        ],
        first: &[],
        impersonation: true,
        urgent: false,
        steps: &[
            "Report the account as impersonation from its profile: the platform's own route is below.",
            "If it uses your professional name, tell your employer and your regulator or professional body.",
        ],
    },
    Harm {
        id: FRAUD,
        name: "A scam, fraud or a hacked account",
        words: &[
            "fraud",
            "scam",
            "scams",
            "scammed",
            "scammer",
            "hacked",
            "hacker",
            "hijacked",
            "phishing",
            "locked out",
            "account stolen",
            "stolen account",
            "took over my account",
        ],
        first: &["report-fraud", "action-fraud"],
        impersonation: false,
        urgent: false,
        steps: &[
            "Secure the account now: change the password, turn on two-step verification and warn your contacts.",
            "In Scotland, report fraud to Police Scotland on 101.",
        ],
    },
    Harm {
        id: DISTRESS,
        name: "Feeling unable to cope",
        words: &[
            "distress",
            "suicide",
            "suicidal",
            "kill myself",
            "killing myself",
            "end my life",
            "end it all",
            "self harm",
            "selfharm",
            "self harming",
            "harm myself",
            "hurt myself",
            "want to die",
            "cant cope",
            "can't cope",
            "cannot cope",
            "not coping",
            "overwhelmed",
        ],
        first: &["samaritans"],
        impersonation: false,
        urgent: true,
        steps: &[
            "Samaritans listen any time, day or night, free on 116 123: you do not have to be suicidal to call.",
            "If you might act on thoughts of harming yourself, call 999 or go to A&E now.",
        ],
    },
];

/// The harm with id `id`.
pub fn by_id(id: &str) -> Option<&'static Harm> {
    HARMS.iter().find(|h| h.id == id)
}

/// Splits text into folded words the way harm phrases are split, so both sides agree.
fn folded(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .collect()
}

/// Each harm's phrases, folded and padded with spaces, and the single long words a typo may
/// reach, sorted for [`closest`].
struct Table {
    phrases: Vec<(String, &'static Harm)>,
    vocabulary: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut phrases = Vec::new();
        let mut vocabulary = Vec::new();
        for harm in HARMS {
            for phrase in harm.words {
                let words = folded(phrase);
                if let [word] = words.as_slice() {
                    if word.chars().count() >= TYPO_LENGTH {
                        vocabulary.push(word.clone());
                    }
                }
                phrases.push((format!(" {} ", words.join(" ")), harm));
            }
        }
        vocabulary.sort();
        vocabulary.dedup();
        Table {
            phrases,
            vocabulary,
        }
    })
}

/// The shortest word read through a typo: shorter ones are too often other words.
const TYPO_LENGTH: usize = 6;

/// The harm `text` names, if one: its id or any of its words, as a phrase among the words, or a
/// single long word a typo away ("impersonaton").
pub fn find(text: &str) -> Option<&'static Harm> {
    let words = folded(text);
    let joined = format!(" {} ", words.join(" "));
    let table = table();
    if let Some((_, harm)) = table
        .phrases
        .iter()
        .find(|(p, _)| joined.contains(p.as_str()))
    {
        return Some(harm);
    }
    for word in words.iter().filter(|w| w.chars().count() >= TYPO_LENGTH) {
        if let [only] = closest(word, &table.vocabulary, 2).as_slice() {
            return table
                .phrases
                .iter()
                .find(|(p, _)| p.trim() == *only)
                .map(|(_, harm)| *harm);
        }
    }
    None
}

/// The words of `text` that name no harm: what is left to read as a platform.
pub fn without_harm(text: &str, harm: &Harm) -> String {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    // Each word folded once; a phrase is matched against the folded words from a position on.
    let folded_words: Vec<String> = words.iter().map(|w| folded(w).join(" ")).collect();
    let phrases: Vec<Vec<String>> = harm.words.iter().map(|p| folded(p)).collect();
    let mut kept = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let here = &folded_words[at..];
        let taken = phrases
            .iter()
            .filter(|p| p.len() <= here.len() && p.iter().zip(here).all(|(a, b)| a == b))
            .map(Vec::len)
            .max()
            .or_else(|| {
                let w = &here[0];
                (w.chars().count() >= TYPO_LENGTH && !closest(w, &table().vocabulary, 2).is_empty())
                    .then_some(1)
            });
        match taken {
            Some(n) => at += n,
            None => {
                kept.push(words[at]);
                at += 1;
            }
        }
    }
    kept.join(" ")
}
