//! Markdown → prose: the blocks of text a copy editor reads, with a map back to the source.
//!
//! pulldown-cmark's offset iterator gives every event its source range. Prose is kept
//! from paragraphs, headings, list items, blockquotes, table cells, emphasis and link
//! text. Code (fenced, indented, inline), HTML, link destinations, images, math and
//! front matter are never analysed; inline code becomes one object-replacement
//! character so that a sentence reads on across it without seeing its quotes. HTML
//! comments are kept aside for the suppression comments.

use super::{Heading, Mention};
use crate::kb::Kb;
use crate::lang::Lang;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

/// The character that stands for inline code, math or an inline image in prose.
pub const PLACEHOLDER: char = '\u{FFFC}';

/// What kind of block a run of prose comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    TableCell,
}

/// One segment of the offset map: prose starting at `prose` comes from the source at
/// `source` (up to the next segment). When the prose differs from the source (entities, escapes),
/// `exact` is false and offsets inside the segment are clamped to its source range.
#[derive(Debug, Clone, Copy)]
struct Segment {
    prose: usize,
    source: usize,
    source_len: usize,
    exact: bool,
}

/// A block of prose.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// `text` lower-cased with the same byte offsets, for the lexicon matchers.
    pub lower: String,
    segments: Vec<Segment>,
    /// Nesting depth of blockquotes around the block.
    pub blockquote: u8,
    /// Index of the blockquote the block stands in, to group attribution lines with quotes.
    pub blockquote_id: Option<usize>,
    /// Prose ranges of the text of links that point to a source (not `#anchors`).
    pub links: Vec<Range<usize>>,
    /// Footnote references: prose offset and whether the footnote is defined.
    pub footnotes: Vec<(usize, bool)>,
    /// Source range of the whole block.
    pub source: Range<usize>,
}

impl Block {
    fn new(kind: BlockKind, blockquote: u8, blockquote_id: Option<usize>, start: usize) -> Block {
        Block {
            kind,
            text: String::new(),
            lower: String::new(),
            segments: Vec::new(),
            blockquote,
            blockquote_id,
            links: Vec::new(),
            footnotes: Vec::new(),
            source: start..start,
        }
    }

    fn push(&mut self, prose: &str, source: Range<usize>, exact: bool) {
        if prose.is_empty() {
            return;
        }
        self.segments.push(Segment {
            prose: self.text.len(),
            source: source.start,
            source_len: source.len(),
            exact,
        });
        self.text.push_str(prose);
        if self.source.is_empty() && self.segments.len() == 1 {
            self.source = source.clone();
        }
        self.source.start = self.source.start.min(source.start);
        self.source.end = self.source.end.max(source.end);
    }

    /// Maps a prose offset to a source offset. The end of one segment maps to the end
    /// of its source, so ranges never swallow the markup that follows.
    pub fn to_source(&self, offset: usize) -> usize {
        let i = match self.segments.binary_search_by(|s| s.prose.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => {
                return self
                    .segments
                    .first()
                    .map_or(self.source.start, |s| s.source);
            }
            Err(i) => i - 1,
        };
        let seg = self.segments[i];
        let delta = offset - seg.prose;
        if seg.exact {
            seg.source + delta.min(seg.source_len)
        } else if delta == 0 {
            seg.source
        } else {
            seg.source + seg.source_len
        }
    }

    /// Maps a prose range to a source range.
    pub fn range_to_source(&self, r: &Range<usize>) -> Range<usize> {
        // A range from another block or past the end is clamped rather than trusted: the
        // prose text is sliced below.
        let end = crate::text::floor_char_boundary(&self.text, r.end.min(self.text.len()));
        let r = &(r.start.min(end)..end);
        let start = self.to_source(r.start);
        // The end is mapped from its last byte so that it stays in the same segment.
        let end = if r.end > r.start {
            let last = self.text[..r.end]
                .char_indices()
                .next_back()
                .map_or(r.start, |(i, _)| i.max(r.start));
            let seg_end = self.to_source(last);
            let ch_len = self.text[last..r.end].len();
            // Inside an exact segment the last character keeps its length; otherwise the
            // mapped position already points past the inexact segment.
            match self.segment_of(last) {
                Some(seg) if seg.exact => seg_end + ch_len,
                Some(seg) => seg.source + seg.source_len,
                None => seg_end,
            }
        } else {
            start
        };
        start..end.max(start)
    }

