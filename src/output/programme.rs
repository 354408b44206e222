//! The programme's files, each behind [`Writer`]: `programme.wav`, mixed
//! from the article files already in the folder, its subtitles and the
//! playlist of the article files. `render` and `merge` both write them
//! here, so a sharded batch's programme is a single run's.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::manifest::{ArticleEntry, LoudnessEntry, ProgrammeEntry, ProgrammeItem};
use super::write::{cues, round6, write_with, CueSheet, Sink, Subtitles, Writer};
use super::{playlist, OutputError};
use crate::audio::programme::{write_programme, Clips, Programme};
use crate::audio::wav::{Metadata, Stamp, WavFormat};
use crate::audio::Target;

/// The programme's audio file.
const PROGRAMME_FILE: &str = "programme.wav";

/// How the programme is mixed: its clips, its format and its loudness.
pub struct ProgrammeMix<'a> {
    /// The intro, sting and outro, already loaded.
    pub clips: &'a Clips,
    /// The sample rate and bits of `programme.wav`: the articles'.
    pub format: WavFormat,
    /// The loudness the whole programme is brought to.
    pub target: Target,
}

/// `programme.wav`: the written articles in order, read back from their
/// files in `dir`, with the clips around and between them. What the mix
/// measured (where each article starts, length, loudness) is kept for the
/// subtitles and the manifest.
struct ProgrammeWav<'a> {
    dir: &'a Path,
    mix: &'a ProgrammeMix<'a>,
    stamp: &'a Stamp,
    made: OnceLock<Programme>,
}

impl Writer<[ArticleEntry]> for ProgrammeWav<'_> {
    fn file_name(&self, _: &[ArticleEntry]) -> String {
        PROGRAMME_FILE.into()
    }

    fn write(&self, articles: &[ArticleEntry], out: &mut Sink) -> std::io::Result<()> {
        let paths: Vec<PathBuf> = articles.iter().map(|a| self.dir.join(&a.file)).collect();
        let metadata = Metadata {
            title: format!("Bulletin {}", self.stamp.date),
            reference: "programme".into(),
            stamp: self.stamp.clone(),
        };
        let mix = self.mix;
        let programme = write_programme(out, &paths, mix.clips, mix.format, mix.target, &metadata)
            .map_err(std::io::Error::other)?;
        // Written once: a second write would have measured the same.
        let _ = self.made.set(programme);
        Ok(())
    }
}

/// The `.m3u` playlist of the article files, in programme order.
pub struct Playlist;

impl Writer<[ArticleEntry]> for Playlist {
    fn file_name(&self, _: &[ArticleEntry]) -> String {
        "playlist.m3u".into()
    }

    fn write(&self, articles: &[ArticleEntry], out: &mut Sink) -> std::io::Result<()> {
        let entries: Vec<playlist::Entry<'_>> = articles
            .iter()
            .map(|a| playlist::Entry {
                file: &a.file,
                duration_s: a.duration_s,
                title: a.title.as_deref().unwrap_or(&a.source),
            })
            .collect();
        std::io::Write::write_all(out, playlist::m3u(&entries).as_bytes())
    }
}

/// Writes `programme.wav` from the written articles in `dir`, with its
/// subtitles and the playlist of the article files, and says what the
/// manifest lists of them (its published files are added by `publish`).
pub fn write_programme_files(
    dir: &Path,
    articles: &[ArticleEntry],
    mix: &ProgrammeMix<'_>,
    stamp: &Stamp,
) -> Result<ProgrammeEntry, OutputError> {
    let wav = ProgrammeWav {
        dir,
        mix,
        stamp,
        made: OnceLock::new(),
    };
    write_with(dir, articles, &[&wav])?;
    let file = wav.file_name(articles);
    let programme = wav.made.into_inner().expect("the programme was written");

    let rate = mix.format.sample_rate;
    let mut sheet = CueSheet {
        audio_file: &file,
        cues: Vec::new(),
        rate,
    };
    for (article, start) in articles.iter().zip(&programme.article_starts) {
        sheet.cues.extend(cues(article, *start));
    }
    write_with(dir, &sheet, &[&Subtitles::Srt, &Subtitles::Vtt])?;
    write_with(dir, articles, &[&Playlist])?;

    let seconds = |samples: usize| round6(samples as f64 / f64::from(rate));
    Ok(ProgrammeEntry {
        playlist: Playlist.file_name(articles),
        srt: Subtitles::Srt.file_name(&sheet),
        vtt: Subtitles::Vtt.file_name(&sheet),
        files: Vec::new(),
        chapters: None,
        duration_s: seconds(programme.len),
        sample_rate: rate,
        bits: mix.format.bits,
        loudness: LoudnessEntry::from(&programme.loudness),
        articles: articles
            .iter()
            .zip(&programme.article_starts)
            .map(|(a, start)| ProgrammeItem {
                file: a.file.clone(),
                start_s: seconds(*start),
                start_sample: *start,
            })
            .collect(),
        file,
    })
}
