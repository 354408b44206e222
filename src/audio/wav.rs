//! Broadcast WAV: PCM mono with a `bext` chunk (EBU Tech 3285 version 2)
//! and a `LIST/INFO` chunk, written by hand because hound writes neither.
//!
//! The layout is `RIFF/WAVE`, `fmt `, `bext`, `LIST`, `data`: metadata
//! before the audio, as playout systems expect, and every size field exact,
//! so any RIFF reader can skip the chunks it does not know. The header goes
//! out first with placeholder sizes and loudness; [`WavWriter::finish`]
//! seeks back and fills them in, so long files stream to disk.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::loudness::Loudness;
use super::Pcm;

/// Who made the file, as `bext` Originator and `LIST` ISFT say.
const ORIGINATOR: &str = "bulletin";
const SOFTWARE: &str = concat!("bulletin ", env!("CARGO_PKG_VERSION"));

/// Sizes of the fixed `bext` fields, in order (EBU Tech 3285 v2).
const DESCRIPTION: usize = 256;
const ORIGINATOR_LEN: usize = 32;
const REFERENCE: usize = 32;
const DATE: usize = 10;
const TIME: usize = 8;
const UMID: usize = 64;
const RESERVED: usize = 180;
/// The fixed part of `bext`, before `CodingHistory`: 602 bytes.
const BEXT_FIXED: usize =
    DESCRIPTION + ORIGINATOR_LEN + REFERENCE + DATE + TIME + 8 + 2 + UMID + 10 + RESERVED;
/// Where `LoudnessValue` sits inside the `bext` body.
const LOUDNESS_AT: usize = DESCRIPTION + ORIGINATOR_LEN + REFERENCE + DATE + TIME + 8 + 2 + UMID;
/// What Tech 3285 says to write for a loudness value that is not known.
const UNSET: i16 = 0x7fff;

/// The sample format of a file: mono PCM at a rate and bit depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavFormat {
    /// Samples per second.
    pub sample_rate: u32,
    /// Bits per sample: 16 or 24.
    pub bits: u16,
}

impl WavFormat {
    fn bytes_per_sample(self) -> u16 {
        self.bits / 8
    }
}

/// The descriptive metadata of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The title: `bext` Description (cut to 256 bytes) and `LIST` INAM.
    pub title: String,
    /// `bext` `OriginatorReference`, cut to 32 bytes: an identifier of the file.
    pub reference: String,
    /// When it was made.
    pub stamp: Stamp,
}

/// A date and time of day in UTC, as `bext` and `LIST` write them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `yyyy-mm-dd`.
    pub date: String,
    /// `hh:mm:ss`.
    pub time: String,
}

impl Stamp {
    /// The UTC date and time `seconds` after the Unix epoch.
    pub fn from_unix(seconds: u64) -> Stamp {
        let days = (seconds / 86_400) as i64;
        let of_day = seconds % 86_400;
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Stamp {
            date: format!("{year:04}-{month:02}-{day:02}"),
            time: format!(
                "{:02}:{:02}:{:02}",
                of_day / 3600,
                of_day / 60 % 60,
                of_day % 60
            ),
        }
    }

    /// The time now.
    pub fn now() -> Stamp {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Stamp::from_unix(seconds)
    }
}

/// Writes one WAV file: header first, samples as they come, sizes last.
pub struct WavWriter<W: Write + Seek> {
    writer: W,
    format: WavFormat,
    /// Where the file starts in `writer`.
    start: u64,
    /// Where the `bext` body starts, to fill in the loudness.
    bext_body: u64,
    /// Where the `data` chunk's size field is.
    data_size_at: u64,
    /// Bytes of samples written.
    data_bytes: u64,
    buffer: Vec<u8>,
}

