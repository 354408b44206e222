//! The programme: every article in order as one WAV, with an optional intro
//! before, a sting between stories and an outro after, brought to the
//! loudness target as a whole.
//!
//! Memory: a programme can run for an hour, and one article for as long, so
//! neither is held whole. Its pieces are the article WAVs already on disk,
//! read in bounded parts, and the short clips, kept in memory. It is made
//! in passes over the pieces:
//! - Pass 1 only measures the plain concatenation, piece by piece, with one
//!   streaming loudness meter, which also gives every piece's offset.
//! - Pass 2 applies the programme's one gain and the streaming limiter to
//!   each piece in turn (every piece starts and ends in silence or a fade,
//!   so limiting piece by piece is limiting the whole), streams it into the
//!   WAV writer
//!   and into a second meter. The writer fills in sizes and loudness at the
//!   end, so what the file says is what was measured.
//! - Should the result miss the target, pass 2 runs again over the same
//!   file with the corrected gain and ceiling. The articles arrive already
//!   mastered and the clips are mastered on loading, so the gain is a
//!   fraction of a dB and one pass 2 is nearly always enough.
//!
//! Peak memory is a few parts of an article plus the clips, whatever the
//! programme's length.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::fade::{fade_edges, fade_len};
use super::limiter::Limiter;
use super::loudness::{
    apply_gain, master_loudness, Correction, Loudness, Meter, Target, MAX_ROUNDS,
};
use super::resample::{resample, ResampleError};
use super::wav::{read_wav_within, Metadata, PieceReader, WavFormat, WavWriter};
use super::Pcm;

/// Why a clip or the programme could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    /// A clip or an article's WAV could not be read.
    #[error("cannot read the audio file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the WAV reader said.
        #[source]
        source: hound::Error,
    },
    /// A clip holds no samples.
    #[error("the audio file {0} is empty")]
    Empty(PathBuf),
    /// A clip is longer than any intro, sting or outro should be.
    #[error(
        "the audio file {path} is {seconds:.0} s long, more than the {} s a clip may last",
        MAX_CLIP_S
    )]
    TooLong {
        /// The file.
        path: PathBuf,
        /// Its length, as its header says.
        seconds: f64,
    },
    /// A clip could not be brought to the programme's rate.
    #[error("cannot use the audio file {path}")]
    Resample {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ResampleError,
    },
    /// An article's WAV is not at the programme's rate.
    #[error("{path} is at {found} Hz, the programme at {expected} Hz")]
    Rate {
        /// The file.
        path: PathBuf,
        /// Its rate.
        found: u32,
        /// The programme's.
        expected: u32,
    },
    /// The programme could not be written.
    #[error("cannot write the programme")]
    Write(#[source] std::io::Error),
}

/// The intro, sting and outro, ready to play: at the programme's rate,
/// faded at the edges and at the loudness target.
#[derive(Debug, Clone, Default)]
pub struct Clips {
    /// Played before the first article.
    pub intro: Option<Pcm>,
    /// Played between two articles.
    pub sting: Option<Pcm>,
    /// Played after the last article.
    pub outro: Option<Pcm>,
}

impl Clips {
    /// Loads the clips that are given, checking each one.
    pub fn load(
        intro: Option<&Path>,
        sting: Option<&Path>,
        outro: Option<&Path>,
        rate: u32,
        target: Target,
    ) -> Result<Clips, ProgrammeError> {
        let load = |path: Option<&Path>| path.map(|p| load_clip(p, rate, target)).transpose();
        Ok(Clips {
            intro: load(intro)?,
            sting: load(sting)?,
            outro: load(outro)?,
        })
    }
}

/// The longest clip: ten minutes. Clips are held whole, resampled and
/// measured in memory; a header that claims 2 GB (a sparse file) once took
/// over 8 GB.
pub const MAX_CLIP_S: u32 = 600;

