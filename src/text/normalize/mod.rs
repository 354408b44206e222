//! Written form to spoken form: what a news reader would say for numbers,
//! times, percentages and symbols.
//!
//! Each language has an ordered table of small named rules ([`zh::RULES`],
//! [`en::RULES`]); a rule rewrites the text and hands it to the next. New
//! rules slot into the tables without touching the rest of the pipeline.

mod diff;
pub mod en;
pub mod numbers;
pub mod zh;

use super::lexicon::Lexicon;
use super::Lang;

/// One named rewrite step.
pub struct Rule {
    /// A short name, used in tests and when tracing a reading.
    pub name: &'static str,
    /// The rewrite itself.
    pub apply: fn(&str) -> String,
}

/// The spoken form of a sentence: the lexicon's `[say]` entries first, since
/// they win over every rule, then the language's rules.
pub fn spoken_with(text: &str, lang: Lang, lexicon: &Lexicon) -> String {
    spoken(&lexicon.apply_say(text), lang)
}

/// The spoken form of a sentence by the language's rules alone.
pub fn spoken(text: &str, lang: Lang) -> String {
    let mut text = clean(text);
    for rule in rules(lang) {
        text = (rule.apply)(&text);
    }
    text.trim().to_string()
}

fn rules(lang: Lang) -> &'static [Rule] {
    match lang {
        Lang::Zh => zh::RULES,
        Lang::En => en::RULES,
    }
}

/// One span of text that a rule rewrote, for `bulletin normalize --explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule's name ("lexicon" for a `[say]` entry).
    pub rule: &'static str,
    /// The span as the rule found it.
    pub before: String,
    /// What the rule made of it.
    pub after: String,
}

/// The spoken form, as [`spoken_with`] gives it, with every span each rule
/// changed on the way, in the order the rules ran: why a word reads the way
/// it does, and so which lexicon entry would change it.
pub fn explained_with(text: &str, lang: Lang, lexicon: &Lexicon) -> (String, Vec<Change>) {
    let mut changes = Vec::new();
    let said = lexicon.apply_say(text);
    record(&mut changes, "lexicon", text, &said);
    let mut text = clean(&said);
    for rule in rules(lang) {
        let next = (rule.apply)(&text);
        record(&mut changes, rule.name, &text, &next);
        text = next;
    }
    (text.trim().to_string(), changes)
}

/// Adds the spans where `after` differs from `before`.
fn record(changes: &mut Vec<Change>, rule: &'static str, before: &str, after: &str) {
    if before == after {
        return;
    }
    changes.extend(
        diff::changed_spans(before, after)
            .into_iter()
            .map(|(b, a)| Change {
                rule,
                before: b,
                after: a,
            }),
    );
}

/// A table of unit symbols and their spoken names, compiled once into a
/// pattern that finds a number followed by one of the symbols.
pub struct UnitTable {
    units: &'static [(&'static str, &'static str)],
    pattern: regex::Regex,
}

impl UnitTable {
    /// Compiles the table; longer symbols must come before their prefixes.
    pub fn new(units: &'static [(&'static str, &'static str)]) -> UnitTable {
        let alternatives: Vec<String> = units
            .iter()
            .map(|(symbol, _)| regex::escape(symbol))
            .collect();
        let pattern = regex::Regex::new(&format!(
            r"(\d+(?:\.\d+)?) ?({})(?:$|[^A-Za-z0-9])",
            alternatives.join("|")
        ))
        .expect("unit patterns are valid");
        UnitTable { units, pattern }
    }

    /// Replaces each unit symbol after a number by its name, joined to the
    /// number with `joint`: "500kV" → "500千伏" or "500 kilovolts".
    pub fn name_units(&self, text: &str, joint: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for c in self.pattern.captures_iter(text) {
            let (Some(whole), Some(number), Some(symbol)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            let name = self
                .units
                .iter()
                .find(|(s, _)| *s == symbol.as_str())
                .map_or("", |(_, n)| *n);
            out.push_str(&text[last..whole.start()]);
            out.push_str(number.as_str());
            out.push_str(joint);
            out.push_str(name);
            last = symbol.end();
        }
        out.push_str(&text[last..]);
        out
    }
}

/// Checks a table of (rule, written, expected) cases and reports every
/// wrong reading at once.
#[cfg(test)]
pub(crate) fn assert_readings(cases: &[(&str, &str, &str)], read: impl Fn(&str) -> String) {
    let mut failures = Vec::new();
    for (rule, written, expected) in cases {
        let said = read(written);
        if said != *expected {
            failures.push(format!("{rule}: {written} → {said} (want {expected})"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// What no voice should see removed (the same table ingest applies, so
/// text that skipped ingest, like `bulletin normalize`'s, is treated alike),
/// and runs of whitespace made one space.
fn clean(text: &str) -> String {
    crate::ingest::clean::unspeakable_removed(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
