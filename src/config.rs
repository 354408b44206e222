//! The settings: what the command line gave ([`InputFlags`],
//! [`RenderFlags`], plain values before any default) and every
//! environment variable the program reads ([`Environment`]) become one
//! plain, already-merged [`Config`], once, here. Stages get their own
//! parts of it (`IngestOptions`, `EngineOptions`, …), never the whole.
//!
//! Precedence, lowest first: built-in defaults < the preset (`--preset`)
//! < the voice profile's own settings (rate, pitch, pauses) < command-line
//! flags. Pauses are merged per article: [`PauseOverrides::over`] the
//! reading voice's profile. The library never sees clap types.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::SystemTime;

use crate::audio::programme::Clips;
use crate::audio::wav::{Stamp, WavFormat};
use crate::audio::{Layout, Target};
use crate::error::Error;
use crate::ingest::decode::TextEncoding;
use crate::ingest::Document;
pub use crate::ingest::{IngestOptions, InputSource, DEFAULT_MAX_INPUT_SIZE};
use crate::output::publish::feed::BaseUrl;
use crate::output::publish::{Format, Podcast, PublishSettings};
use crate::output::write::ManifestJson;
use crate::text::lexicon::Lexicon;
use crate::voice::piper::runtime;
use crate::voice::{EngineOptions, Pauses, VoiceSet};

/// Settings for `plan` and `render`.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to read, for the ingest stage.
    pub ingest: IngestOptions,
    /// Folder for WAVs and `manifest.json`.
    pub out_dir: PathBuf,
    /// A profile name to use for its language instead of the default one.
    pub voice: Option<String>,
    /// Folder of voice profiles that overrides the built-in ones.
    pub voices_dir: Option<PathBuf>,
    /// Lexicon files that add to the built-in one, later files winning.
    pub lexicons: Vec<PathBuf>,
    /// Upper bound on parallel synthesis jobs; `None` means one per core.
    pub jobs: Option<usize>,
    /// Hide progress bars (the final summary line is still printed).
    pub quiet: bool,
    /// The segment cache folder; `None` renders without a cache.
    pub cache_dir: Option<PathBuf>,
    /// Stop at the first article that fails.
    pub fail_fast: bool,
    /// Render only this share of the articles.
    pub shard: Option<Shard>,
    /// How progress and events are reported on stderr.
    pub log_format: LogFormat,
    /// A hash of everything the output depends on (see
    /// [`job_key`]), recorded in the manifest so that a
    /// re-run of a finished job has nothing to do.
    pub job: Option<String>,
    /// How the audio is made and written.
    pub audio: AudioConfig,
    /// What is published besides the WAVs: MP3, Opus, the podcast feed.
    pub publish: PublishSettings,
    /// The origination date and time of every file written, from
    /// [`Environment::stamp`]; `None` is the clock.
    pub stamp: Option<Stamp>,
    /// What the program read from its environment.
    pub environment: Environment,
    /// What the engines need from outside the profiles, from
    /// [`Environment::engines`].
    pub engines: EngineOptions,
}

/// What the command line gave for the inputs and the voices, as given.
#[derive(Debug, Clone, Default)]
pub struct InputFlags {
    /// Files, folders, or `-` for standard input.
    pub inputs: Vec<PathBuf>,
    /// `--encoding`.
    pub encoding: Option<TextEncoding>,
    /// `--max-input-size`, in bytes.
    pub max_input_size: Option<u64>,
    /// `--voice`.
    pub voice: Option<String>,
    /// `--voices`.
    pub voices_dir: Option<PathBuf>,
    /// `--lexicon`, in order.
    pub lexicons: Vec<PathBuf>,
}

/// What the command line gave for `render`, as given: `None` where a flag
/// was left out, for the preset or the default to fill in.
#[derive(Debug, Clone)]
pub struct RenderFlags {
    /// What to read, with which voices.
    pub input: InputFlags,
    /// `--out`.
    pub out_dir: PathBuf,
    /// `--jobs`.
    pub jobs: Option<u16>,
    /// `--quiet`.
    pub quiet: bool,
    /// `--cache`.
    pub cache: Option<PathBuf>,
    /// `--no-cache`.
    pub no_cache: bool,
    /// `--fail-fast`.
    pub fail_fast: bool,
    /// `--shard`.
    pub shard: Option<Shard>,
    /// `--log-format`.
    pub log_format: LogFormat,
    /// `--preset`.
    pub preset: Option<Preset>,
    /// `--rate`, `--bits`, the pauses and the programme, as given; the
    /// loudness and true peak only when given.
    pub audio: AudioFlags,
    /// `--format`, the bitrates, `--station` and the feed's flags.
    pub publish: PublishFlags,
}

