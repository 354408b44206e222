//! Undoes what PDF extraction does to a newspaper page's text, before the
//! page is split into articles: letter-spaced headlines, spaces inside dates
//! and numbers, lines broken by the column width and blank lines left at
//! column breaks. Page furniture (the date and edition lines, staff and photo
//! credits, jumps to other pages) is set aside, never read and never lost.

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{self, width, Patterns, Spacing};
use crate::script::{is_cjk, is_cjk_punct, is_han};

/// One line of the page after repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The text with its spacing repaired.
    pub text: String,
    /// The line was printed with a space between every character, the way
    /// headlines are.
    pub letter_spaced: bool,
    /// The line ended with a jump to another page (`下转第2版`): its article
    /// goes on elsewhere.
    pub continues_elsewhere: bool,
    /// The line began with a jump from another page (`上接第1版`): an
    /// article's continuation starts here.
    pub continued_from_elsewhere: bool,
}

/// Lines that stand together, between blank lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Block {
    /// The lines in order, none empty.
    pub lines: Vec<Line>,
}

/// A page after repair: its blocks, and the furniture set aside as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairedPage {
    /// Blocks of lines in reading order.
    pub blocks: Vec<Block>,
    /// Furniture lines and jump markers, in page order.
    pub dropped: Vec<String>,
}

