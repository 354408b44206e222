//! Wires the stages together: documents are planned into articles of
//! sentences and engine inputs, every sentence is synthesized on one rayon
//! pool, and each article is assembled in order and written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::audio::programme::Clips;
use crate::audio::wav::{self, Metadata, Stamp, WavFormat};
use crate::audio::Target;
use crate::audio::{self, Bulletin, Layout, Loudness, Pcm, SentenceAudio, Span};
use crate::config::{Config, ProgrammeConfig};
use crate::error::Error;
use crate::ingest::Document;
use crate::output::cache::SegmentCache;
use crate::output::manifest::{
    ArticleEntry, FailedArticle, LoudnessEntry, Manifest, ProgrammeEntry, ProgrammeItem,
    SentenceEntry, Summary,
};
use crate::output::merge::MergeError;
use crate::output::subtitles::{self, Cue};
use crate::output::{self, names, playlist, OutputError};
use crate::progress::Progress;
use crate::text::pinyin::Pronouncer;
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
    /// A stable id from the input's name and the article's place in it:
    /// adding another input does not change it (it chooses `--shard`).
    pub id: String,
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
pub fn plan(
    documents: &[Document],
    voices: &VoiceSet,
    pronouncer: &Pronouncer,
) -> Result<Plan, ProfileError> {
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
    for (index, (id, article)) in all.into_iter().enumerate() {
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
    pronouncer: &Pronouncer,
) -> Result<PlannedSentence, ProfileError> {
    let lang = Lang::detect(text);
    let profile = voices.for_lang(lang)?;
    let spoken = normalize::spoken_with(text, lang, pronouncer.lexicon());
    let mut utterances = Vec::new();
    for piece in utterance::chunk(&spoken, profile.max_chars, pronouncer) {
        let mut runs = Vec::new();
        for run in utterance::runs(&piece, lang, pronouncer) {
            runs.push(PlannedRun {
                voice: voices.for_run(lang, run.lang)?.name.clone(),
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

/// The engines a plan needs, one per voice profile, each checked once, and
/// the segment cache in front of them.
struct Voices<'a> {
    engines: BTreeMap<String, Speaker<'a>>,
    cache: Option<SegmentCache>,
}

/// One voice: its profile, its engine, and the part of the cache key that
/// is the same for all its utterances.
struct Speaker<'a> {
    profile: &'a VoiceProfile,
    engine: Box<dyn Engine>,
    key_prefix: [String; 3],
}

impl<'a> Voices<'a> {
    fn for_plan(
        plan: &Plan,
        voices: &'a VoiceSet,
        cache: Option<SegmentCache>,
    ) -> Result<Voices<'a>, Error> {
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
            let whole_profile = serde_json::to_string(profile).expect("profiles serialize");
            let key_prefix = [engine.name().to_string(), engine.version(), whole_profile];
            engines.insert(
                name.to_string(),
                Speaker {
                    profile,
                    engine,
                    key_prefix,
                },
            );
        }
        Ok(Voices { engines, cache })
    }

    /// One utterance's audio: from the cache when it holds it, else from
    /// the engine, with one retry when the engine fails or times out.
    fn speak(&self, run: &PlannedRun) -> Result<Pcm, EngineError> {
        let speaker = &self.engines[&run.voice];
        let [name, version, profile] = &speaker.key_prefix;
        let key = SegmentCache::key(&[name, version, profile, &run.input]);
        if let Some(pcm) = self.cache.as_ref().and_then(|cache| cache.get(&key)) {
            return Ok(pcm);
        }
        let pcm = speaker
            .engine
            .synthesize(speaker.profile, &run.input)
            .or_else(|_| speaker.engine.synthesize(speaker.profile, &run.input))?;
        if let Some(cache) = &self.cache {
            // A cache that cannot be written costs speed next time, not audio now.
            let _ = cache.put(&key, &pcm);
        }
        Ok(pcm)
    }
}

/// Synthesizes and writes every article of the plan into the output folder,
/// each WAV with its subtitles, then the programme when asked for, and
/// `manifest.json`; returns the manifest. Articles that fail are listed in
/// its `failed` part and not written; the others are.
pub fn render(plan: &Plan, voices: &VoiceSet, config: &Config) -> Result<Manifest, Error> {
    let started = Instant::now();
    let cache = config.cache_dir.as_ref().map(SegmentCache::new);
    let engines = Voices::for_plan(plan, voices, cache)?;
    // The programme's clips are read before any synthesis: a bad --intro is
    // bad input, found before minutes of work.
    let clips = config
        .audio
        .programme
        .as_ref()
        .map(|p| {
            Clips::load(
                p.intro.as_deref(),
                p.sting.as_deref(),
                p.outro.as_deref(),
                config.audio.rate,
                config.audio.target,
            )
        })
        .transpose()
        .map_err(Error::Clip)?;
    output::create_dir(&config.out_dir)?;
    output::remove_stale_partials(&config.out_dir);
    let stamp = origination_stamp(config);
    let chosen: Vec<&PlannedArticle> = plan
        .articles
        .iter()
        .filter(|article| config.shard.is_none_or(|shard| shard.includes(&article.id)))
        .collect();
    let sentence_count = chosen
        .iter()
        .map(|a| a.sentences.len() + usize::from(a.headline.is_some()))
        .sum();
    let progress = Progress::new(
        sentence_count,
        chosen.len(),
        config.quiet,
        config.log_format,
    );
    let outcomes = render_articles(&chosen, &engines, voices, config, &stamp, &progress);

    let mut articles = Vec::new();
    let mut failed = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(entry) => articles.push(entry),
            Err(failure) => failed.push(failure),
        }
    }
    let (programme, programme_error) = match clips {
        Some(clips) if !articles.is_empty() => {
            let format = WavFormat {
                sample_rate: config.audio.rate,
                bits: config.audio.bits,
            };
            let made = write_programme_files(
                &articles,
                &clips,
                &config.out_dir,
                format,
                config.audio.target,
                &stamp,
            );
            match made {
                Ok(entry) => (Some(entry), None),
                Err(error) => (None, Some(error)),
            }
        }
        _ => (None, None),
    };
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
    progress.finish(&summary);
    let manifest = Manifest {
        articles,
        failed,
        summary,
        programme,
        job: config.job.clone(),
    };
    manifest.write(&config.out_dir.join(manifest_name(config)))?;
    match programme_error {
        Some(error) => Err(error),
        None => Ok(manifest),
    }
}

