//! The matcher: every form of every entity in one Aho-Corasick automaton, run
//! leftmost-longest over the normalised text (see [`super::normalize`]).
//!
//! The normalised text has a space on each side of every word and punctuation mark,
//! and each pattern is a form's key between two spaces (` haut karabakh `), so the
//! automaton only ever reports whole words: word boundaries cost nothing at match
//! time. Consecutive mentions share the space between them, so the search resumes on
//! the last space of a match. Punctuation that no pattern contains (`«`, `;`, `…`) is
//! normalised to a plain space for the search, which leaves word boundaries as they
//! are and gives the automaton fewer bytes to read.
//!
//! What the automaton cannot know is case, checked per candidate on the original
//! text. Acronyms are case-sensitive (`UN` the organisation, not `un` the article).
//! Other forms ignore case with one exception: a word the form capitalises must not
//! be written in lower case (`Le Monde` the newspaper, not `le monde` the world;
//! `Paris`, not `les paris`, bets), while capitals are always fine (`ARMÉNIE` in a
//! headline, `Arméniens` for the demonym `arménien`). A rejected candidate may hide a
//! shorter valid one at the same place, so the matcher then retries anchored at that
//! place with a shorter limit, and otherwise resumes one byte further.
//!
//! Forms are deduplicated by their folded key: one pattern may be claimed by several
//! entities only as case-sensitive forms with different capitals. Any other overlap is
//! a collision, reported by [`MatcherBuilder::add`] and resolved in favour of the
//! entity added last (workspace entities are added after built-in ones).

use super::KbMatch;
use super::normalize::{self, Normalized, PunctSet};
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use std::collections::HashMap;
use std::ops::Range;

/// One entity's claim on a pattern.
#[derive(Debug, Clone)]
struct Claim {
    entity: u32,
    case: Case,
}

/// What the capitals of the original text must be for a claim to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Case {
    /// Any capitalisation, except that word `i` of the text must not start with a
    /// lower-case letter when bit `i` is set: the form writes that word with a capital
    /// (`Le Monde`, `Paris`, `Turkey`), and the same words in lower case are common
    /// words (`le monde`, `les paris`, `turkey`). Text in capitals always passes.
    Words(u64),
    /// Exactly this cased key: an acronym (`UN`, not `un`).
    Exact(Box<str>),
}

impl Case {
    fn of(form: &str, case_sensitive: bool) -> Case {
        if case_sensitive {
            return Case::Exact(normalize::cased_key(form).into_boxed_str());
        }
        let mut mask = 0u64;
        for (i, c) in normalize::word_initials(form).take(64).enumerate() {
            if c.is_uppercase() {
                mask |= 1 << i;
            }
        }
        Case::Words(mask)
    }

    /// Whether `self` accepts every text that `other` accepts.
    fn covers(&self, other: &Case) -> bool {
        match (self, other) {
            (Case::Words(a), Case::Words(b)) => a & b == *a,
            // An acronym is written in capitals, which every word mask accepts.
            (Case::Words(_), Case::Exact(_)) => true,
            (Case::Exact(a), Case::Exact(b)) => a == b,
            (Case::Exact(_), Case::Words(_)) => false,
        }
    }

    /// Whether two claims can accept the same text.
    fn overlaps(&self, other: &Case) -> bool {
        match (self, other) {
            (Case::Exact(a), Case::Exact(b)) => a == b,
            _ => true,
        }
    }
}

/// Why a form could not be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddError {
    /// The form has nothing to match once normalised (only spaces or invisible
    /// characters).
    Empty,
    /// Another entity already claims this form; the new claim wins.
    Collision { other: usize },
}

/// Collects forms, then compiles them into a [`Matcher`].
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    keys: HashMap<String, usize>,
    /// Each pattern's key and its claims, the preferred claim first.
    patterns: Vec<(String, Vec<Claim>)>,
}

