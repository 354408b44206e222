//! Inputs that are not text, or text that must not be read as it is: each
//! refused case exits 2 with one line naming the file and the problem, and
//! writes nothing.

mod common;

use std::ffi::OsStr;

use common::{fixture, plan_json, refused, titles_and_sentences};

#[test]
fn a_binary_file_is_refused() {
    let path = fixture("binary_png_header.txt");
    let error = refused(&[path.as_os_str()]);
    assert_eq!(
        error.trim_end(),
        format!("error: {} is a binary file, not text", path.display())
    );
}

#[test]
fn malformed_bytes_name_the_file_encoding_and_offset() {
    let path = fixture("invalid_utf8.txt");
    let error = refused(&[path.as_os_str()]);
    assert_eq!(
        error.trim_end(),
        format!(
            "error: {} is not valid UTF-8 text: malformed byte sequence at byte offset 3",
            path.display()
        )
    );
}

#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.md");
    std::fs::write(&path, "").unwrap();
    let error = refused(&[path.as_os_str()]);
    assert!(
        error.contains("nothing was found to read") && error.contains("empty.md"),
        "{error}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_until_the_limit_is_raised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.txt");
    std::fs::write(&path, "Storm hits the coast.\n".repeat(100)).unwrap();
    let error = refused(&[
        OsStr::new("--max-input-size"),
        OsStr::new("1K"),
        path.as_os_str(),
    ]);
    assert_eq!(
        error.trim_end(),
        format!(
            "error: {} is larger than the input size limit of 1 KiB; raise the limit with --max-input-size",
            path.display()
        )
    );
    let output = common::bulletin()
        .args(["plan", "--max-input-size", "4K"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
}

#[test]
fn standard_input_over_the_size_limit_is_refused() {
    let output = common::bulletin()
        .args(["plan", "-", "--max-input-size", "100"])
        .write_stdin("x".repeat(101))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("<stdin> is larger than"));
}

#[test]
fn emoji_controls_and_invisible_characters_never_reach_the_text_stage() {
    let plan = plan_json(&[&fixture("text_with_emoji_controls_and_zero_width.txt")]);
    assert_eq!(
        titles_and_sentences(&plan),
        vec![(
            Some("Storm hits the coast".to_string()),
            vec![
                "Winds rose today .".to_string(),
                "Power is out.".to_string()
            ]
        )]
    );
}

#[test]
fn a_20000_character_paragraph_without_punctuation_is_cut_into_utterances_an_engine_takes() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("wall.txt");
    std::fs::write(&page, "人工智能科技创新产业发展和赋能应用".repeat(1200)).unwrap();
    let plan = common::plan_json(&[&page]);
    let sentence = &plan["articles"][0]["sentences"][0];
    let utterances = sentence["utterances"].as_array().unwrap();
    assert!(utterances.len() > 100, "cut into many utterances");
    for utterance in utterances {
        for run in utterance.as_array().unwrap() {
            // 120 characters of Chinese make at most 120 syllables.
            assert!(run["input"].as_str().unwrap().split_whitespace().count() <= 120);
        }
    }
}
