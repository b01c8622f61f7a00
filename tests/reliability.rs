//! End-to-end tests of `copydesk check` on odd but legal input (issue 12): paths that
//! are not regular files, lone `\r` line endings, NUL bytes, symbolic links, knowledge
//! files without a `copydesk.toml`, a binary `copydesk.toml`, an empty lexicon entry.
//!
//! Each case builds its files in a temporary folder and runs the real binary.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs copydesk in `dir` with `args`, killing it if it takes more than ten seconds
/// (a blocked read must fail the test, not hang it).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("copydesk starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("copydesk {args:?} did not finish within ten seconds");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("copydesk runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// A temporary folder holding `files`.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, content) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folder");
        }
        std::fs::write(path, content).expect("write");
    }
    dir
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_a_device_is_refused_not_read() {
    let dir = tree(&[("copydesk.toml", b"knowledge = []\n")]);
    let fifo = dir.path().join("pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // Named explicitly, a pipe would block `check` forever; a device would be read
    // without end.
    let out = run_in(
        dir.path(),
        &["check", "pipe.md", "/dev/zero", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    let errors = report["errors"].as_array().expect("errors");
    let messages: Vec<&str> = errors
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("a named pipe")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("a character device")),
        "{messages:?}"
    );
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let article =
        "---\nlang: fr\n---\n# Titre\n\nLe convoi aurait\0 franchi la frontière\x1b[31m mardi.\n";
    let dir = tree(&[
        ("copydesk.toml", b"knowledge = []\n"),
        ("nul.md", article.as_bytes()),
    ]);
    let out = run_in(dir.path(), &["check", "nul.md", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("aurait␀ franchi"), "{text}");
    assert!(text.contains("frontière␛[31m"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    // JSON keeps the exact text, escaped the JSON way.
    let out = run_in(dir.path(), &["check", "nul.md", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["findings"][0]["cue"], "aurait\0 franchi");
}

#[test]
fn lone_carriage_returns_end_lines_as_lf_and_crlf_do() {
    let article = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/newsroom/2024-02-23-armenie-gel-otsc.md"),
    )
    .expect("example article");
    let dir = tree(&[
        ("copydesk.toml", b"knowledge = []\n"),
        ("lf.md", article.as_bytes()),
        ("crlf.md", article.replace('\n', "\r\n").as_bytes()),
        ("cr.md", article.replace('\n', "\r").as_bytes()),
    ]);
    let positions = |name: &str| -> Vec<(String, u64, u64, u64, u64)> {
        let out = run_in(dir.path(), &["check", name, "--format", "json"]);
        json(&out)["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let n = |k: &str| f[k].as_u64().expect("a number");
                (
                    f["rule"].as_str().unwrap_or_default().to_string(),
                    n("line"),
                    n("column"),
                    n("end_line"),
                    n("end_column"),
                )
            })
            .collect()
    };
    let lf = positions("lf.md");
    assert!(lf.len() >= 3, "{lf:?}");
    assert!(
        lf.iter().any(|f| f.1 > 10),
        "findings on several lines: {lf:?}"
    );
    assert_eq!(positions("crlf.md"), lf);
    assert_eq!(positions("cr.md"), lf);
}

#[test]
fn without_a_configuration_the_current_folder_knowledge_is_read() {
    // No copydesk.toml: as if an empty one stood in the current folder, so its
    // `knowledge/` folder is read, and a broken file there is an error, not a silence.
    let dir = tree(&[
        (
            "article.md",
            b"# Titre\n\nLe convoi aurait franchi la frontiere.\n",
        ),
        ("knowledge/broken.toml", b"[[entity]]\nid = \n"),
    ]);
    assert!(copydesk::config::discover(dir.path()).is_none());
    let out = run_in(dir.path(), &["check", "article.md", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    let errors = report["errors"].to_string();
    assert!(errors.contains("broken.toml"), "{errors}");
    assert!(errors.contains(":2:"), "the error is positioned: {errors}");
}

#[test]
fn a_binary_configuration_and_an_empty_lexicon_entry_are_positioned() {
    let article: &[u8] = b"# Titre\n\nUn texte.\n";
    let binary = tree(&[
        ("copydesk.toml", b"lang = \"fr\"\n\x00\x9f\x92\x96\x00\n"),
        ("a.md", article),
    ]);
    let out = run_in(binary.path(), &["check", "a.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("copydesk.toml:2:2: not UTF-8 text"),
        "{}",
        stderr(&out)
    );
    let empty = tree(&[
        (
            "copydesk.toml",
            b"[lexicon.fr]\nhearsay = [\n  \"selon la rumeur\",\n  \"\",\n]\n",
        ),
        ("a.md", article),
    ]);
    let out = run_in(empty.path(), &["check", "a.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("copydesk.toml:4:3: an empty lexicon entry"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_once_and_loops_reported() {
    use std::os::unix::fs::symlink;
    let hearsay: &[u8] = b"---\nlang: fr\n---\n# Titre\n\nLe convoi aurait franchi la frontiere.\n";
    let dir = tree(&[
        ("copydesk.toml", b"knowledge = []\n"),
        ("desk/real.md", hearsay),
        ("shared/linked.md", hearsay),
    ]);
    let desk = dir.path().join("desk");
    symlink("../shared/linked.md", desk.join("link.md")).expect("link to a file");
    symlink("real.md", desk.join("again.md")).expect("link to a file inside");
    symlink("../shared", desk.join("shared")).expect("link to a folder");
    let paths = |out: &Output| -> Vec<String> {
        json(out)["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["path"].as_str().map(str::to_string))
            .collect()
    };
    let out = run_in(dir.path(), &["check", "desk", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // real.md and again.md are one file, and link.md and shared/linked.md another.
    assert_eq!(paths(&out), vec!["desk/again.md", "desk/link.md"]);

    // A link to a folder above it is a loop: reported, and the rest is checked.
    symlink("..", desk.join("up")).expect("link to the parent");
    let out = run_in(dir.path(), &["check", "desk", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let errors = json(&out)["errors"].to_string();
    assert!(errors.contains("loop"), "{errors}");
    assert!(paths(&out).contains(&"desk/link.md".to_string()));
}
