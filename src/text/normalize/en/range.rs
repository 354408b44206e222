//! Ranges (2010-2015, pages 3–7) read "to", and sports scores (6-4, 3-1)
//! read as bare pairs.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::regex;

/// Words that make a pair of small numbers a score.
const SCORE_WORDS: &[&str] = &[
    "won",
    "win",
    "wins",
    "beat",
    "beats",
    "lost",
    "lose",
    "loses",
    "defeated",
    "defeat",
    "drew",
    "draw",
    "score",
    "scored",
    "scoreline",
    "victory",
    "led",
    "leads",
    "lead",
    "trailed",
    "trailing",
    "tied",
    "sets",
    "set",
    "match",
    "game",
    "final",
    "thrashed",
    "edged",
    "routed",
];

/// Scores: "He won 6-4, 6-3" → "six four, six three"; a pair of small
/// numbers is a score when a word of winning or losing is in the same
/// sentence, or when it stands in a list of such pairs (a tennis result).
pub fn scores(text: &str) -> String {
    static PAIR: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(^|[^\w.\-/:])(\d{1,2}) ?[-–] ?(\d{1,2})($|[^\w.\-/%:]|\.\D|\.$)")
    });
    static LISTED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b\d{1,2}[-–]\d{1,2}, \d{1,2}[-–]\d{1,2}\b"));
    let sporting = text
        .split(|c: char| !c.is_alphabetic())
        .any(|w| SCORE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        || LISTED.is_match(text);
    if !sporting {
        return text.to_string();
    }
    let said = |c: &Captures| {
        format!(
            "{}{} {}{}",
            &c[1],
            en_cardinal(&c[2]),
            en_cardinal(&c[3]),
            &c[4]
        )
    };
    // Twice: neighbouring pairs share the separator between them.
    let text = PAIR.replace_all(text, said);
    PAIR.replace_all(&text, said).into_owned()
}

/// A dash between two numbers reads "to": 2021-2023 → 2021 to 2023,
/// pages 3–7 → pages 3 to 7. The numbers are left for the rules after
/// (years, units, percentages).
pub fn ranges(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(^|[^\w.\-/])(\d+(?:\.\d+)?) ?[-–—] ?(\d+(?:\.\d+)?)($|[^\w\-/]|[a-zA-Z%°])")
    });
    let said = |c: &Captures| format!("{}{} to {}{}", &c[1], &c[2], &c[3], &c[4]);
    let text = RANGE.replace_all(text, said);
    RANGE.replace_all(&text, said).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{ranges, scores};

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("tennis", "He won 6-4, 6-3.", "He won six four, six three."),
                ("listed", "Nadal 6-4, 7-5", "Nadal six four, seven five"),
                (
                    "football",
                    "Spain beat Italy 2-1 on Sunday",
                    "Spain beat Italy two one on Sunday",
                ),
                ("years", "from 2021-2023", "from 2021 to 2023"),
                ("count", "5-8 people", "5 to 8 people"),
                ("pages", "pages 3–7", "pages 3 to 7"),
                ("unit", "5-10km", "5 to 10km"),
                ("no_score_word", "aged 6-10", "aged 6 to 10"),
                ("code", "COVID-19 cases", "COVID-19 cases"),
            ],
            |t| ranges(&scores(t)),
        );
    }
}
