//! Overnight batches: the segment cache, resume after SIGKILL, fault
//! isolation, shards and scheduler logs.

// Test helpers compare the names bulletin itself writes, always lower-case.
#![allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::too_many_lines
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{articles, bulletin, files_in, read_wav, tone_voices};

fn merge(shared: &Path, extra: &[&str]) -> std::process::Output {
    bulletin()
        .arg("merge")
        .arg(shared)
        .args(extra)
        .output()
        .unwrap()
}

fn render(input: &Path, out: &Path, cache: &Path, extra: &[&str]) -> std::process::Output {
    render_with(&mut bulletin(), input, out, cache, extra)
}

/// A render whose tone engine fails every sentence holding `FAIL`.
fn failing_render(input: &Path, out: &Path, cache: &Path, extra: &[&str]) -> std::process::Output {
    let mut command = bulletin();
    command.env(bulletin::voice::TONE_FAIL_ENV, "FAIL");
    render_with(&mut command, input, out, cache, extra)
}

fn render_with(
    command: &mut assert_cmd::Command,
    input: &Path,
    out: &Path,
    cache: &Path,
    extra: &[&str],
) -> std::process::Output {
    command
        .arg("render")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--cache")
        .arg(cache)
        .arg("--quiet")
        .args(extra)
        .output()
        .unwrap()
}

/// Every file in a folder with its bytes (WAVs) or its manifest without the
/// times that differ between runs.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for name in files_in(dir) {
        let bytes = std::fs::read(dir.join(&name)).unwrap();
        let bytes = if name.ends_with(".json") {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            manifest["summary"]["wall_s"] = 0.into();
            manifest["summary"]["realtime_factor"] = 0.into();
            serde_json::to_vec(&manifest).unwrap()
        } else {
            bytes
        };
        files.insert(name, bytes);
    }
    files
}

fn cache_entries(cache: &Path) -> usize {
    let output = bulletin()
        .args(["cache", "stats", "--cache"])
        .arg(cache)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn cache_reuses_segments_remakes_corrupt_ones_and_misses_on_a_changed_voice() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 3);
    let cache = dir.path().join("cache");
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    assert!(render(&input, &first, &cache, &[]).status.success());
    let entries = cache_entries(&cache);
    assert!(entries >= 9, "one entry per utterance, got {entries}");

    // A reused entry gives identical bytes.
    assert!(render(&input, &second, &cache, &[]).status.success());
    assert_eq!(snapshot(&first), snapshot(&second));
    assert_eq!(cache_entries(&cache), entries);

    // Editing one sentence re-synthesizes only that sentence.
    let story = input.join("story-001.txt");
    let text = std::fs::read_to_string(&story)
        .unwrap()
        .replace("市民们纷纷表示支持。", "市民们纷纷表示欢迎。");
    std::fs::write(&story, text).unwrap();
    assert!(render(&input, &second, &cache, &[]).status.success());
    assert_eq!(cache_entries(&cache), entries + 1);

    // A corrupt entry is detected and made again, never used.
    for folder in std::fs::read_dir(&cache).unwrap() {
        for entry in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let mut bytes = std::fs::read(&path).unwrap();
            let last = bytes.len() - 1;
            bytes[last] ^= 0x55;
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let third = dir.path().join("third");
    assert!(render(&input, &third, &cache, &[]).status.success());
    assert_eq!(snapshot(&second), snapshot(&third));

    // Changing a voice setting misses the cache.
    let voices = dir.path().join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    std::fs::write(
        voices.join("zh-cn.toml"),
        "engine = \"espeak-ng\"\nvoice = \"cmn-latn-pinyin\"\nlanguage = \"zh\"\nrate = 190\n",
    )
    .unwrap();
    let before = cache_entries(&cache);
    let fourth = dir.path().join("fourth");
    assert!(render(
        &input,
        &fourth,
        &cache,
        &["--voices", voices.to_str().unwrap()]
    )
    .status
    .success());
    assert!(cache_entries(&cache) >= before + 9);

    // Prune keeps the cache under a size.
    let output = bulletin()
        .args(["cache", "prune", "--max-size", "1k", "--cache"])
        .arg(&cache)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(cache_entries(&cache), 0);
}

