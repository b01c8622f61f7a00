//! The source roster in the editor: the "Sources" branch of the outline (each source
//! with its quotations as children) and the `copydesk.sources` command that the code
//! lens runs, which answers with the roster as Markdown.
//!
//! The roster is computed on demand from the snapshot's analysis
//! ([`crate::analysis::Engine::roster`]): it is linear in the article and reads no
//! other file, so the outline and the command never wait on the rest of the server.

use crate::analysis::roster::{Roster, SourceClass};
use crate::lang::Lang;
use crate::lsp::context::Ctx;
use std::fmt::Write;
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

/// The command the code lens runs: its argument is the document's URI, its result the
/// roster as Markdown. VS Code opens the result in a preview; a client that does not
/// know the command sends it to the server, which answers it all the same.
pub const COMMAND: &str = "copydesk.sources";

/// The roster of the snapshot.
pub fn roster(ctx: &Ctx<'_>) -> Roster {
    match &ctx.snap.analysis.roster {
        Some(r) => r.clone(),
        None => ctx.ws.engine.roster(&ctx.snap.text, &ctx.snap.analysis),
    }
}

/// The outline's "Sources" branch, when the article has any source: one symbol per
/// source, with its quotations as children.
pub fn symbol(ctx: &Ctx<'_>, roster: &Roster) -> Option<DocumentSymbol> {
    let quotes = &ctx.snap.analysis.quotes;
    let lang = ctx.lang();
    let mut children = Vec::new();
    let mut all: Option<std::ops::Range<usize>> = None;
    for s in &roster.sources {
        let mut range = s.first_mention.clone();
        let mut quote_symbols = Vec::new();
        for q in s.quotes.iter().filter_map(|&i| quotes.get(i)) {
            range = range.start.min(q.range.start)..range.end.max(q.range.end);
            #[allow(deprecated)]
            quote_symbols.push(DocumentSymbol {
                name: excerpt(&q.content),
                detail: q.speaker.clone(),
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: ctx.range(q.range.clone()),
                selection_range: ctx.range(q.range.clone()),
                children: None,
            });
        }
        all = Some(match all {
            Some(a) => a.start.min(range.start)..a.end.max(range.end),
            None => range.clone(),
        });
        #[allow(deprecated)]
        children.push(DocumentSymbol {
            name: s.name.clone(),
            detail: Some(detail(s.class, s.quotes.len(), s.claims, lang)),
            kind: match s.class {
                SourceClass::Person => SymbolKind::CLASS,
                SourceClass::Institution => SymbolKind::STRUCT,
                SourceClass::Document => SymbolKind::FILE,
                SourceClass::Anonymous => SymbolKind::KEY,
            },
            tags: None,
            deprecated: None,
            range: ctx.range(range),
            selection_range: ctx.range(s.first_mention.clone()),
            children: Some(quote_symbols),
        });
    }
    let all = all?;
    #[allow(deprecated)]
    Some(DocumentSymbol {
        name: "Sources".to_string(),
        detail: Some(format!("{}", roster.sources.len())),
        kind: SymbolKind::MODULE,
        tags: None,
        deprecated: None,
        range: ctx.range(all.clone()),
        selection_range: ctx.range(all.start..all.start),
        children: Some(children),
    })
}

fn detail(class: SourceClass, quotes: usize, claims: usize, lang: Lang) -> String {
    let (q, c) = match lang {
        Lang::Fr => ("citation", "affirmation"),
        Lang::En => ("quotation", "claim"),
    };
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} · {} · {}",
        class.label(lang),
        plural(quotes, q),
        plural(claims, c)
    )
}

fn excerpt(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= 60 {
        s
    } else {
        let mut t: String = s.chars().take(59).collect();
        t.push('…');
        t
    }
}

/// Escapes the characters that Markdown tables and emphasis would read.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '[' | ']' | '\\' | '<') {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The roster as Markdown, in the article's language: a table of the sources, then
/// the counts.
pub fn markdown(ctx: &Ctx<'_>) -> String {
    let roster = roster(ctx);
    let lang = ctx.lang();
    let a = &ctx.snap.analysis;
    let mut out = String::new();
    let title = a.title.as_deref().unwrap_or("");
    let _ = match lang {
        Lang::Fr => writeln!(out, "# Sources : {}\n", cell(title)),
        Lang::En => writeln!(out, "# Sources: {}\n", cell(title)),
    };
    let head = match lang {
        Lang::Fr => "| source | type | citations | affirmations | première mention | description |",
        Lang::En => "| source | class | quotations | claims | first mention | description |",
    };
    let _ = writeln!(out, "{head}\n|---|---|---:|---:|---|---|");
    for s in &roster.sources {
        let line = ctx.map().position(s.first_mention.start).line + 1;
        let mut name = cell(&s.name);
        if !s.identified {
            name.push_str(" (?)");
        }
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} {line} | {} |",
            s.class.label(lang),
            s.quotes.len(),
            s.claims,
            match lang {
                Lang::Fr => "ligne",
                Lang::En => "line",
            },
            s.description.as_deref().map(cell).unwrap_or_default(),
        );
    }
    let share = roster
        .anonymous_share()
        .map_or_else(|| "-".to_string(), |x| format!("{:.0} %", x * 100.0));
    let _ = match lang {
        Lang::Fr => writeln!(
            out,
            "\n{} sources, dont {} citées entre guillemets et {} anonymes ({share}). \
             {} citations sans locuteur identifiable, {} sans source.",
            roster.sources.len(),
            roster.quoted_sources(),
            roster.anonymous_sources(),
            roster.unresolved_quotes.len(),
            roster.unattributed_quotes,
        ),
        Lang::En => writeln!(
            out,
            "\n{} sources: {} quoted, {} anonymous ({share}). \
             {} quotations whose speaker cannot be named, {} with no source.",
            roster.sources.len(),
            roster.quoted_sources(),
            roster.anonymous_sources(),
            roster.unresolved_quotes.len(),
            roster.unattributed_quotes,
        ),
    };
    if roster.sources.iter().any(|s| !s.identified) {
        let _ = match lang {
            Lang::Fr => writeln!(
                out,
                "\n(?) nommé seulement par son nom de famille ou un pronom dans l'article."
            ),
            Lang::En => writeln!(
                out,
                "\n(?) named only by a surname or a pronoun in the article."
            ),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::context::fixture::Fixture;

    #[test]
    fn outline_and_markdown_list_the_sources() {
        let f = Fixture::new(
            "---\nlang: en\n---\n\n# Title\n\nJane Doe, the mayor, met reporters. \"We stay,\" she said.\n\nOfficials said the road was closed.\n",
            &[],
        );
        let ctx = f.ctx();
        let r = roster(&ctx);
        let sym = symbol(&ctx, &r).expect("a Sources branch");
        let children = sym.children.unwrap_or_default();
        let jane = children
            .iter()
            .find(|c| c.name == "Jane Doe")
            .expect("Jane Doe");
        assert_eq!(jane.children.as_ref().map(Vec::len), Some(1));
        let md = markdown(&ctx);
        assert!(md.contains("| Jane Doe | person | 1 | 0 |"), "{md}");
        assert!(md.contains("anonymous"), "{md}");
    }
}
