//! The streaming audio stage: an article's audio never held whole, so
//! memory does not grow with its length.
//!
//! Pass 1: sentences are laid out as they arrive, in order; every sample
//! goes through the loudness meter (momentary blocks and true peak) and on
//! into a [`Spill`] file. That measurement gives the one gain. Only when
//! the gained true peak would pass the ceiling does the limiter run, in
//! passes over the spill that measure the result, as many rounds as
//! [`master_loudness_in_passes`] asks. The output stage then reads the
//! spill back in pieces with the final pass applied and writes the WAV.
//! The samples are exactly those of
//! [`master_loudness`](super::loudness::master_loudness) over the whole
//! article in memory.

use std::path::Path;

use super::assemble::{AudioError, Layout, Placer, Sink};
use super::limiter::Limiter;
use super::loudness::{apply_gain, master_loudness_in_passes, Meter, Pass, Target};
use super::spill::{Spill, SpillError, Spilled};
use super::Mastered;

/// Samples read from the spill at a time.
const PIECE: usize = 1 << 16;
/// Zeros fed to the meter at a time for a pause.
const SILENCE_PIECE: usize = 4096;

/// Pass 1's sink: the meter and the spill.
pub struct Measured {
    meter: Meter,
    spill: Spill,
}

impl Sink for Measured {
    fn silence(&mut self, mut len: usize) -> Result<(), AudioError> {
        let zeros = [0.0; SILENCE_PIECE];
        while len > 0 {
            let piece = &zeros[..len.min(SILENCE_PIECE)];
            self.sound(piece)?;
            len -= piece.len();
        }
        Ok(())
    }

    fn sound(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.meter.add(samples);
        self.spill.push(samples)?;
        Ok(())
    }
}

/// An article being laid out, measured and spilled.
pub type Article = Placer<Measured>;

/// Starts an article whose WAV will be `file` in `folder`, spilling there.
pub fn start(layout: Layout, folder: &Path, file: &str) -> Result<Article, AudioError> {
    let sink = Measured {
        meter: Meter::new(layout.rate),
        spill: Spill::new(folder, file)?,
    };
    Placer::new(sink, layout)
}

/// Ends the article and masters it to `target`: decides the gain (and, if
/// need be, the limiter's ceiling) by passes over the spill that only
/// measure; the output stage reads the result with the last pass applied.
/// An article with no sound is an error.
pub fn master(article: Article, target: Target) -> Result<Mastered, AudioError> {
    let rate = article.layout().rate;
    let (sink, placed) = article.end()?;
    let before = sink.meter.loudness();
    let spilled = sink.spill.finish()?;
    let mut last = None;
    let gained = master_loudness_in_passes(&before, target, |pass| {
        last = Some(pass);
        if let Some(known) = pass.known {
            return Ok::<_, AudioError>(known);
        }
        let mut meter = Meter::new(rate);
        apply_pass(&spilled, pass, rate, |piece| {
            meter.add(piece);
            Ok::<_, AudioError>(())
        })?;
        Ok(meter.loudness())
    })?;
    let pass = last.expect("mastering runs a pass");
    Ok(Mastered::spilled(
        placed,
        gained.loudness,
        rate,
        spilled,
        pass,
    ))
}

