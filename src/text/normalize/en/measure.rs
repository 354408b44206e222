//! Measures: a number with a unit symbol (5 km, 25°C, 80 km/h, 3 mg/L) or a
//! percent sign, the unit said in full and singular after one.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{alternatives, number_words, regex, NUMBER};

/// Unit symbols, their singular and plural names. Case matters (m is a
/// metre, M is not).
const UNITS: &[(&str, &str, &str)] = &[
    ("km/h", "kilometer per hour", "kilometers per hour"),
    ("kph", "kilometer per hour", "kilometers per hour"),
    ("mph", "mile per hour", "miles per hour"),
    ("m/s", "meter per second", "meters per second"),
    ("km²", "square kilometer", "square kilometers"),
    ("sq km", "square kilometer", "square kilometers"),
    ("m²", "square meter", "square meters"),
    ("m2", "square meter", "square meters"),
    ("sq ft", "square foot", "square feet"),
    ("m³", "cubic meter", "cubic meters"),
    ("km", "kilometer", "kilometers"),
    ("cm", "centimeter", "centimeters"),
    ("mm", "millimeter", "millimeters"),
    ("m", "meter", "meters"),
    ("kg", "kilogram", "kilograms"),
    ("mg", "milligram", "milligrams"),
    ("µg", "microgram", "micrograms"),
    ("g", "gram", "grams"),
    ("lbs", "pound", "pounds"),
    ("lb", "pound", "pounds"),
    ("oz", "ounce", "ounces"),
    ("ft", "foot", "feet"),
    ("mi", "mile", "miles"),
    ("ml", "milliliter", "milliliters"),
    ("mL", "milliliter", "milliliters"),
    ("L", "liter", "liters"),
    ("ha", "hectare", "hectares"),
    ("kWh", "kilowatt hour", "kilowatt hours"),
    ("MWh", "megawatt hour", "megawatt hours"),
    ("GWh", "gigawatt hour", "gigawatt hours"),
    ("kW", "kilowatt", "kilowatts"),
    ("MW", "megawatt", "megawatts"),
    ("GW", "gigawatt", "gigawatts"),
    ("kV", "kilovolt", "kilovolts"),
    ("GHz", "gigahertz", "gigahertz"),
    ("MHz", "megahertz", "megahertz"),
    ("kHz", "kilohertz", "kilohertz"),
    ("Hz", "hertz", "hertz"),
    ("TB", "terabyte", "terabytes"),
    ("GB", "gigabyte", "gigabytes"),
    ("MB", "megabyte", "megabytes"),
    ("KB", "kilobyte", "kilobytes"),
    ("Gbps", "gigabit per second", "gigabits per second"),
    ("Mbps", "megabit per second", "megabits per second"),
    ("dB", "decibel", "decibels"),
    ("°C", "degree Celsius", "degrees Celsius"),
    ("℃", "degree Celsius", "degrees Celsius"),
    ("°F", "degree Fahrenheit", "degrees Fahrenheit"),
    ("°", "degree", "degrees"),
    ("hrs", "hour", "hours"),
    ("hr", "hour", "hours"),
    ("mins", "minute", "minutes"),
    ("min", "minute", "minutes"),
    ("sec", "second", "seconds"),
    ("ms", "millisecond", "milliseconds"),
    ("bbl", "barrel", "barrels"),
];

fn unit(symbol: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    UNITS.iter().find(|u| u.0 == symbol)
}

/// 5% → five percent, 5-8% → five to eight percent.
pub fn percentages(text: &str) -> String {
    static PERCENT: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"({NUMBER}) ?(%|percent\b|per cent\b|pct\b)")));
    PERCENT
        .replace_all(text, |c: &Captures| {
            format!("{} percent", number_words(&c[1]))
        })
        .into_owned()
}

/// 30 km → thirty kilometers, 1 kg → one kilogram, 25°C → twenty-five
/// degrees Celsius, 3 mg/L → three milligrams per liter.
pub fn measures(text: &str) -> String {
    static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
        let symbols = alternatives(UNITS.iter().map(|u| u.0));
        regex(&format!(
            r"(^|[^\w.,\-−])([-−]?)({NUMBER})(?: ?(?:-|–|to) ?({NUMBER}))? ?({symbols})(?:/({symbols}))?($|[^\w²³])"
        ))
    });
    MEASURE
        .replace_all(text, |c: &Captures| {
            let Some(&(_, singular, plural)) = unit(&c[5]) else {
                return c[0].to_string();
            };
            let one = &c[3] == "1" && c.get(4).is_none() && c[2].is_empty();
            let mut said = if c[2].is_empty() {
                number_words(&c[3])
            } else {
                format!("minus {}", number_words(&c[3]))
            };
            if let Some(upper) = c.get(4) {
                said.push_str(" to ");
                said.push_str(&number_words(upper.as_str()));
            }
            said.push(' ');
            said.push_str(if one { singular } else { plural });
            if let Some(per) = c.get(6).and_then(|p| unit(p.as_str())) {
                said.push_str(" per ");
                said.push_str(per.1);
            }
            format!("{}{said}{}", &c[1], &c[7])
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::super::assert_readings;
    use super::{measures, percentages};

    #[test]
    fn readings() {
        assert_readings(
            &[
                ("distance", "a 30 km drive", "a thirty kilometers drive"),
                ("speed", "at 80 km/h", "at eighty kilometers per hour"),
                ("singular", "weighs 1 kg", "weighs one kilogram"),
                ("celsius", "25°C", "twenty-five degrees Celsius"),
                ("decimal", "2.5 km", "two point five kilometers"),
                ("joined", "500kV lines", "five hundred kilovolts lines"),
                (
                    "per_unit",
                    "3 mg/L of lead",
                    "three milligrams per liter of lead",
                ),
                ("range", "5-10 km", "five to ten kilometers"),
                (
                    "separators",
                    "1,500 MW",
                    "one thousand five hundred megawatts",
                ),
                ("feet", "6 ft tall", "six feet tall"),
                (
                    "below_zero",
                    "a low of -3°C",
                    "a low of minus three degrees Celsius",
                ),
                ("percent", "up 3.5%", "up three point five percent"),
                ("pct", "rose 1.5 pct", "rose one point five percent"),
                ("not_a_unit", "5 mice", "5 mice"),
                ("word_after", "Flight 5 m away", "Flight five meters away"),
            ],
            |t| measures(&percentages(t)),
        );
    }
}