impl<W: Write + Seek> WavWriter<W> {
    /// Writes the header at the current position of `writer`.
    pub fn new(mut writer: W, format: WavFormat, metadata: &Metadata) -> std::io::Result<Self> {
        assert!(
            format.bits == 16 || format.bits == 24,
            "bulletin writes 16- or 24-bit PCM"
        );
        let start = writer.stream_position()?;
        let bext = bext_body(format, metadata);
        let list = list_body(metadata);
        let mut header = Vec::with_capacity(64 + bext.len() + list.len());
        header.extend(b"RIFF\0\0\0\0WAVE");
        let block = format.bytes_per_sample();
        let mut fmt = Vec::with_capacity(16);
        fmt.extend(1u16.to_le_bytes()); // WAVE_FORMAT_PCM
        fmt.extend(1u16.to_le_bytes()); // mono
        fmt.extend(format.sample_rate.to_le_bytes());
        fmt.extend((format.sample_rate * u32::from(block)).to_le_bytes());
        fmt.extend(block.to_le_bytes());
        fmt.extend(format.bits.to_le_bytes());
        push_chunk(&mut header, *b"fmt ", &fmt);
        let bext_body = start + header.len() as u64 + 8;
        push_chunk(&mut header, *b"bext", &bext);
        push_chunk(&mut header, *b"LIST", &list);
        header.extend(b"data\0\0\0\0");
        let data_size_at = start + header.len() as u64 - 4;
        writer.write_all(&header)?;
        Ok(WavWriter {
            writer,
            format,
            start,
            bext_body,
            data_size_at,
            data_bytes: 0,
            buffer: Vec::new(),
        })
    }

    /// Appends samples in -1..1, rounded to the bit depth; anything beyond
    /// full scale is clamped (the loudness stage leaves nothing there).
    pub fn write(&mut self, samples: &[f32]) -> std::io::Result<()> {
        // In pieces, so a long article needs no second copy of itself.
        for piece in samples.chunks(WRITE_PIECE) {
            self.buffer.clear();
            match self.format.bits {
                16 => {
                    self.buffer.resize(piece.len() * 2, 0);
                    for (bytes, &sample) in self.buffer.chunks_exact_mut(2).zip(piece) {
                        let value = round_half_away(sample.clamp(-1.0, 1.0) * 32767.0) as i16;
                        bytes.copy_from_slice(&value.to_le_bytes());
                    }
                }
                _ => {
                    for &sample in piece {
                        let value =
                            (f64::from(sample.clamp(-1.0, 1.0)) * 8_388_607.0).round() as i32;
                        self.buffer.extend(&value.to_le_bytes()[..3]);
                    }
                }
            }
            self.data_bytes += self.buffer.len() as u64;
            self.writer.write_all(&self.buffer)?;
        }
        Ok(())
    }

    /// Pads the data, fills in the sizes and the loudness, and returns the
    /// writer positioned at the end of the file.
    pub fn finish(mut self, loudness: Option<&Loudness>) -> std::io::Result<W> {
        if self.data_bytes % 2 == 1 {
            self.writer.write_all(&[0])?;
        }
        let end = self.writer.stream_position()?;
        let too_big = || std::io::Error::other("the WAV would be larger than 4 GiB");
        let riff = u32::try_from(end - self.start - 8).map_err(|_| too_big())?;
        let data = u32::try_from(self.data_bytes).map_err(|_| too_big())?;
        self.writer.seek(SeekFrom::Start(self.start + 4))?;
        self.writer.write_all(&riff.to_le_bytes())?;
        self.writer.seek(SeekFrom::Start(self.data_size_at))?;
        self.writer.write_all(&data.to_le_bytes())?;
        self.writer
            .seek(SeekFrom::Start(self.bext_body + LOUDNESS_AT as u64))?;
        self.writer.write_all(&loudness_fields(loudness))?;
        self.writer.seek(SeekFrom::Start(end))?;
        self.writer.flush()?;
        Ok(self.writer)
    }
}

/// Samples converted and written at a time.
const WRITE_PIECE: usize = 1 << 14;

/// `value` rounded half away from zero, as `f32::round` does, without its
/// call into libm (one per sample made it a tenth of writing a file): the
/// cast truncates.
fn round_half_away(value: f32) -> i32 {
    (value + 0.5f32.copysign(value)) as i32
}

/// Writes a whole clip.
pub fn write_wav<W: Write + Seek>(
    writer: W,
    pcm: &Pcm,
    bits: u16,
    metadata: &Metadata,
    loudness: Option<&Loudness>,
) -> std::io::Result<()> {
    let format = WavFormat {
        sample_rate: pcm.sample_rate,
        bits,
    };
    let mut wav = WavWriter::new(writer, format, metadata)?;
    wav.write(&pcm.samples)?;
    wav.finish(loudness).map(drop)
}

