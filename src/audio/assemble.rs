//! Puts an article's synthesized sentences in order, with designed pauses,
//! and records where each sentence sits in the result.
//!
//! Each engine run is first made a clean segment ([`prepare`]): its engine
//! silence trimmed, resampled to the bulletin rate, and faded at both edges.
//! Layout then happens at the bulletin rate, so every pause and span is a
//! whole number of output samples. A [`Placer`] lays out the parts as they
//! arrive, in order, onto a [`Sink`]: a buffer ([`assemble`]) or the
//! streaming stage that measures and spills them (`stream.rs`).

use super::fade::{fade_edges, fade_len};
use super::resample::{resample, ResampleError};
use super::spill::SpillError;
use super::Pcm;
use crate::voice::Pauses;

/// Silence before the first sentence and after the last, in milliseconds.
const LEAD_IN_MS: u32 = 250;
const TAIL_MS: u32 = 500;
/// Between two language runs of one utterance (a Latin word inside Chinese).
const RUN_GAP_MS: u32 = 40;
/// Between the utterances a long sentence was cut into, at a clause mark.
const CLAUSE_GAP_MS: u32 = 200;
/// Engine output quieter than this (about -50 dBFS) counts as silence when
/// trimming the engine's own leading and trailing pauses.
const SILENCE: f32 = 0.003;

/// The audio of one sentence: its utterances, each made of runs, every run
/// a [`prepare`]d segment.
#[derive(Debug, Clone, Default)]
pub struct SentenceAudio {
    /// Utterances in order; each holds its runs' segments in order.
    pub utterances: Vec<Vec<Pcm>>,
}

/// How an article is laid out in time.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Pauses between headline, sentences and paragraphs.
    pub pauses: Pauses,
    /// The bulletin's sample rate.
    pub rate: u32,
}

/// Where a sentence sits in a bulletin, in samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First sample.
    pub start: usize,
    /// One past the last sample.
    pub end: usize,
}

/// One article's finished audio.
#[derive(Debug, Clone)]
pub struct Bulletin {
    /// The audio, mono.
    pub pcm: Pcm,
    /// Where the headline was spoken, if there was one.
    pub headline: Option<Span>,
    /// Where each body sentence was spoken, in reading order.
    pub sentences: Vec<Span>,
}

