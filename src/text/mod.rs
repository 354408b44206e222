//! Text stage: documents become articles, articles become sentences, and each
//! sentence becomes what a news reader would say and what an engine is fed.
//!
//! - [`sentence`]: sentence splitting for Chinese and English.
//! - [`normalize`]: written form to spoken form (numbers and symbols).
//! - [`pinyin`]: Chinese to tone-numbered pinyin, word-aware.
//! - [`lexicon`]: user-editable pronunciations that win over every rule.
//! - [`utterance`]: language runs inside a sentence and cutting long ones.

pub mod lexicon;
pub mod normalize;
pub mod pinyin;
pub mod plan;
pub mod sentence;
pub mod utterance;

use serde::Serialize;

pub use crate::script::{is_cjk, is_cjk_punct, is_han};

use crate::ingest::{page, Content, Document};

/// A language bulletin can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Mandarin Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language's short code as used in profiles and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language a piece of text is read in: Chinese if it holds any Han
    /// character, else English.
    pub fn detect(text: &str) -> Lang {
        if text.chars().any(is_han) {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// One article: an optional headline and its paragraphs of sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The input the article came from.
    pub source: String,
    /// The headline, when the text printed one.
    pub title: Option<String>,
    /// Paragraphs in reading order; each is a list of sentences as written.
    pub paragraphs: Vec<Vec<String>>,
}

/// The articles of one document, and what its page printed that is not an
/// article (page furniture), set aside.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentArticles {
    /// Articles in reading order.
    pub articles: Vec<Article>,
    /// Page furniture lines, as printed.
    pub dropped: Vec<String>,
}

impl Article {
    /// The articles of one document. A page of plain text is split into
    /// its articles; structured formats give their own.
    pub fn from_document(document: &Document) -> DocumentArticles {
        let source = document.name.clone();
        let (articles, dropped) = match &document.content {
            Content::Page(text) => {
                let page = page::split(text);
                (page.articles, page.dropped)
            }
            Content::Articles(articles) => (articles.clone(), Vec::new()),
        };
        DocumentArticles {
            articles: articles
                .into_iter()
                .map(|article| Article::new(source.clone(), article.title, &article.paragraphs))
                .collect(),
            dropped,
        }
    }

    fn new(source: String, title: Option<String>, paragraphs: &[String]) -> Article {
        Article {
            source,
            title,
            paragraphs: paragraphs
                .iter()
                .map(|paragraph| sentence::split(paragraph))
                .filter(|sentences| !sentences.is_empty())
                .collect(),
        }
    }
}
