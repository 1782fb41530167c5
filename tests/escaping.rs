//! Hostile input is echoed harmlessly on every renderer: no mention fires, no markup or HTML is
//! injected, no link is spoofed, and huge or odd input gets a bounded answer.

use proptest::prelude::*;
use signpost::command::parse::{MAX_ARGUMENT, MAX_ECHO};
use signpost::render::{discord, Target};
use signpost::reply::{Badge, Inline, Item, Line, Reply, Section, Tone, Visibility};
use signpost::{Incoming, Origin};
use url::Url;

use crate::render_limits::assert_within_limits;
use crate::support::{core, TARGETS};

const BROADCASTS: [&str; 4] = ["@everyone", "@here", "@room", "@channel"];

/// Checks one rendered message for anything that could ping, inject markup or spoof a link.
fn assert_harmless(target: Target, text: &str, input: &str) {
    // Error messages stay short even for huge input.
    let input: String = input.chars().take(80).collect();
    let lower = text.to_lowercase();
    for b in BROADCASTS {
        assert!(
            !lower.contains(b),
            "{target:?}: live {b} for input {input:?}:\n{text}"
        );
    }
    match target {
        Target::Plain => {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "control characters"
            );
        }
        Target::Discord => {
            // Every `<`, `[` and `]` that came from outside is backslash-escaped; the only bare
            // ones are our own masked links: `[title](<https://…>)`.
            let markup = discord_markup(text);
            for (i, _) in markup.match_indices('<') {
                let rest = &markup[i + 1..];
                assert!(
                    rest.starts_with("https://") || rest.starts_with("http://"),
                    "{target:?}: bare < before {rest:.8} for {input:?}"
                );
            }
            // A bare `](` is a masked link: only ours, which always point at `<http…>`.
            for (i, _) in markup.match_indices("](") {
                let rest = &markup[i + 2..];
                assert!(
                    rest.starts_with("<http") && !rest.starts_with("<https://evil"),
                    "spoofed link for {input:?}"
                );
            }
        }
        Target::Slack => {
            // In mrkdwn every `<` opens a link or mention, so each must be one of our links.
            for (i, _) in text.match_indices('<') {
                let rest = &text[i + 1..];
                assert!(
                    rest.starts_with("https://") || rest.starts_with("http://"),
                    "{target:?}: bare < for {input:?}: {rest:.20}"
                );
                assert!(!rest.starts_with("https://evil"), "spoofed link");
            }
        }
        Target::Matrix => {
            // Only our own tags: p, strong, em, code, br, a href.
            for (i, _) in text.match_indices('<') {
                let rest = &text[i + 1..];
                let ok = [
                    "p>",
                    "/p>",
                    "strong>",
                    "/strong>",
                    "em>",
                    "/em>",
                    "code>",
                    "/code>",
                    "br>",
                    "a href=\"http",
                    "/a>",
                ]
                .iter()
                .any(|t| rest.starts_with(t));
                assert!(ok, "{target:?}: foreign tag for {input:?}: {rest:.30}");
                assert!(!rest.starts_with("a href=\"https://evil"), "spoofed link");
            }
        }
    }
}

