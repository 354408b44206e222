//! Newspaper pages in, their articles out: headlines attached to the right
//! bodies, furniture set aside, and not one character lost, on the real
//! sample, on small fixtures and on generated pages.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use bulletin::ingest::page;
use common::{fixture, plan_json, titles_and_sentences, SAMPLE_PAGE};
use proptest::prelude::*;
use serde_json::Value;

/// The non-space characters of some texts, counted.
fn characters<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut counts = BTreeMap::new();
    for text in texts {
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            *counts.entry(c).or_default() += 1;
        }
    }
    counts
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// What a plan says: each article's title and sentence texts, and the
/// furniture set aside.
struct Planned {
    articles: Vec<(Option<String>, Vec<String>)>,
    dropped: Vec<String>,
}

fn planned(path: &Path) -> Planned {
    let plan = plan_json(&[path]);
    let articles = titles_and_sentences(&plan);
    let dropped = strings(&plan["dropped"])
        .into_iter()
        .map(String::from)
        .collect();
    Planned { articles, dropped }
}

impl Planned {
    /// Every title, sentence and dropped line.
    fn texts(&self) -> Vec<&str> {
        let mut texts: Vec<&str> = self.dropped.iter().map(String::as_str).collect();
        for (title, sentences) in &self.articles {
            texts.extend(title.as_deref());
            texts.extend(sentences.iter().map(String::as_str));
        }
        texts
    }

    fn article_titled(&self, title: &str) -> &[String] {
        &self
            .articles
            .iter()
            .find(|(t, _)| t.as_deref() == Some(title))
            .unwrap_or_else(|| panic!("no article titled {title}"))
            .1
    }

    /// No headline (nor any line of one) is spoken as a sentence anywhere,
    /// and no sentence holds another article's headline.
    fn assert_headlines_are_never_sentences(&self) {
        for (index, (title, _)) in self.articles.iter().enumerate() {
            let Some(title) = title else { continue };
            for (other, (_, sentences)) in self.articles.iter().enumerate() {
                for sentence in sentences {
                    assert!(
                        !title
                            .split(' ')
                            .any(|part| compact(sentence) == compact(part)),
                        "headline {title} spoken as {sentence}"
                    );
                    assert!(
                        other == index || !compact(sentence).contains(&compact(title)),
                        "headline {title} inside {sentence}"
                    );
                }
            }
        }
    }
}

fn assert_nothing_lost(input: &str, planned: &Planned) {
    assert_eq!(
        characters([input]),
        characters(planned.texts()),
        "every non-space character lands in one title, sentence or dropped line"
    );
}

#[test]
fn sample_page_loses_no_character() {
    let input = std::fs::read_to_string(SAMPLE_PAGE).unwrap();
    assert_nothing_lost(&input, &planned(Path::new(SAMPLE_PAGE)));
}

#[test]
fn sample_page_gives_its_articles_with_their_headlines() {
    let plan = planned(Path::new(SAMPLE_PAGE));
    let starts = |title: Option<&str>, opening: &str| {
        let sentences = match title {
            Some(title) => plan.article_titled(title),
            None => {
                &plan
                    .articles
                    .iter()
                    .find(|(t, s)| t.is_none() && s[0].starts_with(opening))
                    .unwrap_or_else(|| panic!("no untitled article opening {opening}"))
                    .1
            }
        };
        assert!(
            sentences.iter().any(|s| s.starts_with(opening)),
            "{title:?} should open with {opening}: {sentences:?}"
        );
    };
    // The first article's headline is not on this page.
    starts(None, "新华社北京4月25日电 中共中央政治局4月25日召开会议");
    starts(
        Some("习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展"),
        "新华社北京4月26日电 中共中央政治局4月25日下午",
    );
    starts(
        Some("营造良好环境 携手合作共赢 沈德生周敬东调研重点企业生产经营情况"),
        "本报讯（记者 徐楠 夏景明 侯远鑫 时光远）4月24日，市委书记沈德生",
    );
    starts(
        Some("“安康杯”竞赛暨劳动保护和安全生产训练营启动"),
        "本报讯（记者董星辰）4月24日，由市总工会",
    );
    starts(
        Some("五一，辽源火车站加开班次服务旅客"),
        "本报讯（记者 张晓楠）随着五一假期的临近",
    );
    starts(
        Some("市九届人大常委会举行第二十八次会议"),
        "本报讯（记者 富予思 孙嘉筱）4月27日，市九届人大常委会举行第二十八次会议。",
    );
    for (title, body) in [
        (
            "辽源市第九届人民代表大会常务委员会 关于接受吕明等辞职请求的决定",
            "接受吕明、司马江翃",
        ),
        (
            "辽源市第九届人民代表大会常务委员会 关于接受朱永丰辞职请求的决定",
            "接受朱永丰",
        ),
        ("辽源市人民代表大会常务委员会任命名单", "任命"),
        ("辽源市人民代表大会常务委员会决定任命名单", "任命"),
    ] {
        let sentences = plan.article_titled(title);
        assert!(
            sentences[0].starts_with("（2025年4月27日") && sentences[0].ends_with("通过）"),
            "{title} is read with its passage note first: {sentences:?}"
        );
        assert!(
            sentences[1..].iter().any(|s| s.contains(body)),
            "{title}: {sentences:?}"
        );
    }
    assert_eq!(plan.articles.len(), 10);
    assert!(plan.dropped.is_empty(), "{:?}", plan.dropped);
    plan.assert_headlines_are_never_sentences();
}

