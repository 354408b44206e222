//! The podcast feed of a run: RSS 2.0 with the itunes and podcast
//! namespaces, one item per published file, merged into the feed an
//! earlier run left in the same folder so older items stay listed.

use crate::audio::wav::Stamp;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::{Reader, Writer};
use std::fmt::Write as _;
use std::io::Write;

const ITUNES_NS: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";
/// How many items a feed keeps by default, newest first.
pub const DEFAULT_KEEP: usize = 50;

/// Why a feed could not be made or merged.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// `--podcast` was not an absolute http(s) URL.
    #[error("podcast base URL {url:?} is not an absolute http:// or https:// URL")]
    BaseUrl {
        /// The URL as given.
        url: String,
    },
    /// The feed already in the folder is not one this writer can merge.
    #[error("the existing feed cannot be read: {reason}")]
    Unreadable {
        /// What the XML reader said.
        reason: String,
    },
    /// The feed could not be written.
    #[error("cannot write the feed")]
    Write(#[from] std::io::Error),
}

/// Where the published files will be served from: an absolute http(s) URL
/// that ends in `/`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BaseUrl(String);

impl TryFrom<String> for BaseUrl {
    type Error = FeedError;

    fn try_from(url: String) -> Result<BaseUrl, FeedError> {
        BaseUrl::parse(&url)
    }
}

impl From<BaseUrl> for String {
    fn from(url: BaseUrl) -> String {
        url.0
    }
}

impl BaseUrl {
    /// Accepts `http://host/...` or `https://host/...` with a host and no
    /// whitespace; adds the final `/`.
    pub fn parse(url: &str) -> Result<BaseUrl, FeedError> {
        let refuse = || FeedError::BaseUrl {
            url: url.to_owned(),
        };
        let rest = ["http://", "https://"]
            .iter()
            .find_map(|scheme| {
                url.get(..scheme.len())
                    .filter(|head| head.eq_ignore_ascii_case(scheme))
                    .map(|_| &url[scheme.len()..])
            })
            .ok_or_else(refuse)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c);
        if host.is_empty() || host.starts_with(':') || url.chars().any(bad_char) {
            return Err(refuse());
        }
        let mut base = url.to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        Ok(BaseUrl(base))
    }

    /// The URL of a file in the output folder, its name percent-encoded.
    pub fn join(&self, file: &str) -> String {
        let mut url = self.0.clone();
        for byte in file.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                url.push(char::from(byte));
            } else {
                let _ = write!(url, "%{byte:02X}");
            }
        }
        url
    }

    /// The URL itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the feed says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    /// The podcast's title.
    pub title: String,
    /// A sentence about it.
    pub description: String,
    /// `zh-cn` or `en`.
    pub language: String,
    /// Where the files are served from; also the channel's link.
    pub base_url: BaseUrl,
    /// The URL of the podcast's artwork, if any.
    pub image: Option<String>,
    /// The station, for `itunes:author`.
    pub author: Option<String>,
    /// When the run's inputs are dated: the feed's build date.
    pub built: Stamp,
}

/// One episode: a published file and what a podcast app shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The headline.
    pub title: String,
    /// The article's first sentences.
    pub description: String,
    /// The audio file's name in the output folder.
    pub file: String,
    /// The audio file's exact size in bytes.
    pub length: u64,
    /// `audio/mpeg` or `audio/ogg`.
    pub mime: String,
    /// A name that stays the same when the same file is published again.
    pub guid: String,
    /// When the article is dated.
    pub published: Stamp,
    /// The audio's duration in seconds.
    pub duration_s: f64,
    /// The subtitles' file name (`.vtt`).
    pub transcript: Option<String>,
    /// The Podcasting 2.0 chapters file's name (the programme only).
    pub chapters: Option<String>,
}

/// An item of an earlier feed, kept as the XML it was, with what tells
/// whether a new item replaces it.
#[derive(Debug, Clone)]
pub struct KeptItem {
    events: Vec<Event<'static>>,
    url: Option<String>,
    guid: Option<String>,
}

