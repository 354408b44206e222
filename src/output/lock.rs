//! One run at a time per output folder, or per shard for shards, so two
//! runs never mix their files or delete each other's work in progress.
//!
//! An advisory `flock` on a hidden lock file: a run without `--shard`
//! holds `.bulletin.lock` exclusively; a shard holds it shared (shards of
//! one batch run side by side) and its own `.bulletin.shard-K-of-N.lock`
//! exclusively. The kernel releases a lock when its holder dies however it
//! dies, so a killed run never blocks the next one, in any PID namespace
//! (flock is per open file, not per process id). A lock held elsewhere is
//! not waited for: the run is refused before any work, naming the holder
//! (host, process and start time, written into the file it holds
//! exclusively). The files are removed when the run ends.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::OutputError;

/// The locks a run holds on its output folder, released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    /// The folder lock, and for a shard its own lock, with their paths.
    held: Vec<(PathBuf, File, bool)>,
    /// The folder, when this claim made it: a run refused after the claim
    /// (a bad clip) leaves no empty folder behind.
    made: Option<PathBuf>,
}

/// Takes the output folder `dir` (made if missing) for one run, or for
/// shard `(K, N)`. Refused, with who holds it, when another live run
/// writes there; an error also when the folder cannot be made or written.
pub fn claim(dir: &Path, shard: Option<(u32, u32)>) -> Result<FolderLock, OutputError> {
    let made = (!dir.exists()).then(|| dir.to_path_buf());
    super::create_dir(dir)?;
    let folder = dir.join(".bulletin.lock");
    let mut held = Vec::new();
    match shard {
        None => held.push((folder.clone(), take(&folder, true, dir)?, true)),
        Some((index, count)) => {
            held.push((folder.clone(), take(&folder, false, dir)?, false));
            let own = dir.join(format!(".bulletin.shard-{index}-of-{count}.lock"));
            held.push((own.clone(), take(&own, true, dir)?, true));
        }
    }
    for (_, file, exclusive) in &mut held {
        if *exclusive {
            // Who holds it, for the message a refused run prints.
            let _ = file.set_len(0);
            let _ = writeln!(file, "{}", holder());
        }
    }
    Ok(FolderLock { held, made })
}

/// Opens and locks `path` (exclusively or shared) without waiting. A lock
/// file another run removed while this one opened it is opened again, so
/// two runs never hold locks on two different files of the same name.
fn take(path: &Path, exclusive: bool, dir: &Path) -> Result<File, OutputError> {
    let not_writable = |source| OutputError::NotWritable {
        path: dir.to_path_buf(),
        source,
    };
    loop {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(not_writable)?;
        let operation = if exclusive {
            libc::LOCK_EX
        } else {
            libc::LOCK_SH
        };
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), operation | libc::LOCK_NB) } != 0 {
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::WouldBlock {
                return Err(not_writable(error));
            }
            return Err(OutputError::Locked {
                path: dir.to_path_buf(),
                holder: holder_of(dir),
            });
        }
        let same =
            |a: &std::fs::Metadata, b: &std::fs::Metadata| a.dev() == b.dev() && a.ino() == b.ino();
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(open), Ok(named)) if same(&open, &named) => return Ok(file),
            _ => {}
        }
    }
}

/// This run: host, process id and start time.
fn holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map_or_else(|_| "this host".into(), |h| h.trim().to_string());
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "process {} on {host}, started at {started} (seconds since 1970)",
        std::process::id()
    )
}

/// What the lock files of `dir` say of the runs holding them.
fn holder_of(dir: &Path) -> String {
    let mut holders = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let mut names: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(".bulletin.") && name.ends_with(".lock")
        })
        .collect();
    names.sort();
    for path in names {
        let mut text = String::new();
        if File::open(&path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .is_ok()
            && !text.trim().is_empty()
        {
            holders.push(text.trim().to_string());
        }
    }
    if holders.is_empty() {
        "another run".into()
    } else {
        holders.join("; ")
    }
}

impl Drop for FolderLock {
    /// Removes the lock files this run may remove: its exclusive ones, and
    /// the shared folder lock when no other shard still holds it.
    fn drop(&mut self) {
        for (path, file, exclusive) in self.held.iter().rev() {
            // SAFETY: flock on a descriptor this lock owns.
            let alone = *exclusive
                || unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
            if alone {
                let _ = std::fs::remove_file(path);
            }
        }
        if let Some(dir) = &self.made {
            // Only when empty: nothing written is ever removed.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_shards_exclude_each_other_as_documented() {
        let dir = tempfile::tempdir().unwrap();
        let locked = |result: Result<FolderLock, OutputError>| {
            matches!(result, Err(OutputError::Locked { .. }))
        };
        // (held, then tried, refused?)
        let cases = [
            (None, None, true),
            (None, Some((1, 2)), true),
            (Some((1, 2)), None, true),
            (Some((1, 2)), Some((1, 2)), true),
            (Some((1, 2)), Some((2, 2)), false),
        ];
        for (held, tried, refused) in cases {
            let first = claim(dir.path(), held).unwrap();
            let second = claim(dir.path(), tried);
            assert_eq!(locked(second), refused, "{held:?} then {tried:?}");
            drop(first);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(names.is_empty(), "lock files are removed: {names:?}");
    }
}
