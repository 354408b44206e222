//! Chinese text to tone-numbered pinyin, for espeak-ng's `cmn-latn-pinyin`
//! voice (which reads pinyin correctly where its Han voices do not) and for
//! `bulletin normalize --pinyin`.
//!
//! The reading is word-aware: jieba segments the text into words; each word
//! is read from the lexicon, else from a phrase-level pinyin dictionary (so
//! 银行行长 reads yin2 hang2 hang2 zhang3), and only unknown words fall back
//! to characters. Context rules then settle the polyphones a dictionary
//! cannot (a lone 为, 长, 地 …), particles take the neutral tone, and 一 and
//! 不 change tone before the syllable that follows.

use std::sync::LazyLock;

use jieba_rs::Jieba;

mod dictionary;

use super::is_han;
use super::lexicon::Lexicon;

/// One character of text with its reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A Han character and its tone-numbered syllable (ü written as v).
    Han(char, String),
    /// Anything else: punctuation, Latin letters, spaces.
    Other(char),
}

/// A segmenter and lexicon, built once per run.
pub struct Pronouncer {
    /// Built on first use, so English-only input never loads it.
    jieba: std::sync::OnceLock<Jieba>,
    lexicon: Lexicon,
}

static BUILT_IN: LazyLock<Pronouncer> = LazyLock::new(|| Pronouncer::new(Lexicon::built_in()));

impl Pronouncer {
    /// A pronouncer that knows the lexicon's words as whole words.
    pub fn new(lexicon: Lexicon) -> Pronouncer {
        Pronouncer {
            jieba: std::sync::OnceLock::new(),
            lexicon,
        }
    }

