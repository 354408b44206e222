//! The speech front end, through the library and through `bulletin normalize`.

mod common;

use bulletin::text::normalize::spoken;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::Lang;
use common::bulletin;
use proptest::prelude::*;

/// Written Chinese news text with the shapes the rules care about.
fn zh_news_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[0-9]{1,12}",
        "[0-9]{1,3}\\.[0-9]{1,3}",
        "[0-9]{1,2}[:：][0-9]{2}",
        "[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日",
        "[0-9]{1,3}%",
        "-[0-9]{1,2}℃",
        "[A-Z]{1,2}[0-9]{1,4}",
        "[0-9]{1,3}[-~～至][0-9]{1,3}",
        "[0-9]/[0-9]{1,2}",
        "第[0-9]{1,2}",
        Just("会议".to_string()),
        Just("增长".to_string()),
        Just("，".to_string()),
        Just("千伏".to_string()),
        Just("拨打".to_string()),
        Just("人".to_string()),
        Just(" ".to_string()),
        "[¥$€][0-9]{1,4}",
    ];
    proptest::collection::vec(pieces, 1..8).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_ascii_digit_survives_in_chinese(text in zh_news_text()) {
        let said = spoken(&text, Lang::Zh);
        prop_assert!(!said.chars().any(|c| c.is_ascii_digit()), "{} → {}", text, said);
    }

    #[test]
    fn normalizing_spoken_text_again_changes_nothing(text in zh_news_text()) {
        let once = spoken(&text, Lang::Zh);
        prop_assert_eq!(spoken(&once, Lang::Zh), once.clone(), "from {}", text);
    }

    #[test]
    fn english_spoken_text_is_stable(text in "[A-Za-z $%.,:0-9-]{0,40}") {
        let once = spoken(&text, Lang::En);
        prop_assert_eq!(spoken(&once, Lang::En), once.clone(), "from {}", text);
    }

    #[test]
    fn no_panic_on_arbitrary_input(text in "\\PC{0,60}") {
        let _ = spoken(&text, Lang::Zh);
        let _ = spoken(&text, Lang::En);
        let _ = Pronouncer::built_in().numbered(&text);
        let _ = Pronouncer::built_in().engine_pinyin(&text);
    }
}

#[test]
fn normalize_prints_one_line_per_input_line() {
    let output = bulletin()
        .args(["normalize", "--lang", "zh"])
        .write_stdin("2025年4月25日11：00\n\n拨打12345热线\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "二零二五年四月二十五日十一点\n\n拨打幺二三四五热线\n"
    );
}

#[test]
fn normalize_pinyin_gives_one_syllable_per_character_and_keeps_punctuation() {
    let output = bulletin()
        .args(["normalize", "--lang", "zh", "--pinyin"])
        .write_stdin("银行行长说了2句话。\n绿色发展\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "yin2 hang2 hang2 zhang3 shuo1 le5 liang3 ju4 hua4 。\nlv4 se4 fa1 zhan3\n"
    );
}

#[test]
fn normalize_english() {
    let output = bulletin()
        .args(["normalize", "--lang", "en"])
        .write_stdin("Mr. Li paid $5 at 3 p.m.\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Mister Li paid five dollars at three p m\n"
    );
}

#[test]
fn input_that_is_not_utf8_is_named_as_input_with_its_line() {
    // "中国 2024年" in GB18030 on the second line.
    let mut input = b"ok\n".to_vec();
    input.extend_from_slice(b"\xd6\xd0\xb9\xfa 2024\xc4\xea\n");
    let output = bulletin()
        .args(["normalize", "--lang", "zh"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("standard input is not UTF-8 text on line 2")
            && stderr.contains("GB18030")
            && !stderr.contains("standard output"),
        "{stderr}"
    );
}

#[test]
fn user_lexicon_wins_over_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let lexicon = dir.path().join("names.toml");
    std::fs::write(
        &lexicon,
        "[pinyin]\n\"重庆\" = \"zhong4 qing4\"\n[say]\n\"CPI\" = \"居民消费价格指数\"\n",
    )
    .unwrap();
    let output = bulletin()
        .args(["normalize", "--lang", "zh", "--pinyin", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("重庆CPI\n")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "zhong4 qing4 ju1 min2 xiao1 fei4 jia4 ge2 zhi3 shu4\n"
    );

    // The same lexicon reaches render's plan.
    let page = dir.path().join("page.txt");
    std::fs::write(&page, "重庆CPI上涨。").unwrap();
    let output = bulletin()
        .arg("plan")
        .arg(&page)
        .arg("--json")
        .arg("--lexicon")
        .arg(&lexicon)
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let sentence = &plan["articles"][0]["sentences"][0];
    assert_eq!(sentence["spoken"], "重庆居民消费价格指数上涨。");
    assert!(sentence["engine_input"]
        .as_str()
        .unwrap()
        .starts_with("zhong4 qing4"));
}

#[test]
fn malformed_lexicon_is_bad_input_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let lexicon = dir.path().join("broken.toml");
    std::fs::write(&lexicon, "[pinyin]\n\"重庆\" = \"chongqing\"\n").unwrap();
    let output = bulletin()
        .args(["normalize", "--lang", "zh", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.toml"));
}

#[test]
fn normalize_explain_names_the_rule_of_each_changed_span() {
    let output = bulletin()
        .args(["normalize", "--lang", "en", "--explain"])
        .write_stdin("Flight BA2490 lands at 3:30 p.m.\nNo change here.\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Flight B A two four nine zero lands at three thirty p m\n\
         \x20 times: 3:30 p.m. → three thirty p m\n\
         \x20 serials: BA2490 → B A two four nine zero\n\
         No change here.\n"
    );

    // A lexicon entry shows as the rule that won.
    let dir = tempfile::tempdir().unwrap();
    let lexicon = dir.path().join("say.toml");
    std::fs::write(&lexicon, "[say]\n\"CPI\" = \"居民消费价格指数\"\n").unwrap();
    let output = bulletin()
        .args(["normalize", "--lang", "zh", "--explain", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("CPI上涨2%\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "居民消费价格指数上涨百分之二\n  lexicon: CPI → 居民消费价格指数\n  percentages: 2% → 百分之二\n"
    );
}
