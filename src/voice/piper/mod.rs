//! Piper neural voices: an `.onnx` model and its `.onnx.json` config, run
//! with ONNX Runtime, fed phonemes from espeak-ng: by default from a pool
//! of `bulletin espeak-worker` processes, in the mode `BULLETIN_ESPEAK_MODE`
//! picks (see [`Mode::phonemizer`]).
//!
//! - [`config`]: the voice config, and profiles for dropped-in voices.
//! - [`phonemes`]: text → espeak-ng IPA per clause → phoneme ids.
//! - [`runtime`]: finding ONNX Runtime, and one session per model that all
//!   worker threads run at once.
//!
//! A profile's `rate` scales the model's phoneme length: `length_scale` ×
//! 175 / `rate`, so the default rate keeps the voice's own pace and 200
//! speaks about 12% faster. `pitch` does not apply; `volume` is a gain in
//! percent on top of the per-sentence peak level Piper also sets.

pub mod compile;
pub mod compiled;
pub mod config;
pub mod phonemes;
pub mod runtime;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub use config::{config_path, profile_for_model, VoiceConfig, PINYIN_VOICE};

use super::espeak::{Mode, Phonemizer};
use super::profile::{Speaker, DEFAULT_RATE};
use super::{Engine, EngineError, VoiceProfile};
use crate::pcm::Pcm;
use crate::text::Lang;

/// Silence between the sentences of one utterance, as Piper puts it.
const SENTENCE_SILENCE_S: f32 = 0.2;
/// Like Piper, each sentence is scaled to a fixed peak (the models' own
/// level varies by sentence); Piper uses full scale, bulletin keeps 1 dB
/// of headroom for resampling.
const SENTENCE_PEAK: f32 = 0.89;

/// The longest piece of a sentence given to the model at once, in
/// phonemes (see [`phonemes::pieces`]): about five seconds of speech, some
/// 250 phoneme ids. Most news sentences are shorter and go whole.
const PIECE_PHONEMES: usize = 125;

/// The Piper engine. It remembers each profile's resolved voice and keeps
/// each model loaded once, for all threads.
#[derive(Debug)]
pub struct Piper {
    voices: Mutex<HashMap<String, Arc<Voice>>>,
    /// The threads that synthesize at once, `None` for one per core.
    jobs: Option<usize>,
    /// Whether `check` starts loading the model ([`Piper::sharing_cores`]).
    preload: bool,
    phonemizer: Box<dyn Phonemizer>,
    /// The models folder and the ONNX Runtime library ([`Piper::located`]).
    models_dir: Option<PathBuf>,
    runtime: Option<PathBuf>,
    /// Where models compiled for this CPU are kept ([`Piper::keeping_compiled`]).
    compiled: runtime::Compiled,
}

impl Default for Piper {
    /// Phonemes from the default espeak-ng mode's phonemizer.
    fn default() -> Self {
        Self::new(Mode::default().phonemizer(None))
    }
}

/// A profile's voice, resolved: where the model is and how to run it.
#[derive(Debug)]
struct Voice {
    model: PathBuf,
    config: VoiceConfig,
    /// The espeak-ng voice that makes the phonemes.
    phonemizer: String,
    scales: [f32; 3],
    speaker: Option<i64>,
    gain: f32,
}

impl Piper {
    /// The engine name profiles use.
    pub const NAME: &'static str = "piper";

    /// An engine that gets its phonemes from `phonemizer`.
    pub fn new(phonemizer: Box<dyn Phonemizer>) -> Self {
        Self {
            voices: Mutex::default(),
            jobs: None,
            preload: false,
            phonemizer,
            models_dir: None,
            runtime: None,
            compiled: runtime::Compiled::for_this_cpu(None),
        }
    }

    /// The engine with voice models looked up in `models_dir` and ONNX
    /// Runtime loaded from `runtime` (see [`runtime::models_dir`] and
    /// [`runtime::library_path`]).
    #[must_use]
    pub fn located(self, models_dir: Option<PathBuf>, runtime: Option<PathBuf>) -> Self {
        Self {
            models_dir,
            runtime,
            ..self
        }
    }

    /// Shares the cores with `jobs` synthesizing threads (`None`: one per
    /// core), and with `preload`, starts loading a voice's model in the
    /// background as soon as the voice is checked.
    #[must_use]
    pub fn sharing_cores(self, jobs: Option<usize>, preload: bool) -> Self {
        Self {
            jobs,
            preload,
            ..self
        }
    }

