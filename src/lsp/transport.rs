//! The stdio transport's guard: frames from the editor are checked before
//! `tower-lsp-server` sees them.
//!
//! `tower-lsp-server` stops serving at the first frame it cannot decode (its framed
//! reader ends the stream after an error), so one malformed message from an editor
//! would end the session. This module reads `Content-Length` frames itself and hands
//! on only bodies the library's own decoder accepts: [`library_accepts`] decodes them
//! with the library's `Request` and `Response` types, tried in the library's order, so
//! the guard cannot disagree with it (a duplicate key, even spelt `"\u0069d"`, is
//! refused by both). Every frame it hands on is re-framed with a plain header.
//!
//! A frame that cannot go on is replaced by one the library accepts:
//! - a request for [`INVALID_MESSAGE`], which the server answers with a JSON-RPC error
//!   (`-32700` parse error, `-32600` invalid request or `-32601` method not found),
//!   under the original id when it can be read safely (exactly one top-level `id`,
//!   itself valid), else under `null`; the problem is also logged;
//! - a notification for [`IGNORED_MESSAGE`], only logged, for what must draw no answer:
//!   a malformed response from the client (answering a response would be a response to
//!   a response) or a message with neither method nor id.
//!
//! Some frames the library accepts are answered here too, because the library would
//! say nothing: a request for an unknown `$/…` method (LSP wants MethodNotFound for a
//! request; the library drops every unknown `$/` message) and a request that carries a
//! `result` or `error` (the library takes it for a response).
//!
//! **Resynchronisation.** When a frame's header is unusable (`Content-Length` missing,
//! negative, not a number, over [`MAX_BODY`], a header block over [`MAX_HEADER`]) or its
//! body is not JSON (a `Content-Length` too short leaves half a body), the frame is
//! answered once and the guard looks for the next `Content-Length` header from the
//! byte after the bad frame's start, so that a frame glued to a leftover body is still
//! found. A `Content-Length` longer than its body cannot be told from a slow client:
//! the guard waits for the missing bytes, and when what arrives does not parse it
//! resynchronises the same way. When the input ends inside a frame, the frame is
//! dropped unless another header follows inside it.

use serde::Deserialize;
use serde_json::{Value, json};
use std::io::{self, Read};
use tower_lsp_server::jsonrpc;

/// The method invalid frames are turned into (a request: it is answered).
pub const INVALID_MESSAGE: &str = "copydesk/invalidMessage";

/// The method of frames that are only logged (a notification: never answered).
pub const IGNORED_MESSAGE: &str = "copydesk/ignoredMessage";

/// The largest body accepted; a bigger `Content-Length` is refused rather than
/// allocated.
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// The largest header block accepted, up to its blank line.
pub const MAX_HEADER: usize = 64 * 1024;

/// What is wrong with a frame, as the JSON-RPC error it is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON, or no usable `Content-Length`: JSON-RPC's parse error.
    Parse,
    /// JSON, but not a message the server can take: JSON-RPC's invalid request.
    Invalid,
    /// A request for a method nobody serves.
    MethodNotFound,
}

impl Problem {
    pub fn code(self) -> i64 {
        match self {
            Problem::Parse => -32700,
            Problem::Invalid => -32600,
            Problem::MethodNotFound => -32601,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Problem::Parse => "parse",
            Problem::Invalid => "invalid",
            Problem::MethodNotFound => "methodNotFound",
        }
    }
}

/// Parses the kind back from the replacement's params.
pub fn problem_of(kind: &str) -> Problem {
    match kind {
        "invalid" => Problem::Invalid,
        "methodNotFound" => Problem::MethodNotFound,
        _ => Problem::Parse,
    }
}

/// How `tower-lsp-server` routes a body: its `Message` type (not public) is an
/// untagged enum of these two, tried in this order, decoded with `serde_json::from_str`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Routed {
    Response(#[allow(dead_code)] jsonrpc::Response),
    Request(jsonrpc::Request),
}

/// Decodes a body exactly as `tower-lsp-server`'s codec does. A body the library
/// refuses is a parse error when it is not one JSON value (the decoder may report a
/// shape error first, before it sees trailing bytes), else an invalid request.
fn decode(body: &[u8]) -> Result<Routed, Problem> {
    let text = std::str::from_utf8(body).map_err(|_| Problem::Parse)?;
    serde_json::from_str::<Routed>(text).map_err(|_| {
        match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => Problem::Invalid,
            Err(_) => Problem::Parse,
        }
    })
}