    /// The segmenter, with the lexicon's words; loading it and the pinyin
    /// dictionary each take a few hundred milliseconds of one core, so the
    /// first Chinese text loads them side by side.
    fn segmenter(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let pinyin = std::thread::spawn(dictionary::load);
            let mut jieba = Jieba::new();
            for word in self.lexicon.pinyin.keys() {
                jieba.add_word(word, None, None);
            }
            pinyin.join().expect("the pinyin dictionary loads");
            jieba
        })
    }

    /// The pronouncer with the built-in lexicon.
    pub fn built_in() -> &'static Pronouncer {
        &BUILT_IN
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Segments text into words.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        // Without HMM guessing: unknown names split into characters, so a
        // particle or polyphone is never glued to them (孙黎为 → 孙 黎 为).
        self.segmenter()
            .cut(text, false)
            .into_iter()
            .map(|token| token.word)
            .collect()
    }

    /// Every character of `text` with its reading.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let text = self.without_spaces_inside_words(text);
        // Tagged without HMM guessing, like `words`: the same segmentation,
        // with each word's part of speech for the polyphone rules.
        let tagged: Vec<(&str, &str)> = self
            .segmenter()
            .tag(&text, false)
            .into_iter()
            .map(|tag| (tag.word, tag.tag))
            .collect();
        let words: Vec<&str> = tagged.iter().map(|(word, _)| *word).collect();
        let mut tokens = Vec::new();
        for (index, word) in words.iter().enumerate() {
            if word.chars().all(is_han) {
                let neighbour = |i: Option<usize>| i.and_then(|i| tagged.get(i)).copied();
                let (before, before_tag) = neighbour(index.checked_sub(1)).unwrap_or(("", ""));
                let (after, after_tag) = neighbour(Some(index + 1)).unwrap_or(("", ""));
                let context = Context {
                    before,
                    before_tag,
                    after,
                    after_tag,
                    clause_before: clause_before(&words[..index]),
                };
                let syllables = self.word_syllables(word, &context);
                tokens.extend(word.chars().zip(syllables).map(|(c, s)| Token::Han(c, s)));
            } else {
                tokens.extend(word.chars().map(Token::Other));
            }
        }
        apply_tone_sandhi(&mut tokens, &words);
        tokens
    }

    /// `text` without the spaces that PDF extraction leaves inside a
    /// Chinese word (`银 行行长`): a space between two Han characters goes
    /// when a dictionary word of up to four characters runs across it. The
    /// spaces print uses to set words apart (byline names, headline parts)
    /// stay, and are read as short pauses.
    fn without_spaces_inside_words<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let chars: Vec<char> = text.chars().collect();
        let mut kept = String::with_capacity(text.len());
        let mut changed = false;
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_whitespace() {
                kept.push(chars[i]);
                i += 1;
                continue;
            }
            let end = i + chars[i..].iter().take_while(|c| c.is_whitespace()).count();
            if self.word_across(&chars[..i], &chars[end..]) {
                changed = true;
            } else {
                kept.extend(&chars[i..end]);
            }
            i = end;
        }
        if changed {
            std::borrow::Cow::Owned(kept)
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }

    /// Whether a dictionary word of two to four characters takes its start
    /// from the Han characters ending `before` and its end from those
    /// starting `after`.
    fn word_across(&self, before: &[char], after: &[char]) -> bool {
        let left: Vec<char> = before
            .iter()
            .rev()
            .take_while(|c| is_han(**c))
            .take(3)
            .copied()
            .collect();
        let right: Vec<char> = after
            .iter()
            .take_while(|c| is_han(**c))
            .take(3)
            .copied()
            .collect();
        if left.is_empty() || right.is_empty() {
            return false;
        }
        let jieba = self.segmenter();
        (1..=left.len()).any(|l| {
            (1..=right.len().min(4 - l)).any(|r| {
                let word: String = left[..l].iter().rev().chain(&right[..r]).collect();
                jieba.has_word(&word)
            })
        })
    }

    /// The engine input for Chinese text: syllables separated by spaces,
    /// with clause punctuation turned into the ASCII marks espeak-ng pauses
    /// at, and marks with no sound dropped. A space between Chinese words
    /// is a short pause too: Chinese text has spaces only where print sets
    /// things apart, the names of a byline or the parts of a headline.
    pub fn engine_pinyin(&self, text: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut other = String::new();
        let flush = |other: &mut String, parts: &mut Vec<String>| {
            if !other.trim().is_empty() {
                parts.push(other.trim().to_string());
            }
            other.clear();
        };
        // A space seen right after a syllable, not yet followed by anything
        // but more space.
        let mut spaced_after_syllable = false;
        for token in self.tokens(text) {
            match token {
                Token::Han(_, syllable) => {
                    flush(&mut other, &mut parts);
                    if spaced_after_syllable {
                        if let Some(last) = parts.last_mut() {
                            last.push(',');
                        }
                    }
                    spaced_after_syllable = false;
                    parts.push(syllable);
                }
                Token::Other(c) if c.is_whitespace() => {
                    let after_syllable = other.trim().is_empty()
                        && parts
                            .last()
                            .is_some_and(|p| p.ends_with(|d: char| d.is_ascii_digit()));
                    spaced_after_syllable |= after_syllable;
                    flush(&mut other, &mut parts);
                }
                Token::Other(c) => {
                    spaced_after_syllable = false;
                    if let Some(mark) = pause_mark(c) {
                        flush(&mut other, &mut parts);
                        if let Some(last) = parts.last_mut() {
                            if !last.ends_with([',', '.', '!', '?']) {
                                last.push_str(mark);
                            }
                        }
                    } else if c.is_whitespace() || is_silent(c) {
                        flush(&mut other, &mut parts);
                    } else {
                        other.push(c);
                    }
                }
            }
        }
        flush(&mut other, &mut parts);
        parts.join(" ")
    }

    /// One tone-numbered syllable per Han character, separated by spaces;
    /// punctuation and other runs kept as written.
    pub fn numbered(&self, text: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut other = String::new();
        for token in self.tokens(text) {
            match token {
                Token::Han(_, syllable) => {
                    if !other.is_empty() {
                        parts.push(std::mem::take(&mut other));
                    }
                    parts.push(syllable);
                }
                Token::Other(c) if c.is_whitespace() => {
                    if !other.is_empty() {
                        parts.push(std::mem::take(&mut other));
                    }
                }
                Token::Other(c) if c.is_alphanumeric() => other.push(c),
                Token::Other(c) => {
                    if !other.is_empty() {
                        parts.push(std::mem::take(&mut other));
                    }
                    parts.push(c.to_string());
                }
            }
        }
        if !other.is_empty() {
            parts.push(other);
        }
        parts.join(" ")
    }

    /// The syllables of one word, one per character.
    fn word_syllables(&self, word: &str, context: &Context<'_>) -> Vec<String> {
        if let Some(syllables) = self.lexicon.pinyin.get(word) {
            return syllables.iter().map(|s| s.replace('ü', "v")).collect();
        }
        let chars: Vec<char> = word.chars().collect();
        if let [c] = chars[..] {
            if let Some(reading) = single_character(c, context) {
                return vec![reading.to_string()];
            }
        }
        let mut syllables = dictionary::syllables(word);
        if syllables.len() != chars.len() {
            // The dictionary's reading does not line up with the characters:
            // read them one by one.
            syllables = chars
                .iter()
                .flat_map(|c| dictionary::syllables(&c.to_string()).into_iter().take(1))
                .collect();
        }
        // A number, alone or with one unit after it (六日, 二十六个), reads its
        // numerals as numbers; elsewhere the dictionary knows best (六安 lu4).
        let numeral_prefix = chars.iter().take_while(|c| numeral(**c).is_some()).count();
        let unit_after = match &chars[numeral_prefix..] {
            [] => true,
            [unit] => NUMBER_UNITS.contains(*unit),
            _ => false,
        };
        if numeral_prefix > 0 && unit_after {
            for (syllable, c) in syllables.iter_mut().zip(&chars[..numeral_prefix]) {
                *syllable = numeral(*c).unwrap_or_default().to_string();
            }
        }
        // 率团, 率队: "to lead", shuai4.
        if chars.len() > 1 && chars[0] == '率' && "团队领部众".contains(chars[1]) {
            syllables[0] = "shuai4".to_string();
        }
        for i in 1..chars.len() {
            match chars[i] {
                // A measure word after a number: 两只 liang3 zhi1.
                '只' if numeral(chars[i - 1]).is_some() => syllables[i] = "zhi1".to_string(),
                // The complement marker inside a phrase: 跑得快 pao3 de5 kuai4.
                '得' if i + 1 < chars.len() && chars.len() == 3 => {
                    syllables[i] = "de5".to_string();
                }
                // 选为, 被评为: naming "as", wei2.
                '为' if "选评称列定命聘任视认推举授译折换划".contains(chars[i - 1]) =>
                {
                    syllables[i] = "wei2".to_string();
                }
                // The adverb marker after a manner word: 特别地, 好好地.
                '地' if i + 1 == chars.len() && is_manner(&chars[..i]) => {
                    syllables[i] = "de5".to_string();
                }
                _ => {}
            }
        }
        syllables
    }
}