    fn segment_of(&self, offset: usize) -> Option<Segment> {
        match self.segments.binary_search_by(|s| s.prose.cmp(&offset)) {
            Ok(i) => Some(self.segments[i]),
            Err(0) => None,
            Err(i) => Some(self.segments[i - 1]),
        }
    }

    /// Whether this block is a heading (headlines follow their own rules).
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }
}

/// The front matter's fields that copydesk reads.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub lang: Option<Lang>,
    pub title: Option<String>,
    /// `copydesk: off`: the whole file is silenced.
    pub off: bool,
    /// The front matter's source range, delimiters included.
    pub range: Option<Range<usize>>,
    /// Range of the `copydesk: off` line, for suppression reports.
    pub off_range: Option<Range<usize>>,
    /// Reason given after `--` on the `copydesk: off` line.
    pub off_reason: Option<String>,
}

/// An HTML comment: source range and text between `<!--` and `-->`.
#[derive(Debug, Clone)]
pub struct Comment {
    pub range: Range<usize>,
    pub body: String,
}

/// A parsed article.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub front_matter: FrontMatter,
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
    pub comments: Vec<Comment>,
    /// Problems with the document that are worth telling the writer (bad front matter).
    pub problems: Vec<(Range<usize>, String)>,
}

impl Document {
    /// The article's title: front matter `title`, else the first heading.
    pub fn title(&self) -> Option<String> {
        self.front_matter
            .title
            .clone()
            .or_else(|| self.headings.first().map(|h| h.text.clone()))
    }

    /// The first few kilobytes of prose, for language detection.
    pub fn prose_sample(&self) -> String {
        let mut s = String::new();
        for b in &self.blocks {
            if s.len() > 4000 {
                break;
            }
            s.push_str(&b.text);
            s.push('\n');
        }
        s
    }

    /// Finds every knowledge-base mention in the prose, with source ranges.
    pub fn find_mentions(&self, kb: &Kb) -> Vec<Mention> {
        let mut out = Vec::new();
        for block in &self.blocks {
            for m in kb.find(&block.text) {
                let Some(entity) = kb.entities().get(m.entity) else {
                    continue;
                };
                let range = block.range_to_source(&m.range);
                out.push(Mention {
                    range,
                    entity: Arc::from(entity.id.as_str()),
                    surface: block.text[m.range.clone()].to_string(),
                });
            }
        }
        out
    }
}

/// Parses an article. Never fails: broken Markdown is still Markdown to CommonMark, and
/// broken front matter is reported in `problems`.
pub fn parse(text: &str) -> Document {
    let mut doc = Document::default();
    let body_start = parse_front_matter(text, &mut doc);
    let body = &text[body_start..];

    let footnote_defs = collect_footnote_definitions(body);

    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_MATH);
    opts.insert(Options::ENABLE_TASKLISTS);

    let mut builder = Builder {
        doc: &mut doc,
        current: None,
        blockquote_depth: 0,
        blockquote_ids: Vec::new(),
        next_blockquote: 0,
        skip_depth: 0,
        link_stack: Vec::new(),
        heading: None,
        html_block: None,
        in_item: 0,
    };
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        builder.event(text, event, range, &footnote_defs);
    }
    builder.flush();
    doc
}

