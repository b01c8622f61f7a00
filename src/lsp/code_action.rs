//! Code actions: quick fixes for findings and one refactoring for unknown names.
//!
//! For each finding under the cursor:
//! - the fixes the analysis proposes (house spelling, acronym expansion), as they are;
//! - for hearsay and unattributed quotations, an "insert attribution" template with a
//!   `[source]` placeholder: `« Selon [source], »` at the start of a French sentence,
//!   `", [source] said"` at the end of an English one;
//! - "disable RULE for this line" (a `copydesk-disable-next-line` comment above the
//!   line, or the rule added to one already there) and "for this file" (a
//!   `copydesk-disable` comment after the front matter).
//!
//! On a person or organisation the articles introduce and the knowledge base does not
//! list (a derived entity): "add to the knowledge base", which writes a full entry
//! built from the corpus (see [`crate::lsp::derived::add_to_kb`]).
//!
//! On another capitalised name the knowledge base does not know: "add to knowledge base",
//! which appends a stub `[[entity]]` to the workspace knowledge file (created when
//! missing) for the writer to complete.
//!
//! Titles are in the article's language, like the fixes the analysis proposes.
//! The text surgery is done by pure functions over byte offsets, tested on their own;
//! [`find`] only turns their edits into LSP actions.

use crate::lang::Lang;
use crate::lsp::context::Ctx;
use crate::lsp::convert::LineMap;
use crate::lsp::diagnostics::from_finding;
use crate::rules::{Edit, Finding, Rule};
use crate::text::LineIndex;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range as LspRange, ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

/// The placeholder the writer replaces with the source.
pub const SOURCE_PLACEHOLDER: &str = "[source]";

/// The workspace knowledge file new entities go to, as the server found it.
#[derive(Debug, Clone)]
pub struct KnowledgeFile {
    pub uri: Uri,
    pub path: PathBuf,
    /// Its current text (the open buffer's, else the disk's); `None` if it does not
    /// exist yet.
    pub text: Option<String>,
}

/// The code actions for `range`, filtered by the client's `only` kinds.
pub fn find(
    ctx: &Ctx<'_>,
    range: LspRange,
    only: Option<&[CodeActionKind]>,
    knowledge: Option<&KnowledgeFile>,
) -> Vec<CodeActionOrCommand> {
    let map = ctx.map();
    let bytes = map.byte_range(range);
    let text = &*ctx.snap.text;
    let lang = ctx.lang();
    let mut actions = Vec::new();

    let touched = ctx
        .snap
        .analysis
        .findings
        .iter()
        .filter(|f| f.range.start <= bytes.end && bytes.start <= f.range.end);
    for f in touched {
        let diagnostic = from_finding(&map, f);
        let mut push = |title: String, edits: Vec<Edit>, preferred: bool| {
            actions.push(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(text_edits(ctx, &map, edits)),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            });
        };
        for (i, fix) in f.fixes.iter().enumerate() {
            push(fix.title.clone(), fix.edits.clone(), i == 0);
        }
        if matches!(f.rule, Rule::Hearsay | Rule::UnattributedQuote) {
            let (title, edits) = attribution(text, f, lang);
            push(title, edits, f.fixes.is_empty());
        }
        push(
            match lang {
                Lang::Fr => format!("Désactiver {} pour cette ligne", f.rule.code()),
                Lang::En => format!("Disable {} for this line", f.rule.code()),
            },
            disable_next_line(text, f.range.start, f.rule)
                .into_iter()
                .collect(),
            false,
        );
        push(
            match lang {
                Lang::Fr => format!("Désactiver {} pour ce fichier", f.rule.code()),
                Lang::En => format!("Disable {} for this file", f.rule.code()),
            },
            vec![disable_file(text, f.rule)],
            false,
        );
    }

    if let Some(kb_file) = knowledge {
        if let Some(action) = crate::lsp::derived::add_to_kb(ctx, bytes.start, kb_file) {
            actions.push(action);
        } else if let Some(action) = add_to_knowledge_base(ctx, bytes.start, kb_file) {
            actions.push(action);
        }
    }

    actions
        .into_iter()
        .filter(|a| match (only, &a.kind) {
            (Some(only), Some(kind)) => only.iter().any(|o| kind_within(kind, o)),
            _ => true,
        })
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// Whether `kind` is `parent` or one of its sub-kinds (`quickfix` is within `quickfix`,
/// `refactor.rewrite` within `refactor`).
fn kind_within(kind: &CodeActionKind, parent: &CodeActionKind) -> bool {
    let (k, p) = (kind.as_str(), parent.as_str());
    k == p || (k.starts_with(p) && k[p.len()..].starts_with('.'))
}

