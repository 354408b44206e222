//! Reads RSS and Atom feeds into articles with a feed parser (feed-rs): one
//! article per item, its title the headline, its paragraphs from the item's
//! full content when it has one, else from its summary (`<description>` in
//! RSS). HTML inside items is read like an HTML page's text.

use feed_rs::model::{Entry, Text};

use super::{html, paragraph_text, IngestError, SourceArticle};

/// The articles of a feed, one per item, in the feed's order.
pub fn articles(name: &str, text: &str) -> Result<Vec<SourceArticle>, IngestError> {
    let xml = with_utf8_prolog(text);
    let feed = feed_rs::parser::parse(xml.as_bytes()).map_err(|source| IngestError::Feed {
        name: name.to_string(),
        source,
    })?;
    Ok(feed.entries.iter().filter_map(article).collect())
}

/// The text with its XML prolog saying UTF-8: it has been decoded already,
/// and the parser would otherwise decode it again as the prolog declares.
fn with_utf8_prolog(text: &str) -> String {
    let trimmed = text.trim_start();
    match trimmed
        .strip_prefix("<?xml")
        .and_then(|rest| rest.find("?>").map(|end| &rest[end + 2..]))
    {
        Some(rest) => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{rest}"),
        None => trimmed.to_string(),
    }
}

fn article(entry: &Entry) -> Option<SourceArticle> {
    let title = entry
        .title
        .as_ref()
        .map(|title| text_paragraphs(title).join(" "))
        .filter(|title| !title.is_empty());
    let content = entry.content.as_ref().and_then(|content| {
        let body = content.body.as_deref()?;
        Some(paragraphs_of(body, is_html(&content.content_type)))
    });
    let paragraphs = content
        .filter(|paragraphs| !paragraphs.is_empty())
        .or_else(|| {
            let summary = entry.summary.as_ref()?;
            Some(text_paragraphs(summary))
        })
        .unwrap_or_default();
    (title.is_some() || !paragraphs.is_empty()).then_some(SourceArticle { title, paragraphs })
}

/// True for every media type but plain text: feeds say `html`, `xhtml` or a
/// MIME type for markup.
fn is_html(content_type: &impl std::fmt::Display) -> bool {
    !content_type.to_string().starts_with("text/plain")
}

fn text_paragraphs(text: &Text) -> Vec<String> {
    paragraphs_of(&text.content, is_html(&text.content_type))
}

/// Paragraphs of an item's text: HTML read as a page's text, plain text
/// split at blank lines.
fn paragraphs_of(text: &str, html: bool) -> Vec<String> {
    if html {
        return html::paragraphs(text);
    }
    text.split("\n\n")
        .map(paragraph_text)
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_become_articles() {
        let rss = r#"<?xml version="1.0" encoding="GB2312"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>新闻</title><link>https://example.com/</link><description>Feed</description>
<item><title>股市收涨</title><description>&lt;p&gt;沪指&lt;b&gt;上涨&lt;/b&gt;。&lt;/p&gt;&lt;p&gt;成交放量。&lt;/p&gt;</description></item>
<item><title>Storm &amp; rain</title><description>Short summary.</description>
<content:encoded><![CDATA[<p>Full text one.</p><script>x()</script><p>Full text two.</p>]]></content:encoded></item>
<item><description>Untitled item text.</description></item>
<item><link>https://example.com/empty</link></item>
</channel></rss>"#;
        assert_eq!(
            articles("f.xml", rss).unwrap(),
            vec![
                SourceArticle::of(Some("股市收涨"), &["沪指上涨。", "成交放量。"]),
                SourceArticle::of(Some("Storm & rain"), &["Full text one.", "Full text two."]),
                SourceArticle::of(None, &["Untitled item text."]),
            ]
        );
    }

    #[test]
    fn atom_entries_become_articles() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2025-04-25T00:00:00Z</updated>
<entry><title type="html">A &lt;em&gt;big&lt;/em&gt; day</title><id>urn:1</id><updated>2025-04-25T00:00:00Z</updated>
<summary type="text">First paragraph.

Second paragraph.</summary></entry>
<entry><title>Two</title><id>urn:2</id><updated>2025-04-25T00:00:00Z</updated>
<content type="html">&lt;p&gt;Body.&lt;/p&gt;</content></entry>
</feed>"#;
        assert_eq!(
            articles("f.atom", atom).unwrap(),
            vec![
                SourceArticle::of(
                    Some("A big day"),
                    &["First paragraph.", "Second paragraph."]
                ),
                SourceArticle::of(Some("Two"), &["Body."]),
            ]
        );
    }

    #[test]
    fn a_file_that_is_no_feed_is_refused() {
        let error = articles("page.xml", "<html><p>x</p></html>").unwrap_err();
        assert_eq!(
            error.to_string(),
            "page.xml is not a readable RSS or Atom feed"
        );
    }

    #[test]
    fn prolog_is_rewritten_to_utf8() {
        let cases = [
            (
                "<?xml version=\"1.0\" encoding=\"GBK\"?><rss/>",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>",
            ),
            ("\n<rss/>", "<rss/>"),
        ];
        for (text, expected) in cases {
            assert_eq!(with_utf8_prolog(text), expected);
        }
    }
}
