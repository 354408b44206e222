//! Every file a render writes, one writer per artifact behind [`Writer`],
//! the way hyperfine's exporters sit behind `Exporter`: here the article
//! WAV, its subtitles and the manifest; the programme's WAV and playlist
//! in [`programme`](super::programme); MP3, Opus, `chapters.json` and the
//! feed in [`publish::files`](super::publish::files). A new format is one
//! more writer; none of them knows how the audio was made.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use super::manifest::{ArticleEntry, LoudnessEntry, Manifest, SentenceEntry};
use super::publish::episode::Run;
use super::publish::{files, PublishSettings};
use super::subtitles::{self, Cue};
use super::{names, write_atomic, OutputError};
use crate::audio::wav::{Metadata, Stamp, WavFormat, WavWriter};
use crate::audio::{Mastered, Span};
use crate::text::plan::{PlannedArticle, PlannedSentence};

/// Where a writer's bytes go: a temporary file, renamed into place only
/// when the writer finished without error.
pub type Sink = BufWriter<File>;

/// Writes one artifact of a subject (an article, a cue sheet, the
/// manifest) to one file.
pub trait Writer<T: ?Sized>: Sync {
    /// The file it writes for `subject`, inside the output folder.
    fn file_name(&self, subject: &T) -> String;

    /// Writes `subject` whole to `out`.
    fn write(&self, subject: &T, out: &mut Sink) -> std::io::Result<()>;
}

/// Writes `subject` with each writer in turn into `dir`, every file
/// atomically; stops at the first that fails.
pub fn write_with<T: ?Sized>(
    dir: &Path,
    subject: &T,
    writers: &[&dyn Writer<T>],
) -> Result<(), OutputError> {
    for writer in writers {
        write_atomic(&dir.join(writer.file_name(subject)), |out| {
            writer.write(subject, out)
        })?;
    }
    Ok(())
}

/// An article ready to write: its manifest entry and its mastered audio.
pub struct ArticleOut<'a> {
    /// What the manifest says of it, file names included.
    pub entry: &'a ArticleEntry,
    /// Its samples, spans and loudness.
    pub audio: &'a Mastered,
}

/// The broadcast WAV of an article, with `bext` and loudness.
pub struct ArticleWav {
    /// Bits per sample: 16 or 24.
    pub bits: u16,
    /// The origination date and time of every file of the run.
    pub stamp: Stamp,
}

impl Writer<ArticleOut<'_>> for ArticleWav {
    fn file_name(&self, article: &ArticleOut<'_>) -> String {
        article.entry.file.clone()
    }

    fn write(&self, article: &ArticleOut<'_>, out: &mut Sink) -> std::io::Result<()> {
        let entry = article.entry;
        let metadata = Metadata {
            title: entry.title.clone().unwrap_or_else(|| entry.source.clone()),
            reference: names::sibling(&entry.file, ""),
            stamp: self.stamp.clone(),
        };
        let format = WavFormat {
            sample_rate: article.audio.sample_rate(),
            bits: self.bits,
        };
        let len = article.audio.len() as u64;
        let mut wav = WavWriter::new(out, format, &metadata, len)?;
        article.audio.for_each_piece(|piece| wav.write(piece))?;
        wav.finish(Some(&article.audio.loudness)).map(drop)
    }
}

/// Timed text for subtitles: the audio file it belongs to and its cues.
pub struct CueSheet<'a> {
    /// The audio file; subtitles take its stem.
    pub audio_file: &'a str,
    /// One cue per spoken sentence, in order.
    pub cues: Vec<Cue<'a>>,
    /// The audio's sample rate, which cue positions count in.
    pub rate: u32,
}

/// `SubRip` (`.srt`) or `WebVTT` (`.vtt`) subtitles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subtitles {
    /// `.srt`.
    Srt,
    /// `.vtt`.
    Vtt,
}

impl Writer<CueSheet<'_>> for Subtitles {
    fn file_name(&self, sheet: &CueSheet<'_>) -> String {
        let extension = match self {
            Subtitles::Srt => "srt",
            Subtitles::Vtt => "vtt",
        };
        names::sibling(sheet.audio_file, extension)
    }

    fn write(&self, sheet: &CueSheet<'_>, out: &mut Sink) -> std::io::Result<()> {
        let text = match self {
            Subtitles::Srt => subtitles::srt(&sheet.cues, sheet.rate),
            Subtitles::Vtt => subtitles::vtt(&sheet.cues, sheet.rate),
        };
        std::io::Write::write_all(out, text.as_bytes())
    }
}