/// The words around the one being read, with their parts of speech
/// (jieba's tags: v verb, n noun, r pronoun, a adjective, d adverb, m
/// numeral …).
struct Context<'a> {
    /// The word before.
    before: &'a str,
    /// The part of speech of the word before.
    before_tag: &'a str,
    /// The next word.
    after: &'a str,
    /// The part of speech of the next word.
    after_tag: &'a str,
    /// The text of the clause so far (since the last punctuation mark).
    clause_before: String,
}

fn clause_before(words: &[&str]) -> String {
    let mut clause = String::new();
    for word in words.iter().rev() {
        if word.chars().any(|c| pause_mark(c).is_some()) {
            break;
        }
        clause.insert_str(0, word);
    }
    clause
}

/// Text with each Han character spelled in toneless pinyin (for file names):
/// "辽源2025" → "liao yuan 2025".
pub fn toneless(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        if is_han(c) {
            let syllable = dictionary::syllables(&c.to_string()).remove(0);
            out.push(' ');
            out.push_str(syllable.trim_end_matches(|d: char| d.is_ascii_digit()));
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// Numeral characters, read the way numbers are said.
const NUMERALS: &[(char, &str)] = &[
    ('零', "ling2"),
    ('〇', "ling2"),
    ('幺', "yao1"),
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

/// Words of manner that 地 turns into adverbs (积极地, 好好地).
const MANNER_WORDS: &[&str] = &[
    "特别", "积极", "不断", "认真", "深入", "有效", "扎实", "全面", "稳步", "逐步", "充分", "切实",
    "主动", "努力", "慢慢", "静静", "悄悄", "默默", "紧紧", "牢牢", "坚定", "彻底", "迅速", "持续",
    "大力", "高度", "真正", "科学", "合理", "有序", "稳妥", "精准", "明显", "显著", "广泛", "热情",
    "详细", "自觉",
];

/// True for a manner word, including reduplicated ones (好好, 高高兴兴).
fn is_manner(stem: &[char]) -> bool {
    let text: String = stem.iter().collect();
    let reduplicated = match stem {
        [a, b] => a == b,
        [a, b, c, d] => a == b && c == d,
        _ => false,
    };
    reduplicated || MANNER_WORDS.contains(&text.as_str())
}

fn numeral(c: char) -> Option<&'static str> {
    NUMERALS
        .iter()
        .find(|(n, _)| *n == c)
        .map(|(_, reading)| *reading)
}

fn is_numeral_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| numeral(c).is_some() || c == '第')
}

