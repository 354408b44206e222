//! Piper voices on the command line: listed, found when dropped in, and
//! missing pieces reported with the way to install them.

mod common;

use std::path::PathBuf;

use common::{bulletin, files_in, fixture};

/// Where `scripts/setup` puts the joe voice.
fn installed_joe() -> PathBuf {
    bulletin::config::Environment::read()
        .engines()
        .piper_models
        .expect("HOME is set")
        .join("en_US-joe-medium.onnx")
}

fn voices_listing(command: &mut assert_cmd::Command, args: &[&std::ffi::OsStr]) -> String {
    let output = command.arg("voices").args(args).output().unwrap();
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn line_of<'a>(listing: &'a str, name: &str) -> &'a str {
    listing
        .lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} in:\n{listing}"))
}

#[test]
fn voices_lists_en_us_joe_as_usable_after_setup() {
    let listing = voices_listing(&mut bulletin(), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(line.contains(" piper "), "{line}");
    assert!(
        line.ends_with("usable"),
        "run scripts/setup to install ONNX Runtime and the joe voice:\n{line}"
    );
}

#[cfg(unix)]
#[test]
fn a_piper_voice_dropped_into_the_voices_folder_becomes_a_profile() {
    let model = installed_joe();
    assert!(
        model.is_file(),
        "{} is missing; run scripts/setup",
        model.display()
    );
    let dir = tempfile::tempdir().unwrap();
    for suffix in ["", ".json"] {
        let mut from = model.clone().into_os_string();
        from.push(suffix);
        let to = dir.path().join(format!("en_US-joe-medium.onnx{suffix}"));
        std::os::unix::fs::symlink(&from, to).unwrap();
    }
    let listing = voices_listing(
        &mut bulletin(),
        &["--voices".as_ref(), dir.path().as_os_str()],
    );
    let line = line_of(&listing, "en_US-joe-medium");
    assert!(
        line.contains(" en ") && line.contains("piper") && line.ends_with("usable"),
        "{line}"
    );
}

#[test]
fn missing_runtime_says_how_to_install_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .args(["render", "--voice", "en-us-joe", "--out"])
        .arg(out.path())
        .arg(fixture("article_en_with_headline.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("ONNX Runtime")
            && error.contains("/nonexistent/libonnxruntime.so")
            && error.contains("scripts/setup"),
        "{error}"
    );
    assert!(files_in(out.path()).is_empty());
}

#[test]
fn missing_model_says_where_it_looked_and_how_to_install() {
    let models = tempfile::tempdir().unwrap();
    let listing = voices_listing(bulletin().env("BULLETIN_MODELS", models.path()), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(
        line.contains("not usable")
            && line.contains("en_US-joe-medium.onnx")
            && line.contains(&models.path().display().to_string())
            && line.contains("scripts/setup"),
        "{line}"
    );
}

#[test]
fn a_runtime_that_is_not_onnx_runtime_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("libonnxruntime.so");
    std::fs::write(&fake, b"not a library").unwrap();
    let listing = voices_listing(bulletin().env("ORT_DYLIB_PATH", &fake), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(
        line.contains("not a usable ONNX Runtime library") && line.contains("scripts/setup"),
        "{line}"
    );
}
