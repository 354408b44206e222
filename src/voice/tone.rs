//! A deterministic stand-in engine for tests and demonstrations: every
//! syllable becomes a short tone whose pitch follows the text, so the same
//! input always gives the same samples, quickly, with no speech software.
//! A profile can make it fail on chosen text (`fail_on`) or run slowly
//! (`delay_ms`) to exercise failure handling, timeouts and resume.

use std::time::Duration;

use super::{Engine, EngineError, VoiceProfile};
use crate::pcm::Pcm;

/// The tone engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToneEngine;

const RATE: u32 = 22050;

impl ToneEngine {
    /// The engine name profiles use.
    pub const NAME: &'static str = "tone";
}

impl Engine for ToneEngine {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn version(&self) -> String {
        "1".to_string()
    }

    fn check(&self, _profile: &VoiceProfile) -> Result<(), EngineError> {
        Ok(())
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        if let Some(marker) = profile.fail_on.as_deref().filter(|m| input.contains(m)) {
            return Err(EngineError::Failed {
                engine: Self::NAME.into(),
                message: format!("refused the text {marker:?} (fail_on in the profile)"),
            });
        }
        if profile.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(profile.delay_ms));
        }
        let syllable = (RATE / 8) as usize;
        let mut samples = Vec::new();
        for word in input.split_whitespace() {
            let seed = word.bytes().fold(0u32, |acc, b| {
                acc.wrapping_mul(31).wrapping_add(u32::from(b))
            });
            let frequency = 150.0 + (seed % 200) as f32;
            for i in 0..syllable {
                let t = i as f32 / RATE as f32;
                // A raised-cosine envelope: no clicks at either end.
                let envelope =
                    0.5 - 0.5 * (std::f32::consts::TAU * i as f32 / syllable as f32).cos();
                samples.push(0.3 * envelope * (std::f32::consts::TAU * frequency * t).sin());
            }
            samples.extend(std::iter::repeat_n(0.0, syllable / 4));
        }
        Ok(Pcm {
            sample_rate: RATE,
            samples,
        })
    }
}
