//! Reads the inputs a user names (files, folders, standard input) into
//! documents: plain text as a page, structured formats as their articles.
//! Whatever is not readable text is refused here, naming the input.
//!
//! - [`decode`]: bytes to text, with encoding detection and strict decoding.
//! - [`clean`]: characters a reader cannot say are removed.
//! - [`markdown`], [`html`], [`feed`]: one structured format each.
//! - [`repair`]: undoes PDF-extraction artifacts and sets page furniture aside.
//! - [`cues`]: what a line is: sentence end, dateline, headline, passage note.
//! - [`page`]: a page in, its articles out, headlines attached.
//!
//! This file reads the bytes (within the size limit) and picks the format by
//! extension, or by sniffing the content when the extension says nothing.

pub mod clean;
pub mod cues;
pub mod decode;
pub mod feed;
pub mod html;
pub mod markdown;
pub mod page;
pub mod repair;

use std::io::Read;
use std::path::{Path, PathBuf};

use decode::{Choice, Guess, TextEncoding};

/// Inputs larger than this are refused unless `--max-input-size` raises it.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 50 << 20;

/// Where input text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A file, or a folder whose files of a readable format (`.txt`, `.md`,
    /// `.html`, `.htm`, `.xml`, `.rss`, `.atom`) are read in name order.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

/// What the ingest stage needs to know: which inputs, in which encoding,
/// up to which size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// Inputs in the order given.
    pub inputs: Vec<InputSource>,
    /// The encoding every input is read in; `None` detects each one's.
    pub encoding: Option<TextEncoding>,
    /// Inputs larger than this many bytes are refused.
    pub max_input_size: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            inputs: Vec::new(),
            encoding: None,
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
        }
    }
}

/// One input document: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// How the user would name this input: a path, or `<stdin>`.
    pub name: String,
    /// What it holds.
    pub content: Content,
    /// When the file was last changed; `None` for standard input.
    pub modified: Option<std::time::SystemTime>,
}

/// What a document holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Plain text as printed: one article, or a newspaper page of several,
    /// with the line breaks and artifacts of its layout.
    Page(String),
    /// Articles whose structure the format already marks (headings,
    /// markup, feed items).
    Articles(Vec<SourceArticle>),
}

/// An article as a structured format gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceArticle {
    /// The headline, if the format marks one.
    pub title: Option<String>,
    /// Paragraphs of text, in order.
    pub paragraphs: Vec<String>,
}

#[cfg(test)]
impl SourceArticle {
    /// An article from literal parts, for tests.
    pub(crate) fn of(title: Option<&str>, paragraphs: &[&str]) -> SourceArticle {
        SourceArticle {
            title: title.map(str::to_string),
            paragraphs: paragraphs.iter().map(|p| (*p).to_string()).collect(),
        }
    }
}

impl Content {
    /// True when there is nothing to read.
    pub fn is_blank(&self) -> bool {
        match self {
            Content::Page(text) => text.trim().is_empty(),
            Content::Articles(articles) => articles.iter().all(|article| {
                article.title.as_deref().is_none_or(|t| t.trim().is_empty())
                    && article.paragraphs.iter().all(|p| p.trim().is_empty())
            }),
        }
    }
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The path could not be opened or read.
    #[error("cannot read {path}")]
    Read {
        /// The input path.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The input is larger than the size limit.
    #[error(
        "{name} is larger than the input size limit of {}; raise the limit with --max-input-size",
        size_in_words(*limit)
    )]
    TooLarge {
        /// The input's name.
        name: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The input holds binary data (NUL bytes, or mostly control codes).
    #[error("{0} is a binary file, not text")]
    Binary(String),
    /// The bytes are malformed in the encoding that was chosen.
    #[error("{name} is not valid {encoding} text{choice}: malformed byte sequence at byte offset {offset}{guess}")]
    Undecodable {
        /// The input's name.
        name: String,
        /// The encoding's name.
        encoding: &'static str,
        /// How that encoding was chosen.
        choice: Choice,
        /// Offset of the first malformed byte.
        offset: usize,
        /// What the detector guessed, when its guess was not trusted.
        guess: Guess,
    },
    /// A feed file could not be parsed as RSS or Atom.
    #[error("{name} is not a readable RSS or Atom feed")]
    Feed {
        /// The input's name.
        name: String,
        /// What the feed parser said.
        #[source]
        source: feed_rs::parser::ParseFeedError,
    },
    /// A folder was given but holds no file of a readable format.
    #[error("{} holds no {} files", .0.display(), folder_extensions())]
    EmptyFolder(PathBuf),
    /// Every input was empty or whitespace only.
    #[error("nothing was found to read: {0} holds no text")]
    NoText(String),
    /// No inputs were named at all.
    #[error("nothing was found to read: give a file, a folder, or - for standard input")]
    NoInput,
}

