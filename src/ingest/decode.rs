//! Turns an input's bytes into text. The encoding is the one forced with
//! `--encoding`, else the one a byte-order mark names, else UTF-8 when the
//! bytes are valid UTF-8, else the charset the document declares, else a
//! guess that is trusted only for the Chinese legacy encodings (GBK/GB18030
//! and Big5). Decoding is strict: bytes that are malformed in the chosen
//! encoding are refused with their offset, never read as garbage.

use std::fmt;
use std::str::FromStr;

use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use super::IngestError;

/// An encoding named on the command line (a WHATWG label such as `gbk`,
/// `gb18030`, `big5`, `utf-16le` or `windows-1252`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding(&'static Encoding);

impl TextEncoding {
    /// The encoding's canonical name, such as `GBK` or `UTF-16LE`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An `--encoding` value that names no encoding bulletin can decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown encoding \"{0}\" (try utf-8, gb18030, gbk, big5, utf-16le, utf-16be or windows-1252)"
)]
pub struct UnknownEncoding(String);

impl FromStr for TextEncoding {
    type Err = UnknownEncoding;

    fn from_str(label: &str) -> Result<Self, Self::Err> {
        Encoding::for_label_no_replacement(label.trim().as_bytes())
            .map(TextEncoding)
            .ok_or_else(|| UnknownEncoding(label.to_string()))
    }
}

/// How the encoding of an input was chosen; error messages say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// `--encoding` named it.
    Forced,
    /// The input starts with its byte-order mark.
    ByteOrderMark,
    /// Nothing else was said, and UTF-8 is the default.
    Default,
    /// An XML prolog or an HTML `<meta charset>` declares it.
    Declared,
    /// The detector guessed it from the bytes.
    Detected,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Choice::Forced => " (as --encoding asked)",
            Choice::ByteOrderMark => " (as its byte-order mark says)",
            Choice::Default => "",
            Choice::Declared => " (as it declares)",
            Choice::Detected => " (as detected)",
        })
    }
}

/// What the detector guessed when the guess was not trusted: a hint for the
/// user, shown after a UTF-8 error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess(pub Option<&'static str>);

impl fmt::Display for Guess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => write!(
                f,
                "; it may be {name} text: if so, say --encoding {}",
                name.to_ascii_lowercase()
            ),
            None => Ok(()),
        }
    }
}

/// Encodings a guess is trusted for: the detector tells them apart well, and
/// their strict decoders refuse most text that is in another encoding.
const TRUSTED_GUESSES: [&Encoding; 3] = [GBK, GB18030, BIG5];

/// How much of an input the detector and the binary check look at.
const DETECT_SAMPLE: usize = 1 << 20;
const BINARY_SAMPLE: usize = 8 << 10;

/// Fewest non-ASCII bytes a guess needs before it is offered as a hint.
const HINT_EVIDENCE: usize = 4;

/// Decodes a whole input into text, refusing binary data and malformed bytes.
pub fn decode(
    name: &str,
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<String, IngestError> {
    let bom = Encoding::for_bom(bytes);
    let chosen = match (forced, bom) {
        (Some(TextEncoding(encoding)), _) => Some((encoding, Choice::Forced)),
        (None, Some((encoding, _))) => Some((encoding, Choice::ByteOrderMark)),
        (None, None) => None,
    };
    let wide = chosen.is_some_and(|(encoding, _)| is_utf16(encoding));
    // UTF-16 is full of NUL bytes; it is checked once decoded instead.
    if !wide && looks_binary(bytes.iter().map(|&byte| char::from(byte))) {
        return Err(IngestError::Binary(name.to_string()));
    }
    let (encoding, choice) = match chosen {
        Some(chosen) => chosen,
        None => guess(bytes).map_err(|(offset, guess)| IngestError::Undecodable {
            name: name.to_string(),
            encoding: UTF_8.name(),
            choice: Choice::Default,
            offset,
            guess,
        })?,
    };
    let skip = match bom {
        Some((bom_encoding, length)) if bom_encoding == encoding => length,
        _ => 0,
    };
    let text =
        decode_strict(&bytes[skip..], encoding).map_err(|offset| IngestError::Undecodable {
            name: name.to_string(),
            encoding: encoding.name(),
            choice,
            offset: skip + offset,
            guess: Guess(None),
        })?;
    if wide && looks_binary(text.chars()) {
        return Err(IngestError::Binary(name.to_string()));
    }
    Ok(text)
}

fn is_utf16(encoding: &Encoding) -> bool {
    encoding == UTF_16LE || encoding == UTF_16BE
}

/// Picks the encoding of an input that has no byte-order mark and no forced
/// encoding. On failure gives the offset of the first byte that is not
/// UTF-8, and what the detector guessed when it was not trusted.
fn guess(bytes: &[u8]) -> Result<(&'static Encoding, Choice), (usize, Guess)> {
    let utf8_error = match std::str::from_utf8(bytes) {
        Ok(_) => return Ok((UTF_8, Choice::Default)),
        Err(error) => error.valid_up_to(),
    };
    if is_mostly_utf8(bytes) {
        return Err((utf8_error, Guess(None)));
    }
    if let Some(encoding) = declared_encoding(bytes) {
        return Ok((encoding, Choice::Declared));
    }
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    let guessed = detector.guess(None, chardetng::Utf8Detection::Deny);
    if TRUSTED_GUESSES.contains(&guessed) {
        return Ok((guessed, Choice::Detected));
    }
    let evidence = sample.iter().filter(|byte| !byte.is_ascii()).count();
    let hint = (evidence >= HINT_EVIDENCE).then(|| guessed.name());
    Err((utf8_error, Guess(hint)))
}

/// True for UTF-8 text with a few damaged bytes: far more valid non-ASCII
/// characters than invalid bytes. Text in a legacy Chinese encoding forms a
/// valid UTF-8 character only now and then, and is mostly invalid bytes.
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid > 4 * invalid
}

