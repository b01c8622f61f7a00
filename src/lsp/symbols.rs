//! Symbols: the outline of an article and a search across the workspace.
//!
//! Document symbols are the headings, nested by level, each spanning its section;
//! inside a section, its quotations (named after the speaker) and the entities it
//! mentions (one symbol per entity, on its first mention). After the headings, a
//! "Sources" branch lists the article's sources with their quotations as children
//! ([`crate::lsp::sources`]). Workspace symbols are the
//! knowledge base's entities, found by any name, alias or acronym ([`Kb::search`]),
//! the people and organisations the articles introduce and the knowledge base does not
//! list (at their first introduction), and the articles, found by title; queries
//! ignore case and accents.

use crate::analysis::FileAnalysis;
use crate::corpus::Corpus;
use crate::kb::Kb;
use crate::kb::model::Kind;
use crate::lang::Lang;
use crate::lsp::context::{Ctx, UriResolver};
use crate::lsp::convert::{Encoding, site_position};
use crate::lsp::workspace::entity_location;
use std::ops::Range;
use tower_lsp_server::ls_types::{
    DocumentSymbol, Location, OneOf, Position, Range as LspRange, SymbolKind, WorkspaceSymbol,
};

/// The most workspace symbols returned for one query.
pub const MAX_WORKSPACE_SYMBOLS: usize = 200;

/// The outline of the snapshot.
pub fn document(ctx: &Ctx<'_>) -> Vec<DocumentSymbol> {
    let a = &ctx.snap.analysis;
    let text_len = ctx.snap.text.len();
    // Each heading's section runs to the next heading of the same or a higher level.
    let sections: Vec<Range<usize>> = a
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = a.headings[i + 1..]
                .iter()
                .find(|next| next.level <= h.level)
                .map_or(text_len, |next| next.range.start);
            h.range.start..end.max(h.range.end)
        })
        .collect();

    // Build the tree with a stack of open headings (index into `a.headings`).
    let mut roots: Vec<DocumentSymbol> = leaf_symbols(ctx, a, 0..first_heading(a, text_len));
    let mut stack: Vec<(usize, DocumentSymbol)> = Vec::new();
    for (i, h) in a.headings.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|(j, _)| a.headings[*j].level >= h.level)
        {
            close(&mut stack, &mut roots);
        }
        // The section's own content stops at the next heading, whatever its level.
        let own_end = a
            .headings
            .get(i + 1)
            .map_or(sections[i].end, |n| n.range.start);
        let name = if h.text.trim().is_empty() {
            "(untitled)".to_string()
        } else {
            h.text.trim().to_string()
        };
        #[allow(deprecated)]
        let symbol = DocumentSymbol {
            name,
            detail: Some(format!("h{}", h.level)),
            kind: SymbolKind::NAMESPACE,
            tags: None,
            deprecated: None,
            range: ctx.range(sections[i].clone()),
            selection_range: ctx.range(h.text_range.clone()),
            children: Some(leaf_symbols(ctx, a, h.range.end..own_end)),
        };
        stack.push((i, symbol));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    // After the headings, the article's sources with their quotations.
    let roster = crate::lsp::sources::roster(ctx);
    roots.extend(crate::lsp::sources::symbol(ctx, &roster));
    roots
}

fn first_heading(a: &FileAnalysis, text_len: usize) -> usize {
    a.headings.first().map_or(text_len, |h| h.range.start)
}

/// Pops the innermost open heading into its parent (or the roots).
fn close(stack: &mut Vec<(usize, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>) {
    if let Some((_, done)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(done),
            None => roots.push(done),
        }
    }
}

/// The quotations and entities inside `within`, in document order.
fn leaf_symbols(ctx: &Ctx<'_>, a: &FileAnalysis, within: Range<usize>) -> Vec<DocumentSymbol> {
    let lang = ctx.lang();
    let inside = |r: &Range<usize>| within.start <= r.start && r.end <= within.end;
    let mut out: Vec<(usize, DocumentSymbol)> = Vec::new();
    for q in a.quotes.iter().filter(|q| inside(&q.range)) {
        let name = match (&q.speaker, lang) {
            (Some(s), _) => s.clone(),
            (None, Lang::Fr) => "(locuteur inconnu)".to_string(),
            (None, Lang::En) => "(unknown speaker)".to_string(),
        };
        #[allow(deprecated)]
        out.push((
            q.range.start,
            DocumentSymbol {
                name,
                detail: Some(shorten(&q.content, 60)),
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: ctx.range(q.range.clone()),
                selection_range: ctx.range(q.range.clone()),
                children: None,
            },
        ));
    }
    // One symbol per entity, on its first mention in the section.
    let mut seen: Vec<&str> = Vec::new();
    for m in a.mentions.iter().filter(|m| inside(&m.range)) {
        if seen.contains(&&*m.entity) {
            continue;
        }
        seen.push(&m.entity);
        let count = a
            .mentions
            .iter()
            .filter(|o| o.entity == m.entity && inside(&o.range))
            .count();
        let (name, kind) = match ctx.ws.kb().get(&m.entity) {
            Some(e) => (e.name(lang).to_string(), symbol_kind(e.kind)),
            None => (m.surface.clone(), SymbolKind::VARIABLE),
        };
        #[allow(deprecated)]
        out.push((
            m.range.start,
            DocumentSymbol {
                name,
                detail: Some(if count == 1 {
                    m.surface.clone()
                } else {
                    format!("{} ×{count}", m.surface)
                }),
                kind,
                tags: None,
                deprecated: None,
                range: ctx.range(m.range.clone()),
                selection_range: ctx.range(m.range.clone()),
                children: None,
            },
        ));
    }
    out.sort_by_key(|(start, _)| *start);
    out.into_iter().map(|(_, s)| s).collect()
}

