//! The text format: findings the way rustc and ruff print them.
//!
//! ```text
//! warning[attribution/hearsay]: « aurait démissionné » reports unverified information: name a source or confirm it
//!  --> desk/brève.md:3:15
//!   |
//! 3 | 😀 Le ministre aurait démissionné, « sans préavis ».
//!   |                ^^^^^^^^^^^^^^^^^^
//!   = help: Name who says so, or confirm the fact and use the indicative.
//! ```
//!
//! Underlines are measured in terminal columns by counting characters (combining
//! marks and zero-width characters count for nothing, a tab for four, emoji and East
//! Asian wide characters for two: see [`display_width`]). A cue over
//! several lines is underlined to the end of its first line. Markdown paragraphs are
//! often one long line, so a line longer than [`MAX_LINE`] characters is shown as a
//! window around the cue with `…` at the cut ends (a quotation longer than the window
//! is cut too, with its underline). Colour uses plain ANSI codes.

use super::{
    CheckedFile, Counts, RenderOptions, Report, plural, summary_line, suppression_kind_name,
    write_errors,
};
use crate::rules::Severity;
use std::io::{self, Write};
use std::ops::Range;

/// Lines longer than this many characters are shown as a window around the cue, and
/// a window never shows more.
pub const MAX_LINE: usize = 120;
/// Characters shown around the cue when a line is windowed (the cue's own length
/// comes out of it), and the least context kept on each side.
const WINDOW: usize = 100;
const CONTEXT: usize = 40;
/// What a tab is shown as.
const TAB: &str = "    ";

