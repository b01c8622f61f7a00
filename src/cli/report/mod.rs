//! What `copydesk check` found, and the four ways of printing it.
//!
//! [`Report`] is plain data: the checked files with their text and analysis, in path
//! order, and the errors of the run. Each format is a module with one `render`
//! function over it, so a format cannot change what was found, only how it is shown.
//! Positions are computed here, once, in the units each format documents: character
//! columns for people (`text`, `json`, `github`), UTF-16 code units for SARIF.

pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::analysis::{FileAnalysis, Suppression, SuppressionKind};
use crate::rules::{Finding, Severity};
use crate::text::{ColumnUnit, LineIndex};
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// The output formats of `copydesk check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: rustc-style findings with the source line underlined.
    Text,
    /// For programs: the schema in docs/json-format.md.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands, which become annotations on a pull request.
    Github,
}

/// Everything one `check` run produced.
#[derive(Debug, Default)]
pub struct Report {
    /// The files analysed, in path order.
    pub files: Vec<CheckedFile>,
    /// Files that could not be checked, and configuration or knowledge-base errors.
    pub errors: Vec<RunError>,
    /// What the baseline did, when one was used or written (`--baseline`,
    /// `--write-baseline`, or `baseline` in `copydesk.toml`).
    pub baseline: Option<super::baseline::BaselineSummary>,
    /// Findings left out because they touch no line changed since `--changed-since`.
    pub outside_changes: usize,
}

/// One analysed file.
#[derive(Debug)]
pub struct CheckedFile {
    /// The path as shown to users (as given or walked, without a leading `./`).
    pub path: PathBuf,
    pub text: String,
    pub index: LineIndex,
    pub analysis: FileAnalysis,
    /// The absolute, symlink-free path, to name the file in a baseline.
    pub canonical: PathBuf,
    /// The baseline named by the file's `copydesk.toml` (absolute), if any.
    pub config_baseline: Option<PathBuf>,
    /// Findings a baseline accounts for: taken out of `analysis.findings`, not reported.
    pub baselined: Vec<Finding>,
}

/// A 1-based position, with the column in two units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    /// Counted in Unicode scalar values (what a person counts).
    pub column: usize,
    /// Counted in UTF-16 code units (what SARIF and LSP count).
    pub column_utf16: usize,
}

impl CheckedFile {
    /// The 1-based position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let chars = self.index.position(&self.text, offset, ColumnUnit::Char);
        let utf16 = self.index.position(&self.text, offset, ColumnUnit::Utf16);
        Position {
            line: chars.line as usize + 1,
            column: chars.col as usize + 1,
            column_utf16: utf16.col as usize + 1,
        }
    }

    /// The start and (exclusive) end positions of a byte range.
    pub fn span(&self, range: &Range<usize>) -> (Position, Position) {
        let end = range.end.max(range.start);
        (self.position(range.start), self.position(end))
    }

    /// The text of a byte range, or an empty string if the range is not valid.
    pub fn slice(&self, range: &Range<usize>) -> &str {
        self.text.get(range.clone()).unwrap_or_default()
    }

    /// The path with forward slashes, for machine formats.
    pub fn slash_path(&self) -> String {
        slash_path(&self.path)
    }
}

/// A path with forward slashes whatever the platform.
pub fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// What kind of error stopped a file (or the run) from being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A path that does not exist, cannot be read, or a folder that cannot be walked.
    Io,
    /// A file that is not valid UTF-8.
    Encoding,
    /// A file larger than `--max-file-size`, skipped.
    TooLarge,
    /// A `copydesk.toml` that cannot be read or has an unknown key or a bad value.
    Config,
    /// A knowledge-base file with an error.
    Knowledge,
    /// A bug in copydesk (the analysis panicked on this file).
    Internal,
}

impl ErrorKind {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Encoding => "encoding",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Config => "config",
            ErrorKind::Knowledge => "knowledge",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether the error is about configuration rather than about executing the check
    /// (SARIF keeps the two apart).
    pub fn is_configuration(self) -> bool {
        matches!(self, ErrorKind::Config | ErrorKind::Knowledge)
    }
}

