//! From what a run wrote (its manifest entries) to what players and podcast
//! apps show: each file's tags, the programme's chapters, the feed's items.
//! `render` and `merge` both go through here, so a sharded batch publishes
//! what a single run would.

use serde::{Deserialize, Serialize};

use super::feed::{self, BaseUrl, Channel, Item, KeptItem};
use super::{Chapter, Format, Podcast, Tags};
use crate::audio::wav::Stamp;
use crate::output::manifest::{ArticleEntry, ProgrammeEntry};

/// The feed's file name in the output folder.
pub const FEED_FILE: &str = "feed.xml";
/// The programme's Podcasting 2.0 chapters, beside its audio.
pub const CHAPTERS_FILE: &str = "chapters.json";
/// How many of an article's first sentences describe it in the feed.
const DESCRIPTION_SENTENCES: usize = 3;

/// One file of an article or programme, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedFile {
    /// `wav`, `mp3` or `opus`.
    pub format: String,
    /// Its name in the output folder.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its decoded length in seconds.
    pub duration_s: f64,
}

impl PublishedFile {
    /// The entry of `file`, sized from the file on disk.
    pub fn of(
        format: Format,
        dir: &std::path::Path,
        file: String,
        duration_s: f64,
    ) -> std::io::Result<PublishedFile> {
        let bytes = std::fs::metadata(dir.join(&file))?.len();
        Ok(PublishedFile {
            format: format.extension().to_owned(),
            file,
            bytes,
            duration_s,
        })
    }
}

/// What every file of a run shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The inputs' date, the same the WAVs' `bext` carries.
    pub stamp: Stamp,
    /// The album: the feed's title, else `Bulletin <date>`.
    pub album: String,
    /// The station.
    pub station: Option<String>,
}

impl Run {
    /// A run dated `stamp`, its album the feed title when there is one.
    pub fn new(stamp: Stamp, feed_title: Option<&str>, station: Option<&str>) -> Run {
        let album = feed_title.map_or_else(|| format!("Bulletin {}", stamp.date), str::to_owned);
        Run {
            stamp,
            album,
            station: station.map(str::to_owned),
        }
    }

    /// A run dated `stamp` that publishes as `settings` say: its album the
    /// feed's title, its artist the station.
    pub fn publishing(stamp: Stamp, settings: &super::PublishSettings) -> Run {
        let feed_title = settings.podcast.as_ref().and_then(|p| p.title.as_deref());
        Run::new(stamp, feed_title, settings.station.as_deref())
    }
}

fn title_of(article: &ArticleEntry) -> &str {
    article.title.as_deref().unwrap_or(&article.source)
}

/// The tags of the article at 1-based `track` of `total`.
pub fn article_tags(article: &ArticleEntry, track: usize, total: usize, run: &Run) -> Tags {
    Tags {
        title: title_of(article).to_owned(),
        artist: run.station.clone(),
        album: Some(run.album.clone()),
        date: Some(run.stamp.date.clone()),
        track: u32::try_from(track).ok(),
        track_total: u32::try_from(total).ok(),
        comment: article.sentences.first().map(|s| s.text.clone()),
        loudness_lufs: article.loudness.integrated_lufs,
    }
}

/// The tags of the programme.
pub fn programme_tags(programme: &ProgrammeEntry, run: &Run) -> Tags {
    Tags {
        title: run.album.clone(),
        artist: run.station.clone(),
        album: Some(run.album.clone()),
        date: Some(run.stamp.date.clone()),
        track: None,
        track_total: None,
        comment: None,
        loudness_lufs: programme.loudness.integrated_lufs,
    }
}

/// One chapter per article of the programme, from its start to the next
/// one's (the last to the programme's end), titled with its headline.
pub fn programme_chapters(programme: &ProgrammeEntry, articles: &[ArticleEntry]) -> Vec<Chapter> {
    let starts = &programme.articles;
    starts
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let end = starts
                .get(index + 1)
                .map_or(programme.duration_s, |next| next.start_s);
            let title = articles
                .iter()
                .find(|a| a.file == item.file)
                .map_or(item.file.as_str(), title_of);
            Chapter::new(title, item.start_s, end)
        })
        .collect()
}

