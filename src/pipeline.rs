//! Wires the stages together and does none of their work: a plan's
//! articles are scheduled on one rayon pool, every sentence synthesized
//! (voice), each article mastered (audio) and written (output), then the
//! run is finished (output: programme, feed, manifest).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::audio::programme::Clips;
use crate::audio::stream::{self, Article};
use crate::audio::wav::Stamp;
use crate::audio::{self, AudioError, SentenceAudio};
use crate::config::{Config, Shard};
use crate::error::Error;
use crate::ordered;
use crate::output::cache::SegmentCache;
use crate::output::finish::{finish, Ending};
use crate::output::manifest::{ArticleEntry, FailedArticle, Manifest};
use crate::output::names;
use crate::output::programme::ProgrammeMix;
use crate::output::publish::episode::Run;
use crate::output::write::{self, ArticleFiles};
use crate::progress::Progress;
pub use crate::text::plan::{plan, Plan, PlannedArticle, PlannedRun, PlannedSentence};
use crate::voice::{Engines, UtteranceStore, VoiceSet};

/// Synthesizes and writes every article of the plan (this shard's, when
/// sharded) into the output folder, then the programme when asked for,
/// the feed and the manifest; returns the manifest. Articles that fail are
/// listed in its `failed` part and not written; the others are. When the
/// programme, the feed or the manifest cannot be written, the error is
/// [`Error::Unfinished`], which still holds the manifest.
pub fn render(plan: &Plan, voices: &VoiceSet, config: &Config) -> Result<Manifest, Error> {
    let started = Instant::now();
    let chosen = schedule(plan, config.shard);
    let cache = config.cache_dir.as_ref().map(SegmentCache::new);
    let store = cache.as_ref().map(|c| c as &dyn UtteranceStore);
    let needed = chosen.iter().flat_map(|s| s.article.voices());
    let engines = Engines::ready(needed, voices, &config.engines, store)?;
    // The programme's clips are read before any synthesis: a bad --intro is
    // bad input, found before minutes of work.
    let clips = config.audio.clips()?;
    let dir = &config.out_dir;
    let own_files = chosen.iter().map(|s| s.file.as_str());
    write::remove_stale_partials(dir, config.manifest_file(), own_files);
    let stamp = config.stamp.clone().unwrap_or_else(Stamp::now);
    let run = Run::publishing(stamp, &config.publish);
    let files = ArticleFiles {
        bits: config.audio.bits,
        publish: &config.publish,
        run: &run,
        total: plan.articles.len(),
    };
    let sentences = chosen.iter().map(|s| s.article.spoken().count()).sum();
    let progress = Progress::new(sentences, chosen.len(), config.quiet, config.log_format);
    let outcomes = render_articles(&chosen, &engines, config, &files, &progress);
    let wall_s = started.elapsed().as_secs_f64();
    let manifest = Manifest::of_run(outcomes, wall_s, &config.publish, config.job.clone());
    progress.finish(&manifest.summary);
    end(manifest, clips.as_ref(), &run, config)
}

/// Ends the run (output): the programme, the feed (not a shard's), the
/// manifest. Whatever stops it, the manifest goes back to the caller, so
/// the failures it lists are reported even when it was not written.
fn end(
    mut manifest: Manifest,
    clips: Option<&Clips>,
    run: &Run,
    config: &Config,
) -> Result<Manifest, Error> {
    let audio = &config.audio;
    let ending = Ending {
        programme: clips.map(|clips| ProgrammeMix {
            clips,
            format: audio.wav_format(),
            target: audio.target,
        }),
        publish: &config.publish,
        run,
        feed: config.shard.is_none(),
        manifest: config.manifest_file(),
    };
    match finish(&config.out_dir, &mut manifest, &ending) {
        Ok(()) => Ok(manifest),
        Err(error) => Err(Error::unfinished(manifest, error)),
    }
}

/// An article this run renders.
struct Scheduled<'a> {
    article: &'a PlannedArticle,
    /// The WAV it is written to.
    file: String,
    /// Its place in the whole plan, from 1, whichever shard renders it.
    track: usize,
}

/// This shard's articles (all, unsharded), each with its file and track.
fn schedule(plan: &Plan, shard: Option<Shard>) -> Vec<Scheduled<'_>> {
    plan.articles
        .iter()
        .zip(names::article_files(plan))
        .zip(1..)
        .map(|((article, file), track)| Scheduled {
            article,
            file,
            track,
        })
        .filter(|s| shard.is_none_or(|shard| shard.includes(&s.article.id)))
        .collect()
}