/// Repairs a page: furniture set aside, line spacing repaired, blocks that a
/// column break cut apart joined again.
pub fn repair(text: &str) -> RepairedPage {
    let mut blocks = Vec::new();
    let mut current = Block::default();
    let mut dropped = Vec::new();
    let mut in_caption = false;
    for raw in text.lines().map(str::trim) {
        if raw.is_empty() {
            in_caption = false;
            if !current.lines.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        let kind = furniture(raw);
        // A caption starts where a sentence may start ("试图为" can break
        // before "图为") and runs on until its sentence or its credit ends.
        let at_boundary = current
            .lines
            .last()
            .is_none_or(|last| cues::ends_sentence(&last.text));
        let starts_caption = kind == Some("caption") && at_boundary;
        if in_caption || starts_caption || kind.is_some_and(|k| k != "caption") {
            in_caption =
                (in_caption || starts_caption) && !cues::ends_sentence(raw) && !raw.ends_with('摄');
            dropped.push(raw.to_string());
            continue;
        }
        let (text, jumps) = strip_jumps(raw);
        let continued_from_elsewhere = jumps.before.is_some();
        let continues_elsewhere = jumps.after.is_some();
        dropped.extend(jumps.before);
        if !text.is_empty() {
            current.lines.push(Line {
                letter_spaced: is_letter_spaced(text),
                text: repair_spacing(text),
                continues_elsewhere,
                continued_from_elsewhere,
            });
        } else if let (true, Some(last)) = (continues_elsewhere, current.lines.last_mut()) {
            last.continues_elsewhere = true;
        }
        dropped.extend(jumps.after);
    }
    if !current.lines.is_empty() {
        blocks.push(current);
    }
    RepairedPage {
        blocks: rejoin_column_breaks(blocks),
        dropped,
    }
}

// ---------------------------------------------------------------------------
// Spacing

/// A repair of one line's spacing.
type SpacingRule = fn(&str) -> String;

/// The spacing repairs, applied in order.
const SPACING_RULES: &[(&str, SpacingRule)] = &[
    ("letter spacing", collapse_letter_spacing),
    ("space beside a digit", close_digit_gaps),
    ("digits split by spaces", join_split_digits),
];

/// Applies every spacing rule to a line.
pub fn repair_spacing(line: &str) -> String {
    SPACING_RULES
        .iter()
        .fold(line.to_string(), |text, (_, rule)| rule(&text))
}

/// Rebuilds a line, dropping each run of spaces for which `remove` holds;
/// `remove` sees the characters and the run's start and end.
fn drop_gaps(line: &str, remove: impl Fn(&[char], usize, usize) -> bool) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if start == 0 || i == chars.len() || !remove(&chars, start, i) {
                out.extend(&chars[start..i]);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The length of the run of Han characters around the nearest Han character
/// reached from `from`, forward or backward, over CJK punctuation, if any.
fn han_run_beside(chars: &[char], from: usize, forward: bool) -> Option<usize> {
    let mut at = from;
    while is_cjk_punct(chars[at]) {
        at = if forward { at + 1 } else { at.checked_sub(1)? };
        if at >= chars.len() {
            return None;
        }
    }
    if !is_han(chars[at]) {
        return None;
    }
    let mut start = at;
    while start > 0 && is_han(chars[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < chars.len() && is_han(chars[end]) {
        end += 1;
    }
    Some(end - start)
}

/// A space that separates two single Han characters (punctuation between
/// does not count) is letter spacing, not a word break.
fn is_letter_gap(chars: &[char], start: usize, end: usize) -> bool {
    is_cjk(chars[start - 1])
        && is_cjk(chars[end])
        && han_run_beside(chars, start - 1, false) == Some(1)
        && han_run_beside(chars, end, true) == Some(1)
}

/// `五 一 ，辽 源` → `五一，辽源`; `记者 徐楠 夏` keeps its word breaks.
fn collapse_letter_spacing(line: &str) -> String {
    drop_gaps(line, is_letter_gap)
}

/// The fewest letter-spacing gaps that make a line letter-spaced.
const MIN_LETTER_GAPS: usize = 3;

/// True when most of a line's Chinese is printed one character at a time.
pub fn is_letter_spaced(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let mut gaps = 0;
    let mut words = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            // Only gaps inside Chinese count: `公 园 1 2 处` is spaced
            // throughout, digits or not.
            if start > 0 && i < chars.len() && is_cjk(chars[start - 1]) && is_cjk(chars[i]) {
                words += 1;
                gaps += usize::from(is_letter_gap(&chars, start, i));
            }
        } else {
            i += 1;
        }
    }
    gaps >= MIN_LETTER_GAPS && gaps * 4 >= words * 3
}

/// `4 月24日` → `4月24日`, `实现 220 千伏` → `实现220千伏`.
fn close_digit_gaps(line: &str) -> String {
    drop_gaps(line, |chars, start, end| {
        let (before, after) = (chars[start - 1], chars[end]);
        (before.is_ascii_digit() && is_cjk(after)) || (is_cjk(before) && after.is_ascii_digit())
    })
}

/// `2 0 2 5年` → `2025年`: digits split by spaces inside Chinese text.
fn join_split_digits(line: &str) -> String {
    drop_gaps(line, |chars, start, end| {
        if !(chars[start - 1].is_ascii_digit() && chars[end].is_ascii_digit()) {
            return false;
        }
        let left = chars[..start]
            .iter()
            .rev()
            .find(|c| !c.is_ascii_digit() && !c.is_whitespace());
        let right = chars[end..]
            .iter()
            .find(|c| !c.is_ascii_digit() && !c.is_whitespace());
        left.is_some_and(|&c| is_cjk(c)) && right.is_some_and(|&c| is_cjk(c))
    })
}

/// Joins the lines of one paragraph: nothing between Chinese text, one space
/// between Latin words, and one between two names of a byline that lists
/// them with spaces (`（记者 富予思` + `孙嘉筱）`), which would otherwise
/// read as one long name.
pub fn join_lines<S: AsRef<str>>(lines: &[S]) -> String {
    let mut joined = String::new();
    for line in lines {
        let line = line.as_ref().trim();
        if let (Some(before), Some(after)) = (joined.chars().last(), line.chars().next()) {
            let between_names = is_han(before) && is_han(after) && ends_in_spaced_byline(&joined);
            if !(is_cjk(before) || is_cjk(after)) || between_names {
                joined.push(' ');
            }
        }
        joined.push_str(line);
    }
    joined
}

/// Whether `text` ends inside an open byline bracket whose names are set
/// apart by spaces: `（记者 徐楠 夏景明`.
fn ends_in_spaced_byline(text: &str) -> bool {
    static SPACED_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
        regex(r"[（(](本报|新华社)?(特约|见习)?(记者|通讯员|实习生)( +\p{Han}{2,4})+$")
    });
    SPACED_BYLINE.is_match(text)
}

// ---------------------------------------------------------------------------
// Furniture

