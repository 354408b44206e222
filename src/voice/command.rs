//! The `command` engine: any program that turns a text file into a WAV
//! file (flite, festival's text2wave, macOS `say`, Windows SAPI through
//! PowerShell), described in a voice profile.
//!
//! The program runs without a shell, with its arguments as a list. The text
//! travels only in a file (or on standard input), never as an argument, so
//! nothing in a news text can become an option or a command.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::profile::CommandSpec;
use super::{Engine, EngineError, VoiceProfile};
use crate::pcm::Pcm;

/// Runs the program a profile's `[command]` table names.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandEngine;

impl CommandEngine {
    /// The engine name profiles use.
    pub const NAME: &'static str = "command";

    fn spec(profile: &VoiceProfile) -> Result<&CommandSpec, EngineError> {
        profile
            .command
            .as_ref()
            .ok_or_else(|| failed(profile, "the profile has no [command] table"))
    }
}

fn failed(profile: &VoiceProfile, message: impl Into<String>) -> EngineError {
    EngineError::Failed {
        engine: program_name(profile),
        message: message.into(),
    }
}

fn install_hint(spec: &CommandSpec) -> String {
    spec.install
        .clone()
        .unwrap_or_else(|| format!("install {} and put it on PATH", spec.program))
}

fn program_name(profile: &VoiceProfile) -> String {
    profile.command.as_ref().map_or_else(
        || CommandEngine::NAME.to_string(),
        |spec| spec.program.clone(),
    )
}

/// True when `program` can be run: a path that exists, or a name on `PATH`.
fn on_path(program: &str) -> bool {
    if program.contains(std::path::MAIN_SEPARATOR) {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Fills the argument template. Placeholders are replaced by values bulletin
/// made itself (paths in its own temporary folder, profile settings), never
/// by the text being spoken.
fn fill(template: &str, profile: &VoiceProfile, text_file: &Path, out_wav: &Path) -> String {
    template
        .replace("{text_file}", &text_file.to_string_lossy())
        .replace("{out_wav}", &out_wav.to_string_lossy())
        .replace("{voice}", &profile.voice)
        .replace("{rate}", &profile.rate.to_string())
        .replace("{pitch}", &profile.pitch.to_string())
        .replace("{volume}", &profile.volume.to_string())
}

impl Engine for CommandEngine {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let spec = Self::spec(profile)?;
        if on_path(&spec.program) {
            Ok(())
        } else {
            Err(EngineError::NotInstalled {
                engine: spec.program.clone(),
                install: install_hint(spec),
            })
        }
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        let spec = Self::spec(profile)?;
        let folder = tempfile::tempdir().map_err(|error| failed(profile, error.to_string()))?;
        let text_file = folder.path().join("utterance.txt");
        let out_wav = folder.path().join("utterance.wav");
        std::fs::write(&text_file, format!("{input}\n"))
            .map_err(|error| failed(profile, error.to_string()))?;
        let args: Vec<String> = spec
            .args
            .iter()
            .map(|arg| fill(arg, profile, &text_file, &out_wav))
            .collect();
        let mut child = Command::new(&spec.program)
            .args(&args)
            .current_dir(folder.path())
            .stdin(if spec.stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::NotFound => EngineError::NotInstalled {
                    engine: spec.program.clone(),
                    install: install_hint(spec),
                },
                _ => failed(profile, error.to_string()),
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(input.as_bytes());
        }
        let stderr = child.stderr.take();
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut stderr) = stderr {
                let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            }
            text
        });
        let timeout = Duration::from_secs(spec.timeout_s);
        let status = match super::wait_or_kill(&mut child, timeout) {
            Ok(Some(status)) => status,
            Ok(None) => {
                return Err(EngineError::Timeout {
                    engine: spec.program.clone(),
                    seconds: spec.timeout_s,
                })
            }
            Err(error) => return Err(failed(profile, error.to_string())),
        };
        let errors = errors.join().unwrap_or_default();
        if !status.success() {
            return Err(failed(
                profile,
                format!("exited with {status}: {}", errors.trim()),
            ));
        }
        let bytes = std::fs::read(&out_wav)
            .map_err(|_| failed(profile, format!("wrote no WAV file: {}", errors.trim())))?;
        Pcm::from_wav_bytes(&bytes).map_err(|message| failed(profile, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::VoiceSet;

    #[test]
    fn placeholders_are_filled_from_settings_and_paths_only() {
        let voices = VoiceSet::load(None, None).unwrap();
        let profile = voices.get("flite-en").unwrap();
        let filled: Vec<String> = profile
            .command
            .as_ref()
            .unwrap()
            .args
            .iter()
            .map(|arg| {
                fill(
                    arg,
                    profile,
                    Path::new("/t/in.txt"),
                    Path::new("/t/out.wav"),
                )
            })
            .collect();
        assert_eq!(
            filled,
            ["-voice", "slt", "-f", "/t/in.txt", "-o", "/t/out.wav"]
        );
    }

    #[test]
    fn missing_program_says_how_to_install() {
        let voices = VoiceSet::load(None, None).unwrap();
        let mut profile = voices.get("flite-en").unwrap().clone();
        profile.command.as_mut().unwrap().program = "no-such-tts-program".into();
        let error = CommandEngine.check(&profile).unwrap_err().to_string();
        assert!(
            error.contains("no-such-tts-program is not installed")
                && error.contains("apt-get install flite"),
            "{error}"
        );
    }

    #[test]
    fn text_that_looks_like_options_stays_text() {
        // flite is installed by scripts/setup; the text reaches it only in a file.
        let voices = VoiceSet::load(None, None).unwrap();
        let profile = voices.get("flite-en").unwrap();
        let pcm = CommandEngine
            .synthesize(profile, "-o /etc/passwd --help")
            .unwrap();
        assert!(pcm.duration_s() > 0.5, "flite spoke the text");
        assert!(pcm.samples.iter().any(|s| s.abs() > 0.01));
    }
}
