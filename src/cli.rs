//! Command-line types (clap derive). Doc comments here are the `--help` text.

use std::path::PathBuf;

use bulletin::config::{
    parse_size, AudioFlags, InputFlags, LogFormat, PauseOverrides, PublishFlags, RenderFlags,
};
use bulletin::ingest::decode::TextEncoding;
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
    /// Synthesize every article and write one WAV each (and MP3 or Opus if
    /// asked), with subtitles, plus manifest.json.
    #[command(after_help = "Examples:
  bulletin render page.txt
  bulletin render articles/ --out today/ --jobs 2
  bulletin render page.txt --programme --intro intro.wav --sting sting.wav
  bulletin render page.txt --loudness -16 --rate 44100 --bits 24 --pause-sentence 0.5s
  cat story.txt | bulletin render - --quiet
  bulletin render night/ --shard 3/8 --out /shared/tonight --log-format json
  bulletin render page.txt --format wav,mp3,opus --station \"Radio Example\"
  bulletin render page.txt --preset podcast --programme --podcast https://radio.example/pod/

Exit codes: 0 ok, 1 some articles failed, 2 bad usage or input, 3 no usable engine.")]
    Render(Box<RenderArgs>),
    /// Show articles, sentences and what will be spoken, without synthesis.
    #[command(after_help = "Examples:
  bulletin plan page.txt
  bulletin plan feed.rss story.md --encoding gb18030
  bulletin plan page.txt --json | jq '.articles[0].sentences[0]'")]
    Plan(PlanArgs),
    /// Read the articles aloud now through the system's speech service.
    #[cfg(feature = "speak")]
    #[command(after_help = "Examples:
  bulletin speak page.txt
  bulletin speak articles/ --from 3

Ctrl-C stops. Each sentence is printed as it is spoken.")]
    Speak(SpeakArgs),
    /// Print the spoken form of each line of stdin, as render would say it.
    #[command(after_help = "Examples:
  echo '2025年4月25日11：00' | bulletin normalize --lang zh
  echo '银行行长重新出发' | bulletin normalize --lang zh --pinyin
  echo 'It rose 3.5% in 2025.' | bulletin normalize --lang en")]
    Normalize(NormalizeArgs),
    /// Inspect or prune the segment cache.
    #[command(after_help = "Examples:
  bulletin cache stats
  bulletin cache prune --max-size 2G")]
    Cache(CacheArgs),
    /// Join the manifests that `render --shard K/N` runs wrote into one folder.
    #[command(after_help = "Examples:
  bulletin merge /shared/tonight
  bulletin merge /shared/tonight --programme --intro intro.wav --sting sting.wav")]
    Merge(MergeArgs),
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
    /// Files, folders (every .txt, .md, .html, .htm, .xml, .rss and .atom
    /// inside, by name), or - for stdin.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Read every input in this encoding instead of detecting it (gb18030,
    /// gbk, big5, utf-16le, windows-1252, ...).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<TextEncoding>,
    /// Refuse inputs larger than this (bytes, or with K, M or G; default 50M).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_input_size: Option<u64>,
    /// Use this voice profile for its language instead of the default one.
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    #[command(flatten)]
    pub voices: VoiceArgs,
    /// A pronunciation lexicon (TOML) that adds to the built-in one;
    /// repeatable, later files win.
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
}

/// Arguments of `speak`.
#[cfg(feature = "speak")]
#[derive(Debug, Args)]
pub struct SpeakArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Start at this article (1 is the first).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub from: usize,
    /// Do not print the sentences as they are spoken.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `normalize`.
#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// The language of the input lines.
    #[arg(long, value_enum)]
    pub lang: LangArg,
    /// Print tone-numbered pinyin, one syllable per Han character (Chinese).
    #[arg(long)]
    pub pinyin: bool,
    /// After each line, list every span a rule changed, one per line
    /// ("  rule: written → spoken"), to see why a word reads as it does.
    #[arg(long)]
    pub explain: bool,
    /// A pronunciation lexicon (TOML) that adds to the built-in one.
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
}

/// A language on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LangArg {
    /// Mandarin Chinese.
    Zh,
    /// English.
    En,
}

/// Where voice profiles come from.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Folder of voice profiles that override the built-in ones.
    #[arg(
        long = "voices",
        value_name = "DIR",
        help = "Folder of voice profiles (*.toml) that override the built-in ones \
                [env: BULLETIN_VOICES] [default: ./voices when it exists]"
    )]
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
    /// Most sentences synthesized at once (default: one per core; at most
    /// 8 per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<u16>,
    /// No progress bars; only the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub audio: AudioArgs,
    #[command(flatten)]
    pub publish: PublishArgs,
}