/// Kinds of page furniture, lines that belong to the page and not to an
/// article, each a named pattern.
static FURNITURE: LazyLock<Patterns> = LazyLock::new(|| {
    let month =
        "(January|February|March|April|May|June|July|August|September|October|November|December)";
    let weekday = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
    Patterns::new(vec![
        // `2025年4月28日 星期一`, `Monday, April 28, 2025`.
        (
            "page date",
            Spacing::Removed,
            format!(
                r"^(\d{{4}}年)?\d{{1,2}}月\d{{1,2}}日(星期|周)[一二三四五六日天][^。，]*$|^{weekday},?{month}\d{{1,2}},?\d{{4}}$"
            ),
        ),
        // `（下转第2版）`, `Continued on page 5`, on a line of their own.
        (
            "jump line",
            Spacing::Removed,
            concat!(
                r"^[（(]?(下转|上接|转|接)第?[\dA-H一二三四五六七八九十]+版[）)]?$",
                r"|^\(?(Continued|Cont'd|Continues)(on|from)(page|Page|P\.)[A-H]?\d+\)?$"
            )
            .into(),
        ),
        // `第2版`, `A3`, `要闻 A3`, `Page 3 WORLD`.
        (
            "edition",
            Spacing::Removed,
            concat!(
                r"^(第[\d一二三四五六七八九十]+版|[A-H]\d{1,2}版?)[\p{Han}·]{0,8}$",
                r"|^[\p{Han}·]{1,8}(第[\d一二三四五六七八九十]+版|[A-H]\d{1,2})$",
                r"|^(Page|PAGE|P\.)[A-H]?\d{1,3}[A-Z&]{0,20}$"
            )
            .into(),
        ),
        // `责任编辑：张三 校对：李四`, `编辑 刘洋`, `Edited by Jane Doe`.
        (
            "staff credit",
            Spacing::Kept,
            concat!(
                r"^(本版)?(责任编辑|责编|编辑|校对|美编|美术编辑|组版|版式设计|版式|审读|审校|主编|",
                r"值班主任|值班编辑|制图|视觉设计|终审|排版|统筹|策划)(\s*[：:]|\s+[\p{Han}·]{2,4}(\s|$))",
                r"|^(Edited by|Editor:|Copy editor:|Designed by|Layout:)"
            )
            .into(),
        ),
        // `（摄影 张三）`, `记者 张三 摄`, `(Photo by John Smith)`, `Li Ming/Xinhua`.
        (
            "photo credit",
            Spacing::Kept,
            concat!(
                r"^[（(](摄影|图片|图|摄)[：:\s]*[\p{Han}·、\s]{2,30}[）)]$",
                r"|^(\S*(记者|通讯员)\s*)?[\p{Han}·]{2,4}(\s*[、\s]\s*[\p{Han}·]{2,4})*\s+摄$",
                r"|^\(?(Photo|Photos|Photograph)( by|:) [^.]{2,40}\)?$",
                r"|^\(?[A-Z][\w.]*( [A-Z][\w.]*)*/(Xinhua|AP|Reuters|AFP|Getty Images)\)?$"
            )
            .into(),
        ),
        // `图为……`, `Photo shows ...`: may run over several lines.
        (
            "caption",
            Spacing::Kept,
            r"^([上下左右]?图为|[上下左右]?图[：:]|(Photo|Picture) shows )".into(),
        ),
        // `— 2 —`, `3`.
        ("page number", Spacing::Removed, r"^[-—–·]*\d{1,3}[-—–·]*$".into()),
        // `国内统一连续出版物号 CN22-0012`, `总第12345期`.
        (
            "masthead data",
            Spacing::Removed,
            r"^(国内统一连续出版物号|邮发代号|总第\d+期|CN\d{2}-\d{4})".into(),
        ),
        // `（完）`: the wire's end mark, on a line of its own.
        ("end mark", Spacing::Removed, r"^[（(]完[）)]$".into()),
    ])
});

/// The longest furniture line, in characters.
const MAX_FURNITURE: usize = 60;

/// The kind of furniture the line is, if it is furniture.
pub fn furniture(line: &str) -> Option<&'static str> {
    if width(line) > MAX_FURNITURE * 2 {
        return None;
    }
    FURNITURE.find(line)
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

static JUMP_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"\s*([（(](下转|转)第?\s*[\dA-H一二三四五六七八九十]+\s*版[）)]",
        r"|\((Continued|See) on page [A-H]?\d+\))$"
    ))
});
static JUMP_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"^([（(](上接|接)第?\s*[\dA-H一二三四五六七八九十]+\s*版[）)]",
        r"|\(Continued from page [A-H]?\d+\))\s*"
    ))
});

/// Jump markers found inside a line.
#[derive(Debug, Default, PartialEq, Eq)]
struct Jumps {
    before: Option<String>,
    after: Option<String>,
}

