//! Hostile input is echoed harmlessly on every renderer: no mention fires, no markup or HTML is
//! injected, no link is spoofed, and huge or odd input gets a bounded answer.

use proptest::prelude::*;
use signpost::render::Target;
use signpost::{Incoming, Origin};

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
            // Code spans are our own command examples: nothing renders inside them.
            let text = outside_code_spans(text);
            // Every `<`, `[` and `]` that came from outside is backslash-escaped; the only bare
            // ones are our own masked links: `[title](<https://…>)`.
            let bytes: Vec<char> = text.chars().collect();
            for (i, c) in bytes.iter().enumerate() {
                let escaped = i > 0 && bytes[i - 1] == '\\';
                if *c == '<' && !escaped {
                    let rest: String = bytes[i + 1..].iter().take(8).collect();
                    assert!(
                        rest.starts_with("https://") || rest.starts_with("http://"),
                        "{target:?}: bare < before {rest:?} for {input:?}"
                    );
                }
            }
            // A bare `](` is a masked link: only ours, which always point at `<http…>`.
            for (i, _) in text.match_indices("](") {
                if !text[..i].ends_with('\\') {
                    let rest = &text[i + 2..];
                    assert!(
                        rest.starts_with("<http") && !rest.starts_with("<https://evil"),
                        "spoofed link for {input:?}"
                    );
                }
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

/// Discord text with its code spans removed; a backslash-escaped backtick opens no span.
fn outside_code_spans(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut previous = ' ';
    for c in text.chars() {
        if c == '`' && previous != '\\' {
            in_code = !in_code;
        } else if !in_code {
            out.push(c);
        }
        previous = c;
    }
    out
}

fn check_all_targets(input: &str) {
    for target in TARGETS {
        let message = Incoming::new(input, target.origin());
        if let Some(reply) = core().handle(&message) {
            for text in target.to_texts(&reply) {
                assert_harmless(target, &text, input);
            }
            for payload in target.to_payloads(&reply) {
                let json = payload.to_string();
                if target == Target::Discord {
                    assert!(json.contains(r#""allowed_mentions":{"parse":[]"#), "{json}");
                }
                if target == Target::Matrix {
                    assert!(
                        json.contains(r#""m.mentions":{}"#)
                            && json.contains(r#""msgtype":"m.notice""#),
                        "{json}"
                    );
                    let body = payload["body"].as_str().unwrap_or_default().to_lowercase();
                    assert!(
                        !BROADCASTS.iter().any(|b| body.contains(b)),
                        "plain body: {body}"
                    );
                }
            }
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

/// A 50 KB message gets a short, bounded answer, not an echo of the whole text.
#[test]
fn huge_message_is_bounded() {
    let huge = format!("!search {}", "@everyone nurse ".repeat(3_500));
    assert!(huge.len() > 50_000);
    check_all_targets(&huge);
    let reply = core()
        .handle(&Incoming::new(huge.as_str(), Origin::Discord))
        .expect("an answer");
    let text = Target::Discord.to_texts(&reply).join("");
    assert!(text.len() < 2_000, "answer is {} bytes", text.len());
    let huge_unknown = format!("!{}", "x".repeat(60_000));
    let reply = core()
        .handle(&Incoming::new(huge_unknown, Origin::Slack))
        .expect("an answer");
    assert!(Target::Slack.to_texts(&reply).join("").len() < 1_000);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Arbitrary text after any command never panics and never renders a live mention or tag.
    #[test]
    fn arbitrary_input_is_harmless(
        command in prop::sample::select(vec!["guidance", "search", "resource", "abuse-help", "help", "nope", "tips"]),
        rest in "(@everyone|@here|@room|<@1>|<!channel>|<b>|\\[x\\]\\(https://evil\\)|[ -~]|\\PC){0,40}",
    ) {
        check_all_targets(&format!("!{command} {rest}"));
    }

    /// Any message at all (not just commands) is handled without panicking.
    #[test]
    fn any_message_never_panics(text in "\\PC{0,200}", addressed in any::<bool>()) {
        let mut m = Incoming::new(text, Origin::Matrix);
        m.addressed = addressed;
        if let Some(reply) = core().handle(&m) {
            for t in TARGETS {
                prop_assert!(!t.to_texts(&reply).is_empty());
            }
        }
    }
}
