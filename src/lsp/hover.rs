//! Hover: a card for the entity, finding or quotation under the cursor.
//!
//! - On an entity mention (any alias, either language): the canonical name in the
//!   document's language first, kind, description, facts with their dates, other
//!   names, relations, and how often the corpus mentions it, with a few titles.
//! - On a flagged cue: the rule, what is wrong, how to fix it, a link to its page.
//! - On a person or organisation the knowledge base does not list: the card the
//!   workspace's articles give it (see [`crate::lsp::derived`]).
//! - On a quotation: who is quoted, or that no speaker was found.
//!
//! When several apply (a house-spelling finding on a mention), the cards are stacked:
//! findings first, since they are what the writer has to act on.

use crate::analysis::{How, Mention, Quote, SpeakerKind};
use crate::kb::model::Entity;
use crate::lang::Lang;
use crate::lsp::context::Ctx;
use crate::rules::Finding;
use std::fmt::Write;
use std::ops::Range;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

/// How many article titles an entity card lists.
const TOP_ARTICLES: usize = 3;
/// How many other names an entity card lists.
const MAX_NAMES: usize = 12;

/// The hover at `pos`, if anything is there.
pub fn find(ctx: &Ctx<'_>, pos: Position) -> Option<Hover> {
    let offset = ctx.offset(pos);
    let analysis = &ctx.snap.analysis;
    let lang = ctx.lang();
    let mut sections = Vec::new();
    let mut range: Option<Range<usize>> = None;
    let mut narrow = |r: &Range<usize>| {
        range = Some(match range.take() {
            Some(old) if old.len() <= r.len() => old,
            _ => r.clone(),
        });
    };

    for f in analysis
        .findings
        .iter()
        .filter(|f| covers(&f.range, offset))
    {
        sections.push(finding_card(f, lang));
        narrow(&f.range);
    }
    let mention = mention_at(&analysis.mentions, offset);
    if let Some(m) = mention {
        if let Some(entity) = ctx.ws.kb().get(&m.entity) {
            sections.push(entity_card(ctx, entity, lang));
            narrow(&m.range);
        }
    }
    let derived = mention
        .is_none()
        .then(|| mention_at(&analysis.derived, offset))
        .flatten();
    if let Some(m) = derived {
        if let Some(card) = crate::lsp::derived::card(ctx, &m.entity, lang) {
            sections.push(card);
            narrow(&m.range);
        }
    }
    if mention.is_none() && derived.is_none() {
        if let Some((i, q)) = analysis
            .quotes
            .iter()
            .enumerate()
            .find(|(_, q)| covers(&q.range, offset))
        {
            // The description the article gives of the person, wherever it gives it
            // (« Anna Kirakosian, maire de Vardenis, » before a quotation tagged « elle »).
            let roster = crate::lsp::sources::roster(ctx);
            let description = roster
                .source_of_quote(i)
                .and_then(|s| s.description.clone())
                .or_else(|| q.description.clone());
            sections.push(quote_card(q, description.as_deref(), lang));
            narrow(&q.range);
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|r| ctx.range(r)),
    })
}

/// Whether the cursor at `offset` is on `range` (a cursor right after the last
/// character still counts, as editors place it there after a double-click).
pub fn covers(range: &Range<usize>, offset: usize) -> bool {
    range.start <= offset && offset <= range.end
}

/// The mention under the cursor; the innermost when mentions nest.
pub fn mention_at(mentions: &[Mention], offset: usize) -> Option<&Mention> {
    mentions
        .iter()
        .filter(|m| covers(&m.range, offset))
        .min_by_key(|m| m.range.len())
}

fn finding_card(f: &Finding, lang: Lang) -> String {
    let how = match lang {
        Lang::Fr => "Correction",
        Lang::En => "How to fix",
    };
    let doc = match lang {
        Lang::Fr => "Documentation de la règle",
        Lang::En => "Rule documentation",
    };
    format!(
        "**{code}** · {severity}\n\n{message}\n\n*{how}:* {help}\n\n{summary} [{doc}]({url})",
        code = f.rule.code(),
        severity = f.severity.label(lang),
        message = escape(&f.message),
        help = escape(&f.help),
        summary = escape(f.rule.summary_in(lang)),
        url = f.rule.doc_url(),
    )
}

