//! What a player shows: one set of tags, written as ID3v2.4 frames for MP3
//! and as Vorbis comments in `OpusTags`, with chapters in each one's form.

use super::chapters::{vorbis_time, Chapter};
use id3::frame::{Chapter as ChapterFrame, Comment, ExtendedText, TableOfContents};
use id3::{Frame, TagLike, Timestamp, Version};

/// The reference loudness of `ReplayGain` 2.0, in LUFS.
const REPLAYGAIN_REFERENCE_LUFS: f64 = -18.0;
/// The reference loudness of Opus's R128 gains (RFC 7845), in LUFS.
const R128_REFERENCE_LUFS: f64 = -23.0;

/// The tags of one published file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    /// The headline (TIT2, TITLE).
    pub title: String,
    /// The station or speaker (TPE1, ARTIST).
    pub artist: Option<String>,
    /// The run's title or date (TALB, ALBUM).
    pub album: Option<String>,
    /// `yyyy-mm-dd`, the same date the WAV's `bext` carries (TDRC, DATE).
    pub date: Option<String>,
    /// The article's place in the run, from 1 (TRCK, TRACKNUMBER).
    pub track: Option<u32>,
    /// The number of articles in the run.
    pub track_total: Option<u32>,
    /// The first sentence (COMM, COMMENT).
    pub comment: Option<String>,
    /// The measured integrated loudness, for players' gain tags.
    pub loudness_lufs: Option<f64>,
}

impl Tags {
    /// `ReplayGain` 2.0's track gain, as its tag writes it (`+5.00 dB`).
    pub fn replaygain(&self) -> Option<String> {
        self.loudness_lufs
            .map(|lufs| format!("{:+.2} dB", REPLAYGAIN_REFERENCE_LUFS - lufs))
    }

    /// Opus's R128 track gain: dB to −23 LUFS in Q7.8 fixed point.
    pub fn r128_gain(&self) -> Option<i16> {
        self.loudness_lufs.map(|lufs| {
            ((R128_REFERENCE_LUFS - lufs) * 256.0)
                .round()
                .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
        })
    }
}

/// Writes the ID3v2.4 tag of an MP3 file: text frames, the loudness note,
/// and one CHAP frame per chapter under a top-level CTOC.
pub fn write_id3(
    writer: impl std::io::Write,
    tags: &Tags,
    chapters: &[Chapter],
) -> Result<(), id3::Error> {
    let mut tag = id3::Tag::new();
    tag.set_title(&tags.title);
    if let Some(artist) = &tags.artist {
        tag.set_artist(artist);
    }
    if let Some(album) = &tags.album {
        tag.set_album(album);
    }
    if let Some(date) = tags
        .date
        .as_deref()
        .and_then(|d| d.parse::<Timestamp>().ok())
    {
        tag.set_date_recorded(date);
    }
    if let Some(track) = tags.track {
        tag.set_track(track);
    }
    if let Some(total) = tags.track_total {
        tag.set_total_tracks(total);
    }
    if let Some(comment) = &tags.comment {
        tag.add_frame(Comment {
            lang: "und".into(),
            description: String::new(),
            text: comment.clone(),
        });
    }
    if let Some(gain) = tags.replaygain() {
        tag.add_frame(ExtendedText {
            description: "REPLAYGAIN_TRACK_GAIN".into(),
            value: gain,
        });
    }
    if !chapters.is_empty() {
        let ids: Vec<String> = (1..=chapters.len()).map(|n| format!("chp{n}")).collect();
        tag.add_frame(TableOfContents {
            element_id: "toc".into(),
            top_level: true,
            ordered: true,
            elements: ids.clone(),
            frames: vec![Frame::text("TIT2", "Chapters")],
        });
        for (id, chapter) in ids.into_iter().zip(chapters) {
            tag.add_frame(ChapterFrame {
                element_id: id,
                start_time: chapter.start_ms(),
                end_time: chapter.end_ms(),
                // All ones: the byte offsets are not given.
                start_offset: u32::MAX,
                end_offset: u32::MAX,
                frames: vec![Frame::text("TIT2", chapter.title.as_str())],
            });
        }
    }
    tag.write_to(writer, Version::Id3v24)
}