/// The audio flags of `render`, as given.
#[derive(Debug, Clone)]
pub struct AudioFlags {
    /// `--rate`.
    pub sample_rate: u32,
    /// `--bits`.
    pub bits: u16,
    /// `--loudness`.
    pub loudness: Option<f64>,
    /// `--true-peak`.
    pub true_peak: Option<f64>,
    /// `--pause-sentence`, `--pause-headline`, `--pause-paragraph`.
    pub pauses: PauseOverrides,
    /// `--programme` with its clips.
    pub programme: Option<ProgrammeConfig>,
}

/// The publishing flags of `render`, as given.
#[derive(Debug, Clone, Default)]
pub struct PublishFlags {
    /// `--format`.
    pub formats: Option<Vec<Format>>,
    /// `--mp3-bitrate`.
    pub mp3_kbps: Option<u32>,
    /// `--opus-bitrate`.
    pub opus_kbps: Option<u32>,
    /// `--station`.
    pub station: Option<String>,
    /// `--podcast`.
    pub podcast: Option<BaseUrl>,
    /// `--feed-title`.
    pub feed_title: Option<String>,
    /// `--feed-image`.
    pub feed_image: Option<String>,
    /// `--feed-keep`.
    pub feed_keep: u32,
}

impl Config {
    /// The settings of `plan` and `speak`: what to read and which voices
    /// read it, over the defaults.
    pub fn for_inputs(flags: InputFlags, environment: Environment) -> Config {
        let defaults = Config::default();
        let inputs = flags.inputs.into_iter().map(input_source).collect();
        Config {
            ingest: IngestOptions {
                inputs,
                encoding: flags.encoding,
                max_input_size: flags
                    .max_input_size
                    .unwrap_or(defaults.ingest.max_input_size),
            },
            voice: flags.voice,
            voices_dir: environment.voices_dir(flags.voices_dir),
            lexicons: flags.lexicons,
            engines: environment.engines(),
            environment,
            ..defaults
        }
    }

    /// The settings of `render`: the flags over the preset's and the
    /// defaults. Settings no file can be made with (a bitrate the codec
    /// lacks, Opus at 44.1 kHz, a feed without MP3 or Opus) are refused
    /// here, before any work.
    pub fn for_render(flags: RenderFlags, environment: Environment) -> Result<Config, Error> {
        let preset = flags.preset.unwrap_or_default();
        let mut config = Config::for_inputs(flags.input, environment);
        config.publish = flags.publish.settings(preset, &config.ingest.inputs);
        config.audio = flags.audio.settings(preset);
        config
            .publish
            .check(config.audio.sample_rate)
            .map_err(|e| Error::Usage(e.to_string()))?;
        config.engines.jobs = flags.jobs.map(usize::from);
        config.engines.preload_models = true;
        Ok(Config {
            out_dir: flags.out_dir,
            jobs: flags.jobs.map(usize::from),
            quiet: flags.quiet,
            cache_dir: (!flags.no_cache).then(|| config.environment.cache_dir(flags.cache)),
            fail_fast: flags.fail_fast,
            shard: flags.shard,
            log_format: flags.log_format,
            ..config
        })
    }

    /// This run's manifest: its shard's, when sharded.
    pub fn manifest_file(&self) -> ManifestJson {
        ManifestJson {
            shard: self.shard.map(|s| (s.index, s.count)),
        }
    }
}

/// An input as given: `-` is standard input, anything else a path.
fn input_source(path: PathBuf) -> InputSource {
    if path == std::path::Path::new("-") {
        InputSource::Stdin
    } else {
        InputSource::Path(path)
    }
}

