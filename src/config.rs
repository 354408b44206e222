//! The plain, already-merged settings a bulletin run uses.
//!
//! Precedence, lowest first: built-in defaults < the voice profile's own
//! settings (rate, pitch, pauses) < command-line flags. The CLI builds this
//! once; the library never sees clap types.

use std::path::PathBuf;

/// Where input text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    /// A file, or a folder whose `.txt`/`.md` files are read in name order.
    Path(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

/// Settings for `plan` and `render`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Inputs in the order given.
    pub inputs: Vec<InputSource>,
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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            inputs: Vec::new(),
            out_dir: PathBuf::from("output"),
            voice: None,
            voices_dir: None,
            lexicons: Vec::new(),
            jobs: None,
            quiet: false,
        }
    }
}
