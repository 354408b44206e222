//! Broadcast WAV: PCM mono with a `bext` chunk (EBU Tech 3285 version 2)
//! and a `LIST/INFO` chunk, written by hand because hound writes neither.
//!
//! The layout is `RIFF/WAVE`, `fmt `, `bext`, `LIST`, `data`: metadata
//! before the audio, as playout systems expect, and every size field exact,
//! so any RIFF reader can skip the chunks it does not know. The header goes
//! out first with placeholder sizes and loudness; [`WavWriter::finish`]
//! seeks back and fills them in, so long files stream to disk.
//!
//! RIFF's sizes are 32-bit, so a file past 4 GiB (about 12 hours at
//! 48 kHz, 16-bit) is written as RF64 (EBU Tech 3306; ITU-R BS.2088's BW64
//! is the same layout under another id, and fewer readers know it):
//! `RF64/WAVE`, a `ds64` chunk holding the 64-bit sizes, then the same
//! chunks, with `0xFFFFFFFF` in the RIFF and `data` size fields. The writer
//! is told the length up front to choose, so every smaller file stays plain
//! RIFF, byte for byte.

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
/// The largest RIFF size field: past it, the file is RF64.
const RIFF_LIMIT: u64 = u32::MAX as u64;
/// The `ds64` body: RIFF size, data size and sample count as 64-bit
/// numbers, and an empty table of other chunks' sizes.
const DS64_LEN: usize = 28;
/// What RF64 writes in a 32-bit size field whose value is in `ds64`.
const SIZE_IN_DS64: u32 = u32::MAX;

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
    /// Where the `ds64` body is, when the file is RF64.
    ds64_body: Option<u64>,
    /// Bytes of samples written.
    data_bytes: u64,
    buffer: Vec<u8>,
}

impl<W: Write + Seek> WavWriter<W> {
    /// Writes the header at the current position of `writer`, for a file
    /// of `samples` samples: RF64 when it would pass 4 GiB, else RIFF.
    pub fn new(
        writer: W,
        format: WavFormat,
        metadata: &Metadata,
        samples: u64,
    ) -> std::io::Result<Self> {
        Self::with_limit(writer, format, metadata, samples, RIFF_LIMIT)
    }

