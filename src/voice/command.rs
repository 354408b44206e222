//! The `command` engine: any program that turns a text file into a WAV
//! file (flite, festival's text2wave, macOS `say`, Windows SAPI through
//! PowerShell), described in a voice profile.
//!
//! The program runs without a shell, with its arguments as a list. The text
//! travels only in a file (or on standard input), never as an argument, so
//! nothing in a news text can become an option or a command.
//!
//! The text file has no name on disk: it is an unnamed file the program
//! inherits and opens as `/dev/fd/3`, so a run killed by any signal leaves
//! no article text behind, and no other user can read it meanwhile. The
//! program's WAV goes to a private (0700) temporary folder.

use std::ffi::{OsStr, OsString};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::profile::CommandSpec;
use super::{Engine, EngineError, VoiceProfile};
use crate::pcm::Pcm;

/// Runs the program a profile's `[command]` table names.
#[derive(Debug, Clone, Default)]
pub struct CommandEngine {
    /// The folders a program name is looked up in, as `PATH` lists them.
    search_path: Option<OsString>,
}

impl CommandEngine {
    /// The engine name profiles use.
    pub const NAME: &'static str = "command";

    /// An engine that looks programs up in `search_path` (`PATH`'s value).
    pub fn new(search_path: Option<OsString>) -> CommandEngine {
        CommandEngine { search_path }
    }

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

/// True when `program` can be run: a path that exists, or a name in one of
/// the folders of `search_path`.
fn on_path(program: &str, search_path: Option<&OsStr>) -> bool {
    if program.contains(std::path::MAIN_SEPARATOR) {
        return Path::new(program).is_file();
    }
    search_path
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
        .replace("{rate}", &profile.words_per_minute.to_string())
        .replace("{pitch}", &profile.pitch.to_string())
        .replace("{volume}", &profile.volume.to_string())
}

impl Engine for CommandEngine {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let spec = Self::spec(profile)?;
        if on_path(&spec.program, self.search_path.as_deref()) {
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
        let io_failed = |error: std::io::Error| failed(profile, error.to_string());
        let mut builder = tempfile::Builder::new();
        builder.prefix(".bulletin-command-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let folder = builder.tempdir().map_err(io_failed)?;
        let out_wav = folder.path().join("utterance.wav");
        let text = UnnamedText::new(folder.path(), input).map_err(io_failed)?;
        let args: Vec<String> = spec
            .args
            .iter()
            .map(|arg| fill(arg, profile, &text.path, &out_wav))
            .collect();
        let mut command = Command::new(&spec.program);
        command
            .args(&args)
            .current_dir(folder.path())
            .stdin(if spec.stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        text.pass_to(&mut command);
        let mut child = command.spawn().map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => EngineError::NotInstalled {
                engine: spec.program.clone(),
                install: install_hint(spec),
            },
            _ => io_failed(error),
        })?;
        drop(text);
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

/// The text of one utterance in a file with no name, which the program
/// inherits as descriptor 3 and opens as `/dev/fd/3`. The kernel frees it
/// when the last descriptor closes, however the run ends. (Elsewhere than
/// Unix it is `utterance.txt` in the private folder.)
struct UnnamedText {
    file: std::fs::File,
    /// Where the program opens it.
    path: PathBuf,
}

#[cfg(unix)]
impl UnnamedText {
    /// The descriptor the program finds the text on.
    const FD: i32 = 3;

    fn new(folder: &Path, input: &str) -> std::io::Result<UnnamedText> {
        let mut file = tempfile::tempfile_in(folder)?;
        writeln!(file, "{input}")?;
        file.rewind()?;
        let path = PathBuf::from(format!("/dev/fd/{}", Self::FD));
        Ok(UnnamedText { file, path })
    }

    /// Makes the child start with the file open as descriptor 3.
    fn pass_to(&self, command: &mut Command) {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let fd = self.file.as_raw_fd();
        // SAFETY: between fork and exec the closure calls only dup2 and
        // fcntl, which are async-signal-safe, and allocates nothing.
        unsafe {
            command.pre_exec(move || {
                if fd == Self::FD {
                    // dup2 onto itself keeps close-on-exec; clear it.
                    if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                        return Err(std::io::Error::last_os_error());
                    }
                } else if libc::dup2(fd, Self::FD) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
}

#[cfg(not(unix))]
impl UnnamedText {
    fn new(folder: &Path, input: &str) -> std::io::Result<UnnamedText> {
        let path = folder.join("utterance.txt");
        let mut file = std::fs::File::create(&path)?;
        writeln!(file, "{input}")?;
        file.rewind()?;
        Ok(UnnamedText { file, path })
    }

    fn pass_to(&self, _command: &mut Command) {}
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
        let engine = CommandEngine::new(Some("/usr/local/bin:/usr/bin:/bin".into()));
        let error = engine.check(&profile).unwrap_err().to_string();
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
        let pcm = CommandEngine::default()
            .synthesize(profile, "-o /etc/passwd --help")
            .unwrap();
        assert!(pcm.duration_s() > 0.5, "flite spoke the text");
        assert!(pcm.samples.iter().any(|s| s.abs() > 0.01));
    }
}
