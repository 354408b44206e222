//! Voice profiles: one TOML file per voice in `voices/`, compiled in as
//! defaults so the binary works from any directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text::Lang;
use crate::voice::EngineOptions;

/// The profiles built into the binary, as `(name, toml)`.
const BUILT_IN: &[(&str, &str)] = &[
    ("zh-cn", include_str!("../../voices/zh-cn.toml")),
    ("en-us", include_str!("../../voices/en-us.toml")),
    ("flite-en", include_str!("../../voices/flite-en.toml")),
    ("festival-en", include_str!("../../voices/festival-en.toml")),
    (
        "macos-say-en",
        include_str!("../../voices/macos-say-en.toml"),
    ),
    (
        "windows-sapi-en",
        include_str!("../../voices/windows-sapi-en.toml"),
    ),
    ("en-us-joe", include_str!("../../voices/en-us-joe.toml")),
];

/// Pauses a profile puts between the parts of an article, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Pauses {
    /// Between two sentences of a paragraph.
    pub sentence_ms: u32,
    /// After the headline.
    pub headline_ms: u32,
    /// Between two paragraphs.
    pub paragraph_ms: u32,
}

impl Default for Pauses {
    fn default() -> Self {
        Self {
            sentence_ms: 350,
            headline_ms: 800,
            paragraph_ms: 600,
        }
    }
}

/// One voice: which engine speaks, with which of its voices, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceProfile {
    /// The profile's name: its file name without `.toml`.
    #[serde(skip)]
    pub name: String,
    /// The engine, such as `espeak-ng`.
    pub engine: String,
    /// The engine's own name for the voice, such as `cmn-latn-pinyin`.
    pub voice: String,
    /// The language this profile reads.
    pub language: Lang,
    /// Speaking rate in words per minute: the key `rate` in a profile
    /// (not the sample rate, which the engine and `--rate` set).
    #[serde(rename = "rate", default = "default_rate")]
    pub words_per_minute: u32,
    /// Pitch, 0 to 99.
    #[serde(default = "default_pitch")]
    pub pitch: u32,
    /// Volume, 0 to 200, where 100 is the engine's normal level.
    #[serde(default = "default_volume")]
    pub volume: u32,
    /// The longest utterance, in characters, sent to the engine at once.
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    /// Pauses between headline, sentences and paragraphs.
    #[serde(default)]
    pub pauses: Pauses,
    /// For the `command` engine: the program to run and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<CommandSpec>,
    /// Piper: the voice model (`.onnx`, its `.onnx.json` beside it). A
    /// relative path is looked up beside the profile file, then in the
    /// models folder (`BULLETIN_MODELS`, default
    /// `~/.local/share/bulletin/voices`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<PathBuf>,
    /// Piper: variation of the audio, instead of the model config's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_scale: Option<f32>,
    /// Piper: phoneme length (above 1 is slower), instead of the model
    /// config's; `rate` scales it further by 175 / `rate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_scale: Option<f32>,
    /// Piper: variation of phoneme lengths, instead of the model config's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_w: Option<f32>,
    /// Piper: the speaker of a multi-speaker model, by name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    /// The folder the profile file was read from, for its relative paths;
    /// `None` for built-in profiles.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// How the `command` engine runs an external program: never through a
/// shell, arguments as a list, text only in a file or on standard input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandSpec {
    /// The program, looked up on `PATH`.
    pub program: String,
    /// Arguments; `{text_file}`, `{out_wav}`, `{voice}`, `{rate}`, `{pitch}`
    /// and `{volume}` are filled in. Text is never an argument.
    #[serde(default)]
    pub args: Vec<String>,
    /// Also write the text to the program's standard input.
    #[serde(default)]
    pub stdin: bool,
    /// Seconds one utterance may take before the program is killed.
    #[serde(default = "default_timeout_s")]
    pub timeout_s: u64,
    /// The command that installs the program, shown when it is missing.
    #[serde(default)]
    pub install: Option<String>,
}

fn default_timeout_s() -> u64 {
    60
}

/// A speaker of a multi-speaker voice model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Speaker {
    /// The speaker's id.
    Id(i64),
    /// A name from the model's `speaker_id_map`.
    Name(String),
}

