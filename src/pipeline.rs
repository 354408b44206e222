//! Wires the stages together and does none of their work: documents are
//! planned (text), the chosen articles scheduled on one rayon pool, every
//! sentence synthesized (voice), each article mastered (audio) and written
//! (output), then the programme and the manifest.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::audio::programme::Clips;
use crate::audio::wav::{Stamp, WavFormat};
use crate::audio::{self, stream, AudioError, Layout, SentenceAudio, Target};
use crate::config::{Config, Environment, ProgrammeConfig};
use crate::error::Error;
use crate::ordered;
use crate::output::cache::SegmentCache;
use crate::output::manifest::{ArticleEntry, FailedArticle, Manifest, Summary};
use crate::output::merge;
use crate::output::publish::episode::Run;
use crate::output::publish::files;
use crate::output::write::{self, ArticleOut, ArticleWav};
use crate::output::{self, names};
use crate::progress::Progress;
pub use crate::text::plan::{plan, Plan, PlannedArticle, PlannedRun, PlannedSentence};
use crate::voice::{Engines, UtteranceStore, VoiceSet};

/// Synthesizes and writes every article of the plan into the output folder,
/// each WAV with its subtitles, then the programme when asked for, and
/// `manifest.json`; returns the manifest. Articles that fail are listed in
/// its `failed` part and not written; the others are. When the programme
/// or the manifest cannot be written, the error is [`Error::Unfinished`],
/// which still holds the manifest.
pub fn render(plan: &Plan, voices: &VoiceSet, config: &Config) -> Result<Manifest, Error> {
    let started = Instant::now();
    // Schedule: this shard's articles, each with the file it is written to.
    // Each article keeps its place in the whole plan (its track number),
    // whichever shard renders it.
    let chosen: Vec<(&PlannedArticle, String, usize)> = plan
        .articles
        .iter()
        .zip(names::article_files(plan))
        .zip(1..)
        .map(|((article, file), track)| (article, file, track))
        .filter(|(article, _, _)| config.shard.is_none_or(|shard| shard.includes(&article.id)))
        .collect();
    let cache = config.cache_dir.as_ref().map(SegmentCache::new);
    let store = cache.as_ref().map(|c| c as &dyn UtteranceStore);
    let needed = chosen.iter().flat_map(|(a, _, _)| a.voices());
    let engines = Engines::ready(needed, voices, &config.engines, store)?;
    // The programme's clips are read before any synthesis: a bad --intro is
    // bad input, found before minutes of work.
    let clips = config
        .audio
        .programme
        .as_ref()
        .map(|p| load_clips(p, config.audio.sample_rate, config.audio.target))
        .transpose()?;
    // The caller holds the folder's lock (`claim`): no live run writes the
    // files this one owns, so their leftover partials are stale.
    let manifest_file = write::manifest_file(config.shard.map(|s| (s.index, s.count)));
    let own_stems: std::collections::HashSet<String> = chosen
        .iter()
        .map(|(_, file, _)| names::sibling(file, ""))
        .collect();
    output::remove_stale_partials(&config.out_dir, |name| {
        config.shard.is_none()
            || name == manifest_file
            || own_stems.contains(&names::sibling(name, ""))
    });
    let stamp = config.stamp.clone().unwrap_or_else(Stamp::now);
    let sentence_count = chosen.iter().map(|(a, _, _)| a.spoken().count()).sum();
    let publish = &config.publish;
    let feed_title = publish.podcast.as_ref().and_then(|p| p.title.as_deref());
    let run = Run::new(stamp.clone(), feed_title, publish.station.as_deref());
    let write = ArticleWriting {
        stamp: &stamp,
        run: &run,
        total: plan.articles.len(),
    };
    let progress = Progress::new(
        sentence_count,
        chosen.len(),
        config.quiet,
        config.log_format,
    );
    let (articles, failed): (Vec<_>, Vec<_>) =
        render_articles(&chosen, &engines, config, &write, &progress)
            .into_iter()
            .partition(Result::is_ok);
    let articles: Vec<ArticleEntry> = articles.into_iter().filter_map(Result::ok).collect();
    let failed: Vec<FailedArticle> = failed.into_iter().filter_map(Result::err).collect();
    let format = WavFormat {
        sample_rate: config.audio.sample_rate,
        bits: config.audio.bits,
    };
    let (dir, target) = (&config.out_dir, config.audio.target);
    let programme = clips.filter(|_| !articles.is_empty()).map(|clips| {
        let mut entry =
            write::write_programme_files(&articles, &clips, dir, format, target, &stamp)?;
        files::publish_programme(dir, &mut entry, &articles, publish, &run)?;
        Ok::<_, output::OutputError>(entry)
    });
    let (programme, programme_error) = match programme.transpose() {
        Ok(programme) => (programme, None),
        Err(error) => (None, Some(error)),
    };
    let summary = Summary::of(&articles, failed.len(), started.elapsed().as_secs_f64());
    progress.finish(&summary);
    let mut manifest = Manifest {
        articles,
        failed,
        publish: publish.publishes().then(|| publish.clone()),
        feed: None,
        summary,
        programme,
        job: config.job.clone(),
    };
    // A shard's feed would hold only its share: `merge` writes it.
    let feed = match config.shard {
        None => files::publish_feed(dir, &manifest, publish, &run),
        Some(_) => Ok(None),
    };
    let feed_error = match feed {
        Ok(feed) => {
            manifest.feed = feed;
            None
        }
        Err(error) => Some(error),
    };
    // Whatever stops the run now, the manifest goes back to the caller,
    // so the failures it lists are reported even when it was not written.
    let late = match manifest.write(&config.out_dir.join(manifest_file)) {
        Err(error) => Some(error),
        Ok(()) => programme_error.or(feed_error),
    };
    match late {
        Some(error) => Err(Error::Unfinished {
            manifest: Box::new(manifest),
            source: Box::new(error.into()),
        }),
        None => Ok(manifest),
    }
}

