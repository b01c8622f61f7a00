//! Hostile traffic for `copydesk lsp` (issue 12): malformed frames, protocol
//! corners, `file:` URIs that are not files, positions out of range, versions that go
//! backwards, 10,000 rapid edits, old Mac line endings, a document over the size
//! limit. After each, the server must still be running and answer an ordinary
//! request. Everything goes over the real binary's standard streams (see
//! `tests/lsp/common.rs`).

#[path = "lsp/common.rs"]
mod common;

use common::{Client, Workspace, position};
use serde_json::{Value, json};

/// The server is alive and serving: an ordinary request gets its answer.
fn assert_alive(c: &mut Client) {
    let symbols = c.call("workspace/symbol", json!({"query": "OTSC"}));
    assert!(symbols.is_array(), "{symbols}");
}

fn started() -> (Workspace, Client) {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    (ws, c)
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Waits for the error response carrying `id`.
fn error_for(c: &mut Client, id: Value) -> Value {
    let what = format!("an error for id {id}");
    c.wait_for(&what, |m| {
        m.get("method").is_none() && m["id"] == id && m.get("error").is_some()
    })
}

#[test]
fn duplicate_keys_are_answered_and_the_session_goes_on() {
    let (_ws, mut c) = started();
    let cases: &[(&str, Value, i64)] = &[
        (
            r#"{"jsonrpc":"2.0","id":2,"id":3,"method":"shutdown"}"#,
            Value::Null,
            -32600,
        ),
        (
            r#"{"jsonrpc":"2.0","id":"a","\u0069d":"b","method":"shutdown"}"#,
            Value::Null,
            -32600,
        ),
        (
            r#"{"jsonrpc":"2.0","id":4,"method":"shutdown","method":"x"}"#,
            json!(4),
            -32600,
        ),
        (
            r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":5,"method":"shutdown"}"#,
            json!(5),
            -32600,
        ),
        (
            r#"{"jsonrpc":"2.0","method":"textDocument/didClose","params":{},"params":{}}"#,
            Value::Null,
            -32600,
        ),
    ];
    for (body, id, code) in cases {
        c.send_raw(&frame(body.as_bytes()));
        let answer = error_for(&mut c, id.clone());
        assert_eq!(answer["error"]["code"], *code, "{body}: {answer}");
        assert_alive(&mut c);
    }
    // The duplicated `shutdown`s were not run: the session still shuts down cleanly.
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn bad_headers_are_answered_once_and_the_next_request_is_served() {
    let (_ws, mut c) = started();
    let body =
        br#"{"jsonrpc":"2.0","id":"lost","method":"workspace/symbol","params":{"query":"x"}}"#;
    for head in [
        "Content-Length: 10\r\n\r\n",
        "Content-Length: -5\r\n\r\n",
        "Content-Length: abc\r\n\r\n",
        "Content-Type: application/json\r\n\r\n",
        "Content-Length: 999999999999\r\n\r\n",
    ] {
        // The bad frame's body has no line break after it: the next frame's header
        // is glued to it.
        let mut bytes = head.as_bytes().to_vec();
        bytes.extend_from_slice(body);
        c.send_raw(&bytes);
        let answer = error_for(&mut c, Value::Null);
        assert_eq!(answer["error"]["code"], -32700, "{head:?}: {answer}");
        assert_alive(&mut c);
        let extra = c
            .inbox
            .iter()
            .filter(|m| m.get("error").is_some() && m["id"].is_null())
            .count();
        assert_eq!(
            extra, 0,
            "{head:?}: answered more than once: {:#?}",
            c.inbox
        );
    }
    // Plain garbage between frames.
    c.send_raw(b"\x00\xff garbage \r\n\r\n more garbage");
    error_for(&mut c, Value::Null);
    assert_alive(&mut c);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn protocol_corners_are_answered_as_the_spec_says() {
    let (_ws, mut c) = started();
    // An unknown `$/` request: MethodNotFound.
    c.send(&json!({"jsonrpc": "2.0", "id": 61, "method": "$/unknownThing", "params": {}}));
    assert_eq!(error_for(&mut c, json!(61))["error"]["code"], -32601);
    // An unknown `$/` notification: ignored, as the spec allows.
    c.notify("$/unknownNotification", json!({}));
    // A request that carries a result: invalid.
    c.send(
        &json!({"jsonrpc": "2.0", "id": 62, "method": "workspace/symbol",
                   "params": {"query": "x"}, "result": 1}),
    );
    assert_eq!(error_for(&mut c, json!(62))["error"]["code"], -32600);
    // A malformed response from the client: logged, never answered.
    c.send(&json!({"jsonrpc": "2.0", "id": 63, "error": {"code": "bad"}}));
    c.wait_for("the logged malformed response", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("malformed response"))
    });
    assert_alive(&mut c);
    assert!(
        !c.inbox.iter().any(|m| m["id"] == 63),
        "a response to a response: {:#?}",
        c.inbox
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[cfg(unix)]
#[test]
fn file_uris_that_are_not_regular_files_are_refused_at_once() {
    let (ws, mut c) = started();
    let fifo = ws.root.join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    for uri in [
        "file:///dev/zero".to_string(),
        "file:///proc/self/fd/0".to_string(),
        common::file_uri(&fifo),
        common::file_uri(&ws.root),
    ] {
        let started = std::time::Instant::now();
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position((0, 0))}),
        );
        assert_eq!(hover["result"], Value::Null, "{uri}: {hover}");
        assert!(
            started.elapsed().as_secs() < 5,
            "{uri} took {:?}",
            started.elapsed()
        );
        assert_alive(&mut c);
    }
    c.wait_for("a logged refusal", |m| {
        m["params"]["message"]
            .as_str()
            .is_some_and(|s| s.contains("not a regular file"))
    });
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn positions_out_of_range_are_clamped() {
    let (ws, mut c) = started();
    let uri = ws.uri("fr/otsc.md");
    c.open(&uri, "😀 Le convoi aurait franchi la frontière.\n");
    for (line, character) in [
        (0, 1),
        (0, u32::MAX),
        (u32::MAX, 0),
        (u32::MAX, u32::MAX),
        (1, 7),
    ] {
        let pos = json!({"line": line, "character": character});
        let hover = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        );
        assert!(hover.get("error").is_none(), "{hover}");
        // An edit at the same place (inside the emoji's surrogate pair, past the end).
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": pos, "end": {"line": 0, "character": 0}}, "text": "x"}]}),
        );
        assert_alive(&mut c);
    }
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