impl AudioFlags {
    /// The audio settings: these flags over the preset's.
    fn settings(self, preset: Preset) -> AudioConfig {
        let target = preset.target();
        AudioConfig {
            sample_rate: self.sample_rate,
            bits: self.bits,
            target: Target {
                integrated_lufs: self.loudness.unwrap_or(target.integrated_lufs),
                true_peak_dbtp: self.true_peak.unwrap_or(target.true_peak_dbtp),
            },
            pauses: self.pauses,
            programme: self.programme,
        }
    }
}

impl PublishFlags {
    /// What to publish: these flags over the preset's. The feed's title,
    /// unless given, is the first input's name.
    fn settings(self, preset: Preset, inputs: &[InputSource]) -> PublishSettings {
        let defaults = PublishSettings::default();
        let first_input = inputs.iter().find_map(|input| match input {
            InputSource::Path(path) => path
                .canonicalize()
                .unwrap_or_else(|_| path.clone())
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned()),
            InputSource::Stdin => None,
        });
        let title = self.feed_title.or(first_input);
        PublishSettings {
            formats: self.formats.unwrap_or_else(|| preset.formats()),
            mp3_kbps: self.mp3_kbps.unwrap_or(defaults.mp3_kbps),
            opus_kbps: self.opus_kbps.unwrap_or(defaults.opus_kbps),
            station: self.station,
            podcast: self.podcast.map(|base_url| Podcast {
                base_url,
                title: Some(title.unwrap_or_else(|| "Bulletin".into())),
                image: self.feed_image,
                keep: self.feed_keep as usize,
            }),
        }
    }
}

/// Every environment variable the library's stages depend on, read once by
/// the binary ([`Environment::read`]) and handed down as plain values: no
/// stage reads the environment itself (`tests/architecture.rs` checks that
/// only this module and `main.rs` do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// `SOURCE_DATE_EPOCH`, the reproducible-builds date, in seconds.
    pub source_date_epoch: Option<u64>,
    /// `BULLETIN_ESPEAK_MODE`.
    pub espeak_mode: Option<String>,
    /// `BULLETIN_LIBESPEAK_NG`: a libespeak-ng file to open instead of the
    /// system's.
    pub espeak_library: Option<PathBuf>,
    /// `BULLETIN_ESPEAK_WORKER_FAULT`: a crash or hang tests ask an
    /// espeak-ng worker for.
    pub espeak_worker_fault: Option<String>,
    /// `BULLETIN_MODELS`: the folder of Piper voice models.
    pub models: Option<PathBuf>,
    /// `ORT_DYLIB_PATH`: the ONNX Runtime library.
    pub ort_dylib_path: Option<PathBuf>,
    /// `XDG_DATA_HOME`, where `scripts/setup` installs.
    pub xdg_data_home: Option<PathBuf>,
    /// `HOME`.
    pub home: Option<PathBuf>,
    /// `PATH`, where `command` profiles' programs are looked up.
    pub path: Option<OsString>,
    /// `BULLETIN_TONE_FAIL_ON`: text the `tone` test engine fails on.
    pub tone_fail_on: Option<String>,
    /// `BULLETIN_VOICES`: the voice profiles' folder when `--voices` is
    /// not given.
    pub voices_dir: Option<PathBuf>,
    /// `BULLETIN_CACHE`: the segment cache's folder when `--cache` is not
    /// given.
    pub cache_dir: Option<PathBuf>,
    /// The platform's cache folder (`XDG_CACHE_HOME`, else `~/.cache`, on
    /// Linux), when there is one.
    pub platform_cache_dir: Option<PathBuf>,
    /// The temporary folder (`TMPDIR`), for the segment cache when there
    /// is no platform cache folder.
    pub temp_dir: Option<PathBuf>,
}

impl Environment {
    /// Reads the process environment. An empty variable counts as unset.
    pub fn read() -> Environment {
        let text = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
        let os = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let path = |name: &str| os(name).map(PathBuf::from);
        Environment {
            source_date_epoch: text("SOURCE_DATE_EPOCH").and_then(|v| v.trim().parse().ok()),
            espeak_mode: text(crate::voice::espeak::MODE_ENV),
            espeak_library: path(crate::voice::espeak::LIBRARY_ENV),
            espeak_worker_fault: text(crate::voice::espeak::FAULT_ENV),
            tone_fail_on: text(crate::voice::TONE_FAIL_ENV),
            models: path("BULLETIN_MODELS"),
            ort_dylib_path: path("ORT_DYLIB_PATH"),
            xdg_data_home: path("XDG_DATA_HOME"),
            home: path("HOME"),
            path: os("PATH"),
            voices_dir: path("BULLETIN_VOICES"),
            cache_dir: path("BULLETIN_CACHE"),
            platform_cache_dir: dirs::cache_dir(),
            temp_dir: Some(std::env::temp_dir()),
        }
    }

