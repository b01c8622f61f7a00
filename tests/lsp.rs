//! End-to-end tests of `copydesk lsp`: the real binary, over its standard streams,
//! with real framing (see `tests/lsp/common.rs`), on a copy of the fixture workspace
//! `tests/lsp/workspace/` (a French and an English draft, a brief that is never
//! opened, a `copydesk.toml` and a workspace knowledge file).

#[path = "lsp/common.rs"]
mod common;

use common::{Client, Workspace, apply_text_edits, pos_of, position, range_of};
use serde_json::{Value, json};

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

fn diagnostic<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn hover_text(hover: &Value) -> &str {
    hover["contents"]["value"].as_str().unwrap_or("")
}

fn text_document(uri: &str) -> Value {
    json!({ "uri": uri })
}

/// The code actions at `range`, by title.
fn code_actions(c: &mut Client, uri: &str, range: Value) -> Vec<Value> {
    c.call(
        "textDocument/codeAction",
        json!({"textDocument": text_document(uri), "range": range, "context": {"diagnostics": []}}),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn action<'a>(actions: &'a [Value], title_start: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with(title_start))
        })
        .unwrap_or_else(|| {
            let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
            panic!("no action {title_start:?} among {titles:#?}")
        })
}

/// The edits an action makes to `uri`.
fn edits_for(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no edit of {uri} in {action:#}"))
}

#[test]
fn editing_session_end_to_end() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    let init = c.initialize(&ws.root, json!({}), Value::Null);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    c.indexed();

    let fr_uri = ws.uri("fr/otsc.md");
    let en_uri = ws.uri("en/csto.md");
    let fr = ws.read("fr/otsc.md");
    let en = ws.read("en/csto.md");
    c.open(&fr_uri, &fr);
    c.open(&en_uri, &en);

    // Diagnostics: the same findings as `copydesk check`, squiggles on the cues.
    let fr_diags = c.diagnostics(&fr_uri, 1);
    assert_eq!(
        codes(&fr_diags),
        [
            "style/acronym-first-use",
            "attribution/hearsay",
            "entities/house-spelling"
        ]
    );
    assert_eq!(
        diagnostic(&fr_diags, "style/acronym-first-use")["range"],
        range_of(&fr, "OTSC", 1)
    );
    let hearsay = diagnostic(&fr_diags, "attribution/hearsay");
    assert_eq!(hearsay["range"], range_of(&fr, "aurait refusé", 0));
    assert_eq!(hearsay["source"], "copydesk");
    assert!(
        hearsay["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("docs/rules/hearsay.md")),
        "{hearsay}"
    );
    let spelling = diagnostic(&fr_diags, "entities/house-spelling");
    assert_eq!(spelling["range"], range_of(&fr, "Nikol Pashinyan", 0));
    let en_diags = c.diagnostics(&en_uri, 1);
    let unattributed = diagnostic(&en_diags, "attribution/unattributed-quote");
    assert_eq!(
        unattributed["range"]["start"],
        position(pos_of(&en, "\"There", 0))
    );
    assert_eq!(codes(&en_diags), ["attribution/unattributed-quote"]);
    assert_eq!(
        unattributed["range"],
        range_of(&en, "\"There is no way back.\"", 0)
    );

    // Hover on « OTSC » shows the CSTO card, French first, with corpus counts.
    let otsc = pos_of(&fr, "OTSC", 1);
    let hover = c.hover(&fr_uri, otsc);
    let card = hover_text(&hover);
    assert!(
        card.contains("Organisation du traité de sécurité collective"),
        "{card}"
    );
    assert!(
        card.contains("Collective Security Treaty Organization"),
        "{card}"
    );
    assert!(card.contains("CSTO"), "{card}");
    assert!(card.contains("Cité dans 3 articles"), "{card}");
    assert_eq!(hover["range"], range_of(&fr, "OTSC", 1));

    // References from « OTSC » find "CSTO" in the English draft and in the brief,
    // which is only on disk; with the declaration, the built-in entry too.
    let references = |c: &mut Client, include: bool| {
        c.call(
            "textDocument/references",
            json!({"textDocument": text_document(&fr_uri), "position": position(otsc),
                   "context": {"includeDeclaration": include}}),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
    };
    let refs = references(&mut c, false);
    let has = |uri: &str, range: Value| refs.iter().any(|r| r["uri"] == uri && r["range"] == range);
    assert!(has(&en_uri, range_of(&en, "CSTO", 1)), "{refs:#?}");
    assert!(has(&fr_uri, range_of(&fr, "OTSC", 1)), "{refs:#?}");
    let brief = ws.read("en/brief.md");
    assert!(
        has(&ws.uri("en/brief.md"), range_of(&brief, "CSTO", 0)),
        "{refs:#?}"
    );
    let with_declaration = references(&mut c, true);
    assert_eq!(with_declaration.len(), refs.len() + 1);
    assert!(
        with_declaration.iter().any(|r| r["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("organisations.toml"))),
        "{with_declaration:#?}"
    );

    // An emoji inserted before the entity (two UTF-16 units per regional indicator):
    // hover and diagnostics follow.
    let insert_at = pos_of(&fr, "l'OTSC", 1);
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": fr_uri, "version": 2},
            "contentChanges": [{
                "range": {"start": position(insert_at), "end": position(insert_at)},
                "text": "🇦🇲 "
            }]
        }),
    );
    let fr2 = apply_text_edits(
        &fr,
        &[
            json!({"range": {"start": position(insert_at), "end": position(insert_at)}, "newText": "🇦🇲 "}),
        ],
    );
    assert!(fr2.contains("à 🇦🇲 l'OTSC"));
    let hover = c.hover(&fr_uri, pos_of(&fr2, "OTSC", 1));
    assert!(
        hover_text(&hover).contains("Organisation du traité"),
        "{hover}"
    );
    assert_eq!(hover["range"], range_of(&fr2, "OTSC", 1));
    let fr2_diags = c.diagnostics(&fr_uri, 2);
    assert_eq!(
        diagnostic(&fr2_diags, "style/acronym-first-use")["range"],
        range_of(&fr2, "OTSC", 1)
    );
    assert_eq!(
        diagnostic(&fr2_diags, "attribution/hearsay")["range"],
        range_of(&fr2, "aurait refusé", 0)
    );

    // Code actions: the house-spelling fix and the attribution template give the
    // expected text.
    let actions = code_actions(&mut c, &fr_uri, range_of(&fr2, "Nikol Pashinyan", 0));
    let fix = action(&actions, "Remplacer par « Nikol Pachinian »");
    let fixed = apply_text_edits(&fr2, &edits_for(fix, &fr_uri));
    assert!(
        fixed.contains("a déclaré Nikol Pachinian devant"),
        "{fixed}"
    );
    let actions = code_actions(&mut c, &fr_uri, range_of(&fr2, "OTSC", 1));
    let expand = action(&actions, "Développer en");
    let expanded = apply_text_edits(&fr2, &edits_for(expand, &fr_uri));
    assert!(
        expanded.contains("🇦🇲 l'Organisation du traité de sécurité collective (OTSC) en 2024."),
        "{expanded}"
    );
    let actions = code_actions(&mut c, &fr_uri, range_of(&fr2, "aurait refusé", 0));
    let attribution = action(&actions, "Insérer une attribution");
    let attributed = apply_text_edits(&fr2, &edits_for(attribution, &fr_uri));
    assert!(
        attributed
            .contains("\nSelon [source], le gouvernement aurait refusé de participer au sommet.\n"),
        "{attributed}"
    );
    let disable = action(&actions, "Désactiver attribution/hearsay pour cette ligne");
    let disabled = apply_text_edits(&fr2, &edits_for(disable, &fr_uri));
    assert!(
        disabled.contains(
            "<!-- copydesk-disable-next-line attribution/hearsay -->\nLe gouvernement aurait"
        ),
        "{disabled}"
    );

    // The English template goes at the end, agency style.
    let actions = code_actions(&mut c, &en_uri, unattributed["range"].clone());
    let attribution = action(&actions, "Insert attribution");
    let attributed = apply_text_edits(&en, &edits_for(attribution, &en_uri));
    assert!(
        attributed.contains("\"There is no way back,\" [source] said.\n"),
        "{attributed}"
    );

    let status = c.shutdown_and_exit();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    let init = c.initialize(
        &ws.root,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        Value::Null,
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = ws.uri("fr/note.md");
    let text = "---\nlang: fr\n---\n\nÀ Érevan, « l’OTSC » était muette.\n";
    c.open(&uri, text);
    let line = 4;
    let byte_col = text
        .lines()
        .nth(line)
        .and_then(|l| l.find("OTSC"))
        .expect("OTSC") as u32;
    let hover = c.hover(&uri, (line as u32, byte_col + 1));
    assert!(
        hover_text(&hover).contains("Organisation du traité"),
        "{hover}"
    );
    assert_eq!(
        hover["range"],
        json!({"start": {"line": line, "character": byte_col},
               "end": {"line": line, "character": byte_col + 4}})
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn requests_before_initialize_are_refused() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    let early = c.request(
        "textDocument/hover",
        json!({"textDocument": text_document(&ws.uri("fr/otsc.md")), "position": position((0, 0))}),
    );
    assert_eq!(early["error"]["code"], -32002, "{early}");
    c.initialize(&ws.root, json!({}), Value::Null);
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);

    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse_error = c.wait_for("a parse error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    c.wait_for("the logged error", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("ignored a message"))
    });

    let body = r#"{"jsonrpc":"1.0","id":77,"method":"textDocument/hover"}"#;
    c.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let invalid = c.wait_for("an invalid-request error", |m| m["id"] == 77);
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");

    // Still serving.
    let uri = ws.uri("fr/otsc.md");
    c.open(&uri, &ws.read("fr/otsc.md"));
    let symbols = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": text_document(&uri)}),
    );
    assert!(
        symbols.as_array().is_some_and(|s| !s.is_empty()),
        "{symbols}"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn out_of_range_positions_and_unknown_documents_never_crash() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);

    // Far past the end: clamped, answered.
    let far = c.request(
        "textDocument/hover",
        json!({"textDocument": text_document(&uri), "position": {"line": 100000, "character": 100000}}),
    );
    assert!(far.get("error").is_none(), "{far}");
    // Past the end of a line: clamped to the line end.
    let line_end = c.request(
        "textDocument/definition",
        json!({"textDocument": text_document(&uri), "position": {"line": 7, "character": 4000}}),
    );
    assert!(line_end.get("error").is_none(), "{line_end}");
    // A reversed range for code actions.
    let reversed = c.request(
        "textDocument/codeAction",
        json!({"textDocument": text_document(&uri),
               "range": {"start": {"line": 9, "character": 30}, "end": {"line": 9, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert!(reversed.get("error").is_none(), "{reversed}");

    // A document that neither is open nor exists.
    let ghost = "file:///nowhere/ghost.md";
    assert_eq!(c.hover(ghost, (0, 0)), Value::Null);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": text_document(ghost), "position": position((0, 0)),
               "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs["result"], Value::Null, "{refs}");

    // A change to a closed document is logged and ignored.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 3},
               "contentChanges": [{"text": "whatever"}]}),
    );
    c.wait_for("the logged warning", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("not open"))
    });
    // A file on disk that is not open is read from disk.
    let brief = ws.read("en/brief.md");
    let hover = c.hover(&ws.uri("en/brief.md"), pos_of(&brief, "CSTO", 0));
    assert!(
        hover_text(&hover).contains("Collective Security Treaty Organization"),
        "{hover}"
    );

    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_panic_in_a_request_is_reported_and_the_server_goes_on() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[("COPYDESK_LSP_TEST_PANIC", "hover")]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/otsc.md");
    c.open(&uri, &ws.read("fr/otsc.md"));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": text_document(&uri), "position": position((7, 3))}),
    );
    assert_eq!(hover["error"]["code"], -32603, "{hover}");
    c.wait_for("the logged panic", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("hover panicked"))
    });
    let lens = c.call(
        "textDocument/codeLens",
        json!({"textDocument": text_document(&uri)}),
    );
    assert!(lens.as_array().is_some_and(|l| l.len() == 1), "{lens}");
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
}

