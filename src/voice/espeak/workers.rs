//! libespeak-ng in persistent worker processes: `bulletin espeak-worker`,
//! each with its own copy of the library, started once and kept for the run.
//!
//! Each engine (one per voice profile) keeps a pool of idle workers. A call
//! takes one, or starts one when none is idle, so a pool never has more
//! workers than threads that synthesize at once (`--jobs`). It sends the
//! utterance and waits for the samples at most the timeout. A worker that crashes, hangs or answers garbage is
//! killed and replaced, and the utterance is tried once more on the new one.

use std::ffi::OsString;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::fd::FromRawFd;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::library::Synthesizer;
use super::protocol::{self, FailureKind, Reply, Request, Utterance};
use super::{failed, not_installed, unknown_voice, utterance, EspeakProcess, DEFAULT_TIMEOUT};
use crate::pcm::Pcm;
use crate::voice::{Engine, EngineError, VoiceProfile};

/// The hidden subcommand that runs a worker.
pub const WORKER_COMMAND: &str = "espeak-worker";
/// The worker's flag for [`WorkerOptions::fork`].
pub const FORK_FLAG: &str = "--fork";
/// Makes workers misbehave on purpose, for tests only: `crash:N` exits
/// without answering, `hang:N` never answers, at the Nth speak or phonemes
/// request.
pub const FAULT_ENV: &str = "BULLETIN_ESPEAK_WORKER_FAULT";
/// The most of a worker's stderr kept to explain its death.
const STDERR_TAIL: usize = 2048;

/// How to start workers and how long to wait for them.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The `bulletin` binary to start; `None` means this very program.
    pub program: Option<PathBuf>,
    /// Extra environment variables for the workers.
    pub env: Vec<(OsString, OsString)>,
    /// How long one call may take before the worker is killed.
    pub timeout: Duration,
    /// Speak every utterance in a fresh fork of the worker, for samples
    /// identical to a fresh `espeak-ng` process (see [`super::Mode::WorkersFork`]).
    pub fork: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            program: None,
            env: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            fork: false,
        }
    }
}

/// espeak-ng through a pool of persistent worker processes.
#[derive(Debug)]
pub struct EspeakWorkers {
    options: WorkerOptions,
    idle: Mutex<Vec<Worker>>,
}

impl Default for EspeakWorkers {
    fn default() -> Self {
        Self::new(WorkerOptions::default())
    }
}

impl EspeakWorkers {
    /// A pool that starts no worker until it is first asked something.
    pub fn new(options: WorkerOptions) -> Self {
        Self {
            options,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The process ids of the idle workers.
    pub fn idle_pids(&self) -> Vec<u32> {
        self.lock_idle().iter().map(|w| w.child.id()).collect()
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Worker>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks an idle (or new) worker; on a lost worker, asks a new one once.
    fn call(&self, request: &Request) -> Result<Reply, EngineError> {
        let idle = self.lock_idle().pop();
        let worker = match idle {
            Some(worker) => worker,
            None => Worker::start(&self.options)?,
        };
        let lost = match self.ask(worker, request) {
            Ok(reply) => return Ok(reply),
            Err(lost) => lost,
        };
        let worker = Worker::start(&self.options)?;
        self.ask(worker, request).map_err(|again| match again {
            Lost::Timeout => EngineError::Timeout {
                engine: EspeakProcess::NAME.into(),
                seconds: self.options.timeout.as_secs(),
            },
            again @ Lost::Died(_) => failed(format!(
                "the worker was lost ({lost}), and again on retry ({again})"
            )),
        })
    }

    /// One round trip; the worker goes back to the pool unless it was lost.
    fn ask(&self, mut worker: Worker, request: &Request) -> Result<Reply, Lost> {
        let reply = worker.ask(request, self.options.timeout)?;
        self.lock_idle().push(worker);
        Ok(reply)
    }
}

impl super::Phonemizer for EspeakWorkers {
    fn phonemes(&self, voice: &str, text: &str) -> Result<Vec<String>, EngineError> {
        let request = Request::Phonemes {
            voice: voice.to_string(),
            text: text.to_string(),
        };
        match self.call(&request)? {
            Reply::Phonemes(clauses) => Ok(clauses),
            reply => Err(from_reply(reply)),
        }
    }
}

impl Engine for EspeakWorkers {
    fn name(&self) -> &'static str {
        EspeakProcess::NAME
    }

    fn version(&self) -> String {
        super::version(if self.options.fork {
            "workers-fork"
        } else {
            "workers"
        })
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        let request = Request::Check {
            voice: profile.voice.clone(),
        };
        match self.call(&request)? {
            Reply::Ready => Ok(()),
            reply => Err(from_reply(reply)),
        }
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        match self.call(&Request::Speak(utterance(profile, input)))? {
            Reply::Audio {
                sample_rate,
                samples,
            } => Ok(Pcm::from_i16(sample_rate, &samples)),
            reply => Err(from_reply(reply)),
        }
    }
}

fn from_reply(reply: Reply) -> EngineError {
    match reply {
        Reply::Failure {
            kind: FailureKind::NotInstalled,
            ..
        } => not_installed(),
        Reply::Failure {
            kind: FailureKind::UnknownVoice,
            message,
        } => unknown_voice(&message),
        Reply::Failure { message, .. } => failed(message),
        other => failed(format!("the worker gave an unexpected answer: {other:?}")),
    }
}

fn to_reply(error: EngineError) -> Reply {
    let (kind, message) = match error {
        EngineError::NotInstalled { .. } => (FailureKind::NotInstalled, String::new()),
        EngineError::UnknownVoice { voice, .. } => (FailureKind::UnknownVoice, voice),
        other => (FailureKind::Failed, other.to_string()),
    };
    Reply::Failure { kind, message }
}

/// Why a worker can no longer be used.
#[derive(Debug)]
enum Lost {
    /// No answer within the timeout; the worker was killed.
    Timeout,
    /// The pipe broke or the worker exited.
    Died(String),
}

impl std::fmt::Display for Lost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lost::Timeout => f.write_str("no answer in time, killed"),
            Lost::Died(reason) => f.write_str(reason),
        }
    }
}

