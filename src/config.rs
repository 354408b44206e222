//! The plain, already-merged settings a bulletin run uses.
//!
//! Precedence, lowest first: built-in defaults < the voice profile's own
//! settings (rate, pitch, pauses) < command-line flags. The CLI builds this
//! once; the library never sees clap types.

use std::path::PathBuf;

use crate::ingest::decode::TextEncoding;

/// Inputs larger than this are refused unless `--max-input-size` raises it.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 50 << 20;

/// Where input text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A file, or a folder whose files of a readable format (`.txt`, `.md`,
    /// `.html`, `.htm`, `.xml`, `.rss`, `.atom`) are read in name order.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

/// Settings for `plan` and `render`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Inputs in the order given.
    pub inputs: Vec<InputSource>,
    /// The encoding every input is read in; `None` detects each one's.
    pub encoding: Option<TextEncoding>,
    /// Inputs larger than this many bytes are refused.
    pub max_input_size: u64,
    /// Folder for WAVs and `manifest.json`.
    pub out_dir: PathBuf,
    /// A profile name to use for its language instead of the default one.
    pub voice: Option<String>,
    /// Folder of voice profiles that overrides the built-in ones.
    pub voices_dir: Option<PathBuf>,
    /// Lexicon files that add to the built-in one, later files winning.
    pub lexicons: Vec<PathBuf>,
    /// Upper bound on parallel synthesis jobs; `None` means one per core.
    pub jobs: Option<usize>,
    /// Hide progress bars (the final summary line is still printed).
    pub quiet: bool,
    /// The segment cache folder; `None` renders without a cache.
    pub cache_dir: Option<PathBuf>,
    /// Stop at the first article that fails.
    pub fail_fast: bool,
    /// Render only this share of the articles.
    pub shard: Option<Shard>,
    /// How progress and events are reported on stderr.
    pub log_format: LogFormat,
}

/// One of `count` deterministic shares of a batch (`--shard K/N`), chosen by
/// article id so that adding an input does not move the other articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 1-based.
    pub index: u32,
    /// How many shares.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let invalid = || format!("{text:?} is not a shard like 2/8 (K/N with 1 <= K <= N)");
        let (index, count) = text.split_once('/').ok_or_else(invalid)?;
        let index: u32 = index.trim().parse().map_err(|_| invalid())?;
        let count: u32 = count.trim().parse().map_err(|_| invalid())?;
        if index == 0 || index > count {
            return Err(invalid());
        }
        Ok(Shard { index, count })
    }

    /// True when the article with this id belongs to this share.
    pub fn includes(&self, article_id: &str) -> bool {
        let hash = blake3::hash(article_id.as_bytes());
        let value = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
        value % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// How a render reports what it does on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Progress bars on a terminal and one summary line.
    #[default]
    Text,
    /// One JSON object per event (start, article done, article failed,
    /// summary), for schedulers.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            inputs: Vec::new(),
            encoding: None,
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
            out_dir: PathBuf::from("output"),
            voice: None,
            voices_dir: None,
            lexicons: Vec::new(),
            jobs: None,
            quiet: false,
            cache_dir: None,
            fail_fast: false,
            shard: None,
            log_format: LogFormat::Text,
        }
    }
}

/// Reads a size in bytes as a person writes it: `1000`, `64K`, `50M`,
/// `2G` (units of 1024, with an optional `B` or `iB`, any case).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let lower = text.trim().to_ascii_lowercase();
    let number_end = lower
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(lower.len());
    let (number, unit) = lower.split_at(number_end);
    let shift = match unit.trim().trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        _ => {
            return Err(format!(
                "\"{text}\" is not a size: write e.g. 500K, 50M or 2G"
            ))
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|&bytes| bytes > 0)
        .ok_or_else(|| format!("\"{text}\" is not a size: write e.g. 500K, 50M or 2G"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_article_exactly_once() {
        let shards: Vec<Shard> = (1..=4)
            .map(|k| Shard::parse(&format!("{k}/4")).unwrap())
            .collect();
        for i in 0..200 {
            let id = format!("article-{i}");
            assert_eq!(shards.iter().filter(|s| s.includes(&id)).count(), 1);
        }
        assert!(
            Shard::parse("0/4").is_err()
                && Shard::parse("5/4").is_err()
                && Shard::parse("x").is_err()
        );
    }

    #[test]
    fn sizes_parse_with_units() {
        let cases = [
            ("1000", Some(1000)),
            ("64K", Some(64 << 10)),
            ("50M", Some(50 << 20)),
            ("50mb", Some(50 << 20)),
            ("2 GiB", Some(2 << 30)),
            ("1B", Some(1)),
            ("0", None),
            ("M", None),
            ("12T", None),
            ("-5", None),
            ("99999999999999999999G", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_size(text).ok(), expected, "{text}");
        }
    }
}
