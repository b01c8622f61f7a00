//! Scaling: every path is linear in its input (issue 12).
//!
//! Each generator builds an input at 1× and at 10× its size; the time at 10× divided
//! by the time at 1× must stay well under quadratic growth (100). A linear path gives
//! about 10; the bound is 40, a generous margin for a shared machine, and each size
//! is timed as the fastest of three runs so that a pause of the machine does not
//! count. The inputs are the ones that were quadratic before: quotation marks left
//! open, deep nesting, a paragraph on one line, many quotes and findings in one long
//! sentence, a large article, footnote marks without an end, and edits on a long line
//! in the language server.
//!
//! This is the one timed test of the suite (the standards keep performance targets
//! in benchmarks); it measures growth, not speed, so it holds in debug builds. All
//! generators run in one test function, one after the other, so that no two
//! measurements share the processor.

use copydesk::analysis::Engine;
use copydesk::cli::report::{self, CheckedFile, Format, RenderOptions, Report};
use copydesk::config::Config;
use copydesk::kb::Kb;
use copydesk::lsp::convert::Encoding;
use copydesk::lsp::documents::Document;
use copydesk::text::LineIndex;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

/// The largest accepted ratio between the times at 10× and 1×.
const MAX_RATIO: f64 = 40.0;

/// The fastest of three runs of `f`.
fn fastest(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// Analyses `text` and renders it as `check` prints it (text format), which is where
/// every finding's position is computed.
fn check(engine: &Engine, text: &str) {
    let analysis = engine.analyze(text);
    let report = Report {
        files: vec![CheckedFile {
            path: PathBuf::from("article.md"),
            index: LineIndex::new(text),
            text: text.to_string(),
            analysis,
            canonical: PathBuf::from("/scaling/article.md"),
            config_baseline: None,
            baselined: Vec::new(),
        }],
        ..Report::default()
    };
    let options = RenderOptions {
        color: false,
        err_color: false,
        report_suppressions: false,
        fail_on: None,
        cwd: PathBuf::from("/"),
        changed_since: false,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    report::render(&report, Format::Text, &options, &mut out, &mut err).expect("renders");
}

/// `count` single-character edits near the end of a one-line document of `len`
/// bytes, as a writer typing at the end of a long paragraph, then the text once.
fn edit_long_line(len: usize, count: usize) {
    let uri = Uri::from_str("file:///scaling/article.md").expect("a URI");
    let line = "Le convoi aurait franchi la frontière mardi, selon le maire. ".repeat(len / 62 + 1);
    let mut doc = Document::new(uri, 1, &line);
    let end = line.chars().map(char::len_utf16).sum::<usize>() as u32;
    for i in 0..count {
        let at = Position::new(0, end - 10 + (i % 5) as u32);
        doc.apply_changes(
            i as i32 + 2,
            vec![TextDocumentContentChangeEvent {
                range: Some(Range::new(at, at)),
                range_length: None,
                text: "x".to_string(),
            }],
            Encoding::Utf16,
        );
    }
    assert!(doc.text().len() > len);
}

/// A distinct lower-case word for each number: `a`, `b`, … `ba`, `bb`.
fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (i % 26) as u8);
        i /= 26;
        if i == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[test]
fn every_path_grows_linearly() {
    let engine = Engine::new(Config::default(), Arc::new(Kb::builtin()));
    let article = "---\nlang: fr\n---\n# Titre\n\n";
    let prose = "Le convoi aurait franchi la frontière mardi, selon des sources. « Nous ne \
                 céderons pas », a déclaré la ministre. Le maire a été accusé de favoritisme. \
                 L’OTSC et la CSTO ont parlé à Erevan. ";
    // (what, the input at scale n, n at 1×)
    type Generator = (&'static str, Box<dyn Fn(usize) -> String>, usize);
    let generators: Vec<Generator> = vec![
        // The base sizes keep the 1× run above a few milliseconds in a debug build, so
        // that timer noise and caches on a shared machine do not make the ratio.
        ("unclosed «", Box::new(|n| "« ".repeat(n)), 15_000),
        ("unclosed “", Box::new(|n| "“ ".repeat(n)), 6000),
        ("unclosed \"", Box::new(|n| "\" ".repeat(n)), 15_000),
        (
            "nested « … »",
            Box::new(|n| "« ".repeat(n) + &" »".repeat(n)),
            1500,
        ),
        (
            "quotes in one sentence",
            Box::new(move |n| format!("{article}{}", "« un mot », a dit X, ".repeat(n))),
            300,
        ),
        (
            "a paragraph on one line",
            Box::new(move |n| format!("{article}{}", prose.repeat(n))),
            60,
        ),
        (
            "many paragraphs",
            Box::new(move |n| format!("{article}{}", format!("{prose}\n\n").repeat(n))),
            30,
        ),
        (
            "people introduced, then by surname",
            Box::new(move |n| {
                let people: String = (0..n)
                    .map(|i| {
                        let s = letters(i);
                        format!("Tigran Hako{s}, analyste militaire, est prudent. Hako{s} a ajouté ceci.\n\n")
                    })
                    .collect();
                format!("{article}{people}")
            }),
            200,
        ),
        (
            "names never confirmed",
            Box::new(move |n| {
                let names: String = (0..n)
                    .map(|i| format!("Armen Vard{} est venu. ", letters(i)))
                    .collect();
                format!("{article}{names}")
            }),
            300,
        ),
        (
            "footnote marks without an end",
            Box::new(|n| "Il aurait fui.[^ x".repeat(n)),
            4000,
        ),
    ];
    let mut report = Vec::new();
    for (what, generate, n) in &generators {
        let small = generate(*n);
        let large = generate(n * 10);
        // One run first, so that nothing built on first use is timed.
        check(&engine, &small);
        let t1 = fastest(|| check(&engine, &small));
        let t10 = fastest(|| check(&engine, &large));
        report.push((what.to_string(), small.len(), t1, t10));
    }
    // Ten times the line and ten times the edits: an edit that costs the whole line
    // shows as a hundredfold.
    let t1 = fastest(|| edit_long_line(20_000, 100));
    let t10 = fastest(|| edit_long_line(200_000, 1000));
    report.push(("edits on a long line".to_string(), 20_000, t1, t10));

    let mut failures = Vec::new();
    for (what, size, t1, t10) in &report {
        let ratio = t10.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        println!(
            "{what:32} {size:>8} bytes: 1× {:>8.2} ms, 10× {:>8.2} ms, ratio {ratio:5.1}",
            t1.as_secs_f64() * 1e3,
            t10.as_secs_f64() * 1e3
        );
        if ratio > MAX_RATIO {
            failures.push(format!("{what}: ratio {ratio:.1}"));
        }
    }
    assert!(
        failures.is_empty(),
        "growth above {MAX_RATIO}× for 10× the input: {failures:?}"
    );
}