struct Builder<'a> {
    doc: &'a mut Document,
    current: Option<Block>,
    blockquote_depth: u8,
    blockquote_ids: Vec<usize>,
    next_blockquote: usize,
    /// Depth inside code blocks, footnote definitions, images and metadata: no prose there.
    skip_depth: usize,
    /// Open links: prose start and whether the link points to a source.
    link_stack: Vec<(usize, bool)>,
    /// Open heading: level and source start.
    heading: Option<(u8, usize)>,
    /// Open HTML block: source range so far.
    html_block: Option<Range<usize>>,
    in_item: usize,
}

impl Builder<'_> {
    fn flush(&mut self) {
        if let Some(mut block) = self.current.take() {
            // pulldown-cmark leaves a reference to an undefined footnote as text
            // (`[^9]`): it is still a reference, and a dangling one. The first `]` and
            // the first space after a mark are found once and reused for the marks
            // before them, so that a run of `[^` without an end is read once, not
            // once per mark.
            let text = &block.text;
            let mut from = 0;
            let mut close: Option<usize> = None;
            let mut space: Option<usize> = None;
            while let Some(i) = memchr::memmem::find(&text.as_bytes()[from..], b"[^") {
                let at = from + i;
                if close.is_none_or(|c| c < at) {
                    close = text[at..].find(']').map(|c| at + c);
                }
                if space.is_none_or(|s| s < at) {
                    space = Some(
                        text[at..]
                            .find(char::is_whitespace)
                            .map_or(text.len(), |s| at + s),
                    );
                }
                match (close, space) {
                    // No `]` after this mark, so none after the later ones either.
                    (None, _) => break,
                    (Some(c), Some(s)) if s > c => {
                        block.footnotes.push((at, false));
                        from = c + 1;
                    }
                    _ => from = at + 2,
                }
            }
            block.footnotes.sort_by_key(|f| f.0);
            if !block.text.trim().is_empty() {
                block.lower = super::lexicon::lowercase_same_len(&block.text).into_owned();
                self.doc.blocks.push(block);
            }
        }
    }

    fn open(&mut self, kind: BlockKind, start: usize) {
        self.flush();
        self.current = Some(Block::new(
            kind,
            self.blockquote_depth,
            self.blockquote_ids.last().copied(),
            start,
        ));
    }

    fn block(&mut self, start: usize) -> &mut Block {
        if self.current.is_none() {
            let kind = if self.in_item > 0 {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            self.current = Some(Block::new(
                kind,
                self.blockquote_depth,
                self.blockquote_ids.last().copied(),
                start,
            ));
        }
        match self.current.as_mut() {
            Some(b) => b,
            None => unreachable!("a block was just opened"),
        }
    }

    fn event(&mut self, src: &str, event: Event<'_>, range: Range<usize>, defs: &HashSet<String>) {
        if self.skip_depth > 0 {
            match event {
                Event::Start(Tag::CodeBlock(_))
                | Event::Start(Tag::FootnoteDefinition(_))
                | Event::Start(Tag::Image { .. })
                | Event::Start(Tag::MetadataBlock(_)) => self.skip_depth += 1,
                Event::End(TagEnd::CodeBlock)
                | Event::End(TagEnd::FootnoteDefinition)
                | Event::End(TagEnd::Image)
                | Event::End(TagEnd::MetadataBlock(_)) => self.skip_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(src, tag, range),
            Event::End(tag) => self.end(src, tag, range),
            Event::Text(t) => {
                let exact = src.get(range.clone()) == Some(t.as_ref());
                self.block(range.start).push(&t, range, exact);
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                let mut buf = [0u8; 4];
                let p = PLACEHOLDER.encode_utf8(&mut buf);
                self.block(range.start).push(p, range, false);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.block(range.start).push(" ", range, false);
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if let Some(open) = self.html_block.as_mut() {
                    open.end = open.end.max(range.end);
                } else {
                    self.comment(src, &h, range);
                }
            }
            Event::FootnoteReference(label) => {
                let defined = defs.contains(&label.to_lowercase());
                let b = self.block(range.start);
                let at = b.text.len();
                b.footnotes.push((at, defined));
                // The reference is not prose, but the block's source extends over it.
                b.source.end = b.source.end.max(range.end);
            }
            Event::TaskListMarker(_) | Event::Rule => {}
        }
    }

    fn comment(&mut self, src: &str, _html: &str, range: Range<usize>) {
        let Some(raw) = src.get(range.clone()) else {
            return;
        };
        let mut from = 0;
        while let Some(open) = raw[from..].find("<!--") {
            let start = from + open;
            let Some(close) = raw[start + 4..].find("-->") else {
                break;
            };
            let end = start + 4 + close + 3;
            self.doc.comments.push(Comment {
                range: range.start + start..range.start + end,
                body: raw[start + 4..end - 3].trim().to_string(),
            });
            from = end;
        }
    }

    fn start(&mut self, src: &str, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph => {
                let kind = if self.in_item > 0 {
                    BlockKind::ListItem
                } else {
                    BlockKind::Paragraph
                };
                self.open(kind, range.start);
            }
            Tag::Heading { level, .. } => {
                self.open(BlockKind::Heading(level as u8), range.start);
                self.heading = Some((level as u8, range.start));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.blockquote_depth = self.blockquote_depth.saturating_add(1);
                self.blockquote_ids.push(self.next_blockquote);
                self.next_blockquote += 1;
            }
            Tag::CodeBlock(_) | Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_) => {
                self.flush();
                self.skip_depth += 1;
            }
            Tag::Image { .. } => {
                let mut buf = [0u8; 4];
                let p = PLACEHOLDER.encode_utf8(&mut buf);
                self.block(range.start).push(p, range, false);
                self.skip_depth += 1;
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html_block = Some(range);
            }
            Tag::List(_) => self.flush(),
            Tag::Item => {
                self.in_item += 1;
                self.open(BlockKind::ListItem, range.start);
            }
            Tag::TableCell => self.open(BlockKind::TableCell, range.start),
            Tag::Link { dest_url, .. } => {
                let is_source = !dest_url.trim().is_empty() && !dest_url.starts_with('#');
                let at = self.block(range.start).text.len();
                self.link_stack.push((at, is_source));
            }
            _ => {}
        }
        let _ = src;
    }

    fn end(&mut self, src: &str, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Paragraph | TagEnd::TableCell => self.flush(),
            TagEnd::Heading(_) => {
                if let (Some((level, start)), Some(block)) = (self.heading.take(), &self.current) {
                    let text = block.text.trim().to_string();
                    let text_range = block.range_to_source(&(0..block.text.len()));
                    self.doc.headings.push(Heading {
                        level,
                        text,
                        range: start..trim_end_newline(src, range.end),
                        text_range,
                    });
                }
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.blockquote_depth = self.blockquote_depth.saturating_sub(1);
                self.blockquote_ids.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.in_item = self.in_item.saturating_sub(1);
            }
            TagEnd::List(_) => self.flush(),
            TagEnd::HtmlBlock => {
                if let Some(r) = self.html_block.take() {
                    let html = src.get(r.clone()).unwrap_or("").to_string();
                    self.comment(src, &html, r);
                }
            }
            TagEnd::Link => {
                if let Some((start, is_source)) = self.link_stack.pop() {
                    if let Some(b) = self.current.as_mut() {
                        if is_source && b.text.len() >= start {
                            let end = b.text.len();
                            b.links.push(start..end);
                        }
                        b.source.end = b.source.end.max(range.end);
                    }
                }
            }
            _ => {}
        }
    }
}