impl VoiceProfile {
    /// A profile with the default rate, pitch, volume, length and pauses.
    pub fn new(name: &str, engine: &str, voice: &str, language: Lang) -> VoiceProfile {
        VoiceProfile {
            name: name.to_string(),
            engine: engine.to_string(),
            voice: voice.to_string(),
            language,
            words_per_minute: default_rate(),
            pitch: default_pitch(),
            volume: default_volume(),
            max_chars: default_max_chars(),
            pauses: Pauses::default(),
            model: None,
            noise_scale: None,
            length_scale: None,
            noise_w: None,
            speaker: None,
            dir: None,
            command: None,
        }
    }
}

/// The default speaking rate, words per minute; Piper voices keep their
/// own pace at this rate.
pub const DEFAULT_RATE: u32 = 175;

fn default_rate() -> u32 {
    DEFAULT_RATE
}
fn default_pitch() -> u32 {
    50
}
fn default_volume() -> u32 {
    100
}
fn default_max_chars() -> usize {
    120
}

/// Why voice profiles could not be loaded or chosen.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// A profile file could not be read.
    #[error("cannot read voice profile {path}")]
    Read {
        /// The profile's path.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A profile file is not valid.
    #[error("voice profile {path} is invalid: {message}")]
    Invalid {
        /// The profile's path (or built-in name).
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A profile names an engine bulletin does not have.
    #[error(
        "voice profile {profile} names an unknown engine {engine:?}; known engines: {}",
        super::ENGINES.join(", ")
    )]
    UnknownEngine {
        /// The profile's name.
        profile: String,
        /// The engine it names.
        engine: String,
    },
    /// `BULLETIN_ESPEAK_MODE` names no mode.
    #[error("BULLETIN_ESPEAK_MODE is {0:?}; use workers, workers-fork, process or library")]
    UnknownEspeakMode(String),
    /// `--voice` names a profile that does not exist.
    #[error("no voice profile named {name:?}; known profiles: {known}")]
    UnknownProfile {
        /// The requested name.
        name: String,
        /// The names that exist.
        known: String,
    },
    /// No profile reads a language the input needs.
    #[error("no voice profile reads language {0:?}")]
    NoVoiceFor(&'static str),
}

/// Each language's default profiles, best first. The first that is usable
/// on this machine reads the language; the last is the fallback, taken
/// without asking, whose engine errors are reported when it speaks.
const DEFAULTS: &[(Lang, &[&str])] = &[(Lang::Zh, &["zh-cn"]), (Lang::En, &["en-us-joe", "en-us"])];

/// Whether a profile can speak on this machine, and why not.
pub type Usable = std::sync::Arc<dyn Fn(&VoiceProfile) -> Result<(), String> + Send + Sync>;

/// A language's default profile and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultVoice {
    /// The profile's name.
    pub name: String,
    /// Why this one, in words for `bulletin voices`.
    pub reason: String,
}

/// All known profiles, by name.
#[derive(Clone)]
pub struct VoiceSet {
    profiles: BTreeMap<String, VoiceProfile>,
    preferred: Option<String>,
    /// Profiles the voices folder gives other settings than the built-in
    /// ones of the same name.
    redefined: std::collections::BTreeSet<String>,
    usable: Usable,
    /// The default per language, chosen on first use: asking whether a
    /// neural voice is usable loads its runtime, which Chinese-only input
    /// never needs.
    defaults: [std::sync::OnceLock<Option<DefaultVoice>>; 2],
}

/// The profiles and the preferred one: what a job key hashes. Not the
/// usability check (a function address) nor the defaults chosen so far,
/// which depend on when they were asked for.
impl std::fmt::Debug for VoiceSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceSet")
            .field("profiles", &self.profiles)
            .field("preferred", &self.preferred)
            .field("redefined", &self.redefined)
            .finish_non_exhaustive()
    }
}

/// Asks the profile's engine, made with `options`, whether it can speak
/// here, with espeak-ng in its default mode: whether a voice is usable
/// does not depend on how espeak-ng is run.
fn engine_check(profile: &VoiceProfile, options: &EngineOptions) -> Result<(), String> {
    let options = EngineOptions {
        espeak_mode: None,
        ..options.clone()
    };
    crate::voice::engine_for(profile, &options)
        .map_err(|error| error.to_string())?
        .check(profile)
        .map_err(|error| error.to_string())
}

/// The text stage plans with the profiles' choice of voice per language.
impl crate::text::plan::Casting for VoiceSet {
    type Error = ProfileError;

