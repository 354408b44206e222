//! What each command does with the settings, from the inputs to the
//! manifest: `plan` reads and plans, `render` runs a job once (its folder
//! claimed, a job already done found done), `merge` joins a sharded batch
//! and ends it as a single run ends. The binary only prints the result.

use std::collections::BTreeSet;
use std::path::Path;

use crate::audio::Target;
use crate::config::{job_key, Config, Environment, ProgrammeConfig};
use crate::error::Error;
use crate::ingest::{self, Document};
use crate::output::finish::{finish, Ending};
use crate::output::manifest::Manifest;
use crate::output::programme::ProgrammeMix;
use crate::output::publish::episode::{check_feed, Run};
use crate::output::write::{self, ManifestJson};
use crate::output::{lock, merge};
use crate::pipeline::{self, Plan, PlannedArticle};
use crate::text::lexicon::Lexicon;
use crate::text::pinyin::Pronouncer;
use crate::voice::VoiceSet;

/// What a run reads before it plans: the voices, the inputs, the lexicon.
fn read(config: &Config) -> Result<(VoiceSet, Vec<Document>, Lexicon), Error> {
    let voices = VoiceSet::load(config.voices_dir.as_deref(), config.voice.as_deref())?
        .checked_with(config.engines.clone());
    let documents = ingest::read_inputs(&config.ingest)?;
    let lexicon = Lexicon::load(&config.lexicons)?;
    Ok((voices, documents, lexicon))
}

/// Reads the inputs and plans them, for `plan` and `speak`.
pub fn plan(config: &Config) -> Result<(Plan, VoiceSet), Error> {
    let (voices, documents, lexicon) = read(config)?;
    let plan = pipeline::plan(&documents, &voices, &Pronouncer::new(lexicon))?;
    Ok((plan, voices))
}

/// Renders a job into its output folder, which it holds for the run: the
/// inputs are read and dated, the job keyed, and, unless an earlier run
/// of the same job left every file in place, planned and rendered.
/// Returns the manifest (see [`pipeline::render`] for its errors).
pub fn render(mut config: Config) -> Result<Manifest, Error> {
    // A feed that cannot be added to stops the run before any work.
    if config.publish.podcast.is_some() && config.shard.is_none() {
        check_feed(&config.out_dir).map_err(|e| Error::Usage(crate::error::chain(&e)))?;
    }
    let (voices, documents, lexicon) = read(&config)?;
    let modified = documents.iter().filter_map(|document| document.modified);
    config.stamp = Some(config.environment.stamp(modified));
    // Planned before the job is keyed: which voice reads a language by
    // default depends on what is installed, and a job whose English moved
    // from Piper to espeak-ng (or back) between two runs is another job.
    // The pronouncer (its word segmenter's dictionaries, some 20 MiB) is
    // dropped once the key is made, before synthesis.
    let plan = {
        let pronouncer = Pronouncer::new(lexicon);
        let plan = pipeline::plan(&documents, &voices, &pronouncer)?;
        let reading: BTreeSet<&str> = plan
            .articles
            .iter()
            .flat_map(PlannedArticle::voices)
            .collect();
        config.job = Some(job_key(
            &documents,
            &voices,
            &reading,
            pronouncer.lexicon(),
            &config,
        ));
        plan
    };
    drop(documents);
    let manifest_file = config.manifest_file();
    let _lock = lock::claim(&config.out_dir, manifest_file.shard)?;
    let job = config.job.as_deref().unwrap_or_default();
    if let Some(done) = write::finished(&config.out_dir, manifest_file, job) {
        return Ok(done);
    }
    pipeline::render(&plan, &voices, &config)
}

/// Joins the manifests that `render --shard K/N` wrote into `dir` and ends
/// the batch as a single run would: the programme of every shard's
/// articles when asked for (at `target`), the published programme and
/// feed as the shards published, and `manifest.json`. The batch is dated
/// `SOURCE_DATE_EPOCH`, else by its newest article file.
pub fn merge(
    dir: &Path,
    programme: Option<&ProgrammeConfig>,
    target: Target,
    environment: &Environment,
) -> Result<Manifest, Error> {
    let mut manifest = merge::merge_shards(dir)?;
    let format = match programme {
        Some(_) => merge::common_format(&manifest)?,
        None => None,
    };
    let clips = programme
        .zip(format)
        .map(|(programme, format)| programme.clips(format.sample_rate, target))
        .transpose()?;
    let modified = manifest.articles.iter().filter_map(|a| {
        let metadata = std::fs::metadata(dir.join(&a.file)).ok()?;
        metadata.modified().ok()
    });
    let stamp = environment.stamp(modified);
    let publish = manifest.publish.clone().unwrap_or_default();
    let run = Run::publishing(stamp, &publish);
    let ending = Ending {
        programme: clips
            .as_ref()
            .zip(format)
            .map(|(clips, format)| ProgrammeMix {
                clips,
                format,
                target,
            }),
        publish: &publish,
        run: &run,
        feed: true,
        manifest: ManifestJson::default(),
    };
    finish(dir, &mut manifest, &ending)?;
    Ok(manifest)
}
