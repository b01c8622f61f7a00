//! The SARIF 2.1.0 format, for code-scanning dashboards such as GitHub's.
//!
//! One run; the driver lists every rule (so `ruleIndex` is stable across runs) with
//! its page as `help.markdown` and its published page as `helpUri`. Regions use
//! SARIF's default `columnKind`, UTF-16 code units, 1-based with an exclusive end
//! column; we state the column kind explicitly anyway. Artifact URIs are relative to
//! `%SRCROOT%`, the folder copydesk ran in, with forward slashes and percent-encoding;
//! a file outside that folder gets an absolute `file://` URI instead. Errors of the
//! run become notifications of the invocation: configuration and knowledge-base
//! errors are `toolConfigurationNotifications`, unreadable files
//! `toolExecutionNotifications`, and `executionSuccessful` is false when there is any.

use super::{CheckedFile, RenderOptions, Report, RunError, absolute_lexical, suppression_for};
use crate::rules::{Finding, Rule, Severity};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

/// The JSON schema SARIF files point at.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The URI base every artifact location is relative to.
const SRCROOT: &str = "%SRCROOT%";

/// SARIF's levels: information and hint are both `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// Percent-encodes a path for a URI, keeping `/` and RFC 3986's unreserved characters.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An absolute path as a `file://` URI (with a trailing slash when `dir` is true).
fn file_uri(path: &Path, dir: bool) -> String {
    let mut s = super::slash_path(path);
    if !s.starts_with('/') {
        // Windows paths such as `C:/x` need a slash before the drive letter.
        s.insert(0, '/');
    }
    if dir && !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", encode_path(&s))
}

/// The artifact location of a file: relative to `%SRCROOT%` when inside it.
fn artifact_location(path: &Path, cwd: &Path) -> Value {
    let absolute = absolute_lexical(path, cwd);
    match absolute.strip_prefix(absolute_lexical(cwd, cwd)) {
        Ok(rel) if !rel.as_os_str().is_empty() => json!({
            "uri": encode_path(&super::slash_path(rel)),
            "uriBaseId": SRCROOT,
        }),
        _ => json!({ "uri": file_uri(&absolute, false) }),
    }
}

/// A region in UTF-16 columns, 1-based, end column exclusive.
fn region(file: &CheckedFile, range: &Range<usize>) -> Value {
    let (start, end) = file.span(range);
    json!({
        "startLine": start.line,
        "startColumn": start.column_utf16,
        "endLine": end.line,
        "endColumn": end.column_utf16,
        "snippet": { "text": file.slice(range) },
    })
}

/// The first paragraph of a rule page that is not a heading, for `fullDescription`.
fn first_paragraph(page: &str) -> Option<String> {
    page.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn rule_descriptor(rule: Rule) -> Value {
    let full = first_paragraph(rule.doc()).unwrap_or_else(|| rule.summary().to_string());
    json!({
        "id": rule.code(),
        "name": format!("{rule:?}"),
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": full },
        "helpUri": rule.doc_url(),
        "help": {
            "text": format!("{} See {}", rule.summary(), rule.doc_url()),
            "markdown": rule.doc(),
        },
        "defaultConfiguration": {
            "level": level(rule.default_severity()),
            "enabled": rule.on_by_default(),
        },
        "properties": { "tags": [rule.code().split('/').next().unwrap_or_default()] },
    })
}

fn result(file: &CheckedFile, finding: &Finding, cwd: &Path, suppressed: bool) -> Value {
    let rule_index = Rule::ALL.iter().position(|r| *r == finding.rule);
    let location = artifact_location(&file.path, cwd);
    let mut result = json!({
        "ruleId": finding.rule.code(),
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": location,
                "region": region(file, &finding.range),
                "contextRegion": region(file, &finding.sentence),
            }
        }],
    });
    if !finding.help.is_empty() {
        result["properties"] = json!({ "help": finding.help });
    }
    if !finding.fixes.is_empty() {
        result["fixes"] = finding
            .fixes
            .iter()
            .map(|fix| {
                json!({
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": fix.edits.iter().map(|e| {
                            let mut deleted = region(file, &e.range);
                            if let Some(map) = deleted.as_object_mut() {
                                map.remove("snippet");
                            }
                            json!({
                                "deletedRegion": deleted,
                                "insertedContent": { "text": e.replacement },
                            })
                        }).collect::<Vec<_>>(),
                    }],
                })
            })
            .collect();
    }
    if suppressed {
        let mut suppression = json!({ "kind": "inSource" });
        if let Some(reason) = suppression_for(file, finding).and_then(|s| s.reason.as_deref()) {
            suppression["justification"] = json!(reason);
        }
        result["suppressions"] = json!([suppression]);
    }
    result
}

