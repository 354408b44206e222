//! Chinese normalization rules, applied in table order.
//!
//! Specific readings run first (phone numbers, codes, dates, times, units,
//! percentages); the general cardinal rule reads whatever digits are left,
//! so no ASCII digit survives. See `docs/normalization.md` for the news
//! conventions behind each rule.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numbers::{zh_cardinal, zh_digits, zh_phone_digits};
use super::{Rule, UnitTable};

/// The Chinese rules, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        name: "full_width_forms",
        apply: full_width_forms,
    },
    Rule {
        name: "spaces_around_digits",
        apply: spaces_around_digits,
    },
    Rule {
        name: "thousands_separators",
        apply: thousands_separators,
    },
    Rule {
        name: "operators",
        apply: operators,
    },
    Rule {
        name: "letter_to_letter",
        apply: letter_to_letter,
    },
    Rule {
        name: "speeds",
        apply: speeds,
    },
    Rule {
        name: "units",
        apply: units,
    },
    Rule {
        name: "temperatures",
        apply: temperatures,
    },
    Rule {
        name: "money",
        apply: money,
    },
    Rule {
        name: "phone_numbers",
        apply: phone_numbers,
    },
    Rule {
        name: "service_numbers",
        apply: service_numbers,
    },
    Rule {
        name: "emergency_numbers",
        apply: emergency_numbers,
    },
    Rule {
        name: "letter_codes",
        apply: letter_codes,
    },
    Rule {
        name: "ip_addresses",
        apply: ip_addresses,
    },
    Rule {
        name: "eras",
        apply: eras,
    },
    Rule {
        name: "numeric_dates",
        apply: numeric_dates,
    },
    Rule {
        name: "year_months",
        apply: year_months,
    },
    Rule {
        name: "commemorative_dates",
        apply: commemorative_dates,
    },
    Rule {
        name: "years",
        apply: years,
    },
    Rule {
        name: "generations",
        apply: generations,
    },
    Rule {
        name: "times",
        apply: times,
    },
    Rule {
        name: "ratios",
        apply: ratios,
    },
    Rule {
        name: "percentages",
        apply: percentages,
    },
    Rule {
        name: "fractions",
        apply: fractions,
    },
    Rule {
        name: "identifiers",
        apply: identifiers,
    },
    Rule {
        name: "ordinals",
        apply: ordinals,
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
        name: "per_unit",
        apply: per_unit,
    },
    Rule {
        name: "acronyms",
        apply: acronyms,
    },
    Rule {
        name: "symbols",
        apply: symbols,
    },
];

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("normalization patterns are valid")
}

/// A number as written: digits with an optional decimal part.
const NUMBER: &str = r"\d+(?:\.\d+)?";

/// Full-width digits, letters and signs become their ASCII forms so the
/// other rules see one shape. The full-width colon stays: it is also
/// ordinary Chinese punctuation, and the time rule accepts it.
fn full_width_forms(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９'
            | 'Ａ'..='Ｚ'
            | 'ａ'..='ｚ'
            | '％'
            | '＋'
            | '．'
            | '／'
            | '＝'
            | '＜'
            | '＞' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '－' | '−' | '–' => '-',
            '～' | '〜' => '~',
            _ => c,
        })
        .collect()
}

/// Spaces next to digits inside Chinese text are layout artifacts
/// ("4 月 24日", "1 2306"): drop them so numbers and their units meet.
fn spaces_around_digits(text: &str) -> String {
    static DIGIT_SPACE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d) +([\p{Han}\d%])"));
    static SPACE_DIGIT: LazyLock<Regex> = LazyLock::new(|| regex(r"([\p{Han}，、：（“]) +(\d)"));
    let mut text = text.to_string();
    // Twice, since a match consumes the character the next one starts with.
    for _ in 0..2 {
        text = DIGIT_SPACE.replace_all(&text, "$1$2").into_owned();
    }
    SPACE_DIGIT.replace_all(&text, "$1$2").into_owned()
}

/// 1,204,000 → 1204000.
fn thousands_separators(text: &str) -> String {
    static GROUPED: LazyLock<Regex> = LazyLock::new(|| regex(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"));
    GROUPED
        .replace_all(text, |c: &Captures| c[0].replace(',', ""))
        .into_owned()
}

/// Spaces around an operator between numbers are layout: "2 = 1 + 1" reads
/// 二等于一加一.
fn operators(text: &str) -> String {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d) +([+=×÷±])"));
    static AFTER: LazyLock<Regex> = LazyLock::new(|| regex(r"([+=×÷±]) +([\d-])"));
    let text = BEFORE.replace_all(text, "$1$2");
    AFTER.replace_all(&text, "$1$2").into_owned()
}

/// A 2 between two capital letters is "to": B2B → B to B, O2O → O to O.
fn letter_to_letter(text: &str) -> String {
    static TO: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^A-Za-z0-9])([A-Z])2([A-Z])($|[^A-Za-z0-9])"));
    TO.replace_all(text, "$1$2 to $3$4").into_owned()
}

/// Short Latin acronyms are spelled letter by letter for the English
/// voice: CEO → C E O.
fn acronyms(text: &str) -> String {
    static ACRONYM: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^A-Za-z])([A-Z]{2,3})($|[^A-Za-z])"));
    let spell = |c: &Captures| {
        let letters: Vec<String> = c[2].chars().map(String::from).collect();
        format!("{}{}{}", &c[1], letters.join(" "), &c[3])
    };
    // Twice: a match consumes the character the next one starts with.
    let text = ACRONYM.replace_all(text, spell);
    ACRONYM.replace_all(&text, spell).into_owned()
}

/// Speeds: 350km/h → 每小时三百五十公里, as a reader says them.
fn speeds(text: &str) -> String {
    static SPEED: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"({NUMBER}) ?(?:km/h|公里/小时|千米/小时)")));
    SPEED.replace_all(text, "每小时${1}公里").into_owned()
}

/// IP addresses are read digit by digit, group by group:
/// 127.0.0.1 → 一二七点零点零点一.
fn ip_addresses(text: &str) -> String {
    static ADDRESS: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d.])(\d{1,3}(?:\.\d{1,3}){3})($|[^\d.])"));
    ADDRESS
        .replace_all(text, |c: &Captures| {
            let groups: Vec<String> = c[2].split('.').map(zh_digits).collect();
            format!("{}{}{}", &c[1], groups.join("点"), &c[3])
        })
        .into_owned()
}