#[test]
fn sample_page_headlines_printed_after_bodies_do_not_end_the_wrong_article() {
    let plan = planned(Path::new(SAMPLE_PAGE));
    let study =
        plan.article_titled("习近平在中共中央政治局第二十次集体学习时强调 坚持自立自强 突出应用导向 推动人工智能健康有序发展");
    assert!(study.last().unwrap().starts_with("推动各方加强发展战略"));
    let visit =
        plan.article_titled("营造良好环境 携手合作共赢 沈德生周敬东调研重点企业生产经营情况");
    assert_eq!(visit.last().unwrap(), "王伟国参加调研。");
}

#[test]
fn page_with_headlines_before_bodies() {
    let path = fixture("page_zh_headlines_before_bodies.txt");
    let plan = planned(&path);
    assert_nothing_lost(&std::fs::read_to_string(&path).unwrap(), &plan);
    let articles: Vec<(Option<&str>, &str)> = plan
        .articles
        .iter()
        .map(|(t, s)| (t.as_deref(), s[0].as_str()))
        .collect();
    assert_eq!(
        articles,
        [
            (
                Some("春耕时节农机忙 东辽县多措并举保障春播生产"),
                "本报讯（记者 王丽）5月5日，记者在东辽县安石镇看到，田间地头一派繁忙景象，大型播种机来回穿梭，农民抢抓农时播种玉米。"
            ),
            (
                Some("龙山区新建口袋公园12处"),
                "（记者 赵强）今年以来，龙山区利用边角空地新建口袋公园12处，新增绿地面积3.6万平方米。"
            ),
            (
                Some("牢记嘱托 感恩奋进 我市召开优化营商环境推进会"),
                "本报记者 李明 报道5月5日，我市召开优化营商环境推进会，总结一季度工作，部署下一阶段任务。"
            ),
        ]
    );
    assert_eq!(
        plan.article_titled("春耕时节农机忙 东辽县多措并举保障春播生产")[1],
        "今年，全县计划播种粮食作物120万亩，目前已完成播种面积的三成。",
        "a sentence cut by a column break is whole again"
    );
    assert_eq!(
        plan.dropped,
        [
            "2025年5月6日 星期二",
            "第3版 综合新闻",
            "记者 王丽 摄",
            "图为安石镇农民驾驶播种机作业。",
            "（下转第4版）",
            "责任编辑：孙悦 校对：周明"
        ]
    );
    plan.assert_headlines_are_never_sentences();
}

#[test]
fn english_wire_page() {
    let path = fixture("page_en_wire_headlines_before_bodies.txt");
    let plan = planned(&path);
    assert_nothing_lost(&std::fs::read_to_string(&path).unwrap(), &plan);
    let titles: Vec<Option<&str>> = plan.articles.iter().map(|(t, _)| t.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("Storm batters southern Philippines Thousands left without power"),
            Some("Central bank holds rates steady"),
        ]
    );
    let rates = plan.article_titled("Central bank holds rates steady");
    assert_eq!(
        rates[0],
        "LONDON, April 25 (Reuters) - The Bank of England kept interest rates unchanged on Thursday, saying inflation was still too high to allow a cut."
    );
    assert_eq!(
        plan.dropped,
        [
            "Page 3 WORLD",
            "(Photo by Maria Santos)",
            "(Continued on page 5)",
            "Edited by Jane Doe"
        ]
    );
    plan.assert_headlines_are_never_sentences();
}

