//! The worker protocol: length-prefixed binary frames between `bulletin` and
//! its `espeak-worker` processes, over the worker's stdin and stdout.
//!
//! Every frame is a little-endian `u32` byte count, then that many bytes.
//! Integers inside are little-endian; a string is a `u32` byte count and its
//! UTF-8 bytes. Text only ever travels as data, never as an argument.
//!
//! ```text
//! request  = 1 voice words_per_minute:u32 pitch:u32 volume:u32 text   (speak)
//!          | 2 voice                                      (check the voice)
//!          | 3 voice text                                 (IPA phonemes)
//! reply    = 1 sample_rate:u32 count:u32 count × i16       (audio)
//!          | 2                                            (voice is ready)
//!          | 3 kind:u8 message                            (failure)
//!          | 4 count:u32 count × clause                   (IPA per clause)
//! ```

use std::io::{self, Read, Write};

/// The largest frame either side accepts: far above one utterance's audio,
/// low enough that a corrupt length cannot exhaust memory.
const MAX_FRAME: usize = 256 << 20;

/// One utterance and how to speak it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    /// The engine's voice name.
    pub voice: String,
    /// Words per minute.
    pub words_per_minute: u32,
    /// Pitch, 0 to 99.
    pub pitch: u32,
    /// Volume, 0 to 200.
    pub volume: u32,
    /// The text, read as plain text.
    pub text: String,
}

/// What the parent asks a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Speak an utterance.
    Speak(Utterance),
    /// Check that the engine works and knows this voice.
    Check {
        /// The engine's voice name.
        voice: String,
    },
    /// Turn text into IPA, as `espeak-ng -q --ipa` does.
    Phonemes {
        /// The engine's voice name, which picks the language.
        voice: String,
        /// The text, read as plain text.
        text: String,
    },
}

/// Why a worker could not do what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// libespeak-ng or its data is missing.
    NotInstalled = 1,
    /// The voice is unknown; the message is its name.
    UnknownVoice = 2,
    /// Anything else; the message says what.
    Failed = 3,
}

/// A worker's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// 16-bit mono samples.
    Audio {
        /// Samples per second.
        sample_rate: u32,
        /// The samples.
        samples: Vec<i16>,
    },
    /// The voice checked is usable.
    Ready,
    /// IPA, one string per clause as espeak-ng splits the text.
    Phonemes(Vec<String>),
    /// The request failed.
    Failure {
        /// What kind of failure.
        kind: FailureKind,
        /// Details, in the engine's words where it gave any.
        message: String,
    },
}

/// Writes one request frame and flushes.
pub fn write_request(out: &mut impl Write, request: &Request) -> io::Result<()> {
    let mut body = Vec::new();
    match request {
        Request::Speak(utterance) => {
            body.push(1);
            put_str(&mut body, &utterance.voice);
            for value in [
                utterance.words_per_minute,
                utterance.pitch,
                utterance.volume,
            ] {
                body.extend(value.to_le_bytes());
            }
            put_str(&mut body, &utterance.text);
        }
        Request::Check { voice } => {
            body.push(2);
            put_str(&mut body, voice);
        }
        Request::Phonemes { voice, text } => {
            body.push(3);
            put_str(&mut body, voice);
            put_str(&mut body, text);
        }
    }
    write_frame(out, &body)
}

/// Reads one request; `None` when the input ended cleanly between frames.
pub fn read_request(input: &mut impl Read) -> io::Result<Option<Request>> {
    let Some(body) = read_frame(input)? else {
        return Ok(None);
    };
    let mut body = Fields(&body);
    let request = match body.u8()? {
        1 => Request::Speak(Utterance {
            voice: body.string()?,
            words_per_minute: body.u32()?,
            pitch: body.u32()?,
            volume: body.u32()?,
            text: body.string()?,
        }),
        2 => Request::Check {
            voice: body.string()?,
        },
        3 => Request::Phonemes {
            voice: body.string()?,
            text: body.string()?,
        },
        tag => return Err(invalid(format!("unknown request tag {tag}"))),
    };
    body.end()?;
    Ok(Some(request))
}