/// Reads the items of a feed this writer made before, in order.
pub fn read_items(xml: &[u8]) -> Result<Vec<KeptItem>, FeedError> {
    let unreadable = |reason: String| FeedError::Unreadable { reason };
    let mut reader = Reader::from_reader(xml);
    // Whitespace between elements is dropped: the writer indents anew.
    reader.config_mut().trim_text(true);
    let mut items = Vec::new();
    let mut current: Option<KeptItem> = None;
    let mut depth = 0_usize;
    let mut in_guid = false;
    let mut buffer = Vec::new();
    let mut saw_rss = false;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| unreadable(format!("at byte {}: {e}", reader.error_position())))?
            .into_owned();
        buffer.clear();
        match &event {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == "rss" => saw_rss = true,
            Event::Start(start) if current.is_none() && start.name().as_ref() == "item" => {
                current = Some(KeptItem {
                    events: Vec::new(),
                    url: None,
                    guid: None,
                });
                depth = 0;
            }
            _ => {}
        }
        let Some(item) = current.as_mut() else {
            continue;
        };
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        match &event {
            Event::Start(start) if start.name().as_ref() == "guid" => in_guid = true,
            Event::End(end) if end.name().as_ref() == "guid" => in_guid = false,
            Event::Text(text) if in_guid => {
                let text = text.xml10_content();
                item.guid.get_or_insert_with(String::new).push_str(&text);
            }
            Event::GeneralRef(reference) if in_guid => {
                let name = reference.xml10_content();
                let text = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default();
                item.guid.get_or_insert_with(String::new).push_str(text);
            }
            Event::Empty(start) | Event::Start(start) if start.name().as_ref() == "enclosure" => {
                let url = start
                    .try_get_attribute("url")
                    .map_err(|e| unreadable(e.to_string()))?
                    .map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map(std::borrow::Cow::into_owned)
                    })
                    .transpose()
                    .map_err(|e| unreadable(e.to_string()))?;
                item.url = url;
            }
            _ => {}
        }
        item.events.push(event);
        if depth == 0 {
            items.extend(current.take());
        }
    }
    if !saw_rss {
        return Err(unreadable("no <rss> element".into()));
    }
    Ok(items)
}

