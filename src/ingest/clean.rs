//! Removes the characters that valid text may hold but a reader cannot say:
//! control codes, zero-width and direction marks, emoji, private-use
//! characters. They are dealt with here, once, so that the text stage never
//! sees them.

use std::ops::RangeInclusive;

/// What becomes of a character that must not reach the text stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// It goes, leaving nothing.
    Drop,
    /// It becomes a space.
    Space,
    /// It becomes a line break.
    LineBreak,
}

/// Characters that never reach the text stage, with what replaces them.
/// The ranges do not overlap; everything else is kept, including `\n`.
const RULES: &[(&str, RangeInclusive<char>, Fate)] = &[
    ("C0 control codes", '\0'..='\u{8}', Fate::Drop),
    ("tab", '\t'..='\t', Fate::Space),
    (
        "vertical tab, form feed, carriage return",
        '\u{b}'..='\r',
        Fate::LineBreak,
    ),
    ("C0 control codes", '\u{e}'..='\u{1f}', Fate::Drop),
    (
        "delete and C1 control codes",
        '\u{7f}'..='\u{9f}',
        Fate::Drop,
    ),
    ("soft hyphen", '\u{ad}'..='\u{ad}', Fate::Drop),
    (
        "Mongolian vowel separator",
        '\u{180e}'..='\u{180e}',
        Fate::Drop,
    ),
    (
        "zero-width and direction marks",
        '\u{200b}'..='\u{200f}',
        Fate::Drop,
    ),
    (
        "line and paragraph separators",
        '\u{2028}'..='\u{2029}',
        Fate::LineBreak,
    ),
    (
        "embedding and override marks",
        '\u{202a}'..='\u{202e}',
        Fate::Drop,
    ),
    (
        "word joiner and invisible operators",
        '\u{2060}'..='\u{206f}',
        Fate::Drop,
    ),
    ("combining keycap", '\u{20e3}'..='\u{20e3}', Fate::Drop),
    (
        "watch and hourglass emoji",
        '\u{231a}'..='\u{231b}',
        Fate::Drop,
    ),
    ("media control emoji", '\u{23e9}'..='\u{23fa}', Fate::Drop),
    ("symbols and dingbats", '\u{2600}'..='\u{27bf}', Fate::Drop),
    ("symbols and arrows", '\u{2b00}'..='\u{2bff}', Fate::Drop),
    ("private use", '\u{e000}'..='\u{f8ff}', Fate::Drop),
    ("variation selectors", '\u{fe00}'..='\u{fe0f}', Fate::Drop),
    (
        "zero-width no-break space",
        '\u{feff}'..='\u{feff}',
        Fate::Drop,
    ),
    (
        "annotation and object marks",
        '\u{fff9}'..='\u{fffc}',
        Fate::Drop,
    ),
    ("noncharacters", '\u{fffe}'..='\u{ffff}', Fate::Drop),
    (
        "emoji and pictographs",
        '\u{1f000}'..='\u{1faff}',
        Fate::Drop,
    ),
    ("tags", '\u{e0000}'..='\u{e007f}', Fate::Drop),
    ("variation selectors", '\u{e0100}'..='\u{e01ef}', Fate::Drop),
    (
        "supplementary private use",
        '\u{f0000}'..='\u{10ffff}',
        Fate::Drop,
    ),
];

fn fate(c: char) -> Option<Fate> {
    if c == '\n' || (' '..='~').contains(&c) {
        return None;
    }
    RULES
        .iter()
        .find(|(_, range, _)| range.contains(&c))
        .map(|&(_, _, fate)| fate)
}

/// The text without the characters a reader cannot say (see [`RULES`]).
pub fn unspeakable_removed(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        match fate(c) {
            None => clean.push(c),
            Some(Fate::Drop) => {}
            Some(Fate::Space) => clean.push(' '),
            Some(Fate::LineBreak) => clean.push('\n'),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspeakable_characters_are_removed() {
        let cases = [
            (
                "plain text stays",
                "会议指出，GDP 增长5.3%。",
                "会议指出，GDP 增长5.3%。",
            ),
            (
                "control codes go",
                "a\u{1}b\u{7}c\u{1b}d\u{7f}e\u{85}f",
                "abcdef",
            ),
            ("tab becomes a space", "a\tb", "a b"),
            (
                "form feed breaks a line",
                "page one\u{c}page two",
                "page one\npage two",
            ),
            ("zero-width space goes", "新华\u{200b}社", "新华社"),
            (
                "joiners and marks go",
                "a\u{200d}b\u{200e}c\u{2060}d\u{feff}e\u{ad}f",
                "abcdef",
            ),
            ("emoji go", "好消息👍🏽！🇨🇳 ok ☀️", "好消息！ ok "),
            ("emoji sequences go", "家庭👨‍👩‍👧，1️⃣", "家庭，1"),
            (
                "private use goes",
                "字\u{e000}\u{f8ff}\u{f0000}\u{10fffd}形",
                "字形",
            ),
            ("line separator breaks", "a\u{2028}b\u{2029}c", "a\nb\nc"),
            (
                "Chinese punctuation stays",
                "“三保”——《人民日报》…",
                "“三保”——《人民日报》…",
            ),
            ("rare Han stays", "𠀀鿏", "𠀀鿏"),
        ];
        for (label, input, expected) in cases {
            assert_eq!(unspeakable_removed(input), expected, "{label}");
        }
    }

    #[test]
    fn rules_do_not_overlap() {
        for (index, (name, range, _)) in RULES.iter().enumerate() {
            for (other, other_range, _) in &RULES[index + 1..] {
                assert!(
                    range.end() < other_range.start(),
                    "{name} and {other} overlap or are out of order"
                );
            }
        }
    }
}
