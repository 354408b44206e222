//! Voice profiles: one TOML file per voice in `voices/`, compiled in as
//! defaults so the binary works from any directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// The profiles built into the binary, as `(name, toml)`.
const BUILT_IN: &[(&str, &str)] = &[
    ("zh-cn", include_str!("../../voices/zh-cn.toml")),
    ("en-us", include_str!("../../voices/en-us.toml")),
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
    /// Speaking rate in words per minute.
    #[serde(default = "default_rate")]
    pub rate: u32,
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
}

fn default_rate() -> u32 {
    175
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
        "voice profile {profile} names an unknown engine {engine:?}; known engines: espeak-ng"
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

/// All known profiles, by name.
#[derive(Debug, Clone)]
pub struct VoiceSet {
    profiles: BTreeMap<String, VoiceProfile>,
    preferred: Option<String>,
}

impl VoiceSet {
    /// The built-in profiles, overridden and extended by the `*.toml` files
    /// of `dir` when given. `preferred` names a profile that is used for its
    /// language instead of the default one.
    pub fn load(dir: Option<&Path>, preferred: Option<&str>) -> Result<VoiceSet, ProfileError> {
        let mut profiles = BTreeMap::new();
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
                profiles.insert(profile.name.clone(), profile);
            }
        }
        let set = VoiceSet {
            profiles,
            preferred: preferred.map(str::to_string),
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

    /// The profile that reads a language: the preferred one if it reads that
    /// language, else the first profile (by name) for it.
    pub fn for_lang(&self, lang: Lang) -> Result<&VoiceProfile, ProfileError> {
        if let Some(profile) = self
            .preferred
            .as_deref()
            .and_then(|name| self.profiles.get(name))
        {
            if profile.language == lang {
                return Ok(profile);
            }
        }
        let default_name = match lang {
            Lang::Zh => "zh-cn",
            Lang::En => "en-us",
        };
        self.profiles
            .get(default_name)
            .or_else(|| self.profiles.values().find(|p| p.language == lang))
            .ok_or(ProfileError::NoVoiceFor(lang.code()))
    }

    /// Every profile, by name.
    pub fn iter(&self) -> impl Iterator<Item = &VoiceProfile> {
        self.profiles.values()
    }
}

fn parse(name: &str, text: &str, path: &Path) -> Result<VoiceProfile, ProfileError> {
    let mut profile: VoiceProfile =
        toml::from_str(text).map_err(|error| ProfileError::Invalid {
            path: path.to_path_buf(),
            message: error.message().to_string(),
        })?;
    profile.name = name.to_string();
    if profile.max_chars == 0 || profile.pitch > 99 || profile.volume > 200 || profile.rate == 0 {
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

    #[test]
    fn built_in_profiles_cover_both_languages() {
        let voices = VoiceSet::load(None, None).unwrap();
        assert_eq!(voices.for_lang(Lang::Zh).unwrap().voice, "cmn-latn-pinyin");
        assert_eq!(voices.for_lang(Lang::En).unwrap().voice, "en-us");
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
        assert_eq!((english.name.as_str(), english.rate), ("en-gb", 160));
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
