//! Money: currency signs and codes before or after the amount, cents, and
//! scales (million, bn, m), read with the currency last as it is said.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{alternatives, number_words, regex, NUMBER};

/// Signs and codes, the currency's name (plural), and its cents' name.
const CURRENCIES: &[(&str, &str, &str)] = &[
    ("US$", "US dollars", "cents"),
    ("HK$", "Hong Kong dollars", "cents"),
    ("A$", "Australian dollars", "cents"),
    ("AU$", "Australian dollars", "cents"),
    ("C$", "Canadian dollars", "cents"),
    ("CA$", "Canadian dollars", "cents"),
    ("NZ$", "New Zealand dollars", "cents"),
    ("S$", "Singapore dollars", "cents"),
    ("$", "dollars", "cents"),
    ("€", "euros", "cents"),
    ("£", "pounds", "pence"),
    ("¥", "yuan", ""),
    ("₹", "rupees", "paise"),
    ("₩", "won", ""),
    ("₽", "roubles", "kopecks"),
    ("USD", "US dollars", "cents"),
    ("EUR", "euros", "cents"),
    ("GBP", "pounds", "pence"),
    ("JPY", "yen", ""),
    ("CNY", "yuan", ""),
    ("RMB", "yuan", ""),
    ("HKD", "Hong Kong dollars", "cents"),
    ("AUD", "Australian dollars", "cents"),
    ("CAD", "Canadian dollars", "cents"),
    ("CHF", "Swiss francs", "centimes"),
    ("INR", "rupees", "paise"),
    ("Rs.", "rupees", "paise"),
    ("Rs", "rupees", "paise"),
];

/// Scales written after an amount, and how they are said.
const SCALES: &[(&str, &str)] = &[
    ("thousand", "thousand"),
    ("million", "million"),
    ("billion", "billion"),
    ("trillion", "trillion"),
    ("k", "thousand"),
    ("K", "thousand"),
    ("m", "million"),
    ("mn", "million"),
    ("M", "million"),
    ("b", "billion"),
    ("bn", "billion"),
    ("B", "billion"),
    ("tn", "trillion"),
    ("trn", "trillion"),
];

/// $5 → five dollars, $5.50 → five dollars fifty cents, $1.2 billion and
/// $2.5 b → one point two billion dollars, €3-5 million → three to five
/// million euros, $250-$300 → two hundred fifty dollars to three hundred
/// dollars, 100 USD → one hundred US dollars.
pub fn money(text: &str) -> String {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        let signs = alternatives(CURRENCIES.iter().map(|c| c.0));
        let scales = alternatives(SCALES.iter().map(|s| s.0));
        regex(&format!(
            r"(^|[^\w$])({signs}) ?({NUMBER})(?: ?(?:-|–|to) ?(?:{signs})? ?({NUMBER}))?(?: ?({scales})\b)?"
        ))
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        let codes = alternatives(
            CURRENCIES
                .iter()
                .map(|c| c.0)
                .filter(|c| c.len() == 3 && c.chars().all(|l| l.is_ascii_uppercase())),
        );
        let scales = alternatives(SCALES.iter().map(|s| s.0));
        regex(&format!(r"\b({NUMBER})(?: ?({scales}))? ?({codes})\b"))
    });
    static CENTS: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d{1,2}) ?¢"));
    let text = BEFORE.replace_all(text, |c: &Captures| {
        let currency = currency(&c[2]);
        let scale = c.get(5).map(|s| scale_word(s.as_str()));
        let first = amount(&c[3], currency, scale.is_some());
        let said = match (c.get(4), scale) {
            (Some(upper), Some(scale)) => {
                format!(
                    "{} to {} {scale} {}",
                    number_words(&c[3]),
                    number_words(upper.as_str()),
                    currency.1
                )
            }
            (None, Some(scale)) => format!("{} {scale} {}", number_words(&c[3]), currency.1),
            (Some(upper), None) => {
                format!("{first} to {}", amount(upper.as_str(), currency, false))
            }
            (None, None) => first,
        };
        format!("{}{said}", &c[1])
    });
    let text = AFTER.replace_all(&text, |c: &Captures| {
        let currency = currency(&c[3]);
        match c.get(2) {
            Some(scale) => format!(
                "{} {} {}",
                number_words(&c[1]),
                scale_word(scale.as_str()),
                currency.1
            ),
            None => amount(&c[1], currency, false),
        }
    });
    CENTS
        .replace_all(&text, |c: &Captures| {
            let cents = if &c[1] == "1" { "cent" } else { "cents" };
            format!("{} {cents}", en_cardinal(&c[1]))
        })
        .into_owned()
}