/// Takes `（上接第1版）` off the start and `（下转第2版）` off the end of a
/// line.
fn strip_jumps(line: &str) -> (&str, Jumps) {
    let mut jumps = Jumps::default();
    let mut text = line;
    if let Some(found) = JUMP_BEFORE.find(text) {
        jumps.before = Some(found.as_str().trim().to_string());
        text = &text[found.end()..];
    }
    if let Some(found) = JUMP_AFTER.find(text) {
        jumps.after = Some(found.as_str().trim().to_string());
        text = &text[..found.start()];
    }
    (text.trim(), jumps)
}

// ---------------------------------------------------------------------------
// Column breaks

impl Block {
    /// True when the block reads as a headline: every line could be a
    /// headline line, and none opens a dateline or byline.
    fn reads_as_headline(&self) -> bool {
        self.is_headline_like()
            && (0..self.lines.len()).all(|i| opening_at(&self.lines[i..]).is_none())
    }

    fn opens_with_dateline(&self) -> bool {
        opening_at(&self.lines).is_some()
    }

    /// True when every line could be a headline line.
    pub fn is_headline_like(&self) -> bool {
        self.lines.len() <= MAX_HEADLINE_LINES
            && self
                .lines
                .iter()
                .all(|line| line.letter_spaced || cues::is_headline_line(&line.text))
    }

    /// True when the block holds body text cut off by a column break
    /// rather than a headline: a line about as wide as the column (three
    /// quarters of it, or up to a character more) that has a clause comma.
    /// Without a measured column (plain text, a short page) nothing is a
    /// fragment.
    fn looks_like_fragment(&self, column: Option<usize>) -> bool {
        let Some(column) = column else {
            return false;
        };
        let full_width = |line: &Line| {
            let w = width(&line.text);
            w * 4 >= column * 3 && w <= column + 2
        };
        !self.lines.iter().any(|l| l.letter_spaced)
            && self
                .lines
                .iter()
                .any(|l| cues::has_clause_comma(&l.text) && full_width(l))
    }

    fn starts_lowercase(&self) -> bool {
        self.lines
            .first()
            .and_then(|l| l.text.chars().next())
            .is_some_and(char::is_lowercase)
    }

    /// True when the block starts something new: a dateline or byline, a
    /// continuation from another page, a passage note, a letter-spaced
    /// headline.
    fn stands_apart(&self) -> bool {
        self.lines.first().is_some_and(|first| {
            first.continued_from_elsewhere
                || first.letter_spaced
                || self.opens_with_dateline()
                || self.holds_passage_note()
        })
    }

    /// True when the block opens with a byline in brackets, which goes on
    /// a dateline as often as it opens an article.
    fn opens_with_bracketed_byline(&self) -> bool {
        opening_at(&self.lines) == Some("reporter in brackets")
    }

    /// True for a notice's title block: a passage note under a few lines.
    fn holds_passage_note(&self) -> bool {
        self.lines
            .iter()
            .take(MAX_HEADLINE_LINES + 1)
            .any(|line| cues::is_passage_note(&line.text))
    }

    /// True when the block stops in the middle of a sentence: not at a
    /// sentence end, a jump to another page, a notice's signature date, a
    /// byline or a numbered subhead.
    fn ends_open(&self) -> bool {
        self.lines.last().is_some_and(|last| {
            !last.continues_elsewhere
                && !cues::ends_sentence(&last.text)
                && !cues::is_bare_date(&last.text)
                && !cues::is_lone_byline(&last.text)
                && !cues::is_intertitle(&last.text)
        })
    }
}

/// The width of the column some lines are set in: the widest of them, as a
/// paragraph's last line and lines with Latin digits fall short, leaving
/// out lines half again as wide as the middle one (a wider column's lines).
pub fn column_width(lines: &[Line]) -> usize {
    let mut widths: Vec<usize> = lines.iter().map(|l| width(&l.text)).collect();
    widths.sort_unstable();
    let Some(&middle) = widths.get(widths.len() / 2) else {
        return 0;
    };
    widths
        .into_iter()
        .filter(|&w| w * 2 <= middle * 3)
        .max()
        .unwrap_or(middle)
}

/// The dateline or byline rule that opens at these lines, if any; it may
/// run over the next two lines. A byline in brackets alone on its line,
/// with a dateline on the next, closes the article before instead.
pub fn opening_at(lines: &[Line]) -> Option<&'static str> {
    let head: Vec<&str> = lines.iter().take(3).map(|l| l.text.as_str()).collect();
    let opening = cues::article_opening(&join_lines(&head))?;
    let closing_byline = lines
        .first()
        .is_some_and(|first| cues::is_lone_byline(&first.text))
        && opening_at(&lines[1..]).is_some();
    (!closing_byline).then_some(opening)
}

