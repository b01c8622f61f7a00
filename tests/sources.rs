//! End-to-end tests of `copydesk sources`: the JSON schema of `docs/sources-format.md`,
//! pronoun resolution, anonymous sources, the roll-up over several articles, the text
//! table, and the exit codes. The articles are invented and written to a temporary
//! folder, with a `.gitignore` to show that the walk is the one of `check`.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const FR: &str = "---\nlang: fr\ntitle: Le col fermé\n---\n\n# Le col fermé\n\n\
Anna Kirakosian, maire de Vardenis, a reçu les journalistes mardi. « Nous ne partirons pas », a-t-elle déclaré.\n\n\
« La route est coupée depuis lundi », a ajouté Kirakosian.\n\n\
La circulation reprendra jeudi, selon le ministère des Transports.\n\n\
« Personne ne viendra nous aider », souffle un proche de la maire.\n";

const EN: &str = "---\nlang: en\ntitle: The pass\n---\n\n# The pass\n\n\
Anna Kirakosian, the mayor of Vardenis, met reporters on Tuesday. \"We are not leaving,\" she said.\n\n\
The road will reopen on Thursday, according to the transport ministry.\n\n\
Officials said the convoy had been delayed.\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("copydesk runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn newsroom() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir_all(dir.path().join("articles/drafts")).expect("folders");
    std::fs::write(dir.path().join("articles/col.md"), FR).expect("write");
    std::fs::write(dir.path().join("articles/pass.md"), EN).expect("write");
    std::fs::write(dir.path().join("articles/drafts/old.md"), FR).expect("write");
    std::fs::write(dir.path().join("articles/.gitignore"), "drafts/\n").expect("write");
    // `.gitignore` counts inside a Git work tree, as for `check`.
    std::fs::create_dir_all(dir.path().join(".git")).expect("git folder");
    dir
}

fn source<'a>(article: &'a Value, name: &str) -> &'a Value {
    article["sources"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no source {name:?} in {article:#}"))
}

#[test]
fn json_follows_the_documented_schema() {
    let dir = newsroom();
    let o = run(
        dir.path(),
        &["sources", "--format", "json", "articles/col.md"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "copydesk");
    let a = &v["articles"][0];
    assert_eq!(a["path"], "articles/col.md");
    assert_eq!(a["lang"], "fr");
    assert_eq!(a["title"], "Le col fermé");
    for key in [
        "sources",
        "quoted_sources",
        "anonymous_sources",
        "anonymous_share",
        "quotations",
        "attributed_quotations",
        "unresolved_quotations",
        "unattributed_quotations",
    ] {
        assert!(a["counts"].get(key).is_some(), "counts.{key} in {a:#}");
    }
    for s in a["sources"].as_array().expect("sources") {
        for key in [
            "id",
            "name",
            "class",
            "description",
            "spellings",
            "identified",
            "quotes",
            "claims",
            "first_mention",
            "quotations",
        ] {
            assert!(s.get(key).is_some(), "{key} in {s:#}");
        }
        assert!(
            ["person", "institution", "document", "anonymous"]
                .contains(&s["class"].as_str().unwrap_or("")),
            "{s:#}"
        );
        for key in [
            "line",
            "column",
            "end_line",
            "end_column",
            "start_byte",
            "end_byte",
        ] {
            assert!(
                s["first_mention"][key].is_u64(),
                "first_mention.{key} in {s:#}"
            );
        }
    }
    for q in a["quotations"].as_array().expect("quotations") {
        for key in [
            "line",
            "column",
            "start_byte",
            "end_byte",
            "text",
            "attributed",
            "how",
            "speaker",
            "speaker_kind",
            "resolved",
            "description",
            "source",
        ] {
            assert!(q.get(key).is_some(), "{key} in {q:#}");
        }
    }
    // The byte ranges slice the file.
    let q = &a["quotations"][0];
    let (s, e) = (
        q["start_byte"].as_u64().unwrap_or(0) as usize,
        q["end_byte"].as_u64().unwrap_or(0) as usize,
    );
    assert_eq!(&FR[s..e], "« Nous ne partirons pas »");
    assert_eq!(v["corpus"]["articles"], 1);
}

#[test]
fn pronouns_and_surnames_are_one_person() {
    let dir = newsroom();
    let v = json(&run(
        dir.path(),
        &["sources", "--format", "json", "articles/col.md"],
    ));
    let a = &v["articles"][0];
    let anna = source(a, "Anna Kirakosian");
    assert_eq!(anna["class"], "person");
    assert_eq!(anna["quotes"], 2);
    assert_eq!(anna["description"], "maire de Vardenis");
    assert_eq!(anna["identified"], true);
    let spellings: Vec<&str> = anna["spellings"]
        .as_array()
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        spellings.contains(&"elle") && spellings.contains(&"Kirakosian"),
        "{spellings:?}"
    );
    // The quotation tagged « elle » names Anna Kirakosian, and points at her entry.
    let q = &a["quotations"][0];
    assert_eq!(q["speaker_kind"], "pronoun");
    assert_eq!(q["resolved"], "Anna Kirakosian");
    assert_eq!(q["source"], anna["id"]);
    // Her first mention is where the article names her, before the quotation.
    assert_eq!(anna["first_mention"]["line"], 8);
    assert_eq!(anna["first_mention"]["column"], 1);
}

#[test]
fn anonymous_sources_and_cited_institutions() {
    let dir = newsroom();
    let v = json(&run(
        dir.path(),
        &["sources", "--format", "json", "articles"],
    ));
    let fr = &v["articles"][0];
    assert_eq!(fr["path"], "articles/col.md");
    let classes: Vec<&str> = fr["sources"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["class"].as_str()).collect())
        .unwrap_or_default();
    assert!(classes.contains(&"anonymous"), "{fr:#}");
    let ministry = fr["sources"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["name"].as_str().is_some_and(|n| n.contains("ministère")))
        })
        .unwrap_or_else(|| panic!("no ministry in {fr:#}"));
    assert_eq!(ministry["class"], "institution");
    assert_eq!(ministry["claims"], 1);
    assert_eq!(fr["counts"]["anonymous_sources"], 1);
    let en = &v["articles"][1];
    let officials = en["sources"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["class"] == "anonymous"))
        .unwrap_or_else(|| panic!("no anonymous source in {en:#}"));
    assert_eq!(officials["claims"], 1);
    assert_eq!(officials["quotes"], 0);
}

