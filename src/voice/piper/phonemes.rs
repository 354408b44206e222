//! Text to Piper phoneme ids, the way Piper does it: espeak-ng IPA per
//! clause, the clause's punctuation kept as a phoneme, sentences split at
//! `.`, `?` and `!`, each sentence framed as `^ _ p _ p _ … $`.

use unicode_normalization::UnicodeNormalization;

use super::config::VoiceConfig;
use crate::voice::EngineError;

/// Beginning of sentence, end of sentence, and the pad between phonemes.
const BOS: char = '^';
const EOS: char = '$';
const PAD: char = '_';

/// One clause of the text: what espeak-ng said it sounds like, and the
/// punctuation that ended it in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// IPA, words separated by spaces.
    pub ipa: String,
    /// `.`, `,`, `?`, `!`, `:` or `;`, or `None` at the end of the text.
    pub terminator: Option<char>,
}

/// Clause punctuation and the ASCII mark Piper keeps for it.
const TERMINATORS: &[(char, char)] = &[
    ('.', '.'),
    (',', ','),
    ('?', '?'),
    ('!', '!'),
    (':', ':'),
    (';', ';'),
    ('。', '.'),
    ('，', ','),
    ('、', ','),
    ('？', '?'),
    ('！', '!'),
    ('：', ':'),
    ('；', ';'),
];

/// Closing marks that may stand between clause punctuation and the space
/// after it, as in `said "yes."`.
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '」', '』', '）'];

/// Splits text into clauses at clause punctuation followed by a space or
/// the end of the text (full-width punctuation needs no space), as
/// espeak-ng does. `3.5` and `1,000` stay whole.
pub fn split_clauses(text: &str) -> Vec<(String, Option<char>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut clauses = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let mark = TERMINATORS.iter().find(|(p, _)| *p == c).map(|(_, m)| *m);
        let ends = mark.is_some() && {
            let next = chars[i + 1..].iter().find(|n| !CLOSERS.contains(n));
            !c.is_ascii() || next.is_none_or(|n| n.is_whitespace())
        };
        if ends {
            clauses.push((std::mem::take(&mut current), mark));
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        clauses.push((current, None));
    }
    clauses
}

/// The clauses of `text` with their IPA, through `ipa` (normally
/// [`Phonemizer::phonemes`](crate::voice::espeak::Phonemizer::phonemes)). The whole text is phonemized at once; when espeak-ng
/// splits it into other clauses than the punctuation shows (an
/// abbreviation's full stop, a very long clause), each clause is
/// phonemized on its own instead so every mark lands where it belongs.
pub fn clauses(
    text: &str,
    ipa: impl Fn(&str) -> Result<Vec<String>, EngineError>,
) -> Result<Vec<Clause>, EngineError> {
    let split = split_clauses(text);
    let lines = ipa(text)?;
    if lines.len() == split.len() {
        return Ok(lines
            .into_iter()
            .zip(split)
            .map(|(ipa, (_, terminator))| Clause { ipa, terminator })
            .collect());
    }
    split
        .into_iter()
        .map(|(part, terminator)| {
            let ipa = if part.trim().is_empty() {
                String::new()
            } else {
                ipa(&part)?.join(" ")
            };
            Ok(Clause { ipa, terminator })
        })
        .collect()
}

/// Phonemes per sentence, as Piper builds them: the clause's IPA without
/// espeak-ng's `(en)` language-switch marks, decomposed (NFD) into code
/// points, passed through the voice's `phoneme_map`, then the clause's
/// punctuation (`,` `:` `;` with a space after). A sentence ends after
/// `.`, `?` or `!`. Sentences with nothing to say are left out.
pub fn sentences(clauses: &[Clause], config: &VoiceConfig) -> Vec<Vec<char>> {
    let mut sentences = Vec::new();
    let mut current: Vec<char> = Vec::new();
    for clause in clauses {
        let mut in_flag = false;
        for c in clause.ipa.nfd() {
            match c {
                '(' => in_flag = true,
                ')' if in_flag => in_flag = false,
                _ if in_flag => {}
                _ => match config.phoneme_map.get(c.encode_utf8(&mut [0; 4]) as &str) {
                    Some(mapped) => current.extend(mapped.iter().flat_map(|m| m.chars())),
                    None => current.push(c),
                },
            }
        }
        match clause.terminator {
            Some(mark @ ('.' | '?' | '!')) => {
                current.push(mark);
                sentences.push(std::mem::take(&mut current));
            }
            Some(mark) => current.extend([mark, ' ']),
            None => {}
        }
    }
    sentences.push(current);
    sentences.retain(|sentence| sentence.iter().any(|c| c.is_alphabetic()));
    sentences
}

