//! What is actually sent to engines: a sentence's spoken text cut into
//! utterances a voice can take, each made of runs in one language.

use super::pinyin::Pronouncer;
use super::{is_han, Lang};

/// A stretch of an utterance in one language, ready for an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The language of this stretch, which picks its voice.
    pub lang: Lang,
    /// The exact text the engine receives: tone-numbered pinyin for
    /// Chinese, the spoken text itself for English.
    pub engine_input: String,
}

/// Cuts spoken text longer than `limit` characters at clause punctuation,
/// packing clauses greedily; a clause that is still too long is cut between
/// words, never inside one.
pub fn chunk(spoken: &str, limit: usize, pronouncer: &Pronouncer) -> Vec<String> {
    let limit = limit.max(1);
    if spoken.chars().count() <= limit {
        return vec![spoken.to_string()];
    }
    let mut chunks = Vec::new();
    let mut current = String::new();
    for clause in clauses(spoken) {
        let pieces = if clause.chars().count() > limit {
            // Chinese words come from the segmenter; other text breaks at spaces.
            let words = if clause.chars().any(is_han) {
                pronouncer.words(&clause)
            } else {
                clause.split_inclusive(' ').collect()
            };
            pack(words, limit)
        } else {
            vec![clause]
        };
        for piece in pieces {
            if !current.is_empty() && current.chars().count() + piece.chars().count() > limit {
                chunks.push(std::mem::take(&mut current).trim().to_string());
            }
            current.push_str(&piece);
        }
    }
    if !current.trim().is_empty() {
        chunks.push(current.trim().to_string());
    }
    chunks.retain(|chunk| !chunk.is_empty());
    chunks
}

/// Marks after which a long sentence may be cut.
const CLAUSE_MARKS: &[char] = &['，', '、', '：', '；', ',', ';', ':'];

fn clauses(text: &str) -> Vec<String> {
    let mut clauses = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if CLAUSE_MARKS.contains(&c) {
            clauses.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        clauses.push(current);
    }
    clauses
}

fn pack(words: Vec<&str>, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for word in words {
        if !current.is_empty() && current.chars().count() + word.chars().count() > limit {
            pieces.push(std::mem::take(&mut current));
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Splits an utterance of a Chinese sentence into Chinese runs and the Latin
/// runs (GDP, AI, the K of K5069) that the English voice reads; an English
/// sentence is one run. Runs with nothing to say are left out.
pub fn runs(spoken: &str, lang: Lang, pronouncer: &Pronouncer) -> Vec<Run> {
    if lang == Lang::En {
        return english_run(spoken, pronouncer).into_iter().collect();
    }
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut current_latin = false;
    let chars: Vec<char> = spoken.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let latin = if c.is_ascii_alphabetic() {
            true
        } else if current_latin && matches!(c, ' ' | '\'' | '-' | '.' | '&') {
            // Stays Latin only when more Latin letters follow.
            chars[i + 1..]
                .iter()
                .find(|n| !matches!(n, ' ' | '\'' | '-' | '.' | '&'))
                .is_some_and(char::is_ascii_alphabetic)
        } else {
            false
        };
        if latin != current_latin && !current.is_empty() {
            runs.extend(make_run(
                &std::mem::take(&mut current),
                current_latin,
                pronouncer,
            ));
        }
        current_latin = latin;
        current.push(c);
    }
    runs.extend(make_run(&current, current_latin, pronouncer));
    runs
}

fn make_run(text: &str, latin: bool, pronouncer: &Pronouncer) -> Option<Run> {
    if latin {
        english_run(text, pronouncer)
    } else if text.chars().any(is_han) {
        Some(Run {
            lang: Lang::Zh,
            engine_input: pronouncer.engine_pinyin(text),
        })
    } else {
        None
    }
}

fn english_run(text: &str, pronouncer: &Pronouncer) -> Option<Run> {
    let input = spell_letters(text);
    let input = pronouncer.lexicon().apply_respell(&input);
    input.chars().any(char::is_alphanumeric).then_some(Run {
        lang: Lang::En,
        engine_input: input,
    })
}

/// Words joined by single spaces, with a spelled-out letter A written
/// "eh": espeak-ng reads a lone "A" as the article, so "A I" (AI spelled
/// by the normalizer) would come out as "a I".
fn spell_letters(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_letter = |word: Option<&&str>| {
        word.is_some_and(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
    };
    let spelled: Vec<&str> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let in_spelling = is_letter(i.checked_sub(1).and_then(|p| words.get(p)))
                || is_letter(words.get(i + 1));
            if *word == "A" && in_spelling {
                "eh"
            } else {
                word
            }
        })
        .collect();
    spelled.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_a_is_not_the_article() {
        assert_eq!(spell_letters("A I"), "eh I");
        assert_eq!(spell_letters("C  A"), "C eh");
        assert_eq!(spell_letters("A man"), "A man");
    }

    #[test]
    fn latin_inside_chinese_goes_to_english() {
        let runs = runs("GDP增长，K五零六九次列车", Lang::Zh, Pronouncer::built_in());
        let shape: Vec<(Lang, &str)> = runs
            .iter()
            .map(|r| (r.lang, r.engine_input.as_str()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Lang::En, "GDP"),
                (Lang::Zh, "zeng1 zhang3,"),
                (Lang::En, "K"),
                (Lang::Zh, "wu3 ling2 liu4 jiu3 ci4 lie4 che1"),
            ]
        );
    }

    #[test]
    fn latin_phrase_stays_one_run() {
        let runs = runs("他说New York Times报道", Lang::Zh, Pronouncer::built_in());
        assert_eq!(runs[1].engine_input, "New York Times");
        assert_eq!(runs.len(), 3);
    }

    #[test]
    fn english_sentence_is_one_run() {
        let runs = runs(
            "The council met on Friday.",
            Lang::En,
            Pronouncer::built_in(),
        );
        assert_eq!(
            runs,
            vec![Run {
                lang: Lang::En,
                engine_input: "The council met on Friday.".into()
            }]
        );
    }

    #[test]
    fn long_sentences_cut_at_clauses() {
        let sentence = "会议强调，要加紧实施更加积极有为的宏观政策，用好用足更加积极的财政政策和适度宽松的货币政策。";
        let chunks = chunk(sentence, 20, Pronouncer::built_in());
        assert!(chunks.len() > 1);
        assert_eq!(chunks.concat(), sentence);
        for chunk in &chunks {
            assert!(chunk.chars().count() <= 20, "{chunk}");
        }
    }

    #[test]
    fn overlong_clause_cut_between_words() {
        let sentence = "以作风建设新成效开创高质量发展新局面并持续推进人工智能科技创新";
        let chunks = chunk(sentence, 10, Pronouncer::built_in());
        assert_eq!(chunks.concat(), sentence);
        let words = Pronouncer::built_in().words(sentence);
        // Every cut falls on a word boundary.
        let mut boundaries = vec![0];
        for word in &words {
            boundaries.push(boundaries.last().unwrap() + word.chars().count());
        }
        let mut position = 0;
        for chunk in &chunks {
            position += chunk.chars().count();
            assert!(
                boundaries.contains(&position),
                "cut inside a word at {position}"
            );
        }
    }

    #[test]
    fn short_sentence_is_one_chunk() {
        assert_eq!(chunk("短句。", 120, Pronouncer::built_in()), vec!["短句。"]);
    }
}
