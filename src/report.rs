//! What the binary reports: its errors (each once, with its causes, and
//! the exit code it maps to), and what the commands print: the plan, a
//! run's summary, the segment cache, normalized lines, the voices table.

use std::io::Write;
use std::path::Path;

use bulletin::config::{parse_size, Environment};
use bulletin::output::cache::SegmentCache;
use bulletin::output::manifest::Manifest;
use bulletin::output::names::article_files;
use bulletin::pipeline::Plan;
use bulletin::text::lexicon::Lexicon;
use bulletin::text::normalize;
use bulletin::text::pinyin::Pronouncer;
use bulletin::text::Lang;
use bulletin::voice::{self, VoiceSet};
use bulletin::Error;

use crate::cli::{CacheAction, CacheArgs, LangArg, NormalizeArgs, VoiceArgs};

/// Errors the binary itself can meet, around the library's.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
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
    #[error(
        "standard input is not UTF-8 text on line {line}; `normalize` reads UTF-8 \
         (convert GB18030 or GBK first: iconv -f GB18030 -t UTF-8)"
    )]
    StdinNotUtf8 { line: usize },
    #[error("cannot read standard input")]
    Stdin(#[source] std::io::Error),
}

/// The exit code the error ends the process with.
pub fn exit_code(error: &CliError) -> u8 {
    match error {
        CliError::Library(error) => error.exit_code() as u8,
        CliError::Stdout(_) | CliError::Cache(_) | CliError::Worker(_) | CliError::Stdin(_) => 1,
        CliError::Usage(_) | CliError::StdinNotUtf8 { .. } => 2,
    }
}

/// A reader that went away (`| head`) is not an error.
pub fn is_broken_pipe(error: &CliError) -> bool {
    matches!(error, CliError::Stdout(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Prints the error and each of its causes once, on stderr.
pub fn report(error: &CliError) {
    eprintln!("error: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        eprintln!("  because: {cause}");
        source = cause.source();
    }
}

/// Prints the plan: each article, its file, its sentences and what is said.
pub fn print_plan(out: &mut impl Write, plan: &Plan) -> std::io::Result<()> {
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

/// Prints a run's summary line and each failed article, on stderr.
pub fn print_summary(manifest: &Manifest, out_dir: &Path) {
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

/// `cache`: the cache's size, or what pruning removed.
pub fn cache(args: &CacheArgs, environment: &Environment) -> Result<(), CliError> {
    let cache = SegmentCache::new(environment.cache_dir(args.cache.clone()));
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
pub fn normalize_lines(args: &NormalizeArgs) -> Result<(), CliError> {
    let pronouncer = Pronouncer::new(Lexicon::load(&args.lexicons).map_err(Error::from)?);
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let mut out = std::io::stdout().lock();
    for (number, line) in std::io::stdin().lines().enumerate() {
        let line = line.map_err(|error| match error.kind() {
            std::io::ErrorKind::InvalidData => CliError::StdinNotUtf8 { line: number + 1 },
            _ => CliError::Stdin(error),
        })?;
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

/// `voices`: every profile, whether its engine works here and at which
/// rate, then each language's default.
pub fn list_voices(args: VoiceArgs, environment: &Environment) -> Result<(), CliError> {
    let engines = environment.engines();
    let voices = VoiceSet::load(environment.voices_dir(args.voices_dir).as_deref(), None)
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
