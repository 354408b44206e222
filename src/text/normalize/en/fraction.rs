//! Fractions: 1/3 → one third, 2 1/2 → two and a half, ½ → one half.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{ordinal, regex};

/// Unicode vulgar fractions and their numerator and denominator.
const VULGAR: &[(char, u32, u32)] = &[
    ('½', 1, 2),
    ('⅓', 1, 3),
    ('⅔', 2, 3),
    ('¼', 1, 4),
    ('¾', 3, 4),
    ('⅕', 1, 5),
    ('⅖', 2, 5),
    ('⅗', 3, 5),
    ('⅘', 4, 5),
    ('⅙', 1, 6),
    ('⅚', 5, 6),
    ('⅛', 1, 8),
    ('⅜', 3, 8),
    ('⅝', 5, 8),
    ('⅞', 7, 8),
];

/// A fraction in words: (1, 3) → "one third", (3, 4) → "three quarters",
/// (5, 8) → "five eighths".
fn fraction_words(numerator: u32, denominator: u32) -> String {
    let one = numerator == 1;
    let part = match denominator {
        2 => (if one { "half" } else { "halves" }).to_string(),
        4 => (if one { "quarter" } else { "quarters" }).to_string(),
        _ => {
            let single = ordinal(&en_cardinal(&denominator.to_string()));
            if one {
                single
            } else {
                format!("{single}s")
            }
        }
    };
    format!("{} {part}", en_cardinal(&numerator.to_string()))
}

/// Mixed numbers read "and a": 2 1/2 → two and a half, 1 ¾ → one and three
/// quarters.
fn mixed(whole: &str, numerator: u32, denominator: u32) -> String {
    let part = fraction_words(numerator, denominator);
    let part = part
        .strip_prefix("one ")
        .map_or(part.clone(), |p| format!("a {p}"));
    format!("{} and {part}", en_cardinal(whole))
}

/// 1/3 → one third, 2 1/2 → two and a half, ½ → one half, 24/7 →
/// twenty-four seven. Slashes between larger numbers or in longer chains
/// are codes, not fractions, and are left alone.
pub fn fractions(text: &str) -> String {
    static SLASHED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\w/.])(?:(\d+) )?(\d{1,3})/(\d{1,3})($|[^\w/]|\.\D|\.$)"));
    static UNICODE: LazyLock<Regex> = LazyLock::new(|| regex(r"(?:(\d+) ?)?([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])"));
    let text = UNICODE.replace_all(text, |c: &Captures| {
        let symbol = c[2].chars().next().unwrap_or('½');
        let (_, n, d) = VULGAR
            .iter()
            .find(|v| v.0 == symbol)
            .copied()
            .unwrap_or(('½', 1, 2));
        match c.get(1) {
            Some(whole) => mixed(whole.as_str(), n, d),
            None => fraction_words(n, d),
        }
    });
    SLASHED
        .replace_all(&text, |c: &Captures| {
            let (n, d): (u32, u32) = (c[3].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
            let said = if &c[3] == "24" && &c[4] == "7" && c.get(2).is_none() {
                "twenty-four seven".to_string()
            } else if !(2..=100).contains(&d) || n == 0 {
                return c[0].to_string();
            } else if let Some(whole) = c.get(2) {
                if n >= d {
                    return c[0].to_string();
                }
                mixed(whole.as_str(), n, d)
            } else {
                fraction_words(n, d)
            };
            format!("{}{said}{}", &c[1], &c[5])
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::fractions;

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("third", "About 1/3 of voters", "About one third of voters"),
                ("quarters", "3/4 of the vote", "three quarters of the vote"),
                ("eighths", "5/8 inch", "five eighths inch"),
                ("half", "1/2", "one half"),
                ("mixed", "2 1/2 hours", "two and a half hours"),
                ("unicode", "½ cup", "one half cup"),
                ("unicode_mixed", "1¾ miles", "one and three quarters miles"),
                ("twenty_four_seven", "open 24/7", "open twenty-four seven"),
                ("code", "ref 123/261788", "ref 123/261788"),
                ("chain", "31/31/100", "31/31/100"),
            ],
            fractions,
        );
    }
}
