//! End-to-end tests of the knowledge base over the example newsroom
//! (`examples/newsroom`): every article's mentions against a hand-checked fixture,
//! the two entity rules against `EXPECTED.md`, and the `entities` and `kb check`
//! commands.
//!
//! The fixture `tests/kb/newsroom-entities.toml` lists, per article, each entity id
//! with every distinct spelling the article uses for it. The test fails on a mention
//! missing from the analysis and on one the fixture does not list, so a change to the
//! matcher or the data that finds less, or more, shows up here as a diff.

use copydesk::analysis::Engine;
use copydesk::config::Config;
use copydesk::kb::Kb;
use copydesk::rules::Rule;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn newsroom() -> PathBuf {
    root().join("examples/newsroom")
}

/// The example newsroom's engine: its configuration, the built-in knowledge base and
/// its own `knowledge/` folder.
fn engine() -> Engine {
    let config = Config::load(&newsroom().join("copydesk.toml")).expect("example configuration");
    let (kb, errors) = Kb::load(config.builtin_knowledge, &[newsroom().join("knowledge")]);
    assert!(errors.is_empty(), "knowledge errors: {errors:#?}");
    Engine::new(config, Arc::new(kb))
}

/// The example articles, by file name.
fn articles() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(newsroom())
        .expect("examples/newsroom")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "EXPECTED.md")
        })
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).expect("article");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

type Mentions = BTreeMap<String, BTreeSet<String>>;

#[test]
fn newsroom_mentions_match_the_fixture() {
    let fixture_text =
        std::fs::read_to_string(root().join("tests/kb/newsroom-entities.toml")).expect("fixture");
    let fixture: BTreeMap<String, Mentions> =
        toml::from_str(&fixture_text).expect("fixture parses");
    let engine = engine();
    let articles = articles();
    assert!(!articles.is_empty());
    let mut problems = Vec::new();
    for (name, text) in &articles {
        let analysis = engine.analyze(text);
        let mut found: Mentions = BTreeMap::new();
        for m in &analysis.mentions {
            assert_eq!(
                &text[m.range.clone()],
                m.surface,
                "{name}: range and surface agree"
            );
            found
                .entry(m.entity.to_string())
                .or_default()
                .insert(m.surface.clone());
        }
        let Some(expected) = fixture.get(name) else {
            problems.push(format!("{name}: not in the fixture; found {found:?}"));
            continue;
        };
        let ids: BTreeSet<&String> = expected.keys().chain(found.keys()).collect();
        for id in ids {
            let want = expected.get(id).cloned().unwrap_or_default();
            let got = found.get(id).cloned().unwrap_or_default();
            for missing in want.difference(&got) {
                problems.push(format!("{name}: missing {id} « {missing} »"));
            }
            for spurious in got.difference(&want) {
                problems.push(format!("{name}: spurious {id} « {spurious} »"));
            }
        }
    }
    for name in fixture.keys() {
        if !articles.iter().any(|(n, _)| n == name) {
            problems.push(format!(
                "{name}: in the fixture but not in examples/newsroom"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn entity_rules_fire_as_expected_md_says() {
    let engine = engine();
    let mut fired = Vec::new();
    for (name, text) in articles() {
        let analysis = engine.analyze(&text);
        for f in &analysis.findings {
            if matches!(f.rule, Rule::HouseSpelling | Rule::AcronymFirstUse) {
                let line = text[..f.range.start].matches('\n').count() + 1;
                let fix = f.fixes.first().and_then(|x| x.edits.first());
                fired.push((
                    name.clone(),
                    line,
                    f.rule.code(),
                    f.cue.clone(),
                    fix.map(|e| e.replacement.clone()).unwrap_or_default(),
                ));
            }
        }
    }
    let want = vec![
        (
            "2024-02-23-armenie-gel-otsc.md".to_string(),
            14,
            "entities/house-spelling",
            "Pashinyan".to_string(),
            "Pachinian".to_string(),
        ),
        (
            "2024-06-28-bielorussie-armenie-minsk.md".to_string(),
            10,
            "style/acronym-first-use",
            "OTSC".to_string(),
            "Organisation du traité de sécurité collective (OTSC)".to_string(),
        ),
    ];
    assert_eq!(fired, want);
}

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("copydesk runs")
}

#[test]
fn entities_command_lists_mentions() {
    let out = copydesk(&newsroom(), &["entities", "2024-02-23-armenie-gel-otsc.md"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(
            |l| l == "2024-02-23-armenie-gel-otsc.md:14:20  Pashinyan  nikol-pashinyan  person"
        ),
        "{stdout}"
    );
    let out = copydesk(
        &newsroom(),
        &[
            "entities",
            "--format",
            "json",
            "2024-06-28-bielorussie-armenie-minsk.md",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let first = &rows[0];
    assert_eq!(first["id"], "yerevan");
    assert_eq!(first["kind"], "city");
    assert_eq!(first["surface"], "Erevan");
    assert!(first["line"].as_u64().is_some() && first["column"].as_u64().is_some());
    let out = copydesk(&newsroom(), &["entities", "no-such-article.md"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn kb_check_accepts_the_example_and_positions_errors() {
    let out = copydesk(&newsroom(), &["kb", "check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" entities OK ("), "{stdout}");

    let dir = std::env::temp_dir().join(format!("copydesk-kb-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[entity]]\nid = \"armenia\"\nkind = \"country\"\nname = { en = \"A\", fr = \"A\" }\ndescription = { en = \"A\", fr = \"A\" }\nsource = \"x\"\n\n[[entity]]\nid = \"x\"\nkind = \"state\"\nname = { en = \"Yerevan\", fr = \"Erevan\" }\ndescription = { en = \"X\", fr = \"X\" }\n",
    )
    .expect("write");
    let out = copydesk(&dir, &["kb", "check", "bad.toml"]);
    let _ = std::fs::remove_file(&bad);
    let _ = std::fs::remove_dir(&dir);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("bad.toml:6:1: unknown field `source`"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("bad.toml:10:8: unknown kind `state`"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with("bad.toml:11:15: `Yerevan` is already a form of `yerevan`"),
        "{stdout}"
    );
}
