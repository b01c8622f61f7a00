//! Quotations: where they are, who is quoted, and whether a reader can tell.
//!
//! Quotes are found per block with a stack, so nesting (« … “ … ” … ») works, mixed
//! marks (« … " or “ … ") close what they can without shifting every later pairing, and
//! a quote left open at the end of a paragraph runs on into the next one, as in both
//! French and English typography. Every scan is linear: one pass over the marks, a
//! bounded stack search, and no span copied per open mark.
//!
//! Speakers are linked the way a quote-extraction system does it, by structure (see
//! [`super::speakers`]): a tag after the quotation (« …, s'insurge Jean-Paul », "…," the
//! statement read), the subject of the sentence that introduces it, an incise, an
//! attribution line (`— Nom, fonction`), interview labels, the previous sentence or
//! paragraph (continuation), the sentence that follows a quotation opening a story, and
//! quotations running over several paragraphs. Pronouns, surnames and roles are resolved
//! to the person named before them, within a few sentences.

use super::lexicon::{LangLexicon, Lexicons};
use super::markdown::Document;
use super::sentences::Sentence;
use super::speakers::{Np, NpKind, Reader, Tok, tokens};
use super::verbs::{BlockVerbs, Verbs, first_in, within};
use super::{How, Quote, SpeakerKind};
use crate::lang::Lang;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// The deepest nesting recorded: quotes inside quotes inside quotes are still paired,
/// but only the two outer levels are kept as spans (deeper ones neither attribute nor
/// flag anything, and keeping them would let pathological input grow the output).
const MAX_DEPTH: usize = 2;

/// How far back a stack search for the opener of a mismatched closer goes.
const STACK_SEARCH: usize = 4;

/// How many sentences back a pronoun, a surname or a role is resolved.
const LOOKBACK: usize = 8;

/// A quotation's speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The words that name the speaker near the quotation, as written.
    pub text: String,
    pub kind: SpeakerKind,
    /// The person those words stand for, when an earlier mention names them.
    pub resolved: Option<String>,
    /// Where the words stand: block and prose range.
    pub block: usize,
    pub range: Range<usize>,
    /// The apposition that describes the speaker (« 45 ans, infirmière »).
    pub description: Option<String>,
}

/// A quotation found in one block, with prose offsets.
#[derive(Debug, Clone)]
pub struct QuoteSpan {
    pub block: usize,
    /// From the opening mark to the closing mark (or the block's end), inclusive.
    pub range: Range<usize>,
    /// The quoted words.
    pub content: Range<usize>,
    /// Nesting depth: 0 for a quote that is not inside another.
    pub depth: usize,
    /// The quote was left open at the end of its block.
    pub unclosed: bool,
    /// The quote continues one left open in the previous block.
    pub continued: bool,
    /// A full clause or longer (not a scare quote or a short title).
    pub full: bool,
    /// The quote starts its sentence: it stands alone rather than inside a sentence.
    pub standalone: bool,
    pub attributed: bool,
    pub speaker: Option<Speaker>,
    /// The words that attribute it (the tag's verb, the marker), as a prose range.
    pub cue: Option<Range<usize>>,
    pub how: Option<How>,
}

impl QuoteSpan {
    /// The public form, with source ranges.
    pub fn to_public(&self, doc: &Document) -> Quote {
        let block = &doc.blocks[self.block];
        Quote {
            range: block.range_to_source(&self.range),
            content: block.text[self.content.clone()].trim().to_string(),
            speaker: self.speaker.as_ref().map(|s| s.text.clone()),
            cue: self.cue.as_ref().map(|c| block.range_to_source(c)),
            speaker_kind: self.speaker.as_ref().map(|s| s.kind),
            resolved: self.speaker.as_ref().and_then(|s| s.resolved.clone()),
            how: self.how,
            speaker_range: self
                .speaker
                .as_ref()
                .and_then(|s| doc.blocks.get(s.block).map(|b| b.range_to_source(&s.range))),
            description: self.speaker.as_ref().and_then(|s| s.description.clone()),
        }
    }

    fn attribute(&mut self, how: How, speaker: Option<Speaker>, cue: Option<Range<usize>>) {
        self.attributed = true;
        self.how = Some(how);
        self.speaker = speaker;
        self.cue = cue;
    }
}

fn closer_for(open: char) -> Option<char> {
    match open {
        '«' => Some('»'),
        '“' => Some('”'),
        '‹' => Some('›'),
        '"' => Some('"'),
        '„' => Some('“'),
        _ => None,
    }
}

/// Whether a closing mark may close a quotation opened with `open`: its own closer, or,
/// for the mixed marks of hurried typing, a straight quote closing « or “, and ” closing «.
fn closes(open: char, close: char) -> bool {
    closer_for(open) == Some(close)
        || (close == '"' && matches!(open, '«' | '“' | '„'))
        || (close == '”' && matches!(open, '«' | '"' | '„'))
        || (close == '»' && open == '"')
}

/// One quotation found by [`scan_block`]: its range (marks included), its content, its
/// nesting depth and whether it was left open at the block's end.
pub type Scanned = (Range<usize>, Range<usize>, usize, bool);

/// Finds the quotations of one block of prose, in order of their start (an outer quote
/// before the quotes nested in it).
pub fn scan_block(text: &str) -> Vec<Scanned> {
    let mut out: Vec<Scanned> = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let push_span =
        |out: &mut Vec<Scanned>, open: char, start: usize, i: usize, c: char, depth: usize| {
            if depth <= MAX_DEPTH {
                let content = start + open.len_utf8()..i;
                out.push((start..i + c.len_utf8(), content, depth, false));
            }
        };
    for (i, c) in quote_marks(text) {
        let top = stack.last().map(|&(o, _)| o);
        match c {
            '"' => {
                let prev = text[..i].chars().next_back();
                let next = text[i + 1..].chars().next();
                let left = prev.is_none_or(|p| is_space(p) || is_opening_punct(p));
                let right = next.is_none_or(|n| is_space(n) || is_closing_punct(n));
                let closes_top = top.is_some_and(|o| closes(o, '"'));
                if closes_top && (!left || right) {
                    // A straight quote after a word closes the quotation open above it,
                    // even one opened with « or “ (mixed marks).
                    if let Some((open, start)) = stack.pop() {
                        push_span(&mut out, open, start, i, c, stack.len());
                    }
                } else if left && !right {
                    stack.push((c, i));
                } else if closes_top {
                    if let Some((open, start)) = stack.pop() {
                        push_span(&mut out, open, start, i, c, stack.len());
                    }
                }
                // Otherwise a straight quote between two letters or two spaces is an
                // inch mark or a typo: it leaves the stack alone.
            }
            '«' | '„' | '‹' => stack.push((c, i)),
            '“' => {
                // “ closes „ (German style); after a word and before a space it is a
                // closer typed with the wrong mark.
                let next = text[i + '“'.len_utf8()..].chars().next();
                let prev = text[..i].chars().next_back();
                if top == Some('„')
                    || (top == Some('“')
                        && prev.is_some_and(|p| !is_space(p))
                        && next.is_none_or(|n| is_space(n) || is_closing_punct(n)))
                {
                    if let Some((open, start)) = stack.pop() {
                        push_span(&mut out, open, start, i, c, stack.len());
                    }
                } else {
                    stack.push((c, i));
                }
            }
            '»' | '”' | '›' => {
                // The nearest opener this mark can close, looking a few levels down: what
                // was opened above it and never closed is dropped.
                let found = stack
                    .iter()
                    .rev()
                    .take(STACK_SEARCH)
                    .position(|&(o, _)| closes(o, c))
                    .map(|k| stack.len() - 1 - k);
                if let Some(pos) = found {
                    let (open, start) = stack[pos];
                    stack.truncate(pos);
                    push_span(&mut out, open, start, i, c, stack.len());
                } else if c == '”' {
                    // ”…” as both marks: a ” that starts a word opens.
                    let next = text[i + c.len_utf8()..].chars().next();
                    if next.is_some_and(|n| n.is_alphanumeric()) {
                        stack.push((c, i));
                    }
                }
            }
            _ => {}
        }
    }
    // A quote still open at the block's end runs to it (a quote over several paragraphs).
    // Only the outermost counts: marks opened inside it and never closed are strays, and a
    // stray opener with quotes of its own kind inside it (« … « … » …) is a typo, not a
    // quotation holding quotations.
    if let Some(&(open, start)) = stack.first() {
        let same_kind_inside = out
            .iter()
            .any(|(r, _, d, _)| *d == 1 && r.start > start && text[r.start..].starts_with(open));
        if same_kind_inside {
            for q in out.iter_mut().filter(|q| q.0.start > start) {
                q.2 = q.2.saturating_sub(1);
            }
        } else if !(open == '"' && stack.len() > 1) {
            out.push((
                start..text.len(),
                start + open.len_utf8()..text.len(),
                0,
                true,
            ));
        }
    }
    out.sort_by_key(|(r, ..)| (r.start, std::cmp::Reverse(r.end)));
    out
}