/// ANSI styles, or nothing when colour is off.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity_code(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;32",
            Severity::Hint => "1;36",
        }
    }

    fn severity(&self, severity: Severity, s: &str) -> String {
        self.paint(Self::severity_code(severity), s)
    }

    fn gutter(&self, s: &str) -> String {
        self.paint("1;34", s)
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// Renders the report: findings and document problems per file in document order,
/// then suppressions (with `--report-suppressions`), the errors of the run on `err`,
/// and the summary.
pub fn render(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let style = Style { on: options.color };
    for file in &report.files {
        // Findings and problems are interleaved by position, as a reader meets them.
        let mut items: Vec<(usize, Item<'_>)> = file
            .analysis
            .findings
            .iter()
            .map(|f| (f.range.start, Item::Finding(f)))
            .chain(
                file.analysis
                    .problems
                    .iter()
                    .map(|(r, m)| (r.start, Item::Problem(r, m))),
            )
            .collect();
        items.sort_by_key(|(start, _)| *start);
        for (_, item) in items {
            match item {
                Item::Finding(f) => {
                    let header = format!("{}[{}]", f.severity, f.rule.code());
                    writeln!(
                        out,
                        "{}: {}",
                        style.severity(f.severity, &header),
                        style.bold(&visible(&f.message))
                    )?;
                    write_snippet(out, file, &f.range, f.severity, &style)?;
                    if !f.help.is_empty() {
                        let pad = " ".repeat(gutter_width(file, &f.range) + 1);
                        writeln!(out, "{pad}= {}: {}", style.bold("help"), visible(&f.help))?;
                    }
                }
                Item::Problem(range, message) => {
                    writeln!(
                        out,
                        "{}: {}",
                        style.severity(Severity::Warning, "warning"),
                        style.bold(&visible(message))
                    )?;
                    write_snippet(out, file, range, Severity::Warning, &style)?;
                }
            }
            writeln!(out)?;
        }
    }
    if options.report_suppressions {
        write_suppressions(report, &style, out)?;
    }
    out.flush()?;
    write_errors(report, options.err_color, err)?;
    err.flush()?;
    write_summary(&report.counts(), &style, out)
}

enum Item<'a> {
    Finding(&'a crate::rules::Finding),
    Problem(&'a Range<usize>, &'a String),
}

/// Width of the line-number gutter for a range: the digits of its line number.
fn gutter_width(file: &CheckedFile, range: &Range<usize>) -> usize {
    file.position(range.start).line.to_string().len()
}

/// Writes the ` --> path:line:col` line, the source line and the underline.
fn write_snippet(
    out: &mut dyn Write,
    file: &CheckedFile,
    range: &Range<usize>,
    severity: Severity,
    style: &Style,
) -> io::Result<()> {
    let start = file.position(range.start);
    let width = start.line.to_string().len();
    let pad = " ".repeat(width);
    writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.gutter("-->"),
        visible(&file.path.display().to_string()),
        start.line,
        start.column
    )?;
    let line_range = file.index.line_range(&file.text, start.line - 1);
    let line = file.slice(&line_range);
    // The cue's part on this line, as byte offsets into the line.
    let cue_start = range.start.clamp(line_range.start, line_range.end) - line_range.start;
    let cue_end = range.end.clamp(line_range.start, line_range.end) - line_range.start;
    let (shown, before, under) = excerpt(line, cue_start, cue_end.max(cue_start));
    writeln!(out, "{pad} {}", style.gutter("|"))?;
    writeln!(
        out,
        "{} {}",
        style.gutter(&format!("{:>width$} |", start.line)),
        shown
    )?;
    writeln!(
        out,
        "{pad} {} {}{}",
        style.gutter("|"),
        " ".repeat(before),
        style.severity(severity, &"^".repeat(under.max(1)))
    )
}

/// The line as shown (tabs expanded, windowed when long), the columns before the cue
/// and the cue's width, all in terminal columns.
fn excerpt(line: &str, cue_start: usize, cue_end: usize) -> (String, usize, usize) {
    let get = |r: Range<usize>| line.get(r).unwrap_or_default();
    let (start, end) = (floor(line, cue_start), ceil(line, cue_end));
    let mut lo = 0;
    let mut hi = line.len();
    // Characters are counted only as far as the window needs (a count above
    // `MAX_LINE` decides the same as the full count), so that a line of three
    // megabytes with thousands of findings is not read once per finding.
    let count = |s: &str| s.chars().take(MAX_LINE + 1).count();
    if line.len() > MAX_LINE && count(line) > MAX_LINE {
        // Share the window's context between the two sides of the cue; a side with
        // fewer characters than its share leaves the rest to the other side.
        let before = get(0..start).chars().rev().take(MAX_LINE + 1).count();
        let after = count(get(end..line.len()));
        let cue_chars = count(get(start..end));
        let budget = WINDOW.saturating_sub(cue_chars).max(2 * CONTEXT);
        let (left, right) = if cue_chars > WINDOW - 2 * CONTEXT {
            // A long cue (a whole quotation) needs little context; it is cut below.
            (before.min(CONTEXT / 2), after.min(CONTEXT / 2))
        } else if before < budget / 2 {
            (before, after.min(budget - before))
        } else if after < budget - budget / 2 {
            (before.min(budget - after), after)
        } else {
            (budget / 2, budget - budget / 2)
        };
        lo = get(0..start)
            .char_indices()
            .rev()
            .nth(left.saturating_sub(1))
            .filter(|_| left > 0)
            .map_or(start, |(i, _)| i);
        hi = get(end..line.len())
            .char_indices()
            .nth(right)
            .map_or(line.len(), |(i, _)| end + i);
        // Never show more than MAX_LINE characters, even if that cuts the cue.
        hi = get(lo..hi)
            .char_indices()
            .nth(MAX_LINE)
            .map_or(hi, |(i, _)| lo + i);
    }
    let ellipsis_left = if lo > 0 { "…" } else { "" };
    let ellipsis_right = if hi < line.len() { "…" } else { "" };
    let head = get(lo..start.max(lo));
    let cue = get(start.max(lo)..end.min(hi));
    let shown = format!(
        "{ellipsis_left}{}{ellipsis_right}",
        visible(&expand_tabs(get(lo..hi)))
    );
    (
        shown,
        display_width(ellipsis_left) + display_width(head),
        display_width(cue),
    )
}

fn floor(s: &str, i: usize) -> usize {
    crate::text::floor_char_boundary(s, i)
}

fn ceil(s: &str, i: usize) -> usize {
    crate::text::ceil_char_boundary(s, i)
}

fn expand_tabs(s: &str) -> String {
    s.replace('\t', TAB)
}

/// `s` with every control character made visible, so that text from an article (a NUL
/// byte, an escape sequence, a carriage return) cannot corrupt or drive the terminal:
/// C0 controls and DEL become their Unicode control pictures (`␀`, `␛`, `␍`), C1
/// controls become `�`, a tab becomes spaces and a line break a space (in a message,
/// a cue may span two lines). Each character stays one column wide, so underlines
/// stay aligned.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str(TAB),
            '\n' => out.push(' '),
            '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\x7f' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Terminal columns of `s`, counted in characters with three corrections that keep
/// the underline under the cue: combining marks and zero-width characters take no
/// column, a tab takes four, and emoji and East Asian wide characters take two. The
/// ranges are the main blocks rather than the full Unicode width table, which would
/// be a dependency for characters our articles barely use.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            '\t' => TAB.len(),
            '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{FE00}'..='\u{FE0F}' => 0,
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{1F300}'..='\u{1F64F}'
            | '\u{1F900}'..='\u{1FAFF}'
            | '\u{20000}'..='\u{3FFFD}' => 2,
            _ => 1,
        })
        .sum()
}