    /// The folder of voice profiles: `given` (`--voices`), else
    /// `BULLETIN_VOICES`, else `./voices` when it exists, else none (the
    /// built-in profiles alone).
    pub fn voices_dir(&self, given: Option<PathBuf>) -> Option<PathBuf> {
        given
            .or_else(|| self.voices_dir.clone())
            .or_else(|| Some(PathBuf::from("voices")).filter(|dir| dir.is_dir()))
    }

    /// The segment cache's folder: `given` (`--cache`), else
    /// `BULLETIN_CACHE`, else `bulletin/segments` in the platform's cache
    /// folder, else in the temporary folder.
    pub fn cache_dir(&self, given: Option<PathBuf>) -> PathBuf {
        given.or_else(|| self.cache_dir.clone()).unwrap_or_else(|| {
            let base = (self.platform_cache_dir.clone())
                .or_else(|| self.temp_dir.clone())
                .unwrap_or_default();
            base.join("bulletin").join("segments")
        })
    }

    /// The engines' options these values give: Piper's models folder and
    /// ONNX Runtime from `BULLETIN_MODELS` and `ORT_DYLIB_PATH`, else under
    /// `$XDG_DATA_HOME/bulletin` or `~/.local/share/bulletin`; Piper models
    /// compiled for this CPU in `bulletin/models` in the platform's cache
    /// folder (beside the segments, but not theirs: `--no-cache` and
    /// `--cache` are about audio). Never in the shared temporary folder,
    /// where another user could put a graph of their own: without a cache
    /// folder of the user's, models are compiled on each load.
    pub fn engines(&self) -> EngineOptions {
        let data_dir = runtime::data_dir(self.xdg_data_home.as_deref(), self.home.as_deref());
        EngineOptions {
            espeak_mode: self.espeak_mode.clone(),
            espeak_library: self.espeak_library.clone(),
            piper_models: runtime::models_dir(self.models.as_deref(), data_dir.as_deref()),
            onnxruntime: runtime::library_path(self.ort_dylib_path.as_deref(), data_dir.as_deref()),
            piper_compiled: self
                .platform_cache_dir
                .as_ref()
                .map(|base| base.join("bulletin").join("models")),
            search_path: self.path.clone(),
            tone_fail_on: self.tone_fail_on.clone(),
            ..EngineOptions::default()
        }
    }

    /// The origination date and time written into every WAV's `bext`
    /// chunk. A re-run of the same job must give the same bytes, so this
    /// is not the clock: it is `SOURCE_DATE_EPOCH` when set (the
    /// reproducible-builds convention), else the newest of `modified` (the
    /// times of the files read), else (standard input only) now.
    pub fn stamp(&self, modified: impl IntoIterator<Item = SystemTime>) -> Stamp {
        if let Some(seconds) = self.source_date_epoch {
            return Stamp::from_unix(seconds);
        }
        let newest = modified.into_iter().max();
        match newest.and_then(|time| time.duration_since(SystemTime::UNIX_EPOCH).ok()) {
            Some(since_epoch) => Stamp::from_unix(since_epoch.as_secs()),
            None => Stamp::now(),
        }
    }
}

/// The key of a render job: a hash of everything its output depends on
/// (the inputs as read, the voice profiles and the ones `reading` them,
/// the lexicon, the settings that change audio or files, the `bext` date,
/// the espeak-ng mode and this version of bulletin), but not of how it
/// runs (jobs, cache, logging).
pub fn job_key(
    documents: &[Document],
    voices: &VoiceSet,
    reading: &BTreeSet<&str>,
    lexicon: &Lexicon,
    config: &Config,
) -> String {
    let description = format!(
        "{}\n{documents:?}\n{voices:?}\n{reading:?}\n{lexicon:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        config.voice,
        config.shard,
        config.audio,
        config.publish,
        config.stamp,
        config.engines.espeak_mode,
    );
    blake3::hash(description.as_bytes()).to_hex().to_string()
}

