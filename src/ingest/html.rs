//! Reads HTML pages into articles with a real HTML parser (html5ever, via
//! scraper). Each outermost `<article>` is an article; without one, `<main>`
//! is, and without that, `<body>`. The headline is the article's first
//! `<h1>` (in a page of several articles, else its first heading; in a page
//! of one, else the page's `<title>`). Paragraphs are the blocks of text
//! (`<p>`, `<li>`, `<blockquote>`, subheadings, table cells, ...) in reading
//! order. Navigation, headers and footers, asides, figures, scripts, styles,
//! forms and hidden elements are not read. Feed items use the same reading.

use std::borrow::Cow;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::{paragraph_text, ArticlesBuilder, SourceArticle};

type HtmlNode<'a> = NodeRef<'a, Node>;

/// Elements whose content is not read: navigation, page furniture, code,
/// media, forms, and what is not rendered.
const UNREAD: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form",
    "button", "select", "textarea", "input", "label", "dialog", "menu", "figure", "svg", "math",
    "iframe", "object", "embed", "canvas", "video", "audio", "picture", "img", "head", "title",
];

/// ARIA roles of page furniture, read as little as the elements above.
const UNREAD_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
    "alert",
];

/// Elements that begin and end a block of text; everything else is inline.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// How deep elements may nest before the deeper tags are dropped. html5ever
/// checks the whole stack of open elements at each block's start tag, so
/// parse time grows with the square of the depth (200,000 nested `<div>`s
/// took 172 s); news pages nest a few dozen deep.
const MAX_DEPTH: usize = 256;

/// Elements that never have content, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose end tag may be left out: the next one closes them, so
/// they do not deepen the tree however many are left open.
const OPTIONAL_END: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rt",
    "rp", "colgroup", "caption",
];

/// Elements whose content is raw text, where `<` starts no tag.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// The page with the start and end tags nested deeper than `max_depth`
/// removed, so the parser never holds a deeper stack. Their text stays,
/// run together with the text around it. Depth is counted from the tags as
/// written (void elements and those whose end tag may be left out do not
/// count), which is all a depth bound needs.
fn flatten_deep_nesting(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let Some(end) = rest.find('>').map(|end| start + end + 1) else {
            break;
        };
        at = end;
        let closing = bytes.get(start + 1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_end = html[name_start..end]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(end, |n| name_start + n);
        let name = html[name_start..name_end].to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if !closing && RAW_TEXT.contains(&name.as_str()) {
            at = raw_text_end(html, end, &name);
            continue;
        }
        if OPTIONAL_END.contains(&name.as_str()) || html[..end].ends_with("/>") {
            continue;
        }
        if closing {
            if depth > max_depth {
                dropped.push((start, end));
            }
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > max_depth {
                dropped.push((start, end));
            }
        }
    }
    if dropped.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut flat = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end) in dropped {
        flat.push_str(&html[from..start]);
        flat.push(' ');
        from = end;
    }
    flat.push_str(&html[from..]);
    Cow::Owned(flat)
}

/// Where the raw text that starts at `from` inside a `name` element ends:
/// after its end tag, in any letter case, or at the end of the page.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(offset) = html[at..].find("</") {
        let tag = at + offset + 2;
        let candidate = html.as_bytes().get(tag..tag + name.len());
        if candidate.is_some_and(|found| found.eq_ignore_ascii_case(name.as_bytes())) {
            return html[tag..]
                .find('>')
                .map_or(html.len(), |end| tag + end + 1);
        }
        at = tag;
    }
    html.len()
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

fn element_name(node: HtmlNode<'_>) -> Option<&str> {
    node.value().as_element().map(scraper::node::Element::name)
}

/// True for elements whose content is not read.
fn is_unread(node: HtmlNode<'_>) -> bool {
    let Some(element) = node.value().as_element() else {
        return false;
    };
    UNREAD.contains(&element.name())
        || element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || element
            .attr("role")
            .is_some_and(|role| UNREAD_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()))
}

