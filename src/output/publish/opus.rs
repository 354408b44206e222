//! Opus in Ogg (RFC 7845): 48 kHz mono VBR from libopus, `OpusHead` with
//! the encoder's pre-skip and `OpusTags` with the tags and chapters, and granule
//! positions that make the decoded length the pushed length.

use super::tags::{vorbis_comments, Tags};
use super::{Chapter, PublishError};
use ogg::{PacketWriteEndInfo, PacketWriter};
use std::io::Write;

/// The default bitrate: clear speech at a size phones download easily.
pub const DEFAULT_KBPS: u32 = 32;
/// Opus only runs at 48 kHz here (its granule positions always count at 48
/// kHz); a 44.1 kHz bulletin would need resampling first.
pub const RATE: u32 = 48_000;
/// The bitrates libopus encodes, in kbit/s.
const KBPS_RANGE: std::ops::RangeInclusive<u32> = 6..=510;
/// 20 ms frames: the usual size for speech and music.
const FRAME: usize = 960;
/// libopus's effort, 0 to 10. At 32 kbit/s speech, 10 costs about four
/// times the CPU of 5 for no difference a listener hears, and encoding must
/// fit beside synthesis in the same pool.
const COMPLEXITY: i32 = 5;
/// The largest packet libopus is asked to make (its own recommended bound).
const MAX_PACKET: usize = 4000;

/// How an Opus file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpusSettings {
    /// The sample rate of the samples: must be 48000.
    pub rate: u32,
    /// The target of variable bitrate, in kbit/s.
    pub kbps: u32,
}

impl OpusSettings {
    /// Refuses a rate or bitrate libopus does not take.
    pub fn check(self) -> Result<(), PublishError> {
        if self.rate != RATE {
            return Err(PublishError::SampleRate {
                codec: "Opus",
                rate: self.rate,
                allowed: "48000 Hz",
            });
        }
        if !KBPS_RANGE.contains(&self.kbps) {
            return Err(PublishError::Bitrate {
                codec: "Opus",
                kbps: self.kbps,
                allowed: "6 to 510",
            });
        }
        Ok(())
    }
}

fn opus_error(error: &opus::Error) -> PublishError {
    PublishError::Encoder {
        codec: "Opus",
        reason: error.to_string(),
    }
}

/// Encodes mono samples pushed in pieces into one Ogg Opus file, writing
/// pages as they fill.
pub struct OpusWriter<W: Write> {
    pages: PacketWriter<'static, W>,
    encoder: opus::Encoder,
    serial: u32,
    pre_skip: u64,
    /// Samples not yet a whole frame.
    pending: Vec<f32>,
    /// Samples pushed so far.
    pushed: u64,
    /// Samples encoded so far, pre-skip included: the granule position.
    encoded: u64,
    /// The last packet, held back: only at `finish` is it known whether it
    /// ends the stream.
    held: Option<Vec<u8>>,
}

impl<W: Write> OpusWriter<W> {
    /// Starts a file: checks the settings and writes the two header pages.
    pub fn new(
        writer: W,
        settings: OpusSettings,
        tags: &Tags,
        chapters: &[Chapter],
    ) -> Result<Self, PublishError> {
        settings.check()?;
        let mut encoder = opus::Encoder::new(RATE, opus::Channels::Mono, opus::Application::Audio)
            .map_err(|e| opus_error(&e))?;
        encoder
            .set_bitrate(opus::Bitrate::Bits(settings.kbps as i32 * 1000))
            .map_err(|e| opus_error(&e))?;
        encoder.set_vbr(true).map_err(|e| opus_error(&e))?;
        encoder
            .set_complexity(COMPLEXITY)
            .map_err(|e| opus_error(&e))?;
        let pre_skip = u64::try_from(encoder.get_lookahead().map_err(|e| opus_error(&e))?)
            .expect("a lookahead is not negative");
        // The stream's serial number only has to differ between streams of
        // one file; derived from the tags, it stays the same on a re-run.
        let digest = blake3::hash(format!("{tags:?}").as_bytes());
        let serial = u32::from_le_bytes(digest.as_bytes()[..4].try_into().expect("4 bytes"));
        let mut pages = PacketWriter::new(writer);
        pages.write_packet(
            opus_head(pre_skip as u16),
            serial,
            PacketWriteEndInfo::EndPage,
            0,
        )?;
        pages.write_packet(
            opus_tags(tags, chapters),
            serial,
            PacketWriteEndInfo::EndPage,
            0,
        )?;
        Ok(OpusWriter {
            pages,
            encoder,
            serial,
            pre_skip,
            pending: Vec::with_capacity(FRAME),
            pushed: 0,
            encoded: 0,
            held: None,
        })
    }

    /// Encodes the next samples (−1.0 to 1.0).
    pub fn push(&mut self, mut samples: &[f32]) -> Result<(), PublishError> {
        self.pushed += samples.len() as u64;
        while !samples.is_empty() {
            let take = (FRAME - self.pending.len()).min(samples.len());
            self.pending.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.pending.len() == FRAME {
                self.encode_pending()?;
            }
        }
        Ok(())
    }

    fn encode_pending(&mut self) -> Result<(), PublishError> {
        let packet = self
            .encoder
            .encode_vec_float(&self.pending, MAX_PACKET)
            .map_err(|e| opus_error(&e))?;
        self.pending.clear();
        if let Some(previous) = self.held.replace(packet) {
            self.pages.write_packet(
                previous,
                self.serial,
                PacketWriteEndInfo::NormalPacket,
                self.encoded,
            )?;
        }
        self.encoded += FRAME as u64;
        Ok(())
    }

