//! Renders real inputs with the real espeak-ng and checks the files.

mod common;

use std::path::Path;

use common::{bulletin, files_in, fixture, plan_json, read_wav, rms, SAMPLE_PAGE};

/// Samples that count as sound or silence, from the files themselves.
const SOUND_RMS: f32 = 0.01;
const SILENCE_PEAK: f32 = 0.001;

fn render(inputs: &[&Path], out: &Path) -> serde_json::Value {
    common::render(inputs, out, &[])
}

fn texts(sentences: &serde_json::Value) -> Vec<String> {
    sentences
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect()
}

/// Checks each WAV against its manifest entry: length, sound inside every
/// sentence span, silence in every gap.
fn check_audio(out: &Path, manifest: &serde_json::Value) {
    for article in manifest["articles"].as_array().unwrap() {
        let (rate, samples) = read_wav(&out.join(article["file"].as_str().unwrap()));
        assert_eq!(u64::from(rate), article["sample_rate"].as_u64().unwrap());
        let duration = samples.len() as f64 / f64::from(rate);
        assert!((duration - article["duration_s"].as_f64().unwrap()).abs() < 1e-3);

        let mut spans: Vec<(usize, usize, String)> = Vec::new();
        for sentence in article["headline"]
            .as_object()
            .into_iter()
            .map(|h| serde_json::Value::Object(h.clone()))
            .chain(article["sentences"].as_array().unwrap().iter().cloned())
        {
            let at =
                |key: &str| (sentence[key].as_f64().unwrap() * f64::from(rate)).round() as usize;
            spans.push((
                at("start_s"),
                at("end_s"),
                sentence["text"].as_str().unwrap().to_string(),
            ));
        }
        let mut previous_end = 0;
        for (start, end, text) in &spans {
            assert!(start < end && *end <= samples.len(), "span of {text}");
            assert!(
                rms(&samples[*start..*end]) > SOUND_RMS,
                "no sound in the span of {text}"
            );
            let gap = &samples[previous_end..*start];
            assert!(
                gap.iter().all(|s| s.abs() < SILENCE_PEAK),
                "sound in the gap before {text}"
            );
            previous_end = *end;
        }
        assert!(
            samples[previous_end..]
                .iter()
                .all(|s| s.abs() < SILENCE_PEAK),
            "sound after the last sentence"
        );
    }
}

#[test]
fn sample_page_renders_every_planned_sentence_with_sound_and_clean_gaps() {
    let out = tempfile::tempdir().unwrap();
    let page = fixture("page_zh_daily_pdf_extract.txt");
    let plan = plan_json(&[&page]);
    let manifest = render(&[&page], out.path());

    let planned: Vec<String> = plan["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| texts(&a["sentences"]))
        .collect();
    let written: Vec<String> = manifest["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| texts(&a["sentences"]))
        .collect();
    assert_eq!(
        planned, written,
        "the manifest lists exactly the planned sentences"
    );
    assert!(written.len() >= 95);

    let total: f64 = manifest["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["duration_s"].as_f64().unwrap())
        .sum();
    assert!(
        total >= 600.0,
        "at least ten minutes of audio, got {total} s"
    );
    assert!((manifest["summary"]["audio_s"].as_f64().unwrap() - total).abs() < 0.01);
    check_audio(out.path(), &manifest);
    assert!(files_in(out.path())
        .iter()
        .all(|name| !name.contains("partial")));
}

#[test]
fn folder_of_articles_gives_one_wav_each_in_name_order_with_headlines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("article_zh_with_headline_and_latin.txt"),
        dir.path().join("b.txt"),
    )
    .unwrap();
    // Markdown marks its headline with `#`.
    let english = std::fs::read_to_string(fixture("article_en_with_headline.txt")).unwrap();
    std::fs::write(dir.path().join("a.md"), format!("# {english}")).unwrap();
    std::fs::write(dir.path().join("ignored.json"), "{}").unwrap();
    let out = tempfile::tempdir().unwrap();
    let manifest = render(&[dir.path()], out.path());
    let files: Vec<&str> = manifest["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "01-storm-hits-the-coast.wav",
            "02-liao-yuan-huo-che-zhan-jia-kai-ban-ci.wav"
        ]
    );
    assert_eq!(
        manifest["articles"][1]["headline"]["text"],
        "辽源火车站加开班次"
    );
    let voices: Vec<&str> = manifest["articles"][0]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["voice"].as_str().unwrap())
        .collect();
    // English reads with the English default (en-us-joe when it is usable).
    assert!(voices.iter().all(|v| v.starts_with("en-us")), "{voices:?}");
    check_audio(out.path(), &manifest);
    assert_eq!(
        files_in(out.path()),
        [
            "01-storm-hits-the-coast.srt",
            "01-storm-hits-the-coast.vtt",
            "01-storm-hits-the-coast.wav",
            "02-liao-yuan-huo-che-zhan-jia-kai-ban-ci.srt",
            "02-liao-yuan-huo-che-zhan-jia-kai-ban-ci.vtt",
            "02-liao-yuan-huo-che-zhan-jia-kai-ban-ci.wav",
            "manifest.json"
        ]
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .args(["render", "-", "--quiet", "--out"])
        .arg(out.path())
        .write_stdin("今天天气很好。我们出去走走。")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        files_in(out.path()),
        [
            "01-stdin.srt",
            "01-stdin.vtt",
            "01-stdin.wav",
            "manifest.json"
        ]
    );
}