/// Why an article's audio could not be put together.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// A segment was not brought to the bulletin rate.
    #[error("a {1} Hz segment reached a {0} Hz bulletin without resampling")]
    RateMismatch(u32, u32),
    /// An engine's output could not be resampled.
    #[error(transparent)]
    Resample(#[from] ResampleError),
    /// Nothing was synthesized.
    #[error("the article produced no audio")]
    Empty,
    /// The audio could not be kept on disk between passes.
    #[error(transparent)]
    Spill(#[from] SpillError),
    /// The WAV could not be written.
    #[error("cannot write the WAV")]
    Write(#[source] std::io::Error),
}

/// Makes one engine run a clean segment at `rate`: its leading and trailing
/// engine silence trimmed (so the pauses are exactly the designed ones),
/// resampled, and faded in and out. Silence gives an empty segment.
pub fn prepare(run: &Pcm, rate: u32) -> Result<Pcm, ResampleError> {
    let trimmed = Pcm {
        sample_rate: run.sample_rate,
        samples: trim(&run.samples).to_vec(),
    };
    let mut segment = resample(&trimmed, rate)?;
    fade_edges(&mut segment.samples, fade_len(rate));
    Ok(segment)
}

/// Joins a headline and paragraphs of sentences, made of [`prepare`]d
/// segments, into one bulletin held in memory.
pub fn assemble(
    headline: Option<&SentenceAudio>,
    paragraphs: &[Vec<SentenceAudio>],
    layout: Layout,
) -> Result<Bulletin, AudioError> {
    let mut placer = Placer::new(Vec::new(), layout)?;
    if let Some(audio) = headline {
        placer.headline(audio)?;
    }
    for (p, paragraph) in paragraphs.iter().enumerate() {
        for sentence in paragraph {
            placer.sentence(p, sentence)?;
        }
    }
    let (samples, spans) = placer.end()?;
    Ok(Bulletin {
        pcm: Pcm {
            sample_rate: layout.rate,
            samples,
        },
        headline: spans.headline,
        sentences: spans.sentences,
    })
}

/// Where laid-out samples go, in order.
pub trait Sink {
    /// `len` samples of silence.
    fn silence(&mut self, len: usize) -> Result<(), AudioError>;
    /// Samples of sound.
    fn sound(&mut self, samples: &[f32]) -> Result<(), AudioError>;
}

impl Sink for Vec<f32> {
    fn silence(&mut self, len: usize) -> Result<(), AudioError> {
        self.resize(self.len() + len, 0.0);
        Ok(())
    }

    fn sound(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.extend_from_slice(samples);
        Ok(())
    }
}

/// Where everything landed once an article is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The article's length in samples.
    pub len: usize,
    /// Where the headline was spoken, if there was one.
    pub headline: Option<Span>,
    /// Where each body sentence was spoken, in reading order.
    pub sentences: Vec<Span>,
}

/// Lays out an article on a sink as its parts arrive in reading order:
/// lead-in, the headline, sentences with the designed pauses between them
/// and longer ones between paragraphs, then the tail.
pub struct Placer<S: Sink> {
    sink: S,
    layout: Layout,
    placed: Placed,
    /// The paragraph of the sentence before, if there was one.
    paragraph: Option<usize>,
    heard: bool,
}

impl<S: Sink> Placer<S> {
    /// Starts an article with its lead-in.
    pub fn new(sink: S, layout: Layout) -> Result<Placer<S>, AudioError> {
        let mut placer = Placer {
            sink,
            layout,
            placed: Placed {
                len: 0,
                headline: None,
                sentences: Vec::new(),
            },
            paragraph: None,
            heard: false,
        };
        placer.pause(LEAD_IN_MS)?;
        Ok(placer)
    }

    /// The headline, before any sentence.
    pub fn headline(&mut self, audio: &SentenceAudio) -> Result<(), AudioError> {
        let span = self.place(audio)?;
        self.placed.headline = Some(span);
        self.pause(self.layout.pauses.headline_ms)
    }

    /// The next body sentence, in `paragraph` (numbered in reading order;
    /// a paragraph with no sentence takes no pause).
    pub fn sentence(&mut self, paragraph: usize, audio: &SentenceAudio) -> Result<(), AudioError> {
        match self.paragraph {
            Some(previous) if previous != paragraph => {
                self.pause(self.layout.pauses.paragraph_ms)?;
            }
            Some(_) => self.pause(self.layout.pauses.sentence_ms)?,
            None => {}
        }
        self.paragraph = Some(paragraph);
        let span = self.place(audio)?;
        self.placed.sentences.push(span);
        Ok(())
    }

    /// Ends the article with its tail; an article with no sound at all is
    /// an error.
    pub fn end(mut self) -> Result<(S, Placed), AudioError> {
        self.pause(TAIL_MS)?;
        if !self.heard {
            return Err(AudioError::Empty);
        }
        Ok((self.sink, self.placed))
    }

    /// How the article is laid out.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    fn pause(&mut self, ms: u32) -> Result<(), AudioError> {
        let len = (u64::from(self.layout.rate) * u64::from(ms) / 1000) as usize;
        self.placed.len += len;
        self.sink.silence(len)
    }

    fn place(&mut self, audio: &SentenceAudio) -> Result<Span, AudioError> {
        let start = self.placed.len;
        let mut first = true;
        for (u, utterance) in audio.utterances.iter().enumerate() {
            for (r, run) in utterance.iter().enumerate() {
                if run.samples.is_empty() {
                    continue;
                }
                if run.sample_rate != self.layout.rate {
                    return Err(AudioError::RateMismatch(self.layout.rate, run.sample_rate));
                }
                if !first {
                    self.pause(if r == 0 && u > 0 {
                        CLAUSE_GAP_MS
                    } else {
                        RUN_GAP_MS
                    })?;
                }
                first = false;
                self.heard = true;
                self.placed.len += run.samples.len();
                self.sink.sound(&run.samples)?;
            }
        }
        Ok(Span {
            start,
            end: self.placed.len,
        })
    }
}

