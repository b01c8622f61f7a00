//! End-to-end tests of the `copydesk` binary: exit codes, the four output formats,
//! file discovery (gitignore, hidden files, include/exclude, explicit paths), standard
//! input, configuration errors and unreadable files.
//!
//! The committed fixtures live in `tests/cli/`; cases that need odd files (invalid
//! UTF-8, a `.gitignore` that would hide its own fixture from git, names with commas)
//! are built in a temporary folder. The fixture sentences are the canonical examples of
//! `ATTRIBUTION.md`, so they fire (or stay silent) whatever the analysis's details.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli")
}

fn newsdesk() -> PathBuf {
    fixtures().join("newsdesk")
}

/// Runs copydesk in `dir` with `args` and optional standard input.
fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().expect("copydesk starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("copydesk runs")
}

fn run(args: &[&str]) -> Output {
    run_in(&newsdesk(), args, None)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// A temporary folder with files; the `copydesk.toml` at its root keeps configuration
/// discovery from wandering into the machine's folders.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new(files: &[(&str, &[u8])]) -> Tree {
        let dir = tempfile::tempdir().expect("temp dir");
        let tree = Tree { dir };
        tree.write("copydesk.toml", b"knowledge = []\n");
        for (path, content) in files {
            tree.write(path, content);
        }
        tree
    }

    fn write(&self, path: &str, content: &[u8]) {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write fixture");
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A French draft with one hearsay cue on line 4 (`lang` is set so that a one-line
/// article does not depend on language detection).
const HEARSAY_FR: &[u8] =
    "---\nlang: fr\n---\nLe ministre aurait démissionné hier soir.\n".as_bytes();
const HEARSAY_EN: &[u8] = b"The mayor was accused of favouritism.\n";

/// The paths of the files a JSON report says were checked.
fn checked_paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f["path"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn text_output_reads_like_a_compiler() {
    let o = run(&["check", "--color", "never"]);
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    assert!(out.contains("warning[attribution/hearsay]: "), "{out}");
    assert!(out.contains(" --> fr/demission.md:7:"), "{out}");
    assert!(
        out.contains("7 | 📰 Le ministre aurait démissionné hier soir."),
        "{out}"
    );
    assert!(out.contains("^^^"), "{out}");
    assert!(out.contains("= help: "), "{out}");
    assert!(
        out.contains("warning[attribution/passive-claim]: "),
        "{out}"
    );
    assert!(
        out.contains("information[attribution/vague-source]: "),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour with --color never: {out}");
    let summary = out.lines().last().unwrap_or_default();
    assert!(summary.contains("in 4 files: "), "{summary}");
    assert!(summary.contains("warning"), "{summary}");
}

#[test]
fn text_output_is_coloured_on_request() {
    let o = run(&["check", "--color", "always", "fr"]);
    assert!(
        stdout(&o).contains("\x1b[1;33mwarning[attribution/hearsay]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn clean_files_exit_zero() {
    let o = run(&["check", "en/clean.md"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).trim(), "No findings in 1 file.");
}

#[test]
fn fail_on_sets_the_threshold() {
    // fr/barrage.md has only an information finding (vague source).
    let cases = [
        ("error", 0),
        ("warning", 0),
        ("information", 1),
        ("hint", 1),
        ("none", 0),
    ];
    for (level, expected) in cases {
        let o = run(&["check", "--fail-on", level, "fr/barrage.md"]);
        assert_eq!(code(&o), expected, "--fail-on {level}: {}", stdout(&o));
    }
    // The whole desk has warnings.
    assert_eq!(code(&run(&["check", "--fail-on", "error"])), 0);
    assert_eq!(code(&run(&["check"])), 1);
}

#[test]
fn json_output_follows_the_documented_schema() {
    let o = run(&["check", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let report = json(&o);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "copydesk");
    assert_eq!(
        checked_paths(&report),
        [
            "en/clean.md",
            "en/council.md",
            "fr/barrage.md",
            "fr/demission.md"
        ],
        "files are in path order"
    );
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    let hearsay = findings
        .iter()
        .find(|f| f["rule"] == "attribution/hearsay")
        .expect("a hearsay finding");
    for key in [
        "path",
        "rule",
        "severity",
        "message",
        "help",
        "cue",
        "line",
        "column",
        "end_line",
        "end_column",
        "start_byte",
        "end_byte",
        "sentence",
        "fixes",
    ] {
        assert!(
            hearsay.get(key).is_some(),
            "finding lacks `{key}`: {hearsay}"
        );
    }
    assert_eq!(hearsay["path"], "fr/demission.md");
    assert_eq!(hearsay["severity"], "warning");
    assert_eq!(hearsay["line"], 7);
    // Byte offsets slice the file to the cue; the cue is in the message.
    let text = std::fs::read_to_string(newsdesk().join("fr/demission.md")).expect("fixture");
    let (start, end) = (
        hearsay["start_byte"].as_u64().unwrap_or(0) as usize,
        hearsay["end_byte"].as_u64().unwrap_or(0) as usize,
    );
    let cue = hearsay["cue"].as_str().unwrap_or_default();
    assert_eq!(text.get(start..end), Some(cue));
    assert!(cue.starts_with("aurait"), "{cue}");
    assert!(hearsay["message"].as_str().is_some_and(|m| m.contains(cue)));
    // Columns are 1-based characters: the emoji counts as one.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let chars_before = text[line_start..start].chars().count();
    assert_eq!(hearsay["column"].as_u64(), Some(chars_before as u64 + 1));
    assert!(
        hearsay["sentence"]["text"]
            .as_str()
            .is_some_and(|s| s.contains("Le ministre aurait démissionné")),
        "{hearsay}"
    );
    let summary = &report["summary"];
    assert_eq!(summary["files"], 4);
    assert_eq!(summary["findings"].as_u64(), Some(findings.len() as u64));
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(summary["fail_on"], "warning");
    assert_eq!(report["errors"].as_array().map(Vec::len), Some(0));
}

/// Checks the required properties of SARIF 2.1.0 our output could miss.
fn assert_valid_sarif(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some_and(|s| s.contains("sarif")));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "copydesk");
    assert!(driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    for rule in rules {
        assert!(rule["id"].is_string(), "{rule}");
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(rule["fullDescription"]["text"].is_string(), "{rule}");
        assert!(
            rule["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{rule}"
        );
        assert!(rule["help"]["markdown"].is_string(), "{rule}");
        assert!(rule["defaultConfiguration"]["level"].is_string(), "{rule}");
    }
    for result in runs[0]["results"].as_array().expect("results") {
        assert!(result["message"]["text"].is_string(), "{result}");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert!(matches!(
            result["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let physical = &result["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.contains('\\') && !uri.starts_with('/'), "{uri}");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &physical["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[key].as_u64().is_some_and(|n| n >= 1),
                "{key}: {region}"
            );
        }
    }
    let invocation = &runs[0]["invocations"][0];
    assert!(invocation["executionSuccessful"].is_boolean());
}

#[test]
fn sarif_output_is_valid_with_utf16_columns() {
    let o = run(&["check", "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let log = json(&o);
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let hearsay = run["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["ruleId"] == "attribution/hearsay"))
        .expect("a hearsay result");
    let physical = &hearsay["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "fr/demission.md");
    let region = &physical["region"];
    assert_eq!(region["startLine"], 7);
    // "📰 Le ministre " is 14 characters but 15 UTF-16 code units (the emoji is a
    // surrogate pair), so the cue starts at UTF-16 column 16.
    let snippet = region["snippet"]["text"].as_str().unwrap_or_default();
    let line = "📰 Le ministre aurait démissionné hier soir.";
    let at = line.find(snippet).expect("snippet is on the line");
    let utf16_before = line[..at].encode_utf16().count() as u64;
    assert_eq!(region["startColumn"].as_u64(), Some(utf16_before + 1));
    assert_eq!(
        region["endColumn"].as_u64(),
        Some(utf16_before + 1 + snippet.encode_utf16().count() as u64)
    );
    assert_ne!(utf16_before as usize, line[..at].chars().count());
    // Information maps to SARIF's `note`.
    let vague = run["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["ruleId"] == "attribution/vague-source"))
        .expect("a vague-source result");
    assert_eq!(vague["level"], "note");
}

#[test]
fn github_output_is_escaped_workflow_commands() {
    let tree = Tree::new(&[
        ("desk/vote, 100%.md", HEARSAY_FR),
        ("desk/mayor.md", HEARSAY_EN),
    ]);
    let o = run_in(tree.path(), &["check", "--format", "github"], None);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    // Path order: "mayor.md" < "vote, 100%.md".
    assert!(
        lines[0].starts_with("::warning file=desk/mayor.md,line=1,col="),
        "{out}"
    );
    assert!(
        lines[0].contains(",title=attribution/passive-claim::"),
        "{out}"
    );
    let vote = lines
        .iter()
        .find(|l| l.contains("vote"))
        .expect("a command for the file with a comma");
    assert!(
        vote.starts_with(
            "::warning file=desk/vote%2C 100%25.md,line=4,col=13,endLine=4,endColumn="
        ),
        "{vote}"
    );
    assert!(vote.contains(",title=attribution/hearsay::"), "{vote}");
    // The help line follows the message after an escaped newline.
    assert!(vote.contains("%0Ahelp: "), "{vote}");
    assert!(!vote.contains('\r'));
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("findings in 2 files")),
        "{out}"
    );
}

#[test]
fn stdin_is_checked_as_the_named_file() {
    let tree = Tree::new(&[(
        "desk/copydesk.toml",
        b"[rules]\n\"attribution/hearsay\" = \"error\"\nvague-source = \"off\"\n",
    )]);
    let input = "Le ministre aurait démissionné hier soir. Des experts estiment que le barrage est fragile.\n";
    let o = run_in(
        tree.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "desk/brouillon.md",
            "--format",
            "json",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(checked_paths(&report), ["desk/brouillon.md"]);
    // The configuration next to the (unsaved) file applies: hearsay is an error and
    // vague sources are off.
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "attribution/hearsay");
    assert_eq!(findings[0]["severity"], "error");
    assert_eq!(findings[0]["path"], "desk/brouillon.md");

    // Without a file name the buffer is `<stdin>` and the configuration of the folder.
    let o = run_in(tree.path(), &["check", "--stdin"], Some(HEARSAY_EN));
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains(" --> <stdin>:1:"), "{}", stdout(&o));
}

#[test]
fn walking_respects_gitignore_hidden_files_and_exclude() {
    let tree = Tree::new(&[
        (
            "copydesk.toml",
            b"exclude = [\"archive\", \"*.wip.md\"]\nknowledge = []\n",
        ),
        (".gitignore", b"ignored.md\nbuild/\n"),
        ("ignored.md", HEARSAY_FR),
        ("build/out.md", HEARSAY_FR),
        (".hidden/secret.md", HEARSAY_FR),
        ("archive/2019/old.md", HEARSAY_FR),
        ("articles/draft.wip.md", HEARSAY_FR),
        ("articles/a.md", HEARSAY_FR),
        ("articles/b.markdown", HEARSAY_EN),
        ("articles/notes.txt", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check", "--format", "json"], None);
    assert_eq!(
        checked_paths(&json(&o)),
        ["articles/a.md", "articles/b.markdown"]
    );

    // A file named on the command line is checked even when excluded or ignored…
    let o = run_in(
        tree.path(),
        &[
            "check",
            "--format",
            "json",
            "archive/2019/old.md",
            "ignored.md",
            "articles/notes.txt",
        ],
        None,
    );
    assert_eq!(
        checked_paths(&json(&o)),
        ["archive/2019/old.md", "articles/notes.txt", "ignored.md"]
    );
    // …unless --force-exclude is given (what editors and pre-commit hooks pass).
    let o = run_in(
        tree.path(),
        &[
            "check",
            "--format",
            "json",
            "--force-exclude",
            "archive/2019/old.md",
            "articles/a.md",
        ],
        None,
    );
    assert_eq!(checked_paths(&json(&o)), ["articles/a.md"]);

    // --no-ignore brings back gitignored files, but not hidden ones.
    let o = run_in(
        tree.path(),
        &["check", "--format", "json", "--no-ignore"],
        None,
    );
    assert_eq!(
        checked_paths(&json(&o)),
        [
            "articles/a.md",
            "articles/b.markdown",
            "build/out.md",
            "ignored.md"
        ]
    );
}

#[test]
fn include_narrows_the_files() {
    let tree = Tree::new(&[
        (
            "copydesk.toml",
            b"include = [\"articles/**\"]\nknowledge = []\n",
        ),
        ("articles/a.md", HEARSAY_FR),
        ("notes/n.md", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check", "--format", "json"], None);
    assert_eq!(checked_paths(&json(&o)), ["articles/a.md"]);
}

#[test]
fn explicit_config_file_is_used_for_every_file() {
    let tree = Tree::new(&[
        (
            "strict.toml",
            b"knowledge = []\n[rules]\nhearsay = \"off\"\n",
        ),
        ("a.md", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check", "--config", "strict.toml"], None);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("No findings in 1 file."),
        "{}",
        stdout(&o)
    );
}

#[test]
fn invalid_utf8_is_reported_and_other_files_still_checked() {
    let tree = Tree::new(&[
        ("latin1.md", b"Le pr\xe9sident aurait d\xe9missionn\xe9.\n"),
        ("good.md", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check", "--format", "json"], None);
    assert_eq!(code(&o), 2, "IO errors win over findings");
    assert!(
        stderr(&o).contains("error: latin1.md:1:6: not valid UTF-8 at byte 5"),
        "{}",
        stderr(&o)
    );
    let report = json(&o);
    assert_eq!(checked_paths(&report), ["good.md"]);
    assert_eq!(report["findings"][0]["path"], "good.md");
    assert_eq!(report["errors"][0]["kind"], "encoding");
    assert_eq!(report["errors"][0]["path"], "latin1.md");
    assert_eq!(report["errors"][0]["line"], 1);

    // The text format goes on too, and SARIF records the failure.
    let o = run_in(tree.path(), &["check", "--color", "never"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stdout(&o).contains("1 error prevented a full check"),
        "{}",
        stdout(&o)
    );
    let o = run_in(tree.path(), &["check", "--format", "sarif"], None);
    let log = json(&o);
    assert_valid_sarif(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("not valid UTF-8")),
        "{invocation}"
    );
}

#[test]
fn large_files_are_skipped_without_reading() {
    let tree = Tree::new(&[("big.md", HEARSAY_FR), ("small.md", b"Bonjour.\n")]);
    let o = run_in(
        tree.path(),
        &["check", "--max-file-size", "20", "--format", "json"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("big.md: skipped: "), "{}", stderr(&o));
    assert_eq!(checked_paths(&json(&o)), ["small.md"]);
    assert_eq!(json(&o)["errors"][0]["kind"], "too-large");
}

#[test]
fn configuration_errors_name_file_line_and_column() {
    let tree = Tree::new(&[
        (
            "copydesk.toml",
            b"lang = \"fr\"\n\n[rules]\nhearsay = \"loud\"\n",
        ),
        ("a.md", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check"], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("error: copydesk.toml:4:"), "{err}");
    assert!(err.contains("loud"), "{err}");
    // Nothing is analysed with a broken configuration.
    assert!(!stdout(&o).contains("hearsay]"), "{}", stdout(&o));

    let tree = Tree::new(&[
        ("copydesk.toml", b"langue = \"fr\"\n"),
        ("a.md", HEARSAY_FR),
    ]);
    let o = run_in(tree.path(), &["check", "--format", "json"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("error: copydesk.toml:1:1: "),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["errors"][0]["kind"], "config");

    // A bad glob is positioned too.
    let tree = Tree::new(&[("copydesk.toml", b"knowledge = []\nexclude = [\"a[\"]\n")]);
    let o = run_in(tree.path(), &["check"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("copydesk.toml:2:"), "{}", stderr(&o));
}

#[test]
fn missing_paths_and_bad_flags_exit_two() {
    let o = run(&["check", "no-such-folder"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no-such-folder"), "{}", stderr(&o));
    let o = run(&["check", "--format", "xml"]);
    assert_eq!(code(&o), 2);
    let o = run(&["check", "--stdin-filename", "a.md"]);
    assert_eq!(code(&o), 2, "--stdin-filename needs --stdin");
    let o = run(&["frobnicate"]);
    assert_eq!(code(&o), 2);
    let o = run(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("check"));
}

#[test]
fn suppressions_are_reported_with_reasons() {
    let article = "\
Le conseil s'est réuni lundi.

<!-- copydesk-disable-next-line attribution/hearsay -- confirmé par le greffe du tribunal -->
Le ministre aurait démissionné hier soir.

<!-- copydesk-disable-next-line attribution/passive-claim -->
Le pont a été construit en 1920.
";
    let tree = Tree::new(&[("a.md", article.as_bytes())]);
    let o = run_in(
        tree.path(),
        &["check", "--color", "never", "--report-suppressions"],
        None,
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "the only finding is suppressed: {out}");
    assert!(out.contains("Suppressions (2):"), "{out}");
    assert!(
        out.contains("a.md:3:1: disable-next-line attribution/hearsay: silenced 1 finding; reason: confirmé par le greffe du tribunal"),
        "{out}"
    );
    assert!(
        out.contains(
            "a.md:6:1: disable-next-line attribution/passive-claim: unused; no reason given"
        ),
        "{out}"
    );
    assert!(out.contains("(1 suppressed)"), "{out}");

    let report = json(&run_in(tree.path(), &["check", "--format", "json"], None));
    assert_eq!(report["suppressed"][0]["rule"], "attribution/hearsay");
    assert_eq!(
        report["suppressions"][0]["reason"],
        "confirmé par le greffe du tribunal"
    );
    assert_eq!(report["suppressions"][1]["unused"], true);

    let log = json(&run_in(
        tree.path(),
        &["check", "--format", "sarif", "--report-suppressions"],
        None,
    ));
    assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "confirmé par le greffe du tribunal"
    );
}

#[test]
fn output_order_does_not_depend_on_threads() {
    let one = stdout(&run(&["check", "--color", "never", "-j", "1"]));
    let two = stdout(&run(&["check", "--color", "never", "-j", "2"]));
    assert_eq!(one, two);
    // Paths given in any order come out in path order, each file once.
    let o = run(&["check", "--format", "json", "fr", "en", "fr/barrage.md"]);
    assert_eq!(
        checked_paths(&json(&o)),
        [
            "en/clean.md",
            "en/council.md",
            "fr/barrage.md",
            "fr/demission.md"
        ]
    );
}

#[test]
fn explain_prints_the_rule_page() {
    let o = run(&["explain", "hearsay"]);
    assert_eq!(code(&o), 0);
    assert!(!stdout(&o).trim().is_empty());
    let full = run(&["explain", "attribution/hearsay"]);
    assert_eq!(stdout(&o), stdout(&full));

    let o = run(&["explain", "attribution/nope"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("unknown rule `attribution/nope`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("attribution/unattributed-quote"),
        "{}",
        stderr(&o)
    );

    let o = run(&["rules"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("attribution/hearsay") && l.contains("warning")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("attribution/vague-source") && l.contains("information")),
        "{out}"
    );
    assert_eq!(stdout(&run(&["explain", "--list"])), out);
}

/// The example newsroom as a reader sees it: a change in any rule, message or the
/// renderer shows up as a reviewable diff (`cargo insta review`).
#[test]
fn example_newsroom_text_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run_in(
        root,
        &[
            "check",
            "--color",
            "never",
            "--fail-on",
            "none",
            "examples/newsroom",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Paths are relative already; only Windows separators need cleaning.
    let cleaned = stdout(&o).replace("examples\\newsroom\\", "examples/newsroom/");
    insta::assert_snapshot!("example_newsroom_text", cleaned);
}

#[test]
fn document_problems_are_warnings_not_failures() {
    let article = "---\nlang: fr\n---\n<!-- copydesk-disable-next-line attribution/nope -->\nLe pont a été construit en 1920.\n";
    let tree = Tree::new(&[("a.md", article.as_bytes())]);
    let o = run_in(tree.path(), &["check", "--color", "never"], None);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("warning: "), "{out}");
    assert!(out.contains("attribution/nope"), "{out}");
    assert!(out.contains(" --> a.md:4:1"), "{out}");
    assert!(out.contains("1 problem in documents"), "{out}");
    let report = json(&run_in(tree.path(), &["check", "--format", "json"], None));
    assert_eq!(report["problems"][0]["path"], "a.md");
    assert_eq!(report["problems"][0]["line"], 4);
    assert_eq!(report["summary"]["exit_code"], 0);
}
