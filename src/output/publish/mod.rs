//! Publishing formats for listeners who do not use a playout system: MP3
//! and Opus files with tags and chapters, Podcasting 2.0 chapters and an
//! RSS podcast feed, all made from the mastered samples.
//!
//! Every encoder takes plain data (mono f32 samples in pieces, then
//! `finish`) and writes to any `Write`; none reads the clock or anything
//! else that changes between runs, so the same samples give the same bytes.

pub mod chapters;
pub mod episode;
pub mod feed;
pub mod files;
pub mod mp3;
pub mod opus;
pub mod tags;

pub use chapters::Chapter;
pub use tags::Tags;

/// A file format an article can be published in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Broadcast WAV, for playout systems.
    Wav,
    /// MP3 (MPEG-1 Layer III, LAME), for podcast apps and DAISY players.
    Mp3,
    /// Opus in Ogg, small files for phones and the web.
    Opus,
}

impl Format {
    /// Every format, in the order files are listed.
    pub const ALL: [Format; 3] = [Format::Wav, Format::Mp3, Format::Opus];

    /// The name used on the command line and as the file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Wav => "wav",
            Format::Mp3 => "mp3",
            Format::Opus => "opus",
        }
    }

    /// The MIME type a feed's enclosure gives.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
            Format::Opus => "audio/ogg",
        }
    }
}

/// Why a publishing setting or an encoding failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A name in `--format` that is not a format.
    #[error("unknown format {name:?} in {list:?} (formats: wav, mp3, opus)")]
    UnknownFormat {
        /// The unknown name.
        name: String,
        /// The whole list as given.
        list: String,
    },
    /// A bitrate the codec cannot encode.
    #[error("{codec} bitrate {kbps} kbit/s is not one the codec encodes ({allowed})")]
    Bitrate {
        /// `MP3` or `Opus`.
        codec: &'static str,
        /// The bitrate asked for.
        kbps: u32,
        /// The bitrates the codec accepts, in words.
        allowed: &'static str,
    },
    /// A sample rate the codec cannot take.
    #[error("{codec} cannot encode {rate} Hz audio ({allowed})")]
    SampleRate {
        /// `MP3` or `Opus`.
        codec: &'static str,
        /// The bulletin's rate.
        rate: u32,
        /// The rates the codec accepts, in words.
        allowed: &'static str,
    },
    /// The encoder library refused its settings or the samples.
    #[error("{codec} encoder failed: {reason}")]
    Encoder {
        /// `MP3` or `Opus`.
        codec: &'static str,
        /// What the library said.
        reason: String,
    },
    /// `--podcast` without a format a feed can enclose.
    #[error("a podcast feed needs MP3 or Opus files: add mp3 or opus to --format")]
    PodcastWithoutAudio,
    /// A WAV file to encode could not be read.
    #[error("cannot read {path} to encode it: {reason}")]
    ReadWav {
        /// The WAV file.
        path: std::path::PathBuf,
        /// What the reader said.
        reason: String,
    },
    /// The encoded bytes could not be written.
    #[error("cannot write the encoded audio")]
    Write(#[from] std::io::Error),
    /// The tags could not be written.
    #[error("cannot write the ID3 tag")]
    Id3(#[source] id3::Error),
}

/// What to publish besides the broadcast WAV. Recorded in a shard's
/// manifest, so that `merge` publishes the programme and feed the same way.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishSettings {
    /// The formats of every article's file, in the order asked for.
    pub formats: Vec<Format>,
    /// MP3's constant bitrate, kbit/s.
    pub mp3_kbps: u32,
    /// Opus's target bitrate, kbit/s.
    pub opus_kbps: u32,
    /// The station, for the artist tags and the feed's author.
    pub station: Option<String>,
    /// The podcast feed to write, if any.
    pub podcast: Option<Podcast>,
}

impl Default for PublishSettings {
    fn default() -> Self {
        PublishSettings {
            formats: vec![Format::Wav],
            mp3_kbps: mp3::DEFAULT_KBPS,
            opus_kbps: opus::DEFAULT_KBPS,
            station: None,
            podcast: None,
        }
    }
}