#[test]
fn notices_with_titles_above_their_text() {
    let path = fixture("page_zh_notices_titles_above_text.txt");
    let plan = planned(&path);
    assert_nothing_lost(&std::fs::read_to_string(&path).unwrap(), &plan);
    let articles: Vec<(Option<&str>, &str, usize)> = plan
        .articles
        .iter()
        .map(|(t, s)| (t.as_deref(), s[0].as_str(), s.len()))
        .collect();
    let note = "（2025年6月20日辽源市第九届人民代表大会常务委员会第二十九次会议通过）";
    assert_eq!(
        articles,
        [
            (
                Some("辽源市人民代表大会常务委员会公告 （第十二号）"),
                "辽源市第九届人民代表大会常务委员会第二十九次会议于2025年6月20日决定，接受王五辞去辽源市人民代表大会常务委员会委员职务的请求。",
                3
            ),
            (
                Some("辽源市人民代表大会常务委员会 关于批准2024年市级决算的决议"),
                note,
                3
            ),
            (Some("辽源市人民代表大会常务委员会任命名单"), note, 3),
        ]
    );
    plan.assert_headlines_are_never_sentences();
}

// ---------------------------------------------------------------------------
// Generated pages

/// Two-character words; each article takes three of its own.
const TOPICS: &[&str] = &[
    "春耕", "农机", "口袋", "公园", "营商", "环境", "铁路", "客运", "医疗", "改革", "教育", "招生",
    "旅游", "景区", "冰雪", "体育", "消防", "演练", "供电", "线路", "水利", "文化", "遗产", "科技",
    "养老", "社区", "物流", "快递", "林草", "湿地",
];
const VERBS: &[&str] = &["推进", "助力", "带动", "保障"];
const FILLERS: &[&str] = &[
    "今年以来",
    "记者了解到",
    "据介绍",
    "下一步",
    "目前",
    "与此同时",
];
/// Ways an article opens; the empty one has no dateline.
const DATELINES: &[&str] = &[
    "",
    "新华社北京4月25日电 ",
    "【新华社长春4月26日电】",
    "本报讯 ",
    "本报讯（记者 张三）",
    "本 报 讯（记 者 李 四）",
    "本报长春4月 26日电（记者 王五 赵六）",
    "（记者 刘七）",
    "本报记者 陈八 报道 ",
];
const HEADER: &[&str] = &["2025年4月28日 星期一", "第2版", "A3"];
const FOOTER: &str = "责任编辑：王五 校对：赵六";
const PHOTO_CREDIT: &str = "记者 张三 摄";
const JUMP: &str = "（下转第2版）";

#[derive(Debug, Clone)]
struct GenHeadline {
    kicker: bool,
    subhead: bool,
    letter_spaced: bool,
}

/// Furniture printed with an article.
#[derive(Debug, Clone)]
struct GenFurniture {
    photo_credit: bool,
    caption: bool,
    jump: bool,
}

#[derive(Debug, Clone)]
struct GenArticle {
    headline: Option<GenHeadline>,
    dateline: usize,
    /// Sentence templates, paragraph by paragraph.
    paragraphs: Vec<Vec<usize>>,
    furniture: GenFurniture,
}

#[derive(Debug, Clone)]
struct GenPage {
    articles: Vec<GenArticle>,
    headlines_first: bool,
    column: usize,
    /// Body lines after which a column ends, counted modulo the page's
    /// body lines: a few per page, as columns are long.
    breaks: Vec<usize>,
    blank_between_paragraphs: bool,
    header: usize,
    footer: bool,
}