/// What to publish besides the broadcast WAVs.
#[derive(Debug, Args)]
#[command(next_help_heading = "Publishing")]
pub struct PublishArgs {
    /// Defaults for where the audio goes: broadcast (-23 LUFS, -1 dBTP,
    /// WAV) or podcast (-16 LUFS, -1 dBTP, WAV and MP3). Flags given as
    /// well win over the preset.
    #[arg(long, value_name = "PRESET", value_parser = bulletin::config::Preset::parse)]
    pub preset: Option<bulletin::config::Preset>,
    /// Formats of every article's file, a comma list of wav, mp3 and opus
    /// [default: wav, or the preset's]. The WAV is always written: the
    /// programme and merge are made from it.
    #[arg(long, value_name = "LIST", value_parser = parse_formats)]
    pub format: Option<FormatList>,
    /// MP3 bitrate, constant, in kbit/s: 32 to 320 [default: 64].
    #[arg(long, value_name = "KBPS")]
    pub mp3_bitrate: Option<u32>,
    /// Opus bitrate, variable, in kbit/s: 6 to 510 [default: 32].
    #[arg(long, value_name = "KBPS")]
    pub opus_bitrate: Option<u32>,
    /// The station: the artist tag of MP3 and Opus files, the feed's author.
    #[arg(long, value_name = "NAME")]
    pub station: Option<String>,
    /// Write feed.xml, a podcast feed of the MP3 (else Opus) files, to be
    /// served from this URL (absolute, http:// or https://).
    #[arg(long, value_name = "BASE_URL", value_parser = parse_base_url)]
    pub podcast: Option<bulletin::output::publish::feed::BaseUrl>,
    /// The feed's title [default: the first input's name].
    #[arg(long, value_name = "TITLE", requires = "podcast")]
    pub feed_title: Option<String>,
    /// The feed's artwork: a URL, or a file name under the podcast URL.
    #[arg(long, value_name = "IMAGE", requires = "podcast")]
    pub feed_image: Option<String>,
    /// How many items the feed keeps, newest first; a later run into the
    /// same folder adds its items in front of the older ones.
    #[arg(long, value_name = "N", default_value_t = 50, requires = "podcast",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub feed_keep: u32,
}

/// The formats of `--format`, in the order given.
#[derive(Debug, Clone)]
pub struct FormatList(pub Vec<bulletin::output::publish::Format>);

fn parse_formats(text: &str) -> Result<FormatList, String> {
    bulletin::output::publish::parse_formats(text)
        .map(FormatList)
        .map_err(|e| e.to_string())
}

fn parse_base_url(text: &str) -> Result<bulletin::output::publish::feed::BaseUrl, String> {
    bulletin::output::publish::feed::BaseUrl::parse(text).map_err(|e| e.to_string())
}

/// `--cache`'s help, for `render` and `cache` alike.
const CACHE_HELP: &str =
    "Segment cache folder [env: BULLETIN_CACHE] [default: the platform cache folder]";

/// Settings for long unattended runs.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Segment cache folder.
    #[arg(
        long,
        value_name = "DIR",
        help = CACHE_HELP
    )]
    pub cache: Option<PathBuf>,
    /// Render without the segment cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
    /// Stop at the first article that fails.
    #[arg(long)]
    pub fail_fast: bool,
    /// Render only share K of N (chosen by article id, stable as inputs are
    /// added); the manifest is manifest.shard-K-of-N.json. The programme of
    /// a sharded batch is made by `bulletin merge --programme`.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "programme")]
    pub shard: Option<bulletin::config::Shard>,
    /// How to report progress on stderr: text, or json (one event per line).
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
}

fn parse_shard(text: &str) -> Result<bulletin::config::Shard, String> {
    bulletin::config::Shard::parse(text)
}

/// Arguments of `cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do with the cache.
    #[command(subcommand)]
    pub action: CacheAction,
    /// Segment cache folder.
    #[arg(
        long,
        value_name = "DIR",
        global = true,
        help = CACHE_HELP
    )]
    pub cache: Option<PathBuf>,
}

/// Cache actions.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Show how many segments the cache holds and their size.
    Stats,
    /// Remove the oldest segments until the cache fits in a size.
    Prune {
        /// The largest size to keep, like 2G, 500M or 64k.
        #[arg(long, value_name = "SIZE")]
        max_size: String,
    },
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shared output folder holding manifest.shard-K-of-N.json files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub programme: ProgrammeArgs,
    /// Integrated loudness of the programme, in LUFS.
    #[arg(long, value_name = "LUFS", default_value_t = -23.0, allow_negative_numbers = true,
          value_parser = finite_in(-70.0, -5.0), requires = "programme")]
    pub loudness: f64,
    /// Highest true peak of the programme, in dBTP.
    #[arg(long, value_name = "DBTP", default_value_t = -1.0, allow_negative_numbers = true,
          value_parser = finite_in(-20.0, 0.0), requires = "programme")]
    pub true_peak: f64,
}

