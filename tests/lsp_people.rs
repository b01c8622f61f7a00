//! End-to-end tests of derived entities over stdio: people and organisations the
//! knowledge base does not list, recognised in two articles of the fixture workspace
//! (`tests/lsp/workspace/`, copied to a temporary folder) and served like entities:
//! the hover card built from the corpus, references across both files, definition to
//! the introducing mention, and the "add to the knowledge base" edit, applied and then
//! accepted by `copydesk kb check`.

#[path = "lsp/common.rs"]
mod common;

use common::{Client, Workspace, apply_text_edits, pos_of, position, range_of};
use serde_json::{Value, json};
use std::process::Command;

/// An invented French article that introduces an analyst, then names him by surname.
const FR: &str = "---\nlang: fr\ntitle: Le front du Tavush\n---\n# Le front du Tavush\n\nTigran Hakobian, analyste militaire au Centre d'études régionales, juge la situation stable.\n\nSelon lui, rien ne bouge. Hakobian a ajouté que les patrouilles continuaient.\n";
/// An invented English article that introduces the same analyst.
const EN: &str = "---\nlang: en\ntitle: Quiet border\n---\n# Quiet border\n\nTigran Hakobian, a military analyst, said the border was quiet.\n\nHakobian added that the talks would resume.\n";

fn copydesk(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run copydesk")
}

#[test]
fn derived_people_end_to_end() {
    let ws = Workspace::copy();
    std::fs::write(ws.path("fr/hakobian.md"), FR).expect("write");
    std::fs::write(ws.path("en/hakobian.md"), EN).expect("write");
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    c.indexed();
    let fr_uri = ws.uri("fr/hakobian.md");
    let en_uri = ws.uri("en/hakobian.md");
    c.open(&fr_uri, FR);
    c.diagnostics(&fr_uri, 1);

    // The hover card on the surname alone, built from both articles.
    let at = pos_of(FR, "Hakobian a ajouté", 0);
    let hover = c.hover(&fr_uri, at);
    let card = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(card.starts_with("### Tigran Hakobian"), "{card}");
    assert!(
        card.contains("absent de la base de connaissances"),
        "{card}"
    );
    assert!(
        card.contains("- analyste militaire au Centre d'études régionales"),
        "{card}"
    );
    assert!(card.contains("- a military analyst"), "{card}");
    assert!(card.contains("Tigran Hakobian, Hakobian"), "{card}");
    assert!(card.contains("Cité dans 2 articles (4 fois)"), "{card}");

    // References across the two files, surname-only mentions included.
    let refs = c.call(
        "textDocument/references",
        json!({"textDocument": {"uri": fr_uri}, "position": position(at),
               "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().cloned().unwrap_or_default();
    let in_file = |uri: &str| refs.iter().filter(|r| r["uri"] == uri).count();
    assert_eq!((in_file(&fr_uri), in_file(&en_uri)), (2, 2), "{refs:#?}");
    let en_surname = range_of(EN, "Hakobian added", 0);
    assert!(
        refs.iter()
            .any(|r| r["uri"] == en_uri && r["range"]["start"] == en_surname["start"]),
        "{refs:#?}"
    );

    // Definition: the introducing mention.
    let def = c.call(
        "textDocument/definition",
        json!({"textDocument": {"uri": fr_uri}, "position": position(at)}),
    );
    assert_eq!(def["uri"], fr_uri.as_str(), "{def:#}");
    assert_eq!(def["range"], range_of(FR, "Tigran Hakobian", 0), "{def:#}");

    // The quick fix writes a full entry into the workspace knowledge file.
    let actions = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": fr_uri}, "range": {"start": position(at), "end": position(at)},
               "context": {"diagnostics": []}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    let add = actions
        .iter()
        .find(|a| a["title"] == "Ajouter « Tigran Hakobian » à la base de connaissances")
        .unwrap_or_else(|| panic!("no add action in {actions:#?}"));
    assert_eq!(add["kind"], "quickfix");
    let kb_uri = ws.uri("knowledge/newsroom.toml");
    let edits = add["edit"]["changes"][kb_uri.as_str()]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no edit of the knowledge file in {add:#}"));
    let before = ws.read("knowledge/newsroom.toml");
    let after = apply_text_edits(&before, &edits);
    assert!(after.starts_with(&before));
    assert!(
        after.contains("id = \"tigran-hakobian\"\nkind = \"person\""),
        "{after}"
    );
    std::fs::write(ws.path("knowledge/newsroom.toml"), &after).expect("write");
    c.shutdown_and_exit();

    // `copydesk kb check` accepts the result, and the entity is now the knowledge base's.
    let check = copydesk(&ws.root, &["kb", "check"]);
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let listed = copydesk(
        &ws.root,
        &[
            "entities",
            "--derived",
            "--format",
            "json",
            "fr/hakobian.md",
        ],
    );
    let rows: Vec<Value> = serde_json::from_slice(&listed.stdout).expect("JSON");
    let ids: Vec<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    assert!(ids.contains(&"tigran-hakobian"), "{ids:?}");
    assert!(!ids.iter().any(|id| id.starts_with('~')), "{ids:?}");
}
