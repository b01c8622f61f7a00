//! `copydesk check --changed-since REF`: what changed in the Git repository since a
//! revision, down to the line, so that a pull request is annotated only on what it
//! changed.
//!
//! The comparison is the one a pull request shows: from the *merge base* of `REF`
//! and `HEAD` (what `git diff REF...HEAD` compares) to the *working tree*. So it holds
//! the branch's commits, and also what is staged or not yet committed, and files
//! that are untracked but not ignored, which count as changed throughout. In CI the
//! working tree is the checked-out commit and this is exactly the pull request's
//! diff; on a writer's machine it is "everything I changed since I branched off".
//!
//! Lines come from `git diff --unified=0`: its hunk headers say which lines of the
//! new file were added or replaced. A pure deletion leaves no new line, so the lines
//! around it count as changed (a sentence that lost its attribution line has
//! changed). Renames are followed, so moving an article changes none of its lines.
//!
//! Git is run as a program (`git` on `PATH`), with its output parsed here: no
//! library binding is needed for three commands, and the user's Git is the one that
//! knows their repository's configuration.

use super::report::{CheckedFile, Report};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The lines of one file that changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedLines {
    /// The whole file is new (added or untracked).
    All,
    /// 1-based line ranges (end exclusive), sorted and disjoint.
    Lines(Vec<Range<usize>>),
}

impl ChangedLines {
    /// Whether any line from `first` to `last` (1-based, inclusive) changed.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        match self {
            ChangedLines::All => true,
            ChangedLines::Lines(ranges) => {
                // The ranges are sorted: find the first that ends after `first`.
                let i = ranges.partition_point(|r| r.end <= first);
                ranges.get(i).is_some_and(|r| r.start <= last)
            }
        }
    }

    fn push(&mut self, lines: Range<usize>) {
        if let ChangedLines::Lines(ranges) = self {
            if lines.is_empty() {
                return;
            }
            ranges.push(lines);
        }
    }

    /// Sorts and merges the ranges.
    fn finish(&mut self) {
        if let ChangedLines::Lines(ranges) = self {
            ranges.sort_by_key(|r| (r.start, r.end));
            let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
            for r in ranges.drain(..) {
                match merged.last_mut() {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            *ranges = merged;
        }
    }
}

/// The changes of a repository since a revision: changed files (canonical paths)
/// and their changed lines.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The revision as the user gave it.
    pub reference: String,
    /// The merge base the working tree was compared with.
    pub base: String,
    pub files: HashMap<PathBuf, ChangedLines>,
}

impl Changes {
    /// The changed lines of a file, by its canonical path; `None` when it is unchanged.
    pub fn of(&self, canonical: &Path) -> Option<&ChangedLines> {
        self.files.get(canonical)
    }
}

/// Keeps, in each file of the report, only the findings and document problems that
/// touch a changed line: the lines of the finding's sentence and of its cue. The
/// others are counted in `report.outside_changes`.
pub fn restrict(report: &mut Report, changes: &Changes) {
    let mut outside = 0;
    for file in &mut report.files {
        let Some(lines) = changes.of(&file.canonical) else {
            outside += file.analysis.findings.len();
            file.analysis.findings.clear();
            file.analysis.problems.clear();
            continue;
        };
        let touches = |file: &CheckedFile, ranges: &[&Range<usize>]| {
            let start = ranges.iter().map(|r| r.start).min().unwrap_or(0);
            // Ends are exclusive: the last line is that of the last byte.
            let end = ranges
                .iter()
                .map(|r| r.end.saturating_sub(1).max(r.start))
                .max()
                .unwrap_or(start);
            lines.touches(file.position(start).line, file.position(end).line)
        };
        let findings = std::mem::take(&mut file.analysis.findings);
        let before = findings.len();
        let kept: Vec<_> = findings
            .into_iter()
            .filter(|f| touches(file, &[&f.range, &f.sentence]))
            .collect();
        outside += before - kept.len();
        file.analysis.findings = kept;
        let problems = std::mem::take(&mut file.analysis.problems);
        file.analysis.problems = problems
            .into_iter()
            .filter(|(range, _)| touches(file, &[range]))
            .collect();
    }
    report.outside_changes += outside;
}

