//! The espeak-ng modes against each other with the real libespeak-ng, and
//! the worker pool surviving workers that crash, hang or are killed; the
//! phonemes workers make for Piper voices against `espeak-ng --ipa`.

mod common;

use std::time::{Duration, Instant};

use bulletin::audio::Pcm;
use bulletin::voice::espeak::{Phonemizer, WorkerOptions, FAULT_ENV, LIBRARY_ENV};
use bulletin::voice::{
    with_retry, Engine, EngineError, EspeakLibrary, EspeakProcess, EspeakWorkers, VoiceProfile,
    VoiceSet,
};
use common::{bulletin, files_in, fixture, rms};

const ZH: &str = "xin1 hua2 she4 bei3 jing1 si4 yue4 er4 shi2 wu3 ri4 dian4.";
const EN: &str = "The council met on Friday to discuss the budget.";

fn profile(name: &str) -> VoiceProfile {
    VoiceSet::load(None, None)
        .unwrap()
        .get(name)
        .unwrap()
        .clone()
}

/// A pool that starts this build's `bulletin` as its workers.
fn workers(env: &[(&str, &str)], timeout: Duration, fork: bool) -> EspeakWorkers {
    EspeakWorkers::new(WorkerOptions {
        program: Some(env!("CARGO_BIN_EXE_bulletin").into()),
        env: env
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect(),
        timeout,
        fork,
        library: None,
    })
}

/// `attempt` under the retry policy, with the number of attempts made.
fn retried<T>(
    mut attempt: impl FnMut() -> Result<T, EngineError>,
) -> (Result<T, EngineError>, usize) {
    let mut attempts = 0;
    let result = with_retry(|| {
        attempts += 1;
        attempt()
    });
    (result, attempts)
}

fn pool() -> EspeakWorkers {
    workers(&[], Duration::from_secs(60), false)
}

fn assert_speech(pcm: &Pcm, what: &str) {
    assert_eq!(pcm.sample_rate, 22050, "{what}");
    assert!(pcm.duration_s() > 0.5, "{what}: {} s", pcm.duration_s());
    assert!(rms(&pcm.samples) > 0.01, "{what} is silent");
}

/// Lengths within 2% (espeak-ng's pitch flutter carries over from one
/// utterance to the next inside one process, moving a few pitch periods).
fn assert_same_speech(pcm: &Pcm, reference: &Pcm, what: &str) {
    assert_speech(pcm, what);
    let (a, b) = (pcm.samples.len() as f64, reference.samples.len() as f64);
    assert!((a - b).abs() / b < 0.02, "{what}: {a} samples against {b}");
}

#[test]
fn every_mode_speaks_what_the_process_engine_speaks() {
    let (zh, en) = (profile("zh-cn"), profile("en-us"));
    let workers = pool();
    let forked = workers_fork();
    let library = EspeakLibrary::default();
    for round in 0..3 {
        for (profile, text) in [(&zh, ZH), (&en, EN)] {
            let what = format!("{} round {round}", profile.name);
            let reference = EspeakProcess.synthesize(profile, text).unwrap();
            assert_speech(&reference, &what);
            let spoken = workers.synthesize(profile, text).unwrap();
            if round == 0 && profile.name == "zh-cn" {
                assert_eq!(spoken, reference, "a new worker's first utterance");
            }
            assert_same_speech(&spoken, &reference, &format!("workers, {what}"));
            assert_same_speech(
                &library.synthesize(profile, text).unwrap(),
                &reference,
                &format!("library, {what}"),
            );
            assert_eq!(
                forked.synthesize(profile, text).unwrap(),
                reference,
                "forked workers, {what}"
            );
        }
    }
}

fn workers_fork() -> EspeakWorkers {
    workers(&[], Duration::from_secs(60), true)
}

