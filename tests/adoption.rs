//! End-to-end tests of what a newsroom needs to adopt copydesk on an existing archive:
//! baselines (`--write-baseline`, `--baseline`, `--prune-baseline`, `baseline` in
//! `copydesk.toml`), pull-request mode (`--changed-since` in a scratch Git
//! repository), progress on standard error, and `copydesk init`.
//!
//! Every article is invented here. The cues are the canonical examples of the
//! attribution rules (a French reportive conditional, « Selon des sources »,
//! "reportedly"), each in a paragraph of its own, so that they fire whatever the
//! details of the analysis.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs copydesk in `dir` with `args` (and standard input when given).
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("copydesk starts");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("copydesk runs")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, args, &[], None)
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

/// The findings of a JSON report as `(path, line, rule, cue)`.
fn findings(report: &Value) -> Vec<(String, u64, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["cue"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A temporary newsroom: `copydesk.toml` at its root keeps configuration discovery
/// (and Git) from wandering into the machine's folders.
struct Newsroom {
    dir: tempfile::TempDir,
}

impl Newsroom {
    fn new(config: &str, files: &[(&str, &str)]) -> Newsroom {
        let dir = tempfile::tempdir().expect("temp dir");
        let room = Newsroom { dir };
        room.write("copydesk.toml", config);
        for (path, content) in files {
            room.write(path, content);
        }
        room
    }

    fn write(&self, path: &str, content: &str) {
        let full = self.dir.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(full, content).expect("write");
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(path)).expect("read")
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git here, with an identity and no user or system configuration.
    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .current_dir(self.path())
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Desk")
            .env("GIT_AUTHOR_EMAIL", "desk@example.org")
            .env("GIT_COMMITTER_NAME", "Desk")
            .env("GIT_COMMITTER_EMAIL", "desk@example.org")
            .output()
            .expect("git runs (the tests need git on PATH)");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

const CONFIG: &str = "lang = \"fr\"\nknowledge = []\n";

/// An article with two old findings: hearsay (line 5) and a vague source (line 7).
const ARCHIVE_A: &str = "# Le barrage\n\
\n\
Les travaux ont commencé au printemps.\n\
\n\
Le directeur aurait démissionné hier soir.\n\
\n\
Selon des sources, le chantier prendra deux ans.\n";

/// Another article with one old finding.
const ARCHIVE_B: &str = "# Le conseil\n\
\n\
La maire aurait signé le contrat sans vote.\n";

#[test]
fn a_baseline_reports_only_the_new_paragraph_after_every_line_shifts() {
    let room = Newsroom::new(
        CONFIG,
        &[("desk/a.md", ARCHIVE_A), ("desk/b.md", ARCHIVE_B)],
    );
    let before = run(room.path(), &["check", "--format", "json"]);
    assert_eq!(code(&before), 1, "{}", stderr(&before));
    assert_eq!(findings(&json(&before)).len(), 3, "{}", stdout(&before));

    // Recording the baseline reports nothing and exits 0.
    let written = run(room.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(
        stdout(&written).contains("No findings in 2 files (3 in the baseline)."),
        "{}",
        stdout(&written)
    );
    assert!(
        stderr(&written).contains("wrote baseline.json: 3 findings in 3 entries"),
        "{}",
        stderr(&written)
    );
    let file = room.read("baseline.json");
    let parsed: Value = serde_json::from_str(&file).expect("the baseline is JSON");
    assert_eq!(parsed["version"], 1);
    let entries = parsed["findings"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    // One entry per line, sorted by file, without any position.
    let lines: Vec<&str> = file.lines().filter(|l| l.contains("\"file\"")).collect();
    assert_eq!(lines.len(), 3, "{file}");
    assert!(
        lines[0].contains("desk/a.md") && lines[2].contains("desk/b.md"),
        "{file}"
    );
    assert!(!file.contains("\"line\""), "{file}");
    assert_eq!(entries[0]["cue"], "aurait démissionné");

    // An edit that adds a paragraph at the top, re-wraps an old sentence and so
    // shifts every line of the article: only the new paragraph is reported.
    room.write(
        "desk/a.md",
        "---\ntitle: Le barrage\n---\n\n# Le barrage\n\n\
Le préfet aurait quitté la réunion avant la fin.\n\n\
Les travaux ont commencé\nau printemps.\n\n\
Le directeur aurait\ndémissionné hier soir.\n\n\
Selon des sources, le chantier prendra deux ans.\n",
    );
    let after = run(
        room.path(),
        &["check", "--baseline", "baseline.json", "--format", "json"],
    );
    assert_eq!(code(&after), 1, "{}", stderr(&after));
    let report = json(&after);
    assert_eq!(
        findings(&report),
        [(
            "desk/a.md".to_string(),
            7,
            "attribution/hearsay".to_string(),
            "aurait quitté".to_string()
        )],
        "{}",
        stdout(&after)
    );
    assert_eq!(report["summary"]["baselined"], 3);
    assert_eq!(
        report["baseline"]["stale"].as_array().map(Vec::len),
        Some(0)
    );

    // The text format says what the baseline holds back; the same run without the
    // baseline shows everything.
    let text = run(room.path(), &["check", "--baseline", "baseline.json"]);
    assert!(
        stdout(&text).contains("1 finding in 2 files: 1 warning (3 in the baseline)."),
        "{}",
        stdout(&text)
    );
    let all = run(room.path(), &["check", "--format", "json"]);
    assert_eq!(findings(&json(&all)).len(), 4);
}

#[test]
fn stale_entries_are_reported_not_fatal_and_pruned_on_request() {
    let room = Newsroom::new(
        CONFIG,
        &[("desk/a.md", ARCHIVE_A), ("desk/b.md", ARCHIVE_B)],
    );
    let written = run(room.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));

    // The vague source is fixed: its entry no longer matches.
    room.write(
        "desk/a.md",
        &ARCHIVE_A.replace("Selon des sources,", "Selon le maître d’ouvrage,"),
    );
    let out = run(room.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(
        code(&out),
        0,
        "stale entries do not fail a run: {}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("1 baseline entry of baseline.json no longer matches a finding"),
        "{err}"
    );
    assert!(
        err.contains("desk/a.md: attribution/vague-source « selon des sources »"),
        "{err}"
    );
    let report = json(&run(
        room.path(),
        &["check", "--baseline", "baseline.json", "--format", "json"],
    ));
    let stale = report["baseline"]["stale"].as_array().expect("stale");
    assert_eq!(stale.len(), 1, "{report}");
    assert_eq!(stale[0]["rule"], "attribution/vague-source");

    // Checking another file judges none of a.md's entries.
    let narrow = run(
        room.path(),
        &["check", "--baseline", "baseline.json", "desk/b.md"],
    );
    assert!(
        !stderr(&narrow).contains("no longer"),
        "{}",
        stderr(&narrow)
    );

    // Pruning removes the stale entry and keeps the others.
    let pruned = run(
        room.path(),
        &["check", "--baseline", "baseline.json", "--prune-baseline"],
    );
    assert_eq!(code(&pruned), 0, "{}", stderr(&pruned));
    assert!(
        stderr(&pruned).contains("removed 1 stale baseline entry"),
        "{}",
        stderr(&pruned)
    );
    let file = room.read("baseline.json");
    assert!(!file.contains("vague-source"), "{file}");
    assert_eq!(file.matches("\"file\"").count(), 2, "{file}");
    let again = run(room.path(), &["check", "--baseline", "baseline.json"]);
    assert!(!stderr(&again).contains("no longer"), "{}", stderr(&again));

    // A deleted article's entries are stale even when it is not among the paths.
    std::fs::remove_file(room.path().join("desk/b.md")).expect("rm");
    let gone = run(
        room.path(),
        &["check", "--baseline", "baseline.json", "desk/a.md"],
    );
    assert!(
        stderr(&gone).contains("desk/b.md: attribution/hearsay « aurait signé »"),
        "{}",
        stderr(&gone)
    );

    // `--prune-baseline` without a baseline is a usage error.
    let none = run(room.path(), &["check", "--prune-baseline"]);
    assert_eq!(code(&none), 2, "{}", stderr(&none));
    assert!(
        stderr(&none).contains("no baseline in use"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn the_configured_baseline_applies_to_check_stdin_and_sarif() {
    let room = Newsroom::new(
        &format!("{CONFIG}baseline = \"baseline.json\"\n"),
        &[("desk/a.md", ARCHIVE_A)],
    );
    // The key names a file that does not exist yet: a positioned error...
    let missing = run(room.path(), &["check"]);
    assert_eq!(code(&missing), 2, "{}", stdout(&missing));
    assert!(
        stderr(&missing).contains("copydesk.toml:3:1: baseline `baseline.json` not found"),
        "{}",
        stderr(&missing)
    );
    // ... except when writing it.
    let written = run(room.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&written), 0, "{}", stderr(&written));

    let out = run(room.path(), &["check"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("(2 in the baseline)"),
        "{}",
        stdout(&out)
    );
    let all = run(room.path(), &["check", "--no-baseline"]);
    assert_eq!(code(&all), 1, "{}", stdout(&all));

    // Standard input stands for the named file, baseline included.
    let draft = format!("{ARCHIVE_A}\nLe convoi aurait franchi la frontière.\n");
    let piped = run_in(
        room.path(),
        &[
            "check",
            "--stdin",
            "--stdin-filename",
            "desk/a.md",
            "--format",
            "github",
        ],
        &[],
        Some(draft.as_bytes()),
    );
    assert_eq!(code(&piped), 1, "{}", stderr(&piped));
    let annotations: Vec<String> = stdout(&piped)
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(str::to_string)
        .collect();
    assert_eq!(annotations.len(), 1, "{}", stdout(&piped));
    assert!(
        annotations[0].starts_with("::warning file=desk/a.md,line=9,"),
        "{annotations:?}"
    );

    // SARIF marks new results, and with --report-suppressions the baselined ones as
    // externally suppressed.
    let sarif = json(&run(
        room.path(),
        &["check", "--format", "sarif", "--report-suppressions"],
    ));
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "{sarif}");
    for r in results {
        assert_eq!(r["baselineState"], "unchanged", "{r}");
        assert_eq!(r["suppressions"][0]["kind"], "external", "{r}");
    }
}

#[test]
fn a_broken_baseline_is_a_positioned_error_and_never_overwritten() {
    let room = Newsroom::new(CONFIG, &[("desk/a.md", ARCHIVE_A)]);
    room.write(
        "baseline.json",
        "{\n  \"version\": 1,\n  \"findings\": [\n    {\"file\": 3}\n  ]\n}\n",
    );
    let out = run(room.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("baseline.json:4:"),
        "{}",
        stderr(&out)
    );
    let write = run(room.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code(&write), 2, "{}", stdout(&write));
    assert!(room.read("baseline.json").contains("\"file\": 3"));
    let absent = run(room.path(), &["check", "--baseline", "nowhere.json"]);
    assert_eq!(code(&absent), 2);
    assert!(
        stderr(&absent).contains("nowhere.json: baseline file not found"),
        "{}",
        stderr(&absent)
    );
}

/// A repository whose `main` has the archive, and a branch `desk` that adds a
/// paragraph in the middle of an article (shifting what follows) and an untracked
/// draft.
fn repository() -> Newsroom {
    let room = Newsroom::new(
        CONFIG,
        &[("desk/a.md", ARCHIVE_A), ("desk/b.md", ARCHIVE_B)],
    );
    room.git(&["init", "-q", "-b", "main"]);
    room.git(&["add", "-A"]);
    room.git(&["commit", "-q", "-m", "archive"]);
    room.git(&["checkout", "-q", "-b", "desk"]);
    room.write(
        "desk/a.md",
        &ARCHIVE_A.replace(
            "Le directeur aurait",
            "Des ouvriers auraient été licenciés la veille.\n\nLe directeur aurait",
        ),
    );
    room
}

#[test]
fn changed_since_reports_only_the_changed_paragraph() {
    let room = repository();
    room.write(
        "desk/draft.md",
        "# Brouillon\n\nLe ministre aurait menti.\n",
    );
    let out = run(
        room.path(),
        &["check", "--changed-since", "main", "--format", "json"],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        findings(&report),
        [
            (
                "desk/a.md".to_string(),
                5,
                "attribution/hearsay".to_string(),
                "auraient été licenciés".to_string()
            ),
            (
                "desk/draft.md".to_string(),
                3,
                "attribution/hearsay".to_string(),
                "aurait menti".to_string()
            ),
        ],
        "{report}"
    );
    // b.md did not change, so it is not even checked; a.md's two old findings are
    // outside the changed lines.
    assert_eq!(report["summary"]["files"], 2, "{report}");
    assert_eq!(report["summary"]["outside_changes"], 2, "{report}");

    // Committed, the change is still there; GitHub annotations follow.
    room.git(&["add", "-A"]);
    room.git(&["commit", "-q", "-m", "desk"]);
    let github = run(
        room.path(),
        &["check", "--changed-since", "main", "--format", "github"],
    );
    assert_eq!(code(&github), 1, "{}", stderr(&github));
    let annotations: Vec<&str> = std::str::from_utf8(&github.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| l.starts_with("::"))
        .collect();
    assert_eq!(annotations.len(), 2, "{annotations:?}");
    assert!(
        annotations[0].contains("file=desk/a.md,line=5,"),
        "{annotations:?}"
    );
    assert!(
        annotations[1].contains("file=desk/draft.md,line=3,"),
        "{annotations:?}"
    );

    // Against the branch itself nothing changed: exit 0, and a note says so.
    let none = run(room.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code(&none), 0, "{}", stdout(&none));
    assert!(
        stderr(&none).contains("no Markdown file to check changed since `HEAD`"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn changed_since_outside_git_or_with_an_unknown_revision_exits_two() {
    let room = repository();
    let unknown = run(room.path(), &["check", "--changed-since", "no-such-branch"]);
    assert_eq!(code(&unknown), 2, "{}", stdout(&unknown));
    assert!(
        stderr(&unknown).contains("unknown Git revision `no-such-branch`"),
        "{}",
        stderr(&unknown)
    );
    let option = run(room.path(), &["check", "--changed-since=--help"]);
    assert_eq!(code(&option), 2, "{}", stdout(&option));

    let plain = Newsroom::new(CONFIG, &[("a.md", ARCHIVE_A)]);
    let ceiling = plain
        .path()
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let outside = run_in(
        plain.path(),
        &["check", "--changed-since", "main"],
        &[("GIT_CEILING_DIRECTORIES", &ceiling.to_string_lossy())],
        None,
    );
    assert_eq!(code(&outside), 2, "{}", stdout(&outside));
    assert!(
        stderr(&outside).contains("--changed-since needs a Git repository"),
        "{}",
        stderr(&outside)
    );
}

#[test]
fn progress_shows_only_when_asked_off_a_terminal() {
    let room = Newsroom::new(
        CONFIG,
        &[("desk/a.md", ARCHIVE_A), ("desk/b.md", ARCHIVE_B)],
    );
    let forced = run(room.path(), &["check", "--progress", "--format", "json"]);
    assert!(
        stderr(&forced).contains("checked 2 / 2 files (100%,"),
        "{}",
        stderr(&forced)
    );
    // The report on standard output is untouched.
    assert_eq!(findings(&json(&forced)).len(), 3);
    let piped = run(room.path(), &["check"]);
    assert!(!stderr(&piped).contains("checked"), "{}", stderr(&piped));
    let off = run(room.path(), &["check", "--progress", "--no-progress"]);
    assert!(!stderr(&off).contains("checked"), "{}", stderr(&off));
    let ci = run_in(
        room.path(),
        &["check", "--progress"],
        &[("CI", "true")],
        None,
    );
    assert!(stderr(&ci).contains("checked 2 / 2"), "{}", stderr(&ci));
}

#[test]
fn init_writes_a_valid_starter_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = run(dir.path(), &["init"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        stdout(&first).contains("wrote copydesk.toml and knowledge/newsroom.toml"),
        "{}",
        stdout(&first)
    );
    let config = std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("config");
    assert!(
        config.contains("# baseline = \"copydesk-baseline.json\""),
        "{config}"
    );
    let kb = run(dir.path(), &["kb", "check"]);
    assert_eq!(code(&kb), 0, "{}{}", stdout(&kb), stderr(&kb));
    assert!(
        stdout(&kb).contains("1 from the workspace"),
        "{}",
        stdout(&kb)
    );

    // The example entity is recognised in an article.
    std::fs::write(
        dir.path().join("a.md"),
        "---\nlang: fr\n---\n\nL’Observatoire des rivières publie son rapport.\n",
    )
    .expect("write");
    let entities = run(dir.path(), &["entities", "a.md"]);
    assert!(
        stdout(&entities).contains("example-river-observatory"),
        "{}",
        stdout(&entities)
    );

    // A second run changes nothing and says why.
    std::fs::write(dir.path().join("copydesk.toml"), "lang = \"en\"\n").expect("edit");
    let second = run(dir.path(), &["init"]);
    assert_eq!(code(&second), 2, "{}", stdout(&second));
    assert!(
        stderr(&second).contains("copydesk.toml already exists"),
        "{}",
        stderr(&second)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("copydesk.toml")).expect("config"),
        "lang = \"en\"\n"
    );
    let missing = run(dir.path(), &["init", "no/such/folder"]);
    assert_eq!(code(&missing), 2);
}