fn is_opening_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '—' | '–' | '-' | '/' | '«' | '“' | '‘' | '*' | '_'
    )
}

fn is_closing_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '…'
            | '»'
            | '”'
            | '’'
            | '*'
            | '_'
            | '—'
            | '–'
            | '-'
    ) || c == super::markdown::PLACEHOLDER
}

/// The quotation marks of `text` (`"`, `«`, `»`, `“`, `”`, `‹`, `›`, `„`) with their
/// offsets. Every other character leaves the quote stack alone, so the scan jumps
/// between the bytes that can start a mark: `"` and the lead bytes of U+0080–U+00BF
/// and U+2000–U+2FFF, found with a SIMD search rather than by decoding each character.
fn quote_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    memchr::memchr3_iter(b'"', 0xC2, 0xE2, text.as_bytes()).filter_map(|i| {
        let c = text.get(i..)?.chars().next()?;
        matches!(c, '"' | '«' | '»' | '“' | '”' | '‹' | '›' | '„').then_some((i, c))
    })
}

fn word_count(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .count()
}

/// A full clause or longer: four words, or a short complete sentence (« Jamais. » is
/// too short to tell from a scare quote; « Nous partirons. » is not).
fn is_full(content: &str) -> bool {
    let t = content.trim_matches(is_space);
    let words = word_count(t);
    let starts_upper = t.chars().next().is_some_and(char::is_uppercase);
    let ends_terminal = t
        .trim_end_matches(['»', '”', '"', ' ', '\u{a0}', '\u{202f}'])
        .ends_with(['.', '!', '?', '…']);
    words >= 4 || (words >= 2 && starts_upper && ends_terminal)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

fn first_non_space(text: &str) -> usize {
    text.len() - text.trim_start_matches(is_space).len()
}

/// The sentence of `sentences` (one block's, in order) that holds `offset`: the last one
/// starting at or before it.
fn sentence_at(sentences: &[Sentence], offset: usize) -> Option<usize> {
    sentences
        .partition_point(|s| s.range.start <= offset)
        .checked_sub(1)
}

/// What the attribution of one block needs, computed once and only for blocks that
/// hold a quotation or are looked back at.
struct BlockCtx<'a> {
    bi: usize,
    text: &'a str,
    lower: &'a str,
    sentences: &'a [Sentence],
    lex: &'a LangLexicon,
    /// The verbs of saying of the document's sentences, made on demand (see
    /// [`super::verbs`]).
    all_verbs: &'a Verbs<'a>,
}

impl<'a> BlockCtx<'a> {
    fn new(
        doc: &'a Document,
        all: &'a [Sentence],
        bi: usize,
        doc_lang: Option<Lang>,
        lexicons: &'a Lexicons,
        verbs: &'a Verbs<'a>,
    ) -> BlockCtx<'a> {
        let block = &doc.blocks[bi];
        let from = all.partition_point(|s| s.block < bi);
        let to = all.partition_point(|s| s.block <= bi);
        let sentences = &all[from..to];
        let lang = sentences
            .first()
            .and_then(|s| s.lang)
            .or(doc_lang)
            .unwrap_or(Lang::En);
        let lex = lexicons.get(lang);
        BlockCtx {
            bi,
            text: &block.text,
            lower: &block.lower,
            sentences,
            lex,
            all_verbs: verbs,
        }
    }

    /// The verbs of saying of the sentences that `range` of the block touches.
    fn verbs(&self, range: &Range<usize>) -> Cow<'a, BlockVerbs> {
        self.all_verbs.around(self.bi, range)
    }

    /// A clause reader that knows the verbs `verbs` of the sentences it reads.
    fn reader<'v>(&self, verbs: &'v [Range<usize>]) -> Reader<'v>
    where
        'a: 'v,
    {
        Reader::with_verbs(self.lex, verbs)
    }

    fn toks(&self, range: &Range<usize>) -> Vec<Tok<'a>> {
        tokens(self.text, self.lower, range.start, range.end, 40)
    }

    /// The subject of sentence `i` of the block (see [`Reader::subject`]).
    fn subject(&self, i: usize) -> Option<(Np, bool)> {
        let s = self.sentences.get(i)?;
        let toks = self.toks(&s.range);
        let verbs = self.verbs(&s.range);
        self.reader(&verbs.all)
            .subject(&toks, self.lower, &verbs.all)
    }

    fn speaker(&self, np: &Np) -> Speaker {
        let kind = match np.kind {
            NpKind::Name => SpeakerKind::Named,
            NpKind::Pronoun => SpeakerKind::Pronoun,
            NpKind::Role { .. } => SpeakerKind::Role,
            NpKind::Document => SpeakerKind::Document,
            NpKind::Anonymous {
                institutional: false,
            } => SpeakerKind::Anonymous,
            NpKind::Anonymous {
                institutional: true,
            } => SpeakerKind::AnonymousInstitutional,
            NpKind::Other => SpeakerKind::Other,
        };
        // A role with its holder's name in apposition is that person.
        let (kind, resolved) = match &np.name_in_apposition {
            Some(r) => (SpeakerKind::Named, Some(self.text[r.clone()].to_string())),
            None => (kind, None),
        };
        Speaker {
            text: shorten(&self.text[np.range.clone()]),
            kind,
            resolved,
            block: self.bi,
            range: np.range.clone(),
            description: np
                .apposition
                .as_ref()
                .map(|r| shorten(&self.text[r.clone()])),
        }
    }
}

/// Finds every quotation of the document and decides whether it is attributed.
pub fn find(
    doc: &Document,
    sentences: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    verbs: &Verbs,
) -> Vec<QuoteSpan> {
    let mut out: Vec<QuoteSpan> = Vec::new();
    // The last top-level quote of each block, for continuation into the next block.
    let mut last_quote: Vec<Option<usize>> = vec![None; doc.blocks.len()];
    let mut prev_block_open: Option<usize> = None;
    let mut interview_answer = false;
    let mut people = People::default();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let text = &block.text;
        let scanned = scan_block(text);
        if let Some(label) = interview_label(text) {
            interview_answer = label == Label::Answer;
        }
        if scanned.is_empty() {
            prev_block_open = None;
            continue;
        }
        let cx = BlockCtx::new(doc, sentences, bi, doc_lang, lexicons, verbs);
        let top_level: Vec<Range<usize>> = scanned
            .iter()
            .filter(|(_, _, d, _)| *d == 0)
            .map(|(r, ..)| r.clone())
            .collect();
        let mut this_block_open: Option<usize> = None;
        for (range, content, depth, unclosed) in scanned {
            let sent_idx = sentence_at(cx.sentences, range.start);
            let sentence = sent_idx.map(|i| cx.sentences[i].range.clone());
            let end_idx = sentence_at(cx.sentences, range.end.saturating_sub(1));
            let end_sentence = end_idx.map(|i| cx.sentences[i].range.clone());
            let ctx = match (&sentence, &end_sentence) {
                (Some(a), Some(b)) => a.start.min(range.start)..b.end.max(range.end),
                _ => range.clone(),
            };
            let before = &text[ctx.start..range.start];
            let standalone = before
                .chars()
                .all(|c| is_space(c) || matches!(c, '—' | '–' | '-' | '*' | '_'));
            let continued =
                depth == 0 && range.start == first_non_space(text) && prev_block_open.is_some();
            // A paragraph that is only a short quotation with no end punctuation, inside
            // or after the marks, is an intertitle set in quotation marks (« « Le compte
            // n'y est pas » »), not a quotation standing alone.
            let intertitle = depth == 0
                && !unclosed
                && range.start == first_non_space(text)
                && text[range.end..].trim_matches(is_space).is_empty()
                && !text[content.clone()]
                    .trim_end_matches(is_space)
                    .ends_with(['.', '!', '?', '…', ',', ';', ':'])
                && word_count(&text[content.clone()]) <= 12;
            let mut q = QuoteSpan {
                block: bi,
                range: range.clone(),
                content: content.clone(),
                depth,
                unclosed,
                continued,
                full: is_full(&text[content.clone()]) && !intertitle,
                standalone,
                attributed: false,
                speaker: None,
                cue: None,
                how: None,
            };
            if depth == 0 && !block.is_heading() {
                attribute(&mut q, doc, &cx, &ctx, &top_level);
                if !q.attributed && standalone && !continued {
                    continuation(
                        &mut q,
                        doc,
                        sentences,
                        &cx,
                        sent_idx,
                        &out,
                        &last_quote,
                        interview_answer,
                        doc_lang,
                        lexicons,
                        &people,
                    );
                }
                if q.speaker.is_some() {
                    resolve(
                        &mut q,
                        &cx,
                        sent_idx,
                        doc,
                        sentences,
                        doc_lang,
                        lexicons,
                        &out,
                        &mut people,
                    );
                }
                if unclosed {
                    this_block_open = Some(out.len());
                }
                last_quote[bi] = Some(out.len());
            }
            out.push(q);
        }
        prev_block_open = this_block_open;
    }
    link_multi_paragraph(&mut out);
    out
}

