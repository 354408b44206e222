//! A look-ahead true-peak limiter: keeps the peaks between samples, not only
//! the samples, under a ceiling, by turning the gain down smoothly just
//! before a peak and back up slowly after it. It never clips.
//!
//! It streams: [`Limiter`] takes samples in pieces and gives them back
//! limited, `look-ahead + 16` samples later, exactly as if it had seen the
//! whole clip at once ([`limit`] is the whole clip fed in one piece):
//! 1. Estimate each sample's true peak: its own value and the values a 4×
//!    oversampling Kaiser-windowed sinc interpolator finds between it and its
//!    neighbours (BS.1770 measures true peak the same way).
//! 2. The gain each sample needs is `ceiling / peak`, at most 1.
//! 3. A sliding minimum over the next `L` samples (the look-ahead) starts
//!    every reduction `L` samples early; a slow release lets it recover.
//! 4. A moving average over `L` samples turns the steps into ramps. Any
//!    average that reaches a peak includes only minima taken over windows
//!    that contain it, so the gain at each peak is at most what it needs.

use std::collections::VecDeque;

/// How far ahead the limiter looks, and so how long its attack is.
const LOOK_AHEAD_MS: f64 = 5.0;
/// Time constant of the gain's recovery after a peak.
const RELEASE_MS: f64 = 80.0;
/// Oversampling factor of the true-peak estimate.
const OVERSAMPLE: usize = 4;
/// Taps of the interpolator on each side of an in-between point.
const HALF_TAPS: usize = 16;
/// The Kaiser window's shape: about 80 dB of stop-band rejection, with a
/// flat pass band to well above the 11 kHz of 22 kHz engines.
const KAISER_BETA: f64 = 8.0;
/// Inter-sample peaks are estimated only next to samples above this share
/// of the ceiling (-6 dB): a speech or music peak between two samples does
/// not rise that far above both. The loudness stage checks the result with
/// an independent true-peak meter and lowers the ceiling if ever it did.
const NEAR_CEILING: f32 = 0.5;

/// Limits `samples` in place so that their true peak stays at or below
/// `ceiling_db` dBTP (dB relative to full scale), at `rate` Hz.
pub fn limit(samples: &mut [f32], rate: u32, ceiling_db: f64) {
    let mut limiter = Limiter::new(rate, ceiling_db);
    // Quiet clips, the usual case at -23 LUFS, cost one pass and no memory:
    // the gain would be exactly 1 everywhere.
    if samples.iter().all(|s| s.abs() < limiter.near) {
        return;
    }
    let mut out = Vec::with_capacity(samples.len());
    limiter.push(samples, &mut out);
    limiter.finish(&mut out);
    samples.copy_from_slice(&out);
}

/// The limiter over a stream of samples.
pub struct Limiter {
    ceiling: f32,
    near: f32,
    look_ahead: usize,
    /// How far the gain recovers towards 1 in one sample.
    release_step: f64,
    interpolator: Interpolator,
    /// The samples from `base` on (indices are counted from the stream's
    /// first sample), and the gain each needs.
    input: Vec<f32>,
    needed: Vec<f32>,
    base: usize,
    /// Samples taken so far.
    end: usize,
    /// Points between samples `n` and `n + 1` are done for every `n` below
    /// this, so `needed` is settled below it.
    between: usize,
    /// Increasing needed gains of the samples from the next output on,
    /// with their indices: the sliding minimum over the look-ahead.
    queue: VecDeque<(usize, f32)>,
    /// Needed gains taken into `queue`: those below this.
    queued: usize,
    /// The next sample to give back.
    next: usize,
    /// The released gain of the previous sample.
    released: f64,
    /// The last `look_ahead` released gains and their sum, for the moving
    /// average; empty before the first sample.
    history: Vec<f32>,
    sum: f64,
}

impl Limiter {
    /// A limiter to `ceiling_db` dBTP for audio at `rate`.
    pub fn new(rate: u32, ceiling_db: f64) -> Limiter {
        let ceiling = 10f64.powf(ceiling_db / 20.0) as f32;
        Limiter {
            ceiling,
            near: ceiling * NEAR_CEILING,
            look_ahead: ((f64::from(rate) * LOOK_AHEAD_MS / 1000.0) as usize).max(1),
            release_step: 1.0 - (-1000.0 / (RELEASE_MS * f64::from(rate))).exp(),
            interpolator: Interpolator::new(),
            input: Vec::new(),
            needed: Vec::new(),
            base: 0,
            end: 0,
            between: 0,
            queue: VecDeque::new(),
            queued: 0,
            next: 0,
            released: 1.0,
            history: Vec::new(),
            sum: 0.0,
        }
    }

