//! espeak-ng, run as one process per utterance.
//!
//! libespeak-ng keeps global state and is not thread-safe, so in-process use
//! means one instance behind a lock, which leaves every other core idle. A
//! process per utterance costs 10–20 ms of start-up but runs on every core
//! at once, survives a crash of the engine, and can be timed out and killed.
//! `benches/engines.sh` measures both; see the README for the figures.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Engine, EngineError, VoiceProfile};
use crate::audio::Pcm;

/// espeak-ng started once per utterance, text on standard input.
#[derive(Debug, Clone, Copy, Default)]
pub struct EspeakProcess;

/// How long one utterance may take before the process is killed.
const TIMEOUT: Duration = Duration::from_secs(60);
const PROGRAM: &str = "espeak-ng";

impl EspeakProcess {
    /// The engine name profiles use.
    pub const NAME: &'static str = "espeak-ng";

    fn not_installed() -> EngineError {
        EngineError::NotInstalled {
            engine: Self::NAME.into(),
            install: "sudo apt-get install espeak-ng".into(),
        }
    }

    fn failed(message: impl Into<String>) -> EngineError {
        EngineError::Failed {
            engine: Self::NAME.into(),
            message: message.into(),
        }
    }
}

impl Engine for EspeakProcess {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let output = Command::new(PROGRAM)
            .arg("--voices")
            .stdin(Stdio::null())
            .output()
            .map_err(|_| Self::not_installed())?;
        let listing = String::from_utf8_lossy(&output.stdout);
        // Columns: Pty Language Age/Gender VoiceName File Other-languages.
        let known = listing.lines().skip(1).any(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            columns.get(1) == Some(&profile.voice.as_str())
                || columns.get(3) == Some(&profile.voice.as_str())
                || columns
                    .get(4)
                    .is_some_and(|file| file.rsplit('/').next() == Some(profile.voice.as_str()))
        });
        if known {
            Ok(())
        } else {
            Err(EngineError::UnknownVoice {
                engine: Self::NAME.into(),
                voice: profile.voice.clone(),
            })
        }
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        // Text travels on standard input as one line, so nothing in it can
        // become an option, and without -m markup is read as plain text.
        let line = input.replace(['\n', '\r'], " ");
        let mut child = Command::new(PROGRAM)
            .args(["-v", &profile.voice])
            .args(["-s", &profile.rate.to_string()])
            .args(["-p", &profile.pitch.to_string()])
            .args(["-a", &profile.volume.to_string()])
            .args(["-b", "1", "--stdout", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::NotFound => Self::not_installed(),
                _ => Self::failed(error.to_string()),
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(line.as_bytes());
            let _ = stdin.write_all(b"\n");
        });
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes).map(|_| bytes)
        });
        let error_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() > TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(EngineError::Timeout {
                        engine: Self::NAME.into(),
                        seconds: TIMEOUT.as_secs(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(error) => return Err(Self::failed(error.to_string())),
            }
        };
        let _ = writer.join();
        let bytes = reader
            .join()
            .map_err(|_| Self::failed("output reader panicked"))?
            .map_err(|error| Self::failed(error.to_string()))?;
        let errors = error_reader.join().unwrap_or_default();
        if !status.success() {
            return Err(Self::failed(format!(
                "exited with {status}: {}",
                errors.trim()
            )));
        }
        Pcm::from_wav_bytes(&bytes)
            .map_err(|message| Self::failed(format!("{message}; {}", errors.trim())))
    }
}
