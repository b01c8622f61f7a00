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
use rayon::prelude::*;
use serde::Serialize;
use std::io::{self, Write};
use std::ops::Range;

/// The version of the JSON schema.
pub const VERSION: u32 = 1;

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
    /// Findings a baseline accounts for; only when a baseline is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<usize>,
    /// Findings outside the changed lines; only with `--changed-since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    outside_changes: Option<usize>,
}

/// What the baseline did; only when a baseline is in use.
#[derive(Serialize)]
struct JsonBaseline<'a> {
    files: Vec<String>,
    matched: usize,
    stale: Vec<JsonStale<'a>>,
    pruned: usize,
    written: bool,
}

#[derive(Serialize)]
struct JsonStale<'a> {
    baseline: String,
    file: &'a str,
    rule: &'a str,
    cue: &'a str,
    sentence_hash: &'a str,
    count: usize,
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
///
/// The document is what `serde_json::to_writer_pretty` would print for an object with
/// these fields in this order, but its arrays are rendered element by element, and the
/// findings (most of the output) in parallel: on a large corpus, printing one document
/// on one core took a tenth of the run.
pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let files: Vec<File> = report
        .files
        .iter()
        .map(|f| File {
            path: f.slash_path(),
            lang: f.analysis.lang.map(|l| l.code()),
            title: f.analysis.title.as_deref(),
            findings: f.analysis.findings.len(),
        })
        .collect();
    let findings = per_file(report, |file| {
        file.analysis
            .findings
            .iter()
            .map(|f| element(&finding(file, f)))
            .collect()
    })?;
    let suppressed = per_file(report, |file| {
        file.analysis
            .suppressed
            .iter()
            .map(|f| element(&finding(file, f)))
            .collect()
    })?;
    let suppressions = per_file(report, |file| {
        file.analysis
            .suppressions
            .iter()
            .map(|s| {
                element(&JsonSuppression {
                    path: file.slash_path(),
                    kind: suppression_kind_name(s.kind),
                    location: Location::new(file, &s.range),
                    rules: s.rules.iter().map(|r| r.code()).collect(),
                    reason: s.reason.as_deref(),
                    silenced: s.used,
                    unused: s.used == 0,
                })
            })
            .collect()
    })?;
    let problems = per_file(report, |file| {
        file.analysis
            .problems
            .iter()
            .map(|(range, message)| {
                element(&Problem {
                    path: file.slash_path(),
                    message,
                    location: Location::new(file, range),
                })
            })
            .collect()
    })?;
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| {
            element(&Error {
                kind: e.kind.as_str(),
                path: e.path.as_deref().map(super::slash_path),
                line: e.line,
                column: e.column,
                message: &e.message,
            })
        })
        .collect::<io::Result<_>>()?;
    let summary = Summary {
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
        baselined: report.baseline.as_ref().map(|_| counts.baselined),
        outside_changes: options.changed_since.then_some(counts.outside_changes),
    };

    let mut doc = ObjectWriter::new(out)?;
    doc.value("version", &VERSION)?;
    doc.value(
        "tool",
        &Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
    )?;
    let files: Vec<String> = files.iter().map(element).collect::<io::Result<_>>()?;
    doc.array("files", &files)?;
    doc.array("findings", &findings)?;
    doc.array("suppressed", &suppressed)?;
    doc.array("suppressions", &suppressions)?;
    doc.array("problems", &problems)?;
    doc.array("errors", &errors)?;
    if let Some(b) = &report.baseline {
        let baseline = JsonBaseline {
            files: b.files.iter().map(|p| super::slash_path(p)).collect(),
            matched: b.matched,
            stale: b
                .stale
                .iter()
                .map(|s| JsonStale {
                    baseline: super::slash_path(&s.baseline),
                    file: &s.fingerprint.file,
                    rule: &s.fingerprint.rule,
                    cue: &s.fingerprint.cue,
                    sentence_hash: &s.fingerprint.sentence_hash,
                    count: s.count,
                })
                .collect(),
            pruned: b.pruned,
            written: b.written.is_some(),
        };
        doc.value("baseline", &baseline)?;
    }
    doc.value("summary", &summary)?;
    doc.finish()
}

