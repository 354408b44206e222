//! The plain, already-merged settings a bulletin run uses.
//!
//! Precedence, lowest first: built-in defaults < the voice profile's own
//! settings (rate, pitch, pauses) < command-line flags. Pauses are merged
//! per article: [`PauseOverrides::over`] the reading voice's profile. The
//! CLI builds this once; the library never sees clap types.

use std::path::PathBuf;

use crate::audio::Target;
use crate::voice::Pauses;

/// Where input text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A file, or a folder whose `.txt`/`.md` files are read in name order.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

/// Settings for `plan` and `render`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Inputs in the order given.
    pub inputs: Vec<InputSource>,
    /// Folder for WAVs and `manifest.json`.
    pub out_dir: PathBuf,
    /// A profile name to use for its language instead of the default one.
    pub voice: Option<String>,
    /// Folder of voice profiles that overrides the built-in ones.
    pub voices_dir: Option<PathBuf>,
    /// Upper bound on parallel synthesis jobs; `None` means one per core.
    pub jobs: Option<usize>,
    /// Hide progress bars (the final summary line is still printed).
    pub quiet: bool,
    /// How the audio is made and written.
    pub audio: AudioConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            inputs: Vec::new(),
            out_dir: PathBuf::from("output"),
            voice: None,
            voices_dir: None,
            jobs: None,
            quiet: false,
            audio: AudioConfig::default(),
        }
    }
}

/// Settings of the audio stage: rate, loudness, pauses, file format and the
/// programme.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioConfig {
    /// The bulletin rate every engine's output is resampled to: 48000 or
    /// 44100.
    pub rate: u32,
    /// Bits per sample of the WAVs: 16 or 24.
    pub bits: u16,
    /// Integrated loudness and true-peak ceiling of every output.
    pub target: Target,
    /// Pauses set on the command line, over the voice profile's.
    pub pauses: PauseOverrides,
    /// Also write the whole programme, when set.
    pub programme: Option<ProgrammeConfig>,
}

impl Default for AudioConfig {
    fn default() -> Self {
        Self {
            rate: 48_000,
            bits: 16,
            target: Target::default(),
            pauses: PauseOverrides::default(),
            programme: None,
        }
    }
}

/// Pauses in milliseconds that replace the voice profile's when set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PauseOverrides {
    /// Between two sentences of a paragraph.
    pub sentence_ms: Option<u32>,
    /// After the headline.
    pub headline_ms: Option<u32>,
    /// Between two paragraphs.
    pub paragraph_ms: Option<u32>,
}

impl PauseOverrides {
    /// The profile's pauses with these put over them.
    pub fn over(self, profile: Pauses) -> Pauses {
        Pauses {
            sentence_ms: self.sentence_ms.unwrap_or(profile.sentence_ms),
            headline_ms: self.headline_ms.unwrap_or(profile.headline_ms),
            paragraph_ms: self.paragraph_ms.unwrap_or(profile.paragraph_ms),
        }
    }
}

/// The clips around and between the articles of the programme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeConfig {
    /// WAV played first.
    pub intro: Option<PathBuf>,
    /// WAV played between two articles.
    pub sting: Option<PathBuf>,
    /// WAV played last.
    pub outro: Option<PathBuf>,
}

/// The longest pause accepted, in milliseconds.
const MAX_PAUSE_MS: f64 = 60_000.0;

/// Reads a pause such as `350ms` or `0.35s` as whole milliseconds.
pub fn parse_pause(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let (number, scale) = if let Some(number) = text.strip_suffix("ms") {
        (number, 1.0)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1000.0)
    } else {
        return Err(format!(
            "{text:?} has no unit; write milliseconds or seconds, such as 350ms or 0.35s"
        ));
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 350ms or 0.35s"))?;
    let ms = value * scale;
    if !(0.0..=MAX_PAUSE_MS).contains(&ms) {
        return Err(format!("{text:?} is not between 0 and 60 s"));
    }
    Ok(ms.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_read_in_milliseconds_or_seconds() {
        let cases = [
            ("350ms", Ok(350)),
            ("0.35s", Ok(350)),
            ("1s", Ok(1000)),
            (" 800 ms ", Ok(800)),
            ("0ms", Ok(0)),
            ("0.0005s", Ok(1)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_pause(text), expected, "{text}");
        }
        for bad in ["350", "fast", "-1s", "2min", "61s", "NaNs", "ms"] {
            assert!(parse_pause(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_override_the_profile_pause_by_pause() {
        let profile = Pauses {
            sentence_ms: 350,
            headline_ms: 800,
            paragraph_ms: 600,
        };
        let flags = PauseOverrides {
            sentence_ms: Some(200),
            ..PauseOverrides::default()
        };
        assert_eq!(
            flags.over(profile),
            Pauses {
                sentence_ms: 200,
                ..profile
            }
        );
    }
}
