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
pub mod spill;
pub mod stream;
pub mod wav;

/// Audio moves between stages as [`crate::pcm::Pcm`].
pub use crate::pcm::Pcm;
pub use assemble::{assemble, prepare, AudioError, Bulletin, Layout, Placed, SentenceAudio, Span};
pub use loudness::{Loudness, Target};

use loudness::Pass;
use spill::{SpillError, Spilled};

/// One article as the output stage receives it: mastered samples at the
/// bulletin rate, where each sentence sits, and the loudness measured.
/// A rendered article's samples stay in its spill file, read with the
/// final gain (and limiter) applied as the writer takes them; a clip built
/// in memory keeps them in a buffer.
pub struct Mastered {
    /// Its length, and where the headline and each sentence sit.
    pub placed: Placed,
    /// Its loudness after the gain (and limiter) to the target.
    pub loudness: Loudness,
    rate: u32,
    samples: Samples,
}

enum Samples {
    Memory(Vec<f32>),
    Spilled { spilled: Spilled, pass: Pass },
}

/// Samples handed to a writer at a time, from memory.
const PIECE: usize = 1 << 16;

impl Mastered {
    /// An article already mastered in memory.
    pub fn in_memory(bulletin: Bulletin, loudness: Loudness) -> Mastered {
        Mastered {
            placed: Placed {
                len: bulletin.pcm.samples.len(),
                headline: bulletin.headline,
                sentences: bulletin.sentences,
            },
            loudness,
            rate: bulletin.pcm.sample_rate,
            samples: Samples::Memory(bulletin.pcm.samples),
        }
    }

    /// A streamed article: its spill, and the pass that masters it.
    pub fn spilled(
        placed: Placed,
        loudness: Loudness,
        rate: u32,
        spilled: Spilled,
        pass: Pass,
    ) -> Mastered {
        Mastered {
            placed,
            loudness,
            rate,
            samples: Samples::Spilled { spilled, pass },
        }
    }

    /// Samples per second.
    pub fn sample_rate(&self) -> u32 {
        self.rate
    }

    /// Length in samples.
    pub fn len(&self) -> usize {
        self.placed.len
    }

    /// True when it holds no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives the samples in order, in bounded pieces, to `each`: writers
    /// take them this way so the article is never one buffer.
    pub fn for_each_piece(
        &self,
        mut each: impl FnMut(&[f32]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        match &self.samples {
            Samples::Memory(samples) => samples.chunks(PIECE).try_for_each(each),
            Samples::Spilled { spilled, pass } => {
                stream::apply_pass(spilled, *pass, self.rate, |piece| {
                    each(piece).map_err(Streamed::Write)
                })
                .map_err(|error| match error {
                    Streamed::Write(error) => error,
                    Streamed::Spill(error) => std::io::Error::other(error),
                })
            }
        }
    }
}

/// Why a streamed article could not be handed over.
enum Streamed {
    Write(std::io::Error),
    Spill(SpillError),
}

impl From<SpillError> for Streamed {
    fn from(error: SpillError) -> Self {
        Streamed::Spill(error)
    }
}
