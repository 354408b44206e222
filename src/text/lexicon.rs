//! The pronunciation lexicon: entries users edit to fix how names and terms
//! are read. Entries win over every rule.
//!
//! ```toml
//! [pinyin]            # Chinese word → tone-numbered pinyin, one syllable per character
//! "行长" = "hang2 zhang3"
//! [say]               # written form → text to say instead (any language)
//! "GDP" = "国内生产总值"
//! [respell]           # English word → a respelling the English voice reads right
//! "Nguyen" = "win"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The lexicon shipped in `voices/lexicon/default.toml`, built in.
const BUILT_IN: &str = include_str!("../../voices/lexicon/default.toml");

/// Why a lexicon could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("cannot read lexicon {path}")]
    Read {
        /// The lexicon's path.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid lexicon.
    #[error("lexicon {path} is invalid: {message}")]
    Invalid {
        /// The lexicon's path.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    pinyin: BTreeMap<String, String>,
    #[serde(default)]
    say: BTreeMap<String, String>,
    #[serde(default)]
    respell: BTreeMap<String, String>,
}

/// Pronunciation entries, merged from the built-in lexicon and user files.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Chinese word → one tone-numbered syllable per character.
    pub pinyin: BTreeMap<String, Vec<String>>,
    /// Written form → what to say, longest first.
    pub say: Vec<(String, String)>,
    /// English word → respelling.
    pub respell: BTreeMap<String, String>,
}

impl Lexicon {
    /// The built-in lexicon, extended and overridden by `files` in order.
    pub fn load(files: &[PathBuf]) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::default();
        lexicon.merge(
            BUILT_IN,
            Path::new("<built-in voices/lexicon/default.toml>"),
        )?;
        for path in files {
            let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Read {
                path: path.clone(),
                source,
            })?;
            lexicon.merge(&text, path)?;
        }
        Ok(lexicon)
    }

    /// The built-in lexicon alone.
    pub fn built_in() -> Lexicon {
        Lexicon::load(&[]).expect("the built-in lexicon is valid")
    }

    fn merge(&mut self, text: &str, path: &Path) -> Result<(), LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let file: LexiconFile =
            toml::from_str(text).map_err(|error| invalid(toml_message(text, &error)))?;
        for (word, reading) in file.pinyin {
            let syllables: Vec<String> = reading.split_whitespace().map(str::to_string).collect();
            let well_formed = syllables.iter().all(|s| {
                s.len() >= 2
                    && s.ends_with(|c: char| ('1'..='5').contains(&c))
                    && s[..s.len() - 1]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == 'ü')
            });
            if syllables.len() != word.chars().count() || !well_formed {
                return Err(invalid(format!(
                    "pinyin for {word:?} must be one tone-numbered syllable (like hang2) per character, got {reading:?}"
                )));
            }
            self.pinyin.insert(word, syllables);
        }
        for (written, said) in file.say {
            if written.is_empty() {
                return Err(invalid("a [say] entry has an empty word".into()));
            }
            self.say.retain(|(w, _)| *w != written);
            self.say.push((written, said));
        }
        self.say.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        self.respell.extend(file.respell);
        Ok(())
    }

    /// Replaces every `[say]` entry in `text`, longest entries first.
    pub fn apply_say(&self, text: &str) -> String {
        if self.say.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'outer: while !rest.is_empty() {
            for (written, said) in &self.say {
                if let Some(after) = rest.strip_prefix(written.as_str()) {
                    let boundary_ok = !written.is_ascii()
                        || (!out.ends_with(|c: char| c.is_ascii_alphanumeric())
                            && !after.starts_with(|c: char| c.is_ascii_alphanumeric()));
                    if boundary_ok {
                        out.push_str(said);
                        rest = after;
                        continue 'outer;
                    }
                }
            }
            let c = rest.chars().next().expect("rest is not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    /// Replaces English words that have a respelling.
    pub fn apply_respell(&self, text: &str) -> String {
        if self.respell.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            out.push_str(self.respell.get(word.as_str()).unwrap_or(word));
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() || c == '\'' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

/// What a TOML parser error says, with the line and column it points at
/// (toml's own message leaves them out), for the lexicon and voice profile
/// errors that name the file. (Here, in the first stage that reads a
/// user's TOML; the voice stage uses it too.)
pub fn toml_message(text: &str, error: &toml::de::Error) -> String {
    let Some(span) = error.span() else {
        return error.message().to_string();
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("line {line}, column {column}: {}", error.message())
}

#[cfg(test)]
mod toml_tests {
    use super::*;

    #[test]
    fn toml_messages_say_where() {
        let cases = [
            ("engine = \"tone\"\nvoice = \n", "line 2, column 9"),
            ("a = 1\nb = \"中文\" x\n", "line 2, column 10"),
            ("rate = \"fast\"\n", "line 1, column 8"),
        ];
        for (text, at) in cases {
            #[derive(Debug, serde::Deserialize)]
            #[allow(dead_code)]
            struct Any {
                rate: Option<u32>,
            }
            let error = toml::from_str::<Any>(text).unwrap_err();
            let message = toml_message(text, &error);
            assert!(message.starts_with(at), "{text:?}: {message}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_file_adds_and_overrides() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("names.toml");
        std::fs::write(&path, "[pinyin]\n\"单雄信\" = \"shan4 xiong2 xin4\"\n[say]\n\"CPI\" = \"居民消费价格指数\"\n[respell]\nNguyen = \"win\"\n").unwrap();
        let lexicon = Lexicon::load(&[path]).unwrap();
        assert_eq!(lexicon.pinyin["单雄信"], ["shan4", "xiong2", "xin4"]);
        assert_eq!(
            lexicon.apply_say("CPI上涨，CPIX不变"),
            "居民消费价格指数上涨，CPIX不变"
        );
        assert_eq!(lexicon.apply_respell("Mr. Nguyen said"), "Mr. win said");
    }

    #[test]
    fn malformed_pinyin_names_the_file_and_word() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[pinyin]\n\"行长\" = \"hang zhang3\"\n").unwrap();
        let error = Lexicon::load(&[path]).unwrap_err().to_string();
        assert!(
            error.contains("bad.toml") && error.contains("行长"),
            "{error}"
        );
    }
}
