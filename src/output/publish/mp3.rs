//! MP3 through LAME: constant bitrate mono at the bulletin's rate, an
//! ID3v2.4 tag in front, and LAME's Info/LAME header as the first frame so
//! decoders drop the encoder delay and padding and durations stay exact.

use super::tags::{write_id3, Tags};
use super::{Chapter, PublishError};
use mp3lame_encoder::{Bitrate, Builder, FlushGap, Mode, MonoPcm, Quality, VbrMode};
use std::io::Write;

/// The default bitrate: speech-quality mono that podcast apps and DAISY
/// players stream easily.
pub const DEFAULT_KBPS: u32 = 64;

/// The constant bitrates MPEG-1 Layer III has at 44.1 and 48 kHz.
const BITRATES: [(u32, Bitrate); 13] = [
    (32, Bitrate::Kbps32),
    (40, Bitrate::Kbps40),
    (48, Bitrate::Kbps48),
    (64, Bitrate::Kbps64),
    (80, Bitrate::Kbps80),
    (96, Bitrate::Kbps96),
    (112, Bitrate::Kbps112),
    (128, Bitrate::Kbps128),
    (160, Bitrate::Kbps160),
    (192, Bitrate::Kbps192),
    (224, Bitrate::Kbps224),
    (256, Bitrate::Kbps256),
    (320, Bitrate::Kbps320),
];
const BITRATES_IN_WORDS: &str = "32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256 or 320";

/// Samples handed to LAME at once, so its output buffer stays small.
const PIECE: usize = 1152 * 16;

/// How an MP3 file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mp3Settings {
    /// The sample rate of the samples and the file: 44100 or 48000.
    pub rate: u32,
    /// The constant bitrate in kbit/s.
    pub kbps: u32,
}

impl Mp3Settings {
    /// Refuses a rate or bitrate MPEG-1 Layer III does not have.
    pub fn check(self) -> Result<Bitrate, PublishError> {
        if ![44_100, 48_000].contains(&self.rate) {
            return Err(PublishError::SampleRate {
                codec: "MP3",
                rate: self.rate,
                allowed: "44100 or 48000 Hz",
            });
        }
        BITRATES
            .iter()
            .find(|(kbps, _)| *kbps == self.kbps)
            .map(|(_, bitrate)| *bitrate)
            .ok_or(PublishError::Bitrate {
                codec: "MP3",
                kbps: self.kbps,
                allowed: BITRATES_IN_WORDS,
            })
    }
}

fn lame_error(reason: impl std::fmt::Display) -> PublishError {
    PublishError::Encoder {
        codec: "MP3",
        reason: reason.to_string(),
    }
}

/// Encodes mono samples pushed in pieces into one MP3 file.
///
/// The ID3 tag is written at once; the MP3 frames are kept until
/// [`Mp3Writer::finish`], because the first frame is LAME's header, which
/// counts every frame after it. They are about a twenty-fourth of the
/// samples' size at 64 kbit/s.
pub struct Mp3Writer<W: Write> {
    writer: W,
    encoder: mp3lame_encoder::Encoder,
    frames: Vec<u8>,
}

impl<W: Write> Mp3Writer<W> {
    /// Starts a file: checks the settings, writes the tag with its
    /// chapters, and readies LAME.
    pub fn new(
        mut writer: W,
        settings: Mp3Settings,
        tags: &Tags,
        chapters: &[Chapter],
    ) -> Result<Self, PublishError> {
        let bitrate = settings.check()?;
        let mut builder = Builder::new().ok_or_else(|| lame_error("cannot allocate"))?;
        builder.set_num_channels(1).map_err(lame_error)?;
        builder.set_sample_rate(settings.rate).map_err(lame_error)?;
        builder
            .set_output_sample_rate(std::num::NonZeroU32::new(settings.rate))
            .map_err(lame_error)?;
        builder.set_mode(Mode::Mono).map_err(lame_error)?;
        builder.set_vbr_mode(VbrMode::Off).map_err(lame_error)?;
        builder.set_brate(bitrate).map_err(lame_error)?;
        builder.set_quality(Quality::Good).map_err(lame_error)?;
        builder.set_to_write_vbr_tag(true).map_err(lame_error)?;
        let encoder = builder.build().map_err(lame_error)?;
        write_id3(&mut writer, tags, chapters).map_err(PublishError::Id3)?;
        Ok(Mp3Writer {
            writer,
            encoder,
            frames: Vec::new(),
        })
    }

