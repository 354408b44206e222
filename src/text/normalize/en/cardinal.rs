//! Numbers left after the specific classes: ordinals, numbers with
//! thousands separators, decimals, and plain integers (four-digit ones read
//! as years, as they nearly always are in news).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{number_words, ordinal, regex, year_words};

/// 1st → first, 22nd → twenty-second, 101st → one hundred first.
pub fn ordinals(text: &str) -> String {
    static ORDINAL: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(\d{1,3}(?:,\d{3})*|\d+)(st|nd|rd|th|ST|ND|RD|TH)\b"));
    ORDINAL
        .replace_all(text, |c: &Captures| {
            ordinal(&en_cardinal(&c[1].replace(',', "")))
        })
        .into_owned()
}

/// 1,250 → one thousand two hundred fifty: a number written with
/// separators is a count, never a year.
pub fn thousands_separators(text: &str) -> String {
    static GROUPED: LazyLock<Regex> = LazyLock::new(|| regex(r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b"));
    GROUPED
        .replace_all(text, |c: &Captures| number_words(&c[0]))
        .into_owned()
}

/// 3.25 → three point two five, .5 → point five.
pub fn decimals(text: &str) -> String {
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[^\d.])(\d*)\.(\d+)\b"));
    DECIMAL
        .replace_all(text, |c: &Captures| {
            let said = if c[2].is_empty() {
                format!("point {}", super::super::numbers::en_digits(&c[3]))
            } else {
                number_words(&format!("{}.{}", &c[2], &c[3]))
            };
            format!("{}{said}", &c[1])
        })
        .into_owned()
}

/// Integers: four-digit numbers from 1100 to 2099 read as years (twenty
/// twenty-five, two thousand eight) unless round (1500, 2000), and from
/// 1000 after "in", "since" … (in 1066); others as cardinals.
pub fn cardinals(text: &str) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"\d+"));
    NUMBER
        .replace_all(text, |c: &Captures| {
            let digits = &c[0];
            match digits.parse::<u32>() {
                Ok(year @ 1100..=2099) if digits.len() == 4 && year % 100 != 0 => {
                    year_words(digits)
                }
                // Earlier years only where the words before make them one.
                Ok(1000..=1099)
                    if digits.len() == 4
                        && placed_in_time(&text[..c.get(0).map_or(0, |m| m.start())]) =>
                {
                    year_words(digits)
                }
                _ => en_cardinal(digits),
            }
        })
        .into_owned()
}

/// Whether the word before a number places it in time ("in", "since").
fn placed_in_time(before: &str) -> bool {
    const WORDS: &[&str] = &[
        "in", "since", "by", "until", "from", "year", "circa", "around",
    ];
    before
        .split_whitespace()
        .last()
        .is_some_and(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{cardinals, decimals, ordinals, thousands_separators};

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("ordinal", "the 1st and 3rd", "the first and third"),
                ("ordinal_large", "the 101st", "the one hundred first"),
                (
                    "separators",
                    "employs 1,250 people",
                    "employs one thousand two hundred fifty people",
                ),
                (
                    "separators_decimal",
                    "1,234.5",
                    "one thousand two hundred thirty-four point five",
                ),
                ("decimal", "3.25", "three point two five"),
                ("leading_point", "a .5 rise", "a point five rise"),
                ("year", "in 2025", "in twenty twenty-five"),
                ("year_2000s", "in 2008", "in two thousand eight"),
                (
                    "early_year",
                    "in 1066 and 1066 ships",
                    "in ten sixty-six and one thousand sixty-six ships",
                ),
                (
                    "round",
                    "2000 and 1500",
                    "two thousand and one thousand five hundred",
                ),
                (
                    "cardinal",
                    "42 and 999",
                    "forty-two and nine hundred ninety-nine",
                ),
                ("large", "12000000", "twelve million"),
            ],
            |t| cardinals(&decimals(&thousands_separators(&ordinals(t)))),
        );
    }
}