/// What Discord reads as markup in `text`: code spans (nothing renders inside them) and
/// backslash-escaped characters (shown as they are) are dropped. A backslash escapes the next
/// character, another backslash too, so `\\` then a backtick opens a span; inside a span a
/// backslash is literal.
fn discord_markup(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            _ if in_code => {}
            '\\' => {
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// Renders `reply` for `target` and checks every message: harmless text, payloads that cannot
/// ping (`allowed_mentions` parses nothing on Discord, `m.mentions` is empty on Matrix, no live
/// broadcast anywhere in the JSON), and each message within the platform's limits.
pub(crate) fn check_reply(target: Target, reply: &Reply, input: &str) {
    let texts = target.to_texts(reply);
    assert!(!texts.is_empty(), "{target:?}: at least one message");
    for text in &texts {
        assert_harmless(target, text, input);
    }
    for payload in target.to_payloads(reply) {
        let json = payload.to_string();
        let lower = json.to_lowercase();
        for b in BROADCASTS {
            assert!(!lower.contains(b), "{target:?}: live {b} in {json}");
        }
        if target == Target::Matrix {
            assert!(
                json.contains(r#""m.mentions":{}"#) && json.contains(r#""msgtype":"m.notice""#),
                "{json}"
            );
        }
    }
    if target == Target::Discord {
        for m in discord::to_messages(reply) {
            assert!(
                m.allowed_mentions.parse.is_empty() && !m.allowed_mentions.replied_user,
                "{:?}",
                m.allowed_mentions
            );
        }
    }
    assert_within_limits(target, reply);
}

/// Sends `input` (a command) from each target's platform, requires an answer, and checks it.
fn check_all_targets(input: &str) {
    for target in TARGETS {
        let reply = core()
            .handle(&Incoming::new(input, target.origin()))
            .unwrap_or_else(|| panic!("{target:?}: no answer to {input:?}"));
        check_reply(target, &reply, input);
    }
}

/// Like [`check_all_targets`], for any message, which may be chat that gets no answer (and may be
/// addressed to the bot, a mention or DM): whatever does come back is checked.
fn check_all_targets_addressed(input: &str, addressed: bool) {
    for target in TARGETS {
        let mut message = Incoming::new(input, target.origin());
        message.addressed = addressed;
        if let Some(reply) = core().handle(&message) {
            check_reply(target, &reply, input);
        }
    }
}

/// Mentions, markup, HTML and link spoofs typed by users come back inert on every platform.
#[test]
fn hostile_inputs_are_inert() {
    let inputs = [
        "!search @everyone",
        "!guidance @here please",
        "!guidance <@123456789012345678> <@&987654321>",
        "!resource <!channel>",
        "!search <!here|here> <@U123ABC>",
        "!abuse-help @room",
        "!guidance [click me](https://evil.example/phish)",
        "!search <https://evil.example|Official NMC guidance>",
        "!search <script>alert(1)</script>",
        "!guidance <a href=\"https://evil.example\">nurse</a>",
        "!search **bold** __under__ ~~strike~~ ||spoiler|| `code`",
        "!guidance # heading\n> quote\n- list",
        "!frobnicate @everyone",
        "!search \u{202E}evil\u{202C} \u{0007}bell \u{001B}[31mred",
        "!search 👩‍⚕️ نرس 护士 ñurse",
        "!guidance @EVERYONE",
    ];
    for input in inputs {
        check_all_targets(input);
    }
}

/// A 50 KB message gets the same one-message answer as a message just past the limit it
/// breaks, so the answer does not grow with the input: nothing beyond the limits is echoed.
#[test]
fn huge_message_is_bounded() {
    let answer = |text: &str, origin: Origin| {
        core()
            .handle(&Incoming::new(text, origin))
            .expect("an answer")
    };
    let words = "@everyone nurse ";
    let huge = format!("!search {}", words.repeat(3_500));
    assert!(huge.len() > 50_000);
    check_all_targets(&huge);
    let just_too_long = format!("!search {}", words.repeat(MAX_ARGUMENT / words.len() + 1));
    let reply = answer(&huge, Origin::Discord);
    assert_eq!(reply, answer(&just_too_long, Origin::Discord));
    assert_eq!(Target::Discord.to_texts(&reply).len(), 1);

    let huge_unknown = format!("!{}", "x".repeat(60_000));
    check_all_targets(&huge_unknown);
    let just_past_echo = format!("!{}", "x".repeat(MAX_ECHO + 1));
    let reply = answer(&huge_unknown, Origin::Slack);
    assert_eq!(reply, answer(&just_past_echo, Origin::Slack));
    assert_eq!(Target::Slack.to_texts(&reply).len(), 1);
}

/// Text with everything a hostile user or a careless curator might put in a field: broadcast
/// mentions, platform mention and link syntax, HTML, markdown, control characters, any Unicode.
const HOSTILE_TEXT: &str = "(@everyone|@here|@room|@channel|<@1>|<!channel>|<b>|</p>|\\[x\\]\\(https://evil\\)|`|\\*|_|~|\\||\\\\|\n# |\n> |&amp;|[\\x00-\\x1f]|[ -~]|\\PC){0,24}";

fn hostile_text() -> impl Strategy<Value = String> {
    prop::string::string_regex(HOSTILE_TEXT).expect("a valid pattern")
}

/// A link to a harmless host whose path holds characters that mean something in markup.
fn link_url() -> impl Strategy<Value = Url> {
    "[a-z0-9()<>|_*\\[\\]~-]{0,12}".prop_filter_map("a parsable URL", |path| {
        Url::parse(&format!("https://example.org/{path}")).ok()
    })
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        hostile_text().prop_map(Inline::Text),
        hostile_text().prop_map(Inline::Strong),
        hostile_text().prop_map(Inline::Code),
        (hostile_text(), link_url()).prop_map(|(text, url)| Inline::Link { text, url }),
    ]
}

fn lines(most: usize) -> impl Strategy<Value = Vec<Line>> {
    prop::collection::vec(prop::collection::vec(inline(), 0..4), 0..most)
}

fn item() -> impl Strategy<Value = Item> {
    let badge = prop::sample::select(vec![
        Badge::Current,
        Badge::Draft,
        Badge::Historic,
        Badge::Superseded,
        Badge::Unverified,
    ]);
    (
        hostile_text(),
        prop::option::of(link_url()),
        any::<bool>(),
        prop::option::of(badge),
        prop::collection::vec(hostile_text(), 0..3),
        lines(3),
    )
        .prop_map(|(title, url, url_unverified, badge, meta, details)| Item {
            title,
            url,
            url_unverified,
            badge,
            meta,
            details,
        })
}

/// A list of up to `runs` values, each repeated up to `most_copies` times.
fn copies_of<T: Clone + std::fmt::Debug>(
    value: impl Strategy<Value = T>,
    runs: std::ops::Range<usize>,
    most_copies: usize,
) -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec((value, 1..=most_copies), runs).prop_map(|runs| {
        runs.into_iter()
            .flat_map(|(value, copies)| std::iter::repeat_n(value, copies))
            .collect()
    })
}

/// Replies of every shape, from empty to several sections of many items: enough to make every
/// renderer split into several messages. Items come in runs of copies, since splitting depends
/// on sizes, and generating fewer distinct items keeps each case fast.
fn any_reply() -> impl Strategy<Value = Reply> {
    let items = copies_of(item(), 0..6, 25);
    let section =
        (prop::option::of(hostile_text()), lines(3), items).prop_map(|(heading, lines, items)| {
            Section {
                heading,
                lines,
                items,
            }
        });
    // Every reply the core makes has a title, which Slack needs for its notification text.
    let title = ("[A-Za-z]", hostile_text()).prop_map(|(first, rest)| first + rest.as_str());
    (
        title,
        lines(3),
        prop::collection::vec(section, 1..5),
        // Each note is a block of its own on Slack: enough of them fill a message.
        copies_of(prop::collection::vec(inline(), 0..4), 0..4, 30),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(title, intro, sections, notes, private, problem)| Reply {
            title,
            intro,
            sections,
            notes,
            visibility: if private {
                Visibility::Private
            } else {
                Visibility::Public
            },
            tone: if problem { Tone::Problem } else { Tone::Answer },
            ..Reply::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Arbitrary text after any command is answered harmlessly and within every platform's
    /// limits.
    #[test]
    fn arbitrary_input_is_harmless(
        command in prop::sample::select(vec!["guidance", "search", "resource", "abuse-help", "help", "nope", "tips"]),
        rest in "(@everyone|@here|@room|<@1>|<!channel>|<b>|\\[x\\]\\(https://evil\\)|[ -~]|\\PC){0,40}",
    ) {
        check_all_targets(&format!("!{command} {rest}"));
    }

    /// Any message at all (not just commands), addressed to the bot or not, from any platform,
    /// gets no answer or a harmless one within the platform's limits.
    #[test]
    fn any_message_is_harmless_and_bounded(text in "\\PC{0,200}", addressed in any::<bool>()) {
        check_all_targets_addressed(&text, addressed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// Every renderer turns any reply, hostile text in every field and long enough to split,
    /// into harmless messages within its platform's limits.
    #[test]
    fn any_reply_renders_harmless_and_bounded(reply in any_reply()) {
        for target in TARGETS {
            check_reply(target, &reply, "a generated reply");
        }
    }
}