/// An error of the run, shown as `path:line:col: message` like a compiler's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    pub kind: ErrorKind,
    pub path: Option<PathBuf>,
    /// 1-based, when the error has a place in the file.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub message: String,
}

impl RunError {
    pub fn new(kind: ErrorKind, path: Option<&Path>, message: String) -> RunError {
        RunError {
            kind,
            path: path.map(Path::to_path_buf),
            line: None,
            column: None,
            message,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Counts for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub information: usize,
    pub hints: usize,
    pub suppressed: usize,
    pub problems: usize,
    pub unused_suppressions: usize,
    /// Errors of the run (not findings of severity error).
    pub run_errors: usize,
    /// Findings a baseline accounts for (not reported).
    pub baselined: usize,
    /// Findings outside the lines changed since `--changed-since` (not reported).
    pub outside_changes: usize,
}

impl Report {
    /// Every standing finding with its file, in output order.
    pub fn findings(&self) -> impl Iterator<Item = (&CheckedFile, &Finding)> {
        self.files
            .iter()
            .flat_map(|file| file.analysis.findings.iter().map(move |f| (file, f)))
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            files: self.files.len(),
            run_errors: self.errors.len(),
            outside_changes: self.outside_changes,
            ..Counts::default()
        };
        for (_, finding) in self.findings() {
            c.findings += 1;
            match finding.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Information => c.information += 1,
                Severity::Hint => c.hints += 1,
            }
        }
        for file in &self.files {
            c.baselined += file.baselined.len();
            c.suppressed += file.analysis.suppressed.len();
            c.problems += file.analysis.problems.len();
            c.unused_suppressions += file
                .analysis
                .suppressions
                .iter()
                .filter(|s| s.used == 0)
                .count();
        }
        c
    }

    /// The exit code: 2 on any error of the run, else 1 when a finding is at or above
    /// `threshold`, else 0.
    pub fn exit_code(&self, threshold: Option<Severity>) -> i32 {
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if threshold.is_some_and(|t| self.findings().any(|(_, f)| f.severity >= t)) {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        }
    }
}

/// How to render a report.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Colour standard output (text format only).
    pub color: bool,
    /// Colour standard error.
    pub err_color: bool,
    /// List suppressions (text), or include suppressed results (SARIF).
    pub report_suppressions: bool,
    /// The `--fail-on` threshold, recorded in the JSON summary.
    pub fail_on: Option<Severity>,
    /// The folder paths are relative to (SARIF's `%SRCROOT%`).
    pub cwd: PathBuf,
    /// Whether `--changed-since` narrowed the report (the JSON summary says how much).
    pub changed_since: bool,
}

/// Renders `report` in `format` on `out`. Errors of the run always go to `err` too, as
/// `error: path:line:col: message`, so that a person reading a CI log sees them
/// whatever the format.
pub fn render(
    report: &Report,
    format: Format,
    options: &RenderOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => return text::render(report, options, out, err),
        Format::Json => json::render(report, options, out)?,
        Format::Sarif => sarif::render(report, options, out)?,
        Format::Github => github::render(report, out)?,
    }
    out.flush()?;
    write_errors(report, options.err_color, err)
}

/// Writes the errors of the run, one per line.
pub fn write_errors(report: &Report, color: bool, err: &mut dyn Write) -> io::Result<()> {
    let label = if color {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    for e in &report.errors {
        writeln!(err, "{label}: {}", text::visible(&e.to_string()))?;
    }
    Ok(())
}

/// The name of a suppression's kind, as written in the comment.
pub fn suppression_kind_name(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::NextLine => "disable-next-line",
        SuppressionKind::Region => "disable",
        SuppressionKind::File => "file",
    }
}

/// The suppression that silenced `finding`, if it can be told: the first one whose
/// scope holds the finding's cue and whose rules include the finding's rule.
pub fn suppression_for<'a>(file: &'a CheckedFile, finding: &Finding) -> Option<&'a Suppression> {
    file.analysis.suppressions.iter().find(|s| {
        s.scope.start <= finding.range.start
            && finding.range.start <= s.scope.end
            && (s.rules.is_empty() || s.rules.contains(&finding.rule))
    })
}

