//! File names for bulletins: `NN-<slug>.wav`, ASCII only, always inside the
//! output folder whatever the headline holds.

use serde::Serialize;

use crate::text::plan::{Plan, PlannedSentence};

/// The WAV file of every planned article, in plan order: the plan names no
/// files, the output stage does.
pub fn article_files(plan: &Plan) -> Vec<String> {
    plan.articles
        .iter()
        .enumerate()
        .map(|(index, a)| wav_name(index + 1, a.title.as_deref(), &a.source))
        .collect()
}

/// The plan as `bulletin plan --json` prints it: every article with the
/// file it will be written to.
#[derive(Debug, Serialize)]
pub struct PlanListing<'a> {
    articles: Vec<ListedArticle<'a>>,
    dropped: &'a [String],
}

#[derive(Debug, Serialize)]
struct ListedArticle<'a> {
    id: &'a str,
    title: &'a Option<String>,
    source: &'a str,
    file: String,
    headline: &'a Option<PlannedSentence>,
    sentences: &'a [PlannedSentence],
}

impl<'a> PlanListing<'a> {
    /// The plan with its file names.
    pub fn new(plan: &'a Plan) -> PlanListing<'a> {
        let articles = plan
            .articles
            .iter()
            .zip(article_files(plan))
            .map(|(a, file)| ListedArticle {
                id: &a.id,
                title: &a.title,
                source: &a.source,
                file,
                headline: &a.headline,
                sentences: &a.sentences,
            })
            .collect();
        PlanListing {
            articles,
            dropped: &plan.dropped,
        }
    }
}

/// The longest slug, in characters.
const MAX_SLUG: usize = 60;

/// The file name of the article at 1-based `position`: its number, then a
/// slug of its title (Chinese spelled in toneless pinyin) or of its source.
pub fn wav_name(position: usize, title: Option<&str>, source: &str) -> String {
    let stem = std::path::Path::new(source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = title
        .map(slug)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| slug(&stem));
    let slug = if slug.is_empty() {
        "article".to_string()
    } else {
        slug
    };
    format!("{position:02}-{slug}.wav")
}

/// The name of a file beside `file` with the same stem: `01-a.wav` gives
/// `01-a.srt` for `srt`.
pub fn sibling(file: &str, extension: &str) -> String {
    std::path::Path::new(file)
        .with_extension(extension)
        .to_string_lossy()
        .into_owned()
}

/// Lower-case ASCII letters and digits joined by single dashes.
pub fn slug(text: &str) -> String {
    // Only Chinese needs the pinyin dictionary, which is slow to load.
    let spelled = if text.chars().any(crate::script::is_han) {
        crate::text::pinyin::toneless(text)
    } else {
        text.to_string()
    };
    let mut slug = String::new();
    for c in spelled.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= MAX_SLUG {
            break;
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let cases = [
            (
                1,
                Some("Storm hits coast"),
                "a.txt",
                "01-storm-hits-coast.wav",
            ),
            (
                2,
                Some("辽源火车站加开班次"),
                "a.txt",
                "02-liao-yuan-huo-che-zhan-jia-kai-ban-ci.wav",
            ),
            (3, None, "dir/page one.txt", "03-page-one.wav"),
            (4, Some("../../etc/passwd"), "a.txt", "04-etc-passwd.wav"),
            (12, Some("《》"), "<stdin>", "12-stdin.wav"),
            (5, Some("☃"), "☃", "05-article.wav"),
        ];
        for (position, title, source, expected) in cases {
            assert_eq!(wav_name(position, title, source), expected);
        }
    }

    #[test]
    fn subtitles_sit_beside_their_wav() {
        assert_eq!(sibling("01-storm.wav", "srt"), "01-storm.srt");
        assert_eq!(sibling("programme.wav", "vtt"), "programme.vtt");
    }
}
