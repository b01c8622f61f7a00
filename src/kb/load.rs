//! Loading and checking knowledge-base files.
//!
//! Each file is parsed into a spanned TOML tree first, then each `[[entity]]` is
//! deserialised on its own (with `deny_unknown_fields`), so that one broken entity
//! costs only itself and one broken file never stops the others. Checks that need the
//! whole base (duplicate ids, unknown related ids, one form claimed by two entities)
//! run once every file is read. Every error carries its file, line and column.
//!
//! Layers: built-in entities come first; a workspace entity with a built-in entity's
//! id replaces it in place. Two definitions of one id within a layer are an error and
//! the first one stands. Where two entities claim one form, the one added last (a
//! workspace entity over a built-in one) gets it, and the clash is reported.

use super::Kb;
use super::matcher::{AddError, MatcherBuilder};
use super::model::{Entity, Fact, Form, HouseSpelling, Kind, LangMap, Origin, Relation, Source};
use crate::text::{ColumnUnit, LineIndex};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// A problem in a knowledge-base file, positioned like a configuration error.
pub type KbError = crate::config::FileError;

/// Per-language lists of spanned strings, as in `aliases = { en = [...] }`.
type SpannedLists = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

/// One entity as written in a file. Every key of the format is here; anything else
/// is an error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    wikidata: Option<Spanned<String>>,
    name: Spanned<BTreeMap<Spanned<String>, Spanned<String>>>,
    description: Spanned<BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    aliases: SpannedLists,
    #[serde(default)]
    acronyms: SpannedLists,
    #[serde(default)]
    demonyms: SpannedLists,
    /// Language → preferred form → variants.
    #[serde(default)]
    house_spelling: BTreeMap<Spanned<String>, SpannedLists>,
    /// Relation name → entity ids.
    #[serde(default)]
    related: SpannedLists,
    #[serde(default)]
    facts: Vec<RawFact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    en: Spanned<String>,
    fr: Spanned<String>,
    #[serde(default)]
    as_of: Option<Spanned<toml::Value>>,
}

/// One file's text and how to position errors in it.
struct File {
    source: Source,
    text: Cow<'static, str>,
    lines: LineIndex,
}

impl File {
    fn new(source: Source, text: Cow<'static, str>) -> File {
        let lines = LineIndex::new(&text);
        File {
            source,
            text,
            lines,
        }
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        let pos = self.lines.position(&self.text, offset, ColumnUnit::Char);
        (pos.line as usize + 1, pos.col as usize + 1)
    }

    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> KbError {
        let (line, col) = match span {
            Some(span) => self.position(span.start),
            None => (0, 0),
        };
        KbError {
            path: self.source.display_path(),
            line,
            col,
            message: message.into(),
        }
    }

    /// The 1-based line of the `[[entity]]` header before `offset` (the entity's id),
    /// or the line of `offset` itself when the entity is written as an inline table.
    fn header_line(&self, offset: usize) -> usize {
        let id_line = self.lines.line_of(offset);
        for line in (0..=id_line).rev() {
            let range = self.lines.line_range(&self.text, line);
            let compact: String = self.text[range]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if compact.starts_with("[[entity]]") {
                return line + 1;
            }
            if compact.starts_with('[') && line != id_line {
                break;
            }
        }
        id_line + 1
    }
}

/// An entity read from a file, with what later checks need to position errors.
struct Parsed {
    entity: Entity,
    file: usize,
    id_span: Range<usize>,
    /// The first span of each form, by its text.
    form_spans: HashMap<String, Range<usize>>,
    /// The span of each related id, in the order of `entity.related` flattened.
    related_spans: Vec<Range<usize>>,
}

/// Collects errors with the index of their file, to sort them at the end.
#[derive(Default)]
struct Errors(Vec<(usize, KbError)>);

impl Errors {
    fn push(&mut self, file: usize, e: KbError) {
        self.0.push((file, e));
    }

    fn into_sorted(mut self) -> Vec<KbError> {
        self.0
            .sort_by(|(fa, a), (fb, b)| (fa, a.line, a.col).cmp(&(fb, b.line, b.col)));
        self.0.into_iter().map(|(_, e)| e).collect()
    }
}

/// The built-in data files, by name, embedded at build time (see `build.rs`).
pub(crate) static BUILTIN_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_knowledge.rs"));