    /// Encodes silence until the encoder's delay has passed the last pushed
    /// sample, then ends the stream at exactly that sample.
    pub fn finish(mut self) -> Result<W, PublishError> {
        let end = self.pre_skip + self.pushed;
        while self.encoded < end || !self.pending.is_empty() {
            self.pending.resize(FRAME, 0.0);
            self.encode_pending()?;
        }
        let last = self.held.take().unwrap_or_default();
        // The final granule position is below the samples encoded: decoders
        // drop the padding after it (RFC 7845, section 4.4).
        self.pages
            .write_packet(last, self.serial, PacketWriteEndInfo::EndStream, end)?;
        let mut writer = self.pages.into_inner();
        writer.flush()?;
        Ok(writer)
    }
}

/// The identification header (RFC 7845, section 5.1): one channel, no
/// output gain, the pre-skip, 48 kHz as the input rate.
fn opus_head(pre_skip: u16) -> Vec<u8> {
    let mut head = b"OpusHead".to_vec();
    head.push(1);
    head.push(1);
    head.extend_from_slice(&pre_skip.to_le_bytes());
    head.extend_from_slice(&RATE.to_le_bytes());
    head.extend_from_slice(&0_i16.to_le_bytes());
    head.push(0);
    head
}

/// The comment header (RFC 7845, section 5.2).
fn opus_tags(tags: &Tags, chapters: &[Chapter]) -> Vec<u8> {
    let mut header = b"OpusTags".to_vec();
    let push_string = |header: &mut Vec<u8>, text: &str| {
        header.extend_from_slice(&(text.len() as u32).to_le_bytes());
        header.extend_from_slice(text.as_bytes());
    };
    push_string(&mut header, &format!("bulletin, {}", opus::version()));
    let comments = vorbis_comments(tags, chapters);
    header.extend_from_slice(&(comments.len() as u32).to_le_bytes());
    for (key, value) in comments {
        push_string(&mut header, &format!("{key}={value}"));
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::publish::{decode_with_ffmpeg, ffprobe, lag, probed_chapters, test_signal};

    fn encode(samples: &[f32], kbps: u32, chapters: &[Chapter]) -> Vec<u8> {
        let tags = Tags {
            title: "标题 ]]> & <".into(),
            album: Some("Run".into()),
            date: Some("2024-05-17".into()),
            track: Some(2),
            loudness_lufs: Some(-23.0),
            ..Tags::default()
        };
        let settings = OpusSettings { rate: RATE, kbps };
        let mut opus = OpusWriter::new(Vec::new(), settings, &tags, chapters).unwrap();
        for piece in samples.chunks(7_001) {
            opus.push(piece).unwrap();
        }
        opus.finish().unwrap()
    }

    #[test]
    fn settings_libopus_cannot_take_are_refused() {
        let cases = [
            (48_000, 32, true),
            (48_000, 6, true),
            (48_000, 510, true),
            (48_000, 5, false),
            (48_000, 511, false),
            (44_100, 32, false),
        ];
        for (rate, kbps, ok) in cases {
            assert_eq!(
                OpusSettings { rate, kbps }.check().is_ok(),
                ok,
                "{rate} {kbps}"
            );
        }
    }

    #[test]
    fn ffprobe_reads_exact_duration_tags_and_chapters_and_samples_stay_in_place() {
        // Lengths on, just after and just before a frame boundary.
        for seconds in [3.0, 3.0 + 1.0 / 48_000.0, 2.5 - 1.0 / 48_000.0] {
            let burst_at = 96_123;
            let samples = test_signal(RATE, seconds, burst_at);
            let chapters = [Chapter::new("一", 0.0, 1.0), Chapter::new("二", 1.0, 2.0)];
            let bytes = encode(&samples, 32, &chapters);
            let (folder, probe) = ffprobe(&bytes, "a.opus");
            let path = folder.path().join("a.opus");
            assert_eq!(probe["format"]["format_name"], "ogg");
            let stream = &probe["streams"][0];
            assert_eq!(stream["codec_name"], "opus");
            assert_eq!(stream["channels"], 1);
            let tags = &stream["tags"];
            assert_eq!(tags["TITLE"], "标题 ]]> & <");
            assert_eq!(tags["ALBUM"], "Run");
            assert_eq!(tags["track"], "2");
            assert_eq!(tags["R128_TRACK_GAIN"], "0");
            let chapters = probed_chapters(&probe);
            assert_eq!(
                chapters,
                [
                    ("0.000000".to_owned(), "一".to_owned()),
                    ("1.000000".to_owned(), "二".to_owned())
                ]
            );

            let decoded = decode_with_ffmpeg(&path, RATE);
            assert_eq!(decoded.len(), samples.len(), "{seconds}");
            let lag = lag(&samples, &decoded, burst_at, 2000);
            assert!(lag.abs() <= 1, "decoded {lag} samples late");
        }
    }

    #[test]
    fn the_same_samples_give_the_same_bytes() {
        let samples = test_signal(RATE, 1.0, 10_000);
        assert_eq!(encode(&samples, 32, &[]), encode(&samples, 32, &[]));
    }
}
