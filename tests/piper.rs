//! Piper voices on the command line: listed, found when dropped in, and
//! missing pieces reported with the way to install them.

mod common;

use std::path::PathBuf;

use common::{assert_success, bulletin, files_in, fixture};

/// Where `scripts/setup` puts the joe voice.
fn installed_joe() -> PathBuf {
    bulletin::config::Environment::read()
        .engines()
        .piper_models
        .expect("HOME is set")
        .join("en_US-joe-medium.onnx")
}

fn voices_listing(command: &mut assert_cmd::Command, args: &[&std::ffi::OsStr]) -> String {
    let output = command.arg("voices").args(args).output().unwrap();
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn line_of<'a>(listing: &'a str, name: &str) -> &'a str {
    listing
        .lines()
        .find(|l| l.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} in:\n{listing}"))
}

#[test]
fn voices_lists_en_us_joe_as_usable_after_setup() {
    let listing = voices_listing(&mut bulletin(), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(line.contains(" piper "), "{line}");
    assert!(
        line.ends_with("usable"),
        "run scripts/setup to install ONNX Runtime and the joe voice:\n{line}"
    );
}

#[cfg(unix)]
#[test]
fn a_piper_voice_dropped_into_the_voices_folder_becomes_a_profile() {
    let model = installed_joe();
    assert!(
        model.is_file(),
        "{} is missing; run scripts/setup",
        model.display()
    );
    let dir = tempfile::tempdir().unwrap();
    for suffix in ["", ".json"] {
        let mut from = model.clone().into_os_string();
        from.push(suffix);
        let to = dir.path().join(format!("en_US-joe-medium.onnx{suffix}"));
        std::os::unix::fs::symlink(&from, to).unwrap();
    }
    let listing = voices_listing(
        &mut bulletin(),
        &["--voices".as_ref(), dir.path().as_os_str()],
    );
    let line = line_of(&listing, "en_US-joe-medium");
    assert!(
        line.contains(" en ") && line.contains("piper") && line.ends_with("usable"),
        "{line}"
    );
}

#[test]
fn missing_runtime_says_how_to_install_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .env("ORT_DYLIB_PATH", "/nonexistent/libonnxruntime.so")
        .args(["render", "--voice", "en-us-joe", "--out"])
        .arg(out.path())
        .arg(fixture("article_en_with_headline.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("ONNX Runtime")
            && error.contains("/nonexistent/libonnxruntime.so")
            && error.contains("scripts/setup"),
        "{error}"
    );
    assert!(files_in(out.path()).is_empty());
}

#[test]
fn missing_model_says_where_it_looked_and_how_to_install() {
    let models = tempfile::tempdir().unwrap();
    let listing = voices_listing(bulletin().env("BULLETIN_MODELS", models.path()), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(
        line.contains("not usable")
            && line.contains("en_US-joe-medium.onnx")
            && line.contains(&models.path().display().to_string())
            && line.contains("scripts/setup"),
        "{line}"
    );
}

#[test]
fn a_runtime_that_is_not_onnx_runtime_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("libonnxruntime.so");
    std::fs::write(&fake, b"not a library").unwrap();
    let listing = voices_listing(bulletin().env("ORT_DYLIB_PATH", &fake), &[]);
    let line = line_of(&listing, "en-us-joe");
    assert!(
        line.contains("not a usable ONNX Runtime library") && line.contains("scripts/setup"),
        "{line}"
    );
}

/// `lang:voice` of every run of the plan of `input`, from `plan --json`.
fn planned_voices(command: &mut assert_cmd::Command, input: &str) -> Vec<String> {
    let output = command
        .args(["plan", "--json"])
        .arg(fixture(input))
        .output()
        .unwrap();
    assert_success(&output);
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut voices = Vec::new();
    for article in plan["articles"].as_array().unwrap() {
        let sentences = article["sentences"].as_array().unwrap();
        for sentence in std::iter::once(&article["headline"]).chain(sentences) {
            let utterances = sentence["utterances"].as_array().into_iter().flatten();
            for run in utterances.flat_map(|runs| runs.as_array().unwrap()) {
                voices.push(format!(
                    "{}:{}",
                    run["lang"].as_str().unwrap(),
                    run["voice"].as_str().unwrap()
                ));
            }
        }
    }
    voices
}

#[test]
fn english_reads_with_joe_when_it_is_usable_and_with_espeak_when_not() {
    let voices = planned_voices(&mut bulletin(), "story_en_wire_ten_sentences.txt");
    assert!(!voices.is_empty());
    assert!(voices.iter().all(|v| v == "en:en-us-joe"), "{voices:?}");
    let listing = voices_listing(&mut bulletin(), &[]);
    assert!(
        listing.contains("default for en: en-us-joe, the best voice, installed and usable"),
        "{listing}"
    );

    let empty = tempfile::tempdir().unwrap();
    let voices = planned_voices(
        bulletin().env("BULLETIN_MODELS", empty.path()),
        "story_en_wire_ten_sentences.txt",
    );
    assert!(voices.iter().all(|v| v == "en:en-us"), "{voices:?}");
    let listing = voices_listing(bulletin().env("BULLETIN_MODELS", empty.path()), &[]);
    let line = listing
        .lines()
        .find(|l| l.starts_with("default for en:"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        line.starts_with("default for en: en-us, the fallback: en-us-joe is not usable")
            && line.contains("en_US-joe-medium.onnx"),
        "{line}"
    );
}

#[test]
fn latin_words_in_chinese_sentences_keep_the_espeak_english_voice() {
    let voices = planned_voices(&mut bulletin(), "article_zh_with_headline_and_latin.txt");
    assert!(voices.iter().any(|v| v == "en:en-us"), "{voices:?}");
    assert!(
        !voices.iter().any(|v| v.ends_with("en-us-joe")),
        "{voices:?}"
    );
}

#[test]
fn one_shared_session_gives_each_thread_the_audio_a_lone_run_gives() {
    use bulletin::voice::piper::runtime::{Compiled, Loading, Model, Request};
    let model = installed_joe();
    assert!(
        model.is_file(),
        "{} is missing; run scripts/setup",
        model.display()
    );
    let engines = bulletin::config::Environment::read().engines();
    bulletin::voice::piper::runtime::ensure(engines.onnxruntime.as_deref()).unwrap();
    // A budget for every run at once, so that the four runs overlap.
    let loading = Loading {
        threads: 1,
        piece_ids: usize::MAX / 8,
        compiled: Compiled::EachLoad,
    };
    let model = Model::open(&model, &loading).unwrap();
    // Without noise the model is deterministic, so any mixing of two
    // threads' runs in the shared session would show in the samples.
    let request = |ids: &[i64]| Request {
        ids: ids.to_vec(),
        scales: [0.0, 1.0, 0.0],
        speaker: None,
    };
    let sentences: [&[i64]; 2] = [
        &[1, 0, 20, 0, 59, 0, 120, 0, 24, 0, 27, 0, 100, 0, 10, 0, 2],
        &[
            1, 0, 50, 0, 120, 0, 33, 0, 3, 0, 88, 0, 120, 0, 14, 0, 25, 0, 10, 0, 2,
        ],
    ];
    let alone: Vec<Vec<f32>> = sentences
        .iter()
        .map(|ids| model.infer(request(ids)).unwrap())
        .collect();
    assert!(alone.iter().all(|audio| audio.len() > 1000));
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..4)
            .map(|i| {
                let (model, ids) = (&model, sentences[i % 2]);
                scope.spawn(move || (i % 2, model.infer(request(ids)).unwrap()))
            })
            .collect();
        for run in runs {
            let (which, audio) = run.join().unwrap();
            assert_eq!(audio, alone[which], "sentence {which}");
        }
    });
}