impl MatcherBuilder {
    /// Adds `form` as a name of entity `entity`; `case_sensitive` for acronyms.
    pub fn add(&mut self, entity: usize, form: &str, case_sensitive: bool) -> Result<(), AddError> {
        let key = normalize::key(form);
        if key.is_empty() {
            return Err(AddError::Empty);
        }
        let claim = Claim {
            entity: entity as u32,
            case: Case::of(form, case_sensitive),
        };
        let index = match self.keys.get(&key) {
            Some(&i) => i,
            None => {
                self.patterns.push((key.clone(), Vec::new()));
                self.keys.insert(key, self.patterns.len() - 1);
                self.patterns.len() - 1
            }
        };
        let claims = &mut self.patterns[index].1;
        // The same entity claiming a form twice (a name that is also an alias, an
        // acronym that is also written as a name): keep the most permissive claims.
        let own = claims
            .iter()
            .any(|c| c.entity == claim.entity && c.case.covers(&claim.case));
        if own {
            return Ok(());
        }
        claims.retain(|c| c.entity != claim.entity || !claim.case.covers(&c.case));
        let clash = claims
            .iter()
            .find(|c| c.entity != claim.entity && c.case.overlaps(&claim.case));
        let result = match clash {
            Some(c) => Err(AddError::Collision {
                other: c.entity as usize,
            }),
            None => Ok(()),
        };
        // The newest claim goes first, so that it wins where two overlap.
        claims.insert(0, claim);
        result
    }

    /// Compiles the automaton.
    pub fn build(self) -> Matcher {
        if self.patterns.is_empty() {
            return Matcher::default();
        }
        let spaced: Vec<String> = self
            .patterns
            .iter()
            .map(|(key, _)| format!(" {key} "))
            .collect();
        // Every pattern, in a contiguous NFA: it builds in a few milliseconds into a
        // few hundred kilobytes. No prefilter: every pattern starts with a space, and
        // a prefilter that stops at every space is slower than the automaton. No byte
        // classes: the table grows a little and each byte saves a lookup.
        let nfa = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .prefilter(false)
            .byte_classes(false)
            .build(&spaced);
        let Ok(nfa) = nfa else {
            // The automaton only fails to build past its size limits, far beyond any
            // knowledge base; matching nothing is better than failing to start.
            return Matcher::default();
        };
        // The patterns in ASCII (almost all of them once accents are gone), in a DFA
        // as well: twice as fast to search, and small enough (a few megabytes, a few
        // milliseconds to build) because scripts other than Latin stay out of its
        // alphabet. A text whose normal form is ASCII, which is nearly every French or
        // English paragraph, cannot match any other pattern, so the DFA alone finds
        // all its candidates.
        let ascii: Vec<u32> = (0..spaced.len() as u32)
            .filter(|&i| spaced[i as usize].is_ascii())
            .collect();
        let dfa = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Unanchored)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(false)
            .build(ascii.iter().map(|&i| &spaced[i as usize]))
            .ok()
            .map(|dfa| AsciiDfa { dfa, ids: ascii });
        Matcher {
            ac: Some(nfa),
            dfa,
            punct: PunctSet::of_keys(self.patterns.iter().map(|(key, _)| key.as_str())),
            claims: self.patterns.into_iter().map(|(_, c)| c).collect(),
        }
    }
}

/// The DFA over the ASCII patterns, and the pattern id of each of its patterns.
#[derive(Debug, Clone)]
struct AsciiDfa {
    dfa: AhoCorasick,
    ids: Vec<u32>,
}

/// The compiled matcher.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    /// Every pattern; also used for the anchored retries.
    ac: Option<AhoCorasick>,
    /// The ASCII patterns, for texts whose normal form is ASCII.
    dfa: Option<AsciiDfa>,
    /// The punctuation the patterns contain; the rest is a space to the automaton.
    punct: PunctSet,
    /// Claims of each pattern, by pattern id.
    claims: Vec<Vec<Claim>>,
}