#[test]
fn an_engine_fault_fails_exactly_its_article_and_the_others_complete() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 4);
    std::fs::write(
        input.join("story-002.txt"),
        "坏消息\n\n这一句可以。这一句 FAIL 不行。\n",
    )
    .unwrap();
    let voices = tone_voices(dir.path(), "");
    let out = dir.path().join("out");
    let output = failing_render(
        &input,
        &out,
        &dir.path().join("cache"),
        &["--voices", voices.to_str().unwrap()],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("story-002.txt") && stderr.contains("这一句 FAIL 不行。"),
        "{stderr}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["articles"].as_array().unwrap().len(), 3);
    assert_eq!(manifest["failed"][0]["sentence"], "这一句 FAIL 不行。");
    assert!(manifest["failed"][0]["error"]
        .as_str()
        .unwrap()
        .contains("FAIL"));
    let wavs: Vec<String> = files_in(&out)
        .into_iter()
        .filter(|f| f.ends_with(".wav"))
        .collect();
    assert_eq!(wavs.len(), 3);
    assert!(
        !wavs.iter().any(|w| w.starts_with("03-")),
        "no WAV for the failed article: {wavs:?}"
    );

    // --fail-fast stops at the first failure.
    let out = dir.path().join("fast");
    let output = failing_render(
        &input,
        &out,
        &dir.path().join("cache"),
        &[
            "--voices",
            voices.to_str().unwrap(),
            "--fail-fast",
            "--jobs",
            "1",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest["articles"].as_array().unwrap().len(),
        2,
        "articles after the failure are not rendered"
    );
    assert_eq!(manifest["failed"].as_array().unwrap().len(), 2);
}

#[test]
fn a_run_killed_at_random_moments_resumes_to_the_same_bytes_as_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 40);
    let clean = dir.path().join("clean");
    let started = Instant::now();
    assert!(render(
        &input,
        &clean,
        &dir.path().join("clean-cache"),
        &["--jobs", "2"]
    )
    .status
    .success());
    let clean_time = started.elapsed();

    let out = dir.path().join("resumed");
    let cache = dir.path().join("cache");
    for fraction in [0.2, 0.45, 0.7] {
        let args = [
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--cache".as_ref(),
            cache.as_os_str(),
            "--quiet".as_ref(),
            "--jobs".as_ref(),
            "2".as_ref(),
        ];
        common::render_killed_after(&args, clean_time.mul_f64(fraction));
        // Whatever is visible is whole: every WAV reads back completely.
        for name in files_in(&out).iter().filter(|n| n.ends_with(".wav")) {
            let (_, samples) = read_wav(&out.join(name));
            assert!(!samples.is_empty());
        }
    }
    assert!(render(&input, &out, &cache, &["--jobs", "2"])
        .status
        .success());
    assert_eq!(snapshot(&clean), snapshot(&out));
}