/// The fewest full lines that show text is set in columns.
const MIN_FULL_LINES: usize = 8;

/// A block's full lines: lines of a body block that another line follows
/// and that do not end a sentence (a paragraph's last line falls short).
fn full_lines(block: &Block) -> impl Iterator<Item = &Line> {
    let body = !block.is_headline_like();
    block
        .lines
        .split_last()
        .map_or(&[][..], |(_, full)| full)
        .iter()
        .filter(move |line| body && !cues::ends_sentence(&line.text))
}

/// The width of the column around each block, measured on the full lines
/// of the nearest blocks (articles on one page are set in columns of
/// different widths). None where there are too few of them to be set in
/// columns: plain text, or a short item.
fn local_columns(blocks: &[Block]) -> Vec<Option<usize>> {
    (0..blocks.len())
        .map(|i| {
            let mut lines: Vec<Line> = Vec::new();
            for distance in 0..blocks.len() {
                let sides = [i.checked_sub(distance), Some(i + distance)];
                for j in sides
                    .into_iter()
                    .flatten()
                    .take(if distance == 0 { 1 } else { 2 })
                {
                    if let Some(block) = blocks.get(j) {
                        lines.extend(full_lines(block).cloned());
                    }
                }
                if lines.len() >= MIN_FULL_LINES {
                    return Some(column_width(&lines));
                }
            }
            None
        })
        .collect()
}

/// The most lines of a headline block: kicker, two headline lines, subhead.
pub const MAX_HEADLINE_LINES: usize = 4;

/// A rule that says a block goes on in the next one across a blank line,
/// given the block after that, if any, and the width of the column there,
/// if the text is set in columns.
type ContinuationRule = fn(&Block, &Block, Option<&Block>, Option<usize>) -> bool;

/// Why two blocks are one paragraph that a column break cut.
const CONTINUATIONS: &[(&str, ContinuationRule)] = &[
    ("open sentence continues", open_sentence_continues),
    ("comma fragment continues", comma_fragment_continues),
    ("lowercase continues", lowercase_continues),
    ("dateline continues", dateline_continues),
];

/// The body block before the break does not end its sentence, and what
/// follows is not clearly a headline or a new article. A short line that
/// could be a headline is one only when a new article or the page's end
/// follows it; otherwise it is the rest of the sentence.
fn open_sentence_continues(
    before: &Block,
    after: &Block,
    next: Option<&Block>,
    column: Option<usize>,
) -> bool {
    let clearly_headline = after.is_headline_like()
        && !after.looks_like_fragment(column)
        && next.is_none_or(Block::stands_apart);
    before.ends_open()
        && !before.reads_as_headline()
        && (!after.stands_apart() || after.opens_with_bracketed_byline())
        && !clearly_headline
}

/// A short block that looks like a headline but reads like body text cut at
/// a column break (a clause comma at column width), followed by more body:
/// a block that is not a headline, or another short one that more body
/// follows.
fn comma_fragment_continues(
    before: &Block,
    after: &Block,
    next: Option<&Block>,
    column: Option<usize>,
) -> bool {
    before.ends_open()
        && before.reads_as_headline()
        && before.looks_like_fragment(column)
        && !after.stands_apart()
        && (!after.is_headline_like() || next.is_some_and(|n| !n.stands_apart()))
}

/// An English sentence cut by a column break goes on in lowercase.
fn lowercase_continues(before: &Block, after: &Block, _: Option<&Block>, _: Option<usize>) -> bool {
    before.ends_open() && after.starts_lowercase() && !after.stands_apart()
}

/// A dateline or byline that a column break cut: it opens an article only
/// with the next block's first lines.
fn dateline_continues(before: &Block, after: &Block, _: Option<&Block>, _: Option<usize>) -> bool {
    let Some(last) = before.lines.last() else {
        return false;
    };
    let mut head = vec![last.text.as_str()];
    head.extend(after.lines.iter().take(2).map(|l| l.text.as_str()));
    before.ends_open()
        && cues::article_opening(&last.text).is_none()
        && cues::article_opening(&join_lines(&head)).is_some()
}

