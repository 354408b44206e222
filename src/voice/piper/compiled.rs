//! Piper models compiled for this machine, kept in a folder between runs.
//!
//! Compiling a model (the rewrite of [`super::compile`], then ONNX
//! Runtime's full optimization for this CPU) takes a few tenths of a
//! second; loading the result takes 0.065 s. Each compiled model is a
//! folder of its own, `STEM.MODEL.BUILD`, holding the graph
//! ([`GRAPH`]) and its weights ([`WEIGHTS`]), which ONNX Runtime maps into
//! memory instead of parsing and copying them:
//! - MODEL hashes the model file's path and the kind of CPU (the graph
//!   holds kernels chosen for its vector width), so a folder shared by
//!   several kinds of machine holds one compiled model per kind;
//! - BUILD hashes what else the result depends on: the model file as it is
//!   now (size, times of change, inode), the ONNX Runtime library and the
//!   rewrite's version. A new BUILD replaces the older ones of its MODEL.
//!
//! A compile writes into a temporary folder and renames it into place, so
//! a process never reads half a compiled model; when two processes compile
//! the same model at once, the first to rename wins and the other's folder
//! is removed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The graph's file in a compiled model's folder.
pub const GRAPH: &str = "model.onnx";
/// The weights' file, named by the graph (relative to its folder).
pub const WEIGHTS: &str = "model.onnx.weights";

/// How a compile's temporary folder is named; one left by a killed process
/// is removed by a later compile once it is an hour old.
const COMPILING: &str = ".compiling-";

/// A compiled model's place in the folder, whether or not it is there.
#[derive(Debug)]
pub struct Kept {
    folder: PathBuf,
    /// `STEM.MODEL.`: every build of this model on this kind of CPU.
    model: String,
    /// `STEM.MODEL.BUILD`.
    name: String,
}

impl Kept {
    /// Where the compiled form of `model` is kept in `folder`, with the
    /// ONNX Runtime `runtime` describes (its version and library file);
    /// `None` when the model file cannot be read.
    pub fn place(folder: &Path, model: &Path, runtime: &str) -> Option<Kept> {
        let metadata = std::fs::metadata(model).ok()?;
        let path = std::fs::canonicalize(model).ok()?;
        let stem = model.file_stem()?.to_string_lossy();
        let model_key = hash(&[&path.to_string_lossy(), &cpu_kind()]);
        let build = hash(&[super::compile::FORMAT, runtime, &file_identity(&metadata)]);
        Some(Kept {
            folder: folder.to_path_buf(),
            model: format!("{stem}.{model_key}."),
            name: format!("{stem}.{model_key}.{build}"),
        })
    }

    /// The graph, when this build is kept.
    pub fn graph(&self) -> Option<PathBuf> {
        Some(self.folder.join(&self.name).join(GRAPH)).filter(|graph| graph.is_file())
    }

    /// Runs `compile` on a graph path in a folder of its own, whose weights
    /// go to [`WEIGHTS`] beside it, and keeps the result as this build if it
    /// succeeds and no other process kept one first. Older builds of the
    /// model are removed. `compile`'s result is returned either way.
    pub fn compile<T>(&self, compile: impl FnOnce(&Path) -> Option<T>) -> Option<T> {
        std::fs::create_dir_all(&self.folder).ok()?;
        self.remove_abandoned();
        let compiling = tempfile::Builder::new()
            .prefix(COMPILING)
            .tempdir_in(&self.folder)
            .ok()?;
        let result = compile(&compiling.path().join(GRAPH))?;
        let whole = compiling.path().join(WEIGHTS).is_file();
        if whole && std::fs::rename(compiling.path(), self.folder.join(&self.name)).is_ok() {
            // Renamed: nothing left for the guard to remove.
            let _ = compiling.keep();
            self.remove_older_builds();
        }
        Some(result)
    }

    /// Removes this build, which could not be loaded (damaged, cut short,
    /// made by another build of ONNX Runtime): first renamed out of place,
    /// so that no process loads it meanwhile.
    pub fn discard(&self) {
        let Ok(discarded) = tempfile::Builder::new()
            .prefix(COMPILING)
            .tempdir_in(&self.folder)
        else {
            return;
        };
        // Into the empty folder's place, which the guard then removes with
        // what it holds. If another process discarded it first, nothing
        // moves.
        let _ = std::fs::rename(self.folder.join(&self.name), discarded.path());
    }

