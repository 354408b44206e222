//! Command-line types (clap derive). Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
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
    /// Synthesize every article and write one WAV each, with subtitles, plus
    /// manifest.json.
    #[command(after_help = "Examples:
  bulletin render page.txt
  bulletin render articles/ --out today/ --jobs 2
  bulletin render page.txt --programme --intro intro.wav --sting sting.wav
  bulletin render page.txt --loudness -16 --rate 44100 --bits 24 --pause-sentence 0.5s
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
    #[command(flatten)]
    pub audio: AudioArgs,
}

/// How the audio is made: rate, loudness, pauses, format, programme.
#[derive(Debug, Args)]
#[command(next_help_heading = "Audio")]
pub struct AudioArgs {
    /// Sample rate of every WAV; each engine's output is resampled to it.
    #[arg(long, value_name = "HZ", default_value_t = 48_000,
          value_parser = clap::builder::PossibleValuesParser::new(["48000", "44100"])
              .map(|s| s.parse::<u32>().expect("listed rates are numbers")))]
    pub rate: u32,
    /// Integrated loudness of every WAV and of the programme, in LUFS
    /// (-23 is EBU R128; -16 suits podcasts).
    #[arg(long, value_name = "LUFS", default_value_t = -23.0, allow_negative_numbers = true,
          value_parser = finite_in(-70.0, -5.0))]
    pub loudness: f64,
    /// Highest true peak, in dBTP; a look-ahead limiter keeps to it.
    #[arg(long, value_name = "DBTP", default_value_t = -1.0, allow_negative_numbers = true,
          value_parser = finite_in(-20.0, 0.0))]
    pub true_peak: f64,
    /// Bits per sample of the WAVs.
    #[arg(long, value_name = "BITS", default_value_t = 16,
          value_parser = clap::builder::PossibleValuesParser::new(["16", "24"])
              .map(|s| s.parse::<u16>().expect("listed depths are numbers")))]
    pub bits: u16,
    /// Pause between sentences, such as 350ms or 0.35s (default: the voice
    /// profile's).
    #[arg(long, value_name = "TIME", value_parser = bulletin::config::parse_pause)]
    pub pause_sentence: Option<u32>,
    /// Pause after the headline (default: the voice profile's).
    #[arg(long, value_name = "TIME", value_parser = bulletin::config::parse_pause)]
    pub pause_headline: Option<u32>,
    /// Pause between paragraphs (default: the voice profile's).
    #[arg(long, value_name = "TIME", value_parser = bulletin::config::parse_pause)]
    pub pause_paragraph: Option<u32>,
    /// Also write programme.wav (every article in order, loudness-normalized
    /// as a whole) with its subtitles, and playlist.m3u.
    #[arg(long)]
    pub programme: bool,
    /// WAV to play before the first article of the programme (any rate).
    #[arg(long, value_name = "FILE", requires = "programme")]
    pub intro: Option<PathBuf>,
    /// WAV to play after the last article of the programme (any rate).
    #[arg(long, value_name = "FILE", requires = "programme")]
    pub outro: Option<PathBuf>,
    /// WAV to play between two articles of the programme (any rate).
    #[arg(long, value_name = "FILE", requires = "programme")]
    pub sting: Option<PathBuf>,
}

/// A parser for a finite number between `low` and `high`.
fn finite_in(low: f64, high: f64) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |text| {
        let value: f64 = text
            .parse()
            .map_err(|_| format!("{text:?} is not a number"))?;
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(value)
        } else {
            Err(format!("must be between {low} and {high}"))
        }
    }
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
