//! Wires the stages together: documents are planned into articles of
//! sentences and engine inputs, every sentence is synthesized on one rayon
//! pool, and each article is assembled in order and written.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::audio::{self, Bulletin, Layout, Pcm, SentenceAudio, Span};
use crate::config::Config;
use crate::error::Error;
use crate::ingest::Document;
use crate::output::manifest::{ArticleEntry, FailedArticle, Manifest, SentenceEntry, Summary};
use crate::output::{self, names, OutputError};
use crate::progress::Progress;
use crate::text::{normalize, utterance, Article, Lang};
use crate::voice::{self, Engine, EngineError, ProfileError, VoiceProfile, VoiceSet};

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
    /// The headline, when the text printed one.
    pub title: Option<String>,
    /// The input it came from.
    pub source: String,
    /// The WAV it will be written to.
    pub file: String,
    /// The headline as spoken, when there is one.
    pub headline: Option<PlannedSentence>,
    /// Body sentences in reading order.
    pub sentences: Vec<PlannedSentence>,
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

/// Plans every article of every document, in reading order.
pub fn plan(documents: &[Document], voices: &VoiceSet) -> Result<Plan, ProfileError> {
    let mut articles = Vec::new();
    let mut dropped = Vec::new();
    let mut all = Vec::new();
    for document in documents {
        let split = Article::from_document(document);
        all.extend(split.articles);
        dropped.extend(split.dropped);
    }
    for (index, article) in all.into_iter().enumerate() {
        let headline = article
            .title
            .as_deref()
            .map(|title| plan_sentence(title, 0, voices))
            .transpose()?;
        let mut sentences = Vec::new();
        for (paragraph, texts) in article.paragraphs.iter().enumerate() {
            for text in texts {
                sentences.push(plan_sentence(text, paragraph, voices)?);
            }
        }
        articles.push(PlannedArticle {
            file: names::wav_name(index + 1, article.title.as_deref(), &article.source),
            title: article.title,
            source: article.source,
            headline,
            sentences,
        });
    }
    Ok(Plan { articles, dropped })
}

