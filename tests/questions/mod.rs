//! Plain-words questions addressed to the bot are answered as the matching command would answer
//! them, with the right thing first; chat in a group room stays unanswered.
//!
//! Expected links come from the reference facts, not from the bot's output.

use signpost::command::abuse_help::EMERGENCY;
use signpost::{Incoming, Origin, Reply};

mod answers;
mod off_topic;
mod professions;

use crate::support::{core, item_urls};

const NMC: &str = "https://www.nmc.org.uk/standards/guidance/social-media-guidance/read-social-media-guidance-online/";
const HCPC_2024: &str = "https://www.hcpc-uk.org/standards/meeting-our-standards/communication-and-using-social-media/guidance-on-use-of-social-media/";
const GMC_2024: &str = "https://www.gmc-uk.org/professional-standards/the-professional-standards/using-social-media-as-a-medical-professional/using-social-media-as-a-medical-professional";
const SWE: &str = "https://www.socialworkengland.org.uk/standards/professional-standards-guidance/";
const SSSC: &str =
    "https://myssscportal.microsoftcrmportals.com/knowledgebase/article/KA-01068/en-us";
const SCW: &str = "https://socialcare.wales/codes";
const NISCC: &str = "https://digitalskillssw.niscc.info/";
const X: &str = "https://help.x.com/en/safety-and-security/report-abusive-behavior";
const DISCORD: &str =
    "https://discord.com/safety/360044103651-reporting-abusive-behavior-to-discord";
const SLACK: &str = "https://slack.com/help/articles/22130526790291";
const MATRIX: &str = "https://matrix.org/legal/code-of-conduct/";
const KOLMES: &str = "https://drkkolmes.com/";
const BALICK: &str =
    "https://www.bacp.co.uk/bacp-journals/private-practice/spring-2017/ask-an-expert/";
const SECTIONED: &str = "https://sectioneduk.wordpress.com/2013/01/07/";
const MET_HARASSMENT: &str =
    "https://www.met.police.uk/advice/advice-and-information/har/harassment-on-social-media/";
const SAMARITANS: &str = "https://www.samaritans.org/how-we-can-help/contact-samaritan/";
/// The crisis line the facts and index give beside 999.
const SAMARITANS_PHONE: &str = "116 123";

