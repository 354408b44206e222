//! Publishing formats for listeners who do not use a playout system: MP3
//! and Opus files with tags and chapters, Podcasting 2.0 chapters and an
//! RSS podcast feed, all made from the mastered samples.
//!
//! Every encoder takes plain data (mono f32 samples in pieces, then
//! `finish`) and writes to any `Write`; none reads the clock or anything
//! else that changes between runs, so the same samples give the same bytes.

pub mod chapters;
pub mod feed;
pub mod mp3;
pub mod opus;
pub mod tags;

pub use chapters::Chapter;
pub use tags::Tags;

/// A file format an article can be published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The encoded bytes could not be written.
    #[error("cannot write the encoded audio")]
    Write(#[from] std::io::Error),
    /// The tags could not be written.
    #[error("cannot write the ID3 tag")]
    Id3(#[source] id3::Error),
}

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
pub(crate) fn test_signal(rate: u32, seconds: f64, click_at: usize) -> Vec<f32> {
    let n = (f64::from(rate) * seconds) as usize;
    let mut samples: Vec<f32> = (0..n)
        .map(|i| {
            let t = i as f64 / f64::from(rate);
            (0.1 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as f32
        })
        .collect();
    // Silence around the click, so its onset is unmistakable after decoding.
    let quiet = (rate / 10) as usize;
    for sample in &mut samples[click_at.saturating_sub(quiet)..(click_at + quiet).min(n)] {
        *sample = 0.0;
    }
    // A 1 kHz burst starting at its peak: inside every codec's band.
    for (offset, sample) in samples[click_at..click_at + 480].iter_mut().enumerate() {
        let t = offset as f64 / f64::from(rate);
        *sample = (0.8 * (2.0 * std::f64::consts::PI * 1000.0 * t).cos()) as f32;
    }
    samples
}

/// Where the first sample louder than `threshold` is.
#[cfg(test)]
pub(crate) fn onset(samples: &[f32], from: usize, threshold: f32) -> usize {
    from + samples[from..]
        .iter()
        .position(|s| s.abs() > threshold)
        .expect("an onset")
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