/// Edits of the snapshot's text as a workspace edit.
fn text_edits(ctx: &Ctx<'_>, map: &LineMap<'_>, edits: Vec<Edit>) -> WorkspaceEdit {
    let edits = edits
        .into_iter()
        .map(|e| TextEdit::new(map.range(e.range), e.replacement))
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(ctx.snap.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// French words that start a sentence but not a name, lowered after `« Selon [source], »`.
const FRENCH_LOWERABLE: &[&str] = &[
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "des",
    "du",
    "de",
    "d",
    "il",
    "elle",
    "ils",
    "elles",
    "on",
    "ce",
    "cet",
    "cette",
    "ces",
    "c",
    "cela",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "nous",
    "vous",
    "plusieurs",
    "certains",
    "certaines",
    "aucun",
    "aucune",
];

/// The "insert attribution" template for a finding, in the article's language: its
/// title and edits.
pub fn attribution(text: &str, f: &Finding, lang: Lang) -> (String, Vec<Edit>) {
    let sentence = clamp(text, f.sentence.clone());
    match lang {
        Lang::Fr => (
            format!("Insérer une attribution : « Selon {SOURCE_PLACEHOLDER}, … »"),
            attribution_fr(text, sentence),
        ),
        Lang::En => (
            format!("Insert attribution: \"…, {SOURCE_PLACEHOLDER} said\""),
            attribution_en(text, sentence),
        ),
    }
}

/// `« Selon [source], »` before the sentence, lowering its first word when it is an
/// article or a pronoun (never a name).
pub fn attribution_fr(text: &str, sentence: Range<usize>) -> Vec<Edit> {
    let s = &text[sentence.clone()];
    let lead = s.len() - s.trim_start().len();
    let start = sentence.start + lead;
    let prefix = format!("Selon {SOURCE_PLACEHOLDER}, ");
    let first_word: String = text[start..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let lower = first_word.to_lowercase();
    let lowerable = first_word.chars().next().is_some_and(char::is_uppercase)
        && first_word.chars().skip(1).all(char::is_lowercase)
        && FRENCH_LOWERABLE.contains(&lower.as_str());
    match text[start..].chars().next() {
        Some(first) if lowerable => vec![Edit {
            range: start..start + first.len_utf8(),
            replacement: format!("{prefix}{}", first.to_lowercase()),
        }],
        _ => vec![Edit {
            range: start..start,
            replacement: prefix,
        }],
    }
}

/// `", [source] said"` at the end of the sentence, before its final punctuation. When
/// the sentence ends with a quotation, the attribution goes after it, the quotation's
/// final full stop becoming a comma as agency style wants: `"We will not yield,"
/// [source] said.`
pub fn attribution_en(text: &str, sentence: Range<usize>) -> Vec<Edit> {
    let s = text[sentence.clone()].trim_end();
    let end = sentence.start + s.len();
    let said = format!("{SOURCE_PLACEHOLDER} said");
    let mut chars = s.char_indices().rev();
    match chars.next() {
        Some((i, q)) if matches!(q, '"' | '”' | '’' | '»') => {
            let closing = sentence.start + i;
            match chars.next() {
                Some((j, '.')) => vec![
                    Edit {
                        range: sentence.start + j..sentence.start + j + 1,
                        replacement: ",".into(),
                    },
                    Edit {
                        range: end..end,
                        replacement: format!(" {said}."),
                    },
                ],
                Some((_, '!' | '?')) => vec![Edit {
                    range: end..end,
                    replacement: format!(" {said}."),
                }],
                _ => vec![Edit {
                    range: closing + q.len_utf8()..closing + q.len_utf8(),
                    replacement: format!(", {said}"),
                }],
            }
        }
        Some((i, '.' | '!' | '?' | '…')) => {
            let at = sentence.start + i;
            vec![Edit {
                range: at..at,
                replacement: format!(", {said}"),
            }]
        }
        _ => vec![Edit {
            range: end..end,
            replacement: format!(", {said}"),
        }],
    }
}

/// A `copydesk-disable-next-line` comment for `rule` above the line holding `offset`,
/// or `rule` added to the comment already there. `None` when the rule is already
/// named there (nothing to do).
pub fn disable_next_line(text: &str, offset: usize, rule: Rule) -> Option<Edit> {
    // Lines as LSP and the line index count them: `\n`, `\r\n` or a lone `\r`.
    let index = LineIndex::new(text);
    let line_no = index.line_of(crate::text::floor_char_boundary(text, offset));
    let line_range = index.line_range(text, line_no);
    let (line_start, line_end) = (line_range.start, line_range.end);
    let eol = line_break(text, &index, line_no)
        .or_else(|| {
            line_no
                .checked_sub(1)
                .and_then(|l| line_break(text, &index, l))
        })
        .unwrap_or("\n");
    // Reuse a next-line comment on the line above.
    if line_no > 0 {
        let prev_start = index.line_range(text, line_no - 1).start;
        let prev = &text[index.line_range(text, line_no - 1)];
        let trimmed = prev.trim();
        let directive = "copydesk-disable-next-line";
        if let Some(body) = trimmed
            .strip_prefix("<!--")
            .and_then(|b| b.strip_suffix("-->"))
            .map(str::trim)
            .and_then(|b| b.strip_prefix(directive))
        {
            let rules_part = body.split_once("--").map_or(body, |(r, _)| r);
            let named: Vec<&str> = rules_part
                .split([' ', ',', '\t'])
                .filter(|n| !n.is_empty())
                .collect();
            if named.is_empty() || named.iter().any(|n| Rule::from_code(n) == Some(rule)) {
                return None;
            }
            // Insert after the last rule named, before any reason.
            let body_start = prev_start + prev.find(directive)? + directive.len();
            let rules_end =
                body_start + text[body_start..].find(named.last()?)? + named.last()?.len();
            return Some(Edit {
                range: rules_end..rules_end,
                replacement: format!(" {}", rule.code()),
            });
        }
    }
    let line = &text[line_start..line_end];
    let indent: String = line
        .chars()
        .take_while(|c| c.is_whitespace() || *c == '>')
        .collect();
    Some(Edit {
        range: line_start..line_start,
        replacement: format!(
            "{indent}<!-- copydesk-disable-next-line {} -->{eol}",
            rule.code()
        ),
    })
}

/// The line break that ends line `line` (`\n`, `\r\n` or `\r`), if it has one.
fn line_break<'t>(text: &'t str, index: &LineIndex, line: usize) -> Option<&'t str> {
    let end = index.line_range(text, line).end;
    let next = index.line_range(text, line + 1).start;
    (line + 1 < index.line_count()).then(|| &text[end..next.max(end)])
}

/// A `copydesk-disable` comment for `rule` at the top of the article, after its
/// front matter: the region it opens runs to the end of the file.
pub fn disable_file(text: &str, rule: Rule) -> Edit {
    let index = LineIndex::new(text);
    let eol = line_break(text, &index, 0).unwrap_or("\n");
    let at = front_matter_end(text);
    Edit {
        range: at..at,
        replacement: format!("<!-- copydesk-disable {} -->{eol}", rule.code()),
    }
}

/// The byte offset just after a YAML front matter (`---` … `---` or `...`), or 0.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as everywhere.
pub fn front_matter_end(text: &str) -> usize {
    let index = LineIndex::new(text);
    let line = |l: usize| &text[index.line_range(text, l)];
    if index.line_count() < 2 || line(0).trim_end() != "---" {
        return 0;
    }
    for l in 1..index.line_count() {
        let t = line(l).trim_end();
        if t == "---" || t == "..." {
            // Just after its line break (or at the end of the text).
            return index
                .line_range(text, l + 1)
                .start
                .max(index.line_range(text, l).end);
        }
    }
    // An unclosed front matter: Markdown reads it as text, so the top is the place.
    0
}

fn clamp(text: &str, r: Range<usize>) -> Range<usize> {
    let start = crate::text::floor_char_boundary(text, r.start.min(text.len()));
    let end = crate::text::floor_char_boundary(text, r.end.clamp(start, text.len()));
    start..end
}

/// Capitalised English words that are not names (French writes them in lower case).
const NOT_NAMES: &[&str] = &[
    "I",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Lower-case words that may stand inside a name between capitalised words.
const NAME_PARTICLES: &[&str] = &[
    "de", "du", "des", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "ben", "ibn",
    "di", "da", "dos", "das", "y", "of",
];

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'
}

/// The word (letters, digits, inner hyphens and apostrophes) around `offset`.
fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let offset = crate::text::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_name_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_name_char(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = &text[start..end];
    let trimmed_start = start + (word.len() - word.trim_start_matches(['-', '\'', '’']).len());
    let trimmed_end = end - (word.len() - word.trim_end_matches(['-', '\'', '’']).len());
    (trimmed_start < trimmed_end).then_some(trimmed_start..trimmed_end)
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

/// An elided French article before a name (« d'Erdogan », « l'Otan »): the name
/// starts after the apostrophe.
fn strip_elision(text: &str, w: Range<usize>) -> Range<usize> {
    let s = &text[w.clone()];
    for prefix in ["d'", "d’", "l'", "l’", "D'", "D’", "L'", "L’"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            if starts_upper(rest) {
                return w.start + prefix.len()..w.end;
            }
        }
    }
    w
}

/// The capitalised name around `offset` in prose (`sentences`), if it looks like a
/// proper name: a run of capitalised words (with particles such as « de » between
/// them) that is not the single first word of its sentence, or an acronym.
pub fn capitalised_name_at(
    text: &str,
    offset: usize,
    sentences: &[Range<usize>],
) -> Option<Range<usize>> {
    let sentence = sentences
        .iter()
        .find(|s| s.start <= offset && offset <= s.end)?
        .clone();
    let sentence = clamp(text, sentence);
    let w = strip_elision(text, word_at(text, offset)?);
    if !starts_upper(&text[w.clone()]) || w.start < sentence.start {
        return None;
    }
    let mut name = w.clone();
    // Grow leftwards, then rightwards, one space-separated word at a time.
    while let Some(prev) = prev_word(text, name.start, sentence.start) {
        let prev = strip_elision(text, prev);
        if starts_upper(&text[prev.clone()]) {
            name.start = prev.start;
            continue;
        }
        let particle = NAME_PARTICLES.contains(&&text[prev.clone()]);
        match prev_word(text, prev.start, sentence.start) {
            Some(before) if particle && starts_upper(&text[before.clone()]) => {
                name.start = before.start;
            }
            _ => break,
        }
    }
    while let Some(next) = next_word(text, name.end, sentence.end) {
        if starts_upper(&text[next.clone()]) {
            name.end = next.end;
            continue;
        }
        let particle = NAME_PARTICLES.contains(&&text[next.clone()]);
        match next_word(text, next.end, sentence.end) {
            Some(after) if particle && starts_upper(&text[after.clone()]) => name.end = after.end,
            _ => break,
        }
    }
    let single = word_at(text, name.start).is_some_and(|w| w.end >= name.end);
    let is_acronym = text[name.clone()]
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        >= 2
        && text[name.clone()]
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-');
    let first_of_sentence = text[sentence.start..name.start]
        .chars()
        .all(|c| !c.is_alphanumeric());
    if single && first_of_sentence && !is_acronym {
        return None;
    }
    if single && NOT_NAMES.contains(&&text[name.clone()]) {
        return None;
    }
    Some(name)
}

/// The word ending one space before `at`, not before `floor`.
fn prev_word(text: &str, at: usize, floor: usize) -> Option<Range<usize>> {
    let before = text.get(floor..at)?;
    let space = before.chars().next_back()?;
    if !matches!(space, ' ' | '\u{a0}' | '\u{202f}') {
        return None;
    }
    let end = at - space.len_utf8();
    let w = word_at(text, end)?;
    (w.end == end && w.start >= floor).then_some(w)
}

/// The word starting one space after `at`, not past `ceil`.
fn next_word(text: &str, at: usize, ceil: usize) -> Option<Range<usize>> {
    let after = text.get(at..ceil)?;
    let space = after.chars().next()?;
    if !matches!(space, ' ' | '\u{a0}' | '\u{202f}') {
        return None;
    }
    let start = at + space.len_utf8();
    let w = word_at(text, start)?;
    (w.start == start && w.end <= ceil).then_some(w)
}

/// A knowledge-base id for a name: lower-case ASCII letters and digits joined by
/// hyphens (« Nikol Pachinian » → `nikol-pachinian`).
pub fn slug(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in name.nfd().filter(|c| c.is_ascii() || c.is_alphanumeric()) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() {
            // A letter with no ASCII decomposition (Cyrillic, Armenian): dropped.
            continue;
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "entity".to_string()
    } else {
        out
    }
}

/// A stub `[[entity]]` table for `name`, for the writer to complete.
pub fn stub_entity(id: &str, name: &str) -> String {
    let quoted = toml::Value::String(name.to_string()).to_string();
    format!(
        "[[entity]]\n\
         id = \"{id}\"\n\
         kind = \"other\"  # person, country, city, region, organisation, treaty, event, company, media, weapon-system\n\
         name = {{ en = {quoted}, fr = {quoted} }}\n\
         description = {{ en = \"TODO: one factual sentence.\", fr = \"TODO : une phrase factuelle.\" }}\n"
    )
}

/// What to write after `existing` so that a new table starts after a blank line.
fn separator(existing: &str) -> &'static str {
    if existing.is_empty() || existing.ends_with("\n\n") || existing.ends_with("\r\n\r\n") {
        ""
    } else if existing.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    }
}