fn shorten(s: &str, max_chars: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// The symbol kind shown for an entity kind (the editor picks the icon from it).
pub fn symbol_kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Person => SymbolKind::OBJECT,
        Kind::Country | Kind::City | Kind::Region => SymbolKind::NAMESPACE,
        Kind::Organisation | Kind::Company | Kind::Media => SymbolKind::CLASS,
        Kind::Treaty => SymbolKind::INTERFACE,
        Kind::Event => SymbolKind::EVENT,
        Kind::WeaponSystem => SymbolKind::STRUCT,
        Kind::Other => SymbolKind::VARIABLE,
    }
}

/// Workspace symbols matching `query`: entities first, then articles.
pub fn workspace(
    kb: &Kb,
    corpus: &Corpus,
    query: &str,
    encoding: Encoding,
    uris: &dyn UriResolver,
) -> Vec<WorkspaceSymbol> {
    let needle = fold(query.trim());
    let mut out = Vec::new();
    // The knowledge base ranks its own matches: exact forms, then prefixes.
    for e in kb
        .search(query.trim(), MAX_WORKSPACE_SYMBOLS)
        .into_iter()
        .filter_map(|i| kb.entity(i))
    {
        let Some((path, line)) = entity_location(e) else {
            continue;
        };
        let Some(uri) = uris.uri(&path) else {
            continue;
        };
        let at = Position::new(line, 0);
        out.push(WorkspaceSymbol {
            name: e.name(Lang::En).to_string(),
            kind: symbol_kind(e.kind),
            tags: None,
            container_name: Some(e.name(Lang::Fr).to_string()),
            location: OneOf::Left(Location::new(uri, LspRange::new(at, at))),
            data: None,
        });
    }
    let room = MAX_WORKSPACE_SYMBOLS.saturating_sub(out.len());
    out.extend(crate::lsp::derived::workspace_symbols(
        corpus, &needle, fold, encoding, uris, room,
    ));
    let mut articles: Vec<_> = corpus
        .files()
        .filter_map(|(path, s)| s.title.as_ref().map(|t| (path, s, t)))
        .filter(|(_, _, t)| needle.is_empty() || fold(t).contains(&needle))
        .collect();
    articles.sort_by(|a, b| a.0.cmp(b.0));
    for (path, summary, title) in articles {
        if out.len() >= MAX_WORKSPACE_SYMBOLS {
            break;
        }
        let Some(uri) = uris.uri(path) else {
            continue;
        };
        let range = summary
            .title_site
            .as_ref()
            .map_or_else(LspRange::default, |s| {
                LspRange::new(
                    site_position(s.start, encoding),
                    site_position(s.end, encoding),
                )
            });
        out.push(WorkspaceSymbol {
            name: title.clone(),
            kind: SymbolKind::FILE,
            tags: None,
            container_name: path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned()),
            location: OneOf::Left(Location::new(uri, range)),
            data: None,
        });
    }
    out
}

/// Lower case without accents, for matching queries.
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Organisation du Traité"), "organisation du traite");
        assert!(fold("ÉTAT").contains(&fold("etat")));
    }

    #[test]
    fn long_quotes_are_shortened() {
        assert_eq!(shorten("  abc  ", 5), "abc");
        assert_eq!(shorten("abcdef", 3), "abc…");
    }

    use crate::lsp::context::FileUris;
    use crate::lsp::context::fixture::Fixture;

    #[test]
    fn headings_nest_and_hold_quotes_and_entities() {
        let f = Fixture::new(
            "# Top\n\nThe CSTO met.\n\n## Sub\n\n\"No,\" said Jane Doe of Armenia.\n\n# Next\n\nArmenia again.\n",
            &[],
        );
        let outline = document(&f.ctx());
        let names: Vec<&str> = outline.iter().map(|s| s.name.as_str()).collect();
        // After the headings, the sources with their quotations.
        assert_eq!(names, ["Top", "Next", "Sources"]);
        let sources = outline[2].children.as_deref().unwrap_or_default();
        assert_eq!(sources.len(), 1);
        assert!(
            sources[0].name.starts_with("Jane Doe"),
            "{:?}",
            sources[0].name
        );
        assert_eq!(sources[0].children.as_ref().map(Vec::len), Some(1));
        let top = &outline[0];
        let children: Vec<&str> = top
            .children
            .iter()
            .flatten()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(children, ["Collective Security Treaty Organization", "Sub"]);
        let sub = &top.children.as_ref().expect("children")[1];
        let leaves: Vec<(&str, SymbolKind)> = sub
            .children
            .iter()
            .flatten()
            .map(|s| (s.name.as_str(), s.kind))
            .collect();
        assert_eq!(leaves[0].1, SymbolKind::STRING);
        assert!(
            leaves.contains(&("Armenia", SymbolKind::NAMESPACE)),
            "{leaves:?}"
        );
        // A section's range runs to the next heading of its level.
        assert_eq!(top.range.end.line, 8);
    }

    #[test]
    fn workspace_symbols_find_entities_and_titles() {
        let f = Fixture::new(
            "# T\n\nx\n",
            &[(
                "a.md",
                "---\ntitle: Élections à Erevan\n---\n\n# Élections à Erevan\n\nText.\n",
            )],
        );
        let found = workspace(f.ws.kb(), &f.corpus, "otsc", Encoding::Utf16, &FileUris);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Collective Security Treaty Organization");
        let found = workspace(
            f.ws.kb(),
            &f.corpus,
            "elections",
            Encoding::Utf16,
            &FileUris,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "Élections à Erevan");
        assert_eq!(found[0].kind, SymbolKind::FILE);
    }
}
