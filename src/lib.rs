//! bulletin turns news text into spoken audio bulletins, one WAV per article.
//!
//! # Crate map
//!
//! Data flows one way; each stage takes the previous stage's type and
//! imports only earlier stages and the shared modules (`tests/architecture.rs`
//! keeps it so):
//!
//! | stage | owns | takes | gives |
//! |---|---|---|---|
//! | [`ingest`] | reading files, folders, stdin; encodings; formats; PDF repair; page splitting | [`ingest::IngestOptions`] | [`ingest::Document`]s |
//! | [`text`] | sentences, normalization, pinyin, lexicon, utterances, the plan | documents | [`text::plan::Plan`] (no file names) |
//! | [`voice`] | voice profiles, engines, the segment store in front of them, the retry policy | a planned run, [`voice::EngineOptions`] | [`pcm::Pcm`] per run |
//! | [`audio`] | trimming, resampling, fades, pauses, loudness, WAV encoding, the programme's audio | sentence audio | [`audio::Mastered`] (samples, spans, loudness) |
//! | [`output`] | every file written, one writer per artifact: WAV, subtitles, MP3, Opus, programme, playlist, feed, manifest; names, lock, cache, merge | a mastered article | files |
//!
//! Shared and dependency-free: [`script`] (which script a character is in),
//! [`pcm`] (mono audio) and [`ordered`] (parallel work on a sliding window,
//! consumed in order). The glue may use every stage, and no stage
//! uses it: [`config`] (the command line's flags and the environment made
//! into one [`Config`], once; the job key), [`commands`] (each command's
//! flow: read and plan, render a job once, merge shards), [`pipeline`]
//! (plan → schedule → synthesize → master → write), [`error`] (the stages'
//! errors, reported once), [`progress`] (bars and JSON events), `speak`
//! (live listening), and the binary's `main.rs`, `cli.rs` and `report.rs`.
#![warn(missing_docs)]

pub mod audio;
pub mod commands;
pub mod config;
pub mod error;
pub mod ingest;
pub mod ordered;
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
