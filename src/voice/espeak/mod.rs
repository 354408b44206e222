//! espeak-ng, run one of four ways. Profiles say `engine = "espeak-ng"`;
//! the environment variable `BULLETIN_ESPEAK_MODE` picks the way
//! (`workers-fork` when unset), so benchmarks can compare them.
//!
//! - `workers`: persistent `bulletin espeak-worker` processes, one per
//!   synthesis thread, each with its own libespeak-ng ([`workers`]).
//! - `workers-fork` (default): the same, but every utterance is spoken by a
//!   fresh fork of its worker, for samples identical to `process`.
//! - `process`: one `espeak-ng` process per utterance ([`process`]).
//! - `library`: libespeak-ng in this process behind one lock ([`library`]).
//!
//! Why workers: libespeak-ng keeps global state and crashes when two threads
//! call it, so in-process use means one lock and one busy core. A process
//! per utterance uses every core but pays espeak-ng's start-up (10–20 ms:
//! exec, linking the audio libraries it pulls in, loading its data) for
//! every utterance. Workers pay it once per core, and keep what only
//! separate processes give: a crash or hang kills one worker, which is
//! replaced, and the utterance retried.
//!
//! Measured by `benches/engines.sh` (sample page, 134 utterances, `--jobs
//! 2` on 2 otherwise idle cores; serial `espeak-ng` on the same text takes
//! 0.80 s): whole renders took 1.14 s with `workers`, 1.24 s with
//! `library`, 1.28 s with `workers-fork` and 1.87 s with `process`, for
//! 1.94, 1.87, 2.12 and 3.16 s of CPU (the same audio stage in each). The
//! library behind its lock leaves a core idle while it speaks; workers
//! keep both busy. The default forks per utterance (about 2 ms of CPU each,
//! mostly copy-on-write faults) because a resumed batch must give the same
//! bytes as a clean run, which a plain worker's history-dependent samples
//! do not; a process per utterance costs about 10 ms.
//!
//! Piper voices get their phonemes from espeak-ng too, through the same
//! mode ([`Phonemizer`]): IPA per clause, as `espeak-ng -q --ipa` prints it.
//!
//! All modes say the same thing. `process` and `workers-fork` give the same
//! samples, run after run. In `workers` and `library` the samples of an
//! utterance depend slightly on what the same instance spoke before:
//! espeak-ng's pitch flutter and gain control carry over, in static state no
//! call resets, which moves lengths by a few pitch periods.

mod library;
mod process;
pub mod protocol;
mod workers;

pub use library::{EspeakLibrary, LIBRARY_ENV};
pub use process::EspeakProcess;
pub use workers::{serve, EspeakWorkers, WorkerOptions, FAULT_ENV, FORK_FLAG, WORKER_COMMAND};

use std::time::Duration;

use super::{Engine, EngineError, VoiceProfile};
use protocol::Utterance;

/// The environment variable that picks the mode.
pub const MODE_ENV: &str = "BULLETIN_ESPEAK_MODE";
/// How long one utterance may take before its process or worker is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// What the "not installed" message tells people to run.
const INSTALL: &str = "sudo apt-get install espeak-ng libespeak-ng-dev";

/// How espeak-ng is run.
///
/// The default is `WorkersFork`: a re-run of a batch must give the same
/// bytes as a clean run (resume from the segment cache), and a plain
/// worker's samples depend slightly on what it spoke before. Forking a
/// loaded worker per utterance costs about 1 ms of CPU (benches/engines.sh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Persistent worker processes, one per synthesis thread; fastest, but
    /// an utterance's samples vary a little with the worker's history.
    Workers,
    /// The same, but each utterance is spoken by a fresh fork of its
    /// worker: samples identical to `Process`, at some cost.
    #[default]
    WorkersFork,
    /// One `espeak-ng` process per utterance.
    Process,
    /// The library in this process, behind one lock.
    Library,
}