/// Renders the chosen articles on the rayon pool, a pool's width of
/// articles in flight at a time, and returns their outcomes in order: each
/// article's sentences are synthesized in parallel, and memory holds only
/// the articles in flight, however long the batch. With `--fail-fast`,
/// articles not yet started when one fails are reported as not rendered.
fn render_articles(
    chosen: &[&PlannedArticle],
    engines: &Voices<'_>,
    voices: &VoiceSet,
    config: &Config,
    stamp: &Stamp,
    progress: &Progress,
) -> Vec<Result<ArticleEntry, FailedArticle>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs.unwrap_or(0))
        .build()
        .expect("a thread pool can be built");
    let stopped = AtomicBool::new(false);
    // As many articles in flight as threads, which bounds memory; each
    // thread takes the next article as soon as its own is written, so a
    // long article never holds the others back. Sentences are spread over
    // every thread, so a thread whose article is finishing (loudness,
    // writing) leaves its core to the other articles' synthesis.
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Result<ArticleEntry, FailedArticle>>>> =
        Mutex::new((0..chosen.len()).map(|_| None).collect());
    pool.scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            scope.spawn(|_| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(article) = chosen.get(index) else {
                    break;
                };
                let outcome = if stopped.load(Ordering::SeqCst) {
                    Err(FailedArticle {
                        source: article.source.clone(),
                        title: article.title.clone(),
                        sentence: String::new(),
                        error: "not rendered: --fail-fast stopped the run at an earlier failure"
                            .into(),
                    })
                } else {
                    let outcome = render_article(article, engines, voices, config, stamp, progress);
                    match &outcome {
                        Ok(entry) => progress.article_done(entry),
                        Err(failure) => {
                            stopped.store(config.fail_fast, Ordering::SeqCst);
                            progress.article_failed(failure);
                        }
                    }
                    outcome
                };
                outcomes.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(outcome);
            });
        }
    });
    outcomes
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|outcome| outcome.expect("every article was taken by a thread"))
        .collect()
}

