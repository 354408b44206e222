//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The real sample page: a page of a Chinese daily, as extracted from PDF.
pub const SAMPLE_PAGE: &str = "tests/fixtures/page_zh_daily_pdf_extract.txt";

/// The bulletin binary, run from the repository root.
pub fn bulletin() -> Command {
    let mut command = Command::cargo_bin("bulletin").expect("binary is built");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// A fixture's path from the repository root.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `plan --json` and parses the result.
pub fn plan_json(inputs: &[&Path]) -> serde_json::Value {
    let output = bulletin()
        .arg("plan")
        .args(inputs)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Reads a WAV's samples as f32 in -1..1, with its rate.
pub fn read_wav(path: &Path) -> (u32, Vec<f32>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let rate = reader.spec().sample_rate;
    let samples = reader
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    (rate, samples)
}

/// Root mean square of a stretch of samples.
pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
}

/// The files in a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Each article's title and sentence texts, from a plan or manifest.
pub fn titles_and_sentences(plan: &serde_json::Value) -> Vec<(Option<String>, Vec<String>)> {
    plan["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|article| {
            let title = article["title"].as_str().map(str::to_string);
            let sentences = article["sentences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["text"].as_str().unwrap().to_string())
                .collect();
            (title, sentences)
        })
        .collect()
}

/// Runs `render` with these arguments into a fresh folder, expects it to be
/// refused as bad input (exit 2) with nothing written, and gives the error.
pub fn refused(args: &[&std::ffi::OsStr]) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .arg("render")
        .args(args)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let error = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{error}");
    assert!(files_in(out.path()).is_empty(), "nothing is written");
    error
}