/// A size in bytes as a person would say it: `50 MiB`, `1.5 KiB`, `12 bytes`.
fn size_in_words(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    UNITS.iter().find(|(_, unit)| bytes >= *unit).map_or_else(
        || format!("{bytes} bytes"),
        |&(name, unit)| {
            let value = format!("{:.1}", bytes as f64 / unit as f64);
            format!("{} {name}", value.trim_end_matches(".0"))
        },
    )
}

/// The formats bulletin reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Plain text: a page, split into articles by the text stage.
    Text,
    /// Markdown: headings start articles.
    Markdown,
    /// An HTML page: its article elements, or its main text.
    Html,
    /// An RSS or Atom feed: one article per item.
    Feed,
}

/// File extensions and the format each names; a folder is read for these.
const EXTENSIONS: [(&str, Format); 7] = [
    ("txt", Format::Text),
    ("md", Format::Markdown),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("xml", Format::Feed),
    ("rss", Format::Feed),
    ("atom", Format::Feed),
];

/// The extensions read in a folder, as error messages list them.
fn folder_extensions() -> String {
    let names: Vec<String> = EXTENSIONS
        .iter()
        .map(|(ext, _)| format!(".{ext}"))
        .collect();
    names.join(", ")
}

fn format_of_extension(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(name, _)| *name == extension)
        .map(|&(_, format)| format)
}

/// The format a text's first tag shows, for inputs whose name says nothing
/// (standard input, unknown extensions): a feed's `<rss>`, `<feed>` or
/// `<rdf:RDF>`, or an HTML page's doctype or `<html>`. Anything else is
/// plain text.
fn sniffed_format(text: &str) -> Format {
    let mut rest = text.trim_start();
    loop {
        let lower: String = rest
            .chars()
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower.starts_with("<?") {
            "?>"
        } else if lower.starts_with("<!--") {
            "-->"
        } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
            return Format::Html;
        } else if lower.starts_with("<!doctype") {
            ">"
        } else if ["<rss", "<feed", "<rdf:rdf"]
            .iter()
            .any(|tag| lower.starts_with(tag))
        {
            return Format::Feed;
        } else {
            return Format::Text;
        };
        match rest.find(skip_to) {
            Some(end) => rest = rest[end + skip_to.len()..].trim_start(),
            None => return Format::Text,
        }
    }
}

/// Reads every input in order. Folders expand to their files of a readable
/// format, sorted by name. Each input is decoded (see [`decode`]), cleaned
/// (see [`clean`]) and parsed by its format. Inputs over the size limit,
/// binary data, undecodable bytes and documents with no text are refused,
/// so that nothing is silently skipped or read as garbage.
pub fn read_inputs(config: &IngestOptions) -> Result<Vec<Document>, IngestError> {
    if config.inputs.is_empty() {
        return Err(IngestError::NoInput);
    }
    let mut documents = Vec::new();
    for input in &config.inputs {
        match input {
            InputSource::Stdin => {
                let name = "<stdin>";
                let bytes = read_bounded(std::io::stdin().lock(), config.max_input_size)
                    .map_err(|source| IngestError::Read {
                        path: PathBuf::from(name),
                        source,
                    })?
                    .ok_or_else(|| too_large(name, config))?;
                documents.push(document(name, &bytes, None, config)?);
            }
            InputSource::Path(path) if path.is_dir() => {
                for file in readable_files_in(path)? {
                    documents.push(read_file(&file, config)?);
                }
            }
            InputSource::Path(path) => documents.push(read_file(path, config)?),
        }
    }
    for document in &documents {
        if document.content.is_blank() {
            return Err(IngestError::NoText(document.name.clone()));
        }
    }
    Ok(documents)
}

fn too_large(name: &str, config: &IngestOptions) -> IngestError {
    IngestError::TooLarge {
        name: name.to_string(),
        limit: config.max_input_size,
    }
}

fn readable_files_in(folder: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let read_error = |source| IngestError::Read {
        path: folder.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if format_of_extension(&path).is_some() && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(IngestError::EmptyFolder(folder.to_path_buf()));
    }
    files.sort();
    Ok(files)
}

fn read_file(path: &Path, config: &IngestOptions) -> Result<Document, IngestError> {
    let name = path.display().to_string();
    let read_error = |source| IngestError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let metadata = file.metadata().map_err(read_error)?;
    // Refuse a file known to be too large before reading any of it.
    if metadata.len() > config.max_input_size {
        return Err(too_large(&name, config));
    }
    let bytes = read_bounded(file, config.max_input_size)
        .map_err(read_error)?
        .ok_or_else(|| too_large(&name, config))?;
    let mut document = document(&name, &bytes, format_of_extension(path), config)?;
    document.modified = metadata.modified().ok();
    Ok(document)
}

