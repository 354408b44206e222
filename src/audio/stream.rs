//! The streaming audio stage: an article's audio never held whole, so
//! memory does not grow with its length.
//!
//! Pass 1: sentences are laid out as they arrive, in order; every sample
//! goes through the loudness meter (momentary blocks and true peak) and on
//! into a [`Spill`] file. Pass 2 reads the spill back in pieces, applies
//! the one gain (and, only when the gained true peak would pass the
//! ceiling, the limiter, measuring the result, as many rounds as
//! [`normalize_passes`] asks), and writes the WAV. The samples are exactly
//! those of [`normalize`](super::loudness::normalize) over the whole
//! article in memory.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use super::assemble::{AudioError, Layout, Placed, Placer, Sink};
use super::limiter::Limiter;
use super::loudness::{apply_gain, normalize_passes, Loudness, Meter, Pass, Target};
use super::spill::Spill;
use super::wav::{Metadata, WavFormat, WavWriter};

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

/// What pass 2 wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// Where everything is.
    pub placed: Placed,
    /// The loudness of the file, as its `bext` says.
    pub loudness: Loudness,
}

/// An article laid out in full, measured and spilled, to be written.
pub struct Ended {
    sink: Measured,
    placed: Placed,
    rate: u32,
}

/// Ends the article with its tail; an article with no sound is an error.
pub fn end(article: Article) -> Result<Ended, AudioError> {
    let rate = article.layout().rate;
    let (sink, placed) = article.end()?;
    Ok(Ended { sink, placed, rate })
}

impl Ended {
    /// Where everything is.
    pub fn placed(&self) -> &Placed {
        &self.placed
    }

    /// Writes the article to `writer` as a WAV of `bits` at the layout's
    /// rate, normalized to `target`.
    pub fn write<W: Write + Seek>(
        self,
        writer: W,
        bits: u16,
        metadata: &Metadata,
        target: Target,
    ) -> Result<Written, AudioError> {
        write(self, writer, bits, metadata, target)
    }
}

fn write<W: Write + Seek>(
    ended: Ended,
    mut writer: W,
    bits: u16,
    metadata: &Metadata,
    target: Target,
) -> Result<Written, AudioError> {
    let Ended {
        mut sink,
        placed,
        rate,
    } = ended;
    let before = sink.meter.loudness();
    let format = WavFormat {
        sample_rate: rate,
        bits,
    };
    let start = writer.stream_position().map_err(AudioError::Write)?;
    let mut run = |pass: Pass| -> Result<Loudness, AudioError> {
        writer
            .seek(SeekFrom::Start(start))
            .map_err(AudioError::Write)?;
        let mut wav = WavWriter::new(&mut writer, format, metadata, sink.spill.len())
            .map_err(AudioError::Write)?;
        let mut meter = pass.known.is_none().then(|| Meter::new(rate));
        let mut limiter = pass.ceiling_db.map(|ceiling| Limiter::new(rate, ceiling));
        let mut out = |samples: &mut [f32]| {
            apply_gain(samples, pass.after_db);
            if let Some(meter) = &mut meter {
                meter.add(samples);
            }
            wav.write(samples).map_err(AudioError::Write)
        };
        let mut reader = sink.spill.read()?;
        let (mut piece, mut held) = (Vec::with_capacity(PIECE), Vec::new());
        loop {
            reader.next_into(&mut piece, PIECE)?;
            if piece.is_empty() {
                break;
            }
            apply_gain(&mut piece, pass.gain_db);
            match &mut limiter {
                Some(limiter) => {
                    held.clear();
                    limiter.push(&piece, &mut held);
                    out(&mut held)?;
                }
                None => out(&mut piece)?,
            }
        }
        if let Some(limiter) = &mut limiter {
            held.clear();
            limiter.finish(&mut held);
            out(&mut held)?;
        }
        let loudness = pass
            .known
            .or_else(|| meter.map(|m| m.loudness()))
            .expect("measured when not known");
        wav.finish(Some(&loudness)).map_err(AudioError::Write)?;
        Ok(loudness)
    };
    let normalized = normalize_passes(&before, target, &mut run)?;
    Ok(Written {
        placed,
        loudness: normalized.loudness,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::audio::assemble::{assemble, SentenceAudio};
    use crate::audio::loudness::{measure, normalize};
    use crate::audio::wav::{write_wav, Stamp};
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
    ) -> ((Vec<u8>, Loudness), (Vec<u8>, Written)) {
        let mut bulletin = assemble(Some(headline), paragraphs, layout).unwrap();
        let loudness = normalize(&mut bulletin.pcm.samples, layout.rate, target).loudness;
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
        let mut streamed = Cursor::new(Vec::new());
        let written = end(article)
            .unwrap()
            .write(&mut streamed, 16, &metadata(), target)
            .unwrap();
        assert_eq!(written.placed.headline, bulletin.headline);
        assert_eq!(written.placed.sentences, bulletin.sentences);
        assert_eq!(written.placed.len, bulletin.pcm.samples.len());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        (
            (whole.into_inner(), loudness),
            (streamed.into_inner(), written),
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
            let ((whole, loudness), (streamed, written)) =
                both_ways(&headline, &paragraphs, layout, target);
            // Which passes the case takes: the limiter runs in the loud ones.
            let samples = assemble(Some(&headline), &paragraphs, layout)
                .unwrap()
                .pcm
                .samples;
            let mut passes = Vec::new();
            normalize_passes(&measure(&samples, rate), target, |pass| {
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
            assert_eq!(written.loudness, loudness, "{level}");
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
        let error = end(article).err().unwrap();
        assert!(matches!(error, AudioError::Empty), "{error}");
    }
}