/// Lists every suppression with its reason and use; unused ones are flagged.
fn write_suppressions(report: &Report, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    let total: usize = report
        .files
        .iter()
        .map(|f| f.analysis.suppressions.len())
        .sum();
    writeln!(out, "{}", style.bold(&format!("Suppressions ({total}):")))?;
    for file in &report.files {
        for s in &file.analysis.suppressions {
            let pos = file.position(s.range.start);
            let rules = if s.rules.is_empty() {
                "every rule".to_string()
            } else {
                s.rules
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let used = if s.used == 0 {
                style.severity(Severity::Warning, "unused")
            } else {
                format!("silenced {}", plural(s.used, "finding", "findings"))
            };
            let reason = match &s.reason {
                Some(reason) => format!("reason: {}", visible(reason)),
                None => "no reason given".to_string(),
            };
            writeln!(
                out,
                "  {}:{}:{}: {} {rules}: {used}; {reason}",
                visible(&file.path.display().to_string()),
                pos.line,
                pos.column,
                suppression_kind_name(s.kind),
            )?;
        }
    }
    writeln!(out)
}

fn write_summary(counts: &Counts, style: &Style, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", style.bold(&summary_line(counts)))?;
    if counts.problems > 0 {
        writeln!(
            out,
            "{} in documents (shown as warnings above).",
            plural(counts.problems, "problem", "problems")
        )?;
    }
    if counts.run_errors > 0 {
        writeln!(
            out,
            "{}",
            style.severity(
                Severity::Error,
                &format!(
                    "{} prevented a full check (see standard error).",
                    plural(counts.run_errors, "error", "errors")
                )
            )
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::tests::sample_report;
    use std::path::PathBuf;

    fn render_plain(report: &Report, suppressions: bool) -> (String, String) {
        let options = RenderOptions {
            color: false,
            err_color: false,
            report_suppressions: suppressions,
            fail_on: Some(Severity::Warning),
            cwd: PathBuf::from("/work"),
            changed_since: false,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(report, &options, &mut out, &mut err).expect("render");
        (
            String::from_utf8(out).expect("utf-8"),
            String::from_utf8(err).expect("utf-8"),
        )
    }

    #[test]
    fn renders_like_rustc() {
        let (out, err) = render_plain(&sample_report(), true);
        let expected = "\
warning: front matter: unknown key `auteur`
 --> desk/brève.md:1:1
  |
1 | # Titre
  | ^^^^^^^

warning[attribution/hearsay]: « aurait démissionné » reports unverified information: name a source or confirm it
 --> desk/brève.md:3:15
  |
3 | 😀 Le ministre aurait démissionné, « sans préavis ».
  |                ^^^^^^^^^^^^^^^^^^
  = help: Name who says so, or confirm the fact and use the indicative.

information[attribution/unattributed-quote]: quotation with no speaker, a: b, 100%
 --> desk/brève.md:3:35
  |
3 | 😀 Le ministre aurait démissionné, « sans préavis ».
  |                                    ^^^^^^^^^^^^^^^^

Suppressions (2):
  desk/news, 100%.md:1:1: disable-next-line attribution/hearsay: silenced 1 finding; reason: confirmed by the court
  desk/news, 100%.md:1:1: disable every rule: unused; no reason given

2 findings in 2 files: 1 warning, 1 information (1 suppressed).
1 problem in documents (shown as warnings above).
1 error prevented a full check (see standard error).
";
        assert_eq!(out, expected);
        assert_eq!(
            err,
            "error: desk/latin1.md:2:3: not valid UTF-8 at byte 12\n"
        );
    }

    #[test]
    fn colours_only_when_asked() {
        let (plain, _) = render_plain(&sample_report(), false);
        assert!(!plain.contains('\x1b'));
        let options = RenderOptions {
            color: true,
            err_color: true,
            report_suppressions: false,
            fail_on: None,
            cwd: PathBuf::new(),
            changed_since: false,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(&sample_report(), &options, &mut out, &mut err).expect("render");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("\x1b[1;33mwarning[attribution/hearsay]\x1b[0m"));
    }

    #[test]
    fn long_lines_are_windowed_around_the_cue() {
        let cue = "aurait démissionné";
        let line = format!("{} {cue} {}", "a".repeat(200), "b".repeat(200));
        let start = line.find("aurait").expect("cue");
        let (shown, before, under) = excerpt(&line, start, start + cue.len());
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(under, 18);
        let underlined: String = shown.chars().skip(before).take(under).collect();
        assert_eq!(underlined, cue);
        assert!(shown.chars().count() <= WINDOW + 2, "{shown}");

        // A cue at the start of a long line gets all the context on its right.
        let line = format!("{cue} {}", "b".repeat(300));
        let (shown, before, _) = excerpt(&line, 0, cue.len());
        assert_eq!(before, 0);
        assert_eq!(shown.chars().count(), WINDOW + 1, "{shown}");
        // And one at the end gets it on its left.
        let line = format!("{} {cue}", "a".repeat(300));
        let start = line.find("aurait").expect("cue");
        let (shown, before, _) = excerpt(&line, start, line.len());
        assert_eq!(before, 1 + WINDOW - 18);
        assert!(shown.ends_with(cue), "{shown}");

        // A cue longer than the window is cut, and so is its underline.
        let quote = format!("« {} »", "mot ".repeat(60));
        let line = format!("{} {quote} {}", "a".repeat(100), "b".repeat(100));
        let start = line.find('«').expect("quote");
        let (shown, before, under) = excerpt(&line, start, start + quote.len());
        assert_eq!(before, 1 + CONTEXT / 2);
        assert_eq!(shown.chars().count(), MAX_LINE + 2, "{shown}");
        assert_eq!(before + under, MAX_LINE + 1);
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("plain « text »"), "plain « text »");
        assert_eq!(visible("a\0b\x1b[31mc\rd\u{7f}\u{9b}e"), "a␀b␛[31mc␍d␡�e");
        assert_eq!(visible("two\nlines\tand a tab"), "two lines    and a tab");
        // The code frame shows a NUL as one column, so the underline stays in place.
        let (shown, before, under) = excerpt("a\0 aurait fui", 3, 9);
        assert_eq!(shown, "a␀ aurait fui");
        assert_eq!((before, under), (3, 6));
    }

    #[test]
    fn widths_count_what_a_terminal_shows() {
        assert_eq!(display_width("e\u{301}te\u{301}"), 3);
        assert_eq!(display_width("😀 ok"), 5);
        assert_eq!(display_width("a\tb"), 6);
        assert_eq!(display_width("«\u{a0}oui\u{a0}»"), 7);
        // A tab before the cue shifts the underline by four columns.
        let (shown, before, under) = excerpt("\tx", 1, 2);
        assert_eq!((shown.as_str(), before, under), ("    x", 4, 1));
    }
}
