//! Chinese text to tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin`
//! voice, which reads pinyin correctly where its Han voices do not.
//!
//! The reading is word-aware: jieba segments the text into words, each word
//! is looked up in a phrase-level pinyin dictionary (so 银行行长 reads
//! yin2 hang2 hang2 zhang3), and only unknown words fall back to characters.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use pinyin::{Converter, ToneStyle};

use super::is_han;

static SEGMENTER: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Single-character words that are grammatical particles, with the neutral
/// tone they take in running speech. The dictionaries list their citation
/// tones (的 dē, 了 liǎo), which sound wrong in a sentence.
const PARTICLES: &[(&str, &str)] = &[
    ("的", "de5"),
    ("了", "le5"),
    ("着", "zhe5"),
    ("得", "de5"),
    ("吗", "ma5"),
    ("呢", "ne5"),
    ("吧", "ba5"),
    ("啊", "a5"),
    ("么", "me5"),
    ("们", "men5"),
];

/// Numeral characters, read the way numbers are said. Normalization writes
/// numbers as these characters, and a dictionary's first reading of a lone
/// numeral can be a rare one (六 lù in place names).
const NUMERALS: &[(char, &str)] = &[
    ('零', "ling2"),
    ('〇', "ling2"),
    ('一', "yi1"),
    ('二', "er4"),
    ('两', "liang3"),
    ('三', "san1"),
    ('四', "si4"),
    ('五', "wu3"),
    ('六', "liu4"),
    ('七', "qi1"),
    ('八', "ba1"),
    ('九', "jiu3"),
    ('十', "shi2"),
    ('百', "bai3"),
    ('千', "qian1"),
    ('万', "wan4"),
    ('亿', "yi4"),
    ('点', "dian3"),
];

/// Units and measure words that a number word may end with (六日, 六个).
const NUMBER_UNITS: &str = "日月年号点分秒时个位名次人元天周岁层届倍项条件家只";

/// Segments Chinese text into words.
pub fn words(text: &str) -> Vec<&str> {
    SEGMENTER
        .cut(text, true)
        .into_iter()
        .map(|token| token.word)
        .collect()
}

/// Converts Chinese text to space-separated tone-numbered pinyin, with
/// Chinese clause punctuation turned into the ASCII marks espeak-ng pauses
/// at. Characters that are neither Han nor punctuation pass through.
pub fn to_pinyin(text: &str) -> String {
    let mut syllables: Vec<String> = Vec::new();
    for word in words(text) {
        if word.chars().all(is_han) {
            syllables.extend(word_pinyin(word));
        } else {
            for c in word.chars() {
                if let Some(mark) = punctuation(c) {
                    match syllables.last_mut() {
                        Some(last) if !last.ends_with([',', '.', '!', '?']) => last.push_str(mark),
                        _ => {}
                    }
                } else if !c.is_whitespace() && !is_dropped(c) {
                    syllables.push(c.to_string());
                }
            }
        }
    }
    apply_bu_sandhi(&mut syllables);
    syllables.join(" ")
}

/// The syllables of one word: a particle's neutral tone, else the phrase
/// dictionary's reading, with every syllable carrying a tone digit.
fn word_pinyin(word: &str) -> Vec<String> {
    if let Some((_, reading)) = PARTICLES.iter().find(|(particle, _)| *particle == word) {
        return vec![(*reading).to_string()];
    }
    let mut syllables: Vec<String> = Converter::new(word)
        .with_tone_style(ToneStyle::Number)
        .convert()
        .to_string_with(" ")
        .split_whitespace()
        .map(|syllable| {
            if syllable.ends_with(|c: char| c.is_ascii_digit()) {
                syllable.to_string()
            } else {
                format!("{syllable}5")
            }
        })
        .collect();
    // A number, alone or with one unit after it (六日, 二十六个), reads its
    // numerals as numbers; elsewhere the dictionary knows best (六安 lu4).
    let chars: Vec<char> = word.chars().collect();
    let numeral_prefix = chars.iter().take_while(|c| numeral(**c).is_some()).count();
    let unit_after = match &chars[numeral_prefix..] {
        [] => true,
        [unit] => NUMBER_UNITS.contains(*unit),
        _ => false,
    };
    if numeral_prefix > 0 && unit_after && syllables.len() == chars.len() {
        for (syllable, c) in syllables.iter_mut().zip(&chars[..numeral_prefix]) {
            *syllable = numeral(*c).unwrap_or_default().to_string();
        }
    }
    syllables
}

fn numeral(c: char) -> Option<&'static str> {
    NUMERALS
        .iter()
        .find(|(n, _)| *n == c)
        .map(|(_, reading)| *reading)
}

/// 不 is said bu2 before a fourth tone (不要 bu2 yao4).
fn apply_bu_sandhi(syllables: &mut [String]) {
    for i in 0..syllables.len().saturating_sub(1) {
        if syllables[i] == "bu4"
            && syllables[i + 1]
                .trim_end_matches([',', '.', '!', '?'])
                .ends_with('4')
        {
            syllables[i] = "bu2".to_string();
        }
    }
}

/// The ASCII pause mark for a Chinese punctuation mark.
fn punctuation(c: char) -> Option<&'static str> {
    match c {
        '，' | '、' | '：' | '；' | ',' | ':' | ';' | '—' => Some(","),
        '。' | '.' | '…' => Some("."),
        '！' | '!' => Some("!"),
        '？' | '?' => Some("?"),
        _ => None,
    }
}

/// Marks with no sound of their own: quotes, brackets, title marks.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '（'
            | '）'
            | '('
            | ')'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '['
            | ']'
            | '·'
            | '・'
    )
}

#[cfg(test)]
mod tests {
    use super::to_pinyin;

    #[test]
    fn readings() {
        let cases = [
            ("银行行长", "yin2 hang2 hang2 zhang3"),
            ("重庆长江", "chong2 qing4 chang2 jiang1"),
            ("我们了解了", "wo3 men5 liao3 jie3 le5"),
            ("中央的工作。", "zhong1 yang1 de5 gong1 zuo4."),
            (
                "分析研究，稳就业、稳企业",
                "fen1 xi1 yan2 jiu1, wen3 jiu4 ye4, wen3 qi3 ye4",
            ),
            (
                "兜牢基层“三保”底线",
                "dou1 lao2 ji1 ceng2 san1 bao3 di3 xian4",
            ),
            ("不要", "bu2 yao4"),
            ("女", "nü3"),
            ("五零六九", "wu3 ling2 liu4 jiu3"),
            ("二十六日", "er4 shi2 liu4 ri4"),
            ("六安", "lu4 an1"),
        ];
        for (hanzi, expected) in cases {
            assert_eq!(to_pinyin(hanzi), expected, "{hanzi}");
        }
    }

    #[test]
    fn every_syllable_has_a_tone() {
        let pinyin = to_pinyin("习近平在主持学习时强调，面对新一代人工智能技术快速演进的新形势。");
        for syllable in pinyin.split_whitespace() {
            let syllable = syllable.trim_end_matches([',', '.']);
            assert!(
                syllable.ends_with(|c: char| ('1'..='5').contains(&c)),
                "{syllable} in {pinyin}"
            );
        }
    }
}