/// The key of a render job: a hash of everything its output depends on
/// (the inputs as read, the voice profiles, the lexicon, the settings that
/// change audio or files, the `bext` date, the espeak-ng mode and this
/// version of bulletin), but not of how it runs (jobs, cache, logging).
pub fn job_key(
    documents: &[Document],
    voices: &VoiceSet,
    lexicon: &crate::text::lexicon::Lexicon,
    config: &Config,
) -> String {
    let stamp = origination_stamp(config);
    let description = format!(
        "{}\n{documents:?}\n{voices:?}\n{lexicon:?}\n{:?}\n{:?}\n{:?}\n{}\n{}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        config.voice,
        config.shard,
        config.audio,
        stamp.date,
        stamp.time,
        std::env::var("BULLETIN_ESPEAK_MODE").ok(),
    );
    blake3::hash(description.as_bytes()).to_hex().to_string()
}

/// The manifest of an earlier run of the same job whose every file is still
/// in place, if there is one: then there is nothing to do.
pub fn finished(config: &Config) -> Option<Manifest> {
    let job = config.job.as_deref()?;
    let text = std::fs::read_to_string(config.out_dir.join(manifest_name(config))).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    let whole =
        |name: &str| std::fs::metadata(config.out_dir.join(name)).is_ok_and(|m| m.len() > 0);
    let stem = |file: &str| file.trim_end_matches(".wav").to_string();
    let done = manifest.job.as_deref() == Some(job)
        && manifest.failed.is_empty()
        && manifest.articles.iter().all(|article| {
            whole(&article.file)
                && whole(&format!("{}.srt", stem(&article.file)))
                && whole(&format!("{}.vtt", stem(&article.file)))
        })
        && manifest
            .programme
            .as_ref()
            .is_none_or(|programme| whole(&programme.file));
    done.then_some(manifest)
}

/// The origination date and time written into every WAV's `bext` chunk.
/// A re-run of the same job must give the same bytes, so this is not the
/// clock: it is `SOURCE_DATE_EPOCH` when set (the reproducible-builds
/// convention), else the newest modification time among the input files,
/// else (standard input only) now.
fn origination_stamp(config: &Config) -> Stamp {
    let mut files = Vec::new();
    for input in &config.inputs {
        if let crate::config::InputSource::Path(path) = input {
            if path.is_dir() {
                let entries = std::fs::read_dir(path).into_iter().flatten().flatten();
                files.extend(entries.map(|entry| entry.path()));
            } else {
                files.push(path.clone());
            }
        }
    }
    stamp_of(&files)
}

/// `SOURCE_DATE_EPOCH` when set, else the newest modification time among
/// `files`, else now.
fn stamp_of(files: &[PathBuf]) -> Stamp {
    if let Some(seconds) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Stamp::from_unix(seconds);
    }
    let newest = files
        .iter()
        .filter_map(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok())
        .max();
    match newest.and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok()) {
        Some(since_epoch) => Stamp::from_unix(since_epoch.as_secs()),
        None => Stamp::now(),
    }
}

