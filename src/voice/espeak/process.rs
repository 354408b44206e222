//! espeak-ng, run as one `espeak-ng` process per utterance.
//!
//! Needs only the `espeak-ng` program, and survives anything the engine
//! does, but pays its start-up for every utterance; kept for comparison and
//! as a fallback (`BULLETIN_ESPEAK_MODE=process`).

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{failed, not_installed, one_line, DEFAULT_TIMEOUT};
use crate::audio::Pcm;
use crate::voice::{Engine, EngineError, VoiceProfile};

/// espeak-ng started once per utterance, text on standard input.
#[derive(Debug, Clone, Copy, Default)]
pub struct EspeakProcess;

const PROGRAM: &str = "espeak-ng";

impl EspeakProcess {
    /// The engine name profiles use, whatever the mode.
    pub const NAME: &'static str = "espeak-ng";
}

impl Engine for EspeakProcess {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn version(&self) -> String {
        super::version("process")
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let output = Command::new(PROGRAM)
            .arg("--voices")
            .stdin(Stdio::null())
            .output()
            .map_err(|_| not_installed())?;
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
        let line = one_line(input);
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
                std::io::ErrorKind::NotFound => not_installed(),
                _ => failed(error.to_string()),
            })?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(line.as_bytes());
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
                Ok(None) if started.elapsed() > DEFAULT_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(EngineError::Timeout {
                        engine: Self::NAME.into(),
                        seconds: DEFAULT_TIMEOUT.as_secs(),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(error) => return Err(failed(error.to_string())),
            }
        };
        let _ = writer.join();
        let bytes = reader
            .join()
            .map_err(|_| failed("output reader panicked"))?
            .map_err(|error| failed(error.to_string()))?;
        let errors = error_reader.join().unwrap_or_default();
        if !status.success() {
            return Err(failed(format!("exited with {status}: {}", errors.trim())));
        }
        Pcm::from_wav_bytes(&bytes)
            .map_err(|message| failed(format!("{message}; {}", errors.trim())))
    }
}
