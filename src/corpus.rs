//! The corpus index: what every article of a workspace says, in a few numbers and
//! the places where it mentions each entity.
//!
//! The language server answers "where else is the CSTO mentioned?" and "in how many
//! articles?" from this index without rereading any file. An article is kept as a
//! [`FileSummary`], a small digest of its [`FileAnalysis`]: title, language, the
//! counts of findings and quotations, and each entity mention with its position
//! precomputed in both column units, so that a reference never needs the text again.
//! The full analysis is dropped once summarised, which keeps ten thousand articles
//! well under a hundred megabytes.
//!
//! Each file has two layers: what is on disk, and what an editor has open. An open
//! buffer takes precedence over the disk until it is closed. The inverted index
//! (entity id → files → count) always follows the layer in force.
//!
//! People and organisations the knowledge base does not list (see
//! [`crate::analysis::people`]) are indexed the same way under their derived keys
//! (`~name`), beside the knowledge-base entities: their mentions in
//! [`FileSummary::derived`], and what each article says when it introduces them in
//! [`FileSummary::introduced`], from which the editor builds their card.
//!
//! The index knows paths and analyses, not LSP: the server converts [`SitePos`] to
//! protocol positions. It is filled in parallel by [`summarize_files`] and found by
//! [`discover`], which respects `.gitignore` and the configuration's `include` and
//! `exclude` globs.

use crate::analysis::people::DerivedKind;
use crate::analysis::{Engine, FileAnalysis};
use crate::config::{Config, Globs};
use crate::lang::Lang;
use crate::text::{ColumnUnit, LineIndex};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A position stored in the corpus: a zero-based line and the column in both units
/// an editor may negotiate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SitePos {
    pub line: u32,
    pub utf16: u32,
    pub utf8: u32,
}

/// A place in an article: where it starts and ends. The byte range is not kept: once
/// the text is gone, only positions are of use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Site {
    pub start: SitePos,
    pub end: SitePos,
}

impl Site {
    /// Locates `range` in `text`, computing both column units once.
    pub fn new(text: &str, index: &LineIndex, range: Range<usize>) -> Site {
        let at = |offset: usize| {
            let u16 = index.position(text, offset, ColumnUnit::Utf16);
            let u8 = index.position(text, offset, ColumnUnit::Utf8);
            SitePos {
                line: u16.line,
                utf16: u16.col,
                utf8: u8.col,
            }
        };
        Site {
            start: at(range.start),
            end: at(range.end),
        }
    }
}

/// One mention of an entity in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionSite {
    pub entity: Arc<str>,
    pub site: Site,
}

/// An article's introduction of a person or organisation the knowledge base does not
/// list: what the article says of it, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntroSite {
    pub key: Arc<str>,
    pub name: String,
    pub kind: DerivedKind,
    pub description: Option<String>,
    /// Every spelling the article uses, the full name first.
    pub spellings: Vec<String>,
    pub lang: Option<Lang>,
    pub site: Site,
}

/// What the corpus keeps of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSummary {
    pub title: Option<String>,
    /// Where the title stands (the first heading), when it is in the text.
    pub title_site: Option<Site>,
    pub lang: Option<Lang>,
    /// Every entity mention, in document order.
    pub mentions: Vec<MentionSite>,
    /// Every mention of a derived entity (by its `~` key), in document order.
    pub derived: Vec<MentionSite>,
    /// The derived entities this article introduces.
    pub introduced: Vec<IntroSite>,
    pub findings: usize,
    pub quotes: usize,
}

impl FileSummary {
    /// Summarises the analysis of `text`.
    pub fn new(text: &str, analysis: &FileAnalysis) -> FileSummary {
        let index = LineIndex::new(text);
        let title_site = analysis
            .headings
            .first()
            .map(|h| Site::new(text, &index, h.text_range.clone()));
        FileSummary {
            title: analysis.title.clone(),
            title_site,
            lang: analysis.lang,
            mentions: analysis
                .mentions
                .iter()
                .map(|m| MentionSite {
                    entity: Arc::clone(&m.entity),
                    site: Site::new(text, &index, m.range.clone()),
                })
                .collect(),
            derived: analysis
                .derived
                .iter()
                .map(|m| MentionSite {
                    entity: Arc::clone(&m.entity),
                    site: Site::new(text, &index, m.range.clone()),
                })
                .collect(),
            introduced: analysis
                .introduced
                .iter()
                .map(|i| IntroSite {
                    key: Arc::clone(&i.key),
                    name: i.name.clone(),
                    kind: i.kind,
                    description: i.description.clone(),
                    spellings: i.spellings.clone(),
                    lang: i.lang,
                    site: Site::new(text, &index, i.range.clone()),
                })
                .collect(),
            findings: analysis.findings.len(),
            quotes: analysis.quotes.len(),
        }
    }
}

