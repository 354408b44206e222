//! Splits a printed page into its articles, each with the headline the page
//! printed for it, whether the page prints headlines above their bodies or
//! (as PDF extraction often leaves them) below.
//!
//! The page is first repaired ([`super::repair`]). Its lines then become
//! headline blocks (kicker, headline and subhead lines, with a notice's
//! passage note) and body runs (paragraphs up to the next dateline, byline or
//! headline). Which way the page runs is decided once per page, from position
//! and from the words each headline shares with the openings of the bodies
//! beside it (character bigrams for Chinese, words for English). Nothing is
//! dropped here: every line ends in a title, a paragraph or the furniture.

use std::collections::{HashMap, HashSet};

use super::cues::{self, width};
use super::repair::{self, column_width, join_lines, Block, Line, MAX_HEADLINE_LINES};
use super::SourceArticle;
use crate::script::is_han;

/// A page split into articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPage {
    /// The articles in reading order.
    pub articles: Vec<SourceArticle>,
    /// Page furniture set aside, as printed.
    pub dropped: Vec<String>,
}

/// Splits a page of plain text into its articles. A file holding one
/// article (a headline line and its body, or a body alone) gives one.
pub fn split(text: &str) -> SplitPage {
    let page = repair::repair(text);
    let units = units(pieces(&page.blocks));
    let terms: Vec<HashSet<String>> = units.iter().map(Unit::terms).collect();
    let pairs = attach(&units, &terms);
    SplitPage {
        articles: assemble(units, &pairs),
        dropped: page.dropped,
    }
}

// ---------------------------------------------------------------------------
// Pieces: what each line is

/// A stretch of the page, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Consecutive headline lines: kicker, headline, subhead.
    Headline(Vec<String>),
    /// A notice's passage note, `（……通过）`.
    Note(String),
    /// A paragraph of body text, lines joined.
    Paragraph { text: String, opens_article: bool },
}

fn texts(lines: &[Line]) -> Vec<&str> {
    lines.iter().map(|line| line.text.as_str()).collect()
}

/// How many lines (at most three) of a passage note start here, if one does.
fn note_at(lines: &[Line]) -> Option<usize> {
    let first = lines.first()?;
    if !first.text.starts_with(['（', '(']) {
        return None;
    }
    (1..=lines.len().min(3)).find(|&n| cues::is_passage_note(&join_lines(&texts(&lines[..n]))))
}

/// True when an article opens here: a dateline or byline (which may run
/// over the next lines), or a continuation from another page.
fn opening_at(lines: &[Line]) -> bool {
    lines.first().is_some_and(|l| l.continued_from_elsewhere) || repair::opening_at(lines).is_some()
}

fn could_be_headline(line: &Line) -> bool {
    line.letter_spaced || cues::is_headline_line(&line.text)
}

fn pieces(blocks: &[Block]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for block in blocks {
        let body_start = headline_on_top(&block.lines, &mut pieces);
        body(&block.lines[body_start..], &mut pieces);
    }
    pieces
}

/// Pushes the headline lines a block starts with, if it does, and returns
/// where its body starts. They are a headline when they are the whole block,
/// or a note, a dateline or a much longer line follows them.
fn headline_on_top(lines: &[Line], pieces: &mut Vec<Piece>) -> usize {
    let count = headline_lines_at(lines);
    let rest = &lines[count..];
    let stands_alone = rest.is_empty()
        || note_at(rest).is_some()
        || opening_at(rest)
        || (count == 1 && width(&lines[0].text) * 10 < width(&rest[0].text) * 6);
    if count == 0 || !stands_alone {
        return 0;
    }
    pieces.push(Piece::Headline(
        texts(&lines[..count])
            .into_iter()
            .map(String::from)
            .collect(),
    ));
    count
}