/// Unit symbols after a number, longest first, with their Chinese names.
const UNITS: &[(&str, &str)] = &[
    ("km²", "平方公里"),
    ("km2", "平方公里"),
    ("m²", "平方米"),
    ("m2", "平方米"),
    ("㎡", "平方米"),
    ("m³", "立方米"),
    ("m3", "立方米"),
    ("kWh", "千瓦时"),
    ("kwh", "千瓦时"),
    ("km", "公里"),
    ("kg", "千克"),
    ("mg", "毫克"),
    ("kV", "千伏"),
    ("kv", "千伏"),
    ("KV", "千伏"),
    ("kW", "千瓦"),
    ("kw", "千瓦"),
    ("KW", "千瓦"),
    ("MW", "兆瓦"),
    ("GW", "吉瓦"),
    ("GHz", "吉赫兹"),
    ("MHz", "兆赫兹"),
    ("Hz", "赫兹"),
    ("dB", "分贝"),
    ("cm", "厘米"),
    ("mm", "毫米"),
    ("ms", "毫秒"),
    ("ml", "毫升"),
    ("mL", "毫升"),
    ("°C", "摄氏度"),
    ("℃", "摄氏度"),
    ("°", "度"),
    ("ha", "公顷"),
    ("t", "吨"),
    ("g", "克"),
    ("m", "米"),
    ("L", "升"),
    ("h", "小时"),
];

/// Unit symbols after a number become their names: 500kV → 500千伏.
/// The number stays for the number rules, which read it as a cardinal.
fn units(text: &str) -> String {
    static TABLE: LazyLock<UnitTable> = LazyLock::new(|| UnitTable::new(UNITS));
    TABLE.name_units(text, "")
}

/// Below-zero temperatures read 零下: -5摄氏度 → 零下5摄氏度.
fn temperatures(text: &str) -> String {
    static BELOW_ZERO: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(^|[^\dA-Za-z)）])-({NUMBER})((?:到|至|~|-)-?{NUMBER})?(摄氏度|度)"
        ))
    });
    BELOW_ZERO
        .replace_all(text, |c: &Captures| {
            let tail = c.get(3).map_or(String::new(), |m| {
                let (joint, rest) = m
                    .as_str()
                    .split_at(m.as_str().chars().next().map_or(0, char::len_utf8));
                let joint = if joint == "-" || joint == "~" {
                    "到"
                } else {
                    joint
                };
                format!("{joint}{}", rest.replace('-', "零下"))
            });
            format!("{}零下{}{tail}{}", &c[1], &c[2], &c[4])
        })
        .into_owned()
}

/// Units and measure words after which a number counts something, so it is
/// never a phone or service number (120千伏 is a voltage).
const COUNTED: &str = "元万亿千百个位名次人件台辆座所户天年月日号岁吨米克升伏瓦度秒分时倍股只条项家种批场套张本篇部辆艘架头匹平方公里亩斤";

fn counted_after(text: &str, end: usize) -> bool {
    text[end..].starts_with(|c: char| COUNTED.contains(c))
}

/// Mobiles (13912345678) and landlines with an area code (0431-87654321)
/// are read digit by digit with 1 as 幺, a pause after the area code.
fn phone_numbers(text: &str) -> String {
    static LANDLINE: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)(0\d{2,3})-(\d{7,8})(\D|$)"));
    static MOBILE: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)(1[3-9]\d{9})(\D|$)"));
    static SERVICE_DASHED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|\D)([48]00)-(\d{3})-(\d{4})(\D|$)"));
    let text = LANDLINE.replace_all(text, |c: &Captures| {
        format!(
            "{}{}，{}{}",
            &c[1],
            zh_phone_digits(&c[2]),
            zh_phone_digits(&c[3]),
            &c[4]
        )
    });
    let text = SERVICE_DASHED.replace_all(&text, |c: &Captures| {
        format!(
            "{}{}，{}，{}{}",
            &c[1],
            zh_phone_digits(&c[2]),
            zh_phone_digits(&c[3]),
            zh_phone_digits(&c[4]),
            &c[5]
        )
    });
    MOBILE
        .replace_all(&text, |c: &Captures| {
            format!("{}{}{}", &c[1], zh_phone_digits(&c[2]), &c[3])
        })
        .into_owned()
}

/// Numbers that are dialled, named as a service or named by a code word
/// (拨打120, 12345热线, 12306网, 尾号1702, 编号3015) are read digit by digit
/// with 1 as 幺 — unless a unit follows.
fn service_numbers(text: &str) -> String {
    static DIALLED: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(拨打|致电|呼叫|电话|热线|专线|号码|报警|求助|急救|服务台|客服|尾号|编号|车次|车牌|工号|学号|账号|卡号|单号|房间|门牌|代码|邮编|批号|序号|航班号)(是|为|：|:)?(\d{3,12})",
        )
    });
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(^|[^\d.])(\d{3,6})(热线|专线|服务热线|平台|客服|网|短信|号码|急救|报警|查号)")
    });
    let text = DIALLED.replace_all(text, |c: &Captures| {
        let digits = c.get(3).expect("group 3 exists");
        if counted_after(text, digits.end()) {
            c[0].to_string()
        } else {
            format!(
                "{}{}{}",
                &c[1],
                c.get(2).map_or("", |m| m.as_str()),
                zh_phone_digits(digits.as_str())
            )
        }
    });
    NAMED
        .replace_all(&text, |c: &Captures| {
            format!("{}{}{}", &c[1], zh_phone_digits(&c[2]), &c[3])
        })
        .into_owned()
}

/// The emergency and public service numbers everyone knows, read digit by
/// digit wherever they stand (打110, 110赶到现场), unless they count
/// something (110人, 共120个).
const EMERGENCY: &[&str] = &[
    "110", "119", "120", "122", "999", "12345", "12315", "12306", "12369", "12388", "12321",
    "95598",
];

