//! Writes bulletins as 16-bit mono WAV with hound.

use std::io::{Seek, Write};

use super::Pcm;

/// Writes `pcm` as 16-bit mono WAV to `writer`, clamping to full scale.
pub fn write_wav<W: Write + Seek>(writer: W, pcm: &Pcm) -> Result<(), hound::Error> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: pcm.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut wav = hound::WavWriter::new(writer, spec)?;
    for &sample in &pcm.samples {
        wav.write_sample((sample.clamp(-1.0, 1.0) * 32767.0).round() as i16)?;
    }
    wav.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_hound() {
        let pcm = Pcm {
            sample_rate: 22050,
            samples: vec![0.0, 0.5, -1.0, 2.0],
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        write_wav(&mut bytes, &pcm).unwrap();
        bytes.set_position(0);
        let mut reader = hound::WavReader::new(bytes).unwrap();
        assert_eq!(reader.spec().sample_rate, 22050);
        let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
        assert_eq!(samples, vec![0, 16384, -32767, 32767]);
    }
}