/// One of `count` deterministic shares of a batch (`--shard K/N`), chosen by
/// article id so that adding an input does not move the other articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 1-based.
    pub index: u32,
    /// How many shares.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let invalid = || format!("{text:?} is not a shard like 2/8 (K/N with 1 <= K <= N)");
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index: u32 = index.trim().parse().map_err(|_| invalid())?;
        let count: u32 = count.trim().parse().map_err(|_| invalid())?;
        if index == 0 || index > count {
            return Err(invalid());
        }
        Ok(Shard { index, count })
    }

    /// True when the article with this id belongs to this share.
    pub fn includes(&self, article_id: &str) -> bool {
        let hash = blake3::hash(article_id.as_bytes());
        let value = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
        value % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// How a render reports what it does on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Progress bars on a terminal and one summary line.
    #[default]
    Text,
    /// One JSON object per event (start, article done, article failed,
    /// summary), for schedulers.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ingest: IngestOptions::default(),
            out_dir: PathBuf::from("output"),
            voice: None,
            voices_dir: None,
            lexicons: Vec::new(),
            jobs: None,
            quiet: false,
            cache_dir: None,
            fail_fast: false,
            shard: None,
            log_format: LogFormat::Text,
            job: None,
            audio: AudioConfig::default(),
            publish: PublishSettings::default(),
            stamp: None,
            environment: Environment::default(),
            engines: EngineOptions::default(),
        }
    }
}

