//! Suppression comments: how a writer silences a finding, with a reason.
//!
//! `<!-- copydesk-disable-next-line RULE -- reason -->` silences the next line that has
//! text; `<!-- copydesk-disable RULE -->` … `<!-- copydesk-enable -->` a passage (to the
//! end of the file when never re-enabled); `copydesk: off` in the front matter the whole
//! file. Without a rule, every rule is silenced. Rules are full codes or short names,
//! separated by spaces or commas; an unknown rule is reported, never fatal.

use super::markdown::Document;
use super::{Suppression, SuppressionKind};
use crate::rules::{Finding, Rule};
use std::ops::Range;

/// Findings that stand, findings silenced, the suppressions (with how many findings each
/// silenced) and problems found in the comments.
pub type Applied = (
    Vec<Finding>,
    Vec<Finding>,
    Vec<Suppression>,
    Vec<(Range<usize>, String)>,
);

/// Parses the suppressions of a document and applies them to its findings.
pub fn apply(text: &str, doc: &Document, findings: Vec<Finding>) -> Applied {
    let (mut suppressions, problems) = parse(text, doc);
    let mut kept = Vec::new();
    let mut silenced = Vec::new();
    for f in findings {
        let by = suppressions.iter_mut().find(|s| {
            s.scope.start <= f.range.start
                && f.range.start < s.scope.end.max(s.scope.start + 1)
                && (s.rules.is_empty() || s.rules.contains(&f.rule))
        });
        match by {
            Some(s) => {
                s.used += 1;
                silenced.push(f);
            }
            None => kept.push(f),
        }
    }
    (kept, silenced, suppressions, problems)
}

/// Reads the suppression comments and the front matter's `copydesk: off`.
pub fn parse(text: &str, doc: &Document) -> (Vec<Suppression>, Vec<(Range<usize>, String)>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if doc.front_matter.off {
        out.push(Suppression {
            kind: SuppressionKind::File,
            range: doc.front_matter.off_range.clone().unwrap_or(0..0),
            scope: 0..text.len(),
            rules: Vec::new(),
            reason: doc.front_matter.off_reason.clone(),
            used: 0,
        });
    }
    // Open regions, waiting for their `copydesk-enable`.
    let mut open: Vec<usize> = Vec::new();
    for c in &doc.comments {
        let (directive, rest) = match c.body.split_once(char::is_whitespace) {
            Some((d, r)) => (d, r.trim()),
            None => (c.body.as_str(), ""),
        };
        let kind = match directive {
            "copydesk-disable-next-line" => SuppressionKind::NextLine,
            "copydesk-disable" => SuppressionKind::Region,
            "copydesk-enable" => {
                let (rules, _) = parse_rules(rest, &c.range, &mut problems);
                // Close the regions this enable names (all of them when it names none).
                open.retain(|&i| {
                    let s: &mut Suppression = &mut out[i];
                    let closes = rules.is_empty() || s.rules.iter().all(|r| rules.contains(r));
                    if closes {
                        s.scope.end = c.range.start;
                    }
                    !closes
                });
                continue;
            }
            d if d.starts_with("copydesk-") || d.starts_with("copydesk:") => {
                problems.push((
                    c.range.clone(),
                    format!("unknown copydesk comment `{d}`: use copydesk-disable-next-line, copydesk-disable or copydesk-enable"),
                ));
                continue;
            }
            _ => continue,
        };
        let (rules, reason) = parse_rules(rest, &c.range, &mut problems);
        let scope = match kind {
            SuppressionKind::NextLine => next_line(text, c.range.end),
            _ => c.range.end..text.len(),
        };
        if kind == SuppressionKind::Region {
            open.push(out.len());
        }
        out.push(Suppression {
            kind,
            range: c.range.clone(),
            scope,
            rules,
            reason,
            used: 0,
        });
    }
    (out, problems)
}

/// Splits `RULE, RULE -- reason` into known rules and the reason.
fn parse_rules(
    s: &str,
    at: &Range<usize>,
    problems: &mut Vec<(Range<usize>, String)>,
) -> (Vec<Rule>, Option<String>) {
    let (rules, reason) = match s.split_once("--") {
        Some((r, reason)) => (r, Some(reason.trim().to_string()).filter(|r| !r.is_empty())),
        None => (s, None),
    };
    let mut out = Vec::new();
    for name in rules.split([' ', ',', '\t']).filter(|n| !n.is_empty()) {
        match Rule::from_code(name) {
            Some(r) => out.push(r),
            None => problems.push((
                at.clone(),
                format!("unknown rule `{name}` in a copydesk comment; it silences nothing"),
            )),
        }
    }
    (out, reason)
}

/// The range of the first line with text after `offset`'s line.
fn next_line(text: &str, offset: usize) -> Range<usize> {
    let mut pos = text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if !text[pos..end].trim().is_empty() {
            return pos..end;
        }
        pos = end + 1;
    }
    text.len()..text.len()
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Engine, SuppressionKind};
    use crate::config::Config;
    use crate::kb::Kb;
    use std::sync::Arc;

    fn run(md: &str) -> crate::analysis::FileAnalysis {
        Engine::new(Config::default(), Arc::new(Kb::empty())).analyze(md)
    }

    #[test]
    fn next_line_with_reason() {
        let a = run(
            "---\nlang: fr\n---\n<!-- copydesk-disable-next-line attribution/hearsay -- vérifié par la rédaction -->\nLe ministre aurait démissionné.\n\nLe maire aurait fui.\n",
        );
        assert_eq!(a.findings.len(), 1, "{:?}", a.findings);
        assert_eq!(a.suppressed.len(), 1);
        assert_eq!(a.suppressions[0].kind, SuppressionKind::NextLine);
        assert_eq!(
            a.suppressions[0].reason.as_deref(),
            Some("vérifié par la rédaction")
        );
        assert_eq!(a.suppressions[0].used, 1);
    }

    #[test]
    fn regions_and_other_rules() {
        let a = run(
            "---\nlang: fr\n---\n<!-- copydesk-disable hearsay -->\nLe ministre aurait démissionné.\n\nDes experts estiment que non.\n<!-- copydesk-enable -->\n\nLe maire aurait fui.\n",
        );
        let codes: Vec<_> = a.findings.iter().map(|f| f.rule.code()).collect();
        assert_eq!(
            codes,
            vec!["attribution/vague-source", "attribution/hearsay"]
        );
        assert_eq!(a.suppressed.len(), 1);
    }

    #[test]
    fn whole_file_and_unknown_rule() {
        let a = run("---\nlang: fr\ncopydesk: off\n---\nLe ministre aurait démissionné.\n");
        assert!(a.findings.is_empty());
        assert_eq!(a.suppressions[0].kind, SuppressionKind::File);
        let a = run("<!-- copydesk-disable-next-line attribution/nope -->\nText.\n");
        assert_eq!(a.problems.len(), 1);
    }
}