/// The edges (element opened, closed) of the part of the tree under `root`
/// that is read: unread elements, unless named in `keep`, and the `skip`
/// node are left out with everything inside them. Walks without recursion,
/// so deep nesting cannot overflow the stack.
fn read_edges<'a>(
    root: HtmlNode<'a>,
    keep: &'a [&'a str],
    skip: Option<NodeId>,
) -> impl Iterator<Item = Edge<'a, Node>> + 'a {
    let mut skipping: Option<NodeId> = None;
    root.traverse().filter(move |edge| match *edge {
        Edge::Open(node) if skipping.is_none() => {
            let kept = element_name(node).is_some_and(|name| keep.contains(&name));
            let unread = is_unread(node) && !kept && node != root;
            if unread || Some(node.id()) == skip {
                skipping = Some(node.id());
            }
            skipping.is_none()
        }
        Edge::Close(node) if skipping == Some(node.id()) => {
            skipping = None;
            false
        }
        _ => skipping.is_none(),
    })
}

/// The read nodes under `root`, in document order.
fn read_nodes<'a>(
    root: HtmlNode<'a>,
    keep: &'a [&'a str],
) -> impl Iterator<Item = HtmlNode<'a>> + 'a {
    read_edges(root, keep, None).filter_map(|edge| match edge {
        Edge::Open(node) => Some(node),
        Edge::Close(_) => None,
    })
}

/// All read text under a node.
fn text_of(node: HtmlNode<'_>) -> String {
    read_nodes(node, &[])
        .filter_map(|node| node.value().as_text().map(|text| &**text))
        .collect()
}

/// The first read element named one of `names` whose text is not blank.
fn first_with_text<'a>(
    root: HtmlNode<'a>,
    names: &[&str],
    keep: &'a [&'a str],
) -> Option<HtmlNode<'a>> {
    read_nodes(root, keep).find(|node| {
        element_name(*node).is_some_and(|name| names.contains(&name))
            && !paragraph_text(&text_of(*node)).is_empty()
    })
}

/// The outermost read elements named `name`.
fn outermost<'a>(root: HtmlNode<'a>, name: &str) -> Vec<HtmlNode<'a>> {
    let mut found = Vec::new();
    let mut inside: Option<NodeId> = None;
    for edge in read_edges(root, &[], None) {
        match edge {
            Edge::Open(node) if inside.is_none() && element_name(node) == Some(name) => {
                found.push(node);
                inside = Some(node.id());
            }
            Edge::Close(node) if inside == Some(node.id()) => inside = None,
            _ => {}
        }
    }
    found
}

/// Reads the paragraphs under `root` into the builder, in reading order,
/// leaving out the node used as the headline.
fn read_paragraphs(root: HtmlNode<'_>, headline: Option<NodeId>, builder: &mut ArticlesBuilder) {
    let mut block = String::new();
    // `<br><br>` ends a paragraph; one `<br>` breaks a line.
    let mut breaks = 0;
    for edge in read_edges(root, &[], headline) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => {
                    block.push_str(text);
                    if !text.trim().is_empty() {
                        breaks = 0;
                    }
                }
                Node::Element(element) if element.name() == "br" => {
                    breaks += 1;
                    if breaks == 2 {
                        builder.paragraph(&std::mem::take(&mut block));
                    }
                    block.push('\n');
                }
                Node::Element(element) if BLOCKS.contains(&element.name()) => {
                    builder.paragraph(&std::mem::take(&mut block));
                    breaks = 0;
                }
                _ => {}
            },
            Edge::Close(node) => {
                if element_name(node).is_some_and(|name| BLOCKS.contains(&name)) {
                    builder.paragraph(&std::mem::take(&mut block));
                    breaks = 0;
                }
            }
        }
    }
    builder.paragraph(&block);
}

