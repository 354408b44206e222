//! The library's top-level error and the process exit codes it maps to.
//!
//! Each stage has its own typed error; this enum gathers them so the binary can
//! report the whole chain once and pick an exit code.

use crate::audio::programme::ProgrammeError;
use crate::ingest::IngestError;
use crate::output::OutputError;
use crate::text::lexicon::LexiconError;
use crate::voice::{EngineError, ProfileError};

/// Anything that can stop a bulletin command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Settings that no run can be made with, found before any work.
    #[error("{0}")]
    Usage(String),
    /// An input could not be read or understood.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A pronunciation lexicon is missing or malformed.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// A voice profile is missing or malformed.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// No engine that a needed voice depends on can run on this machine.
    /// Its message is the engine error's own, so the chain prints it once.
    #[error(transparent)]
    NoEngine(EngineError),
    /// One or more articles failed to render; the others were written.
    #[error("{failed} of {total} articles failed to render")]
    ArticlesFailed {
        /// How many articles failed.
        failed: usize,
        /// How many articles were attempted.
        total: usize,
    },
    /// Live listening could not start.
    #[cfg(feature = "speak")]
    #[error(transparent)]
    Speak(#[from] crate::speak::SpeakError),
    /// Shard manifests could not be joined.
    #[error(transparent)]
    Merge(#[from] crate::output::merge::MergeError),
    /// Writing results failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The articles were rendered, but the run could not be finished: the
    /// programme or the manifest could not be written. The manifest (in
    /// memory) says what was done, so its failures can still be reported.
    #[error("the run could not be finished")]
    Unfinished {
        /// What was rendered and what failed.
        manifest: Box<crate::output::manifest::Manifest>,
        /// Why the run could not be finished.
        #[source]
        source: Box<Error>,
    },
    /// An intro, sting or outro for the programme cannot be used.
    #[error("cannot use a clip for the programme")]
    Clip(#[source] ProgrammeError),
}

impl Error {
    /// A run whose articles were rendered but whose end (programme, feed
    /// or manifest) failed; `manifest` says what was done.
    pub fn unfinished(
        manifest: crate::output::manifest::Manifest,
        error: impl Into<Error>,
    ) -> Error {
        Error::Unfinished {
            manifest: Box::new(manifest),
            source: Box::new(error.into()),
        }
    }
}

impl From<crate::voice::ReadyError> for Error {
    fn from(error: crate::voice::ReadyError) -> Error {
        match error {
            crate::voice::ReadyError::Profile(error) => Error::Profile(error),
            crate::voice::ReadyError::Engine(error) => Error::NoEngine(error),
        }
    }
}

/// Process exit codes, documented in the README and `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Everything asked for was done.
    Success = 0,
    /// Some articles failed while rendering (the others were written).
    RenderFailed = 1,
    /// Bad usage or bad input: nothing was written.
    BadInput = 2,
    /// No usable engine for a voice that is needed.
    NoEngine = 3,
}

impl Error {
    /// The exit code this error ends the process with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_)
            | Error::Ingest(_)
            | Error::Profile(_)
            | Error::Lexicon(_)
            | Error::Clip(_) => ExitCode::BadInput,
            Error::NoEngine(_) => ExitCode::NoEngine,
            // Found before anything was written.
            Error::Output(
                OutputError::CreateDir { .. }
                | OutputError::NotWritable { .. }
                | OutputError::Locked { .. },
            ) => ExitCode::BadInput,
            Error::ArticlesFailed { .. }
            | Error::Output(_)
            | Error::Merge(_)
            | Error::Unfinished { .. } => ExitCode::RenderFailed,
            #[cfg(feature = "speak")]
            Error::Speak(
                crate::speak::SpeakError::NoService { .. }
                | crate::speak::SpeakError::CannotPlay { .. },
            ) => ExitCode::NoEngine,
            #[cfg(feature = "speak")]
            Error::Speak(crate::speak::SpeakError::FromOutOfRange { .. }) => ExitCode::BadInput,
        }
    }
}

/// An error and its causes, on one line.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
