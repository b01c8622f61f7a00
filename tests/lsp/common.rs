//! A small LSP client for the end-to-end tests: it runs the real `copydesk lsp`
//! binary and talks JSON-RPC over its standard streams with real `Content-Length`
//! framing.
//!
//! A reader thread decodes the server's frames. Requests from the server (progress
//! tokens, capability registration, refreshes) are answered at once with `null`, as
//! an editor would, and recorded like every other message. Every wait has a deadline,
//! so a hung server fails the test instead of hanging CI.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A fixture workspace copied to a temporary folder, with its own cache folder for
/// the built-in knowledge files the server writes.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub root: PathBuf,
    pub cache: PathBuf,
}

impl Workspace {
    /// Copies `tests/lsp/workspace` to a fresh temporary folder.
    pub fn copy() -> Workspace {
        let dir = tempfile::tempdir().expect("temporary folder");
        let base = std::fs::canonicalize(dir.path()).expect("canonical temporary folder");
        let root = base.join("workspace");
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/workspace");
        copy_dir(&source, &root);
        let cache = base.join("cache");
        std::fs::create_dir_all(&cache).expect("cache folder");
        Workspace { dir, root, cache }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn uri(&self, rel: &str) -> String {
        file_uri(&self.path(rel))
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("fixture file")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create fixture folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// The `file:` URI of an absolute path, percent-encoding what URIs require.
pub fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The zero-based line and UTF-16 column of the `nth` occurrence of `needle` in
/// `text`, counted independently of the server's code.
pub fn pos_of(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the text"))
        .0;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    (line as u32, col as u32)
}

/// `{"line": l, "character": c}`.
pub fn position(pos: (u32, u32)) -> Value {
    json!({"line": pos.0, "character": pos.1})
}

/// The LSP range of the `nth` `needle` in `text`, in UTF-16.
pub fn range_of(text: &str, needle: &str, nth: usize) -> Value {
    let start = pos_of(text, needle, nth);
    let end_col: usize = needle.chars().map(char::len_utf16).sum();
    assert!(!needle.contains('\n'), "single-line needles only");
    json!({
        "start": position(start),
        "end": position((start.0, start.1 + end_col as u32)),
    })
}

/// Applies LSP text edits (UTF-16 positions) to a text, as an editor would.
pub fn apply_text_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().expect("line") as usize;
        let character = pos["character"].as_u64().expect("character") as usize;
        let mut start = 0usize;
        for _ in 0..line {
            start += text[start..].find('\n').expect("line in range") + 1;
        }
        let mut units = 0usize;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// A running server and the client side of its connection.
pub struct Client {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    incoming: Receiver<Value>,
    /// Messages received but not yet looked at by the test.
    pub inbox: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `copydesk lsp` with extra environment variables.
    pub fn spawn(cache: &Path, env: &[(&str, &str)]) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
        cmd.arg("lsp")
            .env("XDG_CACHE_HOME", cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start copydesk lsp");
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        let replies = Arc::clone(&stdin);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut reader) {
                if msg.get("method").is_some() && msg.get("id").is_some() {
                    // A request from the server: answer as an editor would.
                    let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                    if let Ok(mut w) = replies.lock() {
                        let _ = write_frame(&mut *w, &reply.to_string());
                    }
                }
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            inbox: Vec::new(),
            next_id: 0,
        }
    }

    /// Sends raw bytes (for malformed frames).
    pub fn send_raw(&self, bytes: &[u8]) {
        let mut w = self.stdin.lock().expect("stdin lock");
        w.write_all(bytes).expect("write to server");
        w.flush().expect("flush");
    }

    pub fn send(&self, msg: &Value) {
        let mut w = self.stdin.lock().expect("stdin lock");
        write_frame(&mut *w, &msg.to_string()).expect("write to server");
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for the whole response (with `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.wait_for(&format!("response to {method}"), |m| {
            m.get("method").is_none() && m["id"] == id
        })
    }

    /// Sends a request and returns its `result`, failing on an error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// Waits for the first message (already received or to come) that `matches`,
    /// removes it from the inbox and returns it.
    pub fn wait_for(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.inbox.iter().position(&matches) {
                return self.inbox.remove(i);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(msg) => self.inbox.push(msg),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what}; received: {:#?}", self.inbox)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!(
                        "the server closed its output while we waited for {what}; received: {:#?}",
                        self.inbox
                    )
                }
            }
        }
    }

    /// Waits for `textDocument/publishDiagnostics` for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let msg = self.wait_for(&format!("diagnostics of {uri} v{version}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until background indexing has finished (its log line).
    pub fn indexed(&mut self) -> Value {
        self.wait_for("the end of indexing", |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("copydesk: indexed"))
        })
    }

    /// `initialize` + `initialized` for a workspace folder, with extra client
    /// capabilities merged in.
    pub fn initialize(&mut self, root: &Path, capabilities: Value, options: Value) -> Value {
        let result = self.call(
            "initialize",
            json!({
                "processId": null,
                "rootUri": file_uri(root),
                "workspaceFolders": [{"uri": file_uri(root), "name": "workspace"}],
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    pub fn hover(&mut self, uri: &str, pos: (u32, u32)) -> Value {
        self.call(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position(pos)}),
        )
    }

    /// `shutdown`, then `exit`; returns how the process ended.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let result = self.call("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Waits for the process to end, killing it after the deadline.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_frame(w: &mut impl Write, body: &str) -> std::io::Result<()> {
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0u8; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
