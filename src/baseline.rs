//! Baselines: the findings a newsroom has accepted for now, recorded in a file so that
//! `copydesk check` and the language server report only the new ones.
//!
//! An archive of ten years of articles has thousands of old findings that nobody will
//! rewrite. A baseline records them once (`copydesk check --write-baseline FILE`);
//! afterwards a finding is reported only when the baseline does not account for it.
//! This is the idea of ESLint's bulk suppressions, detekt's and PHPStan's baselines.
//!
//! A finding is identified by a [`Fingerprint`] that survives edits elsewhere in the
//! article: its file (relative to the baseline's folder), its rule, the normalised
//! text of its cue and a hash of the normalised text of its sentence. Line numbers
//! are deliberately not part of it, so a paragraph added above an old finding does
//! not turn it into a new one, while rewriting the finding's own sentence does. The
//! same fingerprint may stand for several findings (a sentence repeated in an
//! article): the baseline keeps a count, and only that many are accounted for.
//!
//! The file is pretty JSON with one entry per line, sorted by file, rule, cue and
//! sentence hash, so that it is stable from one run to the next and reviews well in a
//! pull request. Its format is versioned by [`VERSION`] and documented in
//! `docs/baseline.md`.
//!
//! This module is shared by the CLI (which writes, applies and prunes baselines) and
//! the language server (which applies the project's baseline to its diagnostics). It
//! does no IO of its own beyond [`Baseline::load`] and [`Baseline::save`]; the analysis
//! knows nothing of baselines.

use crate::config::FileError;
use crate::rules::Finding;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The version of the baseline file format.
pub const VERSION: u32 = 1;

/// The file name the documentation suggests for a project's baseline.
pub const DEFAULT_FILE_NAME: &str = "copydesk-baseline.json";

/// What identifies a finding in a baseline, without any position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// The article, relative to the baseline's folder, with forward slashes.
    pub file: String,
    /// The rule's full code (`attribution/hearsay`).
    pub rule: String,
    /// The cue's text, normalised by [`normalize`].
    pub cue: String,
    /// The sentence's normalised text, hashed by [`sentence_hash`] (16 hex digits): the
    /// sentence itself would make the file several times larger, and would copy
    /// unpublished prose into a second file.
    pub sentence_hash: String,
}

impl Fingerprint {
    /// The fingerprint of `finding` in the article `file` whose text is `text`.
    pub fn of(file: &str, text: &str, finding: &Finding) -> Fingerprint {
        let sentence = text.get(finding.sentence.clone()).unwrap_or_default();
        Fingerprint {
            file: file.to_string(),
            rule: finding.rule.code().to_string(),
            cue: normalize(&finding.cue),
            sentence_hash: sentence_hash(sentence),
        }
    }
}

/// One line of the file: a fingerprint's fields and how many findings it stands for.
/// (Spelt out rather than flattened, since serde cannot both flatten a struct and
/// refuse unknown keys.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    rule: String,
    cue: String,
    sentence_hash: String,
    count: usize,
}

/// The whole file as serde reads it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    tool: Option<String>,
    findings: Vec<Entry>,
}

/// A set of accepted findings: fingerprints with their counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<Fingerprint, usize>,
}

impl Baseline {
    /// Parses a baseline file's text. `path` is only used in error messages, which are
    /// positioned (`file:line:col: message`) like configuration errors.
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, FileError> {
        let error = |line: usize, col: usize, message: String| FileError {
            path: path.to_path_buf(),
            line,
            col,
            message,
        };
        let raw: FileFormat = serde_json::from_str(text).map_err(|e| {
            error(
                e.line(),
                e.column(),
                format!("not a copydesk baseline: {e}"),
            )
        })?;
        if raw.version > VERSION {
            return Err(error(
                0,
                0,
                format!(
                    "baseline format version {} is newer than this copydesk understands ({VERSION}): upgrade copydesk",
                    raw.version
                ),
            ));
        }
        let mut baseline = Baseline::default();
        for entry in raw.findings {
            if entry.count == 0 {
                continue;
            }
            let fingerprint = Fingerprint {
                file: entry.file,
                rule: entry.rule,
                cue: entry.cue,
                sentence_hash: entry.sentence_hash,
            };
            *baseline.entries.entry(fingerprint).or_insert(0) += entry.count;
        }
        Ok(baseline)
    }