/// Writes one reply frame and flushes.
pub fn write_reply(out: &mut impl Write, reply: &Reply) -> io::Result<()> {
    let mut body = Vec::new();
    match reply {
        Reply::Audio {
            sample_rate,
            samples,
        } => {
            // Written straight from the samples: a copy of a long
            // utterance's audio costs more than writing it.
            let length = samples
                .len()
                .checked_mul(2)
                .and_then(|bytes| bytes.checked_add(9))
                .filter(|&length| length <= MAX_FRAME)
                .ok_or_else(|| invalid("too much audio for one frame"))?;
            out.write_all(&len_u32(length)?.to_le_bytes())?;
            out.write_all(&[1])?;
            out.write_all(&sample_rate.to_le_bytes())?;
            out.write_all(&len_u32(samples.len())?.to_le_bytes())?;
            let mut chunk = [0; 4096];
            for piece in samples.chunks(chunk.len() / 2) {
                for (bytes, sample) in chunk.chunks_exact_mut(2).zip(piece) {
                    bytes.copy_from_slice(&sample.to_le_bytes());
                }
                out.write_all(&chunk[..2 * piece.len()])?;
            }
            return out.flush();
        }
        Reply::Ready => body.push(2),
        Reply::Phonemes(clauses) => {
            body.push(4);
            body.extend(len_u32(clauses.len())?.to_le_bytes());
            for clause in clauses {
                put_str(&mut body, clause);
            }
        }
        Reply::Failure { kind, message } => {
            body.push(3);
            body.push(*kind as u8);
            put_str(&mut body, message);
        }
    }
    write_frame(out, &body)
}

/// Reads one reply; `None` when the input ended cleanly between frames.
pub fn read_reply(input: &mut impl Read) -> io::Result<Option<Reply>> {
    let Some(body) = read_frame(input)? else {
        return Ok(None);
    };
    let mut body = Fields(&body);
    let reply = match body.u8()? {
        1 => {
            let sample_rate = body.u32()?;
            let count = body.u32()? as usize;
            let bytes = body.take(count.checked_mul(2).ok_or_else(|| invalid("too long"))?)?;
            let samples = bytes
                .chunks_exact(2)
                .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                .collect();
            Reply::Audio {
                sample_rate,
                samples,
            }
        }
        2 => Reply::Ready,
        3 => {
            let kind = match body.u8()? {
                1 => FailureKind::NotInstalled,
                2 => FailureKind::UnknownVoice,
                3 => FailureKind::Failed,
                other => return Err(invalid(format!("unknown failure kind {other}"))),
            };
            Reply::Failure {
                kind,
                message: body.string()?,
            }
        }
        4 => {
            let count = body.u32()?;
            // Read clause by clause, nothing allocated up front from the
            // count: a corrupt count fails at the end of the frame.
            let clauses = (0..count)
                .map(|_| body.string())
                .collect::<io::Result<_>>()?;
            Reply::Phonemes(clauses)
        }
        tag => return Err(invalid(format!("unknown reply tag {tag}"))),
    };
    body.end()?;
    Ok(Some(reply))
}

fn write_frame(out: &mut impl Write, body: &[u8]) -> io::Result<()> {
    if body.len() > MAX_FRAME {
        return Err(invalid(format!(
            "a frame of {} bytes is too long",
            body.len()
        )));
    }
    out.write_all(&len_u32(body.len())?.to_le_bytes())?;
    out.write_all(body)?;
    out.flush()
}

