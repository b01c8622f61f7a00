//! Find references: every mention of the entity under the cursor, in every article of
//! the workspace, whatever the alias or language (« OTSC » in a French draft finds
//! "CSTO" in an English one, since both are the entity `csto`).
//!
//! The mentions come from the corpus index, where open buffers take precedence over
//! the disk; the current document's own mentions come from its snapshot, which is
//! always the freshest. `includeDeclaration` adds the knowledge-base entry. People and
//! organisations the knowledge base does not list are found the same way, by their
//! derived key, surname-only mentions included; their declaration is the introducing
//! mention.

use crate::lsp::context::Ctx;
use crate::lsp::hover::mention_at;
use std::collections::HashMap;
use std::path::Path;
use tower_lsp_server::ls_types::{Location, Position, Uri};

/// Every reference to the entity mentioned at `pos`, or `None` when no entity is there.
pub fn find(ctx: &Ctx<'_>, pos: Position, include_declaration: bool) -> Option<Vec<Location>> {
    let offset = ctx.offset(pos);
    let a = &ctx.snap.analysis;
    let (entity_id, own) = match mention_at(&a.mentions, offset) {
        Some(m) => (&m.entity, &a.mentions),
        None => (&mention_at(&a.derived, offset)?.entity, &a.derived),
    };
    let mut out = Vec::new();
    if include_declaration && entity_id.starts_with(crate::analysis::people::KEY_PREFIX) {
        out.extend(crate::lsp::derived::location(ctx, entity_id));
    } else if include_declaration {
        if let Some(loc) = ctx
            .ws
            .kb()
            .get(entity_id)
            .and_then(|e| ctx.entity_location(e))
        {
            out.push(loc);
        }
    }
    // The current document first, from its snapshot.
    out.extend(
        own.iter()
            .filter(|m| m.entity == *entity_id)
            .map(|m| Location::new(ctx.snap.uri.clone(), ctx.range(m.range.clone()))),
    );
    let own_path = ctx.snap.path.as_deref();
    // One URI per file, not per mention: building a URI costs more than the rest.
    let mut uris: HashMap<&Path, Option<Uri>> = HashMap::new();
    for (path, m) in ctx.corpus.mentions_of(entity_id) {
        if Some(&**path) == own_path {
            continue;
        }
        let uri = uris.entry(path).or_insert_with(|| ctx.uris.uri(path));
        if let Some(uri) = uri {
            out.push(Location::new(uri.clone(), ctx.site_range(&m.site)));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::lsp::context::fixture::Fixture;

    #[test]
    fn references_cross_languages_and_files() {
        let others = [
            (
                "en.md",
                "# E\n\nThe CSTO met. Armenia left the Collective Security Treaty Organization.\n",
            ),
            ("none.md", "# N\n\nArmenia only.\n"),
        ];
        let f = Fixture::new("---\nlang: fr\n---\n\nL'O$0TSC se tait.\n", &others);
        let refs = find(&f.ctx(), f.cursor, false).expect("references");
        let files: Vec<&str> = refs
            .iter()
            .map(|l| l.uri.as_str().rsplit('/').next().unwrap_or(""))
            .collect();
        assert_eq!(files, ["current.md", "en.md", "en.md"]);
        assert_eq!(refs[0].range.start, Position::new(4, 2));
        let with_declaration = find(&f.ctx(), f.cursor, true).expect("references");
        assert_eq!(with_declaration.len(), 4);
        assert!(with_declaration[0].uri.as_str().ends_with("test.toml"));
        let f = Fixture::new("# T\n\nNo$0thing.\n", &others);
        assert_eq!(find(&f.ctx(), f.cursor, true), None);
    }
}
