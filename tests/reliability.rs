//! What a hostile or unlucky night does to bulletin: each test makes the
//! fault for real (a flipped byte, a second process, a full disk, a huge
//! input) and checks what the binary then does.

// Test helpers compare the names bulletin itself writes, always lower-case.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

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
                // espeak-ng reads English here: the Piper default is not
                // deterministic, and the point is how espeak-ng reads.
                .args(["--quiet", "--no-cache", "--voice", "en-us"])
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

/// Mounts a tmpfs with `options` on a new folder under `dir`, or says why
/// it cannot (not root, no mount permitted) and gives `None`.
fn tmpfs(dir: &Path, options: &str) -> Option<Tmpfs> {
    let mount = dir.join("tmpfs");
    std::fs::create_dir_all(&mount).unwrap();
    let status = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(&mount)
        .stderr(std::process::Stdio::null())
        .status();
    if status.is_ok_and(|s| s.success()) {
        Some(Tmpfs(mount))
    } else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        None
    }
}

/// A mounted tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A voice that hangs for a while on every utterance, for runs that must
/// still be going when a second one starts.
fn slow_voices(dir: &Path) -> PathBuf {
    command_voices(
        dir,
        &format!(
            "touch {}/started\nsleep 3\nsox -n -r 22050 -c 1 -b 16 \"$2\" synth 0.3 sine 440\n",
            dir.display()
        ),
    )
}

fn english_story(dir: &Path, name: &str) -> PathBuf {
    let input = dir.join(name);
    std::fs::write(&input, "Storm hits the coast.\n\nWinds reach the coast.\n").unwrap();
    input
}

#[test]
fn a_second_run_into_a_folder_in_use_is_refused_with_who_holds_it() {
    let dir = tempfile::tempdir().unwrap();
    let voices = slow_voices(dir.path());
    let input = english_story(dir.path(), "story.txt");
    let out = dir.path().join("out");
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("bulletin"))
        .arg("render")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--voices")
        .arg(&voices)
        .args(["--quiet", "--no-cache"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !dir.path().join("started").exists() {
        assert!(
            started.elapsed().as_secs() < 60,
            "the first run never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // A plain run, a shard, and (where unshare works) a run in another PID
    // namespace: all refused while the first one writes.
    let mut seconds = vec![vec![], vec!["--shard", "1/2"]];
    let unshare = std::process::Command::new("unshare")
        .args(["--pid", "--fork", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if unshare {
        seconds.push(vec!["unshare"]);
    } else {
        eprintln!("not tried in another PID namespace: unshare --pid is not permitted here");
    }
    for extra in seconds {
        let bin = assert_cmd::cargo::cargo_bin("bulletin");
        let mut command = if extra == ["unshare"] {
            let mut c = std::process::Command::new("unshare");
            c.args(["--pid", "--fork"]).arg(bin);
            c
        } else {
            std::process::Command::new(bin)
        };
        let output = command
            .arg("render")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("--voices")
            .arg(tone_voices(&dir.path().join("tone"), ""))
            .args(["--quiet", "--no-cache"])
            .args(extra.iter().filter(|a| **a != "unshare"))
            .output()
            .unwrap();
        let error = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{extra:?}: {error}");
        assert!(
            error.contains("another bulletin run is writing into") && error.contains("process "),
            "{extra:?}: {error}"
        );
    }
    assert!(first.wait().unwrap().success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["articles"].as_array().unwrap().len(), 1);
    assert!(
        files_in(&out).iter().all(|name| !name.ends_with(".lock")),
        "lock files are removed: {:?}",
        files_in(&out)
    );
}

#[test]
fn a_shard_removes_only_its_own_leftover_partials() {
    let dir = tempfile::tempdir().unwrap();
    // Articles go to shards by a hash of their input's path, which is in
    // a fresh temporary folder: with 6 both went to one shard 3% of the
    // time; with 16, 0.003%.
    let input = articles(dir.path(), 16);
    let out = dir.path().join("out");
    // Which shard writes which file.
    let mut owner = BTreeMap::new();
    for shard in ["1/2", "2/2"] {
        let shard_out = dir.path().join(format!("probe-{}", &shard[..1]));
        assert_success(&render_tone(
            dir.path(),
            &input,
            &shard_out,
            &["--shard", shard, "--no-cache"],
        ));
        for name in files_in(&shard_out)
            .into_iter()
            .filter(|n| n.ends_with(".wav"))
        {
            owner.insert(name, shard);
        }
    }
    let first = owner.iter().find(|(_, s)| **s == "1/2").unwrap().0.clone();
    let second = owner.iter().find(|(_, s)| **s == "2/2").unwrap().0.clone();
    std::fs::create_dir_all(&out).unwrap();
    // Partials named by writers whose process ids mean nothing here (another
    // machine or PID namespace): shard 1's file, in progress, and shard 2's,
    // left by a killed run.
    let in_progress = out.join(format!(".{first}.4000000.partial"));
    let stale = out.join(format!(".{second}.4000001.partial"));
    std::fs::write(&in_progress, b"shard 1 is writing").unwrap();
    std::fs::write(&stale, b"left by a killed shard 2").unwrap();
    assert_success(&render_tone(
        dir.path(),
        &input,
        &out,
        &["--shard", "2/2", "--no-cache"],
    ));
    assert!(
        in_progress.exists(),
        "another shard's partial is left alone"
    );
    assert!(
        !stale.exists(),
        "the shard's own leftover partial is removed"
    );
}

#[test]
fn a_failed_article_leaves_no_file_of_an_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path(), 2);
    let out = dir.path().join("out");
    assert_success(&render_tone(dir.path(), &input, &out, &["--no-cache"]));
    let before = files_in(&out);
    std::fs::write(
        input.join("story-001.txt"),
        "第1号新闻\n\n这一句 FAIL 不行。\n",
    )
    .unwrap();
    let failing = tone_voices(&dir.path().join("failing"), "");
    let output = bulletin()
        .arg("render")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--voices")
        .arg(&failing)
        .args(["--quiet", "--no-cache"])
        .env(bulletin::voice::TONE_FAIL_ENV, "FAIL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["failed"].as_array().unwrap().len(), 1);
    let after = files_in(&out);
    let gone: Vec<&String> = before.iter().filter(|n| !after.contains(n)).collect();
    assert_eq!(gone.len(), 3, "its WAV, SRT and VTT are removed: {gone:?}");
    assert!(gone.iter().all(|n| n.starts_with("02-")), "{gone:?}");
}

#[test]
fn jobs_past_eight_per_core_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = english_story(dir.path(), "story.txt");
    let error = common::refused(&[input.as_os_str(), "--jobs".as_ref(), "65535".as_ref()]);
    assert!(
        error.contains("--jobs") && error.contains("per core"),
        "{error}"
    );
}

#[test]
fn an_output_path_that_is_a_file_or_read_only_is_refused_before_synthesis() {
    let dir = tempfile::tempdir().unwrap();
    let input = english_story(dir.path(), "story.txt");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let output = render_tone(dir.path(), &input, &file, &[]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(error.contains("a-file"), "{error}");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");

    let Some(mount) = tmpfs(dir.path(), "ro,size=1m") else {
        return;
    };
    // The slow voice would take seconds per sentence: the refusal comes first.
    let voices = slow_voices(dir.path());
    let output = bulletin()
        .arg("render")
        .arg(&input)
        .arg("--out")
        .arg(&mount.0)
        .arg("--voices")
        .arg(&voices)
        .args(["--quiet", "--no-cache"])
        .output()
        .unwrap();
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(
        error.contains("cannot write into the output folder"),
        "{error}"
    );
    assert!(
        !dir.path().join("started").exists(),
        "nothing was synthesized"
    );
}

#[test]
fn text_with_nothing_to_speak_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("dots.txt", "。。。\n"),
        ("dashes.txt", "---\n"),
        ("marks.txt", "\u{301}\u{302}\u{303}\n"),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        let error = common::refused(&[input.as_os_str()]);
        assert!(
            error.contains("holds no text") && error.contains(name),
            "{error}"
        );
    }
}

#[test]
fn a_run_with_nothing_rendered_reports_zero_and_write_failures_name_no_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let input = english_story(dir.path(), "story.txt");
    let out = dir.path().join("out");
    // A folder where the WAV should go: the write fails.
    std::fs::create_dir_all(out.join("01-story.wav").join("x")).unwrap();
    let output = render_tone(dir.path(), &input, &out, &["--no-cache"]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert!(
        error.contains(" 0:00 of audio") && !error.contains("-0"),
        "{error}"
    );
    assert!(
        !error.contains("on the sentence \"01-story.wav\""),
        "{error}"
    );
    let text = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!text.contains("-0.0"), "{text}");
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest["failed"][0]["sentence"], "");
    assert!(manifest["failed"][0]["error"]
        .as_str()
        .unwrap()
        .contains("01-story.wav"));
}

