//! Reads the inputs a user names (files, folders, standard input) into text
//! documents, refusing anything that is not readable UTF-8 text, and splits
//! printed pages into their articles.
//!
//! - [`repair`]: undoes PDF-extraction artifacts and sets page furniture aside.
//! - [`cues`]: what a line is: sentence end, dateline, headline, passage note.
//! - [`page`]: a page in, its articles out, headlines attached.

pub mod cues;
pub mod page;
pub mod repair;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::config::InputSource;

/// One input document: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// How the user would name this input: a path, or `<stdin>`.
    pub name: String,
    /// What it holds.
    pub content: Content,
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
    /// The bytes are not valid UTF-8.
    #[error("{name} is not valid UTF-8 text: invalid byte sequence at byte offset {offset}")]
    NotUtf8 {
        /// The input's name.
        name: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// A folder was given but holds no `.txt` or `.md` files.
    #[error("{0} holds no .txt or .md files")]
    EmptyFolder(PathBuf),
    /// Every input was empty or whitespace only.
    #[error("nothing was found to read: {0} holds no text")]
    NoText(String),
    /// No inputs were named at all.
    #[error("nothing was found to read: give a file, a folder, or - for standard input")]
    NoInput,
}

/// Extensions read when a folder is given.
const TEXT_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// Reads every input in order. Folders expand to their text files sorted by
/// name. Documents that hold only whitespace are refused, so that nothing is
/// silently skipped.
pub fn read_inputs(inputs: &[InputSource]) -> Result<Vec<Document>, IngestError> {
    if inputs.is_empty() {
        return Err(IngestError::NoInput);
    }
    let mut documents = Vec::new();
    for input in inputs {
        match input {
            InputSource::Stdin => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|source| IngestError::Read {
                        path: PathBuf::from("<stdin>"),
                        source,
                    })?;
                documents.push(decode("<stdin>", bytes)?);
            }
            InputSource::Path(path) if path.is_dir() => {
                for file in text_files_in(path)? {
                    documents.push(read_file(&file)?);
                }
            }
            InputSource::Path(path) => documents.push(read_file(path)?),
        }
    }
    for document in &documents {
        if document.content.is_blank() {
            return Err(IngestError::NoText(document.name.clone()));
        }
    }
    Ok(documents)
}

fn text_files_in(folder: &Path) -> Result<Vec<PathBuf>, IngestError> {
    let read_error = |source| IngestError::Read {
        path: folder.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let is_text = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| TEXT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
        if is_text && path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(IngestError::EmptyFolder(folder.to_path_buf()));
    }
    files.sort();
    Ok(files)
}

fn read_file(path: &Path) -> Result<Document, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&path.display().to_string(), bytes)
}

/// Decodes UTF-8 (a byte-order mark is dropped) and normalizes line endings.
fn decode(name: &str, bytes: Vec<u8>) -> Result<Document, IngestError> {
    let text = String::from_utf8(bytes).map_err(|error| IngestError::NotUtf8 {
        name: name.to_string(),
        offset: error.utf8_error().valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(Document {
        name: name.to_string(),
        content: Content::Page(text.replace("\r\n", "\n").replace('\r', "\n")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let error = decode("page.txt", b"abc\xff\xfe".to_vec()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "page.txt is not valid UTF-8 text: invalid byte sequence at byte offset 3"
        );
    }

    #[test]
    fn bom_and_crlf_are_normalized() {
        let doc = decode("a", "\u{feff}one\r\ntwo\rthree".as_bytes().to_vec()).unwrap();
        assert_eq!(doc.content, Content::Page("one\ntwo\nthree".into()));
    }
}
