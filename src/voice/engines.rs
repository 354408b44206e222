//! The engines a render needs, one per voice profile, each checked once,
//! with an utterance store (the segment cache) in front of them; and the
//! one retry policy for a failed utterance.

use std::collections::BTreeMap;

use super::{engine_for, Engine, EngineError, ProfileError, VoiceProfile, VoiceSet};
use crate::pcm::Pcm;

/// Keeps utterances already spoken, keyed by everything that made them.
/// The output stage's segment cache is one; the voice stage does not know
/// where it keeps them.
pub trait UtteranceStore: Sync {
    /// The audio made before from exactly these key parts, if kept.
    fn get(&self, key_parts: &[&str]) -> Option<Pcm>;
    /// Keeps `pcm` under these key parts; a store that cannot keep it costs
    /// speed next time, never audio now.
    fn put(&self, key_parts: &[&str], pcm: &Pcm);
}

/// Why the engines for a render cannot be made ready.
#[derive(Debug, thiserror::Error)]
pub enum ReadyError {
    /// A voice profile is unknown or names an unknown engine.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// An engine cannot run on this machine.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// One ready voice: its profile, its engine, and the part of the store key
/// that is the same for all its utterances.
struct ReadyVoice<'a> {
    profile: &'a VoiceProfile,
    engine: Box<dyn Engine>,
    key_prefix: [String; 3],
}

/// The checked engines of the voices a render uses.
pub struct Engines<'a> {
    voices: BTreeMap<String, ReadyVoice<'a>>,
    set: &'a VoiceSet,
    store: Option<&'a dyn UtteranceStore>,
}

impl<'a> Engines<'a> {
    /// Makes ready the engine of every named voice, checking each once, so
    /// that a missing engine is found before any work.
    pub fn ready<'n>(
        names: impl IntoIterator<Item = &'n str>,
        voices: &'a VoiceSet,
        espeak_mode: Option<&str>,
        store: Option<&'a dyn UtteranceStore>,
    ) -> Result<Engines<'a>, ReadyError> {
        let mut ready = BTreeMap::new();
        for name in names {
            if ready.contains_key(name) {
                continue;
            }
            let profile = voices.get(name)?;
            let engine = engine_for(profile, espeak_mode)?;
            engine.check(profile)?;
            let whole_profile = serde_json::to_string(profile).expect("profiles serialize");
            let key_prefix = [engine.name().to_string(), engine.version(), whole_profile];
            ready.insert(
                name.to_string(),
                ReadyVoice {
                    profile,
                    engine,
                    key_prefix,
                },
            );
        }
        Ok(Engines {
            voices: ready,
            set: voices,
            store,
        })
    }

    /// The profile of a voice, ready or not.
    pub fn profile(&self, voice: &str) -> Option<&VoiceProfile> {
        self.set.get(voice).ok()
    }

    /// One utterance's audio: from the store when it holds it, else from
    /// the engine, under the retry policy of [`EngineError::worth_retrying`].
    pub fn speak(&self, voice: &str, input: &str) -> Result<Pcm, EngineError> {
        let ready = &self.voices[voice];
        let [name, version, profile] = &ready.key_prefix;
        let key: [&str; 4] = [name, version, profile, input];
        if let Some(pcm) = self.store.and_then(|store| store.get(&key)) {
            return Ok(pcm);
        }
        let pcm = ready
            .engine
            .synthesize(ready.profile, input)
            .or_else(|error| {
                if error.worth_retrying() {
                    ready.engine.synthesize(ready.profile, input)
                } else {
                    Err(error)
                }
            })?;
        if let Some(store) = self.store {
            store.put(&key, &pcm);
        }
        Ok(pcm)
    }
}
