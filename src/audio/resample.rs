//! Brings every engine's and clip's audio to the bulletin rate, so voices of
//! different engines (22.05, 24, 16 kHz…) can share one article.
//!
//! The rates are fixed for a whole clip, so rubato's synchronous FFT
//! resampler fits: it is fast and has no quality knobs to get wrong.
//! `process_all` trims the resampler's delay, so sample `n` of the output is
//! time `n / rate` of the input; timings stay exact. Building a resampler
//! plans its FFTs, so each thread keeps one per pair of rates.

use std::cell::RefCell;
use std::collections::HashMap;

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::Pcm;

/// Frames per FFT chunk: a hint to rubato, which rounds it to fit the ratio.
const CHUNK: usize = 1024;

/// Why audio could not be resampled.
#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot resample {from} Hz audio to {to} Hz: {message}")]
pub struct ResampleError {
    /// The input rate.
    pub from: u32,
    /// The rate asked for.
    pub to: u32,
    /// What rubato said.
    pub message: String,
}

thread_local! {
    static RESAMPLERS: RefCell<HashMap<(u32, u32), Fft<f32>>> = RefCell::new(HashMap::new());
}

/// `pcm` at `rate`: the same audio when it already is, else resampled.
/// The result holds `ceil(len * rate / pcm.sample_rate)` samples.
pub fn resample(pcm: &Pcm, rate: u32) -> Result<Pcm, ResampleError> {
    let from = pcm.sample_rate;
    if from == rate || pcm.samples.is_empty() {
        return Ok(Pcm {
            sample_rate: rate,
            samples: pcm.samples.clone(),
        });
    }
    let error = |message: String| ResampleError {
        from,
        to: rate,
        message,
    };
    RESAMPLERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let resampler = match cache.entry((from, rate)) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => entry.insert(
                Fft::<f32>::new(from as usize, rate as usize, CHUNK, 1, FixedSync::Both)
                    .map_err(|e| error(e.to_string()))?,
            ),
        };
        let input = InterleavedSlice::new(&pcm.samples, 1, pcm.samples.len())
            .map_err(|e| error(e.to_string()))?;
        let output = resampler
            .process_all(&input, pcm.samples.len(), None)
            .map_err(|e| error(e.to_string()))?;
        // rubato rounds the length from a floating-point ratio; cut it to
        // the exact one so lengths never depend on rounding.
        let len = (pcm.samples.len() as u64 * u64::from(rate)).div_ceil(u64::from(from));
        let mut samples = output.take_data();
        samples.truncate(len as usize);
        Ok(Pcm {
            sample_rate: rate,
            samples,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, hz: f32, seconds: f32) -> Pcm {
        let len = (rate as f32 * seconds) as usize;
        Pcm {
            sample_rate: rate,
            samples: (0..len)
                .map(|i| 0.5 * (std::f32::consts::TAU * hz * i as f32 / rate as f32).sin())
                .collect(),
        }
    }

    #[test]
    fn engine_rate_becomes_the_bulletin_rate_with_the_length_scaled() {
        for (from, to) in [
            (22050, 48000),
            (22050, 44100),
            (24000, 48000),
            (16000, 44100),
        ] {
            let input = sine(from, 440.0, 0.5);
            let output = resample(&input, to).unwrap();
            assert_eq!(output.sample_rate, to);
            let expected = (input.samples.len() as f64 * f64::from(to) / f64::from(from)).ceil();
            assert_eq!(output.samples.len(), expected as usize, "{from} -> {to}");
        }
    }

    #[test]
    fn a_tone_keeps_its_pitch_level_and_timing() {
        let output = resample(&sine(22050, 440.0, 0.5), 48000).unwrap();
        // Away from the clip's edges the resampled tone is the same tone at
        // the new rate, with no level change and shifted by at most about a
        // sample (rubato trims its delay to the nearest frame).
        let best = (-150..=150)
            .map(|hundredths| {
                let lag = hundredths as f32 / 100.0;
                (2000..20000)
                    .map(|i| {
                        let t = (i as f32 - lag) / 48000.0;
                        (output.samples[i] - 0.5 * (std::f32::consts::TAU * 440.0 * t).sin()).abs()
                    })
                    .fold(0.0f32, f32::max)
            })
            .fold(f32::MAX, f32::min);
        assert!(best < 0.001, "largest difference {best}");
    }

    #[test]
    fn same_rate_is_left_alone() {
        let input = sine(48000, 440.0, 0.01);
        assert_eq!(resample(&input, 48000).unwrap(), input);
    }

    #[test]
    fn a_zero_rate_is_an_error_not_a_panic() {
        let input = Pcm {
            sample_rate: 0,
            samples: vec![0.1; 10],
        };
        assert!(resample(&input, 48000).is_err());
    }
}