#[test]
fn no_pull_diagnostics_without_refresh_support() {
    // A client that can pull but cannot be told to pull again (Neovim 0.11) gets pushed
    // diagnostics, which a reload can update.
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    let init = c.initialize(
        &ws.root,
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
        Value::Null,
    );
    assert!(
        init["capabilities"]["diagnosticProvider"].is_null(),
        "{init}"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn pull_diagnostics_when_the_client_asks() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    let init = c.initialize(
        &ws.root,
        json!({
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"diagnostics": {"refreshSupport": true}}
        }),
        Value::Null,
    );
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["identifier"],
        "copydesk"
    );
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    let report = c.call(
        "textDocument/diagnostic",
        json!({"textDocument": text_document(&uri)}),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        diagnostic(&items, "attribution/hearsay")["range"],
        range_of(&text, "aurait refusé", 0)
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn definitions_open_the_knowledge_base_entry() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    let definition = |c: &mut Client, pos| {
        c.call(
            "textDocument/definition",
            json!({"textDocument": text_document(&uri), "position": position(pos)}),
        )
    };
    // A built-in entity: a read-only copy of its data file in the cache folder.
    let builtin = definition(&mut c, pos_of(&text, "OTSC", 1));
    let target = builtin["uri"].as_str().expect("a location");
    assert!(
        target.starts_with(&common::file_uri(&ws.cache)),
        "{builtin}"
    );
    let path = std::path::PathBuf::from(target.trim_start_matches("file://"));
    let data = std::fs::read_to_string(&path).expect("the cached copy exists");
    let line = builtin["range"]["start"]["line"].as_u64().expect("line") as usize;
    let lines: Vec<&str> = data.lines().collect();
    assert_eq!(lines[line], "[[entity]]");
    assert_eq!(lines[line + 1], "id = \"csto\"");
    assert!(
        std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .readonly()
    );
    // A workspace entity: its own file.
    let local = definition(&mut c, pos_of(&text, "Conseil régional", 0));
    assert_eq!(local["uri"], ws.uri("knowledge/newsroom.toml"));
    let kb = ws.read("knowledge/newsroom.toml");
    assert_eq!(
        local["range"]["start"],
        position(pos_of(&kb, "[[entity]]", 0))
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn document_and_workspace_symbols() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    c.indexed();
    let uri = ws.uri("fr/otsc.md");
    c.open(&uri, &ws.read("fr/otsc.md"));
    let outline = c.call(
        "textDocument/documentSymbol",
        json!({"textDocument": text_document(&uri)}),
    );
    let top = &outline[0];
    assert_eq!(top["name"], "L'Arménie prend ses distances", "{outline:#}");
    let children: Vec<&str> = top["children"]
        .as_array()
        .map(|c| c.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        children.contains(&"Organisation du traité de sécurité collective"),
        "{children:?}"
    );
    assert!(
        children.iter().any(|n| n.contains("Pashinyan")),
        "{children:?}"
    );

    let found = c.call("workspace/symbol", json!({"query": "OTSC"}));
    assert_eq!(
        found[0]["name"], "Collective Security Treaty Organization",
        "{found:#}"
    );
    let found = c.call("workspace/symbol", json!({"query": "door open"}));
    assert!(
        found.as_array().is_some_and(|f| f
            .iter()
            .any(|s| s["name"] == "Moscow keeps the door open"
                && s["location"]["uri"] == ws.uri("en/brief.md"))),
        "{found:#}"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn code_lens_and_editor_settings() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    let before = c.diagnostics(&uri, 1);
    assert!(codes(&before).contains(&"attribution/hearsay"));
    let lens = c.call(
        "textDocument/codeLens",
        json!({"textDocument": text_document(&uri)}),
    );
    let title = lens[0]["command"]["title"].as_str().unwrap_or("");
    assert!(
        title.contains("findings ·") || title.contains("finding ·"),
        "{lens}"
    );
    assert!(title.contains("1 quoted source ·"), "{lens}");
    assert_eq!(
        lens[0]["range"]["start"]["line"],
        pos_of(&text, "# L'Arménie", 0).0
    );

    // Settings from the editor are merged over `copydesk.toml`.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"copydesk": {"lsp": {"code_lens": false}, "rules": {"hearsay": "off"}}}}),
    );
    let after = c.diagnostics(&uri, 1);
    assert!(
        !codes(&after).contains(&"attribution/hearsay"),
        "{after:#?}"
    );
    let lens = c.call(
        "textDocument/codeLens",
        json!({"textDocument": text_document(&uri)}),
    );
    assert_eq!(lens, json!([]));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn watched_files_progress_and_knowledge_reload() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(
        &ws.root,
        json!({"window": {"workDoneProgress": true},
               "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        Value::Null,
    );
    let registration = c.wait_for("the watcher registration", |m| {
        m["method"] == "client/registerCapability"
    });
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    c.wait_for("a progress token", |m| {
        m["method"] == "window/workDoneProgress/create"
    });
    c.wait_for("progress begin", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
    });
    c.wait_for("progress end", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });

    let uri = ws.uri("en/press.md");
    let text = "# Press\n\nThe Yerevan Press Club said nothing.\n";
    c.open(&uri, text);
    assert_eq!(c.hover(&uri, pos_of(text, "Press Club", 0)), Value::Null);

    // A new workspace entity, written to disk and announced by the editor.
    let kb_path = ws.path("knowledge/newsroom.toml");
    let mut kb = ws.read("knowledge/newsroom.toml");
    kb.push_str(
        "\n[[entity]]\nid = \"yerevan-press-club\"\nkind = \"organisation\"\n\
         name = { en = \"Yerevan Press Club\", fr = \"Club de la presse d'Erevan\" }\n\
         description = { en = \"A journalists' association.\", fr = \"Une association de journalistes.\" }\n",
    );
    std::fs::write(&kb_path, kb).expect("write the knowledge file");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("knowledge/newsroom.toml"), "type": 2}]}),
    );
    c.wait_for("the reload", |m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|s| s.contains("reloaded"))
    });
    let hover = c.hover(&uri, pos_of(text, "Press Club", 0));
    assert!(hover_text(&hover).contains("A journalists"), "{hover}");

    // A new article on disk is indexed when announced.
    std::fs::write(
        ws.path("en/new.md"),
        "# New\n\nThe Yerevan Press Club met.\n",
    )
    .expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ws.uri("en/new.md"), "type": 1}]}),
    );
    // Notifications and requests are served concurrently: ask until the new file
    // shows up (or the deadline passes).
    let deadline = std::time::Instant::now() + common::TIMEOUT;
    loop {
        let refs = c.call(
            "textDocument/references",
            json!({"textDocument": text_document(&uri), "position": position(pos_of(text, "Press Club", 0)),
                   "context": {"includeDeclaration": false}}),
        );
        let found = refs
            .as_array()
            .is_some_and(|r| r.iter().any(|l| l["uri"] == ws.uri("en/new.md")));
        if found {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{refs:#}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn add_an_unknown_name_to_the_knowledge_base() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(&ws.root, json!({}), Value::Null);
    let uri = ws.uri("fr/portrait.md");
    let text = "---\nlang: fr\n---\n\nLa députée Anahit Hovsepyan a voté contre le texte.\n";
    c.open(&uri, text);
    let at = pos_of(text, "Hovsepyan", 0);
    let actions = code_actions(
        &mut c,
        &uri,
        json!({"start": position(at), "end": position(at)}),
    );
    let add = action(
        &actions,
        "Ajouter « Anahit Hovsepyan » à la base de connaissances",
    );
    let kb_uri = ws.uri("knowledge/newsroom.toml");
    let kb = ws.read("knowledge/newsroom.toml");
    let updated = apply_text_edits(&kb, &edits_for(add, &kb_uri));
    assert!(updated.starts_with(&kb));
    assert!(
        updated.contains("\n\n[[entity]]\nid = \"anahit-hovsepyan\"\n"),
        "{updated}"
    );
    assert!(
        updated.contains("name = { en = \"Anahit Hovsepyan\", fr = \"Anahit Hovsepyan\" }"),
        "{updated}"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn typing_is_debounced_and_closing_clears_diagnostics() {
    let ws = Workspace::copy();
    let mut c = Client::spawn(&ws.cache, &[]);
    // A long debounce (from the editor's settings) so that the burst below is one pause.
    c.initialize(&ws.root, json!({}), json!({"lsp": {"debounce_ms": 300}}));
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    c.diagnostics(&uri, 1);
    let end = pos_of(&text, "sommet.", 0);
    for version in 2..=10 {
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": position(end), "end": position(end)}, "text": "x"}]
            }),
        );
    }
    let last = c.diagnostics(&uri, 10);
    assert!(codes(&last).contains(&"attribution/hearsay"));
    let stale = c
        .inbox
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(
        stale, 0,
        "intermediate versions were published: {:#?}",
        c.inbox
    );

    c.notify(
        "textDocument/didClose",
        json!({"textDocument": text_document(&uri)}),
    );
    let cleared = c.wait_for("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}

#[test]
fn broken_settings_are_logged_and_the_server_works_on() {
    let ws = Workspace::copy();
    std::fs::write(ws.path("copydesk.toml"), "bogus = 1\n").expect("write");
    std::fs::write(ws.path("knowledge/broken.toml"), "[[entity]]\nid = 3\n").expect("write");
    let mut c = Client::spawn(&ws.cache, &[]);
    c.initialize(
        &ws.root,
        json!({}),
        json!({"rules": {"no-such-rule": "off"}}),
    );
    for needle in ["bogus", "editor settings ignored", "knowledge base: "] {
        c.wait_for(needle, |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains(needle))
        });
    }
    let uri = ws.uri("fr/otsc.md");
    let text = ws.read("fr/otsc.md");
    c.open(&uri, &text);
    let diagnostics = c.diagnostics(&uri, 1);
    assert!(codes(&diagnostics).contains(&"attribution/hearsay"));
    let hover = c.hover(&uri, pos_of(&text, "OTSC", 1));
    assert!(
        hover_text(&hover).contains("Organisation du traité"),
        "{hover}"
    );
    assert_eq!(c.shutdown_and_exit().code(), Some(0));
}
