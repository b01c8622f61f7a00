//! The verbs of saying and opinion of each sentence, found once and shared.
//!
//! The quotation tags, the subjects, the anonymous sources and the sourcing of claims
//! all ask "is there a verb of saying here?" about small windows of a sentence. Asking
//! the regex each time costs a search per window; instead, one pass of the language's
//! [`VerbSet`](super::lexicon::VerbSet) over the sentence, made the first time it is
//! asked about, gives sorted match lists that every later question reads by binary
//! search. Sentences nobody asks about are never searched.

use super::lexicon::{LangLexicon, Lexicons, VerbKind};
use super::markdown::Document;
use super::sentences::Sentence;
use crate::lang::Lang;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

/// The verbs of one paragraph, as byte ranges of its prose, sorted.
#[derive(Debug, Default, Clone)]
pub struct BlockVerbs {
    /// Every verb of saying or opinion, fixed expressions that start with a determiner
    /// or a preposition left out (« le communiqué », "in a statement" are no verbs).
    pub all: Vec<Range<usize>>,
    /// The verbs that can make a claim's source: strong reporting verbs, verbs of
    /// opinion, and the noun homographs that are verbs right after a subject ("lawyers
    /// estimate"). Expressions left out as in `all`.
    pub claims: Vec<Range<usize>>,
    /// The strong reporting verbs and verbs of opinion, expressions included: what names
    /// a source for a claim in its sentence (« dans un communiqué », "said").
    pub strict: Vec<Range<usize>>,
}

impl BlockVerbs {
    /// One pass of the verb set over a paragraph's lower-cased prose.
    pub fn find(lower: &str, lex: &LangLexicon) -> BlockVerbs {
        let mut out = BlockVerbs::default();
        let found = lex.verbs.find_lowered(lower);
        let ranges: Vec<Range<usize>> = found.iter().map(|(r, _)| r.clone()).collect();
        // A match right after a determiner is a noun (« l'accusé », "the state").
        let kept = lex.verbs_only(lower, ranges);
        let mut kinds = found.iter().peekable();
        for r in kept {
            let kind = loop {
                match kinds.next() {
                    Some((fr, k)) if fr.start == r.start => break *k,
                    Some(_) => continue,
                    None => break VerbKind::Report,
                }
            };
            let expression = starts_with_function_word(&lower[r.clone()], lex);
            if kind == VerbKind::Claim {
                out.strict.push(r.clone());
            }
            if expression {
                continue;
            }
            if matches!(kind, VerbKind::Claim | VerbKind::ClaimAfterSubject) {
                out.claims.push(r.clone());
            }
            out.all.push(r);
        }
        out
    }
}

/// Whether a match is a fixed expression that starts with a determiner, a preposition or
/// a source marker rather than a verb (« le communiqué », « selon », "according to").
fn starts_with_function_word(m: &str, lex: &LangLexicon) -> bool {
    let first = m
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .next()
        .unwrap_or("");
    let p = &lex.people;
    p.definite.contains(first)
        || p.indefinite.contains(first)
        || p.possessive.contains(first)
        || p.prepositions.contains(first)
        || p.of.contains(first)
        || matches!(
            first,
            "selon" | "according" | "d'après" | "d’après" | "cité" | "citée" | "cités" | "citées"
        )
}

/// The verb lists of a document's sentences, each made on first use.
///
/// Every question is about a sentence or a few neighbouring ones (a quotation's tag, a
/// subject, a source and its verb), so a list is made per sentence: sentences nobody
/// asks about — most of them — are never searched.
pub struct Verbs<'d> {
    doc: &'d Document,
    lexicons: &'d Lexicons,
    sentences: &'d [Sentence],
    default: Lang,
    cells: Vec<OnceCell<BlockVerbs>>,
}

