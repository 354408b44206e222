//! English normalization: a grammar of semiotic classes (money, measures,
//! dates, times, codes …), each its own module with table tests, run in
//! the order of [`RULES`] so the most specific reading claims a span first.
//!
//! Each class writes words, not digits, so a later rule cannot misread what
//! an earlier one settled (1,250 people must never reach the year rule).

use regex::Regex;

use super::numbers::{en_cardinal, en_digits};
use super::Rule;

mod abbreviation;
mod address;
mod cardinal;
mod date;
mod fraction;
mod measure;
mod money;
mod phone;
mod range;
mod roman;
mod serial;
mod sign;
mod time;

/// The English rules, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        name: "urls_and_emails",
        apply: address::urls_and_emails,
    },
    Rule {
        name: "abbreviations",
        apply: abbreviation::abbreviations,
    },
    Rule {
        name: "phone_numbers",
        apply: phone::phone_numbers,
    },
    Rule {
        name: "times",
        apply: time::times,
    },
    Rule {
        name: "dates",
        apply: date::dates,
    },
    Rule {
        name: "decades",
        apply: date::decades,
    },
    Rule {
        name: "eras",
        apply: date::eras,
    },
    Rule {
        name: "money",
        apply: money::money,
    },
    Rule {
        name: "scores",
        apply: range::scores,
    },
    Rule {
        name: "ranges",
        apply: range::ranges,
    },
    Rule {
        name: "percentages",
        apply: measure::percentages,
    },
    Rule {
        name: "measures",
        apply: measure::measures,
    },
    Rule {
        name: "fractions",
        apply: fraction::fractions,
    },
    Rule {
        name: "ordinals",
        apply: cardinal::ordinals,
    },
    Rule {
        name: "serials",
        apply: serial::serials,
    },
    Rule {
        name: "roman_numerals",
        apply: roman::roman_numerals,
    },
    Rule {
        name: "acronyms",
        apply: abbreviation::acronyms,
    },
    Rule {
        name: "negatives",
        apply: sign::negatives,
    },
    Rule {
        name: "thousands_separators",
        apply: cardinal::thousands_separators,
    },
    Rule {
        name: "decimals",
        apply: cardinal::decimals,
    },
    Rule {
        name: "cardinals",
        apply: cardinal::cardinals,
    },
    Rule {
        name: "signs",
        apply: sign::signs,
    },
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("normalization patterns are valid")
}

/// A regex alternation of literal strings, longest first so no prefix
/// wins over a longer symbol (km/h before km).
fn alternatives(items: impl Iterator<Item = &'static str>) -> String {
    let mut items: Vec<&str> = items.collect();
    items.sort_by_key(|s| std::cmp::Reverse(s.len()));
    items
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// A number as written in English text: digits with optional thousands
/// separators and an optional decimal part (1,250.75).
const NUMBER: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?";

/// A number as words: "1,250.75" → "one thousand two hundred fifty point
/// seven five".
fn number_words(number: &str) -> String {
    let plain = number.replace(',', "");
    match plain.split_once('.') {
        Some((whole, fraction)) => format!(
            "{} point {}",
            en_cardinal(if whole.is_empty() { "0" } else { whole }),
            en_digits(fraction)
        ),
        None => en_cardinal(&plain),
    }
}

/// The ordinal of a cardinal in words: "twenty-one" → "twenty-first".
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

/// A year as a newsreader says it: 1998 → nineteen ninety-eight, 2008 →
/// two thousand eight, 2012 → twenty twelve, 1900 → nineteen hundred,
/// 1506 → fifteen oh six, 340 → three forty, 98 → ninety-eight.
fn year_words(digits: &str) -> String {
    let Ok(year) = digits.parse::<u32>() else {
        return en_digits(digits);
    };
    let (high, low) = (year / 100, year % 100);
    match year {
        0..=99 if digits.len() == 2 && digits.starts_with('0') => {
            format!("oh {}", en_cardinal(&low.to_string()))
        }
        0..=999 if low == 0 || year < 100 => en_cardinal(digits),
        2000..=2009 => en_cardinal(digits),
        _ if year % 1000 == 0 => en_cardinal(digits),
        _ if year > 9999 => en_cardinal(digits),
        _ if low == 0 => format!("{} hundred", en_cardinal(&high.to_string())),
        _ if low < 10 => format!(
            "{} oh {}",
            en_cardinal(&high.to_string()),
            en_cardinal(&low.to_string())
        ),
        _ => format!(
            "{} {}",
            en_cardinal(&high.to_string()),
            en_cardinal(&low.to_string())
        ),
    }
}

/// Letters read one by one: "FBI" → "F B I".
fn spelled(letters: &str) -> String {
    letters
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Acronyms said as words, not letters. Users add their own with a lexicon
/// `[say]` entry ("UNESCO" = "Unesco"), which runs before every rule.
const WORD_ACRONYMS: &[&str] = &[
    "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "ASEAN", "FIFA", "UEFA", "COVID", "AIDS", "SARS",
    "MERS", "NAFTA", "BRICS", "LASER", "RADAR", "SCUBA", "SWAT", "NASDAQ", "ISIS", "CERN",
    "INTERPOL", "FEMA", "OSHA", "UNAIDS", "UNHCR", "ICE", "PIN", "SIM", "GIF", "JPEG", "DAX",
    "NIKKEI", "FIDE", "MOMA", "WASP", "OFCOM", "OFSTED", "EFTA", "APEC", "SEATO", "ANZAC",
];

/// The spoken form of an acronym said as a word: "NATO" → "Nato".
fn word_acronym(letters: &str) -> Option<String> {
    let upper = letters.to_ascii_uppercase();
    WORD_ACRONYMS.contains(&upper.as_str()).then(|| {
        let mut chars = upper.chars();
        let first = chars.next().unwrap_or_default();
        format!("{first}{}", chars.as_str().to_ascii_lowercase())
    })
}

/// Whether the span of `text` touches a dot with a letter beyond it
/// (A.A.A, 0a.B): part of dotted initials or a dotted name, which the
/// abbreviation rule reads, not a word of its own.
fn in_dotted_run(text: &str, span: std::ops::Range<usize>) -> bool {
    let after = &text[span.end..];
    let mut before = text[..span.start].chars().rev();
    let letter_after = after
        .strip_prefix('.')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()));
    let letter_before =
        before.next() == Some('.') && before.next().is_some_and(|c| c.is_ascii_alphabetic());
    letter_after || letter_before
}

static MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month a written name or abbreviation stands for, any case:
/// "jul", "Sept." and "JULY" → Some(7).
fn month_number(name: &str) -> Option<usize> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "sept" {
        return Some(9);
    }
    MONTH_NAMES
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == name || (name.len() == 3 && m.starts_with(&name))
        })
        .map(|i| i + 1)
}

/// Month names and abbreviations, for patterns (case-insensitive).
const MONTH: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?";

#[cfg(test)]
mod tests {
    use super::super::{assert_readings, spoken};
    use crate::text::Lang;

    /// Whole news sentences through every rule, as `normalize --lang en`
    /// reads them.
    const SENTENCES: &[(&str, &str, &str)] = &[
        (
            "cardinals",
            "The plant employs 1,250 people.",
            "The plant employs one thousand two hundred fifty people.",
        ),
        (
            "phones",
            "Call 555-0142 for details.",
            "Call five five five, zero one four two for details.",
        ),
        (
            "fractions",
            "About 1/3 of voters agreed.",
            "About one third of voters agreed.",
        ),
        ("serials", "GDP grew in Q3.", "G D P grew in Q three."),
        (
            "serials",
            "Flight BA2490 was delayed.",
            "Flight B A two four nine zero was delayed.",
        ),
        (
            "dates",
            "It opened on 2016-11-03.",
            "It opened on November third, twenty sixteen.",
        ),
        ("scores", "He won 6-4, 6-3.", "He won six four, six three."),
        (
            "decimals",
            "It rose 3.5% in 2025.",
            "It rose three point five percent in twenty twenty-five.",
        ),
        (
            "money",
            "She won $1,200 on the 22nd.",
            "She won one thousand two hundred dollars on the twenty-second.",
        ),
        (
            "years",
            "In 2008, 2000, 1990 and 2025.",
            "In two thousand eight, two thousand, nineteen ninety and twenty twenty-five.",
        ),
        (
            "ranges",
            "from 2021-2023",
            "from twenty twenty-one to twenty twenty-three",
        ),
        ("ranges", "5-8 people", "five to eight people"),
        (
            "negatives",
            "It was -5 degrees.",
            "It was minus five degrees.",
        ),
        (
            "abbreviations",
            "Mr. Smith met Dr. Jones.",
            "Mister Smith met Doctor Jones.",
        ),
        ("symbols", "R&D grew.", "R and D grew."),
        (
            "plain",
            "The council met on Friday.",
            "The council met on Friday.",
        ),
        (
            "roman",
            "Henry VIII married six times before World War II was imagined.",
            "Henry the eighth married six times before World War two was imagined.",
        ),
        (
            "acronyms",
            "NATO and the FBI met in the U.S. on Jan. 5.",
            "Nato and the F B I met in the U S on January fifth.",
        ),
        (
            "measures",
            "Prices rose 12% as the 5-10 km course closed.",
            "Prices rose twelve percent as the five to ten kilometers course closed.",
        ),
        (
            "times",
            "The polls close at 10 p.m. ET on Nov. 8, 2022.",
            "The polls close at ten p m E T on November eighth, twenty twenty-two.",
        ),
    ];

    #[test]
    fn sentences() {
        assert_readings(SENTENCES, |written| spoken(written, Lang::En));
    }

    #[test]
    fn years() {
        let cases = [
            ("1998", "nineteen ninety-eight"),
            ("2008", "two thousand eight"),
            ("2012", "twenty twelve"),
            ("1900", "nineteen hundred"),
            ("1506", "fifteen oh six"),
            ("340", "three forty"),
            ("05", "oh five"),
            ("98", "ninety-eight"),
            ("2000", "two thousand"),
        ];
        for (digits, said) in cases {
            assert_eq!(super::year_words(digits), said, "{digits}");
        }
    }
}
