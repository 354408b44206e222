//! Loudness per ITU-R BS.1770 / EBU R128, measured with the `ebur128`
//! crate, and the mastering of a whole clip to a target loudness (one gain,
//! then the limiter).
//!
//! A clip gets one gain, never one per sentence, so the speech keeps its own
//! dynamics; the look-ahead limiter then holds the true peak under its
//! ceiling. Limiting lowers the loudness a little and meters disagree a
//! little about true peak, so [`master_loudness`] measures its own result and
//! corrects the gain and the ceiling until both are met.

use super::limiter;

/// How far the integrated loudness may end from the target.
const LOUDNESS_TOLERANCE_LU: f64 = 0.1;
/// The limiter aims this far under the true-peak target…
const CEILING_MARGIN_DB: f64 = 0.3;
/// …and the measured true peak must end at least this far under it, so
/// that other true-peak meters (ffmpeg's oversamples differently) agree.
const PEAK_SAFETY_DB: f64 = 0.15;
/// Rounds of gain and ceiling correction before settling.
pub const MAX_ROUNDS: usize = 6;

/// What a loudness meter says about a clip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loudness {
    /// Integrated (gated) loudness, LUFS; minus infinity for silence.
    pub integrated_lufs: f64,
    /// Loudness range, LU.
    pub range_lu: f64,
    /// Highest true peak, dBTP.
    pub true_peak_dbtp: f64,
    /// Highest momentary (400 ms) loudness, LUFS.
    pub max_momentary_lufs: f64,
    /// Highest short-term (3 s) loudness, LUFS.
    pub max_short_term_lufs: f64,
}

impl Loudness {
    /// The measurements of the same clip made `gain_db` louder.
    #[must_use]
    pub fn gained(&self, gain_db: f64) -> Loudness {
        Loudness {
            integrated_lufs: self.integrated_lufs + gain_db,
            range_lu: self.range_lu,
            true_peak_dbtp: self.true_peak_dbtp + gain_db,
            max_momentary_lufs: self.max_momentary_lufs + gain_db,
            max_short_term_lufs: self.max_short_term_lufs + gain_db,
        }
    }
}

/// The loudness a clip is mastered to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Integrated loudness, LUFS: -23 for EBU R128, -16 for podcasts.
    pub integrated_lufs: f64,
    /// The true peak not to exceed, dBTP.
    pub true_peak_dbtp: f64,
}

impl Default for Target {
    fn default() -> Self {
        Self {
            integrated_lufs: -23.0,
            true_peak_dbtp: -1.0,
        }
    }
}

/// A loudness meter fed in pieces, for clips that are streamed.
///
/// The `ebur128` crate K-weights the audio (BS.1770) and gives the energy
/// of each 100 ms. Every figure is made of those sub-blocks: momentary
/// loudness of 4, short-term of 30, integrated loudness of the gated
/// momentary blocks, and loudness range of the gated short-term blocks,
/// with the crate's own gates, schedule and percentiles (the tests hold
/// the results equal to the crate's). Asking the crate for each window
/// instead re-sums it every time, up to 38 sums per sample, which made
/// metering most of a render's CPU; here it is one.
///
/// True peak oversamples, so it is measured only where it can be the
/// highest: see [`PeakScan`].
pub struct Meter {
    inner: ebur128::EbuR128,
    peak: Option<PeakScan>,
    /// Samples in 100 ms, rounded as the crate rounds them.
    step: usize,
    filled: usize,
    /// 100 ms sub-blocks ended so far.
    steps: usize,
    /// Mean-square energy of the most recent 100 ms sub-blocks, newest last,
    /// [`SHORT_TERM_BLOCKS`] of them.
    blocks: std::collections::VecDeque<f64>,
    /// Energies of the momentary blocks above the absolute gate, one per
    /// step once 400 ms are in: integrated loudness gates these.
    gating_blocks: Vec<f64>,
    /// Energies of the short-term blocks above the absolute gate, one per
    /// second once 3 s are in: the loudness range is their spread.
    short_term_blocks: Vec<f64>,
    max_momentary: f64,
    max_short_term: f64,
}

/// Sub-blocks of 100 ms in a momentary and in a short-term window.
const MOMENTARY_BLOCKS: usize = 4;
const SHORT_TERM_BLOCKS: usize = 30;
/// Steps between two short-term blocks of the loudness range, as the crate
/// (and libebur128) take them.
const RANGE_HOP_BLOCKS: usize = 10;
/// BS.1770's absolute gate, -70 LUFS, as an energy.
const ABSOLUTE_GATE: f64 = 1.172_465_304_582_298e-7;