/// Pushes the paragraphs, notes and letter-spaced headlines of body lines.
fn body(lines: &[Line], pieces: &mut Vec<Piece>) {
    let column = column_width(lines);
    let mut paragraph: Vec<&str> = Vec::new();
    let mut opens_article = false;
    let flush = |paragraph: &mut Vec<&str>, opens: &mut bool, pieces: &mut Vec<Piece>| {
        if !paragraph.is_empty() {
            pieces.push(Piece::Paragraph {
                text: join_lines(paragraph),
                opens_article: *opens,
            });
            paragraph.clear();
        }
        *opens = false;
    };
    let mut i = 0;
    while i < lines.len() {
        let previous = i.checked_sub(1).map(|p| &lines[p]);
        let at_boundary =
            previous.is_none_or(|p| p.continues_elsewhere || cues::ends_sentence(&p.text));
        if at_boundary {
            if let Some(count) = note_at(&lines[i..]) {
                flush(&mut paragraph, &mut opens_article, pieces);
                pieces.push(Piece::Note(join_lines(&texts(&lines[i..i + count]))));
                i += count;
                continue;
            }
            let opens = opening_at(&lines[i..]) || previous.is_some_and(|p| p.continues_elsewhere);
            let headline = if lines[i].letter_spaced && !opens {
                1
            } else {
                headline_before_opening(&lines[i..])
            };
            if headline > 0 {
                flush(&mut paragraph, &mut opens_article, pieces);
                pieces.push(Piece::Headline(
                    texts(&lines[i..i + headline])
                        .into_iter()
                        .map(String::from)
                        .collect(),
                ));
                i += headline;
                continue;
            }
            if opens {
                flush(&mut paragraph, &mut opens_article, pieces);
                opens_article = true;
            }
        }
        paragraph.push(&lines[i].text);
        if ends_paragraph(lines, i, column) {
            flush(&mut paragraph, &mut opens_article, pieces);
        }
        i += 1;
    }
    flush(&mut paragraph, &mut opens_article, pieces);
}

/// How many headline lines start here, printed with no blank line between
/// them and what comes next: they stand right before a dateline, a byline
/// or a passage note. Zero if none do.
fn headline_before_opening(lines: &[Line]) -> usize {
    let count = headline_lines_at(lines);
    let rest = &lines[count..];
    if count > 0 && !rest.is_empty() && (note_at(rest).is_some() || opening_at(rest)) {
        count
    } else {
        0
    }
}

/// How many lines from here could be headline lines (at most a headline
/// block's), stopping at a note or an opening.
fn headline_lines_at(lines: &[Line]) -> usize {
    let mut count = 0;
    while count < lines.len().min(MAX_HEADLINE_LINES)
        && could_be_headline(&lines[count])
        && note_at(&lines[count..]).is_none()
        && !opening_at(&lines[count..])
    {
        count += 1;
    }
    count
}

/// In column text a paragraph's last line is the one left short; a line
/// that ends a sentence well short of the column ends its paragraph, even
/// where extraction lost the blank line.
fn ends_paragraph(lines: &[Line], i: usize, column: usize) -> bool {
    const MIN_LINES: usize = 3;
    let line = &lines[i];
    line.continues_elsewhere
        || (lines.len() >= MIN_LINES
            && i + 1 < lines.len()
            && cues::ends_sentence(&line.text)
            && width(&line.text) * 6 < column * 5)
}

// ---------------------------------------------------------------------------
// Units: headline blocks and body runs

/// A headline block or a body run.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// Headline lines in reading order, in the blocks the page printed
    /// them in, and the passage notes under them.
    Headline {
        parts: Vec<Vec<String>>,
        notes: Vec<String>,
    },
    /// Paragraphs from one opening (or headline) to the next.
    Body { paragraphs: Vec<String> },
}

/// The most characters of a body's opening compared with headlines.
const OPENING_CHARS: usize = 240;

impl Unit {
    fn is_body(&self) -> bool {
        matches!(self, Unit::Body { .. })
    }

    /// The words a headline is made of, or a body's opening.
    fn terms(&self) -> HashSet<String> {
        match self {
            Unit::Headline { parts, .. } => terms(&parts.concat().join(" ")),
            Unit::Body { paragraphs } => {
                let opening: String = paragraphs.join(" ").chars().take(OPENING_CHARS).collect();
                terms(&opening)
            }
        }
    }
}

