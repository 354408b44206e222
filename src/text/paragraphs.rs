//! Turns raw text into a headline and paragraphs, joining the line breaks
//! that column layout or PDF extraction put inside sentences.

use super::is_cjk;

/// Characters that end a sentence; a first line ending with one is body text,
/// not a headline.
const SENTENCE_FINAL: &[char] = &[
    '。', '！', '？', '；', '…', '.', '!', '?', ';', '”', '"', '’', '」', '』', '）', ')',
];

/// Splits text into an optional headline and paragraphs of joined lines.
///
/// A blank line is a paragraph break. The first line is the headline when it
/// has no sentence-final punctuation and stands alone: it is followed by a
/// blank line, or it is much shorter than the lines after it (a line cut by
/// the column width is about as long as its neighbours).
pub fn split(text: &str) -> (Option<String>, Vec<String>) {
    let blocks = blocks(text);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut title = None;
    for (index, lines) in blocks.iter().enumerate() {
        if index == 0 && is_headline(lines) {
            title = Some(lines[0].clone());
            if lines.len() > 1 {
                paragraphs.push(join_lines(&lines[1..]));
            }
            continue;
        }
        paragraphs.push(join_lines(lines));
    }
    (title, paragraphs)
}

/// Groups trimmed, non-empty lines into blocks separated by blank lines.
fn blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

fn is_headline(lines: &[String]) -> bool {
    let first = &lines[0];
    if first.ends_with(SENTENCE_FINAL) {
        return false;
    }
    let Some(next) = lines.get(1) else {
        return true;
    };
    let width = |line: &str| line.chars().count();
    width(first) * 10 < width(next) * 6
}

/// Joins the lines of one paragraph: nothing between Chinese text, one space
/// between Latin words.
pub fn join_lines(lines: &[String]) -> String {
    let mut joined = String::new();
    for line in lines {
        let line = line.trim();
        if let (Some(before), Some(after)) = (joined.chars().last(), line.chars().next()) {
            if !(is_cjk(before) || is_cjk(after)) {
                joined.push(' ');
            }
        }
        joined.push_str(line);
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(ToString::to_string).collect()
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
        ];
        for (input, expected) in cases {
            assert_eq!(join_lines(&lines(input)), *expected, "{input:?}");
        }
    }

    #[test]
    fn headline_followed_by_blank_line() {
        let (title, paragraphs) = split("Storm hits coast\n\nWinds rose.\nRain fell.\n");
        assert_eq!(title.as_deref(), Some("Storm hits coast"));
        assert_eq!(paragraphs, vec!["Winds rose. Rain fell."]);
    }

    #[test]
    fn short_first_line_above_body_is_headline() {
        let (title, paragraphs) = split(
            "辽源火车站加开班次\n本报讯 随着五一假期的临近，民众出行需求激增，为满足旅客出行需要。",
        );
        assert_eq!(title.as_deref(), Some("辽源火车站加开班次"));
        assert_eq!(paragraphs.len(), 1);
    }

    #[test]
    fn column_broken_first_line_is_not_headline() {
        let (title, paragraphs) = split(
            "新华社北京4月25日电 中共中\n央政治局4月25日召开会议，分析研\n究当前经济形势。\n",
        );
        assert_eq!(title, None);
        assert_eq!(
            paragraphs,
            vec!["新华社北京4月25日电 中共中央政治局4月25日召开会议，分析研究当前经济形势。"]
        );
    }

    #[test]
    fn first_line_with_final_punctuation_is_body() {
        let (title, _) = split("会议还研究了其他事项。\n\n另一段。");
        assert_eq!(title, None);
    }

    #[test]
    fn blank_lines_break_paragraphs() {
        let (_, paragraphs) = split("第一段。\n\n\n第二段\n继续。\n");
        assert_eq!(paragraphs, vec!["第一段。", "第二段继续。"]);
    }
}