#[test]
fn latin_inside_chinese_is_read_by_the_english_voice_in_the_same_sentence() {
    let plan = plan_json(&[&fixture("article_zh_with_headline_and_latin.txt")]);
    let sentence = &plan["articles"][0]["sentences"][0];
    assert_eq!(sentence["lang"], "zh");
    assert_eq!(sentence["voice"], "zh-cn");
    let runs: Vec<(&str, &str)> = sentence["utterances"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["voice"].as_str().unwrap(), r["input"].as_str().unwrap()))
        .collect();
    assert!(runs.contains(&("en-us", "K")), "{runs:?}");
    assert!(
        runs.iter()
            .any(|(voice, input)| *voice == "zh-cn" && input.contains("wu3 ling2 liu4 jiu3")),
        "{runs:?}"
    );
}

#[test]
fn sample_plan_leaves_no_ascii_digit_in_chinese_speech() {
    let plan = plan_json(&[Path::new(SAMPLE_PAGE)]);
    let sentences: Vec<&serde_json::Value> = plan["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["sentences"].as_array().unwrap())
        .collect();
    assert!(sentences.len() >= 95);
    for sentence in sentences {
        for key in ["text", "spoken", "engine_input", "lang", "voice"] {
            assert!(sentence[key].is_string(), "{key} missing in {sentence}");
        }
        if sentence["lang"] == "zh" {
            let spoken = sentence["spoken"].as_str().unwrap();
            assert!(!spoken.chars().any(|c| c.is_ascii_digit()), "{spoken}");
            assert!(!sentence["engine_input"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        }
    }
}

#[test]
fn command_profile_for_flite_renders_through_a_text_file() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .arg("render")
        .arg(fixture("article_en_with_headline.txt"))
        .args(["--voice", "flite-en", "--quiet", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["articles"][0]["sentences"][0]["voice"], "flite-en");
    check_audio(out.path(), &manifest);
}

/// The Piper voice that `scripts/setup` installs; this test needs it and
/// fails, never skips, without it.
fn require_joe() {
    let output = bulletin().arg("voices").output().unwrap();
    let listing = String::from_utf8_lossy(&output.stdout);
    let line = listing
        .lines()
        .find(|l| l.starts_with("en-us-joe "))
        .unwrap_or_else(|| panic!("no en-us-joe profile in:\n{listing}"));
    assert!(
        line.ends_with("usable"),
        "the Piper voice en-us-joe cannot run here; run scripts/setup first.\n{line}"
    );
}

#[test]
fn joe_piper_voice_reads_the_english_article_at_its_rate_and_a_news_pace() {
    require_joe();
    let out = tempfile::tempdir().unwrap();
    let article = fixture("article_en_with_headline.txt");
    let manifest = common::render(&[&article], out.path(), &["--voice", "en-us-joe"]);
    let article = &manifest["articles"][0];
    let spoken: Vec<&serde_json::Value> = std::iter::once(&article["headline"])
        .chain(article["sentences"].as_array().unwrap())
        .collect();
    assert_eq!(spoken.len(), 4);
    assert!(spoken.iter().all(|s| s["voice"] == "en-us-joe"));
    // en_US-joe-medium speaks at 22.05 kHz; the WAV is at the bulletin rate.
    let (rate, _) = read_wav(&out.path().join(article["file"].as_str().unwrap()));
    assert_eq!(rate, 48_000);
    assert_eq!(article["sample_rate"], 48_000);
    check_audio(out.path(), &manifest);
    // A news pace: words spoken per minute of the sentence spans.
    let words: usize = spoken
        .iter()
        .map(|s| s["spoken"].as_str().unwrap().split_whitespace().count())
        .sum();
    let seconds: f64 = spoken
        .iter()
        .map(|s| s["end_s"].as_f64().unwrap() - s["start_s"].as_f64().unwrap())
        .sum();
    let pace = words as f64 / seconds * 60.0;
    assert!((140.0..=230.0).contains(&pace), "{pace:.0} words a minute");
}
