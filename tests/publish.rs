//! Publishing: MP3 and Opus beside the WAV, with tags, chapters and exact
//! durations, and the podcast feed, all read back with ffprobe, ffmpeg and
//! feed-rs, not with bulletin's own code.

// Test helpers compare the names bulletin itself writes, always lower-case.
#![allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::too_many_lines
)]

mod common;

use std::path::{Path, PathBuf};

use common::{assert_success, bulletin, fixture, tone_voices};

/// Every format, the programme and the feed.
const EVERYTHING: [&str; 5] = [
    "--format",
    "wav,mp3,opus",
    "--programme",
    "--podcast",
    "https://radio.example/",
];

/// A folder of `count` Chinese articles with headlines, named from `first`.
fn articles(dir: &Path, name: &str, first: usize, count: usize) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for i in first..first + count {
        std::fs::write(
            folder.join(format!("story-{i:03}.txt")),
            format!(
                "第{i}号新闻 <&> ]]>\n\n今天上午{i}点，记者来到现场。市民们纷纷表示支持。\n\n第{i}个项目顺利完成。\n"
            ),
        )
        .unwrap();
    }
    folder
}

fn render(input: &Path, out: &Path, voices: &Path, extra: &[&str]) -> std::process::Output {
    bulletin()
        .arg("render")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--cache")
        .arg(out.with_extension("cache"))
        .arg("--voices")
        .arg(voices)
        .arg("--quiet")
        .args(extra)
        .output()
        .unwrap()
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn ffprobe(path: &Path) -> serde_json::Value {
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json"])
        .args(["-show_format", "-show_streams", "-show_chapters"])
        .arg(path)
        .output()
        .unwrap();
    assert_success(&output);
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Integrated loudness of the decoded file, by ffmpeg's own EBU R128 meter.
fn ebur128_lufs(path: &Path) -> f64 {
    let output = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-filter_complex", "ebur128", "-f", "null", "-"])
        .output()
        .unwrap();
    assert_success(&output);
    let text = String::from_utf8_lossy(&output.stderr);
    let summary = text.rsplit("Summary:").next().unwrap();
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with("I:"))
        .unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The article's file of `format` from the manifest.
fn file_of<'a>(article: &'a serde_json::Value, format: &str) -> &'a serde_json::Value {
    article["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["format"] == format)
        .unwrap_or_else(|| panic!("no {format} file in {article}"))
}

#[test]
fn mp3_and_opus_match_the_wav_in_duration_tags_and_loudness() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let input = articles(dir.path(), "in", 1, 2);
    let out = dir.path().join("out");
    let output = render(
        &input,
        &out,
        &voices,
        &["--format", "wav,mp3,opus", "--station", "Radio Test"],
    );
    assert_success(&output);
    let manifest = manifest(&out);
    let articles = manifest["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 2);
    for (track, article) in articles.iter().enumerate() {
        let wav_duration = article["duration_s"].as_f64().unwrap();
        let headline = article["title"].as_str().unwrap();
        for (format, codec, format_name) in [
            ("wav", "pcm_s16le", "wav"),
            ("mp3", "mp3", "mp3"),
            ("opus", "opus", "ogg"),
        ] {
            let entry = file_of(article, format);
            let path = out.join(entry["file"].as_str().unwrap());
            assert_eq!(
                entry["bytes"].as_u64().unwrap(),
                std::fs::metadata(&path).unwrap().len(),
                "{format}"
            );
            let probe = ffprobe(&path);
            assert_eq!(probe["format"]["format_name"], format_name);
            let stream = &probe["streams"][0];
            assert_eq!(stream["codec_name"], codec, "{format}");
            let duration: f64 = probe["format"]["duration"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                (duration - wav_duration).abs() < 0.03,
                "{format}: {duration} s against the WAV's {wav_duration} s"
            );
            assert!((entry["duration_s"].as_f64().unwrap() - wav_duration).abs() < 1e-6);
            if format == "wav" {
                continue;
            }
            // MP3 tags sit on the format, Opus comments on the stream.
            let tags = if format == "mp3" {
                &probe["format"]["tags"]
            } else {
                &stream["tags"]
            };
            let tag = |key: &str| {
                tags.as_object()
                    .unwrap()
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map_or_else(
                        || panic!("{format}: no {key} in {tags}"),
                        |(_, v)| v.as_str().unwrap().to_owned(),
                    )
            };
            assert_eq!(tag("title"), headline);
            assert_eq!(tag("artist"), "Radio Test");
            assert!(tag("track").starts_with(&(track + 1).to_string()));
            assert!(tag("date").starts_with("20") || tag("date").starts_with("19"));
            let lufs = ebur128_lufs(&path);
            assert!((lufs + 23.0).abs() <= 1.0, "{format}: {lufs} LUFS");
        }
        assert!(
            file_of(article, "mp3")["bytes"].as_u64() < file_of(article, "wav")["bytes"].as_u64()
        );
    }
}

#[test]
fn the_podcast_preset_makes_a_feed_with_chapters_that_a_rerun_extends() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let out = dir.path().join("out");
    let first = articles(dir.path(), "monday", 1, 2);
    let podcast = [
        "--preset",
        "podcast",
        "--podcast",
        "https://radio.example/pod",
        "--feed-title",
        "Morning <news> & more",
        "--programme",
    ];
    assert_success(&render(&first, &out, &voices, &podcast));
    let manifest = manifest(&out);
    let written = manifest["articles"].as_array().unwrap();
    // The podcast preset: MP3 beside the WAV master, at −16 LUFS.
    let files: Vec<&str> = written[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["wav", "mp3"]);
    let mp3 = out.join(file_of(&written[0], "mp3")["file"].as_str().unwrap());
    let lufs = ebur128_lufs(&mp3);
    assert!((lufs + 16.0).abs() <= 1.0, "{lufs} LUFS");

    // The programme carries one chapter per article, titled by headline.
    let probe = ffprobe(&out.join("programme.mp3"));
    let chapters: Vec<&str> = probe["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tags"]["title"].as_str().unwrap())
        .collect();
    let headlines: Vec<&str> = written
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(chapters, headlines);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("chapters.json")).unwrap()).unwrap();
    assert_eq!(json["chapters"].as_array().unwrap().len(), 2);

    let feed_bytes = std::fs::read(out.join("feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(feed_bytes.as_slice()).unwrap();
    assert_eq!(feed.title.unwrap().content, "Morning <news> & more");
    assert_eq!(feed.language.as_deref(), Some("zh-cn"));
    assert_eq!(feed.entries.len(), 3, "the programme and two articles");
    for entry in &feed.entries {
        let enclosure = &entry.media[0].content[0];
        let url = enclosure.url.as_ref().unwrap().as_str();
        let name = url.strip_prefix("https://radio.example/pod/").unwrap();
        assert_eq!(
            enclosure.size,
            Some(std::fs::metadata(out.join(name)).unwrap().len()),
            "{name}"
        );
        assert_eq!(
            enclosure.content_type.as_ref().unwrap().to_string(),
            "audio/mpeg"
        );
    }
    let text = String::from_utf8(feed_bytes).unwrap();
    assert!(text.contains("type=\"application/json+chapters\""));
    assert!(text.contains("<podcast:transcript url=\"https://radio.example/pod/01-"));

    // The next day's run into the same folder keeps the older items after
    // its own.
    let second = articles(dir.path(), "tuesday", 7, 1);
    assert_success(&render(&second, &out, &voices, &podcast));
    let feed =
        feed_rs::parser::parse(std::fs::read(out.join("feed.xml")).unwrap().as_slice()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles[1].starts_with("第7号新闻"), "{titles:?}");
    assert!(titles[3].starts_with("第2号新闻"), "{titles:?}");
    for entry in &feed.entries {
        let enclosure = &entry.media[0].content[0];
        let name = enclosure
            .url
            .as_ref()
            .unwrap()
            .path()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(
            enclosure.size,
            Some(std::fs::metadata(out.join(&name)).unwrap().len()),
            "{name}"
        );
    }
}

#[test]
fn publishing_is_byte_identical_run_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let input = articles(dir.path(), "in", 1, 2);
    let args = EVERYTHING;
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert_success(&render(&input, &a, &voices, &args));
    assert_success(&render(&input, &b, &voices, &args));
    let names = common::files_in(&a);
    assert!(names.iter().any(|n| n.ends_with(".opus")));
    for name in names.iter().filter(|n| !n.ends_with(".json")) {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn bad_publishing_values_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let cases: [(&[&str], &str); 7] = [
        (&["--format", "wav,flac"], "flac"),
        (&["--format", "mp3", "--mp3-bitrate", "56"], "56"),
        (&["--format", "opus", "--opus-bitrate", "600"], "600"),
        (&["--format", "opus", "--rate", "44100"], "44100"),
        (
            &["--format", "mp3", "--podcast", "ftp://radio.example/"],
            "ftp://",
        ),
        (
            &["--format", "mp3", "--podcast", "radio.example/pod"],
            "radio.example",
        ),
        (&["--podcast", "https://radio.example/"], "mp3 or opus"),
    ];
    for (args, named) in cases {
        let out = dir.path().join("out");
        let output = render(&fixture("article_zh_utf8.txt"), &out, &voices, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?} wrote {:?}", common::files_in(&out));
    }
}

#[test]
fn merge_publishes_the_programme_and_feed_a_single_run_makes() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let input = articles(dir.path(), "in", 1, 6);
    let publish = [
        "--format",
        "wav,mp3,opus",
        "--podcast",
        "https://radio.example/",
        "--station",
        "Radio Test",
    ];
    // One date for both: a single run dates by its inputs, merge by the
    // article files it finds.
    let run = |out: &Path, extra: &[&str]| {
        bulletin()
            .env("SOURCE_DATE_EPOCH", "1715925600")
            .arg("render")
            .arg(&input)
            .arg("--out")
            .arg(out)
            .arg("--cache")
            .arg(dir.path().join("cache"))
            .arg("--voices")
            .arg(&voices)
            .arg("--quiet")
            .args(publish)
            .args(extra)
            .output()
            .unwrap()
    };
    let whole = dir.path().join("whole");
    assert_success(&run(&whole, &["--programme"]));
    let shared = dir.path().join("shared");
    for share in ["1/2", "2/2"] {
        assert_success(&run(&shared, &["--shard", share]));
    }
    assert!(!shared.join("feed.xml").exists(), "a shard writes no feed");
    let output = bulletin()
        .env("SOURCE_DATE_EPOCH", "1715925600")
        .arg("merge")
        .arg(&shared)
        .arg("--programme")
        .output()
        .unwrap();
    assert_success(&output);
    for name in [
        "feed.xml",
        "programme.mp3",
        "programme.opus",
        "chapters.json",
        "01-di-1-hao-xin-wen.opus",
    ] {
        assert_eq!(
            std::fs::read(shared.join(name)).unwrap(),
            std::fs::read(whole.join(name)).unwrap(),
            "{name}"
        );
    }
    let merged = manifest(&shared);
    assert_eq!(merged["articles"], manifest(&whole)["articles"]);
    assert_eq!(merged["feed"], "feed.xml");
    let chapters = ffprobe(&shared.join("programme.opus"))["chapters"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(chapters, 6);
}

#[test]
fn a_run_killed_while_publishing_resumes_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    let input = articles(dir.path(), "in", 1, 12);
    let args = [&EVERYTHING[..], &["--jobs", "2"]].concat();
    let clean = dir.path().join("clean");
    let started = std::time::Instant::now();
    assert_success(&render(&input, &clean, &voices, &args));
    let clean_time = started.elapsed();

    let out = dir.path().join("resumed");
    for fraction in [0.3, 0.6, 0.9] {
        let cache = out.with_extension("cache");
        let mut all: Vec<&std::ffi::OsStr> = vec![
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--cache".as_ref(),
            cache.as_os_str(),
            "--voices".as_ref(),
            voices.as_os_str(),
            "--quiet".as_ref(),
        ];
        all.extend(args.iter().map(std::ffi::OsStr::new));
        common::render_killed_after(&all, clean_time.mul_f64(fraction));
    }
    assert_success(&render(&input, &out, &voices, &args));
    let names = common::files_in(&clean);
    assert_eq!(names, common::files_in(&out));
    for name in names.iter().filter(|n| !n.ends_with(".json")) {
        assert_eq!(
            std::fs::read(clean.join(name)).unwrap(),
            std::fs::read(out.join(name)).unwrap(),
            "{name}"
        );
    }
}