fn add_to_knowledge_base(
    ctx: &Ctx<'_>,
    offset: usize,
    kb_file: &KnowledgeFile,
) -> Option<CodeAction> {
    let text = &*ctx.snap.text;
    let a = &ctx.snap.analysis;
    let name = capitalised_name_at(text, offset, &a.sentences)?;
    if a.mentions
        .iter()
        .any(|m| m.range.start < name.end && name.start < m.range.end)
    {
        return None;
    }
    let name = text[name].to_string();
    let base = slug(&name);
    let existing = kb_file.text.as_deref().unwrap_or("");
    let taken =
        |id: &str| ctx.ws.kb().get(id).is_some() || existing.contains(&format!("id = \"{id}\""));
    let id = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|id| !taken(id))?;
    let stub = stub_entity(&id, &name);
    let edit = match &kb_file.text {
        Some(existing) => {
            let index = LineIndex::new(existing);
            let end = LineMap::new(existing, &index, ctx.encoding).position(existing.len());
            WorkspaceEdit {
                changes: Some(HashMap::from([(
                    kb_file.uri.clone(),
                    vec![TextEdit::new(
                        LspRange::new(end, end),
                        format!("{}{stub}", separator(existing)),
                    )],
                )])),
                ..WorkspaceEdit::default()
            }
        }
        None => create_with(&kb_file.uri, stub),
    };
    Some(CodeAction {
        title: match ctx.lang() {
            Lang::Fr => format!("Ajouter « {name} » à la base de connaissances"),
            Lang::En => format!("Add \"{name}\" to the knowledge base"),
        },
        kind: Some(CodeActionKind::REFACTOR),
        edit: Some(edit),
        ..CodeAction::default()
    })
}

