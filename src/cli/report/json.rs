//! The JSON format, documented in `docs/json-format.md`.
//!
//! The schema is versioned by [`VERSION`]: adding a field keeps the version, while
//! renaming, removing or changing the meaning of one bumps it. Lines and columns are
//! 1-based, columns count Unicode characters (as the text format does) and ends are
//! exclusive; byte offsets are 0-based and exclusive too, for programs that slice the
//! file. Fields are declared in the order they are printed, so the output reads in the
//! same order as the documentation.

use super::{CheckedFile, RenderOptions, Report, suppression_kind_name};
use crate::rules::Finding;
use serde::Serialize;
use std::io::{self, Write};
use std::ops::Range;

/// The version of the JSON schema.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    files: Vec<File<'a>>,
    findings: Vec<JsonFinding<'a>>,
    suppressed: Vec<JsonFinding<'a>>,
    suppressions: Vec<JsonSuppression<'a>>,
    problems: Vec<Problem<'a>>,
    errors: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct File<'a> {
    path: String,
    lang: Option<&'static str>,
    title: Option<&'a str>,
    findings: usize,
}

/// A location: 1-based lines, 1-based character columns, exclusive ends, and the
/// 0-based byte range.
#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_byte: usize,
    end_byte: usize,
}

impl Location {
    fn new(file: &CheckedFile, range: &Range<usize>) -> Location {
        let (start, end) = file.span(range);
        Location {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            start_byte: range.start,
            end_byte: range.end.max(range.start),
        }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: String,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    cue: &'a str,
    #[serde(flatten)]
    location: Location,
    sentence: Sentence<'a>,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
struct Sentence<'a> {
    text: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    location: Location,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    path: String,
    kind: &'static str,
    #[serde(flatten)]
    location: Location,
    rules: Vec<&'static str>,
    reason: Option<&'a str>,
    silenced: usize,
    unused: bool,
}

#[derive(Serialize)]
struct Problem<'a> {
    path: String,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
}

#[derive(Serialize)]
struct Error<'a> {
    kind: &'static str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    by_severity: BySeverity,
    suppressed: usize,
    unused_suppressions: usize,
    problems: usize,
    errors: usize,
    fail_on: Option<&'static str>,
    exit_code: i32,
}

#[derive(Serialize)]
struct BySeverity {
    error: usize,
    warning: usize,
    information: usize,
    hint: usize,
}

fn finding<'a>(file: &'a CheckedFile, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        path: file.slash_path(),
        rule: f.rule.code(),
        severity: f.severity.as_str(),
        message: &f.message,
        help: &f.help,
        cue: &f.cue,
        location: Location::new(file, &f.range),
        sentence: Sentence {
            text: file.slice(&f.sentence),
            location: Location::new(file, &f.sentence),
        },
        fixes: f
            .fixes
            .iter()
            .map(|fix| JsonFix {
                title: &fix.title,
                edits: fix
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        location: Location::new(file, &e.range),
                        replacement: &e.replacement,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Writes the report as one pretty-printed JSON document and a newline.
pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let doc = Document {
        version: VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        files: report
            .files
            .iter()
            .map(|f| File {
                path: f.slash_path(),
                lang: f.analysis.lang.map(|l| l.code()),
                title: f.analysis.title.as_deref(),
                findings: f.analysis.findings.len(),
            })
            .collect(),
        findings: report
            .findings()
            .map(|(file, f)| finding(file, f))
            .collect(),
        suppressed: report
            .files
            .iter()
            .flat_map(|file| {
                file.analysis
                    .suppressed
                    .iter()
                    .map(move |f| finding(file, f))
            })
            .collect(),
        suppressions: report
            .files
            .iter()
            .flat_map(|file| {
                file.analysis
                    .suppressions
                    .iter()
                    .map(move |s| JsonSuppression {
                        path: file.slash_path(),
                        kind: suppression_kind_name(s.kind),
                        location: Location::new(file, &s.range),
                        rules: s.rules.iter().map(|r| r.code()).collect(),
                        reason: s.reason.as_deref(),
                        silenced: s.used,
                        unused: s.used == 0,
                    })
            })
            .collect(),
        problems: report
            .files
            .iter()
            .flat_map(|file| {
                file.analysis
                    .problems
                    .iter()
                    .map(move |(range, message)| Problem {
                        path: file.slash_path(),
                        message,
                        location: Location::new(file, range),
                    })
            })
            .collect(),
        errors: report
            .errors
            .iter()
            .map(|e| Error {
                kind: e.kind.as_str(),
                path: e.path.as_deref().map(super::slash_path),
                line: e.line,
                column: e.column,
                message: &e.message,
            })
            .collect(),
        summary: Summary {
            files: counts.files,
            findings: counts.findings,
            by_severity: BySeverity {
                error: counts.errors,
                warning: counts.warnings,
                information: counts.information,
                hint: counts.hints,
            },
            suppressed: counts.suppressed,
            unused_suppressions: counts.unused_suppressions,
            problems: counts.problems,
            errors: counts.run_errors,
            fail_on: options.fail_on.map(|s| s.as_str()),
            exit_code: report.exit_code(options.fail_on),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::tests::sample_report;
    use crate::rules::Severity;
    use serde_json::Value;
    use std::path::PathBuf;

    fn render_value() -> Value {
        let options = RenderOptions {
            color: false,
            err_color: false,
            report_suppressions: false,
            fail_on: Some(Severity::Warning),
            cwd: PathBuf::from("/work"),
        };
        let mut out = Vec::new();
        render(&sample_report(), &options, &mut out).expect("render");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    #[test]
    fn documented_fields_are_there() {
        let v = render_value();
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "copydesk");
        let f = &v["findings"][0];
        assert_eq!(f["path"], "desk/brève.md");
        assert_eq!(f["rule"], "attribution/hearsay");
        assert_eq!(f["severity"], "warning");
        assert_eq!(f["cue"], "aurait démissionné");
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(3), Some(15))
        );
        assert_eq!(
            (f["end_line"].as_u64(), f["end_column"].as_u64()),
            (Some(3), Some(33))
        );
        let text = &sample_report().files[0].text;
        let (s, e) = (f["start_byte"].as_u64(), f["end_byte"].as_u64());
        let slice = text.get(s.unwrap_or(0) as usize..e.unwrap_or(0) as usize);
        assert_eq!(slice, Some("aurait démissionné"));
        assert!(
            f["sentence"]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("😀 Le ministre"))
        );
        assert_eq!(f["fixes"][0]["edits"][0]["replacement"], "a démissionné");
        assert_eq!(v["suppressed"][0]["rule"], "attribution/hearsay");
        assert_eq!(v["suppressions"][0]["kind"], "disable-next-line");
        assert_eq!(v["suppressions"][0]["reason"], "confirmed by the court");
        assert_eq!(v["suppressions"][1]["unused"], true);
        assert_eq!(
            v["problems"][0]["message"],
            "front matter: unknown key `auteur`"
        );
        assert_eq!(v["errors"][0]["kind"], "encoding");
        assert_eq!(v["errors"][0]["line"], 2);
        assert_eq!(v["summary"]["by_severity"]["warning"], 1);
        assert_eq!(v["summary"]["exit_code"], 2);
    }
}