/// The podcast feed's settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Podcast {
    /// Where the output folder is served from.
    pub base_url: feed::BaseUrl,
    /// The feed's title; by default taken from the inputs.
    pub title: Option<String>,
    /// The artwork: a URL, or a file name under the base URL.
    pub image: Option<String>,
    /// How many items the feed keeps, newest first.
    pub keep: usize,
}

impl PublishSettings {
    /// Refuses settings no file could be made with, before anything is
    /// rendered: bitrates the codecs lack, Opus at a rate other than 48
    /// kHz, a feed with no MP3 or Opus to enclose.
    pub fn check(&self, rate: u32) -> Result<(), PublishError> {
        if self.formats.contains(&Format::Mp3) {
            self.mp3(rate).check()?;
        }
        if self.formats.contains(&Format::Opus) {
            self.opus(rate).check()?;
        }
        if self.podcast.is_some() && self.feed_format().is_none() {
            return Err(PublishError::PodcastWithoutAudio);
        }
        Ok(())
    }

    /// Whether anything beyond the WAVs is published.
    pub fn publishes(&self) -> bool {
        self.formats.iter().any(|f| *f != Format::Wav) || self.podcast.is_some()
    }

    /// The MP3 settings at the bulletin's `rate`.
    pub fn mp3(&self, rate: u32) -> mp3::Mp3Settings {
        mp3::Mp3Settings {
            rate,
            kbps: self.mp3_kbps,
        }
    }

    /// The Opus settings at the bulletin's `rate`.
    pub fn opus(&self, rate: u32) -> opus::OpusSettings {
        opus::OpusSettings {
            rate,
            kbps: self.opus_kbps,
        }
    }

    /// The format a feed encloses: MP3 when made (every podcast app plays
    /// it), else Opus.
    pub fn feed_format(&self) -> Option<Format> {
        [Format::Mp3, Format::Opus]
            .into_iter()
            .find(|format| self.formats.contains(format))
    }
}

/// One encoder for any published format but WAV, fed in pieces.
pub enum Encoder<W: std::io::Write> {
    /// An MP3 file.
    Mp3(mp3::Mp3Writer<W>),
    /// An Ogg Opus file.
    Opus(opus::OpusWriter<W>),
}

impl<W: std::io::Write> Encoder<W> {
    /// Starts a `format` file at `rate` on `writer`; `None` for WAV, which
    /// the audio stage writes.
    pub fn new(
        format: Format,
        writer: W,
        settings: &PublishSettings,
        rate: u32,
        tags: &Tags,
        chapters: &[Chapter],
    ) -> Result<Option<Self>, PublishError> {
        Ok(match format {
            Format::Wav => None,
            Format::Mp3 => Some(Encoder::Mp3(mp3::Mp3Writer::new(
                writer,
                settings.mp3(rate),
                tags,
                chapters,
            )?)),
            Format::Opus => Some(Encoder::Opus(opus::OpusWriter::new(
                writer,
                settings.opus(rate),
                tags,
                chapters,
            )?)),
        })
    }

    /// Encodes the next samples.
    pub fn push(&mut self, samples: &[f32]) -> Result<(), PublishError> {
        match self {
            Encoder::Mp3(mp3) => mp3.push(samples),
            Encoder::Opus(opus) => opus.push(samples),
        }
    }

    /// Ends the file and hands the writer back.
    pub fn finish(self) -> Result<W, PublishError> {
        match self {
            Encoder::Mp3(mp3) => mp3.finish(),
            Encoder::Opus(opus) => opus.finish(),
        }
    }
}