/// Reads a WAV of any rate, format and channel count as a mono clip at
/// `rate`, faded at its edges and brought to `target`. One longer than
/// [`MAX_CLIP_S`] is refused from its header, before its samples are read.
pub fn load_clip(path: &Path, rate: u32, target: Target) -> Result<Pcm, ProgrammeError> {
    let read_error = |source| ProgrammeError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|e| read_error(hound::Error::IoError(e)))?;
    let (pcm, frames) =
        read_wav_within(std::io::BufReader::new(file), MAX_CLIP_S).map_err(read_error)?;
    if frames > u64::from(pcm.sample_rate) * u64::from(MAX_CLIP_S) {
        return Err(ProgrammeError::TooLong {
            path: path.to_path_buf(),
            seconds: frames as f64 / f64::from(pcm.sample_rate.max(1)),
        });
    }
    if pcm.samples.is_empty() {
        return Err(ProgrammeError::Empty(path.to_path_buf()));
    }
    let mut clip = resample(&pcm, rate).map_err(|source| ProgrammeError::Resample {
        path: path.to_path_buf(),
        source,
    })?;
    fade_edges(&mut clip.samples, fade_len(rate));
    master_loudness(&mut clip.samples, rate, target);
    Ok(clip)
}

/// What was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    /// Its length in samples.
    pub len: usize,
    /// Where each article starts, in samples, in the order given.
    pub article_starts: Vec<usize>,
    /// Its loudness as written.
    pub loudness: Loudness,
}

