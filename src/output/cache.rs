//! The segment cache: one entry per utterance, addressed by a blake3 hash of
//! everything that changes its audio (the engine and its version, the whole
//! voice profile, the exact engine input). A re-run after a crash, or after
//! editing one sentence, re-synthesizes only what is not in the cache.
//!
//! Entries are written atomically (temporary name, then rename) and carry a
//! checksum of every byte the reader uses (the key, the header and the
//! samples), so a truncated or corrupt entry, or one moved under another
//! key, is detected, removed and made again, never used.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::audio::Pcm;

/// Marks a cache entry and its layout version. Version 1 left the sample
/// rate outside its checksum; its entries fail this magic and are made
/// again.
const MAGIC: &[u8; 8] = b"BLTNPCM2";
/// Magic, sample rate, sample count: the fields the checksum follows.
const FIELDS: usize = 8 + 4 + 8;
/// The fields and the checksum.
const HEADER: usize = FIELDS + 32;

/// A folder of cached utterances.
#[derive(Debug, Clone)]
pub struct SegmentCache {
    dir: PathBuf,
}

/// Totals of what a cache folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Number of entries.
    pub entries: u64,
    /// Their total size in bytes.
    pub bytes: u64,
}

impl SegmentCache {
    /// The cache in `dir`; the folder is made on first write.
    pub fn new(dir: impl Into<PathBuf>) -> SegmentCache {
        SegmentCache { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of an utterance: a hash of every part that changes its audio.
    pub fn key(parts: &[&str]) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.pcm"))
    }

    /// The cached audio for `key`, if a sound entry exists. A damaged entry
    /// is removed and reported as missing.
    pub fn get(&self, key: &str) -> Option<Pcm> {
        let path = self.path(key);
        let bytes = std::fs::read(&path).ok()?;
        let pcm = decode(key, &bytes);
        if pcm.is_none() {
            let _ = std::fs::remove_file(&path);
        }
        pcm
    }

    /// Stores audio under `key`. A failure to store is not an error for the
    /// render: the audio was made, only the cache misses it next time.
    pub fn put(&self, key: &str, pcm: &Pcm) -> std::io::Result<()> {
        let path = self.path(key);
        let folder = path.parent().expect("entries sit in a subfolder");
        std::fs::create_dir_all(folder)?;
        let temporary = folder.join(format!(
            ".{key}.{}.{:?}.partial",
            std::process::id(),
            std::thread::current().id()
        ));
        let result = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            // No fsync: an entry a power cut leaves short or empty fails its
            // checksum and is made again, so durability would only cost
            // a blocked synthesis thread per utterance.
            file.write_all(&encode(key, pcm))?;
            std::fs::rename(&temporary, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        result
    }

    /// Counts entries and bytes.
    pub fn stats(&self) -> std::io::Result<CacheStats> {
        let entries = self.entries()?;
        Ok(CacheStats {
            entries: entries.len() as u64,
            bytes: entries.iter().map(|e| e.1).sum(),
        })
    }

    /// Removes the least recently used entries until the cache holds at
    /// most `max_bytes`. Returns what was removed.
    pub fn prune(&self, max_bytes: u64) -> std::io::Result<CacheStats> {
        let mut entries = self.entries()?;
        // Oldest first: reading an entry does not touch it, so the
        // modification time is the last time it was made.
        entries.sort_by_key(|entry| entry.2);
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        let mut removed = CacheStats {
            entries: 0,
            bytes: 0,
        };
        for (path, size, _) in entries {
            if total <= max_bytes {
                break;
            }
            std::fs::remove_file(&path).map_err(naming(&path))?;
            total -= size;
            removed.entries += 1;
            removed.bytes += size;
        }
        Ok(removed)
    }

    /// Every entry: a regular file named `*.pcm` one folder down. Anything
    /// else there (a folder that happens to be named `*.pcm`, a link) was
    /// not made by the cache and is left alone.
    fn entries(&self) -> std::io::Result<Vec<(PathBuf, u64, SystemTime)>> {
        let mut entries = Vec::new();
        let Ok(folders) = std::fs::read_dir(&self.dir) else {
            return Ok(entries);
        };
        for folder in folders {
            let folder = folder.map_err(naming(&self.dir))?.path();
            if !folder.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&folder).map_err(naming(&folder))? {
                let file = file.map_err(naming(&folder))?;
                let path = file.path();
                let metadata = file.metadata().map_err(naming(&path))?;
                if metadata.is_file() && path.extension().is_some_and(|ext| ext == "pcm") {
                    let modified = metadata.modified().map_err(naming(&path))?;
                    entries.push((path, metadata.len(), modified));
                }
            }
        }
        Ok(entries)
    }
}

/// Puts the path an I/O error happened at into its message, so the person
/// reading it knows which file or folder to look at.
fn naming(path: &Path) -> impl Fn(std::io::Error) -> std::io::Error + '_ {
    move |error| std::io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

fn checksum(key: &str, fields: &[u8], payload: &[u8]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(key.len() as u64).to_le_bytes());
    hasher.update(key.as_bytes());
    hasher.update(fields);
    hasher.update(payload);
    hasher.finalize()
}