/// The elements `render_file` gives for each file, in file order, rendered in parallel.
fn per_file(
    report: &Report,
    render_file: impl Fn(&CheckedFile) -> io::Result<Vec<String>> + Sync + Send,
) -> io::Result<Vec<String>> {
    let parts: Vec<Vec<String>> = report
        .files
        .par_iter()
        .map(render_file)
        .collect::<io::Result<_>>()?;
    Ok(parts.into_iter().flatten().collect())
}

/// A value pretty-printed as an element of an array of the top-level object, whose
/// lines are indented by two levels.
fn element<T: Serialize>(value: &T) -> io::Result<String> {
    pretty(value, 2)
}

/// A value pretty-printed as serde_json's pretty printer does, two spaces per level,
/// with every line after the first indented by `levels` more.
fn pretty<T: Serialize>(value: &T, levels: usize) -> io::Result<String> {
    let mut out = Vec::with_capacity(1024);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Indented {
            level: levels,
            has_value: false,
        },
    );
    value.serialize(&mut ser).map_err(io::Error::other)?;
    // serde_json writes valid UTF-8 only.
    String::from_utf8(out).map_err(io::Error::other)
}

/// serde_json's pretty layout starting `level` levels deep: it writes each element
/// straight at its final indentation, where re-indenting a printed value afterwards
/// copied every finding a second time.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn new_line<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        for _ in 0..self.level {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, mark: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(mark)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.new_line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.new_line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Prints the top-level object field by field, as serde_json's pretty printer does.
struct ObjectWriter<'a> {
    out: &'a mut dyn Write,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    fn new(out: &'a mut dyn Write) -> io::Result<ObjectWriter<'a>> {
        out.write_all(b"{")?;
        Ok(ObjectWriter { out, first: true })
    }

    fn key(&mut self, name: &str) -> io::Result<()> {
        let sep: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.first = false;
        self.out.write_all(sep)?;
        write!(self.out, "  \"{name}\": ")
    }

    fn value<T: Serialize>(&mut self, name: &str, value: &T) -> io::Result<()> {
        self.key(name)?;
        self.out.write_all(pretty(value, 1)?.as_bytes())
    }

    /// An array of elements already rendered by [`element`].
    fn array(&mut self, name: &str, elements: &[String]) -> io::Result<()> {
        self.key(name)?;
        if elements.is_empty() {
            return self.out.write_all(b"[]");
        }
        self.out.write_all(b"[")?;
        for (i, e) in elements.iter().enumerate() {
            self.out
                .write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            self.out.write_all(e.as_bytes())?;
        }
        self.out.write_all(b"\n  ]")
    }

    fn finish(self) -> io::Result<()> {
        self.out
            .write_all(if self.first { b"}\n" } else { b"\n}\n" })
    }
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
            changed_since: false,
        };
        let mut out = Vec::new();
        render(&sample_report(), &options, &mut out).expect("render");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    /// The document is printed piece by piece: check that it reads as one pretty-printed
    /// document, each line indented by two spaces per level of nesting.
    #[test]
    fn pieces_print_as_one_pretty_document() {
        let options = RenderOptions {
            color: false,
            err_color: false,
            report_suppressions: true,
            fail_on: Some(Severity::Warning),
            cwd: PathBuf::from("/work"),
            changed_since: false,
        };
        let mut out = Vec::new();
        render(&sample_report(), &options, &mut out).expect("render");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.ends_with("}\n"));
        let mut depth: usize = 0;
        for line in text.lines() {
            let body = line.trim_start();
            let closes = body.starts_with('}') || body.starts_with(']');
            let expected = if closes { depth - 1 } else { depth };
            assert_eq!(line.len() - body.len(), 2 * expected, "{line:?}");
            // Brackets outside strings open and close levels.
            let mut in_string = false;
            let mut escaped = false;
            for c in body.chars() {
                match (in_string, escaped, c) {
                    (true, true, _) => escaped = false,
                    (true, false, '\\') => escaped = true,
                    (_, false, '"') => in_string = !in_string,
                    (false, _, '{' | '[') => depth += 1,
                    (false, _, '}' | ']') => depth -= 1,
                    _ => {}
                }
            }
        }
        assert_eq!(depth, 0);
        let v: Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(v["findings"].as_array().is_some_and(|a| !a.is_empty()));
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