/// Gives the spilled samples with `pass` applied (gain, the streaming
/// limiter, gain after) to `each`, in order, in bounded pieces.
pub fn apply_pass<E: From<SpillError>>(
    spilled: &Spilled,
    pass: Pass,
    rate: u32,
    mut each: impl FnMut(&[f32]) -> Result<(), E>,
) -> Result<(), E> {
    let mut limiter = pass.ceiling_db.map(|ceiling| Limiter::new(rate, ceiling));
    let mut held = Vec::new();
    let mut out = |samples: &mut [f32]| {
        apply_gain(samples, pass.after_db);
        each(samples)
    };
    spilled.for_each_piece(PIECE, |piece| {
        apply_gain(piece, pass.gain_db);
        match &mut limiter {
            Some(limiter) => {
                held.clear();
                limiter.push(piece, &mut held);
                out(&mut held)
            }
            None => out(piece),
        }
    })?;
    if let Some(limiter) = &mut limiter {
        held.clear();
        limiter.finish(&mut held);
        out(&mut held)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::audio::assemble::{assemble, SentenceAudio};
    use crate::audio::loudness::Loudness;
    use crate::audio::loudness::{master_loudness, measure};
    use crate::audio::wav::{write_wav, Metadata, Stamp, WavFormat, WavWriter};
    use crate::audio::Pcm;
    use crate::voice::Pauses;

    fn metadata() -> Metadata {
        Metadata {
            title: "Storm".into(),
            reference: "01-storm".into(),
            stamp: Stamp::from_unix(0),
        }
    }

    /// A sentence of speech-like bursts, `ms` long, at `level`.
    fn sentence(rate: u32, ms: u32, level: f32, seed: u32) -> SentenceAudio {
        let len = (rate * ms / 1000) as usize;
        let samples = (0..len)
            .map(|i| {
                let t = i as f32 / rate as f32;
                let hz = 180.0 + 30.0 * seed as f32;
                level
                    * (std::f32::consts::PI * 5.0 * t).sin().abs()
                    * (std::f32::consts::TAU * hz * t).sin().signum()
                    * 0.9
            })
            .collect();
        SentenceAudio {
            utterances: vec![vec![Pcm {
                sample_rate: rate,
                samples,
            }]],
        }
    }

    /// The article's WAV made the old way, whole in memory, and streamed.
    fn both_ways(
        headline: &SentenceAudio,
        paragraphs: &[Vec<SentenceAudio>],
        layout: Layout,
        target: Target,
    ) -> ((Vec<u8>, Loudness), (Vec<u8>, Loudness)) {
        let mut bulletin = assemble(Some(headline), paragraphs, layout).unwrap();
        let loudness = master_loudness(&mut bulletin.pcm.samples, layout.rate, target).loudness;
        let mut whole = Cursor::new(Vec::new());
        write_wav(&mut whole, &bulletin.pcm, 16, &metadata(), Some(&loudness)).unwrap();

        let dir = tempfile::tempdir().unwrap();
        let mut article = start(layout, dir.path(), "01-storm.wav").unwrap();
        article.headline(headline).unwrap();
        for (p, paragraph) in paragraphs.iter().enumerate() {
            for sentence in paragraph {
                article.sentence(p, sentence).unwrap();
            }
        }
        let mastered = master(article, target).unwrap();
        assert_eq!(mastered.placed.headline, bulletin.headline);
        assert_eq!(mastered.placed.sentences, bulletin.sentences);
        assert_eq!(mastered.len(), bulletin.pcm.samples.len());
        let mut streamed = Cursor::new(Vec::new());
        let format = WavFormat {
            sample_rate: layout.rate,
            bits: 16,
        };
        let len = mastered.len() as u64;
        let mut wav = WavWriter::new(&mut streamed, format, &metadata(), len).unwrap();
        mastered.for_each_piece(|piece| wav.write(piece)).unwrap();
        wav.finish(Some(&mastered.loudness)).unwrap();
        let streamed_loudness = mastered.loudness;
        drop(mastered);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        (
            (whole.into_inner(), loudness),
            (streamed.into_inner(), streamed_loudness),
        )
    }

    #[test]
    fn streamed_articles_are_byte_for_byte_the_ones_made_in_memory() {
        let rate = 48000;
        let layout = Layout {
            pauses: Pauses::default(),
            rate,
        };
        // Quiet speech takes one gain; loud square-ish bursts need the
        // limiter and rounds of correction, and an unreachable target the
        // final loss of loudness to the peak.
        for (level, target, limited) in [(0.05, -23.0, false), (0.9, -6.0, true), (0.3, -2.0, true)]
        {
            let target = Target {
                integrated_lufs: target,
                true_peak_dbtp: -1.0,
            };
            let headline = sentence(rate, 900, level, 0);
            let paragraphs = vec![
                vec![
                    sentence(rate, 2100, level, 1),
                    sentence(rate, 1500, level * 0.5, 2),
                ],
                vec![sentence(rate, 1700, level, 3)],
            ];
            let ((whole, loudness), (streamed, streamed_loudness)) =
                both_ways(&headline, &paragraphs, layout, target);
            // Which passes the case takes: the limiter runs in the loud ones.
            let samples = assemble(Some(&headline), &paragraphs, layout)
                .unwrap()
                .pcm
                .samples;
            let mut passes = Vec::new();
            master_loudness_in_passes(&measure(&samples, rate), target, |pass| {
                passes.push(pass);
                let mut result = samples.clone();
                pass.apply(&mut result, rate);
                Ok::<_, ()>(pass.known.unwrap_or_else(|| measure(&result, rate)))
            })
            .unwrap();
            assert_eq!(
                passes.iter().any(|p| p.ceiling_db.is_some()),
                limited,
                "{passes:?}"
            );
            assert_eq!(streamed_loudness, loudness, "{level}");
            assert!(whole == streamed, "{level}: the bytes differ");
        }
    }

    #[test]
    fn a_silent_article_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout {
            pauses: Pauses::default(),
            rate: 48000,
        };
        let mut article = start(layout, dir.path(), "01-storm.wav").unwrap();
        article.sentence(0, &SentenceAudio::default()).unwrap();
        let error = master(article, Target::default()).err().unwrap();
        assert!(matches!(error, AudioError::Empty), "{error}");
    }
}
