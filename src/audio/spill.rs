//! A spill file: an article's samples kept on disk between the pass that
//! measures them and the pass that writes them gained, so memory does not
//! grow with the article's length.
//!
//! The file is anonymous: made in the output folder (so it is on the disk
//! the output goes to, and a full disk shows up here, not in a hidden
//! system folder) with no name in it, so the operating system removes it
//! however the process ends — an error, Ctrl-C, or kill -9 — and nothing
//! is ever left for a later run to clean up.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes buffered between the spill and the disk, each way.
const BUFFER: usize = 1 << 18;
const SAMPLE: usize = std::mem::size_of::<f32>();

/// Why the spill failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} the spill file of {file} in {}", folder.display())]
pub struct SpillError {
    /// What was being done: make, write or read.
    action: &'static str,
    /// The output file the spill is for, as given to [`Spill::new`].
    file: String,
    /// Where the spill is.
    folder: PathBuf,
    /// What the operating system said.
    #[source]
    source: std::io::Error,
}

/// f32 samples appended in pieces and read back in pieces, as often as
/// needed.
pub struct Spill {
    writer: BufWriter<File>,
    /// Samples appended.
    len: u64,
    /// Whether the file's position is at its end: reading moves it.
    at_end: bool,
    file: String,
    folder: PathBuf,
}

impl Spill {
    /// A new empty spill in `folder` for the output `file` (named in
    /// errors).
    pub fn new(folder: &Path, file: &str) -> Result<Spill, SpillError> {
        let handle = tempfile::tempfile_in(folder).map_err(|source| SpillError {
            action: "make",
            file: file.to_string(),
            folder: folder.to_path_buf(),
            source,
        })?;
        Ok(Spill {
            writer: BufWriter::with_capacity(BUFFER, handle),
            len: 0,
            at_end: true,
            file: file.to_string(),
            folder: folder.to_path_buf(),
        })
    }

    fn error(&self, action: &'static str, source: std::io::Error) -> SpillError {
        SpillError {
            action,
            file: self.file.clone(),
            folder: self.folder.clone(),
            source,
        }
    }

    /// Appends samples.
    pub fn push(&mut self, samples: &[f32]) -> Result<(), SpillError> {
        if !self.at_end {
            self.writer
                .seek(SeekFrom::End(0))
                .map_err(|e| self.error("write", e))?;
            self.at_end = true;
        }
        let mut bytes = [0u8; 4096];
        for piece in samples.chunks(bytes.len() / SAMPLE) {
            for (slot, sample) in bytes.chunks_exact_mut(SAMPLE).zip(piece) {
                slot.copy_from_slice(&sample.to_le_bytes());
            }
            self.writer
                .write_all(&bytes[..piece.len() * SAMPLE])
                .map_err(|e| self.error("write", e))?;
        }
        self.len += samples.len() as u64;
        Ok(())
    }

    /// Samples appended so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing was appended.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads everything appended, from the start, in pieces.
    pub fn read(&mut self) -> Result<SpillReader<'_>, SpillError> {
        self.writer.flush().map_err(|e| self.error("write", e))?;
        self.at_end = false;
        let spill: &Spill = self;
        let mut file = spill.writer.get_ref();
        file.seek(SeekFrom::Start(0))
            .map_err(|e| spill.error("read", e))?;
        Ok(SpillReader {
            reader: BufReader::with_capacity(BUFFER, file),
            left: spill.len,
            bytes: Vec::new(),
            spill,
        })
    }
}

/// The samples of a [`Spill`] from the start.
pub struct SpillReader<'a> {
    reader: BufReader<&'a File>,
    left: u64,
    bytes: Vec<u8>,
    spill: &'a Spill,
}

impl SpillReader<'_> {
    /// The next up to `max` samples into `out` (cleared first); an empty
    /// `out` is the end.
    pub fn next_into(&mut self, out: &mut Vec<f32>, max: usize) -> Result<(), SpillError> {
        out.clear();
        let count = usize::try_from(self.left).unwrap_or(usize::MAX).min(max);
        self.bytes.resize(count * SAMPLE, 0);
        self.reader
            .read_exact(&mut self.bytes)
            .map_err(|e| self.spill.error("read", e))?;
        self.left -= count as u64;
        out.extend(
            self.bytes
                .chunks_exact(SAMPLE)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(spill: &mut Spill, piece: usize) -> Vec<f32> {
        let mut reader = spill.read().unwrap();
        let (mut all, mut buffer) = (Vec::new(), Vec::new());
        loop {
            reader.next_into(&mut buffer, piece).unwrap();
            if buffer.is_empty() {
                return all;
            }
            all.extend_from_slice(&buffer);
        }
    }

    #[test]
    fn samples_come_back_exactly_as_often_as_asked_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::new(dir.path(), "01-storm.wav").unwrap();
        let samples: Vec<f32> = (0..300_001)
            .map(|i| (i as f32 * 0.001).sin() * 1.5 - f32::MIN_POSITIVE)
            .collect();
        for piece in samples.chunks(7777) {
            spill.push(piece).unwrap();
        }
        assert_eq!(spill.len(), 300_001);
        // Nothing in the folder at any time: the file has no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert_eq!(read_all(&mut spill, 65_536), samples);
        assert_eq!(read_all(&mut spill, 1000), samples, "a second pass");
        // Appending after a read that stopped early goes at the end.
        spill.read().unwrap().next_into(&mut Vec::new(), 5).unwrap();
        spill.push(&[0.25]).unwrap();
        let again = read_all(&mut spill, 10);
        assert_eq!(again.len(), 300_002);
        assert_eq!((&again[..300_001], again[300_001]), (&samples[..], 0.25));
        drop(spill);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_missing_folder_is_named_with_the_file() {
        let error = Spill::new(Path::new("/nonexistent/out"), "01-storm.wav")
            .err()
            .unwrap();
        let text = error.to_string();
        assert!(
            text.contains("01-storm.wav") && text.contains("/nonexistent/out"),
            "{text}"
        );
    }
}