#[test]
fn shards_split_the_batch_stably_and_merge_into_one_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 30);
    let voices = tone_voices(dir.path(), "");
    let cache = dir.path().join("cache");
    let whole = dir.path().join("whole");
    assert!(render(
        &input,
        &whole,
        &cache,
        &["--voices", voices.to_str().unwrap(), "--programme"]
    )
    .status
    .success());

    let shared = dir.path().join("shared");
    let render_shard = |share: &str, extra: &[&str]| {
        let mut args = vec!["--voices", voices.to_str().unwrap(), "--shard", share];
        args.extend(extra);
        render(&input, &shared, &cache, &args)
    };
    let mut shard_files = Vec::new();
    for k in 1..=3 {
        let output = render_shard(&format!("{k}/3"), &[]);
        assert!(output.status.success());
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(shared.join(format!("manifest.shard-{k}-of-3.json"))).unwrap(),
        )
        .unwrap();
        shard_files.push(
            manifest["articles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["file"].as_str().unwrap().to_string())
                .collect::<Vec<_>>(),
        );
    }
    assert!(
        shard_files
            .iter()
            .all(|files| !files.is_empty() && files.len() < 30),
        "{shard_files:?}"
    );
    let output = merge(&shared, &["--programme"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let merged: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared.join("manifest.json")).unwrap()).unwrap();
    let single: serde_json::Value =
        serde_json::from_slice(&std::fs::read(whole.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(merged["articles"], single["articles"]);
    // The merged programme is the one a single run makes: same entry, same
    // samples, same subtitles and playlist.
    assert!(single["programme"].is_object());
    assert_eq!(merged["programme"], single["programme"]);
    assert_eq!(
        read_wav(&shared.join("programme.wav")),
        read_wav(&whole.join("programme.wav"))
    );
    for name in ["programme.srt", "programme.vtt", "playlist.m3u"] {
        assert_eq!(
            std::fs::read(shared.join(name)).unwrap(),
            std::fs::read(whole.join(name)).unwrap(),
            "{name}"
        );
    }
    // A shard cannot make the programme of its share alone.
    let output = render_shard("1/3", &["--programme"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--programme"));

    // Adding an input does not move the other articles between shards.
    std::fs::write(input.join("story-000a.txt"), "新来的\n\n又一条新闻。\n").unwrap();
    let after = dir.path().join("after");
    assert!(render(
        &input,
        &after,
        &cache,
        &["--voices", voices.to_str().unwrap(), "--shard", "1/3"]
    )
    .status
    .success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(after.join("manifest.shard-1-of-3.json")).unwrap())
            .unwrap();
    let sources_after: Vec<&str> = manifest["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .filter(|s| !s.ends_with("story-000a.txt"))
        .collect();
    let first: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared.join("manifest.shard-1-of-3.json")).unwrap())
            .unwrap();
    let sources_before: Vec<&str> = first["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources_before, sources_after);

    // A missing shard is reported.
    let partial = dir.path().join("partial");
    assert!(render(
        &input,
        &partial,
        &cache,
        &["--voices", voices.to_str().unwrap(), "--shard", "2/3"]
    )
    .status
    .success());
    let output = merge(&partial, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("missing the manifests of shards 1, 3 of 3"));
}

#[test]
fn shards_of_different_rates_make_no_programme_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 6);
    let voices = tone_voices(dir.path(), "");
    let cache = dir.path().join("cache");
    let shared = dir.path().join("shared");
    for (k, rate) in [(1, "48000"), (2, "44100")] {
        let share = format!("{k}/2");
        let output = render(
            &input,
            &shared,
            &cache,
            &[
                "--voices",
                voices.to_str().unwrap(),
                "--shard",
                &share,
                "--rate",
                rate,
            ],
        );
        assert!(output.status.success());
    }
    let output = merge(&shared, &["--programme"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("differ in sample rate or bits"), "{stderr}");
    // Bad input: nothing written, the joined manifest neither.
    assert!(!shared.join("programme.wav").exists());
    assert!(!shared.join("manifest.json").exists());
}

#[test]
fn json_logs_give_one_event_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 3);
    let voices = tone_voices(dir.path(), "");
    let output = render(
        &input,
        &dir.path().join("out"),
        &dir.path().join("cache"),
        &["--voices", voices.to_str().unwrap(), "--log-format", "json"],
    );
    assert!(output.status.success());
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "start",
            "article_done",
            "article_done",
            "article_done",
            "summary"
        ]
    );
    assert_eq!(events[4]["articles"], 3);
}