    fn cast(&self, lang: Lang) -> Result<crate::text::plan::Cast<'_>, ProfileError> {
        Ok(cast_of(self.for_lang(lang)?))
    }

    fn cast_run(
        &self,
        sentence: Lang,
        lang: Lang,
    ) -> Result<crate::text::plan::Cast<'_>, ProfileError> {
        Ok(cast_of(self.for_run(sentence, lang)?))
    }
}

fn cast_of(profile: &VoiceProfile) -> crate::text::plan::Cast<'_> {
    crate::text::plan::Cast {
        voice: &profile.name,
        max_chars: profile.max_chars,
    }
}

impl VoiceSet {
    /// The built-in profiles, overridden and extended by the `*.toml` files
    /// of `dir` when given. `preferred` names a profile that is used for its
    /// language instead of the default one.
    pub fn load(dir: Option<&Path>, preferred: Option<&str>) -> Result<VoiceSet, ProfileError> {
        let mut profiles = BTreeMap::new();
        let mut redefined = std::collections::BTreeSet::new();
        for (name, text) in BUILT_IN {
            let profile = parse(name, text, Path::new(&format!("<built-in {name}>")))?;
            profiles.insert(profile.name.clone(), profile);
        }
        if let Some(dir) = dir {
            let read_error = |source| ProfileError::Read {
                path: dir.to_path_buf(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(read_error)?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect();
            files.sort();
            // A Piper voice dropped in without a profile of its own becomes
            // one, named after its file; a TOML of the same name wins.
            for model in piper_models(dir).map_err(read_error)? {
                let profile = crate::voice::piper::profile_for_model(&model)?;
                profiles.insert(profile.name.clone(), profile);
            }
            for path in files {
                let text = std::fs::read_to_string(&path).map_err(|source| ProfileError::Read {
                    path: path.clone(),
                    source,
                })?;
                let name = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let profile = parse(&name, &text, &path)?;
                // The same settings as the built-in profile (the repository's
                // own voices/) are not the user's choice of default.
                if profiles.get(&name) != Some(&profile) {
                    redefined.insert(name.clone());
                }
                let profile = VoiceProfile {
                    dir: Some(dir.to_path_buf()),
                    ..profile
                };
                profiles.insert(profile.name.clone(), profile);
            }
        }
        let set = VoiceSet {
            profiles,
            preferred: preferred.map(str::to_string),
            redefined,
            usable: std::sync::Arc::new(|profile| engine_check(profile, &EngineOptions::default())),
            defaults: Default::default(),
        };
        if let Some(name) = preferred {
            set.get(name)?;
        }
        Ok(set)
    }

    /// The profile with this name.
    pub fn get(&self, name: &str) -> Result<&VoiceProfile, ProfileError> {
        self.profiles
            .get(name)
            .ok_or_else(|| ProfileError::UnknownProfile {
                name: name.to_string(),
                known: self.profiles.keys().cloned().collect::<Vec<_>>().join(", "),
            })
    }

    /// The same set, asking `usable` whether a profile can speak instead
    /// of its engine.
    #[must_use]
    pub fn with_usable(
        mut self,
        usable: impl Fn(&VoiceProfile) -> Result<(), String> + Send + Sync + 'static,
    ) -> VoiceSet {
        self.usable = std::sync::Arc::new(usable);
        self.defaults = Default::default();
        self
    }

    /// The same set, asking engines made with `options` (where models and
    /// runtimes are) whether a profile can speak.
    #[must_use]
    pub fn checked_with(self, options: EngineOptions) -> VoiceSet {
        self.with_usable(move |profile| engine_check(profile, &options))
    }

    /// The profile that reads a language: the preferred one if it reads that
    /// language, else the language's default (see [`VoiceSet::default_for`]).
    pub fn for_lang(&self, lang: Lang) -> Result<&VoiceProfile, ProfileError> {
        if let Some(profile) = self.preferred_for(lang) {
            return Ok(profile);
        }
        let choice = self
            .default_for(lang)
            .ok_or(ProfileError::NoVoiceFor(lang.code()))?;
        self.get(&choice.name)
    }

    /// The profile for a run of `lang` inside a sentence of `sentence`: as
    /// [`VoiceSet::for_lang`] when the languages agree. Inside a sentence
    /// of another language it is the language's fallback (espeak-ng's
    /// `en-us` for English in a Chinese sentence), the same family of voice
    /// as the sentence's, since a neural timbre for two words mid-sentence
    /// sounds worse than a plain one; a voice chosen with `--voice` still
    /// reads every run of its language.
    pub fn for_run(&self, sentence: Lang, lang: Lang) -> Result<&VoiceProfile, ProfileError> {
        if sentence == lang {
            return self.for_lang(lang);
        }
        if let Some(profile) = self.preferred_for(lang) {
            return Ok(profile);
        }
        defaults_of(lang)
            .last()
            .and_then(|name| self.profiles.get(*name))
            .map_or_else(|| self.for_lang(lang), Ok)
    }

    fn preferred_for(&self, lang: Lang) -> Option<&VoiceProfile> {
        self.preferred
            .as_deref()
            .and_then(|name| self.profiles.get(name))
            .filter(|profile| profile.language == lang)
    }

    /// The profile that reads a language when no `--voice` names one, and
    /// why: the first of the language's defaults that is usable here (a
    /// neural voice when it is installed), else the last, the fallback;
    /// else the first profile (by name) for the language.
    pub fn default_for(&self, lang: Lang) -> Option<DefaultVoice> {
        let slot = &self.defaults[match lang {
            Lang::Zh => 0,
            Lang::En => 1,
        }];
        slot.get_or_init(|| self.choose_default(lang)).clone()
    }

    fn choose_default(&self, lang: Lang) -> Option<DefaultVoice> {
        let candidates: Vec<&VoiceProfile> = defaults_of(lang)
            .iter()
            .filter_map(|name| self.profiles.get(*name))
            .filter(|profile| profile.language == lang)
            .collect();
        // A default the voices folder redefines is the user's choice: it
        // wins over built-in ones ahead of it.
        if let Some(profile) = candidates
            .iter()
            .find(|profile| self.redefined.contains(&profile.name))
        {
            return Some(DefaultVoice {
                name: profile.name.clone(),
                reason: format!(
                    "defined in {}",
                    profile.dir.as_deref().unwrap_or(Path::new("")).display()
                ),
            });
        }
        let mut passed_over = Vec::new();
        for (index, profile) in candidates.iter().enumerate() {
            if index + 1 == candidates.len() {
                let reason = if passed_over.is_empty() {
                    "the default".to_string()
                } else {
                    format!("the fallback: {}", passed_over.join("; "))
                };
                return Some(DefaultVoice {
                    name: profile.name.clone(),
                    reason,
                });
            }
            match (self.usable)(profile) {
                Ok(()) => {
                    return Some(DefaultVoice {
                        name: profile.name.clone(),
                        reason: "the best voice, installed and usable".into(),
                    })
                }
                Err(why) => passed_over.push(format!("{} is not usable ({why})", profile.name)),
            }
        }
        self.profiles
            .values()
            .find(|profile| profile.language == lang)
            .map(|profile| DefaultVoice {
                name: profile.name.clone(),
                reason: format!("the first profile that reads {}", lang.code()),
            })
    }

    /// Every profile, by name.
    pub fn iter(&self) -> impl Iterator<Item = &VoiceProfile> {
        self.profiles.values()
    }
}

fn defaults_of(lang: Lang) -> &'static [&'static str] {
    DEFAULTS
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(&[], |(_, names)| names)
}

/// The `.onnx` files of a folder that have their `.onnx.json` beside them.
fn piper_models(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "onnx"))
        .filter(|path| crate::voice::piper::config_path(path).is_file())
        .collect();
    models.sort();
    Ok(models)
}