/// A sentence's phonemes in pieces of at most `most` phonemes, cut after
/// clause punctuation (`,` `:` `;`), each cut at the mark nearest the
/// middle of what it cuts, so the pieces come out about even. A piece
/// without such a mark stays whole, however long.
///
/// A model's working memory grows with the audio one inference makes
/// (about 0.9 kB per output sample for a medium voice: some 180 MB for a
/// ten-second sentence), and one long sentence on one core leaves the
/// other cores idle at the end of an article. Pieces bound both; the cut
/// falls where the reader pauses anyway, and the piece before it keeps
/// its mark, so the model ends it as it ends a clause.
pub fn pieces(sentence: &[char], most: usize) -> Vec<&[char]> {
    if sentence.len() <= most {
        return vec![sentence];
    }
    let middle = sentence.len() / 2;
    let cut = sentence
        .iter()
        .enumerate()
        .filter(|&(at, c)| matches!(c, ',' | ':' | ';') && sentence.get(at + 1) == Some(&' '))
        // After the mark and its space; both sides must say something.
        .map(|(at, _)| at + 2)
        .filter(|&cut| {
            let speaks = |part: &[char]| part.iter().any(|c| c.is_alphabetic());
            speaks(&sentence[..cut]) && speaks(&sentence[cut..])
        })
        .min_by_key(|&cut| cut.abs_diff(middle));
    match cut {
        Some(cut) => {
            let (first, rest) = sentence.split_at(cut);
            // The first piece ends on its mark, as a clause does.
            let first = &first[..first.len() - 1];
            let mut pieces = self::pieces(first, most);
            pieces.extend(self::pieces(rest, most));
            pieces
        }
        None => vec![sentence],
    }
}