fn notification(error: &RunError, cwd: &Path) -> Value {
    let mut n = json!({
        "level": "error",
        "message": { "text": error.to_string() },
        "descriptor": { "id": error.kind.as_str() },
    });
    if let Some(path) = &error.path {
        let mut physical = json!({ "artifactLocation": artifact_location(path, cwd) });
        if let Some(line) = error.line {
            physical["region"] =
                json!({ "startLine": line, "startColumn": error.column.unwrap_or(1) });
        }
        n["locations"] = json!([{ "physicalLocation": physical }]);
    }
    n
}

/// Why a result is not reported as a plain finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hidden {
    No,
    /// Silenced by a suppression comment.
    Comment,
    /// Accounted for by a baseline.
    Baseline,
}

/// Builds the SARIF log as a JSON value.
pub fn to_value(report: &Report, options: &RenderOptions) -> Value {
    let cwd = &options.cwd;
    let mut results: Vec<Value> = Vec::new();
    for file in &report.files {
        let mut findings: Vec<(&Finding, Hidden)> = file
            .analysis
            .findings
            .iter()
            .map(|f| (f, Hidden::No))
            .collect();
        if options.report_suppressions {
            findings.extend(
                file.analysis
                    .suppressed
                    .iter()
                    .map(|f| (f, Hidden::Comment)),
            );
            findings.extend(file.baselined.iter().map(|f| (f, Hidden::Baseline)));
            findings.sort_by_key(|(f, _)| (f.range.start, f.range.end));
        }
        results.extend(findings.into_iter().map(|(f, hidden)| {
            let mut r = result(file, f, cwd, hidden == Hidden::Comment);
            // With a baseline, SARIF's own vocabulary says which results are new and
            // which the baseline accounts for (reported as external suppressions).
            if let Some(baseline) = &report.baseline {
                r["baselineState"] = json!(if hidden == Hidden::Baseline {
                    "unchanged"
                } else {
                    "new"
                });
                if hidden == Hidden::Baseline {
                    let names: Vec<String> = baseline
                        .files
                        .iter()
                        .map(|p| super::slash_path(p))
                        .collect();
                    r["suppressions"] = json!([{
                        "kind": "external",
                        "justification": format!("recorded in the baseline {}", names.join(", ")),
                    }]);
                }
            }
            r
        }));
    }

    let mut execution: Vec<Value> = Vec::new();
    let mut configuration: Vec<Value> = Vec::new();
    for error in &report.errors {
        let n = notification(error, cwd);
        if error.kind.is_configuration() {
            configuration.push(n);
        } else {
            execution.push(n);
        }
    }
    for file in &report.files {
        for (range, message) in &file.analysis.problems {
            execution.push(json!({
                "level": "warning",
                "message": { "text": message },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": artifact_location(&file.path, cwd),
                    "region": region(file, range),
                }}],
            }));
        }
    }

    let artifacts: Vec<Value> = report
        .files
        .iter()
        .map(|f| json!({ "location": artifact_location(&f.path, cwd), "sourceLanguage": "markdown" }))
        .collect();

    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": Rule::ALL.iter().map(|r| rule_descriptor(*r)).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": execution,
                "toolConfigurationNotifications": configuration,
            }],
            "originalUriBaseIds": {
                SRCROOT: { "uri": file_uri(&absolute_lexical(cwd, cwd), true) }
            },
            "artifacts": artifacts,
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}

