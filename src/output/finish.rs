//! What a run writes once its articles are written: the programme (with
//! its published files), the podcast feed and the manifest. `render` and
//! `merge` both end here, so a sharded batch ends as a single run does.

use std::path::Path;

use super::manifest::Manifest;
use super::programme::{write_programme_files, ProgrammeMix};
use super::publish::episode::Run;
use super::publish::{files, PublishSettings};
use super::write::{write_with, ManifestJson};
use super::OutputError;

/// What ends a run.
pub struct Ending<'a> {
    /// The programme to mix from the written articles, when asked for.
    pub programme: Option<ProgrammeMix<'a>>,
    /// What is published besides the WAVs.
    pub publish: &'a PublishSettings,
    /// What every published file of the run shares; its stamp dates the
    /// programme.
    pub run: &'a Run,
    /// Whether this run writes the feed: a shard's would hold only its
    /// share, so `merge` writes it.
    pub feed: bool,
    /// The manifest file to write.
    pub manifest: ManifestJson,
}

/// Writes the programme (when asked for and there are articles), the feed
/// and the manifest, and lists them in `manifest`. The manifest is written
/// even when the programme or the feed could not be, so that the run's
/// failures are kept; the first error is returned, the manifest's first.
pub fn finish(dir: &Path, manifest: &mut Manifest, ending: &Ending<'_>) -> Result<(), OutputError> {
    let programme = ending
        .programme
        .as_ref()
        .filter(|_| !manifest.articles.is_empty());
    let programme = programme
        .map(|mix| {
            let articles = &manifest.articles;
            let mut entry = write_programme_files(dir, articles, mix, &ending.run.stamp)?;
            files::publish_programme(dir, &mut entry, articles, ending.publish, ending.run)?;
            Ok(entry)
        })
        .transpose();
    let programme_error = match programme {
        Ok(programme) => {
            manifest.programme = programme;
            None
        }
        Err(error) => Some(error),
    };
    let feed = if ending.feed {
        files::publish_feed(dir, manifest, ending.publish, ending.run)
    } else {
        Ok(None)
    };
    let feed_error = match feed {
        Ok(feed) => {
            manifest.feed = feed;
            None
        }
        Err(error) => Some(error),
    };
    write_with(dir, manifest, &[&ending.manifest])?;
    programme_error.or(feed_error).map_or(Ok(()), Err)
}