fn quote_card(q: &Quote, description: Option<&str>, lang: Lang) -> String {
    let Some(name) = q.speaker_name() else {
        return match (q.how, lang) {
            (Some(how), Lang::Fr) => format!(
                "Citation attribuée ({}), sans locuteur nommé.",
                how_words(how, lang)
            ),
            (Some(how), Lang::En) => format!(
                "Attributed quotation ({}); the speaker is not named.",
                how_words(how, lang)
            ),
            (None, Lang::Fr) => "Aucun locuteur trouvé pour cette citation.".to_string(),
            (None, Lang::En) => "No speaker found for this quotation.".to_string(),
        };
    };
    let mut out = match lang {
        Lang::Fr => format!("Citation {}", french_of(name)),
        Lang::En => format!("Quotation from **{}**", escape(name)),
    };
    // How the person was found: the words near the quotation, when they are not the name.
    let written = q.speaker.as_deref().unwrap_or(name);
    let written = if q.speaker_kind == Some(SpeakerKind::Pronoun) {
        crate::analysis::roster::pronoun_word(written)
    } else {
        written
    };
    let resolved_how = match (q.resolved.is_some(), q.speaker_kind, lang) {
        (true, Some(SpeakerKind::Pronoun), Lang::Fr) => Some(format!(
            "désigné par « {} », nommé plus haut",
            escape(written)
        )),
        (true, Some(SpeakerKind::Pronoun), Lang::En) => Some(format!(
            "\u{201c}{}\u{201d}, named earlier",
            escape(written)
        )),
        (true, _, Lang::Fr) if written != name => Some(format!(
            "désigné par « {} », nom complet donné plus haut",
            escape(written)
        )),
        (true, _, Lang::En) if written != name => Some(format!(
            "\u{201c}{}\u{201d}, full name given earlier",
            escape(written)
        )),
        (false, Some(SpeakerKind::Pronoun), Lang::Fr) => {
            Some("personne nommée avant introuvable".to_string())
        }
        (false, Some(SpeakerKind::Pronoun), Lang::En) => Some("no one named before it".to_string()),
        _ => None,
    };
    let mut parts: Vec<String> = resolved_how.into_iter().collect();
    if let Some(how) = q.how {
        parts.push(how_words(how, lang).to_string());
    }
    if !parts.is_empty() {
        let _ = write!(out, " — {}", parts.join(" · "));
    }
    if let Some(d) = description {
        let _ = write!(out, "\n\n*{}*", escape(d));
    }
    out
}

/// « de », « d' », « du » or « des » and the name in bold: « Citation d'**un proche** »,
/// « Citation du **maire** », « Citation de **Nikol Pachinian** ».
fn french_of(name: &str) -> String {
    let lower = name.to_lowercase();
    for (article, contracted) in [("le ", "du"), ("les ", "des")] {
        if lower.starts_with(article) {
            return format!("{contracted} **{}**", escape(&name[article.len()..]));
        }
    }
    match lower.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'é' | 'è' | 'ê' | 'â' | 'î' | 'ô' | 'h') => {
            format!("d\u{2019}**{}**", escape(name))
        }
        _ => format!("de **{}**", escape(name)),
    }
}

/// How a quotation was attributed, in words.
fn how_words(how: How, lang: Lang) -> &'static str {
    match (how, lang) {
        (How::Tag, Lang::Fr) => "incise après la citation",
        (How::Tag, Lang::En) => "tag after the quotation",
        (How::Intro, Lang::Fr) => "introduite dans la phrase",
        (How::Intro, Lang::En) => "introduced in its sentence",
        (How::Incise, Lang::Fr) => "incise dans la citation",
        (How::Incise, Lang::En) => "tag inside the quotation",
        (How::AttributionLine, Lang::Fr) => "ligne d\u{2019}attribution",
        (How::AttributionLine, Lang::En) => "attribution line",
        (How::Interview, Lang::Fr) => "réponse d\u{2019}entretien",
        (How::Interview, Lang::En) => "interview answer",
        (How::PreviousSentence, Lang::Fr) => "suite de la phrase précédente",
        (How::PreviousSentence, Lang::En) => "continues the previous sentence",
        (How::PreviousParagraph, Lang::Fr) => "suite du paragraphe précédent",
        (How::PreviousParagraph, Lang::En) => "continues the previous paragraph",
        (How::FollowingSentence, Lang::Fr) => "présenté dans la phrase suivante",
        (How::FollowingSentence, Lang::En) => "introduced in the next sentence",
        (How::MultiParagraph, Lang::Fr) => "citation sur plusieurs paragraphes",
        (How::MultiParagraph, Lang::En) => "quotation over several paragraphs",
        (How::Source, Lang::Fr) => "lien ou note",
        (How::Source, Lang::En) => "link or footnote",
    }
}