/// Looks for a speaker in the quote's own sentence(s): a tag after it, an attribution
/// line, an incise, the sentence's subject or source marker before it, a link or a note.
fn attribute(
    q: &mut QuoteSpan,
    doc: &Document,
    cx: &BlockCtx,
    ctx: &Range<usize>,
    quotes: &[Range<usize>],
) {
    let text = cx.text;
    let block = &doc.blocks[cx.bi];
    let content_last = text[q.content.clone()]
        .trim_end_matches(is_space)
        .chars()
        .next_back();
    // 1. The tag after the quotation, read by its structure.
    // Only a quotation of a clause, or one that opens its sentence, has a tag: after a
    // scare quote or a title inside a sentence, a comma goes on with the sentence (« les
    // « gilets jaunes », on le sait, … »).
    // The tag is read first without the sentence's verbs, which most tags do not need
    // (« …, a déclaré le maire », "…," she said): only a tag whose subject is unclear is
    // read again with them, to end a subject-first phrase at its verb ("…," officials
    // familiar with the plan said).
    let read_tag = |verbs: &[Range<usize>]| {
        cx.reader(verbs)
            .tag_after(text, cx.lower, q.range.end, content_last, verbs)
    };
    let tag = if !q.unclosed && (q.full || q.standalone) {
        match read_tag(&[]) {
            Some(t) if t.speaker.as_ref().is_some_and(|np| np.kind.is_speaker()) => Some(t),
            _ => read_tag(&cx.verbs(&(q.range.end..q.range.end + 1)).all),
        }
    } else {
        None
    };
    let tag = tag.or_else(|| {
        (!q.unclosed && q.standalone)
            .then(|| delayed_tag(cx, q))
            .flatten()
    });
    if let Some(tag) = tag {
        let mut speaker = tag
            .speaker
            .as_ref()
            .filter(|np| np.kind.is_speaker())
            .map(|np| cx.speaker(np));
        // A tag with no subject after a quotation inside its sentence (« Emmanuel Macron
        // s'est engagé à « rencontrer les maires », pour bâtir … »): the sentence's
        // subject speaks.
        if speaker.is_none() && !q.standalone {
            let toks = cx.toks(&(ctx.start..q.range.start));
            speaker = cx
                .reader(&[])
                .subject(&toks, cx.lower, &[])
                .map(|(np, _)| np)
                .filter(|np| np.kind.is_speaker() && (!np.uncertain_name || cx.verb_follows(np)))
                .map(|np| cx.speaker(&np));
        }
        if speaker.is_none() {
            speaker = tag.speaker.as_ref().map(|np| cx.speaker(np));
        }
        q.attribute(How::Tag, speaker, Some(tag.cue));
        return;
    }
    // 2. An attribution line: `"…" — Name` in the block, or a block that starts with one.
    let after = text[q.range.end.min(text.len())..].trim_start_matches(is_space);
    let line_here = (!q.unclosed).then_some((
        cx.bi,
        q.range.end + (text.len() - q.range.end - after.len()),
    ));
    let ends_block = after.is_empty();
    let line_next = ends_block
        .then(|| {
            doc.blocks
                .get(cx.bi + 1)
                .map(|b| (cx.bi + 1, first_non_space(&b.text)))
        })
        .flatten();
    for (b, at) in [line_here, line_next].into_iter().flatten() {
        if let Some(speaker) = attribution_line(doc, b, at) {
            q.attribute(How::AttributionLine, Some(speaker), None);
            return;
        }
    }
    // 3. An incise inside the quotation: « Nous savons, a déclaré X, que … ».
    // The incise may also end its sentence inside the quotation: « …, détaille le
    // spécialiste Pierre-Yves Bovigny. Celles de Sion … ».
    let inner_verbs = cx.verbs(&q.content);
    for v in within(&inner_verbs.all, &q.content) {
        let v = v.start - q.content.start..v.end - q.content.start;
        let inner = &text[q.content.clone()];
        let before = inner[..v.start].trim_end_matches(is_space);
        if !before.ends_with(',') {
            continue;
        }
        let start = q.content.start + v.start;
        let toks = tokens(text, &block.lower, start, q.content.end, 20);
        let Some(stop) = toks
            .iter()
            .position(|t| matches!(t.punct, Some(',' | '.' | '!' | '?')))
        else {
            continue;
        };
        let speaker = cx
            .reader(&inner_verbs.all)
            .tag_subject(&toks[..stop], &inner_verbs.all);
        if let Some(np) = speaker.filter(|np| np.kind.is_speaker()) {
            q.attribute(
                How::Incise,
                Some(cx.speaker(&np)),
                Some(start..q.content.start + v.end),
            );
            return;
        }
    }
    // 4. A speaker before the quotation in its sentence: « X a déclaré : « … » », « Selon
    // X, « … » », "X told Reuters that "…"". The quotation does not stand alone, so it is
    // never flagged; the speaker is for hovers and the source roster.
    if !q.standalone {
        // A verb or a marker (« selon », "according to") outside the quotations of the
        // block (sorted, not overlapping: a binary search finds the one that could
        // hold it).
        let outside = |r: &Range<usize>| {
            let i = quotes.partition_point(|qr| qr.end <= r.start);
            !quotes
                .get(i)
                .is_some_and(|qr| qr.start <= r.start && r.end <= qr.end)
        };
        // The sentence's subject and a colon first; its verbs only when neither tells.
        let toks = cx.toks(&(ctx.start..q.range.start));
        let subject = cx
            .reader(&[])
            .subject(&toks, cx.lower, &[])
            .map(|(np, _)| np);
        let colon = text[ctx.start..q.range.start]
            .trim_end_matches(is_space)
            .ends_with(':');
        let speaking = subject.as_ref().is_some_and(|np| np.kind.is_speaker());
        let verb = if speaking || colon {
            None
        } else {
            let ctx_verbs = cx.verbs(ctx);
            within(&ctx_verbs.all, ctx)
                .iter()
                .chain(within(&ctx_verbs.strict, ctx))
                .filter(|r| outside(r))
                .min_by_key(|v| distance(v, &q.range))
                .cloned()
        };
        if verb.is_some() || colon || speaking {
            // One capitalised word opening the sentence is as often a participle, a
            // pronoun or a common noun (« Revenant sur… », « Je », "Referring to…") as a
            // name: the quotation is attributed, but that word is not given as its
            // speaker, which the resolution below may still find.
            let speaker = subject
                .filter(|np| np.kind.is_speaker() && (!np.uncertain_name || cx.verb_follows(np)))
                .map(|np| cx.speaker(&np));
            q.attribute(How::Intro, speaker, verb);
            return;
        }
    }
    // 5. Links and defined footnotes in the sentence are sources.
    // Links and footnotes are sorted: binary searches, not a read of the block's lists
    // for every quotation.
    let first_link = block.links.partition_point(|l| l.end <= ctx.start);
    let has_link = block
        .links
        .get(first_link)
        .is_some_and(|l| l.start < ctx.end);
    let first_note = block.footnotes.partition_point(|&(at, _)| at < ctx.start);
    let has_footnote = block.footnotes[first_note..]
        .iter()
        .take_while(|&&(at, _)| at <= ctx.end + 1)
        .any(|&(_, defined)| defined);
    if has_link || has_footnote {
        q.attribute(How::Source, None, None);
    }
}

