//! Chinese normalization rules, applied in table order.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::numbers::{zh_cardinal, zh_digits};
use super::Rule;

/// The Chinese rules, in the order they run. Later rules see the output of
/// earlier ones, so specific readings (years, times, codes) come before the
/// general cardinal rule that reads whatever digits are left.
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
        name: "years",
        apply: years,
    },
    Rule {
        name: "times",
        apply: times,
    },
    Rule {
        name: "percentages",
        apply: percentages,
    },
    Rule {
        name: "letter_codes",
        apply: letter_codes,
    },
    Rule {
        name: "identifiers",
        apply: identifiers,
    },
    Rule {
        name: "ranges",
        apply: ranges,
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

/// Full-width digits, letters and signs become their ASCII forms so the
/// other rules see one shape.
fn full_width_forms(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '＋' | '．' | '／' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '－' | '−' => '-',
            _ => c,
        })
        .collect()
}

/// Spaces next to digits inside Chinese text are layout artifacts
/// ("4 月 24日"): drop them so numbers and their units meet.
fn spaces_around_digits(text: &str) -> String {
    static DIGIT_SPACE_CJK: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d) +([\p{Han}\d])"));
    static CJK_SPACE_DIGIT: LazyLock<Regex> = LazyLock::new(|| regex(r"(\p{Han}) +(\d)"));
    let text = DIGIT_SPACE_CJK.replace_all(text, "$1$2");
    let text = DIGIT_SPACE_CJK.replace_all(&text, "$1$2");
    CJK_SPACE_DIGIT.replace_all(&text, "$1$2").into_owned()
}

/// Years are read digit by digit: 2025年 → 二零二五年, 98年7月 → 九八年七月,
/// including year ranges (2021-2023年).
fn years(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{4})[-~～至到](\d{4})年"));
    static FULL: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{4})年"));
    static SHORT_BEFORE_MONTH: LazyLock<Regex> =
        LazyLock::new(|| regex(r"(^|\D)(\d{2})年(\d{1,2}月)"));
    let text = RANGE.replace_all(text, |c: &Captures| {
        format!("{}到{}年", zh_digits(&c[1]), zh_digits(&c[2]))
    });
    let text = FULL.replace_all(&text, |c: &Captures| format!("{}年", zh_digits(&c[1])));
    SHORT_BEFORE_MONTH
        .replace_all(&text, |c: &Captures| {
            format!("{}{}年{}", &c[1], zh_digits(&c[2]), &c[3])
        })
        .into_owned()
}

/// Clock times: 11：00 → 十一点, 14:35 → 十四点三十五分, 7:08 → 七点零八分.
fn times(text: &str) -> String {
    static TIME: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{1,2})[:：](\d{2})"));
    TIME.replace_all(text, |c: &Captures| {
        let hour: u32 = c[1].parse().unwrap_or(99);
        let minute: u32 = c[2].parse().unwrap_or(99);
        if hour > 24 || minute > 59 {
            return c[0].to_string();
        }
        let hour_text = zh_cardinal(&c[1]);
        match minute {
            0 => format!("{hour_text}点"),
            1..=9 => format!("{hour_text}点零{}分", zh_cardinal(&c[2])),
            _ => format!("{hour_text}点{}分", zh_cardinal(&c[2])),
        }
    })
    .into_owned()
}

/// Percentages: 5% → 百分之五, -1.2% → 负百分之一点二.
fn percentages(text: &str) -> String {
    static PERCENT: LazyLock<Regex> = LazyLock::new(|| regex(r"(^|[^\d])(-)?(\d+(?:\.\d+)?)%"));
    PERCENT
        .replace_all(text, |c: &Captures| {
            let sign = if c.get(2).is_some() { "负" } else { "" };
            format!("{}{sign}百分之{}", &c[1], zh_number(&c[3]))
        })
        .into_owned()
}

/// Codes of letters and digits (train K5069, flight CA1234, model X5): the
/// letters stay for the English voice, the digits are read one by one.
fn letter_codes(text: &str) -> String {
    static CODE: LazyLock<Regex> = LazyLock::new(|| regex(r"([A-Za-z]+)-?(\d+)"));
    CODE.replace_all(text, |c: &Captures| {
        format!("{}{}", &c[1], zh_digits(&c[2]))
    })
    .into_owned()
}

