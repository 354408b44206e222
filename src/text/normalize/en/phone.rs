//! Phone numbers, read digit by digit in their groups with a pause between
//! groups, as a reader gives a number to write down.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_digits;
use super::regex;

/// Words that announce a phone number before it.
const PHONE_WORDS: &[&str] = &[
    "call",
    "phone",
    "tel",
    "telephone",
    "dial",
    "fax",
    "hotline",
    "helpline",
    "text",
    "number",
    "ring",
    "contact",
    "mobile",
    "line",
];

/// Phone numbers: 555-123-4567 → "five five five, one two three, four five
/// six seven"; +44 20 7946 0958 with its country code; a local 555-0142
/// when a word like "call" comes before it or its last group starts with 0
/// (a range would not: 300-1500 is "three hundred to fifteen hundred").
pub fn phone_numbers(text: &str) -> String {
    static NORTH_AMERICAN: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(\+1[ -.]|\b1-)?(?:\((\d{3})\) ?|\b(\d{3})[-. ])(\d{3})[-. ](\d{4})\b")
    });
    static INTERNATIONAL: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\+(\d{1,3})((?:[ -]\(?\d{1,5}\)?){2,5})\b"));
    static LOCAL: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d{3})-(\d{4})\b"));
    static ANNOUNCED_GROUPS: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b0\d{1,4}(?:[ -]\d{3,4}){1,3}\b"));
    let text = NORTH_AMERICAN.replace_all(text, |c: &Captures| {
        let mut groups = Vec::new();
        match c.get(1).map(|m| m.as_str()) {
            Some(prefix) if prefix.starts_with('+') => groups.push("plus one".to_string()),
            Some(_) => groups.push("one".to_string()),
            None => {}
        }
        let area = c.get(2).or(c.get(3)).map_or("", |m| m.as_str());
        for group in [area, &c[4], &c[5]] {
            groups.push(en_digits(group));
        }
        groups.join(", ")
    });
    let text = INTERNATIONAL.replace_all(&text, |c: &Captures| {
        let mut groups = vec![format!("plus {}", en_digits(&c[1]))];
        groups.extend(
            c[2].split([' ', '-'])
                .filter(|g| !g.is_empty())
                .map(en_digits),
        );
        groups.join(", ")
    });
    // 020 7946 0958: groups with a trunk zero, after a word like "call".
    let text = ANNOUNCED_GROUPS.replace_all(&text, |c: &Captures| {
        let whole = c.get(0).expect("group 0");
        if announced(&text[..whole.start()]) {
            c[0].split([' ', '-'])
                .map(en_digits)
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            c[0].to_string()
        }
    });
    LOCAL
        .replace_all(&text, |c: &Captures| {
            let whole = c.get(0).expect("group 0");
            if announced(&text[..whole.start()]) || c[2].starts_with('0') {
                format!("{}, {}", en_digits(&c[1]), en_digits(&c[2]))
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Whether one of the last three words before a number announces a phone.
fn announced(before: &str) -> bool {
    before
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| PHONE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::phone_numbers;

    #[test]
    fn readings() {
        assert_readings(
            &[
                (
                    "grouped",
                    "Call 555-123-4567.",
                    "Call five five five, one two three, four five six seven.",
                ),
                (
                    "area_code",
                    "(202) 555-0100",
                    "two zero two, five five five, zero one zero zero",
                ),
                (
                    "local",
                    "Call 555-0142 for details.",
                    "Call five five five, zero one four two for details.",
                ),
                (
                    "country_code",
                    "Ring +44 20 7946 0958 today",
                    "Ring plus four four, two zero, seven nine four six, zero nine five eight today",
                ),
                (
                    "plus_one",
                    "on +1-800-555-0199",
                    "on plus one, eight zero zero, five five five, zero one nine nine",
                ),
                (
                    "toll_free",
                    "1-800-555-0199",
                    "one, eight zero zero, five five five, zero one nine nine",
                ),
                ("range_not_phone", "sold 300-1500 units", "sold 300-1500 units"),
                (
                    "trunk_zero",
                    "call 020 7946 0958 now",
                    "call zero two zero, seven nine four six, zero nine five eight now",
                ),
            ],
            phone_numbers,
        );
    }
}
