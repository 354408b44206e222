//! Chapters: one per article of a programme, so listeners can skip. The
//! same list becomes ID3 CHAP frames, Opus chapter comments and the
//! Podcasting 2.0 `chapters.json` that podcast apps read beside the file.

use serde::Serialize;

/// One chapter: a headline and where its article starts and ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// The article's headline.
    pub title: String,
    /// Seconds from the start of the file.
    pub start_s: f64,
    /// Seconds from the start of the file.
    pub end_s: f64,
}

impl Chapter {
    /// A chapter from `start_s` to `end_s`.
    pub fn new(title: impl Into<String>, start_s: f64, end_s: f64) -> Chapter {
        Chapter {
            title: title.into(),
            start_s,
            end_s,
        }
    }

    /// The start in whole milliseconds, as CHAP frames give it.
    pub fn start_ms(&self) -> u32 {
        to_ms(self.start_s)
    }

    /// The end in whole milliseconds, as CHAP frames give it.
    pub fn end_ms(&self) -> u32 {
        to_ms(self.end_s)
    }
}

fn to_ms(seconds: f64) -> u32 {
    (seconds * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// A time as Vorbis chapter comments write it: `HH:MM:SS.mmm`.
pub fn vorbis_time(seconds: f64) -> String {
    let ms = to_ms(seconds);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The MIME type of Podcasting 2.0 chapters.
pub const CHAPTERS_JSON_TYPE: &str = "application/json+chapters";

#[derive(Serialize)]
struct ChaptersJson<'a> {
    version: &'static str,
    chapters: Vec<JsonChapter<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonChapter<'a> {
    start_time: f64,
    end_time: f64,
    title: &'a str,
}

/// Writes the Podcasting 2.0 chapters file (`application/json+chapters`,
/// version 1.2.0), times in seconds to the millisecond.
pub fn write_chapters_json(
    writer: impl std::io::Write,
    chapters: &[Chapter],
) -> serde_json::Result<()> {
    let seconds = |s: f64| f64::from(to_ms(s)) / 1000.0;
    let file = ChaptersJson {
        version: "1.2.0",
        chapters: chapters
            .iter()
            .map(|c| JsonChapter {
                start_time: seconds(c.start_s),
                end_time: seconds(c.end_s),
                title: &c.title,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(writer, &file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vorbis_times() {
        let cases = [
            (0.0, "00:00:00.000"),
            (1.2345, "00:00:01.235"),
            (61.5, "00:01:01.500"),
            (3723.004, "01:02:03.004"),
        ];
        for (seconds, text) in cases {
            assert_eq!(vorbis_time(seconds), text, "{seconds}");
        }
    }

    #[test]
    fn chapters_json_reads_back_as_podcasting_2_chapters() {
        let mut bytes = Vec::new();
        let chapters = [
            Chapter::new("头条 \"引号\"", 0.0, 12.3456),
            Chapter::new("Second", 12.3456, 20.0),
        ];
        write_chapters_json(&mut bytes, &chapters).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(json["version"], "1.2.0");
        let read = json["chapters"].as_array().unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0]["title"], "头条 \"引号\"");
        assert_eq!(read[0]["startTime"], 0.0);
        assert_eq!(read[1]["startTime"], 12.346);
        assert_eq!(read[1]["endTime"], 20.0);
    }
}