/// The entity card, in the document's language.
pub fn entity_card(ctx: &Ctx<'_>, e: &Entity, lang: Lang) -> String {
    let other = match lang {
        Lang::Fr => Lang::En,
        Lang::En => Lang::Fr,
    };
    let mut out = String::new();
    let name = e.name(lang);
    let acronym = e.acronyms.get(lang.code()).and_then(|a| a.first());
    let _ = match acronym {
        Some(a) if a != name => write!(out, "### {} ({})", escape(name), escape(a)),
        _ => write!(out, "### {}", escape(name)),
    };
    let _ = write!(out, "\n\n*{}*", e.kind.label(lang));
    if e.name(other) != name {
        let _ = write!(out, " · {}", escape(e.name(other)));
    }
    let _ = write!(out, "\n\n{}", escape(e.description(lang)));

    if !e.facts.is_empty() {
        out.push('\n');
        for fact in &e.facts {
            let _ = write!(out, "\n- {}", escape(fact.text(lang)));
            if let Some(date) = &fact.as_of {
                let label = match lang {
                    Lang::Fr => "au",
                    Lang::En => "as of",
                };
                let _ = write!(out, " *({label} {date})*");
            }
        }
    }

    let names = other_names(e, lang);
    if !names.is_empty() {
        let label = match lang {
            Lang::Fr => "Autres noms",
            Lang::En => "Also known as",
        };
        let _ = write!(out, "\n\n**{label}:** {}", names.join(", "));
    }
    for rel in &e.related {
        let targets: Vec<String> = rel
            .ids
            .iter()
            .map(|id| match ctx.ws.kb().get(id) {
                Some(t) => escape(t.name(lang)),
                None => format!("`{id}`"),
            })
            .collect();
        if !targets.is_empty() {
            let _ = write!(
                out,
                "\n\n**{}:** {}",
                capitalise(rel.label(lang)),
                targets.join(", ")
            );
        }
    }

    let stats = ctx.corpus.entity_stats(&e.id, TOP_ARTICLES);
    let _ = write!(
        out,
        "\n\n{}",
        mentioned_in(stats.articles, stats.mentions, lang)
    );
    let titles: Vec<String> = stats
        .top
        .iter()
        .map(|(path, title)| match title {
            Some(t) => format!("*{}*", escape(t)),
            None => format!(
                "`{}`",
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                )
            ),
        })
        .collect();
    if !titles.is_empty() {
        let _ = write!(out, ": {}", titles.join(", "));
    }
    out
}

/// "mentioned in 3 articles (5 times)", singular and plural, in either language.
pub fn mentioned_in(articles: usize, mentions: usize, lang: Lang) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    match lang {
        Lang::Fr => format!(
            "Cité dans {articles} article{} ({mentions} fois)",
            s(articles)
        ),
        Lang::En => format!(
            "Mentioned in {articles} article{} ({mentions} time{})",
            s(articles),
            s(mentions)
        ),
    }
}