#[test]
fn roll_up_over_two_articles() {
    let dir = newsroom();
    let o = run(dir.path(), &["sources", "--format", "json", "articles"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    // The ignored draft is not walked.
    let paths: Vec<&str> = v["articles"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(paths, ["articles/col.md", "articles/pass.md"]);
    let corpus = &v["corpus"];
    assert_eq!(corpus["articles"], 2);
    // Anna Kirakosian is quoted in both articles: one roll-up entry, first.
    let anna = &corpus["sources"][0];
    assert_eq!(anna["name"], "Anna Kirakosian", "{corpus:#}");
    assert_eq!(anna["quotes"], 3);
    let in_articles: Vec<&str> = anna["articles"]
        .as_array()
        .map(|a| a.iter().filter_map(|a| a["path"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(in_articles, paths);
    assert!(corpus["anonymous_share"].is_f64(), "{corpus:#}");

    // The text table: one block per article, then the roll-up and the anonymous share.
    let o = run(dir.path(), &["sources", "articles"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("articles/col.md: 3 sources (2 quoted, 1 anonymous: 33 %)"),
        "{text}"
    );
    assert!(text.contains("Anna Kirakosian"), "{text}");
    assert!(text.contains("Across 2 articles"), "{text}");
    assert!(text.contains("Anonymous sources per article:"), "{text}");
}

#[test]
fn errors_exit_with_two() {
    let dir = newsroom();
    let o = run(dir.path(), &["sources", "articles/nothing-here.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing-here.md"));
    let o = run(dir.path(), &["sources", "--format", "yaml", "articles"]);
    assert_eq!(o.status.code(), Some(2));
    // A broken configuration is an error, as for `check`.
    std::fs::write(dir.path().join("copydesk.toml"), "lang = 3\n").expect("write");
    let o = run(dir.path(), &["sources", "articles"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
