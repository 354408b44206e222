//! The streaming audio stage under faults: a full disk, a killed run, and
//! where its spill file lives while it runs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{bulletin, files_in, fixture, SAMPLE_PAGE};

/// The extension of a file name, if it has one.
fn extension(file: &str) -> &str {
    Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
}

/// One article of a few minutes: the English wire story's text as one
/// Markdown article.
fn one_article(dir: &Path) -> PathBuf {
    let text =
        std::fs::read_to_string(fixture("page_en_wire_headlines_before_bodies.txt")).unwrap();
    let path = dir.join("story.md");
    std::fs::write(&path, format!("# Story\n\n{text}\n")).unwrap();
    path
}

/// Mounts a tmpfs of `bytes` at `at`, or says why it cannot.
fn mount_tmpfs(at: &Path, bytes: u64) -> Result<(), String> {
    std::fs::create_dir_all(at).unwrap();
    let output = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
        .arg("tmpfs")
        .arg(at)
        .output()
        .map_err(|e| format!("cannot run mount: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn unmount(at: &Path) {
    let _ = Command::new("umount").arg(at).status();
}

fn render_into(input: &Path, out: &Path) -> std::process::Output {
    bulletin()
        .args(["render", "--quiet", "--no-cache", "--out"])
        .arg(out)
        .arg(input)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_during_the_spill_or_the_write_leaves_no_wav_names_the_file_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let input = one_article(dir.path());
    let reference = dir.path().join("reference");
    let output = render_into(&input, &reference);
    common::assert_success(&output);
    let wav = files_in(&reference)
        .into_iter()
        .find(|f| extension(f) == "wav")
        .unwrap();
    let wav_bytes = std::fs::metadata(reference.join(&wav)).unwrap().len();
    // The spill holds f32 samples, twice the 16-bit WAV: a disk of a tenth
    // of the WAV fills during the spill; one of 2.4 WAVs holds the spill
    // but not the spill and the WAV together.
    for (when, size) in [("spill", wav_bytes / 10), ("write", wav_bytes * 12 / 5)] {
        let out = dir.path().join(format!("full-{when}"));
        if let Err(why) = mount_tmpfs(&out, size) {
            eprintln!("skipped: cannot mount a small tmpfs ({})", why.trim());
            return;
        }
        let output = render_into(&input, &out);
        let files = files_in(&out);
        unmount(&out);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{when}: {stderr}");
        assert!(
            stderr.contains(&wav) && stderr.contains("No space left on device"),
            "{when}: {stderr}"
        );
        assert!(
            files.iter().all(|f| !f.contains(".wav")),
            "{when}: {files:?}"
        );
    }
}

/// The spill files a running process holds open in `folder`: open, and
/// named nowhere.
fn spills_held(pid: u32, folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .map(|target| target.to_string_lossy().into_owned())
        .filter(|target| target.starts_with(&*folder.to_string_lossy()))
        // The folder's lock file is held open too, and is no spill.
        .filter(|target| !target.ends_with(".bulletin.lock"))
        .collect()
}

#[test]
fn a_killed_run_leaves_no_spill_and_its_rerun_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE_PAGE);
    let clean = dir.path().join("clean");
    common::assert_success(&render_into(&page, &clean));

    for signal in ["INT", "KILL"] {
        let out = dir.path().join(format!("killed-{signal}"));
        std::fs::create_dir_all(&out).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_bulletin"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["render", "--quiet", "--no-cache", "--out"])
            .arg(&out)
            .arg(&page)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until a spill is open: in the output folder, with no name.
        let started = Instant::now();
        let held = loop {
            let held = spills_held(child.id(), &out);
            if !held.is_empty() || started.elapsed() > Duration::from_secs(60) {
                break held;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(!held.is_empty(), "no spill seen");
        assert!(held.iter().all(|t| t.ends_with("(deleted)")), "{held:?}");
        let status = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let _ = child.wait().unwrap();
        // Nothing of the spill is left; only finished files (and perhaps a
        // partial one, for the next run to clean up), and the folder's lock
        // file, which a killed run leaves unlocked.
        for file in files_in(&out).iter().filter(|f| *f != ".bulletin.lock") {
            assert!(
                ["wav", "srt", "vtt", "partial"].contains(&extension(file)),
                "{signal}: {file}"
            );
        }
        common::assert_success(&render_into(&page, &out));
        assert_eq!(files_in(&out), files_in(&clean), "{signal}");
        for file in files_in(&clean) {
            if ["wav", "srt", "vtt"].contains(&extension(&file)) {
                let same = std::fs::read(out.join(&file)).unwrap()
                    == std::fs::read(clean.join(&file)).unwrap();
                assert!(same, "{signal}: {file} differs after the rerun");
            }
        }
    }
}