/// The voices of every sentence of the article in `out`'s manifest.
fn rendered_voices(out: &std::path::Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let article = &manifest["articles"][0];
    let sentences = article["sentences"].as_array().unwrap();
    sentences
        .iter()
        .map(|sentence| sentence["voice"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_rerun_whose_english_default_changed_is_another_job() {
    // First without the Piper models (English reads with espeak-ng), then
    // with them: the second run must not take the first for done.
    let out = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let render = |command: &mut assert_cmd::Command| {
        let output = command
            .arg("render")
            .arg(fixture("story_en_wire_ten_sentences.txt"))
            .args(["--no-cache", "--quiet", "--out"])
            .arg(out.path())
            .output()
            .unwrap();
        assert_success(&output);
    };
    render(bulletin().env("BULLETIN_MODELS", empty.path()));
    let first = rendered_voices(out.path());
    assert!(first.iter().all(|v| v == "en-us"), "{first:?}");
    render(&mut bulletin());
    let second = rendered_voices(out.path());
    assert!(second.iter().all(|v| v == "en-us-joe"), "{second:?}");
}

#[test]
fn a_model_is_loaded_once_per_process_however_it_is_asked_for() {
    use bulletin::voice::piper::runtime;
    let model = installed_joe();
    let engines = bulletin::config::Environment::read().engines();
    runtime::ensure(engines.onnxruntime.as_deref()).unwrap();
    let one = runtime::Loading {
        threads: 1,
        piece_ids: runtime::piece_ids(125),
        compiled: runtime::Compiled::Off,
    };
    // In the background first, then by two threads at once, as a render's
    // check and its first sentences ask for it: one session for all.
    runtime::load_in_background(&model, &one);
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| runtime::shared(&model, &one).unwrap());
        let second = scope.spawn(|| runtime::shared(&model, &one).unwrap());
        (first.join().unwrap(), second.join().unwrap())
    });
    runtime::wait_for_loads();
    assert!(std::sync::Arc::ptr_eq(&first, &second));
    let again = runtime::shared(&model, &one).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    // Another thread count is another session.
    let two = runtime::Loading { threads: 2, ..one };
    let other = runtime::shared(&model, &two).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &other));
}