#[test]
fn on_a_full_disk_every_failure_still_reaches_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = tmpfs(dir.path(), "size=4k") else {
        return;
    };
    let input = articles(dir.path(), 3);
    let output = render_tone(dir.path(), &input, &mount.0, &["--no-cache"]);
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{error}");
    assert_eq!(error.matches("Failed: ").count(), 3, "{error}");
    assert!(error.contains("manifest.json"), "{error}");
    assert!(error.contains("No space left on device"), "{error}");
}

#[test]
fn a_clip_whose_header_claims_two_gigabytes_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let input = english_story(dir.path(), "story.txt");
    // A 16-bit mono 48 kHz header claiming 2 GB of samples, in a sparse
    // file that really is 2 GB long: every byte reads as silence.
    let data: u32 = 0x7FFF_0000;
    let mut header = Vec::new();
    header.extend(b"RIFF");
    header.extend((data + 36).to_le_bytes());
    header.extend(b"WAVEfmt ");
    header.extend(16u32.to_le_bytes());
    header.extend(1u16.to_le_bytes());
    header.extend(1u16.to_le_bytes());
    header.extend(48_000u32.to_le_bytes());
    header.extend(96_000u32.to_le_bytes());
    header.extend(2u16.to_le_bytes());
    header.extend(16u16.to_le_bytes());
    header.extend(b"data");
    header.extend(data.to_le_bytes());
    let intro = dir.path().join("intro.wav");
    std::fs::write(&intro, &header).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&intro)
        .unwrap()
        .set_len(u64::from(data) + 44)
        .unwrap();
    let error = common::refused(&[
        input.as_os_str(),
        "--programme".as_ref(),
        "--intro".as_ref(),
        intro.as_os_str(),
    ]);
    assert!(
        error.contains("intro.wav") && error.contains("more than the 600 s a clip may last"),
        "{error}"
    );
}