fn encode(key: &str, pcm: &Pcm) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER + pcm.samples.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&pcm.sample_rate.to_le_bytes());
    bytes.extend_from_slice(&(pcm.samples.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&[0; 32]);
    for sample in &pcm.samples {
        bytes.extend_from_slice(&sample.to_le_bytes());
    }
    let sum = checksum(key, &bytes[..FIELDS], &bytes[HEADER..]);
    bytes[FIELDS..HEADER].copy_from_slice(sum.as_bytes());
    bytes
}

fn decode(key: &str, bytes: &[u8]) -> Option<Pcm> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let (fields, payload) = (&bytes[..FIELDS], &bytes[HEADER..]);
    if checksum(key, fields, payload).as_bytes() != &bytes[FIELDS..HEADER] {
        return None;
    }
    let sample_rate = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let count = usize::try_from(u64::from_le_bytes(bytes[12..20].try_into().ok()?)).ok()?;
    if payload.len() != count.checked_mul(4)? || sample_rate == 0 {
        return None;
    }
    let samples = payload
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Some(Pcm {
        sample_rate,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcm() -> Pcm {
        Pcm {
            sample_rate: 22050,
            samples: vec![0.0, 0.25, -0.5, 1.0],
        }
    }

    #[test]
    fn round_trip_gives_identical_samples() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path());
        let key = SegmentCache::key(&["espeak-ng 1.51", "profile", "ni3 hao3"]);
        assert!(cache.get(&key).is_none());
        cache.put(&key, &pcm()).unwrap();
        assert_eq!(cache.get(&key), Some(pcm()));
        assert_eq!(
            cache.stats().unwrap(),
            CacheStats {
                entries: 1,
                bytes: (HEADER + 16) as u64
            }
        );
    }

    #[test]
    fn truncated_or_corrupt_entries_are_removed_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path());
        for damage in [
            |b: &mut Vec<u8>| b.truncate(b.len() - 3),
            |b: &mut Vec<u8>| *b.last_mut().unwrap() ^= 1,
        ] {
            let key = SegmentCache::key(&["x"]);
            cache.put(&key, &pcm()).unwrap();
            let path = cache.path(&key);
            let mut bytes = std::fs::read(&path).unwrap();
            damage(&mut bytes);
            std::fs::write(&path, bytes).unwrap();
            assert!(cache.get(&key).is_none());
            assert!(!path.exists(), "the damaged entry is removed");
        }
    }

    #[test]
    fn a_flip_of_any_byte_or_a_move_to_another_key_is_detected() {
        let key = SegmentCache::key(&["y"]);
        let bytes = encode(&key, &pcm());
        assert_eq!(decode(&key, &bytes), Some(pcm()));
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x01;
            assert!(decode(&key, &damaged).is_none(), "byte {at} is checked");
        }
        assert!(decode(&SegmentCache::key(&["z"]), &bytes).is_none());
    }

    #[test]
    fn keys_separate_their_parts() {
        assert_ne!(
            SegmentCache::key(&["ab", "c"]),
            SegmentCache::key(&["a", "bc"])
        );
    }

    #[test]
    fn prune_removes_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path());
        let keys: Vec<String> = (0..3)
            .map(|i| SegmentCache::key(&[&i.to_string()]))
            .collect();
        for key in &keys {
            cache.put(key, &pcm()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let entry = (HEADER + 16) as u64;
        let removed = cache.prune(entry * 2).unwrap();
        assert_eq!(removed.entries, 1);
        assert!(cache.get(&keys[0]).is_none());
        assert!(cache.get(&keys[2]).is_some());
    }
}
