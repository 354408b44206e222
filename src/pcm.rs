//! Mono audio as f32 samples, shared by every stage that handles sound: the
//! voice stage makes it, the audio stage masters it, the cache stores it.
//! It depends on nothing else in the crate.

/// Mono audio at a sample rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm {
    /// Samples per second.
    pub sample_rate: u32,
    /// Mono samples in -1..1.
    pub samples: Vec<f32>,
}

impl Pcm {
    /// Length in seconds.
    pub fn duration_s(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }

    /// 16-bit samples as audio.
    pub fn from_i16(sample_rate: u32, samples: &[i16]) -> Pcm {
        Pcm {
            sample_rate,
            samples: samples.iter().map(|&s| f32::from(s) / 32768.0).collect(),
        }
    }

    /// Reads a 16-bit mono WAV as engines write it to a pipe. Engines that
    /// stream do not know the length up front and fill the size fields with
    /// placeholders, so the data chunk runs to the end of the bytes.
    pub fn from_wav_bytes(bytes: &[u8]) -> Result<Pcm, String> {
        if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err("the engine did not return WAV audio".into());
        }
        let mut position = 12;
        let mut format: Option<(u16, u16, u32, u16)> = None;
        while position + 8 <= bytes.len() {
            let id = &bytes[position..position + 4];
            let size = u32::from_le_bytes(
                bytes[position + 4..position + 8]
                    .try_into()
                    .expect("4 bytes"),
            ) as usize;
            let body = position + 8;
            if id == b"fmt " && body + 16 <= bytes.len() {
                let field =
                    |at: usize| u16::from_le_bytes([bytes[body + at], bytes[body + at + 1]]);
                let rate =
                    u32::from_le_bytes(bytes[body + 4..body + 8].try_into().expect("4 bytes"));
                format = Some((field(0), field(2), rate, field(14)));
            } else if id == b"data" {
                let (tag, channels, rate, bits) =
                    format.ok_or("WAV data came before its format")?;
                if tag != 1 || channels != 1 || bits != 16 {
                    return Err(format!(
                        "unsupported WAV format (tag {tag}, {channels} channels, {bits} bits)"
                    ));
                }
                let end = body.saturating_add(size).min(bytes.len());
                let samples: Vec<i16> = bytes[body..end]
                    .chunks_exact(2)
                    .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                    .collect();
                return Ok(Pcm::from_i16(rate, &samples));
            }
            position = body.saturating_add(size + size % 2);
        }
        Err("the engine's WAV holds no audio data".into())
    }
}

#[cfg(test)]
mod tests {
    use super::Pcm;

    fn wav(samples: &[i16], data_size: u32) -> Vec<u8> {
        let mut bytes = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        bytes.extend(16u32.to_le_bytes());
        bytes.extend(1u16.to_le_bytes());
        bytes.extend(1u16.to_le_bytes());
        bytes.extend(22050u32.to_le_bytes());
        bytes.extend(44100u32.to_le_bytes());
        bytes.extend(2u16.to_le_bytes());
        bytes.extend(16u16.to_le_bytes());
        bytes.extend(b"data");
        bytes.extend(data_size.to_le_bytes());
        for s in samples {
            bytes.extend(s.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn reads_streamed_wav_with_placeholder_size() {
        let pcm = Pcm::from_wav_bytes(&wav(&[0, 16384, -32768], 0x7fff_fff0)).unwrap();
        assert_eq!(pcm.sample_rate, 22050);
        assert_eq!(pcm.samples, vec![0.0, 0.5, -1.0]);
    }

    #[test]
    fn refuses_non_wav() {
        assert!(Pcm::from_wav_bytes(b"espeak: error").is_err());
    }
}