/// Reads at most `limit` bytes; `None` when the input holds more. Memory
/// stays bounded even when the size was not known beforehand (standard
/// input, devices, files that grow).
fn read_bounded(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Decodes one input and reads it in its format: the extension's, else the
/// one its content shows.
fn document(
    name: &str,
    bytes: &[u8],
    format: Option<Format>,
    config: &IngestOptions,
) -> Result<Document, IngestError> {
    let text = decode::decode(name, bytes, config.encoding)?;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let content = match format.unwrap_or_else(|| sniffed_format(&text)) {
        Format::Text => Content::Page(clean::unspeakable_removed(&text)),
        Format::Markdown => Content::Articles(markdown::articles(&text)),
        Format::Html => Content::Articles(html::articles(&text)),
        Format::Feed => Content::Articles(feed::articles(name, &text)?),
    };
    Ok(Document {
        name: name.to_string(),
        content,
        modified: None,
    })
}

/// One paragraph's text as markup holds it, made plain: characters a reader
/// cannot say are removed, runs of spaces become one, and line breaks are
/// joined as in a page (nothing between Chinese text, a space between
/// Latin words).
fn paragraph_text(raw: &str) -> String {
    let cleaned = clean::unspeakable_removed(raw);
    let lines: Vec<String> = cleaned
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    repair::join_lines(&lines)
}

/// Gathers the articles of a structured document as its parser meets
/// headlines and paragraphs, and drops those that hold no text.
#[derive(Debug, Default)]
struct ArticlesBuilder {
    articles: Vec<SourceArticle>,
    current: Option<SourceArticle>,
}

impl ArticlesBuilder {
    /// Ends the article being built and starts one with this raw headline.
    fn start(&mut self, raw_title: &str) {
        self.finish_article();
        let title = paragraph_text(raw_title);
        self.current = Some(SourceArticle {
            title: (!title.is_empty()).then_some(title),
            paragraphs: Vec::new(),
        });
    }

    /// Adds a raw paragraph to the article being built (an untitled one
    /// if none was started).
    fn paragraph(&mut self, raw: &str) {
        let text = paragraph_text(raw);
        if !text.is_empty() {
            self.current
                .get_or_insert_with(|| SourceArticle {
                    title: None,
                    paragraphs: Vec::new(),
                })
                .paragraphs
                .push(text);
        }
    }

    fn finish_article(&mut self) {
        if let Some(article) = self.current.take() {
            if article.title.is_some() || !article.paragraphs.is_empty() {
                self.articles.push(article);
            }
        }
    }

    fn finish(mut self) -> Vec<SourceArticle> {
        self.finish_article();
        self.articles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Content {
        document("a", text.as_bytes(), None, &IngestOptions::default())
            .unwrap()
            .content
    }

    #[test]
    fn bom_crlf_and_unspeakable_characters_are_normalized() {
        assert_eq!(
            page("\u{feff}one\r\ntwo\rthree\u{200b}👍"),
            Content::Page("one\ntwo\nthree".into())
        );
    }

    #[test]
    fn format_follows_extension_then_content() {
        let cases = [
            ("a.txt", "<html><p>x</p></html>", Format::Text),
            ("a.MD", "# x", Format::Markdown),
            ("a.htm", "x", Format::Html),
            ("a.atom", "x", Format::Feed),
            (
                "a",
                "  <?xml version=\"1.0\"?>\n<!-- c --><rss version=\"2.0\">",
                Format::Feed,
            ),
            (
                "a.dat",
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                Format::Feed,
            ),
            ("a", "<?xml version=\"1.0\"?><rdf:RDF>", Format::Feed),
            ("a", "<!DOCTYPE html>\n<html>", Format::Html),
            ("a", "<HTML><body>", Format::Html),
            ("a", "新华社北京电 <rss> 不是开头", Format::Text),
            ("a", "<?xml version=\"1.0\"", Format::Text),
        ];
        for (name, text, expected) in cases {
            let format =
                format_of_extension(Path::new(name)).unwrap_or_else(|| sniffed_format(text));
            assert_eq!(format, expected, "{name}: {text}");
        }
    }

    #[test]
    fn paragraph_text_joins_lines_like_a_page() {
        let cases = [
            ("  one   two \n three ", "one two three"),
            ("会议\n  指出，\nGDP 增长", "会议指出，GDP 增长"),
            ("a\u{a0}b\u{3000}c", "a b c"),
            ("zero\u{200b}width\t tab", "zerowidth tab"),
            (" \n \t ", ""),
        ];
        for (raw, expected) in cases {
            assert_eq!(paragraph_text(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn sizes_are_said_in_words() {
        let cases = [
            (12, "12 bytes"),
            (1536, "1.5 KiB"),
            (50 << 20, "50 MiB"),
            (3 << 30, "3 GiB"),
        ];
        for (bytes, words) in cases {
            assert_eq!(size_in_words(bytes), words);
        }
    }

    #[test]
    fn reading_stops_past_the_limit() {
        assert_eq!(read_bounded(&b"0123456789"[..], 9).unwrap(), None);
        assert_eq!(
            read_bounded(&b"0123456789"[..], 10).unwrap().as_deref(),
            Some(&b"0123456789"[..])
        );
        let config = IngestOptions {
            max_input_size: 50 << 20,
            ..IngestOptions::default()
        };
        assert_eq!(
            too_large("big.txt", &config).to_string(),
            "big.txt is larger than the input size limit of 50 MiB; raise the limit with --max-input-size"
        );
    }
}
