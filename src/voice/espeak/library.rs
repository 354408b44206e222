//! libespeak-ng itself: a hand-written binding to its C API, one instance
//! per process behind a lock, and the engine that uses it in-process.
//!
//! The library keeps global state and crashes when called from two threads
//! at once, so every call goes through one process-wide lock. The worker
//! processes use the same instance code, each with its own copy.
//!
//! The library is opened at run time (`dlopen`) rather than linked, so that
//! `bulletin` still starts where it is missing (`plan`, `voices` and a clear
//! "not installed" message keep working) and the parent of the workers never
//! loads it and the audio libraries it pulls in.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_short, c_uint, c_void, CStr, CString, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;
use std::sync::{Mutex, PoisonError};

use super::protocol::Utterance;
use super::{failed, not_installed, one_line, unknown_voice, utterance, EspeakProcess, Phonemizer};
use crate::pcm::Pcm;
use crate::voice::{Engine, EngineError, VoiceProfile};

/// The library's file name (its soname on Debian 12).
const LIBRARY: &str = "libespeak-ng.so.1";
/// Names another library file to open instead; tests point it at a missing
/// one to see how a machine without espeak-ng is reported.
pub const LIBRARY_ENV: &str = "BULLETIN_LIBESPEAK_NG";

// Values from espeak-ng's speak_lib.h (API revision 12).
const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const INITIALIZE_DONT_EXIT: c_int = 0x8000;
const POS_CHARACTER: c_int = 1;
const CHARS_UTF8: c_uint = 1;
const ENDPAUSE: c_uint = 0x1000;
/// `espeakPHONEMES_IPA`: the phoneme mode `espeak-ng --ipa` sets, with no
/// tie or separator between the letters of one phoneme.
const PHONEMES_IPA: c_int = 0x02;
const PARAMETER_RATE: c_int = 1;
const PARAMETER_VOLUME: c_int = 2;
const PARAMETER_PITCH: c_int = 3;
const EE_OK: c_int = 0;

/// Flags for `espeak_Synth`: UTF-8 text with the pause at the end that the
/// `espeak-ng` program adds. Neither `espeakSSML` nor `espeakPHONEMES`, so
/// markup and `[[...]]` in the text are read as text.
const SYNTH_FLAGS: c_uint = CHARS_UTF8 | ENDPAUSE;

/// `espeak_VOICE`, used to pick a voice by language when its name fails.
#[repr(C)]
struct VoiceSelector {
    name: *const c_char,
    languages: *const c_char,
    identifier: *const c_char,
    gender: u8,
    age: u8,
    variant: u8,
    spare_byte: u8,
    score: c_int,
    spare: *mut c_void,
}

type SynthCallback = unsafe extern "C" fn(*mut c_short, c_int, *mut c_void) -> c_int;

/// The functions of `speak_lib.h` bulletin calls.
struct Api {
    initialize: unsafe extern "C" fn(c_int, c_int, *const c_char, c_int) -> c_int,
    info: unsafe extern "C" fn(*mut *const c_char) -> *const c_char,
    set_synth_callback: unsafe extern "C" fn(SynthCallback),
    set_voice_by_name: unsafe extern "C" fn(*const c_char) -> c_int,
    set_voice_by_properties: unsafe extern "C" fn(*mut VoiceSelector) -> c_int,
    set_parameter: unsafe extern "C" fn(c_int, c_int, c_int) -> c_int,
    #[allow(clippy::type_complexity)]
    synth: unsafe extern "C" fn(
        *const c_void,
        usize,
        c_uint,
        c_int,
        c_uint,
        c_uint,
        *mut c_uint,
        *mut c_void,
    ) -> c_int,
    synchronize: unsafe extern "C" fn() -> c_int,
    text_to_phonemes: unsafe extern "C" fn(*mut *const c_void, c_int, c_int) -> *const c_char,
}

