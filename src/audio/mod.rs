//! Audio stage: engine output in, one broadcast-ready bulletin per article
//! out, and the programme that strings them together.
//!
//! Samples move through the pipeline as f32 in -1..1 at the bulletin rate
//! (48 or 44.1 kHz); they become 16- or 24-bit PCM only when written.

pub mod assemble;
pub mod fade;
pub mod limiter;
pub mod loudness;
pub mod programme;
pub mod resample;
pub mod wav;

/// Audio moves between stages as [`crate::pcm::Pcm`].
pub use crate::pcm::Pcm;
pub use assemble::{
    assemble, paragraphs, prepare, AudioError, Bulletin, Layout, SentenceAudio, Span,
};
pub use loudness::{Loudness, Target};

/// One article as the output stage receives it: mastered samples at the
/// bulletin rate, where each sentence sits, and the loudness measured.
#[derive(Debug, Clone)]
pub struct Mastered {
    /// The audio, with its sentence spans.
    pub bulletin: Bulletin,
    /// Its loudness after the gain (and limiter) to the target.
    pub loudness: Loudness,
}

impl Mastered {
    /// Samples per second.
    pub fn sample_rate(&self) -> u32 {
        self.bulletin.pcm.sample_rate
    }

    /// Length in samples.
    pub fn len(&self) -> usize {
        self.bulletin.pcm.samples.len()
    }

    /// True when it holds no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The samples in order, in pieces of at most `piece` samples: writers
    /// take them this way so the article need not stay one buffer.
    pub fn pieces(&self, piece: usize) -> impl Iterator<Item = &[f32]> {
        self.bulletin.pcm.samples.chunks(piece.max(1))
    }
}

/// Lays out an article's sentences with their pauses and brings the result
/// to the loudness target: the audio stage from sentences to a mastered
/// article.
pub fn master(
    headline: Option<&SentenceAudio>,
    paragraphs: &[Vec<SentenceAudio>],
    layout: Layout,
    target: Target,
) -> Result<Mastered, AudioError> {
    let mut bulletin = assemble(headline, paragraphs, layout)?;
    let loudness = loudness::normalize(&mut bulletin.pcm.samples, layout.rate, target).loudness;
    Ok(Mastered { bulletin, loudness })
}