/// Adds the programme to a batch whose shards `bulletin merge` joined:
/// `programme.wav` from the articles every shard wrote, in the order of
/// the joined manifest, with its subtitles and playlist; `manifest.json`
/// is written again to list it. Its date is `SOURCE_DATE_EPOCH`, else that
/// of the newest article file. A batch with no articles has no programme.
pub fn add_programme(
    manifest: &mut Manifest,
    dir: &Path,
    programme: &ProgrammeConfig,
    target: Target,
) -> Result<(), Error> {
    let Some(first) = manifest.articles.first() else {
        return Ok(());
    };
    let format = WavFormat {
        sample_rate: first.sample_rate,
        bits: first.bits,
    };
    if let Some(other) = manifest
        .articles
        .iter()
        .find(|a| (a.sample_rate, a.bits) != (format.sample_rate, format.bits))
    {
        return Err(MergeError::MixedFormats {
            first: first.file.clone(),
            other: other.file.clone(),
        }
        .into());
    }
    let clips = Clips::load(
        programme.intro.as_deref(),
        programme.sting.as_deref(),
        programme.outro.as_deref(),
        format.sample_rate,
        target,
    )
    .map_err(Error::Clip)?;
    let files: Vec<PathBuf> = manifest
        .articles
        .iter()
        .map(|a| dir.join(&a.file))
        .collect();
    let stamp = stamp_of(&files);
    let entry = write_programme_files(&manifest.articles, &clips, dir, format, target, &stamp)?;
    manifest.programme = Some(entry);
    manifest.write(&dir.join("manifest.json"))?;
    Ok(())
}

/// `manifest.json`, or one manifest per shard for `bulletin merge` to join.
fn manifest_name(config: &Config) -> String {
    match config.shard {
        Some(shard) => format!("manifest.shard-{}-of-{}.json", shard.index, shard.count),
        None => "manifest.json".to_string(),
    }
}

fn render_article(
    article: &PlannedArticle,
    engines: &Voices<'_>,
    voices: &VoiceSet,
    config: &Config,
    stamp: &Stamp,
    progress: &Progress,
) -> Result<ArticleEntry, FailedArticle> {
    let fail = |sentence: &str, error: String| FailedArticle {
        source: article.source.clone(),
        title: article.title.clone(),
        sentence: sentence.to_string(),
        error,
    };
    let rate = config.audio.rate;
    let all: Vec<&PlannedSentence> = article.headline.iter().chain(&article.sentences).collect();
    let audio: Vec<Result<SentenceAudio, (String, String)>> = all
        .par_iter()
        .map(|sentence| {
            let failed = |error: String| (sentence.text.clone(), error);
            let mut utterances = Vec::new();
            for runs in &sentence.utterances {
                let mut segments = Vec::new();
                for run in runs {
                    let pcm = engines.speak(run).map_err(|e| failed(e.to_string()))?;
                    segments.push(audio::prepare(&pcm, rate).map_err(|e| failed(e.to_string()))?);
                }
                utterances.push(segments);
            }
            progress.sentence_done();
            Ok(SentenceAudio { utterances })
        })
        .collect();
    let mut audio = audio
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(text, error)| fail(&text, error))?;

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
    let profile_pauses = main_voice
        .and_then(|name| voices.get(name).ok())
        .map(|p| p.pauses)
        .unwrap_or_default();
    let layout = Layout {
        pauses: config.audio.pauses.over(profile_pauses),
        rate,
    };
    let name = article.title.as_deref().unwrap_or(&article.source);
    let mut bulletin = audio::assemble(headline.as_ref(), &paragraphs, layout)
        .map_err(|error| fail(name, error.to_string()))?;
    let loudness =
        audio::loudness::normalize(&mut bulletin.pcm.samples, rate, config.audio.target).loudness;

    let metadata = Metadata {
        title: name.to_string(),
        reference: names::sibling(&article.file, ""),
        stamp: stamp.clone(),
    };
    let written_fail = |error: OutputError| fail(&article.file, error_chain(&error));
    output::write_atomic(&config.out_dir.join(&article.file), |file| {
        wav::write_wav(
            file,
            &bulletin.pcm,
            config.audio.bits,
            &metadata,
            Some(&loudness),
        )
    })
    .map_err(written_fail)?;
    let entry = manifest_entry(article, &bulletin, &loudness, config.audio.bits);
    write_subtitles(
        &config.out_dir,
        &entry.srt,
        &entry.vtt,
        &cues(&entry, 0),
        rate,
    )
    .map_err(written_fail)?;
    Ok(entry)
}