/// Runs Git in `cwd` and returns what changed since `reference`. The error is a
/// sentence for the user (not a Git repository, unknown revision, no Git).
pub fn since(reference: &str, cwd: &Path) -> Result<Changes, String> {
    if reference.is_empty() || reference.starts_with('-') {
        return Err(format!(
            "--changed-since: `{reference}` is not a Git revision"
        ));
    }
    let toplevel = git(cwd, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        format!(
            "--changed-since needs a Git repository, and {} is not in one ({e})",
            cwd.display()
        )
    })?;
    let toplevel = PathBuf::from(toplevel.trim_end_matches(['\n', '\r']));
    let toplevel = std::fs::canonicalize(&toplevel).unwrap_or(toplevel);
    let commit = format!("{reference}^{{commit}}");
    git(
        &toplevel,
        &["rev-parse", "--verify", "--quiet", "--end-of-options", &commit],
    )
    .map_err(|_| {
        format!(
            "--changed-since: unknown Git revision `{reference}` (fetch it first: a shallow CI checkout may lack the base branch)"
        )
    })?;
    let base = git(&toplevel, &["merge-base", reference, "HEAD"])
        .map_err(|e| {
            format!("--changed-since: `{reference}` and HEAD have no common ancestor ({e})")
        })?
        .trim()
        .to_string();
    let diff = git(
        &toplevel,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--unified=0",
            "--find-renames",
            "--diff-filter=ACMRT",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            &base,
            "--",
        ],
    )
    .map_err(|e| format!("--changed-since: git diff failed ({e})"))?;
    let untracked = git(
        &toplevel,
        &["ls-files", "--others", "--exclude-standard", "-z"],
    )
    .map_err(|e| format!("--changed-since: git ls-files failed ({e})"))?;

    let mut files = HashMap::new();
    let canonical = |rel: &str| {
        let path = toplevel.join(rel);
        std::fs::canonicalize(&path).unwrap_or(path)
    };
    for (rel, lines) in parse_diff(&diff) {
        files.insert(canonical(&rel), lines);
    }
    for rel in untracked.split('\0').filter(|s| !s.is_empty()) {
        files.insert(canonical(rel), ChangedLines::All);
    }
    Ok(Changes {
        reference: reference.to_string(),
        base,
        files,
    })
}

/// Runs `git ARGS` in `dir` and returns its standard output, or a short reason.
fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        // The user's pager or locale must not change what is parsed.
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout)
            .map_err(|_| "git printed something that is not UTF-8".into())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(if first.is_empty() {
            format!("git exited with {}", output.status)
        } else {
            first.trim().to_string()
        })
    }
}

/// Parses the output of `git diff --unified=0 --src-prefix=a/ --dst-prefix=b/`: every
/// file of the new side with its changed lines.
pub fn parse_diff(diff: &str) -> Vec<(String, ChangedLines)> {
    let mut out: Vec<(String, ChangedLines)> = Vec::new();
    let mut current: Option<(String, ChangedLines)> = None;
    let mut new_file = false;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            if let Some(mut done) = current.take() {
                done.1.finish();
                out.push(done);
            }
            new_file = false;
        } else if line.starts_with("new file mode") {
            new_file = true;
        } else if let Some(path) = line.strip_prefix("+++ ") {
            if let Some(mut done) = current.take() {
                done.1.finish();
                out.push(done);
            }
            let Some(path) =
                unquote(path.trim_end()).and_then(|p| p.strip_prefix("b/").map(str::to_string))
            else {
                // `+++ /dev/null`: a deleted file has no new lines (and a path that
                // cannot be read takes no hunk of another file's).
                continue;
            };
            let lines = if new_file {
                ChangedLines::All
            } else {
                ChangedLines::Lines(Vec::new())
            };
            current = Some((path, lines));
        } else if let Some(header) = line.strip_prefix("@@ ") {
            let Some((_, lines)) = current.as_mut() else {
                continue;
            };
            if let Some((start, count)) = new_side(header) {
                if count == 0 {
                    // A pure deletion after line `start`: both neighbours changed.
                    lines.push(start.max(1)..start + 2);
                } else {
                    lines.push(start..start + count);
                }
            }
        }
    }
    if let Some(mut done) = current.take() {
        done.1.finish();
        out.push(done);
    }
    out
}