/// Groups pieces: consecutive headline pieces are one block (a kicker and
/// its headline may stand apart), a note joins the headline above it, and a
/// body run goes on until an opening or a headline.
fn units(pieces: Vec<Piece>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for piece in pieces {
        match (piece, units.last_mut()) {
            (Piece::Headline(lines), Some(Unit::Headline { parts, notes })) if notes.is_empty() => {
                parts.push(lines);
            }
            (Piece::Headline(lines), _) => units.push(Unit::Headline {
                parts: vec![lines],
                notes: Vec::new(),
            }),
            (Piece::Note(note), Some(Unit::Headline { parts, notes })) => {
                if notes.is_empty() && parts.len() > 1 {
                    // A notice's title stands right above its note, apart
                    // from the headline printed before it.
                    let title = parts.pop().unwrap_or_default();
                    units.push(Unit::Headline {
                        parts: vec![title],
                        notes: vec![note],
                    });
                } else {
                    notes.push(note);
                }
            }
            (
                Piece::Note(text)
                | Piece::Paragraph {
                    text,
                    opens_article: false,
                },
                Some(Unit::Body { paragraphs }),
            ) => paragraphs.push(text),
            (Piece::Note(text) | Piece::Paragraph { text, .. }, _) => units.push(Unit::Body {
                paragraphs: vec![text],
            }),
        }
    }
    units
}

// ---------------------------------------------------------------------------
// Attaching headlines to bodies

/// Latin words that say nothing about a story.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "was", "were", "are", "has", "have",
    "had", "its", "their", "his", "her", "will", "said", "says", "after", "over", "into", "than",
    "about", "new",
];
/// Letters of a Latin word kept, so that "storm" and "storms" meet.
const STEM: usize = 5;

/// A text's terms: every pair of adjacent Han characters, every Latin word
/// of three letters or more (stemmed, stop words left out).
fn terms(text: &str) -> HashSet<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut terms: HashSet<String> = chars
        .windows(2)
        .filter(|pair| is_han(pair[0]) && is_han(pair[1]))
        .map(|pair| pair.iter().collect())
        .collect();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let word = word.to_ascii_lowercase();
        if word.len() >= 3
            && !word.chars().all(|c| c.is_ascii_digit())
            && !STOP_WORDS.contains(&word.as_str())
        {
            terms.insert(word.chars().take(STEM).collect());
        }
    }
    terms
}

/// How much each term says on this page: terms that many headlines and
/// openings share (a notice's issuing body, the paper's city) say less
/// than the ones only a story has.
struct Weights(HashMap<String, f64>);

impl Weights {
    fn of(terms: &[HashSet<String>]) -> Weights {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for term in terms.iter().flatten() {
            *counts.entry(term.clone()).or_default() += 1;
        }
        let units = terms.len() as f64;
        Weights(
            counts
                .into_iter()
                .map(|(term, count)| (term, (1.0 + units / count as f64).ln()))
                .collect(),
        )
    }

    fn of_term(&self, term: &String) -> f64 {
        self.0.get(term).copied().unwrap_or(0.0)
    }

    /// The weighted share of a headline's terms found in a body's opening,
    /// and how many terms they share.
    fn shared(&self, headline: &HashSet<String>, body: &HashSet<String>) -> (f64, usize) {
        let total: f64 = headline.iter().map(|t| self.of_term(t)).sum();
        let common: Vec<&String> = headline.intersection(body).collect();
        if total <= 0.0 {
            return (0.0, common.len());
        }
        let found: f64 = common.iter().map(|t| self.of_term(t)).sum();
        (found / total, common.len())
    }
}

/// Where a page prints headlines relative to their bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Headline, then body.
    HeadlinesFirst,
    /// Body, then headline: what extraction often makes of a PDF page.
    BodiesFirst,
}

/// Decides the page's layout by votes: each headline with a body on both
/// sides votes for the side whose opening shares more of its words; one
/// with a body on one side only votes weakly for it; a page that opens with
/// a headline or ends with one votes for that order. A tie reads headlines
/// first, as most pages are printed.
fn layout(units: &[Unit], terms: &[HashSet<String>], weights: &Weights) -> Layout {
    let body_at = |j: usize| units.get(j).filter(|u| u.is_body()).map(|_| j);
    let mut votes = 0.0;
    for (i, unit) in units.iter().enumerate() {
        if unit.is_body() {
            continue;
        }
        let before = i.checked_sub(1).and_then(body_at);
        let after = body_at(i + 1);
        votes += match (before, after) {
            (Some(b), Some(a)) => {
                let (before_share, _) = weights.shared(&terms[i], &terms[b]);
                let (after_share, _) = weights.shared(&terms[i], &terms[a]);
                if before_share > after_share {
                    1.0
                } else if after_share > before_share {
                    -1.0
                } else {
                    0.0
                }
            }
            (Some(_), None) => 0.5,
            (None, Some(_)) => -0.5,
            (None, None) => 0.0,
        };
    }
    if units.first().is_some_and(|u| !u.is_body()) {
        votes -= 1.0;
    }
    if units.last().is_some_and(|u| !u.is_body()) {
        votes += 1.0;
    }
    if votes > 0.0 {
        Layout::BodiesFirst
    } else {
        Layout::HeadlinesFirst
    }
}

