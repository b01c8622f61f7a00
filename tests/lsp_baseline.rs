//! End to end: the language server applies the baseline named in `copydesk.toml`
//! exactly as `copydesk check` does, so that a writer sees in the editor the
//! findings CI reports, and a new baseline (pruned, or recorded again) applies as
//! soon as the file changes.

#[path = "lsp/common.rs"]
mod common;

use common::{Client, Workspace, file_uri};
use serde_json::{Value, json};
use std::process::Command;

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    let mut codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    codes.sort_unstable();
    codes
}

#[test]
fn the_server_hides_what_the_baseline_records() {
    let ws = Workspace::copy();
    // Record today's findings with the CLI, as a newsroom would, and name the
    // baseline in the configuration.
    let recorded = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(&ws.root)
        .args(["check", "fr", "--write-baseline", "copydesk-baseline.json"])
        .env("XDG_CACHE_HOME", &ws.cache)
        .output()
        .expect("copydesk check runs");
    assert!(
        recorded.status.success(),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
    let config = ws.read("copydesk.toml");
    std::fs::write(
        ws.path("copydesk.toml"),
        format!("baseline = \"copydesk-baseline.json\"\n{config}"),
    )
    .expect("write the configuration");

    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    assert_eq!(
        codes(&c.diagnostics(&uri, 1)),
        Vec::<&str>::new(),
        "every finding of the draft is in the baseline"
    );

    // A new sentence is reported; the old ones stay hidden although every line
    // below the new paragraph moved.
    let edited = text.replacen(
        "Erevan a gelé",
        "Le ministre aurait démissionné jeudi.\n\nErevan a gelé",
        1,
    );
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": edited}],
        }),
    );
    let diagnostics = c.diagnostics(&uri, 2);
    assert_eq!(
        codes(&diagnostics),
        ["attribution/hearsay"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 7);

    // Without the baseline (the file emptied and the change announced), every
    // finding is back.
    let baseline = ws.path("copydesk-baseline.json");
    std::fs::write(
        &baseline,
        "{\n  \"version\": 1,\n  \"tool\": \"copydesk\",\n  \"findings\": []\n}\n",
    )
    .expect("empty the baseline");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&baseline), "type": 2}]}),
    );
    let all = c.wait_for("the diagnostics without the baseline", |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.len() > 1)
    });
    let all = all["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(codes(&all).contains(&"style/acronym-first-use"), "{all:#?}");
    c.shutdown_and_exit();
}
