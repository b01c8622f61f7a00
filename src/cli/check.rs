//! `copydesk check`: find the articles, load their configurations, analyse them in
//! parallel and print a report.
//!
//! The steps are deliberately separate so that each one is easy to reason about:
//!
//! 1. **Collect** candidate files from the paths given (default `.`). Folders are
//!    walked with the `ignore` crate, which honours `.gitignore`, `.ignore` and
//!    `.git/info/exclude` even outside a git repository and skips hidden files; only
//!    `.md` and `.markdown` files are kept. Symbolic links are followed (a loop or a
//!    dangling link is reported as an error), and a file reached twice is checked once. A file named on the command line is always
//!    a candidate, whatever its extension or ignore rules.
//! 2. **Resolve** each candidate's configuration: `--config FILE` for all of them, else
//!    the nearest `copydesk.toml` from the file's folder upwards (cached per folder).
//!    A configuration error stops the run before any analysis, because we would not
//!    know which rules are on.
//! 3. **Filter** with the configuration's `include` and `exclude` globs, matched
//!    against the path relative to the configuration's folder. As in ruff, a file
//!    named explicitly is checked even when excluded, unless `--force-exclude` is given
//!    (which editors and pre-commit hooks pass, since they always name files).
//! 4. **Analyse** with one [`Engine`] per distinct configuration, in parallel with
//!    rayon. Results are collected in path order, so the output never depends on
//!    scheduling.
//!
//! A file that cannot be read, is not UTF-8 or is larger than `--max-file-size` is
//! reported as an error for that file and the run goes on; the exit code is then 2.

use super::report::{self, CheckedFile, ErrorKind, Format, RenderOptions, Report, RunError};
use super::{ColorChoice, EXIT_ERROR, Streams, baseline, changed, ignore_broken_pipe, progress};
use crate::analysis::lexicon::Lexicons;
use crate::analysis::{Engine, FileAnalysis};
use crate::config::{self, Config, Globs};
use crate::kb::Kb;
use crate::rules::Severity;
use crate::text::LineIndex;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The default for `--max-file-size`: larger files are skipped, not read. The
/// language server uses the same limit.
pub use crate::files::DEFAULT_MAX_FILE_SIZE;

/// Arguments of `copydesk check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Files and folders to check [default: the current folder]. Folders are searched
    /// for `.md` and `.markdown` files; files named here are checked whatever their
    /// extension.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// When to colour the text output (`auto` honours NO_COLOR).
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Exit with code 1 when a finding is at or above this severity.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// Use this configuration file for every checked file instead of discovering
    /// `copydesk.toml` from each file's folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Check standard input instead of files.
    #[arg(long, conflicts_with = "paths")]
    pub stdin: bool,

    /// With `--stdin`: the path standard input stands for. Its folder is where the
    /// configuration is looked for, and it is the path shown in the report.
    #[arg(long, value_name = "PATH", requires = "stdin")]
    pub stdin_filename: Option<PathBuf>,

    /// After the findings, list every suppression comment with its reason and how many
    /// findings it silenced (unused ones are flagged).
    #[arg(long)]
    pub report_suppressions: bool,

    /// Apply `exclude` to files named on the command line (and to `--stdin-filename`)
    /// too. Editors and pre-commit hooks should pass it.
    #[arg(long)]
    pub force_exclude: bool,

    /// Do not honour `.gitignore`, `.ignore` and git's exclude files when walking
    /// folders (hidden files are still skipped).
    #[arg(long)]
    pub no_ignore: bool,

    /// Skip (and report) files larger than this, without reading them. Accepts a
    /// number of bytes or a suffix: K, M, G (powers of 1024; KiB, MB… also accepted).
    #[arg(long, value_name = "SIZE", default_value = "10MiB", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Number of threads for the analysis [default: one per core].
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Report (and fail on) only the findings this baseline file does not record.
    /// Overrides `baseline` in copydesk.toml.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["write_baseline", "no_baseline"])]
    pub baseline: Option<PathBuf>,

    /// Record every finding of the files checked in FILE (a baseline; entries of
    /// other files are kept), and report none of them.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["changed_since", "prune_baseline"])]
    pub write_baseline: Option<PathBuf>,

    /// Remove from the baseline file the entries that no longer match a finding
    /// (fixed, or their sentence rewritten).
    #[arg(long, conflicts_with = "no_baseline")]
    pub prune_baseline: bool,

    /// Ignore `baseline` in copydesk.toml and report every finding.
    #[arg(long)]
    pub no_baseline: bool,

    /// Check only the files changed in Git since REF (from its merge base with HEAD
    /// to the working tree, untracked files included), and report only the findings
    /// whose sentence touches a changed line.
    #[arg(long, value_name = "REF", conflicts_with = "stdin")]
    pub changed_since: Option<String>,

    /// Show progress on standard error [default: on a terminal, with the text
    /// format, outside CI].
    #[arg(long, overrides_with = "no_progress")]
    pub progress: bool,

    /// Never show progress.
    #[arg(long, overrides_with = "progress")]
    pub no_progress: bool,
}