/// What being on the page's side of its headline is worth, in shared terms.
const LAYOUT_PRIOR: f64 = 0.3;
/// The share of terms that lets a headline take the body on its other side.
const MIN_AGAINST_LAYOUT: f64 = 0.2;
/// The weighted share of terms, and the count, that pair a headline with a
/// body that is not beside it, when neither found a partner beside it.
const MIN_DISTANT_SHARE: f64 = 0.2;
const MIN_DISTANT_TERMS: usize = 4;

/// Pairs headline units with body units, as `(headline, body)` indices.
/// First each headline takes the body beside it on the page's side (or, on
/// strong evidence, the other side); then headlines and bodies left alone
/// are paired by the words they share, when they share enough.
fn attach(units: &[Unit], terms: &[HashSet<String>]) -> Vec<(usize, usize)> {
    let weights = Weights::of(terms);
    let layout = layout(units, terms, &weights);
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        if unit.is_body() {
            continue;
        }
        let (own_side, other_side) = match layout {
            Layout::HeadlinesFirst => (Some(i + 1), i.checked_sub(1)),
            Layout::BodiesFirst => (i.checked_sub(1), Some(i + 1)),
        };
        for (side, prior) in [(own_side, LAYOUT_PRIOR), (other_side, 0.0)] {
            let Some(j) = side.filter(|&j| units.get(j).is_some_and(Unit::is_body)) else {
                continue;
            };
            let (share, _) = weights.shared(&terms[i], &terms[j]);
            if prior > 0.0 || share >= MIN_AGAINST_LAYOUT {
                candidates.push((share + prior, i, j));
            }
        }
    }
    let mut pairs = Vec::new();
    let mut taken = vec![false; units.len()];
    take_best(&mut candidates, &mut taken, &mut pairs);

    let mut distant = Vec::new();
    for (i, headline) in units.iter().enumerate() {
        if headline.is_body() || taken[i] {
            continue;
        }
        for (j, body) in units.iter().enumerate() {
            if !body.is_body() || taken[j] {
                continue;
            }
            let (share, common) = weights.shared(&terms[i], &terms[j]);
            if share >= MIN_DISTANT_SHARE && common >= MIN_DISTANT_TERMS {
                distant.push((share, i, j));
            }
        }
    }
    take_best(&mut distant, &mut taken, &mut pairs);
    pairs
}

/// Takes candidate pairs best first, each unit at most once.
fn take_best(
    candidates: &mut [(f64, usize, usize)],
    taken: &mut [bool],
    pairs: &mut Vec<(usize, usize)>,
) {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, headline, body) in candidates.iter() {
        if !taken[headline] && !taken[body] {
            taken[headline] = true;
            taken[body] = true;
            pairs.push((headline, body));
        }
    }
}

