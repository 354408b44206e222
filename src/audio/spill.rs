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
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes buffered between the spill and the disk.
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

/// f32 samples appended in pieces; once finished, read back in pieces as
/// often as needed.
pub struct Spill {
    writer: BufWriter<File>,
    /// Samples appended.
    len: u64,
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

    /// Ends appending: the samples, read-only from here on, so any number
    /// of readers may go through them.
    pub fn finish(self) -> Result<Spilled, SpillError> {
        let (file, folder, len) = (self.file.clone(), self.folder.clone(), self.len);
        let handle = self.writer.into_inner().map_err(|e| SpillError {
            action: "write",
            file: file.clone(),
            folder: folder.clone(),
            source: e.into_error(),
        })?;
        Ok(Spilled {
            handle,
            len,
            file,
            folder,
        })
    }
}

/// The samples of a finished [`Spill`].
pub struct Spilled {
    handle: File,
    len: u64,
    file: String,
    folder: PathBuf,
}

impl Spilled {
    /// Samples in it.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Gives every sample, in order, to `each`, in pieces of at most
    /// `piece` samples.
    pub fn for_each_piece<E: From<SpillError>>(
        &self,
        piece: usize,
        mut each: impl FnMut(&mut [f32]) -> Result<(), E>,
    ) -> Result<(), E> {
        let piece = piece.max(1);
        let mut bytes = vec![0u8; piece * SAMPLE];
        let mut samples = Vec::with_capacity(piece);
        let mut at = 0u64;
        while at < self.len {
            let count = usize::try_from(self.len - at)
                .unwrap_or(usize::MAX)
                .min(piece);
            let bytes = &mut bytes[..count * SAMPLE];
            // Positioned reads: no shared file position to race on.
            self.handle
                .read_exact_at(bytes, at * SAMPLE as u64)
                .map_err(|source| SpillError {
                    action: "read",
                    file: self.file.clone(),
                    folder: self.folder.clone(),
                    source,
                })?;
            samples.clear();
            samples.extend(
                bytes
                    .chunks_exact(SAMPLE)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
            each(&mut samples)?;
            at += count as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(spilled: &Spilled, piece: usize) -> Vec<f32> {
        let mut all = Vec::new();
        spilled
            .for_each_piece(piece, |samples| {
                assert!(samples.len() <= piece);
                all.extend_from_slice(samples);
                Ok::<_, SpillError>(())
            })
            .unwrap();
        all
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
        let spilled = spill.finish().unwrap();
        assert_eq!(read_all(&spilled, 65_536), samples);
        assert_eq!(read_all(&spilled, 1000), samples, "a second pass");
        drop(spilled);
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
