//! Characters that never reach a reply: control characters (terminal escapes, NUL) and Unicode's
//! format characters (general category Cf: bidi embeddings, overrides and isolates such as
//! U+202E and U+2066–U+2069, U+061C, the soft hyphen U+00AD, zero-width characters, tags).
//! Echoed back, format characters can reorder or hide what a reply shows, so the parser drops
//! them from input and every renderer drops them from output. The category comes from the
//! Unicode tables (the `unicode-properties` crate), not from a hand-kept list.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` is a control or format character (newlines included: callers keep those
/// where their format allows).
pub fn is_hidden(c: char) -> bool {
    // Most text is ASCII or Latin-1, and the category lookup is a search
    // of Unicode's tables, which renderers would otherwise pay for every character they write.
    if u32::from(c) < 0x100 {
        // Latin-1: its only format character is the soft hyphen.
        return c.is_control() || c == '\u{AD}';
    }
    c.is_control() || c.general_category() == GeneralCategory::Format
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bidi controls, the Arabic letter mark, the soft hyphen, zero-width characters and tags
    /// are hidden; letters, marks, spaces and emoji are not.
    #[test]
    fn format_characters_are_hidden() {
        for c in [
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{061C}',
            '\u{00AD}',
            '\u{200B}',
            '\u{200E}',
            '\u{FEFF}',
            '\u{E0041}',
            '\u{1B}',
            '\0',
        ] {
            assert!(is_hidden(c), "U+{:04X}", c as u32);
        }
        for c in ['a', 'é', '\u{0301}', ' ', '😀', 'ש', '中'] {
            assert!(!is_hidden(c), "U+{:04X}", c as u32);
        }
        // The Latin-1 shortcut agrees with the tables.
        for c in (0..=255u8).map(char::from) {
            let by_table = c.is_control() || c.general_category() == GeneralCategory::Format;
            assert_eq!(is_hidden(c), by_table, "U+{:04X}", c as u32);
        }
    }
}
