//! The published files of a run, written like every other output file,
//! behind the output stage's `Writer` trait: each article's MP3 and Opus
//! (encoded from the mastered samples in memory, on the thread that
//! mastered them), the programme's from `programme.wav` with
//! `chapters.json`, and `feed.xml`.

use std::path::Path;

use super::episode::{self, PublishedFile, Run, CHAPTERS_FILE, FEED_FILE};
use super::feed::{self, Channel, Item, KeptItem};
use super::{chapters, Chapter, Encoder, Format, PublishSettings, Tags};
use crate::output::manifest::{ArticleEntry, Manifest, ProgrammeEntry};
use crate::output::write::{write_with, ArticleOut, Sink, Writer};
use crate::output::{names, OutputError};

/// An article's file in one encoded format.
pub struct EncodedArticle<'a> {
    /// MP3 or Opus.
    pub format: Format,
    /// Bitrates and station.
    pub settings: &'a PublishSettings,
    /// What every file of the run shares.
    pub run: &'a Run,
    /// The article's place in the run, from 1.
    pub track: usize,
    /// How many articles the run has.
    pub total: usize,
}

impl Writer<ArticleOut<'_>> for EncodedArticle<'_> {
    fn file_name(&self, article: &ArticleOut<'_>) -> String {
        names::sibling(&article.entry.file, self.format.extension())
    }

    fn write(&self, article: &ArticleOut<'_>, out: &mut Sink) -> std::io::Result<()> {
        let tags = episode::article_tags(article.entry, self.track, self.total, self.run);
        let rate = article.audio.sample_rate();
        let mut encoder = Encoder::new(self.format, out, self.settings, rate, &tags, &[])
            .map_err(std::io::Error::other)?
            .ok_or_else(|| std::io::Error::other("the WAV is written by the audio stage"))?;
        article
            .audio
            .for_each_piece(|piece| encoder.push(piece).map_err(std::io::Error::other))?;
        encoder.finish().map_err(std::io::Error::other)?;
        Ok(())
    }
}

fn listed(
    format: Format,
    dir: &Path,
    file: String,
    duration_s: f64,
) -> Result<PublishedFile, OutputError> {
    let path = dir.join(&file);
    PublishedFile::of(format, dir, file, duration_s)
        .map_err(|source| OutputError::Write { path, source })
}

fn encoded(settings: &PublishSettings) -> impl Iterator<Item = Format> + '_ {
    settings
        .formats
        .iter()
        .copied()
        .filter(|format| *format != Format::Wav)
}

/// Writes an article's encoded files beside its WAV, and lists them all
/// (the WAV first) for the manifest. Decoders drop the encoders' delay and
/// padding, so every file lasts what the WAV lasts.
pub fn publish_article(
    dir: &Path,
    article: &ArticleOut<'_>,
    settings: &PublishSettings,
    run: &Run,
    (track, total): (usize, usize),
) -> Result<Vec<PublishedFile>, OutputError> {
    let entry = article.entry;
    let mut files = vec![listed(
        Format::Wav,
        dir,
        entry.file.clone(),
        entry.duration_s,
    )?];
    for format in encoded(settings) {
        let writer = EncodedArticle {
            format,
            settings,
            run,
            track,
            total,
        };
        write_with(dir, article, &[&writer])?;
        files.push(listed(
            format,
            dir,
            writer.file_name(article),
            entry.duration_s,
        )?);
    }
    Ok(files)
}

/// The programme in one encoded format, with a chapter per article,
/// encoded from `programme.wav` in pieces.
struct EncodedProgramme<'a> {
    format: Format,
    wav: std::path::PathBuf,
    settings: &'a PublishSettings,
    tags: &'a Tags,
    chapters: &'a [Chapter],
}

impl Writer<ProgrammeEntry> for EncodedProgramme<'_> {
    fn file_name(&self, programme: &ProgrammeEntry) -> String {
        names::sibling(&programme.file, self.format.extension())
    }

    fn write(&self, _: &ProgrammeEntry, out: &mut Sink) -> std::io::Result<()> {
        let (format, settings) = (self.format, self.settings);
        super::encode_wav_file(&self.wav, format, out, settings, self.tags, self.chapters)
            .map(drop)
            .map_err(std::io::Error::other)
    }
}

/// The programme's Podcasting 2.0 chapters, beside its encoded files.
struct ChaptersJson;

impl Writer<[Chapter]> for ChaptersJson {
    fn file_name(&self, _: &[Chapter]) -> String {
        CHAPTERS_FILE.to_owned()
    }

