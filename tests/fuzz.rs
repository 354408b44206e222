//! The fuzz targets of `fuzz/` (decode, page split, normalize) and the HTML
//! reader, run as bounded property tests so CI runs them on stable Rust:
//! arbitrary input, never a panic, and the targets' own invariants.
//! `BULLETIN_FUZZ_CASES` sets the cases per target (default 256); for long,
//! coverage-guided runs use `cargo fuzz` (see `fuzz/Cargo.toml`).

use bulletin::text::normalize::spoken;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::{sentence, Lang};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("BULLETIN_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text from the pieces news pages are made of: Han, Latin, digits,
/// punctuation of both scripts, line breaks, markup-like characters.
fn news_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\u{4e00}-\u{4fff}]{1,6}",
        "[A-Za-z]{1,8}",
        "[0-9]{1,5}",
        "[。，、；：？！“”（）《》—…%.,;:!?()\\[\\]\\-/]",
        "[ \n\t]{1,3}",
        "[<>&\"'=]",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn non_space(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    chars.sort_unstable();
    chars
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_gives_text_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = bulletin::ingest::decode::decode("fuzz", &bytes, None);
    }

    #[test]
    fn page_split_loses_no_character(text in news_text()) {
        let page = bulletin::ingest::page::split(&text);
        let mut kept = String::new();
        for article in &page.articles {
            kept.extend(article.title.iter().map(String::as_str));
            kept.extend(article.paragraphs.iter().map(String::as_str));
        }
        kept.extend(page.dropped.iter().map(String::as_str));
        prop_assert_eq!(non_space(&text), non_space(&kept));
    }

    #[test]
    fn normalize_leaves_no_digit_in_chinese_speech(text in news_text()) {
        for sentence in sentence::split(&text) {
            let chinese = spoken(&sentence, Lang::Zh);
            prop_assert!(!chinese.chars().any(|c| c.is_ascii_digit()), "{} → {}", sentence, chinese);
            let _ = spoken(&sentence, Lang::En);
            let _ = Pronouncer::built_in().engine_pinyin(&chinese);
        }
    }

    #[test]
    fn html_reading_never_panics_however_deep_or_broken(
        tags in proptest::collection::vec(
            prop_oneof![
                Just("<div>".to_string()),
                Just("</div>".to_string()),
                Just("<p>".to_string()),
                Just("<script>".to_string()),
                Just("</script>".to_string()),
                Just("<!--".to_string()),
                Just("-->".to_string()),
                Just("<br/>".to_string()),
                "[a-z\u{4e00}-\u{4e10} ]{0,5}",
            ],
            0..400,
        ),
        depth in 0usize..2_000,
    ) {
        let html = format!("{}{}", "<div>".repeat(depth), tags.concat());
        let _ = bulletin::ingest::html::articles(&html);
        let _ = bulletin::ingest::html::paragraphs(&html);
    }
}