fn emergency_numbers(text: &str) -> String {
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d.\-/:])(\d{3,5})($|[^\d.%‰:/\-])"));
    let said = |c: &Captures| {
        let digits = c.get(2).expect("group 2");
        let before = &text[..digits.start()];
        let quantity_before =
            before.ends_with(|ch: char| "约共近达超逾余计第每为有是".contains(ch));
        let quantity_after = text[digits.end()..].starts_with(|ch: char| "多余".contains(ch));
        if EMERGENCY.contains(&digits.as_str())
            && !counted_after(text, digits.end())
            && !quantity_before
            && !quantity_after
        {
            format!("{}{}{}", &c[1], zh_phone_digits(digits.as_str()), &c[3])
        } else {
            c[0].to_string()
        }
    };
    NUMBER.replace_all(text, said).into_owned()
}

/// Codes of letters and digits (train K5069, flight CA1234, aircraft C919):
/// the letters stay for the English voice, and three or more digits are
/// read one by one (with 幺); a short number after letters is a count (G20).
fn letter_codes(text: &str) -> String {
    static CODE: LazyLock<Regex> = LazyLock::new(|| regex(r"([A-Za-z]+)-?(\d+(?:\.\d+)?)"));
    CODE.replace_all(text, |c: &Captures| {
        let digits = &c[2];
        if digits.contains('.') {
            // A measure named by letters: PM2.5 → PM二点五.
            format!("{}{}", &c[1], zh_number(digits))
        } else if digits.len() >= 3 {
            format!("{}{}", &c[1], zh_phone_digits(digits))
        } else {
            format!("{}{}", &c[1], zh_cardinal(digits))
        }
    })
    .into_owned()
}

/// Years with an era mark: 公元前221年 and 221 BC → 公元前二百二十一年
/// (years before the era are counted, not spelled), AD 618 → 公元六一八年.
fn eras(text: &str) -> String {
    static BC: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?:公元前|前)(\d{1,4})年|(\d{1,4}) ?(?:BC|B\.C\.|BCE)年?"));
    static AD: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(?:AD|A\.D\.) ?(\d{1,4})年?|(\d{1,4}) ?(?:AD|A\.D\.|CE)年?"));
    let text = BC.replace_all(text, |c: &Captures| {
        let year = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        format!("公元前{}年", zh_cardinal(year))
    });
    AD.replace_all(&text, |c: &Captures| {
        let year = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        format!("公元{}年", zh_digits(year))
    })
    .into_owned()
}

/// Numeric dates: 2025-04-25, 2025/4/25, 2025.4.25 → 二零二五年四月二十五日;
/// day first (25-12-2024, 25/12/2024, 25.12.2024) when the year is last.
fn numeric_dates(text: &str) -> String {
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|\D)(\d{4})([-/.·])(\d{1,2})([-/.·])(\d{1,2})(日|号)?(\D|$)"));
    static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(^|[^\d./\-])(\d{1,2})([-/.])(\d{1,2})([-/.])((?:19|20)\d{2})($|[^\d./\-%])")
    });
    let text = DATE.replace_all(text, |c: &Captures| {
        let (month, day): (u32, u32) = (c[4].parse().unwrap_or(0), c[6].parse().unwrap_or(0));
        if c[3] != c[5] || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return c[0].to_string();
        }
        format!(
            "{}{}年{}月{}日{}",
            &c[1],
            zh_digits(&c[2]),
            zh_cardinal(&c[4]),
            zh_cardinal(&c[6]),
            &c[8]
        )
    });
    DAY_FIRST
        .replace_all(&text, |c: &Captures| {
            let (a, b): (u32, u32) = (c[2].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
            // Day first, as Chinese and European writing has it, unless
            // the first number cannot be a month's day (12/25/2024).
            let (day, month) = if b > 12 { (b, a) } else { (a, b) };
            if c[3] != c[5] || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
                return c[0].to_string();
            }
            format!(
                "{}{}年{}月{}日{}",
                &c[1],
                zh_digits(&c[6]),
                zh_cardinal(&month.to_string()),
                zh_cardinal(&day.to_string()),
                &c[7]
            )
        })
        .into_owned()
}

/// A year and a month: 2002/01 and 2002-01 → 二零零二年一月 (with a dot, only
/// a two-digit month: 2024.5 is a decimal); month first, 12/2024 →
/// 二零二四年十二月.
fn year_months(text: &str) -> String {
    static YEAR_MONTH: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d.\-/])((?:19|20)\d{2})([-/.])(\d{1,2})($|[^\d.\-/%])"));
    static MONTH_YEAR: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d.\-/])(\d{1,2})([/.\-])((?:19|20)\d{2})($|[^\d.\-/%])"));
    let text = MONTH_YEAR.replace_all(text, |c: &Captures| {
        let month: u32 = c[2].parse().unwrap_or(0);
        if !(1..=12).contains(&month) {
            return c[0].to_string();
        }
        format!(
            "{}{}年{}月{}",
            &c[1],
            zh_digits(&c[4]),
            zh_cardinal(&month.to_string()),
            &c[5]
        )
    });
    YEAR_MONTH
        .replace_all(&text, |c: &Captures| {
            let month: u32 = c[4].parse().unwrap_or(0);
            if !(1..=12).contains(&month) || (&c[3] == "." && c[4].len() != 2) {
                return c[0].to_string();
            }
            format!(
                "{}{}年{}月{}",
                &c[1],
                zh_digits(&c[2]),
                zh_cardinal(&c[4]),
                &c[5]
            )
        })
        .into_owned()
}