/// The diagnostics published for `uri` under `version`; with `expected`, waits for a
/// publication that has those diagnostics (an earlier text may be published under
/// the same version first, if the server saw it alone).
fn published(c: &mut Client, uri: &str, version: i64, expected: Option<&[String]>) -> Vec<Value> {
    let what = format!("diagnostics of {uri} at version {version}");
    let found = c.wait_for(&what, |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["version"] == version
            && expected.is_none_or(|e| {
                summary(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map_or(&[], Vec::as_slice),
                ) == e
            })
    });
    found["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Codes and ranges, for comparing two documents' diagnostics.
fn summary(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| format!("{} {}", d["code"], d["range"]))
        .collect()
}

/// The diagnostics of `text` opened fresh under a new name.
fn fresh(c: &mut Client, ws: &Workspace, name: &str, text: &str) -> Vec<Value> {
    let uri = ws.uri(&format!("fr/{name}.md"));
    c.open(&uri, text);
    published(c, &uri, 1, None)
}

#[test]
fn the_last_text_wins_whatever_its_version() {
    let (ws, mut c) = started();
    let uri = ws.uri("fr/versions.md");
    let hearsay = "---\nlang: fr\n---\nLe convoi aurait franchi la frontière mardi.\n";
    let vague = "---\nlang: fr\n---\nSelon des sources, le convoi est passé.\n";
    let expected_hearsay = summary(&fresh(&mut c, &ws, "a", hearsay));
    let expected_vague = summary(&fresh(&mut c, &ws, "b", vague));
    assert_ne!(expected_hearsay, expected_vague);
    let change = |c: &mut Client, version: i64, text: &str| {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    };
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": hearsay}}),
    );
    change(&mut c, 5, hearsay);
    published(&mut c, &uri, 5, Some(&expected_hearsay));
    // A lower version after a higher one: published, with the new text's findings.
    change(&mut c, 3, vague);
    published(&mut c, &uri, 3, Some(&expected_vague));
    // The same version twice with different texts: the second text's findings.
    change(&mut c, 7, hearsay);
    change(&mut c, 7, vague);
    published(&mut c, &uri, 7, Some(&expected_vague));
    // A second didOpen, without didClose, at a lower version.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 2, "text": hearsay}}),
    );
    published(&mut c, &uri, 2, Some(&expected_hearsay));
    assert_alive(&mut c);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

