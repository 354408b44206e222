#![no_main]
//! Arbitrary text through sentence splitting, both normalizers and the
//! pinyin front end: no panic, and no ASCII digit left in Chinese speech.
use bulletin::text::normalize::spoken;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::{sentence, Lang};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for sentence in sentence::split(text) {
        let chinese = spoken(&sentence, Lang::Zh);
        assert!(!chinese.chars().any(|c| c.is_ascii_digit()), "{sentence} → {chinese}");
        let _ = spoken(&sentence, Lang::En);
        let _ = Pronouncer::built_in().engine_pinyin(&chinese);
    }
});
