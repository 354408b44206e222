//! Output stage: every file a run writes (article WAVs, subtitles, MP3 and
//! Opus, the programme, the playlist, the feed, the manifest), the file
//! names, atomic writes, the folder's lock, the segment cache and the
//! joining of shards.

pub mod cache;
pub mod finish;
pub mod lock;
pub mod manifest;
pub mod merge;
pub mod names;
pub mod playlist;
pub mod programme;
pub mod publish;
pub mod subtitles;
pub mod write;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::pcm::Pcm;
use crate::voice::UtteranceStore;

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder could not be made.
    #[error("cannot create output folder {path}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The output folder cannot be written into; found before any work.
    #[error("cannot write into the output folder {path}")]
    NotWritable {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// Another live run writes into the same folder (or the same shard).
    #[error("another bulletin run is writing into {path} ({holder}); wait for it to finish or choose another --out")]
    Locked {
        /// The folder.
        path: PathBuf,
        /// Who holds it, as its lock files say.
        holder: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}

/// The segment cache is the voice stage's store of utterances.
impl UtteranceStore for cache::SegmentCache {
    fn get(&self, key_parts: &[&str]) -> Option<Pcm> {
        cache::SegmentCache::get(self, &cache::SegmentCache::key(key_parts))
    }

    fn put(&self, key_parts: &[&str], pcm: &Pcm) {
        // A cache that cannot be written costs speed next time, not audio now.
        let _ = cache::SegmentCache::put(self, &cache::SegmentCache::key(key_parts), pcm);
    }
}

/// Writes a file under a temporary name in the same folder, then renames it
/// into place, so readers never see a partial file.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let error = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.partial", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&temporary)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        writer.flush()?;
        writer.get_ref().sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(error)
}

/// Makes the output folder if it does not exist.
pub fn create_dir(path: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(path).map_err(|source| OutputError::CreateDir {
        path: path.to_path_buf(),
        source,
    })
}

/// Removes the temporary files that a killed run left in `folder` for the
/// files this run owns (`owned` says which). A run holds the folder's lock
/// (or its shard's), so no live run writes those names; the partials of
/// other shards' files are left alone, whichever machine or PID namespace
/// their writer runs in.
pub fn remove_stale_partials(folder: &Path, owned: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".partial"))
        else {
            continue;
        };
        // `.NAME.PID.partial`: the file it was to become is NAME.
        let target = stem.rsplit_once('.').map_or(stem, |(target, _)| target);
        if owned(target) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_is_in_place_whole_with_no_partial_left() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.txt");
        write_atomic(&path, |file| file.write_all(b"whole")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"whole");
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[test]
    fn a_failed_write_leaves_neither_file_nor_partial() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.txt");
        let result = write_atomic(&path, |_| Err(std::io::Error::other("engine died")));
        assert!(matches!(result, Err(OutputError::Write { path: p, .. }) if p == path));
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
    }
}