/// Reads a size in bytes as a person writes it: `1000`, `64K`, `50M`,
/// `2G` (units of 1024, with an optional `B` or `iB`, any case).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let lower = text.trim().to_ascii_lowercase();
    let number_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (number, unit) = lower.split_at(number_end);
    let shift = match unit.trim().trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => {
            return Err(format!(
                "\"{text}\" is not a size: write e.g. 500K, 50M or 2G"
            ))
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&bytes| bytes > 0)
        .ok_or_else(|| format!("\"{text}\" is not a size: write e.g. 500K, 50M or 2G"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_article_exactly_once() {
        let shards: Vec<Shard> = (1..=4)
            .map(|k| Shard::parse(&format!("{k}/4")).unwrap())
            .collect();
        for i in 0..200 {
            let id = format!("article-{i}");
            assert_eq!(shards.iter().filter(|s| s.includes(&id)).count(), 1);
        }
        assert!(
            Shard::parse("0/4").is_err()
                && Shard::parse("5/4").is_err()
                && Shard::parse("x").is_err()
        );
    }

    #[test]
    fn the_stamp_is_source_date_epoch_else_the_newest_file_read() {
        let at = |seconds| std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        let files = [at(978_307_200), at(1_700_000_000), at(86_400)];
        let unset = Environment::default();
        assert_eq!(unset.stamp(files).date, "2023-11-14");
        let pinned = Environment {
            source_date_epoch: Some(0),
            ..Environment::default()
        };
        assert_eq!(pinned.stamp(files).date, "1970-01-01");
        assert_eq!(pinned.stamp([]).time, "00:00:00");
    }

    #[test]
    fn piper_files_are_where_the_environment_says_else_under_the_data_folder() {
        let path = |text: &str| Some(PathBuf::from(text));
        let home = Environment {
            home: path("/home/ann"),
            ..Environment::default()
        };
        let xdg = Environment {
            xdg_data_home: path("/data"),
            ..home.clone()
        };
        let set = Environment {
            models: path("/models"),
            ort_dylib_path: path("/ort/libonnxruntime.so"),
            ..xdg.clone()
        };
        let cases = [
            (
                &home,
                "/home/ann/.local/share/bulletin/voices",
                "/home/ann/.local/share/bulletin/lib/",
            ),
            (&xdg, "/data/bulletin/voices", "/data/bulletin/lib/"),
            (&set, "/models", "/ort/libonnxruntime.so"),
        ];
        for (environment, models, runtime) in cases {
            let engines = environment.engines();
            assert_eq!(engines.piper_models, path(models), "{environment:?}");
            let onnxruntime = engines.onnxruntime.unwrap();
            assert!(
                onnxruntime.to_string_lossy().starts_with(runtime),
                "{onnxruntime:?}"
            );
        }
        let nowhere = Environment::default().engines();
        assert_eq!((nowhere.piper_models, nowhere.onnxruntime), (None, None));
    }

    fn render_flags(input: &str) -> RenderFlags {
        RenderFlags {
            input: InputFlags {
                inputs: vec![PathBuf::from(input)],
                ..InputFlags::default()
            },
            out_dir: PathBuf::from("out"),
            jobs: None,
            quiet: false,
            cache: None,
            no_cache: false,
            fail_fast: false,
            shard: None,
            log_format: LogFormat::Text,
            preset: None,
            audio: AudioFlags {
                sample_rate: 48_000,
                bits: 16,
                loudness: None,
                true_peak: None,
                pauses: PauseOverrides::default(),
                programme: None,
            },
            publish: PublishFlags {
                feed_keep: 50,
                ..PublishFlags::default()
            },
        }
    }

    #[test]
    fn render_settings_are_flags_over_the_preset_over_the_defaults() {
        let base = render_flags("-");
        let podcast = |flags: RenderFlags| RenderFlags {
            preset: Some(Preset::Podcast),
            ..flags
        };
        let url = BaseUrl::parse("https://radio.example/pod/").unwrap();
        let cases: Vec<(&str, RenderFlags, f64, Vec<Format>)> = vec![
            ("defaults", base.clone(), -23.0, vec![Format::Wav]),
            (
                "preset",
                podcast(base.clone()),
                -16.0,
                vec![Format::Wav, Format::Mp3],
            ),
            (
                "flags win",
                RenderFlags {
                    audio: AudioFlags {
                        loudness: Some(-20.0),
                        ..base.audio.clone()
                    },
                    publish: PublishFlags {
                        formats: Some(vec![Format::Wav, Format::Opus]),
                        podcast: Some(url),
                        ..base.publish.clone()
                    },
                    ..podcast(base.clone())
                },
                -20.0,
                vec![Format::Wav, Format::Opus],
            ),
        ];
        for (name, flags, lufs, formats) in cases {
            let config = Config::for_render(flags, Environment::default()).unwrap();
            let got = config.audio.target.integrated_lufs;
            assert!((got - lufs).abs() < 1e-9, "{name}: {got}");
            assert_eq!(config.publish.formats, formats, "{name}");
            assert_eq!(config.ingest.inputs, [InputSource::Stdin], "{name}");
        }
    }

    #[test]
    fn the_feed_title_is_the_first_input_s_name_and_no_cache_means_none() {
        let flags = RenderFlags {
            no_cache: true,
            publish: PublishFlags {
                formats: Some(vec![Format::Wav, Format::Mp3]),
                podcast: Some(BaseUrl::parse("https://radio.example/").unwrap()),
                ..render_flags("x").publish
            },
            ..render_flags("pages/morning-news.txt")
        };
        let config = Config::for_render(flags, Environment::default()).unwrap();
        let podcast = config.publish.podcast.unwrap();
        assert_eq!(podcast.title.as_deref(), Some("morning-news"));
        assert_eq!(config.cache_dir, None);
    }

    #[test]
    fn settings_no_file_can_be_made_with_are_refused_as_usage() {
        let flags = RenderFlags {
            audio: AudioFlags {
                sample_rate: 44_100,
                ..render_flags("-").audio
            },
            publish: PublishFlags {
                formats: Some(vec![Format::Wav, Format::Opus]),
                ..render_flags("-").publish
            },
            ..render_flags("-")
        };
        let refused = Config::for_render(flags, Environment::default());
        assert!(matches!(refused, Err(Error::Usage(_))), "{refused:?}");
    }

    #[test]
    fn folders_come_from_the_flag_then_the_environment_then_the_default() {
        let environment = Environment {
            voices_dir: Some("/env/voices".into()),
            cache_dir: Some("/env/cache".into()),
            platform_cache_dir: Some("/home/u/.cache".into()),
            ..Environment::default()
        };
        let flag = || Some(PathBuf::from("/flag"));
        assert_eq!(environment.voices_dir(flag()), flag());
        assert_eq!(environment.voices_dir(None), Some("/env/voices".into()));
        assert_eq!(environment.cache_dir(flag()), PathBuf::from("/flag"));
        assert_eq!(environment.cache_dir(None), PathBuf::from("/env/cache"));
        let unset = Environment {
            cache_dir: None,
            ..environment
        };
        assert_eq!(
            unset.cache_dir(None),
            PathBuf::from("/home/u/.cache/bulletin/segments")
        );
        assert_eq!(
            unset.engines().piper_compiled,
            Some("/home/u/.cache/bulletin/models".into())
        );
        // Without a cache folder of the user's: segments in the temporary
        // folder, compiled models nowhere.
        let no_cache_folder = Environment {
            platform_cache_dir: None,
            temp_dir: Some("/tmp".into()),
            ..unset
        };
        assert_eq!(
            no_cache_folder.cache_dir(None),
            PathBuf::from("/tmp/bulletin/segments")
        );
        assert_eq!(no_cache_folder.engines().piper_compiled, None);
    }

    #[test]
    fn sizes_parse_with_units() {
        let cases = [
            ("1000", Some(1000)),
            ("64K", Some(64 << 10)),
            ("50M", Some(50 << 20)),
            ("50mb", Some(50 << 20)),
            ("2 GiB", Some(2 << 30)),
            ("1B", Some(1)),
            ("0", None),
            ("M", None),
            ("12T", None),
            ("-5", None),
            ("99999999999999999999G", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text).ok(), expected, "{text}");
        }
    }
}

