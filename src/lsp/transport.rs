//! The stdio transport's guard: frames from the editor are checked before
//! `tower-lsp-server` sees them.
//!
//! `tower-lsp-server` stops serving at the first frame it cannot decode (its framed
//! reader ends the stream after an error), so one malformed message from an editor
//! would end the session. This module reads `Content-Length` frames itself, passes
//! well-formed JSON-RPC messages through untouched, and turns anything else into a
//! `copydesk/invalidMessage` request carrying the problem. The server answers that
//! request with a JSON-RPC error (`-32700` parse error or `-32600` invalid request,
//! with the original id when one could be read) and logs it with
//! `window/logMessage`: the session goes on.

use serde_json::{Value, json};
use std::io::{self, BufRead};

/// The method invalid frames are turned into.
pub const INVALID_MESSAGE: &str = "copydesk/invalidMessage";

/// The largest body accepted; a bigger `Content-Length` is refused rather than
/// allocated.
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// What is wrong with a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON, or no `Content-Length`: JSON-RPC's parse error.
    Parse,
    /// JSON, but not a JSON-RPC 2.0 message: JSON-RPC's invalid request.
    Invalid,
}

impl Problem {
    pub fn code(self) -> i64 {
        match self {
            Problem::Parse => -32700,
            Problem::Invalid => -32600,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Problem::Parse => "parse",
            Problem::Invalid => "invalid",
        }
    }
}

/// Reads frames from `input` until it ends and hands each one, checked and
/// re-framed, to `emit`. Stops early when `emit` returns `false` (the server is gone).
pub fn pump(mut input: impl BufRead, mut emit: impl FnMut(Vec<u8>) -> bool) -> io::Result<()> {
    loop {
        let Some(length) = read_headers(&mut input)? else {
            return Ok(());
        };
        let body = match length {
            Ok(len) => {
                let mut body = vec![0u8; len];
                match input.read_exact(&mut body) {
                    Ok(()) => checked(body),
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                    Err(e) => return Err(e),
                }
            }
            Err(problem) => replacement(Value::Null, Problem::Parse, &problem),
        };
        if !emit(frame(&body)) {
            return Ok(());
        }
    }
}

/// Reads one header block. `None` at the end of the input; `Some(Err)` when the block
/// has no usable `Content-Length`.
fn read_headers(input: &mut impl BufRead) -> io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Stray blank lines between frames are skipped.
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(match value.trim().parse::<usize>() {
                    Ok(n) if n <= MAX_BODY => Ok(n),
                    Ok(n) => Err(format!("Content-Length {n} is larger than {MAX_BODY}")),
                    Err(e) => Err(format!("bad Content-Length `{}`: {e}", value.trim())),
                });
            }
        }
    }
    Ok(Some(length.unwrap_or_else(|| {
        Err("missing Content-Length header".to_string())
    })))
}

/// The body itself when it is a JSON-RPC message `tower-lsp-server` can decode, else
/// its replacement.
fn checked(body: Vec<u8>) -> Vec<u8> {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return replacement(Value::Null, Problem::Parse, &format!("invalid JSON: {e}")),
    };
    match check_message(&value) {
        Ok(()) => body,
        Err(why) => {
            let id = value
                .get("id")
                .filter(|id| valid_id(id))
                .cloned()
                .unwrap_or(Value::Null);
            replacement(id, Problem::Invalid, &why)
        }
    }
}

/// The same rules as `tower-lsp-server`'s decoder: an object with `"jsonrpc": "2.0"`,
/// an id that is null, a string or a 64-bit integer, and a string method if any.
fn check_message(v: &Value) -> Result<(), String> {
    let obj = v
        .as_object()
        .ok_or("a JSON-RPC message must be an object")?;
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err("missing or wrong \"jsonrpc\": expected \"2.0\"".into());
    }
    if let Some(id) = obj.get("id") {
        if !valid_id(id) {
            return Err("\"id\" must be a string, an integer or null".into());
        }
    }
    if let Some(method) = obj.get("method") {
        if !method.is_string() {
            return Err("\"method\" must be a string".into());
        }
    }
    Ok(())
}

fn valid_id(id: &Value) -> bool {
    id.is_null() || id.is_string() || id.is_i64()
}

fn replacement(id: Value, problem: Problem, message: &str) -> Vec<u8> {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": INVALID_MESSAGE,
        "params": { "kind": problem.name(), "message": message },
    })
    .to_string()
    .into_bytes()
}

/// Parses the kind back from the replacement's params.
pub fn problem_of(kind: &str) -> Problem {
    if kind == Problem::Invalid.name() {
        Problem::Invalid
    } else {
        Problem::Parse
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        pump(input.as_bytes(), |f| {
            out.push(f);
            true
        })
        .expect("in-memory read");
        out.into_iter()
            .map(|f| {
                let text = String::from_utf8(f).expect("utf-8 frame");
                let (head, body) = text.split_once("\r\n\r\n").expect("framed");
                let len: usize = head
                    .trim_start_matches("Content-Length: ")
                    .parse()
                    .expect("length");
                assert_eq!(len, body.len());
                serde_json::from_str(body).expect("JSON body")
            })
            .collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn good_messages_pass_untouched() {
        let msg = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let out = run(&(framed(msg) + &framed(msg)));
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["method"], "shutdown");
    }

    #[test]
    fn bad_messages_are_replaced_and_the_stream_goes_on() {
        let input = framed("{not json")
            + &framed(r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#)
            + &framed(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#)
            + "Content-Type: foo\r\n\r\n"
            + &framed(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let out = run(&input);
        assert_eq!(out.len(), 5);
        assert_eq!(out[0]["method"], INVALID_MESSAGE);
        assert_eq!(out[0]["params"]["kind"], "parse");
        assert_eq!(out[0]["id"], Value::Null);
        assert_eq!(out[1]["id"], 7);
        assert_eq!(out[1]["params"]["kind"], "invalid");
        assert_eq!(out[2]["id"], Value::Null);
        assert_eq!(out[3]["params"]["kind"], "parse");
        assert_eq!(out[4]["method"], "exit");
    }

    #[test]
    fn a_truncated_body_ends_the_stream() {
        assert!(run("Content-Length: 50\r\n\r\n{}").is_empty());
        assert!(run("").is_empty());
    }
}
