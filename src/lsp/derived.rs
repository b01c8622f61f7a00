//! Derived entities in the editor: people and organisations the knowledge base does not
//! list, as the workspace's articles introduce them (see [`crate::analysis::people`]).
//!
//! They are treated like knowledge-base entities built from the corpus, and kept apart
//! from the knowledge base (nothing is written to disk unless the user asks):
//! - the hover card gathers what the articles say: the descriptions given at each
//!   introduction, every spelling met, the articles that mention it, and says plainly
//!   that the entity is not in the knowledge base;
//! - go to definition opens the introducing mention (this article's, else the first
//!   article's in path order);
//! - references are the corpus's, as for any entity (surname-only mentions included);
//! - the quick fix "add to the knowledge base" writes a full `[[entity]]` (kind, name,
//!   description, the spellings met as aliases) to the workspace knowledge file, after
//!   which the knowledge base knows it and wins;
//! - the consistency note: another derived entity whose name sounds the same across
//!   transliterations (*Hakobian* / *Akopyan*) and whose description shares a word is
//!   shown at the foot of the card, as a note, never a warning.

use crate::analysis::people::{DerivedKind, same_person};
use crate::corpus::{Corpus, Site};
use crate::lang::Lang;
use crate::lsp::code_action::{KnowledgeFile, slug};
use crate::lsp::context::{Ctx, UriResolver};
use crate::lsp::convert::{Encoding, LineMap, site_position};
use crate::lsp::hover::{escape, mentioned_in};
use crate::text::LineIndex;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, Location, OneOf, Range as LspRange, SymbolKind, TextEdit,
    WorkspaceEdit, WorkspaceSymbol,
};

/// How many article titles a card lists.
const TOP_ARTICLES: usize = 3;
/// How many descriptions a card lists.
const MAX_DESCRIPTIONS: usize = 5;
/// How many derived entities the consistency note compares with, at most.
const MAX_COMPARED: usize = 50_000;

/// What the workspace says of one derived entity.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub key: Arc<str>,
    pub name: String,
    pub kind: DerivedKind,
    /// Each description with the language of its article, in path order.
    pub descriptions: Vec<(String, Option<Lang>)>,
    /// Each spelling with the language of its article, full names first.
    pub spellings: Vec<(String, Option<Lang>)>,
}

/// Gathers the introductions of `key`: this document's (from its snapshot, the
/// freshest) and the other articles' (from the corpus).
pub fn gather(ctx: &Ctx<'_>, key: &str) -> Option<Gathered> {
    let own_path = ctx.snap.path.as_deref();
    let own = ctx
        .snap
        .analysis
        .introduced
        .iter()
        .filter(|i| &*i.key == key)
        .map(|i| {
            (
                i.name.clone(),
                i.kind,
                i.description.clone(),
                i.spellings.clone(),
                i.lang,
            )
        });
    let others = ctx
        .corpus
        .introductions_of(key)
        .filter(|(p, _)| Some(&***p) != own_path)
        .map(|(_, i)| {
            (
                i.name.clone(),
                i.kind,
                i.description.clone(),
                i.spellings.clone(),
                i.lang,
            )
        });
    let mut g: Option<Gathered> = None;
    for (name, kind, description, spellings, lang) in own.chain(others) {
        let g = g.get_or_insert_with(|| Gathered {
            key: Arc::from(key),
            name: name.clone(),
            kind,
            descriptions: Vec::new(),
            spellings: Vec::new(),
        });
        if let Some(d) = description
            && !g.descriptions.iter().any(|(x, _)| *x == d)
        {
            g.descriptions.push((d, lang));
        }
        for s in spellings {
            if !g.spellings.iter().any(|(x, _)| *x == s) {
                g.spellings.push((s, lang));
            }
        }
    }
    g
}