/// How the audio is made: rate, loudness, pauses, format, programme.
#[derive(Debug, Args)]
#[command(next_help_heading = "Audio")]
pub struct AudioArgs {
    /// Sample rate of every WAV; each engine's output is resampled to it.
    #[arg(long = "rate", value_name = "HZ", default_value_t = 48_000,
          value_parser = clap::builder::PossibleValuesParser::new(["48000", "44100"])
              .map(|s| s.parse::<u32>().expect("listed rates are numbers")))]
    pub sample_rate: u32,
    /// Integrated loudness of every file and of the programme, in LUFS
    /// (-23 is EBU R128; -16 suits podcasts) [default: -23, or the preset's].
    #[arg(long, value_name = "LUFS", allow_negative_numbers = true,
          value_parser = finite_in(-70.0, -5.0))]
    pub loudness: Option<f64>,
    /// Highest true peak, in dBTP; a look-ahead limiter keeps to it
    /// [default: -1, or the preset's].
    #[arg(long, value_name = "DBTP", allow_negative_numbers = true,
          value_parser = finite_in(-20.0, 0.0))]
    pub true_peak: Option<f64>,
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
    #[command(flatten)]
    pub programme: ProgrammeArgs,
}

/// Whether to write the programme, and its clips.
#[derive(Debug, Args)]
pub struct ProgrammeArgs {
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

impl ProgrammeArgs {
    /// The programme to write, if one was asked for.
    pub fn config(&self) -> Option<bulletin::config::ProgrammeConfig> {
        self.programme.then(|| bulletin::config::ProgrammeConfig {
            intro: self.intro.clone(),
            sting: self.sting.clone(),
            outro: self.outro.clone(),
        })
    }
}

impl InputArgs {
    /// The flags as the settings take them.
    pub fn flags(self) -> InputFlags {
        InputFlags {
            inputs: self.inputs,
            encoding: self.encoding,
            max_input_size: self.max_input_size,
            voice: self.voice,
            voices_dir: self.voices.voices_dir,
            lexicons: self.lexicons,
        }
    }
}

impl RenderArgs {
    /// The flags as the settings take them.
    pub fn flags(self) -> RenderFlags {
        let (batch, audio, publish) = (self.batch, self.audio, self.publish);
        RenderFlags {
            input: self.input.flags(),
            out_dir: self.out,
            jobs: self.jobs,
            quiet: self.quiet,
            cache: batch.cache,
            no_cache: batch.no_cache,
            fail_fast: batch.fail_fast,
            shard: batch.shard,
            log_format: if batch.log_format == "json" {
                LogFormat::Json
            } else {
                LogFormat::Text
            },
            preset: publish.preset,
            audio: AudioFlags {
                sample_rate: audio.sample_rate,
                bits: audio.bits,
                loudness: audio.loudness,
                true_peak: audio.true_peak,
                pauses: PauseOverrides {
                    sentence_ms: audio.pause_sentence,
                    headline_ms: audio.pause_headline,
                    paragraph_ms: audio.pause_paragraph,
                },
                programme: audio.programme.config(),
            },
            publish: PublishFlags {
                formats: publish.format.map(|list| list.0),
                mp3_kbps: publish.mp3_bitrate,
                opus_kbps: publish.opus_bitrate,
                station: publish.station,
                podcast: publish.podcast,
                feed_title: publish.feed_title,
                feed_image: publish.feed_image,
                feed_keep: publish.feed_keep,
            },
        }
    }
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

/// Arguments of the hidden `espeak-worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Speak every utterance in a fresh fork of the worker.
    #[arg(long)]
    pub fork: bool,
    /// The libespeak-ng file to open instead of the system's.
    #[arg(long, value_name = "FILE")]
    pub library: Option<PathBuf>,
}

/// Jobs per core past which `--jobs` is refused: each job is a thread (and
/// for espeak-ng a worker process), and 65,535 of them never finished.
const JOBS_PER_CORE: usize = 8;

/// `--jobs`: from 1 to [`JOBS_PER_CORE`] times the cores.
fn parse_jobs(text: &str) -> Result<u16, String> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = JOBS_PER_CORE * cores;
    match text.parse::<u16>() {
        Ok(jobs) if (1..=most).contains(&usize::from(jobs)) => Ok(jobs),
        _ => Err(format!(
            "must be a number from 1 to {most} ({JOBS_PER_CORE} per core on this machine's {cores} cores)"
        )),
    }
}
