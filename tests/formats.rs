//! Input formats and encodings: Markdown, HTML, feeds, folders of them, and
//! Chinese text in GB18030 and Big5, read through the real binary.

mod common;

use std::ffi::OsStr;
use std::path::Path;

use common::{bulletin, fixture, plan_json, refused, titles_and_sentences};

fn titles(plan: &serde_json::Value) -> Vec<Option<String>> {
    titles_and_sentences(plan)
        .into_iter()
        .map(|(title, _)| title)
        .collect()
}

#[test]
fn markdown_headings_become_articles_without_markup() {
    let plan = plan_json(&[&fixture("articles_two_headings.md")]);
    assert_eq!(
        titles_and_sentences(&plan),
        vec![
            (
                Some("Storm hits the coast".to_string()),
                vec![
                    "Winds of 120 km/h hit the coast on Monday, the weather service said."
                        .to_string(),
                    "Power is out in three towns.".to_string(),
                ]
            ),
            (
                Some("股市收涨".to_string()),
                vec!["沪指上涨1.2%，成交放量。".to_string()]
            ),
        ]
    );
}

#[test]
fn html_page_gives_only_the_article_text() {
    let plan = plan_json(&[&fixture("article_with_nav_and_script.html")]);
    assert_eq!(
        titles_and_sentences(&plan),
        vec![(
            Some("Storm hits the coast".to_string()),
            vec![
                "Winds of 120 km/h hit the coast on Monday.".to_string(),
                "Power is out in three towns.".to_string(),
            ]
        )]
    );
}

#[test]
fn rss_gives_one_article_per_item() {
    let plan = plan_json(&[&fixture("feed_three_items.rss")]);
    assert_eq!(
        titles_and_sentences(&plan),
        vec![
            (
                Some("Storm hits the coast".to_string()),
                vec!["Winds of 120 km/h hit the coast on Monday.".to_string()]
            ),
            (
                Some("股市收涨".to_string()),
                vec!["沪指上涨。".to_string(), "成交放量。".to_string()]
            ),
            (
                Some("Schools reopen".to_string()),
                vec![
                    "Schools reopened on Tuesday.".to_string(),
                    "Classes start at nine.".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn a_feed_on_standard_input_is_recognized() {
    let output = bulletin()
        .args(["plan", "-", "--json"])
        .write_stdin(std::fs::read(fixture("feed_three_items.rss")).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(titles(&plan).len(), 3);
}

#[test]
fn a_folder_reads_every_format_by_name() {
    let dir = tempfile::tempdir().unwrap();
    for (name, source) in [
        ("a.html", "article_with_nav_and_script.html"),
        ("b.md", "articles_two_headings.md"),
        ("c.rss", "feed_three_items.rss"),
        ("d.txt", "article_zh_gb18030.txt"),
    ] {
        std::fs::copy(fixture(source), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("notes.json"), "{}").unwrap();
    let plan = plan_json(&[dir.path()]);
    let sources: Vec<String> = plan["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|article| {
            let source = Path::new(article["source"].as_str().unwrap());
            source.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    assert_eq!(
        sources,
        ["a.html", "b.md", "b.md", "c.rss", "c.rss", "c.rss", "d.txt"]
    );
}

#[test]
fn gb18030_and_big5_plan_like_their_utf8_originals() {
    for (encoded, original) in [
        ("article_zh_gb18030.txt", "article_zh_utf8.txt"),
        (
            "article_zh_traditional_big5.txt",
            "article_zh_traditional_utf8.txt",
        ),
    ] {
        let expected = titles_and_sentences(&plan_json(&[&fixture(original)]));
        assert!(expected[0].1.len() >= 3, "{original} has sentences");
        let decoded = titles_and_sentences(&plan_json(&[&fixture(encoded)]));
        assert_eq!(decoded, expected, "{encoded}");
    }
}

#[test]
fn encoding_flag_overrides_detection() {
    // UTF-16 without a byte-order mark looks binary until it is named.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("utf16_without_bom.txt");
    let text = std::fs::read_to_string(fixture("article_zh_utf8.txt")).unwrap();
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&path, bytes).unwrap();
    let error = refused(&[path.as_os_str()]);
    assert!(error.contains("binary"), "{error}");

    let output = bulletin()
        .args(["plan", "--json", "--encoding", "utf-16le"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        titles_and_sentences(&plan),
        titles_and_sentences(&plan_json(&[&fixture("article_zh_utf8.txt")]))
    );
}

#[test]
fn a_wrongly_forced_encoding_is_refused_with_the_file_and_offset() {
    let path = fixture("article_zh_gb18030.txt");
    let error = refused(&[
        OsStr::new("--encoding"),
        OsStr::new("utf-8"),
        path.as_os_str(),
    ]);
    assert!(
        error.contains("article_zh_gb18030.txt is not valid UTF-8 text (as --encoding asked)")
            && error.contains("byte offset 1"),
        "{error}"
    );
}

#[test]
fn an_unknown_encoding_is_bad_usage() {
    let output = bulletin()
        .args(["plan", "--encoding", "klingon"])
        .arg(fixture("article_zh_utf8.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown encoding \"klingon\""));
}