/// One running worker process.
#[derive(Debug)]
struct Worker {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    replies: Receiver<io::Result<Reply>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Worker {
    fn start(options: &WorkerOptions) -> Result<Worker, EngineError> {
        let program = match &options.program {
            Some(program) => program.clone(),
            None => std::env::current_exe()
                .map_err(|error| failed(format!("cannot find bulletin's own binary: {error}")))?,
        };
        let mut child = Command::new(&program)
            .arg(WORKER_COMMAND)
            .args(options.fork.then_some(FORK_FLAG))
            .envs(options.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| {
                failed(format!(
                    "cannot start the worker {}: {error}",
                    program.display()
                ))
            })?;
        let stdin = BufWriter::new(child.stdin.take().expect("stdin is piped"));
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
        // Replies come through a channel so that waiting for one can time
        // out; the thread ends when the worker's stdout closes.
        let (sender, replies) = mpsc::channel();
        std::thread::spawn(move || loop {
            match protocol::read_reply(&mut stdout) {
                Ok(Some(reply)) => {
                    if sender.send(Ok(reply)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    let _ = sender.send(Err(error));
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0; 512];
            while let Ok(n @ 1..) = stderr_pipe.read(&mut chunk) {
                let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                tail.extend_from_slice(&chunk[..n]);
                let excess = tail.len().saturating_sub(STDERR_TAIL);
                tail.drain(..excess);
            }
        });
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr,
        })
    }

    fn ask(&mut self, request: &Request, timeout: Duration) -> Result<Reply, Lost> {
        if let Err(error) = protocol::write_request(&mut self.stdin, request) {
            return Err(self.died(&format!("cannot send it the request: {error}")));
        }
        match self.replies.recv_timeout(timeout) {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(error)) => Err(self.died(&format!("unreadable answer: {error}"))),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                Err(Lost::Timeout)
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.died("ended without answering")),
        }
    }

    /// Describes a worker that stopped answering, with how it ended.
    fn died(&mut self, what: &str) -> Lost {
        let status = self.exit_status();
        let stderr = self.stderr.lock().unwrap_or_else(PoisonError::into_inner);
        let stderr = String::from_utf8_lossy(&stderr);
        let status = status.map(|status| format!(", {status}"));
        let stderr = Some(stderr.trim())
            .filter(|text| !text.is_empty())
            .map(|text| format!(": {text}"));
        Lost::Died(format!(
            "worker {}: {what}{}{}",
            self.child.id(),
            status.unwrap_or_default(),
            stderr.unwrap_or_default()
        ))
    }

    /// Waits briefly for the worker to end; kills it if it has not.
    fn exit_status(&mut self) -> Option<ExitStatus> {
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => {
                    let _ = self.child.kill();
                    return None;
                }
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker holds nothing worth saving; lost ones may hang.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a worker: answers requests from stdin on stdout until stdin ends.
/// With `fork`, every utterance is spoken, and every text phonemized, by a
/// fresh copy of the worker (see [`answer_in_copy`]).
///
/// The library may print to standard output, so the protocol gets its own
/// copy of that descriptor and standard output itself is pointed at stderr.
pub fn serve(fork: bool, fault: Option<&str>) -> io::Result<()> {
    // SAFETY: plain descriptor calls on descriptors this process owns; the
    // duplicate is owned by the File alone.
    let protocol_out = unsafe {
        let fd = libc::dup(libc::STDOUT_FILENO);
        if fd < 0 || libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) < 0 {
            return Err(io::Error::last_os_error());
        }
        std::fs::File::from_raw_fd(fd)
    };
    let mut output = BufWriter::new(protocol_out);
    let mut input = BufReader::new(io::stdin().lock());
    let fault = Fault::parse(fault.unwrap_or_default());
    let mut served = 0;
    while let Some(request) = protocol::read_request(&mut input)? {
        if !matches!(request, Request::Check { .. }) {
            served += 1;
            fault.strike(served);
        }
        let answered = match &request {
            Request::Check { voice } => protocol::write_reply(&mut output, &check(voice)),
            Request::Speak(utterance) => {
                answer(fork, &utterance.voice, || speak(utterance), &mut output)
            }
            Request::Phonemes { voice, text } => {
                answer(fork, voice, || phonemize(voice, text), &mut output)
            }
        };
        match answered {
            // The parent went away: nobody is left to answer.
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            result => result?,
        }
    }
    Ok(())
}

