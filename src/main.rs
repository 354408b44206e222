//! The `bulletin` command: parses arguments, calls the library, reports
//! errors once and exits with a documented code.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bulletin::audio::Target;
use bulletin::config::parse_size;
use bulletin::config::LogFormat;
use bulletin::config::{AudioConfig, PauseOverrides, Preset};
use bulletin::config::{Environment, IngestOptions, InputSource};
use bulletin::output::cache::SegmentCache;
use bulletin::output::manifest::Manifest;
use bulletin::output::names::{article_files, PlanListing};
use bulletin::output::publish::{Podcast, PublishSettings};
use bulletin::pipeline::Plan;
use bulletin::text::lexicon::Lexicon;
use bulletin::text::normalize;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::Lang;
use bulletin::voice::{self, VoiceSet};
use bulletin::{commands, Config, Error};
use clap::Parser;

use cli::{
    AudioArgs, CacheAction, CacheArgs, Cli, Command, InputArgs, LangArg, NormalizeArgs,
    PublishArgs, RenderArgs, VoiceArgs,
};

fn main() -> ExitCode {
    one_heap_arena();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            report(&error);
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Each article's audio is a few large buffers that come and go, made and
/// freed by whichever thread is free. With glibc's arena per thread, memory
/// one thread frees is not reused by the next, and a 200-article batch
/// peaked at 140 MiB against 62 MiB for one article; with one arena it
/// peaks at 113 MiB, at no measured cost in time (`benches/batch.sh`).
/// (Pinning the mmap threshold instead held it to 99 MiB but doubled the
/// kernel time of a batch, every buffer being mapped and faulted afresh.)
fn one_heap_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Errors the binary itself can meet, around the library's.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Library(#[from] Error),
    #[error("cannot write to standard output")]
    Stdout(#[from] std::io::Error),
    #[error("{0}")]
    Usage(String),
    #[error("cannot use the segment cache")]
    Cache(#[source] std::io::Error),
    #[error("the espeak-ng worker lost its parent's requests")]
    Worker(#[source] std::io::Error),
}

fn exit_code(error: &CliError) -> u8 {
    match error {
        CliError::Library(error) => error.exit_code() as u8,
        CliError::Stdout(_) | CliError::Cache(_) | CliError::Worker(_) => 1,
        CliError::Usage(_) => 2,
    }
}

fn is_broken_pipe(error: &CliError) -> bool {
    matches!(error, CliError::Stdout(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn report(error: &CliError) {
    eprintln!("error: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        eprintln!("  because: {cause}");
        source = cause.source();
    }
}

fn render(args: RenderArgs) -> Result<(), CliError> {
    let mut config = config(&args.input, Some((args.out, args.jobs, args.quiet)));
    config.cache_dir = (!args.batch.no_cache).then(|| {
        args.batch
            .cache
            .clone()
            .unwrap_or_else(SegmentCache::default_dir)
    });
    config.fail_fast = args.batch.fail_fast;
    config.shard = args.batch.shard;
    config.log_format = if args.batch.log_format == "json" {
        LogFormat::Json
    } else {
        LogFormat::Text
    };
    let preset = args.publish.preset.unwrap_or_default();
    config.audio = audio_config(&args.audio, preset);
    config.publish = publish_settings(&args.publish, preset, &config.ingest.inputs);
    // Settings no file can be made with stop the run before any
    // synthesis, with nothing written.
    config
        .publish
        .check(config.audio.sample_rate)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let (out_dir, log_format) = (config.out_dir.clone(), config.log_format);
    let manifest = match commands::render(config) {
        Ok(manifest) => manifest,
        // Failures reach stderr even when the manifest could
        // not be written (a full disk).
        Err(Error::Unfinished { manifest, source }) => {
            print_summary(&manifest, &out_dir);
            return Err(Error::Unfinished { manifest, source }.into());
        }
        Err(error) => return Err(error.into()),
    };
    if log_format == LogFormat::Text {
        print_summary(&manifest, &out_dir);
    }
    if manifest.failed.is_empty() {
        Ok(())
    } else {
        let failed = manifest.failed.len();
        Err(Error::ArticlesFailed {
            failed,
            total: failed + manifest.articles.len(),
        }
        .into())
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render(args) => render(*args),
        Command::Plan(args) => {
            let config = config(&args.input, None);
            let (plan, _) = commands::plan(&config)?;
            let mut out = std::io::stdout().lock();
            if args.json {
                let listing = PlanListing::new(&plan);
                serde_json::to_writer_pretty(&mut out, &listing).map_err(std::io::Error::from)?;
                writeln!(out)?;
            } else {
                print_plan(&mut out, &plan)?;
            }
            Ok(())
        }
        Command::Normalize(args) => normalize_lines(&args),
        Command::Cache(args) => cache(&args),
        Command::Merge(args) => {
            let target = Target {
                integrated_lufs: args.loudness,
                true_peak_dbtp: args.true_peak,
            };
            let programme = args.programme.config();
            let environment = Environment::read();
            let manifest = commands::merge(&args.dir, programme.as_ref(), target, &environment)?;
            print_summary(&manifest, &args.dir);
            Ok(())
        }
        #[cfg(feature = "speak")]
        Command::Speak(args) => speak(&args),
        Command::Voices(args) => list_voices(&args),
        Command::EspeakWorker(args) => {
            let fault = Environment::read().espeak_worker_fault;
            voice::espeak::serve(args.fork, args.library.as_deref(), fault.as_deref())
                .map_err(CliError::Worker)
        }
    }
}

/// Builds the library's config from the arguments, once.
fn config(input: &InputArgs, render: Option<(PathBuf, Option<u16>, bool)>) -> Config {
    let inputs = input
        .inputs
        .iter()
        .map(|path| {
            if path == Path::new("-") {
                InputSource::Stdin
            } else {
                InputSource::Path(path.clone())
            }
        })
        .collect();
    let defaults = Config::default();
    let environment = Environment::read();
    let mut config = Config {
        ingest: IngestOptions {
            inputs,
            encoding: input.encoding,
            max_input_size: input
                .max_input_size
                .unwrap_or(defaults.ingest.max_input_size),
        },
        voice: input.voice.clone(),
        voices_dir: voices_dir(&input.voices),
        lexicons: input.lexicons.clone(),
        engines: environment.engines(),
        environment,
        ..defaults
    };
    if let Some((out, jobs, quiet)) = render {
        config.out_dir = out;
        config.jobs = jobs.map(usize::from);
        config.quiet = quiet;
    }
    config
}

/// The audio settings from their arguments, over the preset's.
fn audio_config(args: &AudioArgs, preset: Preset) -> AudioConfig {
    let target = preset.target();
    AudioConfig {
        sample_rate: args.sample_rate,
        bits: args.bits,
        target: Target {
            integrated_lufs: args.loudness.unwrap_or(target.integrated_lufs),
            true_peak_dbtp: args.true_peak.unwrap_or(target.true_peak_dbtp),
        },
        pauses: PauseOverrides {
            sentence_ms: args.pause_sentence,
            headline_ms: args.pause_headline,
            paragraph_ms: args.pause_paragraph,
        },
        programme: args.programme.config(),
    }
}

/// What to publish, from its arguments over the preset's. The feed's
/// title, unless given, is the first input's name.
fn publish_settings(args: &PublishArgs, preset: Preset, inputs: &[InputSource]) -> PublishSettings {
    let defaults = PublishSettings::default();
    let first_input = inputs.iter().find_map(|input| match input {
        InputSource::Path(path) => path
            .canonicalize()
            .unwrap_or_else(|_| path.clone())
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned()),
        InputSource::Stdin => None,
    });
    PublishSettings {
        formats: args
            .format
            .clone()
            .map_or_else(|| preset.formats(), |list| list.0),
        mp3_kbps: args.mp3_bitrate.unwrap_or(defaults.mp3_kbps),
        opus_kbps: args.opus_bitrate.unwrap_or(defaults.opus_kbps),
        station: args.station.clone(),
        podcast: args.podcast.clone().map(|base_url| Podcast {
            base_url,
            title: Some(
                args.feed_title
                    .clone()
                    .or(first_input)
                    .unwrap_or_else(|| "Bulletin".into()),
            ),
            image: args.feed_image.clone(),
            keep: args.feed_keep as usize,
        }),
    }
}

fn voices_dir(args: &VoiceArgs) -> Option<PathBuf> {
    args.voices_dir
        .clone()
        .or_else(|| Some(PathBuf::from("voices")).filter(|dir| dir.is_dir()))
}

fn print_plan(out: &mut impl Write, plan: &Plan) -> std::io::Result<()> {
    let files = article_files(plan);
    for (index, (article, file)) in plan.articles.iter().zip(&files).enumerate() {
        let title = article.title.as_deref().unwrap_or("(no headline)");
        writeln!(out, "Article {}: {title}", index + 1)?;
        writeln!(
            out,
            "  from {}, to {}, {} sentences",
            article.source,
            file,
            article.sentences.len()
        )?;
        for (number, sentence) in article
            .headline
            .iter()
            .chain(&article.sentences)
            .enumerate()
        {
            writeln!(out, "  {number:>3}. [{}] {}", sentence.voice, sentence.text)?;
            if sentence.spoken != sentence.text {
                writeln!(out, "       says: {}", sentence.spoken)?;
            }
            writeln!(out, "       engine: {}", sentence.engine_input)?;
        }
        writeln!(out)?;
    }
    if !plan.dropped.is_empty() {
        writeln!(out, "Set aside as page furniture, not read:")?;
        for line in &plan.dropped {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}

fn print_summary(manifest: &Manifest, out_dir: &Path) {
    let summary = &manifest.summary;
    eprintln!(
        "Rendered {} articles, {} sentences, {}:{:02} of audio in {:.1} s ({:.1}x real time) into {}.",
        summary.articles,
        summary.sentences,
        (summary.audio_s / 60.0).floor(),
        (summary.audio_s % 60.0).floor(),
        summary.wall_s,
        summary.realtime_factor,
        out_dir.display()
    );
    for failure in &manifest.failed {
        let at = if failure.sentence.is_empty() {
            String::new()
        } else {
            format!("on the sentence \"{}\": ", failure.sentence)
        };
        eprintln!(
            "Failed: {} ({}): {at}{}",
            failure.source,
            failure.title.as_deref().unwrap_or("no headline"),
            failure.error
        );
    }
}

/// Reads the articles aloud; Ctrl-C stops cleanly.
#[cfg(feature = "speak")]
fn speak(args: &cli::SpeakArgs) -> Result<(), CliError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Installed first, so Ctrl-C during start-up also stops cleanly.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let config = config(&args.input, None);
    let (plan, _) = commands::plan(&config)?;
    let quiet = args.quiet;
    bulletin::speak::speak(&plan, args.from, &stop, |line| {
        if !quiet {
            println!("{line}");
        }
    })
    .map_err(Error::from)?;
    Ok(())
}

fn cache(args: &CacheArgs) -> Result<(), CliError> {
    let cache = SegmentCache::new(args.cache.clone().unwrap_or_else(SegmentCache::default_dir));
    let mut out = std::io::stdout().lock();
    match &args.action {
        CacheAction::Stats => {
            let stats = cache.stats().map_err(CliError::Cache)?;
            writeln!(
                out,
                "{} segments, {} in {}",
                stats.entries,
                human_size(stats.bytes),
                cache.dir().display()
            )?;
        }
        CacheAction::Prune { max_size } => {
            let max = parse_size(max_size)
                .map_err(|message| CliError::Usage(format!("--max-size {message}")))?;
            let removed = cache.prune(max).map_err(CliError::Cache)?;
            let left = cache.stats().map_err(CliError::Cache)?;
            writeln!(
                out,
                "Removed {} segments ({}); {} segments ({}) remain in {}",
                removed.entries,
                human_size(removed.bytes),
                left.entries,
                human_size(left.bytes),
                cache.dir().display()
            )?;
        }
    }
    Ok(())
}

fn human_size(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// One output line per input line: the spoken form, or its pinyin.
fn normalize_lines(args: &NormalizeArgs) -> Result<(), CliError> {
    let pronouncer = Pronouncer::new(Lexicon::load(&args.lexicons).map_err(Error::from)?);
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lines() {
        let line = line?;
        let (spoken, changes) = if args.explain {
            normalize::explained_with(&line, lang, pronouncer.lexicon())
        } else {
            let spoken = normalize::spoken_with(&line, lang, pronouncer.lexicon());
            (spoken, Vec::new())
        };
        if args.pinyin && lang == Lang::Zh {
            writeln!(out, "{}", pronouncer.numbered(&spoken))?;
        } else {
            writeln!(out, "{spoken}")?;
        }
        for change in &changes {
            writeln!(
                out,
                "  {}: {} → {}",
                change.rule, change.before, change.after
            )?;
        }
    }
    Ok(())
}

fn list_voices(args: &VoiceArgs) -> Result<(), CliError> {
    let engines = Environment::read().engines();
    let voices = VoiceSet::load(voices_dir(args).as_deref(), None)
        .map_err(Error::from)?
        .checked_with(engines.clone());
    let mut rows = vec![[
        "PROFILE",
        "LANG",
        "ENGINE",
        "VOICE",
        "SAMPLE RATE",
        "STATUS",
    ]
    .map(String::from)];
    for profile in voices.iter() {
        // A short test utterance tells whether the engine works and at
        // which sample rate it speaks.
        let probe = voice::engine_for(profile, &engines)
            .map_err(|error| error.to_string())
            .and_then(|engine| {
                engine.check(profile).map_err(|error| error.to_string())?;
                let test = if profile.language == Lang::Zh {
                    "ce4 shi4"
                } else {
                    "test"
                };
                engine
                    .synthesize(profile, test)
                    .map_err(|error| error.to_string())
            });
        let (rate, status) = match probe {
            Ok(pcm) => (format!("{} Hz", pcm.sample_rate), "usable".to_string()),
            Err(reason) => ("-".to_string(), format!("not usable: {reason}")),
        };
        let engine = profile
            .command
            .as_ref()
            .map_or(profile.engine.clone(), |c| {
                format!("command ({})", c.program)
            });
        rows.push([
            profile.name.clone(),
            profile.language.code().to_string(),
            engine,
            profile.voice.clone(),
            rate,
            status,
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    for row in rows {
        for (cell, width) in row.iter().zip(&widths) {
            write!(out, "{cell:<width$}  ")?;
        }
        writeln!(out, "{}", row[5])?;
    }
    writeln!(out)?;
    for lang in [Lang::Zh, Lang::En] {
        if let Some(choice) = voices.default_for(lang) {
            writeln!(
                out,
                "default for {}: {}, {}",
                lang.code(),
                choice.name,
                choice.reason
            )?;
        }
    }
    Ok(())
}
