//! The spans one rewrite changed, for `normalize --explain`: a diff of the
//! text before and after a rule, by words and single characters.

/// Splits text into tokens: runs of ASCII letters and digits (with the
/// separators inside a number), and every other character alone, so a Han
/// character or a sign is its own token.
fn tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let joins = c.is_ascii_alphanumeric()
            || (matches!(c, ',' | '.' | '\'')
                && start.is_some()
                && text[i + 1..].starts_with(|n: char| n.is_ascii_alphanumeric()));
        match (joins, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, begun) => {
                if let Some(s) = begun {
                    tokens.push(&text[s..i]);
                    start = None;
                }
                tokens.push(&text[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(s) = start {
        tokens.push(&text[s..]);
    }
    tokens
}

/// The (before, after) pairs of the spans that differ, by a longest common
/// subsequence of tokens. Spans separated only by spaces are one span
/// ("1,250" → "one thousand two hundred fifty").
pub fn changed_spans(before: &str, after: &str) -> Vec<(String, String)> {
    let (old, new) = (tokens(before), tokens(after));
    let (old_len, new_len) = (old.len(), new.len());
    // lengths[i][j]: the LCS of old[i..] and new[j..].
    let mut lengths = vec![vec![0u32; new_len + 1]; old_len + 1];
    for i in (0..old_len).rev() {
        for j in (0..new_len).rev() {
            lengths[i][j] = if old[i] == new[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    // Walk the table: each step is kept (both), removed (old) or added (new).
    // Each span: (before, after, the unchanged text up to the next span).
    let mut spans: Vec<(String, String, String)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut current: Option<(String, String)> = None;
    while i < old_len || j < new_len {
        if i < old_len && j < new_len && old[i] == new[j] {
            if let Some((removed, added)) = current.take() {
                spans.push((removed, added, String::new()));
            }
            if let Some(last) = spans.last_mut() {
                last.2.push_str(old[i]);
            }
            i += 1;
            j += 1;
            continue;
        }
        let (removed, added) = current.get_or_insert_with(Default::default);
        if j < new_len && (i == old_len || lengths[i][j + 1] >= lengths[i + 1][j]) {
            added.push_str(new[j]);
            j += 1;
        } else {
            removed.push_str(old[i]);
            i += 1;
        }
    }
    if let Some((removed, added)) = current.take() {
        spans.push((removed, added, String::new()));
    }
    // Merge spans that only whitespace keeps apart.
    let mut merged: Vec<(String, String)> = Vec::new();
    let mut gap_was_space = false;
    for (b, a, gap) in spans {
        match merged.last_mut() {
            Some(last) if gap_was_space => {
                last.0.push_str(&b);
                last.1.push_str(&a);
            }
            _ => merged.push((b, a)),
        }
        let (last_b, last_a) = merged.last_mut().expect("just pushed");
        gap_was_space = !gap.is_empty() && gap.trim().is_empty();
        if gap_was_space {
            last_b.push_str(&gap);
            last_a.push_str(&gap);
        }
    }
    merged
        .into_iter()
        .map(|(b, a)| (b.trim().to_string(), a.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::changed_spans;

    #[test]
    fn spans() {
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                "employs 1,250 people",
                "employs one thousand two hundred fifty people",
                &[("1,250", "one thousand two hundred fifty")],
            ),
            ("5 and 6", "five and six", &[("5", "five"), ("6", "six")]),
            ("共40人", "共四十人", &[("40", "四十")]),
            ("拨打120", "拨打幺二零", &[("120", "幺二零")]),
            ("same", "same", &[]),
        ];
        for (before, after, expected) in cases {
            let got = changed_spans(before, after);
            let want: Vec<(String, String)> = expected
                .iter()
                .map(|(b, a)| ((*b).to_string(), (*a).to_string()))
                .collect();
            assert_eq!(got, want, "{before} → {after}");
        }
    }
}