/// Writes `programme.wav` from the written articles, with its subtitles and
/// the playlist of the article files.
fn write_programme_files(
    articles: &[ArticleEntry],
    clips: &Clips,
    out_dir: &Path,
    format: WavFormat,
    target: Target,
    stamp: &Stamp,
) -> Result<ProgrammeEntry, Error> {
    let file = "programme.wav";
    let paths: Vec<PathBuf> = articles.iter().map(|a| out_dir.join(&a.file)).collect();
    let metadata = Metadata {
        title: format!("Bulletin {}", stamp.date),
        reference: "programme".into(),
        stamp: stamp.clone(),
    };
    let mut written = None;
    output::write_atomic(&out_dir.join(file), |out| {
        let programme =
            audio::programme::write_programme(out, &paths, clips, format, target, &metadata)
                .map_err(std::io::Error::other)?;
        written = Some(programme);
        Ok(())
    })?;
    let programme = written.expect("the programme was written");

    let mut all_cues = Vec::new();
    for (article, start) in articles.iter().zip(&programme.article_starts) {
        all_cues.extend(cues(article, *start));
    }
    let srt = names::sibling(file, "srt");
    let vtt = names::sibling(file, "vtt");
    write_subtitles(out_dir, &srt, &vtt, &all_cues, format.sample_rate)?;
    let playlist = "playlist.m3u";
    let entries: Vec<playlist::Entry<'_>> = articles
        .iter()
        .map(|a| playlist::Entry {
            file: &a.file,
            duration_s: a.duration_s,
            title: a.title.as_deref().unwrap_or(&a.source),
        })
        .collect();
    write_text(&out_dir.join(playlist), &playlist::m3u(&entries))?;

    let rate = f64::from(format.sample_rate);
    Ok(ProgrammeEntry {
        file: file.into(),
        playlist: playlist.into(),
        srt,
        vtt,
        duration_s: round6(programme.len as f64 / rate),
        sample_rate: format.sample_rate,
        bits: format.bits,
        loudness: LoudnessEntry::from(&programme.loudness),
        articles: articles
            .iter()
            .zip(&programme.article_starts)
            .map(|(a, start)| ProgrammeItem {
                file: a.file.clone(),
                start_s: round6(*start as f64 / rate),
                start_sample: *start,
            })
            .collect(),
    })
}

/// One cue per spoken sentence of an article, the headline first, shifted
/// by `offset` samples.
fn cues(article: &ArticleEntry, offset: usize) -> Vec<Cue<'_>> {
    article
        .headline
        .iter()
        .chain(&article.sentences)
        .map(|s| Cue {
            start: offset + s.start_sample,
            end: offset + s.end_sample,
            text: &s.text,
        })
        .collect()
}

fn write_subtitles(
    out_dir: &Path,
    srt: &str,
    vtt: &str,
    cues: &[Cue<'_>],
    rate: u32,
) -> Result<(), OutputError> {
    write_text(&out_dir.join(srt), &subtitles::srt(cues, rate))?;
    write_text(&out_dir.join(vtt), &subtitles::vtt(cues, rate))
}

fn write_text(path: &Path, text: &str) -> Result<(), OutputError> {
    output::write_atomic(path, |file| {
        std::io::Write::write_all(file, text.as_bytes())
    })
}

/// An error and its causes, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn manifest_entry(
    article: &PlannedArticle,
    bulletin: &Bulletin,
    loudness: &Loudness,
    bits: u16,
) -> ArticleEntry {
    let rate = f64::from(bulletin.pcm.sample_rate);
    let entry = |sentence: &PlannedSentence, span: Span| SentenceEntry {
        text: sentence.text.clone(),
        spoken: sentence.spoken.clone(),
        voice: sentence.voice.clone(),
        start_s: round6(span.start as f64 / rate),
        end_s: round6(span.end as f64 / rate),
        start_sample: span.start,
        end_sample: span.end,
    };
    ArticleEntry {
        file: article.file.clone(),
        title: article.title.clone(),
        source: article.source.clone(),
        duration_s: round6(bulletin.pcm.samples.len() as f64 / rate),
        sample_rate: bulletin.pcm.sample_rate,
        bits,
        loudness: LoudnessEntry::from(loudness),
        srt: names::sibling(&article.file, "srt"),
        vtt: names::sibling(&article.file, "vtt"),
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
