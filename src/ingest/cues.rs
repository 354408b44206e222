//! The cues a printed page gives about a line of text: whether it ends a
//! sentence, whether it opens an article (a dateline or a byline), whether it
//! could be a headline, and whether it is a notice's passage note. Page repair
//! and page splitting both read them; each cue is a small named rule.

use std::sync::LazyLock;

use regex::Regex;

use crate::script::is_cjk;

/// Punctuation that ends a sentence.
const TERMINATORS: &[char] = &['。', '！', '？', '；', '…', '.', '!', '?', ';'];
/// Closing quotes and brackets that may stand after a terminator.
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '"', '\'', '》', '】', ']'];

/// True when a line's last sentence is complete: it ends with a terminator,
/// possibly inside closing quotes or brackets.
pub fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(CLOSERS)
        .ends_with(TERMINATORS)
}

/// The widest Chinese headline line, in columns (36 characters).
const MAX_CJK_HEADLINE: usize = 72;
/// The widest English headline line, in columns.
const MAX_LATIN_HEADLINE: usize = 90;
/// Punctuation a headline never holds: it would make the line a sentence.
const NOT_IN_HEADLINES: &[char] = &['。', '；', '！', '？', '…'];
/// What a headline line never ends with: a clause or an opening goes on.
const NOT_AT_HEADLINE_END: &[char] = &[
    '，', '、', '：', ',', ';', ':', '（', '(', '“', '‘', '《', '【', '.', '!', '?', '-', '—',
];
/// Words an English headline line does not end with; a column-broken line of
/// body text often does.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or",
    "but", "as", "that", "which", "who", "is", "are", "was", "were", "be", "been", "has", "have",
    "had", "its", "their", "his", "her", "our", "this", "these", "than", "into", "over", "after",
];
/// Brackets and quotes that a headline opens and closes on the same line.
const PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('《', '》'),
    ('（', '）'),
    ('(', ')'),
    ('【', '】'),
    ('「', '」'),
    ('『', '』'),
];

/// An English sentence end inside a line: a word, a terminator, a space and
/// a capital.
static LATIN_SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[a-z]{2,}[.!?]["”’']?\s+["“]?[A-Z]"#).expect("valid regex"));

/// How wide text is set, in half-width columns: Chinese characters and
/// full-width forms take two, Latin letters and digits one, spaces none.
pub fn width(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_cjk(c) || c > '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// True when a line could be (part of) a headline: short, no sentence
/// punctuation, not ending in the middle of a clause, brackets closed.
/// Letter spacing, a stronger cue, is judged by the caller.
pub fn is_headline_line(line: &str) -> bool {
    let line = line.trim();
    let latin = !line.chars().any(is_cjk);
    let limit = if latin {
        MAX_LATIN_HEADLINE
    } else {
        MAX_CJK_HEADLINE
    };
    let length = width(line);
    length > 0
        && length <= limit
        && !line.contains(NOT_IN_HEADLINES)
        && !line.ends_with(NOT_AT_HEADLINE_END)
        && is_balanced(line)
        && !(latin && (LATIN_SENTENCE_END.is_match(line) || ends_with_function_word(line)))
        && !is_bare_date(line)
        && !is_intertitle(line)
}

/// True for a numbered subhead inside an article (`一、`, `（二）`, `3.`),
/// read with its article, never a headline of its own.
pub fn is_intertitle(line: &str) -> bool {
    INTERTITLE.is_match(line)
}

/// A numbered subhead's number.
static INTERTITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.、．]\s*\D)",
    )
    .expect("valid regex")
});

/// True for a line that is only a date, like the one under a notice's
/// signature.
pub fn is_bare_date(line: &str) -> bool {
    BARE_DATE.is_match(line.trim())
}

/// A date standing alone.
static BARE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^([\d〇零一二三四五六七八九]{4}\s*年\s*)?[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$",
        r"|^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$"
    ))
    .expect("valid regex")
});

/// True when every bracket and quote the text opens, it also closes.
pub fn is_balanced(text: &str) -> bool {
    PAIRS.iter().all(|&(open, close)| {
        text.chars().filter(|&c| c == open).count() == text.chars().filter(|&c| c == close).count()
    })
}