enum Piece<'a> {
    Article(&'a Path),
    Clip(&'a Pcm),
}

/// Writes the programme of `articles` (WAV files at `format`'s rate, in
/// order) with `clips` to `writer`, brought to `target`.
pub fn write_programme<W: Write + Seek>(
    mut writer: W,
    articles: &[PathBuf],
    clips: &Clips,
    format: WavFormat,
    target: Target,
    metadata: &Metadata,
) -> Result<Programme, ProgrammeError> {
    let rate = format.sample_rate;
    let mut pieces = Vec::new();
    pieces.extend(clips.intro.as_ref().map(Piece::Clip));
    for (index, path) in articles.iter().enumerate() {
        if index > 0 {
            pieces.extend(clips.sting.as_ref().map(Piece::Clip));
        }
        pieces.push(Piece::Article(path));
    }
    pieces.extend(clips.outro.as_ref().map(Piece::Clip));

    // Pass 1: measure as it stands, and find where each article starts.
    let mut meter = Meter::without_true_peak(rate);
    let mut len = 0;
    let mut article_starts = Vec::new();
    for piece in &pieces {
        if matches!(piece, Piece::Article(_)) {
            article_starts.push(len);
        }
        for_each_part(piece, rate, |part| {
            meter.add(part);
            len += part.len();
            Ok(())
        })?;
    }
    let before = meter.loudness().integrated_lufs;
    let gain_db = if before.is_finite() {
        target.integrated_lufs - before
    } else {
        0.0
    };

    // Pass 2, again if need be: gain, limit, write, measure.
    let start = writer.stream_position().map_err(ProgrammeError::Write)?;
    let mut correction = Correction::new(target, gain_db);
    let mut round = 0;
    let mut held = Vec::new();
    loop {
        writer
            .seek(SeekFrom::Start(start))
            .map_err(ProgrammeError::Write)?;
        let mut wav = WavWriter::new(&mut writer, format, metadata, len as u64)
            .map_err(ProgrammeError::Write)?;
        let mut meter = Meter::new(rate);
        for piece in &pieces {
            let mut limiter = Limiter::new(rate, correction.ceiling_db);
            let mut out = |samples: &[f32]| {
                meter.add(samples);
                wav.write(samples).map_err(ProgrammeError::Write)
            };
            for_each_part(piece, rate, |part| {
                apply_gain(part, correction.gain_db);
                held.clear();
                limiter.push(part, &mut held);
                out(&held)
            })?;
            held.clear();
            limiter.finish(&mut held);
            out(&held)?;
        }
        let loudness = meter.loudness();
        wav.finish(Some(&loudness)).map_err(ProgrammeError::Write)?;
        round += 1;
        if correction.settle(&loudness, target) || round == MAX_ROUNDS {
            return Ok(Programme {
                len,
                article_starts,
                loudness,
            });
        }
    }
}

/// Samples read from an article file at a time.
const PART: usize = 1 << 16;

/// Calls `each` with the samples of `piece`, in order, in parts of at most
/// [`PART`] samples (a clip in one).
fn for_each_part(
    piece: &Piece<'_>,
    rate: u32,
    mut each: impl FnMut(&mut [f32]) -> Result<(), ProgrammeError>,
) -> Result<(), ProgrammeError> {
    match piece {
        Piece::Clip(pcm) => each(&mut pcm.samples.clone()),
        Piece::Article(path) => {
            let read_error = |source| ProgrammeError::Read {
                path: path.to_path_buf(),
                source: hound::Error::IoError(source),
            };
            let mut reader = PieceReader::open(path).map_err(read_error)?;
            let found = reader.format().sample_rate;
            if found != rate {
                return Err(ProgrammeError::Rate {
                    path: path.to_path_buf(),
                    found,
                    expected: rate,
                });
            }
            let mut part = Vec::with_capacity(PART);
            loop {
                reader.read(&mut part, PART).map_err(read_error)?;
                if part.is_empty() {
                    return Ok(());
                }
                each(&mut part)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::audio::loudness::measure;
    use crate::audio::wav::{write_wav, Stamp};

    fn metadata() -> Metadata {
        Metadata {
            title: "Programme".into(),
            reference: "programme".into(),
            stamp: Stamp::from_unix(0),
        }
    }

    /// A second of speech-like bursts at `level`, between silences.
    fn bursts(rate: u32, level: f32, hz: f32) -> Pcm {
        let mut samples = vec![0.0; rate as usize / 4];
        samples.extend((0..rate as usize).map(|i| {
            let t = i as f32 / rate as f32;
            level
                * (std::f32::consts::PI * 4.0 * t).sin().abs()
                * (std::f32::consts::TAU * hz * t).sin()
        }));
        samples.extend(vec![0.0; rate as usize / 2]);
        Pcm {
            sample_rate: rate,
            samples,
        }
    }

    #[test]
    fn articles_and_clips_in_order_at_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = Target::default();
        let mut articles = Vec::new();
        for (index, level) in [0.05, 0.3].into_iter().enumerate() {
            let path = dir.path().join(format!("{index}.wav"));
            let mut article = bursts(48000, level, 300.0);
            master_loudness(&mut article.samples, 48000, target);
            write_wav(
                std::fs::File::create(&path).unwrap(),
                &article,
                16,
                &metadata(),
                None,
            )
            .unwrap();
            articles.push(path);
        }
        // A loud stereo 22.05 kHz float sting.
        let sting_path = dir.path().join("sting.wav");
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 22050,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut sting_writer = hound::WavWriter::create(&sting_path, spec).unwrap();
        for s in bursts(22050, 0.9, 880.0).samples {
            sting_writer.write_sample(s).unwrap();
            sting_writer.write_sample(s * 0.5).unwrap();
        }
        sting_writer.finalize().unwrap();
        let intro_path = dir.path().join("intro.wav");
        write_wav(
            std::fs::File::create(&intro_path).unwrap(),
            &bursts(44100, 0.5, 500.0),
            24,
            &metadata(),
            None,
        )
        .unwrap();

        let clips = Clips::load(Some(&intro_path), Some(&sting_path), None, 48000, target).unwrap();
        let sting = clips.sting.as_ref().unwrap();
        assert_eq!(sting.sample_rate, 48000);
        // Both channels mixed into one, resampled, and brought to the target.
        let frames = bursts(22050, 0.9, 880.0).samples.len();
        assert_eq!(sting.samples.len(), (frames * 48000).div_ceil(22050));
        let sting_loudness = measure(&sting.samples, 48000);
        assert!((sting_loudness.integrated_lufs + 23.0).abs() < 0.15);

        let mut out = Cursor::new(Vec::new());
        let format = WavFormat {
            sample_rate: 48000,
            bits: 16,
        };
        let programme =
            write_programme(&mut out, &articles, &clips, format, target, &metadata()).unwrap();
        let intro_len = clips.intro.as_ref().unwrap().samples.len();
        assert_eq!(
            programme.article_starts,
            [intro_len, intro_len + 84000 + sting.samples.len()]
        );
        assert_eq!(programme.len, intro_len + 2 * 84000 + sting.samples.len());

        out.set_position(0);
        let written = crate::audio::wav::read_wav_from(out).unwrap();
        assert_eq!(written.samples.len(), programme.len);
        let check = measure(&written.samples, 48000);
        assert!((check.integrated_lufs + 23.0).abs() < 0.15, "{check:?}");
        assert!(check.true_peak_dbtp <= -1.0, "{check:?}");
        assert!((programme.loudness.integrated_lufs - check.integrated_lufs).abs() < 0.05);
    }

    #[test]
    fn a_missing_clip_names_its_file() {
        let error = Clips::load(
            Some(Path::new("/nonexistent/intro.wav")),
            None,
            None,
            48000,
            Target::default(),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("/nonexistent/intro.wav"),
            "{error}"
        );
    }
}