/// Whether `tower-lsp-server`'s decoder accepts `body`: every frame the guard hands on
/// passes this test.
pub fn library_accepts(body: &[u8]) -> bool {
    decode(body).is_ok()
}

/// What the guard does with one frame's body.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Hand it on untouched.
    Pass,
    /// Answer it with an error; `resync` when the framing itself is in doubt.
    Answer {
        id: Value,
        problem: Problem,
        message: String,
        resync: bool,
    },
    /// Log it and answer nothing.
    Ignore(String),
}

/// The top-level members of a JSON object, duplicates kept, keys unescaped.
struct Members(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

impl Members {
    fn parse(body: &[u8]) -> Option<Members> {
        serde_json::from_slice(body).ok()
    }

    fn count(&self, key: &str) -> usize {
        self.0.iter().filter(|(k, _)| k == key).count()
    }

    fn has(&self, key: &str) -> bool {
        self.count(key) > 0
    }

    /// The id, when there is exactly one and it is one the protocol allows (a string,
    /// a 64-bit integer or null): an answer under a guessed id could answer the wrong
    /// request.
    fn id(&self) -> Value {
        let mut ids = self.0.iter().filter(|(k, _)| k == "id").map(|(_, v)| v);
        match (ids.next(), ids.next()) {
            (Some(id), None) if id.is_null() || id.is_string() || id.is_i64() => id.clone(),
            _ => Value::Null,
        }
    }

    /// The key that appears more than once, if any.
    fn duplicate(&self) -> Option<&str> {
        self.0
            .iter()
            .map(|(k, _)| k.as_str())
            .find(|k| self.count(k) > 1)
    }
}

/// Judges one frame's body.
fn judge(body: &[u8]) -> Verdict {
    let answer = |id: Value, problem: Problem, message: String| Verdict::Answer {
        id,
        problem,
        message,
        resync: false,
    };
    let routed = match decode(body) {
        Ok(routed) => routed,
        Err(Problem::Parse) => {
            let why = match std::str::from_utf8(body) {
                Err(e) => format!("the body is not UTF-8: {e}"),
                Ok(text) => match serde_json::from_str::<serde::de::IgnoredAny>(text) {
                    Err(e) => format!("invalid JSON: {e}"),
                    Ok(_) => "invalid JSON".to_string(),
                },
            };
            return Verdict::Answer {
                id: Value::Null,
                problem: Problem::Parse,
                message: why,
                resync: true,
            };
        }
        Err(_) => {
            let Some(members) = Members::parse(body) else {
                return answer(
                    Value::Null,
                    Problem::Invalid,
                    "a JSON-RPC message must be an object".to_string(),
                );
            };
            let why = match members.duplicate() {
                Some(key) => format!("the key \"{key}\" appears more than once"),
                None => "not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\", a string \"method\", an id that is a string, an integer or null)".to_string(),
            };
            let is_response =
                !members.has("method") && (members.has("result") || members.has("error"));
            if is_response {
                return Verdict::Ignore(format!("a malformed response: {why}"));
            }
            return answer(members.id(), Problem::Invalid, why);
        }
    };
    // The library decoded it, so the body is an object with unique keys. Which keys it
    // has decides the rest; a notification (the large `didOpen` among them) is passed
    // on without being read again.
    let keys = || {
        serde_json::from_slice::<Keys>(body).unwrap_or(Keys {
            id: None,
            method: None,
            result: None,
            error: None,
        })
    };
    match routed {
        Routed::Request(req) if req.id().is_none() && !req.method().is_empty() => Verdict::Pass,
        Routed::Response(_) => {
            let k = keys();
            if k.method.is_some() {
                answer(k.id(), Problem::Invalid, CARRIES_RESULT.to_string())
            } else {
                Verdict::Pass
            }
        }
        Routed::Request(req) => {
            let k = keys();
            let carries_result = k.result.is_some() || k.error.is_some();
            if k.method.is_none() {
                if carries_result {
                    Verdict::Ignore("a malformed response from the client".to_string())
                } else if k.id.is_some() {
                    answer(
                        k.id(),
                        Problem::Invalid,
                        "a request must have a \"method\"".to_string(),
                    )
                } else {
                    Verdict::Ignore("a message with neither \"method\" nor \"id\"".to_string())
                }
            } else if req.id().is_none() {
                Verdict::Pass
            } else if carries_result {
                answer(k.id(), Problem::Invalid, CARRIES_RESULT.to_string())
            } else if req.method().starts_with("$/") && req.method() != "$/cancelRequest" {
                answer(
                    k.id(),
                    Problem::MethodNotFound,
                    format!("no such method: {}", req.method()),
                )
            } else {
                Verdict::Pass
            }
        }
    }
}

const CARRIES_RESULT: &str = "a request must not carry \"result\" or \"error\"";

/// The top-level keys that decide how a message the library accepts is handled.
#[derive(Deserialize)]
struct Keys {
    id: Option<Value>,
    method: Option<serde::de::IgnoredAny>,
    result: Option<serde::de::IgnoredAny>,
    error: Option<serde::de::IgnoredAny>,
}

impl Keys {
    fn id(&self) -> Value {
        self.id.clone().unwrap_or(Value::Null)
    }
}

/// The replacement for a frame that is answered here.
fn invalid_request(id: Value, problem: Problem, message: &str) -> Vec<u8> {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": INVALID_MESSAGE,
        "params": { "kind": problem.name(), "message": message },
    })
    .to_string()
    .into_bytes()
}

