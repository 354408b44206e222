//! Live listening through the system's speech service (speech-dispatcher,
//! installed by scripts/setup). Each test runs its own private service and
//! stops it afterwards, so no speech-dispatcher is left running.
#![cfg(feature = "speak")]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::bulletin;

/// Stops the speech-dispatcher that a test's private runtime folder holds.
fn stop_private_service(runtime: &Path) {
    let pid_file = runtime.join("speech-dispatcher/pid/speech-dispatcher.pid");
    if let Ok(pid) = std::fs::read_to_string(pid_file) {
        let _ = std::process::Command::new("kill").arg(pid.trim()).status();
    }
    // Whatever else was started on this test's private socket.
    let socket = runtime.join("speech-dispatcher/speechd.sock");
    let _ = std::process::Command::new("pkill")
        .arg("-f")
        .arg(socket)
        .status();
}

#[test]
fn without_a_speech_service_it_says_so_and_exits_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("story.txt");
    std::fs::write(&text, "Hello there.").unwrap();
    let started = Instant::now();
    let output = bulletin()
        .env("SPEECHD_ADDRESS", "unix_socket:/nonexistent/speechd.sock")
        .arg("speak")
        .arg(&text)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(15));
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("no speech service") && error.contains("apt-get install speech-dispatcher"),
        "{error}"
    );
}

#[test]
fn speaks_each_sentence_in_order_and_exits_cleanly() {
    let runtime = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("story.txt");
    std::fs::write(&text, "Short news\n\nIt rained. 好。").unwrap();
    let output = bulletin()
        .env("XDG_RUNTIME_DIR", runtime.path())
        .arg("speak")
        .arg(&text)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    stop_private_service(runtime.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Article 1 of 1: Short news\nIt rained.\n好。\n"
    );
}

#[test]
fn from_past_the_last_article_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("story.txt");
    std::fs::write(&text, "It rained.").unwrap();
    let output = bulletin()
        .arg("speak")
        .arg(&text)
        .args(["--from", "4"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("--from 4 is past the last article (1 articles)"));
}

#[test]
fn ctrl_c_stops_cleanly() {
    let runtime = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("long.txt");
    std::fs::write(&text, "This is a long story that goes on. ".repeat(20)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bulletin"))
        .env("XDG_RUNTIME_DIR", runtime.path())
        .arg("speak")
        .arg(&text)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "speak did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    stop_private_service(runtime.path());
    assert!(status.success(), "{status:?}");
}