/// Builds the articles: each headline with its notes and its body, each
/// body left alone untitled. An article stands where its headline stands,
/// else where its body does.
fn assemble(units: Vec<Unit>, pairs: &[(usize, usize)]) -> Vec<SourceArticle> {
    let body_of = |i: usize| pairs.iter().find(|p| p.0 == i).map(|p| p.1);
    let is_paired_body = |j: usize| pairs.iter().any(|p| p.1 == j);
    let mut slots: Vec<Option<Unit>> = units.into_iter().map(Some).collect();
    let mut articles = Vec::new();
    for i in 0..slots.len() {
        let article = match slots[i].take() {
            Some(Unit::Headline { parts, notes }) => {
                let mut paragraphs = notes;
                if let Some(Some(Unit::Body { paragraphs: body })) =
                    body_of(i).map(|j| slots[j].take())
                {
                    paragraphs.extend(body);
                }
                SourceArticle {
                    title: Some(parts.concat().join(" ")),
                    paragraphs,
                }
            }
            Some(Unit::Body { paragraphs }) if !is_paired_body(i) => SourceArticle {
                title: None,
                paragraphs,
            },
            // A paired body waits for its headline.
            Some(body) => {
                slots[i] = Some(body);
                continue;
            }
            None => continue,
        };
        articles.push(article);
    }
    articles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: Option<&str>, paragraphs: &[&str]) -> SourceArticle {
        SourceArticle {
            title: title.map(String::from),
            paragraphs: paragraphs.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn headline_followed_by_blank_line() {
        let page = split("Storm hits coast\n\nWinds rose.\nRain fell.\n");
        assert_eq!(
            page.articles,
            [article(
                Some("Storm hits coast"),
                &["Winds rose. Rain fell."]
            )]
        );
    }

    #[test]
    fn short_first_line_above_body_is_headline() {
        let page = split(
            "辽源火车站加开班次\n本报讯 随着五一假期的临近，民众出行需求激增，为满足旅客出行需要。",
        );
        assert_eq!(page.articles.len(), 1);
        assert_eq!(
            page.articles[0].title.as_deref(),
            Some("辽源火车站加开班次")
        );
    }

    #[test]
    fn column_broken_first_line_is_not_headline() {
        let page = split(
            "新华社北京4月25日电 中共中\n央政治局4月25日召开会议，分析研\n究当前经济形势。\n",
        );
        assert_eq!(
            page.articles,
            [article(
                None,
                &["新华社北京4月25日电 中共中央政治局4月25日召开会议，分析研究当前经济形势。"]
            )]
        );
    }

    #[test]
    fn first_line_with_final_punctuation_is_body() {
        let page = split("会议还研究了其他事项。\n\n另一段。");
        assert_eq!(
            page.articles,
            [article(None, &["会议还研究了其他事项。", "另一段。"])]
        );
    }

    #[test]
    fn blank_lines_break_paragraphs() {
        let page = split("第一段。\n\n\n第二段\n继续。\n");
        assert_eq!(
            page.articles,
            [article(None, &["第一段。", "第二段继续。"])]
        );
    }

    #[test]
    fn headline_after_body_is_attached_to_it() {
        let page = split("本报讯 辽源火车站五一加开临客。\n\n辽源火车站加开临客");
        assert_eq!(
            page.articles,
            [article(
                Some("辽源火车站加开临客"),
                &["本报讯 辽源火车站五一加开临客。"]
            )]
        );
    }

    #[test]
    fn datelines_split_articles_without_blank_lines() {
        let page = split(
            "会议还研究了其他事项。\n新华社北京4月 26日\n电 中共中央政治局 4月 25\n日下午进行集体学习。",
        );
        assert_eq!(
            page.articles,
            [
                article(None, &["会议还研究了其他事项。"]),
                article(
                    None,
                    &["新华社北京4月26日电 中共中央政治局4月25日下午进行集体学习。"]
                ),
            ]
        );
    }

    #[test]
    fn kicker_headline_and_subhead_make_one_title() {
        let page = split(
            "书记在调研时强调\n\n坚持自立自强\n推动产业发展\n——记辽源产业转型\n\n本报讯（记者 张三）书记调研产业发展时强调，坚持自立自强。",
        );
        assert_eq!(page.articles.len(), 1);
        assert_eq!(
            page.articles[0].title.as_deref(),
            Some("书记在调研时强调 坚持自立自强 推动产业发展 ——记辽源产业转型")
        );
    }

    #[test]
    fn notice_keeps_its_passage_note_first() {
        let page = split(
            "根据有关规定，会议决定接受吕明辞职请求。\n\n常务委员会\n关于接受吕明辞职请求的决定\n\n（2025年4月27日常务委员会第二十八次会议通过）\n",
        );
        assert_eq!(
            page.articles,
            [article(
                Some("常务委员会 关于接受吕明辞职请求的决定"),
                &[
                    "（2025年4月27日常务委员会第二十八次会议通过）",
                    "根据有关规定，会议决定接受吕明辞职请求。"
                ]
            )]
        );
    }

    #[test]
    fn letter_spaced_line_inside_a_block_is_a_headline() {
        let page = split("本报讯 辽源火车站五一加开临客。\n辽 源 火 车 站 加 开 临 客");
        assert_eq!(
            page.articles,
            [article(
                Some("辽源火车站加开临客"),
                &["本报讯 辽源火车站五一加开临客。"]
            )]
        );
    }

    #[test]
    fn headline_between_body_and_dateline_without_blank_lines() {
        let page = split(
            "本报讯 春耕生产有序推进，农机作业全面展开。\n辽源火车站加开临客\n本报讯 辽源火车站五一加开临客。",
        );
        assert_eq!(
            page.articles,
            [
                article(None, &["本报讯 春耕生产有序推进，农机作业全面展开。"]),
                article(
                    Some("辽源火车站加开临客"),
                    &["本报讯 辽源火车站五一加开临客。"]
                ),
            ]
        );
    }

    #[test]
    fn byline_after_the_text_stays_with_it() {
        let page =
            split("本报讯 春耕生产有序推进。\n（记者 张三 李四）\n\n本报讯 农机作业全面展开。");
        assert_eq!(
            page.articles,
            [
                article(None, &["本报讯 春耕生产有序推进。（记者 张三 李四）"]),
                article(None, &["本报讯 农机作业全面展开。"]),
            ]
        );
    }

    #[test]
    fn numbered_subheads_stay_inside_their_article() {
        let page = split(
            "春耕农机忙\n\n本报讯 春耕生产有序推进。\n\n一、农机作业全面展开\n\n全县新增农机具350台套。",
        );
        assert_eq!(page.articles.len(), 1);
        assert_eq!(page.articles[0].paragraphs.len(), 3);
    }

    #[test]
    fn short_sentence_end_closes_a_paragraph() {
        let page = split(
            "会议指出，要提高中低收入群体\n收入，大力发展服务消费，增强\n“两重”建设。\n会议强调，要多措并举帮扶困难\n企业。加强融资支持。加快推动\n外贸一体化。",
        );
        assert_eq!(page.articles[0].paragraphs.len(), 2);
    }

    #[test]
    fn layout_votes() {
        let headline = |text: &str| Unit::Headline {
            parts: vec![vec![text.to_string()]],
            notes: Vec::new(),
        };
        let body = |text: &str| Unit::Body {
            paragraphs: vec![text.to_string()],
        };
        let cases = [
            (
                vec![
                    headline("辽源火车站加开临客"),
                    body("辽源火车站五一加开临客。"),
                ],
                Layout::HeadlinesFirst,
            ),
            (
                vec![
                    body("辽源火车站五一加开临客。"),
                    headline("辽源火车站加开临客"),
                ],
                Layout::BodiesFirst,
            ),
            (
                vec![
                    body("本报讯 市长调研春耕生产。"),
                    headline("火车站加开临客"),
                    body("本报讯 火车站五一加开临客。"),
                ],
                Layout::HeadlinesFirst,
            ),
            (
                vec![
                    body("本报讯 火车站五一加开临客。"),
                    headline("火车站加开临客"),
                    body("本报讯 市长调研春耕生产。"),
                ],
                Layout::BodiesFirst,
            ),
        ];
        for (units, expected) in cases {
            let terms: Vec<_> = units.iter().map(Unit::terms).collect();
            let weights = Weights::of(&terms);
            assert_eq!(layout(&units, &terms, &weights), expected, "{units:?}");
        }
    }

    #[test]
    fn lone_headline_meets_its_distant_body_by_shared_words() {
        let page = split(concat!(
            "本报讯 辽源火车站五一加开临客。\n\n辽源火车站加开临客\n\n",
            "任命张三为辽源市监察委员会副主任。\n\n",
            "本报讯 市人大常委会举行会议。\n\n市人大常委会举行会议\n\n",
            "辽源市人民代表大会常务委员会\n监察委员会任命名单\n（2025年4月27日第二十八次会议通过）\n",
        ));
        let titles: Vec<Option<&str>> = page.articles.iter().map(|a| a.title.as_deref()).collect();
        assert_eq!(
            titles,
            [
                Some("辽源火车站加开临客"),
                Some("市人大常委会举行会议"),
                Some("辽源市人民代表大会常务委员会 监察委员会任命名单"),
            ]
        );
        assert_eq!(
            page.articles[2].paragraphs,
            [
                "（2025年4月27日第二十八次会议通过）",
                "任命张三为辽源市监察委员会副主任。"
            ]
        );
    }
}