/// Dotted commemorative dates are read digit by digit: 3·15 → 三一五,
/// 9·11 → 九一一.
fn commemorative_dates(text: &str) -> String {
    static DOTTED: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|\D)(\d{1,2})[·•・.](\d{1,2})(\D|$)"));
    DOTTED
        .replace_all(text, |c: &Captures| {
            let (month, day): (u32, u32) = (c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0));
            let marked = c[0].contains(['·', '•', '・']);
            if marked && (1..=12).contains(&month) && (1..=31).contains(&day) {
                format!("{}{}{}{}", &c[1], zh_digits(&c[2]), zh_digits(&c[3]), &c[4])
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Years are read digit by digit: 2025年 → 二零二五年, 98年7月 → 九八年七月,
/// year ranges (2021-2023年) too. A two-digit year without a month is a
/// count (近20年来).
fn years(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{4})(年?)(-|~|至|到)(\d{4})年"));
    static FULL: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)(\d{4})年"));
    static SEASON: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)(\d{4})/(\d{4})(\D|$)"));
    static SHORT_BEFORE_MONTH: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|\D)(\d{2})年(\d{1,2})月"));
    static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)(\d{2})年"));
    let text = RANGE.replace_all(text, |c: &Captures| {
        let joint = if matches!(&c[3], "至" | "到") {
            &c[3]
        } else {
            "到"
        };
        format!("{}{}{joint}{}年", zh_digits(&c[1]), &c[2], zh_digits(&c[4]))
    });
    let text = FULL.replace_all(&text, |c: &Captures| {
        format!("{}{}年", &c[1], zh_digits(&c[2]))
    });
    // 2024/2025赛季: a span of years, not a fraction.
    let text = SEASON.replace_all(&text, |c: &Captures| {
        format!(
            "{}{}到{}{}",
            &c[1],
            zh_digits(&c[2]),
            zh_digits(&c[3]),
            &c[4]
        )
    });
    let text = SHORT_BEFORE_MONTH.replace_all(&text, |c: &Captures| {
        format!("{}{}年{}月", &c[1], zh_digits(&c[2]), &c[3])
    });
    // A two-digit year without a month: 05年 (no count is written with a
    // leading zero), or after a word that places it in time (于98年, 早在98年)
    // or before one that ends or starts a year (98年底, 05年毕业).
    SHORT_YEAR
        .replace_all(&text, |c: &Captures| {
            let (Some(whole), Some(digits)) = (c.get(0), c.get(2)) else {
                return c[0].to_string();
            };
            let before = &text[..digits.start()];
            let after = &text[whole.end()..];
            let placed = ["于", "早在", "那"].iter().any(|w| before.ends_with(w));
            let year_part = YEAR_AFTER.iter().any(|w| after.starts_with(w));
            if digits.as_str().starts_with('0') || placed || year_part {
                format!("{}{}年", &c[1], zh_digits(digits.as_str()))
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Words after a two-digit year that make it a year, not a count of years.
const YEAR_AFTER: &[&str] = &[
    "底",
    "初",
    "末",
    "毕业",
    "入学",
    "出生",
    "成立",
    "建成",
    "开始",
    "春",
    "夏",
    "秋",
    "冬",
    "高考",
    "奥运",
    "世界杯",
];

/// Generations: 00后 → 零零后, 90后 → 九零后, 95后 → 九五后.
fn generations(text: &str) -> String {
    static GENERATION: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|\D)([0-9][05])(后)"));
    GENERATION
        .replace_all(text, |c: &Captures| {
            let tens = c[2].as_bytes()[0];
            if tens == b'0' || tens >= b'5' {
                format!("{}{}后", &c[1], zh_digits(&c[2]))
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Whether a pair of numbers between `before` and `after` is a score: after
/// 比分 or 以, after a team (湖人队, 国安, 中国女排), or before a word of
/// winning or losing.
fn score_context(before: &str, after: &str) -> bool {
    const BEFORE: &[&str] = &[
        "比分",
        "以",
        "比",
        "队",
        "俱乐部",
        "女排",
        "男排",
        "女足",
        "男足",
        "男篮",
        "女篮",
        "国安",
        "申花",
        "泰山",
        "海港",
    ];
    const AFTER: &[&str] = &[
        "战胜",
        "击败",
        "获胜",
        "取胜",
        "告负",
        "负于",
        "胜",
        "负",
        "的比分",
        "落败",
        "赢",
        "输给",
        "战平",
        "逆转",
        "力克",
        "险胜",
        "大胜",
        "完胜",
        "拿下",
    ];
    BEFORE.iter().any(|w| before.ends_with(w)) || AFTER.iter().any(|w| after.starts_with(w))
}

/// Clock times: 9：00 → 九点, 14:35 → 十四点三十五分, 7:08 → 七点零八分,
/// with seconds, a.m./p.m. as 上午/下午, and time ranges read 到.
fn times(text: &str) -> String {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?(?: ?([aApP])\.? ?[mM]\.?)?")
    });
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"([点分秒]) ?(?:-|~|至|—) ?([上下]午)?([零一二三四五六七八九十])"));
    let ratio_context = |end: usize, start: usize| score_context(&text[..start], &text[end..]);
    let text = TIME.replace_all(text, |c: &Captures| {
        let whole = c.get(0).expect("group 0");
        let hour: u32 = c[1].parse().unwrap_or(99);
        let minute: u32 = c[2].parse().unwrap_or(99);
        let second: Option<u32> = c.get(3).map(|s| s.as_str().parse().unwrap_or(99));
        if hour > 24
            || minute > 59
            || second.is_some_and(|s| s > 59)
            || ratio_context(whole.end(), whole.start())
        {
            return whole.as_str().to_string();
        }
        let period = match c.get(4).map(|p| p.as_str().to_ascii_lowercase()) {
            Some(p) if p == "a" => "上午",
            Some(_) => "下午",
            None => "",
        };
        let hour_reading = if hour == 2 {
            "两".to_string()
        } else {
            zh_cardinal(&c[1])
        };
        let mut reading = format!("{period}{hour_reading}点");
        match (minute, second) {
            (0, None) => {}
            (0, Some(_)) => reading.push_str("零分"),
            (1..=9, _) => {
                reading.push('零');
                reading.push_str(&zh_cardinal(&c[2]));
                reading.push('分');
            }
            _ => {
                reading.push_str(&zh_cardinal(&c[2]));
                reading.push('分');
            }
        }
        if let Some(second) = second.filter(|s| *s > 0) {
            reading.push_str(&zh_cardinal(&second.to_string()));
            reading.push('秒');
        }
        reading
    });
    RANGE.replace_all(&text, "${1}到${2}${3}").into_owned()
}

/// Ratios and scores: 2∶1 → 二比一; 以3:1战胜 → 以三比一战胜.
fn ratios(text: &str) -> String {
    static RATIO: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"({NUMBER}) ?[∶:：] ?({NUMBER})")));
    // A score with a dash: small numbers with no unit after them (中国1-2).
    static SCORE: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d.\-/:])(\d{1,2}) ?- ?(\d{1,2})($|[^\d.%‰\-/])"));
    let text = RATIO.replace_all(text, |c: &Captures| {
        format!("{}比{}", zh_number(&c[1]), zh_number(&c[2]))
    });
    SCORE
        .replace_all(&text, |c: &Captures| {
            let unit_after = c[4]
                .chars()
                .next()
                .is_some_and(|n| COUNTED.contains(n) || "年月日号时点分秒到至".contains(n));
            if unit_after {
                c[0].to_string()
            } else {
                format!(
                    "{}{}比{}{}",
                    &c[1],
                    zh_cardinal(&c[2]),
                    zh_cardinal(&c[3]),
                    &c[4]
                )
            }
        })
        .into_owned()
}

