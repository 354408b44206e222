//! A Piper voice's `.onnx.json`: how its phonemes become ids, its sample
//! rate and its inference settings, and the profile a voice file gets when
//! it is dropped into a voices folder without a TOML of its own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::text::Lang;
use crate::voice::profile::{ProfileError, VoiceProfile};

/// The espeak-ng voice that reads tone-numbered pinyin, bulletin's engine
/// input for Chinese. It yields the same IPA inventory as espeak-ng's `cmn`
/// voice, which Mandarin Piper voices are trained on.
pub const PINYIN_VOICE: &str = "cmn-latn-pinyin";

/// The parts of a Piper voice config that synthesis needs. Other keys in
/// the file are ignored.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VoiceConfig {
    /// Output audio.
    pub audio: AudioConfig,
    /// The espeak-ng voice the model's phonemes come from.
    #[serde(default)]
    pub espeak: EspeakConfig,
    /// Default inference settings.
    #[serde(default)]
    pub inference: Inference,
    /// How phonemes are made; bulletin supports `espeak`.
    #[serde(default = "default_phoneme_type")]
    pub phoneme_type: String,
    /// Phoneme replacements applied before the id lookup.
    #[serde(default)]
    pub phoneme_map: HashMap<String, Vec<String>>,
    /// Each phoneme (one code point) and the ids it becomes.
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    /// How many speakers a multi-speaker model has.
    #[serde(default = "one")]
    pub num_speakers: u32,
    /// Speaker names and their ids.
    #[serde(default)]
    pub speaker_id_map: HashMap<String, i64>,
    /// The voice's language, as Piper records it.
    #[serde(default)]
    pub language: Option<LanguageConfig>,
}

/// `audio` in a voice config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AudioConfig {
    /// Samples per second the model produces.
    pub sample_rate: u32,
}

/// `espeak` in a voice config.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct EspeakConfig {
    /// The espeak-ng voice name, such as `en-us` or `cmn`.
    #[serde(default)]
    pub voice: String,
}

/// `language` in a voice config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LanguageConfig {
    /// A code such as `en_US` or `zh_CN`.
    pub code: String,
}

/// The model's three scales.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default)]
pub struct Inference {
    /// Variation of the generated audio.
    pub noise_scale: f32,
    /// Phoneme length: above 1 is slower.
    pub length_scale: f32,
    /// Variation of phoneme lengths.
    pub noise_w: f32,
}

impl Default for Inference {
    /// Piper's own defaults, for configs without an `inference` part.
    fn default() -> Self {
        Self {
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
        }
    }
}

fn default_phoneme_type() -> String {
    "espeak".into()
}

fn one() -> u32 {
    1
}

impl VoiceConfig {
    /// Reads a voice config file.
    pub fn read(path: &Path) -> Result<VoiceConfig, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Self::parse(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Parses a voice config and checks what synthesis relies on.
    pub fn parse(text: &str) -> Result<VoiceConfig, String> {
        let config: VoiceConfig = serde_json::from_str(text).map_err(|error| error.to_string())?;
        if config.phoneme_type != "espeak" {
            return Err(format!(
                "phoneme_type {:?} is not supported; bulletin phonemizes with espeak-ng",
                config.phoneme_type
            ));
        }
        for symbol in ["^", "$", "_"] {
            if !config.phoneme_id_map.contains_key(symbol) {
                return Err(format!("phoneme_id_map has no {symbol:?}"));
            }
        }
        if config.audio.sample_rate == 0 {
            return Err("audio.sample_rate must be positive".into());
        }
        Ok(config)
    }

    /// The language bulletin reads with this voice, from `language.code`
    /// or else `espeak.voice`; `None` for languages bulletin does not read.
    pub fn lang(&self) -> Option<Lang> {
        let code = self
            .language
            .as_ref()
            .map_or(self.espeak.voice.as_str(), |language| &language.code)
            .to_ascii_lowercase();
        match code.split(['_', '-']).next() {
            Some("en") => Some(Lang::En),
            Some("zh" | "cmn") => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The espeak-ng voice that turns bulletin's engine input for this
    /// voice into IPA: the voice's own, except that Chinese arrives as
    /// pinyin and so goes through [`PINYIN_VOICE`].
    pub fn phonemizer_voice(&self) -> Option<&str> {
        match self.lang()? {
            Lang::Zh => Some(PINYIN_VOICE),
            Lang::En => Some(&self.espeak.voice),
        }
    }
}

/// The config that belongs to a model: `voice.onnx` → `voice.onnx.json`.
pub fn config_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// The profile of a Piper voice dropped into a voices folder: named after
/// the model's file stem, reading the language its config names, with the
/// config's inference settings.
pub fn profile_for_model(model: &Path) -> Result<VoiceProfile, ProfileError> {
    let config_file = config_path(model);
    let invalid = |message: String| ProfileError::Invalid {
        path: config_file.clone(),
        message,
    };
    let config = VoiceConfig::read(&config_file).map_err(invalid)?;
    let (Some(language), Some(voice)) = (config.lang(), config.phonemizer_voice()) else {
        return Err(invalid(format!(
            "the Piper voice speaks {:?}, and bulletin reads only zh and en",
            config
                .language
                .as_ref()
                .map_or(config.espeak.voice.as_str(), |l| &l.code)
        )));
    };
    let name = model
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut profile = VoiceProfile::new(&name, super::Piper::NAME, voice, language);
    profile.model = model.file_name().map(PathBuf::from);
    profile.dir = model.parent().map(Path::to_path_buf);
    Ok(profile)
}

/// A voice config cut down to what bulletin reads, in Piper's layout.
#[cfg(test)]
pub(crate) const SMALL_CONFIG: &str = r#"{
    "audio": {"sample_rate": 16000, "quality": "low"},
    "espeak": {"voice": "en-us"},
    "inference": {"noise_scale": 0.5, "length_scale": 1.2, "noise_w": 0.6},
    "phoneme_type": "espeak",
    "phoneme_map": {"g": ["ɡ"]},
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], ",": [8],
                       ".": [10], "?": [13], "h": [20], "l": [24], "ə": [59],
                       "ˈ": [120], "o": [27], "ʊ": [100], "ɡ": [66], "̧": [140], "c": [16]},
    "num_speakers": 1,
    "speaker_id_map": {},
    "language": {"code": "en_US", "family": "en"},
    "dataset": "small"
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_synthesis_needs_and_ignores_the_rest() {
        let config = VoiceConfig::parse(SMALL_CONFIG).unwrap();
        assert_eq!(config.audio.sample_rate, 16000);
        assert_eq!(config.espeak.voice, "en-us");
        assert_eq!(
            config.inference,
            Inference {
                noise_scale: 0.5,
                length_scale: 1.2,
                noise_w: 0.6
            }
        );
        assert_eq!(config.phoneme_id_map["ˈ"], vec![120]);
        assert_eq!(config.phoneme_map["g"], vec!["ɡ".to_string()]);
        assert_eq!(config.lang(), Some(Lang::En));
        assert_eq!(config.phonemizer_voice(), Some("en-us"));
    }

