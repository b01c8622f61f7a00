//! The four attribution rules of `ATTRIBUTION.md`: unattributed quotes, hearsay (the
//! French reportive conditional and English "reportedly"), agentless passive claims,
//! and vague sources.
//!
//! Precision comes first: every rule has exclusions for the uses a desk editor would
//! not send back, and a sentence that names a source (a reporting verb, « selon »,
//! a link or a defined footnote) — or follows one that does — is left alone by the
//! hearsay rule. Nothing inside a quotation or a heading is judged.

use super::SpeakerKind;
use super::lexicon::{LangLexicon, Lexicons};
use super::markdown::Document;
use super::quotes::QuoteSpan;
use super::sentences::Sentence;
use super::verbs::Verbs;
use crate::lang::Lang;
use crate::rules::{Finding, Rule};
use std::ops::Range;

/// One sentence prepared for the rules: its text, the quotations to mask, and whether
/// it names a source.
struct Prepared<'d> {
    block: usize,
    range: Range<usize>,
    text: &'d str,
    /// `text` lower-cased, same offsets.
    lower: &'d str,
    lang: Lang,
    /// Ranges (relative to `text`) inside quotations.
    masked: Vec<Range<usize>>,
    links: Vec<Range<usize>>,
    /// Footnote references (relative offsets) and whether they are defined.
    footnotes: Vec<(usize, bool)>,
}

impl Prepared<'_> {
    fn is_masked(&self, r: &Range<usize>) -> bool {
        self.masked
            .iter()
            .any(|m| m.start < r.end && r.start < m.end)
    }
    fn has_source_link_or_note(&self) -> bool {
        !self.links.is_empty() || self.footnotes.iter().any(|&(_, d)| d)
    }
}

/// Runs the attribution rules. Findings have the rule's default severity; the engine
/// applies the configured levels.
pub fn check(
    doc: &Document,
    sentences: &[Sentence],
    quotes: &[QuoteSpan],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    verbs: &Verbs,
) -> Vec<Finding> {
    let msg_lang = doc_lang.unwrap_or(Lang::En);
    let mut out = Vec::new();

    // A quotation left open at its paragraph's end that the next paragraph does not
    // carry on (no opening mark there, as the convention for quotes over several
    // paragraphs wants) has no known end: its words and its tag may be in the text that
    // follows, so it is not reported (precision first). Quotes are sorted by block.
    let carried_on = |block: usize| {
        let from = quotes.partition_point(|n| n.block <= block);
        quotes[from..]
            .iter()
            .take_while(|n| n.block == block + 1)
            .any(|n| n.continued)
    };
    for q in quotes {
        if q.depth == 0
            && q.full
            && q.standalone
            && !q.attributed
            && !q.continued
            && (!q.unclosed || carried_on(q.block))
        {
            let block = &doc.blocks[q.block];
            if block.is_heading() {
                continue;
            }
            let range = block.range_to_source(&q.range);
            // Sentences are sorted by block and start, and disjoint within a block:
            // the one holding the quote's start is found by binary search.
            let sentence = sentences
                .partition_point(|s| (s.block, s.range.start) <= (q.block, q.range.start))
                .checked_sub(1)
                .map(|i| &sentences[i])
                .filter(|s| s.block == q.block && q.range.start < s.range.end)
                .map_or(range.clone(), |s| s.source_range(doc));
            let content = block.text[q.content.clone()]
                .trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}');
            out.push(finding(
                Rule::UnattributedQuote,
                doc,
                q.block,
                &q.range,
                sentence,
                &excerpt(content),
                msg_lang,
            ));
        }
    }

    let prepared: Vec<Option<Prepared>> = sentences
        .iter()
        .zip(quotes_by_sentence(sentences, quotes))
        .map(|(s, overlapping)| prepare(doc, s, &overlapping, doc_lang))
        .collect();

    // First pass: every sentence's cues, so that a sentence's own cues never count as
    // the source of the next one (« aurait été informé » names nobody).
    let mut block_matches = PerBlock::default();
    let mut cues: Vec<Cues> = prepared
        .iter()
        .map(|p| match p {
            Some(p) => {
                let lex = lexicons.get(p.lang);
                let m =
                    block_matches.get(p, || BlockMatches::find(&doc.blocks[p.block].lower, lex));
                Cues::find(p, doc, lex, m, verbs)
            }
            None => Cues::default(),
        })
        .collect();
    // Second pass: the sources, only where a claim needs them. A sentence's sources
    // matter when it makes a claim, or when the next sentence's hearsay may lean on it;
    // most sentences make no claim, and the source matchers are the costliest.
    let mut block_sources = PerBlock::default();
    for i in 0..cues.len() {
        let Some(p) = &prepared[i] else { continue };
        let next_hearsay = cues.get(i + 1).is_some_and(|c| !c.hearsay.is_empty());
        if cues[i].hearsay.is_empty() && cues[i].passive.is_empty() && !next_hearsay {
            continue;
        }
        let lex = lexicons.get(p.lang);
        let sources =
            block_sources.get(p, || BlockMatches::sources(&doc.blocks[p.block].lower, lex));
        // The verbs of saying and of opinion: « le maire dénonce une situation qui aurait
        // empiré » is the mayor's claim, not the writer's hearsay.
        let lower = &doc.blocks[p.block].lower;
        let mut found: Vec<Range<usize>> = verbs
            .around(p.block, &p.range)
            .strict
            .iter()
            .filter(|r| finite(lower, r, lex))
            .cloned()
            .collect();
        found.extend(sources.iter().cloned());
        found.sort_by_key(|r| r.start);
        cues[i].sources = local_to(p, &found);
    }
    // A vague source sources its own sentence (« Selon des sources, il aurait fui » is
    // one vague-source finding, not two), but does not carry over to the next one.
    let sourced: Vec<bool> = prepared
        .iter()
        .zip(&cues)
        .map(|(p, c)| {
            p.as_ref()
                .is_some_and(|p| is_sourced(p, &c.sources, &c.claims()))
        })
        .collect();
    let named: Vec<bool> = prepared
        .iter()
        .zip(&cues)
        .map(|(p, c)| {
            p.as_ref()
                .is_some_and(|p| is_sourced(p, &c.sources, &c.all()))
        })
        .collect();

    let mut introduced: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut anon_quotes = quotes
        .iter()
        .filter(|q| {
            // Only a speaker named in the quotation's own tag: a subject read from a
            // sentence before or around it (« On pouvait les repérer. ») is no source.
            q.depth == 0
                && matches!(q.how, Some(super::How::Tag | super::How::Incise))
                && q.speaker.as_ref().is_some_and(|s| {
                    matches!(
                        s.kind,
                        SpeakerKind::Anonymous | SpeakerKind::AnonymousInstitutional
                    )
                })
        })
        .peekable();
    for (i, p) in prepared.iter().enumerate() {
        let Some(p) = p else { continue };
        let lex = lexicons.get(p.lang);
        let own = &cues[i];
        let prev = i
            .checked_sub(1)
            .and_then(|j| prepared.get(j).map(|o| (j, o)))
            .and_then(|(j, o)| o.as_ref().map(|o| (j, o)))
            .filter(|(_, prev)| {
                prev.block == p.block || doc.blocks[prev.block].kind == doc.blocks[p.block].kind
            });
        let sourced_here = sourced[i];

        if !own.hearsay.is_empty() && !sourced_here {
            // The sentence before sources this one only with a named source: a vague
            // one (« des experts estiment ») does not carry over.
            let sourced_before = prev.is_some_and(|(j, _)| named[j]);
            if !sourced_before {
                for cue in merge(own.hearsay.clone()) {
                    out.push(sentence_finding(Rule::Hearsay, doc, p, &cue, msg_lang));
                }
            }
        }

        // An accusation in the words of a judicial procedure is the prosecution's.
        let judicial = || lex.judicial.is_match(p.lower);
        if !sourced_here && !own.passive.is_empty() && !judicial() {
            for cue in merge(own.passive.clone()) {
                if !has_agent(p.text, cue.end, lex) {
                    out.push(sentence_finding(Rule::PassiveClaim, doc, p, &cue, msg_lang));
                }
            }
        }

        let institutional: Vec<Range<usize>> = own
            .vague
            .iter()
            .filter(|(_, inst, _)| *inst)
            .map(|(r, ..)| r.clone())
            .collect();
        let cues: Vec<Range<usize>> = own.vague.iter().map(|(r, ..)| r.clone()).collect();
        for cue in merge_adjacent(p.text, cues) {
            // A source is vague at its introduction only: the same source later on
            // (« Officials said … officials say ») is not flagged again.
            let keys: Vec<&String> = own
                .vague
                .iter()
                .filter(|(r, ..)| cue.start <= r.start && r.end <= cue.end)
                .map(|(.., k)| k)
                .collect();
            let fresh = keys.iter().any(|k| !introduced.contains(k.as_str()));
            for k in keys {
                introduced.insert(k.clone());
            }
            if !fresh {
                continue;
            }
            let mut f = sentence_finding(Rule::VagueSource, doc, p, &cue, msg_lang);
            if institutional
                .iter()
                .any(|r| cue.start <= r.start && r.end <= cue.end)
            {
                f.severity = f.severity.softer();
            }
            out.push(f);
        }
        // The anonymous speakers of quotations (« « … », glisse un proche »), when the
        // structure above did not already find them.
        while let Some(q) = anon_quotes.peek() {
            let Some(sp) = &q.speaker else {
                anon_quotes.next();
                continue;
            };
            if sp.block != p.block || sp.range.start >= p.range.end {
                if (sp.block, sp.range.start) < (p.block, p.range.start) {
                    anon_quotes.next();
                    continue;
                }
                break;
            }
            anon_quotes.next();
            if sp.range.start < p.range.start {
                continue;
            }
            let cue = sp.range.start - p.range.start..sp.range.end - p.range.start;
            let covered = out.iter().rev().take(4).any(|f| {
                let r = doc.blocks[p.block].range_to_source(&sp.range);
                f.rule == Rule::VagueSource && f.range.start < r.end && r.start < f.range.end
            });
            if covered || p.is_masked(&cue) || !introduced.insert(source_key(&sp.text, lex)) {
                continue;
            }
            let mut f = sentence_finding(Rule::VagueSource, doc, p, &cue, msg_lang);
            if sp.kind == SpeakerKind::AnonymousInstitutional {
                f.severity = f.severity.softer();
            }
            out.push(f);
        }
    }
    out
}

