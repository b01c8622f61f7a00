//! The `LanguageServer` implementation: protocol plumbing around the pure features.
//!
//! Each request handler does three things: take an analysed [`Snapshot`] of the
//! document (from the cache, or analysed now off the runtime), call the feature's pure
//! `find` inside `Backend::feature` (which catches panics), and send the result.
//!
//! Concurrency, since `tower-lsp-server` runs handlers concurrently and they may
//! interleave at every `.await`:
//! - `did_change` applies its edits before its first `.await`, so edits are applied
//!   in the order they arrive;
//! - no `dashmap` guard or lock is held across an `.await` (guards live in blocks
//!   that end before one);
//! - the analysis runs in `spawn_blocking` on an immutable snapshot of one revision
//!   (every text received gets a new one, see [`crate::lsp::documents`]), and a
//!   result is cached and published only if its revision is still the document's:
//!   the last text received wins, whatever version number the editor gave it;
//! - diagnostics wait for a pause in typing (`lsp.debounce_ms`): each change starts a
//!   timer, and only the timer of the latest revision goes on to publish.
//!
//! A document larger than `check`'s size limit (10 MiB) is kept and edited but not
//! analysed: its diagnostics are one warning that says so.
//!
//! The corpus is indexed in the background after `initialized`, in chunks analysed
//! in parallel by rayon, reporting `$/progress`; requests answer from whatever is
//! indexed so far.
//!
//! With several workspace folders, every folder is indexed but the configuration
//! and workspace knowledge base are those of the first one: one newsroom, one
//! house style. A document that is not open (a reference target, or a request on a
//! file the editor has not opened) is read from disk and analysed on demand.

use crate::corpus::{self, Corpus, FileSummary};
use crate::files::{DEFAULT_MAX_FILE_SIZE, ReadError, read_regular};
use crate::lsp::code_action::{self, KnowledgeFile};
use crate::lsp::context::{Ctx, Snapshot, UriResolver};
use crate::lsp::convert::Encoding;
use crate::lsp::documents::{Document, path_to_uri, uri_to_path};
use crate::lsp::transport;
use crate::lsp::workspace::Workspace;
use crate::lsp::{code_lens, definition, diagnostics, hover, references, symbols};
use dashmap::DashMap;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// Articles analysed per background batch: small enough for regular progress reports
/// and for requests to see the index grow, large enough to keep every core busy.
const INDEX_CHUNK: usize = 256;

/// The environment variable that makes a named feature panic, to test that a panic is
/// caught and reported (`hover`, `analysis`, …). Never set outside tests.
pub const PANIC_ENV: &str = "COPYDESK_LSP_TEST_PANIC";

/// What the client said it can do, and the editor's settings.
#[derive(Debug, Default, Clone)]
struct Settings {
    roots: Vec<PathBuf>,
    /// The settings in force: the latest non-empty `didChangeConfiguration` settings,
    /// else the `initializationOptions`.
    overrides: Value,
    /// The `initializationOptions`, kept when a client sends empty settings.
    init_options: Value,
    work_done_progress: bool,
    watch_files: bool,
    pull_diagnostics: bool,
    code_lens_refresh: bool,
    diagnostic_refresh: bool,
    /// Problems found while loading during `initialize`, logged at `initialized`
    /// (the client does not accept log messages before).
    startup_problems: Vec<String>,
}

/// The server's state, shared by every handler.
struct State {
    docs: DashMap<Uri, Document>,
    snapshots: DashMap<Uri, Snapshot>,
    /// The newest revision whose diagnostics were published, per document.
    published: DashMap<Uri, u64>,
    /// Path → the URI the editor opened it with.
    open_paths: DashMap<PathBuf, Uri>,
    corpus: RwLock<Corpus>,
    workspace: RwLock<Arc<Workspace>>,
    settings: Mutex<Settings>,
    encoding: OnceLock<Encoding>,
    generation: AtomicU64,
    /// Increases with every indexing run; a run stops when it is no longer the latest.
    index_run: AtomicU64,
    shutdown: AtomicBool,
    panic_on: Option<String>,
}

/// The language server.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// Resolves corpus paths to the URIs the editor uses.
struct OpenUris<'a>(&'a DashMap<PathBuf, Uri>);