/// Digit strings that name rather than count (phone numbers, service numbers,
/// websites such as 12306网) are read digit by digit.
fn identifiers(text: &str) -> String {
    static LONG: LazyLock<Regex> = LazyLock::new(|| regex(r"\d{7,}"));
    static NAMED: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d{3,6})(网|热线|专线|平台|客服)"));
    static DIALLED: LazyLock<Regex> = LazyLock::new(|| regex(r"(拨打|致电|电话|热线)(\d{3,})"));
    let text = NAMED.replace_all(text, |c: &Captures| {
        format!("{}{}", zh_digits(&c[1]), &c[2])
    });
    let text = DIALLED.replace_all(&text, |c: &Captures| {
        format!("{}{}", &c[1], zh_digits(&c[2]))
    });
    LONG.replace_all(&text, |c: &Captures| {
        let end = c.get(0).map_or(0, |m| m.end());
        let counted = text[end..].starts_with(|ch: char| "元人万亿个名件吨米".contains(ch));
        if counted {
            c[0].to_string()
        } else {
            zh_digits(&c[0])
        }
    })
    .into_owned()
}

/// A dash, tilde or 至 between two numbers reads 到 (5-8月 → 5到8月).
fn ranges(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d)\s*[-~～—]\s*(\d)"));
    RANGE.replace_all(text, "${1}到${2}").into_owned()
}

/// Decimals: 3.6亿 → 三点六亿.
fn decimals(text: &str) -> String {
    static DECIMAL: LazyLock<Regex> = LazyLock::new(|| regex(r"(\d+)\.(\d+)"));
    DECIMAL
        .replace_all(text, |c: &Captures| zh_number(&c[0]))
        .into_owned()
}

/// Whatever digits are left are counted: 40人 → 四十人, 2位 → 两位.
fn cardinals(text: &str) -> String {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| regex(r"\d+"));
    NUMBER
        .replace_all(text, |c: &Captures| {
            let end = c.get(0).map_or(0, |m| m.end());
            let reading = zh_cardinal(&c[0]);
            let before_measure = text[end..].starts_with(|ch: char| MEASURE_WORDS.contains(ch));
            if reading == "二" && before_measure {
                "两".to_string()
            } else {
                liang_at_head(reading)
            }
        })
        .into_owned()
}

/// Measure words before which 2 reads 两.
const MEASURE_WORDS: &str = "个位名家项条次种只件台辆座所户人天年批场支套份张本头匹艘架股类届期";

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

/// Symbols a reader says aloud.
fn symbols(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '+' => out.push('加'),
            '&' => out.push('和'),
            '%' => out.push_str("百分号"),
            '℃' => out.push_str("摄氏度"),
            '~' | '～' => out.push('到'),
            '=' => out.push_str("等于"),
            '@' => out.push_str(" at "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::spoken;
    use crate::text::Lang;

    #[test]
    fn readings() {
        let cases = [
            (
                "中共中央政治局4月25日召开会议",
                "中共中央政治局四月二十五日召开会议",
            ),
            ("2025年辽源市", "二零二五年辽源市"),
            ("从 4月 30日到 5\n月5日", "从四月三十日到五月五日"),
            (
                "K5069 次沈阳北 11：00开，13：59到辽源",
                "K五零六九次沈阳北十一点开，十三点五十九分到辽源",
            ),
            ("7:08出发", "七点零八分出发"),
            ("可在 12306网上购票", "可在一二三零六网上购票"),
            ("委员共40人出席", "委员共四十人出席"),
            ("实现 220 千伏线路", "实现二百二十千伏线路"),
            ("“5+2”特色产业", "“五加二”特色产业"),
            ("增长-1.2%", "增长负百分之一点二"),
            ("5%～8%", "百分之五到百分之八"),
            ("2位专家", "两位专家"),
            ("3.6亿", "三点六亿"),
            ("2021-2023年", "二零二一到二零二三年"),
            ("98年7月", "九八年七月"),
            ("近20年来", "近二十年来"),
            ("２０２４年度", "二零二四年度"),
            ("拨打12345", "拨打一二三四五"),
            ("电话13912345678", "电话一三九一二三四五六七八"),
            ("20000人", "两万人"),
        ];
        for (written, expected) in cases {
            assert_eq!(spoken(written, Lang::Zh), expected, "{written}");
        }
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
        ] {
            let said = spoken(written, Lang::Zh);
            assert!(
                !said.chars().any(|c| c.is_ascii_digit()),
                "{written} → {said}"
            );
        }
    }
}
