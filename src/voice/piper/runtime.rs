//! ONNX Runtime for Piper voices: found on disk, loaded at run time, one
//! session per worker thread.
//!
//! Nothing is downloaded: the library comes from the `onnxruntime` wheel
//! that `scripts/setup` installs, found through `ORT_DYLIB_PATH` or at
//! `~/.local/share/bulletin/lib/libonnxruntime.so`. Every rayon worker keeps
//! its own session per model for the whole run (a session runs one
//! inference at a time), and sessions share the cores instead of each
//! spreading over all of them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::session::builder::GraphOptimizationLevel;
use ort::session::{Session, SessionInputValue};
use ort::value::Tensor;

use crate::voice::EngineError;

/// The oldest ONNX Runtime whose API the `ort` crate in use speaks.
const MIN_MINOR: u32 = ort::MINOR_VERSION;

/// How to get the runtime, for messages.
const INSTALL: &str = "scripts/setup (it installs onnxruntime 1.22.1 from PyPI into \
~/.local/share/bulletin/lib), or set ORT_DYLIB_PATH to a libonnxruntime 1.22 or newer";

#[cfg(target_os = "macos")]
const LIBRARY: &str = "libonnxruntime.dylib";
#[cfg(target_os = "windows")]
const LIBRARY: &str = "onnxruntime.dll";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const LIBRARY: &str = "libonnxruntime.so";

/// Where bulletin keeps what `scripts/setup` installs:
/// `$XDG_DATA_HOME/bulletin`, by default `~/.local/share/bulletin`, from
/// those variables' values (the settings read them).
pub fn data_dir(xdg_data_home: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    xdg_data_home
        .map(Path::to_path_buf)
        .or_else(|| home.map(|home| home.join(".local/share")))
        .map(|base| base.join("bulletin"))
}

/// Where Piper voice models are looked up by relative name:
/// `BULLETIN_MODELS`' value, else the `voices` folder of [`data_dir`].
pub fn models_dir(bulletin_models: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    bulletin_models
        .map(Path::to_path_buf)
        .or_else(|| data_dir.map(|dir| dir.join("voices")))
}

/// The ONNX Runtime library: `ORT_DYLIB_PATH`'s value, else the `lib`
/// folder of [`data_dir`].
pub fn library_path(ort_dylib_path: Option<&Path>, data_dir: Option<&Path>) -> Option<PathBuf> {
    ort_dylib_path
        .map(Path::to_path_buf)
        .or_else(|| data_dir.map(|dir| dir.join("lib").join(LIBRARY)))
}

/// ONNX Runtime, once loaded, or why it cannot be used.
static RUNTIME: OnceLock<Result<(), EngineError>> = OnceLock::new();

/// Loads ONNX Runtime from `library` ([`library_path`]) once per process
/// and reports why it cannot be used.
pub fn ensure(library: Option<&Path>) -> Result<(), EngineError> {
    RUNTIME
        .get_or_init(|| {
            let path = library.ok_or_else(|| not_installed("(no HOME to look in)"))?;
            let version = library_version(path)?;
            let minor: u32 = version
                .split('.')
                .nth(1)
                .and_then(|minor| minor.parse().ok())
                .unwrap_or(0);
            if !version.starts_with("1.") || minor < MIN_MINOR {
                return Err(failed(format!(
                    "ONNX Runtime {version} at {} is too old; bulletin needs 1.{MIN_MINOR} or newer; \
                     install it with: {INSTALL}",
                    path.display()
                )));
            }
            ort::init_from(path.to_string_lossy())
                .with_name("bulletin")
                .commit()
                .map(|_| ())
                .map_err(|error| failed(format!("ONNX Runtime did not start: {error}")))
        })
        .clone()
}

/// Whether [`ensure`] loaded ONNX Runtime: the engine's check loads it
/// before any inference.
fn loaded() -> Result<(), EngineError> {
    RUNTIME.get().cloned().unwrap_or_else(|| {
        Err(failed(
            "ONNX Runtime was not loaded: the engine speaks only once checked".into(),
        ))
    })
}

fn not_installed(looked_at: &str) -> EngineError {
    EngineError::NotInstalled {
        engine: format!("ONNX Runtime for piper voices {looked_at}"),
        install: INSTALL.into(),
    }
}

fn failed(message: String) -> EngineError {
    EngineError::Failed {
        engine: super::Piper::NAME.into(),
        message,
    }
}

