//! The GitHub Actions format: one workflow command per finding, which GitHub turns
//! into an annotation on the pull request's diff.
//!
//! ```text
//! ::warning file=desk/a.md,line=3,col=15,endLine=3,endColumn=33,title=attribution/hearsay::« aurait démissionné » reports …
//! ```
//!
//! Errors are `::error`, warnings `::warning`, information and hints `::notice`.
//! Columns count characters, as in the text format, and `endColumn` is exclusive.
//! Escaping follows the runner's rules: in the message (`data`) `%`, `\r` and `\n`
//! become `%25`, `%0D` and `%0A`; in properties `:` and `,` are escaped as well
//! (`%3A`, `%2C`), since they separate the properties. The help line follows the
//! message after an escaped newline, which GitHub shows as a second line.

use super::{CheckedFile, Report, summary_line};
use crate::rules::Severity;
use std::io::{self, Write};
use std::ops::Range;

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "notice",
    }
}

fn location(file: &CheckedFile, range: &Range<usize>) -> String {
    let (start, end) = file.span(range);
    format!(
        "file={},line={},col={},endLine={},endColumn={}",
        escape_property(&file.slash_path()),
        start.line,
        start.column,
        end.line,
        end.column
    )
}

/// Writes one workflow command per finding, problem and error, then the summary as
/// a plain log line.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        for f in &file.analysis.findings {
            let mut message = f.message.clone();
            if !f.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&f.help);
            }
            writeln!(
                out,
                "::{} {},title={}::{}",
                command(f.severity),
                location(file, &f.range),
                escape_property(f.rule.code()),
                escape_data(&message)
            )?;
        }
        for (range, message) in &file.analysis.problems {
            writeln!(
                out,
                "::warning {},title=copydesk::{}",
                location(file, range),
                escape_data(message)
            )?;
        }
    }
    for e in &report.errors {
        let mut props = Vec::new();
        if let Some(path) = &e.path {
            props.push(format!(
                "file={}",
                escape_property(&super::slash_path(path))
            ));
        }
        if let Some(line) = e.line {
            props.push(format!("line={line}"));
        }
        if let Some(column) = e.column {
            props.push(format!("col={column}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("copydesk {} error", e.kind.as_str()))
        ));
        writeln!(
            out,
            "::error {}::{}",
            props.join(","),
            escape_data(&e.to_string())
        )?;
    }
    writeln!(out, "{}", summary_line(&report.counts()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::tests::sample_report;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("100% sûr\r\nfin"), "100%25 sûr%0D%0Afin");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn one_command_per_finding() {
        let mut out = Vec::new();
        render(&sample_report(), &mut out).expect("render");
        let out = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=desk/brève.md,line=3,col=15,endLine=3,endColumn=33,title=attribution/hearsay::« aurait démissionné » reports unverified information: name a source or confirm it%0Ahelp: Name who says so, or confirm the fact and use the indicative."
        );
        assert!(
            lines[1].starts_with("::notice file=desk/brève.md,line=3,col=35,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].ends_with("::quotation with no speaker, a: b, 100%25"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("::warning file=desk/brève.md,line=1,col=1,"),
            "{}",
            lines[2]
        );
        assert_eq!(
            lines[3],
            "::error file=desk/latin1.md,line=2,col=3,title=copydesk encoding error::desk/latin1.md:2:3: not valid UTF-8 at byte 12"
        );
        assert_eq!(
            lines[4],
            "2 findings in 2 files: 1 warning, 1 information (1 suppressed)."
        );
    }

    #[test]
    fn paths_with_separators_are_escaped() {
        let report = sample_report();
        let file = &report.files[1];
        assert_eq!(
            location(file, &(0..1)),
            "file=desk/news%2C 100%25.md,line=1,col=1,endLine=1,endColumn=2"
        );
    }
}
