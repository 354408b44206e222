#![no_main]
//! Arbitrary text through artifact repair and page splitting: no panic,
//! and every non-space character lands in a title, a paragraph or dropped.
use libfuzzer_sys::fuzz_target;

fn non_space(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars.sort_unstable();
    chars
}

fuzz_target!(|text: &str| {
    let page = bulletin::ingest::page::split(text);
    let mut kept = String::new();
    for article in &page.articles {
        kept.extend(article.title.iter().map(String::as_str));
        kept.extend(article.paragraphs.iter().map(String::as_str));
    }
    kept.extend(page.dropped.iter().map(String::as_str));
    assert_eq!(non_space(text), non_space(&kept));
});