/// The Vorbis comments of an Opus file, in order: tags, the R128 gain, and
/// `CHAPTERxxx` and `CHAPTERxxxNAME` pairs.
pub fn vorbis_comments(tags: &Tags, chapters: &[Chapter]) -> Vec<(String, String)> {
    let mut comments = vec![("TITLE".to_owned(), tags.title.clone())];
    let optional = [
        ("ARTIST", tags.artist.clone()),
        ("ALBUM", tags.album.clone()),
        ("DATE", tags.date.clone()),
        ("TRACKNUMBER", tags.track.map(|t| t.to_string())),
        ("TRACKTOTAL", tags.track_total.map(|t| t.to_string())),
        ("COMMENT", tags.comment.clone()),
        ("R128_TRACK_GAIN", tags.r128_gain().map(|g| g.to_string())),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            comments.push((key.to_owned(), value));
        }
    }
    for (index, chapter) in chapters.iter().enumerate() {
        let key = format!("CHAPTER{:03}", index + 1);
        // The time first: readers (ffmpeg) attach a name to a chapter
        // they have already seen.
        comments.push((key.clone(), vorbis_time(chapter.start_s)));
        comments.push((format!("{key}NAME"), chapter.title.clone()));
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gains_follow_each_formats_reference() {
        let cases = [
            (-23.0, "+5.00 dB", 0),
            (-16.0, "-2.00 dB", -1792),
            (-18.0, "+0.00 dB", -1280),
            (-30.5, "+12.50 dB", 1920),
        ];
        for (lufs, replaygain, r128) in cases {
            let tags = Tags {
                loudness_lufs: Some(lufs),
                ..Tags::default()
            };
            assert_eq!(tags.replaygain().as_deref(), Some(replaygain), "{lufs}");
            assert_eq!(tags.r128_gain(), Some(r128), "{lufs}");
        }
    }

    #[test]
    fn an_id3_tag_reads_back_with_its_chapters() {
        let tags = Tags {
            title: "标题 & <b>".into(),
            artist: Some("Station".into()),
            album: Some("2024-05-17".into()),
            date: Some("2024-05-17".into()),
            track: Some(2),
            track_total: Some(5),
            comment: Some("第一句。".into()),
            loudness_lufs: Some(-16.0),
        };
        let chapters = [Chapter::new("一", 0.0, 1.5), Chapter::new("二", 1.5, 3.25)];
        let mut bytes = Vec::new();
        write_id3(&mut bytes, &tags, &chapters).unwrap();
        let tag = id3::Tag::read_from2(std::io::Cursor::new(&bytes)).unwrap();
        assert_eq!(tag.version(), Version::Id3v24);
        assert_eq!(tag.title(), Some("标题 & <b>"));
        assert_eq!(tag.artist(), Some("Station"));
        assert_eq!(tag.track(), Some(2));
        assert_eq!(tag.total_tracks(), Some(5));
        let starts: Vec<_> = tag.chapters().map(|c| (c.start_time, c.end_time)).collect();
        assert_eq!(starts, [(0, 1500), (1500, 3250)]);
        assert_eq!(tag.tables_of_contents().next().unwrap().elements.len(), 2);
        let gain = tag.extended_texts().next().unwrap();
        assert_eq!(
            (gain.description.as_str(), gain.value.as_str()),
            ("REPLAYGAIN_TRACK_GAIN", "-2.00 dB")
        );
    }

    #[test]
    fn opus_comments_carry_chapters_in_order() {
        let tags = Tags {
            title: "T".into(),
            track: Some(1),
            ..Tags::default()
        };
        let comments = vorbis_comments(
            &tags,
            &[Chapter::new("A", 0.0, 61.5), Chapter::new("B", 61.5, 70.0)],
        );
        let keys: Vec<_> = comments.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            keys,
            [
                "TITLE=T",
                "TRACKNUMBER=1",
                "CHAPTER001=00:00:00.000",
                "CHAPTER001NAME=A",
                "CHAPTER002=00:01:01.500",
                "CHAPTER002NAME=B",
            ]
        );
    }
}