/// A workspace edit creating `uri` with `text`.
pub fn create_with(uri: &Uri, text: String) -> WorkspaceEdit {
    let at = Position::new(0, 0);
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![
            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: uri.clone(),
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            })),
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: None,
                },
                edits: vec![OneOf::Left(TextEdit::new(LspRange::new(at, at), text))],
            }),
        ])),
        ..WorkspaceEdit::default()
    }
}

/// Applies byte-range edits to a text (for tests and previews): edits must not overlap.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in sorted {
        out.replace_range(e.range.clone(), &e.replacement);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Severity;

    fn finding(rule: Rule, text: &str, cue: &str, sentence: Range<usize>) -> Finding {
        let start = text.find(cue).expect("cue in text");
        Finding {
            rule,
            severity: Severity::Warning,
            range: start..start + cue.len(),
            sentence,
            cue: cue.to_string(),
            message: String::new(),
            help: String::new(),
            fixes: Vec::new(),
        }
    }

    fn whole(text: &str) -> Range<usize> {
        0..text.len()
    }

    #[test]
    fn french_attribution_lowers_articles_not_names() {
        let table = [
            (
                "Le ministre aurait démissionné.",
                "Selon [source], le ministre aurait démissionné.",
            ),
            (
                "L'OTSC aurait refusé.",
                "Selon [source], l'OTSC aurait refusé.",
            ),
            (
                "Nikol Pachinian aurait cédé.",
                "Selon [source], Nikol Pachinian aurait cédé.",
            ),
            (
                "« Non », aurait-il dit.",
                "Selon [source], « Non », aurait-il dit.",
            ),
        ];
        for (text, expected) in table {
            let f = finding(Rule::Hearsay, text, "aurait", whole(text));
            let (_, edits) = attribution(text, &f, Lang::Fr);
            assert_eq!(apply_edits(text, &edits), expected);
        }
    }

    #[test]
    fn english_attribution_goes_at_the_end() {
        let table = [
            (
                "The minister reportedly resigned.",
                "The minister reportedly resigned, [source] said.",
            ),
            (
                "\"We will not yield.\"",
                "\"We will not yield,\" [source] said.",
            ),
            ("“Never!”", "“Never!” [source] said."),
            ("It was \"a farce\"", "It was \"a farce\", [source] said"),
            ("No stop", "No stop, [source] said"),
        ];
        for (text, expected) in table {
            let f = finding(
                Rule::Hearsay,
                text,
                text.split(' ').next().unwrap_or(text),
                whole(text),
            );
            let (_, edits) = attribution(text, &f, Lang::En);
            assert_eq!(apply_edits(text, &edits), expected, "{text}");
        }
    }

    #[test]
    fn disable_next_line_inserts_or_extends_a_comment() {
        let text = "# T\n\nLe ministre aurait démissionné.\n";
        let at = text.find("aurait").expect("cue");
        let edit = disable_next_line(text, at, Rule::Hearsay).expect("edit");
        assert_eq!(
            apply_edits(text, &[edit]),
            "# T\n\n<!-- copydesk-disable-next-line attribution/hearsay -->\nLe ministre aurait démissionné.\n"
        );
        // A comment already there gets the rule added, before its reason.
        let text = "<!-- copydesk-disable-next-line passive-claim -- checked -->\r\n  Il aurait été accusé.\r\n";
        let at = text.find("aurait").expect("cue");
        let edit = disable_next_line(text, at, Rule::Hearsay).expect("edit");
        assert_eq!(
            apply_edits(text, &[edit]),
            "<!-- copydesk-disable-next-line passive-claim attribution/hearsay -- checked -->\r\n  Il aurait été accusé.\r\n"
        );
        // Already named: nothing to do.
        let text = "<!-- copydesk-disable-next-line hearsay -->\nIl aurait fui.\n";
        let at = text.find("aurait").expect("cue");
        assert_eq!(disable_next_line(text, at, Rule::Hearsay), None);
        // Indentation and blockquote markers are kept; CRLF is kept.
        let text = "> Il aurait fui.\r\n";
        let edit = disable_next_line(text, 5, Rule::Hearsay).expect("edit");
        assert_eq!(
            apply_edits(text, &[edit]),
            "> <!-- copydesk-disable-next-line attribution/hearsay -->\r\n> Il aurait fui.\r\n"
        );
    }

    #[test]
    fn disable_file_goes_after_the_front_matter() {
        let text = "---\nlang: fr\n---\n# Titre\n";
        let edit = disable_file(text, Rule::VagueSource);
        assert_eq!(
            apply_edits(text, &[edit]),
            "---\nlang: fr\n---\n<!-- copydesk-disable attribution/vague-source -->\n# Titre\n"
        );
        assert_eq!(front_matter_end("# Titre\n---\n"), 0);
        assert_eq!(front_matter_end("---\nunclosed\n"), 0);
        // Old Mac line endings: the comment goes after the front matter, with a `\r`.
        let text = "---\rlang: fr\r---\r# Titre\r";
        let edit = disable_file(text, Rule::VagueSource);
        assert_eq!(
            apply_edits(text, &[edit]),
            "---\rlang: fr\r---\r<!-- copydesk-disable attribution/vague-source -->\r# Titre\r"
        );
        // A front matter that ends the text ends at the end of the text.
        assert_eq!(front_matter_end("---\nlang: fr\n---"), 16);
    }

    #[test]
    fn disable_next_line_with_lone_carriage_returns() {
        let text = "# T\r\rLe ciel.\rLe ministre aurait fui.\r";
        let at = text.find("aurait").expect("cue");
        let edit = disable_next_line(text, at, Rule::Hearsay).expect("edit");
        assert_eq!(
            apply_edits(text, &[edit]),
            "# T\r\rLe ciel.\r<!-- copydesk-disable-next-line attribution/hearsay -->\rLe ministre aurait fui.\r"
        );
        // The last line has no break of its own: the one before is used.
        let text = "Un.\r\nIl aurait fui.";
        let edit = disable_next_line(text, 6, Rule::Hearsay).expect("edit");
        assert_eq!(
            apply_edits(text, &[edit]),
            "Un.\r\n<!-- copydesk-disable-next-line attribution/hearsay -->\r\nIl aurait fui."
        );
    }

    #[test]
    fn finds_capitalised_names() {
        let text = "Hier, le ministre a reçu Jean-Yves de La Tour et l'ONG Aide Plus à Paris. Demain rien.";
        let cut = text.find(" Demain").expect("second sentence");
        let sentences = vec![0..cut, cut + 1..text.len()];
        let name = |needle: &str| {
            let at = text.find(needle).expect("needle") + 1;
            capitalised_name_at(text, at, &sentences).map(|r| &text[r])
        };
        assert_eq!(name("Jean"), Some("Jean-Yves de La Tour"));
        assert_eq!(name("Tour"), Some("Jean-Yves de La Tour"));
        assert_eq!(name("ONG"), Some("ONG Aide Plus"));
        assert_eq!(name("Paris"), Some("Paris"));
        // The first word of a sentence is capitalised anyway.
        assert_eq!(name("Hier"), None);
        assert_eq!(name("Demain"), None);
        assert_eq!(name("ministre"), None);
        let text = "Talks resumed on Monday in Paris.";
        let monday = text.find("Monday").expect("Monday") + 1;
        let whole = vec![Range {
            start: 0,
            end: text.len(),
        }];
        assert_eq!(capitalised_name_at(text, monday, &whole), None);
        // Outside prose (no sentence) there is nothing to add.
        assert_eq!(capitalised_name_at(text, 30, &[]), None);
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slug("Nikol Pachinian"), "nikol-pachinian");
        assert_eq!(
            slug("Organisation des États « amis »"),
            "organisation-des-etats-amis"
        );
        assert_eq!(slug("ОДКБ"), "entity");
    }

    #[test]
    fn stubs_are_valid_toml() {
        let stub = stub_entity("jane-doe", "Jane \"JD\" Doe");
        let parsed: toml::Table = toml::from_str(&stub).expect("valid TOML");
        assert!(parsed.contains_key("entity"), "{stub}");
        assert_eq!(separator(""), "");
        assert_eq!(separator("a\n"), "\n");
        assert_eq!(separator("a"), "\n\n");
    }
}
