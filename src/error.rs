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
    #[error("{0}")]
    NoEngine(#[source] EngineError),
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
    /// An intro, sting or outro for the programme cannot be used.
    #[error("cannot use a clip for the programme")]
    Clip(#[source] ProgrammeError),
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
            Error::Ingest(_) | Error::Profile(_) | Error::Lexicon(_) | Error::Clip(_) => {
                ExitCode::BadInput
            }
            Error::NoEngine(_) => ExitCode::NoEngine,
            Error::ArticlesFailed { .. } | Error::Output(_) | Error::Merge(_) => {
                ExitCode::RenderFailed
            }
            #[cfg(feature = "speak")]
            Error::Speak(crate::speak::SpeakError::NoService { .. }) => ExitCode::NoEngine,
            #[cfg(feature = "speak")]
            Error::Speak(crate::speak::SpeakError::FromOutOfRange { .. }) => ExitCode::BadInput,
        }
    }
}

/// What a TOML parser error says, with the line and column it points at
/// (toml's own message leaves them out), for the voice profile and lexicon
/// errors that name the file.
pub fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let Some(span) = error.span() else {
        return error.message().to_string();
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("line {line}, column {column}: {}", error.message())
}

#[cfg(test)]
mod toml_tests {
    use super::*;

    #[test]
    fn toml_messages_say_where() {
        let cases = [
            ("engine = \"tone\"\nvoice = \n", "line 2, column 9"),
            ("a = 1\nb = \"中文\" x\n", "line 2, column 10"),
            ("rate = \"fast\"\n", "line 1, column 8"),
        ];
        for (text, at) in cases {
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code)]
            struct Any {
                rate: Option<u32>,
            }
            let error = toml::from_str::<Any>(text).unwrap_err();
            let message = toml_message(text, &error);
            assert!(message.starts_with(at), "{text:?}: {message}");
        }
    }
}