/// The encoding an XML prolog (`<?xml ... encoding="..."?>`) or an HTML
/// `<meta charset>` declares in the first kilobyte. A declared UTF-16 is
/// ignored: bytes without its byte-order mark are not UTF-16.
fn declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    let label = if head.starts_with("<?xml") {
        let prolog = &head[..head.find("?>")?];
        attribute_value(&prolog[prolog.find("encoding")? + "encoding".len()..])?
    } else {
        let meta = &head[head.find("<meta")?..];
        attribute_value(&meta[meta.find("charset")? + "charset".len()..])?
    };
    Encoding::for_label_no_replacement(label.as_bytes()).filter(|encoding| !is_utf16(encoding))
}

/// The value after `=` at the start of `rest`, quoted or not.
fn attribute_value(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|label| !label.is_empty())
}

/// Decodes without replacement; on malformed input gives the offset of the
/// first malformed byte.
fn decode_strict(bytes: &[u8], encoding: &'static Encoding) -> Result<String, usize> {
    if encoding == UTF_8 {
        return std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|error| error.valid_up_to());
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut text = String::with_capacity(capacity);
    let mut consumed = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut text, true);
        consumed += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(bytes.len() - consumed + 16),
            DecoderResult::Malformed(length, after) => {
                return Err(consumed - usize::from(length) - usize::from(after));
            }
        }
    }
}

