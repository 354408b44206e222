//! The text stage's product: every article as sentences, each as written,
//! as said, and as the engine runs that say it, with the voice that reads
//! it. It names no files: the output stage does.

use serde::Serialize;

use crate::ingest::Document;
use crate::text::pinyin::Pronouncer;
use crate::text::{normalize, utterance, Article, Lang};

/// Everything that will be spoken, before any synthesis.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Articles in reading order.
    pub articles: Vec<PlannedArticle>,
    /// Page furniture set aside and not read (dates, editions, credits,
    /// jump lines), as printed, in input order.
    pub dropped: Vec<String>,
}

/// One article of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedArticle {
    /// A stable id from the input's name and the article's place in it:
    /// adding another input does not change it (it chooses `--shard`).
    pub id: String,
    /// The headline, when the text printed one.
    pub title: Option<String>,
    /// The input it came from.
    pub source: String,
    /// The headline as spoken, when there is one.
    pub headline: Option<PlannedSentence>,
    /// Body sentences in reading order.
    pub sentences: Vec<PlannedSentence>,
}

impl PlannedArticle {
    /// The sentences read aloud, the headline first.
    pub fn spoken(&self) -> impl Iterator<Item = &PlannedSentence> {
        self.headline.iter().chain(&self.sentences)
    }

    /// The voice of every engine run, in reading order, with repeats.
    pub fn voices(&self) -> impl Iterator<Item = &str> {
        let runs = self.spoken().flat_map(|s| s.utterances.iter().flatten());
        runs.map(|run| run.voice.as_str())
    }
}

/// One sentence: as written, as said, and as the engines receive it.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedSentence {
    /// The sentence as written, after line joining.
    pub text: String,
    /// The text after normalization.
    pub spoken: String,
    /// Everything sent to engines for this sentence, runs joined by spaces.
    pub engine_input: String,
    /// The sentence's language.
    pub lang: Lang,
    /// The voice profile that reads it.
    pub voice: String,
    /// The paragraph it belongs to, counted from 0.
    pub paragraph: usize,
    /// The utterances it was cut into, each a list of runs.
    pub utterances: Vec<Vec<PlannedRun>>,
}

/// One engine call.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRun {
    /// The voice profile that speaks it.
    pub voice: String,
    /// Its language.
    pub lang: Lang,
    /// The exact engine input.
    pub input: String,
}

/// Which voice reads a language: the text stage asks, the voice stage
/// answers (its profiles implement this), so text never depends on voices.
pub trait Casting {
    /// Why no voice reads a language.
    type Error;

    /// The voice that reads `lang`.
    fn cast(&self, lang: Lang) -> Result<Cast<'_>, Self::Error>;

    /// The voice that reads a run of `lang` inside a sentence of
    /// `sentence`; by default the one for `lang`.
    fn cast_run(&self, sentence: Lang, lang: Lang) -> Result<Cast<'_>, Self::Error> {
        let _ = sentence;
        self.cast(lang)
    }
}

/// The voice chosen for a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cast<'a> {
    /// The voice profile's name.
    pub voice: &'a str,
    /// The longest utterance it is given, in characters.
    pub max_chars: usize,
}

/// Plans every article of every document, in reading order.
pub fn plan<C: Casting>(
    documents: &[Document],
    voices: &C,
    pronouncer: &Pronouncer,
) -> Result<Plan, C::Error> {
    let mut articles = Vec::new();
    let mut dropped = Vec::new();
    let mut all = Vec::new();
    for document in documents {
        let split = Article::from_document(document);
        dropped.extend(split.dropped);
        // The id names the input and the article's place in it, so adding
        // another input never changes it.
        all.extend(
            split
                .articles
                .into_iter()
                .enumerate()
                .map(|(place, article)| (format!("{}#{}", document.name, place + 1), article)),
        );
    }
    for (id, article) in all {
        let headline = article
            .title
            .as_deref()
            .map(|title| plan_sentence(title, 0, voices, pronouncer))
            .transpose()?;
        let mut sentences = Vec::new();
        for (paragraph, texts) in article.paragraphs.iter().enumerate() {
            for text in texts {
                sentences.push(plan_sentence(text, paragraph, voices, pronouncer)?);
            }
        }
        articles.push(PlannedArticle {
            id,
            title: article.title,
            source: article.source,
            headline,
            sentences,
        });
    }
    Ok(Plan { articles, dropped })
}

fn plan_sentence<C: Casting>(
    text: &str,
    paragraph: usize,
    voices: &C,
    pronouncer: &Pronouncer,
) -> Result<PlannedSentence, C::Error> {
    let lang = Lang::detect(text);
    let cast = voices.cast(lang)?;
    let spoken = normalize::spoken_with(text, lang, pronouncer.lexicon());
    let mut utterances = Vec::new();
    for piece in utterance::chunk(&spoken, cast.max_chars, pronouncer) {
        let mut runs = Vec::new();
        for run in utterance::runs(&piece, lang, pronouncer) {
            runs.push(PlannedRun {
                voice: voices.cast_run(lang, run.lang)?.voice.to_string(),
                lang: run.lang,
                input: run.engine_input,
            });
        }
        if !runs.is_empty() {
            utterances.push(runs);
        }
    }
    let engine_input = utterances
        .iter()
        .flatten()
        .map(|run| run.input.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(PlannedSentence {
        text: text.to_string(),
        spoken,
        engine_input,
        lang,
        voice: cast.voice.to_string(),
        paragraph,
        utterances,
    })
}
