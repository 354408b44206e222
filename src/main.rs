//! The `bulletin` command, a thin edge: parses the arguments, turns them
//! and the environment into the settings once, calls the library, reports
//! errors once and exits with a documented code.

mod cli;
mod report;

use std::io::Write;
use std::process::ExitCode;

use bulletin::audio::Target;
use bulletin::config::{Environment, LogFormat};
use bulletin::output::names::PlanListing;
use bulletin::voice;
use bulletin::{commands, Config, Error};
use clap::Parser;

use cli::{Cli, Command, RenderArgs};
use report::{print_summary, CliError};

fn main() -> ExitCode {
    one_heap_arena();
    let cli = Cli::parse();
    let outcome = run(cli, Environment::read());
    // A voice model loading in the background (a render whose run ended
    // before its first sentence) must be done before the process exits.
    voice::piper::runtime::wait_for_loads();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if report::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            report::report(&error);
            ExitCode::from(report::exit_code(&error))
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

fn run(cli: Cli, environment: Environment) -> Result<(), CliError> {
    match cli.command {
        Command::Render(args) => render(*args, environment),
        Command::Plan(args) => {
            let config = Config::for_inputs(args.input.flags(), environment);
            let (plan, _) = commands::plan(&config)?;
            let mut out = std::io::stdout().lock();
            if args.json {
                let listing = PlanListing::new(&plan);
                serde_json::to_writer_pretty(&mut out, &listing).map_err(std::io::Error::from)?;
                writeln!(out)?;
            } else {
                report::print_plan(&mut out, &plan)?;
            }
            Ok(())
        }
        Command::Normalize(args) => report::normalize_lines(&args),
        Command::Cache(args) => report::cache(&args, &environment),
        Command::Merge(args) => {
            let target = Target {
                integrated_lufs: args.loudness,
                true_peak_dbtp: args.true_peak,
            };
            let programme = args.programme.config();
            let manifest = commands::merge(&args.dir, programme.as_ref(), target, &environment)?;
            print_summary(&manifest, &args.dir);
            Ok(())
        }
        #[cfg(feature = "speak")]
        Command::Speak(args) => speak(args, environment),
        Command::Voices(args) => report::list_voices(args, &environment),
        Command::EspeakWorker(args) => {
            let fault = environment.espeak_worker_fault;
            voice::espeak::serve(args.fork, args.library.as_deref(), fault.as_deref())
                .map_err(CliError::Worker)
        }
    }
}

/// Renders, prints the summary (also when the run could not be finished,
/// so its failures reach stderr), and fails when an article did.
fn render(args: RenderArgs, environment: Environment) -> Result<(), CliError> {
    let config = Config::for_render(args.flags(), environment)?;
    let (out_dir, log_format) = (config.out_dir.clone(), config.log_format);
    let manifest = match commands::render(config) {
        Ok(manifest) => manifest,
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

/// Reads the articles aloud; Ctrl-C stops cleanly.
#[cfg(feature = "speak")]
fn speak(args: cli::SpeakArgs, environment: Environment) -> Result<(), CliError> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Installed first, so Ctrl-C during start-up also stops cleanly.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let (from, quiet) = (args.from, args.quiet);
    let config = Config::for_inputs(args.input.flags(), environment);
    let (plan, _) = commands::plan(&config)?;
    bulletin::speak::speak(&plan, from, &stop, |line| {
        if !quiet {
            println!("{line}");
        }
    })
    .map_err(Error::from)?;
    Ok(())
}