/// `manifest.json`, or for shard K of N (`(K, N)`) its own manifest for
/// `bulletin merge` to join.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ManifestJson {
    /// The shard whose manifest it is, if the run is one.
    pub shard: Option<(u32, u32)>,
}

impl ManifestJson {
    /// Its file name.
    pub fn name(self) -> String {
        match self.shard {
            Some((index, count)) => format!("manifest.shard-{index}-of-{count}.json"),
            None => "manifest.json".to_string(),
        }
    }
}

impl Writer<Manifest> for ManifestJson {
    fn file_name(&self, _: &Manifest) -> String {
        self.name()
    }

    fn write(&self, manifest: &Manifest, out: &mut Sink) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, manifest)?;
        std::io::Write::write_all(out, b"\n")
    }
}

/// Removes the partial files a killed run left for the files this run
/// owns: every file of a whole run; a shard's own manifest and its own
/// articles' files (`articles` names their WAVs). The caller holds the
/// folder's lock (see [`lock`](super::lock)): no live run writes them.
pub fn remove_stale_partials<'a>(
    dir: &Path,
    manifest: ManifestJson,
    articles: impl IntoIterator<Item = &'a str>,
) {
    let own_stems: std::collections::HashSet<String> = articles
        .into_iter()
        .map(|file| names::sibling(file, ""))
        .collect();
    let manifest_file = manifest.name();
    super::remove_stale_partials(dir, |name| {
        manifest.shard.is_none()
            || name == manifest_file
            || own_stems.contains(&names::sibling(name, ""))
    });
}

/// What every article's files share.
pub struct ArticleFiles<'a> {
    /// Bits per sample of the WAV: 16 or 24.
    pub bits: u16,
    /// The encoded files besides the WAV.
    pub publish: &'a PublishSettings,
    /// The date of every file (the WAV's `bext` too) and the tags every
    /// published file shares.
    pub run: &'a Run,
    /// How many articles the whole plan has.
    pub total: usize,
}

/// Writes every file of a mastered article (WAV, subtitles, MP3 and Opus)
/// as `file` into `dir`, and returns its manifest entry listing them.
/// `track` is its place in the whole plan, from 1. MP3 and Opus are
/// encoded from the samples in memory, on the thread that mastered them,
/// while the pool's other threads synthesize.
pub fn write_article_files(
    dir: &Path,
    (article, file, track): (&PlannedArticle, &str, usize),
    audio: &Mastered,
    with: &ArticleFiles<'_>,
) -> Result<ArticleEntry, OutputError> {
    let mut entry = article_entry(article, file, audio, with.bits);
    let out = ArticleOut {
        entry: &entry,
        audio,
    };
    let wav = ArticleWav {
        bits: with.bits,
        stamp: with.run.stamp.clone(),
    };
    write_article(dir, &out, &wav)?;
    let place = (track, with.total);
    entry.files = files::publish_article(dir, &out, with.publish, with.run, place)?;
    Ok(entry)
}

/// Writes an article's WAV and subtitles; the entry names the files.
pub fn write_article(
    dir: &Path,
    article: &ArticleOut<'_>,
    wav: &ArticleWav,
) -> Result<(), OutputError> {
    write_with(dir, article, &[wav])?;
    let sheet = CueSheet {
        audio_file: &article.entry.file,
        cues: cues(article.entry, 0),
        rate: article.audio.sample_rate(),
    };
    write_with(dir, &sheet, &[&Subtitles::Srt, &Subtitles::Vtt])
}

