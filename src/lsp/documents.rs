//! The documents an editor has open: a rope per document, edited incrementally, and
//! an immutable text snapshot per version for the analysis.
//!
//! Edits arrive as LSP ranges in the negotiated encoding and are applied to a
//! [`Rope`] (cheap inserts and deletes anywhere). The rope is flattened into an
//! `Arc<str>` snapshot when the text is first asked for after a change, not at every
//! change: a burst of keystrokes on a large document costs one copy, not one per
//! keystroke. The analysis, which works on `&str`, then runs on that snapshot off the
//! async runtime while further edits go on building the next version.
//!
//! **Revisions.** Every text a document receives (an open, a change) gets a new
//! [`Document::revision`], unique in the process and increasing. The server caches
//! analyses and publishes diagnostics by revision, never by the editor's version:
//! the last text received wins, whatever version number the editor gave it (a lower
//! one after a higher one, the same one twice, a second `didOpen`).

use crate::lsp::convert::{Encoding, rope_char_range};
use ropey::Rope;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

/// The next revision handed out, across every document of the process.
static NEXT_REVISION: AtomicU64 = AtomicU64::new(1);

fn next_revision() -> u64 {
    NEXT_REVISION.fetch_add(1, Ordering::Relaxed)
}

/// One open document.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    /// The file behind the document, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// The editor's version of the current text, as it gave it.
    pub version: i32,
    /// Which text this is: a new one for every open and change (see the module doc).
    pub revision: u64,
    /// Whether this is an article: Markdown by its language id or its extension.
    /// Other documents (a knowledge-base file being edited) are kept for their text
    /// but get no diagnostics.
    pub markdown: bool,
    rope: Rope,
    /// The rope flattened, once asked for.
    text: OnceLock<Arc<str>>,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: &str) -> Document {
        let path = uri_to_path(&uri);
        let markdown = path.as_deref().is_none_or(crate::corpus::is_markdown);
        Document {
            uri,
            path,
            version,
            revision: next_revision(),
            markdown,
            rope: Rope::from_str(text),
            text: OnceLock::from(Arc::from(text)),
        }
    }

    /// Decides whether the document is an article from the editor's language id,
    /// which wins over the extension when the editor knows it.
    pub fn with_language(mut self, language_id: &str) -> Document {
        let id = language_id.to_ascii_lowercase();
        if !id.is_empty() && id != "plaintext" {
            self.markdown = matches!(id.as_str(), "markdown" | "md" | "mdx" | "rmd" | "quarto");
        }
        self
    }

    /// The text of the current version.
    pub fn text(&self) -> Arc<str> {
        Arc::clone(
            self.text
                .get_or_init(|| Arc::from(String::from(&self.rope))),
        )
    }

    /// The length of the current text in bytes, without flattening it.
    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    /// Whether the current text is empty.
    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Applies the changes of one `didChange`, in order, then takes the new snapshot.
    /// Ranges out of the document are clamped, never fatal.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let chars = rope_char_range(&self.rope, range, encoding);
                    self.rope.remove(chars.clone());
                    self.rope.insert(chars.start, &change.text);
                }
                None => self.rope = Rope::from_str(&change.text),
            }
        }
        self.version = version;
        self.revision = next_revision();
        self.text = OnceLock::new();
    }
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let is_file = uri.scheme().as_str().eq_ignore_ascii_case("file");
    if !is_file {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// The `file:` URI of a local path.
pub fn path_to_uri(path: &std::path::Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn doc(text: &str) -> Document {
        let uri = Uri::from_str("file:///tmp/a.md").expect("valid uri");
        Document::new(uri, 1, text)
    }

    #[test]
    fn applies_incremental_changes_in_order() {
        let mut d = doc("Selon l'OTSC,\nrien.");
        // Insert an emoji before « OTSC », then replace « rien » on the next line:
        // the second change is in the coordinates left by the first.
        d.apply_changes(
            2,
            vec![change(0, 8, 0, 8, "😀 "), change(1, 0, 1, 4, "tout")],
            Encoding::Utf16,
        );
        assert_eq!(&*d.text(), "Selon l'😀 OTSC,\ntout.");
        assert_eq!(d.version, 2);
        // UTF-16: the emoji is two units, so column 11 is right after « 😀 ».
        d.apply_changes(3, vec![change(0, 11, 0, 15, "CSTO")], Encoding::Utf16);
        assert_eq!(&*d.text(), "Selon l'😀 CSTO,\ntout.");
        // UTF-8: the emoji is four bytes.
        d.apply_changes(4, vec![change(0, 13, 0, 17, "OTSC")], Encoding::Utf8);
        assert_eq!(&*d.text(), "Selon l'😀 OTSC,\ntout.");
    }

    #[test]
    fn every_text_gets_a_new_revision() {
        let mut d = doc("a");
        let first = d.revision;
        // The same version twice, then a lower one: each change is a new text.
        d.apply_changes(2, vec![change(0, 1, 0, 1, "b")], Encoding::Utf16);
        let second = d.revision;
        d.apply_changes(2, vec![change(0, 2, 0, 2, "c")], Encoding::Utf16);
        let third = d.revision;
        d.apply_changes(1, vec![change(0, 3, 0, 3, "d")], Encoding::Utf16);
        assert!(first < second && second < third && third < d.revision);
        assert_eq!(d.version, 1);
        assert_eq!(&*d.text(), "abcd");
        // A document opened again is a new text too.
        assert!(doc("a").revision > d.revision);
    }

    #[test]
    fn out_of_range_changes_are_clamped() {
        let mut d = doc("ab\r\ncd");
        d.apply_changes(2, vec![change(0, 99, 0, 99, "!")], Encoding::Utf16);
        assert_eq!(&*d.text(), "ab!\r\ncd");
        d.apply_changes(3, vec![change(40, 0, 50, 3, "?")], Encoding::Utf16);
        assert_eq!(&*d.text(), "ab!\r\ncd?");
        // A reversed range is put in order.
        d.apply_changes(4, vec![change(0, 3, 0, 0, "")], Encoding::Utf16);
        assert_eq!(&*d.text(), "\r\ncd?");
    }

    #[test]
    fn full_change_replaces_the_text() {
        let mut d = doc("old");
        d.apply_changes(
            2,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            }],
            Encoding::Utf16,
        );
        assert_eq!(&*d.text(), "new");
    }

    #[test]
    fn articles_are_told_by_language_or_extension() {
        let uri = |s: &str| Uri::from_str(s).expect("valid uri");
        assert!(Document::new(uri("file:///w/a.md"), 1, "").markdown);
        assert!(!Document::new(uri("file:///w/k.toml"), 1, "").markdown);
        assert!(Document::new(uri("untitled:Untitled-1"), 1, "").markdown);
        let toml = Document::new(uri("file:///w/a.md"), 1, "").with_language("toml");
        assert!(!toml.markdown);
        let md = Document::new(uri("file:///w/a.txt"), 1, "").with_language("markdown");
        assert!(md.markdown);
    }

    #[test]
    fn file_uris_map_to_paths() {
        let uri = Uri::from_str("file:///tmp/d%C3%A9p%C3%AAche%20un.md").expect("valid uri");
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/dépêche un.md")));
        let untitled = Uri::from_str("untitled:Untitled-1").expect("valid uri");
        assert_eq!(uri_to_path(&untitled), None);
        let back = path_to_uri(std::path::Path::new("/tmp/dépêche un.md")).expect("uri");
        assert_eq!(
            uri_to_path(&back),
            Some(PathBuf::from("/tmp/dépêche un.md"))
        );
    }
}