/// The articles of an HTML page.
pub fn articles(html: &str) -> Vec<SourceArticle> {
    let document = Html::parse_document(&flatten_deep_nesting(html, MAX_DEPTH));
    let page = document.tree.root();
    let mut builder = ArticlesBuilder::default();
    let articles = outermost(page, "article");
    if articles.len() > 1 {
        for article in articles {
            // An article's own <header> holds its headline.
            let headline = first_with_text(article, &["h1"], &["header"])
                .or_else(|| first_with_text(article, &HEADINGS, &["header"]));
            start(&mut builder, headline, None);
            read_paragraphs(article, headline.map(|node| node.id()), &mut builder);
        }
        return builder.finish();
    }
    let root = articles
        .into_iter()
        .chain(outermost(page, "main"))
        .chain(outermost(page, "body"))
        .next()
        .unwrap_or(page);
    let is_body = element_name(root) == Some("body");
    // A page's own <header> is its banner; an article's holds its headline.
    let keep: &[&str] = if is_body { &[] } else { &["header"] };
    let headline = first_with_text(root, &["h1"], keep);
    let page_title = page
        .descendants()
        .find(|node| element_name(*node) == Some("title"))
        .map(text_of);
    start(&mut builder, headline, page_title.as_deref());
    read_paragraphs(root, headline.map(|node| node.id()), &mut builder);
    builder.finish()
}

fn start(builder: &mut ArticlesBuilder, headline: Option<HtmlNode<'_>>, fallback: Option<&str>) {
    let title = headline.map_or_else(|| fallback.unwrap_or_default().to_string(), text_of);
    builder.start(&title);
}

