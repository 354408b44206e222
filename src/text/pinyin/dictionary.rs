//! The pinyin dictionaries: each Han character's most common reading, and
//! the phrases whose reading differs from their characters' (see
//! `data/pinyin/README.md`). Both are embedded and indexed on first use,
//! borrowing the embedded text, in a few tens of milliseconds.

use std::collections::HashMap;
use std::sync::LazyLock;

const CHARS: &str = include_str!("../../../data/pinyin/chars.txt");
const PHRASES: &str = include_str!("../../../data/pinyin/phrases.txt");

struct Dictionary {
    chars: HashMap<char, &'static str>,
    phrases: HashMap<&'static str, &'static str>,
}

static DICTIONARY: LazyLock<Dictionary> = LazyLock::new(|| Dictionary {
    chars: entries(CHARS)
        .filter_map(|(key, readings)| {
            let mut chars = key.chars();
            let c = chars.next()?;
            let first = readings.split_whitespace().next()?;
            chars.next().is_none().then_some((c, first))
        })
        .collect(),
    phrases: entries(PHRASES).collect(),
});

fn entries(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().filter_map(|line| {
        let (key, readings) = line.split_once(':')?;
        Some((key.trim(), readings.trim()))
    })
}

/// Loads the dictionaries now rather than at the first word.
pub fn load() {
    LazyLock::force(&DICTIONARY);
}

/// The longest phrase in the list, in characters.
const LONGEST_PHRASE: usize = 14;

/// A word's syllables, tone-numbered with ü as v, one per character. From
/// each position the longest listed phrase is read (so a word the list does
/// not hold still reads the phrases inside it: 城市更新 → 更新 geng1 xin1);
/// a character outside any phrase takes its most common reading, and one
/// with no reading is returned as it is.
pub fn syllables(word: &str) -> Vec<String> {
    let dictionary = &*DICTIONARY;
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(word.len()))
        .collect();
    let count = bounds.len() - 1;
    let mut syllables = Vec::with_capacity(count);
    let mut start = 0;
    while start < count {
        let phrase = (2..=LONGEST_PHRASE.min(count - start))
            .rev()
            .find_map(|len| {
                let reading = dictionary
                    .phrases
                    .get(&word[bounds[start]..bounds[start + len]])?;
                let readings: Vec<String> = reading.split_whitespace().map(numbered).collect();
                (readings.len() == len).then_some(readings)
            });
        if let Some(readings) = phrase {
            start += readings.len();
            syllables.extend(readings);
        } else {
            let c = word[bounds[start]..]
                .chars()
                .next()
                .expect("start is inside the word");
            syllables.push(
                dictionary
                    .chars
                    .get(&c)
                    .map_or_else(|| c.to_string(), |reading| numbered(reading)),
            );
            start += 1;
        }
    }
    syllables
}

/// Tone marks to a tone number (5 for the neutral tone), ü to v:
/// "lǜ" → "lv4", "de" → "de5".
pub fn numbered(syllable: &str) -> String {
    let mut tone = 5;
    let mut plain = String::with_capacity(syllable.len() + 1);
    for c in syllable.chars() {
        let (base, mark) = match c {
            'ā' => ('a', 1),
            'á' => ('a', 2),
            'ǎ' => ('a', 3),
            'à' => ('a', 4),
            'ē' => ('e', 1),
            'é' => ('e', 2),
            'ě' => ('e', 3),
            'è' => ('e', 4),
            'ī' => ('i', 1),
            'í' => ('i', 2),
            'ǐ' => ('i', 3),
            'ì' => ('i', 4),
            'ō' => ('o', 1),
            'ó' => ('o', 2),
            'ǒ' => ('o', 3),
            'ò' => ('o', 4),
            'ū' => ('u', 1),
            'ú' => ('u', 2),
            'ǔ' => ('u', 3),
            'ù' => ('u', 4),
            'ǖ' => ('v', 1),
            'ǘ' => ('v', 2),
            'ǚ' => ('v', 3),
            'ǜ' => ('v', 4),
            'ü' => ('v', 0),
            'ń' => ('n', 2),
            'ň' => ('n', 3),
            'ǹ' => ('n', 4),
            'ḿ' => ('m', 2),
            other => (other, 0),
        };
        if mark > 0 {
            tone = mark;
        }
        plain.push(base);
    }
    plain.push(char::from_digit(tone, 10).expect("tones are digits"));
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_marks_become_numbers() {
        let cases = [
            ("háng", "hang2"),
            ("lǜ", "lv4"),
            ("nǚ", "nv3"),
            ("de", "de5"),
            ("zhōng", "zhong1"),
            ("ǹ", "n4"),
        ];
        for (marked, expected) in cases {
            assert_eq!(numbered(marked), expected);
        }
    }

    #[test]
    fn phrases_win_over_characters() {
        assert_eq!(syllables("银行"), ["yin2", "hang2"]);
        assert_eq!(syllables("重庆"), ["chong2", "qing4"]);
        // Not a listed phrase: read character by character.
        assert_eq!(syllables("会议"), ["hui4", "yi4"]);
        assert_eq!(syllables("中A"), ["zhong1", "A"]);
        // Not listed whole, but phrases inside it are.
        assert_eq!(
            syllables("城市更新行动"),
            ["cheng2", "shi4", "geng1", "xin1", "xing2", "dong4"]
        );
    }
}