/// What every article's files share.
struct ArticleWriting<'a> {
    /// The origination date of every file.
    stamp: &'a Stamp,
    /// The tags every published file shares.
    run: &'a Run,
    /// How many articles the whole plan has.
    total: usize,
}

/// Renders the chosen articles on the rayon pool, a pool's width of
/// articles in flight at a time, and returns their outcomes in order: each
/// article's sentences are synthesized in parallel, and memory holds only
/// the articles in flight, however long the batch. With `--fail-fast`,
/// articles not yet started when one fails are reported as not rendered.
fn render_articles(
    chosen: &[(&PlannedArticle, String, usize)],
    engines: &Engines<'_>,
    config: &Config,
    write: &ArticleWriting<'_>,
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
                let Some((article, file, track)) = chosen.get(index) else {
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
                    let outcome =
                        render_article(article, (file, *track), engines, config, write, progress);
                    match &outcome {
                        Ok(entry) => progress.article_done(entry),
                        Err(failure) => {
                            stopped.store(config.fail_fast, Ordering::SeqCst);
                            // An earlier run's files for it would pass for
                            // this run's.
                            write::remove_article_files(&config.out_dir, file);
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

/// One article: synthesize its sentences in parallel (voice), master them
/// (audio), write its files (output). A failure names the sentence.
fn render_article(
    article: &PlannedArticle,
    (file, track): (&str, usize),
    engines: &Engines<'_>,
    config: &Config,
    write: &ArticleWriting<'_>,
    progress: &Progress,
) -> Result<ArticleEntry, FailedArticle> {
    let fail = |sentence: &str, error: String| FailedArticle {
        source: article.source.clone(),
        title: article.title.clone(),
        sentence: sentence.to_string(),
        error,
    };
    let rate = config.audio.sample_rate;
    // The article's main voice sets its pauses; flags override them.
    let main_voice = article.sentences.first().or(article.headline.as_ref());
    let profile = main_voice.and_then(|s| engines.profile(&s.voice));
    let layout = Layout {
        pauses: config
            .audio
            .pauses
            .over(profile.map(|p| p.pauses).unwrap_or_default()),
        rate,
    };
    let name = article.title.as_deref().unwrap_or(&article.source);
    let audio_failed = |error: AudioError| fail(name, crate::error::chain(&error));
    let mut placer = stream::start(layout, &config.out_dir, file).map_err(audio_failed)?;
    // Sentences side by side on every thread, laid out in order as each
    // one's turn comes; at most a window of them is held, so the article
    // is never all in memory.
    let spoken: Vec<&PlannedSentence> = article.spoken().collect();
    let window = rayon::current_num_threads().max(1) * SENTENCES_PER_THREAD;
    let mut first = true;
    let synthesize = |sentence: &&PlannedSentence| {
        let speak = |run: &PlannedRun| -> Result<_, String> {
            let pcm = engines.speak(&run.voice, &run.input);
            audio::prepare(&pcm.map_err(|e| e.to_string())?, rate).map_err(|e| e.to_string())
        };
        let utterances = sentence
            .utterances
            .iter()
            .map(|runs| runs.iter().map(speak).collect::<Result<Vec<_>, _>>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| fail(&sentence.text, error))?;
        progress.sentence_done();
        Ok((sentence.paragraph, SentenceAudio { utterances }))
    };
    // Long sentences first, so none is left running alone at the end.
    let weight = |sentence: &&PlannedSentence| -> usize {
        let runs = sentence.utterances.iter().flatten();
        runs.map(|run| run.input.len()).sum()
    };
    ordered::for_each_in_order(&spoken, window, weight, synthesize, |sound| {
        let (paragraph, sound) = sound?;
        let headline = std::mem::replace(&mut first, false) && article.headline.is_some();
        if headline {
            placer.headline(&sound)
        } else {
            placer.sentence(paragraph, &sound)
        }
        .map_err(audio_failed)
    })?;
    let mastered = stream::master(placer, config.audio.target).map_err(audio_failed)?;
    let mut entry = write::article_entry(article, file, &mastered, config.audio.bits);
    let wav = ArticleWav {
        bits: config.audio.bits,
        stamp: write.stamp.clone(),
    };
    let out = ArticleOut {
        entry: &entry,
        audio: &mastered,
    };
    let dir = &config.out_dir;
    // MP3 and Opus are encoded here, from the samples in memory, on the
    // thread that mastered them, while the pool's other threads synthesize.
    let files = write::write_article(dir, &out, &wav).and_then(|()| {
        let place = (track, write.total);
        files::publish_article(dir, &out, &config.publish, write.run, place)
    });
    entry.files = files.map_err(|e| fail("", crate::error::chain(&e)))?;
    Ok(entry)
}

/// Sentences synthesized ahead per thread within an article: enough that
/// a thread rarely waits for a long sentence before it to be laid out,
/// few enough that the audio held stays a few megabytes.
const SENTENCES_PER_THREAD: usize = 4;

fn load_clips(programme: &ProgrammeConfig, rate: u32, target: Target) -> Result<Clips, Error> {
    let (intro, sting, outro) = (&programme.intro, &programme.sting, &programme.outro);
    Clips::load(
        intro.as_deref(),
        sting.as_deref(),
        outro.as_deref(),
        rate,
        target,
    )
    .map_err(Error::Clip)
}

/// Takes the output folder for this run (for its shard, when sharded),
/// making it if needed: refused while another live run writes there, or
/// when the folder cannot be written. Held until dropped; take it before
/// [`finished`] and [`render`].
pub fn claim(config: &Config) -> Result<output::lock::FolderLock, Error> {
    let shard = config.shard.map(|s| (s.index, s.count));
    Ok(output::lock::claim(&config.out_dir, shard)?)
}

/// The manifest of an earlier run of the same job whose every file is still
/// in place, if there is one: then there is nothing to do.
pub fn finished(config: &Config) -> Option<Manifest> {
    write::finished(
        &config.out_dir,
        &write::manifest_file(config.shard.map(|s| (s.index, s.count))),
        config.job.as_deref()?,
    )
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
    environment: &Environment,
) -> Result<(), Error> {
    let Some(format) = merge::common_format(manifest)? else {
        return Ok(());
    };
    let clips = load_clips(programme, format.sample_rate, target)?;
    let stamp = merged_stamp(manifest, dir, environment);
    let entry =
        write::write_programme_files(&manifest.articles, &clips, dir, format, target, &stamp)?;
    manifest.programme = Some(entry);
    manifest.write(&dir.join("manifest.json"))?;
    Ok(())
}

/// The date of a batch that `bulletin merge` joined: `SOURCE_DATE_EPOCH`,
/// else that of the newest article file.
fn merged_stamp(manifest: &Manifest, dir: &Path, environment: &Environment) -> Stamp {
    let modified = manifest.articles.iter().filter_map(|a| {
        let metadata = std::fs::metadata(dir.join(&a.file)).ok()?;
        metadata.modified().ok()
    });
    environment.stamp(modified)
}

/// Publishes a batch that `bulletin merge` joined as its shards were asked
/// to: the programme's MP3 and Opus with chapters, and the podcast feed of
/// every shard's articles; `manifest.json` is written again to list them.
pub fn publish_merged(
    manifest: &mut Manifest,
    dir: &Path,
    environment: &Environment,
) -> Result<(), Error> {
    if manifest.programme.is_none() && manifest.publish.is_none() {
        return Ok(());
    }
    // Without publishing, the programme's entry still lists its WAV, as a
    // single run's does.
    let publish = manifest.publish.clone().unwrap_or_default();
    let feed_title = publish.podcast.as_ref().and_then(|p| p.title.as_deref());
    let stamp = merged_stamp(manifest, dir, environment);
    let run = Run::new(stamp, feed_title, publish.station.as_deref());
    if let Some(programme) = manifest.programme.as_mut() {
        files::publish_programme(dir, programme, &manifest.articles, &publish, &run)?;
    }
    manifest.feed = files::publish_feed(dir, manifest, &publish, &run)?;
    manifest.write(&dir.join("manifest.json"))?;
    Ok(())
}