    /// Takes `samples` and appends to `out` those that are now limited.
    pub fn push(&mut self, samples: &[f32], out: &mut Vec<f32>) {
        let ceiling = self.ceiling;
        self.input.extend_from_slice(samples);
        self.needed
            .extend(samples.iter().map(|s| (ceiling / s.abs()).min(1.0)));
        self.end += samples.len();
        self.run(false, out);
    }

    /// Appends the rest to `out`: the stream has ended.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        self.run(true, out);
    }

    fn run(&mut self, ended: bool, out: &mut Vec<f32>) {
        // The points between samples: those near the ceiling need the
        // interpolator's taps on both sides (zeros past the end).
        let last = if ended {
            self.end.saturating_sub(1)
        } else {
            self.end.saturating_sub(HALF_TAPS)
        };
        while self.between < last {
            let n = self.between - self.base;
            if self.input[n].abs().max(self.input[n + 1].abs()) >= self.near {
                // Once samples are dropped, n is past the taps' reach back.
                let between = self.interpolator.peak_after(&self.input, n);
                let gain = (self.ceiling / between).min(1.0);
                self.needed[n] = self.needed[n].min(gain);
                self.needed[n + 1] = self.needed[n + 1].min(gain);
            }
            self.between += 1;
        }
        let settled = if ended { self.end } else { self.between };
        loop {
            let n = self.next;
            let reach = (n + self.look_ahead).min(if ended { self.end } else { usize::MAX });
            while self.queued < reach.min(settled) {
                let value = self.needed[self.queued - self.base];
                while self.queue.back().is_some_and(|&(_, v)| v >= value) {
                    self.queue.pop_back();
                }
                self.queue.push_back((self.queued, value));
                self.queued += 1;
            }
            if n >= self.end || self.queued < reach {
                break;
            }
            while self.queue.front().is_some_and(|&(k, _)| k < n) {
                self.queue.pop_front();
            }
            let lowest = self.queue[0].1;
            // Release: rise back towards 1 no faster than the time constant.
            let recovered = self.released + (1.0 - self.released) * self.release_step;
            self.released = f64::from(lowest).min(recovered);
            let gain = self.released as f32;
            // A moving average over the look-ahead turns steps into ramps.
            // Before the start it counts the first gain, the lowest the
            // first window needs, so a peak right at the start is held too.
            if self.history.is_empty() {
                self.history = vec![gain; self.look_ahead];
                self.sum = f64::from(gain) * self.look_ahead as f64;
            }
            let slot = n % self.look_ahead;
            self.sum += f64::from(gain) - f64::from(self.history[slot]);
            self.history[slot] = gain;
            let smoothed = (self.sum / self.look_ahead as f64) as f32;
            out.push(self.input[n - self.base] * smoothed);
            self.next += 1;
        }
        // Keep what is still to give back and the interpolator's history.
        let keep = self.next.min(self.between.saturating_sub(HALF_TAPS));
        if keep - self.base >= 1 << 15 {
            self.input.drain(..keep - self.base);
            self.needed.drain(..keep - self.base);
            self.base = keep;
        }
    }
}

/// A 4× polyphase windowed-sinc interpolator for the points between two
/// samples.
struct Interpolator {
    /// `phases[p - 1][i]` weighs sample `n - HALF_TAPS + 1 + i` for the point
    /// `n + p / 4`.
    phases: [[f32; 2 * HALF_TAPS]; OVERSAMPLE - 1],
}

impl Interpolator {
    fn new() -> Interpolator {
        let mut phases = [[0.0; 2 * HALF_TAPS]; OVERSAMPLE - 1];
        for (p, phase) in phases.iter_mut().enumerate() {
            let offset = (p + 1) as f64 / OVERSAMPLE as f64;
            for (i, tap) in phase.iter_mut().enumerate() {
                // Distance from the point to the sample this tap weighs.
                let t = offset + (HALF_TAPS - 1) as f64 - i as f64;
                *tap = (sinc(t) * kaiser(t / HALF_TAPS as f64)) as f32;
            }
        }
        Interpolator { phases }
    }