/// The byte offset of an LSP position (UTF-16 columns) in `text`, with LSP's line
/// breaks (`\n`, `\r\n`, `\r`) and its clamping: written here from the specification,
/// independently of the server's code.
fn lsp_offset(text: &str, line: u32, character: u32) -> usize {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 0..line {
        let Some(i) = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        else {
            return text.len();
        };
        start += i + 1;
        if bytes[start - 1] == b'\r' && bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
    }
    let mut units = 0;
    for (i, ch) in text[start..].char_indices() {
        if ch == '\n' || ch == '\r' || units + ch.len_utf16() > character as usize {
            return start + i;
        }
        units += ch.len_utf16();
    }
    text.len()
}

/// A small deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn ten_thousand_rapid_edits_end_as_a_fresh_open_would() {
    let (ws, mut c) = started();
    let uri = ws.uri("fr/otsc.md");
    let mut text = ws.read("fr/otsc.md").replace('\n', "\r\n");
    c.open(&uri, &text);
    let inserts = [
        "",
        "a",
        "é",
        "😀",
        "\n",
        "\r\n",
        "\r",
        " aurait ",
        "« Non », a-t-il dit. ",
        "OTSC ",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut last_version = 1;
    let lines = |t: &str| t.split(['\n', '\r']).count() as u32 + 1;
    for version in 2..=10_001 {
        let (l1, l2) = (rng.below(lines(&text) as usize + 1), rng.below(3));
        let start = (l1 as u32, rng.below(90) as u32);
        let end = ((l1 + l2) as u32, rng.below(90) as u32);
        // The text stays under 5 KB, so that the test's own bookkeeping stays quick.
        let insert = if text.len() > 5000 {
            ""
        } else {
            inserts[rng.below(inserts.len())]
        };
        let (a, b) = (
            lsp_offset(&text, start.0, start.1),
            lsp_offset(&text, end.0, end.1),
        );
        // Deletions are kept short, so that the text keeps about its size.
        if a.abs_diff(b) > 12 {
            continue;
        }
        let (a, b) = (a.min(b), a.max(b));
        text.replace_range(a..b, insert);
        last_version = version;
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": position(start), "end": position(end)},
                                       "text": insert}]}),
        );
    }
    let edited = published(&mut c, &uri, last_version, None);
    let expected = fresh(&mut c, &ws, "fresh", &text);
    assert_eq!(summary(&edited), summary(&expected));
    let symbols = |c: &mut Client, uri: &str| {
        c.call(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
    };
    let fresh_uri = ws.uri("fr/fresh.md");
    assert_eq!(symbols(&mut c, &uri), symbols(&mut c, &fresh_uri));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn old_mac_line_endings_edit_like_a_fresh_open() {
    let (ws, mut c) = started();
    let uri = ws.uri("fr/cr.md");
    let text = "---\rlang: fr\r---\r# Titre\r\rLe ciel est bleu.\rLe convoi aurait franchi la frontière.\rFin.\r";
    c.open(&uri, text);
    let opened = published(&mut c, &uri, 1, None);
    // LSP counts the lone `\r` as a line end: line 6 is « Le convoi … ».
    let hearsay = opened
        .iter()
        .find(|d| d["code"] == "attribution/hearsay")
        .expect("hearsay");
    assert_eq!(
        hearsay["range"]["start"],
        json!({"line": 6, "character": 10})
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 6, "character": 0},
                                             "end": {"line": 6, "character": 0}},
                                   "text": "Hier, "}]}),
    );
    let edited = published(&mut c, &uri, 2, None);
    let expected = text.replace("\rLe convoi", "\rHier, Le convoi");
    assert_eq!(
        summary(&edited),
        summary(&fresh(&mut c, &ws, "cr-fresh", &expected))
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_document_over_the_size_limit_is_kept_but_not_analysed() {
    let (ws, mut c) = started();
    let uri = ws.uri("fr/huge.md");
    let paragraph = "Le convoi aurait franchi la frontière mardi, selon des sources.\n\n";
    let text = paragraph.repeat(11 * 1024 * 1024 / paragraph.len() + 1);
    c.open(&uri, &text);
    let diagnostics = published(&mut c, &uri, 1, None);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not analysed")),
        "{diagnostics:?}"
    );
    // Edits still apply; hover answers at once.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                             "end": {"line": 0, "character": 2}}, "text": "Un"}]}),
    );
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position((0, 3))}),
    );
    assert!(hover.get("error").is_none(), "{hover}");
    assert_alive(&mut c);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}
