//! The labelled evaluation of the attribution rules.
//!
//! `tests/eval/{fr,en}/*.md` are short articles we wrote, each ending with a fenced
//! `expect` block that lists the findings a desk editor wants (`rule | snippet`). A
//! finding matches an expectation when the rule is the same and its range overlaps the
//! snippet's only occurrence. The test prints precision and recall per rule and fails
//! when overall precision is under 0.90 or recall under 0.80.

use copydesk::analysis::Engine;
use copydesk::config::Config;
use copydesk::kb::Kb;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

struct Expectation {
    rule: String,
    snippet: String,
    range: Range<usize>,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

fn files(lang: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/eval")
        .join(lang);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    v.sort();
    v
}

/// Reads the `expect` block and locates every snippet in the article.
fn expectations(path: &Path, text: &str) -> Vec<Expectation> {
    let start = text
        .find("```expect")
        .unwrap_or_else(|| panic!("{}: no ```expect block", path.display()));
    let body = &text[start..];
    let body = &body[body.find('\n').map_or(body.len(), |i| i + 1)..];
    let end = body.find("```").unwrap_or(body.len());
    let article = &text[..start];
    let mut out = Vec::new();
    for line in body[..end].lines().filter(|l| !l.trim().is_empty()) {
        let (rule, snippet) = line
            .split_once('|')
            .unwrap_or_else(|| panic!("{}: bad expect line {line:?}", path.display()));
        let (rule, snippet) = (rule.trim().to_string(), snippet.trim().to_string());
        let hits: Vec<usize> = article.match_indices(&snippet).map(|(i, _)| i).collect();
        assert_eq!(
            hits.len(),
            1,
            "{}: snippet {snippet:?} must occur exactly once (found {})",
            path.display(),
            hits.len()
        );
        out.push(Expectation {
            rule,
            range: hits[0]..hits[0] + snippet.len(),
            snippet,
        });
    }
    out
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[test]
fn attribution_precision_and_recall() {
    let engine = Engine::new(Config::default(), Arc::new(Kb::empty()));
    let mut per_rule: BTreeMap<(String, String), Counts> = BTreeMap::new();
    let mut report = Vec::new();
    let mut sentences: BTreeMap<&str, usize> = BTreeMap::new();
    for lang in ["fr", "en"] {
        for path in files(lang) {
            let text = std::fs::read_to_string(&path).expect("readable eval file");
            let expected = expectations(&path, &text);
            let analysis = engine.analyze(&text);
            *sentences.entry(lang).or_default() += analysis.sentences.len();
            let findings: Vec<_> = analysis
                .findings
                .iter()
                .filter(|f| f.rule.code().starts_with("attribution/"))
                .collect();
            let mut used = vec![false; findings.len()];
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            for e in &expected {
                let hit = findings.iter().enumerate().position(|(i, f)| {
                    !used[i]
                        && f.rule.code() == e.rule
                        && f.range.start < e.range.end
                        && e.range.start < f.range.end
                });
                let c = per_rule
                    .entry((lang.to_string(), e.rule.clone()))
                    .or_default();
                match hit {
                    Some(i) => {
                        used[i] = true;
                        c.tp += 1;
                    }
                    None => {
                        c.fn_ += 1;
                        report.push(format!(
                            "MISS {lang}/{name}:{} {} | {}",
                            line_of(&text, e.range.start),
                            e.rule,
                            e.snippet
                        ));
                    }
                }
            }
            for (i, f) in findings.iter().enumerate() {
                if !used[i] {
                    per_rule
                        .entry((lang.to_string(), f.rule.code().to_string()))
                        .or_default()
                        .fp += 1;
                    report.push(format!(
                        "FALSE {lang}/{name}:{} {} | {}",
                        line_of(&text, f.range.start),
                        f.rule.code(),
                        &text[f.range.clone()]
                    ));
                }
            }
        }
    }
    for line in &report {
        println!("{line}");
    }
    println!(
        "\n{:<4} {:<32} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "lang", "rule", "tp", "fp", "fn", "precision", "recall"
    );
    let mut total = Counts::default();
    for ((lang, rule), c) in &per_rule {
        println!(
            "{lang:<4} {rule:<32} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        );
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
    }
    println!(
        "all  {:<32} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "",
        total.tp,
        total.fp,
        total.fn_,
        total.precision(),
        total.recall()
    );
    println!("sentences: {sentences:?}");
    for lang in ["fr", "en"] {
        let n = sentences.get(lang).copied().unwrap_or(0);
        assert!(
            n >= 300,
            "the {lang} evaluation set has {n} sentences; it needs 300"
        );
    }
    assert!(
        total.precision() >= 0.90,
        "precision {:.3} < 0.90",
        total.precision()
    );
    assert!(
        total.recall() >= 0.80,
        "recall {:.3} < 0.80",
        total.recall()
    );
}