/// Percentages and per-mille, with signs and ranges: -1.2% → 负百分之一点二,
/// 5%～8% and 5-8% → 百分之五到百分之八, 3‰ → 千分之三.
fn percentages(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"({NUMBER})([%‰])? ?(?:-|~|至|到) ?(-)?({NUMBER})([%‰])"
        ))
    });
    static SINGLE: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"(^|[^\dA-Za-z%‰)）])(-|\+)?({NUMBER})([%‰])")));
    let text = RANGE.replace_all(text, |c: &Captures| {
        let first_mark = c.get(2).map_or(&c[5], |m| m.as_str());
        let second_sign = if c.get(3).is_some() { "负" } else { "" };
        format!(
            "{}{}到{second_sign}{}{}",
            per(first_mark),
            zh_number(&c[1]),
            per(&c[5]),
            zh_number(&c[4])
        )
    });
    SINGLE
        .replace_all(&text, |c: &Captures| {
            let sign = match c.get(2).map(|m| m.as_str()) {
                Some("-") => "负",
                Some(_) => "正",
                None => "",
            };
            // 100% is said 百分之百.
            let amount = if &c[3] == "100" {
                "百".to_string()
            } else {
                zh_number(&c[3])
            };
            format!("{}{sign}{}{amount}", &c[1], per(&c[4]))
        })
        .into_owned()
}

fn per(mark: &str) -> &'static str {
    if mark == "‰" {
        "千分之"
    } else {
        "百分之"
    }
}

/// Currency signs and codes, before or after the amount: ¥100 → 100元,
/// $5 → 5美元, €3亿 → 3亿欧元, HKD13.5 → 13.5港元, 100USD → 100美元.
fn money(text: &str) -> String {
    static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"(US\$|HK\$|A\$|C\$|\$|¥|￥|€|£|₩|USD|HKD|RMB|CNY|EUR|GBP|JPY|AUD|CAD|KRW) ?({NUMBER})((?: ?(?:-|~|到|至) ?{NUMBER})?)(万亿|亿|万|千)?(元|美元|欧元|英镑|港元|日元|澳元|韩元)?"
        ))
    });
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        regex(&format!(
            r"({NUMBER})(万亿|亿|万|千)? ?(USD|HKD|RMB|CNY|EUR|GBP|JPY|AUD|CAD)($|[^A-Za-z])"
        ))
    });
    let name = |code: &str| match code {
        "HK$" | "HKD" => "港元",
        "$" | "US$" | "USD" => "美元",
        "A$" | "AUD" => "澳元",
        "C$" | "CAD" => "加元",
        "€" | "EUR" => "欧元",
        "£" | "GBP" => "英镑",
        "JPY" => "日元",
        "₩" | "KRW" => "韩元",
        _ => "元",
    };
    let text = BEFORE.replace_all(text, |c: &Captures| {
        // $100-500 → 100到500美元: a range of amounts, not a minus sign.
        let upper = c[3].trim_start_matches([' ', '-', '~', '到', '至']).trim();
        let range = if upper.is_empty() {
            String::new()
        } else {
            format!("到{upper}")
        };
        let scale = c.get(4).map_or("", |m| m.as_str());
        format!("{}{range}{scale}{}", &c[2], name(&c[1]))
    });
    AFTER
        .replace_all(&text, |c: &Captures| {
            let scale = c.get(2).map_or("", |m| m.as_str());
            format!("{}{scale}{}{}", &c[1], name(&c[3]), &c[4])
        })
        .into_owned()
}

/// Fractions: 2/5 → 五分之二; after a team or before a result, a score:
/// 湖人队2/2战平 → 湖人队二比二战平.
fn fractions(text: &str) -> String {
    static FRACTION: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|[^\d/])(\d+) ?/ ?(\d+)($|[^\d/])"));
    FRACTION
        .replace_all(text, |c: &Captures| {
            let (Some(whole), Some(top)) = (c.get(0), c.get(2)) else {
                return c[0].to_string();
            };
            // 湖人队2/2战平: a score written with a slash.
            if score_context(&text[..top.start()], &text[whole.end() - c[4].len()..]) {
                return format!(
                    "{}{}比{}{}",
                    &c[1],
                    zh_cardinal(&c[2]),
                    zh_cardinal(&c[3]),
                    &c[4]
                );
            }
            format!(
                "{}{}分之{}{}",
                &c[1],
                zh_cardinal(&c[3]),
                zh_cardinal(&c[2]),
                &c[4]
            )
        })
        .into_owned()
}

/// Words just before a digit string that make it a name, not an amount.
const ID_WORDS: &[&str] = &[
    "号", "码", "编号", "账号", "卡号", "单号", "证", "代码", "批号", "尾号", "订单", "序列",
];

/// Words just before a digit string that make it an amount.
const AMOUNT_WORDS: &[&str] = &[
    "金额", "总额", "共计", "合计", "总计", "价值", "投资", "收入", "营收", "资金", "成交", "达到",
    "达", "约", "超过", "逾", "余额", "人口", "共", "计", "增至", "降至", "突破",
];

