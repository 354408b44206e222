//! `manifest.json`: what a render made, with sample-exact sentence timings.

use serde::{Deserialize, Serialize};

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Articles written, in reading order.
    pub articles: Vec<ArticleEntry>,
    /// Articles that could not be rendered, with the reason.
    pub failed: Vec<FailedArticle>,
    /// Totals for the run.
    pub summary: Summary,
}

/// One written bulletin.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// The WAV's file name inside the output folder.
    pub file: String,
    /// The article's headline, if it had one.
    pub title: Option<String>,
    /// The input it came from.
    pub source: String,
    /// Length of the WAV in seconds.
    pub duration_s: f64,
    /// The WAV's sample rate.
    pub sample_rate: u32,
    /// Where the headline is spoken, if there is one.
    pub headline: Option<SentenceEntry>,
    /// Every body sentence, in order.
    pub sentences: Vec<SentenceEntry>,
}

/// One spoken sentence and where it sits in its WAV.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SentenceEntry {
    /// The sentence as written.
    pub text: String,
    /// What was said.
    pub spoken: String,
    /// The voice profile that said it.
    pub voice: String,
    /// Start, in seconds from the start of the file.
    pub start_s: f64,
    /// End, in seconds from the start of the file.
    pub end_s: f64,
}

/// An article that was not written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailedArticle {
    /// The input it came from.
    pub source: String,
    /// Its headline, if any.
    pub title: Option<String>,
    /// The sentence the engine failed on.
    pub sentence: String,
    /// The engine's message.
    pub error: String,
}

/// Totals for the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Articles written.
    pub articles: usize,
    /// Articles that failed.
    pub failed_articles: usize,
    /// Sentences spoken in the written articles.
    pub sentences: usize,
    /// Seconds of audio written.
    pub audio_s: f64,
    /// Seconds the run took.
    pub wall_s: f64,
    /// Seconds of audio made per second of run time.
    pub realtime_factor: f64,
}
