//! Live listening: reads articles aloud right away through the system's
//! speech service (speech-dispatcher on Linux, `AVSpeechSynthesizer` on macOS,
//! WinRT/SAPI on Windows) with the `tts` crate, for readers who want to
//! listen now rather than make files.
//!
//! The speech service can hang (no service, no audio device), so the `tts`
//! handle lives on its own thread and every wait has a deadline: `speak`
//! never blocks the terminal for longer than a sentence could take.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::text::plan::{Plan, PlannedSentence};
use crate::text::Lang;

/// How long the speech service may take to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);

/// Why live listening could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum SpeakError {
    /// No speech service answered.
    #[error("no speech service is available ({reason}); on Debian install one with: sudo apt-get install speech-dispatcher")]
    NoService {
        /// What the service layer said.
        reason: String,
    },
    /// `--from` points past the last article.
    #[error("--from {from} is past the last article ({count} articles)")]
    FromOutOfRange {
        /// The requested article, 1-based.
        from: usize,
        /// How many articles there are.
        count: usize,
    },
}

/// A line of text to say, with its language.
struct Line {
    lang: Lang,
    text: String,
    pinyin: String,
}

enum Request {
    Say(Line),
    Stop,
}

/// Reads the plan aloud from article `from` (1-based), announcing each
/// title first. `show` receives each line as it is spoken, for the terminal
/// (and a screen reader following it). Returns when done, or soon after
/// `stop` is set (Ctrl-C).
pub fn speak(
    plan: &Plan,
    from: usize,
    stop: &Arc<AtomicBool>,
    mut show: impl FnMut(&str),
) -> Result<(), SpeakError> {
    let count = plan.articles.len();
    if from == 0 || from > count {
        return Err(SpeakError::FromOutOfRange { from, count });
    }
    let (requests, worker_requests) = mpsc::channel::<Request>();
    let (worker_replies, replies) = mpsc::channel::<Result<(), String>>();
    std::thread::spawn(move || speaker(&worker_requests, &worker_replies));
    let connecting = Instant::now();
    loop {
        match replies.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(())) => break,
            Ok(Err(reason)) => return Err(SpeakError::NoService { reason }),
            Err(_) if stop.load(Ordering::SeqCst) => return Ok(()),
            Err(_) if connecting.elapsed() < CONNECT_TIMEOUT => {}
            Err(_) => {
                return Err(SpeakError::NoService {
                    reason: "it did not answer within 8 s".into(),
                })
            }
        }
    }
    for (index, article) in plan.articles.iter().enumerate().skip(from - 1) {
        let heading = match &article.title {
            Some(title) => format!("Article {} of {count}: {title}", index + 1),
            None => format!("Article {} of {count}", index + 1),
        };
        show(&heading);
        for sentence in article.headline.iter().chain(&article.sentences) {
            if stop.load(Ordering::SeqCst) {
                let _ = requests.send(Request::Stop);
                return Ok(());
            }
            if article
                .headline
                .as_ref()
                .is_none_or(|h| !std::ptr::eq(h, sentence))
            {
                show(&sentence.text);
            }
            let deadline = Instant::now() + longest_duration(sentence);
            if requests.send(Request::Say(line(sentence))).is_err() {
                return Err(SpeakError::NoService {
                    reason: "the speech service stopped".into(),
                });
            }
            // Wait for the sentence to end, the deadline, or Ctrl-C.
            loop {
                if stop.load(Ordering::SeqCst) {
                    let _ = requests.send(Request::Stop);
                    return Ok(());
                }
                match replies.recv_timeout(Duration::from_millis(100)) {
                    Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                    Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        return Err(SpeakError::NoService {
                            reason: "the speech service stopped".into(),
                        })
                    }
                }
            }
        }
    }
    let _ = requests.send(Request::Stop);
    Ok(())
}

fn line(sentence: &PlannedSentence) -> Line {
    Line {
        lang: sentence.lang,
        text: sentence.spoken.clone(),
        pinyin: sentence.engine_input.clone(),
    }
}

/// An upper bound on how long a sentence takes to say: slow speech plus
/// slack, so a service that never reports the end cannot hang `speak`.
fn longest_duration(sentence: &PlannedSentence) -> Duration {
    let chars = sentence.spoken.chars().count() as u64;
    Duration::from_millis(2_000 + chars * 400)
}

/// Owns the `tts` handle: answers once when connected, then once per line.
fn speaker(requests: &mpsc::Receiver<Request>, replies: &mpsc::Sender<Result<(), String>>) {
    let mut tts = match tts::Tts::default() {
        Ok(tts) => tts,
        Err(error) => {
            let _ = replies.send(Err(error.to_string()));
            return;
        }
    };
    let voices = tts.voices().unwrap_or_default();
    let _ = replies.send(Ok(()));
    while let Ok(request) = requests.recv() {
        let Request::Say(line) = request else {
            let _ = tts.stop();
            return;
        };
        // Mandarin through espeak-ng reads pinyin right and Han characters
        // wrong, so a pinyin voice gets the pinyin when the service has one.
        let pinyin_voice = voices.iter().find(|v| {
            v.language()
                .as_str()
                .eq_ignore_ascii_case("cmn-latn-pinyin")
        });
        let language_voice = |code: &str| {
            voices
                .iter()
                .find(|v| v.language().primary_language() == code)
        };
        let text = match (line.lang, pinyin_voice) {
            (Lang::Zh, Some(voice)) => {
                let _ = tts.set_voice(voice);
                line.pinyin
            }
            (Lang::Zh, None) => {
                if let Some(voice) = language_voice("zh").or_else(|| language_voice("cmn")) {
                    let _ = tts.set_voice(voice);
                }
                line.text
            }
            (Lang::En, _) => {
                if let Some(voice) = language_voice("en") {
                    let _ = tts.set_voice(voice);
                }
                line.text
            }
        };
        if tts.speak(text, false).is_err() {
            let _ = replies.send(Err("the service refused the text".into()));
            continue;
        }
        // Poll until the service says it is done; the caller's deadline
        // covers services that never say so.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(600) {
            std::thread::sleep(Duration::from_millis(50));
            if !tts.is_speaking().unwrap_or(false) {
                break;
            }
            if let Ok(Request::Stop) = requests.try_recv() {
                let _ = tts.stop();
                return;
            }
        }
        let _ = replies.send(Ok(()));
    }
}