/// What `espeak-ng -q --ipa -v VOICE` prints for `text` on standard
/// input: one line per clause, blank lines left out.
fn ipa_printed_by_espeak_ng(voice: &str, text: &str) -> Vec<String> {
    let mut child = std::process::Command::new("espeak-ng")
        .args(["-q", "--ipa", "-v", voice])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, format!("{text}\n").as_bytes()).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn phonemes_from_every_mode_are_what_espeak_ng_ipa_prints() {
    let texts = [
        ("en-us", "Crews worked, and the storm passed."),
        ("en-us", EN),
        ("en-us", "Winds of 3.5 knots, 1,000 homes; gone. Really?"),
        (
            "en-us",
            "Dr. Smith arrived at 10:30 a.m. with the U.N. report!",
        ),
        ("en-us", "He said \"yes.\" Then left"),
        ("en-us", "Prices rose 4% in 2023: fuel, food and rent."),
        (
            "cmn-latn-pinyin",
            "hui4 yi4 qiang2 diao4 ， yao4 jia1 jin3 。",
        ),
        ("cmn-latn-pinyin", ZH),
        ("en-gb", "The colour of the theatre, in autumn."),
    ];
    // One worker answers every text in turn, so each answer also shows
    // that phonemes do not depend on what the worker did before.
    let modes: [(&str, Box<dyn Phonemizer>); 3] = [
        ("workers", Box::new(pool())),
        ("workers-fork", Box::new(workers_fork())),
        ("library", Box::new(EspeakLibrary::default())),
    ];
    for (mode, phonemizer) in &modes {
        for (voice, text) in texts {
            let expected = ipa_printed_by_espeak_ng(voice, text);
            assert!(!expected.is_empty(), "{voice}: {text}");
            assert_eq!(
                phonemizer.phonemes(voice, text).unwrap(),
                expected,
                "{mode}, {voice}: {text}"
            );
        }
    }
    assert_eq!(
        modes[0].1.phonemes("en-us", " , . ").unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn a_worker_that_crashes_while_phonemizing_is_replaced_and_the_text_retried() {
    let expected = ipa_printed_by_espeak_ng("en-us", EN);
    let workers = workers(&[(FAULT_ENV, "crash:2")], Duration::from_secs(60), false);
    assert_eq!(workers.phonemes("en-us", EN).unwrap(), expected);
    let first = workers.idle_pids();
    let (phonemes, attempts) = retried(|| workers.phonemes("en-us", EN));
    assert_eq!((phonemes.unwrap(), attempts), (expected, 2));
    assert_ne!(
        workers.idle_pids(),
        first,
        "the crashed worker was replaced"
    );
}

#[test]
fn markup_and_phonemes_in_text_are_read_as_text() {
    let en = profile("en-us");
    let markup = "<voice name=\"zh\">[[h@l'oU]]</voice>";
    let plain = pool().synthesize(&en, "hello").unwrap();
    for (mode, engine) in [
        ("workers", Box::new(pool()) as Box<dyn Engine>),
        ("library", Box::new(EspeakLibrary::default())),
    ] {
        let spoken = engine.synthesize(&en, markup).unwrap();
        assert!(
            spoken.duration_s() > 3.0 * plain.duration_s(),
            "{mode}: {} s for the markup, {} s for hello",
            spoken.duration_s(),
            plain.duration_s()
        );
    }
}

#[test]
fn a_worker_that_crashes_is_replaced_and_the_utterance_retried_by_the_policy() {
    let zh = profile("zh-cn");
    let expected = EspeakProcess.synthesize(&zh, ZH).unwrap();
    // Every worker aborts on its second utterance.
    let workers = workers(&[(FAULT_ENV, "crash:2")], Duration::from_secs(60), false);
    assert_eq!(workers.synthesize(&zh, ZH).unwrap(), expected);
    let first = workers.idle_pids();
    // The pool itself does not ask again: the crash is the caller's failure.
    let error = workers.synthesize(&zh, ZH).unwrap_err();
    assert!(matches!(error, EngineError::Failed { .. }), "{error:?}");
    assert!(
        workers.idle_pids().is_empty(),
        "the crashed worker is dropped"
    );
    // Under the policy, the second attempt is a new worker's first
    // utterance: the very same samples.
    assert_eq!(workers.synthesize(&zh, ZH).unwrap(), expected);
    let (spoken, attempts) = retried(|| workers.synthesize(&zh, ZH));
    assert_eq!((spoken.unwrap(), attempts), (expected, 2));
    let last = workers.idle_pids();
    assert_eq!((first.len(), last.len()), (1, 1));
    assert_ne!(first, last, "the crashed worker was replaced");
}

#[test]
fn a_worker_that_hangs_is_killed_at_the_timeout_and_replaced_without_a_retry() {
    let zh = profile("zh-cn");
    let expected = EspeakProcess.synthesize(&zh, ZH).unwrap();
    let workers = workers(&[(FAULT_ENV, "hang:2")], Duration::from_secs(1), false);
    assert_eq!(workers.synthesize(&zh, ZH).unwrap(), expected);
    let hung = workers.idle_pids()[0];
    let started = Instant::now();
    // A timeout would cost its timeout again: the policy does not retry it.
    let (spoken, attempts) = retried(|| workers.synthesize(&zh, ZH));
    assert!(
        matches!(spoken, Err(EngineError::Timeout { seconds: 1, .. })),
        "{spoken:?}"
    );
    assert_eq!(attempts, 1);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert!(
        !std::path::Path::new(&format!("/proc/{hung}")).exists(),
        "the hung worker {hung} is gone"
    );
    // The next utterance goes to a new worker.
    assert_eq!(workers.synthesize(&zh, ZH).unwrap(), expected);
    assert_ne!(workers.idle_pids(), vec![hung]);
}

#[test]
fn a_killed_idle_worker_is_replaced_before_it_is_asked() {
    let en = profile("en-us");
    let expected = EspeakProcess.synthesize(&en, EN).unwrap();
    let workers = workers_fork();
    assert_eq!(workers.synthesize(&en, EN).unwrap(), expected);
    let pid = workers.idle_pids()[0];
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // Dead, every thread of it (a zombie until the pool reaps it), before
    // it is asked again.
    let stat = format!("/proc/{pid}/stat");
    let threads = || std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, Iterator::count);
    let started = Instant::now();
    while !(std::fs::read_to_string(&stat).is_ok_and(|s| s.contains(") Z ")) && threads() == 1) {
        assert!(started.elapsed() < Duration::from_secs(5), "{pid} died");
        std::thread::sleep(Duration::from_millis(5));
    }
    // Recovery, not a retry: one attempt, on a new worker.
    assert_eq!(workers.synthesize(&en, EN).unwrap(), expected);
    assert_ne!(workers.idle_pids(), vec![pid]);
}

#[test]
fn an_utterance_that_kills_every_worker_fails_after_two_attempts() {
    let zh = profile("zh-cn");
    let workers = workers(&[(FAULT_ENV, "crash:1")], Duration::from_secs(60), false);
    let (spoken, attempts) = retried(|| workers.synthesize(&zh, ZH));
    let error = spoken.unwrap_err();
    assert_eq!(attempts, 2);
    assert!(
        matches!(error, EngineError::Failed { .. }) && error.to_string().contains("SIGABRT"),
        "{error}"
    );
    assert!(workers.idle_pids().is_empty());
}

#[test]
fn unknown_voice_is_reported_by_every_mode() {
    let mut nope = profile("en-us");
    nope.voice = "zz-nope".into();
    let engines: [(&str, Box<dyn Engine>); 3] = [
        ("workers", Box::new(pool())),
        ("library", Box::new(EspeakLibrary::default())),
        ("process", Box::new(EspeakProcess)),
    ];
    for (mode, engine) in engines {
        match engine.check(&nope) {
            Err(EngineError::UnknownVoice { voice, .. }) => assert_eq!(voice, "zz-nope"),
            other => panic!("{mode}: {other:?}"),
        }
    }
}

#[test]
fn missing_library_is_reported_with_the_install_hint() {
    let workers = EspeakWorkers::new(WorkerOptions {
        program: Some(env!("CARGO_BIN_EXE_bulletin").into()),
        library: Some("libespeak-ng-missing.so.1".into()),
        ..WorkerOptions::default()
    });
    let error = workers.check(&profile("zh-cn")).unwrap_err();
    assert!(
        matches!(error, EngineError::NotInstalled { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("apt-get install espeak-ng libespeak-ng-dev"),
        "{error}"
    );
}

#[test]
fn render_without_libespeak_ng_says_how_to_install_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .env(LIBRARY_ENV, "libespeak-ng-missing.so.1")
        .arg("render")
        .arg(fixture("article_en_with_headline.txt"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("espeak-ng is not installed")
            && error.contains("apt-get install espeak-ng libespeak-ng-dev"),
        "{error}"
    );
    assert!(files_in(out.path()).is_empty());
}

#[test]
fn unknown_mode_is_bad_usage() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .env("BULLETIN_ESPEAK_MODE", "threads")
        .arg("render")
        .arg(fixture("article_en_with_headline.txt"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("BULLETIN_ESPEAK_MODE is \"threads\""),
        "{error}"
    );
    assert!(files_in(out.path()).is_empty());
}