/// Settings of the audio stage: rate, loudness, pauses, file format and the
/// programme.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioConfig {
    /// The bulletin rate every engine's output is resampled to: 48000 or
    /// 44100.
    pub sample_rate: u32,
    /// Bits per sample of the WAVs: 16 or 24.
    pub bits: u16,
    /// Integrated loudness and true-peak ceiling of every output.
    pub target: Target,
    /// Pauses set on the command line, over the voice profile's.
    pub pauses: PauseOverrides,
    /// Also write the whole programme, when set.
    pub programme: Option<ProgrammeConfig>,
}

impl AudioConfig {
    /// The programme's clips at the bulletin rate, when a programme is
    /// asked for.
    pub fn clips(&self) -> Result<Option<Clips>, Error> {
        let programme = self.programme.as_ref();
        programme
            .map(|p| p.clips(self.sample_rate, self.target))
            .transpose()
    }

    /// How an article read by a voice with `profile`'s pauses is laid
    /// out: the flags' pauses over the profile's, at the bulletin rate.
    pub fn layout(&self, profile: Option<Pauses>) -> Layout {
        Layout {
            pauses: self.pauses.over(profile.unwrap_or_default()),
            rate: self.sample_rate,
        }
    }

    /// The format of every WAV written.
    pub fn wav_format(&self) -> WavFormat {
        WavFormat {
            sample_rate: self.sample_rate,
            bits: self.bits,
        }
    }
}

impl Default for AudioConfig {
    fn default() -> Self {
        Self {
            sample_rate: 48_000,
            bits: 16,
            target: Target::default(),
            pauses: PauseOverrides::default(),
            programme: None,
        }
    }
}

/// Pauses in milliseconds that replace the voice profile's when set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PauseOverrides {
    /// Between two sentences of a paragraph.
    pub sentence_ms: Option<u32>,
    /// After the headline.
    pub headline_ms: Option<u32>,
    /// Between two paragraphs.
    pub paragraph_ms: Option<u32>,
}

impl PauseOverrides {
    /// The profile's pauses with these put over them.
    pub fn over(self, profile: Pauses) -> Pauses {
        Pauses {
            sentence_ms: self.sentence_ms.unwrap_or(profile.sentence_ms),
            headline_ms: self.headline_ms.unwrap_or(profile.headline_ms),
            paragraph_ms: self.paragraph_ms.unwrap_or(profile.paragraph_ms),
        }
    }
}

/// The clips around and between the articles of the programme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeConfig {
    /// WAV played first.
    pub intro: Option<PathBuf>,
    /// WAV played between two articles.
    pub sting: Option<PathBuf>,
    /// WAV played last.
    pub outro: Option<PathBuf>,
}