/// The two layers of one file.
#[derive(Debug, Default)]
struct Entry {
    disk: Option<Arc<FileSummary>>,
    open: Option<Arc<FileSummary>>,
}

impl Entry {
    fn current(&self) -> Option<&Arc<FileSummary>> {
        self.open.as_ref().or(self.disk.as_ref())
    }
}

/// How often an entity is mentioned across the corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityStats {
    /// Articles that mention it.
    pub articles: usize,
    /// Mentions in all.
    pub mentions: usize,
    /// A few of those articles, most mentions first: path and title.
    pub top: Vec<(Arc<Path>, Option<String>)>,
}

/// The index of every article of a workspace.
#[derive(Debug, Default)]
pub struct Corpus {
    files: HashMap<Arc<Path>, Entry>,
    /// Entity id → article → number of mentions, for the layer in force. Ordered by
    /// path so that references come out in a stable order.
    by_entity: HashMap<Arc<str>, BTreeMap<Arc<Path>, u32>>,
}

impl Corpus {
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Number of articles known (on disk or open).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The summary in force for `path`: the open buffer's, else the disk's.
    pub fn get(&self, path: &Path) -> Option<&Arc<FileSummary>> {
        self.files.get(path).and_then(Entry::current)
    }

    /// Every article with its summary in force, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = (&Arc<Path>, &Arc<FileSummary>)> {
        self.files
            .iter()
            .filter_map(|(p, e)| e.current().map(|s| (p, s)))
    }

    /// Records what is on disk for `path`.
    pub fn set_disk(&mut self, path: &Path, mut summary: FileSummary) {
        self.intern(&mut summary);
        self.update(path, |e| e.disk = Some(Arc::new(summary)));
    }

    /// Forgets the disk layer of `path` (the file was deleted).
    pub fn remove_disk(&mut self, path: &Path) {
        self.update(path, |e| e.disk = None);
    }

    /// Records what an editor has open for `path`; it wins over the disk.
    pub fn set_open(&mut self, path: &Path, mut summary: FileSummary) {
        self.intern(&mut summary);
        self.update(path, |e| e.open = Some(Arc::new(summary)));
    }

    /// Makes every mention of one entity share one id allocation with the index, so
    /// that half a million mentions do not each own a copy of their entity's id.
    fn intern(&self, summary: &mut FileSummary) {
        let mut local: Vec<Arc<str>> = Vec::new();
        for m in summary
            .mentions
            .iter_mut()
            .chain(summary.derived.iter_mut())
        {
            if let Some((known, _)) = self.by_entity.get_key_value(&*m.entity) {
                m.entity = Arc::clone(known);
            } else if let Some(seen) = local.iter().find(|k| ***k == *m.entity) {
                m.entity = Arc::clone(seen);
            } else {
                local.push(Arc::clone(&m.entity));
            }
        }
    }

    /// The editor closed `path`: the disk layer is in force again.
    pub fn close(&mut self, path: &Path) {
        self.update(path, |e| e.open = None);
    }

    /// Drops every disk layer, before a full reindex (the knowledge base changed).
    /// Open buffers stay.
    pub fn clear_disk(&mut self) {
        self.retain_disk(|_| false);
    }

    /// Drops the disk layer of every file `keep` rejects (files gone from the disk).
    pub fn retain_disk(&mut self, mut keep: impl FnMut(&Path) -> bool) {
        let gone: Vec<Arc<Path>> = self
            .files
            .iter()
            .filter(|(p, e)| e.disk.is_some() && !keep(p))
            .map(|(p, _)| Arc::clone(p))
            .collect();
        for path in gone {
            self.update(&path, |e| e.disk = None);
        }
    }

    /// Applies `change` to the entry of `path`, keeping the inverted index in step
    /// with the layer in force.
    fn update(&mut self, path: &Path, change: impl FnOnce(&mut Entry)) {
        let key: Arc<Path> = match self.files.get_key_value(path) {
            Some((k, _)) => Arc::clone(k),
            None => Arc::from(path),
        };
        let entry = self.files.entry(Arc::clone(&key)).or_default();
        let before = entry.current().cloned();
        change(entry);
        let after = entry.current().cloned();
        if entry.disk.is_none() && entry.open.is_none() {
            self.files.remove(&key);
        }
        if let Some(old) = before {
            for m in old.mentions.iter().chain(&old.derived) {
                if let Some(files) = self.by_entity.get_mut(&m.entity) {
                    if let Some(n) = files.get_mut(&key) {
                        *n = n.saturating_sub(1);
                        if *n == 0 {
                            files.remove(&key);
                        }
                    }
                    if files.is_empty() {
                        self.by_entity.remove(&m.entity);
                    }
                }
            }
        }
        if let Some(new) = after {
            for m in new.mentions.iter().chain(&new.derived) {
                let files = match self.by_entity.get_mut(&m.entity) {
                    Some(files) => files,
                    None => self.by_entity.entry(Arc::clone(&m.entity)).or_default(),
                };
                *files.entry(Arc::clone(&key)).or_insert(0) += 1;
            }
        }
    }

    /// Every mention of `entity` across the corpus, file by file in path order.
    pub fn mentions_of<'a>(
        &'a self,
        entity: &'a str,
    ) -> impl Iterator<Item = (&'a Arc<Path>, &'a MentionSite)> + 'a {
        self.by_entity
            .get(entity)
            .into_iter()
            .flat_map(|files| files.keys())
            .filter_map(move |path| self.get(path).map(|s| (path, s)))
            .flat_map(move |(path, summary)| {
                summary
                    .mentions
                    .iter()
                    .chain(&summary.derived)
                    .filter(move |m| &*m.entity == entity)
                    .map(move |m| (path, m))
            })
    }

    /// Every article's introduction of the derived entity `key`, in path order.
    pub fn introductions_of<'a>(
        &'a self,
        key: &'a str,
    ) -> impl Iterator<Item = (&'a Arc<Path>, &'a IntroSite)> + 'a {
        self.by_entity
            .get(key)
            .into_iter()
            .flat_map(|files| files.keys())
            .filter_map(move |path| self.get(path).map(|s| (path, s)))
            .flat_map(move |(path, summary)| {
                summary
                    .introduced
                    .iter()
                    .filter(move |i| &*i.key == key)
                    .map(move |i| (path, i))
            })
    }

    /// The keys of every derived entity mentioned in the corpus, in no particular order.
    pub fn derived_keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.by_entity
            .keys()
            .filter(|k| k.starts_with(crate::analysis::people::KEY_PREFIX))
    }

    /// How many articles and mentions `entity` has, with up to `top` article titles.
    pub fn entity_stats(&self, entity: &str, top: usize) -> EntityStats {
        let Some(files) = self.by_entity.get(entity) else {
            return EntityStats::default();
        };
        let mut ranked: Vec<(&Arc<Path>, u32)> = files.iter().map(|(p, n)| (p, *n)).collect();
        // Most mentions first; the path breaks ties so the card is stable.
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        EntityStats {
            articles: files.len(),
            mentions: files.values().map(|&n| n as usize).sum(),
            top: ranked
                .into_iter()
                .take(top)
                .map(|(p, _)| (Arc::clone(p), self.get(p).and_then(|s| s.title.clone())))
                .collect(),
        }
    }
}

