//! English normalization rules, applied in table order.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numbers::{en_cardinal, en_digits};
use super::{Rule, UnitTable};

/// The English rules, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        name: "urls_and_emails",
        apply: urls_and_emails,
    },
    Rule {
        name: "phone_numbers",
        apply: phone_numbers,
    },
    Rule {
        name: "thousands_separators",
        apply: thousands_separators,
    },
    Rule {
        name: "abbreviations",
        apply: abbreviations,
    },
    Rule {
        name: "dates",
        apply: dates,
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
        name: "units",
        apply: units,
    },
    Rule {
        name: "ordinals",
        apply: ordinals,
    },
    Rule {
        name: "decades",
        apply: decades,
    },
    Rule {
        name: "ranges",
        apply: ranges,
    },
    Rule {
        name: "negatives",
        apply: negatives,
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

/// Web addresses and e-mail addresses, read out: "www.xinhua.org" →
/// "w w w dot xinhua dot org", "news@bbc.co.uk" → "news at bbc dot co dot uk".
fn urls_and_emails(text: &str) -> String {
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b"));
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"\b(?:https?://)?((?:www\.)?[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.(?:com|org|net|gov|edu|cn|uk|io|int|info|news)\b(?:/[\w./-]*)?)",
        )
    });
    let text = EMAIL.replace_all(text, |c: &Captures| {
        format!("{} at {}", spell_address(&c[1]), spell_address(&c[2]))
    });
    URL.replace_all(&text, |c: &Captures| {
        spell_address(c[1].trim_end_matches(['/', '.']))
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

/// Phone numbers read digit by digit in their groups:
/// 555-123-4567 → "five five five, one two three, four five six seven".
fn phone_numbers(text: &str) -> String {
    static PHONE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(\+\d{1,3}[ -])?\(?\b(\d{3})\)?[ -](\d{3})-(\d{4})\b"));
    PHONE
        .replace_all(text, |c: &Captures| {
            let mut groups = Vec::new();
            if let Some(country) = c.get(1) {
                groups.push(format!("plus {}", en_digits(country.as_str())));
            }
            for i in 2..=4 {
                groups.push(en_digits(&c[i]));
            }
            groups.join(", ")
        })
        .into_owned()
}

/// 1,204,000 → 1204000.
fn thousands_separators(text: &str) -> String {
    static GROUPED: LazyLock<Regex> = LazyLock::new(|| regex(r"\b\d{1,3}(,\d{3})+\b"));
    GROUPED
        .replace_all(text, |c: &Captures| c[0].replace(',', ""))
        .into_owned()
}

/// Titles and short forms a reader expands.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("Mr.", "Mister"),
    ("Mrs.", "Missus"),
    ("Ms.", "Miz"),
    ("Dr.", "Doctor"),
    ("Prof.", "Professor"),
    ("Gov.", "Governor"),
    ("Sen.", "Senator"),
    ("Rep.", "Representative"),
    ("Gen.", "General"),
    ("Lt.", "Lieutenant"),
    ("Col.", "Colonel"),
    ("Capt.", "Captain"),
    ("Sgt.", "Sergeant"),
    ("Jr.", "Junior"),
    ("Sr.", "Senior"),
    ("vs.", "versus"),
    ("etc.", "et cetera"),
    ("e.g.", "for example"),
    ("i.e.", "that is"),
    ("approx.", "approximately"),
    ("Jan.", "January"),
    ("Feb.", "February"),
    ("Mar.", "March"),
    ("Apr.", "April"),
    ("Aug.", "August"),
    ("Sept.", "September"),
    ("Sep.", "September"),
    ("Oct.", "October"),
    ("Nov.", "November"),
    ("Dec.", "December"),
    ("U.S.", "U S"),
    ("U.K.", "U K"),
    ("U.N.", "U N"),
];

/// Abbreviations: Mr. → Mister, Jan. → January, No. 5 → number 5, St.
/// before a name → Saint and after one → Street.
fn abbreviations(text: &str) -> String {
    static NUMBER_SIGN: LazyLock<Regex> = LazyLock::new(|| regex(r"\b[Nn]o\. ?(\d)"));
    static SAINT: LazyLock<Regex> = LazyLock::new(|| regex(r"\bSt\. ([A-Z])"));
    static STREET: LazyLock<Regex> = LazyLock::new(|| regex(r"\bSt\.?\b"));
    let mut text = NUMBER_SIGN.replace_all(text, "number $1").into_owned();
    text = SAINT.replace_all(&text, "Saint $1").into_owned();
    text = STREET.replace_all(&text, "Street").into_owned();
    for (short, long) in ABBREVIATIONS {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(short) {
            let before_ok = !rest[..at].ends_with(|c: char| c.is_alphanumeric());
            out.push_str(&rest[..at]);
            out.push_str(if before_ok { long } else { short });
            rest = &rest[at + short.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Dates: "March 3, 2025" → "March third, 2025"; "3 March" → "the third of March".
fn dates(text: &str) -> String {
    static MONTH_DAY: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"\b({MONTHS}) (\d{{1,2}})(?:st|nd|rd|th)?\b")));
    static DAY_MONTH: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)? ({MONTHS})\b")));
    let text = MONTH_DAY.replace_all(text, |c: &Captures| {
        format!("{} {}", &c[1], ordinal(&en_cardinal(&c[2])))
    });
    DAY_MONTH
        .replace_all(&text, |c: &Captures| {
            format!("the {} of {}", ordinal(&en_cardinal(&c[1])), &c[2])
        })
        .into_owned()
}

/// 9:05 → nine oh five, 14:30 → fourteen thirty, 7:00 → seven o'clock,
/// 3 p.m. → three p m.
fn times(text: &str) -> String {
    static TIME: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(\d{1,2}):(\d{2})(?: ?([ap])\.?m\.?)?"));
    static HOUR: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(\d{1,2}) ?([ap])\.?m\.?"));
    let text = TIME.replace_all(text, |c: &Captures| {
        let hour = en_cardinal(&c[1]);
        let minutes = match c[2].parse::<u32>().unwrap_or(0) {
            0 if c.get(3).is_some() => String::new(),
            0 => " o'clock".to_string(),
            minute @ 1..=9 => format!(" oh {}", en_cardinal(&minute.to_string())),
            _ => format!(" {}", en_cardinal(&c[2])),
        };
        let period = c
            .get(3)
            .map_or(String::new(), |p| format!(" {} m", p.as_str()));
        format!("{hour}{minutes}{period}")
    });
    HOUR.replace_all(&text, |c: &Captures| {
        format!("{} {} m", en_cardinal(&c[1]), &c[2])
    })
    .into_owned()
}

/// $5 → 5 dollars, $1.2 billion → 1.2 billion dollars, $5.50 → five
/// dollars fifty, €3.5 → 3.5 euros.
fn money(text: &str) -> String {
    static MONEY: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(US\$|\$|€|£|¥)(\d+)(?:\.(\d+))?( (?:thousand|million|billion|trillion))?")
    });
    MONEY
        .replace_all(text, |c: &Captures| {
            let (unit, cents_unit) = match &c[1] {
                "$" | "US$" => ("dollars", "cents"),
                "€" => ("euros", "cents"),
                "£" => ("pounds", "pence"),
                _ => ("yuan", ""),
            };
            let fraction = c.get(3).map(|m| m.as_str());
            match (c.get(4), fraction) {
                (Some(scale), Some(f)) => format!("{}.{f}{} {unit}", &c[2], scale.as_str()),
                (Some(scale), None) => format!("{}{} {unit}", &c[2], scale.as_str()),
                (None, Some(f)) if f.len() == 2 && !cents_unit.is_empty() => {
                    let unit = if &c[2] == "1" {
                        unit.trim_end_matches('s')
                    } else {
                        unit
                    };
                    format!(
                        "{} {unit} {} {cents_unit}",
                        &c[2],
                        f.trim_start_matches('0')
                    )
                }
                (None, Some(f)) => format!("{}.{f} {unit}", &c[2]),
                (None, None) => {
                    let unit = if &c[2] == "1" {
                        unit.trim_end_matches('s')
                    } else {
                        unit
                    };
                    format!("{} {unit}", &c[2])
                }
            }
        })
        .into_owned()
}