/// Encodes a mono WAV file (the programme, an article already written) in
/// pieces, never holding it whole.
pub fn encode_wav_file<W: std::io::Write>(
    wav: &std::path::Path,
    format: Format,
    writer: W,
    settings: &PublishSettings,
    tags: &Tags,
    chapters: &[Chapter],
) -> Result<W, PublishError> {
    let mut reader = hound::WavReader::open(wav).map_err(|e| PublishError::ReadWav {
        path: wav.to_path_buf(),
        reason: e.to_string(),
    })?;
    let spec = reader.spec();
    let Some(mut encoder) =
        Encoder::new(format, writer, settings, spec.sample_rate, tags, chapters)?
    else {
        return Err(PublishError::ReadWav {
            path: wav.to_path_buf(),
            reason: "WAV is not an encoded format".into(),
        });
    };
    let scale = 1.0 / f64::from(1_u32 << (spec.bits_per_sample - 1));
    let mut piece = Vec::with_capacity(PIECE);
    let mut samples = reader.samples::<i32>();
    loop {
        piece.clear();
        for sample in samples.by_ref().take(PIECE) {
            let sample = sample.map_err(|e| PublishError::ReadWav {
                path: wav.to_path_buf(),
                reason: e.to_string(),
            })?;
            piece.push((f64::from(sample) * scale) as f32);
        }
        if piece.is_empty() {
            break;
        }
        encoder.push(&piece)?;
    }
    encoder.finish()
}

/// Samples read from a WAV file and encoded at a time.
const PIECE: usize = 1 << 16;