/// What an answer must lead with.
#[derive(Debug, Clone, Copy)]
enum Lead {
    /// Its first link starts with this.
    Link(&'static str),
    /// Its title contains this.
    Title(&'static str),
    /// Its first section is headed with this.
    Heading(&'static str),
    /// Abuse help with the emergency lines at the very top, then this first link.
    Urgent(&'static str),
}

/// The reply to a message addressed to the bot from `origin`.
pub fn ask(text: &str, origin: Origin) -> Option<Reply> {
    let mut m = Incoming::new(text, origin);
    m.addressed = true;
    core().handle(&m)
}

/// Whether the first line of the reply's intro gives 999 and the crisis line.
fn urgent_first(reply: &Reply) -> bool {
    let first = reply
        .intro
        .first()
        .map(|l| format!("{l:?}"))
        .unwrap_or_default();
    first.contains(EMERGENCY) && first.contains(SAMARITANS_PHONE)
}

fn check(text: &str, origin: Origin, lead: Lead) -> Result<(), String> {
    let Some(r) = ask(text, origin) else {
        return Err(format!("{text:?}: no reply"));
    };
    let first_link = item_urls(&r).into_iter().next().unwrap_or_default();
    let heading = r
        .sections
        .first()
        .and_then(|s| s.heading.clone())
        .unwrap_or_default();
    let ok = match lead {
        Lead::Link(url) => first_link.starts_with(url),
        Lead::Title(t) => r.title.contains(t),
        Lead::Heading(h) => heading.starts_with(h),
        Lead::Urgent(url) => urgent_first(&r) && first_link.starts_with(url),
    };
    if ok && r.tone == signpost::reply::Tone::Answer {
        Ok(())
    } else {
        Err(format!(
            "{text:?} ({origin:?}): wanted {lead:?}, got {:?} / {heading:?} / {first_link} / {:?}",
            r.title, r.tone
        ))
    }
}

/// Over sixty questions in plain words (typos, lower case, no punctuation, British spelling,
/// every profession and nation, abuse on each platform and on unknown ones, danger, greetings,
/// meta and off-topic questions) each lead with the answer the reference facts call for.
#[test]
fn plain_words_questions_table() {
    use Lead::*;
    use Origin::*;
    let table: &[(&str, Origin, Lead)] = &[
        // Professions and nations.
        (
            "what does the NMC say about social media?",
            Console,
            Link(NMC),
        ),
        ("guidance for nurses", Console, Link(NMC)),
        ("im a student nurse", Console, Link(NMC)),
        (
            "I'm a midwife, what are the rules on facebook",
            Console,
            Link(NMC),
        ),
        (
            "nursing associate social media guidance",
            Console,
            Link(NMC),
        ),
        ("social work student", Console, Link(SWE)),
        ("social worker in wales", Console, Link(SCW)),
        ("social workers northern ireland", Console, Link(NISCC)),
        (
            "guidance for social workers in Scotland please",
            Console,
            Link(SSSC),
        ),
        ("sw england", Console, Link(SWE)),
        ("socail worker", Console, Link(SWE)),
        ("art therapists", Console, Link(HCPC_2024)),
        ("music therapist guidance", Console, Link(HCPC_2024)),
        ("dramatherapist", Console, Link(HCPC_2024)),
        ("psychologists", Console, Link(HCPC_2024)),
        (
            "counselling psychologist social media",
            Console,
            Link(HCPC_2024),
        ),
        ("psycologist", Console, Link(HCPC_2024)),
        ("occupational therapist", Console, Link(HCPC_2024)),
        ("I'm an OT, what are the rules", Console, Link(HCPC_2024)),
        ("GP trainee", Console, Link(GMC_2024)),
        ("what should a gp know", Console, Link(GMC_2024)),
        ("junior doctor twitter rules", Console, Link(GMC_2024)),
        ("psychiatrist", Console, Link(GMC_2024)),
        ("psychiatrsit guidance", Console, Link(GMC_2024)),
        ("physician associates", Console, Link(GMC_2024)),
        ("counsellor", Console, Title("Counsellor")),
        ("councellor social media", Console, Title("Counsellor")),
        ("psychotherapists", Console, Title("Psychotherapist")),
        (
            "CAT practitioner guidance",
            Console,
            Title("CAT practitioner"),
        ),
        (
            "what does the HCPC say about social media?",
            Console,
            Link(HCPC_2024),
        ),
        ("GMC guidance", Console, Link(GMC_2024)),
        // Professions the index does not cover.
        ("pharmacist", Console, Title("Pharmacist")),
        ("paramedic social media", Console, Link(HCPC_2024)),
        ("i am a dentist", Console, Title("not covered")),
        ("physiotherapists guidance", Console, Link(HCPC_2024)),
        // Abuse, on each platform and on unknown ones.
        (
            "someone is harassing me on twitter, what do I do",
            Console,
            Link(X),
        ),
        ("being trolled on discord", Console, Link(DISCORD)),
        ("harassment on slack", Console, Link(SLACK)),
        ("abuse in a matrix room", Console, Link(MATRIX)),
        ("im being bullied", Discord, Link(DISCORD)),
        (
            "someone keeps sending me nasty messages",
            Slack,
            Link(SLACK),
        ),
        ("people are trolling me", Matrix, Link(MATRIX)),
        ("hate speech on X", Console, Link(X)),
        (
            "bullied on facebook",
            Console,
            Heading("Report it on Facebook"),
        ),
        (
            "harassed on instagram",
            Discord,
            Heading("Report it on Instagram"),
        ),
        ("trolls on tiktok", Slack, Heading("Report it on TikTok")),
        (
            "harassed on telegram",
            Console,
            Heading("What to do on the platform"),
        ),
        ("someone is harrassing me", Console, Heading("Report it on")),
        // Danger and distress, on every platform.
        ("someone is threatening me", Console, Urgent("")),
        ("i feel unsafe", Discord, Urgent(DISCORD)),
        // Threats lead with the police, distress with Samaritans (the facts' first steps).
        (
            "he is stalking me on twitter",
            Slack,
            Urgent(MET_HARASSMENT),
        ),
        ("i want to kill myself", Matrix, Urgent(SAMARITANS)),
        ("self-harm", Console, Urgent("")),
        (
            "suicidal after all the abuse on facebook",
            Discord,
            Urgent(""),
        ),
        // Topics.
        (
            "how do I get started on social media",
            Console,
            Title("Getting started"),
        ),
        ("im new to twitter", Console, Title("Getting started")),
        ("top tips please", Console, Title("Top tips")),
        ("what should i post", Console, Title("Top tips")),
        ("any good articles", Console, Title("Articles")),
        ("something to read", Console, Title("Articles")),
        (
            "where does your information come from",
            Console,
            Title("About"),
        ),
        ("how up to date are you", Console, Title("About")),
        ("what can you do", Console, Title("Signpost commands")),
        // Named resources and authors.
        ("kolmes", Console, Link(KOLMES)),
        ("balick digital policy", Console, Link(BALICK)),
        ("sectioned twitter newbies", Console, Link(SECTIONED)),
        // Greetings, meta and off-topic.
        ("hello", Console, Title("Hello")),
        ("hi there", Discord, Title("Hello")),
        ("thanks!", Console, Title("welcome")),
        ("cheers", Slack, Title("welcome")),
        ("help", Console, Title("Signpost commands")),
        (
            "what's the weather like",
            Console,
            Title("what I can help with"),
        ),
        (
            "can you recommend medicine for a headache",
            Console,
            Title("what I can help with"),
        ),
        (
            "i need legal advice about my divorce",
            Console,
            Title("what I can help with"),
        ),
    ];
    assert!(table.len() >= 60);
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(text, origin, lead)| check(text, *origin, *lead).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Chat in a group room that is not addressed to the bot gets no reply, questions included.
#[test]
fn group_chat_stays_unanswered() {
    for text in [
        "what does the HCPC say about social media?",
        "someone is harassing me on twitter, what do I do",
        "hello",
        "thanks",
        "i feel unsafe walking home",
    ] {
        for origin in [Origin::Discord, Origin::Slack, Origin::Matrix] {
            assert!(
                core().handle(&Incoming::new(text, origin)).is_none(),
                "{text}"
            );
        }
    }
}

mod never_an_error {
    use proptest::prelude::*;
    use signpost::command::parse::clean;
    use signpost::reply::Tone;
    use signpost::Origin;

    use super::ask;

    /// Pieces odd messages are made of: words the bot knows, format and bidi controls,
    /// combining marks, emoji, punctuation and full-width forms.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z]{1,12}",
            "\\PC{1,8}",
            Just("harassing".to_string()),
            Just("twitter".to_string()),
            Just("social worker".to_string()),
            Just("\u{202E}".to_string()),
            Just("\u{2066}".to_string()),
            Just("\u{200D}".to_string()),
            Just("\u{FEFF}".to_string()),
            Just("e\u{0301}".to_string()),
            Just("🙂".to_string()),
            Just("？".to_string()),
            Just("ｎｕｒｓｅ".to_string()),
            Just(" ".to_string()),
        ]
    }

    fn message() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::collection::vec(piece(), 0..30).prop_map(|p| p.join(" ")),
            // Huge input: far past what the parser reads.
            (piece(), 500usize..3_000).prop_map(|(p, n)| format!("{p} ").repeat(n)),
        ]
    }

    fn origin() -> impl Strategy<Value = Origin> {
        prop_oneof![
            Just(Origin::Console),
            Just(Origin::Discord),
            Just(Origin::Slack),
            Just(Origin::Matrix),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(192))]

        /// No message addressed to the bot without the command prefix, however odd, gets an
        /// error-toned reply or makes the core panic. (A typed `!command` keeps its own problem
        /// replies, such as a missing argument.)
        #[test]
        fn addressed_messages_never_get_an_error(text in message(), origin in origin()) {
            prop_assume!(!clean(&text).starts_with('!'));
            if let Some(reply) = ask(&text, origin) {
                prop_assert_eq!(reply.tone, Tone::Answer, "{:?}: {}", text, reply.title);
            }
        }
    }
}

