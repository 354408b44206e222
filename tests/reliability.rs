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
