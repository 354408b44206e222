//! Every progress report is built here. Bars are drawn only on an
//! interactive terminal and never with `--quiet`; screen readers and logs
//! get the one summary line the CLI prints at the end. With
//! `--log-format json`, each event is one JSON object on its own line of
//! stderr instead, for schedulers.

use std::io::{IsTerminal, Write};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::config::LogFormat;
use crate::output::manifest::{ArticleEntry, FailedArticle, Summary};

/// Progress of a render: sentences synthesized and articles finished.
pub struct Progress {
    sentences: ProgressBar,
    articles: ProgressBar,
    json: bool,
}

/// One scheduler-readable event.
#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event<'a> {
    Start {
        articles: usize,
        sentences: usize,
    },
    ArticleDone {
        file: &'a str,
        title: Option<&'a str>,
        duration_s: f64,
        sentences: usize,
    },
    ArticleFailed {
        source: &'a str,
        title: Option<&'a str>,
        sentence: &'a str,
        error: &'a str,
    },
    Summary(&'a Summary),
}

impl Progress {
    /// Reports for a render of `sentences` sentences in `articles` articles.
    pub fn new(sentences: usize, articles: usize, quiet: bool, format: LogFormat) -> Progress {
        let json = format == LogFormat::Json;
        let visible = !quiet && !json && std::io::stderr().is_terminal();
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let multi = MultiProgress::with_draw_target(target);
        let style = |template: &str| {
            ProgressStyle::with_template(template)
                .expect("progress templates are valid")
                .progress_chars("=> ")
        };
        let sentence_bar = multi.add(ProgressBar::new(sentences as u64));
        sentence_bar.set_style(style("sentences {bar:30} {pos}/{len}  eta {eta}"));
        let article_bar = multi.add(ProgressBar::new(articles as u64));
        article_bar.set_style(style("articles  {bar:30} {pos}/{len}"));
        let progress = Progress {
            sentences: sentence_bar,
            articles: article_bar,
            json,
        };
        progress.emit(&Event::Start {
            articles,
            sentences,
        });
        progress
    }

    fn emit(&self, event: &Event<'_>) {
        if self.json {
            let mut line = serde_json::to_vec(event).expect("events serialize");
            line.push(b'\n');
            // One write per line, so lines from parallel articles never mix.
            let _ = std::io::stderr().lock().write_all(&line);
        }
    }

    /// One more sentence has been synthesized.
    pub fn sentence_done(&self) {
        self.sentences.inc(1);
    }

    /// An article was written.
    pub fn article_done(&self, entry: &ArticleEntry) {
        self.articles.inc(1);
        self.emit(&Event::ArticleDone {
            file: &entry.file,
            title: entry.title.as_deref(),
            duration_s: entry.duration_s,
            sentences: entry.sentences.len(),
        });
    }

    /// An article failed.
    pub fn article_failed(&self, failure: &FailedArticle) {
        self.articles.inc(1);
        self.emit(&Event::ArticleFailed {
            source: &failure.source,
            title: failure.title.as_deref(),
            sentence: &failure.sentence,
            error: &failure.error,
        });
    }

    /// Removes the bars and reports the totals.
    pub fn finish(&self, summary: &Summary) {
        self.sentences.finish_and_clear();
        self.articles.finish_and_clear();
        self.emit(&Event::Summary(summary));
    }
}
