//! What a feature sees: an analysed snapshot of one document, the workspace and the
//! corpus, with the conversions to LSP positions.
//!
//! Features are pure functions of a [`Ctx`] (texlab's shape): the server builds the
//! context, calls `feature::find(&ctx, …)` and sends the result. Nothing in a context
//! is mutable or async, so a feature cannot hold a lock across an `.await` or see a
//! half-applied edit.

use crate::analysis::FileAnalysis;
use crate::corpus::{Corpus, Site};
use crate::kb::model::Entity;
use crate::lang::Lang;
use crate::lsp::convert::{Encoding, LineMap, site_position};
use crate::lsp::documents::path_to_uri;
use crate::lsp::workspace::{Workspace, entity_location};
use crate::text::LineIndex;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

/// One version of one document with its analysis. Cheap to clone.
#[derive(Clone)]
pub struct Snapshot {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    /// The editor's version; `None` for a file read from disk.
    pub version: Option<i32>,
    /// The document's revision (see [`crate::lsp::documents`]); `None` for a file read
    /// from disk. Caching and publication go by revision, not by version.
    pub revision: Option<u64>,
    /// The workspace generation the analysis was made with.
    pub generation: u64,
    pub text: Arc<str>,
    pub index: Arc<LineIndex>,
    pub analysis: Arc<FileAnalysis>,
}

impl Snapshot {
    pub fn new(
        uri: Uri,
        path: Option<PathBuf>,
        version: Option<i32>,
        generation: u64,
        text: Arc<str>,
        analysis: FileAnalysis,
    ) -> Snapshot {
        Snapshot {
            uri,
            path,
            version,
            revision: None,
            generation,
            index: Arc::new(LineIndex::new(&text)),
            text,
            analysis: Arc::new(analysis),
        }
    }
}

/// Turns a corpus path into the URI the editor knows it by (an open document keeps
/// the URI the editor gave it).
pub trait UriResolver {
    fn uri(&self, path: &Path) -> Option<Uri>;
}

/// Builds `file:` URIs, for callers without open documents (tests, benchmarks).
pub struct FileUris;

impl UriResolver for FileUris {
    fn uri(&self, path: &Path) -> Option<Uri> {
        path_to_uri(path)
    }
}

/// Everything a feature may look at.
pub struct Ctx<'a> {
    pub snap: &'a Snapshot,
    pub ws: &'a Workspace,
    pub corpus: &'a Corpus,
    pub encoding: Encoding,
    pub uris: &'a dyn UriResolver,
}

impl<'a> Ctx<'a> {
    /// Conversions for the snapshot's text.
    pub fn map(&self) -> LineMap<'_> {
        LineMap::new(&self.snap.text, &self.snap.index, self.encoding)
    }

    /// The byte offset of an LSP position in the snapshot.
    pub fn offset(&self, pos: Position) -> usize {
        self.map().offset(pos)
    }

    /// The LSP range of a byte range of the snapshot.
    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        self.map().range(range)
    }

    /// The document's language, English when unknown (the language of messages).
    pub fn lang(&self) -> Lang {
        self.snap.analysis.message_lang()
    }

    /// The LSP range of a place stored in the corpus.
    pub fn site_range(&self, site: &Site) -> Range {
        Range::new(
            site_position(site.start, self.encoding),
            site_position(site.end, self.encoding),
        )
    }

    /// Where `entity` is defined, as a location the editor can open.
    pub fn entity_location(&self, entity: &Entity) -> Option<Location> {
        let (path, line) = entity_location(entity)?;
        let uri = self.uris.uri(&path)?;
        let at = Position::new(line, 0);
        Some(Location::new(uri, Range::new(at, at)))
    }
}

/// A texlab-style fixture for the features' unit tests: an article with a `$0`
/// cursor, a workspace knowledge base, and other articles already in the corpus.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::analysis::Engine;
    use crate::corpus::FileSummary;
    use crate::kb::Kb;
    use crate::lsp::workspace::default_config;

    /// The knowledge base of the unit tests.
    pub const KB: &str = r#"
[[entity]]
id = "csto"
kind = "organisation"
name = { en = "Collective Security Treaty Organization", fr = "Organisation du traité de sécurité collective" }
description = { en = "A military alliance.", fr = "Une alliance militaire." }
acronyms = { en = ["CSTO"], fr = ["OTSC"] }

[[entity.facts]]
en = "Armenia froze its participation."
fr = "L'Arménie a gelé sa participation."
as_of = "2024-02"

[[entity]]
id = "armenia"
kind = "country"
name = { en = "Armenia", fr = "Arménie" }
description = { en = "A country.", fr = "Un pays." }
"#;

    pub struct Fixture {
        pub snap: Snapshot,
        pub ws: Workspace,
        pub corpus: Corpus,
        pub cursor: Position,
    }

    impl Fixture {
        /// `text` is the current article (`/w/current.md`), with `$0` at the cursor;
        /// `others` are `(file name, text)` pairs indexed under `/w/`.
        pub fn new(text: &str, others: &[(&str, &str)]) -> Fixture {
            let at = text.find("$0").unwrap_or(0);
            let text = text.replacen("$0", "", 1);
            let (kb, errors) = Kb::load_texts(
                false,
                &[(PathBuf::from("/w/knowledge/test.toml"), KB.to_string())],
            );
            assert!(errors.is_empty(), "{errors:?}");
            let engine = Arc::new(Engine::new(default_config(), Arc::new(kb)));
            let ws = Workspace::with_engine(Arc::clone(&engine), Path::new("/w"), 1);
            let mut corpus = Corpus::new();
            for (name, other) in others {
                let summary = FileSummary::new(other, &engine.analyze(other));
                corpus.set_disk(&Path::new("/w").join(name), summary);
            }
            let path = PathBuf::from("/w/current.md");
            let uri = path_to_uri(&path).expect("file URI");
            let text: Arc<str> = Arc::from(text);
            let analysis = engine.analyze(&text);
            corpus.set_open(&path, FileSummary::new(&text, &analysis));
            let snap = Snapshot::new(uri, Some(path), Some(1), 1, text, analysis);
            let index = LineIndex::new(&snap.text);
            let cursor = LineMap::new(&snap.text, &index, Encoding::Utf16).position(at);
            Fixture {
                snap,
                ws,
                corpus,
                cursor,
            }
        }

        pub fn ctx(&self) -> Ctx<'_> {
            Ctx {
                snap: &self.snap,
                ws: &self.ws,
                corpus: &self.corpus,
                encoding: Encoding::Utf16,
                uris: &FileUris,
            }
        }
    }
}