#[test]
fn a_model_compiled_for_this_cpu_speaks_as_the_model_does_and_is_kept_whole() {
    use bulletin::voice::piper::runtime::{Compiled, Loading, Model, Request};
    let engines = bulletin::config::Environment::read().engines();
    bulletin::voice::piper::runtime::ensure(engines.onnxruntime.as_deref()).unwrap();
    // A copy of its own, so that its compiled file is this test's alone.
    let models = tempfile::tempdir().unwrap();
    let model = models.path().join("joe.onnx");
    std::fs::copy(installed_joe(), &model).unwrap();
    let kept = tempfile::tempdir().unwrap();
    let loading = |compiled| Loading {
        threads: 1,
        piece_ids: usize::MAX / 8,
        compiled,
    };
    // Without noise the model is deterministic.
    let speak = |model: &Model| {
        model
            .infer(Request {
                ids: vec![
                    1, 0, 50, 0, 120, 0, 33, 0, 3, 0, 88, 0, 120, 0, 14, 0, 25, 0, 10, 0, 2,
                ],
                scales: [0.0, 1.0, 0.0],
                speaker: None,
            })
            .unwrap()
    };
    let close = |plain: &[f32], compiled: &[f32]| {
        assert_eq!(plain.len(), compiled.len());
        let most = plain
            .iter()
            .zip(compiled)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        // Another order of the same sums: rounding, far below a 16-bit step.
        assert!(most < 1e-3, "{most}");
    };
    let as_it_is = Model::open(&model, &loading(Compiled::Off)).unwrap();
    assert!(!as_it_is.is_compiled());
    let plain = speak(&as_it_is);
    assert!(plain.len() > 1000);
    let each_load = Model::open(&model, &loading(Compiled::EachLoad)).unwrap();
    assert!(each_load.is_compiled());
    close(&plain, &speak(&each_load));

    // Compiled once into a folder of its own, graph and weights, and read
    // from it next time.
    let kept_in = || loading(Compiled::KeptIn(kept.path().into()));
    let build = || {
        let builds = files_in(kept.path());
        let [build] = builds.as_slice() else {
            panic!("one build of one model: {builds:?}")
        };
        assert!(build.starts_with("joe."), "{build}");
        kept.path().join(build)
    };
    let compiled = Model::open(&model, &kept_in()).unwrap();
    assert!(compiled.is_compiled());
    close(&plain, &speak(&compiled));
    let folder = build();
    assert_eq!(files_in(&folder), ["model.onnx", "model.onnx.weights"]);
    let (graph, weights) = (folder.join("model.onnx"), folder.join("model.onnx.weights"));
    // The weights are not in the graph's file.
    let size = |file: &std::path::Path| std::fs::metadata(file).unwrap().len();
    assert!(size(&weights) > 20 * size(&graph));
    let made = std::fs::metadata(&graph).unwrap().modified().unwrap();
    let again = Model::open(&model, &kept_in()).unwrap();
    assert!(again.is_compiled());
    close(&plain, &speak(&again));
    assert_eq!(std::fs::metadata(&graph).unwrap().modified().unwrap(), made);

    // A damaged graph, or weights cut short, are made again.
    std::fs::write(&graph, b"damaged").unwrap();
    let repaired = Model::open(&model, &kept_in()).unwrap();
    assert!(repaired.is_compiled());
    close(&plain, &speak(&repaired));
    assert!(size(&build().join("model.onnx")) > 1000);
    let weights = build().join("model.onnx.weights");
    let whole = std::fs::read(&weights).unwrap();
    std::fs::write(&weights, &whole[..whole.len() / 2]).unwrap();
    let repaired = Model::open(&model, &kept_in()).unwrap();
    assert!(repaired.is_compiled());
    close(&plain, &speak(&repaired));
    assert_eq!(
        size(&build().join("model.onnx.weights")),
        whole.len() as u64
    );

    // A model replaced in place, even with a copy that keeps its size and
    // time, is compiled again, and its build replaces the old one.
    let before = build();
    let copy = models.path().join("copy.onnx");
    std::fs::copy(&model, &copy).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(std::fs::metadata(&model).unwrap().modified().unwrap())
        .unwrap();
    std::fs::rename(&copy, &model).unwrap();
    Model::open(&model, &kept_in()).unwrap();
    assert_ne!(build(), before);
}