impl<'d> Verbs<'d> {
    /// The lists for `doc`, whose sentences carry their language.
    pub fn new(
        doc: &'d Document,
        sentences: &'d [Sentence],
        doc_lang: Option<Lang>,
        lexicons: &'d Lexicons,
    ) -> Verbs<'d> {
        Verbs {
            doc,
            lexicons,
            sentences,
            default: doc_lang.unwrap_or(Lang::En),
            cells: (0..sentences.len()).map(|_| OnceCell::new()).collect(),
        }
    }

    /// The verbs of sentence `i` of the document, with block-relative ranges.
    fn sentence(&self, i: usize) -> &BlockVerbs {
        static EMPTY: BlockVerbs = BlockVerbs {
            all: Vec::new(),
            claims: Vec::new(),
            strict: Vec::new(),
        };
        let (Some(cell), Some(s)) = (self.cells.get(i), self.sentences.get(i)) else {
            return &EMPTY;
        };
        let Some(block) = self.doc.blocks.get(s.block) else {
            return &EMPTY;
        };
        cell.get_or_init(|| {
            let lex = self.lexicons.get(s.lang.unwrap_or(self.default));
            let Some(lower) = block.lower.get(s.range.clone()) else {
                return BlockVerbs::default();
            };
            // Most sentences hold no verb of saying: a screen of the verbs' first letters
            // tells them without running the regex.
            if !lex.verbs.may_match(lower) {
                return BlockVerbs::default();
            }
            let mut v = BlockVerbs::find(lower, lex);
            for list in [&mut v.all, &mut v.claims, &mut v.strict] {
                for r in list.iter_mut() {
                    *r = r.start + s.range.start..r.end + s.range.start;
                }
            }
            v
        })
    }

    /// The verbs of the sentences of block `b` that `range` (block-relative) touches.
    /// One sentence's lists are lent; several sentences' are joined.
    pub fn around(&self, b: usize, range: &Range<usize>) -> Cow<'_, BlockVerbs> {
        let first = self
            .sentences
            .partition_point(|s| (s.block, s.range.end) <= (b, range.start));
        let last = self
            .sentences
            .partition_point(|s| (s.block, s.range.start) < (b, range.end.max(range.start + 1)));
        let touched = first..last.max(first);
        match touched.len() {
            0 => Cow::Owned(BlockVerbs::default()),
            1 => Cow::Borrowed(self.sentence(touched.start)),
            _ => {
                let mut joined = BlockVerbs::default();
                for i in touched {
                    let v = self.sentence(i);
                    joined.all.extend(v.all.iter().cloned());
                    joined.claims.extend(v.claims.iter().cloned());
                    joined.strict.extend(v.strict.iter().cloned());
                }
                Cow::Owned(joined)
            }
        }
    }
}

/// Whether `pos` falls inside one of `ranges` (sorted, not overlapping).
pub fn covers(ranges: &[Range<usize>], pos: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= pos);
    ranges.get(i).is_some_and(|r| r.start <= pos)
}

/// The first of `ranges` (sorted) that starts inside `window`.
pub fn first_in(ranges: &[Range<usize>], window: &Range<usize>) -> Option<Range<usize>> {
    let i = ranges.partition_point(|r| r.start < window.start);
    ranges.get(i).filter(|r| r.start < window.end).cloned()
}

/// The last of `ranges` (sorted) that lies inside `window`.
pub fn last_in(ranges: &[Range<usize>], window: &Range<usize>) -> Option<Range<usize>> {
    let i = ranges.partition_point(|r| r.end <= window.end);
    ranges[..i]
        .last()
        .filter(|r| r.start >= window.start)
        .cloned()
}

/// The ranges of `ranges` (sorted) that lie inside `window`.
pub fn within<'r>(ranges: &'r [Range<usize>], window: &Range<usize>) -> &'r [Range<usize>] {
    let from = ranges.partition_point(|r| r.start < window.start);
    let to = ranges.partition_point(|r| r.start < window.end);
    &ranges[from..to.max(from)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_queries() {
        let r = vec![2..5, 8..10, 20..25];
        assert!(covers(&r, 3) && covers(&r, 8) && !covers(&r, 5) && !covers(&r, 0));
        assert_eq!(first_in(&r, &(4..30)), Some(8..10));
        assert_eq!(first_in(&r, &(11..20)), None);
        assert_eq!(last_in(&r, &(0..24)), Some(8..10));
        assert_eq!(within(&r, &(5..21)), &[8..10, 20..25][..]);
    }
}