/// The hover card of the derived entity `key`, in the document's language.
pub fn card(ctx: &Ctx<'_>, key: &str, lang: Lang) -> Option<String> {
    let g = gather(ctx, key)?;
    let mut out = format!("### {}\n\n*{}* · ", escape(&g.name), g.kind.label(lang));
    out.push_str(match lang {
        Lang::Fr => "**absent de la base de connaissances** (d’après les articles)",
        Lang::En => "**not in the knowledge base** (from the articles)",
    });
    if !g.descriptions.is_empty() {
        out.push('\n');
        for (d, _) in g.descriptions.iter().take(MAX_DESCRIPTIONS) {
            out.push_str("\n- ");
            out.push_str(&escape(d));
        }
    }
    let names: Vec<String> = g.spellings.iter().map(|(s, _)| escape(s)).collect();
    out.push_str(match lang {
        Lang::Fr => "\n\n**Graphies rencontrées :** ",
        Lang::En => "\n\n**Spellings met:** ",
    });
    out.push_str(&names.join(", "));
    let stats = ctx.corpus.entity_stats(key, TOP_ARTICLES);
    // The open document may not be in the corpus yet (a buffer with no path).
    let own = ctx
        .snap
        .analysis
        .derived
        .iter()
        .filter(|m| &*m.entity == key)
        .count();
    let (articles, mentions) = if stats.articles == 0 {
        (usize::from(own > 0), own)
    } else {
        (stats.articles, stats.mentions)
    };
    out.push_str("\n\n");
    out.push_str(&mentioned_in(articles, mentions, lang));
    let titles: Vec<String> = stats.top.iter().map(|(p, t)| title(p, t)).collect();
    if !titles.is_empty() {
        out.push_str(": ");
        out.push_str(&titles.join(", "));
    }
    for (name, description, path, t) in similar(ctx, &g) {
        let _ = path;
        let d = description
            .map(|d| format!(" ({})", escape(&d)))
            .unwrap_or_default();
        out.push_str(&match lang {
            Lang::Fr => format!(
                "\n\n*Note :* même personne que **{}**{d}, dans {} ? Deux graphies d’un même nom ; à harmoniser.",
                escape(&name),
                t
            ),
            Lang::En => format!(
                "\n\n*Note:* the same person as **{}**{d}, in {}? Two spellings of one name; consider one.",
                escape(&name),
                t
            ),
        });
    }
    Some(out)
}

/// An article as a card names it: its title in italics, else its file name.
fn title(path: &Path, title: &Option<String>) -> String {
    match title {
        Some(t) => format!("*{}*", escape(t)),
        None => format!(
            "`{}`",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        ),
    }
}

/// The first letters of each longer word of a description, for comparing roles across
/// languages (« analyste militaire » and "military analyst" share `analy` and `milit`).
fn stems(s: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// Other derived entities that may be the same person written another way: a name
/// close by transliteration ([`same_person`]) and a description sharing a word.
/// Returns the name, its description, and the article (path and title) that
/// introduces it.
pub fn similar(ctx: &Ctx<'_>, g: &Gathered) -> Vec<(String, Option<String>, Arc<Path>, String)> {
    if g.kind != DerivedKind::Person {
        return Vec::new();
    }
    let mine: Vec<String> = g.descriptions.iter().flat_map(|(d, _)| stems(d)).collect();
    if mine.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for key in ctx.corpus.derived_keys().take(MAX_COMPARED) {
        if **key == *g.key {
            continue;
        }
        let Some((path, intro)) = ctx.corpus.introductions_of(key).next() else {
            continue;
        };
        if intro.kind != DerivedKind::Person || !same_person(&g.name, &intro.name) {
            continue;
        }
        let shares = intro
            .description
            .as_deref()
            .is_some_and(|d| stems(d).iter().any(|s| mine.contains(s)));
        if shares {
            let t = title(path, &ctx.corpus.get(path).and_then(|s| s.title.clone()));
            out.push((
                intro.name.clone(),
                intro.description.clone(),
                Arc::clone(path),
                t,
            ));
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2));
    out
}

/// Where the derived entity `key` is introduced: in this document if it is, else in
/// the first article (path order) that introduces it.
pub fn location(ctx: &Ctx<'_>, key: &str) -> Option<Location> {
    if let Some(i) = ctx.snap.analysis.introduced.iter().find(|i| &*i.key == key) {
        return Some(Location::new(
            ctx.snap.uri.clone(),
            ctx.range(i.range.clone()),
        ));
    }
    let own_path = ctx.snap.path.as_deref();
    let (path, intro) = ctx
        .corpus
        .introductions_of(key)
        .find(|(p, _)| Some(&***p) != own_path)?;
    let uri = ctx.uris.uri(path)?;
    Some(Location::new(uri, ctx.site_range(&intro.site)))
}

/// The `[[entity]]` table that adds `g` to a knowledge base: its kind, its name, its
/// description in each language (the one an article in that language gives, else any
/// other, else a plain sentence), and the spellings met as aliases per language,
/// leaving out `taken` forms (another entity's: a collision is an error).
pub fn kb_entry(id: &str, g: &Gathered, taken: impl Fn(&str) -> bool) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let pick = |lang: Lang| -> String {
        g.descriptions
            .iter()
            .find(|(_, l)| *l == Some(lang))
            .or_else(|| g.descriptions.first())
            .map(|(d, _)| d.clone())
            .unwrap_or_else(|| match (g.kind, lang) {
                (DerivedKind::Person, Lang::Fr) => "Personne citée dans les articles.".into(),
                (DerivedKind::Person, Lang::En) => "A person named in the articles.".into(),
                (DerivedKind::Organisation, Lang::Fr) => {
                    "Organisation citée dans les articles.".into()
                }
                (DerivedKind::Organisation, Lang::En) => {
                    "An organisation named in the articles.".into()
                }
            })
    };
    let mut out = format!(
        "[[entity]]\nid = \"{id}\"\nkind = \"{}\"\nname = {{ en = {n}, fr = {n} }}\ndescription = {{ en = {}, fr = {} }}\n",
        g.kind.as_str(),
        q(&pick(Lang::En)),
        q(&pick(Lang::Fr)),
        n = q(&g.name),
    );
    let mut aliases: Vec<(&str, Vec<String>)> = Vec::new();
    for (s, lang) in &g.spellings {
        if *s == g.name || taken(s) {
            continue;
        }
        let code = lang.unwrap_or(Lang::En).code();
        match aliases.iter_mut().find(|(c, _)| *c == code) {
            Some((_, v)) => v.push(q(s)),
            None => aliases.push((code, vec![q(s)])),
        }
    }
    if !aliases.is_empty() {
        let parts: Vec<String> = aliases
            .iter()
            .map(|(c, v)| format!("{c} = [{}]", v.join(", ")))
            .collect();
        out.push_str(&format!("aliases = {{ {} }}\n", parts.join(", ")));
    }
    out
}