    #[test]
    fn missing_inference_takes_pipers_defaults() {
        let config = VoiceConfig::parse(
            r#"{"audio": {"sample_rate": 22050}, "espeak": {"voice": "cmn"},
                "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}"#,
        )
        .unwrap();
        assert_eq!(config.inference, Inference::default());
        assert_eq!(config.num_speakers, 1);
        // Mandarin voices are trained on espeak-ng `cmn`; bulletin sends them
        // pinyin, which the pinyin voice turns into the same phonemes.
        assert_eq!(config.lang(), Some(Lang::Zh));
        assert_eq!(config.phonemizer_voice(), Some(PINYIN_VOICE));
    }

    #[test]
    fn refuses_configs_synthesis_cannot_use() {
        let cases = [
            (
                r#"{"audio": {"sample_rate": 22050}, "phoneme_type": "text",
                    "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}"#,
                "phoneme_type",
            ),
            (
                r#"{"audio": {"sample_rate": 22050}, "phoneme_id_map": {"_": [0], "^": [1]}}"#,
                "\"$\"",
            ),
            (r#"{"phoneme_id_map": {}}"#, "audio"),
        ];
        for (text, expected) in cases {
            let error = VoiceConfig::parse(text).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn config_sits_beside_the_model() {
        assert_eq!(
            config_path(Path::new("voices/en_US-joe-medium.onnx")),
            Path::new("voices/en_US-joe-medium.onnx.json")
        );
    }

    #[test]
    fn dropped_in_voices_become_profiles_unless_a_toml_names_them_or_bulletin_cannot_read_them() {
        use crate::voice::VoiceSet;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("en_US-small-low.onnx"), b"stand-in").unwrap();
        std::fs::write(dir.path().join("en_US-small-low.onnx.json"), SMALL_CONFIG).unwrap();
        // A model without its config is not a voice.
        std::fs::write(dir.path().join("lonely.onnx"), b"stand-in").unwrap();
        let voices = VoiceSet::load(Some(dir.path()), None).unwrap();
        let profile = voices.get("en_US-small-low").unwrap();
        assert_eq!(
            (
                profile.engine.as_str(),
                profile.voice.as_str(),
                profile.language
            ),
            ("piper", "en-us", Lang::En)
        );
        assert_eq!(
            profile.model.as_deref().zip(profile.dir.as_deref()),
            Some((Path::new("en_US-small-low.onnx"), dir.path()))
        );
        assert!(voices.get("lonely").is_err());

        std::fs::write(
            dir.path().join("en_US-small-low.toml"),
            "engine = \"piper\"\nvoice = \"en-us\"\nlanguage = \"en\"\n\
             model = \"en_US-small-low.onnx\"\nrate = 190\n",
        )
        .unwrap();
        let voices = VoiceSet::load(Some(dir.path()), None).unwrap();
        assert_eq!(voices.get("en_US-small-low").unwrap().words_per_minute, 190);

        std::fs::write(
            dir.path().join("de_DE-x-low.onnx.json"),
            SMALL_CONFIG.replace("en_US", "de_DE"),
        )
        .unwrap();
        std::fs::write(dir.path().join("de_DE-x-low.onnx"), b"stand-in").unwrap();
        let error = VoiceSet::load(Some(dir.path()), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("de_DE-x-low.onnx.json") && error.contains("only zh and en"),
            "{error}"
        );
    }
}
