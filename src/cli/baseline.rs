//! `copydesk check --baseline`, `--write-baseline` and `--prune-baseline`: applying a
//! baseline to a report, recording one, and removing its stale entries.
//!
//! The fingerprints and the file format are in [`crate::baseline`], shared with the
//! language server; this module decides which baseline applies to which file, and
//! does the reading and writing for `check`:
//!
//! - the baseline is `--baseline FILE` for every file, else the one named by each
//!   file's `copydesk.toml` (`baseline = "…"`), unless `--no-baseline`;
//! - a finding the baseline accounts for is moved out of the report's findings (into
//!   [`CheckedFile::baselined`]): it is neither printed nor counted for the exit code;
//! - an entry that matches no finding any more is *stale*: the finding was fixed, or
//!   its sentence rewritten. Only entries of files this run looked at are judged (or
//!   of files that no longer exist), so `check one-folder` says nothing about the
//!   rest of the archive. Stale entries are reported, never fatal; `--prune-baseline`
//!   removes them from the file;
//! - `--write-baseline FILE` records every finding of the files checked, replacing
//!   their entries and keeping those of other files, so that recording one folder
//!   does not forget another. It refuses to write after an error, since a file that
//!   could not be read would lose its entries.

use super::check::CheckArgs;
use super::report::{ErrorKind, Report, RunError};
use crate::baseline::{self, Baseline, Fingerprint};
use crate::config::FileError;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a baseline did in one run, for the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineSummary {
    /// The baseline files used (or written), as shown to users.
    pub files: Vec<PathBuf>,
    /// How many findings the baselines accounted for.
    pub matched: usize,
    /// Entries that no longer match a finding, with the occurrences left over.
    pub stale: Vec<StaleEntry>,
    /// How many occurrences `--prune-baseline` removed.
    pub pruned: usize,
    /// `--write-baseline`: how many entries and findings the written file holds.
    pub written: Option<(usize, usize)>,
}

/// A baseline entry that no longer matches a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEntry {
    /// The baseline file it is in, as shown to users.
    pub baseline: PathBuf,
    pub fingerprint: Fingerprint,
    /// How many of its occurrences matched nothing.
    pub count: usize,
}

/// The options of one run that concern baselines.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--baseline FILE`, for every file.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`.
    pub write: Option<PathBuf>,
    /// `--prune-baseline`.
    pub prune: bool,
    /// `--no-baseline`: ignore the configuration's baseline.
    pub ignore_configured: bool,
}

impl Options {
    pub fn of(args: &CheckArgs) -> Options {
        Options {
            baseline: args.baseline.clone(),
            write: args.write_baseline.clone(),
            prune: args.prune_baseline,
            ignore_configured: args.no_baseline,
        }
    }

    /// Whether the configuration's baseline must exist for this run (it is read).
    pub fn reads_configured(&self) -> bool {
        self.baseline.is_none() && self.write.is_none() && !self.ignore_configured
    }
}

/// Applies, writes or prunes the baselines of a run, as `options` say. Problems are
/// added to the report's errors.
pub fn apply(report: &mut Report, options: &Options, cwd: &Path) {
    if let Some(path) = &options.write {
        write(report, &absolute(path, cwd), cwd);
        return;
    }
    // Which baseline each file uses, grouped by baseline file.
    let explicit = options.baseline.as_ref().map(|p| absolute(p, cwd));
    let mut groups: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, file) in report.files.iter().enumerate() {
        let chosen = match &explicit {
            Some(path) => Some(path.clone()),
            None if options.ignore_configured => None,
            None => file.config_baseline.clone(),
        };
        if let Some(path) = chosen {
            groups.entry(path).or_default().push(i);
        }
    }
    if groups.is_empty() {
        if let Some(path) = &explicit {
            // `--baseline FILE` with nothing to check still validates FILE.
            if let Err(e) = Baseline::load(path) {
                report.errors.push(file_error(e, cwd));
            }
            report.baseline = Some(BaselineSummary {
                files: vec![shown(path, cwd)],
                ..BaselineSummary::default()
            });
        }
        return;
    }

    let mut summary = BaselineSummary::default();
    for (path, members) in groups {
        let display = shown(&path, cwd);
        summary.files.push(display.clone());
        let mut loaded = match Baseline::load(&path) {
            Ok(b) => b,
            Err(e) => {
                report.errors.push(file_error(e, cwd));
                continue;
            }
        };
        let dir = folder_of(&path);
        let mut matcher = loaded.matcher();
        let mut checked = HashSet::new();
        for i in members {
            let file = &mut report.files[i];
            let key = baseline::file_key(&dir, &file.canonical);
            let findings = std::mem::take(&mut file.analysis.findings);
            let (kept, baselined) = matcher.partition(&key, &file.text, findings);
            summary.matched += baselined.len();
            file.analysis.findings = kept;
            file.baselined = baselined;
            checked.insert(key);
        }
        // An entry is judged only if its file was looked at, or is gone for good.
        let stale = matcher.stale(|key| checked.contains(key) || !dir.join(key).exists());
        if options.prune && !stale.is_empty() {
            for (fingerprint, count) in &stale {
                loaded.reduce(fingerprint, *count);
                summary.pruned += count;
            }
            if let Err(e) = loaded.save(&path) {
                report.errors.push(RunError::new(
                    ErrorKind::Io,
                    Some(&display),
                    format!("cannot write the pruned baseline: {e}"),
                ));
            }
            continue;
        }
        summary
            .stale
            .extend(stale.into_iter().map(|(fingerprint, count)| StaleEntry {
                baseline: display.clone(),
                fingerprint,
                count,
            }));
    }
    report.baseline = Some(summary);
}

