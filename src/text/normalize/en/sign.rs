//! Signs a reader says aloud: minus, &, +, =, #, @, and those that stand
//! for nothing spoken.

use std::sync::LazyLock;

use regex::Regex;

use super::regex;

/// A minus sign before a lone number: -5 → minus 5.
pub fn negatives(text: &str) -> String {
    static MINUS: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[\s(])[-−](\d)"));
    MINUS.replace_all(text, "${1}minus $2").into_owned()
}

/// Signs as words: R&D → R and D, #1 → number one, `#MeToo` → hashtag `MeToo`,
/// 5+ → five plus.
pub fn signs(text: &str) -> String {
    static HASH_TAG: LazyLock<Regex> = LazyLock::new(|| regex(r"#([A-Za-z]\w*)"));
    let text = HASH_TAG.replace_all(text, "hashtag $1");
    let text = text
        .replace('&', " and ")
        .replace('+', " plus ")
        .replace('=', " equals ")
        .replace('@', " at ")
        .replace('#', " number ")
        .replace('%', " percent")
        .replace('×', " times ")
        .replace('°', " degrees");
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{negatives, signs};

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("minus", "It was -5 degrees.", "It was minus 5 degrees."),
                ("and", "R&D grew.", "R and D grew."),
                ("number", "ranked #1", "ranked number 1"),
                (
                    "hashtag",
                    "the #MeToo movement",
                    "the hashtag MeToo movement",
                ),
                ("plus", "aged 65+", "aged 65 plus"),
            ],
            |t| signs(&negatives(t)),
        );
    }
}