/// Long digit strings that name rather than count (ID, account and order
/// numbers) are read digit by digit with 幺. An amount is read as an amount:
/// before a unit, when round, after a word of amount (总额达123456789), or
/// when it has seven or eight digits and no leading zero and no word of
/// naming before it (a figure in a table).
fn identifiers(text: &str) -> String {
    static LONG: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[^\d.])(\d{7,})"));
    LONG.replace_all(text, |c: &Captures| {
        let Some(number) = c.get(2) else {
            return c[0].to_string();
        };
        let (before, end, digits) = (&text[..number.start()], number.end(), number.as_str());
        let named = ID_WORDS.iter().any(|w| {
            before
                .trim_end_matches(['是', '为', ':', '：'])
                .ends_with(w)
        });
        let amount_word = AMOUNT_WORDS.iter().any(|w| before.ends_with(w));
        let round = digits.ends_with("000");
        let bare_amount = digits.len() <= 8 && !digits.starts_with('0');
        let is_count = counted_after(text, end)
            || text[end..].starts_with('.')
            || (!named && (round || amount_word || bare_amount));
        if is_count && digits.len() <= 16 {
            c[0].to_string()
        } else {
            format!("{}{}", &c[1], zh_phone_digits(digits))
        }
    })
    .into_owned()
}

/// Ordinals: 第1季度 → 第一季度, never 两 (第2位 → 第二位).
fn ordinals(text: &str) -> String {
    static ORDINAL: LazyLock<Regex> = LazyLock::new(|| regex(r"第(\d+)"));
    ORDINAL
        .replace_all(text, |c: &Captures| format!("第{}", zh_cardinal(&c[1])))
        .into_owned()
}

/// A dash, tilde or 至 between two numbers reads 到 (5-8月 → 5到8月); the
/// minus sign of a lone number is handled by `negatives`.
fn ranges(text: &str) -> String {
    static AFTER_UNIT: LazyLock<Regex> =
        LazyLock::new(|| regex(r"([年月日号时点分秒]) ?(?:-|~|—|－) ?(\d)"));
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"({NUMBER}) ?(?:-|~|—|至) ?({NUMBER})")));
    let text = AFTER_UNIT.replace_all(text, "${1}到${2}");
    let text = text.as_ref();
    RANGE.replace_all(text, "${1}到${2}").into_owned()
}

/// A minus sign before a number that does not follow another number: 负.
fn negatives(text: &str) -> String {
    static MINUS: LazyLock<Regex> =
        LazyLock::new(|| regex(&format!(r"(^|[^\dA-Za-z)）])-({NUMBER})")));
    MINUS.replace_all(text, "${1}负${2}").into_owned()
}

/// Decimals: 3.6亿 → 三点六亿.
fn decimals(text: &str) -> String {
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+)\.(\d+)"));
    DECIMAL
        .replace_all(text, |c: &Captures| zh_number(&c[0]))
        .into_owned()
}

/// Measure words and units before which the number 2 reads 两.
const LIANG_BEFORE: &str = "个位名家项条次种只件台辆座所户人天年批场支套份张本头匹艘架股类届期元万亿千百吨米克升倍岁小周公平亩斤层点分秒句段篇首把块片根双对幅间栋棵株笔起例宗桩门道遍趟声口颗粒枚盏部集轮款季节堂组队页册辆班列趟封扇面顶";

/// Whatever digits are left are counted: 40人 → 四十人, 2位 → 两位,
/// 20000人 → 两万人. 二 stays in 二月, 二日 and ordinals.
fn cardinals(text: &str) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"\d+"));
    NUMBER
        .replace_all(text, |c: &Captures| {
            let end = c.get(0).map_or(0, |m| m.end());
            let reading = zh_cardinal(&c[0]);
            let next = text[end..].chars().next();
            let before_measure = next.is_some_and(|ch| LIANG_BEFORE.contains(ch));
            if reading == "二" {
                if before_measure {
                    "两".to_string()
                } else {
                    reading
                }
            } else {
                liang_at_head(reading)
            }
        })
        .into_owned()
}

/// News style says 两千, 两万, 两亿 at the head of a number.
fn liang_at_head(reading: String) -> String {
    for head in ["二千", "二万", "二亿"] {
        if let Some(rest) = reading.strip_prefix(head) {
            let unit = head.chars().nth(1).unwrap_or('千');
            return format!("两{unit}{rest}");
        }
    }
    reading
}

/// An integer or decimal: "3.6" → 三点六.
fn zh_number(number: &str) -> String {
    match number.split_once('.') {
        Some((whole, fraction)) => format!("{}点{}", zh_cardinal(whole), zh_digits(fraction)),
        None => zh_cardinal(number),
    }
}

/// A slash between a quantity and a unit reads 每: 微克/立方米 → 微克每立方米,
/// 元/吨 → 元每吨.
fn per_unit(text: &str) -> String {
    static PER: LazyLock<Regex> = LazyLock::new(|| {
        regex(
            r"(\p{Han}) ?/ ?(立方米|平方米|平方公里|千米|公里|米|小时|分钟|秒|天|日|月|年|人|次|千克|公斤|克|吨|升|斤|亩|件|台|个|户|份|元|千瓦时|度)",
        )
    });
    PER.replace_all(text, "${1}每${2}").into_owned()
}