    /// Reads and parses the baseline file at `path`.
    pub fn load(path: &Path) -> Result<Baseline, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError {
            path: path.to_path_buf(),
            line: 0,
            col: 0,
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "baseline file not found (create it with `copydesk check --write-baseline FILE`)"
                    .to_string()
            } else {
                format!("cannot read the baseline: {e}")
            },
        })?;
        Baseline::parse(&text, path)
    }

    /// Writes the baseline to `path`, through a temporary file in the same folder so
    /// that a reader never sees half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| DEFAULT_FILE_NAME.to_string());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, self.to_json())?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    /// The file's text: pretty JSON with one entry per line, in sorted order.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.entries.len() * 128);
        out.push_str(&format!(
            "{{\n  \"version\": {VERSION},\n  \"tool\": \"copydesk\",\n  \"findings\": ["
        ));
        let mut first = true;
        for (fingerprint, &count) in &self.entries {
            let entry = Entry {
                file: fingerprint.file.clone(),
                rule: fingerprint.rule.clone(),
                cue: fingerprint.cue.clone(),
                sentence_hash: fingerprint.sentence_hash.clone(),
                count,
            };
            // Serialising plain strings and numbers cannot fail.
            let line = serde_json::to_string(&entry).unwrap_or_default();
            out.push_str(if first { "\n    " } else { ",\n    " });
            out.push_str(&line);
            first = false;
        }
        out.push_str(if first { "]\n}\n" } else { "\n  ]\n}\n" });
        out
    }

    /// Accounts for one more finding.
    pub fn add(&mut self, fingerprint: Fingerprint) {
        *self.entries.entry(fingerprint).or_insert(0) += 1;
    }

    /// Removes every entry of `file`.
    pub fn remove_file(&mut self, file: &str) {
        self.entries.retain(|f, _| f.file != file);
    }

    /// Keeps the entries for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Fingerprint) -> bool) {
        self.entries.retain(|f, _| keep(f));
    }

    /// Lowers an entry's count by `by`, removing it at zero.
    pub fn reduce(&mut self, fingerprint: &Fingerprint, by: usize) {
        if let Some(count) = self.entries.get_mut(fingerprint) {
            *count = count.saturating_sub(by);
            if *count == 0 {
                self.entries.remove(fingerprint);
            }
        }
    }

    /// The entries, in file order.
    pub fn entries(&self) -> impl Iterator<Item = (&Fingerprint, usize)> {
        self.entries.iter().map(|(f, &n)| (f, n))
    }

    /// How many distinct fingerprints there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many findings the baseline accounts for (the sum of the counts).
    pub fn findings(&self) -> usize {
        self.entries.values().sum()
    }

    /// A fresh matcher over this baseline.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            remaining: self.entries.iter().map(|(f, &n)| (f, n)).collect(),
        }
    }
}

/// Matches findings against a baseline, using up each entry's count, so that what is
/// left at the end is what no longer matches (stale entries).
#[derive(Debug, Clone)]
pub struct Matcher<'a> {
    remaining: HashMap<&'a Fingerprint, usize>,
}

impl Matcher<'_> {
    /// Whether the baseline accounts for a finding with this fingerprint; if so, one
    /// of its occurrences is used up.
    pub fn take(&mut self, fingerprint: &Fingerprint) -> bool {
        match self.remaining.get_mut(fingerprint) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Splits the findings of one article into those the baseline does not account
    /// for (kept, reported) and those it does, in document order.
    pub fn partition(
        &mut self,
        file: &str,
        text: &str,
        findings: Vec<Finding>,
    ) -> (Vec<Finding>, Vec<Finding>) {
        let mut kept = Vec::with_capacity(findings.len());
        let mut baselined = Vec::new();
        for finding in findings {
            if self.take(&Fingerprint::of(file, text, &finding)) {
                baselined.push(finding);
            } else {
                kept.push(finding);
            }
        }
        (kept, baselined)
    }

    /// The entries not (or not fully) used up, with how many occurrences are left,
    /// for the files `in_scope` says were looked at, in file order.
    pub fn stale(&self, mut in_scope: impl FnMut(&str) -> bool) -> Vec<(Fingerprint, usize)> {
        let mut out: Vec<(Fingerprint, usize)> = self
            .remaining
            .iter()
            .filter(|(f, n)| **n > 0 && in_scope(&f.file))
            .map(|(f, n)| ((*f).clone(), *n))
            .collect();
        out.sort();
        out
    }
}

