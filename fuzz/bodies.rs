//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (run with
//! `cargo +nightly fuzz run TARGET`) and `tests/fuzz_replay.rs` (which replays the
//! committed corpus and crash reproducers on the stable toolchain in `cargo test`).
//!
//! Each body takes arbitrary bytes and panics when an invariant breaks. Only the
//! library's public API is used, so the bodies also show how it is called:
//! - [`analysis`]: the analysis of any text, in each language mode (French, English,
//!   detection): every range lies inside the text and on character boundaries, every
//!   output format renders, the JSON and SARIF parse back and count the findings, the
//!   text output carries no control character, and every range converts to LSP
//!   positions and back;
//! - [`positions`]: conversions between byte offsets and lines and columns (UTF-8,
//!   UTF-16, characters) round trip, and edits applied to the server's rope give the
//!   text that the line index's offsets give;
//! - [`transport`]: whatever bytes an editor sends, the stdio guard hands on only
//!   frames the LSP library decodes, never stops, and serves a valid frame that
//!   follows the garbage.

use copydesk::analysis::{Engine, FileAnalysis};
use copydesk::cli::report::{self, CheckedFile, Format, RenderOptions, Report};
use copydesk::config::Config;
use copydesk::kb::Kb;
use copydesk::lang::Lang;
use copydesk::lsp::convert::{Encoding, LineMap};
use copydesk::lsp::documents::Document;
use copydesk::lsp::transport;
use copydesk::text::{ColumnUnit, LineCol, LineIndex, floor_char_boundary};
use std::ops::Range;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use tower_lsp_server::ls_types::{
    Position, Range as LspRange, TextDocumentContentChangeEvent, Uri,
};

/// One engine per language mode, built once per process: French, English, detection.
fn engines() -> &'static [Engine; 3] {
    static ENGINES: OnceLock<[Engine; 3]> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let kb = Arc::new(Kb::builtin());
        let with = |lang: Option<Lang>| {
            let config = Config {
                lang,
                ..Config::default()
            };
            Engine::new(config, Arc::clone(&kb))
        };
        [with(Some(Lang::Fr)), with(Some(Lang::En)), with(None)]
    })
}

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what}: inverted range {r:?}");
    assert!(
        r.end <= text.len(),
        "{what}: {r:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start),
        "{what}: {r:?} starts inside a character"
    );
    assert!(
        text.is_char_boundary(r.end),
        "{what}: {r:?} ends inside a character"
    );
}

/// Every range of an analysis, with what it is.
fn ranges(a: &FileAnalysis) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    for f in a.findings.iter().chain(&a.suppressed) {
        out.push((f.range.clone(), "finding"));
        out.push((f.sentence.clone(), "finding's sentence"));
        for fix in &f.fixes {
            for e in &fix.edits {
                out.push((e.range.clone(), "fix edit"));
            }
        }
    }
    out.extend(a.sentences.iter().map(|s| (s.clone(), "sentence")));
    for q in &a.quotes {
        out.push((q.range.clone(), "quote"));
        out.extend(q.cue.iter().map(|c| (c.clone(), "quote's cue")));
    }
    out.extend(a.mentions.iter().map(|m| (m.range.clone(), "mention")));
    for h in &a.headings {
        out.push((h.range.clone(), "heading"));
        out.push((h.text_range.clone(), "heading text"));
    }
    for s in &a.suppressions {
        out.push((s.range.clone(), "suppression"));
        out.push((s.scope.clone(), "suppression scope"));
    }
    out.extend(a.problems.iter().map(|(r, _)| (r.clone(), "problem")));
    out
}

/// The analysis of arbitrary text. The first byte picks the language mode.
pub fn analysis(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let engine = &engines()[usize::from(mode) % 3];
    let a = engine.analyze(&text);

    for (r, what) in ranges(&a) {
        check_range(&text, &r, what);
    }
    assert!(
        a.findings
            .windows(2)
            .all(|w| (w[0].range.start, w[0].range.end) <= (w[1].range.start, w[1].range.end)),
        "findings out of document order"
    );

    // Every range converts to LSP positions and back to the same offsets, in both
    // encodings a client may negotiate.
    let index = LineIndex::new(&text);
    for encoding in [Encoding::Utf8, Encoding::Utf16] {
        let map = LineMap::new(&text, &index, encoding);
        for (r, what) in ranges(&a) {
            let back = map.byte_range(map.range(r.clone()));
            assert!(
                back == r || ends_in_line_break(&text, &r, &back),
                "{what}: {r:?} came back from LSP positions as {back:?}"
            );
        }
    }

    // Every output format renders; JSON and SARIF parse back and count the findings.
    let findings = a.findings.len();
    let suppressed = a.suppressed.len();
    let report = Report {
        files: vec![CheckedFile {
            path: PathBuf::from("fuzz/article.md"),
            index,
            text,
            analysis: a,
            canonical: PathBuf::from("/fuzz/article.md"),
            config_baseline: None,
            baselined: Vec::new(),
        }],
        ..Report::default()
    };
    let options = RenderOptions {
        color: false,
        err_color: false,
        report_suppressions: true,
        fail_on: None,
        cwd: PathBuf::from("/"),
        changed_since: false,
    };
    let render = |format: Format| {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report::render(&report, format, &options, &mut out, &mut err)
            .unwrap_or_else(|e| panic!("{format:?} does not render: {e}"));
        String::from_utf8(out).unwrap_or_else(|e| panic!("{format:?} output is not UTF-8: {e}"))
    };
    let json: serde_json::Value =
        serde_json::from_str(&render(Format::Json)).expect("the JSON output parses");
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(findings));
    assert_eq!(
        json["suppressed"].as_array().map(Vec::len),
        Some(suppressed)
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif)).expect("the SARIF output parses");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(findings + suppressed)
    );
    let text_output = render(Format::Text);
    if let Some(c) = text_output.chars().find(|&c| c.is_control() && c != '\n') {
        panic!("the text output carries the control character {c:?}");
    }
    let github = render(Format::Github);
    assert!(
        github.lines().all(|l| !l.contains('\r')),
        "a workflow command spans lines"
    );
}