/// Symbols a reader says aloud; marks with no sound are left to the
/// pronunciation stage, which drops them.
fn symbols(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '+' => out.push('加'),
            '×' => out.push('乘'),
            '÷' => out.push_str("除以"),
            '=' => out.push_str("等于"),
            '≈' => out.push_str("约等于"),
            '>' => out.push_str("大于"),
            '<' => out.push_str("小于"),
            '≥' => out.push_str("大于等于"),
            '≤' => out.push_str("小于等于"),
            '±' => out.push_str("正负"),
            '&' => out.push('和'),
            '%' => out.push_str("百分号"),
            '‰' => out.push_str("千分号"),
            '℃' => out.push_str("摄氏度"),
            '~' => out.push('到'),
            '#' => out.push('号'),
            '@' => out.push_str(" at "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{assert_readings, spoken};
    use crate::text::Lang;

    /// (rule, written, spoken): real news phrasing for each rule.
    const CASES: &[(&str, &str, &str)] = &[
        // codes, amounts, years, dates and scores by context
        ("codes", "尾号1702的车辆", "尾号幺七零二的车辆"),
        ("codes", "编号为3015的展品", "编号为三零幺五的展品"),
        ("phones", "遇险请打110", "遇险请打幺幺零"),
        ("phones", "119赶到现场", "幺幺九赶到现场"),
        ("cardinals", "共有120名医护人员", "共有一百二十名医护人员"),
        (
            "identifiers",
            "资金总额达1234567",
            "资金总额达一百二十三万四千五百六十七",
        ),
        ("identifiers", "全市人口1256000", "全市人口一百二十五万六千"),
        ("identifiers", "单号012345678", "单号零幺二三四五六七八"),
        ("years", "05年毕业", "零五年毕业"),
        ("years", "公司于98年成立", "公司于九八年成立"),
        ("years", "近20年来", "近二十年来"),
        ("dates", "25-12-2024", "二零二四年十二月二十五日"),
        (
            "dates",
            "于25/12/2024举行",
            "于二零二四年十二月二十五日举行",
        ),
        ("dates", "12/2024发布", "二零二四年十二月发布"),
        ("scores", "湖人队2/2战平", "湖人队二比二战平"),
        ("scores", "以2/1取胜", "以二比一取胜"),
        ("eras", "公元前221年", "公元前二百二十一年"),
        ("eras", "221 BC", "公元前二百二十一年"),
        ("eras", "AD 618", "公元六一八年"),
        // cardinals
        ("cardinals", "委员共40人出席", "委员共四十人出席"),
        ("cardinals", "共有12个项目", "共有十二个项目"),
        ("cardinals", "2位专家", "两位专家"),
        ("cardinals", "投资2亿元", "投资两亿元"),
        ("cardinals", "20000人参加", "两万人参加"),
        ("cardinals", "2000名志愿者", "两千名志愿者"),
        ("cardinals", "第22届", "第二十二届"),
        ("cardinals", "10086", "一万零八十六"),
        ("cardinals", "全市105所学校", "全市一百零五所学校"),
        ("cardinals", "1001个村", "一千零一个村"),
        ("cardinals", "3000万元", "三千万元"),
        ("cardinals", "2个月", "两个月"),
        ("cardinals", "2月", "二月"),
        ("cardinals", "5月2日", "五月二日"),
        ("cardinals", "22个", "二十二个"),
        ("cardinals", "“1+4+N”方案", "“一加四加N”方案"),
        ("cardinals", "120000000", "一亿二千万"),
        // decimals and fractions
        ("decimals", "3.6亿", "三点六亿"),
        ("decimals", "增长0.5个百分点", "增长零点五个百分点"),
        ("decimals", "2.5万", "二点五万"),
        ("decimals", "GDP增长5.2%", "G D P增长百分之五点二"),
        ("fractions", "2/5的人", "五分之二的人"),
        ("fractions", "1/3", "三分之一"),
        // percentages
        ("percentages", "增长-1.2%", "增长负百分之一点二"),
        ("percentages", "5%～8%", "百分之五到百分之八"),
        ("percentages", "5%-8%", "百分之五到百分之八"),
        ("percentages", "3‰", "千分之三"),
        ("percentages", "占比100%", "占比百分之百"),
        ("percentages", "增长2%", "增长百分之二"),
        ("percentages", "下降12.5%", "下降百分之十二点五"),
        ("percentages", "10-15%", "百分之十到百分之十五"),
        // years
        ("years", "2025年辽源市", "二零二五年辽源市"),
        ("years", "2024年度", "二零二四年度"),
        ("years", "２０２４年", "二零二四年"),
        ("years", "2021-2023年", "二零二一到二零二三年"),
        ("years", "2021年至2023年", "二零二一年至二零二三年"),
        ("years", "98年7月", "九八年七月"),
        ("years", "近20年来", "近二十年来"),
        ("years", "80年代", "八十年代"),
        ("years", "20世纪", "二十世纪"),
        ("years", "21世纪", "二十一世纪"),
        ("generations", "00后", "零零后"),
        ("generations", "90后大学生", "九零后大学生"),
        ("generations", "95后", "九五后"),
        ("generations", "3年后", "三年后"),
        // dates
        (
            "dates",
            "中共中央政治局4月25日召开会议",
            "中共中央政治局四月二十五日召开会议",
        ),
        ("dates", "4 月24日", "四月二十四日"),
        ("dates", "4月 26日", "四月二十六日"),
        ("dates", "2025-04-25", "二零二五年四月二十五日"),
        ("dates", "2025/4/25", "二零二五年四月二十五日"),
        ("dates", "2025.4.25", "二零二五年四月二十五日"),
        ("dates", "4月30日至5月5日", "四月三十日至五月五日"),
        ("dates", "从 4月 30日到 5月5日", "从四月三十日到五月五日"),
        ("dates", "3·15晚会", "三一五晚会"),
        ("dates", "9·11事件", "九一一事件"),
        ("dates", "12月31日", "十二月三十一日"),
        ("dates", "10月1日", "十月一日"),
        ("dates", "25号", "二十五号"),
        // times
        ("times", "9：00", "九点"),
        ("times", "14：35", "十四点三十五分"),
        ("times", "7:08", "七点零八分"),
        (
            "times",
            "沈阳北 11：00开，13：59到辽源",
            "沈阳北十一点开，十三点五十九分到辽源",
        ),
        ("times", "9:00-17:00", "九点到十七点"),
        ("times", "9:00至17:30", "九点到十七点三十分"),
        ("times", "10:30 a.m.", "上午十点三十分"),
        ("times", "3:15 p.m.", "下午三点十五分"),
        ("times", "2:00出发", "两点出发"),
        ("times", "12:30:45", "十二点三十分四十五秒"),
        ("times", "20：23到沈阳北", "二十点二十三分到沈阳北"),
        // ranges
        ("ranges", "5-8月", "五到八月"),
        ("ranges", "10~15人", "十到十五人"),
        ("ranges", "3至5天", "三到五天"),
        ("ranges", "气温-5到3度", "气温零下五到三度"),
        ("ranges", "-8~-2℃", "零下八到零下二摄氏度"),
        ("ranges", "-5", "负五"),
        ("ranges", "1-3月", "一到三月"),
        ("ranges", "4月30日—5月5日", "四月三十日到五月五日"),
        ("years", "2024/2025赛季", "二零二四到二零二五赛季"),
        ("cardinals", "约2分钟", "约两分钟"),
        ("cardinals", "2号线", "二号线"),
        ("cardinals", "1.5万人", "一点五万人"),
        ("cardinals", "3000余人", "三千余人"),
        ("cardinals", "7×24小时", "七乘二十四小时"),
        ("codes", "COVID-19", "COVID十九"),
        ("dates", "1949年10月1日", "一九四九年十月一日"),
        // money
        ("money", "¥100", "一百元"),
        ("money", "$5", "五美元"),
        ("money", "€3亿", "三亿欧元"),
        ("money", "5000万元", "五千万元"),
        ("money", "3.5亿元", "三点五亿元"),
        ("money", "US$1.2亿", "一点二亿美元"),
        ("money", "2元", "两元"),
        ("money", "£20", "二十英镑"),
        // units and temperature
        ("units", "500 千伏", "五百千伏"),
        ("units", "66千伏", "六十六千伏"),
        ("units", "实现 220 千伏线路", "实现二百二十千伏线路"),
        ("units", "10千伏线路", "十千伏线路"),
        ("units", "500kV", "五百千伏"),
        ("units", "120千伏", "一百二十千伏"),
        ("units", "全长30km", "全长三十公里"),
        ("units", "时速达到350km/h", "时速达到每小时三百五十公里"),
        ("units", "重5kg", "重五千克"),
        ("units", "渲染速度10ms一帧", "渲染速度十毫秒一帧"),
        ("units", "面积120m²", "面积一百二十平方米"),
        ("units", "装机100MW", "装机一百兆瓦"),
        ("units", "气温25℃", "气温二十五摄氏度"),
        ("units", "-5℃", "零下五摄氏度"),
        ("units", "最低气温-12℃", "最低气温零下十二摄氏度"),
        ("units", "24h", "二十四小时"),
        ("units", "100m", "一百米"),
        // phone numbers and codes
        ("phones", "0431-87654321", "零四三幺，八七六五四三二幺"),
        ("phones", "电话13912345678", "电话幺三九幺二三四五六七八"),
        ("phones", "13812345678", "幺三八幺二三四五六七八"),
        ("phones", "拨打120", "拨打幺二零"),
        ("phones", "拨打12345热线", "拨打幺二三四五热线"),
        ("phones", "12345热线", "幺二三四五热线"),
        ("phones", "可在 12306网上购票", "可在幺二三零六网上购票"),
        ("phones", "400-123-4567", "四零零，幺二三，四五六七"),
        ("phones", "报警电话110", "报警电话幺幺零"),
        ("codes", "K5069 次", "K五零六九次"),
        ("codes", "G1234次列车", "G幺二三四次列车"),
        ("codes", "航班CA1234", "航班C A幺二三四"),
        ("codes", "C919大飞机", "C九幺九大飞机"),
        ("codes", "G20峰会", "G二十峰会"),
        ("codes", "5G网络", "五G网络"),
        ("codes", "PM2.5浓度", "P M二点五浓度"),
        ("units", "35微克/立方米", "三十五微克每立方米"),
        ("units", "每吨3000元/吨", "每吨三千元每吨"),
        (
            "identifiers",
            "订单号2025042612345",
            "订单号二零二五零四二六幺二三四五",
        ),
        // ordinals, operators, symbols
        ("ordinals", "第1季度", "第一季度"),
        ("ordinals", "第2位", "第二位"),
        ("ordinals", "第二十次集体学习", "第二十次集体学习"),
        ("operators", "“3+1”", "“三加一”"),
        ("operators", "“2+N”", "“二加N”"),
        ("operators", "“5+2”特色产业", "“五加二”特色产业"),
        ("operators", "2∶1", "二比一"),
        ("operators", "以3:1战胜对手", "以三比一战胜对手"),
        ("operators", "“人工智能+”行动", "“人工智能加”行动"),
        ("operators", "1+1=2", "一加一等于二"),
        // untouched
        ("plain", "会议还研究了其他事项。", "会议还研究了其他事项。"),
        ("operators", "2 = 1 + 1", "二等于一加一"),
        ("operators", "±2的平方", "正负二的平方"),
        ("operators", "-1+2", "负一加二"),
        ("acronyms", "CEO和GDP", "C E O和G D P"),
        ("acronyms", "B2B平台", "B to B平台"),
        ("acronyms", "新IPHONE", "新IPHONE"),
        ("money", "价格是HKD13.5", "价格是十三点五港元"),
        ("money", "价格是A$13.5", "价格是十三点五澳元"),
        ("money", "100USD", "一百美元"),
        ("money", "$100-500", "一百到五百美元"),
        ("money", "€5-10", "五到十欧元"),
        ("money", "₩100", "一百韩元"),
        ("dates", "2019·2·10", "二零一九年二月十日"),
        ("units", "1/2kg", "二分之一千克"),
        ("dates", "2002/01", "二零零二年一月"),
        ("dates", "2002-01-28", "二零零二年一月二十八日"),
        ("dates", "2002.01", "二零零二年一月"),
        ("identifiers", "127.0.0.1", "一二七点零点零点一"),
        ("operators", "中国1-2", "中国一比二"),
        ("operators", "比分定格在78:96", "比分定格在七十八比九十六"),
        ("fractions", "1 / 2", "二分之一"),
        ("times", "1:02:36am", "上午一点零二分三十六秒"),
        ("times", "2:02", "两点零二分"),
    ];

    #[test]
    fn readings() {
        assert_readings(CASES, |written| spoken(written, Lang::Zh));
    }

    #[test]
    fn no_ascii_digit_survives() {
        for written in [
            "第1季度",
            "0431-87654321",
            "3·15",
            "1/2",
            "9.",
            "a1b2c3",
            "１２３",
            "1.2.3.4",
            "5::6",
            "-",
            "2025-13-45",
            "99999999999999999999",
        ] {
            let said = spoken(written, Lang::Zh);
            assert!(
                !said.chars().any(|c| c.is_ascii_digit()),
                "{written} → {said}"
            );
        }
    }
}
