//! URLs and e-mail addresses, read out part by part.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::regex;

/// Web addresses and e-mail addresses, read out: "www.xinhua.org" →
/// "w w w dot xinhua dot org", "news@bbc.co.uk" → "news at bbc dot co dot uk".
pub fn urls_and_emails(text: &str) -> String {
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"));
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"\b(?:https?://)?((?:www\.)?[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.(?:com|org|net|gov|edu|cn|uk|io|int|info|news|eu|de|fr|jp|au|ca|tv)\b(?:/[\w./-]*)?)",
        )
    });
    let text = EMAIL.replace_all(text, |c: &Captures| {
        format!("{} at {}", spell_address(&c[1]), spell_address(&c[2]))
    });
    URL.replace_all(&text, |c: &Captures| {
        // A full stop after an address ends the sentence.
        let stop = if c[1].ends_with('.') { "." } else { "" };
        format!("{}{stop}", spell_address(c[1].trim_end_matches(['/', '.'])))
    })
    .into_owned()
}

fn spell_address(address: &str) -> String {
    let mut words = Vec::new();
    for (i, part) in address.split('/').enumerate() {
        if i > 0 {
            words.push("slash".to_string());
        }
        for (j, piece) in part.split('.').enumerate() {
            if j > 0 {
                words.push("dot".to_string());
            }
            if piece == "www" {
                words.push("w w w".to_string());
            } else if !piece.is_empty() {
                words.push(piece.replace(['-', '_'], " "));
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::urls_and_emails;

    #[test]
    fn readings() {
        assert_readings(
            &[
                (
                    "urls",
                    "Visit www.xinhua.org/news today",
                    "Visit w w w dot xinhua dot org slash news today",
                ),
                (
                    "urls",
                    "Details at https://europa.eu/press.",
                    "Details at europa dot eu slash press.",
                ),
                (
                    "emails",
                    "Write to news@bbc.co.uk now",
                    "Write to news at bbc dot co dot uk now",
                ),
            ],
            urls_and_emails,
        );
    }
}
