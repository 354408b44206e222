//! Dates: month names in any order and case (July 25, 2012; 25 Jul 2012;
//! jul 25 2012), ISO and numeric dates, decades and eras.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{month_number, ordinal, regex, year_words, MONTH, MONTH_NAMES};

/// The name of month `number` (1–12).
fn month_name(number: usize) -> &'static str {
    MONTH_NAMES[number.clamp(1, 12) - 1]
}

/// A day of the month as an ordinal: "3" → "third".
fn day_words(day: &str) -> String {
    ordinal(&en_cardinal(day))
}

/// "November third, twenty sixteen": the American order newsreaders use
/// for a date written with the month first or in figures.
fn month_first(month: usize, day: &str, year: Option<&str>, comma: &str) -> String {
    let mut said = format!("{} {}", month_name(month), day_words(day));
    if let Some(year) = year {
        said.push_str(comma);
        said.push(' ');
        said.push_str(&year_words(year));
    }
    said
}

/// Dates with a month name or in figures.
pub fn dates(text: &str) -> String {
    let text = iso_dates(text);
    let text = numeric_dates(&text);
    let text = month_day(&text);
    day_month(&text)
}

/// 2016-11-03 and 2016/07/03 → "November third, twenty sixteen".
fn iso_dates(text: &str) -> String {
    static ISO: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})\b"));
    ISO.replace_all(text, |c: &Captures| {
        let month: usize = c[3].parse().unwrap_or(0);
        let day: u32 = c[5].parse().unwrap_or(0);
        if c[2] != c[4] || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return c[0].to_string();
        }
        month_first(month, &c[5], Some(&c[1]), ",")
    })
    .into_owned()
}

/// Dates in figures with the year last. A first number above 12 must be
/// the day (15.01.2020 → the fifteenth of January twenty twenty); a second
/// above 12 the day (10/26/2005); otherwise dots are European order and
/// slashes and dashes American (10/06/2005 → October sixth).
fn numeric_dates(text: &str) -> String {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(^|[^\d/.\-])(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})($|[^\d/\-]|\.\D|\.$)")
    });
    NUMERIC
        .replace_all(text, |c: &Captures| {
            let (a, b): (usize, usize) = (c[2].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
            let day_first = a > 12 || (b <= 12 && &c[3] == ".");
            let (day, month) = if day_first { (a, b) } else { (b, a) };
            if c[3] != c[5] || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                return c[0].to_string();
            }
            let day_text = day.to_string();
            let said = if day_first {
                format!(
                    "the {} of {} {}",
                    day_words(&day_text),
                    month_name(month),
                    year_words(&c[6])
                )
            } else {
                month_first(month, &day_text, Some(&c[6]), ",")
            };
            format!("{}{said}{}", &c[1], &c[7])
        })
        .into_owned()
}

/// July 25, 2012 / jul 25 2012 / Jan-15-2020 / Sept. 15 / July 2012.
fn month_day(text: &str) -> String {
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(?i)\b({MONTH})[ -](\d{{1,2}})(?:st|nd|rd|th)?\b(?:(,?)[ -](\d{{4}})\b)?"
        ))
    });
    static MONTH_YEAR: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"(?i)\b({MONTH}),? (\d{{4}})\b")));
    let text = MONTH_DAY.replace_all(text, |c: &Captures| {
        let Some(month) = month_number(&c[1]) else {
            return c[0].to_string();
        };
        let day: u32 = c[2].parse().unwrap_or(0);
        // "may 5" lower case is a verb and a number, unless a year follows.
        let verb_may = &c[1] == "may" && c.get(4).is_none();
        if !(1..=31).contains(&day) || verb_may {
            return c[0].to_string();
        }
        month_first(
            month,
            &c[2],
            c.get(4).map(|y| y.as_str()),
            c.get(3).map_or("", |m| m.as_str()),
        )
    });
    MONTH_YEAR
        .replace_all(&text, |c: &Captures| match month_number(&c[1]) {
            Some(month) if &c[1] != "may" => {
                format!("{} {}", month_name(month), year_words(&c[2]))
            }
            _ => c[0].to_string(),
        })
        .into_owned()
}

/// 25 July 2012 / 25th jul 2012 / the 26th May → "the twenty-fifth of July
/// twenty twelve".
fn day_month(text: &str) -> String {
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(?i)\b(the )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({MONTH})(?:,? (\d{{4}}))?\b\.?"
        ))
    });
    DAY_MONTH
        .replace_all(text, |c: &Captures| {
            let (Some(month), Ok(day)) = (month_number(&c[3]), c[2].parse::<u32>()) else {
                return c[0].to_string();
            };
            if !(1..=31).contains(&day) {
                return c[0].to_string();
            }
            let article = c.get(1).map_or("the ", |a| a.as_str());
            let mut said = format!("{article}{} of {}", day_words(&c[2]), month_name(month));
            if let Some(year) = c.get(4) {
                said.push(' ');
                said.push_str(&year_words(year.as_str()));
            }
            // An abbreviation's dot goes; a sentence's full stop stays.
            if c[0].ends_with('.') && !c[3].ends_with('.') {
                said.push('.');
            }
            said
        })
        .into_owned()
}