    /// The engine with models compiled for this CPU kept in `dir`, or, with
    /// no folder, compiled on every load; on x86-64 only (see
    /// [`runtime::Compiled::for_this_cpu`]).
    #[must_use]
    pub fn keeping_compiled(self, dir: Option<PathBuf>) -> Self {
        Self {
            compiled: runtime::Compiled::for_this_cpu(dir),
            ..self
        }
    }

    /// How models load: each inference's intra-op threads are the cores
    /// divided among the synthesizing threads, so that inferences side by
    /// side use each core once.
    fn loading(&self) -> runtime::Loading {
        runtime::Loading {
            threads: runtime::intra_threads(self.jobs),
            piece_ids: runtime::piece_ids(PIECE_PHONEMES),
            compiled: self.compiled.clone(),
        }
    }

    /// The model's one session in this process, loaded on first use.
    fn model(&self, path: &Path) -> Result<Arc<runtime::Model>, EngineError> {
        runtime::shared(path, &self.loading())
    }

    fn voice(&self, profile: &VoiceProfile) -> Result<Arc<Voice>, EngineError> {
        let mut voices = self
            .voices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(voice) = voices.get(&profile.name) {
            return Ok(Arc::clone(voice));
        }
        let voice = Arc::new(resolve(profile, self.models_dir.as_deref())?);
        voices.insert(profile.name.clone(), Arc::clone(&voice));
        Ok(voice)
    }
}

fn failed(message: String) -> EngineError {
    EngineError::Failed {
        engine: Piper::NAME.into(),
        message,
    }
}