fn check(voice: &str) -> Reply {
    match Synthesizer::with(|synthesizer| synthesizer.select_voice(voice)) {
        Ok(()) => Reply::Ready,
        Err(error) => to_reply(error),
    }
}

fn speak(utterance: &Utterance) -> Reply {
    match Synthesizer::with(|synthesizer| synthesizer.speak(utterance)) {
        Ok(pcm) => Reply::Audio {
            sample_rate: pcm.sample_rate,
            samples: pcm.samples,
        },
        Err(error) => to_reply(error),
    }
}

fn phonemize(voice: &str, text: &str) -> Reply {
    match Synthesizer::with(|synthesizer| synthesizer.phonemes(voice, text)) {
        Ok(clauses) => Reply::Phonemes(clauses),
        Err(error) => to_reply(error),
    }
}

/// Writes the reply made by `reply`: in place, or with `fork` in a copy of
/// this worker (see [`answer_in_copy`]).
fn answer(
    fork: bool,
    voice: &str,
    reply: impl FnOnce() -> Reply,
    output: &mut BufWriter<std::fs::File>,
) -> io::Result<()> {
    if fork {
        answer_in_copy(voice, reply, output)
    } else {
        protocol::write_reply(output, &reply())
    }
}

/// Answers in a forked copy of this worker, which writes the reply and
/// exits.
///
/// libespeak-ng carries state from one utterance to the next that no call
/// resets (the phase of its pitch flutter, its gain control), so a worker
/// that spoke in place would give slightly different audio depending on
/// what it spoke before. Every copy starts from the state right after
/// loading the voice, so the samples are exactly those of a fresh
/// `espeak-ng` process, whichever worker speaks and in whatever order.
/// Phonemizing goes through the same translator, so it is done in a copy
/// too, leaving the state the next utterance starts from untouched.
fn answer_in_copy(
    voice: &str,
    answer: impl FnOnce() -> Reply,
    output: &mut BufWriter<std::fs::File>,
) -> io::Result<()> {
    // Loaded here, once, so every copy starts with the voice in memory.
    if let Err(error) = Synthesizer::with(|synthesizer| synthesizer.select_voice(voice)) {
        return protocol::write_reply(output, &to_reply(error));
    }
    output.flush()?;
    // SAFETY: the worker has a single thread, so the copy holds no lock
    // another thread took; the copy only speaks, writes and calls _exit.
    let parent = unsafe { libc::getpid() };
    match unsafe { libc::fork() } {
        -1 => Err(io::Error::last_os_error()),
        0 => {
            // SAFETY: see above; _exit skips the parent's exit handlers.
            unsafe {
                // Die with the worker when it is killed, such as on a timeout.
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                let code = i32::from(protocol::write_reply(output, &answer()).is_err());
                libc::_exit(code)
            }
        }
        child => {
            let mut status = 0;
            // SAFETY: waits for the child just forked.
            while unsafe { libc::waitpid(child, &raw mut status, 0) } < 0 {
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
            if libc::WIFEXITED(status) {
                match libc::WEXITSTATUS(status) {
                    0 => Ok(()),
                    _ => Err(io::ErrorKind::BrokenPipe.into()),
                }
            } else {
                let signal = libc::WTERMSIG(status);
                let reply = Reply::Failure {
                    kind: FailureKind::Failed,
                    message: format!("espeak-ng crashed (signal {signal})"),
                };
                protocol::write_reply(output, &reply)
            }
        }
    }
}

/// A failure a test asked for through [`FAULT_ENV`].
enum Fault {
    None,
    Crash(u32),
    Hang(u32),
}

impl Fault {
    /// The fault a [`FAULT_ENV`] value asks for (the settings read it).
    fn parse(value: &str) -> Fault {
        let parsed = value.split_once(':').and_then(|(kind, n)| {
            let n = n.parse().ok()?;
            match kind {
                "crash" => Some(Fault::Crash(n)),
                "hang" => Some(Fault::Hang(n)),
                _ => None,
            }
        });
        parsed.unwrap_or(Fault::None)
    }

    fn strike(&self, request: u32) {
        match *self {
            Fault::Crash(n) if n == request => std::process::abort(),
            Fault::Hang(n) if n == request => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            _ => {}
        }
    }
}
