//! What a hostile or unlucky night does to bulletin: each test makes the
//! fault for real (a flipped byte, a second process, a full disk, a huge
//! input) and checks what the binary then does.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{articles, assert_success, bulletin, files_in, tone_voices};

/// Runs `render` quietly with the tone voices in `dir`.
fn render_tone(dir: &Path, input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    bulletin()
        .arg("render")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--voices")
        .arg(tone_voices(dir, ""))
        .arg("--quiet")
        .args(extra)
        .output()
        .unwrap()
}

/// The audio and subtitle files of an output folder, with their bytes.
fn audio_and_subtitles(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_in(dir)
        .into_iter()
        .filter(|name| {
            Path::new(name)
                .extension()
                .is_some_and(|ext| ext == "wav" || ext == "srt" || ext == "vtt")
        })
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

/// Every regular file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn a_cache_entry_with_a_flipped_header_byte_is_made_again_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 2);
    let cache = dir.path().join("cache");
    let cache_arg = cache.to_str().unwrap();
    let clean = dir.path().join("clean");
    assert_success(&render_tone(
        dir.path(),
        &input,
        &clean,
        &["--cache", cache_arg],
    ));
    let entries = files_under(&cache);
    assert!(!entries.is_empty());
    // Byte 9 sits in the sample-rate field, byte 14 in the sample count:
    // each run damages every entry at one of them.
    for at in [9, 14] {
        for entry in &entries {
            let mut bytes = std::fs::read(entry).unwrap();
            bytes[at] ^= 0x01;
            std::fs::write(entry, bytes).unwrap();
        }
        let again = dir.path().join(format!("again-{at}"));
        assert_success(&render_tone(
            dir.path(),
            &input,
            &again,
            &["--cache", cache_arg],
        ));
        assert_eq!(
            audio_and_subtitles(&clean),
            audio_and_subtitles(&again),
            "a damaged entry at byte {at} changed the output"
        );
    }
}

#[test]
fn cache_prune_passes_over_a_folder_named_like_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 1);
    let cache = dir.path().join("cache");
    let out = dir.path().join("out");
    assert_success(&render_tone(
        dir.path(),
        &input,
        &out,
        &["--cache", cache.to_str().unwrap()],
    ));
    let stray = cache.join("zz").join("not-an-entry.pcm");
    std::fs::create_dir_all(stray.join("inside")).unwrap();
    let output = bulletin()
        .args(["cache", "prune", "--max-size", "1k", "--cache"])
        .arg(&cache)
        .output()
        .unwrap();
    assert_success(&output);
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 segments (0 B) remain"));
    assert!(
        stray.is_dir(),
        "a folder the cache did not make is left alone"
    );
}