/// Loads the built-in base (when `builtin`) and the workspace `paths` (files, or
/// folders searched recursively for `*.toml`).
pub(crate) fn load(builtin: bool, paths: &[PathBuf]) -> (Kb, Vec<KbError>) {
    let mut errors = Errors::default();
    let mut workspace = Vec::new();
    for path in paths {
        for file in workspace_files(path, &mut |e| errors.push(usize::MAX, e)) {
            match std::fs::read_to_string(&file) {
                Ok(text) => workspace.push((file, text)),
                Err(e) => errors.push(
                    usize::MAX,
                    KbError {
                        path: file,
                        line: 0,
                        col: 0,
                        message: format!("cannot read: {e}"),
                    },
                ),
            }
        }
    }
    let builtin_files = if builtin { BUILTIN_FILES } else { &[] };
    load_from(builtin_files, workspace, errors)
}

/// Loads workspace files given as `(path, text)`, after the built-in base when
/// `builtin`.
pub(crate) fn load_texts(builtin: bool, texts: &[(PathBuf, String)]) -> (Kb, Vec<KbError>) {
    let builtin_files = if builtin { BUILTIN_FILES } else { &[] };
    load_from(builtin_files, texts.to_vec(), Errors::default())
}

/// Loads `builtin` files `(name, text)` as the built-in layer and `workspace` files
/// over them.
fn load_from(
    builtin: &[(&'static str, &'static str)],
    workspace: Vec<(PathBuf, String)>,
    mut errors: Errors,
) -> (Kb, Vec<KbError>) {
    let mut files = Vec::with_capacity(builtin.len() + workspace.len());
    for &(name, text) in builtin {
        files.push(File::new(Source::Builtin(name), Cow::Borrowed(text)));
    }
    for (path, text) in workspace {
        files.push(File::new(Source::Workspace(path), Cow::Owned(text)));
    }
    let parsed: Vec<Parsed> = files
        .iter()
        .enumerate()
        .flat_map(|(i, file)| parse_file(file, i, &mut errors))
        .collect();
    let kb = assemble(&files, parsed, &mut errors);
    (kb, errors.into_sorted())
}

/// The `*.toml` files of `path`: itself if it is a file, else every one below it in
/// path order, hidden files and folders skipped.
fn workspace_files(path: &Path, report: &mut dyn FnMut(KbError)) -> Vec<PathBuf> {
    let error = |message: String| KbError {
        path: path.to_path_buf(),
        line: 0,
        col: 0,
        message,
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => vec![path.to_path_buf()],
        Ok(_) => {
            let mut out = Vec::new();
            walk(path, &mut out, report);
            out.sort();
            out
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            report(error("no such file or folder".to_string()));
            Vec::new()
        }
        Err(e) => {
            report(error(format!("cannot read: {e}")));
            Vec::new()
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, report: &mut dyn FnMut(KbError)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            report(KbError {
                path: dir.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("cannot read folder: {e}"),
            });
            return;
        }
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out, report),
            Ok(_) if path.extension().is_some_and(|e| e == "toml") => out.push(path),
            _ => {}
        }
    }
}

