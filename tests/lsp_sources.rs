//! End to end over stdio: the source roster in the editor. The outline lists the
//! sources with their quotations, hover on a quotation names the person a pronoun
//! stands for and how it was found, and the code lens runs `copydesk.sources`, which
//! the server answers with the roster as Markdown.

#[path = "lsp/common.rs"]
mod common;

use common::{Client, Workspace, pos_of};
use serde_json::{Value, json};

const FR: &str = "---\nlang: fr\ntitle: Le col fermé\n---\n\n# Le col fermé\n\n\
Anna Kirakosian, maire de Vardenis, a reçu les journalistes mardi. « Nous ne partirons pas », a-t-elle déclaré.\n\n\
« La route est coupée depuis lundi », a ajouté Kirakosian.\n\n\
La circulation reprendra jeudi, selon le ministère des Transports.\n\n\
« Personne ne viendra nous aider », souffle un proche de la maire.\n";

fn start(ws: &Workspace) -> Client {
    let mut c = Client::spawn(&ws.cache, &[]);
    let init = c.initialize(&ws.root, json!({}), Value::Null);
    let commands = &init["capabilities"]["executeCommandProvider"]["commands"];
    assert_eq!(commands, &json!(["copydesk.sources"]), "{init:#}");
    c.indexed();
    c
}

#[test]
fn outline_hover_and_lens_show_the_roster() {
    let ws = Workspace::copy();
    std::fs::write(ws.path("fr/col.md"), FR).expect("write the draft");
    let uri = ws.uri("fr/col.md");
    let mut c = start(&ws);
    c.open(&uri, FR);
    c.diagnostics(&uri, 1);

    // The outline: the heading as before, then the sources with their quotations.
    let outline = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let roots = outline.as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = roots.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Le col fermé", "Sources"], "{outline:#}");
    let sources = roots[1]["children"].as_array().cloned().unwrap_or_default();
    let anna = sources
        .iter()
        .find(|s| s["name"] == "Anna Kirakosian")
        .unwrap_or_else(|| panic!("no Anna Kirakosian in {sources:#?}"));
    // « elle » and « Kirakosian » are the same person: one source, two quotations.
    assert_eq!(
        anna["children"].as_array().map(Vec::len),
        Some(2),
        "{anna:#}"
    );
    assert!(
        sources
            .iter()
            .any(|s| s["name"].as_str().is_some_and(|n| n.contains("ministère"))),
        "{sources:#?}"
    );
    assert!(
        sources.iter().any(|s| s["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("anonyme"))),
        "{sources:#?}"
    );

    // Hover on the pronoun's quotation: the person, and how.
    let hover = c.hover(&uri, pos_of(FR, "partirons", 0));
    let card = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(
        card.contains(
            "Citation d\u{2019}**Anna Kirakosian** — désigné par « elle », nommé plus haut"
        ),
        "{card}"
    );
    assert!(card.contains("maire de Vardenis"), "{card}");
    // The surname's quotation: the full name.
    let hover = c.hover(&uri, pos_of(FR, "coupée", 0));
    let card = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(card.contains("**Anna Kirakosian**"), "{card}");

    // The lens counts one quoted source per person and runs the roster command.
    let lenses = c.call(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lens = &lenses[0]["command"];
    assert_eq!(lens["command"], "copydesk.sources", "{lenses:#}");
    assert!(
        lens["title"]
            .as_str()
            .is_some_and(|t| t.contains("2 quoted sources")),
        "{lens:#}"
    );
    let md = c.call(
        "workspace/executeCommand",
        json!({"command": lens["command"], "arguments": lens["arguments"]}),
    );
    let md = md.as_str().unwrap_or("");
    assert!(md.starts_with("# Sources : Le col fermé"), "{md}");
    assert!(
        md.contains("| Anna Kirakosian | personne | 2 | 0 |"),
        "{md}"
    );
    assert!(md.contains("anonyme"), "{md}");

    // A wrong call is an error, and the server goes on.
    let bad = c.request(
        "workspace/executeCommand",
        json!({"command": "copydesk.sources", "arguments": [42]}),
    );
    assert!(bad.get("error").is_some(), "{bad:#}");
    let bad = c.request(
        "workspace/executeCommand",
        json!({"command": "copydesk.nothing", "arguments": []}),
    );
    assert!(bad.get("error").is_some(), "{bad:#}");
    let hover = c.hover(&uri, pos_of(FR, "partirons", 0));
    assert!(hover["contents"]["value"].is_string());
    assert!(c.shutdown_and_exit().success());
}