/// The severity from which findings make the run fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    #[value(alias = "warn")]
    Warning,
    #[value(alias = "info")]
    Information,
    Hint,
    /// Never fail because of findings (errors still exit with 2).
    None,
}

impl FailOn {
    /// The lowest failing severity, or `None` when findings never fail the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Information => Some(Severity::Information),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::None => None,
        }
    }
}

/// Parses a size such as `10485760`, `512K`, `10MiB` or `1G` (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, suffix) = s.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size: expected a number such as 10MiB"))?;
    let multiplier: u64 = match suffix.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`: expected K, M or G")),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// Runs `copydesk check` and returns the exit code.
pub fn run(args: &CheckArgs, streams: &mut Streams<'_>) -> i32 {
    // Standard input is read on this thread before any parallel work starts.
    let stdin = if args.stdin {
        let mut buf = Vec::new();
        let limit = args.max_file_size.saturating_add(1);
        match Read::take(&mut *streams.stdin, limit).read_to_end(&mut buf) {
            Ok(_) => Some(buf),
            Err(e) => {
                let _ = writeln!(streams.err, "error: cannot read standard input: {e}");
                return EXIT_ERROR;
            }
        }
    } else {
        None
    };

    let cwd = std::env::current_dir().unwrap_or_default();
    // A wrong revision is a usage error, found before any work.
    let changes = match &args.changed_since {
        Some(reference) => match changed::since(reference, &cwd) {
            Ok(changes) => Some(changes),
            Err(e) => {
                let _ = writeln!(streams.err, "error: {e}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let flag = match (args.progress, args.no_progress) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let show_progress = !args.stdin
        && progress::wanted(
            flag,
            streams.err_is_terminal,
            args.format == Format::Text,
            std::env::var_os("CI").as_deref(),
        );
    let reporter = show_progress.then(|| progress::Reporter::start(streams.err_is_terminal));
    let extras = Extras {
        changes: changes.as_ref(),
        counter: reporter.as_ref().map(|r| r.counter()),
        require_config_baseline: baseline::Options::of(args).reads_configured(),
        rosters: false,
    };

    let mut report = match args.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(|| check_with(args, stdin, &extras)),
            Err(e) => {
                let _ = writeln!(streams.err, "error: cannot start {n} threads: {e}");
                return EXIT_ERROR;
            }
        },
        None => check_with(args, stdin, &extras),
    };
    if let Some(reporter) = reporter {
        reporter.finish();
    }
    // The baseline sees every finding of a file; only then does `--changed-since`
    // narrow the report to the changed lines, so that stale entries are judged on
    // whole files.
    let baseline_options = baseline::Options::of(args);
    baseline::apply(&mut report, &baseline_options, &cwd);
    if args.prune_baseline && report.baseline.is_none() {
        report.errors.push(RunError::new(
            ErrorKind::Config,
            None,
            "--prune-baseline: no baseline in use (give --baseline FILE, or set `baseline` in copydesk.toml)".to_string(),
        ));
    }
    if let Some(changes) = &changes {
        changed::restrict(&mut report, changes);
    }

    let options = RenderOptions {
        color: args.color.enabled(streams.out_is_terminal),
        err_color: args.color.enabled(streams.err_is_terminal),
        report_suppressions: args.report_suppressions,
        fail_on: args.fail_on.threshold(),
        cwd: cwd.clone(),
        changed_since: changes.is_some(),
    };
    if let Some(changes) = changes.as_ref().filter(|_| report.files.is_empty()) {
        let base: String = changes.base.chars().take(12).collect();
        let _ = writeln!(
            streams.err,
            "note: no Markdown file to check changed since `{}` (merge base {base})",
            changes.reference
        );
    } else if report.files.is_empty() && report.errors.is_empty() && !args.stdin {
        let _ = writeln!(
            streams.err,
            "warning: no Markdown files to check (folders are searched for .md and .markdown files)"
        );
    }
    let rendered = report::render(&report, args.format, &options, streams.out, streams.err);
    let _ = ignore_broken_pipe(rendered.and_then(|()| streams.out.flush()));
    let _ = ignore_broken_pipe(baseline::write_notes(&report, streams.err));
    let code = report.exit_code(args.fail_on.threshold());
    // Freeing every file's text and findings one allocation at a time takes
    // milliseconds on a large corpus, once the report is printed: another thread does
    // it, which the process does not wait for when it exits.
    let _ = std::thread::Builder::new().spawn(move || drop(report));
    code
}

/// What a run adds to the files and arguments: the Git changes to narrow the files
/// to, and the progress counter to tick.
#[derive(Default)]
pub struct Extras<'a> {
    /// `--changed-since`: only files that changed are checked.
    pub changes: Option<&'a changed::Changes>,
    /// Counts the files done, for the progress line.
    pub counter: Option<&'a progress::Counter>,
    /// Whether a baseline named in `copydesk.toml` must exist (it is read this run).
    pub require_config_baseline: bool,
    /// Whether to compute each file's source roster (`copydesk sources`).
    pub rosters: bool,
}

/// Collects, filters and analyses the files of one `check` invocation. Standard input,
/// when `--stdin` is given, is passed in as bytes.
pub fn check(args: &CheckArgs, stdin: Option<Vec<u8>>) -> Report {
    check_with(args, stdin, &Extras::default())
}

/// [`check`], narrowed to the changed files and reporting progress as `extras` say.
pub fn check_with(args: &CheckArgs, stdin: Option<Vec<u8>>, extras: &Extras<'_>) -> Report {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut errors = Vec::new();
    let mut resolver = Resolver::new(&cwd);
    resolver.require_baseline = extras.require_config_baseline;
    if let Some(path) = &args.config {
        resolver.use_explicit(path);
    }

    // 0. Start-up is the serial part of a run: the engine of the first root's
    // configuration (almost always the only one) is built on another thread while the
    // files are collected.
    let first_dir = match (&stdin, args.paths.first()) {
        (Some(_), _) => None,
        (None, None) => Some(cwd.clone()),
        (None, Some(root)) => std::fs::canonicalize(root).ok().map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or(p)
            }
        }),
    };
    let early = first_dir
        .and_then(|dir| resolver.resolve(&dir))
        .and_then(|cfg| resolver.configs.get(cfg).map(|s| (cfg, EngineSpec::of(s))))
        .map(|(cfg, spec)| {
            let cwd = cwd.clone();
            (cfg, std::thread::spawn(move || spec.build(&cwd)))
        });

    // 1. Collect.
    let candidates = match &stdin {
        Some(_) => vec![stdin_candidate(args.stdin_filename.as_deref(), &cwd)],
        None => {
            let roots = if args.paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                args.paths.clone()
            };
            collect(&roots, args.no_ignore, &mut errors)
        }
    };

    // 2. Resolve configurations (the roots' own too, so that a broken configuration is
    // reported even when a folder holds no article yet); 3. filter.
    if stdin.is_none() {
        for root in &args.paths {
            match std::fs::canonicalize(root) {
                Ok(dir) if dir.is_dir() => {
                    resolver.resolve(&dir);
                }
                _ => {}
            }
        }
        if args.paths.is_empty() {
            resolver.resolve(&cwd);
        }
    }
    let mut selected: Vec<(Candidate, usize)> = Vec::new();
    for candidate in candidates {
        let Some(cfg) = resolver.resolve(&candidate.lookup_dir) else {
            continue;
        };
        let settings = &resolver.configs[cfg];
        let apply_exclude = !candidate.explicit || args.force_exclude;
        // Globs only apply to files inside the configuration's folder.
        if let Ok(rel) = candidate.canonical.strip_prefix(&settings.dir) {
            let included = match &settings.include {
                Some(include) if !candidate.explicit => include.matches(rel),
                _ => true,
            };
            if !included || (apply_exclude && settings.exclude.matches(rel)) {
                continue;
            }
        }
        selected.push((candidate, cfg));
    }
    if !resolver.errors.is_empty() {
        // A broken configuration means we cannot know which rules are on: report it
        // and analyse nothing, rather than print findings that may be wrong.
        errors.extend(resolver.errors);
        return Report {
            files: Vec::new(),
            errors,
            ..Report::default()
        };
    }

    // The same file reached twice (`check . a.md`) is checked once.
    selected.sort_by(|a, b| {
        a.0.display
            .cmp(&b.0.display)
            .then(b.0.explicit.cmp(&a.0.explicit))
    });
    let mut seen = std::collections::HashSet::new();
    selected.retain(|(c, _)| seen.insert(c.canonical.clone()));
    if let Some(changes) = extras.changes {
        selected.retain(|(c, _)| changes.of(&c.canonical).is_some());
    }
    if let Some(counter) = extras.counter {
        counter.set_total(selected.len());
    }
    let baselines: Vec<Option<PathBuf>> = resolver
        .configs
        .iter()
        .map(|s| s.baseline.clone())
        .collect();

    // 4. Analyse: one engine per configuration actually used.
    let mut engines: HashMap<usize, Arc<Engine>> = HashMap::new();
    if let Some((cfg, handle)) = early {
        match handle.join() {
            Ok((engine, kb_errors)) if selected.iter().any(|&(_, c)| c == cfg) => {
                errors.extend(kb_errors);
                engines.insert(cfg, Arc::new(engine));
            }
            // No file uses it, or building it panicked: built again below if needed.
            _ => {}
        }
    }
    for &(_, cfg) in &selected {
        if let std::collections::hash_map::Entry::Vacant(slot) = engines.entry(cfg) {
            let (engine, kb_errors) = EngineSpec::of(&resolver.configs[cfg]).build(&cwd);
            errors.extend(kb_errors);
            slot.insert(Arc::new(engine));
        }
    }

    let max = args.max_file_size;
    let outcomes: Vec<Result<CheckedFile, RunError>> = selected
        .par_iter()
        .map(|(candidate, cfg)| {
            if let Some(counter) = extras.counter {
                counter.tick();
            }
            let text = match (&stdin, &candidate.source) {
                (Some(bytes), Source::Stdin) => decode(bytes.clone(), &candidate.display, max),
                _ => read_file(&candidate.source_path(), &candidate.display, max),
            }?;
            let engine = engines.get(cfg).ok_or_else(|| {
                RunError::new(
                    ErrorKind::Internal,
                    Some(&candidate.display),
                    "no analysis engine for this file's configuration".to_string(),
                )
            })?;
            let mut analysis = analyze_guarded(engine, &text, &candidate.display)?;
            if extras.rosters {
                analysis.roster = Some(engine.roster(&text, &analysis));
            }
            Ok(CheckedFile {
                path: candidate.display.clone(),
                index: LineIndex::new(&text),
                text,
                analysis,
                canonical: candidate.canonical.clone(),
                config_baseline: baselines.get(*cfg).cloned().flatten(),
                baselined: Vec::new(),
            })
        })
        .collect();

    let mut files = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    Report {
        files,
        errors,
        ..Report::default()
    }
}

/// Runs the analysis, turning a panic into an error for this file so that one bad
/// article cannot take down a whole CI run (the panic message is still printed).
fn analyze_guarded(engine: &Engine, text: &str, display: &Path) -> Result<FileAnalysis, RunError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.analyze(text))).map_err(|_| {
        RunError::new(
            ErrorKind::Internal,
            Some(display),
            "internal error while analysing this file (please report it)".to_string(),
        )
    })
}

/// Where a candidate's text comes from.
#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Stdin,
}

/// A file that may be checked.
#[derive(Debug, Clone)]
struct Candidate {
    source: Source,
    /// The path as shown in reports: as given or walked, without a leading `./`.
    display: PathBuf,
    /// The absolute, symlink-free path, for de-duplication and glob matching.
    canonical: PathBuf,
    /// The folder from which the configuration is looked up.
    lookup_dir: PathBuf,
    /// Named on the command line rather than found by walking a folder.
    explicit: bool,
}

impl Candidate {
    fn source_path(&self) -> PathBuf {
        match &self.source {
            Source::File(p) => p.clone(),
            Source::Stdin => self.display.clone(),
        }
    }

    fn file(path: PathBuf, explicit: bool) -> Candidate {
        let canonical = std::fs::canonicalize(&path)
            .or_else(|_| std::path::absolute(&path))
            .unwrap_or_else(|_| path.clone());
        Candidate::with_canonical(path, canonical, explicit)
    }

    /// A regular file found by walking a folder (not itself a symbolic link). Its
    /// canonical path is its folder's, canonicalised once per
    /// folder in `folders`, joined with its name: resolving every file's path
    /// component by component cost more system calls than reading the file.
    fn walked(path: PathBuf, folders: &mut HashMap<PathBuf, PathBuf>) -> Candidate {
        let canonical = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => {
                let folder = match folders.get(parent) {
                    Some(folder) => Some(folder),
                    None => std::fs::canonicalize(parent)
                        .ok()
                        .map(|c| &*folders.entry(parent.to_path_buf()).or_insert(c)),
                };
                folder.map(|f| f.join(name))
            }
            _ => None,
        };
        match canonical {
            Some(canonical) => Candidate::with_canonical(path, canonical, false),
            None => Candidate::file(path, false),
        }
    }

    fn with_canonical(path: PathBuf, canonical: PathBuf, explicit: bool) -> Candidate {
        let lookup_dir = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Candidate {
            display: clean_display(&path),
            source: Source::File(path),
            canonical,
            lookup_dir,
            explicit,
        }
    }
}

/// The candidate for `--stdin`: it stands for `--stdin-filename`, which need not exist.
fn stdin_candidate(filename: Option<&Path>, cwd: &Path) -> Candidate {
    let Some(name) = filename else {
        return Candidate {
            source: Source::Stdin,
            display: PathBuf::from("<stdin>"),
            canonical: cwd.join("<stdin>"),
            lookup_dir: cwd.to_path_buf(),
            explicit: true,
        };
    };
    let absolute = std::path::absolute(name).unwrap_or_else(|_| cwd.join(name));
    let parent = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    let parent = std::fs::canonicalize(&parent).unwrap_or(parent);
    let canonical = match absolute.file_name() {
        Some(file_name) => parent.join(file_name),
        None => absolute.clone(),
    };
    Candidate {
        source: Source::Stdin,
        display: clean_display(name),
        canonical,
        lookup_dir: parent,
        explicit: true,
    }
}

/// Removes leading `./` components so that `check .` prints `a.md`, not `./a.md`.
fn clean_display(path: &Path) -> PathBuf {
    let mut components = path.components().peekable();
    while components.peek() == Some(&Component::CurDir) {
        components.next();
    }
    let cleaned: PathBuf = components.collect();
    if cleaned.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        cleaned
    }
}

/// Whether a walked file is Markdown by its extension.
fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Walks the roots and returns every candidate file. Missing paths and walking
/// errors are added to `errors`.
fn collect(roots: &[PathBuf], no_ignore: bool, errors: &mut Vec<RunError>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut folders = HashMap::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                errors.push(RunError::new(
                    ErrorKind::Io,
                    Some(&clean_display(root)),
                    e.to_string(),
                ));
                continue;
            }
        };
        if !meta.is_dir() {
            out.push(Candidate::file(root.clone(), true));
            continue;
        }
        let mut builder = ignore::WalkBuilder::new(root);
        // Ignore files apply outside git repositories too: a newsroom's export folder
        // with a `.gitignore` is no less meant to be honoured. Symbolic links are
        // followed (an article linked into a desk's folder is meant to be checked);
        // the walker detects loops, and a loop or a dangling link is an error that
        // names it.
        builder.hidden(true).require_git(false).follow_links(true);
        if no_ignore {
            builder
                .git_ignore(false)
                .git_global(false)
                .git_exclude(false)
                .ignore(false)
                .parents(false);
        }
        for entry in builder.build() {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && is_markdown(entry.path()) {
                        // A link's own path is not its file's: resolve it whole, so
                        // that a file reached twice is checked once.
                        out.push(if entry.path_is_symlink() {
                            Candidate::file(entry.into_path(), false)
                        } else {
                            Candidate::walked(entry.into_path(), &mut folders)
                        });
                    }
                }
                Err(e) => errors.push(RunError::new(ErrorKind::Io, None, e.to_string())),
            }
        }
    }
    out
}

/// Reads a file as UTF-8, refusing files larger than `max` without reading them, and
/// anything that is not a regular file (a named pipe would block the run).
fn read_file(path: &Path, display: &Path, max: u64) -> Result<String, RunError> {
    let io_error =
        |e: &dyn std::fmt::Display| RunError::new(ErrorKind::Io, Some(display), e.to_string());
    let (file, size) = crate::files::open_regular(path).map_err(|e| io_error(&e))?;
    if size > max {
        return Err(too_large(display, size, max));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while we read it.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(&e))?;
    decode(bytes, display, max)
}

fn too_large(display: &Path, size: u64, max: u64) -> RunError {
    RunError::new(
        ErrorKind::TooLarge,
        Some(display),
        format!(
            "skipped: {} is larger than the maximum file size of {} (raise --max-file-size or exclude the file)",
            human_size(size),
            human_size(max)
        ),
    )
}

/// Turns bytes into text, reporting where the first invalid UTF-8 sequence is.
fn decode(bytes: Vec<u8>, display: &Path, max: u64) -> Result<String, RunError> {
    if bytes.len() as u64 > max {
        return Err(too_large(display, bytes.len() as u64, max));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = &e.as_bytes()[..at];
        // The prefix is valid UTF-8 by definition, so the line and column are exact.
        let prefix = std::str::from_utf8(valid).unwrap_or_default();
        let pos = LineIndex::new(prefix).position(prefix, at, crate::text::ColumnUnit::Char);
        let (line, column) = (pos.line as usize + 1, pos.col as usize + 1);
        let mut err = RunError::new(
            ErrorKind::Encoding,
            Some(display),
            format!("not valid UTF-8 at byte {at}"),
        );
        err.line = Some(line);
        err.column = Some(column);
        err
    })
}

/// A size for people: `10 MiB`, `512 KiB`, `42 bytes`.
fn human_size(n: u64) -> String {
    crate::files::human_size(n)
}

/// A loaded configuration with its compiled globs.
struct Settings {
    /// The configuration's folder, canonical; globs and knowledge paths are relative to it.
    dir: PathBuf,
    config: Config,
    /// `None` when `include` is empty: every Markdown file.
    include: Option<Globs>,
    exclude: Globs,
    /// The configuration's `baseline`, made absolute.
    baseline: Option<PathBuf>,
}

/// Finds and loads the configuration of each file, once per folder and per file.
struct Resolver {
    cwd: PathBuf,
    /// Every configuration loaded; index 0 is the built-in defaults.
    configs: Vec<Settings>,
    /// `--config FILE`, when given: its index, or `None` if it failed to load.
    explicit: Option<Option<usize>>,
    /// Folder → index of its configuration (`None`: it failed to load).
    by_dir: HashMap<PathBuf, Option<usize>>,
    /// Configuration file → index (`None`: it failed to load).
    by_file: HashMap<PathBuf, Option<usize>>,
    errors: Vec<RunError>,
    /// Whether a configuration's `baseline` must exist (it is read this run).
    require_baseline: bool,
}

impl Resolver {
    fn new(cwd: &Path) -> Resolver {
        Resolver {
            cwd: cwd.to_path_buf(),
            configs: vec![Settings {
                dir: cwd.to_path_buf(),
                config: default_config(),
                include: None,
                exclude: Globs::default(),
                baseline: None,
            }],
            explicit: None,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
            errors: Vec::new(),
            require_baseline: false,
        }
    }

    fn use_explicit(&mut self, path: &Path) {
        let loaded = self.load(path);
        self.explicit = Some(loaded);
    }

    /// The configuration index for files in `dir`, or `None` if it failed to load.
    fn resolve(&mut self, dir: &Path) -> Option<usize> {
        if let Some(explicit) = self.explicit {
            return explicit;
        }
        if let Some(&cached) = self.by_dir.get(dir) {
            return cached;
        }
        let found = match config::discover(dir) {
            Some(file) => self.load(&file),
            None => Some(0),
        };
        self.by_dir.insert(dir.to_path_buf(), found);
        found
    }

    /// Loads a configuration file once; errors are recorded once.
    fn load(&mut self, path: &Path) -> Option<usize> {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(&known) = self.by_file.get(&canonical) {
            return known;
        }
        let shown = relative_to(&canonical, &self.cwd);
        let result = self.parse(&canonical, &shown);
        let index = match result {
            Ok(settings) => {
                self.configs.push(settings);
                Some(self.configs.len() - 1)
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        };
        self.by_file.insert(canonical, index);
        index
    }

    fn parse(&self, canonical: &Path, shown: &Path) -> Result<Settings, RunError> {
        let text = config::read_text(canonical, shown).map_err(|e| {
            let mut err = RunError::new(ErrorKind::Config, Some(shown), e.message.clone());
            if e.line > 0 {
                err.line = Some(e.line);
                err.column = Some(e.col);
            }
            err
        })?;
        let config = Config::parse(&text, shown).map_err(|e| {
            let mut err = RunError::new(ErrorKind::Config, Some(shown), e.message.clone());
            if e.line > 0 {
                err.line = Some(e.line);
                err.column = Some(e.col);
            }
            err
        })?;
        // A bad glob is positioned at its first occurrence in the file, as a TOML error is.
        let glob_error = |(pattern, message): (String, String)| {
            let mut err = RunError::new(
                ErrorKind::Config,
                Some(shown),
                format!("invalid glob `{pattern}`: {message}"),
            );
            if let Some(at) = text.find(&pattern).filter(|_| !pattern.is_empty()) {
                let (line, col) = config::line_col_1based(&text, at);
                err.line = Some(line);
                err.column = Some(col);
            }
            err
        };
        let include = if config.include.is_empty() {
            None
        } else {
            Some(Globs::new(&config.include).map_err(glob_error)?)
        };
        let exclude = Globs::new(&config.exclude).map_err(glob_error)?;
        let dir = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.cwd.clone());
        let baseline = config.baseline.as_ref().map(|b| dir.join(b));
        if let Some(path) = baseline
            .as_ref()
            .filter(|p| self.require_baseline && !p.is_file())
        {
            // Positioned on the key, as the other configuration errors are.
            let mut err = RunError::new(
                ErrorKind::Config,
                Some(shown),
                format!(
                    "baseline `{}` not found (record one with `copydesk check --write-baseline {}`, or remove the key)",
                    relative_to(path, &self.cwd).display(),
                    relative_to(path, &self.cwd).display()
                ),
            );
            if let Some(at) = key_offset(&text, "baseline") {
                let (line, col) = config::line_col_1based(&text, at);
                err.line = Some(line);
                err.column = Some(col);
            }
            return Err(err);
        }
        Ok(Settings {
            dir,
            config,
            include,
            exclude,
            baseline,
        })
    }
}

/// The byte offset of the top-level `key = …` line of a TOML text, if any.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            // Past the first table, keys belong to it.
            return None;
        }
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some(offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    None
}

/// The configuration of a project without `copydesk.toml`: what an empty file means.
/// (`Config::default()` is not that: serde's per-field defaults, such as the built-in
/// knowledge base being on, only apply when parsing.)
fn default_config() -> Config {
    Config::parse("", Path::new(config::FILE_NAME)).unwrap_or_default()
}

/// What an engine is built from: owned, so that it can be built on another thread.
struct EngineSpec {
    config: Config,
    /// The configuration's folder; knowledge paths are relative to it. Without a
    /// configuration file, the current folder, as if an empty `copydesk.toml` stood
    /// there: its `knowledge` folder is read too, so that a broken knowledge file
    /// never passes unseen.
    dir: PathBuf,
}

impl EngineSpec {
    fn of(settings: &Settings) -> EngineSpec {
        EngineSpec {
            config: settings.config.clone(),
            dir: settings.dir.clone(),
        }
    }

    /// Builds the engine: the knowledge base loads while the lexicons compile.
    fn build(self, cwd: &Path) -> (Engine, Vec<RunError>) {
        let ((kb, errors), lexicons) =
            rayon::join(|| self.load_kb(cwd), || Lexicons::new(&self.config));
        (
            // No finding comes from the people and organisations the knowledge base
            // does not list: `check` and `sources` skip that pass.
            Engine::from_parts(self.config, Arc::new(kb), lexicons).without_derived_entities(),
            errors,
        )
    }

    /// Loads the knowledge base of a configuration: the built-in one (unless turned
    /// off) and the configured paths, relative to the configuration's folder. The
    /// default `knowledge` folder may be absent; a path the user wrote must exist.
    fn load_kb(&self, cwd: &Path) -> (Kb, Vec<RunError>) {
        let config = &self.config;
        let mut paths = Vec::new();
        let is_default = config.knowledge == ["knowledge"];
        for entry in &config.knowledge {
            let path = self.dir.join(entry);
            if is_default && !path.exists() {
                continue;
            }
            paths.push(relative_to(&path, cwd));
        }
        let (kb, errors) = Kb::load(config.builtin_knowledge, &paths);
        let errors = errors
            .into_iter()
            .map(|e| RunError::new(ErrorKind::Knowledge, None, e.to_string()))
            .collect();
        (kb, errors)
    }
}

/// `path` relative to `base` when it is inside it, else `path` unchanged: what users
/// see in messages.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10MiB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("42"), Ok(42));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10XB").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(human_size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn globs_match_like_gitignore() {
        let globs = Globs::new(&[
            "archive".to_string(),
            "drafts/**/*.md".to_string(),
            "*.wip.md".to_string(),
            "/top.md".to_string(),
        ])
        .expect("valid globs");
        assert!(globs.matches(Path::new("archive/2019/a.md")));
        assert!(globs.matches(Path::new("desk/archive/a.md")));
        assert!(globs.matches(Path::new("drafts/x/y.md")));
        assert!(globs.matches(Path::new("drafts/y.md")));
        assert!(globs.matches(Path::new("desk/notes.wip.md")));
        assert!(globs.matches(Path::new("top.md")));
        assert!(!globs.matches(Path::new("desk/top.md")));
        assert!(!globs.matches(Path::new("desk/drafts/y.md")));
        assert!(!globs.matches(Path::new("articles/a.md")));
        assert!(Globs::new(&["a[".to_string()]).is_err());
    }

    #[test]
    fn invalid_utf8_is_located() {
        let bytes = b"ligne un\nd\xC3\xA9j\xE0 vu".to_vec();
        let err = decode(bytes, Path::new("a.md"), DEFAULT_MAX_FILE_SIZE).expect_err("invalid");
        assert_eq!(err.kind, ErrorKind::Encoding);
        assert_eq!((err.line, err.column), (Some(2), Some(4)));
        assert_eq!(err.to_string(), "a.md:2:4: not valid UTF-8 at byte 13");
    }

    #[test]
    fn display_paths_lose_leading_dot() {
        assert_eq!(
            clean_display(Path::new("./a/b.md")),
            PathBuf::from("a/b.md")
        );
        assert_eq!(clean_display(Path::new(".")), PathBuf::from("."));
        assert_eq!(
            clean_display(Path::new("../a.md")),
            PathBuf::from("../a.md")
        );
    }
}
