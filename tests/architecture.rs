//! Keeps the data flow one way: a stage (ingest → text → voice → audio →
//! output) may use earlier stages and the dependency-free shared modules,
//! never a later stage or the glue that wires them together. Reads every
//! `crate::…` path in src/ and names each import that runs against the flow.
//! Also keeps the environment read in one place: the settings
//! (`config.rs`) and `main.rs`, which hand its values down.

use std::path::{Path, PathBuf};

/// The stages in the order data flows through them.
const STAGES: [&str; 5] = ["ingest", "text", "voice", "audio", "output"];

/// Modules every stage may use; they use nothing of the crate.
const SHARED: [&str; 3] = ["script", "pcm", "ordered"];

/// The top-level wiring, which may use anything; no stage may use it.
const GLUE: [&str; 11] = [
    "lib", "main", "cli", "report", "config", "error", "pipeline", "progress", "speak", "settings",
    "commands",
];

/// Where a top-level module sits in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Shared,
    Stage(usize),
    Glue,
}

fn place(module: &str) -> Option<Place> {
    if SHARED.contains(&module) {
        Some(Place::Shared)
    } else if GLUE.contains(&module) {
        Some(Place::Glue)
    } else {
        STAGES.iter().position(|s| *s == module).map(Place::Stage)
    }
}

/// The top-level module a file under src/ belongs to: `voice/espeak/mod.rs`
/// is in `voice`, `pipeline.rs` is `pipeline`.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .expect("a path under src/")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a line of code names through `crate::`, in
/// `use crate::a::…`, `use crate::{a, b::c}` and inline `crate::a::f()`.
fn crate_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        // `$crate::` and names ending in `crate` are not this crate's root.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            found.extend(
                group[..end]
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or("").to_string())
                    .filter(|name| !name.is_empty()),
            );
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// Every import in `files` (path under src/, text) that runs against the
/// flow, or names a module this test does not place, as `file:line: why`.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        let module = module_of(path);
        let Some(from) = place(&module) else {
            found.push(format!(
                "{}: module `{module}` is not placed in tests/architecture.rs",
                path.display()
            ));
            continue;
        };
        // Multi-line `use crate::{\n a,\n b};` groups are joined first.
        let joined = join_use_groups(text);
        for (number, line) in joined {
            for used in crate_modules(&line) {
                if used == module {
                    continue;
                }
                let allowed = match (from, place(&used)) {
                    (Place::Stage(at), Some(Place::Stage(to))) => to <= at,
                    (from, Some(to)) => {
                        from == Place::Glue || (from != Place::Shared && to == Place::Shared)
                    }
                    (_, None) => false,
                };
                if !allowed {
                    found.push(format!(
                        "{}:{number}: `{module}` uses `crate::{used}`",
                        path.display()
                    ));
                }
            }
        }
    }
    found
}

/// The file's lines with each `use crate::{…}` group that spans lines
/// joined onto its first line, numbered from 1.
fn join_use_groups(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        if let Some((start, mut group)) = open.take() {
            group.push_str(line.trim());
            if line.contains('}') {
                lines.push((start, group));
            } else {
                open = Some((start, group));
            }
        } else if line.contains("crate::{") && !line.contains('}') {
            open = Some((index + 1, line.to_string()));
        } else {
            lines.push((index + 1, line.to_string()));
        }
    }
    lines.extend(open);
    lines
}

fn rust_files(dir: &Path, root: &Path, into: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, root, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            into.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
        }
    }
}

#[test]
fn no_stage_imports_a_later_stage_or_the_glue() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    assert!(files.len() > 20, "read the sources");
    let found = violations(&files);
    assert!(
        found.is_empty(),
        "imports against the flow:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_names_imports_against_the_flow() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = vec![
        file("voice/espeak/mod.rs", "use crate::audio::Pcm;\n"),
        file(
            "ingest/mod.rs",
            "use crate::{script::is_han, config::Config};\n",
        ),
        file(
            "text/mod.rs",
            "use crate::{\n    ingest::Document,\n    pipeline::Plan,\n};\n",
        ),
        file("audio/mod.rs", "fn f() { crate::output::write(); }\n"),
        file("pcm.rs", "use crate::script::is_han;\n"),
        file("newstage/mod.rs", "\n"),
        // Allowed: earlier stages, shared modules, glue using anything,
        // comments and other crates' roots.
        file(
            "output/mod.rs",
            "use crate::audio::Pcm;\nuse crate::pcm::Pcm;\n",
        ),
        file(
            "text/plan.rs",
            "use crate::ingest::{self, Document};\n// crate::output\n",
        ),
        file(
            "pipeline.rs",
            "use crate::output::x;\nuse crate::voice::y;\n",
        ),
        file(
            "voice/tone.rs",
            "macro_rules! m { () => { $crate::output::x } }\n",
        ),
    ];
    assert_eq!(
        violations(&files),
        [
            "voice/espeak/mod.rs:1: `voice` uses `crate::audio`",
            "ingest/mod.rs:1: `ingest` uses `crate::config`",
            "text/mod.rs:1: `text` uses `crate::pipeline`",
            "audio/mod.rs:1: `audio` uses `crate::output`",
            "pcm.rs:1: `pcm` uses `crate::script`",
            "newstage/mod.rs: module `newstage` is not placed in tests/architecture.rs",
        ]
    );
}

/// The files that may read the environment: the settings and the binary.
const READS_ENVIRONMENT: [&str; 2] = ["config.rs", "main.rs"];

/// Every line of `files` outside [`READS_ENVIRONMENT`] that reads an
/// environment variable (`env::var`, `env::var_os`, `env::vars`), or the
/// folders found through one (`env::temp_dir`, `env::home_dir`, the `dirs`
/// crate), as `file:line`; comments do not count.
fn environment_reads(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        if READS_ENVIRONMENT
            .iter()
            .any(|allowed| path == Path::new(allowed))
        {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if ["env::var", "env::temp_dir", "env::home_dir", "dirs::"]
                .iter()
                .any(|read| code.contains(read))
            {
                found.push(format!("{}:{}", path.display(), index + 1));
            }
        }
    }
    found
}

#[test]
fn only_the_settings_and_main_read_the_environment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    let found = environment_reads(&files);
    assert!(
        found.is_empty(),
        "environment read outside config.rs and main.rs (read it in the settings and pass \
         the value down):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_names_environment_reads_outside_the_settings() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = vec![
        file(
            "voice/command.rs",
            "use std::path::Path;\nstd::env::var_os(\"PATH\")\n",
        ),
        file("voice/piper/runtime.rs", "let v = env::var(\"HOME\");\n"),
        file("output/cache.rs", "for (k, v) in std::env::vars() {}\n"),
        file("output/lock.rs", "let dir = dirs::cache_dir();\n"),
        // Allowed: the settings, main, comments and other env functions.
        file("config.rs", "std::env::var(\"SOURCE_DATE_EPOCH\")\n"),
        file("main.rs", "std::env::var_os(\"X\")\n"),
        file(
            "voice/espeak/workers.rs",
            "std::env::current_exe() // not env::var\n",
        ),
        // Only the top-level settings: another config.rs is a stage's.
        file("voice/piper/config.rs", "\n\nstd::env::var(\"X\")\n"),
    ];
    assert_eq!(
        environment_reads(&files),
        [
            "voice/command.rs:2",
            "voice/piper/runtime.rs:1",
            "output/cache.rs:1",
            "output/lock.rs:1",
            "voice/piper/config.rs:3",
        ]
    );
}