/// Which files of a folder are articles: Markdown files matching the configuration's
/// `include` globs (every `.md` and `.markdown` file when there are none) and none of
/// its `exclude` globs, both relative to the configuration's folder.
#[derive(Debug, Clone)]
pub struct FileFilter {
    base: PathBuf,
    include: Option<Globs>,
    exclude: Globs,
}

impl FileFilter {
    /// Builds the filter; `base` is the folder the globs are relative to. A bad glob
    /// is reported, and the list it stands in is then ignored rather than failing the
    /// whole scan: the configuration error is shown to the user either way.
    pub fn new(config: &Config, base: &Path) -> (FileFilter, Vec<String>) {
        let mut errors = Vec::new();
        let mut build = |globs: &[String]| {
            Globs::new(globs).unwrap_or_else(|(pattern, message)| {
                errors.push(format!("invalid glob `{pattern}`: {message}"));
                Globs::default()
            })
        };
        let include = (!config.include.is_empty()).then(|| build(&config.include));
        let exclude = build(&config.exclude);
        (
            FileFilter {
                base: base.to_path_buf(),
                include,
                exclude,
            },
            errors,
        )
    }

    /// Whether the configuration rules `path` out by its globs (an `exclude` match,
    /// or no `include` match when there are `include` globs). Unlike [`matches`],
    /// the extension does not count: an editor decides what is Markdown.
    ///
    /// [`matches`]: FileFilter::matches
    pub fn excludes(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        self.exclude.matches(rel) || self.include.as_ref().is_some_and(|i| !i.matches(rel))
    }