fn gen_article() -> impl Strategy<Value = GenArticle> {
    (
        prop::bool::weighted(0.85),
        any::<(bool, bool)>(),
        prop::bool::weighted(0.25),
        0..DATELINES.len(),
        prop::collection::vec(prop::collection::vec(0..5usize, 1..4), 1..4),
        any::<(bool, bool)>(),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(
                has_headline,
                (kicker, subhead),
                letter_spaced,
                dateline,
                paragraphs,
                (photo_credit, caption),
                jump,
            )| GenArticle {
                headline: has_headline.then_some(GenHeadline {
                    kicker,
                    subhead,
                    letter_spaced,
                }),
                dateline,
                paragraphs,
                furniture: GenFurniture {
                    photo_credit,
                    caption,
                    jump,
                },
            },
        )
}

fn gen_page() -> impl Strategy<Value = GenPage> {
    (
        prop::collection::vec(gen_article(), 1..7),
        any::<bool>(),
        10..17usize,
        prop::collection::vec(0..1000usize, 0..6),
        any::<bool>(),
        0..=HEADER.len(),
        any::<bool>(),
    )
        .prop_map(
            |(mut articles, headlines_first, column, breaks, blank, header, footer)| {
                // Keep every article findable: one without a headline opens
                // with a dateline, and so does one that follows a headline-less
                // body when headlines come after bodies.
                for i in 0..articles.len() {
                    let after_untitled =
                        !headlines_first && i > 0 && articles[i - 1].headline.is_none();
                    if articles[i].dateline == 0
                        && (articles[i].headline.is_none() || after_untitled)
                    {
                        articles[i].dateline = 3;
                    }
                }
                GenPage {
                    articles,
                    headlines_first,
                    column,
                    breaks,
                    blank_between_paragraphs: blank,
                    header,
                    footer,
                }
            },
        )
}

/// An article as written: its headline lines and its paragraphs.
struct Written {
    headline: Vec<String>,
    paragraphs: Vec<String>,
}

fn sentence(template: usize, words: [&str; 3], filler: &str) -> String {
    let [a, b, c] = words;
    match template {
        0 => format!("{filler}，{a}{b}工作稳步推进，{c}成效明显。"),
        1 => format!("{filler}，{b}{c}相关负责人于4 月 24 日介绍了情况。"),
        2 => format!("{filler}，要持续推动{c}{a}高质量发展。"),
        3 => format!("{filler}，累计投入资金 3.6 亿元用于{b}建设。"),
        _ => format!("{filler}，全市{a}项目达到 1 20 个。"),
    }
}

fn write_article(index: usize, article: &GenArticle) -> Written {
    let words = [0, 1, 2].map(|j| TOPICS[index * 3 + j]);
    let [a, b, c] = words;
    let mut headline = Vec::new();
    if let Some(shape) = &article.headline {
        if shape.kicker {
            headline.push(format!("聚焦{c}{a}"));
        }
        let main = format!("{a}{b}{}{c}", VERBS[index % VERBS.len()]);
        headline.push(if shape.letter_spaced {
            main.chars().map(String::from).collect::<Vec<_>>().join(" ")
        } else {
            main
        });
        if shape.subhead {
            headline.push(format!("——{b}{c}工作综述"));
        }
    }
    let mut paragraphs = Vec::new();
    for (p, templates) in article.paragraphs.iter().enumerate() {
        let mut text = String::new();
        if p == 0 {
            text.push_str(DATELINES[article.dateline]);
        }
        for (s, &template) in templates.iter().enumerate() {
            // The lead names the story, as leads do.
            let template = if p == 0 && s == 0 { 0 } else { template };
            text.push_str(&sentence(template, words, FILLERS[(p + s) % FILLERS.len()]));
        }
        paragraphs.push(text);
    }
    Written {
        headline,
        paragraphs,
    }
}

/// Punctuation that Chinese typesetting never starts a line with.
const NO_LINE_START: &[char] = &['，', '。', '、', '；', '：', '？', '！', '”', '）', '》'];

/// The fewest body lines of a page that has column breaks.
const MIN_COLUMN_LINES: usize = 30;

/// Cuts a paragraph into lines `column` Chinese characters wide (a digit,
/// a letter or a space is half as wide), keeping punctuation off the start
/// of a line as typesetters do.
fn wrap(text: &str, column: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut halves = 0;
    for c in text.chars() {
        if halves >= column * 2 && !NO_LINE_START.contains(&c) {
            lines.push(std::mem::take(&mut line));
            halves = 0;
        }
        line.push(c);
        halves += if c.is_ascii() { 1 } else { 2 };
    }
    lines.push(line);
    lines.retain(|line| !line.trim().is_empty());
    lines
}