    /// The largest magnitude among the interpolated points strictly between
    /// samples `n` and `n + 1` (zeros before the first and after the last).
    fn peak_after(&self, samples: &[f32], n: usize) -> f32 {
        let first = n as isize - HALF_TAPS as isize + 1;
        let at = |i: usize| {
            let k = first + i as isize;
            if k < 0 {
                0.0
            } else {
                samples.get(k as usize).copied().unwrap_or(0.0)
            }
        };
        self.phases
            .iter()
            .map(|phase| {
                phase
                    .iter()
                    .enumerate()
                    .map(|(i, tap)| tap * at(i))
                    .sum::<f32>()
                    .abs()
            })
            .fold(0.0, f32::max)
    }
}

fn sinc(t: f64) -> f64 {
    if t.abs() < 1e-12 {
        1.0
    } else {
        let x = std::f64::consts::PI * t;
        x.sin() / x
    }
}

/// A Kaiser window over `-1..1`.
fn kaiser(u: f64) -> f64 {
    if u.abs() >= 1.0 {
        return 0.0;
    }
    bessel_i0(KAISER_BETA * (1.0 - u * u).sqrt()) / bessel_i0(KAISER_BETA)
}

/// The modified Bessel function of the first kind, order 0, by its series.
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let quarter = x * x / 4.0;
    for k in 1..50 {
        term *= quarter / f64::from(k * k);
        sum += term;
        if term < sum * 1e-16 {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limiter as it was before it streamed, with the whole clip in
    /// memory: the streaming one must give exactly its samples.
    fn whole_clip(samples: &mut [f32], rate: u32, ceiling_db: f64) {
        let ceiling = 10f64.powf(ceiling_db / 20.0) as f32;
        let window = ((f64::from(rate) * LOOK_AHEAD_MS / 1000.0) as usize).max(1);
        let interpolator = Interpolator::new();
        let mut needed: Vec<f32> = samples
            .iter()
            .map(|s| (ceiling / s.abs()).min(1.0))
            .collect();
        for n in 0..samples.len().saturating_sub(1) {
            if samples[n].abs().max(samples[n + 1].abs()) < ceiling * NEAR_CEILING {
                continue;
            }
            let gain = (ceiling / interpolator.peak_after(samples, n)).min(1.0);
            needed[n] = needed[n].min(gain);
            needed[n + 1] = needed[n + 1].min(gain);
        }
        let mut gain: Vec<f32> = (0..needed.len())
            .map(|n| {
                needed[n..(n + window).min(needed.len())]
                    .iter()
                    .copied()
                    .fold(1.0, f32::min)
            })
            .collect();
        let step = 1.0 - (-1000.0 / (RELEASE_MS * f64::from(rate))).exp();
        let mut previous = 1.0f64;
        for g in &mut gain {
            previous = f64::from(*g).min(previous + (1.0 - previous) * step);
            *g = previous as f32;
        }
        let first = gain.first().copied().unwrap_or(1.0);
        let mut history = vec![first; window];
        let mut sum = f64::from(first) * window as f64;
        for (n, g) in gain.iter_mut().enumerate() {
            sum += f64::from(*g) - f64::from(history[n % window]);
            history[n % window] = *g;
            *g = (sum / window as f64) as f32;
        }
        for (sample, gain) in samples.iter_mut().zip(gain) {
            *sample *= gain;
        }
    }

    #[test]
    fn streamed_in_any_pieces_the_samples_are_the_whole_clips() {
        // Loud bursts with inter-sample peaks, a peak at the very start and
        // one at the very end, past the point where samples are dropped.
        for rate in [48000u32, 22050, 1000] {
            let mut clip: Vec<f32> = (0..rate as usize * 3 / 2)
                .map(|i| {
                    let t = i as f32 / rate as f32;
                    (0.3 + 0.8 * (2.1 * t).sin().abs())
                        * (std::f32::consts::TAU * 0.23 * rate as f32 * t + 0.7).sin()
                })
                .collect();
            clip[0] = 1.0;
            *clip.last_mut().unwrap() = -1.0;
            let mut expected = clip.clone();
            whole_clip(&mut expected, rate, -3.0);
            assert_ne!(expected, clip, "the limiter has work to do");
            let mut whole = clip.clone();
            limit(&mut whole, rate, -3.0);
            assert_eq!(whole, expected, "{rate}: in one piece");
            for piece in [1, 17, 4096, 40_000] {
                let mut limiter = Limiter::new(rate, -3.0);
                let mut out = Vec::new();
                for chunk in clip.chunks(piece) {
                    limiter.push(chunk, &mut out);
                    assert!(out.len() <= clip.len());
                }
                limiter.finish(&mut out);
                assert_eq!(out, expected, "{rate}: in pieces of {piece}");
            }
        }
    }

    fn db(value: f64) -> f64 {
        20.0 * value.log10()
    }

    fn true_peak_db(samples: &[f32], rate: u32) -> f64 {
        let mut meter = ebur128::EbuR128::new(1, rate, ebur128::Mode::TRUE_PEAK).unwrap();
        meter.add_frames_f32(samples).unwrap();
        db(meter.true_peak(0).unwrap())
    }

    /// Speech-like bursts: a tone whose level swells and falls.
    fn bursts(rate: u32) -> Vec<f32> {
        (0..rate as usize)
            .map(|i| {
                let t = i as f32 / rate as f32;
                let envelope = (std::f32::consts::PI * 3.0 * t).sin().abs();
                0.99 * envelope * (std::f32::consts::TAU * 3100.0 * t + 0.7).sin()
            })
            .collect()
    }

    #[test]
    fn true_peak_ends_under_the_ceiling() {
        let mut samples = bursts(48000);
        assert!(true_peak_db(&samples, 48000) > -0.2);
        limit(&mut samples, 48000, -3.0);
        let peak = true_peak_db(&samples, 48000);
        assert!(peak <= -2.95, "true peak {peak} dBTP");
    }

    #[test]
    fn inter_sample_peaks_are_caught() {
        // A quarter-rate sine sampled at ±45°: every sample is 0.707 of the
        // wave's peak, so sample peak says -3 dB while the true peak is 0 dB.
        let mut samples: Vec<f32> = (0..4800)
            .map(|i| (std::f32::consts::FRAC_PI_2 * i as f32 + std::f32::consts::FRAC_PI_4).sin())
            .collect();
        let sample_peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!(db(f64::from(sample_peak)) < -2.9);
        limit(&mut samples, 48000, -4.0);
        // The wave's true peak is known exactly: its sample peak over
        // sin 45°. (Meters' own interpolators read this hardest case up to
        // 0.1 dB high; the loudness stage leaves room for that.)
        let sample_peak = samples[480..4320]
            .iter()
            .fold(0.0f32, |m, s| m.max(s.abs()));
        let peak = db(f64::from(sample_peak) * std::f64::consts::SQRT_2);
        assert!(peak <= -4.0 + 0.01, "true peak {peak} dBTP");
    }

    #[test]
    fn quiet_audio_is_untouched() {
        let original: Vec<f32> = bursts(48000).iter().map(|s| s * 0.5).collect();
        let mut samples = original.clone();
        limit(&mut samples, 48000, -1.0);
        assert_eq!(samples, original);
    }

    #[test]
    fn gain_falls_before_the_peak_and_recovers_slowly_without_steps() {
        let rate = 48000;
        let mut samples = vec![0.3f32; rate as usize];
        samples[24000] = 1.0;
        limit(&mut samples, rate, -5.0);
        // The single loud sample is brought to the ceiling…
        assert!(db(f64::from(samples[24000])) <= -5.0 + 1e-3);
        // …the gain ramps down over the look-ahead before it, not after…
        let look_ahead = 240;
        assert!((samples[24000 - look_ahead - 1] - 0.3).abs() < 1e-6);
        assert!(samples[24000 - look_ahead / 2] < 0.3);
        // …and recovers over tens of milliseconds, never jumping.
        assert!(samples[24000 + 480] < 0.3 && samples[24000 + 480] > 0.15);
        let steps = samples
            .windows(2)
            .enumerate()
            .filter(|(n, _)| !(23999..=24000).contains(n))
            .map(|(_, w)| (w[1] - w[0]).abs())
            .fold(0.0f32, f32::max);
        assert!(steps < 0.01, "largest gain step {steps}");
    }

    #[test]
    fn interpolator_passes_a_slow_wave() {
        let interpolator = Interpolator::new();
        let samples: Vec<f32> = (0..64).map(|i| (i as f32 * 0.05).sin()).collect();
        for n in 20..40 {
            let exact = ((n as f32 + 0.5) * 0.05).sin().abs();
            let found = interpolator.peak_after(&samples, n);
            assert!(found >= exact - 1e-3 && found < exact + 0.01, "{n}");
        }
    }
}