/// Joins blocks that a column break cut in the middle of a sentence.
fn rejoin_column_breaks(blocks: Vec<Block>) -> Vec<Block> {
    let columns = local_columns(&blocks);
    let mut joined: Vec<Block> = Vec::new();
    let mut blocks = blocks.into_iter().zip(columns).peekable();
    while let Some((block, column)) = blocks.next() {
        if let Some(before) = joined.last_mut() {
            let next = blocks.peek().map(|(next, _)| next);
            if CONTINUATIONS
                .iter()
                .any(|(_, rule)| rule(before, &block, next, column))
            {
                before.lines.extend(block.lines);
                continue;
            }
        }
        joined.push(block);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_rules() {
        let cases = [
            (
                "letter spacing",
                "五 一 ，辽 源 火 车 站",
                "五一，辽源火车站",
            ),
            (
                "letter spacing",
                "本 报 讯（记 者 董 星",
                "本报讯（记者董星",
            ),
            ("letter spacing", "（记者 徐楠 夏", "（记者 徐楠 夏"),
            (
                "letter spacing",
                "坚持自立自强 突出应用导向",
                "坚持自立自强 突出应用导向",
            ),
            ("letter spacing", "电 中共中央政治局", "电 中共中央政治局"),
            (
                "space beside a digit",
                "辰）4 月 24 日，由市总工",
                "辰）4月24日，由市总工",
            ),
            (
                "space beside a digit",
                "强领导下，实现 220 千伏线",
                "强领导下，实现220千伏线",
            ),
            ("space beside a digit", "K5069 次沈阳", "K5069次沈阳"),
            (
                "space beside a digit",
                "Winds of 120 km/h",
                "Winds of 120 km/h",
            ),
            ("digits split by spaces", "为2 0 2 5年", "为2025年"),
            (
                "digits split by spaces",
                "in 2024 15 people",
                "in 2024 15 people",
            ),
        ];
        for (name, input, expected) in cases {
            let rule = SPACING_RULES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, rule)| rule)
                .unwrap();
            assert_eq!(rule(input), expected, "{name}: {input}");
        }
    }

    #[test]
    fn all_spacing_rules_together() {
        assert_eq!(
            repair_spacing("团有限公司从 4月 30日到 5"),
            "团有限公司从4月30日到5"
        );
        assert_eq!(repair_spacing("为 2025 年"), "为2025年");
    }

    #[test]
    fn letter_spaced_lines() {
        let cases = [
            ("五 一 ，辽 源 火 车 站 加 开 班 次 服 务 旅 客", true),
            ("营 造 良 好 环 境  携 手 合 作 共 赢", true),
            ("本报讯（记者 徐楠 夏", false),
            ("坚持自立自强 突出应用导向", false),
            ("记者 王 伟", false),
            ("龙 山 区 新 建 口 袋 公 园 1 2 处", true),
        ];
        for (line, expected) in cases {
            assert_eq!(is_letter_spaced(line), expected, "{line}");
        }
    }

    #[test]
    fn joins() {
        let cases: &[(&[&str], &str)] = &[
            (&["中共中", "央政治局"], "中共中央政治局"),
            (
                &["研究当前经济形势，", "经济工作。"],
                "研究当前经济形势，经济工作。",
            ),
            (
                &["The council met", "on Friday."],
                "The council met on Friday.",
            ),
            (&["兜牢基层“三", "保”底线。"], "兜牢基层“三保”底线。"),
            (&["K5069 次沈阳", "北 11：00开"], "K5069 次沈阳北 11：00开"),
            (
                &["本报讯（记者 富予思", "孙嘉筱）4月 27日"],
                "本报讯（记者 富予思 孙嘉筱）4月 27日",
            ),
            (&["（通讯员 李明 王", "芳）讯"], "（通讯员 李明 王芳）讯"),
            (&["（记者张晓", "楠）随着"], "（记者张晓楠）随着"),
            (&["据记者 张三", "报道"], "据记者 张三报道"),
        ];
        for (input, expected) in cases {
            assert_eq!(join_lines(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn furniture_kinds() {
        let cases = [
            ("2025年4月28日 星期一", Some("page date")),
            ("2025年4月28日 星期一 农历乙巳年四月初一", Some("page date")),
            ("Monday, April 28, 2025", Some("page date")),
            ("第2版", Some("edition")),
            ("A3", Some("edition")),
            ("要闻 A3", Some("edition")),
            ("第 3 版 综合新闻", Some("edition")),
            ("Page 3 WORLD", Some("edition")),
            ("责任编辑：张三 校对：李四 美编：王五", Some("staff credit")),
            ("编辑 刘洋", Some("staff credit")),
            ("Edited by Jane Doe", Some("staff credit")),
            ("（下转第2版）", Some("jump line")),
            ("上接第一版", Some("jump line")),
            ("Continued on page 5", Some("jump line")),
            ("（摄影 张三）", Some("photo credit")),
            ("记者 张三 摄", Some("photo credit")),
            ("本报记者 张三 李四 摄", Some("photo credit")),
            ("(Photo by John Smith)", Some("photo credit")),
            ("Li Ming/Xinhua", Some("photo credit")),
            ("图为辽源火车站候车大厅。", Some("caption")),
            ("— 2 —", Some("page number")),
            ("国内统一连续出版物号 CN22-0012", Some("masthead data")),
            ("（完）", Some("end mark")),
            ("会议还研究了其他事项。", None),
            ("编辑工作要加强，", None),
            ("4月24日，市委书记沈德生到企业调研。", None),
            ("手机拍摄", None),
            ("A powerful storm battered the", None),
            ("The page 3 story", None),
        ];
        for (line, expected) in cases {
            assert_eq!(furniture(line), expected, "{line}");
        }
    }

    #[test]
    fn jump_markers_inside_lines() {
        let cases = [
            (
                "加力实施（下转第2版）",
                "加力实施",
                None,
                Some("（下转第2版）"),
            ),
            (
                "（上接第1版）会议指出，",
                "会议指出，",
                Some("（上接第1版）"),
                None,
            ),
            (
                "rates steady. (Continued on page 5)",
                "rates steady.",
                None,
                Some("(Continued on page 5)"),
            ),
            (
                "会议还研究了其他事项。",
                "会议还研究了其他事项。",
                None,
                None,
            ),
        ];
        for (line, text, before, after) in cases {
            let (rest, jumps) = strip_jumps(line);
            assert_eq!(rest, text, "{line}");
            assert_eq!(jumps.before.as_deref(), before, "{line}");
            assert_eq!(jumps.after.as_deref(), after, "{line}");
        }
    }

    fn texts(page: &RepairedPage) -> Vec<Vec<String>> {
        page.blocks
            .iter()
            .map(|b| b.lines.iter().map(|l| l.text.clone()).collect())
            .collect()
    }

    /// Column-break cases: name, text after a column of body text, blocks.
    const COLUMN_BREAK_CASES: &[(&str, &str, &[&[&str]])] = &[
        (
            "open sentence continues",
            "会议指出，要提高中低收入群体\n收入，大力发展服务消费，增强消费\n对经济增长的拉动作用。尽快清理\n扩围提质实施“两新”政策，加力实施\n\n“两重”建设。",
            &[&[
                "会议指出，要提高中低收入群体",
                "收入，大力发展服务消费，增强消费",
                "对经济增长的拉动作用。尽快清理",
                "扩围提质实施“两新”政策，加力实施",
                "“两重”建设。",
            ]],
        ),
        (
            "open sentence continues into comma lines",
            "出行需求激增。为满足旅\n客出行需要，国铁沈阳局集\n\n团有限公司从 4月 30日到 5\n月 5日加开沈阳北到辽源的\nK5070 次临客，全力保障旅\n\n客顺利出行。",
            &[&[
                "出行需求激增。为满足旅",
                "客出行需要，国铁沈阳局集",
                "团有限公司从4月30日到5",
                "月5日加开沈阳北到辽源的",
                "K5070次临客，全力保障旅",
                "客顺利出行。",
            ]],
        ),
        (
            "comma fragment continues",
            "会议还研究了其他事项。\n\n习近平指出，我国数据\n\n资源丰富，产业体系完备，应\n用场景广阔。",
            &[
                &["会议还研究了其他事项。"],
                &["习近平指出，我国数据", "资源丰富，产业体系完备，应", "用场景广阔。"],
            ],
        ),
        (
            "comma fragments continue in a chain",
            "目前，全县春耕农机工作稳步\n推进，据介绍，成效明显。\n\n记者了解到，农机口袋相关\n\n负责人于4 月 24 日\n\n介绍了情况。",
            &[
                &["目前，全县春耕农机工作稳步", "推进，据介绍，成效明显。"],
                &["记者了解到，农机口袋相关", "负责人于4月24日", "介绍了情况。"],
            ],
        ),
        (
            "sentence end is a paragraph break",
            "会议还研究了其他事项。\n\n另一段。",
            &[&["会议还研究了其他事项。"], &["另一段。"]],
        ),
        (
            "a headline after an open block stays apart",
            "王伟国参加调研\n\n营造良好环境 携手合作共赢",
            &[&["王伟国参加调研"], &["营造良好环境 携手合作共赢"]],
        ),
        (
            "a short line after an open block goes on when more body follows",
            "情况。记者了解到，景区\n冰雪旅游工作稳步推进，\n冰雪景区负责人于4 月\n\n24 日介绍了\n\n情况。",
            &[&[
                "情况。记者了解到，景区",
                "冰雪旅游工作稳步推进，",
                "冰雪景区负责人于4月",
                "24日介绍了",
                "情况。",
            ]],
        ),
        (
            "a dateline after an open block starts an article",
            "扩围提质实施“两新”政策，加力实施\n\n本报讯（记者 张晓楠）\n随着五一假期的临近。",
            &[
                &["扩围提质实施“两新”政策，加力实施"],
                &["本报讯（记者 张晓楠）", "随着五一假期的临近。"],
            ],
        ),
        (
            "a jump closes the block",
            "扩围提质实施“两新”政策，加力实施（下转第2版）\n\n“两重”建设。",
            &[&["扩围提质实施“两新”政策，加力实施"], &["“两重”建设。"]],
        ),
        (
            "a byline in brackets goes on an open dateline",
            "本报长春4月 26日电\n\n（记者 王五 赵六）今年以来，",
            &[&["本报长春4月26日电", "（记者 王五 赵六）今年以来，"]],
        ),
        (
            "a dateline under its headline goes on after a column break",
            "旅游景区推进冰雪\n本报长春4月 26日电\n\n（记者 王五 赵六）今年以来，",
            &[&["旅游景区推进冰雪", "本报长春4月26日电", "（记者 王五 赵六）今年以来，"]],
        ),
        (
            "a dateline cut by a column break",
            "本报长春4月 26日\n\n电（记者 王五 赵六）",
            &[&["本报长春4月26日", "电（记者 王五 赵六）"]],
        ),
        (
            "a notice's signature closes it",
            "特此公告。\n\n常务委员会\n2025年6月20日\n\n常务委员会\n关于批准决算的决议\n（2025年6月20日第二十九次会议通过）",
            &[
                &["特此公告。"],
                &["常务委员会", "2025年6月20日"],
                &["常务委员会", "关于批准决算的决议", "（2025年6月20日第二十九次会议通过）"],
            ],
        ),
        (
            "a dateline cut by a column break continues",
            "新华社北京4月25日电 春耕\n\n农机工作稳步推进。",
            &[&["新华社北京4月25日电 春耕", "农机工作稳步推进。"]],
        ),
        (
            "english lowercase continues",
            "A powerful storm battered the southern coast on Friday, leaving\n\nthousands of homes without power.",
            &[&[
                "A powerful storm battered the southern coast on Friday, leaving",
                "thousands of homes without power.",
            ]],
        ),
    ];

    #[test]
    fn column_breaks() {
        for (name, input, expected) in COLUMN_BREAK_CASES {
            // A column of body text first, as pages have.
            let page = repair(&format!("{COLUMN}\n\n{input}"));
            assert_eq!(texts(&page)[1..], **expected, "{name}");
        }
    }

    /// A column of body text about twelve characters wide.
    const COLUMN: &str =
        "习近平强调，人工智能\n领域要占领先机、赢得优势，\n必须在基础理论、方法、工具\n\
        等方面取得突破。要持续加\n强基础研究，集中力量攻克\n高端芯片、基础软件等核心\n\
        技术，构建自主可控、协同运\n行的人工智能基础软硬件系\n统。以人工智能引领科研范\n\
        式变革，加速各领域科技创\n新突破。";

    #[test]
    fn furniture_is_set_aside_as_printed() {
        let page = repair(
            "2025年4月28日 星期一\n第2版\n\n本报讯 会议召开。\n记者 张三 摄\n图为会场，\n代表发言。\n\n责任编辑：王五",
        );
        assert_eq!(texts(&page), [["本报讯 会议召开。"]]);
        assert_eq!(
            page.dropped,
            [
                "2025年4月28日 星期一",
                "第2版",
                "记者 张三 摄",
                "图为会场，",
                "代表发言。",
                "责任编辑：王五"
            ]
        );
    }
}
