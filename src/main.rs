//! The `bulletin` command: parses arguments, calls the library, reports
//! errors once and exits with a documented code.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bulletin::config::InputSource;
use bulletin::output::manifest::Manifest;
use bulletin::pipeline::{self, Plan};
use bulletin::voice::{self, VoiceSet};
use bulletin::{ingest, Config, Error};
use clap::Parser;

use cli::{Cli, Command, InputArgs, VoiceArgs};

fn main() -> ExitCode {
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

/// Errors the binary itself can meet, around the library's.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Library(#[from] Error),
    #[error("cannot write to standard output")]
    Stdout(#[from] std::io::Error),
    #[error("the espeak-ng worker lost its parent's requests")]
    Worker(#[source] std::io::Error),
}

fn exit_code(error: &CliError) -> u8 {
    match error {
        CliError::Library(error) => error.exit_code() as u8,
        CliError::Stdout(_) | CliError::Worker(_) => 1,
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

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Render(args) => {
            let config = config(&args.input, Some((args.out, args.jobs, args.quiet)));
            let (plan, voices) = load(&config)?;
            let manifest = pipeline::render(&plan, &voices, &config)?;
            print_summary(&manifest, &config.out_dir);
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
        Command::Plan(args) => {
            let config = config(&args.input, None);
            let (plan, _) = load(&config)?;
            let mut out = std::io::stdout().lock();
            if args.json {
                serde_json::to_writer_pretty(&mut out, &plan).map_err(std::io::Error::from)?;
                writeln!(out)?;
            } else {
                print_plan(&mut out, &plan)?;
            }
            Ok(())
        }
        Command::Voices(args) => list_voices(&args),
        Command::EspeakWorker(args) => voice::espeak::serve(args.fork).map_err(CliError::Worker),
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
    let mut config = Config {
        inputs,
        voice: input.voice.clone(),
        voices_dir: voices_dir(&input.voices),
        ..Config::default()
    };
    if let Some((out, jobs, quiet)) = render {
        config.out_dir = out;
        config.jobs = jobs.map(usize::from);
        config.quiet = quiet;
    }
    config
}

fn voices_dir(args: &VoiceArgs) -> Option<PathBuf> {
    args.voices_dir
        .clone()
        .or_else(|| Some(PathBuf::from("voices")).filter(|dir| dir.is_dir()))
}

fn load(config: &Config) -> Result<(Plan, VoiceSet), Error> {
    let voices = VoiceSet::load(config.voices_dir.as_deref(), config.voice.as_deref())?;
    let documents = ingest::read_inputs(&config.inputs)?;
    let plan = pipeline::plan(&documents, &voices)?;
    Ok((plan, voices))
}

fn print_plan(out: &mut impl Write, plan: &Plan) -> std::io::Result<()> {
    for (index, article) in plan.articles.iter().enumerate() {
        let title = article.title.as_deref().unwrap_or("(no headline)");
        writeln!(out, "Article {}: {title}", index + 1)?;
        writeln!(
            out,
            "  from {}, to {}, {} sentences",
            article.source,
            article.file,
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
        eprintln!(
            "Failed: {} ({}): on the sentence \"{}\": {}",
            failure.source,
            failure.title.as_deref().unwrap_or("no headline"),
            failure.sentence,
            failure.error
        );
    }
}

fn list_voices(args: &VoiceArgs) -> Result<(), CliError> {
    let voices = VoiceSet::load(voices_dir(args).as_deref(), None).map_err(Error::from)?;
    let mut out = std::io::stdout().lock();
    for profile in voices.iter() {
        let status = match voice::engine_for(profile) {
            Ok(engine) => match engine.check(profile) {
                Ok(()) => "usable".to_string(),
                Err(error) => format!("not usable: {error}"),
            },
            Err(error) => format!("not usable: {error}"),
        };
        writeln!(
            out,
            "{:<10} {:<4} {} voice {:<16} rate {} pitch {}  {status}",
            profile.name,
            profile.language.code(),
            profile.engine,
            profile.voice,
            profile.rate,
            profile.pitch
        )?;
    }
    Ok(())
}