fn parse(name: &str, text: &str, path: &Path) -> Result<VoiceProfile, ProfileError> {
    let mut profile: VoiceProfile =
        toml::from_str(text).map_err(|error| ProfileError::Invalid {
            path: path.to_path_buf(),
            message: crate::text::lexicon::toml_message(text, &error),
        })?;
    profile.name = name.to_string();
    if profile.engine == "command" && profile.command.is_none() {
        return Err(ProfileError::Invalid {
            path: path.to_path_buf(),
            message: "a command profile needs a [command] table with program and args".into(),
        });
    }
    if profile.max_chars == 0
        || profile.pitch > 99
        || profile.volume > 200
        || profile.words_per_minute == 0
    {
        return Err(ProfileError::Invalid {
            path: path.to_path_buf(),
            message: "max_chars and rate must be positive, pitch at most 99, volume at most 200"
                .into(),
        });
    }
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn espeak_only(profile: &VoiceProfile) -> Result<(), String> {
        match profile.engine.as_str() {
            "espeak-ng" => Ok(()),
            other => Err(format!("no {other} here")),
        }
    }

    #[allow(clippy::unnecessary_wraps)] // the shape of a usability check
    fn anything(_: &VoiceProfile) -> Result<(), String> {
        Ok(())
    }

    #[test]
    fn built_in_profiles_cover_both_languages() {
        let voices = VoiceSet::load(None, None).unwrap().with_usable(espeak_only);
        assert_eq!(voices.for_lang(Lang::Zh).unwrap().voice, "cmn-latn-pinyin");
        assert_eq!(voices.for_lang(Lang::En).unwrap().voice, "en-us");
    }

    #[test]
    fn english_defaults_to_the_neural_voice_when_it_is_usable_and_says_why() {
        type Check = fn(&VoiceProfile) -> Result<(), String>;
        let voices = VoiceSet::load(None, None).unwrap();
        let cases: &[(Check, &str, &str)] = &[
            (anything, "en-us-joe", "installed and usable"),
            (
                espeak_only,
                "en-us",
                "en-us-joe is not usable (no piper here)",
            ),
        ];
        for (usable, name, reason) in cases {
            let voices = voices.clone().with_usable(*usable);
            let choice = voices.default_for(Lang::En).unwrap();
            assert_eq!(choice.name, *name);
            assert!(choice.reason.contains(reason), "{}", choice.reason);
            assert_eq!(voices.for_lang(Lang::En).unwrap().name, *name);
            assert_eq!(voices.default_for(Lang::Zh).unwrap().name, "zh-cn");
        }
    }

    #[test]
    fn a_default_redefined_in_the_voices_folder_wins_over_built_in_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en-us.toml"),
            "engine = \"tone\"\nvoice = \"tone\"\nlanguage = \"en\"\n",
        )
        .unwrap();
        let voices = VoiceSet::load(Some(dir.path()), None)
            .unwrap()
            .with_usable(anything);
        let choice = voices.default_for(Lang::En).unwrap();
        assert_eq!(choice.name, "en-us");
        assert!(choice.reason.contains(&dir.path().display().to_string()));
    }

    #[test]
    fn latin_runs_in_chinese_sentences_keep_the_plain_english_voice() {
        let voices = VoiceSet::load(None, None).unwrap().with_usable(anything);
        assert_eq!(
            voices.for_run(Lang::En, Lang::En).unwrap().name,
            "en-us-joe"
        );
        assert_eq!(voices.for_run(Lang::Zh, Lang::En).unwrap().name, "en-us");
        assert_eq!(voices.for_run(Lang::En, Lang::Zh).unwrap().name, "zh-cn");
        // A voice asked for by name reads all of its language.
        let chosen = VoiceSet::load(None, Some("en-us-joe"))
            .unwrap()
            .with_usable(espeak_only);
        assert_eq!(
            chosen.for_run(Lang::Zh, Lang::En).unwrap().name,
            "en-us-joe"
        );
    }

    #[test]
    fn folder_overrides_and_preferred_voice() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en-gb.toml"),
            "engine = \"espeak-ng\"\nvoice = \"en-gb\"\nlanguage = \"en\"\nrate = 160\n[pauses]\nsentence_ms = 500\n",
        )
        .unwrap();
        let voices = VoiceSet::load(Some(dir.path()), Some("en-gb")).unwrap();
        let english = voices.for_lang(Lang::En).unwrap();
        assert_eq!(
            (english.name.as_str(), english.words_per_minute),
            ("en-gb", 160)
        );
        assert_eq!(
            english.pauses,
            Pauses {
                sentence_ms: 500,
                ..Pauses::default()
            }
        );
        assert_eq!(voices.for_lang(Lang::Zh).unwrap().name, "zh-cn");
    }

    #[test]
    fn test_hooks_are_not_profile_keys() {
        for key in ["fail_on = \"FAIL\"", "delay_ms = 5"] {
            let text = format!("engine = \"tone\"\nvoice = \"t\"\nlanguage = \"en\"\n{key}\n");
            let error = parse("t", &text, Path::new("t.toml"))
                .unwrap_err()
                .to_string();
            assert!(error.contains("unknown field"), "{key}: {error}");
        }
    }

    #[test]
    fn unknown_field_is_refused_with_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bad.toml"),
            "engine = \"espeak-ng\"\nvoice = \"x\"\nlanguage = \"zh\"\nspeed = 3\n",
        )
        .unwrap();
        let error = VoiceSet::load(Some(dir.path()), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("bad.toml") && error.contains("speed"),
            "{error}"
        );
    }
}