/// Aliases, acronyms and house spellings, without the names already in the title.
fn other_names(e: &Entity, lang: Lang) -> Vec<String> {
    let shown = [e.name(Lang::Fr), e.name(Lang::En)];
    let own = lang.code();
    let aliases_own = e.aliases.get(own).into_iter().flatten();
    let aliases_rest = e
        .aliases
        .iter()
        .filter(|(code, _)| code.as_str() != own)
        .flat_map(|(_, v)| v.iter());
    let house = e.house_spelling(lang).iter().map(|h| &h.preferred);
    let mut out: Vec<String> = Vec::new();
    for name in e
        .acronyms_for(lang)
        .map(str::to_string)
        .chain(house.cloned())
        .chain(aliases_own.cloned())
        .chain(aliases_rest.cloned())
    {
        let escaped = escape(&name);
        if !shown.contains(&name.as_str()) && !out.contains(&escaped) {
            out.push(escaped);
        }
        if out.len() == MAX_NAMES {
            break;
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Escapes the Markdown characters that would change how a name or message renders.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_pluralised_in_both_languages() {
        assert_eq!(
            mentioned_in(1, 1, Lang::En),
            "Mentioned in 1 article (1 time)"
        );
        assert_eq!(
            mentioned_in(3, 5, Lang::En),
            "Mentioned in 3 articles (5 times)"
        );
        assert_eq!(
            mentioned_in(2, 4, Lang::Fr),
            "Cité dans 2 articles (4 fois)"
        );
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(escape("a*b_[c]"), "a\\*b\\_\\[c\\]");
        assert_eq!(escape("« OTSC »"), "« OTSC »");
    }

    #[test]
    fn the_cursor_after_a_word_still_covers_it() {
        assert!(covers(&(2..6), 2));
        assert!(covers(&(2..6), 6));
        assert!(!covers(&(2..6), 7));
    }

    use crate::lsp::context::fixture::Fixture;

    fn hover_text(fixture: &Fixture) -> Option<String> {
        find(&fixture.ctx(), fixture.cursor).map(|h| match h.contents {
            HoverContents::Markup(m) => m.value,
            _ => String::new(),
        })
    }

    #[test]
    fn entity_card_in_the_document_language_with_corpus_counts() {
        let other = "# Other\n\nThe CSTO met. The CSTO did not answer.\n";
        let f = Fixture::new(
            "---\nlang: fr\n---\n\nL'Arménie a quitté l'OT$0SC hier soir.\n",
            &[("other.md", other)],
        );
        let card = hover_text(&f).expect("a card");
        // The acronym finding comes first, then the entity card.
        assert!(card.starts_with("**style/acronym-first-use**"), "{card}");
        assert!(
            card.contains("---\n\n### Organisation du traité de sécurité collective (OTSC)"),
            "{card}"
        );
        assert!(
            card.contains("*organisation* · Collective Security Treaty Organization"),
            "{card}"
        );
        assert!(
            card.contains("- L'Arménie a gelé sa participation. *(au 2024-02)*"),
            "{card}"
        );
        assert!(card.contains("**Autres noms:** OTSC, CSTO"), "{card}");
        assert!(
            card.contains("Cité dans 2 articles (3 fois): *Other*"),
            "{card}"
        );
        let hover = find(&f.ctx(), f.cursor).expect("hover");
        assert_eq!(
            hover.range.map(|r| (r.start.character, r.end.character)),
            Some((21, 25))
        );
    }

    #[test]
    fn findings_and_quotes_have_their_cards() {
        let f = Fixture::new(
            "---\nlang: fr\n---\n\nLe ministre aur$0ait démissionné.\n",
            &[],
        );
        let card = hover_text(&f).expect("a card");
        assert!(
            card.starts_with("**attribution/hearsay** · avertissement"),
            "{card}"
        );
        // The card is in the article's language, summary included.
        assert!(card.contains("conditionnel journalistique"), "{card}");
        assert!(card.contains("docs/rules/hearsay.md"), "{card}");
        let f = Fixture::new("# T\n\n\"We will $0not yield.\"\n", &[]);
        let card = hover_text(&f).expect("a card");
        assert!(
            card.contains("No speaker found for this quotation."),
            "{card}"
        );
        // A pronoun's quotation names the person, and says how.
        let f = Fixture::new(
            "---\nlang: fr\n---\n\nNikol Pachinian a reçu les journalistes. « Nous ne signerons $0rien », a-t-il déclaré.\n",
            &[],
        );
        let card = hover_text(&f).expect("a card");
        assert!(
            card.contains("Citation de **Nikol Pachinian** — désigné par « il », nommé plus haut"),
            "{card}"
        );
        let f = Fixture::new(
            "---\nlang: en\n---\n\nJane Doe met reporters. \"We will $0stay,\" she said.\n",
            &[],
        );
        let card = hover_text(&f).expect("a card");
        assert!(
            card.contains("Quotation from **Jane Doe** — \u{201c}she\u{201d}, named earlier"),
            "{card}"
        );
        let f = Fixture::new(
            "---\nlang: fr\n---\n\n« Le village est $0vide », glisse un proche du maire.\n",
            &[],
        );
        let card = hover_text(&f).expect("a card");
        assert!(
            card.contains("Citation d\u{2019}**un proche du maire**"),
            "{card}"
        );
        let f = Fixture::new("# T\n\nNothing $0here.\n", &[]);
        assert_eq!(hover_text(&f), None);
    }
}
