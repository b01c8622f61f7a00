//! Diagnostics: the analysis's findings as LSP diagnostics, for push
//! (`textDocument/publishDiagnostics`) and pull (`textDocument/diagnostic`) alike.
//!
//! This is the same list `copydesk check` prints, from the same call to
//! [`crate::analysis::Engine::analyze`]: only the positions and the wrapping differ.
//! Problems with the document itself (bad front matter, an unknown rule in a
//! suppression comment) are shown too, as warnings without a rule code.

use crate::lsp::context::Snapshot;
use crate::lsp::convert::{Encoding, LineMap};
use crate::rules::{Finding, Severity};
use std::str::FromStr;
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Uri,
};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "copydesk";

/// Every diagnostic of a snapshot, findings first, in document order.
pub fn find(snap: &Snapshot, encoding: Encoding) -> Vec<Diagnostic> {
    let map = LineMap::new(&snap.text, &snap.index, encoding);
    let findings = snap.analysis.findings.iter().map(|f| from_finding(&map, f));
    let problems = snap
        .analysis
        .problems
        .iter()
        .map(|(range, message)| Diagnostic {
            range: map.range(range.clone()),
            severity: Some(DiagnosticSeverity::WARNING),
            source: Some(SOURCE.to_string()),
            message: message.clone(),
            ..Diagnostic::default()
        });
    findings.chain(problems).collect()
}

/// One finding as a diagnostic: the squiggle on the cue, the rule code linking to its
/// documentation page.
pub fn from_finding(map: &LineMap<'_>, f: &Finding) -> Diagnostic {
    Diagnostic {
        range: map.range(f.range.clone()),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.code().to_string())),
        code_description: Uri::from_str(&f.rule.doc_url())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        ..Diagnostic::default()
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::lsp::context::fixture::Fixture;
    use tower_lsp_server::ls_types::Position;

    #[test]
    fn findings_become_coded_diagnostics() {
        let f = Fixture::new(
            "---\nlang: fr\n---\n\n😀 Le ministre aurait démissionné.\n",
            &[],
        );
        let found = find(&f.snap, Encoding::Utf16);
        let hearsay = found
            .iter()
            .find(|d| d.code == Some(NumberOrString::String("attribution/hearsay".into())))
            .expect("hearsay");
        // The emoji counts two UTF-16 units.
        assert_eq!(hearsay.range.start, Position::new(4, 15));
        assert_eq!(hearsay.source.as_deref(), Some(SOURCE));
        assert_eq!(hearsay.severity, Some(DiagnosticSeverity::WARNING));
        assert!(hearsay.code_description.is_some());
        let utf8 = find(&f.snap, Encoding::Utf8);
        assert_eq!(utf8[0].range.start, Position::new(4, 17));
    }
}