fn read_frame(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0; 4];
    let mut filled = 0;
    while filled < length.len() {
        match input.read(&mut length[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_FRAME {
        return Err(invalid(format!("a frame of {length} bytes is too long")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn put_str(body: &mut Vec<u8>, text: &str) {
    // Frames are capped far below 4 GiB, so the length always fits.
    body.extend((text.len() as u32).to_le_bytes());
    body.extend(text.as_bytes());
}

fn len_u32(length: usize) -> io::Result<u32> {
    u32::try_from(length).map_err(|_| invalid("too long"))
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Reads the fields of one frame's body in order.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, count: usize) -> io::Result<&'a [u8]> {
        if count > self.0.len() {
            return Err(invalid("frame ends inside a field"));
        }
        let (head, rest) = self.0.split_at(count);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn string(&mut self) -> io::Result<String> {
        let length = self.u32()? as usize;
        String::from_utf8(self.take(length)?.to_vec()).map_err(|_| invalid("text is not UTF-8"))
    }

    fn end(&self) -> io::Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(invalid("frame has bytes after its last field"))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn speak(text: &str) -> Request {
        Request::Speak(Utterance {
            voice: "cmn-latn-pinyin".into(),
            words_per_minute: 175,
            pitch: 50,
            volume: 100,
            text: text.into(),
        })
    }

    #[test]
    fn requests_round_trip_in_order() {
        let requests = [
            speak("ni3 hao3"),
            speak("<voice name=\"x\">[[h@l'oU]]</voice>\n\0"),
            speak(""),
            Request::Check {
                voice: "en-us".into(),
            },
            Request::Phonemes {
                voice: "cmn-latn-pinyin".into(),
                text: "hui4 yi4 ， yao4 jia1 jin3 。".into(),
            },
            Request::Phonemes {
                voice: "en-us".into(),
                text: String::new(),
            },
        ];
        let mut stream = Cursor::new(Vec::new());
        for request in &requests {
            write_request(&mut stream, request).unwrap();
        }
        stream.set_position(0);
        for request in &requests {
            assert_eq!(read_request(&mut stream).unwrap().as_ref(), Some(request));
        }
        assert_eq!(read_request(&mut stream).unwrap(), None);
    }

    #[test]
    fn replies_round_trip_in_order() {
        let replies = [
            Reply::Audio {
                sample_rate: 22050,
                samples: vec![0, 1, -1, i16::MAX, i16::MIN],
            },
            Reply::Audio {
                sample_rate: 16000,
                samples: Vec::new(),
            },
            Reply::Ready,
            Reply::Failure {
                kind: FailureKind::UnknownVoice,
                message: "nope".into(),
            },
            Reply::Failure {
                kind: FailureKind::NotInstalled,
                message: String::new(),
            },
            Reply::Phonemes(vec!["kɹˈuːz wˈɜːkt".into(), "ænd ðə stˈoːɹm pˈæst".into()]),
            Reply::Phonemes(Vec::new()),
        ];
        let mut stream = Cursor::new(Vec::new());
        for reply in &replies {
            write_reply(&mut stream, reply).unwrap();
        }
        stream.set_position(0);
        for reply in &replies {
            assert_eq!(read_reply(&mut stream).unwrap().as_ref(), Some(reply));
        }
        assert_eq!(read_reply(&mut stream).unwrap(), None);
    }

    #[test]
    fn frame_cut_short_is_an_error_not_a_clean_end() {
        let mut bytes = Vec::new();
        write_request(&mut bytes, &speak("ni3 hao3")).unwrap();
        for cut in 1..bytes.len() {
            let result = read_request(&mut Cursor::new(&bytes[..cut]));
            assert!(result.is_err(), "cut at {cut} gave {result:?}");
        }
    }

    #[test]
    fn corrupt_frames_are_refused() {
        let huge = (u32::MAX).to_le_bytes();
        assert!(read_reply(&mut Cursor::new(huge)).is_err());
        let mut unknown_tag = 1u32.to_le_bytes().to_vec();
        unknown_tag.push(9);
        assert!(read_request(&mut Cursor::new(unknown_tag)).is_err());
        let mut trailing = 2u32.to_le_bytes().to_vec();
        trailing.extend([2, 0]);
        assert!(read_reply(&mut Cursor::new(trailing)).is_err());
        // Phonemes claiming more clauses than the frame holds.
        let mut short = 5u32.to_le_bytes().to_vec();
        short.push(4);
        short.extend(u32::MAX.to_le_bytes());
        assert!(read_reply(&mut Cursor::new(short)).is_err());
    }
}
