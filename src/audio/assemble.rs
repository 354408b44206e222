//! Puts an article's synthesized sentences in order, with designed pauses,
//! and records where each sentence sits in the result.
//!
//! Each engine run is first made a clean segment ([`prepare`]): its engine
//! silence trimmed, resampled to the bulletin rate, and faded at both edges.
//! Layout then happens at the bulletin rate, so every pause and span is a
//! whole number of output samples.

use super::fade::{fade_edges, fade_len};
use super::resample::{resample, ResampleError};
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

/// Sentences grouped by the paragraph each belongs to (its number from the
/// plan), in order; paragraphs with no sentence are left out.
pub fn paragraphs(
    sentences: impl IntoIterator<Item = (usize, SentenceAudio)>,
) -> Vec<Vec<SentenceAudio>> {
    let mut paragraphs: Vec<Vec<SentenceAudio>> = Vec::new();
    for (paragraph, sound) in sentences {
        if paragraphs.len() <= paragraph {
            paragraphs.resize_with(paragraph + 1, Vec::new);
        }
        paragraphs[paragraph].push(sound);
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
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
/// segments, into one bulletin.
pub fn assemble(
    headline: Option<&SentenceAudio>,
    paragraphs: &[Vec<SentenceAudio>],
    layout: Layout,
) -> Result<Bulletin, AudioError> {
    let rate = layout.rate;
    let any_sound = headline
        .into_iter()
        .chain(paragraphs.iter().flatten())
        .flat_map(|sentence| sentence.utterances.iter().flatten())
        .any(|pcm| !pcm.samples.is_empty());
    if !any_sound {
        return Err(AudioError::Empty);
    }
    // Laid out twice: once to count the samples, once into a buffer of
    // exactly that size, so a long article is never copied as it grows.
    let mut count = Timeline::counting(rate);
    lay_out(&mut count, headline, paragraphs, layout)?;
    let mut out = Timeline::with_capacity(rate, count.len);
    let (headline_span, spans) = lay_out(&mut out, headline, paragraphs, layout)?;
    Ok(Bulletin {
        pcm: Pcm {
            sample_rate: rate,
            samples: out.samples.unwrap_or_default(),
        },
        headline: headline_span,
        sentences: spans,
    })
}

/// Where the headline and each sentence land when laid out on `out`.
fn lay_out(
    out: &mut Timeline,
    headline: Option<&SentenceAudio>,
    paragraphs: &[Vec<SentenceAudio>],
    layout: Layout,
) -> Result<(Option<Span>, Vec<Span>), AudioError> {
    out.pause(LEAD_IN_MS);
    let headline_span = match headline {
        Some(audio) => {
            let span = out.sentence(audio)?;
            out.pause(layout.pauses.headline_ms);
            Some(span)
        }
        None => None,
    };
    let mut spans = Vec::new();
    for (p, paragraph) in paragraphs.iter().enumerate() {
        if p > 0 {
            out.pause(layout.pauses.paragraph_ms);
        }
        for (s, sentence) in paragraph.iter().enumerate() {
            if s > 0 {
                out.pause(layout.pauses.sentence_ms);
            }
            spans.push(out.sentence(sentence)?);
        }
    }
    out.pause(TAIL_MS);
    Ok((headline_span, spans))
}

/// An article's samples as they are laid out, or only their count.
struct Timeline {
    rate: u32,
    len: usize,
    samples: Option<Vec<f32>>,
}

impl Timeline {
    fn counting(rate: u32) -> Timeline {
        Timeline {
            rate,
            len: 0,
            samples: None,
        }
    }

    fn with_capacity(rate: u32, capacity: usize) -> Timeline {
        Timeline {
            rate,
            len: 0,
            samples: Some(Vec::with_capacity(capacity)),
        }
    }

    fn pause(&mut self, ms: u32) {
        self.len += (u64::from(self.rate) * u64::from(ms) / 1000) as usize;
        if let Some(samples) = &mut self.samples {
            samples.resize(self.len, 0.0);
        }
    }

    fn sound(&mut self, sound: &[f32]) {
        self.len += sound.len();
        if let Some(samples) = &mut self.samples {
            samples.extend_from_slice(sound);
        }
    }

    fn sentence(&mut self, audio: &SentenceAudio) -> Result<Span, AudioError> {
        let start = self.len;
        let mut first = true;
        for (u, utterance) in audio.utterances.iter().enumerate() {
            for (r, run) in utterance.iter().enumerate() {
                if run.samples.is_empty() {
                    continue;
                }
                if run.sample_rate != self.rate {
                    return Err(AudioError::RateMismatch(self.rate, run.sample_rate));
                }
                if !first {
                    self.pause(if r == 0 && u > 0 {
                        CLAUSE_GAP_MS
                    } else {
                        RUN_GAP_MS
                    });
                }
                first = false;
                self.sound(&run.samples);
            }
        }
        Ok(Span {
            start,
            end: self.len,
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
