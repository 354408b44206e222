//! Clock times: 3:30 p.m., 15:30 GMT, 5pm–7pm, race times with seconds.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::super::numbers::en_cardinal;
use super::{regex, spelled};

/// Time zones read letter by letter after a time.
const ZONES: &str = r"GMT|UTC|BST|CET|CEST|EET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AEST|AEDT|JST|IST|HKT|SGT|ET|PT|CT|MT";

/// Times: 9:05 → nine oh five, 17:00 → seventeen o'clock, 3 p.m. → three
/// p m, 15:30 GMT → fifteen thirty G M T, 2:01:39 → two hours one minute
/// and thirty-nine seconds, 2pm-5pm → two p m to five p m.
pub fn times(text: &str) -> String {
    static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(?i)\b(\d{{1,2}})(?::(\d{{2}})(?::(\d{{2}}))?|\.(\d{{2}}))(?: ?([ap])\.?m\b\.?)?(?: ?((?-i:{ZONES})|(?:e\.s\.t|g\.m\.t)\.?)\b)?"
        ))
    });
    static HOUR: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(?i)\b(\d{{1,2}}) ?([ap])\.?m\b\.?(?: ?((?-i:{ZONES}))\b)?"
        ))
    });
    static SPAN: LazyLock<Regex> = LazyLock::new(|| regex(r"\b([ap] m|o'clock) ?[-–] ?"));
    let text = CLOCK.replace_all(text, |c: &Captures| {
        let hour: u32 = c[1].parse().unwrap_or(99);
        let minute_text = c.get(2).or(c.get(4)).map_or("00", |m| m.as_str());
        let minute: u32 = minute_text.parse().unwrap_or(99);
        let period = c.get(5).map(|p| p.as_str().to_ascii_lowercase());
        // 1.59 is a time only with a.m. or p.m. after it.
        let dotted_without_period = c.get(4).is_some() && period.is_none();
        if dotted_without_period || hour > 24 || minute > 59 || (period.is_some() && hour > 12) {
            return c[0].to_string();
        }
        let mut said = if let Some(second) = c.get(3) {
            let second: u32 = second.as_str().parse().unwrap_or(0);
            format!(
                "{} {} and {}",
                counted(hour, "hour"),
                counted(minute, "minute"),
                counted(second, "second")
            )
        } else {
            let hour_words = en_cardinal(&c[1]);
            match minute {
                0 if period.is_some() => hour_words,
                0 => format!("{hour_words} o'clock"),
                1..=9 => format!("{hour_words} oh {}", en_cardinal(&minute.to_string())),
                _ => format!("{hour_words} {}", en_cardinal(minute_text)),
            }
        };
        if let Some(period) = period {
            said.push(' ');
            said.push_str(&period);
            said.push_str(" m");
        }
        if let Some(zone) = c.get(6) {
            said.push(' ');
            said.push_str(&spelled(zone.as_str()));
        }
        said
    });
    let text = HOUR.replace_all(&text, |c: &Captures| {
        let hour: u32 = c[1].parse().unwrap_or(99);
        if hour > 12 {
            return c[0].to_string();
        }
        let zone = c
            .get(3)
            .map_or(String::new(), |z| format!(" {}", spelled(z.as_str())));
        format!(
            "{} {} m{zone}",
            en_cardinal(&c[1]),
            c[2].to_ascii_lowercase()
        )
    });
    SPAN.replace_all(&text, "$1 to ").into_owned()
}

/// "1 hour", "39 seconds" in words.
fn counted(value: u32, unit: &str) -> String {
    let plural = if value == 1 { "" } else { "s" };
    format!("{} {unit}{plural}", en_cardinal(&value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::times;

    #[test]
    fn readings() {
        assert_readings(
            &[
                (
                    "clock",
                    "Doors open at 9:05 and close at 17:00.",
                    "Doors open at nine oh five and close at seventeen o'clock.",
                ),
                (
                    "hour_pm",
                    "The talks start at 3 p.m. Monday.",
                    "The talks start at three p m Monday.",
                ),
                ("minutes_am", "at 10:30 a.m.", "at ten thirty a m"),
                ("twenty_four_hour", "at 15:30", "at fifteen thirty"),
                ("zone", "at 15:30 GMT", "at fifteen thirty G M T"),
                ("zone_pm", "1:59 p.m. EST", "one fifty-nine p m E S T"),
                ("compact", "at 5pm", "at five p m"),
                ("span", "open 2pm-5pm", "open two p m to five p m"),
                ("dotted", "at 1.59 p.m.", "at one fifty-nine p m"),
                (
                    "race_time",
                    "won in 2:01:39",
                    "won in two hours one minute and thirty-nine seconds",
                ),
                (
                    "not_a_time",
                    "a 3:45 ratio of 99:99",
                    "a three forty-five ratio of 99:99",
                ),
            ],
            times,
        );
    }
}
