//! Code lens: above the first heading (or the first line), a one-line summary of the
//! article: "N findings · M quoted sources · K entities". On by default; off with
//! `lsp.code_lens = false` in `copydesk.toml` or the editor's settings.
//!
//! A quoted source is a source of the roster with a quotation (one per person, through
//! pronouns and surnames); an entity is a distinct knowledge-base entry, whatever the
//! names it is mentioned by. The lens runs [`crate::lsp::sources::COMMAND`], which
//! opens the article's source roster.

use crate::lsp::context::Ctx;
use tower_lsp_server::ls_types::{CodeLens, Command, Position, Range};

/// The lens of the snapshot, unless lenses are turned off.
pub fn find(ctx: &Ctx<'_>) -> Vec<CodeLens> {
    if !ctx.ws.config().lsp.code_lens {
        return Vec::new();
    }
    let a = &ctx.snap.analysis;
    let line = a
        .headings
        .first()
        .map_or(0, |h| ctx.map().position(h.range.start).line);
    let at = Position::new(line, 0);
    vec![CodeLens {
        range: Range::new(at, at),
        command: Some(Command {
            title: summary(ctx),
            // The roster of the article: VS Code shows it in a preview; a client that
            // does not know the command sends it to the server, which answers it.
            command: crate::lsp::sources::COMMAND.to_string(),
            arguments: Some(vec![serde_json::Value::String(
                ctx.snap.uri.as_str().to_string(),
            )]),
        }),
        data: None,
    }]
}

/// "3 findings · 2 quoted sources · 4 entities".
pub fn summary(ctx: &Ctx<'_>) -> String {
    let a = &ctx.snap.analysis;
    // One source per person, however the article names them (« il », a surname).
    let quoted = crate::lsp::sources::roster(ctx).quoted_sources();
    let mut entities: Vec<&str> = a.mentions.iter().map(|m| &*m.entity).collect();
    entities.sort_unstable();
    entities.dedup();
    format!(
        "{} · {} · {}",
        count(a.findings.len(), "finding", "findings"),
        count(quoted, "quoted source", "quoted sources"),
        count(entities.len(), "entity", "entities"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::lsp::context::fixture::Fixture;

    #[test]
    fn lens_sits_above_the_first_heading() {
        let f = Fixture::new(
            "---\nlang: en\n---\n\n# Title\n\n\"No,\" Jane Doe said. \"Never,\" she said of the CSTO and Armenia. The CSTO reportedly folded.\n",
            &[],
        );
        let lenses = find(&f.ctx());
        assert_eq!(lenses.len(), 1);
        assert_eq!(lenses[0].range.start, Position::new(4, 0));
        let title = lenses[0]
            .command
            .as_ref()
            .map(|c| c.title.as_str())
            .unwrap_or("");
        assert!(title.ends_with("· 2 entities"), "{title}");
        assert!(title.contains("quoted source"), "{title}");
    }
}