/// Voice profiles whose English voice is `script`, run as a command voice
/// with the text file and the WAV to write as its arguments.
fn command_voices(dir: &Path, script: &str) -> PathBuf {
    let voices = tone_voices(dir, "");
    let program = dir.join("voice.sh");
    std::fs::write(&program, format!("#!/bin/sh\n{script}")).unwrap();
    std::fs::set_permissions(
        &program,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(
        voices.join("en-us.toml"),
        format!(
            "engine = \"command\"\nvoice = \"x\"\nlanguage = \"en\"\n\n[command]\nprogram = \"{}\"\nargs = [\"{{text_file}}\", \"{{out_wav}}\"]\n",
            program.display()
        ),
    )
    .unwrap();
    voices
}

#[test]
fn a_killed_command_voice_run_leaves_no_article_text_in_the_temporary_folder() {
    let dir = tempfile::tempdir().unwrap();
    let temp = dir.path().join("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let record = dir.path().join("record");
    // The voice records what it read and the mode of its folder, then
    // hangs until killed.
    let voices = command_voices(
        dir.path(),
        &format!(
            "cat \"$1\" > {record}.text\nstat -c %a \"$(dirname \"$2\")\" > {record}.mode\necho $$ > {record}\nexec sleep 60\n",
            record = record.display()
        ),
    );
    let input = dir.path().join("story.txt");
    std::fs::write(
        &input,
        "Storm hits the coast.\n\nSecret winds reach the coast on Monday.\n",
    )
    .unwrap();
    let mut run = std::process::Command::new(assert_cmd::cargo::cargo_bin("bulletin"))
        .arg("render")
        .arg(&input)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--voices")
        .arg(&voices)
        .args(["--quiet", "--no-cache", "--jobs", "1"])
        .env("TMPDIR", &temp)
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !record.exists() {
        assert!(started.elapsed().as_secs() < 60, "the voice never ran");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    run.kill().unwrap();
    run.wait().unwrap();
    let voice_pid = std::fs::read_to_string(&record).unwrap();
    let _ = std::process::Command::new("kill")
        .arg(voice_pid.trim())
        .status();

    let read = std::fs::read_to_string(format!("{}.text", record.display())).unwrap();
    assert!(read.contains("coast"), "the voice read the text: {read:?}");
    let mode = std::fs::read_to_string(format!("{}.mode", record.display())).unwrap();
    assert_eq!(mode.trim(), "700", "the voice's folder is private");
    for file in files_under(&temp) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("coast"),
            "{} holds the article text",
            file.display()
        );
    }
}

/// The data chunk of a WAV.
fn wav_data(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    common::riff_chunks(&bytes)
        .into_iter()
        .find(|(id, _)| id == b"data")
        .expect("a data chunk")
        .1
}

#[test]
fn double_brackets_in_news_text_are_spoken_as_text_in_every_espeak_mode() {
    let dir = tempfile::tempdir().unwrap();
    let markup = dir.path().join("markup.txt");
    let spaced = dir.path().join("spaced.txt");
    // As phoneme input, [[maI]] would be the word "my"; as text it is not.
    std::fs::write(&markup, "Read [[maI]] now, please.\n").unwrap();
    std::fs::write(&spaced, "Read [ [maI]] now, please.\n").unwrap();
    for mode in ["process", "workers-fork", "workers", "library"] {
        let mut data = Vec::new();
        for input in [&markup, &spaced] {
            let out = dir.path().join(format!("{mode}-out"));
            let output = bulletin()
                .arg("render")
                .arg(input)
                .arg("--out")
                .arg(&out)
                .args(["--quiet", "--no-cache"])
                .env("BULLETIN_ESPEAK_MODE", mode)
                .output()
                .unwrap();
            assert_success(&output);
            let stem = input.file_stem().unwrap().to_string_lossy();
            data.push(wav_data(&out.join(format!("01-{stem}.wav"))));
        }
        assert!(
            data[0] == data[1],
            "{mode}: [[…]] was read as something other than its text"
        );
    }
}

/// Renders a one-line English article with `extra` arguments, expects it
/// refused as bad input (exit 2) with nothing written, and gives its error
/// output.
fn render_refused(dir: &Path, extra: &[&std::ffi::OsStr]) -> String {
    let input = dir.join("story.txt");
    std::fs::write(&input, "Storm hits the coast.\n").unwrap();
    let out = dir.join("refused");
    let output = bulletin()
        .arg("render")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    let error = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(files_in(&out).is_empty(), "nothing is written");
    error
}

#[test]
fn an_unknown_engine_lists_every_engine_a_profile_can_name() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    std::fs::write(
        voices.join("en-us.toml"),
        "engine = \"festival\"\nvoice = \"x\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let error = render_refused(dir.path(), &["--voices".as_ref(), voices.as_os_str()]);
    assert!(
        error.contains("known engines: espeak-ng, piper, command, tone"),
        "{error}"
    );
}

#[test]
fn toml_syntax_errors_in_voices_and_lexicons_give_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let voices = tone_voices(dir.path(), "");
    std::fs::write(
        voices.join("en-us.toml"),
        "engine = \"tone\"\nvoice = \"tone\"\nlanguage = = \"en\"\n",
    )
    .unwrap();
    let error = render_refused(dir.path(), &["--voices".as_ref(), voices.as_os_str()]);
    assert!(
        error.contains("en-us.toml") && error.contains("line 3, column 12"),
        "{error}"
    );

    let lexicon = dir.path().join("words.toml");
    std::fs::write(
        &lexicon,
        "[pinyin]\n\"银行\" = \"yin2 hang2\"\n\"行长\" = hang2\n",
    )
    .unwrap();
    let error = render_refused(dir.path(), &["--lexicon".as_ref(), lexicon.as_os_str()]);
    assert!(
        error.contains("words.toml") && error.contains("line 3, column 8"),
        "{error}"
    );
}