/// An attribution line starting at prose offset `at` of block `b`: a dash, then a name
/// (`— Anna Kirakosian, habitante`, `― Name`).
fn attribution_line(doc: &Document, b: usize, at: usize) -> Option<Speaker> {
    let block = doc.blocks.get(b)?;
    let t = block.text.get(at..)?;
    let dash = ['—', '―', '–']
        .iter()
        .find(|d| t.starts_with(**d))
        .map(|d| d.len_utf8())
        .or_else(|| t.starts_with("--").then_some(2))?;
    let name = &t[dash..];
    let skip = name.len() - name.trim_start_matches(is_space).len();
    let name_start = at + dash + skip;
    let rest = &block.text[name_start..];
    // The line names someone: it starts with a capital and is short.
    if !rest.chars().next().is_some_and(char::is_uppercase) || word_count(rest) > 16 {
        return None;
    }
    let name_end = rest
        .find([',', '('])
        .map_or(block.text.len(), |i| name_start + i);
    let name_text =
        block.text[name_start..name_end].trim_end_matches(|c: char| is_space(c) || c == '.');
    let desc = block.text[name_end..]
        .trim_matches(|c: char| is_space(c) || matches!(c, ',' | '(' | ')' | '.'));
    Some(Speaker {
        text: shorten(name_text),
        kind: SpeakerKind::Named,
        resolved: None,
        block: b,
        range: name_start..name_start + name_text.len(),
        description: (!desc.is_empty()).then(|| shorten(desc)),
    })
}

/// Interview labels at the start of a block: a question (`**Q.**`, « Question : ») or an
/// answer (`**R.**`, "A:", a speaker's name followed by a colon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Question,
    Answer,
}

fn interview_label(text: &str) -> Option<Label> {
    let t =
        text.trim_start_matches(|c: char| is_space(c) || matches!(c, '*' | '_' | '—' | '–' | '-'));
    let word_end = t.find(|c: char| !c.is_alphabetic()).unwrap_or(t.len());
    let (word, rest) = t.split_at(word_end);
    // The label ends with a full stop or a colon, before or after the closing emphasis.
    let rest = rest.trim_start_matches(|c: char| is_space(c) || matches!(c, '*' | '_'));
    if !rest.starts_with(['.', ':']) {
        return None;
    }
    match word.to_lowercase().as_str() {
        "q" | "question" => Some(Label::Question),
        "r" | "a" | "réponse" | "answer" => Some(Label::Answer),
        _ => None,
    }
}

/// How far back, in sentences, a quotation standing alone looks for its speaker when
/// the sentences in between name nobody (« Le rendez-vous est donné rue des Roseaux. »).
const WALK_BACK: usize = 4;

/// What a sentence says of who speaks next.
enum Floor {
    /// The sentence holds an attributed quotation: its speaker keeps the floor.
    Quote(Option<Speaker>),
    /// The sentence's subject can speak (« Le ministre s'est défendu. »).
    Subject(Speaker),
    /// The sentence introduces words to come (« Elle a rappelé : »).
    Intro,
    /// The sentence names someone else or something that cannot speak.
    Nobody,
}

impl BlockCtx<'_> {
    /// What sentence `i` of this block says of who speaks next.
    fn floor(&self, i: usize, previous: &[QuoteSpan], people: &People) -> Floor {
        let s = &self.sentences[i];
        if let Some(p) = quote_in(previous, self.bi, &s.range).filter(|p| p.attributed) {
            return Floor::Quote(p.speaker.clone());
        }
        if let Some(np) = self.speaking_subject(i, people) {
            return Floor::Subject(self.speaker(&np));
        }
        let text = &self.text[s.range.clone()];
        if text.trim_end_matches(is_space).ends_with(':')
            || reports_speech(self.lower, &s.range, &self.verbs(&s.range), self.lex)
        {
            return Floor::Intro;
        }
        Floor::Nobody
    }

    /// Whether sentence `i` reports speech: a verb of saying ends it or introduces words,
    /// or a source marker gives someone's view (« Selon M. Reynders, … »).
    fn speaks(&self, i: usize) -> bool {
        let range = &self.sentences[i].range;
        reports_speech(self.lower, range, &self.verbs(range), self.lex)
            || !self
                .lex
                .source_markers
                .find_all(&self.lower[range.clone()])
                .is_empty()
    }

    /// The subject of sentence `i` when it can speak. One capitalised word opening the
    /// sentence counts as a name only when it is a surname met before in the article
    /// or a reporting verb follows it.
    fn speaking_subject(&self, i: usize, people: &People) -> Option<Np> {
        let (np, _) = self.subject(i)?;
        if !np.kind.is_speaker() {
            return None;
        }
        if np.uncertain_name {
            let word = &self.text[np.range.clone()];
            let known = people.by_surname.contains_key(&word.to_lowercase());
            if !(known || self.verb_follows(&np)) {
                return None;
            }
        }
        Some(np)
    }

    /// Whether a verb of saying follows the phrase, at most one word after it ("Smith
    /// said", « Dupont a déclaré »).
    fn verb_follows(&self, np: &Np) -> bool {
        // After the apposition, when there is one: « Laurent, un ingénieur toulousain,
        // explique : ».
        let from = np
            .apposition
            .as_ref()
            .map_or(np.range.end, |a| a.end.max(np.range.end))
            .min(self.lower.len());
        let after = from..(from + 40).min(self.lower.len());
        first_in(&self.verbs(&after).all, &after).is_some_and(|v| {
            self.lower[from..v.start]
                .trim_matches(|c: char| is_space(c) || c == ',')
                .split_whitespace()
                .count()
                <= 1
        })
    }
}

