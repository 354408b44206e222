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

/// Fails the test with the program's error output unless it succeeded.
pub fn assert_success(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `render` on `inputs` into `out` with `extra` arguments, checks that
/// it succeeded with one summary line, and returns the manifest.
pub fn render(inputs: &[&Path], out: &Path, extra: &[&str]) -> serde_json::Value {
    let output = bulletin()
        .arg("render")
        .args(inputs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .output()
        .unwrap();
    assert_success(&output);
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.starts_with("Rendered "),
        "one summary line: {summary}"
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// Runs `plan --json` and parses the result.
pub fn plan_json(inputs: &[&Path]) -> serde_json::Value {
    let output = bulletin()
        .arg("plan")
        .args(inputs)
        .arg("--json")
        .output()
        .unwrap();
    assert_success(&output);
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Reads a WAV's samples (16- or 24-bit mono PCM) as f32 in -1..1, with
/// its rate.
pub fn read_wav(path: &Path) -> (u32, Vec<f32>) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    assert_eq!(spec.channels, 1, "{}", path.display());
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    let scale = 1.0 / f64::from(1u32 << (spec.bits_per_sample - 1));
    let samples = reader
        .samples::<i32>()
        .map(|s| (f64::from(s.unwrap()) * scale) as f32)
        .collect();
    (spec.sample_rate, samples)
}

/// Integrated loudness (LUFS) and true peak (dBTP) of mono samples, per
/// the `ebur128` crate.
pub fn loudness(samples: &[f32], rate: u32) -> (f64, f64) {
    let mode = ebur128::Mode::I | ebur128::Mode::TRUE_PEAK;
    let mut meter = ebur128::EbuR128::new(1, rate, mode).unwrap();
    meter.add_frames_f32(samples).unwrap();
    (
        meter.loudness_global().unwrap(),
        20.0 * meter.true_peak(0).unwrap().log10(),
    )
}

/// Integrated loudness and true peak as ffmpeg's `ebur128` filter measures
/// them, when ffmpeg is installed.
pub fn ffmpeg_loudness(path: &Path) -> Option<(f64, f64)> {
    let output = std::process::Command::new("ffmpeg")
        .args(["-nostats", "-hide_banner", "-i"])
        .arg(path)
        .args(["-af", "ebur128=peak=true", "-f", "null", "-"])
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "ffmpeg failed on {}",
        path.display()
    );
    let log = String::from_utf8_lossy(&output.stderr);
    let summary = &log[log.rfind("Summary:").expect("ffmpeg prints a summary")..];
    let value = |label: &str| -> f64 {
        let line = summary
            .lines()
            .find(|line| line.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in {summary}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    Some((value("I:"), value("Peak:")))
}

/// The chunks of a RIFF/WAVE file in order, as (id, body).
pub fn riff_chunks(bytes: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
    assert_eq!(&bytes[0..4], b"RIFF");
    let riff_size = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff_size, bytes.len() - 8, "RIFF size");
    assert_eq!(&bytes[8..12], b"WAVE");
    let mut chunks = Vec::new();
    let mut at = 12;
    while at < bytes.len() {
        let id: [u8; 4] = bytes[at..at + 4].try_into().unwrap();
        let size = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        chunks.push((id, bytes[at + 8..at + 8 + size].to_vec()));
        at += 8 + size + size % 2;
    }
    assert_eq!(at, bytes.len(), "chunks fill the file");
    chunks
}

/// A NUL-padded text field.
pub fn field(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    String::from_utf8(bytes[..end].to_vec()).unwrap()
}

/// One subtitle cue: start and end in milliseconds, and its text.
pub type Cue = (u64, u64, String);

/// Parses `SubRip` (`,` before milliseconds, numbered cues) or `WebVTT` (a
/// `WEBVTT` header, `.` before milliseconds), checking the structure.
pub fn parse_subtitles(text: &str, vtt: bool) -> Vec<Cue> {
    let mut blocks = text.split("\n\n").filter(|b| !b.trim().is_empty());
    if vtt {
        assert_eq!(blocks.next(), Some("WEBVTT"));
    }
    let separator = if vtt { '.' } else { ',' };
    let time = |stamp: &str| -> u64 {
        let (clock, ms) = stamp.split_once(separator).expect("milliseconds");
        let parts: Vec<u64> = clock.split(':').map(|p| p.parse().unwrap()).collect();
        assert_eq!((parts.len(), ms.len()), (3, 3), "{stamp}");
        ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + ms.parse::<u64>().unwrap()
    };
    blocks
        .enumerate()
        .map(|(index, block)| {
            let lines: Vec<&str> = block.lines().collect();
            assert_eq!(lines.len(), 3, "{block}");
            assert_eq!(lines[0], (index + 1).to_string());
            let (start, end) = lines[1].split_once(" --> ").unwrap();
            let text = if vtt {
                lines[2]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            } else {
                lines[2].to_string()
            };
            (time(start), time(end), text)
        })
        .collect()
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

/// Voice profiles that use the deterministic tone engine, each with the
/// `extra` TOML lines.
pub fn tone_voices(dir: &Path, extra: &str) -> PathBuf {
    let voices = dir.join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    for (name, lang) in [("zh-cn", "zh"), ("en-us", "en")] {
        std::fs::write(
            voices.join(format!("{name}.toml")),
            format!("engine = \"tone\"\nvoice = \"tone\"\nlanguage = \"{lang}\"\n{extra}"),
        )
        .unwrap();
    }
    voices
}

/// Runs `bulletin render` with `args` and kills it (SIGKILL) after `after`,
/// as a crash or a scheduler would.
pub fn render_killed_after(args: &[&std::ffi::OsStr], after: std::time::Duration) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bulletin"))
        .arg("render")
        .args(args)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}