/// 5% → 5 percent.
fn percentages(text: &str) -> String {
    static PERCENT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+(?:\.\d+)?) ?%"));
    PERCENT.replace_all(text, "$1 percent").into_owned()
}

/// Unit symbols after a number, with their spoken names.
const UNITS: &[(&str, &str)] = &[
    ("km/h", "kilometers per hour"),
    ("mph", "miles per hour"),
    ("km²", "square kilometers"),
    ("m²", "square meters"),
    ("km", "kilometers"),
    ("kg", "kilograms"),
    ("cm", "centimeters"),
    ("mm", "millimeters"),
    ("kWh", "kilowatt hours"),
    ("kW", "kilowatts"),
    ("MW", "megawatts"),
    ("GW", "gigawatts"),
    ("kV", "kilovolts"),
    ("°C", "degrees Celsius"),
    ("°F", "degrees Fahrenheit"),
    ("℃", "degrees Celsius"),
    ("lb", "pounds"),
    ("lbs", "pounds"),
    ("ft", "feet"),
    ("mi", "miles"),
    ("GB", "gigabytes"),
    ("MB", "megabytes"),
];

/// 30 km → 30 kilometers, 25°C → 25 degrees Celsius.
fn units(text: &str) -> String {
    static TABLE: LazyLock<UnitTable> = LazyLock::new(|| UnitTable::new(UNITS));
    TABLE.name_units(text, " ")
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

/// Decades: 1990s → nineteen nineties.
fn decades(text: &str) -> String {
    static DECADE: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(1[1-9]|20)(\d)0s\b"));
    DECADE
        .replace_all(text, |c: &Captures| {
            let tens = en_cardinal(&format!("{}0", &c[2]));
            let plural = tens
                .strip_suffix('y')
                .map_or_else(|| format!("{tens}s"), |stem| format!("{stem}ies"));
            if &c[2] == "0" {
                format!("{} hundreds", en_cardinal(&c[1]))
            } else {
                format!("{} {plural}", en_cardinal(&c[1]))
            }
        })
        .into_owned()
}

/// A dash between two numbers reads "to": 2021-2023 → 2021 to 2023.
fn ranges(text: &str) -> String {
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(\d+(?:\.\d+)?) ?[-–—] ?(\d+(?:\.\d+)?)\b"));
    RANGE.replace_all(text, "$1 to $2").into_owned()
}

/// A minus sign before a lone number: -5 → minus 5.
fn negatives(text: &str) -> String {
    static MINUS: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[\s(])[-−](\d)"));
    MINUS.replace_all(text, "${1}minus $2").into_owned()
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
    let text = text
        .replace('&', " and ")
        .replace('+', " plus ")
        .replace('=', " equals ")
        .replace('@', " at ")
        .replace('#', " number ")
        .replace('%', " percent");
    text.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::{assert_readings, spoken};
    use crate::text::Lang;

    const CASES: &[(&str, &str, &str)] = &[
        (
            "decimals",
            "It rose 3.5% in 2025.",
            "It rose three point five percent in twenty twenty-five.",
        ),
        (
            "times",
            "Doors open at 9:05 and close at 17:00.",
            "Doors open at nine oh five and close at seventeen o'clock.",
        ),
        (
            "times",
            "The talks start at 3 p.m. Monday.",
            "The talks start at three p m Monday.",
        ),
        ("times", "at 10:30 a.m.", "at ten thirty a m"),
        ("times", "at 15:30", "at fifteen thirty"),
        (
            "money",
            "She won $1,200 on the 22nd.",
            "She won one thousand two hundred dollars on the twenty-second.",
        ),
        (
            "money",
            "a $1.2 billion deal",
            "a one point two billion dollars deal",
        ),
        (
            "money",
            "It costs $5.50.",
            "It costs five dollars fifty cents.",
        ),
        (
            "money",
            "£20 and €3.5 million",
            "twenty pounds and three point five million euros",
        ),
        ("money", "$1", "one dollar"),
        (
            "years",
            "In 2008, 2000, 1990 and 2025.",
            "In two thousand eight, two thousand, nineteen ninety and twenty twenty-five.",
        ),
        ("years", "in the 1990s", "in the nineteen nineties"),
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
            "units",
            "a 30 km drive at 80 km/h",
            "a thirty kilometers drive at eighty kilometers per hour",
        ),
        ("units", "25°C", "twenty-five degrees Celsius"),
        ("units", "500 kV lines", "five hundred kilovolts lines"),
        (
            "abbreviations",
            "Mr. Smith met Dr. Jones.",
            "Mister Smith met Doctor Jones.",
        ),
        (
            "abbreviations",
            "St. Louis on Main St.",
            "Saint Louis on Main Street.",
        ),
        ("abbreviations", "No. 5 won.", "number five won."),
        (
            "dates",
            "on Jan. 5, 2025",
            "on January fifth, twenty twenty-five",
        ),
        ("dates", "on 3 March", "on the third of March"),
        ("dates", "March 21st", "March twenty-first"),
        ("ordinals", "the 1st and 3rd", "the first and third"),
        (
            "phones",
            "Call 555-123-4567.",
            "Call five five five, one two three, four five six seven.",
        ),
        (
            "phones",
            "(202) 555-0100",
            "two zero two, five five five, zero one zero zero",
        ),
        (
            "urls",
            "Visit www.xinhua.org/news today",
            "Visit w w w dot xinhua dot org slash news today",
        ),
        (
            "emails",
            "Write to news@bbc.co.uk now",
            "Write to news at bbc dot co dot uk now",
        ),
        ("symbols", "R&D grew.", "R and D grew."),
        (
            "plain",
            "The council met on Friday.",
            "The council met on Friday.",
        ),
    ];

    #[test]
    fn readings() {
        assert_readings(CASES, |written| spoken(written, Lang::En));
    }
}
