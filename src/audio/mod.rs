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
pub use assemble::{assemble, prepare, AudioError, Bulletin, Layout, SentenceAudio, Span};
pub use loudness::{Loudness, Target};