/// Writes the SARIF log, pretty-printed, and a newline.
pub fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &to_value(report, options))
        .map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cli::report::tests::sample_report;
    use std::path::PathBuf;

    fn options(report_suppressions: bool) -> RenderOptions {
        RenderOptions {
            color: false,
            err_color: false,
            report_suppressions,
            fail_on: Some(Severity::Warning),
            cwd: PathBuf::from("/work/desk room"),
            changed_since: false,
        }
    }

    fn obj<'a>(v: &'a Value, what: &str) -> &'a serde_json::Map<String, Value> {
        v.as_object()
            .unwrap_or_else(|| panic!("{what} must be an object: {v}"))
    }

    fn arr<'a>(v: &'a Value, what: &str) -> &'a Vec<Value> {
        v.as_array()
            .unwrap_or_else(|| panic!("{what} must be an array: {v}"))
    }

    fn require(v: &Value, keys: &[&str], what: &str) {
        let o = obj(v, what);
        for k in keys {
            assert!(o.contains_key(*k), "{what} lacks required `{k}`: {v}");
        }
    }

    fn check_message(v: &Value, what: &str) {
        // §3.11: a message has `text` or `id`.
        let o = obj(v, what);
        assert!(
            o.contains_key("text") || o.contains_key("id"),
            "{what}: {v}"
        );
    }

    fn check_region(v: &Value, what: &str) {
        // §3.30: 1-based lines and columns, the end not before the start.
        let start = v["startLine"].as_u64().unwrap_or(0);
        assert!(start >= 1, "{what}: startLine {v}");
        for k in ["startColumn", "endColumn", "endLine"] {
            if let Some(n) = v.get(k) {
                assert!(n.as_u64().is_some_and(|n| n >= 1), "{what}: {k} {v}");
            }
        }
        if let Some(end) = v.get("endLine").and_then(Value::as_u64) {
            assert!(end >= start, "{what}: endLine < startLine {v}");
        }
    }

    fn check_location(v: &Value, what: &str) {
        let physical = &v["physicalLocation"];
        require(physical, &["artifactLocation"], what);
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap_or("");
        assert!(
            !uri.is_empty() && !uri.contains(' ') && !uri.contains('\\'),
            "{what}: uri {uri}"
        );
        if let Some(region) = physical.get("region") {
            check_region(region, what);
        }
    }

    /// Checks a SARIF log against the required properties and value constraints of
    /// SARIF 2.1.0 that our output can break. Shared with the CLI tests' expectations.
    pub(crate) fn check_sarif(log: &Value) {
        require(log, &["version", "runs"], "sarifLog");
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].is_string());
        for run in arr(&log["runs"], "runs") {
            require(run, &["tool"], "run");
            let driver = &run["tool"]["driver"];
            require(driver, &["name"], "toolComponent");
            let rules = arr(&driver["rules"], "rules");
            for rule in rules {
                require(rule, &["id"], "reportingDescriptor");
                for k in ["shortDescription", "fullDescription", "help"] {
                    // §3.12: a multiformatMessageString has a `text`.
                    require(&rule[k], &["text"], k);
                }
                let level = rule["defaultConfiguration"]["level"].as_str();
                assert!(matches!(level, Some("none" | "note" | "warning" | "error")));
            }
            for result in arr(&run["results"], "results") {
                require(result, &["message"], "result");
                check_message(&result["message"], "result.message");
                let index = result["ruleIndex"].as_u64().map(|i| i as usize);
                let id = result["ruleId"].as_str();
                // §3.27.7: ruleIndex points at the rule whose id is ruleId.
                assert_eq!(
                    index.and_then(|i| rules.get(i)).map(|r| r["id"].as_str()),
                    Some(id)
                );
                assert!(matches!(
                    result["level"].as_str(),
                    Some("none" | "note" | "warning" | "error")
                ));
                for location in arr(&result["locations"], "locations") {
                    check_location(location, "result.location");
                }
                if let Some(suppressions) = result.get("suppressions") {
                    for s in arr(suppressions, "suppressions") {
                        require(s, &["kind"], "suppression");
                    }
                }
                if let Some(fixes) = result.get("fixes") {
                    for fix in arr(fixes, "fixes") {
                        for change in arr(&fix["artifactChanges"], "artifactChanges") {
                            require(
                                change,
                                &["artifactLocation", "replacements"],
                                "artifactChange",
                            );
                            for r in arr(&change["replacements"], "replacements") {
                                require(r, &["deletedRegion"], "replacement");
                                check_region(&r["deletedRegion"], "deletedRegion");
                            }
                        }
                    }
                }
            }
            for invocation in arr(&run["invocations"], "invocations") {
                require(invocation, &["executionSuccessful"], "invocation");
                for key in [
                    "toolExecutionNotifications",
                    "toolConfigurationNotifications",
                ] {
                    for n in arr(&invocation[key], key) {
                        require(n, &["message"], "notification");
                        check_message(&n["message"], "notification.message");
                        if let Some(locations) = n.get("locations") {
                            for l in arr(locations, "locations") {
                                check_location(l, "notification.location");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn log_has_the_required_shape() {
        let log = to_value(&sample_report(), &options(true));
        check_sarif(&log);
        let run = &log["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().map(Vec::len),
            Some(Rule::ALL.len())
        );
        let hearsay = &run["tool"]["driver"]["rules"][1];
        assert_eq!(hearsay["id"], "attribution/hearsay");
        assert_eq!(hearsay["helpUri"], Rule::Hearsay.doc_url());
        assert_eq!(hearsay["defaultConfiguration"]["level"], "warning");
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(
            run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
            "desk/latin1.md:2:3: not valid UTF-8 at byte 12"
        );
    }

    #[test]
    fn regions_count_utf16_code_units() {
        let log = to_value(&sample_report(), &options(false));
        let result = &log["runs"][0]["results"][0];
        let physical = &result["locations"][0]["physicalLocation"];
        // "😀 Le ministre " is 14 characters, but the emoji is two UTF-16 code units.
        assert_eq!(physical["region"]["startColumn"], 16);
        assert_eq!(physical["region"]["endColumn"], 16 + 18);
        assert_eq!(physical["region"]["snippet"]["text"], "aurait démissionné");
        assert_eq!(physical["artifactLocation"]["uri"], "desk/br%C3%A8ve.md");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(result["level"], "warning");
        assert_eq!(log["runs"][0]["results"][1]["level"], "note");
        assert_eq!(
            log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file:///work/desk%20room/"
        );
    }

    #[test]
    fn suppressed_results_only_when_asked() {
        let without = to_value(&sample_report(), &options(false));
        assert_eq!(
            without["runs"][0]["results"].as_array().map(Vec::len),
            Some(2)
        );
        let with = to_value(&sample_report(), &options(true));
        let results = with["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let suppressed: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(suppressed.len(), 1);
        assert_eq!(
            suppressed[0]["suppressions"][0]["justification"],
            "confirmed by the court"
        );
    }

    #[test]
    fn files_outside_the_root_get_absolute_uris() {
        let v = artifact_location(Path::new("../elsewhere/a b.md"), Path::new("/work/desk"));
        assert_eq!(v["uri"], "file:///work/elsewhere/a%20b.md");
        assert!(v.get("uriBaseId").is_none());
    }
}