/// Reads a comma list of formats (`wav,mp3,opus`), in the order given,
/// each once.
pub fn parse_formats(list: &str) -> Result<Vec<Format>, PublishError> {
    let mut formats = Vec::new();
    for name in list.split(',').map(str::trim) {
        let format = Format::ALL
            .into_iter()
            .find(|format| format.extension().eq_ignore_ascii_case(name))
            .ok_or_else(|| PublishError::UnknownFormat {
                name: name.to_owned(),
                list: list.to_owned(),
            })?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    Ok(formats)
}

/// What ffprobe says of `bytes` written to a file named `name`: format,
/// streams and chapters, as JSON.
#[cfg(test)]
pub(crate) fn ffprobe(bytes: &[u8], name: &str) -> (tempfile::TempDir, serde_json::Value) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json"])
        .args(["-show_format", "-show_streams", "-show_chapters"])
        .arg(&path)
        .output()
        .expect("ffprobe runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (folder, serde_json::from_slice(&output.stdout).unwrap())
}

/// The chapters ffprobe lists: start time and title.
#[cfg(test)]
pub(crate) fn probed_chapters(probe: &serde_json::Value) -> Vec<(String, String)> {
    probe["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["start_time"].as_str().unwrap().to_owned(),
                c["tags"]["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Test audio: a 440 Hz tone at about −20 dBFS with a silent gap, and a
/// burst whose position a decoder must keep.
#[cfg(test)]
pub(crate) fn test_signal(rate: u32, seconds: f64, burst_at: usize) -> Vec<f32> {
    let n = (f64::from(rate) * seconds) as usize;
    let mut samples: Vec<f32> = (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(rate);
            (0.1 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as f32
        })
        .collect();
    // Silence around the burst, so its position is unmistakable after decoding.
    let quiet = (rate / 10) as usize;
    for sample in &mut samples[burst_at.saturating_sub(quiet)..(burst_at + quiet).min(n)] {
        *sample = 0.0;
    }
    // A 1 kHz burst starting at its peak: inside every codec's band.
    for (offset, sample) in samples[burst_at..burst_at + 480].iter_mut().enumerate() {
        let t = offset as f64 / f64::from(rate);
        *sample = (0.8 * (2.0 * std::f64::consts::PI * 1000.0 * t).cos()) as f32;
    }
    samples
}

/// How many samples `decoded` lags `original` around the burst at
/// `around`: the shift, within ±`max_lag`, that correlates them best. An
/// encoder delay left in the file shows as hundreds of samples.
#[cfg(test)]
pub(crate) fn lag(original: &[f32], decoded: &[f32], around: usize, max_lag: usize) -> isize {
    let window = around..around + 960;
    let score = |shift: isize| -> f64 {
        window
            .clone()
            .map(|i| {
                let j = i.checked_add_signed(shift).filter(|&j| j < decoded.len());
                f64::from(original[i]) * f64::from(j.map_or(0.0, |j| decoded[j]))
            })
            .sum()
    };
    let max_lag = max_lag as isize;
    (-max_lag..=max_lag)
        .max_by(|&a, &b| score(a).total_cmp(&score(b)))
        .expect("a lag")
}

/// Decodes any file ffmpeg reads to mono f32 at `rate`.
#[cfg(test)]
pub(crate) fn decode_with_ffmpeg(path: &std::path::Path, rate: u32) -> Vec<f32> {
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "f32le", "-ac", "1", "-ar", &rate.to_string(), "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
        .stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_cannot_make_a_file_are_refused() {
        let podcast = Podcast {
            base_url: feed::BaseUrl::parse("https://example.org/").unwrap(),
            title: None,
            image: None,
            keep: 50,
        };
        let with =
            |formats: &[Format], mp3_kbps, opus_kbps, podcast: Option<Podcast>| PublishSettings {
                formats: formats.to_vec(),
                mp3_kbps,
                opus_kbps,
                station: None,
                podcast,
            };
        let cases = [
            (with(&[Format::Wav], 56, 1, None), 48_000, true),
            (
                with(&[Format::Mp3, Format::Opus], 64, 32, None),
                48_000,
                true,
            ),
            (with(&[Format::Mp3], 56, 32, None), 48_000, false),
            (with(&[Format::Opus], 64, 600, None), 48_000, false),
            (with(&[Format::Opus], 64, 32, None), 44_100, false),
            (with(&[Format::Mp3], 64, 32, None), 44_100, true),
            (
                with(&[Format::Wav], 64, 32, Some(podcast.clone())),
                48_000,
                false,
            ),
            (
                with(&[Format::Wav, Format::Opus], 64, 32, Some(podcast)),
                48_000,
                true,
            ),
        ];
        for (settings, rate, ok) in cases {
            assert_eq!(settings.check(rate).is_ok(), ok, "{settings:?} at {rate}");
        }
    }

    #[test]
    fn a_wav_file_is_encoded_whole_in_pieces() {
        let folder = tempfile::tempdir().unwrap();
        let wav = folder.path().join("a.wav");
        let samples = test_signal(48_000, 3.0, 100_000);
        // The broadcast WAV as the audio stage writes it, `bext` and all.
        let pcm = crate::audio::Pcm {
            sample_rate: 48_000,
            samples: samples.clone(),
        };
        let metadata = crate::audio::wav::Metadata {
            title: "Programme".into(),
            reference: "programme".into(),
            stamp: crate::audio::wav::Stamp::from_unix(0),
        };
        let file = std::fs::File::create(&wav).unwrap();
        crate::audio::wav::write_wav(file, &pcm, 24, &metadata, None).unwrap();
        let settings = PublishSettings::default();
        let tags = Tags {
            title: "Programme".into(),
            ..Tags::default()
        };
        for (format, name) in [(Format::Mp3, "a.mp3"), (Format::Opus, "a.opus")] {
            let bytes = encode_wav_file(&wav, format, Vec::new(), &settings, &tags, &[]).unwrap();
            let path = folder.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let decoded = decode_with_ffmpeg(&path, 48_000);
            assert_eq!(decoded.len(), samples.len(), "{name}");
        }
        let missing = encode_wav_file(
            &folder.path().join("none.wav"),
            Format::Mp3,
            Vec::new(),
            &settings,
            &tags,
            &[],
        );
        assert!(matches!(missing, Err(PublishError::ReadWav { .. })));
    }

    #[test]
    fn format_lists() {
        let cases: [(&str, Option<&[Format]>); 6] = [
            ("wav", Some(&[Format::Wav])),
            (
                "wav,mp3,opus",
                Some(&[Format::Wav, Format::Mp3, Format::Opus]),
            ),
            ("MP3, opus", Some(&[Format::Mp3, Format::Opus])),
            ("mp3,mp3", Some(&[Format::Mp3])),
            ("flac", None),
            ("wav,", None),
        ];
        for (list, expected) in cases {
            let parsed = parse_formats(list).ok();
            assert_eq!(parsed.as_deref(), expected, "{list}");
        }
    }
}