/// The part of a run between its first and last audible sample.
fn trim(samples: &[f32]) -> &[f32] {
    let audible = |s: &f32| s.abs() > SILENCE;
    match (
        samples.iter().position(audible),
        samples.iter().rposition(audible),
    ) {
        (Some(first), Some(last)) => &samples[first..=last],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square-ish tone of `ms` at `rate`, with `padding` zeros each side.
    fn tone(rate: u32, ms: u32, padding: usize) -> Pcm {
        let len = (rate * ms / 1000) as usize;
        let mut samples = vec![0.0; padding];
        samples.extend((0..len).map(|i| 0.5 * ((i as f32) * 0.3).sin().signum()));
        samples.extend(vec![0.0; padding]);
        Pcm {
            sample_rate: rate,
            samples,
        }
    }

    fn sentence(ms: u32) -> SentenceAudio {
        SentenceAudio {
            utterances: vec![vec![tone(1000, ms, 0)]],
        }
    }

    fn layout(rate: u32) -> Layout {
        Layout {
            pauses: Pauses::default(),
            rate,
        }
    }

    #[test]
    fn pauses_and_spans_are_exact() {
        let layout = Layout {
            pauses: Pauses {
                sentence_ms: 350,
                headline_ms: 800,
                paragraph_ms: 600,
            },
            rate: 1000,
        };
        let bulletin = assemble(
            Some(&sentence(100)),
            &[vec![sentence(200), sentence(300)], vec![sentence(50)]],
            layout,
        )
        .unwrap();
        assert_eq!(
            bulletin.headline,
            Some(Span {
                start: 250,
                end: 350
            })
        );
        assert_eq!(
            bulletin.sentences,
            vec![
                Span {
                    start: 1150,
                    end: 1350
                },
                Span {
                    start: 1700,
                    end: 2000
                },
                Span {
                    start: 2600,
                    end: 2650
                },
            ]
        );
        assert_eq!(bulletin.pcm.samples.len(), 2650 + 500);
        assert!(bulletin.pcm.samples[350..1150].iter().all(|s| *s == 0.0));
    }

    #[test]
    fn runs_join_with_a_short_gap_and_clauses_with_a_longer_one() {
        let audio = SentenceAudio {
            utterances: vec![
                vec![tone(1000, 10, 0), tone(1000, 10, 0)],
                vec![tone(1000, 10, 0)],
            ],
        };
        let bulletin = assemble(None, &[vec![audio]], layout(1000)).unwrap();
        let span = bulletin.sentences[0];
        assert_eq!(
            span.end - span.start,
            10 + RUN_GAP_MS as usize + 10 + CLAUSE_GAP_MS as usize + 10
        );
    }

    #[test]
    fn prepare_trims_resamples_and_fades() {
        let run = tone(22050, 100, 1000);
        let segment = prepare(&run, 48000).unwrap();
        assert_eq!(segment.sample_rate, 48000);
        // 100 ms of sound at 22050 Hz is 2205 samples, 4800 at 48 kHz: the
        // padding is gone and the length scaled exactly.
        assert_eq!(segment.samples.len(), 4800);
        let fade = fade_len(48000);
        assert!(segment.samples[0].abs() < 0.01);
        assert!(segment.samples[4799].abs() < 0.01);
        let middle = &segment.samples[fade..4800 - fade];
        assert!(middle.iter().fold(0.0f32, |m, s| m.max(s.abs())) > 0.4);
    }

    #[test]
    fn silent_runs_become_empty_segments() {
        let silent = Pcm {
            sample_rate: 22050,
            samples: vec![0.001; 500],
        };
        assert!(prepare(&silent, 48000).unwrap().samples.is_empty());
    }

    #[test]
    fn engines_of_different_rates_share_a_sentence() {
        let runs = vec![
            prepare(&tone(22050, 100, 50), 48000).unwrap(),
            prepare(&tone(16000, 50, 50), 48000).unwrap(),
        ];
        let audio = SentenceAudio {
            utterances: vec![runs],
        };
        let bulletin = assemble(None, &[vec![audio]], layout(48000)).unwrap();
        let span = bulletin.sentences[0];
        assert_eq!(
            span.end - span.start,
            4800 + 48 * RUN_GAP_MS as usize + 2400
        );
        assert_eq!(span.start, 48 * LEAD_IN_MS as usize);
    }

    #[test]
    fn a_segment_at_another_rate_is_refused() {
        let audio = SentenceAudio {
            utterances: vec![vec![tone(1000, 10, 0), tone(2000, 10, 0)]],
        };
        let error = assemble(None, &[vec![audio]], layout(1000)).unwrap_err();
        assert!(matches!(error, AudioError::RateMismatch(1000, 2000)));
    }

    #[test]
    fn nothing_audible_is_an_error() {
        let audio = SentenceAudio {
            utterances: vec![vec![Pcm {
                sample_rate: 1000,
                samples: vec![],
            }]],
        };
        let error = assemble(None, &[vec![audio]], layout(1000)).unwrap_err();
        assert!(matches!(error, AudioError::Empty));
    }
}