/// Finds the model: an absolute path as it is, a relative one beside the
/// profile file, then in the models folder.
fn find_model(profile: &VoiceProfile, models_dir: Option<&Path>) -> Result<PathBuf, EngineError> {
    let Some(model) = &profile.model else {
        return Err(failed(format!(
            "profile {} names no model (model = \"voice.onnx\")",
            profile.name
        )));
    };
    let candidates: Vec<PathBuf> = if model.is_absolute() {
        vec![model.clone()]
    } else {
        profile
            .dir
            .iter()
            .map(PathBuf::as_path)
            .chain(models_dir)
            .map(|dir| dir.join(model))
            .collect()
    };
    candidates
        .iter()
        .find(|path| path.is_file() && config_path(path).is_file())
        .cloned()
        .ok_or_else(|| EngineError::NotInstalled {
            engine: format!(
                "the piper voice model {} with its .onnx.json (looked for {})",
                model.display(),
                candidates
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            install: "scripts/setup (en_US-joe-medium), or put the .onnx and .onnx.json \
                      files into the models folder (BULLETIN_MODELS, default \
                      ~/.local/share/bulletin/voices)"
                .into(),
        })
}

fn resolve(profile: &VoiceProfile, models_dir: Option<&Path>) -> Result<Voice, EngineError> {
    let model = find_model(profile, models_dir)?;
    let config = VoiceConfig::read(&config_path(&model)).map_err(failed)?;
    if config.lang() != Some(profile.language) {
        return Err(failed(format!(
            "profile {} reads {} but its model {} speaks {}",
            profile.name,
            profile.language.code(),
            model.display(),
            config
                .language
                .as_ref()
                .map_or(config.espeak.voice.as_str(), |l| &l.code)
        )));
    }
    // Chinese reaches engines as tone-numbered pinyin, which only espeak-ng's
    // pinyin voice turns into the `cmn` phonemes the model knows.
    let phonemizer = match profile.language {
        Lang::Zh if profile.voice != PINYIN_VOICE => {
            return Err(failed(format!(
                "profile {} must phonemize with voice = \"{PINYIN_VOICE}\": bulletin sends \
                 Chinese as pinyin, which espeak-ng's {:?} voice would misread",
                profile.name, profile.voice
            )))
        }
        _ if profile.voice.is_empty() => config.espeak.voice.clone(),
        _ => profile.voice.clone(),
    };
    let inference = config.inference;
    let rate_factor = DEFAULT_RATE as f32 / profile.words_per_minute as f32;
    let scales = [
        profile.noise_scale.unwrap_or(inference.noise_scale),
        profile.length_scale.unwrap_or(inference.length_scale) * rate_factor,
        profile.noise_w.unwrap_or(inference.noise_w),
    ];
    let speaker = speaker_id(profile, &config)?;
    Ok(Voice {
        model,
        config,
        phonemizer,
        scales,
        speaker,
        gain: profile.volume as f32 / 100.0,
    })
}

/// The `sid` input: the profile's speaker for a multi-speaker model (the
/// first one when it names none), nothing for a single-speaker model.
fn speaker_id(profile: &VoiceProfile, config: &VoiceConfig) -> Result<Option<i64>, EngineError> {
    if config.num_speakers <= 1 {
        return match &profile.speaker {
            None => Ok(None),
            Some(_) => Err(failed(format!(
                "profile {} names a speaker, but its model has one voice",
                profile.name
            ))),
        };
    }
    match &profile.speaker {
        None => Ok(Some(0)),
        Some(Speaker::Id(id)) if (0..i64::from(config.num_speakers)).contains(id) => Ok(Some(*id)),
        Some(Speaker::Name(name)) if config.speaker_id_map.contains_key(name) => {
            Ok(Some(config.speaker_id_map[name]))
        }
        Some(other) => Err(failed(format!(
            "profile {}: the model has no speaker {other:?}",
            profile.name
        ))),
    }
}

impl Engine for Piper {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// The phonemizer's version: another espeak-ng may phonemize a text
    /// differently, and cached audio made from the old phonemes must not
    /// be reused.
    fn version(&self) -> String {
        format!("phonemes by {}", self.phonemizer.version())
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let voice = self.voice(profile)?;
        runtime::ensure(self.runtime.as_deref())?;
        // The model loads while the phonemizer is checked.
        if self.preload {
            runtime::load_in_background(&voice.model, &self.loading());
        }
        let mut phonemizer = profile.clone();
        phonemizer.voice.clone_from(&voice.phonemizer);
        self.phonemizer.check(&phonemizer)
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        let voice = self.voice(profile)?;
        let model = self.model(&voice.model)?;
        let clauses = phonemes::clauses(input, |text| {
            self.phonemizer.phonemes(&voice.phonemizer, text)
        })?;
        let rate = voice.config.audio.sample_rate;
        let sentences = phonemes::sentences(&clauses, &voice.config);
        // Every piece of every sentence, side by side on the pool; each
        // piece's audio comes back in its place.
        let pieces: Vec<(usize, &[char])> = sentences
            .iter()
            .enumerate()
            .flat_map(|(index, sentence)| {
                phonemes::pieces(sentence, PIECE_PHONEMES)
                    .into_iter()
                    .map(move |piece| (index, piece))
            })
            .collect();
        let audio = pieces
            .par_iter()
            .map(|(_, piece)| {
                model.infer(runtime::Request {
                    ids: phonemes::phoneme_ids(piece, &voice.config),
                    scales: voice.scales,
                    speaker: voice.speaker,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let spoken: Vec<(usize, Vec<f32>)> =
            pieces.iter().map(|(index, _)| *index).zip(audio).collect();
        let gap = (rate as f32 * SENTENCE_SILENCE_S) as usize;
        let mut samples = Vec::new();
        // Each sentence's pieces, in order, scaled to the sentence's peak.
        for sentence in spoken.chunk_by(|a, b| a.0 == b.0) {
            if sentence[0].0 > 0 {
                samples.resize(samples.len() + gap, 0.0);
            }
            let sentence_samples = || sentence.iter().flat_map(|(_, piece)| piece);
            let peak = sentence_samples().fold(0.01_f32, |peak, s| peak.max(s.abs()));
            let scale = SENTENCE_PEAK / peak * voice.gain;
            samples.extend(sentence_samples().map(|s| (s * scale).clamp(-1.0, 1.0)));
        }
        Ok(Pcm {
            sample_rate: rate,
            samples,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phonemizer that only reports a version.
    #[derive(Debug)]
    struct Versioned(&'static str);

    impl Engine for Versioned {
        fn name(&self) -> &'static str {
            "versioned"
        }
        fn version(&self) -> String {
            self.0.to_string()
        }
        fn check(&self, _: &VoiceProfile) -> Result<(), EngineError> {
            Ok(())
        }
        fn synthesize(&self, _: &VoiceProfile, _: &str) -> Result<Pcm, EngineError> {
            unreachable!("a phonemizer is never asked to speak")
        }
    }

    impl Phonemizer for Versioned {
        fn phonemes(&self, _: &str, _: &str) -> Result<Vec<String>, EngineError> {
            Ok(Vec::new())
        }
    }

    #[test]
    fn another_phonemizer_version_is_another_engine_version() {
        let old = Piper::new(Box::new(Versioned("espeak-ng 1.51")));
        let new = Piper::new(Box::new(Versioned("espeak-ng 1.52")));
        assert_ne!(old.version(), new.version());
        assert!(old.version().contains("espeak-ng 1.51"));
    }

    fn profile_with(toml_text: &str) -> VoiceProfile {
        let mut profile: VoiceProfile = toml::from_str(toml_text).unwrap();
        profile.name = "test".into();
        profile
    }

    fn config(speakers: &str) -> VoiceConfig {
        VoiceConfig::parse(&format!(
            r#"{{"audio": {{"sample_rate": 22050}}, "espeak": {{"voice": "en-us"}},
                "phoneme_id_map": {{"_": [0], "^": [1], "$": [2]}}, {speakers}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn speakers_by_name_or_id_for_multi_speaker_models_only() {
        let many = config(r#""num_speakers": 3, "speaker_id_map": {"amy": 2}"#);
        let one = config(r#""num_speakers": 1"#);
        let base = "engine = \"piper\"\nvoice = \"en-us\"\nlanguage = \"en\"\n";
        let named = profile_with(&format!("{base}speaker = \"amy\"\n"));
        let numbered = profile_with(&format!("{base}speaker = 1\n"));
        let unnamed = profile_with(base);
        assert_eq!(speaker_id(&named, &many).unwrap(), Some(2));
        assert_eq!(speaker_id(&numbered, &many).unwrap(), Some(1));
        assert_eq!(speaker_id(&unnamed, &many).unwrap(), Some(0));
        assert_eq!(speaker_id(&unnamed, &one).unwrap(), None);
        assert!(speaker_id(&named, &one).is_err());
        let missing = profile_with(&format!("{base}speaker = 7\n"));
        assert!(speaker_id(&missing, &many).is_err());
    }

    #[test]
    fn missing_model_says_where_it_looked_and_how_to_install() {
        let dir = tempfile::tempdir().unwrap();
        let mut profile = profile_with(
            "engine = \"piper\"\nvoice = \"en-us\"\nlanguage = \"en\"\nmodel = \"nowhere.onnx\"\n",
        );
        profile.dir = Some(dir.path().to_path_buf());
        let error = Piper::default().check(&profile).unwrap_err().to_string();
        assert!(
            error.contains("nowhere.onnx")
                && error.contains(&dir.path().display().to_string())
                && error.contains("scripts/setup"),
            "{error}"
        );
    }

    /// A Mandarin voice in Piper's layout; the model file is a stand-in,
    /// since nothing here loads it.
    fn mandarin_voice(dir: &std::path::Path) {
        std::fs::write(dir.join("zh_CN-test-medium.onnx"), b"stand-in").unwrap();
        std::fs::write(
            dir.join("zh_CN-test-medium.onnx.json"),
            r#"{"audio": {"sample_rate": 22050}, "espeak": {"voice": "cmn"},
                "language": {"code": "zh_CN"},
                "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}}"#,
        )
        .unwrap();
    }

    #[test]
    fn dropped_in_mandarin_voice_reads_pinyin_through_the_pinyin_voice() {
        let dir = tempfile::tempdir().unwrap();
        mandarin_voice(dir.path());
        let voices = crate::voice::VoiceSet::load(Some(dir.path()), None).unwrap();
        let profile = voices.get("zh_CN-test-medium").unwrap();
        assert_eq!(
            (
                profile.engine.as_str(),
                profile.language,
                profile.voice.as_str()
            ),
            ("piper", Lang::Zh, PINYIN_VOICE)
        );
        assert_eq!(resolve(profile, None).unwrap().phonemizer, PINYIN_VOICE);
    }

    #[test]
    fn mandarin_profile_with_another_phonemizer_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        mandarin_voice(dir.path());
        let mut profile = profile_with(
            "engine = \"piper\"\nvoice = \"cmn\"\nlanguage = \"zh\"\nmodel = \"zh_CN-test-medium.onnx\"\n",
        );
        profile.dir = Some(dir.path().to_path_buf());
        let error = resolve(&profile, None).unwrap_err().to_string();
        assert!(
            error.contains(PINYIN_VOICE) && error.contains("pinyin"),
            "{error}"
        );
        profile.language = Lang::En;
        let error = resolve(&profile, None).unwrap_err().to_string();
        assert!(error.contains("speaks zh_CN"), "{error}");
    }

    #[test]
    fn rate_scales_length_and_profile_settings_win_over_the_config() {
        let dir = tempfile::tempdir().unwrap();
        mandarin_voice(dir.path());
        let mut profile = profile_with(
            "engine = \"piper\"\nvoice = \"cmn-latn-pinyin\"\nlanguage = \"zh\"\n\
             model = \"zh_CN-test-medium.onnx\"\nrate = 350\nnoise_w = 0.5\n",
        );
        profile.dir = Some(dir.path().to_path_buf());
        // Config defaults 0.667 and 1.0 (Piper's), length halved by rate 350.
        let scales = resolve(&profile, None).unwrap().scales;
        for (got, expected) in scales.into_iter().zip([0.667, 0.5, 0.5]) {
            assert!((got - expected).abs() < 1e-6, "{scales:?}");
        }
    }
}