/// Reads any PCM or float WAV hound understands, mixing channels to mono.
pub fn read_wav(path: &Path) -> Result<Pcm, hound::Error> {
    read_wav_from(std::io::BufReader::new(std::fs::File::open(path)?))
}

/// Reads a WAV from any reader; see [`read_wav`]. Channels are mixed as
/// the samples stream in, so memory holds the mono samples only, never the
/// interleaved ones.
pub fn read_wav_from<R: Read>(reader: R) -> Result<Pcm, hound::Error> {
    read_wav_within(reader, u32::MAX).map(|(pcm, _)| pcm)
}

/// Reads a WAV, but only when its header says it lasts at most
/// `max_seconds`: otherwise gives no samples and the frames the header
/// claims, having read nothing past the header.
pub fn read_wav_within<R: Read>(reader: R, max_seconds: u32) -> Result<(Pcm, u64), hound::Error> {
    let mut reader = hound::WavReader::new(reader)?;
    let spec = reader.spec();
    let frames = u64::from(reader.duration());
    if frames > u64::from(spec.sample_rate) * u64::from(max_seconds) {
        let empty = Pcm {
            sample_rate: spec.sample_rate,
            samples: Vec::new(),
        };
        return Ok((empty, frames));
    }
    let channels = usize::from(spec.channels.max(1));
    let mut samples = Vec::new();
    let (mut sum, mut in_frame) = (0.0f32, 0);
    let mut add = |sample: f32| {
        sum += sample;
        in_frame += 1;
        if in_frame == channels {
            samples.push(sum / channels as f32);
            (sum, in_frame) = (0.0, 0);
        }
    };
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for sample in reader.samples::<f32>() {
                add(sample?);
            }
        }
        hound::SampleFormat::Int => {
            let scale = 1.0 / f64::from(1u32 << (spec.bits_per_sample - 1));
            for sample in reader.samples::<i32>() {
                add((f64::from(sample?) * scale) as f32);
            }
        }
    }
    // A last, incomplete frame is mixed from what it has.
    if in_frame > 0 {
        samples.push(sum / in_frame as f32);
    }
    Ok((
        Pcm {
            sample_rate: spec.sample_rate,
            samples,
        },
        frames,
    ))
}

