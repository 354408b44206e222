//! Serials and codes of letters and digits (BA2490, Q3, A4, 5G, MP3,
//! COVID-19, F-16), read as letters and numbers.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::{en_cardinal, en_digits};
use super::{in_dotted_run, regex, spelled, word_acronym};

/// Codes: BA2490 → B A two four nine zero, Q3 → Q three, 5G → five G,
/// MP3 → M P three, COVID-19 → Covid nineteen, 4x4 → four by four.
/// Letters are spelled unless they make a word; two digits or fewer read
/// as a number, longer runs digit by digit (flight and part numbers).
pub fn serials(text: &str) -> String {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| regex(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b"));
    TOKEN
        .replace_all(text, |c: &Captures| {
            let token = &c[0];
            if in_dotted_run(text, c.get(0).expect("group 0").range()) {
                return token.to_string();
            }
            let has_letter = token.chars().any(|ch| ch.is_ascii_alphabetic());
            let has_digit = token.chars().any(|ch| ch.is_ascii_digit());
            if !(has_letter && has_digit) {
                return token.to_string();
            }
            token
                .split('-')
                .map(read_part)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .into_owned()
}

/// One part of a code, run by run of letters and digits.
fn read_part(part: &str) -> String {
    let mut runs: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, ch) in part.char_indices().skip(1) {
        let previous = part[..i].chars().last().unwrap_or(ch);
        if previous.is_ascii_digit() != ch.is_ascii_digit() {
            runs.push(&part[start..i]);
            start = i;
        }
    }
    runs.push(&part[start..]);
    let between_digits = |i: usize| {
        i > 0
            && i + 1 < runs.len()
            && runs[i - 1].starts_with(|c: char| c.is_ascii_digit())
            && runs[i + 1].starts_with(|c: char| c.is_ascii_digit())
    };
    runs.iter()
        .enumerate()
        .map(|(i, run)| {
            if run.starts_with(|c: char| c.is_ascii_digit()) {
                digits(run)
            } else if run.eq_ignore_ascii_case("x") && between_digits(i) {
                "by".to_string()
            } else {
                letters(run)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn digits(run: &str) -> String {
    let round_thousands = run.len() == 4 && run.ends_with("000");
    if run.len() <= 2 && !(run.len() == 2 && run.starts_with('0')) || round_thousands {
        en_cardinal(run)
    } else {
        en_digits(run)
    }
}

fn letters(run: &str) -> String {
    if let Some(word) = word_acronym(run) {
        return word;
    }
    let is_word = run.len() >= 3
        && run.chars().any(|c| c.is_ascii_lowercase())
        && run
            .chars()
            .any(|c| "aeiouy".contains(c.to_ascii_lowercase()));
    if is_word {
        run.to_string()
    } else {
        spelled(run)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::serials;

    #[test]
    fn readings() {
        assert_readings(
            &[
                (
                    "flight",
                    "Flight BA2490 was delayed.",
                    "Flight B A two four nine zero was delayed.",
                ),
                ("quarter", "GDP grew in Q3.", "GDP grew in Q three."),
                ("paper", "an A4 sheet", "an A four sheet"),
                ("network", "5G masts", "five G masts"),
                ("format", "MP3 files", "M P three files"),
                ("disease", "COVID-19 cases", "Covid nineteen cases"),
                ("jet", "an F-16 jet", "an F sixteen jet"),
                ("summit", "the G20 summit", "the G twenty summit"),
                ("by", "a 4x4 vehicle", "a four by four vehicle"),
                ("word_and_number", "the iPhone15", "the iPhone fifteen"),
                ("round", "the T2000", "the T two thousand"),
                ("lowercase", "code ab9453", "code A B nine four five three"),
                ("leading_zero", "Route A08", "Route A zero eight"),
                ("plain_words", "no codes here", "no codes here"),
            ],
            serials,
        );
    }
}