/// A sentence's phonemes as model input: `^`, pad, then each phoneme that
/// the map knows followed by a pad, then `$`. Phonemes the voice does not
/// know are dropped, as Piper drops them.
pub fn phoneme_ids(phonemes: &[char], config: &VoiceConfig) -> Vec<i64> {
    let ids = |c: char| {
        config
            .phoneme_id_map
            .get(c.encode_utf8(&mut [0; 4]) as &str)
    };
    let pad = ids(PAD).cloned().unwrap_or_default();
    let mut out = Vec::with_capacity(phonemes.len() * 2 + 3);
    out.extend(ids(BOS).into_iter().flatten());
    out.extend(&pad);
    for &phoneme in phonemes {
        if let Some(mapped) = ids(phoneme) {
            out.extend(mapped);
            out.extend(&pad);
        }
    }
    out.extend(ids(EOS).into_iter().flatten());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::espeak::{EspeakProcess, Phonemizer};
    use crate::voice::piper::config::SMALL_CONFIG;

    fn config() -> VoiceConfig {
        VoiceConfig::parse(SMALL_CONFIG).unwrap()
    }

    #[test]
    fn ids_are_framed_and_padded_like_pipers() {
        let config = config();
        // "həˈloʊ, hoʊ." as a comma clause and a full stop.
        let phonemes: Vec<char> = "həˈloʊ, hoʊ.".chars().collect();
        assert_eq!(
            phoneme_ids(&phonemes, &config),
            [
                vec![1, 0],                                       // ^ _
                vec![20, 0, 59, 0, 120, 0, 24, 0, 27, 0, 100, 0], // həˈloʊ
                vec![8, 0, 3, 0],                                 // ", "
                vec![20, 0, 27, 0, 100, 0],                       // hoʊ
                vec![10, 0, 2],                                   // . $
            ]
            .concat()
        );
    }

    #[test]
    fn long_sentences_are_cut_after_the_clause_mark_nearest_the_middle() {
        let text = |pieces: Vec<&[char]>| -> Vec<String> {
            pieces.iter().map(|piece| piece.iter().collect()).collect()
        };
        let sentence: Vec<char> = "wʌn, tuː θriː, fɔːɹ faɪv; sɪks.".chars().collect();
        // Short enough: whole.
        assert_eq!(
            text(pieces(&sentence, 100)),
            ["wʌn, tuː θriː, fɔːɹ faɪv; sɪks."]
        );
        // Cut once, at the mark nearest the middle, which stays with the
        // first piece; its space does not.
        assert_eq!(
            text(pieces(&sentence, 25)),
            ["wʌn, tuː θriː,", "fɔːɹ faɪv; sɪks."]
        );
        // Cut again until every piece fits.
        assert_eq!(
            text(pieces(&sentence, 12)),
            ["wʌn,", "tuː θriː,", "fɔːɹ faɪv;", "sɪks."]
        );
        // No clause mark to cut at (a decimal comma has no space): whole.
        let unbroken: Vec<char> = "θriː,faɪv pɜːsɛnt ɪn ðə fɜːst kwɔːtə.".chars().collect();
        assert_eq!(pieces(&unbroken, 10).len(), 1);
        // A mark with nothing spoken after it is no place to cut.
        let trailing: Vec<char> = "ə lɔːŋ lɔːŋ lɔːŋ klɔːz, .".chars().collect();
        assert_eq!(pieces(&trailing, 5).len(), 1);
    }

    #[test]
    fn unknown_phonemes_are_dropped_with_their_pad() {
        let config = config();
        assert_eq!(
            phoneme_ids(&['h', 'ʒ', 'o'], &config),
            vec![1, 0, 20, 0, 27, 0, 2]
        );
    }

    #[test]
    fn clause_marks_are_kept_and_sentences_split() {
        let clauses = [
            Clause {
                ipa: "həˈloʊ".into(),
                terminator: Some(','),
            },
            Clause {
                ipa: "(en)hoʊ(fr)".into(),
                terminator: Some('?'),
            },
            Clause {
                ipa: "lo".into(),
                terminator: None,
            },
        ];
        let sentences: Vec<String> = sentences(&clauses, &config())
            .into_iter()
            .map(|s| s.into_iter().collect())
            .collect();
        assert_eq!(sentences, ["həˈloʊ, hoʊ?", "lo"]);
    }

    #[test]
    fn ipa_is_decomposed_and_mapped() {
        let clauses = [Clause {
            ipa: "çg".into(),
            terminator: Some('.'),
        }];
        // ç is c + combining cedilla; the voice maps g to ɡ.
        assert_eq!(
            sentences(&clauses, &config()),
            vec![vec!['c', '\u{327}', 'ɡ', '.']]
        );
    }

    #[test]
    fn punctuation_only_sentences_are_left_out() {
        let clauses = [
            Clause {
                ipa: String::new(),
                terminator: Some('.'),
            },
            Clause {
                ipa: "hoʊ".into(),
                terminator: Some('.'),
            },
        ];
        assert_eq!(sentences(&clauses, &config()).len(), 1);
    }

    #[test]
    fn clauses_split_at_punctuation_before_space_or_end() {
        type Clauses<'a> = &'a [(&'a str, Option<char>)];
        let cases: &[(&str, Clauses)] = &[
            (
                "Winds of 3.5 knots, 1,000 homes; gone. Really?",
                &[
                    ("Winds of 3.5 knots", Some(',')),
                    (" 1,000 homes", Some(';')),
                    (" gone", Some('.')),
                    (" Really", Some('?')),
                ],
            ),
            (
                "He said \"yes.\" Then left",
                &[("He said \"yes", Some('.')), ("\" Then left", None)],
            ),
            (
                "zeng1 zhang3, wu3 ling2。",
                &[("zeng1 zhang3", Some(',')), (" wu3 ling2", Some('.'))],
            ),
        ];
        for (text, expected) in cases {
            let got = split_clauses(text);
            let got: Vec<(&str, Option<char>)> =
                got.iter().map(|(t, m)| (t.as_str(), *m)).collect();
            assert_eq!(&got, expected, "{text}");
        }
    }

    #[test]
    fn clauses_align_espeak_lines_or_fall_back_to_one_call_each() {
        let one_line_per_clause = |text: &str| -> Result<Vec<String>, EngineError> {
            Ok(split_clauses(text)
                .iter()
                .map(|(t, _)| t.trim().to_uppercase())
                .collect())
        };
        let got = clauses("a b, c.", one_line_per_clause).unwrap();
        assert_eq!(
            got,
            vec![
                Clause {
                    ipa: "A B".into(),
                    terminator: Some(',')
                },
                Clause {
                    ipa: "C".into(),
                    terminator: Some('.')
                }
            ]
        );
        // espeak-ng broke a long clause in two; the text has two clauses,
        // so each is phonemized alone and its lines joined.
        let line_per_word = |text: &str| -> Result<Vec<String>, EngineError> {
            Ok(text
                .split_whitespace()
                .map(|word| word.trim_matches([',', '.']).to_string())
                .collect())
        };
        let got = clauses("a b, c.", line_per_word).unwrap();
        assert_eq!(
            got,
            vec![
                Clause {
                    ipa: "a b".into(),
                    terminator: Some(',')
                },
                Clause {
                    ipa: "c".into(),
                    terminator: Some('.')
                }
            ]
        );
    }

    #[test]
    fn english_through_espeak_keeps_clause_marks() {
        let got = clauses("Crews worked, and the storm passed.", |text| {
            EspeakProcess.phonemes("en-us", text)
        })
        .unwrap();
        let marks: Vec<Option<char>> = got.iter().map(|c| c.terminator).collect();
        assert_eq!(marks, [Some(','), Some('.')]);
        assert!(got[0].ipa.starts_with("kɹˈuːz"), "{got:?}");
    }

    #[test]
    fn pinyin_through_the_pinyin_voice_gives_mandarin_phonemes() {
        // bulletin's engine input for 会议强调，要加紧 is tone-numbered pinyin.
        let got = clauses("hui4 yi4 qiang2 diao4 ， yao4 jia1 jin3 。", |text| {
            EspeakProcess.phonemes(super::super::PINYIN_VOICE, text)
        })
        .unwrap();
        let marks: Vec<Option<char>> = got.iter().map(|c| c.terminator).collect();
        assert_eq!(marks, [Some(','), Some('.')]);
        // The `cmn` inventory: χ for h, tɕ for j/q, tone digits; nothing read
        // as English letters, which would come with an (en) switch.
        assert_eq!(got[0].ipa, "χˈuei5 jˈi5 tɕhˈiɑɜŋ tjˈɑu5");
        assert!(got.iter().all(|c| !c.ipa.contains("(en)")), "{got:?}");
    }
}