fn trim_end_newline(src: &str, mut end: usize) -> usize {
    let bytes = src.as_bytes();
    while end > 0 && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
        end -= 1;
    }
    end
}

/// Labels of the footnotes defined in the document (lower-cased, as CommonMark
/// matches labels case-insensitively). A definition is a line starting `[^label]:`.
fn collect_footnote_definitions(body: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("[^") {
            if let Some(end) = rest.find("]:") {
                out.insert(rest[..end].to_lowercase());
            }
        }
    }
    out
}

/// Reads the front matter at the start of `text`, if any, and returns where the body
/// starts. YAML (`---`) and TOML (`+++`) are both read, for the keys copydesk uses.
fn parse_front_matter(text: &str, doc: &mut Document) -> usize {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let (delim, yaml) = if text_no_bom.starts_with("---") {
        ("---", true)
    } else if text_no_bom.starts_with("+++") {
        ("+++", false)
    } else {
        return 0;
    };
    let first_line_end = text_no_bom.find('\n').map_or(text_no_bom.len(), |i| i + 1);
    if text_no_bom[..first_line_end].trim_end() != delim {
        return 0;
    }
    // Find the closing delimiter line.
    let mut pos = first_line_end;
    let mut close = None;
    while pos < text_no_bom.len() {
        let line_end = text_no_bom[pos..]
            .find('\n')
            .map_or(text_no_bom.len(), |i| pos + i + 1);
        let line = text_no_bom[pos..line_end].trim_end();
        if line == delim || (yaml && line == "...") {
            close = Some((pos, line_end));
            break;
        }
        pos = line_end;
    }
    let Some((content_end, body_start)) = close else {
        doc.problems.push((
            bom..bom + first_line_end,
            format!("front matter opened with `{delim}` is never closed; it is read as prose"),
        ));
        return 0;
    };
    let content_start = bom + first_line_end;
    let content = &text[content_start..bom + content_end];
    doc.front_matter.range = Some(bom..bom + body_start);
    if yaml {
        read_yaml_front_matter(content, content_start, doc);
    } else {
        read_toml_front_matter(content, content_start, doc);
    }
    bom + body_start
}