fn ends_with_function_word(line: &str) -> bool {
    line.split_whitespace()
        .last()
        .is_some_and(|word| FUNCTION_WORDS.contains(&word.to_ascii_lowercase().as_str()))
}

/// True when a line has a clause comma, which body text has and headlines
/// rarely do.
pub fn has_clause_comma(line: &str) -> bool {
    line.contains(['，', '、'])
}

/// How a pattern reads a line: with every space removed (Chinese is often
/// letter-spaced) or as written (English needs its spaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    /// Spaces are removed before matching.
    Removed,
    /// The line is matched as written, trimmed.
    Kept,
}

/// Named patterns, tried in order; the first that matches names the line.
pub struct Patterns(Vec<(&'static str, Spacing, Regex)>);

impl Patterns {
    /// Compiles a table of `(name, spacing, pattern)`.
    pub fn new(table: Vec<(&'static str, Spacing, String)>) -> Patterns {
        Patterns(
            table
                .into_iter()
                .map(|(name, spacing, pattern)| {
                    (name, spacing, Regex::new(&pattern).expect("valid regex"))
                })
                .collect(),
        )
    }

    /// The name of the first pattern the text matches.
    pub fn find(&self, text: &str) -> Option<&'static str> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        self.0
            .iter()
            .find(|(_, spacing, pattern)| match spacing {
                Spacing::Removed => pattern.is_match(&compact),
                Spacing::Kept => pattern.is_match(text.trim()),
            })
            .map(|(name, _, _)| *name)
    }
}

/// The ways an article opens: datelines and bylines.
static ARTICLE_OPENINGS: LazyLock<Patterns> = LazyLock::new(|| {
    let month_day =
        r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(\d{1,2}|[一二三四五六七八九十]{1,3})日";
    let named = "新华社|中新社|中新网|人民网|央视网|本报";
    Patterns::new(vec![
        (
            "named agency dateline",
            Spacing::Removed,
            format!(r"^[【\[]?({named})(\p{{Han}}{{0,8}}?{month_day})?电"),
        ),
        (
            "dated dateline",
            Spacing::Removed,
            format!(
                r"^[【\[]?\p{{Han}}{{2,8}}(日报|晚报|晨报|时报|电视台|通讯社|社|网)\p{{Han}}{{0,8}}?{month_day}电"
            ),
        ),
        ("news flash", Spacing::Removed, r"^[【\[]?本报讯".into()),
        (
            "reporter in brackets",
            Spacing::Removed,
            // Text must follow: a byline standing alone closes an article.
            r"^[（(](本报|新华社)?(特约)?(记者|通讯员)[^）)]{1,40}[）)].".into(),
        ),
        (
            "reporter reports",
            Spacing::Removed,
            r"^(本报|新华社)?(特约)?(记者|通讯员)[\p{Han}·、]{2,30}?报道".into(),
        ),
        (
            "english dateline",
            Spacing::Kept,
            concat!(
                r"^[A-Z][A-Z.'’-]+( [A-Z][A-Z.'’-]+)*",
                r"(, [A-Z][a-z]{2,8}\.? \d{1,2})?",
                r" \([A-Z][A-Za-z.]*( [A-Z][A-Za-z.]*)*\) ?(--|[-–—])"
            )
            .into(),
        ),
    ])
});

/// The name of the dateline or byline rule the text opens with, if any.
pub fn article_opening(text: &str) -> Option<&'static str> {
    ARTICLE_OPENINGS.find(text)
}

/// A byline in brackets standing alone on its line.
static LONE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[（(](本报|新华社)?(特约)?(记者|通讯员)[^）)]{1,40}[）)]$").expect("valid regex")
});

/// True for a line that is only a byline in brackets, `（记者 张三）`: it
/// ends an article as often as it opens one.
pub fn is_lone_byline(line: &str) -> bool {
    LONE_BYLINE.is_match(line.trim())
}

/// A passage note's date: Arabic or Chinese numerals.
static NOTE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[\d〇零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月",
        r"|(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}"
    ))
    .expect("valid regex")
});
/// What a passage note says happened to the text.
static NOTE_ACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"通过|批准|公布|发布|施行|修正|修订|印发|(?i:adopted|approved|passed|promulgated)")
        .expect("valid regex")
});
/// The widest passage note, in columns (80 characters).
const MAX_NOTE: usize = 160;