/// Whether a number or a percentage stands right before `at`: « 65 % des personnes
/// interrogées pensent » gives a poll's figures, not a vague source.
fn after_figure(text: &str, at: usize) -> bool {
    let before = text[..at]
        .trim_end_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}');
    before.ends_with('%')
        || before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
}

/// The words of a source that tell it from another, for telling its later mentions
/// from its introduction: lower case, without determiners and auxiliaries, plurals
/// folded ("officials" and "an official" are one source).
fn source_key(s: &str, lex: &LangLexicon) -> String {
    let lower = s.to_lowercase().replace('’', "'");
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let p = &lex.people;
    words
        .iter()
        .filter(|w| {
            !(p.definite.contains(w)
                || p.indefinite.contains(w)
                || p.possessive.contains(w)
                || p.quantifiers.contains(w)
                || p.auxiliaries.contains(w))
        })
        .map(|w| w.trim_end_matches(['s', 'x']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a link or a defined footnote stands on a cue: the source is given there.
fn noted(p: &Prepared, cue: &Range<usize>) -> bool {
    p.links
        .iter()
        .any(|l| l.start <= cue.end + 2 && l.end + 2 >= cue.start)
        || p.footnotes
            .iter()
            .any(|&(at, d)| d && at >= cue.start && at <= cue.end + 2)
}

/// Every lexicon match of one block, found with one pass of each matcher over the whole
/// block rather than one per sentence: the analysis runs on every keystroke, and the
/// per-call cost of a large regex dominates on short sentences.
struct BlockMatches {
    hearsay: Vec<Range<usize>>,
    passive: Vec<Range<usize>>,
    vague: Vec<Range<usize>>,
}

impl BlockMatches {
    /// The matches in a block's lower-cased text.
    fn find(lower: &str, lex: &LangLexicon) -> BlockMatches {
        let mut passive = lex.passive.find_lowered(lower);
        lex.passive_impersonal.find_all_lower(lower, &mut passive);
        BlockMatches {
            hearsay: lex.hearsay.find_lowered(lower),
            passive,
            vague: lex.vague.find_lowered(lower),
        }
    }

    /// The source markers of a block (« selon », "according to"): with the verbs of its
    /// sentences, what names a source for their claims.
    fn sources(lower: &str, lex: &LangLexicon) -> Vec<Range<usize>> {
        let mut sources = Vec::new();
        lex.source_markers.find_all_lower(lower, &mut sources);
        sources
    }
}

/// Whether a verb match names a source by itself: not a passive (« a été critiquée »,
/// "was criticised") or a French participle used as an adjective (« le plus redouté »,
/// « un projet jugé trop faible »).
fn finite(lower: &str, r: &Range<usize>, lex: &LangLexicon) -> bool {
    let before = lower[..r.start].trim_end();
    let prev = before
        .rsplit(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .next()
        .unwrap_or("");
    let passive = matches!(
        prev,
        "été"
            | "est"
            | "sont"
            | "était"
            | "étaient"
            | "être"
            | "is"
            | "are"
            | "was"
            | "were"
            | "been"
            | "be"
            | "being"
    );
    let verb = &lower[r.clone()];
    let participle = lex.lang == Lang::Fr
        && !verb.contains(' ')
        && ["é", "ée", "és", "ées"].iter().any(|e| verb.ends_with(e))
        && !lex.people.auxiliaries.contains(prev);
    !(passive || participle)
}

/// A value computed once per block and language, for the sentences of that block: the
/// sentences come in block order, so only the last block's value is kept.
struct PerBlock<T> {
    last: Option<(usize, Lang, T)>,
}

impl<T> Default for PerBlock<T> {
    fn default() -> Self {
        PerBlock { last: None }
    }
}

impl<T> PerBlock<T> {
    /// The value for `p`'s block and language, computed by `compute` when it changes.
    fn get(&mut self, p: &Prepared, compute: impl FnOnce() -> T) -> &T {
        if !matches!(&self.last, Some((b, l, _)) if *b == p.block && *l == p.lang) {
            self.last = None;
        }
        let (_, _, value) = self
            .last
            .get_or_insert_with(|| (p.block, p.lang, compute()));
        value
    }
}

/// The block matches inside one sentence and outside its quotations, relative to the
/// sentence.
fn local_to(p: &Prepared, v: &[Range<usize>]) -> Vec<Range<usize>> {
    v.iter()
        .filter(|r| r.start >= p.range.start && r.end <= p.range.end)
        .map(|r| r.start - p.range.start..r.end - p.range.start)
        .filter(|r| !p.is_masked(r))
        .collect()
}

/// The cues of the rules in one sentence, outside quotations.
#[derive(Default)]
struct Cues {
    hearsay: Vec<Range<usize>>,
    passive: Vec<Range<usize>>,
    /// Vague sources that are not identified by a name or a note, with whether they are
    /// tied to an institution (one step less severe) and the words that tell the source
    /// from another (its phrase without determiner: "officials", « un proche » →
    /// « proche »), for flagging it at its introduction only.
    vague: Vec<(Range<usize>, bool, String)>,
    /// Strong reporting verbs and source markers: candidate sources of the claims. Found
    /// only for a sentence with a claim, or before one with hearsay (see `check`).
    sources: Vec<Range<usize>>,
}

impl Cues {
    fn find(
        p: &Prepared,
        doc: &Document,
        lex: &LangLexicon,
        block: &BlockMatches,
        verbs: &Verbs,
    ) -> Cues {
        let mut hearsay = match p.lang {
            Lang::Fr => french_conditionals(p, lex),
            Lang::En => Vec::new(),
        };
        hearsay.extend(local_to(p, &block.hearsay));
        let passive = local_to(p, &block.passive);
        // The lexicon's vague phrases, unless a name, an institution or a note
        // identifies them; then the anonymous sources found by structure, which an
        // institution only softens.
        let mut vague: Vec<(Range<usize>, bool, String)> = local_to(p, &block.vague)
            .into_iter()
            .filter(|r| !identified(p, r, lex) && !after_figure(p.text, r.start))
            .map(|r| {
                let key = source_key(&p.text[r.clone()], lex);
                (r, false, key)
            })
            .collect();
        // The words that can head an anonymous source, sentence by sentence.
        let b = &doc.blocks[p.block];
        let triggers: Vec<Range<usize>> = lex
            .people
            .triggers
            .find(&b.lower[p.range.clone()])
            .into_iter()
            .map(|r| r.start + p.range.start..r.end + p.range.start)
            .collect();
        if !triggers.is_empty() {
            let masked: Vec<Range<usize>> = if p.masked.is_empty() {
                Vec::new()
            } else {
                p.masked
                    .iter()
                    .map(|m| m.start + p.range.start..m.end + p.range.start)
                    .collect()
            };
            for v in super::anonymous::find(
                lex,
                &b.text,
                &b.lower,
                &p.range,
                &triggers,
                &masked,
                &|| verbs.around(p.block, &p.range),
            ) {
                let cue = v.cue.start - p.range.start..v.cue.end - p.range.start;
                if noted(p, &cue) {
                    continue;
                }
                let key = source_key(&b.text[v.phrase.clone()], lex);
                match vague
                    .iter_mut()
                    .find(|(r, ..)| r.start < cue.end && cue.start < r.end)
                {
                    // The structure confirms a lexicon phrase: keep the longer cue, and
                    // let an institution soften it.
                    Some((r, inst, k)) => {
                        r.start = r.start.min(cue.start);
                        r.end = r.end.max(cue.end);
                        *inst = v.institutional;
                        *k = key;
                    }
                    None => vague.push((cue, v.institutional, key)),
                }
            }
        }
        Cues {
            hearsay,
            passive,
            vague,
            sources: Vec::new(),
        }
    }

    /// The cues of the claims themselves (not the sources).
    fn claims(&self) -> Vec<Range<usize>> {
        self.hearsay.iter().chain(&self.passive).cloned().collect()
    }

    fn all(&self) -> Vec<Range<usize>> {
        self.hearsay
            .iter()
            .chain(&self.passive)
            .chain(self.vague.iter().map(|(r, ..)| r))
            .cloned()
            .collect()
    }
}

/// Whether a cue is a clause that only says the source is anonymous (« qui a requis
/// l’anonymat », "who asked not to be named"): it belongs to the source before it.
fn is_anonymity_clause(cue: &str) -> bool {
    let lower = cue.trim_start().to_lowercase();
    [
        "qui ",
        "ayant ",
        "sous ",
        "who ",
        "speaking ",
        "on condition",
        "on the condition",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Merges vague-source cues separated only by punctuation and spaces: « Selon un élu,
/// qui a requis l’anonymat » is one source, introduced once.
fn merge_adjacent(text: &str, mut cues: Vec<Range<usize>>) -> Vec<Range<usize>> {
    cues.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for c in cues {
        match out.last_mut() {
            Some(last)
                if c.start <= last.end
                    || text[last.end..c.start]
                        .chars()
                        .all(|ch| !ch.is_alphanumeric())
                    || (is_anonymity_clause(&text[c.clone()])
                        && !text[last.end..c.start].contains(['.', ';', ':'])) =>
            {
                last.end = last.end.max(c.end)
            }
            _ => out.push(c),
        }
    }
    out
}

/// The quotations overlapping each sentence, in document order. Sentences and quotes
/// are both sorted by block and start, so one sweep over the two lists finds them,
/// instead of every sentence reading every quotation of the document. A quotation
/// stays in the sweep's `open` list only while it overlaps the current sentence, and
/// only a few quotations (one per nesting level) can hold any one point.
fn quotes_by_sentence<'q>(
    sentences: &[Sentence],
    quotes: &'q [QuoteSpan],
) -> Vec<Vec<&'q QuoteSpan>> {
    let mut out = Vec::with_capacity(sentences.len());
    let mut next = 0;
    let mut open: Vec<&QuoteSpan> = Vec::new();
    for s in sentences {
        open.retain(|q| q.block == s.block && q.range.end > s.range.start);
        while let Some(q) = quotes.get(next) {
            if (q.block, q.range.start) >= (s.block, s.range.end) {
                break;
            }
            next += 1;
            if q.block == s.block && q.range.end > s.range.start {
                open.push(q);
            }
        }
        out.push(open.clone());
    }
    out
}

fn prepare<'d>(
    doc: &'d Document,
    s: &Sentence,
    quotes: &[&QuoteSpan],
    doc_lang: Option<Lang>,
) -> Option<Prepared<'d>> {
    let block = &doc.blocks[s.block];
    if block.is_heading() {
        return None;
    }
    let lang = s.lang.or(doc_lang)?;
    let text = &block.text[s.range.clone()];
    let rel = |r: &Range<usize>| -> Option<Range<usize>> {
        let start = r.start.max(s.range.start);
        let end = r.end.min(s.range.end);
        (start < end).then(|| start - s.range.start..end - s.range.start)
    };
    let masked = quotes.iter().filter_map(|q| rel(&q.range)).collect();
    // Links (which do not nest) and footnotes are sorted: the sentence's own are found
    // by binary search, not by reading the block's whole lists for every sentence.
    let first_link = block.links.partition_point(|l| l.end <= s.range.start);
    let links = block.links[first_link..]
        .iter()
        .take_while(|l| l.start < s.range.end)
        .filter_map(rel)
        .collect();
    let first_note = block
        .footnotes
        .partition_point(|&(at, _)| at <= s.range.start);
    let footnotes = block.footnotes[first_note..]
        .iter()
        .take_while(|&&(at, _)| at <= s.range.end + 1)
        .map(|&(at, d)| (at.saturating_sub(s.range.start), d))
        .collect();
    Some(Prepared {
        block: s.block,
        range: s.range.clone(),
        text,
        lower: &block.lower[s.range.clone()],
        lang,
        masked,
        links,
        footnotes,
    })
}

/// Whether the sentence names a source: a reporting verb or source marker outside any
/// quotation and not part of a rule's own cue, a link, or a defined footnote.
fn is_sourced(p: &Prepared, sources: &[Range<usize>], cues: &[Range<usize>]) -> bool {
    if p.has_source_link_or_note() {
        return true;
    }
    sources
        .iter()
        .any(|r| !p.is_masked(r) && !cues.iter().any(|c| c.start < r.end && r.start < c.end))
}

/// Whether an agent follows a passive cue: « accusé par l’opposition », "criticised by
/// unions". Set phrases such as « par le passé » or "by far" do not count.
fn has_agent(text: &str, from: usize, lex: &LangLexicon) -> bool {
    const NOT_AGENTS: &[&str] = &[
        "par le passé",
        "par ailleurs",
        "par exemple",
        "par conséquent",
        "par moments",
        "par endroits",
        "par erreur",
        "par la suite",
        "par principe",
        "par définition",
        "by then",
        "by the time",
        "by far",
        "by now",
        "by contrast",
        "by comparison",
        "by default",
        "by mistake",
    ];
    let rest = &text[from.min(text.len())..];
    let lower = rest.to_lowercase();
    // The agent must follow closely, before another participle takes over the clause:
    // « soupçonnée d’avoir retardé des livraisons payées par l’Arménie » has none.
    for (n, w) in words(&lower).iter().enumerate() {
        if n >= 7 {
            break;
        }
        if lex.agent_markers.iter().any(|m| m == w.text) {
            return !NOT_AGENTS
                .iter()
                .any(|na| lower[w.range.start..].starts_with(na));
        }
        let participle = match lex.lang {
            Lang::Fr => ["é", "ée", "és", "ées"].iter().any(|e| w.text.ends_with(e)),
            Lang::En => w.text.ends_with("ed") && w.text.len() > 4,
        };
        if participle && n > 0 {
            return false;
        }
    }
    false
}

/// Whether a vague source is in fact identified: by an institution right after it
/// (« un responsable du ministère »), a capitalised name before it ("Pentagon
/// officials"), or a link or footnote on it (« des experts\[^2\] »).
fn identified(p: &Prepared, cue: &Range<usize>, lex: &LangLexicon) -> bool {
    // A source the writer says is anonymous stays vague whatever it is attached to.
    let cue_lower = p.text[cue.clone()].to_lowercase();
    if [
        "anonymat",
        "anonymity",
        "not to be named",
        "not to be identified",
        "to be named",
    ]
    .iter()
    .any(|a| cue_lower.contains(a))
    {
        return false;
    }
    if p.links
        .iter()
        .any(|l| l.start <= cue.end + 2 && l.end + 2 >= cue.start)
    {
        return true;
    }
    if p.footnotes
        .iter()
        .any(|&(at, d)| d && at >= cue.start && at <= cue.end + 2)
    {
        return true;
    }
    // A footnote right after the source noun, before the verb: « des experts[^2] estiment ».
    if p.footnotes
        .iter()
        .any(|&(at, d)| d && at > cue.start && at < cue.end)
    {
        return true;
    }
    let after = p.text[cue.end..].trim_start();
    let lower_after = after.to_lowercase();
    const LINKS: &[&str] = &[
        "du ",
        "de la ",
        "de l'",
        "de l’",
        "des ",
        "au sein du ",
        "au sein de ",
        "auprès du ",
        "of the ",
        "at the ",
        "from the ",
        "in the ",
        "with the ",
    ];
    for l in LINKS {
        if let Some(rest) = lower_after.strip_prefix(l) {
            let orig = &after[after.len() - rest.len()..];
            if orig.chars().next().is_some_and(char::is_uppercase)
                || lex
                    .institutions
                    .find_all(rest)
                    .first()
                    .is_some_and(|r| r.start == 0)
            {
                return true;
            }
        }
    }
    // A name or an institution inside the source's own words, after its first word:
    // « des responsables du ministère de l’Intérieur ont indiqué ».
    let inner = &p.text[cue.clone()];
    if let Some((_, rest)) = inner.split_once(char::is_whitespace) {
        let named = rest.split_whitespace().any(|w| {
            let w = ["l'", "l’", "d'", "d’"]
                .iter()
                .find_map(|e| w.strip_prefix(e))
                .unwrap_or(w);
            w.chars().next().is_some_and(char::is_uppercase)
        });
        if named || lex.institutions.is_match(rest) {
            return true;
        }
    }
    // The word before the cue: a capitalised name or an institution ("Pentagon
    // officials"), but not a nationality ("Russian officials") or a sentence's first
    // word ("Security experts say").
    let before = p.text[..cue.start].trim_end();
    let prev_word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '\u{a0}')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let prev_word = &before[prev_word_start..];
    // Only a word standing right before the source qualifies it: « À Erevan, il se dit
    // que » is not an Erevan source.
    if prev_word.is_empty() || prev_word.ends_with([',', ';', ':', '.', ')', '»', '"', '”']) {
        return false;
    }
    if lex.institutions.is_match(prev_word) {
        return true;
    }
    let cap = prev_word.chars().next().is_some_and(char::is_uppercase);
    let acronym = prev_word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && prev_word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    let sentence_initial = before[..prev_word_start].trim().is_empty();
    let demonym = ["an", "ian", "ese", "ish", "i", "ern", "ic"]
        .iter()
        .any(|e| prev_word.to_lowercase().ends_with(e));
    acronym || (cap && !sentence_initial && !demonym && !is_determiner(prev_word))
}

fn is_determiner(w: &str) -> bool {
    matches!(
        w.to_lowercase().as_str(),
        "some"
            | "many"
            | "several"
            | "most"
            | "the"
            | "a"
            | "an"
            | "other"
            | "others"
            | "des"
            | "certains"
            | "plusieurs"
            | "selon"
            | "according"
            | "de"
            | "d'aucuns"
            | "un"
            | "une"
    )
}

/// Merges overlapping cue ranges so that one cue gives one finding.
fn merge(mut cues: Vec<Range<usize>>) -> Vec<Range<usize>> {
    cues.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for c in cues {
        match out.last_mut() {
            Some(last) if c.start < last.end => last.end = last.end.max(c.end),
            _ => out.push(c),
        }
    }
    out
}

/// A word of a sentence, with its range.
struct Word<'a> {
    range: Range<usize>,
    text: &'a str,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || c == '-' || c == '‑';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Word {
                    range: s..i,
                    text: &text[s..i],
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            range: s..text.len(),
            text: &text[s..],
        });
    }
    out
}