impl ProgrammeConfig {
    /// Loads the clips that are given at `rate`, each brought to `target`.
    pub fn clips(&self, rate: u32, target: Target) -> Result<Clips, Error> {
        let (intro, sting, outro) = (&self.intro, &self.sting, &self.outro);
        let (intro, sting, outro) = (intro.as_deref(), sting.as_deref(), outro.as_deref());
        Clips::load(intro, sting, outro, rate, target).map_err(Error::Clip)
    }
}

/// The longest pause accepted, in milliseconds.
const MAX_PAUSE_MS: f64 = 60_000.0;

/// Defaults for where the audio goes (`--preset`); a flag given as well
/// wins over its preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// Playout: −23 LUFS (EBU R128), −1 dBTP, the broadcast WAV.
    #[default]
    Broadcast,
    /// Podcast apps and players: −16 LUFS, −1 dBTP, MP3 beside the WAV.
    Podcast,
}

impl Preset {
    /// The preset named `broadcast` or `podcast`.
    pub fn parse(name: &str) -> Result<Preset, String> {
        match name {
            "broadcast" => Ok(Preset::Broadcast),
            "podcast" => Ok(Preset::Podcast),
            _ => Err(format!("{name:?} is not a preset (broadcast, podcast)")),
        }
    }

    /// The loudness every file is brought to.
    pub fn target(self) -> Target {
        let integrated_lufs = match self {
            Preset::Broadcast => -23.0,
            Preset::Podcast => -16.0,
        };
        Target {
            integrated_lufs,
            true_peak_dbtp: -1.0,
        }
    }

    /// The formats of every article's file.
    pub fn formats(self) -> Vec<Format> {
        match self {
            Preset::Broadcast => vec![Format::Wav],
            Preset::Podcast => vec![Format::Wav, Format::Mp3],
        }
    }
}

/// Reads a pause such as `350ms` or `0.35s` as whole milliseconds.
pub fn parse_pause(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let (number, scale) = if let Some(number) = text.strip_suffix("ms") {
        (number, 1.0)
    } else if let Some(number) = text.strip_suffix('s') {
        (number, 1000.0)
    } else {
        return Err(format!(
            "{text:?} has no unit; write milliseconds or seconds, such as 350ms or 0.35s"
        ));
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 350ms or 0.35s"))?;
    let ms = value * scale;
    if !(0.0..=MAX_PAUSE_MS).contains(&ms) {
        return Err(format!("{text:?} is not between 0 and 60 s"));
    }
    Ok(ms.round() as u32)
}

#[cfg(test)]
mod pause_tests {
    #[test]
    fn presets() {
        let cases = [
            ("broadcast", Some((-23.0, vec![Format::Wav]))),
            ("podcast", Some((-16.0, vec![Format::Wav, Format::Mp3]))),
            ("radio", None),
        ];
        for (name, expected) in cases {
            let preset = Preset::parse(name).ok();
            let got = preset.map(|p| (p.target().integrated_lufs, p.formats()));
            assert_eq!(got, expected, "{name}");
            if let Some(preset) = preset {
                assert!((preset.target().true_peak_dbtp + 1.0).abs() < f64::EPSILON);
            }
        }
    }

    use super::*;

    #[test]
    fn pauses_read_in_milliseconds_or_seconds() {
        let cases = [
            ("350ms", Ok(350)),
            ("0.35s", Ok(350)),
            ("1s", Ok(1000)),
            (" 800 ms ", Ok(800)),
            ("0ms", Ok(0)),
            ("0.0005s", Ok(1)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_pause(text), expected, "{text}");
        }
        for bad in ["350", "fast", "-1s", "2min", "61s", "NaNs", "ms"] {
            assert!(parse_pause(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_override_the_profile_pause_by_pause() {
        let profile = Pauses {
            sentence_ms: 350,
            headline_ms: 800,
            paragraph_ms: 600,
        };
        let flags = PauseOverrides {
            sentence_ms: Some(200),
            ..PauseOverrides::default()
        };
        assert_eq!(
            flags.over(profile),
            Pauses {
                sentence_ms: 200,
                ..profile
            }
        );
    }
}
