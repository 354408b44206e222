//! espeak-ng, run as one `espeak-ng` process per utterance (and per text
//! phonemized for a Piper voice).
//!
//! Needs only the `espeak-ng` program, and survives anything the engine
//! does, but pays its start-up for every utterance; kept for comparison and
//! as a fallback (`BULLETIN_ESPEAK_MODE=process`).

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use super::{failed, not_installed, one_line, Phonemizer, DEFAULT_TIMEOUT};
use crate::pcm::Pcm;
use crate::voice::{wait_or_kill, Engine, EngineError, VoiceProfile};

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
        let rate = profile.rate.to_string();
        let pitch = profile.pitch.to_string();
        let volume = profile.volume.to_string();
        let (bytes, errors) = run(
            &[
                "-v",
                &profile.voice,
                "-s",
                &rate,
                "-p",
                &pitch,
                "-a",
                &volume,
                "-b",
                "1",
                "--stdout",
                "--stdin",
            ],
            input,
        )?;
        Pcm::from_wav_bytes(&bytes).map_err(|message| failed(format!("{message}; {errors}")))
    }
}

impl Phonemizer for EspeakProcess {
    fn phonemes(&self, voice: &str, text: &str) -> Result<Vec<String>, EngineError> {
        let (bytes, _) = run(&["-q", "--ipa", "-v", voice], text)?;
        Ok(String::from_utf8_lossy(&bytes)
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect())
    }
}

/// Runs `espeak-ng` with `args` and `input` on standard input as one line,
/// so nothing in it can become an option, and without -m markup is read as
/// plain text. Returns standard output and what it said on standard error;
/// a failed run or one past the timeout is an error.
fn run(args: &[&str], input: &str) -> Result<(Vec<u8>, String), EngineError> {
    let line = one_line(input);
    let mut child = Command::new(PROGRAM)
        .args(args)
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
    let status = match wait_or_kill(&mut child, DEFAULT_TIMEOUT) {
        Ok(Some(status)) => status,
        Ok(None) => {
            return Err(EngineError::Timeout {
                engine: EspeakProcess::NAME.into(),
                seconds: DEFAULT_TIMEOUT.as_secs(),
            })
        }
        Err(error) => return Err(failed(error.to_string())),
    };
    let _ = writer.join();
    let bytes = reader
        .join()
        .map_err(|_| failed("output reader panicked"))?
        .map_err(|error| failed(error.to_string()))?;
    let errors = error_reader.join().unwrap_or_default().trim().to_string();
    if !status.success() {
        return Err(failed(format!("exited with {status}: {errors}")));
    }
    Ok((bytes, errors))
}