fn parse_file(file: &File, index: usize, errors: &mut Errors) -> Vec<Parsed> {
    let (root, syntax) = DeTable::parse_recoverable(&file.text);
    if !syntax.is_empty() {
        // A file that is not valid TOML is reported whole and loads nothing: a
        // half-recovered entity could be silently wrong.
        for e in syntax {
            errors.push(index, file.error(e.span(), e.message().trim()));
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for (key, value) in root.into_inner() {
        if key.get_ref().as_ref() != "entity" {
            errors.push(
                index,
                file.error(
                    Some(key.span()),
                    format!(
                        "unknown key `{}`: a knowledge-base file holds `[[entity]]` tables only",
                        key.get_ref()
                    ),
                ),
            );
            continue;
        }
        let span = value.span();
        let DeValue::Array(items) = value.into_inner() else {
            errors.push(
                index,
                file.error(
                    Some(span),
                    "`entity` must be a list of tables, written `[[entity]]`",
                ),
            );
            continue;
        };
        for item in items.iter() {
            let item_span = item.span();
            match RawEntity::deserialize(ValueDeserializer::from(item.clone())) {
                Ok(raw) => out.push(convert(raw, file, index, errors)),
                Err(e) => errors.push(
                    index,
                    file.error(e.span().or(Some(item_span)), e.message().trim()),
                ),
            }
        }
    }
    out
}

type ErrFn<'a> = &'a mut dyn FnMut(Range<usize>, String);
type NoteFn<'a> = &'a mut dyn FnMut(&Spanned<String>);

/// Turns a raw entity into an [`Entity`], reporting every value that is wrong. Wrong
/// values are replaced or dropped so that the rest of the entity still loads.
fn convert(raw: RawEntity, file: &File, index: usize, errors: &mut Errors) -> Parsed {
    let mut err = |span: Range<usize>, message: String| {
        errors.push(index, file.error(Some(span), message));
    };
    let id = raw.id.get_ref().clone();
    let id_span = raw.id.span();
    if !is_slug(&id) {
        err(
            id_span.clone(),
            format!("invalid id `{id}`: use lower-case letters, digits and hyphens"),
        );
    }
    let kind = match Kind::parse(raw.kind.get_ref()) {
        Some(k) => k,
        None => {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            err(
                raw.kind.span(),
                format!(
                    "unknown kind `{}`: expected one of {}",
                    raw.kind.get_ref(),
                    known.join(", ")
                ),
            );
            Kind::Other
        }
    };
    let wikidata = raw.wikidata.and_then(|w| {
        if is_qid(w.get_ref()) {
            Some(w.into_inner())
        } else {
            err(
                w.span(),
                format!(
                    "invalid Wikidata id `{}`: expected Q and digits",
                    w.get_ref()
                ),
            );
            None
        }
    });

    let mut form_spans: HashMap<String, Range<usize>> = HashMap::new();
    let mut note_form = |s: &Spanned<String>| {
        form_spans
            .entry(s.get_ref().clone())
            .or_insert_with(|| s.span());
    };

    let mut name = lang_texts(raw.name, "name", &mut err, Some(&mut note_form));
    let mut description = lang_texts(raw.description, "description", &mut err, None);
    // Keep the promise that every entity has a name and a description in both
    // languages, even when the data forgot one (the error is reported above).
    for map in [&mut name, &mut description] {
        let fallback = map.values().next().cloned().unwrap_or_else(|| id.clone());
        for required in ["en", "fr"] {
            map.entry(required.to_string())
                .or_insert_with(|| fallback.clone());
        }
    }
    let aliases = lang_lists(raw.aliases, "alias", &mut err, &mut note_form);
    let acronyms = lang_lists(raw.acronyms, "acronym", &mut err, &mut note_form);
    let demonyms = lang_lists(raw.demonyms, "demonym", &mut err, &mut note_form);

    let mut house_spelling = LangMap::new();
    for (lang, table) in raw.house_spelling {
        check_lang(&lang, &mut err);
        let mut entries = Vec::new();
        for (preferred, variants) in table {
            if preferred.get_ref().trim().is_empty() {
                err(preferred.span(), "empty house spelling".to_string());
                continue;
            }
            note_form(&preferred);
            let strict = super::rules::strict_key(preferred.get_ref());
            let mut kept = Vec::new();
            for v in variants {
                if v.get_ref().trim().is_empty() {
                    err(v.span(), "empty variant".to_string());
                } else if super::rules::strict_key(v.get_ref()) == strict {
                    err(
                        v.span(),
                        format!(
                            "variant `{}` is the house spelling `{}` itself",
                            v.get_ref(),
                            preferred.get_ref()
                        ),
                    );
                } else {
                    note_form(&v);
                    kept.push(v.into_inner());
                }
            }
            entries.push(HouseSpelling {
                preferred: preferred.into_inner(),
                variants: kept,
            });
        }
        house_spelling.insert(lang.into_inner(), entries);
    }

    let mut related = Vec::new();
    let mut related_spans = Vec::new();
    for (relation, ids) in raw.related {
        if !is_slug(relation.get_ref()) {
            err(
                relation.span(),
                format!(
                    "invalid relation name `{}`: use lower-case words joined by hyphens",
                    relation.get_ref()
                ),
            );
        }
        let mut targets = Vec::new();
        for target in ids {
            related_spans.push(target.span());
            targets.push(target.into_inner());
        }
        related.push(Relation {
            name: relation.into_inner(),
            ids: targets,
        });
    }

    let mut facts = Vec::new();
    for fact in raw.facts {
        for text in [&fact.en, &fact.fr] {
            if text.get_ref().trim().is_empty() {
                err(text.span(), "empty fact".to_string());
            }
        }
        let as_of = fact.as_of.and_then(|v| match parse_as_of(v.get_ref()) {
            Ok(date) => Some(date),
            Err(message) => {
                err(v.span(), message);
                None
            }
        });
        facts.push(Fact {
            en: fact.en.into_inner(),
            fr: fact.fr.into_inner(),
            as_of,
        });
    }

    let entity = Entity {
        id,
        kind,
        name,
        description,
        aliases,
        acronyms,
        demonyms,
        house_spelling,
        related,
        facts,
        wikidata,
        origin: Origin {
            source: file.source.clone(),
            line: file.header_line(id_span.start),
        },
        form_keys: Default::default(),
    };
    Parsed {
        entity,
        file: index,
        id_span,
        form_spans,
        related_spans,
    }
}

/// Reads a per-language text table (`name`, `description`), which must have `en`
/// and `fr`.
fn lang_texts(
    map: Spanned<BTreeMap<Spanned<String>, Spanned<String>>>,
    what: &str,
    err: ErrFn<'_>,
    mut note: Option<NoteFn<'_>>,
) -> LangMap<String> {
    let span = map.span();
    let mut out = LangMap::new();
    for (lang, value) in map.into_inner() {
        check_lang(&lang, err);
        if value.get_ref().trim().is_empty() {
            err(value.span(), format!("empty {what}"));
            continue;
        }
        if let Some(note) = note.as_mut() {
            note(&value);
        }
        out.insert(lang.into_inner(), value.into_inner());
    }
    for required in ["en", "fr"] {
        if !out.contains_key(required) {
            err(span.clone(), format!("missing `{required}` {what}"));
        }
    }
    out
}

/// Reads a per-language list table (`aliases`, `acronyms`, `demonyms`).
fn lang_lists(
    map: SpannedLists,
    what: &str,
    err: ErrFn<'_>,
    note: NoteFn<'_>,
) -> LangMap<Vec<String>> {
    let mut out = LangMap::new();
    for (lang, values) in map {
        check_lang(&lang, err);
        let mut kept = Vec::new();
        for value in values {
            if value.get_ref().trim().is_empty() {
                err(value.span(), format!("empty {what}"));
                continue;
            }
            note(&value);
            kept.push(value.into_inner());
        }
        out.insert(lang.into_inner(), kept);
    }
    out
}

/// Merges the parsed entities by id, checks references and forms, and builds the
/// matcher.
fn assemble(files: &[File], parsed: Vec<Parsed>, errors: &mut Errors) -> Kb {
    let mut kept: Vec<Parsed> = Vec::with_capacity(parsed.len());
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // Ids defined by a workspace file so far: a second one is a duplicate, while the
    // first one only replaces the built-in entity.
    let mut workspace_ids: HashMap<String, usize> = HashMap::new();
    for p in parsed {
        let builtin = files[p.file].source.is_builtin();
        match by_id.get(&p.entity.id).copied() {
            Some(at) if builtin || workspace_ids.contains_key(&p.entity.id) => {
                let first = &kept[at];
                errors.push(
                    p.file,
                    files[p.file].error(
                        Some(p.id_span.clone()),
                        format!(
                            "duplicate id `{}`: already defined at {}",
                            p.entity.id, first.entity.origin
                        ),
                    ),
                );
            }
            Some(at) => {
                workspace_ids.insert(p.entity.id.clone(), at);
                kept[at] = p;
            }
            None => {
                if !builtin {
                    workspace_ids.insert(p.entity.id.clone(), kept.len());
                }
                by_id.insert(p.entity.id.clone(), kept.len());
                kept.push(p);
            }
        }
    }

    for p in &kept {
        let targets = p.entity.related.iter().flat_map(|r| r.ids.iter());
        for (target, span) in targets.zip(&p.related_spans) {
            if !by_id.contains_key(target) {
                errors.push(
                    p.file,
                    files[p.file].error(
                        Some(span.clone()),
                        format!("unknown entity `{target}` in `related`"),
                    ),
                );
            }
        }
    }

    // Built-in entities claim their forms first, so that a workspace entity wins a
    // form both claim.
    let mut builder = MatcherBuilder::default();
    let is_builtin = |i: &usize| files[kept[*i].file].source.is_builtin();
    let order = (0..kept.len())
        .filter(is_builtin)
        .chain((0..kept.len()).filter(|i| !is_builtin(i)));
    for i in order {
        let p = &kept[i];
        for (form, kind) in p.entity.forms() {
            let span = p.form_spans.get(form).cloned();
            match builder.add(i, form, kind == Form::Acronym) {
                Ok(()) => {}
                Err(AddError::Empty) => errors.push(
                    p.file,
                    files[p.file].error(span, format!("`{form}` has no letters to match")),
                ),
                Err(AddError::Collision { other }) => {
                    let other = &kept[other].entity;
                    errors.push(
                        p.file,
                        files[p.file].error(
                            span,
                            format!(
                                "`{form}` is already a form of `{}` ({}); one form names one entity",
                                other.id, other.origin
                            ),
                        ),
                    );
                }
            }
        }
    }
    let entities: Vec<Entity> = kept.into_iter().map(|p| p.entity).collect();
    Kb::from_parts(entities, by_id, builder.build())
}

fn check_lang(lang: &Spanned<String>, err: ErrFn<'_>) {
    let code = lang.get_ref();
    let ok = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    if !ok {
        err(
            lang.span(),
            format!(
                "invalid language code `{code}`: expected a lower-case ISO 639 code such as `en` or `fr`"
            ),
        );
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_qid(s: &str) -> bool {
    s.strip_prefix('Q').is_some_and(|digits| {
        !digits.is_empty() && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Checks an `as_of` value: a string `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real
/// month and day (a bare TOML date or an integer year is accepted too).
fn parse_as_of(value: &toml::Value) -> Result<String, String> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::Integer(y) => y.to_string(),
        other => {
            return Err(format!(
                "invalid `as_of`: expected a date string such as \"2024-02\", found {}",
                other.type_str()
            ));
        }
    };
    if valid_date(&text) {
        Ok(text)
    } else {
        Err(format!(
            "invalid `as_of` date `{text}`: expected YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    }
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| -> Option<u32> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    let Some(year) = parts.first().and_then(|p| number(p, 4)) else {
        return false;
    };
    if !(1000..=2999).contains(&year) {
        return false;
    }
    let month = match parts.get(1) {
        None => return parts.len() == 1,
        Some(p) => match number(p, 2) {
            Some(m) if (1..=12).contains(&m) => m,
            _ => return false,
        },
    };
    let day = match parts.get(2) {
        None => return parts.len() == 2,
        Some(p) => match number(p, 2) {
            Some(d) => d,
            None => return false,
        },
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    parts.len() == 3 && (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[[entity]]
id = "armenia"
kind = "country"
name = { en = "Armenia", fr = "Arménie" }
description = { en = "A country.", fr = "Un pays." }

[[entity]]
id = "yerevan"
kind = "city"
name = { en = "Yerevan", fr = "Erevan" }
description = { en = "A city.", fr = "Une ville." }
aliases = { fr = ["Érévan"] }

[entity.related]
"capital-of" = ["armenia"]

[[entity.facts]]
en = "Capital since 1918."
fr = "Capitale depuis 1918."
as_of = "1918"
"#;

    /// Loads workspace files given as `(name, text)`, over optional fake built-in
    /// files.
    fn load_ws(
        builtin: &[(&'static str, &'static str)],
        files: &[(&str, &str)],
    ) -> (Kb, Vec<String>) {
        let workspace = files
            .iter()
            .map(|(n, t)| (PathBuf::from(n), t.to_string()))
            .collect();
        let (kb, errors) = load_from(builtin, workspace, Errors::default());
        (kb, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn good_file_loads_with_origins() {
        let (kb, errors) = load_ws(&[], &[("kb/good.toml", GOOD)]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(kb.len(), 2);
        let yerevan = kb.get("yerevan").expect("yerevan");
        assert_eq!(yerevan.origin.to_string(), "kb/good.toml:7");
        assert_eq!(kb.get("armenia").map(|e| e.origin.line), Some(1));
        assert_eq!(yerevan.facts[0].as_of.as_deref(), Some("1918"));
        assert_eq!(yerevan.related[0].ids, vec!["armenia"]);
        assert_eq!(kb.find("à Erevan, à Érévan").len(), 2);
    }

    #[test]
    fn unknown_key_is_positioned() {
        let text = "[[entity]]\nid = \"x\"\nkind = \"city\"\nname = { en = \"X\", fr = \"X\" }\ndescription = { en = \"X\", fr = \"X\" }\nalias = [\"Y\"]\n";
        let (kb, errors) = load_ws(&[], &[("a.toml", text)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("a.toml:6:1: unknown field `alias`"),
            "{errors:?}"
        );
        assert!(kb.is_empty());
        let (_, errors) = load_ws(&[], &[("a.toml", "title = \"kb\"\n")]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("a.toml:1:1: unknown key `title`"),
            "{errors:?}"
        );
        // Unknown keys inside a fact are caught as well.
        let text = format!("{GOOD}source = \"wiki\"\n");
        let (_, errors) = load_ws(&[], &[("a.toml", &text)]);
        assert!(
            errors[0].starts_with("a.toml:21:1: unknown field `source`"),
            "{errors:?}"
        );
    }

    #[test]
    fn missing_fields_and_bad_values() {
        let text = r#"[[entity]]
id = "x"
name = { en = "X", fr = "X" }
description = { en = "X", fr = "X" }

[[entity]]
id = "Bad Id"
kind = "ngo"
wikidata = "12"
name = { en = "Y" }
description = { en = "Y", fr = "Y" }
aliases = { english = ["Why"] }

[[entity.facts]]
en = "Since 2024."
fr = "Depuis 2024."
as_of = "2024-13"

[[entity.facts]]
en = "Since 2023."
fr = "Depuis 2023."
as_of = "2023-02-30"
"#;
        let (kb, errors) = load_ws(&[], &[("b.toml", text)]);
        let expected = [
            "b.toml:1:1: missing field `kind`",
            "b.toml:7:6: invalid id `Bad Id`",
            "b.toml:8:8: unknown kind `ngo`",
            "b.toml:9:12: invalid Wikidata id `12`",
            "b.toml:10:8: missing `fr` name",
            "b.toml:12:13: invalid language code `english`",
            "b.toml:17:9: invalid `as_of` date `2024-13`",
            "b.toml:22:9: invalid `as_of` date `2023-02-30`",
        ];
        assert_eq!(errors.len(), expected.len(), "{errors:#?}");
        for (e, want) in errors.iter().zip(expected) {
            assert!(e.starts_with(want), "{e} does not start with {want}");
        }
        // The second entity still loads, with its errors reported.
        assert_eq!(kb.len(), 1);
        assert_eq!(kb.entities()[0].kind, Kind::Other);
        assert_eq!(
            kb.entities()[0].name.get("fr").map(String::as_str),
            Some("Y")
        );
    }

    #[test]
    fn duplicate_ids_are_positioned() {
        let dup = "[[entity]]\nid = \"armenia\"\nkind = \"country\"\nname = { en = \"A\", fr = \"A\" }\ndescription = { en = \"A\", fr = \"A\" }\n";
        let (kb, errors) = load_ws(&[], &[("a.toml", GOOD), ("b.toml", dup)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("b.toml:2:6: duplicate id `armenia`: already defined at a.toml:1"),
            "{errors:?}"
        );
        // The first definition stands.
        assert_eq!(
            kb.get("armenia").map(|e| e.name["en"].as_str()),
            Some("Armenia")
        );
    }

    #[test]
    fn alias_collisions_are_positioned() {
        let other = "[[entity]]\nid = \"erevan-fc\"\nkind = \"company\"\nname = { en = \"FC Erevan\", fr = \"FC Erevan\" }\ndescription = { en = \"A club.\", fr = \"Un club.\" }\naliases = { fr = [\"Erevan\"] }\n";
        let (kb, errors) = load_ws(&[], &[("a.toml", GOOD), ("b.toml", other)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .starts_with("b.toml:6:19: `Erevan` is already a form of `yerevan` (a.toml:7)"),
            "{errors:?}"
        );
        // The later claim wins the form.
        let found = kb.find("à Erevan");
        assert_eq!(kb.entities()[found[0].entity].id, "erevan-fc");
        // Forms that differ only by case and accents collide too.
        let other = other.replace("[\"Erevan\"]", "[\"ÉREVAN\"]");
        let (_, errors) = load_ws(&[], &[("a.toml", GOOD), ("b.toml", &other)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn unknown_related_ids_are_positioned() {
        let text = GOOD.replace("[\"armenia\"]", "[\"armenia\", \"armenie\"]");
        let (_, errors) = load_ws(&[], &[("a.toml", &text)]);
        assert_eq!(
            errors,
            vec!["a.toml:15:28: unknown entity `armenie` in `related`"]
        );
    }

    #[test]
    fn workspace_overrides_builtin_by_id() {
        let builtin: &[(&'static str, &'static str)] = &[("base.toml", GOOD)];
        let over = "[[entity]]\nid = \"yerevan\"\nkind = \"city\"\nname = { en = \"Yerevan\", fr = \"Yerevan\" }\ndescription = { en = \"Capital of Armenia.\", fr = \"Capitale de l’Arménie.\" }\naliases = { hy = [\"Yerevan City\"] }\n";
        let (kb, errors) = load_ws(builtin, &[("ws/cities.toml", over)]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(kb.len(), 2);
        let yerevan = kb.get("yerevan").expect("yerevan");
        assert_eq!(yerevan.description["en"], "Capital of Armenia.");
        assert_eq!(yerevan.origin.to_string(), "ws/cities.toml:1");
        // The built-in forms are gone with the built-in entity; the new ones match.
        assert_eq!(kb.find("Érévan").len(), 0);
        assert_eq!(kb.find("Yerevan City").len(), 1);
        assert_eq!(
            kb.get("armenia").map(|e| e.origin.to_string()),
            Some("knowledge/base.toml:1".to_string())
        );
        // A second workspace definition of the same id is a duplicate.
        let (_, errors) = load_ws(builtin, &[("ws/a.toml", over), ("ws/b.toml", over)]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("ws/b.toml:2:6: duplicate id `yerevan`"),
            "{errors:?}"
        );
    }

    #[test]
    fn one_broken_file_does_not_stop_the_others() {
        let dir = std::env::temp_dir().join(format!("copydesk-kb-test-{}", std::process::id()));
        let nested = dir.join("people");
        std::fs::create_dir_all(&nested).expect("temp dir");
        std::fs::write(dir.join("a.toml"), GOOD).expect("write");
        std::fs::write(dir.join("b.toml"), "[[entity]\nid = \n").expect("write");
        std::fs::write(
            nested.join("c.toml"),
            "[[entity]]\nid = \"pashinyan\"\nkind = \"person\"\nname = { en = \"Nikol Pashinyan\", fr = \"Nikol Pachinian\" }\ndescription = { en = \"P.\", fr = \"P.\" }\n",
        )
        .expect("write");
        std::fs::write(dir.join("notes.md"), "not toml").expect("write");
        let (kb, errors) = Kb::load(false, std::slice::from_ref(&dir));
        // Only files this test created are removed, one by one.
        for f in [
            dir.join("a.toml"),
            dir.join("b.toml"),
            dir.join("notes.md"),
            nested.join("c.toml"),
        ] {
            let _ = std::fs::remove_file(f);
        }
        let _ = std::fs::remove_dir(&nested);
        let _ = std::fs::remove_dir(&dir);
        assert_eq!(kb.len(), 3, "{errors:?}");
        assert!(!errors.is_empty());
        for e in &errors {
            assert!(e.path.ends_with("b.toml"), "{e}");
            assert_eq!(e.line, 1, "{e}");
        }
        let (_, errors) = Kb::load(false, &[PathBuf::from("/nonexistent/copydesk/kb")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].to_string().ends_with("no such file or folder"));
    }

    #[test]
    fn dates() {
        for ok in ["2024", "2024-02", "2024-02-29", "2023-12-31"] {
            assert!(valid_date(ok), "{ok}");
        }
        for bad in [
            "24",
            "2024-2",
            "2024-00",
            "2023-02-29",
            "2024-04-31",
            "2024-01-01-01",
            "soon",
            "",
        ] {
            assert!(!valid_date(bad), "{bad}");
        }
    }
}
