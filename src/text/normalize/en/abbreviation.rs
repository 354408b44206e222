//! Abbreviations a reader expands (Mr., Inc., No. 5, St. by context) and
//! acronyms, said as words (NATO) or letter by letter (FBI).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{in_dotted_run, regex, spelled, word_acronym};

/// Titles and short forms a reader expands. Month abbreviations are left to
/// the date rule, which reads them with their day.
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
    ("Rev.", "Reverend"),
    ("Hon.", "Honourable"),
    ("Pres.", "President"),
    ("Jr.", "Junior"),
    ("Sr.", "Senior"),
    ("Inc.", "Incorporated"),
    ("Ltd.", "Limited"),
    ("Corp.", "Corporation"),
    ("Co.", "Company"),
    ("Bros.", "Brothers"),
    ("Dept.", "Department"),
    ("Univ.", "University"),
    ("Ave.", "Avenue"),
    ("Blvd.", "Boulevard"),
    ("Rd.", "Road"),
    ("Mt.", "Mount"),
    ("Ft.", "Fort"),
    ("vs.", "versus"),
    ("etc.", "et cetera"),
    ("e.g.", "for example"),
    ("i.e.", "that is"),
    ("approx.", "approximately"),
    ("est.", "estimated"),
];

/// Abbreviations: Mr. → Mister, No. 5 and #5 → number 5, St. before a name →
/// Saint and after one → Street, U.S. → U S.
pub fn abbreviations(text: &str) -> String {
    static NUMBER_SIGN: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(N|n)o\. ?(\d)"));
    static HASH_NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[^\w&])#(\d)"));
    static SAINT: LazyLock<Regex> = LazyLock::new(|| regex(r"\bSt\. ([A-Z])"));
    static STREET: LazyLock<Regex> = LazyLock::new(|| regex(r"\bSt\.?\b"));
    static VERSUS: LazyLock<Regex> = LazyLock::new(|| regex(r"\bvs\b\.?"));
    static DOTTED: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(?:[A-Z]\.){2,}"));
    let mut text = NUMBER_SIGN
        .replace_all(text, |c: &Captures| {
            let word = if &c[1] == "N" { "Number" } else { "number" };
            format!("{word} {}", &c[2])
        })
        .into_owned();
    text = HASH_NUMBER.replace_all(&text, "${1}number $2").into_owned();
    text = SAINT.replace_all(&text, "Saint $1").into_owned();
    text = STREET.replace_all(&text, "Street").into_owned();
    for (short, long) in ABBREVIATIONS {
        text = whole_word_replaced(&text, short, long);
    }
    text = VERSUS.replace_all(&text, "versus").into_owned();
    // U.S., D.C.: initials read as letters; the last dot also ends a
    // sentence when nothing follows.
    DOTTED
        .replace_all(&text, |c: &Captures| spelled(&c[0]))
        .into_owned()
}

fn whole_word_replaced(text: &str, short: &str, long: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(short) {
        let before_ok = !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '.');
        out.push_str(&rest[..at]);
        out.push_str(if before_ok { long } else { short });
        rest = &rest[at + short.len()..];
    }
    out.push_str(rest);
    out
}

/// Acronyms in capitals: those said as words (NATO → Nato) and the rest
/// letter by letter (FBI → F B I). A line written all in capitals (a
/// headline) is left as written: its words are not acronyms.
pub fn acronyms(text: &str) -> String {
    static ACRONYM: LazyLock<Regex> = LazyLock::new(|| regex(r"\b([A-Z]{2,6})(s?)\b"));
    let words = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() > 1)
        .count();
    if words >= 3 && !text.chars().any(char::is_lowercase) {
        return text.to_string();
    }
    ACRONYM
        .replace_all(text, |c: &Captures| {
            let letters = &c[1];
            if in_dotted_run(text, c.get(0).expect("group 0").range()) {
                return c[0].to_string();
            }
            if let Some(word) = word_acronym(letters) {
                return format!("{word}{}", &c[2]);
            }
            if letters.len() > 4 {
                return c[0].to_string();
            }
            let plural = if c[2].is_empty() { "" } else { "'s" };
            format!("{}{plural}", spelled(letters))
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{abbreviations, acronyms};

    #[test]
    fn abbreviations_expand() {
        assert_readings(
            &[
                (
                    "titles",
                    "Mr. Smith met Dr. Jones.",
                    "Mister Smith met Doctor Jones.",
                ),
                (
                    "saint_street",
                    "St. Louis on Main St.",
                    "Saint Louis on Main Street.",
                ),
                ("number", "No. 5 won.", "Number 5 won."),
                ("hash_number", "the #1 seed", "the number 1 seed"),
                (
                    "companies",
                    "Apple Inc. and Acme Corp.",
                    "Apple Incorporated and Acme Corporation",
                ),
                ("versus", "Spain vs. Italy", "Spain versus Italy"),
                ("latin", "fruit, e.g. apples", "fruit, for example apples"),
                ("initials", "the U.S. and U.K.", "the U S and U K"),
                ("inside_words", "Drs. and Rev.", "Drs. and Reverend"),
            ],
            abbreviations,
        );
    }

    #[test]
    fn acronyms_as_words_or_letters() {
        assert_readings(
            &[
                ("letters", "the FBI and CIA", "the F B I and C I A"),
                ("words", "NATO leaders and NASA", "Nato leaders and Nasa"),
                ("plural", "two CEOs said", "two C E O's said"),
                ("headline", "STORM HITS COAST", "STORM HITS COAST"),
                ("fragment", "AT&T", "A T&T"),
                ("long", "the AFL-CIO union", "the A F L-C I O union"),
            ],
            acronyms,
        );
    }
}