/// Finds reportive conditionals in a French sentence and returns their cue ranges.
fn french_conditionals(p: &Prepared, lex: &LangLexicon) -> Vec<Range<usize>> {
    let Some(cond) = &lex.conditional else {
        return Vec::new();
    };
    // Every third-person conditional ends in « -ait » or « -aient »: a sentence without
    // those letters needs no word split.
    if !p.lower.contains("ait") && !p.lower.contains("aient") {
        return Vec::new();
    }
    let trimmed = p.text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '»' | '”' | '"' | '*' | '_' | ')')
    });
    if trimmed.ends_with('?') {
        return Vec::new();
    }
    let ws = words(p.text);
    let mut out = Vec::new();
    // Most sentences have no conditional: look for one before running the sentence-wide
    // matchers of hypotheses and impersonal frames.
    let has_candidate = ws.iter().any(|w| {
        let t = w.text.split(['-', '‑']).next().unwrap_or(w.text);
        t.ends_with("ait") || t.ends_with("aient")
    });
    if !has_candidate {
        return Vec::new();
    }
    let hypothesis = cond.hypothesis.find_all(p.lower);
    // « Sans cette aide, l’armée aurait perdu » — but « sans » inside a sentence is a
    // plain "without" (« acquis en 1998 sans expertise »).
    let opening = p.text.trim_start().to_lowercase();
    let counterfactual = [
        "sans ",
        "faute de ",
        "faute d'",
        "faute d’",
        "à défaut de ",
        "à défaut d",
    ]
    .iter()
    .any(|c| opening.starts_with(c));
    let impersonal = cond.impersonal.find_all(p.lower);
    for (i, w) in ws.iter().enumerate() {
        if p.is_masked(&w.range) {
            continue;
        }
        // Only third-person conditionals matter: look at the ending before allocating.
        let ending = w.text.split(['-', '‑']).next().unwrap_or(w.text);
        if !(ending.ends_with("ait") || ending.ends_with("aient") || ending.ends_with("AIT")) {
            continue;
        }
        let full = w.text.to_lowercase();
        // « Aussi la séance aurait-elle été retardée »: a literary inversion still reports
        // (questions were set aside above); the verb is the part before the hyphen.
        let lower = full
            .split(['-', '‑'])
            .next()
            .unwrap_or(full.as_str())
            .to_string();
        let inverted = lower.len() < full.len();
        if inverted
            && !matches!(
                full.rsplit(['-', '‑']).next(),
                Some("il" | "elle" | "ils" | "elles" | "on")
            )
        {
            continue;
        }
        // « On aurait tort », « on dirait »: the generic « on » makes no report.
        if i > 0 && ws[i - 1].text.eq_ignore_ascii_case("on") {
            continue;
        }
        if !cond.is_conditional(&lower) || cond.modal.contains(&lower) {
            continue;
        }
        // Only the compound past (« aurait envoyé ») and the simple forms newsrooms use
        // to report (« détiendrait », « serait en fuite ») count: other simple
        // conditionals describe hypotheses and proposals far more often than hearsay.
        if !cond.reportive.contains(&lower) {
            continue;
        }
        // « Il avait proposé un sommet qui aurait réuni … » describes a plan.
        if ws[..i]
            .iter()
            .any(|w| cond.planning_verbs.contains(&w.text.to_lowercase()))
        {
            continue;
        }
        if !hypothesis.is_empty()
            || counterfactual
            || impersonal
                .iter()
                .any(|r| r.start <= w.range.start && w.range.end <= r.end)
        {
            continue;
        }
        // The cue runs from the conditional to its participle, across short adverbs.
        let mut end = w.range.end;
        let mut modal = false;
        if matches!(
            lower.as_str(),
            "aurait" | "auraient" | "serait" | "seraient"
        ) {
            let mut j = i + 1;
            while let Some(next) = ws.get(j) {
                let nl = next.text.to_lowercase();
                if cond.modal_participles.contains(&nl) {
                    modal = true;
                    break;
                }
                if cond.adverbs.contains(&nl) && j < i + 4 {
                    j += 1;
                    continue;
                }
                if cond.is_participle(&nl) {
                    end = next.range.end;
                }
                break;
            }
            // « Ce serait une erreur » without an impersonal entry: « ce » and « c' » before.
            if i > 0
                && matches!(
                    ws[i - 1].text.to_lowercase().as_str(),
                    "ce" | "c" | "cela" | "ça"
                )
            {
                continue;
            }
        }
        if modal {
            continue;
        }
        if future_in_past(p.text, &ws, i, cond) || reported_by_subject(p, lex, &ws, i) {
            continue;
        }
        out.push(w.range.start..end);
    }
    out
}