impl Mode {
    /// The mode a [`MODE_ENV`] value names; unset or empty means the
    /// default. The settings read the variable; this only reads its value.
    pub fn parse(value: Option<&str>) -> Result<Mode, String> {
        match value.unwrap_or_default() {
            "workers" => Ok(Mode::Workers),
            "" | "workers-fork" => Ok(Mode::WorkersFork),
            "process" => Ok(Mode::Process),
            "library" => Ok(Mode::Library),
            other => Err(other.to_string()),
        }
    }

    /// A new phonemizer in this mode, for a Piper voice.
    ///
    /// In both worker modes it is a pool of its own. Every engine is made
    /// for one profile and keeps its own pool, whose workers keep that
    /// profile's voice loaded; a Piper voice's phonemizer is one more such
    /// pool. Its workers phonemize in place, not in forks: phonemes do not
    /// depend on what a worker did before (`tests/espeak_modes.rs` compares
    /// them with fresh `espeak-ng` processes), so a fork per request, which
    /// forking speakers need for their audio, would only cost time.
    pub fn phonemizer(self) -> Box<dyn Phonemizer> {
        match self {
            Mode::Workers | Mode::WorkersFork => Box::new(EspeakWorkers::default()),
            Mode::Process => Box::new(EspeakProcess),
            Mode::Library => Box::new(EspeakLibrary),
        }
    }

    /// A new engine in this mode.
    pub fn engine(self) -> Box<dyn Engine> {
        match self {
            Mode::Workers => Box::new(EspeakWorkers::default()),
            Mode::WorkersFork => Box::new(EspeakWorkers::new(WorkerOptions {
                fork: true,
                ..WorkerOptions::default()
            })),
            Mode::Process => Box::new(EspeakProcess),
            Mode::Library => Box::new(EspeakLibrary),
        }
    }
}

/// espeak-ng as the phonemizer of Piper voices: text to IPA. As an
/// [`Engine`], its `check` tells whether it knows a voice.
pub trait Phonemizer: Engine + std::fmt::Debug {
    /// The IPA of `text` in `voice`, one string per clause as espeak-ng
    /// splits the text, exactly as `espeak-ng -q --ipa -v VOICE` prints it
    /// (clauses without phonemes left out).
    fn phonemes(&self, voice: &str, text: &str) -> Result<Vec<String>, EngineError>;
}

/// The espeak-ng version and the mode, for cache keys: audio made by
/// another version or mode is never reused.
fn version(mode: &str) -> String {
    static PROGRAM_VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let program = PROGRAM_VERSION.get_or_init(|| {
        std::process::Command::new("espeak-ng")
            .arg("--version")
            .stdin(std::process::Stdio::null())
            .output()
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
            .unwrap_or_default()
    });
    format!("{program} ({mode})")
}

/// The utterance a profile makes of an input.
fn utterance(profile: &VoiceProfile, input: &str) -> Utterance {
    Utterance {
        voice: profile.voice.clone(),
        rate: profile.rate,
        pitch: profile.pitch,
        volume: profile.volume,
        text: input.to_string(),
    }
}

/// The input as one line, as every mode hands it to espeak-ng: the program
/// reads its standard input as one text, and the library gets the same.
fn one_line(input: &str) -> String {
    let mut line = input.replace(['\n', '\r'], " ");
    line.push('\n');
    line
}

fn not_installed() -> EngineError {
    EngineError::NotInstalled {
        engine: EspeakProcess::NAME.into(),
        install: INSTALL.into(),
    }
}

fn unknown_voice(voice: &str) -> EngineError {
    EngineError::UnknownVoice {
        engine: EspeakProcess::NAME.into(),
        voice: voice.to_string(),
    }
}

fn failed(message: impl Into<String>) -> EngineError {
    EngineError::Failed {
        engine: EspeakProcess::NAME.into(),
        message: message.into(),
    }
}
