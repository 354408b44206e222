//! Every progress bar is built here. Bars are drawn only on an interactive
//! terminal and never with `--quiet`; screen readers and logs get the one
//! summary line the CLI prints at the end.

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of a render: sentences synthesized and articles finished.
pub struct Progress {
    sentences: ProgressBar,
    articles: ProgressBar,
}

impl Progress {
    /// Bars for a render of `sentences` sentences in `articles` articles.
    pub fn new(sentences: usize, articles: usize, quiet: bool) -> Progress {
        let visible = !quiet && std::io::stderr().is_terminal();
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
        let sentences = multi.add(ProgressBar::new(sentences as u64));
        sentences.set_style(style("sentences {bar:30} {pos}/{len}  eta {eta}"));
        let articles = multi.add(ProgressBar::new(articles as u64));
        articles.set_style(style("articles  {bar:30} {pos}/{len}"));
        Progress {
            sentences,
            articles,
        }
    }

    /// One more sentence has been synthesized.
    pub fn sentence_done(&self) {
        self.sentences.inc(1);
    }

    /// One more article is finished (written or failed).
    pub fn article_done(&self) {
        self.articles.inc(1);
    }

    /// Removes the bars.
    pub fn finish(&self) {
        self.sentences.finish_and_clear();
        self.articles.finish_and_clear();
    }
}