/// `--write-baseline FILE`: records every finding of the files checked.
fn write(report: &mut Report, path: &Path, cwd: &Path) {
    let display = shown(path, cwd);
    if !report.errors.is_empty() {
        report.errors.push(RunError::new(
            ErrorKind::Io,
            Some(&display),
            "baseline not written: the errors above kept files from being checked, and their entries would be lost".to_string(),
        ));
        return;
    }
    // Entries of files this run did not look at are kept.
    let mut recorded = if path.exists() {
        match Baseline::load(path) {
            Ok(b) => b,
            Err(e) => {
                let mut err = file_error(e, cwd);
                err.message.push_str(
                    " (the baseline is not overwritten, since its entries for other files would be lost: fix or delete it)",
                );
                report.errors.push(err);
                return;
            }
        }
    } else {
        Baseline::default()
    };
    let dir = folder_of(path);
    let mut checked = HashSet::new();
    for file in &report.files {
        let key = baseline::file_key(&dir, &file.canonical);
        recorded.remove_file(&key);
        checked.insert(key);
    }
    for file in &report.files {
        let key = baseline::file_key(&dir, &file.canonical);
        for finding in &file.analysis.findings {
            recorded.add(Fingerprint::of(&key, &file.text, finding));
        }
    }
    // Articles that were deleted or moved have nothing left to account for.
    recorded.retain(|f| checked.contains(&f.file) || dir.join(&f.file).exists());
    if let Err(e) = recorded.save(path) {
        report.errors.push(RunError::new(
            ErrorKind::Io,
            Some(&display),
            format!("cannot write the baseline: {e}"),
        ));
        return;
    }
    let mut matched = 0;
    for file in &mut report.files {
        let findings = std::mem::take(&mut file.analysis.findings);
        matched += findings.len();
        file.baselined = findings;
    }
    report.baseline = Some(BaselineSummary {
        files: vec![display],
        matched,
        written: Some((recorded.len(), recorded.findings())),
        ..BaselineSummary::default()
    });
}

/// At most this many stale entries are listed on standard error; the rest are counted.
const STALE_LISTED: usize = 20;

/// Tells on standard error what the baseline did that the report does not show:
/// the file written, the entries pruned, the stale entries (listed up to a limit).
pub fn write_notes(report: &Report, err: &mut dyn Write) -> std::io::Result<()> {
    let Some(summary) = &report.baseline else {
        return Ok(());
    };
    let names = summary
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some((entries, findings)) = summary.written {
        writeln!(
            err,
            "note: wrote {names}: {} in {}",
            super::report::plural(findings, "finding", "findings"),
            super::report::plural(entries, "entry", "entries"),
        )?;
    }
    if summary.pruned > 0 {
        writeln!(
            err,
            "note: removed {} from {names}",
            super::report::plural(
                summary.pruned,
                "stale baseline entry",
                "stale baseline entries"
            ),
        )?;
    }
    if !summary.stale.is_empty() {
        let total: usize = summary.stale.iter().map(|s| s.count).sum();
        let (entries, verb) = if total == 1 {
            ("1 baseline entry".to_string(), "matches")
        } else {
            (format!("{total} baseline entries"), "match")
        };
        writeln!(
            err,
            "note: {entries} of {names} no longer {verb} a finding (fixed, or the sentence was rewritten); `copydesk check --prune-baseline` removes them:",
        )?;
        for stale in summary.stale.iter().take(STALE_LISTED) {
            let times = if stale.count > 1 {
                format!(" (×{})", stale.count)
            } else {
                String::new()
            };
            writeln!(
                err,
                "  {}: {} « {} »{times}",
                stale.fingerprint.file, stale.fingerprint.rule, stale.fingerprint.cue
            )?;
        }
        if summary.stale.len() > STALE_LISTED {
            writeln!(err, "  … and {} more", summary.stale.len() - STALE_LISTED)?;
        }
    }
    Ok(())
}

/// A baseline-file problem as an error of the run.
fn file_error(e: FileError, cwd: &Path) -> RunError {
    let mut err = RunError::new(ErrorKind::Config, Some(&shown(&e.path, cwd)), e.message);
    if e.line > 0 {
        err.line = Some(e.line);
        err.column = Some(e.col);
    }
    err
}

fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

/// The canonical folder of a baseline file, which its paths are relative to.
fn folder_of(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// A path as shown to users: relative to the current folder when inside it.
fn shown(path: &Path, cwd: &Path) -> PathBuf {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}