    /// Encodes the next samples (−1.0 to 1.0).
    pub fn push(&mut self, samples: &[f32]) -> Result<(), PublishError> {
        for piece in samples.chunks(PIECE) {
            self.frames
                .reserve(mp3lame_encoder::max_required_buffer_size(piece.len()));
            self.encoder
                .encode_to_vec(MonoPcm(piece), &mut self.frames)
                .map_err(lame_error)?;
        }
        Ok(())
    }

    /// Encodes what LAME holds back, puts the final LAME header in the
    /// first frame, and writes the frames.
    pub fn finish(mut self) -> Result<W, PublishError> {
        self.frames.reserve(7200);
        self.encoder
            .flush_to_vec::<FlushGap>(&mut self.frames)
            .map_err(lame_error)?;
        let mut header = Vec::with_capacity(self.encoder.lame_tag_size());
        self.encoder.lame_tag_encode_to_vec(&mut header);
        if header.is_empty() || header.len() > self.frames.len() {
            return Err(lame_error("no room for the LAME header frame"));
        }
        self.frames[..header.len()].copy_from_slice(&header);
        self.writer.write_all(&self.frames)?;
        Ok(self.writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::publish::{decode_with_ffmpeg, ffprobe, lag, probed_chapters, test_signal};

    fn encode(samples: &[f32], settings: Mp3Settings, chapters: &[Chapter]) -> Vec<u8> {
        let tags = Tags {
            title: "Title <&>".into(),
            artist: Some("Station".into()),
            date: Some("2024-05-17".into()),
            track: Some(3),
            loudness_lufs: Some(-16.0),
            ..Tags::default()
        };
        let mut mp3 = Mp3Writer::new(Vec::new(), settings, &tags, chapters).unwrap();
        // Uneven pieces, as a streaming stage hands them over.
        for piece in samples.chunks(10_007) {
            mp3.push(piece).unwrap();
        }
        mp3.finish().unwrap()
    }

    #[test]
    fn bitrates_and_rates_outside_mpeg1_are_refused() {
        let cases = [
            (48_000, 64, true),
            (44_100, 320, true),
            (48_000, 56, false),
            (48_000, 8, false),
            (48_000, 1000, false),
            (22_050, 64, false),
        ];
        for (rate, kbps, ok) in cases {
            assert_eq!(
                Mp3Settings { rate, kbps }.check().is_ok(),
                ok,
                "{rate} {kbps}"
            );
        }
    }

    #[test]
    fn ffprobe_reads_exact_duration_tags_and_chapters_and_samples_stay_in_place() {
        for rate in [48_000_u32, 44_100] {
            let burst_at = rate as usize * 2 + 123;
            let samples = test_signal(rate, 3.5, burst_at);
            let chapters = [Chapter::new("A", 0.0, 2.0), Chapter::new("B", 2.0, 3.5)];
            let bytes = encode(&samples, Mp3Settings { rate, kbps: 64 }, &chapters);
            let (folder, probe) = ffprobe(&bytes, "a.mp3");
            let path = folder.path().join("a.mp3");
            assert_eq!(probe["format"]["format_name"], "mp3");
            assert_eq!(probe["streams"][0]["channels"], 1);
            assert_eq!(probe["streams"][0]["sample_rate"], rate.to_string());
            let tags = &probe["format"]["tags"];
            assert_eq!(tags["title"], "Title <&>");
            assert_eq!(tags["artist"], "Station");
            assert_eq!(tags["track"], "3");
            assert_eq!(tags["REPLAYGAIN_TRACK_GAIN"], "-2.00 dB");
            let chapters = probed_chapters(&probe);
            assert_eq!(chapters[0], ("0.000000".to_owned(), "A".to_owned()));
            assert_eq!(chapters[1], ("2.000000".to_owned(), "B".to_owned()));

            // LAME's header removes delay and padding: the decoded length is
            // the pushed length, and the burst sits where it was pushed.
            let decoded = decode_with_ffmpeg(&path, rate);
            assert_eq!(decoded.len(), samples.len(), "{rate}");
            let lag = lag(&samples, &decoded, burst_at, 2000);
            assert!(lag.abs() <= 1, "{rate}: decoded {lag} samples late");
        }
    }

    #[test]
    fn the_same_samples_give_the_same_bytes() {
        let samples = test_signal(48_000, 1.0, 10_000);
        let settings = Mp3Settings {
            rate: 48_000,
            kbps: 64,
        };
        assert_eq!(
            encode(&samples, settings, &[]),
            encode(&samples, settings, &[])
        );
    }
}