/// Whether the conditional at word `i` stands in a « que » clause of a clause whose
/// subject is a person (« Il sait que le mouvement serait loin … », « Elle a laissé
/// entendre que les autorités auraient toléré … »), or of a noun of belief (« l'idée que
/// le décès serait un assassinat »): the conditional carries that person's or that
/// belief's claim, not the writer's hearsay. An impersonal « il » (« il est possible
/// que ») is no person.
fn reported_by_subject(p: &Prepared, lex: &LangLexicon, ws: &[Word], i: usize) -> bool {
    const BELIEF_NOUNS: &[&str] = &[
        "idée",
        "thèse",
        "théorie",
        "hypothèse",
        "rumeur",
        "rumeurs",
        "crainte",
        "craintes",
        "espoir",
        "sentiment",
        "impression",
        "conviction",
        "certitude",
        "affirmation",
        "affirmations",
        "accusation",
        "accusations",
        "soupçon",
        "soupçons",
        "allégation",
        "allégations",
        "version",
        "argument",
        "croyance",
        "idées",
        "assurance",
        "promesse",
    ];
    const IMPERSONAL: &[&str] = &[
        "est",
        "était",
        "serait",
        "semble",
        "semblait",
        "paraît",
        "paraissait",
        "faut",
        "fallait",
        "reste",
        "restait",
        "s'agit",
        "s'agissait",
        "y",
        "vaut",
        "suffit",
        "arrive",
        "convient",
    ];
    let Some(q) = (0..i)
        .rev()
        .find(|&j| matches!(ws[j].text.to_lowercase().as_str(), "que" | "qu"))
    else {
        return relative_to_a_claim(p, lex, ws, i);
    };
    // « l'idée que », « d'une rumeur que »: the noun after its elided article.
    let noun = |w: &Word| {
        let t = w.text.to_lowercase();
        t.rsplit(['\'', '’']).next().unwrap_or_default().to_string()
    };
    if q > 0 && BELIEF_NOUNS.contains(&noun(&ws[q - 1]).as_str()) {
        return true;
    }
    // The subject of the clause before « que »: the sentence's, or the one after the
    // last comma before it.
    let clause_start = p.text[..ws[q].range.start]
        .rfind([',', ';', ':'])
        .map_or(0, |c| c + 1);
    let toks = super::speakers::tokens(p.text, p.lower, clause_start, ws[q].range.start, 20);
    let reader = super::speakers::Reader::new(lex);
    let Some((np, _)) = reader.subject(&toks, p.lower, &[]) else {
        return false;
    };
    if np.kind == super::speakers::NpKind::Pronoun {
        let after = &p.lower[np.range.end..ws[q].range.start];
        let next = after.split_whitespace().next().unwrap_or("");
        let pronoun = p.lower[np.range.clone()].trim();
        if pronoun == "il"
            && IMPERSONAL
                .iter()
                .any(|w| next == *w || next.starts_with(&format!("{w}-")))
        {
            return false;
        }
    }
    matches!(
        np.kind,
        super::speakers::NpKind::Name
            | super::speakers::NpKind::Pronoun
            | super::speakers::NpKind::Role { .. }
            | super::speakers::NpKind::Anonymous { .. }
            | super::speakers::NpKind::Document
    ) && !np.uncertain_name
}