fn currency(sign: &str) -> (&'static str, &'static str, &'static str) {
    CURRENCIES
        .iter()
        .find(|c| c.0 == sign)
        .copied()
        .unwrap_or(("$", "dollars", "cents"))
}

fn scale_word(written: &str) -> &'static str {
    SCALES.iter().find(|s| s.0 == written).map_or("", |s| s.1)
}

/// One amount with its currency: "5.50" → "five dollars fifty cents",
/// "1" → "one dollar", "0.25" → "twenty-five cents".
fn amount(number: &str, currency: (&str, &str, &str), scaled: bool) -> String {
    let plain = number.replace(',', "");
    let (whole, cents) = plain.split_once('.').unwrap_or((&plain, ""));
    let (_, name, cents_name) = currency;
    if cents.len() == 2 && !cents_name.is_empty() && !scaled {
        let cents_value: u32 = cents.parse().unwrap_or(0);
        let cents_words = en_cardinal(cents);
        let cents_name = match (cents_value, cents_name) {
            (1, "pence") => "penny",
            (1, name) => name.trim_end_matches('s'),
            (_, name) => name,
        };
        return match (whole.trim_start_matches('0'), cents_value) {
            ("", _) => format!("{cents_words} {cents_name}"),
            (_, 0) => units_of(whole, name),
            _ => format!("{} {cents_words} {cents_name}", units_of(whole, name)),
        };
    }
    if cents.is_empty() {
        units_of(whole, name)
    } else {
        format!("{} {name}", number_words(&plain))
    }
}

/// "1" → "one dollar", "3" → "three dollars".
fn units_of(whole: &str, plural: &str) -> String {
    let words = en_cardinal(whole);
    if words == "one" {
        format!("one {}", plural.strip_suffix('s').unwrap_or(plural))
    } else {
        format!("{words} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::money;

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("dollars", "It costs $5.", "It costs five dollars."),
                ("one", "$1", "one dollar"),
                (
                    "cents",
                    "It costs $5.50.",
                    "It costs five dollars fifty cents.",
                ),
                ("only_cents", "$0.75 a share", "seventy-five cents a share"),
                (
                    "separators",
                    "She won $1,200.",
                    "She won one thousand two hundred dollars.",
                ),
                (
                    "scale",
                    "a $1.2 billion deal",
                    "a one point two billion dollars deal",
                ),
                ("short_scale", "$2.5 b", "two point five billion dollars"),
                ("bn", "£3bn", "three billion pounds"),
                ("m", "€40m fine", "forty million euros fine"),
                (
                    "pounds_euros",
                    "£20 and €3.5 million",
                    "twenty pounds and three point five million euros",
                ),
                (
                    "range",
                    "$250-$300",
                    "two hundred fifty dollars to three hundred dollars",
                ),
                (
                    "range_scale",
                    "$5-10 million",
                    "five to ten million dollars",
                ),
                ("code_after", "100 USD", "one hundred US dollars"),
                ("code_before", "EUR 20 million", "twenty million euros"),
                (
                    "hong_kong",
                    "HK$13.5",
                    "thirteen point five Hong Kong dollars",
                ),
                ("rupees", "₹500", "five hundred rupees"),
                ("rs", "Rs 500", "five hundred rupees"),
                ("yen", "5,000 JPY", "five thousand yen"),
                ("cent_sign", "a 50¢ stamp", "a fifty cents stamp"),
                ("one_pound", "£1.01", "one pound one penny"),
            ],
            money,
        );
    }
}