    fn write(&self, chapters: &[Chapter], out: &mut Sink) -> std::io::Result<()> {
        chapters::write_chapters_json(out, chapters).map_err(std::io::Error::other)
    }
}

/// Encodes `programme.wav` into every published format with one chapter
/// per article, writes `chapters.json` beside them, and lists the files
/// in the programme's entry.
pub fn publish_programme(
    dir: &Path,
    programme: &mut ProgrammeEntry,
    articles: &[ArticleEntry],
    settings: &PublishSettings,
    run: &Run,
) -> Result<(), OutputError> {
    let duration = programme.duration_s;
    programme.files = vec![listed(Format::Wav, dir, programme.file.clone(), duration)?];
    let chapters = episode::programme_chapters(programme, articles);
    let tags = episode::programme_tags(programme, run);
    for format in encoded(settings) {
        let writer = EncodedProgramme {
            format,
            wav: dir.join(&programme.file),
            settings,
            tags: &tags,
            chapters: &chapters,
        };
        write_with(dir, &*programme, &[&writer])?;
        let file = writer.file_name(programme);
        programme.files.push(listed(format, dir, file, duration)?);
        write_with(dir, chapters.as_slice(), &[&ChaptersJson])?;
        programme.chapters = Some(ChaptersJson.file_name(&chapters));
    }
    Ok(())
}

/// Writes `feed.xml` when a podcast was asked for: the programme's item,
/// then each article's, in front of the items already in the feed.
/// Returns the feed's file name.
pub fn publish_feed(
    dir: &Path,
    manifest: &Manifest,
    settings: &PublishSettings,
    run: &Run,
) -> Result<Option<String>, OutputError> {
    let (Some(podcast), Some(format)) = (&settings.podcast, settings.feed_format()) else {
        return Ok(None);
    };
    let file_of = |files: &[PublishedFile]| {
        files
            .iter()
            .find(|f| f.format == format.extension())
            .cloned()
    };
    let mut items = Vec::new();
    if let Some(programme) = &manifest.programme {
        if let Some(file) = file_of(&programme.files) {
            items.push(episode::programme_item(programme, &file, run));
        }
    }
    for article in &manifest.articles {
        if let Some(file) = file_of(&article.files) {
            items.push(episode::article_item(article, &file, run));
        }
    }
    let language = episode::language(&manifest.articles);
    let channel = episode::channel(podcast, &run.album, language, run);
    let kept = episode::kept_items(dir).map_err(|error| OutputError::Write {
        path: dir.join(FEED_FILE),
        source: std::io::Error::other(error),
    })?;
    let writer = FeedXml {
        channel: &channel,
        kept,
        keep: podcast.keep,
    };
    write_with(dir, items.as_slice(), &[&writer])?;
    Ok(Some(writer.file_name(&items)))
}

/// `feed.xml`: the run's items first, then the items of the feed already
/// in the folder that they do not replace, at most `keep`.
struct FeedXml<'a> {
    channel: &'a Channel,
    kept: Vec<KeptItem>,
    keep: usize,
}

impl Writer<[Item]> for FeedXml<'_> {
    fn file_name(&self, _: &[Item]) -> String {
        FEED_FILE.to_owned()
    }

    fn write(&self, items: &[Item], out: &mut Sink) -> std::io::Result<()> {
        feed::write_feed(out, self.channel, items, &self.kept, self.keep)
            .map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::publish::feed::BaseUrl;
    use crate::output::publish::Podcast;

    #[test]
    fn a_folder_whose_feed_is_not_one_keeps_it_untouched() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FEED_FILE);
        std::fs::write(&path, "<html>not a feed</html>").unwrap();
        let settings = PublishSettings {
            formats: vec![Format::Wav, Format::Mp3],
            podcast: Some(Podcast {
                base_url: BaseUrl::parse("https://radio.example/").unwrap(),
                title: None,
                image: None,
                keep: 50,
            }),
            ..PublishSettings::default()
        };
        let manifest = Manifest::of_run(Vec::new(), 1.0, &settings, None);
        let run = Run::new(crate::audio::wav::Stamp::from_unix(0), None, None);
        let result = publish_feed(folder.path(), &manifest, &settings, &run);
        let error = result.expect_err("the old feed is refused");
        let cause = std::error::Error::source(&error).map(ToString::to_string);
        let cause = cause.unwrap_or_default();
        assert!(cause.contains("cannot add to the feed"), "{cause}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "<html>not a feed</html>"
        );
    }
}