/// Whether the conditional at word `i` stands in a relative clause (« qui », « dont »)
/// on what a person's verb of saying names: « Castaner a mis en cause des séditieux qui
/// appartiendraient à l'ultra-droite » is Castaner's claim, not the writer's hearsay.
fn relative_to_a_claim(p: &Prepared, lex: &LangLexicon, ws: &[Word], i: usize) -> bool {
    let Some(rel) = (0..i)
        .rev()
        .take(8)
        .find(|&j| matches!(ws[j].text.to_lowercase().as_str(), "qui" | "dont"))
    else {
        return false;
    };
    let before = 0..ws[rel].range.start;
    let verbs = lex.verbs.find_lowered(&p.lower[before.clone()]);
    let Some((verb, _)) = verbs.last() else {
        return false;
    };
    // The subject of that verb: the clause before it, after the last comma that does
    // not open an apposition of the subject (« Castaner, ministre de l'Intérieur, qui a
    // mis en cause »): read from the sentence's start.
    let toks = super::speakers::tokens(p.text, p.lower, 0, verb.start, 24);
    let reader = super::speakers::Reader::new(lex);
    let Some((np, _)) = reader.subject(&toks, p.lower, &[]) else {
        return false;
    };
    matches!(
        np.kind,
        super::speakers::NpKind::Name
            | super::speakers::NpKind::Role { .. }
            | super::speakers::NpKind::Anonymous { .. }
            | super::speakers::NpKind::Document
    ) && !np.uncertain_name
}

