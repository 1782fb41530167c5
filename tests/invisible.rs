//! Format characters (Unicode category Cf: bidi controls and isolates, the Arabic letter mark,
//! the soft hyphen, zero-width characters, tags) typed into any command never reach any
//! renderer's output, so an echoed argument can be neither reordered nor hidden.

use signpost::Incoming;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::support::{core, TARGETS};

/// Every format character in Unicode.
fn format_characters() -> Vec<char> {
    (0..=0x10FFFF_u32)
        .filter_map(char::from_u32)
        .filter(|c| c.general_category() == GeneralCategory::Format)
        .collect()
}

/// The only format character a reply may hold: the zero-width space the renderers put after
/// `@` to break a broadcast mention.
fn assert_no_format_characters(text: &str, input: &str) {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.general_category() == GeneralCategory::Format {
            let breaks_mention = *c == '\u{200B}' && i > 0 && chars[i - 1] == '@';
            assert!(
                breaks_mention,
                "U+{:04X} survived for input {input:?}: {text:?}",
                *c as u32
            );
        }
    }
}

/// No format character typed in a command's arguments, or in an unknown command's name,
/// survives into the text or payload of any platform.
#[test]
fn format_characters_never_reach_a_reply() {
    let hidden = format_characters();
    assert!(hidden.contains(&'\u{2066}') && hidden.contains(&'\u{00AD}'));
    let mut inputs = Vec::new();
    for c in &hidden {
        inputs.push(format!("!search nurse{c}evil{c}"));
        inputs.push(format!("!guidance {c}socail{c} worker"));
        inputs.push(format!("!frob{c}nicate"));
        inputs.push(format!("!resource \u{2067}{c}id\u{2069}"));
    }
    let mut answered = 0;
    for input in &inputs {
        for target in TARGETS {
            let Some(reply) = core().handle(&Incoming::new(input.as_str(), target.origin())) else {
                continue;
            };
            answered += 1;
            for text in target.to_texts(&reply) {
                assert_no_format_characters(&text, input);
            }
            for payload in target.to_payloads(&reply) {
                assert_no_format_characters(&payload.to_string(), input);
            }
        }
    }
    assert_eq!(
        answered,
        inputs.len() * TARGETS.len(),
        "every input is answered"
    );
}