mod current_first {
    use signpost::render::Target;

    use crate::support::{index, TARGETS};

    /// Where `needle` first appears in the reply to `text` as `target` renders it.
    fn at(text: &str, target: Target, needle: &str) -> usize {
        let reply = super::ask(text, target.origin()).expect("a reply");
        let shown = target.to_texts(&reply).join("\n");
        shown
            .find(needle)
            .unwrap_or_else(|| panic!("{target:?}: {text:?} shows {needle}:\n{shown}"))
    }

    /// Each superseded resource in the index with its replacement's link and its own.
    fn pairs() -> Vec<(String, String, String)> {
        let index = index();
        index
            .resources
            .iter()
            .filter_map(|old| {
                let newer = &index.resources[old.superseded_by?];
                Some((
                    old.id.clone(),
                    old.url.as_ref()?.to_string(),
                    newer.url.as_ref()?.to_string(),
                ))
            })
            .collect()
    }

    /// On every renderer, the tips' sources, a search and a profession's whole guidance list
    /// the current HCPC guidance before the 2017 version it replaced.
    #[test]
    fn replacement_before_superseded_everywhere() {
        let (_, old, newer) = pairs()
            .into_iter()
            .find(|(id, _, _)| id.starts_with("hcpc"))
            .expect("the HCPC pair is in the index");
        for target in TARGETS {
            for text in [
                "!tips all",
                "!search hcpc social media",
                "!guidance psychologists all",
                "what does the hcpc say",
            ] {
                assert!(
                    at(text, target, &newer) < at(text, target, &old),
                    "{target:?}: {text:?} lists the superseded HCPC guidance first"
                );
            }
        }
    }