    /// [`WavWriter::new`] with the RIFF size above which the file is RF64,
    /// lowered by tests.
    fn with_limit(
        mut writer: W,
        format: WavFormat,
        metadata: &Metadata,
        samples: u64,
        limit: u64,
    ) -> std::io::Result<Self> {
        assert!(
            format.bits == 16 || format.bits == 24,
            "bulletin writes 16- or 24-bit PCM"
        );
        let start = writer.stream_position()?;
        let bext = bext_body(format, metadata);
        let list = list_body(metadata);
        let block = format.bytes_per_sample();
        let mut fmt = Vec::with_capacity(16);
        fmt.extend(1u16.to_le_bytes()); // WAVE_FORMAT_PCM
        fmt.extend(1u16.to_le_bytes()); // mono
        fmt.extend(format.sample_rate.to_le_bytes());
        fmt.extend((format.sample_rate * u32::from(block)).to_le_bytes());
        fmt.extend(block.to_le_bytes());
        fmt.extend(format.bits.to_le_bytes());
        let mut chunks = Vec::with_capacity(64 + bext.len() + list.len());
        push_chunk(&mut chunks, *b"fmt ", &fmt);
        let bext_at = chunks.len() as u64 + 8;
        push_chunk(&mut chunks, *b"bext", &bext);
        push_chunk(&mut chunks, *b"LIST", &list);
        chunks.extend(b"data\0\0\0\0");

        let data = samples * u64::from(block);
        let riff_size = 4 + chunks.len() as u64 + data + data % 2;
        let rf64 = riff_size > limit;
        let mut header = Vec::with_capacity(12 + 8 + DS64_LEN + chunks.len());
        if rf64 {
            header.extend(b"RF64");
            header.extend(SIZE_IN_DS64.to_le_bytes());
            header.extend(b"WAVE");
            push_chunk(&mut header, *b"ds64", &[0; DS64_LEN]);
        } else {
            header.extend(b"RIFF\0\0\0\0WAVE");
        }
        let ds64_body = rf64.then_some(start + 20);
        let bext_body = start + header.len() as u64 + bext_at;
        header.extend(chunks);
        let data_size_at = start + header.len() as u64 - 4;
        writer.write_all(&header)?;
        Ok(WavWriter {
            writer,
            format,
            start,
            bext_body,
            data_size_at,
            ds64_body,
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
        let riff = end - self.start - 8;
        let (riff_field, data_field) = if let Some(ds64) = self.ds64_body {
            let samples = self.data_bytes / u64::from(self.format.bytes_per_sample());
            let mut sizes = Vec::with_capacity(DS64_LEN);
            for size in [riff, self.data_bytes, samples] {
                sizes.extend(size.to_le_bytes());
            }
            self.writer.seek(SeekFrom::Start(ds64))?;
            self.writer.write_all(&sizes)?;
            (SIZE_IN_DS64, SIZE_IN_DS64)
        } else {
            let too_big = || {
                std::io::Error::other(
                    "the WAV would be larger than 4 GiB, and was begun as RIFF, not RF64",
                )
            };
            (
                u32::try_from(riff).map_err(|_| too_big())?,
                u32::try_from(self.data_bytes).map_err(|_| too_big())?,
            )
        };
        self.writer.seek(SeekFrom::Start(self.start + 4))?;
        self.writer.write_all(&riff_field.to_le_bytes())?;
        self.writer.seek(SeekFrom::Start(self.data_size_at))?;
        self.writer.write_all(&data_field.to_le_bytes())?;
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
    let mut wav = WavWriter::new(writer, format, metadata, pcm.samples.len() as u64)?;
    wav.write(&pcm.samples)?;
    wav.finish(loudness).map(drop)
}

/// Reads a mono 16- or 24-bit PCM WAV, RIFF or RF64, in pieces: the
/// article files bulletin wrote, read back for the programme without
/// holding one whole.
pub struct PieceReader<R: Read> {
    reader: R,
    format: WavFormat,
    /// Samples not yet read.
    left: u64,
    bytes: Vec<u8>,
}

impl PieceReader<std::io::BufReader<std::fs::File>> {
    /// Opens a file.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        PieceReader::new(std::io::BufReader::new(std::fs::File::open(path)?))
    }
}

impl<R: Read> PieceReader<R> {
    /// Reads the header, leaving `reader` at the first sample.
    pub fn new(mut reader: R) -> std::io::Result<Self> {
        let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what);
        let mut head = [0u8; 12];
        reader.read_exact(&mut head)?;
        let rf64 = match (&head[0..4], &head[8..12]) {
            (b"RIFF", b"WAVE") => false,
            (b"RF64" | b"BW64", b"WAVE") => true,
            _ => return Err(invalid("not a RIFF or RF64 WAVE file")),
        };
        let mut data_size64 = None;
        let mut format = None;
        loop {
            let mut chunk = [0u8; 8];
            reader.read_exact(&mut chunk)?;
            let size = u64::from(u32::from_le_bytes(chunk[4..8].try_into().expect("4 bytes")));
            let mut body = Vec::new();
            match &chunk[0..4] {
                b"data" => {
                    let format: WavFormat = format.ok_or_else(|| invalid("data before fmt"))?;
                    let size = match data_size64 {
                        Some(size) if rf64 && size > 0 => size,
                        _ => size,
                    };
                    return Ok(PieceReader {
                        reader,
                        format,
                        left: size / u64::from(format.bytes_per_sample()),
                        bytes: Vec::new(),
                    });
                }
                id @ (b"fmt " | b"ds64") => {
                    let id: [u8; 4] = id.try_into().expect("4 bytes");
                    (&mut reader).take(size).read_to_end(&mut body)?;
                    if (body.len() as u64) < size || body.len() < 16 {
                        return Err(invalid("a short fmt or ds64 chunk"));
                    }
                    if &id == b"ds64" {
                        data_size64 =
                            Some(u64::from_le_bytes(body[8..16].try_into().expect("8 bytes")));
                    } else {
                        let field = |at: usize| u16::from_le_bytes([body[at], body[at + 1]]);
                        let bits = field(14);
                        if field(0) != 1 || field(2) != 1 || !(bits == 16 || bits == 24) {
                            return Err(invalid("not mono 16- or 24-bit PCM"));
                        }
                        format = Some(WavFormat {
                            sample_rate: u32::from_le_bytes(
                                body[4..8].try_into().expect("4 bytes"),
                            ),
                            bits,
                        });
                    }
                }
                _ => {
                    std::io::copy(&mut (&mut reader).take(size), &mut std::io::sink())?;
                }
            }
            if size % 2 == 1 {
                reader.read_exact(&mut [0u8; 1])?;
            }
        }
    }

    /// The file's format.
    pub fn format(&self) -> WavFormat {
        self.format
    }

    /// Samples not yet read.
    pub fn remaining(&self) -> u64 {
        self.left
    }

    /// Reads up to `max` samples into `out` (cleared first), in -1..1 as
    /// [`read_wav`] gives them; an empty `out` is the end.
    pub fn read(&mut self, out: &mut Vec<f32>, max: usize) -> std::io::Result<()> {
        out.clear();
        let count = usize::try_from(self.left).unwrap_or(usize::MAX).min(max);
        let width = usize::from(self.format.bytes_per_sample());
        self.bytes.resize(count * width, 0);
        self.reader.read_exact(&mut self.bytes)?;
        self.left -= count as u64;
        let scale = 1.0 / f64::from(1u32 << (self.format.bits - 1));
        out.extend(self.bytes.chunks_exact(width).map(|b| {
            let value = if width == 2 {
                i32::from(i16::from_le_bytes([b[0], b[1]]))
            } else {
                i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8
            };
            (f64::from(value) * scale) as f32
        }));
        Ok(())
    }
}

/// Reads any PCM or float WAV hound understands, mixing channels to mono.
pub fn read_wav(path: &Path) -> Result<Pcm, hound::Error> {
    read_wav_from(std::io::BufReader::new(std::fs::File::open(path)?))
}

/// Reads a WAV from any reader; see [`read_wav`].
pub fn read_wav_from<R: Read>(reader: R) -> Result<Pcm, hound::Error> {
    let mut reader = hound::WavReader::new(reader)?;
    let spec = reader.spec();
    let channels = usize::from(spec.channels.max(1));
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader.samples::<f32>().collect::<Result<_, _>>()?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / f64::from(1u32 << (spec.bits_per_sample - 1));
            reader
                .samples::<i32>()
                .map(|s| s.map(|s| (f64::from(s) * scale) as f32))
                .collect::<Result<_, _>>()?
        }
    };
    let samples = interleaved
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok(Pcm {
        sample_rate: spec.sample_rate,
        samples,
    })
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

    /// Writes `pcm` with the RF64 threshold lowered to `limit` bytes.
    fn write_with_limit(pcm: &Pcm, bits: u16, limit: u64) -> Vec<u8> {
        let format = WavFormat {
            sample_rate: pcm.sample_rate,
            bits,
        };
        let mut out = Cursor::new(Vec::new());
        let samples = pcm.samples.len() as u64;
        let mut wav =
            WavWriter::with_limit(&mut out, format, &metadata("Long"), samples, limit).unwrap();
        wav.write(&pcm.samples).unwrap();
        wav.finish(Some(&loudness())).unwrap();
        out.into_inner()
    }

    fn u64_at(bytes: &[u8], at: usize) -> u64 {
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
    }

    #[test]
    fn past_the_riff_limit_the_file_is_rf64_with_the_same_chunks() {
        let pcm = Pcm {
            sample_rate: 48000,
            samples: (0..4801)
                .map(|i| ((i % 100) as f32 - 50.0) / 64.0)
                .collect(),
        };
        for bits in [16, 24] {
            let riff = write(&pcm, bits, "Long");
            let (riff_order, riff_chunks) = chunks(&riff);
            let data_len = riff_chunks[b"data"].len();
            let header = riff.len() - data_len - data_len % 2;
            // Just under the limit stays RIFF; one byte over is RF64.
            let limit = riff.len() as u64 - 8;
            assert_eq!(write_with_limit(&pcm, bits, limit), riff);
            let rf64 = write_with_limit(&pcm, bits, limit - 1);

            assert_eq!(&rf64[0..4], b"RF64");
            assert_eq!(u32_at(&rf64, 4), u32::MAX);
            assert_eq!(&rf64[8..16], b"WAVEds64");
            assert_eq!(u32_at(&rf64, 16), 28);
            assert_eq!(u64_at(&rf64, 20), rf64.len() as u64 - 8, "RIFF size");
            assert_eq!(u64_at(&rf64, 28), data_len as u64, "data size");
            assert_eq!(u64_at(&rf64, 36), 4801, "sample count");
            assert_eq!(u32_at(&rf64, 44), 0, "no table");
            // After ds64, the RIFF file's chunks, byte for byte, but for
            // the data size, which is in ds64.
            assert_eq!(rf64.len(), riff.len() + 36);
            assert_eq!(&rf64[48..48 + header - 16], &riff[12..header - 4]);
            assert_eq!(u32_at(&rf64, 48 + header - 16), u32::MAX);
            assert_eq!(&rf64[48 + header - 12..], &riff[header..]);
            assert_eq!(riff_order, [*b"fmt ", *b"bext", *b"LIST", *b"data"]);
        }
    }

    #[test]
    fn ffprobe_and_sox_read_an_rf64_file() {
        let pcm = Pcm {
            sample_rate: 48000,
            samples: (0..48000).map(|i| 0.5 * (i as f32 * 0.05).sin()).collect(),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.wav");
        std::fs::write(&path, write_with_limit(&pcm, 16, 1000)).unwrap();
        let run = |program: &str, args: &[&str]| {
            std::process::Command::new(program)
                .args(args)
                .arg(&path)
                .output()
                .ok()
        };
        match run(
            "ffprobe",
            &[
                "-v",
                "error",
                "-show_entries",
                "stream=sample_rate,duration_ts,bits_per_sample",
                "-of",
                "csv=p=0",
            ],
        ) {
            Some(out) => {
                assert!(out.status.success(), "{out:?}");
                let text = String::from_utf8_lossy(&out.stdout);
                assert_eq!(text.trim(), "48000,16,48000", "ffprobe says {text}");
            }
            None => eprintln!("skipped ffprobe: not installed"),
        }
        match run("soxi", &["-s"]) {
            Some(out) => {
                assert!(out.status.success(), "{out:?}");
                assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "48000");
            }
            None => eprintln!("skipped soxi: not installed"),
        }
    }

    #[test]
    fn the_piece_reader_reads_riff_and_rf64_as_hound_reads_riff() {
        let pcm = Pcm {
            sample_rate: 44100,
            samples: (0..5001)
                .map(|i| ((i % 201) as f32 - 100.0) / 101.0)
                .collect(),
        };
        for bits in [16, 24] {
            let riff = write(&pcm, bits, "t");
            let expected = read_wav_from(Cursor::new(&riff)).unwrap().samples;
            for bytes in [riff.clone(), write_with_limit(&pcm, bits, 100)] {
                let mut reader = PieceReader::new(Cursor::new(&bytes)).unwrap();
                assert_eq!(
                    reader.format(),
                    WavFormat {
                        sample_rate: 44100,
                        bits
                    }
                );
                assert_eq!(reader.remaining(), 5001);
                let (mut all, mut piece) = (Vec::new(), Vec::new());
                loop {
                    reader.read(&mut piece, 999).unwrap();
                    if piece.is_empty() {
                        break;
                    }
                    all.extend_from_slice(&piece);
                }
                assert_eq!(
                    all,
                    expected,
                    "{bits} bits, {}",
                    String::from_utf8_lossy(&bytes[0..4])
                );
            }
        }
        let error = PieceReader::new(Cursor::new(b"ID3 not a wave file".to_vec()))
            .err()
            .unwrap();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
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