fn read_yaml_front_matter(content: &str, base: usize, doc: &mut Document) {
    let mut offset = base;
    for line in content.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        // Only top-level keys matter; nested YAML is left alone.
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (value, reason) = split_reason(value);
        let value = unquote(value.trim());
        let range = line_start..line_start + line.trim_end().len();
        apply_front_matter_key(key.trim(), value, reason, range, doc);
    }
}

fn read_toml_front_matter(content: &str, base: usize, doc: &mut Document) {
    match toml::from_str::<toml::Table>(content) {
        Ok(table) => {
            for (key, value) in table {
                let v = match &value {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let at = content.find(key.as_str()).map_or(base, |i| base + i);
                let line_end = content[at - base..]
                    .find('\n')
                    .map_or(base + content.len(), |i| at + i);
                apply_front_matter_key(&key, &v, None, at..line_end, doc);
            }
        }
        Err(e) => {
            let at = e.span().map_or(base, |s| base + s.start);
            doc.problems.push((
                at..at,
                format!("front matter is not valid TOML: {}", e.message().trim()),
            ));
        }
    }
}

fn split_reason(value: &str) -> (&str, Option<String>) {
    match value.split_once("--") {
        Some((v, r)) if !v.contains('"') || v.matches('"').count() % 2 == 0 => {
            let r = r.trim();
            (v, (!r.is_empty()).then(|| r.to_string()))
        }
        _ => (value, None),
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn apply_front_matter_key(
    key: &str,
    value: &str,
    reason: Option<String>,
    range: Range<usize>,
    doc: &mut Document,
) {
    match key {
        "lang" | "language" => match Lang::parse(value) {
            Some(l) => doc.front_matter.lang = Some(l),
            None => doc.problems.push((
                range,
                format!("front matter `{key}: {value}` is not a language copydesk reads (fr, en); the language is detected instead"),
            )),
        },
        "title" => doc.front_matter.title = Some(value.to_string()),
        "copydesk" => match value {
            "off" | "false" | "disable" | "disabled" => {
                doc.front_matter.off = true;
                doc.front_matter.off_range = Some(range);
                doc.front_matter.off_reason = reason;
            }
            "on" | "true" => {}
            other => doc.problems.push((
                range,
                format!("front matter `copydesk: {other}` is not understood: use `copydesk: off`"),
            )),
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Vec<String> {
        parse(text).blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn keeps_prose_and_skips_code() {
        let md = "# Titre\n\nUn *paragraphe* avec `code « x »` et [un lien](https://x.org).\n\n```\n« pas de la prose »\n```\n\n    indenté « non »\n\n<div>« html »</div>\n";
        assert_eq!(
            prose(md),
            vec!["Titre", "Un paragraphe avec \u{FFFC} et un lien."]
        );
    }

    #[test]
    fn maps_prose_back_to_source() {
        let md = "Il a **dit** : « Non. »\nSuite.";
        let doc = parse(md);
        let b = &doc.blocks[0];
        let at = b.text.find("dit").expect("dit");
        let r = b.range_to_source(&(at..at + 3));
        assert_eq!(&md[r], "dit");
        let at = b.text.find("Suite").expect("suite");
        let r = b.range_to_source(&(at..at + 5));
        assert_eq!(&md[r], "Suite");
    }

    #[test]
    fn front_matter_yaml_and_toml() {
        let doc =
            parse("---\nlang: fr\ntitle: \"Le titre\"\ncopydesk: off -- archive\n---\nTexte.\n");
        assert_eq!(doc.front_matter.lang, Some(Lang::Fr));
        assert_eq!(doc.front_matter.title.as_deref(), Some("Le titre"));
        assert!(doc.front_matter.off);
        assert_eq!(doc.front_matter.off_reason.as_deref(), Some("archive"));
        assert_eq!(doc.blocks.len(), 1);

        let doc = parse("+++\nlang = \"en\"\n+++\nText.\n");
        assert_eq!(doc.front_matter.lang, Some(Lang::En));

        let doc = parse("---\nlang: fr\nTexte sans fin.\n");
        assert_eq!(doc.problems.len(), 1);
    }

    #[test]
    fn dangling_footnote_marks_in_runs() {
        // Marks with a space before their `]` are not references; the others are,
        // however many marks come before them.
        let doc = parse("Un [^ a [^b] deux [^c d] [^e] [^ [^");
        let b = &doc.blocks[0];
        let marks: Vec<&str> = b
            .footnotes
            .iter()
            .map(|&(at, _)| &b.text[at..at + 4])
            .collect();
        assert_eq!(marks, vec!["[^b]", "[^e]"]);
    }

    #[test]
    fn links_footnotes_and_comments() {
        let md = "Il aurait fui[^1], selon [l'AFP](https://afp.com).[^2]\n\n<!-- copydesk-disable-next-line attribution/hearsay -->\nTexte.\n\n[^1]: Source.\n";
        let doc = parse(md);
        let b = &doc.blocks[0];
        assert_eq!(b.footnotes.len(), 2);
        assert!(b.footnotes[0].1, "footnote 1 is defined");
        assert!(!b.footnotes[1].1, "footnote 2 is dangling");
        assert_eq!(&b.text[b.links[0].clone()], "l'AFP");
        assert_eq!(doc.comments.len(), 1);
        assert!(
            doc.comments[0]
                .body
                .starts_with("copydesk-disable-next-line")
        );
        // Footnote definitions are not prose.
        assert!(doc.blocks.iter().all(|b| !b.text.contains("Source.")));
    }

    #[test]
    fn blockquotes_lists_and_tables() {
        let md = "> « Citation longue ici. »\n> — Nom, fonction\n\n- un élément\n- deux\n\n| a | b |\n|---|---|\n| c | d |\n";
        let doc = parse(md);
        assert_eq!(doc.blocks[0].blockquote, 1);
        assert!(doc.blocks[0].text.contains("— Nom"));
        assert!(
            doc.blocks
                .iter()
                .any(|b| b.kind == BlockKind::ListItem && b.text == "deux")
        );
        assert!(
            doc.blocks
                .iter()
                .any(|b| b.kind == BlockKind::TableCell && b.text == "d")
        );
    }
}
