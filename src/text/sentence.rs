//! Sentence splitting for Chinese, English and mixed paragraphs.
//!
//! Chinese sentences end at 。！？； and ……; English ones at . ! ? followed
//! by a space, unless the full stop belongs to an abbreviation, a decimal or
//! an ellipsis. Closing quotes and brackets stay with the sentence they close,
//! and nothing inside 《》 is ever split.

use super::is_cjk;

/// Full-width terminators, always final in Chinese text.
const ZH_TERMINATORS: &[char] = &['。', '！', '？', '；', '…'];
/// Half-width terminators, final when followed by a space, Chinese text or
/// the end of the paragraph.
const ASCII_TERMINATORS: &[char] = &['.', '!', '?', ';'];
/// Closers that belong to the sentence before them.
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', '》', ')', '"', '\'', ']', '】'];

/// Abbreviations (lower-cased, without their final full stop) after which a
/// full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "gen", "gov", "sen", "rep", "col", "lt",
    "sgt", "capt", "mt", "ft", "vs", "etc", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "inc",
    "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "dept", "est",
];
/// Abbreviations that only count as such before a number ("No. 5").
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos", "fig", "vol", "art"];

/// Splits a paragraph into sentences, trimmed, none empty.
pub fn split(paragraph: &str) -> Vec<String> {
    let chars: Vec<char> = paragraph.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut title_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '《' => title_depth += 1,
            '》' => title_depth = title_depth.saturating_sub(1),
            _ => {}
        }
        if title_depth == 0 && ends_sentence(&chars, i) {
            let mut end = i + 1;
            while end < chars.len()
                && (CLOSERS.contains(&chars[end])
                    || ZH_TERMINATORS.contains(&chars[end])
                    || matches!(chars[end], '!' | '?'))
            {
                end += 1;
            }
            push_trimmed(&mut sentences, &chars[start..end]);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push_trimmed(&mut sentences, &chars[start..]);
    sentences
}

fn push_trimmed(sentences: &mut Vec<String>, chars: &[char]) {
    let sentence: String = chars.iter().collect();
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        sentences.push(sentence.to_string());
    }
}

fn ends_sentence(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    if c == '…' {
        // "……" ends a sentence; a lone "…" inside a clause does not.
        return i > 0 && chars[i - 1] == '…';
    }
    if ZH_TERMINATORS.contains(&c) {
        return true;
    }
    if !ASCII_TERMINATORS.contains(&c) {
        return false;
    }
    // What follows, skipping closers: the end, a space, or Chinese text.
    let mut next = i + 1;
    while next < chars.len() && CLOSERS.contains(&chars[next]) {
        next += 1;
    }
    let boundary = match chars.get(next) {
        None => true,
        Some(&n) => n.is_whitespace() || (is_cjk(n) && !matches!(n, '，' | '、')),
    };
    if !boundary {
        return false;
    }
    if c == ';' {
        // A half-width semicolon ends a clause only in Chinese text.
        return i > 0 && is_cjk(chars[i - 1]);
    }
    if c == '.' {
        if i > 0 && chars[i - 1] == '.' || chars.get(i + 1) == Some(&'.') {
            return false; // part of an ellipsis
        }
        return !follows_abbreviation(chars, i);
    }
    true
}

/// True when the full stop at `dot` closes an abbreviation or an initial.
fn follows_abbreviation(chars: &[char], dot: usize) -> bool {
    let mut start = dot;
    while start > 0 && (chars[start - 1].is_ascii_alphabetic() || chars[start - 1] == '.') {
        start -= 1;
    }
    let word: String = chars[start..dot]
        .iter()
        .collect::<String>()
        .to_ascii_lowercase();
    if word.is_empty() {
        return false;
    }
    let is_initial = word.len() == 1 && chars[start].is_ascii_uppercase();
    let before_number = chars[dot + 1..]
        .iter()
        .find(|c| !c.is_whitespace())
        .is_some_and(char::is_ascii_digit);
    is_initial
        || ABBREVIATIONS.contains(&word.as_str())
        || before_number && NUMBER_ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn chinese() {
        let cases: &[(&str, &[&str])] = &[
            (
                "会议认为，经济向好。社会稳定！能行吗？",
                &["会议认为，经济向好。", "社会稳定！", "能行吗？"],
            ),
            (
                "他说：“我们来了。”随后离开。",
                &["他说：“我们来了。”", "随后离开。"],
            ),
            (
                "宣读《竞赛。行动》；与会领导授旗。",
                &["宣读《竞赛。行动》；", "与会领导授旗。"],
            ),
            ("真的吗？！是的……好", &["真的吗？！", "是的……", "好"]),
            (
                "（2025年4月27日通过。）下一句。",
                &["（2025年4月27日通过。）", "下一句。"],
            ),
            ("效率提升3.5倍。", &["效率提升3.5倍。"]),
            ("Mixed GDP增长5%. 然后呢", &["Mixed GDP增长5%.", "然后呢"]),
        ];
        for (input, expected) in cases {
            assert_eq!(split(input), *expected, "{input}");
        }
    }

    #[test]
    fn english() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Smith went to Washington. He stayed.",
                &["Mr. Smith went to Washington.", "He stayed."],
            ),
            (
                "The U.S. economy grew 3.5 percent. Prices rose!",
                &["The U.S. economy grew 3.5 percent.", "Prices rose!"],
            ),
            (
                "We waited... then left. Why?",
                &["We waited... then left.", "Why?"],
            ),
            (
                "It opens at 9 a.m. on Monday.",
                &["It opens at 9 a.m. on Monday."],
            ),
            (
                "He said \"Go.\" She went.",
                &["He said \"Go.\"", "She went."],
            ),
            (
                "J. R. Smith scored. No. 5 won.",
                &["J. R. Smith scored.", "No. 5 won."],
            ),
            (
                "The answer was no. We left.",
                &["The answer was no.", "We left."],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(split(input), *expected, "{input}");
        }
    }
}