    /// Whether `path` is an article.
    pub fn matches(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.base).unwrap_or(path);
        if self.exclude.matches(rel) {
            return false;
        }
        match &self.include {
            Some(include) => include.matches(rel),
            None => is_markdown(path),
        }
    }
}

/// Whether `path` has a Markdown extension.
pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Every article under `root`, sorted, respecting `.gitignore` (even outside a Git
/// repository, since a newsroom folder often is not one) and `filter`. Symbolic links
/// are followed, as `copydesk check` follows them (the walker skips loops).
pub fn discover(root: &Path, filter: &FileFilter) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(true)
        .build();
    let mut files: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| filter.matches(p))
        .collect();
    files.sort();
    files
}

/// Reads and analyses one article. A file that is not UTF-8 is read lossily; one that
/// is not a regular file or is larger than `check`'s default size limit is refused.
pub fn summarize_file(engine: &Engine, path: &Path) -> Result<FileSummary, String> {
    let bytes = crate::files::read_regular(path, crate::files::DEFAULT_MAX_FILE_SIZE)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    // One article that trips a bug must not stop the indexing of the others.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        FileSummary::new(&text, &engine.analyze(&text))
    }))
    .map_err(|_| format!("{}: the analysis panicked", path.display()))
}

/// Summarises `paths` in parallel (on rayon's pool). Each result is paired with its
/// path; failures are returned as messages.
pub fn summarize_files(
    engine: &Engine,
    paths: &[PathBuf],
) -> Vec<(PathBuf, Result<FileSummary, String>)> {
    paths
        .par_iter()
        .map(|p| (p.clone(), summarize_file(engine, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(entity: &str, start: usize) -> MentionSite {
        MentionSite {
            entity: Arc::from(entity),
            site: Site {
                start: SitePos {
                    line: 0,
                    utf16: start as u32,
                    utf8: start as u32,
                },
                ..Site::default()
            },
        }
    }

    fn summary(title: &str, mentions: Vec<MentionSite>) -> FileSummary {
        FileSummary {
            title: Some(title.to_string()),
            mentions,
            ..FileSummary::default()
        }
    }

    #[test]
    fn open_buffers_take_precedence_over_disk() {
        let mut c = Corpus::new();
        let a = Path::new("/w/a.md");
        c.set_disk(a, summary("disk", vec![mention("csto", 0)]));
        assert_eq!(c.mentions_of("csto").count(), 1);
        c.set_open(
            a,
            summary("open", vec![mention("nato", 0), mention("nato", 9)]),
        );
        assert_eq!(c.mentions_of("csto").count(), 0);
        assert_eq!(c.mentions_of("nato").count(), 2);
        assert_eq!(c.get(a).and_then(|s| s.title.as_deref()), Some("open"));
        // The disk changes underneath: the open buffer still wins.
        c.set_disk(a, summary("disk 2", vec![mention("csto", 0)]));
        assert_eq!(c.mentions_of("nato").count(), 2);
        c.close(a);
        assert_eq!(c.mentions_of("nato").count(), 0);
        assert_eq!(c.mentions_of("csto").count(), 1);
        // Mentions of one entity share their id with the index.
        c.set_disk(Path::new("/w/b.md"), summary("B", vec![mention("csto", 3)]));
        let ids: Vec<&Arc<str>> = c.mentions_of("csto").map(|(_, m)| &m.entity).collect();
        assert!(Arc::ptr_eq(ids[0], ids[1]));
        c.remove_disk(Path::new("/w/b.md"));
        c.remove_disk(a);
        assert!(c.is_empty());
        assert_eq!(c.mentions_of("csto").count(), 0);
        assert!(c.by_entity.is_empty());
    }

    #[test]
    fn stats_rank_articles_by_mentions() {
        let mut c = Corpus::new();
        c.set_disk(Path::new("/w/a.md"), summary("A", vec![mention("csto", 0)]));
        c.set_disk(
            Path::new("/w/b.md"),
            summary("B", vec![mention("csto", 0), mention("csto", 8)]),
        );
        c.set_disk(Path::new("/w/c.md"), summary("C", vec![mention("nato", 0)]));
        let s = c.entity_stats("csto", 1);
        assert_eq!((s.articles, s.mentions), (2, 3));
        assert_eq!(s.top.len(), 1);
        assert_eq!(s.top[0].1.as_deref(), Some("B"));
        assert_eq!(c.entity_stats("unknown", 3), EntityStats::default());
        // References come out in path order.
        let paths: Vec<_> = c
            .mentions_of("csto")
            .map(|(p, _)| p.to_path_buf())
            .collect();
        assert_eq!(
            paths,
            vec![
                PathBuf::from("/w/a.md"),
                PathBuf::from("/w/b.md"),
                PathBuf::from("/w/b.md")
            ]
        );
    }

    #[test]
    fn clear_disk_keeps_open_buffers() {
        let mut c = Corpus::new();
        c.set_disk(Path::new("/w/a.md"), summary("A", vec![mention("csto", 0)]));
        c.set_open(Path::new("/w/b.md"), summary("B", vec![mention("csto", 0)]));
        c.clear_disk();
        assert_eq!(c.len(), 1);
        assert_eq!(c.mentions_of("csto").count(), 1);
    }

    #[test]
    fn sites_carry_both_units() {
        let text = "x\n😀 OTSC";
        let index = LineIndex::new(text);
        let site = Site::new(text, &index, 7..11);
        assert_eq!(
            site.start,
            SitePos {
                line: 1,
                utf16: 3,
                utf8: 5
            }
        );
        assert_eq!(
            site.end,
            SitePos {
                line: 1,
                utf16: 7,
                utf8: 9
            }
        );
    }

    #[test]
    fn filter_applies_globs_relative_to_base() {
        let config = Config {
            exclude: vec!["archive/**".into()],
            ..Config::default()
        };
        let (f, errors) = FileFilter::new(&config, Path::new("/w"));
        assert!(errors.is_empty());
        assert!(f.matches(Path::new("/w/drafts/a.md")));
        assert!(f.matches(Path::new("/w/drafts/a.MARKDOWN")));
        assert!(!f.matches(Path::new("/w/drafts/a.txt")));
        assert!(!f.matches(Path::new("/w/archive/old.md")));
        assert!(f.excludes(Path::new("/w/archive/old.md")));
        assert!(!f.excludes(Path::new("/w/drafts/a.txt")));
        let config = Config {
            include: vec!["drafts/*.txt".into()],
            exclude: vec!["wip".into()],
            ..Config::default()
        };
        let (f, errors) = FileFilter::new(&config, Path::new("/w"));
        assert!(errors.is_empty());
        assert!(f.matches(Path::new("/w/drafts/a.txt")));
        assert!(!f.matches(Path::new("/w/drafts/a.md")));
        // A pattern without `/` matches a folder name at any depth.
        assert!(!f.matches(Path::new("/w/drafts/wip/a.txt")));
        let config = Config {
            include: vec!["[".into()],
            ..Config::default()
        };
        let (_, errors) = FileFilter::new(&config, Path::new("/w"));
        assert_eq!(errors.len(), 1);
    }
}
