//! Joins the manifests that `render --shard K/N` runs wrote into one shared
//! folder into `manifest.json`, as if one machine had rendered everything.

use std::path::{Path, PathBuf};

use super::manifest::{Manifest, Summary};
use crate::audio::wav::WavFormat;

/// Why shard manifests could not be joined.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The folder holds no shard manifests.
    #[error("{0} holds no manifest.shard-K-of-N.json files")]
    NoShards(PathBuf),
    /// Some shards have not written their manifest.
    #[error("{dir} is missing the manifests of shards {missing} of {count}")]
    Missing {
        /// The folder.
        dir: PathBuf,
        /// The missing shard numbers.
        missing: String,
        /// How many shards there are.
        count: u32,
    },
    /// A manifest could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// The manifest.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The shards wrote WAVs of different rates or depths, which one
    /// programme cannot join: they were rendered with different flags.
    #[error(
        "{first} and {other} differ in sample rate or bits: render every shard with the same --rate and --bits"
    )]
    MixedFormats {
        /// The first article's file.
        first: String,
        /// The first article that differs from it.
        other: String,
    },
}

/// Reads every `manifest.shard-K-of-N.json` in `dir`, checks that all N are
/// there, and joins them with the articles in file order; the run's end
/// ([`finish`](super::finish)) writes it as `manifest.json`.
pub fn merge_shards(dir: &Path) -> Result<Manifest, MergeError> {
    let read_error = |path: &Path, message: String| MergeError::Read {
        path: path.to_path_buf(),
        message,
    };
    let mut shards: Vec<(u32, u32, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)
        .map_err(|error| read_error(dir, error.to_string()))?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix("manifest.shard-")
            .and_then(|r| r.strip_suffix(".json"))
        else {
            continue;
        };
        if let Some((index, count)) = rest.split_once("-of-") {
            if let (Ok(index), Ok(count)) = (index.parse(), count.parse()) {
                shards.push((index, count, entry.path()));
            }
        }
    }
    let count = shards
        .iter()
        .map(|s| s.1)
        .max()
        .ok_or_else(|| MergeError::NoShards(dir.to_path_buf()))?;
    let missing: Vec<String> = (1..=count)
        .filter(|k| !shards.iter().any(|s| s.0 == *k && s.1 == count))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing {
            dir: dir.to_path_buf(),
            missing: missing.join(", "),
            count,
        });
    }
    let mut merged = Manifest {
        articles: Vec::new(),
        failed: Vec::new(),
        publish: None,
        feed: None,
        summary: Summary {
            articles: 0,
            failed_articles: 0,
            sentences: 0,
            audio_s: 0.0,
            wall_s: 0.0,
            realtime_factor: 0.0,
        },
        // A programme spans every article; shards each hold only some.
        programme: None,
        job: None,
    };
    for (_, _, path) in shards.iter().filter(|s| s.1 == count) {
        let text =
            std::fs::read_to_string(path).map_err(|error| read_error(path, error.to_string()))?;
        let manifest: Manifest =
            serde_json::from_str(&text).map_err(|error| read_error(path, error.to_string()))?;
        merged.articles.extend(manifest.articles);
        // Every shard of a batch publishes alike; the feed is made here.
        merged.publish = merged.publish.or(manifest.publish);
        merged.failed.extend(manifest.failed);
        // Shards run side by side: the batch took as long as the slowest.
        merged.summary.wall_s = merged.summary.wall_s.max(manifest.summary.wall_s);
    }
    merged.articles.sort_by(|a, b| a.file.cmp(&b.file));
    merged
        .failed
        .sort_by(|a, b| (&a.source, &a.title).cmp(&(&b.source, &b.title)));
    merged.summary = Summary::of(&merged.articles, merged.failed.len(), merged.summary.wall_s);
    Ok(merged)
}

/// The sample rate and bits every article of a joined batch shares, which
/// its programme is written in; `None` for a batch with no articles.
pub fn common_format(manifest: &Manifest) -> Result<Option<WavFormat>, MergeError> {
    let Some(first) = manifest.articles.first() else {
        return Ok(None);
    };
    let format = |a: &super::manifest::ArticleEntry| (a.sample_rate, a.bits);
    if let Some(other) = manifest
        .articles
        .iter()
        .find(|a| format(a) != format(first))
    {
        return Err(MergeError::MixedFormats {
            first: first.file.clone(),
            other: other.file.clone(),
        });
    }
    Ok(Some(WavFormat {
        sample_rate: first.sample_rate,
        bits: first.bits,
    }))
}
