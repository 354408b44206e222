//! Live listening through the system's speech service (speech-dispatcher,
//! installed by scripts/setup). Each test that needs a service runs its own
//! private speech-dispatcher, with its own config and socket, and stops it
//! afterwards.
#![cfg(feature = "speak")]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::bulletin;

/// A speech-dispatcher of the test's own, on its own socket, stopped (with
/// its output modules) when dropped.
struct PrivateService {
    child: Child,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl PrivateService {
    /// Plays into ALSA's null device: speech is made and its end reported,
    /// as on a machine with sound, but nothing is heard.
    fn playing() -> Self {
        Self::start(
            "AudioOutputMethod \"alsa\"\nAudioALSADevice \"null\"\n",
            &[],
        )
    }

    /// Plays to a `PulseAudio` server that is not there, like the default
    /// configuration on a machine without sound: no end is ever reported.
    fn without_sound() -> Self {
        Self::start(
            "AudioOutputMethod \"pulse\"\n",
            &[("PULSE_SERVER", "unix:/nonexistent/pulse/native")],
        )
    }

    fn start(config: &str, env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("conf");
        let logs = dir.path().join("log");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(conf.join("speechd.conf"), config).unwrap();
        let socket = dir.path().join("speechd.sock");
        let child = std::process::Command::new("speech-dispatcher")
            .args(["-s", "-t", "60", "-c", "unix_socket"])
            .arg("-C")
            .arg(&conf)
            .arg("-S")
            .arg(&socket)
            .arg("-P")
            .arg(dir.path().join("speechd.pid"))
            .arg("-L")
            .arg(&logs)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("speech-dispatcher is installed by scripts/setup");
        let service = Self {
            child,
            socket,
            _dir: dir,
        };
        let started = Instant::now();
        while !service.socket.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "speech-dispatcher did not open its socket"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        service
    }

    /// The `SPEECHD_ADDRESS` that reaches it.
    fn address(&self) -> String {
        format!("unix_socket:{}", self.socket.display())
    }

    /// Runs `bulletin speak` on `text` through this service; returns what it
    /// printed and how long it took.
    fn speak(&self, text: &str) -> (std::process::Output, Duration) {
        let dir = tempfile::tempdir().unwrap();
        let text = story(dir.path(), text);
        let started = Instant::now();
        let output = bulletin()
            .env("SPEECHD_ADDRESS", self.address())
            .arg("speak")
            .arg(&text)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        (output, started.elapsed())
    }
}

impl Drop for PrivateService {
    fn drop(&mut self) {
        // SIGTERM, so it stops its output modules too.
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn story(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("story.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn without_a_speech_service_it_says_so_and_exits_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let text = story(dir.path(), "Hello there.");
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
fn two_sentences_finish_in_under_5_s_where_the_service_plays() {
    let (output, took) = PrivateService::playing().speak("It rained. It snowed.");
    common::assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Article 1 of 1\nIt rained.\nIt snowed.\n"
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn speaks_each_sentence_in_order_and_exits_cleanly() {
    let (output, _) = PrivateService::playing().speak("Short news\n\nIt rained. 好。");
    common::assert_success(&output);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Article 1 of 1: Short news\nIt rained.\n好。\n"
    );
}

/// Regression: on a machine without sound, speech-dispatcher never reported
/// the end of a sentence and `speak` waited out each sentence's worst case
/// (26 s for two short sentences), saying nothing.
#[test]
fn a_service_without_sound_is_named_once_within_seconds_not_waited_out() {
    let (output, took) = PrivateService::without_sound().speak("It rained. It snowed.");
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert_eq!(error.matches("cannot play").count(), 1, "{error}");
    assert!(
        error.contains("did not say it had finished") && error.contains("AudioOutputMethod"),
        "{error}"
    );
    // Given up on the first sentence: about 1 s of speech plus 2 s.
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Article 1 of 1\nIt rained.\n"
    );
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[test]
fn from_past_the_last_article_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let text = story(dir.path(), "It rained.");
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
    let service = PrivateService::playing();
    let dir = tempfile::tempdir().unwrap();
    let sentences = 600;
    let long = (1..=sentences).fold(String::new(), |mut long, n| {
        let _ = write!(long, "This is sentence {n} of a long story. ");
        long
    });
    let text = story(dir.path(), &long);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("bulletin"))
        .env("SPEECHD_ADDRESS", service.address())
        .arg("speak")
        .arg(&text)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
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
    assert!(status.success(), "{status:?}");
    let mut shown = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut shown).unwrap();
    let lines = shown.lines().count();
    assert!(
        (2..sentences).contains(&lines),
        "stopped midway, not before the first sentence or after the last: {lines} lines"
    );
}
