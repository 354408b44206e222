//! Voices: the profiles in `voices/*.toml` and the engines that speak them.
//!
//! Every engine sits behind the [`Engine`] trait, one file per engine, and
//! turns one utterance into PCM samples.

mod command;
pub mod engines;
pub mod espeak;
pub mod piper;
pub mod profile;
mod tone;

pub use command::CommandEngine;
pub use engines::{Engines, ReadyError, UtteranceStore};
pub use espeak::{EspeakLibrary, EspeakProcess, EspeakWorkers};
pub use piper::Piper;
pub use profile::{CommandSpec, Pauses, ProfileError, Speaker, VoiceProfile, VoiceSet};
pub use tone::ToneEngine;

use crate::pcm::Pcm;

/// Why an engine could not speak.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    /// The engine's program or library is not on this machine.
    #[error("{engine} is not installed; {install}")]
    NotInstalled {
        /// The engine's name.
        engine: String,
        /// How to install it, as a sentence ("install it with: …").
        install: String,
    },
    /// The engine does not know the voice a profile names.
    #[error("{engine} has no voice named {voice:?}")]
    UnknownVoice {
        /// The engine's name.
        engine: String,
        /// The voice name from the profile.
        voice: String,
    },
    /// The engine ran but failed on this input.
    #[error("{engine} failed: {message}")]
    Failed {
        /// The engine's name.
        engine: String,
        /// What went wrong, in the engine's words where it gave any.
        message: String,
    },
    /// The engine took longer than its timeout.
    #[error("{engine} gave no result within {seconds} s")]
    Timeout {
        /// The engine's name.
        engine: String,
        /// The timeout that ran out.
        seconds: u64,
    },
}

impl EngineError {
    /// The one retry policy: an utterance is tried a second time only when
    /// the engine ran and failed, which a second run may not. A missing
    /// engine or voice fails again the same way, and an utterance that ran
    /// out of time would cost its timeout again.
    pub fn worth_retrying(&self) -> bool {
        matches!(self, EngineError::Failed { .. })
    }
}

/// A speech engine: turns one utterance into audio.
pub trait Engine: Send + Sync {
    /// The engine's name as written in voice profiles.
    fn name(&self) -> &'static str;

    /// The engine's version, part of every cache key so that an upgrade
    /// never reuses audio made by the old version.
    fn version(&self) -> String {
        String::new()
    }

    /// Checks that the engine can speak with this profile on this machine.
    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError>;

    /// Speaks one utterance. `input` is exactly what the plan shows as the
    /// engine input; it is data, never an option or markup.
    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError>;
}

/// Waits for an engine's program to end, at most `timeout`; `None` when
/// it took longer and was killed.
fn wait_or_kill(
    child: &mut std::process::Child,
    timeout: std::time::Duration,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// The engine a profile names; for espeak-ng, and for the phonemes of
/// Piper voices, in the mode `espeak_mode` (the value of
/// `BULLETIN_ESPEAK_MODE`) picks (see [`espeak`]).
pub fn engine_for(
    profile: &VoiceProfile,
    espeak_mode: Option<&str>,
) -> Result<Box<dyn Engine>, ProfileError> {
    match profile.engine.as_str() {
        EspeakProcess::NAME => espeak::Mode::parse(espeak_mode)
            .map(espeak::Mode::engine)
            .map_err(ProfileError::UnknownEspeakMode),
        CommandEngine::NAME => Ok(Box::new(CommandEngine)),
        ToneEngine::NAME => Ok(Box::new(ToneEngine)),
        Piper::NAME => espeak::Mode::parse(espeak_mode)
            .map(|mode| Box::new(Piper::new(mode.phonemizer())) as Box<dyn Engine>)
            .map_err(ProfileError::UnknownEspeakMode),
        other => Err(ProfileError::UnknownEngine {
            profile: profile.name.clone(),
            engine: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::EngineError;

    #[test]
    fn only_an_engine_that_ran_and_failed_is_tried_again() {
        let engine = || "espeak-ng".to_string();
        let cases = [
            (
                EngineError::Failed {
                    engine: engine(),
                    message: "exit 1".into(),
                },
                true,
            ),
            (
                EngineError::Timeout {
                    engine: engine(),
                    seconds: 60,
                },
                false,
            ),
            (
                EngineError::NotInstalled {
                    engine: engine(),
                    install: "install it".into(),
                },
                false,
            ),
            (
                EngineError::UnknownVoice {
                    engine: engine(),
                    voice: "nope".into(),
                },
                false,
            ),
        ];
        for (error, retried) in cases {
            assert_eq!(error.worth_retrying(), retried, "{error}");
        }
    }
}