/// Characters whose reading alone as a word is always the same in running
/// news text, though the dictionary lists another first: particles take the
/// neutral tone, and common function words their usual reading.
const FIXED_READINGS: &[(char, &str)] = &[
    ('的', "de5"),
    ('了', "le5"),
    ('着', "zhe5"),
    ('吗', "ma5"),
    ('呢', "ne5"),
    ('吧', "ba5"),
    ('啊', "a5"),
    ('么', "me5"),
    ('们', "men5"),
    ('发', "fa1"),
    ('便', "bian4"),
    ('少', "shao3"),
    ('相', "xiang1"),
    ('都', "dou1"),
    ('和', "he2"),
    ('会', "hui4"),
    ('要', "yao4"),
    ('与', "yu3"),
    ('将', "jiang1"),
    ('把', "ba3"),
    ('给', "gei3"),
    ('看', "kan4"),
    ('中', "zhong1"),
    ('上', "shang4"),
    ('于', "yu2"),
    ('几', "ji3"),
    ('正', "zheng4"),
    ('曾', "ceng2"),
    // Alone, 教 is the verb "to teach" (教书, 教我); the noun comes in words
    // (教育, 宗教).
    ('教', "jiao1"),
];

/// Titles after a surname.
const SURNAME_TITLES: &[&str] = &[
    "先生", "女士", "老师", "书记", "主任", "部长", "市长", "局长", "总", "教授", "院士", "校长",
];

/// Polyphones settled by the next character: (character, next characters,
/// reading before them, reading otherwise). 还款 huan2, 还是 hai2.
const BY_NEXT_CHARACTER: &[(char, &str, &str, &str)] = &[
    ('还', "款钱债贷账清给本息", "huan2", "hai2"),
    ('重', "新复建返申组演逢", "chong2", "zhong4"),
    ('调', "整节控和解味皮剂", "tiao2", "diao4"),
    ('处', "理置分罚于在事境", "chu3", "chu4"),
    ('率', "团队领部众先", "shuai4", "lv4"),
    ('应', "对用邀聘急变届", "ying4", "ying1"),
    ('好', "客学奇", "hao4", "hao3"),
];