/// The quick fix "add to the knowledge base" on a derived mention at `offset`.
pub fn add_to_kb(ctx: &Ctx<'_>, offset: usize, kb_file: &KnowledgeFile) -> Option<CodeAction> {
    let m = crate::lsp::hover::mention_at(&ctx.snap.analysis.derived, offset)?;
    let g = gather(ctx, &m.entity)?;
    let existing = kb_file.text.as_deref().unwrap_or("");
    let kb = ctx.ws.kb();
    let base = slug(&g.name);
    let id_taken = |id: &str| kb.get(id).is_some() || existing.contains(&format!("id = \"{id}\""));
    let id = std::iter::once(base.clone())
        .chain((2..100).map(|n| format!("{base}-{n}")))
        .find(|id| !id_taken(id))?;
    // A form the knowledge base already gives another entity would collide.
    let taken = |s: &str| kb.find(s).iter().any(|f| f.range.len() == s.len());
    let entry = kb_entry(&id, &g, taken);
    let edit = match &kb_file.text {
        Some(existing) => {
            let index = LineIndex::new(existing);
            let end = LineMap::new(existing, &index, ctx.encoding).position(existing.len());
            let sep = if existing.is_empty() || existing.ends_with("\n\n") {
                ""
            } else if existing.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            WorkspaceEdit {
                changes: Some(HashMap::from([(
                    kb_file.uri.clone(),
                    vec![TextEdit::new(
                        LspRange::new(end, end),
                        format!("{sep}{entry}"),
                    )],
                )])),
                ..WorkspaceEdit::default()
            }
        }
        None => crate::lsp::code_action::create_with(&kb_file.uri, entry),
    };
    Some(CodeAction {
        title: match ctx.lang() {
            Lang::Fr => format!("Ajouter « {} » à la base de connaissances", g.name),
            Lang::En => format!("Add \"{}\" to the knowledge base", g.name),
        },
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(edit),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// Workspace symbols for the derived entities whose name contains `needle` (folded),
/// each at its first introduction (path order), sorted by name.
pub fn workspace_symbols(
    corpus: &Corpus,
    needle: &str,
    fold: impl Fn(&str) -> String,
    encoding: Encoding,
    uris: &dyn UriResolver,
    limit: usize,
) -> Vec<WorkspaceSymbol> {
    let mut found: Vec<(String, DerivedKind, Arc<Path>, Site)> = Vec::new();
    for key in corpus.derived_keys() {
        let Some((path, intro)) = corpus.introductions_of(key).next() else {
            continue;
        };
        if needle.is_empty() || fold(&intro.name).contains(needle) {
            found.push((intro.name.clone(), intro.kind, Arc::clone(path), intro.site));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
    found
        .into_iter()
        .take(limit)
        .filter_map(|(name, kind, path, site)| {
            let uri = uris.uri(&path)?;
            let range = LspRange::new(
                site_position(site.start, encoding),
                site_position(site.end, encoding),
            );
            Some(WorkspaceSymbol {
                name,
                kind: match kind {
                    DerivedKind::Person => SymbolKind::CONSTANT,
                    DerivedKind::Organisation => SymbolKind::STRUCT,
                },
                tags: None,
                container_name: Some("not in the knowledge base".to_string()),
                location: OneOf::Left(Location::new(uri, range)),
                data: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::context::fixture::Fixture;
    use std::path::PathBuf;
    use tower_lsp_server::ls_types::Position;

    const FR: &str = "---\nlang: fr\n---\n# Front\n\nTigran Hakobian, analyste militaire au Centre d'études régionales, reste prudent.\n\nHako$0bian a ajouté que le front était calme.\n";
    const EN: &str = "---\nlang: en\n---\n# Talks\n\nTigran Hakobian, a military analyst, was cautious. Hakobian said little.\n";
    const OTHER: &str = "---\nlang: en\n---\n# Border\n\nTigran Akopyan, a military analyst in Yerevan, disagreed.\n";

    fn hover(f: &Fixture) -> String {
        crate::lsp::hover::find(&f.ctx(), f.cursor)
            .map(|h| match h.contents {
                tower_lsp_server::ls_types::HoverContents::Markup(m) => m.value,
                _ => String::new(),
            })
            .unwrap_or_default()
    }

    #[test]
    fn the_card_gathers_the_corpus() {
        let f = Fixture::new(FR, &[("en.md", EN), ("other.md", OTHER)]);
        let card = hover(&f);
        assert!(card.starts_with("### Tigran Hakobian"), "{card}");
        assert!(
            card.contains("absent de la base de connaissances"),
            "{card}"
        );
        assert!(
            card.contains(
                "- analyste militaire au Centre d'études régionales\n- a military analyst"
            ),
            "{card}"
        );
        assert!(card.contains("Tigran Hakobian, Hakobian"), "{card}");
        assert!(card.contains("Cité dans 2 articles (4 fois)"), "{card}");
        // The consistency note names the other spelling, as a note.
        assert!(
            card.contains("*Note :* même personne que **Tigran Akopyan**"),
            "{card}"
        );
    }

    #[test]
    fn definition_goes_to_the_introduction() {
        let f = Fixture::new(FR, &[("en.md", EN)]);
        let loc = location(&f.ctx(), "~tigran-hakobian").expect("a location");
        assert!(loc.uri.as_str().ends_with("/w/current.md"));
        assert_eq!(loc.range.start, Position::new(5, 0));
        let f = Fixture::new("# T\n\nNothing $0here.\n", &[("en.md", EN)]);
        let loc = location(&f.ctx(), "~tigran-hakobian").expect("a location");
        assert!(loc.uri.as_str().ends_with("/w/en.md"), "{loc:?}");
        assert_eq!(loc.range.start, Position::new(5, 0));
    }

    #[test]
    fn workspace_symbols_list_derived_entities() {
        let f = Fixture::new("# T\n\nNothing here.\n", &[("en.md", EN)]);
        let found = crate::lsp::symbols::workspace(
            f.ws.kb(),
            &f.corpus,
            "hakob",
            Encoding::Utf16,
            &crate::lsp::context::FileUris,
        );
        let s = found
            .iter()
            .find(|s| s.name == "Tigran Hakobian")
            .unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(
            s.container_name.as_deref(),
            Some("not in the knowledge base")
        );
        assert_eq!(s.kind, SymbolKind::CONSTANT);
    }

    #[test]
    fn the_entry_is_valid_knowledge() {
        let f = Fixture::new(FR, &[("en.md", EN)]);
        let g = gather(&f.ctx(), "~tigran-hakobian").expect("gathered");
        let entry = kb_entry("tigran-hakobian", &g, |_| false);
        let (kb, errors) = crate::kb::Kb::load_texts(
            false,
            &[(PathBuf::from("/w/knowledge/new.toml"), entry.clone())],
        );
        assert!(errors.is_empty(), "{errors:?}\n{entry}");
        let e = kb.get("tigran-hakobian").expect("the entity");
        assert_eq!(e.kind.as_str(), "person");
        assert_eq!(
            e.description(Lang::Fr),
            "analyste militaire au Centre d'études régionales"
        );
        assert_eq!(e.description(Lang::En), "a military analyst");
        assert!(
            entry.contains("aliases = { fr = [\"Hakobian\"] }"),
            "{entry}"
        );
    }
}