/// The new side of a hunk header `-a,b +c,d @@ …`: its first line and line count.
fn new_side(header: &str) -> Option<(usize, usize)> {
    let plus = header.split_whitespace().find(|w| w.starts_with('+'))?;
    let plus = &plus[1..];
    let (start, count) = match plus.split_once(',') {
        Some((s, c)) => (s.parse().ok()?, c.parse().ok()?),
        None => (plus.parse().ok()?, 1),
    };
    Some((start, count))
}

/// A path as Git prints it: plain, or in double quotes with C escapes (octal bytes
/// for what is not printable) when it has unusual characters.
fn unquote(s: &str) -> Option<String> {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return Some(s.to_string());
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next()? {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'r' => bytes.push(b'\r'),
            b'a' => bytes.push(7),
            b'b' => bytes.push(8),
            b'f' => bytes.push(12),
            b'v' => bytes.push(11),
            d @ b'0'..=b'7' => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    match it.peek() {
                        Some(&o @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(o - b'0');
                            it.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(u8::try_from(value).ok()?);
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/desk/a.md b/desk/a.md
index 1111111..2222222 100644
--- a/desk/a.md
+++ b/desk/a.md
@@ -3,0 +4,2 @@ Titre
+Une ligne ajoutée.
+Une autre.
@@ -10 +12 @@
-Ancienne.
+Nouvelle.
@@ -20,2 +21,0 @@
-Supprimée.
-Supprimée aussi.
diff --git a/new.md b/new.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/new.md
@@ -0,0 +1,3 @@
+Un
+deux
+trois
diff --git a/gone.md b/gone.md
deleted file mode 100644
--- a/gone.md
+++ /dev/null
@@ -1 +0,0 @@
-Parti.
diff --git \"a/br\\303\\250ve \\\"x\\\".md\" \"b/br\\303\\250ve \\\"x\\\".md\"
--- \"a/br\\303\\250ve \\\"x\\\".md\"
+++ \"b/br\\303\\250ve \\\"x\\\".md\"
@@ -1 +1 @@
-a
+b
";

    #[test]
    fn hunks_give_the_new_lines() {
        let parsed = parse_diff(DIFF);
        let names: Vec<&str> = parsed.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["desk/a.md", "new.md", "brève \"x\".md"]);
        // Lines 4-5 added, 12 replaced, and a deletion after line 21 (21 and 22).
        assert_eq!(parsed[0].1, ChangedLines::Lines(vec![4..6, 12..13, 21..23]));
        assert_eq!(parsed[1].1, ChangedLines::All);
        let one_line: Vec<Range<usize>> = std::iter::once(1..2).collect();
        assert_eq!(parsed[2].1, ChangedLines::Lines(one_line));
    }

    #[test]
    fn touching_is_any_overlap() {
        let lines = ChangedLines::Lines(vec![4..6, 12..13]);
        assert!(lines.touches(5, 5));
        assert!(lines.touches(1, 4));
        assert!(lines.touches(6, 12));
        assert!(!lines.touches(6, 11));
        assert!(!lines.touches(13, 40));
        assert!(!lines.touches(1, 3));
        assert!(ChangedLines::All.touches(100, 100));
        assert!(!ChangedLines::Lines(Vec::new()).touches(1, 1));
    }

    #[test]
    fn quoted_paths_are_decoded() {
        assert_eq!(unquote("plain/path.md").as_deref(), Some("plain/path.md"));
        assert_eq!(
            unquote("\"b/caf\\303\\251 \\\"x\\\"\\t.md\"").as_deref(),
            Some("b/café \"x\"\t.md")
        );
        // A trailing backslash escapes nothing.
        assert_eq!(unquote("\"b/bad\\\""), None);
    }

    #[test]
    fn bad_revisions_are_refused_before_running_git() {
        let e = since("--output=x", Path::new(".")).expect_err("an option");
        assert!(e.contains("not a Git revision"), "{e}");
    }
}