impl Api {
    /// Opens the library and finds its functions.
    fn open() -> Result<Api, EngineError> {
        let file = std::env::var_os(LIBRARY_ENV).unwrap_or_else(|| OsString::from(LIBRARY));
        let file = CString::new(file.as_bytes()).map_err(|_| not_installed())?;
        // SAFETY: dlopen takes a NUL-terminated name; libespeak-ng has no
        // initializers that depend on the caller.
        let handle = unsafe { libc::dlopen(file.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if handle.is_null() {
            return Err(not_installed());
        }
        // SAFETY: each symbol is cast to the signature speak_lib.h declares
        // for it. The handle is never closed, so the pointers stay valid.
        unsafe {
            Ok(Api {
                initialize: symbol(handle, c"espeak_Initialize")?,
                info: symbol(handle, c"espeak_Info")?,
                set_synth_callback: symbol(handle, c"espeak_SetSynthCallback")?,
                set_voice_by_name: symbol(handle, c"espeak_SetVoiceByName")?,
                set_voice_by_properties: symbol(handle, c"espeak_SetVoiceByProperties")?,
                set_parameter: symbol(handle, c"espeak_SetParameter")?,
                synth: symbol(handle, c"espeak_Synth")?,
                synchronize: symbol(handle, c"espeak_Synchronize")?,
                text_to_phonemes: symbol(handle, c"espeak_TextToPhonemes")?,
            })
        }
    }
}

/// Looks up a function; `T` must be the function pointer type it has.
unsafe fn symbol<T: Copy>(handle: *mut c_void, name: &CStr) -> Result<T, EngineError> {
    assert_eq!(size_of::<T>(), size_of::<*mut c_void>());
    // SAFETY: the caller passes a live handle and the symbol's true type.
    unsafe {
        let pointer = libc::dlsym(handle, name.as_ptr());
        if pointer.is_null() {
            return Err(failed(format!(
                "{LIBRARY} has no function {}",
                name.to_string_lossy()
            )));
        }
        Ok(std::mem::transmute_copy::<*mut c_void, T>(&pointer))
    }
}

thread_local! {
    /// Samples of the utterance being spoken. The callback runs on the
    /// thread that called `espeak_Synth`, inside that call.
    static SAMPLES: RefCell<Vec<i16>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "C" fn collect(wav: *mut c_short, count: c_int, _events: *mut c_void) -> c_int {
    if !wav.is_null() && count > 0 {
        // SAFETY: espeak-ng passes `count` valid samples at `wav`.
        let chunk = unsafe { std::slice::from_raw_parts(wav, count as usize) };
        SAMPLES.with(|samples| samples.borrow_mut().extend_from_slice(chunk));
    }
    0
}

/// The initialized library, with the voice it has loaded.
pub(super) struct Synthesizer {
    api: Api,
    sample_rate: u32,
    voice: Option<String>,
}

/// The one instance in this process.
static INSTANCE: Mutex<Option<Synthesizer>> = Mutex::new(None);

impl Synthesizer {
    /// Runs `task` with this process's instance, opening it on first use.
    /// Callers wait for each other: the library is not thread-safe.
    pub(super) fn with<T>(
        task: impl FnOnce(&mut Synthesizer) -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        let mut instance = INSTANCE.lock().unwrap_or_else(PoisonError::into_inner);
        if instance.is_none() {
            *instance = Some(Synthesizer::open()?);
        }
        task(instance.as_mut().expect("opened above"))
    }

    fn open() -> Result<Synthesizer, EngineError> {
        let api = Api::open()?;
        // SAFETY: called once per process, before any other espeak call.
        // Told not to exit when its data is missing; the check below finds
        // out instead.
        let sample_rate = unsafe {
            (api.initialize)(
                AUDIO_OUTPUT_SYNCHRONOUS,
                0,
                ptr::null(),
                INITIALIZE_DONT_EXIT,
            )
        };
        let mut data: *const c_char = ptr::null();
        // SAFETY: espeak_Info stores a pointer to a static string.
        unsafe { (api.info)(&raw mut data) };
        let data_found = !data.is_null() && {
            // SAFETY: non-null, NUL-terminated, owned by the library.
            let data = unsafe { CStr::from_ptr(data) };
            Path::new(std::ffi::OsStr::from_bytes(data.to_bytes()))
                .join("phontab")
                .is_file()
        };
        if sample_rate <= 0 || !data_found {
            return Err(not_installed());
        }
        // SAFETY: `collect` matches t_espeak_callback.
        unsafe { (api.set_synth_callback)(collect) };
        Ok(Synthesizer {
            api,
            sample_rate: sample_rate as u32,
            voice: None,
        })
    }

    /// Loads a voice unless it is already loaded: by name, else by
    /// language, as the `espeak-ng` program does.
    pub(super) fn select_voice(&mut self, voice: &str) -> Result<(), EngineError> {
        if self.voice.as_deref() == Some(voice) {
            return Ok(());
        }
        self.voice = None;
        let name = CString::new(voice).map_err(|_| unknown_voice(voice))?;
        // SAFETY: a NUL-terminated name; the selector only borrows it.
        let found = unsafe {
            (self.api.set_voice_by_name)(name.as_ptr()) == EE_OK || {
                let mut selector = VoiceSelector {
                    name: ptr::null(),
                    languages: name.as_ptr(),
                    identifier: ptr::null(),
                    gender: 0,
                    age: 0,
                    variant: 0,
                    spare_byte: 0,
                    score: 0,
                    spare: ptr::null_mut(),
                };
                (self.api.set_voice_by_properties)(&raw mut selector) == EE_OK
            }
        };
        if !found {
            return Err(unknown_voice(voice));
        }
        self.voice = Some(voice.to_string());
        Ok(())
    }

    /// Speaks one utterance and returns its samples.
    pub(super) fn speak(&mut self, utterance: &Utterance) -> Result<Pcm16, EngineError> {
        self.select_voice(&utterance.voice)?;
        for (parameter, value) in [
            (PARAMETER_RATE, utterance.rate),
            (PARAMETER_VOLUME, utterance.volume),
            (PARAMETER_PITCH, utterance.pitch),
        ] {
            // SAFETY: plain integers.
            let status = unsafe { (self.api.set_parameter)(parameter, value as c_int, 0) };
            if status != EE_OK {
                return Err(failed(format!(
                    "cannot set parameter {parameter} to {value}"
                )));
            }
        }
        // The same text the process engine writes to espeak-ng's stdin.
        let text = CString::new(one_line(&utterance.text).replace('\0', " "))
            .expect("NUL bytes were replaced");
        SAMPLES.with(|samples| samples.borrow_mut().clear());
        // SAFETY: a NUL-terminated UTF-8 buffer of the size given; in
        // synchronous mode the callback runs before espeak_Synth returns.
        let status = unsafe {
            let status = (self.api.synth)(
                text.as_ptr().cast(),
                text.as_bytes_with_nul().len(),
                0,
                POS_CHARACTER,
                0,
                SYNTH_FLAGS,
                ptr::null_mut(),
                ptr::null_mut(),
            );
            if status == EE_OK {
                (self.api.synchronize)()
            } else {
                status
            }
        };
        let samples = SAMPLES.with(|samples| std::mem::take(&mut *samples.borrow_mut()));
        if status != EE_OK {
            return Err(failed(format!("espeak_Synth returned {status}")));
        }
        Ok(Pcm16 {
            sample_rate: self.sample_rate,
            samples,
        })
    }

    /// The IPA of `text` in `voice`, one string per clause, as
    /// `espeak-ng -q --ipa -v VOICE` prints it: that program speaks with
    /// phoneme tracing in IPA mode, and tracing prints the same translation
    /// of each clause that `espeak_TextToPhonemes` returns
    /// (`tests/espeak_modes.rs` compares the two). Clauses without phonemes
    /// (a lone mark) are left out, as the program prints nothing for them.
    pub(super) fn phonemes(&mut self, voice: &str, text: &str) -> Result<Vec<String>, EngineError> {
        self.select_voice(voice)?;
        // The same text the program reads from its standard input.
        let text =
            CString::new(one_line(text).replace('\0', " ")).expect("NUL bytes were replaced");
        let end = text.as_bytes().as_ptr_range().end;
        let mut next: *const c_void = text.as_ptr().cast();
        let mut clauses = Vec::new();
        while !next.is_null() {
            let before = next;
            // SAFETY: `next` points into the NUL-terminated `text`, which
            // outlives the loop; the library advances it past the clause it
            // translated or sets it to null at the end. The result is the
            // library's own buffer, copied before the next call.
            let ipa = unsafe {
                let ipa =
                    (self.api.text_to_phonemes)(&raw mut next, CHARS_UTF8 as c_int, PHONEMES_IPA);
                (!ipa.is_null()).then(|| CStr::from_ptr(ipa).to_string_lossy().trim().to_string())
            };
            if let Some(ipa) = ipa.filter(|ipa| !ipa.is_empty()) {
                clauses.push(ipa);
            }
            // A pointer that stands still or leaves the text would loop
            // forever or read foreign memory; neither happens in 1.51.
            if next == before || (!next.is_null() && next.cast::<u8>() > end) {
                return Err(failed("espeak_TextToPhonemes lost its place in the text"));
            }
        }
        Ok(clauses)
    }
}

/// 16-bit samples as the library makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pcm16 {
    pub sample_rate: u32,
    pub samples: Vec<i16>,
}

impl From<Pcm16> for Pcm {
    fn from(pcm: Pcm16) -> Pcm {
        Pcm::from_i16(pcm.sample_rate, &pcm.samples)
    }
}

/// libespeak-ng in this process, every call behind one global lock.
///
/// Kept for measurement (`BULLETIN_ESPEAK_MODE=library`): it has no start-up
/// cost per utterance but leaves every other core idle, and a crash or hang
/// inside the library takes `bulletin` with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct EspeakLibrary;

impl Engine for EspeakLibrary {
    fn name(&self) -> &'static str {
        EspeakProcess::NAME
    }

    fn version(&self) -> String {
        super::version("library")
    }

    fn check(&self, profile: &VoiceProfile) -> Result<(), EngineError> {
        Synthesizer::with(|synthesizer| synthesizer.select_voice(&profile.voice))
    }

    fn synthesize(&self, profile: &VoiceProfile, input: &str) -> Result<Pcm, EngineError> {
        let utterance = utterance(profile, input);
        Synthesizer::with(|synthesizer| synthesizer.speak(&utterance)).map(Pcm::from)
    }
}

impl Phonemizer for EspeakLibrary {
    fn phonemes(&self, voice: &str, text: &str) -> Result<Vec<String>, EngineError> {
        Synthesizer::with(|synthesizer| synthesizer.phonemes(voice, text))
    }
}