    /// A search for the words a superseded resource's id shares with its replacement's
    /// (`hcpc social media`) lists the replacement first, for every such pair in the index, on every renderer.
    #[test]
    fn search_ranks_current_above_superseded() {
        let index = index();
        let words = |t: &str| -> Vec<String> {
            signpost::index::normalize(t)
                .split(' ')
                .map(String::from)
                .collect()
        };
        let mut checked = 0;
        for (id, old, newer) in pairs() {
            let old_r = index.resource(&id).expect("listed");
            let newer_r = &index.resources[old_r.superseded_by.expect("superseded")];
            let newer_words = words(&newer_r.id);
            let shared: Vec<String> = words(&old_r.id)
                .into_iter()
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && newer_words.contains(w))
                .collect();
            if shared.is_empty() {
                continue;
            }
            checked += 1;
            for target in TARGETS {
                let text = format!("!search {}", shared.join(" "));
                assert!(
                    at(&text, target, &newer) < at(&text, target, &old),
                    "{target:?}: {text:?}"
                );
            }
        }
        assert!(checked > 0, "some pair shares title words");
    }

    /// The UK support section lists only live services: no superseded, historic or
    /// unconfirmed page, and no platform's own page, on every renderer. The superseded X page
    /// appears only in X's own section, after its replacement.
    #[test]
    fn uk_support_is_live_only() {
        let index = index();
        let reply =
            super::ask("!abuse-help twitter all", signpost::Origin::Console).expect("a reply");
        let support = reply
            .sections
            .iter()
            .find(|s| s.heading.as_deref() == Some("UK support and reporting"))
            .expect("a UK support section");
        for item in &support.items {
            assert_eq!(
                item.badge,
                Some(signpost::reply::Badge::Current),
                "{}",
                item.title
            );
        }
        for (_, old, newer) in pairs() {
            for target in TARGETS {
                let shown = target.to_texts(&reply).join("\n");
                let support_at = shown
                    .find("UK support and reporting")
                    .expect("heading shown");
                if let Some(old_at) = shown.find(&old) {
                    assert!(old_at < support_at, "{target:?}: {old} in UK support");
                    assert!(shown.find(&newer).expect("replacement shown") < old_at);
                }
            }
        }
        assert!(index.resources.iter().any(|r| r.superseded_by.is_some()));
    }

    /// Search results show each item's id as the `!resource` command that opens it, on every
    /// renderer.
    #[test]
    fn search_results_show_ids() {
        for target in TARGETS {
            let reply = super::ask("!search nmc", target.origin()).expect("a reply");
            let shown = target.to_texts(&reply).join("\n");
            assert!(
                shown.contains("resource nmc-social-media-guidance"),
                "{target:?}: {shown}"
            );
        }
    }
}

/// A covered profession is never second-guessed with one the index does not cover: "nurse"
/// offers no dentistry reading (from "dental nurse"), however the rest is typed.
#[test]
fn covered_professions_are_not_second_guessed_by_uncovered_ones() {
    for text in ["nurse guidence", "guidance for a nurse please", "nurse"] {
        let reply = ask(text, Origin::Console).expect("addressed questions are answered");
        let shown = signpost::render::plain::to_text(&reply).to_lowercase();
        assert!(shown.contains("nmc.org.uk"), "{text}: {shown}");
        assert!(!shown.contains("dentist"), "{text}: {shown}");
    }
}
