//! Subtitles beside every WAV, `.srt` and `.vtt`, one cue per spoken
//! sentence (the headline too), timed from the same sample spans the
//! manifest records, rounded to the millisecond both formats carry.

use std::fmt::Write;

/// One sentence on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue<'a> {
    /// First sample of the sentence.
    pub start: usize,
    /// One past its last sample.
    pub end: usize,
    /// The sentence as written.
    pub text: &'a str,
}

/// `SubRip`: numbered cues, `hh:mm:ss,mmm` times.
pub fn srt(cues: &[Cue<'_>], rate: u32) -> String {
    let mut out = String::new();
    for (index, cue) in cues.iter().enumerate() {
        let _ = write!(
            out,
            "{}\n{} --> {}\n{}\n\n",
            index + 1,
            timestamp(cue.start, rate, ','),
            timestamp(cue.end, rate, ','),
            one_line(cue.text)
        );
    }
    out
}

/// `WebVTT`: a `WEBVTT` header, `hh:mm:ss.mmm` times, text with `&`, `<` and
/// `>` escaped.
pub fn vtt(cues: &[Cue<'_>], rate: u32) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for (index, cue) in cues.iter().enumerate() {
        let text = one_line(cue.text)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let _ = write!(
            out,
            "{}\n{} --> {}\n{text}\n\n",
            index + 1,
            timestamp(cue.start, rate, '.'),
            timestamp(cue.end, rate, '.')
        );
    }
    out
}

/// Whole milliseconds from the start, rounded to nearest.
pub fn millis(sample: usize, rate: u32) -> u64 {
    let rate = u64::from(rate);
    (sample as u64 * 1000 + rate / 2) / rate
}

fn timestamp(sample: usize, rate: u32, separator: char) -> String {
    let ms = millis(sample, rate);
    format!(
        "{:02}:{:02}:{:02}{separator}{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A blank line ends a cue in both formats, so text stays on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Vec<Cue<'static>> {
        vec![
            Cue {
                start: 12_000,
                end: 60_000,
                text: "辽源火车站加开班次",
            },
            Cue {
                start: 172_799_952,
                end: 172_800_000,
                text: "A <b>&\nsecond line",
            },
        ]
    }

    #[test]
    fn srt_numbers_cues_with_comma_times() {
        assert_eq!(
            srt(&cues(), 48000),
            "1\n00:00:00,250 --> 00:00:01,250\n辽源火车站加开班次\n\n\
             2\n00:59:59,999 --> 01:00:00,000\nA <b>& second line\n\n"
        );
    }

    #[test]
    fn vtt_has_a_header_dot_times_and_escaped_text() {
        assert_eq!(
            vtt(&cues(), 48000),
            "WEBVTT\n\n1\n00:00:00.250 --> 00:00:01.250\n辽源火车站加开班次\n\n\
             2\n00:59:59.999 --> 01:00:00.000\nA &lt;b&gt;&amp; second line\n\n"
        );
    }

    #[test]
    fn milliseconds_round_to_nearest() {
        assert_eq!(millis(22, 44100), 0);
        assert_eq!(millis(23, 44100), 1);
        assert_eq!(millis(44100, 44100), 1000);
    }
}