/// Normalises text for a fingerprint, so that what does not change the words does not
/// change the fingerprint: Unicode NFC, lower case, typographic apostrophes and double
/// quotes as straight ones, the `>` and indentation that start a line inside a block
/// quote or a list item dropped, and every run of white space (line breaks,
/// no-break spaces) as one space, trimmed. Re-wrapping a paragraph, or the copy desk
/// curling its quotes, keeps every fingerprint.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut line_start = false;
    for c in text.nfc() {
        if c == '\n' {
            line_start = true;
            pending_space = true;
            continue;
        }
        if line_start && (c == '>' || c.is_whitespace()) {
            continue;
        }
        line_start = false;
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => out.push('"'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The hash of a sentence's normalised text, as 16 hex digits: 64-bit FNV-1a, which
/// is simple enough to stay the same in every version and on every platform (the
/// standard library's hasher makes no such promise).
pub fn sentence_hash(sentence: &str) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for byte in normalize(sentence).bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:016x}")
}

/// How `file` is named in a baseline kept in the folder `dir`: relative to it, with
/// forward slashes, going up with `..` when the file is outside. Both paths should be
/// absolute and free of symbolic links (canonical), or at least written the same way.
pub fn file_key(dir: &Path, file: &Path) -> String {
    let dir: Vec<Component> = dir.components().collect();
    let path: Vec<Component> = file.components().collect();
    let common = dir.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..dir.len() {
        rel.push("..");
    }
    for part in &path[common..] {
        rel.push(part.as_os_str());
    }
    // Forward slashes whatever the platform, so that one file serves every desk.
    let rel = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        rel.replace('\\', "/")
    } else {
        rel.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Rule, Severity};

    fn finding(text: &str, cue: &str, sentence: &str, rule: Rule) -> Finding {
        let s = text.find(sentence).expect("sentence");
        let c = s + sentence.find(cue).expect("cue");
        Finding {
            rule,
            severity: Severity::Warning,
            range: c..c + cue.len(),
            sentence: s..s + sentence.len(),
            cue: cue.to_string(),
            message: String::new(),
            help: String::new(),
            fixes: Vec::new(),
        }
    }

    #[test]
    fn normalising_ignores_layout_and_typography() {
        assert_eq!(
            normalize("Le  ministre\n> aurait\u{a0}démissionné,  dit l’AFP."),
            "le ministre aurait démissionné, dit l'afp."
        );
        // A decomposed é and a composed one are the same word.
        assert_eq!(normalize("de\u{301}mission"), normalize("démission"));
        assert_eq!(normalize("“Quoted”"), "\"quoted\"");
        assert_eq!(normalize("  \n "), "");
        assert_eq!(
            sentence_hash("Le convoi aurait\nfranchi la frontière."),
            sentence_hash("Le convoi aurait franchi   la frontière.")
        );
        assert_ne!(
            sentence_hash("Le convoi aurait franchi la frontière."),
            sentence_hash("Le convoi aurait franchi la rivière.")
        );
        // The hash is part of the file format: it must never change.
        assert_eq!(sentence_hash(""), "cbf29ce484222325");
        assert_eq!(sentence_hash("a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn fingerprints_survive_line_shifts_but_not_sentence_edits() {
        let before = "Le ministre aurait démissionné.\n";
        let after = "# Titre\n\nUn paragraphe ajouté.\n\nLe ministre aurait\ndémissionné.\n";
        let edited = "Le ministre aurait démissionné jeudi.\n";
        let a = finding(
            before,
            "aurait démissionné",
            "Le ministre aurait démissionné.",
            Rule::Hearsay,
        );
        let b = finding(
            after,
            "aurait\ndémissionné",
            "Le ministre aurait\ndémissionné.",
            Rule::Hearsay,
        );
        let c = finding(
            edited,
            "aurait démissionné",
            "Le ministre aurait démissionné jeudi.",
            Rule::Hearsay,
        );
        let fa = Fingerprint::of("a.md", before, &a);
        assert_eq!(fa, Fingerprint::of("a.md", after, &b));
        assert_ne!(fa, Fingerprint::of("a.md", edited, &c));
        assert_ne!(fa, Fingerprint::of("b.md", before, &a));
    }

    #[test]
    fn counts_are_used_up_and_the_rest_is_stale() {
        let text = "Il aurait menti. Il aurait menti. Elle aurait menti.\n";
        let mut baseline = Baseline::default();
        let one = finding(text, "aurait menti", "Il aurait menti.", Rule::Hearsay);
        baseline.add(Fingerprint::of("a.md", text, &one));
        let elsewhere = finding(text, "aurait menti", "Elle aurait menti.", Rule::Hearsay);
        baseline.add(Fingerprint::of("gone.md", text, &elsewhere));
        assert_eq!((baseline.len(), baseline.findings()), (2, 2));

        // Two identical findings, one in the baseline: the second is new.
        let mut second = one.clone();
        let at = text.rfind("Il aurait").expect("second sentence");
        second.sentence = at..at + "Il aurait menti.".len();
        let mut matcher = baseline.matcher();
        let (kept, baselined) = matcher.partition("a.md", text, vec![one, second]);
        assert_eq!((kept.len(), baselined.len()), (1, 1));
        // Only entries of files in scope are stale.
        assert!(matcher.stale(|f| f == "a.md").is_empty());
        let stale = matcher.stale(|_| true);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].0.file, "gone.md");
    }

    #[test]
    fn the_file_round_trips_sorted_one_entry_per_line() {
        let text = "Des experts estiment qu’il aurait menti.\n";
        let mut baseline = Baseline::default();
        let hearsay = finding(
            text,
            "aurait menti",
            "Des experts estiment qu’il aurait menti.",
            Rule::Hearsay,
        );
        let vague = finding(
            text,
            "Des experts estiment",
            "Des experts estiment qu’il aurait menti.",
            Rule::VagueSource,
        );
        baseline.add(Fingerprint::of("z/b.md", text, &vague));
        baseline.add(Fingerprint::of("a.md", text, &hearsay));
        baseline.add(Fingerprint::of("a.md", text, &hearsay));
        let json = baseline.to_json();
        let lines: Vec<&str> = json.lines().collect();
        assert_eq!(lines.len(), 8, "{json}");
        assert!(lines[4].contains("\"file\":\"a.md\""), "{json}");
        assert!(lines[4].contains("\"count\":2"), "{json}");
        assert!(lines[5].contains("z/b.md"), "{json}");
        let back = Baseline::parse(&json, Path::new("b.json")).expect("parses");
        assert_eq!(back, baseline);
        assert_eq!(back.to_json(), json);
        let empty = Baseline::default().to_json();
        assert_eq!(
            Baseline::parse(&empty, Path::new("b.json")),
            Ok(Baseline::default())
        );
    }

    #[test]
    fn bad_files_are_positioned() {
        let e = Baseline::parse(
            "{\n  \"version\": 1,\n  \"findings\": [1]\n}",
            Path::new("b.json"),
        )
        .expect_err("not entries");
        assert_eq!(e.line, 3, "{e}");
        let e = Baseline::parse("{\"version\": 9, \"findings\": []}", Path::new("b.json"))
            .expect_err("newer");
        assert!(e.message.contains("newer"), "{e}");
        let e = Baseline::parse(
            "{\"version\": 1, \"findings\": [], \"extra\": 1}",
            Path::new("b.json"),
        )
        .expect_err("unknown key");
        assert!(e.message.contains("extra"), "{e}");
    }

    #[test]
    fn file_keys_are_relative_with_forward_slashes() {
        assert_eq!(
            file_key(Path::new("/news"), Path::new("/news/archive/a.md")),
            "archive/a.md"
        );
        assert_eq!(
            file_key(Path::new("/news/desk"), Path::new("/news/archive/a.md")),
            "../archive/a.md"
        );
    }
}