impl Meter {
    /// A meter for mono audio at `rate` that measures everything.
    pub fn new(rate: u32) -> Meter {
        Meter {
            peak: Some(PeakScan::new(rate)),
            ..Meter::without_true_peak(rate)
        }
    }

    /// A meter that measures loudness but not true peak, for a first guess
    /// of the gain: true peak, which oversamples, costs far more.
    pub fn without_true_peak(rate: u32) -> Meter {
        Meter {
            // Mode M: K-weighting and a 400 ms window, nothing computed per
            // block by the crate.
            inner: ebur128::EbuR128::new(1, rate, ebur128::Mode::M)
                .expect("mono at an audio rate is valid"),
            peak: None,
            step: ((rate as usize + 5) / 10).max(1),
            filled: 0,
            steps: 0,
            // Before the first 3 s the windows reach back into silence, as
            // the crate's own do.
            blocks: std::collections::VecDeque::from(vec![0.0; SHORT_TERM_BLOCKS]),
            gating_blocks: Vec::new(),
            short_term_blocks: Vec::new(),
            max_momentary: f64::NEG_INFINITY,
            max_short_term: f64::NEG_INFINITY,
        }
    }

    /// Adds the next samples.
    pub fn add(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() {
            let take = (self.step - self.filled).min(samples.len());
            self.inner
                .add_frames_f32(&samples[..take])
                .expect("mono frames are valid");
            if let Some(peak) = &mut self.peak {
                peak.add(&samples[..take]);
            }
            samples = &samples[take..];
            self.filled += take;
            if self.filled == self.step {
                self.filled = 0;
                self.end_block();
            }
        }
    }

    /// Records the 100 ms that just ended and the windows ending with it.
    fn end_block(&mut self) {
        let loudness = self
            .inner
            .loudness_window(100)
            .expect("100 ms is within the meter's window");
        self.blocks.pop_front();
        self.blocks.push_back(loudness_to_energy(loudness));
        self.steps += 1;
        let momentary =
            self.blocks.iter().rev().take(MOMENTARY_BLOCKS).sum::<f64>() / MOMENTARY_BLOCKS as f64;
        let short_term = self.blocks.iter().sum::<f64>() / SHORT_TERM_BLOCKS as f64;
        self.max_momentary = self.max_momentary.max(energy_to_loudness(momentary));
        self.max_short_term = self.max_short_term.max(energy_to_loudness(short_term));
        if self.steps >= MOMENTARY_BLOCKS && momentary >= ABSOLUTE_GATE {
            self.gating_blocks.push(momentary);
        }
        let range_block = self.steps >= SHORT_TERM_BLOCKS
            && (self.steps - SHORT_TERM_BLOCKS) % RANGE_HOP_BLOCKS == 0;
        if range_block && short_term >= ABSOLUTE_GATE {
            self.short_term_blocks.push(short_term);
        }
    }

    /// The measurements of everything added so far.
    pub fn loudness(&self) -> Loudness {
        Loudness {
            integrated_lufs: integrated(&self.gating_blocks),
            range_lu: loudness_range(&self.short_term_blocks),
            true_peak_dbtp: self.peak.as_ref().map_or(f64::NAN, PeakScan::true_peak),
            max_momentary_lufs: self.max_momentary,
            max_short_term_lufs: self.max_short_term,
        }
    }
}

/// BS.1770 integrated loudness of momentary blocks already past the
/// absolute gate: the mean of those within 10 LU of their own mean.
fn integrated(blocks: &[f64]) -> f64 {
    if blocks.is_empty() {
        return f64::NEG_INFINITY;
    }
    let relative_gate = blocks.iter().sum::<f64>() / blocks.len() as f64 * 0.1;
    let (count, sum) = blocks
        .iter()
        .filter(|&&energy| energy >= relative_gate)
        .fold((0usize, 0.0), |(count, sum), energy| {
            (count + 1, sum + energy)
        });
    energy_to_loudness(sum / count as f64)
}

