//! Go to definition: from an entity mention to its knowledge-base entry.
//!
//! A workspace entity opens its own file at its `[[entity]]` line. A built-in entity
//! opens a read-only copy of its built-in data file, written to a cache folder (see
//! [`crate::lsp::workspace::entity_location`]): the user always lands somewhere
//! readable, never on nothing. A person or organisation the knowledge base does not
//! list opens its introducing mention (see [`crate::lsp::derived::location`]).

use crate::lsp::context::Ctx;
use crate::lsp::hover::mention_at;
use tower_lsp_server::ls_types::{GotoDefinitionResponse, Position};

/// The definition of the entity mentioned at `pos`.
pub fn find(ctx: &Ctx<'_>, pos: Position) -> Option<GotoDefinitionResponse> {
    let offset = ctx.offset(pos);
    let Some(mention) = mention_at(&ctx.snap.analysis.mentions, offset) else {
        let derived = mention_at(&ctx.snap.analysis.derived, offset)?;
        return crate::lsp::derived::location(ctx, &derived.entity)
            .map(GotoDefinitionResponse::Scalar);
    };
    let entity = ctx.ws.kb().get(&mention.entity)?;
    ctx.entity_location(entity)
        .map(GotoDefinitionResponse::Scalar)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::lsp::context::fixture::Fixture;

    #[test]
    fn a_mention_leads_to_its_entry() {
        let f = Fixture::new("# T\n\nThe CS$0TO met in Moscow.\n", &[]);
        let Some(GotoDefinitionResponse::Scalar(loc)) = find(&f.ctx(), f.cursor) else {
            panic!("no definition");
        };
        assert!(
            loc.uri.as_str().ends_with("/w/knowledge/test.toml"),
            "{loc:?}"
        );
        // The fixture's TOML starts with a blank line: `[[entity]]` is on line 1.
        assert_eq!(loc.range.start, Position::new(1, 0));
        let f = Fixture::new("# T\n\nNo $0entity here.\n", &[]);
        assert_eq!(find(&f.ctx(), f.cursor), None);
    }
}