/// Reusable buffers for [`Matcher::find`], so that matching many texts allocates
/// nothing once they have grown.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    norm: Normalized,
    cased_buf: Normalized,
    cased: String,
}

/// The buffers for checking an acronym's capitals, and the offset-map cursor.
struct CasedCheck<'a> {
    buf: &'a mut Normalized,
    out: &'a mut String,
    cursor: usize,
}

impl Matcher {
    /// Number of distinct patterns.
    pub fn pattern_count(&self) -> usize {
        self.claims.len()
    }

    /// Every match in `text`: byte range in `text` and entity index, sorted and
    /// non-overlapping.
    pub fn find(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<KbMatch>) {
        let Some(ac) = &self.ac else { return };
        let Scratch {
            norm,
            cased_buf,
            cased,
        } = scratch;
        norm.fold_keeping(text, &self.punct);
        let norm: &Normalized = norm;
        let mut cased = CasedCheck {
            buf: cased_buf,
            out: cased,
            cursor: 0,
        };
        let hay = norm.as_bytes();
        let len = hay.len();
        let dfa = self.dfa.as_ref().filter(|_| hay.is_ascii());
        let mut pos = 0;
        while pos < len {
            // The leftmost-longest candidate from `pos`, as (pattern id, span).
            let input = Input::new(hay).span(pos..len);
            let first = match dfa {
                Some(d) => d.dfa.try_find(input).ok().flatten().and_then(|m| {
                    let id = d.ids.get(m.pattern().as_usize())?;
                    Some((*id as usize, m.span()))
                }),
                None => ac
                    .try_find(input)
                    .ok()
                    .flatten()
                    .map(|m| (m.pattern().as_usize(), m.span())),
            };
            let Some((_, first_span)) = first else {
                break;
            };
            let start = first_span.start;
            let mut candidate = first;
            let mut found = None;
            while let Some((pattern, span)) = candidate {
                let claims = self.claims.get(pattern).map_or(&[][..], Vec::as_slice);
                if let Some(hit) = accept(text, norm, &mut cased, claims, span) {
                    found = Some((span.end, hit));
                    break;
                }
                // Retry anchored at `start` for the longest form ending before this one.
                candidate = if span.end > start + 3 {
                    let input = Input::new(hay)
                        .span(start..span.end - 1)
                        .anchored(Anchored::Yes);
                    ac.try_find(input)
                        .ok()
                        .flatten()
                        .map(|m| (m.pattern().as_usize(), m.span()))
                } else {
                    None
                };
            }
            match found {
                Some((end, (range, entity))) => {
                    out.push(KbMatch { range, entity });
                    // The trailing space may open the next match.
                    pos = end - 1;
                }
                None => pos = start + 1,
            }
        }
    }
}

/// Checks one candidate against its claims (the capitals of an acronym). Returns the
/// original range, without the spaces around the pattern, and the entity.
fn accept(
    text: &str,
    norm: &Normalized,
    cased: &mut CasedCheck<'_>,
    claims: &[Claim],
    span: aho_corasick::Span,
) -> Option<(Range<usize>, usize)> {
    let start = floor_boundary(
        text,
        norm.to_original_from(span.start + 1, &mut cased.cursor),
    );
    let end = ceil_boundary(text, norm.to_original_from(span.end - 1, &mut cased.cursor));
    let range = start..end.max(start);
    let surface = text.get(range.clone()).unwrap_or_default();
    let mut cased_ready = false;
    for claim in claims {
        let holds = match &claim.case {
            Case::Words(0) => true,
            Case::Words(mask) => normalize::word_initials(surface)
                .take(64)
                .enumerate()
                .all(|(i, c)| mask & (1 << i) == 0 || !c.is_lowercase()),
            Case::Exact(want) => {
                if !cased_ready {
                    normalize::cased_key_into(surface, cased.buf, cased.out);
                    cased_ready = true;
                }
                cased.out.as_str() == &**want
            }
        };
        if holds {
            return Some((range, claim.entity as usize));
        }
    }
    None
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