/// Opens the library and asks its version, so that a missing, foreign or
/// too old library is reported instead of stopping the program inside ort.
fn library_version(path: &Path) -> Result<String, EngineError> {
    if !path.is_file() {
        return Err(not_installed(&format!("(looked for {})", path.display())));
    }
    let cannot = |error: String| {
        failed(format!(
            "{} is not a usable ONNX Runtime library ({error}); install one with: {INSTALL}",
            path.display()
        ))
    };
    // SAFETY: loading runs the library's initializers; this is the library
    // ort is about to load anyway. `OrtGetApiBase` is ONNX Runtime's C
    // entry point with this signature, and the version string it returns
    // is a static, NUL-terminated string owned by the library, which is
    // never unloaded.
    unsafe {
        let library = libloading::Library::new(path).map_err(|error| cannot(error.to_string()))?;
        let get_base: libloading::Symbol<unsafe extern "C" fn() -> *const ort::sys::OrtApiBase> =
            library
                .get(b"OrtGetApiBase\0")
                .map_err(|error| cannot(error.to_string()))?;
        let base = get_base();
        if base.is_null() {
            return Err(cannot("OrtGetApiBase returned nothing".into()));
        }
        let version = CStr::from_ptr(((*base).GetVersionString)())
            .to_string_lossy()
            .into_owned();
        // ort opens the same library next; it stays loaded for the whole
        // process, and unloading a runtime that may have started threads
        // is not safe.
        std::mem::forget(library);
        Ok(version)
    }
}

thread_local! {
    /// This worker thread's sessions, by model file.
    static SESSIONS: RefCell<HashMap<PathBuf, Session>> = RefCell::new(HashMap::new());
}

/// Intra-op threads for one session: the cores divided among the workers
/// that run sessions at once, at least one. With one worker per core each
/// session runs on one thread, so the cores stay busy without contention.
pub fn intra_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    (cores / rayon::current_num_threads().max(1)).max(1)
}

fn open(model: &Path) -> Result<Session, EngineError> {
    let model_error = |error: ort::Error| {
        failed(format!(
            "cannot load the model {}: {error}",
            model.display()
        ))
    };
    Session::builder()
        .and_then(|builder| builder.with_optimization_level(GraphOptimizationLevel::Level3))
        .and_then(|builder| builder.with_intra_threads(intra_threads()))
        .and_then(|builder| builder.with_inter_threads(1))
        .and_then(|builder| builder.with_intra_op_spinning(false))
        .and_then(|builder| builder.commit_from_file(model))
        .map_err(model_error)
}

/// The model's inputs for one sentence.
pub struct Request<'a> {
    /// The model file.
    pub model: &'a Path,
    /// Phoneme ids, framed and padded.
    pub ids: Vec<i64>,
    /// Noise scale, length scale, noise width.
    pub scales: [f32; 3],
    /// The speaker id of a multi-speaker model.
    pub speaker: Option<i64>,
}

/// Runs the model on this thread's session, opening it on first use, and
/// returns the audio samples.
pub fn infer(request: Request<'_>) -> Result<Vec<f32>, EngineError> {
    loaded()?;
    let run_error = |error: ort::Error| failed(format!("inference failed: {error}"));
    SESSIONS.with_borrow_mut(|sessions| {
        if !sessions.contains_key(request.model) {
            sessions.insert(request.model.to_path_buf(), open(request.model)?);
        }
        let session = sessions
            .get_mut(request.model)
            .expect("the session was just opened");
        let length = request.ids.len();
        let mut inputs: Vec<(&str, SessionInputValue<'_>)> = vec![
            (
                "input",
                Tensor::from_array(([1, length], request.ids))
                    .map_err(run_error)?
                    .into(),
            ),
            (
                "input_lengths",
                Tensor::from_array(([1], vec![length as i64]))
                    .map_err(run_error)?
                    .into(),
            ),
            (
                "scales",
                Tensor::from_array(([3], request.scales.to_vec()))
                    .map_err(run_error)?
                    .into(),
            ),
        ];
        if let Some(speaker) = request.speaker {
            inputs.push((
                "sid",
                Tensor::from_array(([1], vec![speaker]))
                    .map_err(run_error)?
                    .into(),
            ));
        }
        let outputs = session.run(inputs).map_err(run_error)?;
        let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(run_error)?;
        Ok(audio.to_vec())
    })
}