/// True for data that is not text: it holds a NUL, or more than one in ten
/// of its first characters are control codes that text does not use.
fn looks_binary(chars: impl Iterator<Item = char>) -> bool {
    let (mut seen, mut controls) = (0usize, 0usize);
    for c in chars {
        if c == '\0' {
            return true;
        }
        if seen < BINARY_SAMPLE {
            seen += 1;
            let is_text_control = matches!(c, '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{1b}');
            if (c < ' ' && !is_text_control) || c == '\u{7f}' {
                controls += 1;
            }
        }
    }
    controls * 10 > seen
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "会议指出，要坚持稳中求进工作总基调。“三保”底线——加力支持实体经济…";
    const ZH_TRADITIONAL: &str =
        "會議指出，要堅持穩中求進工作總基調。「三保」底線——加力支持實體經濟…";

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(!had_errors, "{text} is encodable in {}", encoding.name());
        bytes.into_owned()
    }

    fn forced(label: &str) -> TextEncoding {
        label.parse().unwrap()
    }

    #[test]
    fn each_encoding_is_found_and_decoded_exactly() {
        let mut little_endian = vec![0xFF, 0xFE];
        little_endian.extend(ZH.encode_utf16().flat_map(u16::to_le_bytes));
        let mut big_endian = vec![0xFE, 0xFF];
        big_endian.extend(ZH.encode_utf16().flat_map(u16::to_be_bytes));
        let cases: [(&str, Vec<u8>, &str); 6] = [
            ("UTF-8", ZH.as_bytes().to_vec(), ZH),
            (
                "UTF-8 with BOM",
                [b"\xEF\xBB\xBF", ZH.as_bytes()].concat(),
                ZH,
            ),
            ("GB18030", encoded(GB18030, ZH), ZH),
            ("Big5", encoded(BIG5, ZH_TRADITIONAL), ZH_TRADITIONAL),
            ("UTF-16LE with BOM", little_endian, ZH),
            ("UTF-16BE with BOM", big_endian, ZH),
        ];
        for (label, bytes, expected) in cases {
            assert_eq!(decode("a.txt", &bytes, None).unwrap(), expected, "{label}");
        }
    }

    #[test]
    fn gb18030_four_byte_characters_survive() {
        let text = "新华社电：𠀀与鿏、€。".repeat(20);
        assert_eq!(decode("a", &encoded(GB18030, &text), None).unwrap(), text);
    }

    #[test]
    fn forced_encoding_overrides_detection() {
        let bytes = encoded(GB18030, ZH);
        assert_eq!(decode("a", &bytes, Some(forced("gbk"))).unwrap(), ZH);
        let latin = encoded(encoding_rs::WINDOWS_1252, "Café déjà vu");
        assert_eq!(
            decode("a", &latin, Some(forced("windows-1252"))).unwrap(),
            "Café déjà vu"
        );
    }

    #[test]
    fn malformed_bytes_name_file_encoding_and_offset() {
        let cases: [(&str, Vec<u8>, Option<TextEncoding>, &str); 4] = [
            (
                "bad UTF-8",
                b"abc\xff\xfe".to_vec(),
                None,
                "page.txt is not valid UTF-8 text: malformed byte sequence at byte offset 3",
            ),
            (
                "GB18030 forced as UTF-8",
                encoded(GB18030, "abc中文"),
                Some(forced("utf-8")),
                "page.txt is not valid UTF-8 text (as --encoding asked): malformed byte sequence at byte offset 3",
            ),
            (
                "UTF-8 with one damaged byte",
                [ZH.as_bytes(), b"\xff", ZH.as_bytes()].concat(),
                None,
                &format!(
                    "page.txt is not valid UTF-8 text: malformed byte sequence at byte offset {}",
                    ZH.len()
                ),
            ),
            (
                "GBK cut inside a character",
                [encoded(GB18030, ZH).as_slice(), b"\x81"].concat(),
                Some(forced("gbk")),
                &format!(
                    "page.txt is not valid GBK text (as --encoding asked): malformed byte sequence at byte offset {}",
                    encoded(GB18030, ZH).len()
                ),
            ),
        ];
        for (label, bytes, encoding, message) in cases {
            let error = decode("page.txt", &bytes, encoding).unwrap_err();
            assert_eq!(error.to_string(), message, "{label}");
        }
    }

    #[test]
    fn untrusted_guess_is_refused_with_a_hint() {
        let latin = encoded(
            encoding_rs::WINDOWS_1252,
            "The café served crème brûlée to the délégués from Zürich.",
        );
        let error = decode("menu.txt", &latin, None).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "menu.txt is not valid UTF-8 text: malformed byte sequence at byte offset 7"
            ) && error.contains("--encoding windows-1252"),
            "{error}"
        );
    }

    #[test]
    fn declared_charset_is_used_for_text_that_is_not_utf8() {
        let cases = [
            ("<?xml version=\"1.0\" encoding=\"GB2312\"?><rss>", GBK),
            ("<!doctype html><meta charset=big5><p>", BIG5),
            (
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">",
                GBK,
            ),
            (
                "<?xml version='1.0' encoding='windows-1252'?>",
                encoding_rs::WINDOWS_1252,
            ),
        ];
        for (head, encoding) in cases {
            assert_eq!(declared_encoding(head.as_bytes()), Some(encoding), "{head}");
        }
        assert_eq!(declared_encoding(b"<meta charset=utf-16>"), None);
        assert_eq!(declared_encoding(b"plain text, charset=gbk"), None);
    }

    #[test]
    fn binary_data_is_refused() {
        let cases: [(&str, Vec<u8>); 3] = [
            ("NUL bytes", b"PK\x03\x04\x00\x00text".to_vec()),
            (
                "control codes",
                (0u8..64)
                    .cycle()
                    .skip(1)
                    .take(500)
                    .filter(|b| *b != 0)
                    .collect(),
            ),
            (
                "UTF-16 with NUL characters",
                vec![0xFF, 0xFE, 0, 0, 0x41, 0],
            ),
        ];
        for (label, bytes) in cases {
            let error = decode("blob.txt", &bytes, None).unwrap_err();
            assert_eq!(
                error.to_string(),
                "blob.txt is a binary file, not text",
                "{label}"
            );
        }
        assert!(decode("a", b"tab\tand\x0cform feed\r\n", None).is_ok());
    }

    #[test]
    fn unknown_encoding_labels_are_refused() {
        assert_eq!(forced("GB2312").name(), "GBK");
        assert_eq!(forced(" Big5 ").name(), "Big5");
        let error = "klingon".parse::<TextEncoding>().unwrap_err();
        assert!(error
            .to_string()
            .starts_with("unknown encoding \"klingon\""));
        assert!("iso-2022-kr".parse::<TextEncoding>().is_err());
    }
}
