//! Short fades at the edges of every segment, so that no join clicks.
//!
//! Trimming cuts engine output where it first and last becomes audible, and
//! resampling a cut clip leaves a step at each end. A step against silence
//! is a click. A few milliseconds of raised-cosine fade is too short to hear
//! as a fade but removes the step: the gain starts and ends near zero with a
//! zero slope.

/// Fade length at each edge, in milliseconds.
pub const FADE_MS: u32 = 5;

/// The number of samples a fade lasts at `rate`.
pub fn fade_len(rate: u32) -> usize {
    (u64::from(rate) * u64::from(FADE_MS) / 1000) as usize
}

/// Fades `samples` in over its first `len` samples and out over its last
/// `len`. A segment shorter than two fades is faded over half its length
/// each way.
pub fn fade_edges(samples: &mut [f32], len: usize) {
    let len = len.min(samples.len() / 2);
    let total = samples.len();
    for i in 0..len {
        let gain = fade_gain(i, len);
        samples[i] *= gain;
        samples[total - 1 - i] *= gain;
    }
}

/// The gain of sample `i` of a fade-in of `len` samples: a half cosine from
/// just above 0 to just below 1, sampled at the middle of each sample.
fn fade_gain(i: usize, len: usize) -> f32 {
    let phase = (i as f64 + 0.5) / len as f64;
    (0.5 - 0.5 * (std::f64::consts::PI * phase).cos()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // untouched means bit for bit
    fn edges_start_and_end_near_silence_and_the_middle_is_untouched() {
        let mut samples = vec![1.0f32; 1000];
        fade_edges(&mut samples, 100);
        assert!(samples[0] < 0.001 && samples[999] < 0.001);
        assert!(samples[100..900].iter().all(|s| *s == 1.0));
        // Rising, symmetric, and reaching the middle at half the fade.
        assert!(samples[..100].windows(2).all(|w| w[0] < w[1]));
        assert!((samples[49] + samples[50] - 1.0).abs() < 1e-6);
        for i in 0..100 {
            assert_eq!(samples[i], samples[999 - i]);
        }
    }

    #[test]
    fn a_full_scale_step_becomes_small_steps() {
        let mut samples = vec![0.9f32; 500];
        fade_edges(&mut samples, fade_len(48000));
        let mut padded = vec![0.0f32; 10];
        padded.extend(&samples);
        padded.extend([0.0; 10]);
        let jump = padded
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max);
        assert!(jump < 0.01, "largest step {jump}");
    }

    #[test]
    #[allow(clippy::float_cmp)] // untouched means bit for bit
    fn short_segments_fade_over_half_their_length() {
        let mut samples = vec![1.0f32; 7];
        fade_edges(&mut samples, 240);
        assert!(samples[0] < 0.2 && samples[6] < 0.2);
        assert_eq!(samples[3], 1.0);
        fade_edges(&mut [], 240);
    }

    #[test]
    fn five_milliseconds_at_each_rate() {
        assert_eq!(fade_len(48000), 240);
        assert_eq!(fade_len(44100), 220);
    }
}