    fn remove_older_builds(&self) {
        for entry in self.entries() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(&self.model) && name != self.name {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Temporary folders of compiles that never finished (the process was
    /// killed): a compile takes seconds, so an hour-old one is abandoned.
    fn remove_abandoned(&self) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        for entry in self.entries() {
            let abandoned = entry.file_name().to_string_lossy().starts_with(COMPILING)
                && entry
                    .metadata()
                    .and_then(|metadata| metadata.modified())
                    .is_ok_and(|modified| modified < hour_ago);
            if abandoned {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }

    fn entries(&self) -> impl Iterator<Item = std::fs::DirEntry> {
        std::fs::read_dir(&self.folder)
            .into_iter()
            .flatten()
            .flatten()
    }
}

/// What a file is now: its size, times of change and inode. A model
/// replaced in place with a copy that keeps its size and time (`cp -p`,
/// `rsync -a`) still has another inode and status-change time.
pub fn file_identity(metadata: &std::fs::Metadata) -> String {
    let nanos = |time: std::io::Result<SystemTime>| {
        time.ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos())
    };
    #[cfg(unix)]
    let unix = {
        use std::os::unix::fs::MetadataExt;
        format!(
            "{} {} {}.{}",
            metadata.dev(),
            metadata.ino(),
            metadata.ctime(),
            metadata.ctime_nsec()
        )
    };
    #[cfg(not(unix))]
    let unix = String::new();
    format!("{} {} {unix}", metadata.len(), nanos(metadata.modified()))
}

fn hash(parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// The CPU features ONNX Runtime's kernels are chosen by.
#[cfg(target_arch = "x86_64")]
fn cpu_kind() -> String {
    let features = [
        ("avx", std::arch::is_x86_feature_detected!("avx")),
        ("avx2", std::arch::is_x86_feature_detected!("avx2")),
        ("fma", std::arch::is_x86_feature_detected!("fma")),
        ("avx512f", std::arch::is_x86_feature_detected!("avx512f")),
        ("avx512bw", std::arch::is_x86_feature_detected!("avx512bw")),
        ("avx512dq", std::arch::is_x86_feature_detected!("avx512dq")),
        ("avx512vl", std::arch::is_x86_feature_detected!("avx512vl")),
    ];
    let present: Vec<&str> = features
        .iter()
        .filter(|(_, present)| *present)
        .map(|(name, _)| *name)
        .collect();
    format!("x86_64 {}", present.join(" "))
}

/// The CPU features ONNX Runtime's kernels are chosen by.
#[cfg(not(target_arch = "x86_64"))]
fn cpu_kind() -> String {
    std::env::consts::ARCH.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A folder with a model file in it.
    fn model() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("voice.onnx");
        std::fs::write(&model, b"model").unwrap();
        (dir, model)
    }

    /// A stand-in for ONNX Runtime's save: the graph and its weights.
    fn save(graph: &Path) -> Option<&'static str> {
        std::fs::write(graph, b"graph").ok()?;
        std::fs::write(graph.with_file_name(WEIGHTS), b"weights").ok()?;
        Some("session")
    }

    #[test]
    fn a_compile_is_kept_whole_and_replaces_older_builds_of_its_model() {
        let (dir, model) = model();
        let folder = dir.path().join("kept");
        let kept = Kept::place(&folder, &model, "runtime 1").unwrap();
        assert_eq!(kept.graph(), None);
        assert_eq!(kept.compile(save), Some("session"));
        let graph = kept.graph().unwrap();
        assert_eq!(
            std::fs::read(graph.with_file_name(WEIGHTS)).unwrap(),
            b"weights"
        );
        let first = folders(&folder);
        assert_eq!(first.len(), 1, "{first:?}");
        assert!(first[0].starts_with("voice."));

        // Another runtime is another build, which replaces the first.
        let other = Kept::place(&folder, &model, "runtime 2").unwrap();
        assert_eq!(other.graph(), None);
        other.compile(save).unwrap();
        assert_eq!(kept.graph(), None);
        assert!(other.graph().is_some());
        assert_eq!(folders(&folder).len(), 1);

        // A model rewritten in place is another build too.
        std::fs::write(&model, b"another model").unwrap();
        let rewritten = Kept::place(&folder, &model, "runtime 2").unwrap();
        assert_eq!(rewritten.graph(), None);
    }

    #[test]
    fn a_failed_or_partial_compile_leaves_nothing_and_a_discarded_build_goes() {
        let (dir, model) = model();
        let folder = dir.path().join("kept");
        let kept = Kept::place(&folder, &model, "runtime").unwrap();
        assert_eq!(kept.compile(|_| None::<()>), None);
        assert!(folders(&folder).is_empty());
        // A graph without its weights is used but not kept.
        let graph_only = kept.compile(|graph| std::fs::write(graph, b"graph").ok());
        assert_eq!(graph_only, Some(()));
        assert!(folders(&folder).is_empty());
        assert_eq!(kept.graph(), None);

        kept.compile(save).unwrap();
        assert!(kept.graph().is_some());
        kept.discard();
        assert_eq!(kept.graph(), None);
        assert!(folders(&folder).is_empty());
    }

    #[test]
    fn an_abandoned_compile_is_removed_once_an_hour_old() {
        let (dir, model) = model();
        let folder = dir.path().join("kept");
        let fresh = folder.join(format!("{COMPILING}fresh"));
        let old = folder.join(format!("{COMPILING}old"));
        std::fs::create_dir_all(&fresh).unwrap();
        std::fs::create_dir_all(&old).unwrap();
        let two_hours_ago = SystemTime::now() - Duration::from_secs(7200);
        std::fs::File::open(&old)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        let kept = Kept::place(&folder, &model, "runtime").unwrap();
        kept.compile(save).unwrap();
        assert!(fresh.exists());
        assert!(!old.exists());
    }
}