/// `zh-cn` when most articles are Chinese, else `en`.
pub fn language(articles: &[ArticleEntry]) -> &'static str {
    let chinese = articles
        .iter()
        .filter(|a| {
            title_of(a).chars().any(crate::script::is_han)
                || a.sentences
                    .iter()
                    .any(|s| s.text.chars().any(crate::script::is_han))
        })
        .count();
    if chinese * 2 >= articles.len().max(1) {
        "zh-cn"
    } else {
        "en"
    }
}

/// The feed item of an article's `file` (its MP3 or Opus).
pub fn article_item(article: &ArticleEntry, file: &PublishedFile, run: &Run) -> Item {
    let description: Vec<&str> = article
        .sentences
        .iter()
        .take(DESCRIPTION_SENTENCES)
        .map(|s| s.text.as_str())
        .collect();
    let separator = if language(std::slice::from_ref(article)) == "zh-cn" {
        ""
    } else {
        " "
    };
    item(
        title_of(article),
        description.join(separator),
        file,
        run,
        Some(article.vtt.clone()),
        None,
    )
}

/// The feed item of the programme's `file`, with its chapters.
pub fn programme_item(programme: &ProgrammeEntry, file: &PublishedFile, run: &Run) -> Item {
    let description = format!("{} ({} stories)", run.album, programme.articles.len());
    item(
        &run.album,
        description,
        file,
        run,
        Some(programme.vtt.clone()),
        Some(CHAPTERS_FILE.to_owned()),
    )
}

fn item(
    title: &str,
    description: String,
    file: &PublishedFile,
    run: &Run,
    transcript: Option<String>,
    chapters: Option<String>,
) -> Item {
    let mime = Format::ALL
        .into_iter()
        .find(|f| f.extension() == file.format)
        .map_or("application/octet-stream", Format::mime);
    // Stable for the same file of the same run, whatever the URL it is
    // served from: a re-run replaces the item instead of adding one.
    let key = format!("{}\n{}\n{title}\n{}", run.stamp.date, file.file, file.bytes);
    let guid = format!("bulletin-{}", &blake3::hash(key.as_bytes()).to_hex()[..32]);
    Item {
        title: title.to_owned(),
        description,
        file: file.file.clone(),
        length: file.bytes,
        mime: mime.to_owned(),
        guid,
        published: run.stamp.clone(),
        duration_s: file.duration_s,
        transcript,
        chapters,
    }
}

/// The channel of `podcast`, titled by `--feed-title` or `default_title`.
pub fn channel(podcast: &Podcast, default_title: &str, language: &str, run: &Run) -> Channel {
    let title = podcast
        .title
        .clone()
        .unwrap_or_else(|| default_title.to_owned());
    let image = podcast.image.as_ref().map(|image| {
        if BaseUrl::parse(image).is_ok() {
            image.clone()
        } else {
            podcast.base_url.join(image)
        }
    });
    Channel {
        description: format!("{title}: spoken news"),
        title,
        language: language.to_owned(),
        base_url: podcast.base_url.clone(),
        image,
        author: run.station.clone(),
        built: run.stamp.clone(),
    }
}

/// The items of the feed already in `dir`, none if there is none, for a
/// new feed to keep behind its own.
pub fn kept_items(dir: &std::path::Path) -> Result<Vec<KeptItem>, FeedFileError> {
    let path = dir.join(FEED_FILE);
    let old = |source| FeedFileError::Old {
        path: path.clone(),
        source,
    };
    match std::fs::read(&path) {
        Ok(bytes) => feed::read_items(&bytes).map_err(old),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(error) => Err(old(feed::FeedError::Write(error))),
    }
}

/// Refuses, before a run, a `feed.xml` in `dir` that the run could not add
/// its items to.
pub fn check_feed(dir: &std::path::Path) -> Result<(), FeedFileError> {
    kept_items(dir).map(drop)
}