#[test]
fn hostile_text_is_spoken_as_text_and_files_stay_inside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hostile.txt");
    std::fs::write(&input, "../../etc/passwd\\CON\n\n-w /etc/passwd <voice name=\"x\">hello</voice> <break/> & more.\n").unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    let output = render(&input, &out, &dir.path().join("cache"), &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        files_in(&out),
        [
            "01-etc-passwd-con.srt",
            "01-etc-passwd-con.vtt",
            "01-etc-passwd-con.wav",
            "manifest.json"
        ]
    );
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn a_finished_job_run_again_has_nothing_to_do_until_an_input_changes() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 2);
    let voices = tone_voices(dir.path(), "");
    let (out, cache) = (dir.path().join("out"), dir.path().join("cache"));
    let args = ["--voices", voices.to_str().unwrap()];
    assert!(render(&input, &out, &cache, &args).status.success());
    let wav = out.join(
        files_in(&out)
            .into_iter()
            .find(|f| f.ends_with(".wav"))
            .unwrap(),
    );
    let written = std::fs::metadata(&wav).unwrap().modified().unwrap();
    let before = snapshot(&out);

    std::thread::sleep(Duration::from_millis(20));
    let output = render(&input, &out, &cache, &args);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("Rendered 2 articles"));
    assert_eq!(
        std::fs::metadata(&wav).unwrap().modified().unwrap(),
        written,
        "nothing rewritten"
    );
    assert_eq!(snapshot(&out), before);

    // A removed output or a changed input means work again.
    std::fs::remove_file(&wav).unwrap();
    assert!(render(&input, &out, &cache, &args).status.success());
    assert!(wav.exists());
    let story = input.join("story-000.txt");
    std::fs::write(
        &story,
        std::fs::read_to_string(&story)
            .unwrap()
            .replace("支持", "欢迎"),
    )
    .unwrap();
    assert!(render(&input, &out, &cache, &args).status.success());
    assert_ne!(snapshot(&out), before);
}

/// The `bext` origination date comes from the files read: a file of no
/// readable format in the input folder used to count, so touching it
/// changed every WAV's bytes.
#[test]
fn an_unread_file_in_the_input_folder_does_not_change_the_bext_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let article = input.join("article.txt");
    std::fs::copy(common::fixture("article_en_with_headline.txt"), &article).unwrap();
    let long_ago = std::time::UNIX_EPOCH + Duration::from_secs(978_307_200); // 2001-01-01
    let file = std::fs::File::options().write(true).open(&article).unwrap();
    file.set_modified(long_ago).unwrap();
    drop(file);
    std::fs::write(input.join("notes.bin"), b"not read").unwrap();
    let out = dir.path().join("out");
    let output = bulletin()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["render", "--quiet", "--no-cache", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    common::assert_success(&output);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let wav = out.join(manifest["articles"][0]["file"].as_str().unwrap());
    let chunks = common::riff_chunks(&std::fs::read(wav).unwrap());
    let (_, bext) = chunks.iter().find(|(id, _)| id == b"bext").unwrap();
    assert_eq!(&bext[320..330], b"2001-01-01");
}

#[test]
fn the_cache_folder_comes_from_the_flag_then_bulletin_cache() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 2);
    let (from_env, from_flag) = (dir.path().join("env-cache"), dir.path().join("flag-cache"));
    let render_with = |out: &str, flag: Option<&Path>| {
        let mut command = bulletin();
        command
            .env("BULLETIN_CACHE", &from_env)
            .arg("render")
            .arg(&input)
            .args(["--voices", tone_voices(dir.path(), "").to_str().unwrap()])
            .args(["--quiet", "--out"])
            .arg(dir.path().join(out));
        if let Some(flag) = flag {
            command.arg("--cache").arg(flag);
        }
        assert!(command.output().unwrap().status.success());
    };
    render_with("first", None);
    assert!(cache_entries(&from_env) > 0);
    assert!(!from_flag.exists());
    render_with("second", Some(&from_flag));
    assert!(cache_entries(&from_flag) > 0);
    // `cache stats` reads BULLETIN_CACHE too.
    let output = bulletin()
        .env("BULLETIN_CACHE", &from_env)
        .args(["cache", "stats"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&from_env.display().to_string()), "{stdout}");
}