fn push_chunk(out: &mut Vec<u8>, id: [u8; 4], body: &[u8]) {
    out.extend(id);
    out.extend(
        u32::try_from(body.len())
            .expect("header chunks are small")
            .to_le_bytes(),
    );
    out.extend(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
}

fn bext_body(format: WavFormat, metadata: &Metadata) -> Vec<u8> {
    let mut body = Vec::with_capacity(BEXT_FIXED + 64);
    push_field(&mut body, &metadata.title, DESCRIPTION);
    push_field(&mut body, ORIGINATOR, ORIGINATOR_LEN);
    push_field(&mut body, &metadata.reference, REFERENCE);
    push_field(&mut body, &metadata.stamp.date, DATE);
    push_field(&mut body, &metadata.stamp.time, TIME);
    // `TimeReference`, in samples since midnight: 0, the file is not placed
    // on a timeline.
    body.extend(0u64.to_le_bytes());
    body.extend(2u16.to_le_bytes()); // Version
    body.extend([0; UMID]);
    body.extend(loudness_fields(None));
    body.extend([0; RESERVED]);
    debug_assert_eq!(body.len(), BEXT_FIXED);
    let mut history = format!(
        "A=PCM,F={},W={},M=mono,T={SOFTWARE}\r\n",
        format.sample_rate, format.bits
    )
    .into_bytes();
    if history.len() % 2 == 1 {
        history.push(0);
    }
    body.extend(history);
    body
}

/// `LoudnessValue`, `LoudnessRange`, `MaxTruePeakLevel`, `MaxMomentaryLoudness` and
/// `MaxShortTermLoudness`, each in hundredths as a little-endian int16.
fn loudness_fields(loudness: Option<&Loudness>) -> [u8; 10] {
    let values = loudness.map_or([None; 5], |l| {
        [
            Some(l.integrated_lufs),
            Some(l.range_lu),
            Some(l.true_peak_dbtp),
            Some(l.max_momentary_lufs),
            Some(l.max_short_term_lufs),
        ]
    });
    let mut out = [0u8; 10];
    for (slot, value) in out.chunks_exact_mut(2).zip(values) {
        let hundredths = match value {
            Some(v) if v.is_finite() => (v * 100.0).round().clamp(-32768.0, 32766.0) as i16,
            _ => UNSET,
        };
        slot.copy_from_slice(&hundredths.to_le_bytes());
    }
    out
}

fn list_body(metadata: &Metadata) -> Vec<u8> {
    let mut body = b"INFO".to_vec();
    for (id, text) in [
        (*b"INAM", metadata.title.as_str()),
        (*b"ICRD", metadata.stamp.date.as_str()),
        (*b"ISFT", SOFTWARE),
    ] {
        let mut value = text.as_bytes().to_vec();
        value.push(0);
        push_chunk(&mut body, id, &value);
    }
    body
}

/// `text` as a fixed-width field: cut at a character boundary to fit,
/// padded with NULs.
fn push_field(out: &mut Vec<u8>, text: &str, width: usize) {
    let mut end = text.len().min(width);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend(&text.as_bytes()[..end]);
    out.resize(out.len() + width - end, 0);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Cursor;

    use super::*;

    fn metadata(title: &str) -> Metadata {
        Metadata {
            title: title.to_string(),
            reference: "01-storm-hits-the-coast".into(),
            stamp: Stamp {
                date: "2024-05-17".into(),
                time: "06:30:05".into(),
            },
        }
    }

    fn loudness() -> Loudness {
        Loudness {
            integrated_lufs: -23.004,
            range_lu: 4.256,
            true_peak_dbtp: -1.5,
            max_momentary_lufs: -17.0,
            max_short_term_lufs: f64::NEG_INFINITY,
        }
    }

    /// The chunks of a RIFF file, by id, checking every size on the way.
    type Chunks = BTreeMap<[u8; 4], Vec<u8>>;

    fn chunks(bytes: &[u8]) -> (Vec<[u8; 4]>, Chunks) {
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(u32_at(bytes, 4) as usize, bytes.len() - 8);
        assert_eq!(&bytes[8..12], b"WAVE");
        let mut order = Vec::new();
        let mut found = BTreeMap::new();
        let mut at = 12;
        while at < bytes.len() {
            let id: [u8; 4] = bytes[at..at + 4].try_into().unwrap();
            let size = u32_at(bytes, at + 4) as usize;
            found.insert(id, bytes[at + 8..at + 8 + size].to_vec());
            order.push(id);
            at += 8 + size + size % 2;
        }
        assert_eq!(at, bytes.len(), "chunks fill the file exactly");
        (order, found)
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    fn i16_at(bytes: &[u8], at: usize) -> i16 {
        i16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn text(field: &[u8]) -> &str {
        let end = field.iter().position(|b| *b == 0).unwrap_or(field.len());
        std::str::from_utf8(&field[..end]).unwrap()
    }

    fn write(pcm: &Pcm, bits: u16, title: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        write_wav(&mut out, pcm, bits, &metadata(title), Some(&loudness())).unwrap();
        out.into_inner()
    }

    #[test]
    fn every_bext_and_list_field_reads_back() {
        let pcm = Pcm {
            sample_rate: 48000,
            samples: vec![0.0, 0.5, -1.0, 2.0, -0.25],
        };
        let bytes = write(&pcm, 16, "Storm hits the coast");
        let (order, found) = chunks(&bytes);
        assert_eq!(order, [*b"fmt ", *b"bext", *b"LIST", *b"data"]);

        let fmt = &found[b"fmt "];
        assert_eq!(fmt.len(), 16);
        assert_eq!(i16_at(fmt, 0), 1);
        assert_eq!(i16_at(fmt, 2), 1);
        assert_eq!(u32_at(fmt, 4), 48000);
        assert_eq!(u32_at(fmt, 8), 96000);
        assert_eq!((i16_at(fmt, 12), i16_at(fmt, 14)), (2, 16));

        let bext = &found[b"bext"];
        assert_eq!(text(&bext[0..256]), "Storm hits the coast");
        assert_eq!(text(&bext[256..288]), "bulletin");
        assert_eq!(text(&bext[288..320]), "01-storm-hits-the-coast");
        assert_eq!(&bext[320..330], b"2024-05-17");
        assert_eq!(&bext[330..338], b"06:30:05");
        assert_eq!(u32_at(bext, 338), 0);
        assert_eq!(u32_at(bext, 342), 0);
        assert_eq!(i16_at(bext, 346), 2, "version 2");
        assert!(bext[348..412].iter().all(|b| *b == 0), "UMID zero");
        assert_eq!(i16_at(bext, 412), -2300, "LoudnessValue");
        assert_eq!(i16_at(bext, 414), 426, "LoudnessRange");
        assert_eq!(i16_at(bext, 416), -150, "MaxTruePeakLevel");
        assert_eq!(i16_at(bext, 418), -1700, "MaxMomentaryLoudness");
        assert_eq!(i16_at(bext, 420), 0x7fff, "MaxShortTermLoudness unknown");
        assert!(bext[422..602].iter().all(|b| *b == 0), "reserved");
        assert_eq!(
            text(&bext[602..]),
            format!(
                "A=PCM,F=48000,W=16,M=mono,T=bulletin {}\r\n",
                env!("CARGO_PKG_VERSION")
            )
        );

        let list = &found[b"LIST"];
        assert_eq!(&list[0..4], b"INFO");
        let (info_order, info) = {
            let mut riff = b"RIFF".to_vec();
            riff.extend(u32::try_from(list.len()).unwrap().to_le_bytes());
            riff.extend(b"WAVE");
            riff.extend(&list[4..]);
            chunks(&riff)
        };
        assert_eq!(info_order, [*b"INAM", *b"ICRD", *b"ISFT"]);
        assert_eq!(text(&info[b"INAM"]), "Storm hits the coast");
        assert_eq!(text(&info[b"ICRD"]), "2024-05-17");
        assert!(text(&info[b"ISFT"]).starts_with("bulletin "));

        let data = &found[b"data"];
        let samples: Vec<i16> = data.chunks(2).map(|p| i16_at(p, 0)).collect();
        assert_eq!(samples, [0, 16384, -32767, 32767, -8192]);
    }

    #[test]
    fn hound_reads_the_file_past_the_extra_chunks() {
        for bits in [16, 24] {
            let pcm = Pcm {
                sample_rate: 44100,
                samples: vec![0.0, 0.5, -0.5],
            };
            let bytes = write(&pcm, bits, "t");
            let mut reader = hound::WavReader::new(Cursor::new(&bytes)).unwrap();
            assert_eq!(reader.spec().bits_per_sample, bits);
            assert_eq!(reader.spec().sample_rate, 44100);
            assert_eq!(reader.len(), 3);
            let back = read_wav_from(Cursor::new(&bytes)).unwrap();
            for (a, b) in back.samples.iter().zip(&pcm.samples) {
                assert!((a - b).abs() < 1e-4);
            }
            let _ = reader.samples::<i32>().count();
        }
    }

    #[test]
    fn odd_24_bit_data_is_padded_and_sizes_stay_exact() {
        let pcm = Pcm {
            sample_rate: 48000,
            samples: vec![0.25; 3],
        };
        let bytes = write(&pcm, 24, "odd");
        let (_, chunks) = chunks(&bytes);
        assert_eq!(chunks[b"data"].len(), 9);
        assert_eq!(&chunks[b"data"][0..3], &[0x00, 0x00, 0x20]);
        assert_eq!(i16_at(&chunks[b"fmt "], 12), 3);
        assert!(text(&chunks[b"bext"][602..]).contains("W=24"));
    }

    #[test]
    fn long_titles_are_cut_at_a_character_boundary() {
        let title = "辽".repeat(100); // 300 bytes of UTF-8
        let bytes = write(
            &Pcm {
                sample_rate: 48000,
                samples: vec![],
            },
            16,
            &title,
        );
        let (_, chunks) = chunks(&bytes);
        let description = &chunks[b"bext"][0..256];
        assert_eq!(text(description), "辽".repeat(85));
        assert_eq!(description[255], 0);
        assert!(chunks[b"data"].is_empty());
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        let cases = [
            (0, "1970-01-01", "00:00:00"),
            (951_782_400, "2000-02-29", "00:00:00"),
            (1_715_927_405, "2024-05-17", "06:30:05"),
            (4_107_542_399, "2100-02-28", "23:59:59"),
        ];
        for (seconds, date, time) in cases {
            let stamp = Stamp::from_unix(seconds);
            assert_eq!((stamp.date.as_str(), stamp.time.as_str()), (date, time));
        }
    }
}