/// EBU Tech 3342 loudness range of short-term blocks already past the
/// absolute gate: from the 10th to the 95th percentile of those within
/// 20 LU of their mean, picked as the crate picks them.
fn loudness_range(blocks: &[f64]) -> f64 {
    if blocks.is_empty() {
        return 0.0;
    }
    let relative_gate = blocks.iter().sum::<f64>() / blocks.len() as f64 * 0.01;
    let mut kept: Vec<f64> = blocks
        .iter()
        .copied()
        .filter(|&energy| energy >= relative_gate)
        .collect();
    kept.sort_unstable_by(f64::total_cmp);
    let Some(last) = kept.len().checked_sub(1) else {
        return 0.0;
    };
    let at = |share: f64| kept[(last as f64 * share + 0.5) as usize];
    energy_to_loudness(at(0.95)) - energy_to_loudness(at(0.1))
}

/// True peak, oversampled by the `ebur128` crate only near the loudest
/// samples so far.
///
/// A point between samples can rise above both only by so much: for audio
/// band-limited to 11 kHz (every 22 kHz engine) at 48 kHz, by at most
/// 1 / cos(π · 11 / 48), 2.5 dB. So a piece whose samples all stay 6 dB
/// under the highest sample yet cannot hold the true peak and is skipped:
/// about two thirds of speech. The running highest sample is never above
/// the final one, so nothing that could hold the peak is ever skipped. A
/// piece after a skip is scanned with the samples before it as the
/// interpolator's history, and a skip begins by scanning a few samples so
/// the points at the end of the last scanned piece are found.
struct PeakScan {
    meter: ebur128::EbuR128,
    sample_peak: f32,
    true_peak: f64,
    /// Whether the previous piece was scanned.
    scanning: bool,
    /// The last samples seen, the history a scan after a skip starts from.
    history: Vec<f32>,
}

/// Samples of history before a scan and after it: more than the crate's
/// interpolator reaches (49 taps over 4 phases).
const PEAK_CONTEXT: usize = 32;
/// Pieces whose samples are all under this share of the highest sample so
/// far (-6 dB) are not oversampled.
const PEAK_NEAR: f32 = 0.5;

impl PeakScan {
    fn new(rate: u32) -> PeakScan {
        PeakScan {
            meter: ebur128::EbuR128::new(1, rate, ebur128::Mode::TRUE_PEAK)
                .expect("mono at an audio rate is valid"),
            sample_peak: 0.0,
            true_peak: 0.0,
            scanning: false,
            history: Vec::with_capacity(2 * PEAK_CONTEXT),
        }
    }

    fn add(&mut self, piece: &[f32]) {
        let highest = piece.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        self.sample_peak = self.sample_peak.max(highest);
        let hot = highest > 0.0 && highest >= PEAK_NEAR * self.sample_peak;
        if hot {
            if !self.scanning {
                self.meter.reset();
                self.meter
                    .seed_frames_f32(&self.history)
                    .expect("mono frames are valid");
            }
            self.scan(piece);
        } else if self.scanning {
            self.scan(&piece[..piece.len().min(PEAK_CONTEXT)]);
        }
        self.scanning = hot;
        self.history
            .extend_from_slice(&piece[piece.len().saturating_sub(PEAK_CONTEXT)..]);
        let excess = self.history.len().saturating_sub(PEAK_CONTEXT);
        self.history.drain(..excess);
    }

    fn scan(&mut self, samples: &[f32]) {
        self.meter
            .add_frames_f32(samples)
            .expect("mono frames are valid");
        let found = self.meter.prev_true_peak(0).expect("true peak is measured");
        self.true_peak = self.true_peak.max(found);
    }

    /// The highest true peak, dBTP.
    fn true_peak(&self) -> f64 {
        20.0 * self.true_peak.max(f64::from(self.sample_peak)).log10()
    }
}

/// BS.1770's loudness of a mean-square energy, and back.
fn energy_to_loudness(energy: f64) -> f64 {
    if energy <= 0.0 {
        f64::NEG_INFINITY
    } else {
        ebur128::energy_to_loudness(energy)
    }
}

fn loudness_to_energy(loudness: f64) -> f64 {
    if loudness == f64::NEG_INFINITY {
        0.0
    } else {
        10f64.powf((loudness + 0.691) / 10.0)
    }
}

/// Measures a whole clip.
pub fn measure(samples: &[f32], rate: u32) -> Loudness {
    let mut meter = Meter::new(rate);
    meter.add(samples);
    meter.loudness()
}

/// How a clip was brought to its target: its gain and resulting loudness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gained {
    /// The clip's loudness afterwards.
    pub loudness: Loudness,
    /// The gain applied before limiting, dB.
    pub gain_db: f64,
}