/// The paragraphs of a piece of HTML, such as a feed item's content.
pub fn paragraphs(fragment: &str) -> Vec<String> {
    let fragment = Html::parse_fragment(&flatten_deep_nesting(fragment, MAX_DEPTH));
    let mut builder = ArticlesBuilder::default();
    read_paragraphs(fragment.tree.root(), None, &mut builder);
    builder
        .finish()
        .into_iter()
        .flat_map(|article| article.paragraphs)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS_PAGE: &str = r#"<!doctype html>
<html><head><title>Storm hits the coast - Daily News</title>
<style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>
<body>
<header><h1>Daily News</h1><nav><ul><li><a href="/">Home</a></li><li>World</li></ul></nav></header>
<main>
  <article>
    <header><h1>Storm hits the coast</h1><p class="byline">By A. Reporter</p></header>
    <p>Winds of 120 km/h
       hit the coast on Monday.</p>
    <figure><img src="storm.jpg" alt="A storm"><figcaption>Photo: waves</figcaption></figure>
    <p>Power is <b>out</b> in <a href="/towns">three towns</a>.</p>
    <aside>Related: <a href="/x">Older storms</a></aside>
    <ul><li>Schools are closed.</li><li>Roads are flooded.</li></ul>
    <form><label>Subscribe</label><input name="email"></form>
    <div hidden>Hidden text</div>
  </article>
</main>
<footer><p>Copyright 2025</p></footer>
<noscript>Enable JavaScript</noscript>
</body></html>"#;

    #[test]
    fn a_page_gives_its_article_without_furniture() {
        assert_eq!(
            articles(NEWS_PAGE),
            vec![SourceArticle::of(
                Some("Storm hits the coast"),
                &[
                    "Winds of 120 km/h hit the coast on Monday.",
                    "Power is out in three towns.",
                    "Schools are closed.",
                    "Roads are flooded.",
                ]
            )]
        );
    }

    #[test]
    fn several_articles_give_several() {
        let html = "<body><nav>Menu</nav>\
            <article><h2>第一条</h2><p>沪指\n上涨。</p></article>\
            <article><h1>Second</h1><p>Two.</p><article><p>A comment.</p></article></article>\
            <aside><article><h2>Related</h2><p>No.</p></article></aside></body>";
        assert_eq!(
            articles(html),
            vec![
                SourceArticle::of(Some("第一条"), &["沪指上涨。"]),
                SourceArticle::of(Some("Second"), &["Two.", "A comment."]),
            ]
        );
    }

    #[test]
    fn headline_falls_back_to_the_title() {
        let cases = [
            (
                "no h1: the title",
                "<html><head><title>Page &amp; title</title></head><body><p>Text.</p></body></html>",
                Some("Page & title"),
            ),
            (
                "banner h1 is not the headline",
                "<title>Story</title><body><header><h1>Site</h1></header><p>Text.</p></body>",
                Some("Story"),
            ),
            (
                "h1 in main",
                "<title>T</title><body><main><h1>Story</h1><p>Text.</p></main></body>",
                Some("Story"),
            ),
            ("nothing", "<p>Text.</p>", None),
        ];
        for (label, html, title) in cases {
            assert_eq!(
                articles(html),
                vec![SourceArticle::of(title, &["Text."])],
                "{label}"
            );
        }
    }

    #[test]
    fn breaks_divs_and_roles_shape_paragraphs() {
        let html = "<body><div role=\"navigation\">Menu</div>\
            <div>One<br>line<br><br>Two</div><div aria-hidden=\"true\">x</div>\
            <table><tr><td>a</td><td>b</td></tr></table><pre>code  here</pre></body>";
        assert_eq!(
            articles(html),
            vec![SourceArticle::of(
                None,
                &["One line", "Two", "a", "b", "code here"]
            )]
        );
    }

    #[test]
    fn fragments_give_paragraphs() {
        let cases: [(&str, &[&str]); 4] = [
            (
                "<p>One.</p><p>Two &amp; three.</p>",
                &["One.", "Two & three."],
            ),
            ("Plain text, no tags.", &["Plain text, no tags."]),
            ("<img src=x>Caption<script>x()</script>", &["Caption"]),
            ("<p>   </p>", &[]),
        ];
        for (html, expected) in cases {
            assert_eq!(paragraphs(html), expected, "{html}");
        }
    }

    #[test]
    fn tags_past_the_depth_bound_are_dropped_and_their_text_kept() {
        let cases = [
            (
                "<div><div><div>a</div></div></div>",
                "<div><div> a </div></div>",
            ),
            ("<div><p>x<p>y<p>z</div>", "<div><p>x<p>y<p>z</div>"),
            (
                "<div><br><img src=x><hr/><div>a",
                "<div><br><img src=x><hr/><div>a",
            ),
            (
                "<div><script>'<div><div><div>'</script><div>a",
                "<div><script>'<div><div><div>'</script><div>a",
            ),
            (
                "<div><!-- <div><div> --><div>a",
                "<div><!-- <div><div> --><div>a",
            ),
            (
                "<div><STYLE>a</b></Style><div><div>",
                "<div><STYLE>a</b></Style><div> ",
            ),
            ("<div><span/><span/><span>a", "<div><span/><span/><span>a"),
        ];
        for (html, flat) in cases {
            assert_eq!(flatten_deep_nesting(html, 2), flat, "{html}");
        }
    }

    #[test]
    fn the_parser_never_holds_a_stack_deeper_than_the_bound() {
        // The parser's cost per tag grows with its stack, so the page's
        // depth is what `benches/reliability.sh` times; here, its bound.
        let depth = 5_000;
        let html = format!(
            "{}<p>Deep.</p>{}<p>Shallow.</p>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let document = Html::parse_document(&flatten_deep_nesting(&html, MAX_DEPTH));
        let deepest = document
            .tree
            .root()
            .descendants()
            .map(|node| node.ancestors().count())
            .max()
            .unwrap();
        assert!(deepest <= MAX_DEPTH + 4, "{deepest}");
        assert_eq!(
            articles(&html),
            vec![SourceArticle::of(None, &["Deep.", "Shallow."])]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!("{}<p>Deep.</p>", "<div>".repeat(5_000));
        assert_eq!(articles(&html), vec![SourceArticle::of(None, &["Deep."])]);
    }
}