/// Readings of a character that stands alone as a word, where the
/// dictionary's first reading is wrong in running news text: particles take
/// the neutral tone, and polyphones are settled by the words around them.
fn single_character(c: char, context: &Context<'_>) -> Option<&'static str> {
    // 曾 as a surname before a title (曾先生, 曾书记) is zeng1.
    if c == '曾' && SURNAME_TITLES.iter().any(|t| context.after.starts_with(t)) {
        return Some("zeng1");
    }
    if let Some((_, reading)) = FIXED_READINGS.iter().find(|(fixed, _)| *fixed == c) {
        return Some(reading);
    }
    if let Some((_, next, then, otherwise)) = BY_NEXT_CHARACTER.iter().find(|(rule, ..)| *rule == c)
    {
        let matches = context
            .after
            .chars()
            .next()
            .is_some_and(|n| next.contains(n));
        return Some(if matches { then } else { otherwise });
    }
    let after = context.after;
    let before = context.before;
    let after_starts = |set: &str| after.chars().next().is_some_and(|n| set.contains(n));
    let before_ends = |set: &str| before.chars().last().is_some_and(|n| set.contains(n));
    let after_numeral = is_numeral_word(before) || before_ends("这那每几多各哪某");
    if let Some(reading) = verb_or_noun(c, context) {
        return Some(reading);
    }
    Some(match c {
        '过' if !after.is_empty() && !after_starts("，。、；！？") => return None,
        '地' => {
            // After a word of manner (积极地, 稳步地) it is the adverb marker.
            let before_chars: Vec<char> = before.chars().collect();
            let manner = is_manner(&before_chars)
                || before_chars.len() >= 2
                    && before_chars.iter().all(|c| is_han(*c))
                    && after.chars().next().is_some_and(is_han)
                    && !before_ends("土本各此外当该全原产基实用田耕草陆荒圣内境");
            if manner {
                "de5"
            } else {
                "di4"
            }
        }
        '为' => {
            // 以…为…, 任命…为…, 称…为…: "to be, as" (wei2); else "for" (wei4).
            let clause = &context.clause_before;
            let as_be = [
                "以", "任命", "决定", "选举", "推选", "评", "称", "视", "作", "改", "定", "列",
                "确定", "选为", "命名", "聘",
            ]
            .iter()
            .any(|w| clause.contains(w))
                || after_starts("主止准例伍")
                // 被选为, 被评为: a passive naming is always "to be".
                || clause.contains('被') && before_ends("选评称列定命聘任视认推举授")
                || before_ends("选评列译折换划");
            if as_be {
                "wei2"
            } else {
                "wei4"
            }
        }
        '长' => {
            // 市长, 董事长: a head of something follows an organisation.
            if before_ends("市县省区乡镇村局部厅处科所院队组委会团司校社馆站行社署州盟庭")
                || after_starts("大成出高胖得壮满")
            {
                "zhang3"
            } else {
                "chang2"
            }
        }
        '行' => {
            if after_numeral && after_starts("字诗") || before_ends("银商央投") {
                "hang2"
            } else {
                "xing2"
            }
        }
        '只' => {
            if after_numeral {
                "zhi1"
            } else {
                "zhi3"
            }
        }
        '种' => {
            if !after_numeral && after_starts("树地菜花粮草田瓜豆果苗稻麦在了下上过着出满")
            {
                "zhong4"
            } else {
                "zhong3"
            }
        }
        '干' if after_starts("部事活") => "gan4",
        _ => return None,
    })
}

/// Polyphones that are a verb in one reading and a noun or particle in
/// another, settled by the next word and its part of speech.
fn verb_or_noun(c: char, context: &Context<'_>) -> Option<&'static str> {
    let (before, after, after_tag) = (context.before, context.after, context.after_tag);
    let after_starts = |set: &str| after.chars().next().is_some_and(|n| set.contains(n));
    let before_ends = |set: &str| before.chars().last().is_some_and(|n| set.contains(n));
    Some(match c {
        '得' => de(context),
        '数' => {
            // 数百, 数年: "several"; a lone 数 before anything else is the
            // verb "to count" (他在数钱).
            if after_starts("十百千万亿年天月日次倍") {
                "shu4"
            } else {
                "shu3"
            }
        }
        '量' => {
            // The verb "to measure" takes an object (量体温); after 的 or a
            // number, or before an adverb (量很大), it is the noun.
            let measured_object = after_tag.starts_with('n') && !before_ends("的大小总少多");
            // 量一量, 量一下: the verb with its trial form.
            if measured_object || after_starts("体身血尺一") {
                "liang2"
            } else {
                "liang4"
            }
        }
        '了' if before_ends("不得")
            && (after.is_empty() || !after.chars().next().is_some_and(is_han)) =>
        {
            // 受不了, 去得了: the potential complement, liao3.
            "liao3"
        }
        _ => return None,
    })
}

/// 得 alone: de5 after a verb or adjective it complements (跑得快, 长得快,
/// 看得见); de2 "to obtain" before 了, a number or a noun (得了第一名, 得三分);
/// dei3 "must" before a verb (你得走, 我们得抓紧).
fn de(context: &Context<'_>) -> &'static str {
    let before_describes = ["v", "vn", "a", "ad", "an", "z"].contains(&context.before_tag)
        && !context.before.is_empty();
    // A verb, or an idiom that acts as one (抓紧时间).
    let after_verb = context.after_tag.starts_with('v') || ["l", "i"].contains(&context.after_tag);
    if context.after.starts_with('不') {
        "de2"
    } else if before_describes {
        "de5"
    } else if context.after.starts_with('了')
        || context.after_tag.starts_with('m')
        || context.after_tag.starts_with('n')
    {
        "de2"
    } else if after_verb {
        "dei3"
    } else {
        "de5"
    }
}

/// Tone sandhi of 一 and 不: 不 is bu2 before a fourth tone; 一 is yi2
/// before a fourth (or neutral) tone and yi4 before the others, except where
/// it is a number (第一, 十一, 一月, 统一 at the end of a word). Between a
/// verb and its repetition (看一看, 数一数, 是不是, 好不好) both are
/// unstressed: neutral tone.
fn apply_tone_sandhi(tokens: &mut [Token], words: &[&str]) {
    // Which characters end their word, and which words are numbers.
    let mut word_end = Vec::with_capacity(tokens.len());
    let mut in_number_word = Vec::with_capacity(tokens.len());
    for word in words {
        let count = word.chars().count();
        let numeric =
            word.chars().filter(|c| numeral(*c).is_some()).count() > 1 || word.starts_with('第');
        for i in 0..count {
            word_end.push(i + 1 == count && count > 1);
            in_number_word.push(numeric);
        }
    }
    for i in 0..tokens.len() {
        let next_tone = tokens[i + 1..]
            .iter()
            .find_map(|t| match t {
                Token::Han(_, s) => Some(s.chars().last().unwrap_or('1')),
                Token::Other(c) if c.is_whitespace() => None,
                Token::Other(_) => Some('0'),
            })
            .unwrap_or('0');
        let next_char = match tokens.get(i + 1) {
            Some(Token::Han(c, _)) => Some(*c),
            _ => None,
        };
        let previous = match i.checked_sub(1).map(|p| &tokens[p]) {
            Some(Token::Han(c, syllable)) => Some((*c, syllable.clone())),
            _ => None,
        };
        let after_di = previous.as_ref().is_some_and(|(p, _)| *p == '第');
        let Token::Han(c, syllable) = &mut tokens[i] else {
            continue;
        };
        let repeated = previous.filter(|(p, _)| {
            Some(*p) == next_char && *p != '一' && *p != '不' && numeral(*p).is_none()
        });
        if let Some((_, first)) = repeated.filter(|_| matches!(*c, '一' | '不')) {
            *syllable = if *c == '一' { "yi5" } else { "bu5" }.to_string();
            // The repeat is the same word, read as the first is.
            if let Some(Token::Han(_, second)) = tokens.get_mut(i + 1) {
                *second = first;
            }
            continue;
        }
        match (*c, syllable.as_str()) {
            ('不', "bu4") if next_tone == '4' => *syllable = "bu2".to_string(),
            // 第一 is always a number, though the phrase list marks the
            // sandhi in some words (第一名 dì yì míng).
            ('一', _) if after_di => *syllable = "yi1".to_string(),
            ('一', "yi1") => {
                let is_number = in_number_word.get(i).copied().unwrap_or(false)
                    || word_end.get(i).copied().unwrap_or(false)
                    || next_char
                        .is_some_and(|n| numeral(n).is_some() || "月日号楼层期季届等".contains(n));
                if !is_number {
                    match next_tone {
                        '4' | '5' => *syllable = "yi2".to_string(),
                        '1' | '2' | '3' => *syllable = "yi4".to_string(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The ASCII pause mark for a punctuation mark.
fn pause_mark(c: char) -> Option<&'static str> {
    match c {
        '，' | '、' | '：' | '；' | ',' | ':' | ';' | '—' => Some(","),
        '。' | '.' | '…' => Some("."),
        '！' | '!' => Some("!"),
        '？' | '?' => Some("?"),
        _ => None,
    }
}

/// Marks with no sound of their own: quotes, brackets, title marks.
fn is_silent(c: char) -> bool {
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
            | '/'
            | '／'
    )
}

#[cfg(test)]
mod tests {
    use super::Pronouncer;

    fn numbered(text: &str) -> String {
        Pronouncer::built_in().numbered(text)
    }

    #[test]
    fn engine_input() {
        let cases = [
            ("中央的工作。", "zhong1 yang1 de5 gong1 zuo4."),
            (
                "分析研究，稳就业、稳企业",
                "fen1 xi1 yan2 jiu1, wen3 jiu4 ye4, wen3 qi3 ye4",
            ),
            (
                "兜牢基层“三保”底线",
                "dou1 lao2 ji1 ceng2 san1 bao3 di3 xian4",
            ),
            ("五零六九", "wu3 ling2 liu4 jiu3"),
            // Spaces set names and headline parts apart: a short pause;
            // a space inside a word is a flaw of the page, and goes.
            ("银 行行长", "yin2 hang2 hang2 zhang3"),
            ("全 力保障旅客", "quan2 li4 bao3 zhang4 lv3 ke4"),
            ("人工 智能发展", "ren2 gong1 zhi4 neng2 fa1 zhan3"),
            ("记者 徐楠 夏景明", "ji4 zhe3, xu2 nan2, xia4 jing3 ming2"),
            (
                "营造良好环境  携手合作",
                "ying2 zao4 liang2 hao3 huan2 jing4, xie2 shou3 he2 zuo4",
            ),
            (
                "（记者 张晓楠）随着",
                "ji4 zhe3, zhang1 xiao3 nan2 sui2 zhe5",
            ),
            ("环境， 携手", "huan2 jing4, xie2 shou3"),
        ];
        for (hanzi, expected) in cases {
            assert_eq!(
                Pronouncer::built_in().engine_pinyin(hanzi),
                expected,
                "{hanzi}"
            );
        }
    }

    /// Polyphones and sandhi, as `normalize --pinyin` prints them.
    const READINGS: &[(&str, &str)] = &[
        ("银行行长", "yin2 hang2 hang2 zhang3"),
        ("举行会议", "ju3 xing2 hui4 yi4"),
        ("进行调研", "jin4 xing2 diao4 yan2"),
        ("银行业", "yin2 hang2 ye4"),
        ("行情", "hang2 qing2"),
        ("一行人", "yi4 xing2 ren2"),
        ("重庆", "chong2 qing4"),
        ("重新出发", "chong2 xin1 chu1 fa1"),
        ("重要", "zhong4 yao4"),
        ("重点", "zhong4 dian3"),
        ("两重", "liang3 zhong4"),
        ("重复", "chong2 fu4"),
        ("市长", "shi4 zhang3"),
        ("增长", "zeng1 zhang3"),
        ("成长", "cheng2 zhang3"),
        ("长江", "chang2 jiang1"),
        ("长期以来", "chang2 qi1 yi3 lai2"),
        ("了解", "liao3 jie3"),
        ("我们了解了", "wo3 men5 liao3 jie3 le5"),
        (
            "会议还研究了其他事项。",
            "hui4 yi4 hai2 yan2 jiu1 le5 qi2 ta1 shi4 xiang4 。",
        ),
        (
            "以习近平同志为核心",
            "yi3 xi2 jin4 ping2 tong2 zhi4 wei2 he2 xin1",
        ),
        ("为企业服务", "wei4 qi3 ye4 fu2 wu4"),
        (
            "任命孙黎为副市长",
            "ren4 ming4 sun1 li2 wei2 fu4 shi4 zhang3",
        ),
        ("积极地推进", "ji1 ji2 de5 tui1 jin4"),
        ("不要", "bu2 yao4"),
        ("不好", "bu4 hao3"),
        ("一致", "yi2 zhi4"),
        ("一批", "yi4 pi1"),
        ("一揽子", "yi4 lan3 zi5"),
        ("第一", "di4 yi1"),
        ("统一", "tong3 yi1"),
        ("十一", "shi2 yi1"),
        ("一月", "yi1 yue4"),
        ("女", "nv3"),
        ("绿色", "lv4 se4"),
        ("GDP增长，", "GDP zeng1 zhang3 ，"),
        ("还贷", "huan2 dai4"),
        ("两只", "liang3 zhi1"),
        ("只有", "zhi3 you3"),
        ("得到", "de2 dao4"),
        ("跑得快", "pao3 de5 kuai4"),
        ("的确", "di2 que4"),
        ("目的", "mu4 di4"),
        ("处理", "chu3 li3"),
        ("相关", "xiang1 guan1"),
        ("首相", "shou3 xiang4"),
        ("数量", "shu4 liang4"),
        ("少年", "shao4 nian2"),
        ("应对", "ying4 dui4"),
        ("应该", "ying1 gai1"),
        ("种子", "zhong3 zi5"),
        ("种植", "zhong4 zhi2"),
        ("种子种在地里", "zhong3 zi5 zhong4 zai4 di4 li3"),
        ("人行道", "ren2 xing2 dao4"),
        ("老师教我们唱歌", "lao3 shi1 jiao1 wo3 men5 chang4 ge1"),
        ("宗教", "zong1 jiao4"),
        ("发展", "fa1 zhan3"),
        ("头发", "tou2 fa4"),
        ("方便", "fang1 bian4"),
        ("便宜", "pian2 yi5"),
        ("调整", "tiao2 zheng3"),
        ("着力", "zhuo2 li4"),
        ("看着", "kan4 zhe5"),
        ("六安", "lu4 an1"),
        ("特别地", "te4 bie2 de5"),
        ("目的地", "mu4 di4 di4"),
        ("积极有为", "ji1 ji2 you3 wei2"),
        ("按时还款", "an4 shi2 huan2 kuan3"),
        ("二十六日", "er4 shi2 liu4 ri4"),
        ("数一数", "shu3 yi5 shu3"),
        ("看一看", "kan4 yi5 kan4"),
        ("是不是", "shi4 bu5 shi4"),
        ("好不好", "hao3 bu5 hao3"),
        ("一一", "yi1 yi1"),
        ("三一三", "san1 yi1 san1"),
        // Polyphones settled by the neighbouring words and their parts of
        // speech.
        ("孩子长得快", "hai2 zi5 zhang3 de5 kuai4"),
        ("他在数钱", "ta1 zai4 shu3 qian2"),
        ("数百人参加", "shu4 bai3 ren2 can1 jia1"),
        ("量体温", "liang2 ti3 wen1"),
        ("慢慢地走", "man4 man4 de5 zou3"),
        ("他被选为代表", "ta1 bei4 xuan3 wei2 dai4 biao3"),
        ("你得走了", "ni3 dei3 zou3 le5"),
        ("我们得抓紧", "wo3 men5 dei3 zhua1 jin3"),
        ("他得了第一名", "ta1 de2 le5 di4 yi1 ming2"),
        ("看得见", "kan4 de5 jian4"),
        ("他率团访问", "ta1 shuai4 tuan2 fang3 wen4"),
        ("我受不了", "wo3 shou4 bu4 liao3"),
        ("量一量", "liang2 yi5 liang2"),
        ("曾先生说", "zeng1 xian1 sheng5 shuo1"),
        ("他曾经说", "ta1 ceng2 jing1 shuo1"),
    ];

    #[test]
    fn polyphones_and_sandhi() {
        let mut failures = Vec::new();
        for (hanzi, expected) in READINGS {
            let got = numbered(hanzi);
            if got != *expected {
                failures.push(format!("{hanzi}: {got} (want {expected})"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} wrong:\n{}",
            failures.len(),
            READINGS.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn one_syllable_per_han_character() {
        let text = "习近平在主持学习时强调，面对新一代人工智能技术快速演进的新形势。";
        let out = numbered(text);
        let han = text.chars().filter(|c| crate::text::is_han(*c)).count();
        let syllables = out
            .split(' ')
            .filter(|s| s.ends_with(|c: char| ('1'..='5').contains(&c)))
            .count();
        assert_eq!(han, syllables, "{out}");
    }
}