/// Whether an earlier (or, for a quote that opens a story, the next) sentence or
/// paragraph tells who speaks a quotation that stands alone with no tag of its own.
#[allow(clippy::too_many_arguments)]
fn continuation(
    q: &mut QuoteSpan,
    doc: &Document,
    all: &[Sentence],
    cx: &BlockCtx,
    sent_idx: Option<usize>,
    previous: &[QuoteSpan],
    last_quote: &[Option<usize>],
    interview_answer: bool,
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    people: &People,
) {
    let Some(i) = sent_idx else { return };
    // Back over the sentences of this paragraph, then the end of the one before: the
    // nearest that gives the floor to someone, across sentences that name nobody.
    let mut looked = 0;
    let decide = |floor: Floor, how: How, q: &mut QuoteSpan| -> bool {
        match floor {
            Floor::Quote(speaker) => q.attribute(how, speaker, None),
            Floor::Subject(speaker) => q.attribute(how, Some(speaker), None),
            Floor::Intro => q.attribute(how, None, None),
            Floor::Nobody => return false,
        }
        true
    };
    // The sentence right before hands over to its subject (« Le ministre s'est défendu.
    // « … » ») or introduces the words (« Elle a rappelé : »); further back, over
    // sentences that name nobody, only a quotation or a subject that speaks does:
    // « Trois États ont bloqué le texte. Le texte avait survécu à deux versions. « … » »
    // quotes none of those States.
    for k in (0..i).rev().take(WALK_BACK) {
        looked += 1;
        let floor = match cx.floor(k, previous, people) {
            Floor::Subject(_) if k + 1 < i && !cx.speaks(k) => Floor::Nobody,
            // An introduction hands over to the words right after it only.
            Floor::Intro if k + 1 < i => Floor::Nobody,
            f => f,
        };
        if decide(floor, How::PreviousSentence, q) {
            return;
        }
    }
    if looked < WALK_BACK && cx.bi > 0 && !doc.blocks[cx.bi - 1].is_heading() {
        let pb = cx.bi - 1;
        let pcx = BlockCtx::new(doc, all, pb, doc_lang, lexicons, cx.all_verbs);
        let n = pcx.sentences.len();
        // The paragraph's last quotation, if it stands in its last two sentences.
        // After sentences of this paragraph that name nobody, only a full quotation
        // keeps the floor: a scare quote ("routine editing") does not.
        if let Some(p) = last_quote[pb]
            .and_then(|k| previous.get(k))
            .filter(|p| p.attributed && (looked == 0 || p.full))
        {
            let tail_start = n.checked_sub(2).map_or(0, |k| pcx.sentences[k].range.start);
            if p.range.end > tail_start {
                let speaker = p.speaker.clone();
                q.attribute(How::PreviousParagraph, speaker, None);
                return;
            }
        }
        // Across the paragraph break, only the last sentence hands over, and its subject
        // only when it speaks: « La Russie n'avait pas réagi. » two sentences up does not
        // make Russia the speaker of the next paragraph. After sentences of its own
        // paragraph that name nobody, a quotation continues only the quotation that
        // closes the paragraph before (above): « Turnout was 61.4%. "…" » quotes nobody
        // the paragraph before merely named.
        if let Some(k) = n.checked_sub(1).filter(|_| looked == 0) {
            let floor = match pcx.floor(k, previous, people) {
                Floor::Subject(_) if !pcx.speaks(k) => Floor::Nobody,
                f => f,
            };
            if decide(floor, How::PreviousParagraph, q) {
                return;
            }
        }
    }
    if interview_answer {
        q.attribute(How::Interview, None, None);
        return;
    }
    // A quotation that opens a story or a paragraph, followed by the sentence that
    // introduces its speaker: « « On a tout perdu. » Marie, 45 ans, contemple les ruines. »
    if let Some(end_idx) = sentence_at(cx.sentences, q.range.end.saturating_sub(1))
        && cx
            .sentences
            .get(end_idx + 1)
            .is_some_and(|s| s.range.start >= q.range.end)
        && let Some(np) = cx.speaking_subject(end_idx + 1, people)
        && matches!(
            np.kind,
            NpKind::Name | NpKind::Pronoun | NpKind::Role { .. }
        )
    {
        q.attribute(How::FollowingSentence, Some(cx.speaker(&np)), None);
        return;
    }
    // The same across a paragraph break, for a quotation that is its whole paragraph and
    // a person introduced right after it with a description (« Marie Dupont, 45 ans, … »).
    let whole_block = q.range.start == first_non_space(cx.text)
        && cx.text[q.range.end.min(cx.text.len())..]
            .trim_matches(is_space)
            .is_empty();
    if whole_block && doc.blocks.get(cx.bi + 1).is_some_and(|b| !b.is_heading()) {
        let ncx = BlockCtx::new(doc, all, cx.bi + 1, doc_lang, lexicons, cx.all_verbs);
        if let Some(np) = ncx
            .speaking_subject(0, people)
            .filter(|np| np.kind == NpKind::Name && np.apposition.is_some())
        {
            q.attribute(How::FollowingSentence, Some(ncx.speaker(&np)), None);
        }
    }
}

/// The last top-level quotation of block `b` that overlaps `range`, if any. The
/// quotations found so far are sorted by block and start: a binary search finds the
/// last one starting before the range ends, and top-level quotations do not overlap,
/// so only the few just before it can hold the range.
fn quote_in<'q>(
    previous: &'q [QuoteSpan],
    b: usize,
    range: &Range<usize>,
) -> Option<&'q QuoteSpan> {
    let end = previous.partition_point(|p| (p.block, p.range.start) < (b, range.end));
    previous[..end]
        .iter()
        .rev()
        .take_while(|p| p.block == b)
        .take(MAX_DEPTH + 2)
        .find(|p| p.depth == 0 && p.range.end > range.start)
}

/// The people named so far, for resolving a pronoun, a surname or a role to the person.
#[derive(Default)]
struct People {
    /// Full names by their last word, lower-cased (« pachinian » → « Nikol Pachinian »).
    by_surname: HashMap<String, String>,
    /// Names given to roles in apposition, by the role's words lower-cased.
    by_role: HashMap<String, String>,
    /// The words written after a capitalised word anywhere in the document (see
    /// [`words_after_capitals`]), made on first use: the surname, lower-cased, and the
    /// full name it was written in (`None` when two first names share it).
    after_first_name: Option<HashMap<String, Option<String>>>,
}

impl People {
    fn learn_name(&mut self, name: &str) {
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() >= 2
            && let Some(last) = words.last()
        {
            self.by_surname
                .entry(last.to_lowercase())
                .or_insert_with(|| name.to_string());
        }
    }

    fn learn_role(&mut self, role: &str, name: &str) {
        let key = role_key(role);
        if !key.is_empty() {
            self.by_role.insert(key, name.to_string());
        }
    }

    /// The full name the article writes a one-word name in, somewhere (see
    /// [`words_after_capitals`]).
    fn introduced(&mut self, name: &str, doc: &Document, lex: &LangLexicon) -> Option<String> {
        if name.split_whitespace().count() != 1 || !name.chars().any(char::is_lowercase) {
            return None;
        }
        let map = self
            .after_first_name
            .get_or_insert_with(|| words_after_capitals(doc, lex));
        map.get(&name.to_lowercase())
            .cloned()
            .flatten()
            .filter(|full| full != name)
    }

    /// The full name a one-word name stands for.
    fn full_name(&self, name: &str) -> Option<&String> {
        if name.split_whitespace().count() != 1 {
            return None;
        }
        self.by_surname
            .get(&name.to_lowercase())
            .filter(|full| full.as_str() != name)
    }
}

/// A role's words without its determiner, lower-cased (« le ministre » → « ministre »).
fn role_key(role: &str) -> String {
    let lower = role.to_lowercase().replace('’', "'");
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    if let Some(first) = words.first()
        && matches!(
            *first,
            "le" | "la"
                | "les"
                | "l'"
                | "the"
                | "this"
                | "son"
                | "sa"
                | "his"
                | "her"
                | "their"
                | "its"
        )
    {
        words.remove(0);
    }
    let joined = words.join(" ");
    joined.strip_prefix("l'").unwrap_or(&joined).to_string()
}

/// Resolves the quotation's speaker to the person its words stand for: a pronoun to the
/// person named before it (within a few sentences of this paragraph and the one before),
/// a surname to the full name, a role to the name given to it in apposition.
#[allow(clippy::too_many_arguments)]
fn resolve(
    q: &mut QuoteSpan,
    cx: &BlockCtx,
    sent_idx: Option<usize>,
    doc: &Document,
    all: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    previous: &[QuoteSpan],
    people: &mut People,
) {
    let Some(speaker) = q.speaker.as_mut() else {
        return;
    };
    if speaker.resolved.is_some() {
        if let Some(name) = speaker.resolved.clone() {
            people.learn_name(&name);
            people.learn_role(&speaker.text, &name);
        }
        return;
    }
    match speaker.kind {
        SpeakerKind::Named => {
            if let Some(full) = people.full_name(&speaker.text) {
                speaker.resolved = Some(full.clone());
            } else if let Some(full) = people.introduced(&speaker.text, doc, cx.lex) {
                // A surname whose full name the article writes elsewhere (« Jane Doe
                // runs the shelter. » … « But Doe warned … »).
                people.learn_name(&full);
                speaker.resolved = Some(full);
            } else {
                people.learn_name(&speaker.text);
            }
            if let Some(desc) = &speaker.description {
                let name = speaker
                    .resolved
                    .clone()
                    .unwrap_or_else(|| speaker.text.clone());
                people.learn_role(desc, &name);
            }
        }
        SpeakerKind::Role => {
            if let Some(name) = people.by_role.get(&role_key(&speaker.text)) {
                speaker.resolved = Some(name.clone());
            }
        }
        SpeakerKind::Pronoun => {
            // « il », « elle », "he", "she" stand for one person: never for « The World
            // Cup » or "the International Rugby Board"; "they" may stand for a group.
            let word = speaker
                .text
                .rsplit(['-', '‑'])
                .next()
                .unwrap_or("")
                .to_lowercase();
            let person = matches!(word.as_str(), "il" | "elle" | "he" | "she");
            let named = last_named(
                cx,
                sent_idx,
                doc,
                all,
                doc_lang,
                lexicons,
                previous,
                q.range.start,
                people,
                person,
            );
            if let Some((name, description)) = named {
                // The person is known from here on: a later surname alone is theirs.
                people.learn_name(&name);
                speaker.resolved = Some(name);
                // The person's description, where the article gives it (« Anna
                // Kirakosian, maire de Vardenis, a reçu… », then « a-t-elle déclaré »).
                if speaker.description.is_none() {
                    speaker.description = description;
                }
            }
        }
        _ => {}
    }
}