/// The replacement for a frame that is only logged.
fn ignored_notification(message: &str) -> Vec<u8> {
    json!({
        "jsonrpc": "2.0",
        "method": IGNORED_MESSAGE,
        "params": { "message": message },
    })
    .to_string()
    .into_bytes()
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The input, buffered so that the guard can look back into a bad frame.
struct Input<R> {
    reader: R,
    buf: Vec<u8>,
    /// Where the unread part of `buf` starts.
    pos: usize,
    eof: bool,
}

impl<R: Read> Input<R> {
    /// Reads more input; `false` at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        // Drop what has been read before growing the buffer.
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let mut chunk = [0u8; 64 * 1024];
        loop {
            match self.reader.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Makes sure `n` bytes from `pos` are buffered; `false` if the input ends first.
    fn want(&mut self, n: usize) -> io::Result<bool> {
        while self.buf.len() - self.pos < n {
            if !self.fill()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..]
    }
}

/// How a header block ended.
enum Header {
    /// The body's length, and where the body starts (relative to the frame).
    Length(usize, usize),
    /// The header is unusable.
    Bad(String),
    /// The input ended inside the header.
    End,
}

/// Reads frames from `input` until it ends and hands each one, checked and
/// re-framed, to `emit`. Stops early when `emit` returns `false` (the server is gone).
pub fn pump(reader: impl Read, mut emit: impl FnMut(Vec<u8>) -> bool) -> io::Result<()> {
    let mut input = Input {
        reader,
        buf: Vec::new(),
        pos: 0,
        eof: false,
    };
    loop {
        // Line ends between frames are skipped.
        loop {
            let skip = input
                .rest()
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            input.pos += skip;
            if !input.rest().is_empty() || !input.fill()? {
                break;
            }
        }
        if input.rest().is_empty() {
            return Ok(());
        }
        let (body_at, len) = match read_header(&mut input)? {
            Header::Length(len, body_at) => (body_at, len),
            Header::End => {
                // The input ended inside a header: anything after a further header?
                if resync(&mut input)? {
                    continue;
                }
                return Ok(());
            }
            Header::Bad(why) => {
                if !emit(frame(&invalid_request(Value::Null, Problem::Parse, &why))) {
                    return Ok(());
                }
                if resync(&mut input)? {
                    continue;
                }
                return Ok(());
            }
        };
        if !input.want(body_at + len)? {
            // The input ended inside the body: a frame glued inside it is still served,
            // after an answer for the cut one.
            if next_header(input.rest(), 1).is_some() {
                let why = "the input ended inside the frame's body";
                if !emit(frame(&invalid_request(Value::Null, Problem::Parse, why))) {
                    return Ok(());
                }
                if resync(&mut input)? {
                    continue;
                }
            }
            return Ok(());
        }
        let body = &input.rest()[body_at..body_at + len];
        let out = match judge(body) {
            Verdict::Pass => Some(body.to_vec()),
            Verdict::Answer {
                id,
                problem,
                message,
                resync: again,
            } => {
                let replacement = invalid_request(id, problem, &message);
                if again {
                    if !emit(frame(&replacement)) {
                        return Ok(());
                    }
                    if resync(&mut input)? {
                        continue;
                    }
                    return Ok(());
                }
                Some(replacement)
            }
            Verdict::Ignore(why) => Some(ignored_notification(&why)),
        };
        input.pos += body_at + len;
        if let Some(out) = out {
            if !emit(frame(&out)) {
                return Ok(());
            }
        }
    }
}

/// Reads the header block at the start of the unread input. The input stays where
/// it was: the caller moves past the frame or resynchronises.
fn read_header<R: Read>(input: &mut Input<R>) -> io::Result<Header> {
    let mut scanned = 0usize;
    let end = loop {
        let rest = input.rest();
        let limit = rest.len().min(MAX_HEADER);
        if let Some(end) = blank_line(&rest[..limit], scanned.saturating_sub(3)) {
            break end;
        }
        if rest.len() >= MAX_HEADER {
            return Ok(Header::Bad(format!(
                "no end of header within {MAX_HEADER} bytes"
            )));
        }
        scanned = rest.len();
        if !input.fill()? {
            return Ok(Header::End);
        }
    };
    let block = &input.rest()[..end.0];
    let mut length: Option<Result<usize, String>> = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let line = String::from_utf8_lossy(line);
        let Some((name, value)) = line.split_once(':') else {
            return Ok(Header::Bad(format!(
                "not a header line: {}",
                shorten(&line)
            )));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(match value.trim().parse::<usize>() {
                Ok(n) if n <= MAX_BODY => Ok(n),
                Ok(n) => Err(format!("Content-Length {n} is larger than {MAX_BODY}")),
                Err(e) => Err(format!(
                    "bad Content-Length `{}`: {e}",
                    shorten(value.trim())
                )),
            });
        }
    }
    Ok(match length {
        Some(Ok(n)) => Header::Length(n, end.1),
        Some(Err(why)) => Header::Bad(why),
        None => Header::Bad("missing Content-Length header".to_string()),
    })
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The end of the header block (`\r\n\r\n` or `\n\n`, or a mix) in `bytes`, searched
/// from `from`: the length of the block without the blank line, and where the body
/// starts.
fn blank_line(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(at) = memchr::memchr(b'\n', bytes.get(i..)?) {
        let nl = i + at;
        // The next line is empty if it is `\n` or `\r\n`.
        match bytes.get(nl + 1..) {
            Some([b'\n', ..]) => return Some((nl, nl + 2)),
            Some([b'\r', b'\n', ..]) => return Some((nl, nl + 3)),
            _ => {}
        }
        i = nl + 1;
    }
    None
}

/// The offset of the next `Content-Length` (any case) in `bytes` at or after `from`.
fn next_header(bytes: &[u8], from: usize) -> Option<usize> {
    const NAME: &[u8] = b"content-length";
    let mut i = from;
    while let Some(at) = memchr::memchr2(b'C', b'c', bytes.get(i..)?) {
        let start = i + at;
        if bytes
            .get(start..start + NAME.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(NAME))
        {
            return Some(start);
        }
        i = start + 1;
    }
    None
}

/// Moves the input to the next `Content-Length` after the start of the current
/// (bad) frame, reading on as needed; `false` when the input ends first. Only the
/// last few bytes are kept while searching, so garbage costs no memory.
fn resync<R: Read>(input: &mut Input<R>) -> io::Result<bool> {
    let mut from = 1;
    loop {
        if let Some(at) = next_header(input.rest(), from) {
            input.pos += at;
            return Ok(true);
        }
        // Keep the bytes that could start a header cut by the end of the buffer, but
        // move at least past the bad frame's first byte.
        let len = input.rest().len();
        input.pos += len.saturating_sub(13).max(from.min(len));
        from = 0;
        if !input.fill()? {
            input.pos = input.buf.len();
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the guard over `input` and returns the bodies it hands on, checking that
    /// each is framed right and accepted by the library.
    fn run(input: &[u8]) -> Vec<Value> {
        let mut out = Vec::new();
        pump(input, |f| {
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
                assert!(library_accepts(body.as_bytes()), "{body}");
                serde_json::from_str(body).expect("JSON body")
            })
            .collect()
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const SYMBOLS: &str =
        r#"{"jsonrpc":"2.0","id":50,"method":"workspace/symbol","params":{"query":"x"}}"#;

    #[test]
    fn good_messages_pass_untouched() {
        let msg = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let out = run((framed(msg) + &framed(msg)).as_bytes());
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["method"], "shutdown");
        // Other headers, lower-case names and bare `\n` line ends are accepted.
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{msg}",
            msg.len()
        );
        assert_eq!(run(input.as_bytes())[0]["id"], 1);
    }

    #[test]
    fn bad_messages_are_replaced_and_the_stream_goes_on() {
        let input = framed("{not json")
            + &framed(r#"{"jsonrpc":"1.0","id":7,"method":"x"}"#)
            + &framed(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#)
            + "Content-Type: foo\r\n\r\n"
            + &framed(r#"{"jsonrpc":"2.0","method":"exit"}"#);
        let out = run(input.as_bytes());
        assert_eq!(out.len(), 5, "{out:#?}");
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
    fn duplicate_keys_are_refused_as_the_library_refuses_them() {
        for (body, id) in [
            (
                r#"{"jsonrpc":"2.0","id":2,"id":3,"method":"shutdown"}"#,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":2,"\u0069d":3,"method":"shutdown"}"#,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":4,"method":"shutdown","method":"x"}"#,
                json!(4),
            ),
            (
                r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":5,"method":"shutdown"}"#,
                json!(5),
            ),
            (
                r#"{"jsonrpc":"2.0","id":"s","params":{},"params":{},"method":"x"}"#,
                json!("s"),
            ),
        ] {
            assert!(!library_accepts(body.as_bytes()), "{body}");
            let out = run(framed(body).as_bytes());
            assert_eq!(out.len(), 1, "{body}");
            assert_eq!(out[0]["method"], INVALID_MESSAGE, "{body}");
            assert_eq!(out[0]["params"]["kind"], "invalid", "{body}");
            assert_eq!(out[0]["id"], id, "{body}");
            assert!(
                out[0]["params"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("more than once")),
                "{out:?}"
            );
        }
        // In a notification: logged and answered under `null`.
        let body = r#"{"jsonrpc":"2.0","method":"textDocument/didClose","params":{},"params":{}}"#;
        let out = run(framed(body).as_bytes());
        assert_eq!(out[0]["id"], Value::Null);
    }

    #[test]
    fn bad_headers_are_answered_once_and_the_next_frame_is_found() {
        for head in [
            "Content-Length: 10\r\n\r\n",
            "Content-Length: -5\r\n\r\n",
            "Content-Length: abc\r\n\r\n",
            "Content-Type: x\r\n\r\n",
            "Content-Length: 999999999999\r\n\r\n",
            "garbage without a colon\r\n\r\n",
        ] {
            // The bad frame's body has no trailing newline: the next header is glued
            // to it.
            let input = format!("{head}{SYMBOLS}{}", framed(SYMBOLS));
            let out = run(input.as_bytes());
            assert_eq!(out.len(), 2, "{head:?}: {out:#?}");
            assert_eq!(out[0]["params"]["kind"], "parse", "{head:?}");
            assert_eq!(out[0]["id"], Value::Null, "{head:?}");
            assert_eq!(out[1]["id"], 50, "{head:?}");
            assert_eq!(out[1]["method"], "workspace/symbol", "{head:?}");
        }
        // A Content-Length longer than a broken body, over the next frames: the frames
        // inside are found (found by the fuzzer).
        let input = format!(
            "Content-Length: 300\r\n\r\n{{\"jsonrBc\": \"2.0\"}}{}{}",
            framed(SYMBOLS),
            framed(SYMBOLS)
        );
        let out = run(input.as_bytes());
        assert_eq!(out.len(), 3, "{out:#?}");
        assert_eq!(out[0]["params"]["kind"], "parse");
        assert_eq!(
            (out[1]["id"].clone(), out[2]["id"].clone()),
            (json!(50), json!(50))
        );
        // Garbage before a frame is one bad frame.
        let out = run(format!("xyz{}", framed(SYMBOLS)).as_bytes());
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[1]["id"], 50);
        // A header that never ends.
        let mut endless = "X-Filler: ".to_string() + &"a".repeat(MAX_HEADER + 10);
        endless += &framed(SYMBOLS);
        let out = run(endless.as_bytes());
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[1]["id"], 50);
    }

    #[test]
    fn protocol_corners() {
        // An unknown `$/` request: MethodNotFound under its id.
        let out = run(framed(r#"{"jsonrpc":"2.0","id":61,"method":"$/unknown"}"#).as_bytes());
        assert_eq!(out[0]["id"], 61);
        assert_eq!(out[0]["params"]["kind"], "methodNotFound");
        // `$/cancelRequest` and unknown `$/` notifications go on to the library.
        let cancel = r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#;
        assert_eq!(
            run(framed(cancel).as_bytes())[0]["method"],
            "$/cancelRequest"
        );
        let trace = r#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}"#;
        assert_eq!(run(framed(trace).as_bytes())[0]["method"], "$/setTrace");
        // A request that carries a result: answered as invalid.
        let out = run(framed(
            r#"{"jsonrpc":"2.0","id":62,"method":"workspace/symbol","params":{},"result":1}"#,
        )
        .as_bytes());
        assert_eq!(out[0]["id"], 62);
        assert_eq!(out[0]["params"]["kind"], "invalid");
        // A malformed response: logged, never answered.
        let out = run(framed(r#"{"jsonrpc":"2.0","id":63,"error":{"code":"bad"}}"#).as_bytes());
        assert_eq!(out[0]["method"], IGNORED_MESSAGE);
        assert!(out[0].get("id").is_none());
        // A good response goes on to the library.
        let out = run(framed(r#"{"jsonrpc":"2.0","id":64,"result":null}"#).as_bytes());
        assert_eq!(out[0]["result"], Value::Null);
        // An id without a method: invalid request; neither: logged.
        let out = run(framed(r#"{"jsonrpc":"2.0","id":65}"#).as_bytes());
        assert_eq!(
            (out[0]["id"].clone(), out[0]["params"]["kind"].clone()),
            (json!(65), json!("invalid"))
        );
        let out = run(framed(r#"{"jsonrpc":"2.0"}"#).as_bytes());
        assert_eq!(out[0]["method"], IGNORED_MESSAGE);
        // Not an object, not UTF-8, empty.
        let mut input = (framed("[1,2]") + &framed("") + "Content-Length: 2\r\n\r\n").into_bytes();
        input.extend_from_slice(&[0xff, 0xfe]);
        let out = run(&input);
        assert_eq!(out.len(), 3, "{out:#?}");
        assert_eq!(out[0]["params"]["kind"], "invalid");
        assert_eq!(out[1]["params"]["kind"], "parse");
        assert_eq!(out[2]["params"]["kind"], "parse");
    }

    #[test]
    fn the_end_of_the_input_inside_a_frame() {
        // Nothing to serve: nothing handed on.
        assert!(run(b"Content-Length: 50\r\n\r\n{}").is_empty());
        assert!(run(b"").is_empty());
        assert!(run(b"\r\n\r\n").is_empty());
        assert!(run(b"Content-Len").is_empty());
        // A Content-Length longer than its body swallows the next frame; at the end
        // of the input, that frame is found inside it and served.
        let input = format!("Content-Length: 500\r\n\r\n{{}}{}", framed(SYMBOLS));
        let out = run(input.as_bytes());
        assert_eq!(out.len(), 2, "{out:#?}");
        assert_eq!(out[1]["id"], 50);
    }

    #[test]
    fn reads_in_small_pieces() {
        // A reader that returns one byte at a time exercises every buffer boundary.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                match (self.0.split_first(), buf.first_mut()) {
                    (Some((&b, rest)), Some(slot)) => {
                        *slot = b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let input = format!("Content-Length: abc\r\n\r\n{SYMBOLS}{}", framed(SYMBOLS));
        let mut out = Vec::new();
        pump(Trickle(input.as_bytes()), |f| {
            out.push(f);
            true
        })
        .expect("read");
        assert_eq!(out.len(), 2);
        assert!(String::from_utf8_lossy(&out[1]).ends_with(SYMBOLS));
    }
}