/// Removes an article's WAV and subtitles, left by an earlier run, when the
/// article failed in this one: the manifest lists it as failed, and no file
/// of another run may pass for this run's.
pub fn remove_article_files(dir: &Path, file: &str) {
    for name in [
        file.to_string(),
        names::sibling(file, "srt"),
        names::sibling(file, "vtt"),
    ] {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// What the manifest says of a planned article written as `file`.
pub fn article_entry(
    article: &PlannedArticle,
    file: &str,
    audio: &Mastered,
    bits: u16,
) -> ArticleEntry {
    let rate = f64::from(audio.sample_rate());
    let entry = |sentence: &PlannedSentence, span: Span| SentenceEntry {
        text: sentence.text.clone(),
        spoken: sentence.spoken.clone(),
        voice: sentence.voice.clone(),
        start_s: round6(span.start as f64 / rate),
        end_s: round6(span.end as f64 / rate),
        start_sample: span.start,
        end_sample: span.end,
    };
    ArticleEntry {
        file: file.to_string(),
        title: article.title.clone(),
        source: article.source.clone(),
        duration_s: round6(audio.len() as f64 / rate),
        sample_rate: audio.sample_rate(),
        bits,
        loudness: LoudnessEntry::from(&audio.loudness),
        srt: names::sibling(file, "srt"),
        vtt: names::sibling(file, "vtt"),
        // Listed once the files are written.
        files: Vec::new(),
        headline: article
            .headline
            .as_ref()
            .zip(audio.placed.headline)
            .map(|(s, span)| entry(s, span)),
        sentences: article
            .sentences
            .iter()
            .zip(&audio.placed.sentences)
            .map(|(s, span)| entry(s, *span))
            .collect(),
    }
}

/// One cue per spoken sentence of an article, the headline first, shifted
/// by `offset` samples.
pub fn cues(article: &ArticleEntry, offset: usize) -> Vec<Cue<'_>> {
    article
        .headline
        .iter()
        .chain(&article.sentences)
        .map(|s| Cue {
            start: offset + s.start_sample,
            end: offset + s.end_sample,
            text: &s.text,
        })
        .collect()
}

/// The manifest of an earlier run of the same job whose every file is still
/// in place, if there is one: then there is nothing to do.
pub fn finished(dir: &Path, manifest_file: ManifestJson, job: &str) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(manifest_file.name())).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    let whole = |name: &str| std::fs::metadata(dir.join(name)).is_ok_and(|m| m.len() > 0);
    let done = manifest.job.as_deref() == Some(job)
        && manifest.failed.is_empty()
        && manifest
            .articles
            .iter()
            .all(|article| whole(&article.file) && whole(&article.srt) && whole(&article.vtt))
        && manifest
            .articles
            .iter()
            .flat_map(|a| &a.files)
            .all(|f| whole(&f.file))
        && manifest.feed.as_deref().is_none_or(whole)
        && manifest
            .programme
            .as_ref()
            .is_none_or(|programme| whole(&programme.file));
    done.then_some(manifest)
}

/// Rounds seconds to the microsecond, as the manifest gives them.
pub fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::{Bulletin, Loudness};
    use crate::pcm::Pcm;

    #[test]
    fn an_article_wav_written_in_pieces_reads_back_with_its_samples() {
        let samples: Vec<f32> = (0..((1 << 17) + 123))
            .map(|i| ((i as f32) * 0.01).sin() * 0.5)
            .collect();
        let audio = Mastered::in_memory(
            Bulletin {
                pcm: Pcm {
                    sample_rate: 48_000,
                    samples: samples.clone(),
                },
                headline: None,
                sentences: Vec::new(),
            },
            Loudness {
                integrated_lufs: -23.0,
                range_lu: 1.0,
                true_peak_dbtp: -3.0,
                max_momentary_lufs: -20.0,
                max_short_term_lufs: -21.0,
            },
        );
        let entry = article_entry(
            &PlannedArticle {
                id: "a#1".into(),
                title: Some("T".into()),
                source: "a.txt".into(),
                headline: None,
                sentences: Vec::new(),
            },
            "01-t.wav",
            &audio,
            16,
        );
        let dir = tempfile::tempdir().unwrap();
        let wav = ArticleWav {
            bits: 16,
            stamp: Stamp::from_unix(0),
        };
        let article = ArticleOut {
            entry: &entry,
            audio: &audio,
        };
        write_article(dir.path(), &article, &wav).unwrap();
        let read = crate::audio::wav::read_wav(&dir.path().join("01-t.wav")).unwrap();
        assert_eq!(read.sample_rate, 48_000);
        assert_eq!(read.samples.len(), samples.len());
        let worst = read
            .samples
            .iter()
            .zip(&samples)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1.0 / 32768.0 + 1e-6, "{worst}");
        assert!(dir.path().join("01-t.srt").is_file() && dir.path().join("01-t.vtt").is_file());
    }

    #[test]
    fn shards_write_their_own_manifest() {
        let name = |shard| ManifestJson { shard }.name();
        assert_eq!(name(None), "manifest.json");
        assert_eq!(name(Some((2, 8))), "manifest.shard-2-of-8.json");
    }
}
