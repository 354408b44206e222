//! bulletin turns news text into spoken audio bulletins, one WAV per article.
//!
//! Data flows one way through the modules:
//! `ingest` (read inputs, repair pages and split them into articles) →
//! `text` (sentences, normalization, pronunciation) → `voice` (profiles and
//! engines) → `audio` (resampling, fades, pauses, loudness, broadcast WAV,
//! the programme) → `output` (files, manifest, subtitles, playlist, cache).
//! [`pipeline`] wires the stages
//! together; the command-line interface is a thin layer on top.
#![warn(missing_docs)]

pub mod audio;
pub mod config;
pub mod error;
pub mod ingest;
pub mod output;
pub mod pcm;
pub mod pipeline;
pub mod progress;
pub mod script;
#[cfg(feature = "speak")]
pub mod speak;
pub mod text;
pub mod voice;

pub use config::Config;
pub use error::{Error, ExitCode};