/// Whether the conditional at word `i` stands in a « que » clause after a verb of
/// saying or thinking: a future in the past, not a report.
fn future_in_past(
    text: &str,
    ws: &[Word],
    i: usize,
    cond: &super::lexicon::ConditionalLexicon,
) -> bool {
    // The nearest « que » / « qu' » before the conditional.
    let Some(q) = (0..i)
        .rev()
        .find(|&j| matches!(ws[j].text.to_lowercase().as_str(), "que" | "qu"))
    else {
        return false;
    };
    let _ = text;
    // Look back over up to three words (« a annoncé hier que », « est convaincu que »).
    (q.saturating_sub(3)..q).rev().any(|j| {
        let w = ws[j].text.to_lowercase();
        cond.introduces_future_in_past(&w)
    })
}

fn excerpt(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= 10 {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

fn sentence_finding(
    rule: Rule,
    doc: &Document,
    p: &Prepared,
    cue: &Range<usize>,
    lang: Lang,
) -> Finding {
    let abs = p.range.start + cue.start..p.range.start + cue.end;
    let block = &doc.blocks[p.block];
    let sentence = block.range_to_source(&p.range);
    let cue_text = p.text[cue.clone()]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    finding(rule, doc, p.block, &abs, sentence, &cue_text, lang)
}

fn finding(
    rule: Rule,
    doc: &Document,
    block: usize,
    prose: &Range<usize>,
    sentence: Range<usize>,
    cue: &str,
    lang: Lang,
) -> Finding {
    let range = doc.blocks[block].range_to_source(prose);
    let (message, help) = messages(rule, cue, lang);
    Finding {
        rule,
        severity: rule.default_severity(),
        range,
        sentence,
        cue: cue.to_string(),
        message,
        help,
        fixes: Vec::new(),
    }
}

/// The message and help of a finding, in the article's language.
pub fn messages(rule: Rule, cue: &str, lang: Lang) -> (String, String) {
    match (rule, lang) {
        (Rule::UnattributedQuote, Lang::Fr) => (
            format!("la citation « {cue} » n’est attribuée à personne"),
            "Nommez qui parle dans la phrase (« …, a déclaré X ») ou juste avant.".into(),
        ),
        (Rule::UnattributedQuote, Lang::En) => (
            format!("the quotation \"{cue}\" is not attributed to anyone"),
            "Name the speaker in the sentence (\"…,\" X said) or just before it.".into(),
        ),
        (Rule::Hearsay, Lang::Fr) => (
            format!("« {cue} » rapporte une information non vérifiée sans en citer la source"),
            "Nommez la source (« selon la police, … ») ou affirmez le fait s’il est confirmé.".into(),
        ),
        (Rule::Hearsay, Lang::En) => (
            format!("\"{cue}\" passes on unverified information without a source"),
            "Name who reports it (\"according to the police\") or state the fact if it is confirmed.".into(),
        ),
        (Rule::PassiveClaim, Lang::Fr) => (
            format!("« {cue} » : accusation au passif sans auteur"),
            "Dites qui accuse ou soupçonne (« accusé par l’opposition de … »).".into(),
        ),
        (Rule::PassiveClaim, Lang::En) => (
            format!("\"{cue}\" states an accusation or belief without saying whose"),
            "Say who accuses, suspects or believes it (\"accused by the auditor of …\").".into(),
        ),
        (Rule::VagueSource, Lang::Fr) => (
            format!("« {cue} » : source vague ou anonyme"),
            "Identifiez la source (nom, fonction, institution) ou dites pourquoi elle reste anonyme.".into(),
        ),
        (Rule::VagueSource, Lang::En) => (
            format!("\"{cue}\" is a vague or anonymous source"),
            "Identify the source (name, role, institution) or say why it cannot be named.".into(),
        ),
        (Rule::UnidentifiedSpeaker, Lang::Fr) => (
            format!("« {cue} » est cité sans être présenté : ni nom complet, ni fonction"),
            "Présentez la personne à sa première mention : prénom, nom et fonction (« Anna Kirakosian, maire de Vardenis »).".into(),
        ),
        (Rule::UnidentifiedSpeaker, Lang::En) => (
            format!("\"{cue}\" is quoted but never introduced: no full name, no role"),
            "Introduce the person at first mention with a full name and a role (\"Anna Kirakosian, the mayor of Vardenis\").".into(),
        ),
        (_, Lang::Fr) => (format!("« {cue} »"), String::new()),
        (_, Lang::En) => (format!("\"{cue}\""), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Engine;
    use crate::config::Config;
    use crate::kb::Kb;
    use std::sync::Arc;

    fn codes(md: &str) -> Vec<(String, String)> {
        let engine = Engine::new(Config::default(), Arc::new(Kb::empty()));
        let a = engine.analyze(md);
        a.findings
            .iter()
            .filter(|f| f.rule.code().starts_with("attribution"))
            .map(|f| (f.rule.code().to_string(), md[f.range.clone()].to_string()))
            .collect()
    }

    fn fr(s: &str) -> Vec<(String, String)> {
        codes(&format!("---\nlang: fr\n---\n{s}\n"))
    }
    fn en(s: &str) -> Vec<(String, String)> {
        codes(&format!("---\nlang: en\n---\n{s}\n"))
    }
    fn one(v: Vec<(String, String)>, rule: &str, cue: &str) {
        assert_eq!(v, vec![(rule.to_string(), cue.to_string())]);
    }

    #[test]
    fn continuation_needs_a_speaker_next_to_the_quotation() {
        let q = "attribution/unattributed-quote";
        let flagged = |v: Vec<(String, String)>| v.iter().any(|(r, _)| r == q);
        // The sentence right before names who speaks, or introduces the words.
        assert!(fr("Le ministre s'est défendu. « Cette taxe est annulée. »").is_empty());
        assert!(en("The mayor stood firm. “We are not leaving this town.”").is_empty());
        // Further back, a subject that does not speak hands over to nobody.
        let far = "Trois États ont bloqué le paragraphe. Le paragraphe avait survécu à deux \
                   versions. « Vous ne pouvez pas financer ce que vous refusez de nommer. »";
        assert!(flagged(fr(far)), "{far}");
        // Across a paragraph break, a subject that does not speak hands over to nobody,
        // and a scare quote of the paragraph before does not keep the floor once a
        // sentence of the new paragraph names nobody.
        let para = "Les délégués se sont séparés sans fixer de date.\n\n« On nous demande de \
                    financer l'adaptation avec des prêts. »";
        assert!(flagged(fr(para)), "{para}");
        let scare = "Officials said the changes were \"routine editing\".\n\nA swing in \
                     the park collapsed in May. \"Our children deserve parks that are safe \
                     to play in.\"";
        assert!(flagged(en(scare)), "{scare}");
        // A full stop inside the marks ends the sentence: what follows is a tag only when
        // it names someone who can speak.
        let next = "Un incendie a ravagé un immeuble. « Les flammes sortaient déjà par les \
                    fenêtres. » Le feu a été maîtrisé vers cinq heures.";
        assert!(flagged(fr(next)), "{next}");
        // A tag a few words after a quotation that opens its sentence.
        for text in [
            "« Je me joins à cet appel » à la grève, avait déclaré Olivier Besancenot dès lundi.",
            "« Il est hors de question de rester sans eux » sur le terrain, a affirmé une \
             source française.",
        ] {
            assert!(!flagged(fr(text)), "{text}: {:?}", fr(text));
        }
    }

    #[test]
    fn spec_examples() {
        one(
            fr("Le ministre aurait démissionné hier soir."),
            "attribution/hearsay",
            "aurait démissionné",
        );
        assert!(fr("Selon l'AFP, le ministre aurait démissionné.").is_empty());
        one(
            fr("« C'est une trahison. »"),
            "attribution/unattributed-quote",
            "« C'est une trahison. »",
        );
        assert!(fr("« C'est une trahison », a lancé le député.").is_empty());
        one(
            fr("Des experts estiment que le barrage est fragile."),
            "attribution/vague-source",
            "Des experts estiment",
        );
        one(
            en("The mayor was accused of favouritism."),
            "attribution/passive-claim",
            "was accused",
        );
        assert!(en("The mayor was accused by the auditor of favouritism.").is_empty());
        one(
            en("Officials said the toll had risen."),
            "attribution/vague-source",
            "Officials said",
        );
    }

    #[test]
    fn a_relative_clause_alone_is_still_hearsay() {
        one(
            fr("Des casseurs qui appartiendraient à l'ultra-droite ont été interpellés."),
            "attribution/hearsay",
            "appartiendraient",
        );
    }

    #[test]
    fn conditionals_that_are_not_reportive() {
        for text in [
            "Il serait excessif et malhonnête de lui faire porter le chapeau.",
            "Le sondage place en tête l'idée que le décès serait un assassinat maquillé.",
            "Le ministre de l'Intérieur a dénoncé des casseurs qui appartiendraient à \
             l'ultra-droite.",
        ] {
            assert!(fr(text).is_empty(), "{text}: {:?}", fr(text));
        }
        for s in [
            "S'il pleuvait, le match serait reporté.",
            "Il a annoncé qu'il viendrait.",
            "La ministre a assuré que la situation serait rétablie lundi.",
            "Il aurait dû prévenir.",
            "Il aurait pu éviter l'accident.",
            "Je voudrais savoir.",
            "Il faut agir, ne serait-ce que pour les victimes.",
            "Ce serait une erreur de partir.",
            "Le portrait du président est accroché.",
            "Le texte devrait être adopté mardi.",
            "La réforme pourrait coûter cher.",
            "Il préparait son départ depuis des mois.",
        ] {
            assert!(fr(s).is_empty(), "{s}: {:?}", fr(s));
        }
    }

    #[test]
    fn hearsay_sourced_by_previous_sentence_link_or_footnote() {
        assert!(fr("Selon la police, le suspect a fui. Il aurait quitté le pays.").is_empty());
        assert!(
            fr("Le suspect aurait fui le pays, [selon l'AP](https://apnews.com/x).").is_empty()
        );
        assert!(fr("Le suspect aurait fui le pays.[^1]\n\n[^1]: Source : parquet.").is_empty());
        one(
            fr("Le suspect aurait fui le pays.[^9]"),
            "attribution/hearsay",
            "aurait fui",
        );
        one(
            en("The convoy reportedly crossed the border."),
            "attribution/hearsay",
            "reportedly",
        );
        assert!(en("The convoy reportedly crossed the border, police said.").is_empty());
        assert!(en("He said to reporters that he would stay.").is_empty());
    }

    #[test]
    fn passive_claims() {
        one(
            fr("Le maire a été accusé de favoritisme."),
            "attribution/passive-claim",
            "a été accusé",
        );
        one(
            fr("La société est soupçonnée de fraude."),
            "attribution/passive-claim",
            "est soupçonnée de",
        );
        assert!(fr("Le maire a été accusé par l'opposition de favoritisme.").is_empty());
        assert!(fr("Selon le parquet, il est soupçonné de fraude.").is_empty());
        assert!(fr("Le pont a été construit en 1920.").is_empty());
        one(
            en("It is widely believed that the talks failed."),
            "attribution/passive-claim",
            "It is widely believed that",
        );
    }

    #[test]
    fn vague_sources_only_at_introduction() {
        one(
            fr(
                "Une source diplomatique a déclaré que rien n'était signé. Rien n'est prêt, a ajouté la source.",
            ),
            "attribution/vague-source",
            "Une source diplomatique a déclaré",
        );
        assert!(fr("Selon le ministère de la Défense, le convoi est arrivé.").is_empty());
        assert!(
            fr("Des experts[^2] estiment que le pont est fragile.\n\n[^2]: Rapport de l'Ifsttar.")
                .is_empty()
        );
    }

    fn severities(md: &str) -> Vec<(String, crate::rules::Severity)> {
        let engine = Engine::new(Config::default(), Arc::new(Kb::empty()));
        engine
            .analyze(md)
            .findings
            .iter()
            .map(|f| (md[f.range.clone()].to_string(), f.severity))
            .collect()
    }

    #[test]
    fn anonymous_sources_by_structure_with_institutions_one_step_softer() {
        use crate::rules::Severity::{Hint, Information};
        let cases: &[(&str, &str, &str, crate::rules::Severity)] = &[
            (
                "fr",
                "« C'est une trahison », glisse un proche du président.",
                "glisse un proche du président",
                Information,
            ),
            (
                "fr",
                "L'entourage du président assure que rien n'est décidé.",
                "L'entourage du président assure",
                Information,
            ),
            (
                "fr",
                "« Rien n'est décidé », souffle un ministre.",
                "souffle un ministre",
                Information,
            ),
            (
                "fr",
                "Un conseiller du président confie que la réforme sera retirée.",
                "Un conseiller du président confie",
                Information,
            ),
            (
                "fr",
                "Selon des cadres du parti, la réforme sera retirée.",
                "Selon des cadres du parti",
                Information,
            ),
            (
                "fr",
                "Selon une source policière, le suspect a été interpellé.",
                "Selon une source policière",
                Hint,
            ),
            (
                "fr",
                "Selon des cadres du ministère, la réforme sera retirée.",
                "Selon des cadres du ministère",
                Hint,
            ),
            (
                "fr",
                "Une source policière a indiqué que le suspect était connu.",
                "Une source policière a indiqué",
                Hint,
            ),
            (
                "en",
                "Aides said the president would not run.",
                "Aides said",
                Information,
            ),
            (
                "en",
                "An official said the talks had stalled.",
                "An official said",
                Information,
            ),
            (
                "en",
                "People familiar with the matter said the deal was done.",
                "People familiar with the matter said",
                Information,
            ),
            (
                "en",
                "Some voters say the economy is bad.",
                "Some voters say",
                Information,
            ),
            (
                "en",
                "A State Department official said the embassy would close.",
                "A State Department official said",
                Hint,
            ),
            (
                "en",
                "Pentagon officials said the convoy had arrived.",
                "Pentagon officials said",
                Hint,
            ),
        ];
        for (lang, text, cue, sev) in cases {
            let md = format!("---\nlang: {lang}\n---\n{text}\n");
            assert_eq!(severities(&md), vec![(cue.to_string(), *sev)], "{text}");
        }
        // Named, in apposition to a name, on the record, or an ordinary witness: no source
        // to flag.
        for text in [
            "Un conseiller, Jean Dupont, a confié que la réforme sera retirée.",
            "Jean Dupont, un proche du président, a confié que la réforme sera retirée.",
            "Deux chercheurs, Marc Lenoir et Ana Ruiz, ont affirmé que le code était prêt.",
            "Un porte-parole du ministère a indiqué que le convoi était arrivé.",
            "« Nous avons tout perdu dans la nuit », raconte un habitant.",
            "Il a annoncé plusieurs mesures pour les agriculteurs.",
        ] {
            assert!(fr(text).is_empty(), "{text}: {:?}", fr(text));
        }
        for text in [
            "Helena Kennedy, a Labour peer and a human rights lawyer, said the plan was flawed.",
            "Castaner said 12 officers were present.",
            "Macron told reporters that the plan was final.",
            "Smart lost money, said Mercedes chief executive Eckhard Cordes.",
        ] {
            assert!(en(text).is_empty(), "{text}: {:?}", en(text));
        }
    }

    #[test]
    fn nothing_in_headings_code_or_quotes() {
        assert!(fr("# Le ministre aurait démissionné\n\nTexte.").is_empty());
        assert!(fr("Il a dit : « Le convoi aurait franchi la frontière. »").is_empty());
        assert!(fr("```\nLe ministre aurait démissionné.\n```").is_empty());
        assert!(fr("Le code `aurait fui` est cité.").is_empty());
    }
}