/// One pass over a clip: a gain, then the limiter if a ceiling is given,
/// then a second gain (only to give up loudness for the peak).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pass {
    /// Gain before the limiter, dB.
    pub gain_db: f64,
    /// The limiter's ceiling, dBTP, if it runs.
    pub ceiling_db: Option<f64>,
    /// Gain after the limiter, dB.
    pub after_db: f64,
    /// What the result measures, when that is known without measuring:
    /// then the pass need not measure.
    pub known: Option<Loudness>,
}

impl Pass {
    /// Applies the pass to a whole clip.
    pub fn apply(&self, samples: &mut [f32], rate: u32) {
        apply_gain(samples, self.gain_db);
        if let Some(ceiling) = self.ceiling_db {
            limiter::limit(samples, rate, ceiling);
        }
        apply_gain(samples, self.after_db);
    }
}

/// Brings `samples` to `target` with one gain and the limiter, and returns
/// the measurements of the result. Silence is left as it is.
pub fn master_loudness(samples: &mut [f32], rate: u32, target: Target) -> Gained {
    let before = measure(samples, rate);
    let original = samples.to_vec();
    let run = |pass: Pass| {
        samples.copy_from_slice(&original);
        pass.apply(samples, rate);
        Ok::<_, std::convert::Infallible>(pass.known.unwrap_or_else(|| measure(samples, rate)))
    };
    match master_loudness_in_passes(&before, target, run) {
        Ok(gained) => gained,
        Err(never) => match never {},
    }
}

/// Brings a clip measured as `before` to `target`: chooses the passes and
/// has `run` make each, from the clip as it was, and say what the result
/// measures. The last pass run is the result. A clip in memory runs them
/// in place ([`master_loudness`]); a long one streams each from its spill file.
pub fn master_loudness_in_passes<E>(
    before: &Loudness,
    target: Target,
    mut run: impl FnMut(Pass) -> Result<Loudness, E>,
) -> Result<Gained, E> {
    let gain_db = if before.integrated_lufs.is_finite() {
        target.integrated_lufs - before.integrated_lufs
    } else {
        0.0
    };
    // A gain moves every figure by itself (the range not at all), so when
    // the gained true peak stays under the limit the one measurement holds:
    // no limiter and no second pass. This is the usual case for speech at
    // -23 LUFS. (Blocks at the -70 LUFS absolute gate could cross it; they
    // carry a millionth of the energy and do not move the result.)
    if before.integrated_lufs.is_finite()
        && before.true_peak_dbtp + gain_db <= target.true_peak_dbtp - PEAK_SAFETY_DB
    {
        let loudness = run(Pass {
            gain_db,
            ceiling_db: None,
            after_db: 0.0,
            known: Some(before.gained(gain_db)),
        })?;
        return Ok(Gained { loudness, gain_db });
    }
    let mut correction = Correction::new(target, gain_db);
    let mut round = 0;
    let (mut pass, mut loudness) = loop {
        let pass = Pass {
            gain_db: correction.gain_db,
            ceiling_db: Some(correction.ceiling_db),
            after_db: 0.0,
            known: None,
        };
        let loudness = run(pass)?;
        round += 1;
        if correction.settle(&loudness, target) || round == MAX_ROUNDS {
            break (pass, loudness);
        }
    };
    // The peak is the hard limit: should the rounds not have met both, give
    // up loudness rather than exceed it.
    let peak_over = loudness.true_peak_dbtp - (target.true_peak_dbtp - PEAK_SAFETY_DB);
    if peak_over > 0.0 {
        pass.after_db = -peak_over;
        correction.gain_db -= peak_over;
        loudness = run(pass)?;
    }
    Ok(Gained {
        loudness,
        gain_db: correction.gain_db,
    })
}

/// The gain and limiter ceiling that bring a clip to a target, corrected
/// round by round from what the meter says of the result. Shared by single
/// clips and the streamed programme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correction {
    /// Gain applied before limiting, dB.
    pub gain_db: f64,
    /// The limiter's ceiling, dBTP.
    pub ceiling_db: f64,
}

impl Correction {
    /// The first round: `gain_db`, and a ceiling a margin under the target.
    pub fn new(target: Target, gain_db: f64) -> Correction {
        Correction {
            gain_db,
            ceiling_db: target.true_peak_dbtp - CEILING_MARGIN_DB,
        }
    }