/// Renders the chosen articles on the rayon pool, a pool's width of
/// articles in flight at a time, and returns their outcomes in order: each
/// article's sentences are synthesized in parallel, and memory holds only
/// the articles in flight, however long the batch. With `--fail-fast`,
/// articles not yet started when one fails are reported as not rendered.
fn render_articles(
    chosen: &[Scheduled<'_>],
    engines: &Engines<'_>,
    config: &Config,
    files: &ArticleFiles<'_>,
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
                let Some(scheduled) = chosen.get(index) else {
                    break;
                };
                let outcome = if stopped.load(Ordering::SeqCst) {
                    Err(FailedArticle::not_rendered(scheduled.article))
                } else {
                    let outcome = render_article(scheduled, engines, config, files, progress);
                    match &outcome {
                        Ok(entry) => progress.article_done(entry),
                        Err(failure) => {
                            stopped.store(config.fail_fast, Ordering::SeqCst);
                            // An earlier run's files for it would pass for
                            // this run's.
                            write::remove_article_files(&config.out_dir, &scheduled.file);
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

/// One article: synthesize (voice), master (audio), write (output). A
/// failure names the sentence.
fn render_article(
    scheduled: &Scheduled<'_>,
    engines: &Engines<'_>,
    config: &Config,
    files: &ArticleFiles<'_>,
    progress: &Progress,
) -> Result<ArticleEntry, FailedArticle> {
    let (article, file) = (scheduled.article, scheduled.file.as_str());
    let failed = |error| audio_failed(article, &error);
    // The article's main voice sets its pauses.
    let main_voice = article.sentences.first().or(article.headline.as_ref());
    let profile = main_voice.and_then(|s| engines.profile(&s.voice));
    let layout = config.audio.layout(profile.map(|p| p.pauses));
    let placer = stream::start(layout, &config.out_dir, file).map_err(failed)?;
    let placer = synthesize(article, placer, engines, progress)?;
    let mastered = stream::master(placer, config.audio.target).map_err(failed)?;
    let written = (article, file, scheduled.track);
    write::write_article_files(&config.out_dir, written, &mastered, files)
        .map_err(|e| FailedArticle::new(article, "", crate::error::chain(&e)))
}

/// Sentences synthesized ahead per thread within an article: enough that
/// a thread rarely waits for a long sentence before it to be laid out,
/// few enough that the audio held stays a few megabytes.
const SENTENCES_PER_THREAD: usize = 4;

/// Synthesizes the article's sentences side by side on every thread, the
/// longest of a sliding window first, and lays each out in order as its
/// turn comes: the article is never all in memory.
fn synthesize(
    article: &PlannedArticle,
    mut placer: Article,
    engines: &Engines<'_>,
    progress: &Progress,
) -> Result<Article, FailedArticle> {
    let rate = placer.layout().rate;
    let spoken: Vec<&PlannedSentence> = article.spoken().collect();
    let window = rayon::current_num_threads().max(1) * SENTENCES_PER_THREAD;
    let speak_sentence = |sentence: &&PlannedSentence| {
        let speak = |run: &PlannedRun| -> Result<_, String> {
            let pcm = engines.speak(&run.voice, &run.input);
            audio::prepare(&pcm.map_err(|e| e.to_string())?, rate).map_err(|e| e.to_string())
        };
        let utterances = sentence
            .utterances
            .iter()
            .map(|runs| runs.iter().map(speak).collect::<Result<Vec<_>, _>>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| FailedArticle::new(article, &sentence.text, error))?;
        progress.sentence_done();
        Ok((sentence.paragraph, SentenceAudio { utterances }))
    };
    let length = |sentence: &&PlannedSentence| -> usize {
        let runs = sentence.utterances.iter().flatten();
        runs.map(|run| run.input.len()).sum()
    };
    let mut first = true;
    ordered::for_each_in_order(&spoken, window, length, speak_sentence, |sound| {
        let (paragraph, sound) = sound?;
        if std::mem::replace(&mut first, false) && article.headline.is_some() {
            placer.headline(&sound)
        } else {
            placer.sentence(paragraph, &sound)
        }
        .map_err(|error| audio_failed(article, &error))
    })?;
    Ok(placer)
}

/// An article the audio stage failed on: no sentence is to blame (the
/// error names the file).
fn audio_failed(article: &PlannedArticle, error: &AudioError) -> FailedArticle {
    FailedArticle::new(article, "", crate::error::chain(error))
}