/// Decades: 1990s → nineteen nineties, 2000s → two thousands, '80s and
/// 80s → eighties.
pub fn decades(text: &str) -> String {
    static DECADE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\w'’])(\d{2})?(?:['’])?(\d)0 ?s\b"));
    DECADE
        .replace_all(text, |c: &Captures| {
            let tens = en_cardinal(&format!("{}0", &c[3]));
            let plural = tens
                .strip_suffix('y')
                .map_or_else(|| format!("{tens}s"), |stem| format!("{stem}ies"));
            let said = match (c.get(2).map(|m| m.as_str()), &c[3]) {
                (Some(century), "0") if century.ends_with('0') => {
                    format!("{} thousands", en_cardinal(&century[..1]))
                }
                (Some(century), "0") => format!("{} hundreds", en_cardinal(century)),
                (Some(century), _) => format!("{} {plural}", en_cardinal(century)),
                (None, "0") => return c[0].to_string(),
                (None, _) => plural,
            };
            format!("{}{said}", &c[1])
        })
        .into_owned()
}

/// Years with an era: 340 AD → three forty A D, 44 BC → forty-four B C.
pub fn eras(text: &str) -> String {
    static AFTER: LazyLock<Regex> =
        LazyLock::new(|| regex(r"\b(\d{1,4}) ?(A\.?D|B\.?C|B\.?C\.?E|C\.?E)\b\.?"));
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| regex(r"\b(A\.?D\.?) (\d{1,4})\b"));
    let era = |mark: &str| {
        mark.replace('.', "")
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text = AFTER.replace_all(text, |c: &Captures| {
        format!("{} {}", year_words(&c[1]), era(&c[2]))
    });
    BEFORE
        .replace_all(&text, |c: &Captures| {
            format!("{} {}", era(&c[1]), year_words(&c[2]))
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{dates, decades, eras};

    #[test]
    fn dates_read_as_dates() {
        assert_readings(
            &[
                (
                    "month_day_year",
                    "on July 25, 2012",
                    "on July twenty-fifth, twenty twelve",
                ),
                ("fragment", "jul 25 2012", "July twenty-fifth twenty twelve"),
                (
                    "abbreviated",
                    "on Jan. 5, 2025",
                    "on January fifth, twenty twenty-five",
                ),
                ("capitals", "SEPT. 15", "September fifteenth"),
                ("ordinal_suffix", "March 21st", "March twenty-first"),
                ("day_month", "on 3 March", "on the third of March"),
                (
                    "day_month_year",
                    "25th jul 2012",
                    "the twenty-fifth of July twenty twelve",
                ),
                (
                    "the_day_month",
                    "on the 26th May in",
                    "on the twenty-sixth of May in",
                ),
                ("iso", "2016-11-03", "November third, twenty sixteen"),
                ("iso_slash", "2016/07/03", "July third, twenty sixteen"),
                ("iso_2000s", "2006-08-05", "August fifth, two thousand six"),
                (
                    "day_first",
                    "15.01.2020",
                    "the fifteenth of January twenty twenty",
                ),
                (
                    "dotted_european",
                    "01.10.2010",
                    "the first of October twenty ten",
                ),
                ("american", "10/06/2005", "October sixth, two thousand five"),
                (
                    "two_digit_year",
                    "11/17/05",
                    "November seventeenth, oh five",
                ),
                (
                    "dashed_month",
                    "Jan-15-2020",
                    "January fifteenth twenty twenty",
                ),
                ("month_year", "in July 1876", "in July eighteen seventy-six"),
                ("may_verb", "It may 5 times", "It may 5 times"),
                (
                    "not_a_date",
                    "scored 45/17/2 points",
                    "scored 45/17/2 points",
                ),
                (
                    "full_stop",
                    "It ended on 5 May.",
                    "It ended on the fifth of May.",
                ),
            ],
            dates,
        );
    }

    #[test]
    fn decades_and_eras() {
        assert_readings(
            &[
                ("decade", "in the 1990s", "in the nineteen nineties"),
                ("spaced", "1980 s", "nineteen eighties"),
                ("tens", "the 1910s", "the nineteen tens"),
                ("two_thousands", "the 2000s", "the two thousands"),
                ("short", "the '80s", "the eighties"),
                ("mid", "mid-1980s", "mid-nineteen eighties"),
                ("ad", "in 340 AD", "in three forty A D"),
                ("bc", "44 BC", "forty-four B C"),
            ],
            |t| eras(&decades(t)),
        );
    }
}