impl UriResolver for OpenUris<'_> {
    fn uri(&self, path: &Path) -> Option<Uri> {
        match self.0.get(path) {
            Some(uri) => Some(uri.clone()),
            None => path_to_uri(path),
        }
    }
}

/// A handle on the state that outlives the service, to read how the session ended.
#[derive(Clone)]
pub struct ExitStatus(Arc<State>);

impl ExitStatus {
    /// 0 when `shutdown` came before the end, 1 otherwise, as LSP asks.
    pub fn code(&self) -> i32 {
        if self.0.shutdown.load(Ordering::SeqCst) {
            0
        } else {
            1
        }
    }
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(State {
                docs: DashMap::new(),
                snapshots: DashMap::new(),
                published: DashMap::new(),
                open_paths: DashMap::new(),
                corpus: RwLock::new(Corpus::new()),
                workspace: RwLock::new(Arc::new(Workspace::empty())),
                settings: Mutex::new(Settings::default()),
                encoding: OnceLock::new(),
                generation: AtomicU64::new(0),
                index_run: AtomicU64::new(0),
                shutdown: AtomicBool::new(false),
                panic_on: std::env::var(PANIC_ENV).ok().filter(|s| !s.is_empty()),
            }),
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        ExitStatus(Arc::clone(&self.state))
    }

    fn workspace(&self) -> Arc<Workspace> {
        Arc::clone(
            &self
                .state
                .workspace
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn settings(&self) -> Settings {
        self.state
            .settings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        f(&mut self
            .state
            .settings
            .lock()
            .unwrap_or_else(PoisonError::into_inner));
    }

    fn encoding(&self) -> Encoding {
        self.state.encoding.get().copied().unwrap_or_default()
    }

    fn with_corpus<T>(&self, f: impl FnOnce(&mut Corpus) -> T) -> T {
        f(&mut self
            .state
            .corpus
            .write()
            .unwrap_or_else(PoisonError::into_inner))
    }

    fn current_revision(&self, uri: &Uri) -> Option<u64> {
        self.state.docs.get(uri).map(|d| d.revision)
    }

    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        self.client.log_message(typ, message).await;
    }

    /// The panic to simulate for `what`, in tests.
    fn test_panic(&self, what: &str) {
        if self.state.panic_on.as_deref() == Some(what) {
            panic!("{PANIC_ENV} asked {what} to panic");
        }
    }

    /// Analyses `text` off the async runtime, catching a panic of the analysis.
    async fn analyze(
        &self,
        ws: &Workspace,
        text: Arc<str>,
        uri: &Uri,
    ) -> Option<crate::analysis::FileAnalysis> {
        if text.len() as u64 > DEFAULT_MAX_FILE_SIZE {
            return Some(not_analysed(text.len()));
        }
        let engine = Arc::clone(&ws.engine);
        let this = self.clone();
        let result = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| {
                this.test_panic("analysis");
                engine.analyze(&text)
            }))
        })
        .await;
        match result {
            Ok(Ok(analysis)) => Some(analysis),
            Ok(Err(panic)) => {
                let msg = panic_message(&panic);
                drop(panic);
                self.log(
                    MessageType::ERROR,
                    format!("copydesk: the analysis of {} panicked: {msg}", uri.as_str()),
                )
                .await;
                None
            }
            Err(e) => {
                self.log(
                    MessageType::ERROR,
                    format!("copydesk: the analysis of {} failed: {e}", uri.as_str()),
                )
                .await;
                None
            }
        }
    }

    /// The analysed snapshot of `uri`: the open document's current version (cached or
    /// analysed now), or the file on disk for a document that is not open.
    async fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let ws = self.workspace();
        let open = self
            .state
            .docs
            .get(uri)
            .map(|d| (d.version, d.revision, d.text(), d.path.clone()));
        let (version, revision, text, path) = match open {
            Some((version, revision, text, path)) => (Some(version), Some(revision), text, path),
            None => {
                // A URI may name anything: only a regular file within the size limit
                // of `check` is read (not `/dev/zero`, a pipe or our own standard
                // input).
                let path = uri_to_path(uri)?;
                let read = path.clone();
                let bytes = match tokio::task::spawn_blocking(move || {
                    read_regular(&read, DEFAULT_MAX_FILE_SIZE)
                })
                .await
                {
                    Ok(Ok(bytes)) => bytes,
                    Ok(Err(ReadError::Io(_))) | Err(_) => return None,
                    Ok(Err(e)) => {
                        self.log(
                            MessageType::WARNING,
                            format!("copydesk: not read: {}: {e}", uri.as_str()),
                        )
                        .await;
                        return None;
                    }
                };
                let text: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes));
                (None, None, text, Some(path))
            }
        };
        if let Some(r) = revision {
            let cached = self
                .state
                .snapshots
                .get(uri)
                .filter(|s| s.revision == Some(r) && s.generation == ws.generation)
                .map(|s| s.clone());
            if cached.is_some() {
                return cached;
            }
        }
        let mut analysis = self.analyze(&ws, Arc::clone(&text), uri).await?;
        ws.apply_baseline(path.as_deref(), &text, &mut analysis);
        let mut snap = Snapshot::new(uri.clone(), path, version, ws.generation, text, analysis);
        snap.revision = revision;
        if revision.is_some() {
            self.store(&snap);
        }
        Some(snap)
    }

    /// Caches a snapshot of an open document and puts its summary in the corpus,
    /// unless the document moved on meanwhile.
    fn store(&self, snap: &Snapshot) {
        if self.current_revision(&snap.uri) != snap.revision {
            return;
        }
        self.state.snapshots.insert(snap.uri.clone(), snap.clone());
        if let Some(path) = &snap.path {
            let summary = FileSummary::new(&snap.text, &snap.analysis);
            self.with_corpus(|c| c.set_open(path, summary));
        }
    }

    /// Runs a pure feature on the snapshot of `uri`, catching a panic: it is logged and
    /// answered with an internal error, and the server goes on.
    async fn feature<T>(
        &self,
        name: &'static str,
        uri: &Uri,
        f: impl FnOnce(&Ctx<'_>) -> T,
    ) -> jsonrpc::Result<Option<T>> {
        let Some(snap) = self.snapshot(uri).await else {
            self.log(
                MessageType::WARNING,
                format!("copydesk: {name}: unknown document {}", uri.as_str()),
            )
            .await;
            return Ok(None);
        };
        let ws = self.workspace();
        let result = {
            let corpus = self
                .state
                .corpus
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            let uris = OpenUris(&self.state.open_paths);
            let ctx = Ctx {
                snap: &snap,
                ws: &ws,
                corpus: &corpus,
                encoding: self.encoding(),
                uris: &uris,
            };
            catch_unwind(AssertUnwindSafe(|| {
                self.test_panic(name);
                f(&ctx)
            }))
        };
        match result {
            Ok(value) => Ok(Some(value)),
            Err(panic) => {
                let msg = panic_message(&panic);
                drop(panic);
                Err(self.panicked(name, msg).await)
            }
        }
    }

    async fn panicked(&self, name: &str, msg: String) -> jsonrpc::Error {
        self.log(
            MessageType::ERROR,
            format!("copydesk: {name} panicked: {msg}"),
        )
        .await;
        jsonrpc::Error {
            code: ErrorCode::InternalError,
            message: Cow::Owned(format!("copydesk: {name} failed: {msg}")),
            data: None,
        }
    }

    /// Publishes the diagnostics of `revision` after `delay`, unless a newer text
    /// arrives meanwhile (the debounce) or is already published. They are published
    /// under the editor's version of that text.
    fn schedule_diagnostics(&self, uri: Uri, revision: u64, delay: Duration) {
        let this = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if this.current_revision(&uri) != Some(revision) {
                return;
            }
            let Some(snap) = this.snapshot(&uri).await else {
                return;
            };
            if snap.revision != Some(revision) || this.settings().pull_diagnostics {
                return;
            }
            let diagnostics = match catch_unwind(AssertUnwindSafe(|| {
                this.test_panic("diagnostics");
                this.diagnostics_of(&snap)
            })) {
                Ok(d) => d,
                Err(panic) => {
                    let msg = panic_message(&panic);
                    drop(panic);
                    this.panicked("diagnostics", msg).await;
                    return;
                }
            };
            // Claim the publication atomically: an older text never overwrites a
            // newer one, whatever order the tasks finish in.
            let newest = {
                let mut last = this.state.published.entry(uri.clone()).or_insert(0);
                if *last > revision || this.current_revision(&uri) != Some(revision) {
                    false
                } else {
                    *last = revision;
                    true
                }
            };
            if newest {
                this.client
                    .publish_diagnostics(uri, diagnostics, snap.version)
                    .await;
            }
        });
    }

    /// The diagnostics of a snapshot; none for a file the configuration excludes, as
    /// `copydesk check --force-exclude` (what editors run) would report none, nor for
    /// an open document that is not Markdown (a knowledge-base file being edited).
    fn diagnostics_of(&self, snap: &Snapshot) -> Vec<Diagnostic> {
        let ws = self.workspace();
        let excluded = snap
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with(&ws.base) && ws.filter.excludes(p));
        let article = self.state.docs.get(&snap.uri).is_none_or(|d| d.markdown);
        if excluded || !article {
            Vec::new()
        } else {
            diagnostics::find(snap, self.encoding())
        }
    }

    /// Reloads the configuration and the knowledge base, then re-analyses the open
    /// documents and reindexes the corpus.
    async fn reload(&self, why: &str) {
        let generation = self.state.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let settings = self.settings();
        let root = settings.roots.first().cloned();
        let overrides = settings.overrides.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            Workspace::load(root.as_deref(), &overrides, generation)
        })
        .await;
        let (ws, problems) = match loaded {
            Ok(loaded) => loaded,
            Err(e) => {
                self.log(MessageType::ERROR, format!("copydesk: reload failed: {e}"))
                    .await;
                return;
            }
        };
        {
            let mut current = self
                .state
                .workspace
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            // Two reloads may finish out of order: keep the newest.
            if current.generation < ws.generation {
                *current = Arc::new(ws);
            }
        }
        self.log(MessageType::INFO, format!("copydesk: reloaded ({why})"))
            .await;
        for p in problems {
            self.log(MessageType::WARNING, format!("copydesk: {p}"))
                .await;
        }
        let open: Vec<(Uri, u64)> = self
            .state
            .docs
            .iter()
            .map(|d| (d.key().clone(), d.revision))
            .collect();
        for (uri, revision) in open {
            self.schedule_diagnostics(uri, revision, Duration::ZERO);
        }
        if settings.pull_diagnostics && settings.diagnostic_refresh {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
        if settings.code_lens_refresh {
            let _ = self.client.code_lens_refresh().await;
        }
        self.spawn_indexing();
    }

    fn spawn_indexing(&self) {
        let this = self.clone();
        tokio::spawn(async move { this.index_workspace().await });
    }

    /// Indexes every article of the workspace folders in the background.
    async fn index_workspace(&self) {
        let run = self.state.index_run.fetch_add(1, Ordering::SeqCst) + 1;
        let ws = self.workspace();
        let settings = self.settings();
        let started = Instant::now();
        let progress = if settings.work_done_progress {
            let token = NumberOrString::String(format!("copydesk/index/{run}"));
            match self.client.create_work_done_progress(token.clone()).await {
                Ok(()) => Some(
                    self.client
                        .progress(token, "copydesk: indexing articles")
                        .with_percentage(0)
                        .begin()
                        .await,
                ),
                Err(_) => None,
            }
        } else {
            None
        };

        let roots = settings.roots.clone();
        let filter = ws.filter.clone();
        let files = tokio::task::spawn_blocking(move || {
            let mut files: Vec<PathBuf> = roots
                .iter()
                .flat_map(|root| corpus::discover(root, &filter))
                .collect();
            files.sort();
            files.dedup();
            files
        })
        .await
        .unwrap_or_default();

        // Files gone since the last run leave the index (a file created since the
        // scan, and already indexed from a watcher event, stays).
        let present: HashSet<&Path> = files.iter().map(PathBuf::as_path).collect();
        self.with_corpus(|c| c.retain_disk(|p| present.contains(p) || p.is_file()));

        let total = files.len();
        let mut done = 0usize;
        let mut failures = Vec::new();
        for chunk in files.chunks(INDEX_CHUNK) {
            if self.state.index_run.load(Ordering::SeqCst) != run {
                if let Some(p) = progress {
                    p.finish_with_message("superseded by a newer indexing")
                        .await;
                }
                return;
            }
            let engine = Arc::clone(&ws.engine);
            let paths = chunk.to_vec();
            let results =
                tokio::task::spawn_blocking(move || corpus::summarize_files(&engine, &paths))
                    .await
                    .unwrap_or_default();
            self.with_corpus(|c| {
                for (path, result) in results {
                    match result {
                        Ok(summary) => c.set_disk(&path, summary),
                        Err(e) => failures.push(e),
                    }
                }
            });
            done += chunk.len();
            if let Some(p) = &progress {
                let percent = (done * 100 / total.max(1)) as u32;
                p.report_with_message(format!("{done}/{total}"), percent)
                    .await;
            }
        }
        let message = format!(
            "indexed {total} article{} in {:.2} s",
            if total == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64()
        );
        if let Some(p) = progress {
            p.finish_with_message(message.clone()).await;
        }
        self.log(MessageType::INFO, format!("copydesk: {message}"))
            .await;
        for f in failures.iter().take(20) {
            self.log(MessageType::WARNING, format!("copydesk: not indexed: {f}"))
                .await;
        }
        if failures.len() > 20 {
            self.log(
                MessageType::WARNING,
                format!("copydesk: {} more files not indexed", failures.len() - 20),
            )
            .await;
        }
    }

    /// Re-reads one article from disk into the index (or drops it if it is gone).
    async fn refresh_from_disk(&self, path: PathBuf) {
        let ws = self.workspace();
        if !ws.filter.matches(&path) {
            return;
        }
        let engine = Arc::clone(&ws.engine);
        let read = path.clone();
        let result = tokio::task::spawn_blocking(move || {
            read.is_file()
                .then(|| corpus::summarize_file(&engine, &read))
        })
        .await;
        match result {
            Ok(Some(Ok(summary))) => self.with_corpus(|c| c.set_disk(&path, summary)),
            Ok(None) => self.with_corpus(|c| c.remove_disk(&path)),
            Ok(Some(Err(e))) => {
                self.log(MessageType::WARNING, format!("copydesk: not indexed: {e}"))
                    .await;
            }
            Err(e) => {
                self.log(MessageType::WARNING, format!("copydesk: not indexed: {e}"))
                    .await;
            }
        }
    }

    /// Asks the client to tell us about changes to articles and settings files.
    async fn register_watchers(&self) {
        let mut globs: Vec<String> = ["**/*.md", "**/*.markdown", "**/copydesk.toml", "**/*.toml"]
            .into_iter()
            .map(str::to_string)
            .collect();
        // The baseline, so that a pruned or updated one applies at once.
        globs.push(format!("**/{}", crate::baseline::DEFAULT_FILE_NAME));
        if let Some(name) = self
            .workspace()
            .baseline_path()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        {
            globs.push(format!("**/{name}"));
        }
        globs.dedup();
        let watchers = globs
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let Ok(options) = serde_json::to_value(options) else {
            return;
        };
        let registration = Registration {
            id: "copydesk/watched-files".to_string(),
            method: "workspace/didChangeWatchedFiles".to_string(),
            register_options: Some(options),
        };
        if let Err(e) = self.client.register_capability(vec![registration]).await {
            self.log(
                MessageType::WARNING,
                format!("copydesk: cannot watch files: {e}"),
            )
            .await;
        }
    }

    /// The workspace knowledge file for "add to knowledge base", with its current
    /// text (the open buffer's, else the disk's).
    async fn knowledge_file(&self, ws: &Workspace) -> Option<KnowledgeFile> {
        let (path, exists) = ws.knowledge_target()?;
        let open_uri = self.state.open_paths.get(&path).map(|u| u.clone());
        let uri = open_uri.clone().or_else(|| path_to_uri(&path))?;
        let open_text = open_uri
            .as_ref()
            .and_then(|u| self.state.docs.get(u).map(|d| d.text().to_string()));
        let text = match open_text {
            Some(t) => Some(t),
            None if exists => {
                let read = path.clone();
                let bytes =
                    tokio::task::spawn_blocking(move || read_regular(&read, DEFAULT_MAX_FILE_SIZE))
                        .await
                        .ok()?
                        .ok()?;
                String::from_utf8(bytes).ok()
            }
            None => None,
        };
        Some(KnowledgeFile { uri, path, text })
    }

    /// Answers a frame the transport could not pass on (see [`transport`]).
    pub async fn invalid_message(&self, params: Value) -> jsonrpc::Result<()> {
        let message = params
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("invalid message")
            .to_string();
        let kind = params
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("parse");
        self.log(
            MessageType::ERROR,
            format!("copydesk: ignored a message from the editor: {message}"),
        )
        .await;
        Err(jsonrpc::Error {
            code: ErrorCode::from(transport::problem_of(kind).code()),
            message: Cow::Owned(message),
            data: None,
        })
    }
}