/// `path` made absolute against `cwd` and normalised without touching the file system
/// (`a/../b` → `b`), for URIs.
pub fn absolute_lexical(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// English plural for the summaries: `1 finding`, `2 findings`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary sentence shared by the text and GitHub formats, such as
/// `12 findings in 8 files: 5 warnings, 7 information (2 suppressed).`
/// Findings that are not reported because of a baseline or `--changed-since` are
/// counted in the parentheses too, so that nobody mistakes a filtered run for a
/// clean archive.
pub fn summary_line(counts: &Counts) -> String {
    let files = plural(counts.files, "file", "files");
    let hidden: Vec<String> = [
        (counts.suppressed, "suppressed"),
        (counts.baselined, "in the baseline"),
        (counts.outside_changes, "outside the changed lines"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let suppressed = if hidden.is_empty() {
        String::new()
    } else {
        format!(" ({})", hidden.join(", "))
    };
    if counts.findings == 0 {
        return format!("No findings in {files}{suppressed}.");
    }
    let parts: Vec<String> = [
        (counts.errors, "error", "errors"),
        (counts.warnings, "warning", "warnings"),
        (counts.information, "information", "information"),
        (counts.hints, "hint", "hints"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    format!(
        "{} in {files}: {}{suppressed}.",
        plural(counts.findings, "finding", "findings"),
        parts.join(", ")
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::Suppression;
    use crate::rules::{Edit, Fix, Rule};

    /// A report over invented articles, built by hand so that the renderers can be
    /// tested without the analysis.
    pub(crate) fn sample_report() -> Report {
        let fr = "# Titre\n\n😀 Le ministre aurait démissionné, « sans préavis ».\n";
        let start = fr.find("aurait").expect("cue");
        let end = start + "aurait démissionné".len();
        let sentence = fr.find("😀").expect("sentence")..fr.len() - 1;
        let hearsay = Finding {
            rule: Rule::Hearsay,
            severity: Severity::Warning,
            range: start..end,
            sentence: sentence.clone(),
            cue: "aurait démissionné".to_string(),
            message:
                "« aurait démissionné » reports unverified information: name a source or confirm it"
                    .to_string(),
            help: "Name who says so, or confirm the fact and use the indicative.".to_string(),
            fixes: vec![Fix {
                title: "Use the indicative".to_string(),
                edits: vec![Edit {
                    range: start..end,
                    replacement: "a démissionné".to_string(),
                }],
            }],
        };
        let q = fr.find('«').expect("quote");
        let quote = Finding {
            rule: Rule::UnattributedQuote,
            severity: Severity::Information,
            range: q..fr.find('»').map_or(q, |i| i + '»'.len_utf8()),
            sentence,
            cue: "« sans préavis »".to_string(),
            message: "quotation with no speaker, a: b, 100%".to_string(),
            help: String::new(),
            fixes: Vec::new(),
        };
        let en = "<!-- copydesk-disable-next-line hearsay -- confirmed by the court -->\nHe reportedly left.\n";
        let cue = en.find("reportedly").expect("cue");
        let silenced = Finding {
            rule: Rule::Hearsay,
            severity: Severity::Warning,
            range: cue..cue + "reportedly".len(),
            sentence: en.find("He").expect("sentence")..en.len() - 1,
            cue: "reportedly".to_string(),
            message: "\"reportedly\" reports unverified information".to_string(),
            help: "Name a source.".to_string(),
            fixes: Vec::new(),
        };
        let comment_end = en.find('\n').expect("line");
        let files = vec![
            CheckedFile {
                path: PathBuf::from("desk/brève.md"),
                index: LineIndex::new(fr),
                text: fr.to_string(),
                analysis: FileAnalysis {
                    findings: vec![hearsay, quote],
                    problems: vec![(0..7, "front matter: unknown key `auteur`".to_string())],
                    ..FileAnalysis::default()
                },
                canonical: PathBuf::from("/newsroom/desk/brève.md"),
                config_baseline: None,
                baselined: Vec::new(),
            },
            CheckedFile {
                path: PathBuf::from("desk/news, 100%.md"),
                index: LineIndex::new(en),
                text: en.to_string(),
                analysis: FileAnalysis {
                    suppressed: vec![silenced],
                    suppressions: vec![
                        Suppression {
                            kind: SuppressionKind::NextLine,
                            range: 0..comment_end,
                            scope: comment_end + 1..en.len(),
                            rules: vec![Rule::Hearsay],
                            reason: Some("confirmed by the court".to_string()),
                            used: 1,
                        },
                        Suppression {
                            kind: SuppressionKind::Region,
                            range: 0..0,
                            scope: 0..0,
                            rules: Vec::new(),
                            reason: None,
                            used: 0,
                        },
                    ],
                    ..FileAnalysis::default()
                },
                canonical: PathBuf::from("/newsroom/desk/news, 100%.md"),
                config_baseline: None,
                baselined: Vec::new(),
            },
        ];
        let mut io_error = RunError::new(
            ErrorKind::Encoding,
            Some(Path::new("desk/latin1.md")),
            "not valid UTF-8 at byte 12".to_string(),
        );
        io_error.line = Some(2);
        io_error.column = Some(3);
        Report {
            files,
            errors: vec![io_error],
            ..Report::default()
        }
    }

    #[test]
    fn the_summary_counts_what_is_not_reported() {
        let counts = Counts {
            files: 3,
            findings: 1,
            warnings: 1,
            suppressed: 1,
            baselined: 12,
            outside_changes: 4,
            ..Counts::default()
        };
        assert_eq!(
            summary_line(&counts),
            "1 finding in 3 files: 1 warning (1 suppressed, 12 in the baseline, 4 outside the changed lines)."
        );
    }

    #[test]
    fn positions_count_chars_and_utf16() {
        let report = sample_report();
        let file = &report.files[0];
        let finding = &file.analysis.findings[0];
        let (start, end) = file.span(&finding.range);
        // "😀 Le ministre " is 14 characters but 15 UTF-16 code units.
        assert_eq!(
            start,
            Position {
                line: 3,
                column: 15,
                column_utf16: 16
            }
        );
        assert_eq!(
            end.column - start.column,
            "aurait démissionné".chars().count()
        );
    }

    #[test]
    fn summaries_read_well() {
        let mut c = Counts {
            files: 8,
            findings: 12,
            warnings: 5,
            information: 7,
            ..Counts::default()
        };
        assert_eq!(
            summary_line(&c),
            "12 findings in 8 files: 5 warnings, 7 information."
        );
        c.suppressed = 2;
        assert_eq!(
            summary_line(&c),
            "12 findings in 8 files: 5 warnings, 7 information (2 suppressed)."
        );
        let c = Counts {
            files: 1,
            ..Counts::default()
        };
        assert_eq!(summary_line(&c), "No findings in 1 file.");
        let c = Counts {
            files: 1,
            findings: 1,
            errors: 1,
            ..Counts::default()
        };
        assert_eq!(summary_line(&c), "1 finding in 1 file: 1 error.");
    }

    #[test]
    fn exit_codes() {
        let mut report = sample_report();
        assert_eq!(report.exit_code(Some(Severity::Warning)), EXIT_ERROR);
        report.errors.clear();
        assert_eq!(report.exit_code(Some(Severity::Warning)), EXIT_FINDINGS);
        assert_eq!(report.exit_code(Some(Severity::Error)), EXIT_OK);
        assert_eq!(report.exit_code(None), EXIT_OK);
    }

    #[test]
    fn errors_read_like_a_compiler() {
        let report = sample_report();
        assert_eq!(
            report.errors[0].to_string(),
            "desk/latin1.md:2:3: not valid UTF-8 at byte 12"
        );
    }

    #[test]
    fn lexical_absolute_paths() {
        assert_eq!(
            absolute_lexical(Path::new("./a/../b/c.md"), Path::new("/work")),
            PathBuf::from("/work/b/c.md")
        );
    }
}
