//! Number reading shared by the language rules: Chinese cardinals and digit
//! strings, English cardinals.

/// Chinese digits 0–9.
const ZH_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Reads a string of ASCII digits digit by digit: "2025" → "二零二五".
pub fn zh_digits(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| ZH_DIGITS[d as usize])
        .collect()
}

/// Reads a phone, service or code number digit by digit, with 1 as 幺 as
/// announcers say it so it cannot be heard as 七: "12306" → "幺二三零六".
pub fn zh_phone_digits(digits: &str) -> String {
    zh_digits(digits).replace('一', "幺")
}

/// Reads an integer as a Chinese cardinal, grouped by 万 and 亿 with 零 for
/// inner zeros: 10086 → 一万零八十六, 12 → 十二. Integers longer than 16
/// digits are read digit by digit.
pub fn zh_cardinal(digits: &str) -> String {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return "零".to_string();
    }
    let Ok(value) = digits.parse::<u64>() else {
        return zh_digits(digits);
    };
    if digits.len() > 16 {
        return zh_digits(digits);
    }
    let reading = zh_below_ten_quadrillion(value);
    // News style says 十二, not 一十二, at the head of a number.
    match reading.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => reading,
    }
}

fn zh_below_ten_quadrillion(value: u64) -> String {
    const WAN: u64 = 10_000;
    const YI: u64 = 100_000_000;
    let (unit, size) = if value >= YI {
        ("亿", YI)
    } else if value >= WAN {
        ("万", WAN)
    } else {
        return zh_below_ten_thousand(value);
    };
    let (high, low) = (value / size, value % size);
    let mut out = zh_below_ten_quadrillion(high);
    out.push_str(unit);
    if low > 0 {
        // A gap in the lower part's leading place is said as 零.
        if low < size / 10 {
            out.push('零');
        }
        out.push_str(&zh_below_ten_quadrillion(low));
    }
    out
}

fn zh_below_ten_thousand(value: u64) -> String {
    let places = [(1000, "千"), (100, "百"), (10, "十"), (1, "")];
    let mut out = String::new();
    let mut gap = false;
    for (size, unit) in places {
        let digit = (value / size % 10) as usize;
        if digit == 0 {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        out.push(ZH_DIGITS[digit]);
        out.push_str(unit);
    }
    out
}

const EN_ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Reads an integer as English words: 1204 → "one thousand two hundred four".
/// Integers longer than 15 digits are read digit by digit.
pub fn en_cardinal(digits: &str) -> String {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return "zero".to_string();
    }
    let Ok(mut value) = digits.parse::<u64>() else {
        return en_digits(digits);
    };
    if digits.len() > 15 {
        return en_digits(digits);
    }
    let scales = ["", " thousand", " million", " billion", " trillion"];
    let mut parts = Vec::new();
    let mut scale = 0;
    while value > 0 {
        let chunk = value % 1000;
        if chunk > 0 {
            parts.push(format!("{}{}", en_below_thousand(chunk), scales[scale]));
        }
        value /= 1000;
        scale += 1;
    }
    parts.reverse();
    parts.join(" ")
}

fn en_below_thousand(n: u64) -> String {
    let mut words = Vec::new();
    if n >= 100 {
        words.push(format!("{} hundred", EN_ONES[(n / 100) as usize]));
    }
    let rest = n % 100;
    if rest >= 20 {
        let tens = EN_TENS[(rest / 10) as usize];
        if rest % 10 == 0 {
            words.push(tens.to_string());
        } else {
            words.push(format!("{tens}-{}", EN_ONES[(rest % 10) as usize]));
        }
    } else if rest > 0 {
        words.push(EN_ONES[rest as usize].to_string());
    }
    words.join(" ")
}

/// Reads digits one by one in English.
pub fn en_digits(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| EN_ONES[d as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cardinals() {
        let cases = [
            ("0", "零"),
            ("7", "七"),
            ("10", "十"),
            ("12", "十二"),
            ("20", "二十"),
            ("40", "四十"),
            ("101", "一百零一"),
            ("110", "一百一十"),
            ("1000", "一千"),
            ("1001", "一千零一"),
            ("1010", "一千零一十"),
            ("2025", "二千零二十五"),
            ("10000", "一万"),
            ("10086", "一万零八十六"),
            ("12306", "一万二千三百零六"),
            ("100000", "十万"),
            ("105000", "十万五千"),
            ("1000001", "一百万零一"),
            ("30000000", "三千万"),
            ("100000000", "一亿"),
            ("100010000", "一亿零一万"),
            ("360000000", "三亿六千万"),
            ("1000000000000", "一万亿"),
            ("1200000000000", "一万二千亿"),
        ];
        for (digits, expected) in cases {
            assert_eq!(zh_cardinal(digits), expected, "{digits}");
        }
    }

    #[test]
    fn chinese_digit_strings() {
        assert_eq!(zh_digits("2025"), "二零二五");
        assert_eq!(zh_digits("12306"), "一二三零六");
    }

    #[test]
    fn english_cardinals() {
        let cases = [
            ("0", "zero"),
            ("13", "thirteen"),
            ("42", "forty-two"),
            ("100", "one hundred"),
            ("1204", "one thousand two hundred four"),
            ("2000000", "two million"),
        ];
        for (digits, expected) in cases {
            assert_eq!(en_cardinal(digits), expected, "{digits}");
        }
    }
}