/// Writes the feed: the channel, then `items` (this run's, in order), then
/// the kept items that none of them replaces (same guid or same file URL),
/// at most `keep` items in all.
pub fn write_feed(
    writer: impl Write,
    channel: &Channel,
    items: &[Item],
    kept: &[KeptItem],
    keep: usize,
) -> Result<(), FeedError> {
    let mut xml = Writer::new_with_indent(writer, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xml.create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:itunes", ITUNES_NS))
        .with_attribute(("xmlns:podcast", PODCAST_NS))
        .write_inner_content(|xml| {
            xml.create_element("channel").write_inner_content(|xml| {
                write_channel_head(xml, channel)?;
                let new_urls: Vec<String> = items
                    .iter()
                    .map(|i| channel.base_url.join(&i.file))
                    .collect();
                for item in items.iter().take(keep) {
                    write_item(xml, &channel.base_url, item)?;
                }
                let replaced = |old: &KeptItem| {
                    old.url.as_ref().is_some_and(|url| new_urls.contains(url))
                        || old
                            .guid
                            .as_ref()
                            .is_some_and(|guid| items.iter().any(|i| clean(&i.guid) == *guid))
                };
                let room = keep.saturating_sub(items.len());
                for old in kept.iter().filter(|old| !replaced(old)).take(room) {
                    for event in &old.events {
                        xml.write_event(event.borrow())?;
                    }
                }
                Ok(())
            })?;
            Ok(())
        })?;
    xml.into_inner().flush()?;
    Ok(())
}

fn text_element<W: Write>(xml: &mut Writer<W>, name: &str, text: &str) -> std::io::Result<()> {
    xml.create_element(name)
        .write_text_content(BytesText::new(&clean(text)))?;
    Ok(())
}

fn write_channel_head<W: Write>(xml: &mut Writer<W>, channel: &Channel) -> std::io::Result<()> {
    text_element(xml, "title", &channel.title)?;
    text_element(xml, "link", channel.base_url.as_str())?;
    text_element(xml, "description", &channel.description)?;
    text_element(xml, "language", &channel.language)?;
    text_element(xml, "generator", "bulletin")?;
    text_element(xml, "lastBuildDate", &rfc2822(&channel.built))?;
    if let Some(author) = &channel.author {
        text_element(xml, "itunes:author", author)?;
    }
    text_element(xml, "itunes:summary", &channel.description)?;
    text_element(xml, "itunes:explicit", "false")?;
    xml.create_element("itunes:category")
        .with_attribute(("text", "News"))
        .write_empty()?;
    if let Some(image) = &channel.image {
        xml.create_element("itunes:image")
            .with_attribute(("href", clean(image).as_str()))
            .write_empty()?;
        xml.create_element("image").write_inner_content(|xml| {
            text_element(xml, "url", image)?;
            text_element(xml, "title", &channel.title)?;
            text_element(xml, "link", channel.base_url.as_str())
        })?;
    }
    Ok(())
}

fn write_item<W: Write>(xml: &mut Writer<W>, base: &BaseUrl, item: &Item) -> std::io::Result<()> {
    xml.create_element("item").write_inner_content(|xml| {
        text_element(xml, "title", &item.title)?;
        text_element(xml, "description", &item.description)?;
        xml.create_element("enclosure")
            .with_attribute(("url", base.join(&item.file).as_str()))
            .with_attribute(("length", item.length.to_string().as_str()))
            .with_attribute(("type", item.mime.as_str()))
            .write_empty()?;
        xml.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(&clean(&item.guid)))?;
        text_element(xml, "pubDate", &rfc2822(&item.published))?;
        text_element(
            xml,
            "itunes:duration",
            &format!("{}", item.duration_s.round() as u64),
        )?;
        if let Some(transcript) = &item.transcript {
            xml.create_element("podcast:transcript")
                .with_attribute(("url", base.join(transcript).as_str()))
                .with_attribute(("type", "text/vtt"))
                .write_empty()?;
        }
        if let Some(chapters) = &item.chapters {
            xml.create_element("podcast:chapters")
                .with_attribute(("url", base.join(chapters).as_str()))
                .with_attribute(("type", super::chapters::CHAPTERS_JSON_TYPE))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Text XML 1.0 can hold: control characters other than tab and line
/// breaks, C1 controls and the noncharacters U+FFFE and U+FFFF are
/// dropped, since no escape makes them well-formed. Markup characters are
/// escaped by the writer.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        })
        .collect()
}

/// A stamp as RSS dates are written (RFC 822 with a four-digit year):
/// `Fri, 17 May 2024 09:30:00 +0000`.
pub fn rfc2822(stamp: &Stamp) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<i64> = stamp
        .date
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    let [year, month, day] = parts[..] else {
        return String::new();
    };
    // Howard Hinnant's days-from-civil, the inverse of `Stamp::from_unix`.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    format!(
        "{}, {day:02} {} {year:04} {} +0000",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1).clamp(0, 11) as usize],
        stamp.time
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(date: &str) -> Stamp {
        Stamp {
            date: date.into(),
            time: "09:30:00".into(),
        }
    }

    fn item(file: &str, title: &str) -> Item {
        Item {
            title: title.into(),
            description: format!("About {title}."),
            file: file.into(),
            length: 1234,
            mime: "audio/mpeg".into(),
            guid: format!("{file}#abc"),
            published: stamp("2024-05-17"),
            duration_s: 61.6,
            transcript: Some(file.replace(".mp3", ".vtt")),
            chapters: None,
        }
    }

    fn channel() -> Channel {
        Channel {
            title: "Morning <news> & more".into(),
            description: "Daily".into(),
            language: "zh-cn".into(),
            base_url: BaseUrl::parse("https://example.org/pod").unwrap(),
            image: Some("https://example.org/a.png".into()),
            author: Some("Station".into()),
            built: stamp("2024-05-17"),
        }
    }

    fn feed(items: &[Item], kept: &[KeptItem], keep: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_feed(&mut bytes, &channel(), items, kept, keep).unwrap();
        bytes
    }

    fn parse(bytes: &[u8]) -> feed_rs::model::Feed {
        feed_rs::parser::parse(bytes).expect("feed-rs parses the feed")
    }

    #[test]
    fn base_urls() {
        let cases = [
            ("https://example.org/pod/", Some("https://example.org/pod/")),
            ("http://example.org", Some("http://example.org/")),
            (
                "HTTPS://example.org:8080/a",
                Some("HTTPS://example.org:8080/a/"),
            ),
            ("ftp://example.org/", None),
            ("example.org/pod", None),
            ("https://", None),
            ("https:///path", None),
            ("https://exa mple.org/", None),
            ("/var/www/pod", None),
        ];
        for (url, expected) in cases {
            let parsed = BaseUrl::parse(url).ok();
            assert_eq!(parsed.as_ref().map(BaseUrl::as_str), expected, "{url}");
        }
        let base = BaseUrl::parse("https://example.org/").unwrap();
        assert_eq!(
            base.join("01-a b&c.mp3"),
            "https://example.org/01-a%20b%26c.mp3"
        );
    }

    #[test]
    fn rfc2822_dates_have_the_right_weekday() {
        let cases = [
            ("1970-01-01", "Thu, 01 Jan 1970 09:30:00 +0000"),
            ("2024-02-29", "Thu, 29 Feb 2024 09:30:00 +0000"),
            ("2024-05-17", "Fri, 17 May 2024 09:30:00 +0000"),
            ("2026-11-30", "Mon, 30 Nov 2026 09:30:00 +0000"),
        ];
        for (date, text) in cases {
            assert_eq!(rfc2822(&stamp(date)), text);
        }
    }

    #[test]
    fn a_feed_parses_with_every_item_and_its_enclosure() {
        let mut programme = item("programme.mp3", "Programme");
        programme.chapters = Some("programme.chapters.json".into());
        let bytes = feed(
            &[programme, item("01-a.mp3", "A"), item("02-b.mp3", "B")],
            &[],
            50,
        );
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""));
        assert!(text.contains(
            "<podcast:transcript url=\"https://example.org/pod/01-a.vtt\" type=\"text/vtt\"/>"
        ));
        assert!(text.contains("type=\"application/json+chapters\""));
        assert!(text.contains("<itunes:duration>62</itunes:duration>"));
        let parsed = parse(&bytes);
        assert_eq!(parsed.title.unwrap().content, "Morning <news> & more");
        assert_eq!(parsed.language.as_deref(), Some("zh-cn"));
        let titles: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap().content)
            .collect();
        assert_eq!(titles, ["Programme", "A", "B"]);
        let enclosure = &parsed.entries[1].media[0].content[0];
        assert_eq!(
            enclosure.url.as_ref().unwrap().as_str(),
            "https://example.org/pod/01-a.mp3"
        );
        assert_eq!(enclosure.size, Some(1234));
        assert_eq!(parsed.entries[1].id, "01-a.mp3#abc");
    }

    #[test]
    fn hostile_headlines_stay_well_formed() {
        let hostile = "a ]]> b <c> & d \u{1} e \u{7} f \u{1b}[0m \u{FFFF}";
        let bytes = feed(&[item("01-a.mp3", hostile)], &[], 50);
        let parsed = parse(&bytes);
        assert_eq!(
            parsed.entries[0].title.clone().unwrap().content,
            "a ]]> b <c> & d  e  f [0m"
        );
        // A second reader that checks every character, not only the markup.
        let mut reader = Reader::from_reader(bytes.as_slice());
        let mut buffer = Vec::new();
        loop {
            match reader.read_event_into(&mut buffer).unwrap() {
                Event::Eof => break,
                Event::Text(text) => {
                    assert!(!text
                        .xml10_content()
                        .chars()
                        .any(|c| c.is_control() && c != '\n'));
                }
                _ => {}
            }
            buffer.clear();
        }
    }

    #[test]
    fn a_rerun_keeps_older_items_after_the_new_ones_and_replaces_the_same_file() {
        let first = feed(
            &[item("01-a.mp3", "Old A"), item("02-b.mp3", "Old B")],
            &[],
            50,
        );
        let kept = read_items(&first).unwrap();
        assert_eq!(kept.len(), 2);
        let second = feed(
            &[item("01-a.mp3", "New A"), item("03-c.mp3", "New C")],
            &kept,
            50,
        );
        let titles: Vec<_> = parse(&second)
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap().content)
            .collect();
        assert_eq!(titles, ["New A", "New C", "Old B"]);

        // Merging the same run again changes nothing: a re-run after a kill
        // gives the same bytes.
        let again = feed(
            &[item("01-a.mp3", "New A"), item("03-c.mp3", "New C")],
            &read_items(&second).unwrap(),
            50,
        );
        assert_eq!(again, second);

        let kept_two = feed(&[item("04-d.mp3", "D")], &read_items(&second).unwrap(), 2);
        let titles: Vec<_> = parse(&kept_two)
            .entries
            .iter()
            .map(|e| e.title.clone().unwrap().content)
            .collect();
        assert_eq!(titles, ["D", "New A"]);
    }

    #[test]
    fn a_file_that_is_not_a_feed_is_refused() {
        for bytes in [
            &b"<html><body/></html>"[..],
            b"<rss><channel><item></rss>",
            b"\x00\x01",
        ] {
            assert!(
                matches!(read_items(bytes), Err(FeedError::Unreadable { .. })),
                "{bytes:?}"
            );
        }
    }
}