/// True for a notice's passage note, such as
/// `（2025年4月27日……会议通过）`: one bracketed stretch with a date and
/// what was done.
pub fn is_passage_note(text: &str) -> bool {
    let text = text.trim();
    let bracketed = (text.starts_with('（') && text.ends_with('）'))
        || (text.starts_with('(') && text.ends_with(')'));
    bracketed
        && width(text) <= MAX_NOTE
        && is_balanced(text)
        && NOTE_DATE.is_match(text)
        && NOTE_ACT.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends() {
        let cases = [
            ("会议还研究了其他事项。", true),
            ("他说：“我们来了。”", true),
            ("3：59到辽源；", true),
            ("Crews worked through the night.", true),
            ("扩围提质实施“两新”政策，加力实施", false),
            ("吉央企“大国重器”“顶梁柱”", false),
            ("本报讯（记者 张晓楠）", false),
            ("培育壮大新质生产力，", false),
        ];
        for (line, expected) in cases {
            assert_eq!(ends_sentence(line), expected, "{line}");
        }
    }

    #[test]
    fn headline_lines() {
        let cases = [
            ("坚持自立自强 突出应用导向", true),
            ("习近平在中共中央政治局第二十次集体学习时强调", true),
            ("“安康杯”竞赛暨劳动保护和安全生产训练营启动", true),
            ("Storm hits the coast", true),
            ("2025年6月20日", false),
            ("一、坚持稳中求进", false),
            ("（二）加强基础研究", false),
            ("一季度经济运行稳中向好", true),
            ("二〇二五年六月二十日", false),
            ("U.S. Stocks Fall Sharply", true),
            ("会议还研究了其他事项。", false),
            ("培育壮大新质生产力，", false),
            ("相关负责人宣读《2025年辽", false),
            ("垒台、提质转型、突破跃升”", false),
            ("A powerful storm battered the", false),
            ("power, officials said. Crews worked", false),
            (
                "根据《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》的有关规定",
                false,
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(is_headline_line(line), expected, "{line}");
        }
    }

    #[test]
    fn article_openings() {
        let cases = [
            (
                "新华社北京4月25日电 中共中央政治局",
                Some("named agency dateline"),
            ),
            (
                "【新华社长春4月26日电】记者从",
                Some("named agency dateline"),
            ),
            ("新华社电 据报道", Some("named agency dateline")),
            (
                "本报北京4月25日电（记者 王五）",
                Some("named agency dateline"),
            ),
            ("吉林日报长春4月25日电 全省", Some("dated dateline")),
            ("本 报 讯（记 者 董 星辰）4月24日", Some("news flash")),
            ("【本报讯】近日", Some("news flash")),
            (
                "（记者 徐楠 夏景明）4月24日，",
                Some("reporter in brackets"),
            ),
            ("本报记者 张三 李四 报道：", Some("reporter reports")),
            (
                "BEIJING, April 25 (Xinhua) -- China will",
                Some("english dateline"),
            ),
            (
                "LONDON (Reuters) - The Bank of England",
                Some("english dateline"),
            ),
            ("合作社发电量增长", None),
            ("（记者 张三 李四）", None),
            ("会议认为，今年以来", None),
            ("记者了解到，全市", None),
            ("The council met on Friday.", None),
        ];
        for (text, expected) in cases {
            assert_eq!(article_opening(text), expected, "{text}");
        }
    }

    #[test]
    fn passage_notes() {
        let cases = [
            (
                "（2025年4月27日辽源市第九届人民代表大会常务委员会第二十八次会议通过）",
                true,
            ),
            ("（二〇二五年四月二十七日公布）", true),
            ("(Adopted at the 28th session on April 27, 2025)", true),
            ("（记者 张晓楠）", false),
            ("（2025年4月27日）", false),
            ("会议通过了2025年4月27日的决定。", false),
        ];
        for (text, expected) in cases {
            assert_eq!(is_passage_note(text), expected, "{text}");
        }
    }
}