fn plan_sentence(
    text: &str,
    paragraph: usize,
    voices: &VoiceSet,
) -> Result<PlannedSentence, ProfileError> {
    let lang = Lang::detect(text);
    let profile = voices.for_lang(lang)?;
    let spoken = normalize::spoken(text, lang);
    let mut utterances = Vec::new();
    for piece in utterance::chunk(&spoken, profile.max_chars) {
        let mut runs = Vec::new();
        for run in utterance::runs(&piece, lang) {
            runs.push(PlannedRun {
                voice: voices.for_lang(run.lang)?.name.clone(),
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
        voice: profile.name.clone(),
        paragraph,
        utterances,
    })
}

/// The engines a plan needs, one per voice profile, each checked once.
struct Voices<'a> {
    engines: BTreeMap<String, (&'a VoiceProfile, Box<dyn Engine>)>,
}

impl<'a> Voices<'a> {
    fn for_plan(plan: &Plan, voices: &'a VoiceSet) -> Result<Voices<'a>, Error> {
        let mut engines = BTreeMap::new();
        let needed = plan
            .articles
            .iter()
            .flat_map(|a| a.headline.iter().chain(&a.sentences))
            .flat_map(|s| s.utterances.iter().flatten())
            .map(|run| run.voice.as_str());
        for name in needed {
            if engines.contains_key(name) {
                continue;
            }
            let profile = voices.get(name)?;
            let engine = voice::engine_for(profile)?;
            engine.check(profile).map_err(Error::NoEngine)?;
            engines.insert(name.to_string(), (profile, engine));
        }
        Ok(Voices { engines })
    }

    fn speak(&self, run: &PlannedRun) -> Result<Pcm, EngineError> {
        let (profile, engine) = &self.engines[&run.voice];
        engine.synthesize(profile, &run.input)
    }
}

/// Synthesizes and writes every article of the plan into the output folder,
/// with `manifest.json`, and returns the manifest. Articles that fail are
/// listed in its `failed` part and not written; the others are.
pub fn render(plan: &Plan, voices: &VoiceSet, config: &Config) -> Result<Manifest, Error> {
    let started = Instant::now();
    let engines = Voices::for_plan(plan, voices)?;
    output::create_dir(&config.out_dir)?;
    let sentence_count = plan
        .articles
        .iter()
        .map(|a| a.sentences.len() + usize::from(a.headline.is_some()))
        .sum();
    let progress = Progress::new(sentence_count, plan.articles.len(), config.quiet);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .build()
        .expect("a thread pool can be built");
    let outcomes: Vec<Result<ArticleEntry, FailedArticle>> = pool.install(|| {
        plan.articles
            .par_iter()
            .map(|article| {
                let outcome = render_article(article, &engines, voices, &config.out_dir, &progress);
                progress.article_done();
                outcome
            })
            .collect()
    });
    progress.finish();

    let mut articles = Vec::new();
    let mut failed = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(entry) => articles.push(entry),
            Err(failure) => failed.push(failure),
        }
    }
    let audio_s: f64 = articles.iter().map(|a| a.duration_s).sum();
    let wall_s = started.elapsed().as_secs_f64();
    let summary = Summary {
        articles: articles.len(),
        failed_articles: failed.len(),
        sentences: articles.iter().map(|a| a.sentences.len()).sum(),
        audio_s: round3(audio_s),
        wall_s: round3(wall_s),
        realtime_factor: round3(audio_s / wall_s.max(1e-9)),
    };
    let manifest = Manifest {
        articles,
        failed,
        summary,
    };
    let manifest_path = config.out_dir.join("manifest.json");
    output::write_atomic(&manifest_path, |file| {
        serde_json::to_writer_pretty(&mut *file, &manifest)?;
        std::io::Write::write_all(file, b"\n")
    })?;
    Ok(manifest)
}

fn render_article(
    article: &PlannedArticle,
    engines: &Voices<'_>,
    voices: &VoiceSet,
    out_dir: &Path,
    progress: &Progress,
) -> Result<ArticleEntry, FailedArticle> {
    let fail = |sentence: &str, error: String| FailedArticle {
        source: article.source.clone(),
        title: article.title.clone(),
        sentence: sentence.to_string(),
        error,
    };
    let all: Vec<&PlannedSentence> = article.headline.iter().chain(&article.sentences).collect();
    let audio: Vec<Result<SentenceAudio, (String, EngineError)>> = all
        .par_iter()
        .map(|sentence| {
            let mut utterances = Vec::new();
            for runs in &sentence.utterances {
                let pcm: Result<Vec<Pcm>, EngineError> =
                    runs.iter().map(|run| engines.speak(run)).collect();
                utterances.push(pcm.map_err(|error| (sentence.text.clone(), error))?);
            }
            progress.sentence_done();
            Ok(SentenceAudio { utterances })
        })
        .collect();
    let mut audio = audio
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(text, error)| fail(&text, error.to_string()))?;

    let headline = article.headline.as_ref().map(|_| audio.remove(0));
    let mut paragraphs: Vec<Vec<SentenceAudio>> = Vec::new();
    for (sentence, sound) in article.sentences.iter().zip(audio) {
        if paragraphs.len() <= sentence.paragraph {
            paragraphs.resize_with(sentence.paragraph + 1, Vec::new);
        }
        paragraphs[sentence.paragraph].push(sound);
    }
    paragraphs.retain(|p| !p.is_empty());
    let main_voice = article
        .sentences
        .first()
        .or(article.headline.as_ref())
        .map(|s| s.voice.as_str());
    let pauses = main_voice
        .and_then(|name| voices.get(name).ok())
        .map(|p| p.pauses)
        .unwrap_or_default();
    let bulletin =
        audio::assemble(headline.as_ref(), &paragraphs, Layout { pauses }).map_err(|error| {
            fail(
                article.title.as_deref().unwrap_or(&article.source),
                error.to_string(),
            )
        })?;

    let path = out_dir.join(&article.file);
    output::write_atomic(&path, |file| {
        audio::wav::write_wav(file, &bulletin.pcm).map_err(std::io::Error::other)
    })
    .map_err(|error: OutputError| {
        fail(&article.file, format!("{error}: {}", error_source(&error)))
    })?;
    Ok(manifest_entry(article, &bulletin))
}

fn error_source(error: &OutputError) -> String {
    std::error::Error::source(error)
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn manifest_entry(article: &PlannedArticle, bulletin: &Bulletin) -> ArticleEntry {
    let rate = f64::from(bulletin.pcm.sample_rate);
    let entry = |sentence: &PlannedSentence, span: Span| SentenceEntry {
        text: sentence.text.clone(),
        spoken: sentence.spoken.clone(),
        voice: sentence.voice.clone(),
        start_s: round6(span.start as f64 / rate),
        end_s: round6(span.end as f64 / rate),
    };
    ArticleEntry {
        file: article.file.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        duration_s: round6(bulletin.pcm.samples.len() as f64 / rate),
        sample_rate: bulletin.pcm.sample_rate,
        headline: article
            .headline
            .as_ref()
            .zip(bulletin.headline)
            .map(|(s, span)| entry(s, span)),
        sentences: article
            .sentences
            .iter()
            .zip(&bulletin.sentences)
            .map(|(s, span)| entry(s, *span))
            .collect(),
    }
}

fn round3(value: f64) -> f64 {
    (value * 1e3).round() / 1e3
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}
