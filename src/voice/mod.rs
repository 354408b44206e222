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
pub use tone::{ToneEngine, TONE_FAIL_ENV};

use std::ffi::OsString;
use std::path::PathBuf;

use crate::pcm::Pcm;

/// What the engines need from outside the voice profiles. The settings
/// read it from the environment once and hand it down here, so that no
/// engine reads the environment itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// How espeak-ng runs, as `BULLETIN_ESPEAK_MODE` names it (see
    /// [`espeak::Mode`]); `None` is the default mode.
    pub espeak_mode: Option<String>,
    /// The libespeak-ng file to open instead of the system's.
    pub espeak_library: Option<PathBuf>,
    /// Where Piper voice models are looked up by relative name.
    pub piper_models: Option<PathBuf>,
    /// The ONNX Runtime library Piper voices run on.
    pub onnxruntime: Option<PathBuf>,
    /// Where Piper models compiled for this machine's CPU are kept; `None`
    /// compiles them on every load (on x86-64 only, see
    /// [`piper::runtime::Compiled::for_this_cpu`]).
    pub piper_compiled: Option<PathBuf>,
    /// The folders a `command` profile's program is looked up in (`PATH`).
    pub search_path: Option<OsString>,
    /// Text the `tone` test engine fails every utterance holding, a fault
    /// tests ask for through [`TONE_FAIL_ENV`].
    pub tone_fail_on: Option<String>,
    /// The threads that synthesize at once (`--jobs`; `None` is one per
    /// core), which engines with threads of their own share the cores by.
    pub jobs: Option<usize>,
    /// Whether a Piper model starts loading, in the background, as soon as
    /// its voice is found usable: a render, which will speak with it, sets
    /// this; listing voices or a plan does not.
    pub preload_models: bool,
}

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

/// Runs `attempt` under the one retry policy: once more when its error is
/// [`worth_retrying`](EngineError::worth_retrying), else never. Engines do
/// not retry on their own (the espeak-ng pool replaces a lost worker, but
/// leaves the decision to ask again to this policy), so an utterance costs
/// at most two attempts.
pub fn with_retry<T>(
    mut attempt: impl FnMut() -> Result<T, EngineError>,
) -> Result<T, EngineError> {
    attempt().or_else(|error| {
        if error.worth_retrying() {
            attempt()
        } else {
            Err(error)
        }
    })
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

/// The engines a profile can name, as `engine_for` knows them.
pub const ENGINES: [&str; 4] = [
    EspeakProcess::NAME,
    Piper::NAME,
    CommandEngine::NAME,
    ToneEngine::NAME,
];

/// The engine a profile names, made with `options`; for espeak-ng, and
/// for the phonemes of Piper voices, in the mode `options.espeak_mode`
/// picks (see [`espeak`]).
pub fn engine_for(
    profile: &VoiceProfile,
    options: &EngineOptions,
) -> Result<Box<dyn Engine>, ProfileError> {
    let mode = || {
        espeak::Mode::parse(options.espeak_mode.as_deref()).map_err(ProfileError::UnknownEspeakMode)
    };
    let library = options.espeak_library.as_deref();
    match profile.engine.as_str() {
        EspeakProcess::NAME => Ok(mode()?.engine(library)),
        CommandEngine::NAME => Ok(Box::new(CommandEngine::new(options.search_path.clone()))),
        ToneEngine::NAME => Ok(Box::new(ToneEngine::failing_on(
            options.tone_fail_on.clone(),
        ))),
        Piper::NAME => Ok(Box::new(
            Piper::new(mode()?.phonemizer(library))
                .located(options.piper_models.clone(), options.onnxruntime.clone())
                .sharing_cores(options.jobs, options.preload_models)
                .keeping_compiled(options.piper_compiled.clone()),
        )),
        other => Err(ProfileError::UnknownEngine {
            profile: profile.name.clone(),
            engine: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::{with_retry, EngineError};

    #[test]
    fn the_policy_makes_at_most_two_attempts_and_only_after_a_failure() {
        type Attempts = Vec<Result<(), EngineError>>;
        let failed = || EngineError::Failed {
            engine: "e".into(),
            message: "exit 1".into(),
        };
        let timeout = || EngineError::Timeout {
            engine: "e".into(),
            seconds: 60,
        };
        // (results of successive attempts, attempts made, success)
        let cases: [(Attempts, usize, bool); 4] = [
            (vec![Ok(())], 1, true),
            (vec![Err(failed()), Ok(())], 2, true),
            (vec![Err(failed()), Err(failed()), Ok(())], 2, false),
            (vec![Err(timeout()), Ok(())], 1, false),
        ];
        for (results, attempts, success) in cases {
            let mut results = results.into_iter();
            let mut made = 0;
            let outcome = with_retry(|| {
                made += 1;
                results.next().expect("no more attempts than results")
            });
            assert_eq!((made, outcome.is_ok()), (attempts, success));
        }
    }

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
