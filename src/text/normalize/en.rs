//! English normalization rules, applied in table order.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numbers::{en_cardinal, en_digits};
use super::Rule;

/// The English rules, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        name: "thousands_separators",
        apply: thousands_separators,
    },
    Rule {
        name: "times",
        apply: times,
    },
    Rule {
        name: "money",
        apply: money,
    },
    Rule {
        name: "percentages",
        apply: percentages,
    },
    Rule {
        name: "ordinals",
        apply: ordinals,
    },
    Rule {
        name: "decimals",
        apply: decimals,
    },
    Rule {
        name: "cardinals",
        apply: cardinals,
    },
    Rule {
        name: "symbols",
        apply: symbols,
    },
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("normalization patterns are valid")
}

/// 1,204,000 → 1204000.
fn thousands_separators(text: &str) -> String {
    static GROUPED: LazyLock<Regex> = LazyLock::new(|| regex(r"\b\d{1,3}(,\d{3})+\b"));
    GROUPED
        .replace_all(text, |c: &Captures| c[0].replace(',', ""))
        .into_owned()
}

/// 9:05 → nine oh five, 14:30 → fourteen thirty, 7:00 → seven o'clock.
fn times(text: &str) -> String {
    static TIME: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d{1,2}):(\d{2})\b"));
    TIME.replace_all(text, |c: &Captures| {
        let hour = en_cardinal(&c[1]);
        match c[2].parse::<u32>().unwrap_or(0) {
            0 => format!("{hour} o'clock"),
            minute @ 1..=9 => format!("{hour} oh {}", en_cardinal(&minute.to_string())),
            _ => format!("{hour} {}", en_cardinal(&c[2])),
        }
    })
    .into_owned()
}

/// $5 → 5 dollars, €3.5 → 3.5 euros, ¥100 → 100 yuan.
fn money(text: &str) -> String {
    static MONEY: LazyLock<Regex> =
        LazyLock::new(|| regex(r"([$€£¥])(\d+(?:\.\d+)?)( (?:million|billion|trillion))?"));
    MONEY
        .replace_all(text, |c: &Captures| {
            let unit = match &c[1] {
                "$" => "dollars",
                "€" => "euros",
                "£" => "pounds",
                _ => "yuan",
            };
            let scale = c.get(3).map_or("", |m| m.as_str());
            format!("{}{scale} {unit}", &c[2])
        })
        .into_owned()
}

/// 5% → 5 percent.
fn percentages(text: &str) -> String {
    static PERCENT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+(?:\.\d+)?) ?%"));
    PERCENT.replace_all(text, "$1 percent").into_owned()
}

/// 1st → first, 22nd → twenty-second.
fn ordinals(text: &str) -> String {
    static ORDINAL: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d+)(st|nd|rd|th)\b"));
    ORDINAL
        .replace_all(text, |c: &Captures| ordinal(&en_cardinal(&c[1])))
        .into_owned()
}

fn ordinal(cardinal: &str) -> String {
    const IRREGULAR: [(&str, &str); 8] = [
        ("one", "first"),
        ("two", "second"),
        ("three", "third"),
        ("five", "fifth"),
        ("eight", "eighth"),
        ("nine", "ninth"),
        ("twelve", "twelfth"),
        ("zero", "zeroth"),
    ];
    let split_at = cardinal.rfind([' ', '-']).map_or(0, |i| i + 1);
    let (head, last) = cardinal.split_at(split_at);
    if let Some((_, word)) = IRREGULAR.iter().find(|(plain, _)| *plain == last) {
        return format!("{head}{word}");
    }
    if let Some(stem) = last.strip_suffix('y') {
        return format!("{head}{stem}ieth");
    }
    format!("{cardinal}th")
}

/// 3.25 → three point two five.
fn decimals(text: &str) -> String {
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d+)\.(\d+)\b"));
    DECIMAL
        .replace_all(text, |c: &Captures| {
            format!("{} point {}", en_cardinal(&c[1]), en_digits(&c[2]))
        })
        .into_owned()
}

/// Years between 1100 and 2099 read in pairs (twenty twenty-five); other
/// integers as cardinals.
fn cardinals(text: &str) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"\d+"));
    NUMBER
        .replace_all(text, |c: &Captures| {
            let digits = &c[0];
            match digits.parse::<u32>() {
                Ok(year @ 1100..=2099)
                    if digits.len() == 4 && year % 1000 >= 10 && year % 100 != 0 =>
                {
                    format!("{} {}", en_cardinal(&digits[..2]), en_pair(&digits[2..]))
                }
                _ => en_cardinal(digits),
            }
        })
        .into_owned()
}

fn en_pair(two_digits: &str) -> String {
    if two_digits.starts_with('0') {
        format!("oh {}", en_cardinal(two_digits))
    } else {
        en_cardinal(two_digits)
    }
}

/// Symbols a reader says aloud.
fn symbols(text: &str) -> String {
    text.replace('&', " and ")
        .replace('+', " plus ")
        .replace('@', " at ")
}

#[cfg(test)]
mod tests {
    use super::super::spoken;
    use crate::text::Lang;

    #[test]
    fn readings() {
        let cases = [
            (
                "It rose 3.5% in 2025.",
                "It rose three point five percent in twenty twenty-five.",
            ),
            (
                "Doors open at 9:05 and close at 17:00.",
                "Doors open at nine oh five and close at seventeen o'clock.",
            ),
            (
                "She won $1,200 on the 22nd.",
                "She won one thousand two hundred dollars on the twenty-second.",
            ),
            (
                "In 2008, 2000, 1990 and 2025.",
                "In two thousand eight, two thousand, nineteen ninety and twenty twenty-five.",
            ),
            ("R&D grew.", "R and D grew."),
        ];
        for (written, expected) in cases {
            assert_eq!(spoken(written, Lang::En), expected, "{written}");
        }
    }
}