/// Whether `back` differs from `r` only by ends that sat inside a line break (the
/// `\n` of a `\r\n`), which LSP positions cannot name and which map to the line's end.
fn ends_in_line_break(text: &str, r: &Range<usize>, back: &Range<usize>) -> bool {
    let inside_break = |at: usize, got: usize| {
        at == got || (got < at && text.get(got..at).is_some_and(|s| s == "\r"))
    };
    inside_break(r.start, back.start) && inside_break(r.end, back.end)
}

/// Reads little-endian `u16`s from `bytes`, for offsets and positions.
fn numbers(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .chunks_exact(2)
        .map(|c| usize::from(u16::from_le_bytes([c[0], c[1]])))
}

/// Conversions between offsets and positions, and edits on the server's rope.
///
/// The input is a text, a zero byte, then numbers: offsets to convert, then edits
/// (start line, start column, end line, end column, length of inserted text).
pub fn positions(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..split]).into_owned();
    let ops = data.get(split + 1..).unwrap_or_default();
    let (offsets, edits) = ops.split_at(ops.len().min(16));
    let index = LineIndex::new(&text);

    for offset in numbers(offsets).chain([0, text.len(), text.len() + 1]) {
        let expected = floor_char_boundary(&text, offset);
        let mut line = None;
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let pos = index.position(&text, offset, unit);
            assert!(
                line.is_none_or(|l| l == pos.line),
                "units disagree on the line"
            );
            line = Some(pos.line);
            let back = index.offset(&text, pos, unit);
            assert!(
                back == expected || ends_in_line_break(&text, &(expected..expected), &(back..back)),
                "{offset} → {pos:?} ({unit:?}) → {back}"
            );
            // Positions grow with offsets.
            if expected > 0 {
                let before = index.position(&text, expected - 1, unit);
                assert!(before <= pos, "{before:?} after {pos:?}");
            }
        }
        // Past the end of a line, a column is clamped to the line end.
        if let Some(l) = line {
            let far = LineCol {
                line: l,
                col: u32::MAX,
            };
            for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
                let end = index.offset(&text, far, unit);
                assert_eq!(
                    end,
                    index.line_range(&text, l as usize).end,
                    "{far:?} {unit:?}"
                );
            }
        }
    }

    // Edits on the rope give the text the line index's offsets give, in both encodings.
    let Ok(uri) = Uri::from_str("file:///fuzz/article.md") else {
        return;
    };
    let mut expected = text.clone();
    let mut doc = Document::new(uri, 1, &text);
    let inserts = ["", "x", "é\n", "😀", "\r\n", "\r", "« a »\n\n"];
    for (version, edit) in edits.chunks_exact(10).take(8).enumerate() {
        let n: Vec<usize> = numbers(edit).collect();
        let encoding = if n[4] % 2 == 0 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        let pos = |l: usize, c: usize| Position::new((l % 64) as u32, (c % 512) as u32);
        let range = LspRange::new(pos(n[0], n[1]), pos(n[2], n[3]));
        let insert = inserts[(n[4] / 2) % inserts.len()];
        let index = LineIndex::new(&expected);
        let bytes = LineMap::new(&expected, &index, encoding).byte_range(range);
        expected.replace_range(bytes, insert);
        doc.apply_changes(
            version as i32 + 2,
            vec![TextDocumentContentChangeEvent {
                range: Some(range),
                range_length: None,
                text: insert.to_string(),
            }],
            encoding,
        );
        assert_eq!(
            &*doc.text(),
            expected,
            "edit {version}: {range:?} {encoding:?}"
        );
    }
}

/// The stdio guard on arbitrary bytes followed by a valid request.
pub fn transport(data: &[u8]) {
    const LAST: &str =
        r#"{"jsonrpc":"2.0","id":"fuzz-last","method":"workspace/symbol","params":{"query":"x"}}"#;
    let mut input = data.to_vec();
    input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{LAST}", LAST.len()).as_bytes());
    let mut frames: Vec<Vec<u8>> = Vec::new();
    transport::pump(&input[..], |frame| {
        frames.push(frame);
        true
    })
    .expect("reading from memory never fails");
    for frame in &frames {
        let header_end = frame
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header ending in a blank line");
        let header = std::str::from_utf8(&frame[..header_end]).expect("an ASCII header");
        let length: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .expect("one Content-Length header");
        let body = &frame[header_end + 4..];
        assert_eq!(
            body.len(),
            length,
            "the Content-Length is the body's length"
        );
        assert!(
            transport::library_accepts(body),
            "a frame the library refuses: {}",
            String::from_utf8_lossy(body)
        );
    }
    let last = frames
        .last()
        .map(|f| String::from_utf8_lossy(f).into_owned());
    assert!(
        last.as_deref().is_some_and(|f| f.ends_with(LAST)),
        "the valid request after the garbage was not served; last frame: {last:?}"
    );
}