/// Why the feed already in the folder stops a run that would add to it.
#[derive(Debug, thiserror::Error)]
pub enum FeedFileError {
    /// The feed already in the folder cannot be merged into.
    #[error("cannot add to the feed {path} (move it away to start a new feed)")]
    Old {
        /// The old feed.
        path: std::path::PathBuf,
        /// What was wrong with it.
        #[source]
        source: feed::FeedError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn article(file: &str, title: &str, sentences: &[&str]) -> ArticleEntry {
        let sentences: Vec<_> = sentences
            .iter()
            .map(|text| {
                json!({"text": text, "spoken": text, "voice": "v", "start_s": 0.0,
                       "end_s": 1.0, "start_sample": 0, "end_sample": 48000})
            })
            .collect();
        serde_json::from_value(json!({
            "file": file, "title": title, "source": "in.txt", "duration_s": 10.5,
            "sample_rate": 48000, "bits": 16,
            "loudness": {"integrated_lufs": -23.0, "range_lu": null, "true_peak_dbtp": null,
                         "max_momentary_lufs": null, "max_short_term_lufs": null},
            "srt": file.replace(".wav", ".srt"), "vtt": file.replace(".wav", ".vtt"),
            "headline": null, "sentences": sentences
        }))
        .unwrap()
    }

    fn run() -> Run {
        let stamp = Stamp {
            date: "2024-05-17".into(),
            time: "06:00:00".into(),
        };
        Run::new(stamp, None, Some("Radio"))
    }

    #[test]
    fn programme_chapters_run_from_each_start_to_the_next() {
        let articles = [
            article("01-a.wav", "甲", &["一。"]),
            article("02-b.wav", "乙", &["二。"]),
        ];
        let programme: ProgrammeEntry = serde_json::from_value(json!({
            "file": "programme.wav", "playlist": "playlist.m3u", "srt": "programme.srt",
            "vtt": "programme.vtt", "duration_s": 25.0, "sample_rate": 48000, "bits": 16,
            "loudness": {"integrated_lufs": -23.0, "range_lu": null, "true_peak_dbtp": null,
                         "max_momentary_lufs": null, "max_short_term_lufs": null},
            "articles": [
                {"file": "01-a.wav", "start_s": 2.0, "start_sample": 96_000},
                {"file": "02-b.wav", "start_s": 13.5, "start_sample": 648_000}
            ]
        }))
        .unwrap();
        assert_eq!(
            programme_chapters(&programme, &articles),
            [
                Chapter::new("甲", 2.0, 13.5),
                Chapter::new("乙", 13.5, 25.0)
            ]
        );
        assert_eq!(
            programme_tags(&programme, &run()).title,
            "Bulletin 2024-05-17"
        );
    }

    #[test]
    fn items_describe_articles_in_their_language_with_stable_guids() {
        let zh = article(
            "01-a.wav",
            "甲",
            &["第一句。", "第二句。", "第三句。", "第四句。"],
        );
        let en = article("02-b.wav", "B", &["One.", "Two."]);
        assert_eq!(language(&[zh.clone(), zh.clone(), en.clone()]), "zh-cn");
        assert_eq!(language(std::slice::from_ref(&en)), "en");
        let file = |name: &str| PublishedFile {
            format: "mp3".into(),
            file: name.into(),
            bytes: 100,
            duration_s: 10.5,
        };
        let item = article_item(&zh, &file("01-a.mp3"), &run());
        assert_eq!(item.description, "第一句。第二句。第三句。");
        assert_eq!(item.mime, "audio/mpeg");
        assert_eq!(item.transcript.as_deref(), Some("01-a.vtt"));
        assert_eq!(
            article_item(&en, &file("02-b.mp3"), &run()).description,
            "One. Two."
        );
        assert_eq!(article_item(&zh, &file("01-a.mp3"), &run()).guid, item.guid);
        assert_ne!(article_item(&zh, &file("01-b.mp3"), &run()).guid, item.guid);
        let tags = article_tags(&zh, 1, 2, &run());
        assert_eq!((tags.track, tags.track_total), (Some(1), Some(2)));
        assert_eq!(tags.comment.as_deref(), Some("第一句。"));
    }

    #[test]
    fn a_feed_image_is_a_url_or_a_file_under_the_base_url() {
        let podcast = |image: &str| Podcast {
            base_url: BaseUrl::parse("https://radio.example/").unwrap(),
            title: None,
            image: Some(image.into()),
            keep: 50,
        };
        let cases = [
            ("cover.jpg", "https://radio.example/cover.jpg"),
            ("https://cdn.example/a.png", "https://cdn.example/a.png"),
        ];
        for (image, expected) in cases {
            let channel = channel(&podcast(image), "Inputs", "en", &run());
            assert_eq!(channel.image.as_deref(), Some(expected), "{image}");
        }
    }
}