    /// Whether `result` meets `target`; when it does not, corrects the gain
    /// and the ceiling for another round.
    pub fn settle(&mut self, result: &Loudness, target: Target) -> bool {
        let peak_over = result.true_peak_dbtp - (target.true_peak_dbtp - PEAK_SAFETY_DB);
        let loudness_off = target.integrated_lufs - result.integrated_lufs;
        let loud_enough = !loudness_off.is_finite() || loudness_off.abs() <= LOUDNESS_TOLERANCE_LU;
        if peak_over <= 0.0 && loud_enough {
            return true;
        }
        if peak_over > 0.0 {
            self.ceiling_db -= peak_over + 0.05;
        }
        if loudness_off.is_finite() {
            self.gain_db += loudness_off;
        }
        false
    }
}

/// Multiplies every sample by `gain_db` decibels.
pub fn apply_gain(samples: &mut [f32], gain_db: f64) {
    if gain_db == 0.0 {
        return;
    }
    let factor = 10f64.powf(gain_db / 20.0) as f32;
    for sample in samples {
        *sample *= factor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three seconds of a 1 kHz tone with a quiet passage, at `amplitude`.
    fn programme(rate: u32, amplitude: f32) -> Vec<f32> {
        (0..rate as usize * 3)
            .map(|i| {
                let t = i as f32 / rate as f32;
                let level = if (1.0..1.5).contains(&t) { 0.2 } else { 1.0 };
                amplitude * level * (std::f32::consts::TAU * 1000.0 * t).sin()
            })
            .collect()
    }

    #[test]
    fn a_full_scale_sine_reads_minus_three_lufs() {
        // EBU Tech 3341: a 0 dBFS 1 kHz sine on one channel is -3.01 LUFS.
        let sine: Vec<f32> = (0..48000 * 2)
            .map(|i| (std::f32::consts::TAU * 1000.0 * i as f32 / 48000.0).sin())
            .collect();
        let loudness = measure(&sine, 48000);
        assert!(
            (loudness.integrated_lufs + 3.01).abs() < 0.05,
            "{loudness:?}"
        );
        assert!(loudness.true_peak_dbtp.abs() < 0.1);
        assert!((loudness.max_momentary_lufs + 3.01).abs() < 0.1);
    }

    #[test]
    fn quiet_and_loud_clips_both_reach_the_target_under_the_peak_limit() {
        for (amplitude, target) in [(0.01, -23.0), (0.9, -23.0), (0.05, -16.0)] {
            let mut samples = programme(48000, amplitude);
            let target = Target {
                integrated_lufs: target,
                true_peak_dbtp: -1.0,
            };
            let result = master_loudness(&mut samples, 48000, target);
            let check = measure(&samples, 48000);
            assert_close(&check, &result.loudness);
            assert!(
                (check.integrated_lufs - target.integrated_lufs).abs() <= LOUDNESS_TOLERANCE_LU,
                "{amplitude}: {check:?}"
            );
            assert!(check.true_peak_dbtp <= -1.0 - PEAK_SAFETY_DB, "{check:?}");
        }
    }

    /// Every figure within a hundredth of a dB or LU.
    fn assert_close(a: &Loudness, b: &Loudness) {
        let pairs = [
            (a.integrated_lufs, b.integrated_lufs),
            (a.range_lu, b.range_lu),
            (a.true_peak_dbtp, b.true_peak_dbtp),
            (a.max_momentary_lufs, b.max_momentary_lufs),
            (a.max_short_term_lufs, b.max_short_term_lufs),
        ];
        for (x, y) in pairs {
            assert!((x - y).abs() < 0.01, "{a:?} against {b:?}");
        }
    }

    #[test]
    fn every_figure_matches_the_crates_own() {
        // Speech-like: a swept tone in bursts at levels that wander over
        // 30 dB, with silent gaps (under the absolute gate), 40 s.
        for rate in [48000u32, 44100, 22050] {
            let samples: Vec<f32> = (0..rate as usize * 40)
                .map(|i| {
                    let t = i as f32 / rate as f32;
                    let silent = (7.0..9.5).contains(&t) || (23.0..24.0).contains(&t);
                    let level = 0.02 + 0.6 * (0.17 * t).sin().abs() * (2.9 * t).sin().max(0.0);
                    let tone = level * (std::f32::consts::TAU * (300.0 + 40.0 * t) * t).sin();
                    if silent {
                        0.0
                    } else {
                        tone
                    }
                })
                .collect();
            let mode = ebur128::Mode::I | ebur128::Mode::S | ebur128::Mode::LRA;
            let mut crate_meter = ebur128::EbuR128::new(1, rate, mode).unwrap();
            let (mut momentary, mut short_term) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
            for step in samples.chunks((rate as usize + 5) / 10) {
                crate_meter.add_frames_f32(step).unwrap();
                momentary = momentary.max(crate_meter.loudness_momentary().unwrap());
                short_term = short_term.max(crate_meter.loudness_shortterm().unwrap());
            }
            let ours = measure(&samples, rate);
            let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
            assert!(close(ours.max_momentary_lufs, momentary), "{rate}");
            assert!(close(ours.max_short_term_lufs, short_term), "{rate}");
            let integrated = crate_meter.loudness_global().unwrap();
            assert!(close(ours.integrated_lufs, integrated), "{rate}: {ours:?}");
            let range = crate_meter.loudness_range().unwrap();
            assert!(range > 3.0, "the test signal has a range: {range}");
            assert!(close(ours.range_lu, range), "{rate}: {ours:?} vs {range}");
        }
    }

    #[test]
    fn true_peak_scanned_near_the_loudest_samples_is_the_crates_over_everything() {
        // Bursts at changing levels with a quarter-rate tone sampled at ±45°
        // late in the clip: its samples read 3 dB under its true peak.
        for rate in [48000u32, 22050] {
            let mut samples: Vec<f32> = (0..rate as usize * 6)
                .map(|i| {
                    let t = i as f32 / rate as f32;
                    let level = 0.1 + 0.5 * (1.3 * t).sin().abs();
                    level * (std::f32::consts::TAU * 440.0 * t).sin()
                })
                .collect();
            let at = rate as usize * 5;
            for (k, sample) in samples[at..at + 400].iter_mut().enumerate() {
                let phase = std::f32::consts::FRAC_PI_4 + std::f32::consts::FRAC_PI_2 * k as f32;
                *sample = 0.8 * phase.sin();
            }
            let sample_peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
            let mut whole = ebur128::EbuR128::new(1, rate, ebur128::Mode::TRUE_PEAK).unwrap();
            whole.add_frames_f32(&samples).unwrap();
            let expected = 20.0 * whole.true_peak(0).unwrap().log10();
            assert!(expected > 20.0 * f64::from(sample_peak).log10() + 2.0);
            for piece in [rate as usize / 10, 1234] {
                let mut meter = Meter::new(rate);
                for chunk in samples.chunks(piece) {
                    meter.add(chunk);
                }
                let found = meter.loudness().true_peak_dbtp;
                assert!(
                    (found - expected).abs() < 1e-9,
                    "{rate}: {found} vs {expected}"
                );
            }
        }
    }

    #[test]
    fn one_gain_without_limiting_is_measured_once_and_right() {
        // Quiet enough that the gained peak stays under the limit: the
        // figures are the first measurement moved by the gain, and a fresh
        // measurement of the result agrees.
        let mut samples = programme(48000, 0.02);
        let before = measure(&samples, 48000);
        let result = master_loudness(&mut samples, 48000, Target::default());
        assert!((result.gain_db - (-23.0 - before.integrated_lufs)).abs() < 1e-9);
        assert_close(&measure(&samples, 48000), &result.loudness);
    }

    #[test]
    fn an_unreachable_target_gives_way_to_the_peak_limit() {
        // A steady tone has a crest factor of 3 dB: under -1 dBTP it cannot
        // be louder than about -4 LUFS, and a limiter cannot make it so.
        let mut samples = programme(48000, 0.1);
        let target = Target {
            integrated_lufs: -2.0,
            true_peak_dbtp: -1.0,
        };
        let result = master_loudness(&mut samples, 48000, target);
        assert!(result.loudness.true_peak_dbtp <= -1.0 - PEAK_SAFETY_DB);
        assert!(samples.iter().all(|s| s.abs() < 0.9));
        assert!(result.loudness.integrated_lufs > -5.5, "{result:?}");
    }

    #[test]
    fn silence_stays_silent() {
        let mut samples = vec![0.0f32; 48000];
        let result = master_loudness(&mut samples, 48000, Target::default());
        assert!(samples.iter().all(|s| *s == 0.0));
        assert!(result.loudness.integrated_lufs.is_infinite());
    }

    #[test]
    fn streaming_in_odd_pieces_measures_the_same() {
        let samples = programme(44100, 0.3);
        let whole = measure(&samples, 44100);
        let mut meter = Meter::new(44100);
        for piece in samples.chunks(1234) {
            meter.add(piece);
        }
        assert_eq!(meter.loudness(), whole);
    }
}
