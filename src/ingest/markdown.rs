//! Reads Markdown into articles. Headings of the document's top level (the
//! fewest `#` it uses) start articles and are their headlines; text before
//! the first one is an untitled article. Deeper headings, paragraphs, list
//! items, quotes and table rows are paragraphs. Markup is stripped: links
//! read as their text; images, code blocks, raw HTML, footnote definitions
//! and front matter are not read, since none of them is spoken news text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{ArticlesBuilder, SourceArticle};

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// True for tags whose content is not read.
fn is_unread(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Image { .. }
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::MetadataBlock(_)
    )
}

fn is_unread_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Image
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::FootnoteDefinition
            | TagEnd::MetadataBlock(_)
    )
}

/// True for tags that begin or end a block of text (a paragraph to read).
fn is_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

/// The articles of a Markdown document.
pub fn articles(text: &str) -> Vec<SourceArticle> {
    let events: Vec<Event> = Parser::new_ext(text, options()).collect();
    let top_level: Option<HeadingLevel> = events
        .iter()
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(*level),
            _ => None,
        })
        .min();
    let mut builder = ArticlesBuilder::default();
    let mut block = String::new();
    // How deep inside content that is not read (images, code, ...).
    let mut unread = 0usize;
    for event in events {
        match event {
            Event::Start(tag) if is_unread(&tag) => unread += 1,
            Event::End(tag) if is_unread_end(tag) => unread = unread.saturating_sub(1),
            _ if unread > 0 => {}
            Event::Start(tag) if is_block(tag.to_end()) => {
                builder.paragraph(&std::mem::take(&mut block));
            }
            Event::End(TagEnd::Heading(level)) if Some(level) == top_level => {
                builder.start(&std::mem::take(&mut block));
            }
            Event::End(tag) if is_block(tag) => {
                builder.paragraph(&std::mem::take(&mut block));
            }
            Event::End(TagEnd::TableCell) => block.push(' '),
            Event::Text(text) | Event::Code(text) => block.push_str(&text),
            Event::SoftBreak | Event::HardBreak => block.push('\n'),
            Event::Rule => builder.paragraph(&std::mem::take(&mut block)),
            _ => {}
        }
    }
    builder.paragraph(&block);
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_start_articles() {
        let text = "Lead-in before any heading.\n\n# Storm hits the coast\n\nWinds rose.\nTrees fell.\n\nPower is out.\n\n# 股市收涨\n\n沪指\n上涨。\n";
        assert_eq!(
            articles(text),
            vec![
                SourceArticle::of(None, &["Lead-in before any heading."]),
                SourceArticle::of(
                    Some("Storm hits the coast"),
                    &["Winds rose. Trees fell.", "Power is out."]
                ),
                SourceArticle::of(Some("股市收涨"), &["沪指上涨。"]),
            ]
        );
    }

    #[test]
    fn markup_is_stripped() {
        let cases = [
            (
                "emphasis",
                "Some *very* **bold** ~~old~~ `code` text.",
                "Some very bold old code text.",
            ),
            (
                "link",
                "Read [the report](https://example.com \"t\") now.",
                "Read the report now.",
            ),
            (
                "image",
                "Before ![a photo of a storm](storm.jpg) after.",
                "Before after.",
            ),
            ("linked image", "[![logo](l.png)](https://x) Name", "Name"),
            (
                "inline html",
                "A <span class=\"x\">marked</span> word.",
                "A marked word.",
            ),
            (
                "footnote reference",
                "Rates rose.[^1]\n\n[^1]: Source: the bank.",
                "Rates rose.",
            ),
            ("hard break", "Line one  \nline two", "Line one line two"),
            ("entity", "Fish &amp; chips", "Fish & chips"),
        ];
        for (label, text, expected) in cases {
            assert_eq!(
                articles(text),
                vec![SourceArticle::of(None, &[expected])],
                "{label}"
            );
        }
    }

    #[test]
    fn code_front_matter_and_html_blocks_are_not_read() {
        let text = "---\ntitle: x\n---\n\n# Title\n\n```rust\nfn main() {}\n```\n\n    indented code\n\n<div>\nraw html\n</div>\n\nBody.\n";
        assert_eq!(
            articles(text),
            vec![SourceArticle::of(Some("Title"), &["Body."])]
        );
    }

    #[test]
    fn deeper_headings_lists_quotes_and_tables_are_paragraphs() {
        let text = "## One\n\nIntro.\n\n### Details\n\n- first\n- second\n  - nested\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Two\n\n***\n\nEnd.\n";
        assert_eq!(
            articles(text),
            vec![
                SourceArticle::of(
                    Some("One"),
                    &["Intro.", "Details", "first", "second", "nested", "quoted", "a b", "1 2"]
                ),
                SourceArticle::of(Some("Two"), &["End."]),
            ]
        );
    }

    #[test]
    fn a_heading_without_text_is_an_untitled_article() {
        assert_eq!(
            articles("#\n\nBody.\n\n# \n"),
            vec![SourceArticle::of(None, &["Body."])]
        );
    }
}
