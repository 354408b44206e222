//! `manifest.json`: what a render made, with sample-exact sentence timings.

use serde::{Deserialize, Serialize};

use super::publish::episode::PublishedFile;
use super::publish::PublishSettings;
use crate::audio::Loudness;
use crate::text::plan::PlannedArticle;

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Articles written, in reading order.
    pub articles: Vec<ArticleEntry>,
    /// Articles that could not be rendered, with the reason.
    pub failed: Vec<FailedArticle>,
    /// What was published besides the WAVs (`--format`, `--podcast`), for
    /// `merge` to do the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<PublishSettings>,
    /// The podcast feed, when one was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// Totals for the run.
    pub summary: Summary,
    /// The whole programme, when `--programme` asked for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<ProgrammeEntry>,
    /// The key of the job that made this (inputs, voices, lexicon and
    /// settings): a re-run with the same key finds its work done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
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
    /// The WAV's bits per sample.
    pub bits: u16,
    /// The WAV's loudness as written.
    pub loudness: LoudnessEntry,
    /// The `SubRip` subtitles beside the WAV.
    pub srt: String,
    /// The `WebVTT` subtitles beside the WAV.
    pub vtt: String,
    /// The article's file in every published format, the WAV first.
    #[serde(default)]
    pub files: Vec<PublishedFile>,
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
    /// First sample, counted from 0: `start_s` exactly.
    pub start_sample: usize,
    /// One past the last sample: `end_s` exactly.
    pub end_sample: usize,
}

/// A file's loudness per EBU R128, rounded to hundredths; `null` where it
/// is not defined (silence).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LoudnessEntry {
    /// Integrated loudness, LUFS.
    pub integrated_lufs: Option<f64>,
    /// Loudness range, LU.
    pub range_lu: Option<f64>,
    /// Highest true peak, dBTP.
    pub true_peak_dbtp: Option<f64>,
    /// Highest momentary loudness, LUFS.
    pub max_momentary_lufs: Option<f64>,
    /// Highest short-term loudness, LUFS.
    pub max_short_term_lufs: Option<f64>,
}

impl From<&Loudness> for LoudnessEntry {
    fn from(loudness: &Loudness) -> Self {
        let round = |value: f64| Some((value * 100.0).round() / 100.0).filter(|v| v.is_finite());
        LoudnessEntry {
            integrated_lufs: round(loudness.integrated_lufs),
            range_lu: round(loudness.range_lu),
            true_peak_dbtp: round(loudness.true_peak_dbtp),
            max_momentary_lufs: round(loudness.max_momentary_lufs),
            max_short_term_lufs: round(loudness.max_short_term_lufs),
        }
    }
}

/// The programme: every written article in order, as one WAV.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeEntry {
    /// The WAV's file name.
    pub file: String,
    /// The playlist of the article files.
    pub playlist: String,
    /// The `SubRip` subtitles beside it.
    pub srt: String,
    /// The `WebVTT` subtitles beside it.
    pub vtt: String,
    /// The programme in every published format, the WAV first.
    #[serde(default)]
    pub files: Vec<PublishedFile>,
    /// Its Podcasting 2.0 chapters, when MP3 or Opus was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapters: Option<String>,
    /// Length in seconds.
    pub duration_s: f64,
    /// Sample rate.
    pub sample_rate: u32,
    /// Bits per sample.
    pub bits: u16,
    /// Its loudness as written.
    pub loudness: LoudnessEntry,
    /// Where each article starts in it.
    pub articles: Vec<ProgrammeItem>,
}

/// Where an article starts in the programme.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgrammeItem {
    /// The article's own WAV.
    pub file: String,
    /// Start, in seconds.
    pub start_s: f64,
    /// Start, in samples.
    pub start_sample: usize,
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

impl Manifest {
    /// The manifest of a run from its articles' outcomes, in order, and
    /// how long it took; the programme and the feed are added as they are
    /// written.
    pub fn of_run(
        outcomes: Vec<Result<ArticleEntry, FailedArticle>>,
        wall_s: f64,
        publish: &PublishSettings,
        job: Option<String>,
    ) -> Manifest {
        let (articles, failed): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(Result::is_ok);
        let articles: Vec<ArticleEntry> = articles.into_iter().filter_map(Result::ok).collect();
        let failed: Vec<FailedArticle> = failed.into_iter().filter_map(Result::err).collect();
        Manifest {
            summary: Summary::of(&articles, failed.len(), wall_s),
            articles,
            failed,
            publish: publish.publishes().then(|| publish.clone()),
            feed: None,
            programme: None,
            job,
        }
    }
}

impl FailedArticle {
    /// The failure of `article` on `sentence` (empty when no one sentence
    /// failed).
    pub fn new(article: &PlannedArticle, sentence: &str, error: String) -> FailedArticle {
        FailedArticle {
            source: article.source.clone(),
            title: article.title.clone(),
            sentence: sentence.to_string(),
            error,
        }
    }

    /// An article that `--fail-fast` left unrendered.
    pub fn not_rendered(article: &PlannedArticle) -> FailedArticle {
        let why = "not rendered: --fail-fast stopped the run at an earlier failure";
        FailedArticle::new(article, "", why.into())
    }
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

impl Summary {
    /// The summary of a batch: its written articles, how many failed, and
    /// how long it took (render and merge count the same way).
    pub fn of(articles: &[ArticleEntry], failed_articles: usize, wall_s: f64) -> Summary {
        // `+ 0.0` turns the -0.0 that an empty float sum gives into 0.0,
        // which would print as `-0:-0` and `"audio_s": -0.0`.
        let round3 = |value: f64| (value * 1e3).round() / 1e3 + 0.0;
        let audio_s = round3(articles.iter().map(|a| a.duration_s).sum());
        let wall_s = round3(wall_s);
        Summary {
            articles: articles.len(),
            failed_articles,
            sentences: articles.iter().map(|a| a.sentences.len()).sum(),
            audio_s,
            wall_s,
            realtime_factor: round3(audio_s / wall_s.max(1e-9)),
        }
    }
}
