//! Which writing system a character belongs to. Both the page splitter in
//! `ingest` and the sentence and pinyin rules in `text` ask, so the answer
//! lives here, below both.

/// True for Han ideographs (CJK unified ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// True for CJK punctuation and full-width forms, which belong to Chinese text.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FF00}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// True for any character of Chinese writing: Han or CJK punctuation.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}
