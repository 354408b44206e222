//! Written form to spoken form: what a news reader would say for numbers,
//! times, percentages and symbols.
//!
//! Each language has an ordered table of small named rules ([`zh::RULES`],
//! [`en::RULES`]); a rule rewrites the text and hands it to the next. New
//! rules slot into the tables without touching the rest of the pipeline.

pub mod en;
pub mod numbers;
pub mod zh;

use super::Lang;

/// One named rewrite step.
pub struct Rule {
    /// A short name, used in tests and when tracing a reading.
    pub name: &'static str,
    /// The rewrite itself.
    pub apply: fn(&str) -> String,
}

/// The spoken form of a sentence in the given language.
pub fn spoken(text: &str, lang: Lang) -> String {
    let rules = match lang {
        Lang::Zh => zh::RULES,
        Lang::En => en::RULES,
    };
    let mut text = clean(text);
    for rule in rules {
        text = (rule.apply)(&text);
    }
    text.trim().to_string()
}

/// Removes what no voice should see: control and zero-width characters, and
/// runs of whitespace.
fn clean(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                cleaned.push(' ');
            }
            last_space = true;
        } else if !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
        {
            cleaned.push(c);
            last_space = false;
        }
    }
    cleaned
}