/// Prints a generated page as PDF extraction would leave it, with what is
/// expected of it: each article's title and body, and the furniture.
/// A generated page as printed, and what splitting it must give.
struct Rendered {
    text: String,
    /// Each article's title (headline lines run together) and body.
    expected: Vec<(Option<String>, String)>,
    dropped: Vec<String>,
}

fn render(page: &GenPage) -> Rendered {
    let mut out: Vec<String> = Vec::new();
    let mut expected = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    for line in &HEADER[..page.header] {
        out.push((*line).to_string());
        dropped.push((*line).to_string());
    }
    out.push(String::new());
    let written: Vec<Written> = page
        .articles
        .iter()
        .enumerate()
        .map(|(index, article)| write_article(index, article))
        .collect();
    let body_lines: usize = written
        .iter()
        .flat_map(|w| &w.paragraphs)
        .map(|p| wrap(p, page.column).len())
        .sum();
    // A page too short to show its column width is plain text: no column
    // breaks there.
    let breaks: Vec<usize> = if body_lines >= MIN_COLUMN_LINES {
        page.breaks.iter().map(|b| b % body_lines).collect()
    } else {
        Vec::new()
    };
    let mut line_number = 0;
    for ((index, article), written) in page.articles.iter().enumerate().zip(written) {
        let mut headline: Vec<String> = Vec::new();
        if let Some((first, rest)) = written.headline.split_first() {
            headline.push(first.clone());
            if article.headline.as_ref().is_some_and(|h| h.kicker) {
                headline.push(String::new());
            }
            headline.extend(rest.iter().cloned());
        }
        let mut body: Vec<String> = Vec::new();
        for (p, paragraph) in written.paragraphs.iter().enumerate() {
            if p > 0 && page.blank_between_paragraphs {
                body.push(String::new());
            }
            let lines = wrap(paragraph, page.column);
            for (l, line) in lines.iter().enumerate() {
                body.push(line.clone());
                let last = l + 1 == lines.len();
                if !last && breaks.contains(&line_number) {
                    body.push(String::new());
                }
                line_number += 1;
            }
        }
        if article.furniture.jump {
            body.last_mut().unwrap().push_str(JUMP);
            dropped.push(JUMP.to_string());
        }
        if article.furniture.photo_credit {
            body.push(PHOTO_CREDIT.to_string());
            dropped.push(PHOTO_CREDIT.to_string());
        }
        let glued = page.headlines_first && article.dateline != 0;
        if page.headlines_first && !headline.is_empty() {
            out.extend(headline);
            if !glued {
                out.push(String::new());
            }
            out.extend(body);
        } else {
            out.extend(body);
            out.push(String::new());
            out.extend(headline);
        }
        out.push(String::new());
        if article.furniture.caption {
            let caption = format!("图为{}现场。", TOPICS[index * 3]);
            out.push(caption.clone());
            out.push(String::new());
            dropped.push(caption);
        }
        let title = (!written.headline.is_empty()).then(|| written.headline.join(""));
        expected.push((title, written.paragraphs.concat()));
    }
    if page.footer {
        out.push(FOOTER.to_string());
        dropped.push(FOOTER.to_string());
    }
    Rendered {
        text: out.join("\n"),
        expected,
        dropped,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_pages_lose_nothing_and_keep_their_articles(page in gen_page()) {
        let Rendered { text, expected, dropped: furniture } = render(&page);
        let split = page::split(&text);

        let mut outputs: Vec<&str> = split.dropped.iter().map(String::as_str).collect();
        for article in &split.articles {
            outputs.extend(article.title.as_deref());
            outputs.extend(article.paragraphs.iter().map(String::as_str));
        }
        prop_assert_eq!(characters([text.as_str()]), characters(outputs), "{}", text);

        let found: Vec<(Option<String>, String)> = split
            .articles
            .iter()
            .map(|a| (a.title.as_deref().map(compact), compact(&a.paragraphs.concat())))
            .collect();
        let expected: Vec<(Option<String>, String)> = expected
            .iter()
            .map(|(title, body)| (title.as_deref().map(compact), compact(body)))
            .collect();
        prop_assert_eq!(found, expected, "{}", text);
        prop_assert_eq!(&split.dropped, &furniture, "{}", text);
    }
}
