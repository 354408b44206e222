//! Command-line types (clap derive). Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// News text in, one spoken WAV bulletin per article out.
#[derive(Debug, Parser)]
#[command(name = "bulletin", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

const EXIT_CODES: &str = "Exit codes:
  0  everything was done
  1  some articles failed while rendering (the others were written)
  2  bad usage or bad input (nothing was written)
  3  no usable engine for a voice the input needs";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesize every article and write one WAV each plus manifest.json.
    #[command(after_help = "Examples:
  bulletin render page.txt
  bulletin render articles/ --out today/ --jobs 2
  cat story.txt | bulletin render - --quiet

Exit codes: 0 ok, 1 some articles failed, 2 bad usage or input, 3 no usable engine.")]
    Render(RenderArgs),
    /// Show articles, sentences and what will be spoken, without synthesis.
    #[command(after_help = "Examples:
  bulletin plan page.txt
  bulletin plan page.txt --json | jq '.articles[0].sentences[0]'")]
    Plan(PlanArgs),
    /// List the voice profiles and whether each one's engine works here.
    #[command(after_help = "Examples:
  bulletin voices
  bulletin voices --voices ./my-voices")]
    Voices(VoiceArgs),
    /// Internal: serve espeak-ng requests on stdin/stdout for a parent
    /// bulletin (the persistent worker processes).
    #[command(name = "espeak-worker", hide = true)]
    EspeakWorker(WorkerArgs),
}

/// Where text comes from and which voices read it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, folders (every .txt and .md inside, by name), or - for stdin.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Use this voice profile for its language instead of the default one.
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    #[command(flatten)]
    pub voices: VoiceArgs,
}

/// Where voice profiles come from.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Folder of voice profiles (*.toml) that override the built-in ones;
    /// default: ./voices when it exists.
    #[arg(long = "voices", value_name = "DIR", env = "BULLETIN_VOICES")]
    pub voices_dir: Option<PathBuf>,
}

/// Arguments of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder for the WAVs and manifest.json.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Most sentences synthesized at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No progress bars; only the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of the hidden `espeak-worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Speak every utterance in a fresh fork of the worker.
    #[arg(long)]
    pub fork: bool,
}
