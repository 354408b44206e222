//! Roman numerals in names and titles: Henry VIII → Henry the eighth,
//! World War II → World War two, Chapter IV → Chapter four.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{ordinal, regex};

/// Words after which a Roman numeral is a cardinal number.
const COUNTED_AFTER: &[&str] = &[
    "War", "Chapter", "Part", "Volume", "Vol.", "Act", "Scene", "Phase", "Book", "Title",
    "Article", "Section", "Bowl", "Type", "Class", "Category", "Stage", "Level", "Grade", "Apollo",
    "Schedule", "Annex", "Psalm", "Pillar", "Tier", "Round", "Series", "Rocky", "Vatican",
];

/// The value of a Roman numeral, if it is a well-formed one.
fn roman_value(numeral: &str) -> Option<u32> {
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Vec<u32> = numeral.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= i64::from(*v);
        } else {
            total += i64::from(*v);
        }
    }
    let total = u32::try_from(total).ok().filter(|t| *t > 0)?;
    // Only the canonical spelling counts: IIII, VX and IC are not numerals.
    (to_roman(total) == numeral).then_some(total)
}

fn to_roman(mut value: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (size, letters) in TABLE {
        while value >= size {
            out.push_str(letters);
            value -= size;
        }
    }
    out
}

/// After a title word (World War II, Chapter IV) a numeral is a number;
/// after a capitalized name (Henry VIII, Elizabeth II, John Paul II) it is
/// the regnal "the eighth". A lone I, V or X after a name is left alone
/// (Malcolm X), as are numerals that are also common acronyms (CD, MD).
pub fn roman_numerals(text: &str) -> String {
    static AFTER_WORD: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b([A-Z][a-z]+\.?) ([IVXLCDM]+)\b"));
    AFTER_WORD
        .replace_all(text, |c: &Captures| {
            let (word, numeral) = (&c[1], &c[2]);
            let Some(value) = roman_value(numeral) else {
                return c[0].to_string();
            };
            let number = en_cardinal(&value.to_string());
            if COUNTED_AFTER.contains(&word) {
                format!("{word} {number}")
            } else if numeral.len() >= 2 && numeral.chars().all(|l| "IVX".contains(l)) {
                format!("{word} the {}", ordinal(&number))
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::roman_numerals;

    #[test]
    fn readings() {
        assert_readings(
            &[
                (
                    "regnal",
                    "Henry VIII had six wives",
                    "Henry the eighth had six wives",
                ),
                (
                    "queen",
                    "Queen Elizabeth II died",
                    "Queen Elizabeth the second died",
                ),
                (
                    "pope",
                    "Pope John Paul II visited",
                    "Pope John Paul the second visited",
                ),
                (
                    "war",
                    "after World War II ended",
                    "after World War two ended",
                ),
                ("chapter", "Chapter IV opens", "Chapter four opens"),
                ("super_bowl", "Super Bowl LVII", "Super Bowl fifty-seven"),
                ("malcolm", "Malcolm X spoke", "Malcolm X spoke"),
                ("acronym", "Washington DC is", "Washington DC is"),
                ("not_canonical", "Henry IIII", "Henry IIII"),
            ],
            roman_numerals,
        );
    }
}