/// Whether a name can be a person's, for a singular pronoun to stand for it: every word
/// capitalised (name particles aside), no determiner first (« The World Cup », "the
/// International Rugby Board", "Footage of the incident" are not), and a single word
/// only when it is the surname of a full name met before ("Times", "Labour", "I" are
/// not).
fn person_like(name: &str, people: &People) -> bool {
    const PARTICLES: &[&str] = &[
        "de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "da", "di", "del",
        "della", "dos", "das", "bin", "ibn", "al", "el", "abu", "ben", "y",
    ];
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "this", "that", "le", "la", "les", "l'", "l’", "un", "une", "des", "ce",
        "cet", "cette",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let lower = first.to_lowercase();
    if DETERMINERS.contains(&lower.as_str()) || lower.starts_with("l'") || lower.starts_with("l’")
    {
        return false;
    }
    let capitalised = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            || PARTICLES.contains(&w.to_lowercase().as_str())
    };
    if !words.iter().all(capitalised) {
        return false;
    }
    if words.len() == 1 {
        let has_lower = first.chars().any(char::is_lowercase);
        return has_lower && people.by_surname.contains_key(&lower);
    }
    true
}

/// Every word of the document written right after a capitalised word that is no
/// function word, lower-cased, with the two words as written: the surnames of full
/// names (« melody » → nothing, « jackson » → « Melody Jackson »), wherever the article
/// introduces them. One pass over the document, made once, when first needed.
fn words_after_capitals(doc: &Document, lex: &LangLexicon) -> HashMap<String, Option<String>> {
    let p = &lex.people;
    let mut out: HashMap<String, Option<String>> = HashMap::new();
    for block in &doc.blocks {
        let mut prev: Option<&str> = None;
        for word in block.text.split_whitespace() {
            let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            let cap = w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() >= 2
                && w.chars().all(|c| c.is_alphabetic() || c == '-');
            if cap
                && w.chars().any(char::is_lowercase)
                && let Some(first) = prev
            {
                let full = format!("{first} {w}");
                out.entry(w.to_lowercase())
                    .and_modify(|e| {
                        if e.as_deref() != Some(full.as_str()) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(full));
            }
            // A word that ends a clause does not make the next one a surname, and a
            // function word (« The », « Le », "But") is no first name.
            let lower = w.to_lowercase();
            let function = p.definite.contains(&lower)
                || p.indefinite.contains(&lower)
                || p.possessive.contains(&lower)
                || p.prepositions.contains(&lower)
                || p.conjunctions.contains(&lower)
                || p.adverbs.contains(&lower)
                || p.pronouns.contains(&lower)
                // A title is no first name: "Mr Okonjo" introduces nobody.
                || matches!(
                    lower.as_str(),
                    "m" | "mme" | "mlle" | "mr" | "mrs" | "ms" | "miss" | "monsieur" | "madame" | "dr" | "pr" | "prof"
                        | "sen" | "rep" | "gov" | "sir" | "dame" | "lord" | "lady"
                );
            let ends = word.ends_with(['.', ',', ';', ':', '!', '?', '»', '”', '"', ')']);
            prev = (cap && !function && !ends).then_some(w);
        }
    }
    out
}

/// A person found for a pronoun: the name, and the description given with it.
type Named = (String, Option<String>);

/// The last person named before `before` in this paragraph or the one before it: the
/// subject of one of the last few sentences, or the speaker of an earlier quotation.
#[allow(clippy::too_many_arguments)]
fn last_named(
    cx: &BlockCtx,
    sent_idx: Option<usize>,
    doc: &Document,
    all: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    previous: &[QuoteSpan],
    before: usize,
    people: &mut People,
    person: bool,
) -> Option<Named> {
    if people.after_first_name.is_none() {
        people.after_first_name = Some(words_after_capitals(doc, cx.lex));
    }
    let fits = |name: &str, people: &People| {
        !person
            || person_like(name, people)
            || (name.split_whitespace().count() == 1
                && person_like(&format!("X {name}"), people)
                && people
                    .after_first_name
                    .as_ref()
                    .is_some_and(|set| set.contains_key(&name.to_lowercase())))
    };
    let name_of = |np: &Np, bcx: &BlockCtx, people: &mut People| -> Option<Named> {
        // One capitalised word opening a sentence stands for a person only when it is a
        // surname met before or written after a first name somewhere (« Times »,
        // « Crime » are not), or a verb of saying follows it.
        let word = bcx.text[np.range.clone()].to_lowercase();
        if np.uncertain_name
            && !people.by_surname.contains_key(&word)
            && !people
                .after_first_name
                .as_ref()
                .is_some_and(|set| set.contains_key(&word))
            && !bcx.verb_follows(np)
        {
            return None;
        }
        let sp = bcx.speaker(np);
        let name = match sp.kind {
            SpeakerKind::Named => sp
                .resolved
                .clone()
                .or_else(|| people.full_name(&sp.text).cloned())
                .unwrap_or(sp.text),
            SpeakerKind::Role => people.by_role.get(&role_key(&sp.text)).cloned()?,
            _ => return None,
        };
        fits(&name, people).then_some((name, sp.description))
    };
    // The speaker of the last quotation in this paragraph or the one before, before `before`.
    let last_quote_name = previous
        .iter()
        .rev()
        .take_while(|p| p.block + 1 >= cx.bi)
        .take(LOOKBACK * (MAX_DEPTH + 1))
        .filter(|p| p.block < cx.bi || p.range.end <= before)
        .find_map(|p| {
            let s = p.speaker.as_ref()?;
            match s.kind {
                SpeakerKind::Named => Some((
                    p.block,
                    p.range.start,
                    (
                        s.resolved.clone().unwrap_or_else(|| s.text.clone()),
                        s.description.clone(),
                    ),
                )),
                SpeakerKind::Pronoun | SpeakerKind::Role => s
                    .resolved
                    .clone()
                    .map(|r| (p.block, p.range.start, (r, s.description.clone()))),
                _ => None,
            }
            .filter(|(_, _, (name, _))| fits(name, people))
        });
    // The subjects of the sentences before, nearest first.
    let mut seen = 0;
    let current = sent_idx.unwrap_or(0);
    for i in (0..=current).rev() {
        if seen >= LOOKBACK {
            break;
        }
        seen += 1;
        let s = &cx.sentences[i];
        if let Some((b, at, name)) = &last_quote_name
            && *b == cx.bi
            && *at >= s.range.start
        {
            return Some(name.clone());
        }
        if let Some((np, _)) = cx.subject(i)
            && let Some(name) = name_of(&np, cx, people)
        {
            return Some(name);
        }
    }
    if cx.bi == 0 || seen >= LOOKBACK || doc.blocks[cx.bi - 1].is_heading() {
        return last_quote_name.map(|(_, _, n)| n);
    }
    let pcx = BlockCtx::new(doc, all, cx.bi - 1, doc_lang, lexicons, cx.all_verbs);
    for i in (0..pcx.sentences.len()).rev().take(LOOKBACK - seen) {
        let s = &pcx.sentences[i];
        if let Some((b, at, name)) = &last_quote_name
            && *b == pcx.bi
            && *at >= s.range.start
        {
            return Some(name.clone());
        }
        if let Some((np, _)) = pcx.subject(i)
            && let Some(name) = name_of(&np, &pcx, people)
        {
            return Some(name);
        }
    }
    last_quote_name.map(|(_, _, n)| n)
}

/// Gives every quotation of a multi-paragraph run (a quotation left open at the end of
/// its paragraph, continued by the next paragraph's opening mark) the attribution found
/// where the run opens or where it closes.
fn link_multi_paragraph(quotes: &mut [QuoteSpan]) {
    let mut i = 0;
    while i < quotes.len() {
        if !(quotes[i].depth == 0 && quotes[i].unclosed && !quotes[i].continued) {
            i += 1;
            continue;
        }
        // The run: this quote and the continued ones that follow, block after block.
        let mut members = vec![i];
        let mut j = i + 1;
        let mut last = i;
        while j < quotes.len() {
            let q = &quotes[j];
            if q.depth != 0 {
                j += 1;
                continue;
            }
            if q.continued && q.block == quotes[last].block + 1 {
                members.push(j);
                last = j;
                if !q.unclosed {
                    break;
                }
                j += 1;
            } else {
                break;
            }
        }
        let source = members.iter().find(|&&k| quotes[k].attributed).copied();
        if let Some(k) = source {
            // The cue stays with the paragraph it stands in: prose ranges are per block.
            let speaker = quotes[k].speaker.clone();
            for &m in &members {
                if !quotes[m].attributed {
                    quotes[m].attribute(How::MultiParagraph, speaker.clone(), None);
                }
            }
        }
        i = last + 1;
    }
}

/// A tag a few words after a quotation that opens its sentence: « « Je me joins à cet
/// appel » à la grève, avait déclaré X », "\"…\" on the ground, a French source said".
/// The words between are the end of the quoted clause, with no quotation mark and no
/// end of sentence; the tag must hold a verb of saying and name someone who can speak.
fn delayed_tag(cx: &BlockCtx, q: &QuoteSpan) -> Option<super::speakers::Tag> {
    const REACH: usize = 80;
    let text = cx.text;
    let from = q.range.end.min(text.len());
    let to = crate::text::floor_char_boundary(text, from + REACH);
    let gap = &text[from..to];
    let comma = gap.find([
        ',', '.', ';', '!', '?', ':', '«', '»', '“', '”', '"', '(', '\n',
    ])?;
    if !gap[comma..].starts_with(',') || !gap[..comma].chars().any(char::is_alphabetic) {
        return None;
    }
    let at = from + comma;
    let verbs = cx.verbs(&(at..(at + REACH).min(text.len())));
    let tag = cx
        .reader(&verbs.all)
        .tag_after(text, cx.lower, at, Some(','), &verbs.all)?;
    let speaks = tag.speaker.as_ref().is_some_and(|np| np.kind.is_speaker());
    let clause = at..tag
        .speaker
        .as_ref()
        .map_or(tag.cue.end, |np| np.range.end.max(tag.cue.end));
    let said = verbs
        .all
        .iter()
        .any(|v| v.start >= at && v.start < clause.end.max(at + 40));
    (speaks && said).then_some(tag)
}

/// Whether a sentence reports someone's words: a verb of saying it ends on ("Marc Lamont
/// Hill commented," / « a-t-il poursuivi : »), or a strong one followed in French by
/// « que » or a colon (« Elle a rappelé que … »), since « un panneau indique la
/// direction » reports nothing; not a verb inside a hearsay cue such as "is said to".
/// `range` is the sentence in the block whose lower-cased prose is `lower` and whose
/// verbs are `verbs`.
fn reports_speech(
    lower: &str,
    range: &Range<usize>,
    verbs: &BlockVerbs,
    lex: &LangLexicon,
) -> bool {
    let all = within(&verbs.all, range);
    let strict = within(&verbs.strict, range);
    if all.is_empty() && strict.is_empty() {
        return false;
    }
    let text = &lower[range.clone()];
    let hearsay: Vec<Range<usize>> = lex
        .hearsay
        .find_lowered(text)
        .into_iter()
        .map(|h| h.start + range.start..h.end + range.start)
        .collect();
    let in_hearsay = |v: &Range<usize>| hearsay.iter().any(|h| h.start < v.end && v.start < h.end);
    let ends_on_verb = all.iter().any(|v| {
        !in_hearsay(v)
            && lower[v.end.min(range.end)..range.end]
                .chars()
                .all(|c| is_space(c) || matches!(c, ',' | ':' | '.' | '—' | '–'))
    });
    if ends_on_verb {
        return true;
    }
    strict.iter().any(|v| {
        if in_hearsay(v) || v.end > range.end {
            return false;
        }
        match lex.lang {
            Lang::En => true,
            Lang::Fr => {
                let after: String = lower[v.end..range.end].chars().take(40).collect();
                after.contains(" que ")
                    || after.contains(" qu'")
                    || after.contains(" qu’")
                    || after.trim_start().starts_with(':')
            }
        }
    })
}

fn distance(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn shorten(s: &str) -> String {
    let s = s.trim_matches(|c: char| is_space(c) || matches!(c, ',' | '.' | ';' | ':'));
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{markdown, sentences};
    use crate::config::Config;

    fn spans(text: &str) -> Vec<(String, usize, bool)> {
        scan_block(text)
            .into_iter()
            .map(|(r, _, d, u)| (text[r].to_string(), d, u))
            .collect()
    }

    #[test]
    fn nesting_and_unclosed() {
        let found = scan_block("« Il a dit “non” hier. » Puis « encore");
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].2, 0);
        assert_eq!(found[1].2, 1);
        assert!(found[2].3, "the last quote is left open");
    }

    #[test]
    fn mixed_marks_close_what_they_open() {
        // « closed by ", then a normal pair: the second pairing is not shifted.
        let s = spans("« Ouverte et fermée autrement\", a dit X. « Normale », a ajouté X.");
        assert_eq!(
            s[0],
            ("« Ouverte et fermée autrement\"".to_string(), 0, false)
        );
        assert_eq!(s[1], ("« Normale »".to_string(), 0, false));
        let s = spans("“Curly then straight,\" he said. “Normal,” he added.");
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[1].0, "“Normal,”");
        assert!(s.iter().all(|(_, d, u)| *d == 0 && !u));
    }

    #[test]
    fn a_stray_opener_does_not_swallow_later_quotes() {
        let s = spans("Le « plan de paix était mort. « Nous partons », a dit X.");
        assert!(
            s.contains(&("« Nous partons »".to_string(), 0, false)),
            "{s:?}"
        );
    }

    #[test]
    fn many_unclosed_marks_give_one_span() {
        // Sixteen thousand open marks: one quotation to the end of the block, not one
        // span per mark (which made the analysis quadratic in time and memory).
        let text = "« ".repeat(16_000);
        let s = scan_block(&text);
        assert_eq!(s.len(), 1);
        let text = "\" a ".repeat(16_000);
        assert!(scan_block(&text).len() <= 16_001);
        let text = "« “ ".repeat(8_000) + &"” » ".repeat(8_000);
        assert!(scan_block(&text).len() <= 3 * 8_000);
    }

    fn quotes(md: &str, lang: Lang) -> Vec<(String, bool, Option<String>)> {
        let doc = markdown::parse(md);
        let s = sentences::split_document(&doc, Some(lang));
        let lex = Lexicons::new(&Config::default());
        let verbs = Verbs::new(&doc, &s, Some(lang), &lex);
        find(&doc, &s, Some(lang), &lex, &verbs)
            .into_iter()
            .filter(|q| q.depth == 0 && q.full)
            .map(|q| {
                let t = doc.blocks[q.block].text[q.content.clone()]
                    .trim()
                    .to_string();
                let speaker = q.speaker.map(|s| s.resolved.unwrap_or(s.text));
                (t, q.attributed, speaker)
            })
            .collect()
    }

    fn speaker_of(md: &str, lang: Lang) -> Option<String> {
        let q = quotes(md, lang);
        assert!(
            q.iter().all(|q| q.1),
            "every quotation is attributed: {q:?}"
        );
        q.last().and_then(|q| q.2.clone())
    }

    #[test]
    fn tags_after_several_sentences_and_with_any_verb() {
        let fr = [
            (
                "« Nous ne partirons pas. La frontière est à nous. Personne ne nous fera reculer », a martelé le maire.",
                "le maire",
            ),
            (
                "« C'est du grand n'importe quoi », s'insurge Jean-Paul.",
                "Jean-Paul",
            ),
            ("« Tenez bon ! », lui lance le passant.", "le passant"),
            (
                "« On nous avait promis autre chose », le cueille d'emblée le maire.",
                "le maire",
            ),
        ];
        for (md, who) in fr {
            assert_eq!(speaker_of(md, Lang::Fr).as_deref(), Some(who), "{md}");
        }
        let en = [
            (
                "\"We are not leaving. This is our land,\" the mayor said.",
                "the mayor",
            ),
            (
                "\"You're missing the point,\" counters the resident.",
                "the resident",
            ),
            ("\"What is the plan?\" Smith asked.", "Smith"),
            (
                "\"We were hacked last night,\" the statement read.",
                "the statement",
            ),
        ];
        for (md, who) in en {
            assert_eq!(speaker_of(md, Lang::En).as_deref(), Some(who), "{md}");
        }
        let q = quotes("\"Best gift ever!\" was the reply of one viewer.", Lang::En);
        assert!(q[0].1);
    }

    #[test]
    fn continuation_pronouns_and_resolution() {
        assert_eq!(
            speaker_of(
                "Le ministre s'est défendu. « Cette taxe est annulée. »",
                Lang::Fr
            )
            .as_deref(),
            Some("Le ministre")
        );
        assert_eq!(
            speaker_of(
                "Nikol Pachinian a reçu les journalistes mardi. « Nous ne signerons rien sous la pression », a-t-il déclaré.",
                Lang::Fr
            )
            .as_deref(),
            Some("Nikol Pachinian")
        );
        assert_eq!(
            speaker_of(
                "Jane Doe met reporters on Tuesday.\n\n\"We will not sign anything under pressure,\" she said.",
                Lang::En
            )
            .as_deref(),
            Some("Jane Doe")
        );
        // A surname resolves to the full name introduced earlier.
        let q = quotes(
            "« Nous partirons demain matin », a dit Nikol Pachinian.\n\n« Nous reviendrons un jour ici », a ajouté Pachinian.",
            Lang::Fr,
        );
        assert_eq!(q[1].2.as_deref(), Some("Nikol Pachinian"));
        // « il », "he", "she" stand for a person: not for a thing named as a subject, and
        // a surname alone only when the article gives the full name somewhere.
        let q = quotes(
            "The World Cup starts in June in the north.\n\n\"We are ready for it and we will win the whole thing,\" he said.",
            Lang::En,
        );
        assert_eq!(q[0].2.as_deref(), Some("he"), "{q:?}");
        let q = quotes(
            "Melody Jackson runs the shelter.\n\nThe road is closed.\n\nJackson stayed at home on Monday. \"We are ready for the winter and nobody will leave,\" she said.",
            Lang::En,
        );
        assert_eq!(q[0].2.as_deref(), Some("Jackson"), "{q:?}");
        // A conjunction or a participial clause before the subject of an introduction.
        let q = quotes(
            "Jane Doe runs the shelter.\n\nBut Doe warned that the pumps had been \"failing for weeks without anyone noticing\".",
            Lang::En,
        );
        assert_eq!(q[0].2.as_deref(), Some("Jane Doe"), "{q:?}");
        let q = quotes(
            "Speaking on the radio on Sunday, the spokesman said the plan was \"the only way out of this crisis for all of us\".",
            Lang::En,
        );
        assert_eq!(q[0].2.as_deref(), Some("the spokesman"), "{q:?}");
        // « Pour X, « … » » gives X's opinion; a tag with no subject after a quotation
        // inside its sentence leaves the floor to the sentence's subject.
        let q = quotes(
            "Pour Olivier Faure, premier secrétaire du parti, « le cap n'est pas modifié du tout et rien ne change ».",
            Lang::Fr,
        );
        assert_eq!(q[0].2.as_deref(), Some("Olivier Faure"), "{q:?}");
        let q = quotes(
            "Emmanuel Macron s'est engagé à « rencontrer les maires de toutes les régions du pays », pour bâtir un nouveau contrat.",
            Lang::Fr,
        );
        assert_eq!(q[0].2.as_deref(), Some("Emmanuel Macron"), "{q:?}");
        // The document an impersonal tag reads from is the speaker.
        assert_eq!(
            speaker_of(
                "« Nous ne céderons rien sur les salaires », lit-on dans le communiqué du syndicat.",
                Lang::Fr
            )
            .as_deref(),
            Some("le communiqué du syndicat")
        );
        // « A Paris » and a participle opening a sentence are not speakers.
        for md in [
            "A Paris, la colère gronde : « Nous ne partirons pas d'ici avant la fin ».",
            "Revenant sur la grève, le texte conclut : « Nous ne partirons pas d'ici avant la fin ».",
        ] {
            let q = quotes(md, Lang::Fr);
            assert!(
                q.iter()
                    .all(|q| q.2.as_deref().is_none_or(|s| !s.starts_with(['A', 'R']))),
                "{md}: {q:?}"
            );
        }
        // A paragraph of quotation after an attributed one continues it.
        let q = quotes(
            "« Nous resterons ici », a dit le maire.\n\n« Personne ne nous fera partir. »",
            Lang::Fr,
        );
        assert!(q.iter().all(|q| q.1), "{q:?}");
    }

    #[test]
    fn multi_paragraph_quotations() {
        let q = quotes(
            "« Premier paragraphe d'une longue citation qui continue.\n\n« Deuxième paragraphe de la même citation, qui se termine ici », a conclu le syndicaliste.",
            Lang::Fr,
        );
        assert_eq!(q.len(), 2);
        assert!(
            q.iter()
                .all(|q| q.1 && q.2.as_deref() == Some("le syndicaliste")),
            "{q:?}"
        );
    }

    #[test]
    fn attribution_lines_and_interviews() {
        for md in [
            "> « Nous avons tout perdu dans l'incendie. »\n> — Anna Kirakosian, habitante",
            "« Nous avons tout perdu dans l'incendie. »\n― Anna Kirakosian",
            "« Nous avons tout perdu dans l'incendie. »\n\n— Anna Kirakosian, habitante",
        ] {
            assert_eq!(
                speaker_of(md, Lang::Fr).as_deref(),
                Some("Anna Kirakosian"),
                "{md}"
            );
        }
        let q = quotes(
            "**Q.** Que pensez-vous de l'accord ?\n\n**R.** C'est une étape.\n\n« Nous irons plus loin que prévu. »",
            Lang::Fr,
        );
        assert!(q[0].1, "{q:?}");
    }

    #[test]
    fn unattributed_quotations_stay_flagged() {
        let q = quotes(
            "Le village est désert.\n\n« Nous avons tout perdu ici. »",
            Lang::Fr,
        );
        assert!(!q[0].1, "{q:?}");
        let q = quotes(
            "Le village est désert. « Nous avons tout perdu ici. »",
            Lang::Fr,
        );
        assert!(!q[0].1, "{q:?}");
        let q = quotes(
            "The village is empty.\n\n\"We have lost everything here.\"",
            Lang::En,
        );
        assert!(!q[0].1, "{q:?}");
    }

    #[test]
    fn anonymous_speakers_are_attributed_but_anonymous() {
        let doc = markdown::parse("« C'est une trahison », glisse un proche du président.");
        let s = sentences::split_document(&doc, Some(Lang::Fr));
        let lex = Lexicons::new(&Config::default());
        let verbs = Verbs::new(&doc, &s, Some(Lang::Fr), &lex);
        let q = find(&doc, &s, Some(Lang::Fr), &lex, &verbs);
        assert!(q[0].attributed);
        let sp = q[0].speaker.as_ref().expect("a speaker");
        assert_eq!(sp.kind, SpeakerKind::Anonymous);
        assert_eq!(sp.text, "un proche du président");
    }

    #[test]
    fn scare_quotes_are_not_full() {
        assert!(quotes("Le « plan de paix » est critiqué.", Lang::Fr).is_empty());
        assert!(quotes("the so-called \"peace plan\" failed.", Lang::En).is_empty());
    }
}
