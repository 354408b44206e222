//! Live listening: reads articles aloud right away through the system's
//! speech service (speech-dispatcher on Linux through its own client,
//! `AVSpeechSynthesizer` on macOS and WinRT/SAPI on Windows through the `tts`
//! crate), for readers who want to listen now rather than make files.
//!
//! The speech service can hang (no service, no audio device), so its client
//! lives on its own thread and every wait has a deadline: `speak` never
//! blocks the terminal for longer than a sentence could take. A service
//! that takes text but cannot play it (speech-dispatcher on a machine
//! without sound never reports the end of a sentence) is found on the first
//! sentence, within seconds of its expected length, and named once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::text::plan::{Plan, PlannedSentence};
use crate::text::Lang;

/// How long the speech service may take to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(8);

/// How long past a sentence's expected length the service may take to
/// report its end, until one sentence has ended: after that the service is
/// known to play, and only the worst case of [`longest_duration`] applies.
const END_GRACE: Duration = Duration::from_secs(2);

/// Why live listening could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum SpeakError {
    /// No speech service answered.
    #[error("no speech service is available ({reason}); on Debian install one with: sudo apt-get install speech-dispatcher")]
    NoService {
        /// What the service layer said.
        reason: String,
    },
    /// The service answered but cannot play: no output module, or no end
    /// of speech reported.
    #[error("the speech service cannot play: {problem}. It has no working audio output: on a machine with a sound card, install a sound server (sudo apt-get install pipewire-pulse) or set AudioOutputMethod \"alsa\" in ~/.config/speech-dispatcher/speechd.conf; on a machine without sound, make WAV files with `bulletin render` instead")]
    CannotPlay {
        /// What the service did or did not do.
        problem: String,
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

/// What the speaker thread reports.
enum Event {
    /// Connected; speech takes this many times its normal length at the
    /// service's rate.
    Ready { slowdown: f64 },
    /// Could not connect.
    NoService(String),
    /// Connected, but the service cannot play.
    CannotPlay(String),
    /// The last line was handed to the service (choosing its voice can take
    /// a while).
    Queued,
    /// The last line began.
    Began,
    /// The last line ended, or the service refused it.
    Ended,
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
    let (worker_events, events) = mpsc::channel::<Event>();
    std::thread::spawn(move || speaker(&worker_requests, &worker_events));
    let connecting = Instant::now();
    let slowdown = loop {
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(Event::Ready { slowdown }) => break slowdown,
            Ok(Event::NoService(reason)) => return Err(SpeakError::NoService { reason }),
            Ok(Event::CannotPlay(problem)) => return Err(SpeakError::CannotPlay { problem }),
            Ok(_) => {}
            Err(_) if stop.load(Ordering::SeqCst) => return Ok(()),
            Err(_) if connecting.elapsed() < CONNECT_TIMEOUT => {}
            Err(_) => {
                return Err(SpeakError::NoService {
                    reason: "it did not answer within 8 s".into(),
                })
            }
        }
    };
    // Until one sentence has ended, a missing end means the service cannot
    // play; afterwards, only that this sentence's end went missing.
    let mut plays = false;
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
            if requests.send(Request::Say(line(sentence))).is_err() {
                return Err(SpeakError::NoService {
                    reason: "the speech service stopped".into(),
                });
            }
            let expected = expected_duration(sentence, slowdown);
            let mut deadline = Instant::now() + longest_duration(sentence);
            let mut queued = None;
            let mut began = false;
            // Wait for the sentence to end, the deadline, or Ctrl-C.
            loop {
                if stop.load(Ordering::SeqCst) {
                    let _ = requests.send(Request::Stop);
                    return Ok(());
                }
                match events.recv_timeout(Duration::from_millis(100)) {
                    Ok(Event::Ended) => {
                        plays = true;
                        break;
                    }
                    Ok(Event::Queued) if !plays => {
                        let now = Instant::now();
                        queued = Some(now);
                        deadline = now + expected + END_GRACE;
                    }
                    Ok(Event::Began) => began = true,
                    Ok(_) => {}
                    Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                    Err(mpsc::RecvTimeoutError::Timeout) if plays || queued.is_none() => break,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        let _ = requests.send(Request::Stop);
                        return Err(SpeakError::CannotPlay {
                            problem: no_end(expected, queued, began),
                        });
                    }
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

/// Says what a service that never ended a sentence did.
fn no_end(expected: Duration, queued: Option<Instant>, began: bool) -> String {
    let waited = queued.map_or(0.0, |at| at.elapsed().as_secs_f64());
    let beginning = if began {
        "it did say it had begun"
    } else {
        "nor that it had begun"
    };
    format!(
        "it did not say it had finished a sentence that takes about {:.1} s, \
         {waited:.1} s after taking it ({beginning})",
        expected.as_secs_f64()
    )
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

/// How long a character of each language takes at a speech service's
/// normal rate, on the slow side: espeak-ng says about 15 English letters
/// and 4 Mandarin syllables (one Han character each) a second.
const MS_PER_CHAR: [(Lang, f64); 2] = [(Lang::En, 90.0), (Lang::Zh, 300.0)];

/// How long a sentence should take to say, `slowdown` times its length at
/// the normal rate.
fn expected_duration(sentence: &PlannedSentence, slowdown: f64) -> Duration {
    let per_char = MS_PER_CHAR
        .iter()
        .find(|(lang, _)| *lang == sentence.lang)
        .map_or(300.0, |&(_, ms)| ms);
    let chars = sentence
        .spoken
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    Duration::from_secs_f64(chars as f64 * per_char * slowdown / 1000.0)
}

/// How many times its normal length speech takes at a service rate between
/// `slowest` and `normal` (faster rates count as normal). espeak-ng behind
/// speech-dispatcher goes from about 175 words a minute down to 80.
fn slowdown(rate: f64, normal: f64, slowest: f64) -> f64 {
    if rate >= normal || slowest >= normal {
        return 1.0;
    }
    let depth = ((normal - rate) / (normal - slowest)).min(1.0);
    1.0 / (1.0 - depth * (1.0 - 80.0 / 175.0))
}

/// Owns the service's client: reports once when connected, then when each
/// line is queued, begins and ends.
fn speaker(requests: &mpsc::Receiver<Request>, events: &mpsc::Sender<Event>) {
    let (heard, reports) = mpsc::channel::<Report>();
    let mut service = match Service::connect(heard) {
        Ok(service) => service,
        Err(event) => {
            let _ = events.send(event);
            return;
        }
    };
    let _ = events.send(Event::Ready {
        slowdown: service.slowdown(),
    });
    // Lines queue one after another, so the n-th begin and end the service
    // reports are the n-th line's; only the newest line's are passed on.
    let (mut said, mut begun, mut ended) = (0_u64, 0_u64, 0_u64);
    loop {
        match requests.recv_timeout(Duration::from_millis(50)) {
            Ok(Request::Say(line)) => {
                if service.say(line) {
                    said += 1;
                    let _ = events.send(Event::Queued);
                } else {
                    // Nothing will begin or end: move on.
                    let _ = events.send(Event::Ended);
                }
            }
            Ok(Request::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                service.stop();
                return;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(speaking) = service.speaking_without_reports() {
            if ended < said && !speaking {
                ended = said;
                let _ = events.send(Event::Ended);
            }
            continue;
        }
        for report in reports.try_iter() {
            let (count, event) = match report {
                Report::Began => (&mut begun, Event::Began),
                Report::Ended => (&mut ended, Event::Ended),
            };
            *count += 1;
            if *count == said {
                let _ = events.send(event);
            }
        }
    }
}

/// A begin or end of speech, as the service reports it.
enum Report {
    Began,
    Ended,
}

/// speech-dispatcher through its own client library: a language switch is
/// one command there, where the `tts` crate lists every voice (13,000 of
/// them, 3 s) first.
#[cfg(target_os = "linux")]
struct Service {
    connection: speech_dispatcher::Connection,
}

#[cfg(target_os = "linux")]
impl Service {
    fn connect(heard: mpsc::Sender<Report>) -> Result<Self, Event> {
        use speech_dispatcher::{Connection, Mode};
        let connection = Connection::open("bulletin", "speak", "bulletin", Mode::Threaded)
            .map_err(|error| Event::NoService(format!("speech-dispatcher: {error}")))?;
        if connection
            .list_output_modules()
            .is_ok_and(|modules| modules.is_empty())
        {
            return Err(Event::CannotPlay(
                "speech-dispatcher has no output module".into(),
            ));
        }
        let begin = heard.clone();
        connection.on_begin(Some(Box::new(move |_, _| {
            let _ = begin.send(Report::Began);
        })));
        connection.on_end(Some(Box::new(move |_, _| {
            let _ = heard.send(Report::Ended);
        })));
        Ok(Self { connection })
    }

    fn slowdown(&self) -> f64 {
        slowdown(f64::from(self.connection.get_voice_rate()), 0.0, -100.0)
    }

    /// Queues a line in its language's voice; false if the service refused.
    /// Mandarin through espeak-ng reads pinyin right and Han characters
    /// wrong, so the pinyin goes to a pinyin voice when there is one.
    fn say(&mut self, line: Line) -> bool {
        use speech_dispatcher::Priority;
        let text = match line.lang {
            Lang::Zh if self.connection.set_language("cmn-latn-pinyin").is_ok() => line.pinyin,
            Lang::Zh => {
                let _ = self.connection.set_language("zh");
                line.text
            }
            Lang::En => {
                let _ = self.connection.set_language("en");
                line.text
            }
        };
        self.connection.say(Priority::Important, text).is_some()
    }

    /// Whether it is speaking, for a service that cannot report the begin
    /// and end of speech; `None` when it reports them.
    #[allow(clippy::unused_self)]
    fn speaking_without_reports(&self) -> Option<bool> {
        None
    }

    fn stop(&mut self) {
        let _ = self.connection.cancel();
    }
}

/// The platform's speech service through the `tts` crate.
#[cfg(not(target_os = "linux"))]
struct Service {
    tts: tts::Tts,
    voices: Vec<tts::Voice>,
    reports: bool,
}

#[cfg(not(target_os = "linux"))]
impl Service {
    fn connect(heard: mpsc::Sender<Report>) -> Result<Self, Event> {
        let tts = tts::Tts::default().map_err(|error| Event::NoService(error.to_string()))?;
        let voices = tts.voices().unwrap_or_default();
        let begin = heard.clone();
        let reports = tts.supported_features().utterance_callbacks
            && tts
                .on_utterance_begin(Some(Box::new(move |_| {
                    let _ = begin.send(Report::Began);
                })))
                .is_ok()
            && tts
                .on_utterance_end(Some(Box::new(move |_| {
                    let _ = heard.send(Report::Ended);
                })))
                .is_ok();
        Ok(Self {
            tts,
            voices,
            reports,
        })
    }

    fn slowdown(&self) -> f64 {
        let normal = f64::from(self.tts.normal_rate());
        let rate = self.tts.get_rate().map_or(normal, f64::from);
        slowdown(rate, normal, f64::from(self.tts.min_rate()))
    }

    /// Queues a line in its language's voice; false if the service refused.
    /// Mandarin through espeak-ng reads pinyin right and Han characters
    /// wrong, so the pinyin goes to a pinyin voice when there is one.
    fn say(&mut self, line: Line) -> bool {
        let pinyin_voice = self.voices.iter().find(|v| {
            v.language()
                .as_str()
                .eq_ignore_ascii_case("cmn-latn-pinyin")
        });
        let language_voice = |code: &str| {
            self.voices
                .iter()
                .find(|v| v.language().primary_language() == code)
        };
        let text = match (line.lang, pinyin_voice) {
            (Lang::Zh, Some(voice)) => {
                let _ = self.tts.set_voice(voice);
                line.pinyin
            }
            (Lang::Zh, None) => {
                if let Some(voice) = language_voice("zh").or_else(|| language_voice("cmn")) {
                    let _ = self.tts.set_voice(voice);
                }
                line.text
            }
            (Lang::En, _) => {
                if let Some(voice) = language_voice("en") {
                    let _ = self.tts.set_voice(voice);
                }
                line.text
            }
        };
        self.tts.speak(text, false).is_ok()
    }

    /// Whether it is speaking, for a service that cannot report the begin
    /// and end of speech; `None` when it reports them.
    fn speaking_without_reports(&self) -> Option<bool> {
        (!self.reports).then(|| self.tts.is_speaking().unwrap_or(false))
    }

    fn stop(&mut self) {
        let _ = self.tts.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(lang: Lang, spoken: &str) -> PlannedSentence {
        PlannedSentence {
            text: spoken.into(),
            spoken: spoken.into(),
            engine_input: spoken.into(),
            lang,
            voice: "test".into(),
            paragraph: 0,
            utterances: Vec::new(),
        }
    }

    #[test]
    fn slowdown_by_rate() {
        // (rate, normal, slowest, expected)
        let table = [
            (0.0, 0.0, -100.0, 1.0),
            (50.0, 0.0, -100.0, 1.0),
            (-100.0, 0.0, -100.0, 175.0 / 80.0),
            (-200.0, 0.0, -100.0, 175.0 / 80.0),
            (-50.0, 0.0, -100.0, 1.0 / (1.0 - 0.5 * (1.0 - 80.0 / 175.0))),
            (
                0.5,
                1.0,
                0.1,
                1.0 / (1.0 - (0.5 / 0.9) * (1.0 - 80.0 / 175.0)),
            ),
            (0.0, 0.0, 0.0, 1.0),
        ];
        for (rate, normal, slowest, expected) in table {
            let got = slowdown(rate, normal, slowest);
            assert!(
                (got - expected).abs() < 1e-9,
                "rate {rate} (normal {normal}, slowest {slowest}): {got}, not {expected}"
            );
        }
    }

    #[test]
    fn expected_duration_by_language_and_rate() {
        // (language, spoken text, slowdown, expected seconds)
        let table = [
            (Lang::En, "It rained.", 1.0, 0.81),
            (Lang::En, "It  rained.", 2.0, 1.62),
            (Lang::Zh, "今天下雨。", 1.0, 1.5),
            (Lang::Zh, "", 1.0, 0.0),
        ];
        for (lang, spoken, slowdown, seconds) in table {
            let got = expected_duration(&sentence(lang, spoken), slowdown).as_secs_f64();
            assert!(
                (got - seconds).abs() < 1e-6,
                "{spoken:?}: {got} s, not {seconds} s"
            );
        }
    }
}