impl Backend {
    /// Logs a frame the transport dropped without an answer (see [`transport`]): a
    /// malformed response from the client must not draw a response.
    pub async fn ignored_message(&self, params: Value) {
        let message = params
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("invalid message")
            .to_string();
        self.log(
            MessageType::WARNING,
            format!("copydesk: ignored a message from the editor: {message}"),
        )
        .await;
    }
}

/// The analysis of a document larger than `check`'s size limit: none, and one problem
/// that says so (shown as a warning at the top of the document). `copydesk check`
/// skips such a file, and the editor must not disagree with it; nor must one huge
/// paste keep the server busy for seconds at every keystroke.
fn not_analysed(len: usize) -> crate::analysis::FileAnalysis {
    let message = format!(
        "copydesk: this document is {}, larger than the {} that copydesk analyses \
         (the default limit of `copydesk check`): it is not analysed",
        crate::files::human_size(len as u64),
        crate::files::human_size(DEFAULT_MAX_FILE_SIZE)
    );
    crate::analysis::FileAnalysis {
        problems: vec![(0..0, message)],
        ..crate::analysis::FileAnalysis::default()
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The editor settings for copydesk: the object under a `copydesk` key when there is
/// one (VS Code sends every extension's section), else the whole value.
fn copydesk_settings(value: Value) -> Value {
    match value {
        Value::Object(mut map) if map.contains_key("copydesk") => {
            copydesk_settings(map.remove("copydesk").unwrap_or(Value::Null))
        }
        // Lua clients send an empty table as `[]`: it means "no settings".
        Value::Array(a) if a.is_empty() => Value::Object(serde_json::Map::new()),
        other => other,
    }
}

/// The settings in force after a `didChangeConfiguration`: clients send their whole
/// settings each time, so new settings replace the old ones; but empty settings (eglot
/// sends `{}` right after starting) keep the initialization options.
fn settings_after_change(init_options: &Value, changed: Value) -> Value {
    let empty = match &changed {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if empty { init_options.clone() } else { changed }
}

/// The workspace folders of an `initialize` request, as local paths.
#[allow(deprecated)]
fn roots_of(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| uri_to_path(&f.uri))
        .collect();
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(uri_to_path));
    }
    if roots.is_empty() {
        roots.extend(params.root_path.as_ref().map(PathBuf::from));
    }
    roots
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> jsonrpc::Result<InitializeResult> {
        let caps = &params.capabilities;
        let encoding = Encoding::negotiate(caps);
        let _ = self.state.encoding.set(encoding);
        let workspace = caps.workspace.as_ref();
        let text_document = caps.text_document.as_ref();
        // Pull diagnostics only when the client can also be asked to pull again: without
        // refresh support (Neovim 0.11) diagnostics would go stale after a reload.
        let refresh = workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let pull = refresh && text_document.is_some_and(|t| t.diagnostic.is_some());
        let init_options =
            copydesk_settings(params.initialization_options.clone().unwrap_or(Value::Null));
        let settings = Settings {
            roots: roots_of(&params),
            overrides: init_options.clone(),
            init_options,
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            pull_diagnostics: pull,
            code_lens_refresh: workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            startup_problems: Vec::new(),
        };
        let generation = self.state.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let root = settings.roots.first().cloned();
        let overrides = settings.overrides.clone();
        let (ws, problems) = tokio::task::spawn_blocking(move || {
            Workspace::load(root.as_deref(), &overrides, generation)
        })
        .await
        .map_err(|e| jsonrpc::Error {
            code: ErrorCode::InternalError,
            message: Cow::Owned(format!("copydesk: cannot load the workspace: {e}")),
            data: None,
        })?;
        *self
            .state
            .workspace
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(ws);
        self.update_settings(|s| {
            *s = Settings {
                startup_problems: problems,
                ..settings
            }
        });

        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR,
                        ]),
                        resolve_provider: Some(false),
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![crate::lsp::sources::COMMAND.to_string()],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("copydesk".to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    })
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "copydesk".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let settings = self.settings();
        for p in &settings.startup_problems {
            self.log(MessageType::WARNING, format!("copydesk: {p}"))
                .await;
        }
        if settings.watch_files {
            self.register_watchers().await;
        }
        self.spawn_indexing();
    }

    async fn shutdown(&self) -> jsonrpc::Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        // Stop background indexing at its next batch.
        self.state.index_run.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let doc = Document::new(item.uri.clone(), item.version, &item.text)
            .with_language(&item.language_id);
        if let Some(path) = &doc.path {
            self.state.open_paths.insert(path.clone(), item.uri.clone());
        }
        // A second `didOpen` without `didClose` replaces the text: it is the newest.
        let revision = doc.revision;
        self.state.docs.insert(item.uri.clone(), doc);
        self.schedule_diagnostics(item.uri, revision, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // The edits are applied here, before the first `.await`, so that changes are
        // applied in the order the editor sent them.
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = match self.state.docs.get_mut(&uri) {
            Some(mut doc) => {
                doc.apply_changes(version, params.content_changes, self.encoding());
                Some(doc.revision)
            }
            None => None,
        };
        let Some(revision) = applied else {
            self.log(
                MessageType::WARNING,
                format!(
                    "copydesk: change to a document that is not open: {}",
                    uri.as_str()
                ),
            )
            .await;
            return;
        };
        let delay = Duration::from_millis(self.workspace().config().lsp.debounce_ms);
        self.schedule_diagnostics(uri, revision, delay);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        if self.workspace().is_settings_file(&path) {
            self.reload("a settings file was saved").await;
        } else {
            self.refresh_from_disk(path).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let removed = self.state.docs.remove(&uri);
        self.state.snapshots.remove(&uri);
        self.state.published.remove(&uri);
        let path = removed.and_then(|(_, d)| d.path);
        if let Some(path) = &path {
            self.state.open_paths.remove(path);
            self.with_corpus(|c| c.close(path));
        }
        if !self.settings().pull_diagnostics {
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        // The disk may differ from the last indexed version (a file created in the
        // editor): index what is there now.
        if let Some(path) = path {
            self.refresh_from_disk(path).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let changed = copydesk_settings(params.settings);
        self.update_settings(|s| s.overrides = settings_after_change(&s.init_options, changed));
        self.reload("the editor settings changed").await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let removed: Vec<PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        let added: Vec<PathBuf> = params
            .event
            .added
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        self.update_settings(|s| {
            s.roots.retain(|r| !removed.contains(r));
            for a in added {
                if !s.roots.contains(&a) {
                    s.roots.push(a);
                }
            }
        });
        self.reload("the workspace folders changed").await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let ws = self.workspace();
        let mut reload = false;
        for change in params.changes {
            let Some(path) = uri_to_path(&change.uri) else {
                continue;
            };
            if ws.is_settings_file(&path) {
                reload = true;
            } else if change.typ == FileChangeType::DELETED {
                self.with_corpus(|c| c.remove_disk(&path));
                // A deleted file's diagnostics go, even if the editor keeps its buffer.
                let open = self.state.open_paths.get(&path).map(|u| u.clone());
                if let Some(uri) = open {
                    self.client.publish_diagnostics(uri, Vec::new(), None).await;
                }
            } else {
                self.refresh_from_disk(path).await;
            }
        }
        if reload {
            self.reload("a settings file changed").await;
        }
    }

    async fn hover(&self, params: HoverParams) -> jsonrpc::Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let pos = p.position;
        Ok(self
            .feature("hover", &p.text_document.uri, |ctx| hover::find(ctx, pos))
            .await?
            .flatten())
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> jsonrpc::Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let pos = p.position;
        Ok(self
            .feature("definition", &p.text_document.uri, |ctx| {
                definition::find(ctx, pos)
            })
            .await?
            .flatten())
    }

    async fn references(&self, params: ReferenceParams) -> jsonrpc::Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let pos = p.position;
        let include = params.context.include_declaration;
        Ok(self
            .feature("references", &p.text_document.uri, |ctx| {
                references::find(ctx, pos, include)
            })
            .await?
            .flatten())
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> jsonrpc::Result<Option<DocumentSymbolResponse>> {
        self.feature("documentSymbol", &params.text_document.uri, |ctx| {
            DocumentSymbolResponse::Nested(symbols::document(ctx))
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> jsonrpc::Result<Option<WorkspaceSymbolResponse>> {
        let ws = self.workspace();
        let result = {
            let corpus = self
                .state
                .corpus
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            let uris = OpenUris(&self.state.open_paths);
            catch_unwind(AssertUnwindSafe(|| {
                self.test_panic("workspaceSymbol");
                symbols::workspace(ws.kb(), &corpus, &params.query, self.encoding(), &uris)
            }))
        };
        match result {
            Ok(found) => Ok(Some(WorkspaceSymbolResponse::Nested(found))),
            Err(panic) => {
                let msg = panic_message(&panic);
                drop(panic);
                Err(self.panicked("workspaceSymbol", msg).await)
            }
        }
    }

    async fn code_action(
        &self,
        params: CodeActionParams,
    ) -> jsonrpc::Result<Option<CodeActionResponse>> {
        let ws = self.workspace();
        let only = params.context.only;
        let wants_refactor = only.as_ref().is_none_or(|kinds| {
            kinds
                .iter()
                .any(|k| CodeActionKind::REFACTOR.as_str().starts_with(k.as_str()))
        });
        let knowledge = if wants_refactor {
            self.knowledge_file(&ws).await
        } else {
            None
        };
        let range = params.range;
        self.feature("codeAction", &params.text_document.uri, |ctx| {
            code_action::find(ctx, range, only.as_deref(), knowledge.as_ref())
        })
        .await
    }

    /// `copydesk.sources URI`: the article's source roster as Markdown (the code lens's
    /// command). Any other command, or a missing URI, is an invalid request.
    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> jsonrpc::Result<Option<Value>> {
        if params.command != crate::lsp::sources::COMMAND {
            return Err(jsonrpc::Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<Uri>().ok())
            .ok_or_else(|| {
                jsonrpc::Error::invalid_params("copydesk.sources takes the document's URI")
            })?;
        let md = self
            .feature("executeCommand", &uri, crate::lsp::sources::markdown)
            .await?;
        Ok(md.map(Value::String))
    }

    async fn code_lens(&self, params: CodeLensParams) -> jsonrpc::Result<Option<Vec<CodeLens>>> {
        self.feature("codeLens", &params.text_document.uri, code_lens::find)
            .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> jsonrpc::Result<DocumentDiagnosticReportResult> {
        let items = self
            .feature("diagnostics", &params.text_document.uri, |ctx| {
                self.diagnostics_of(ctx.snap)
            })
            .await?
            .unwrap_or_default();
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_may_be_nested_under_copydesk() {
        let nested = serde_json::json!({"copydesk": {"lsp": {"code_lens": false}}, "other": 1});
        assert_eq!(
            copydesk_settings(nested),
            serde_json::json!({"lsp": {"code_lens": false}})
        );
        let flat = serde_json::json!({"lsp": {"code_lens": false}});
        assert_eq!(copydesk_settings(flat.clone()), flat);
    }

    #[test]
    fn empty_settings_keep_the_initialization_options() {
        let init = serde_json::json!({"rules": {"hearsay": "off"}, "lang": "fr"});
        // eglot sends empty settings right after starting: nothing is lost.
        let empty = copydesk_settings(serde_json::json!({}));
        assert_eq!(settings_after_change(&init, empty), init);
        // Neovim sends an empty Lua table as an empty array.
        let lua_empty = copydesk_settings(serde_json::json!([]));
        assert_eq!(settings_after_change(&init, lua_empty), init);
        // Real settings are the client's whole settings: they replace the old ones.
        let change =
            copydesk_settings(serde_json::json!({"copydesk": {"rules": {"vague-source": "off"}}}));
        assert_eq!(
            settings_after_change(&init, change),
            serde_json::json!({"rules": {"vague-source": "off"}})
        );
    }
}
