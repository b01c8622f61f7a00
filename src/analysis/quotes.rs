//! Quotations: where they are, who is quoted, and whether a speaker is named nearby.
//!
//! Quotes are found per block with a stack, so nesting (« … “ … ” … ») works, and a
//! quote left open at the end of a paragraph runs on into the next one, as in both
//! French and English typography. A quotation is *attributed* when its sentence names
//! a speaker (a reporting verb, a source marker, a colon introduction, a link or a
//! defined footnote), when it continues an attributed quote or a sentence that
//! introduced a speaker, or when a blockquote carries an attribution line (`— Nom`).

use super::Quote;
use super::lexicon::Lexicons;
use super::markdown::Document;
use super::sentences::Sentence;
use crate::lang::Lang;
use std::ops::Range;

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
    pub speaker: Option<String>,
    /// The reporting verb or marker that attributes it (prose range in the block).
    pub cue: Option<Range<usize>>,
}

impl QuoteSpan {
    /// The public form, with source ranges.
    pub fn to_public(&self, doc: &Document) -> Quote {
        let block = &doc.blocks[self.block];
        Quote {
            range: block.range_to_source(&self.range),
            content: block.text[self.content.clone()].trim().to_string(),
            speaker: self.speaker.clone(),
            cue: self.cue.as_ref().map(|c| block.range_to_source(c)),
        }
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

/// How deep quotations nest. An opening mark found deeper is read as plain text: real
/// prose nests two or three levels (« … “ … ‹ … › … ” … »), and the cap keeps the work
/// linear however many marks a paragraph leaves open. At each depth the quotations
/// found are disjoint, so their spans (which are scanned and copied) add up to at most
/// `MAX_DEPTH` times the block, where 16,000 unclosed « would otherwise make 16,000
/// spans running to the end of the paragraph.
pub const MAX_DEPTH: usize = 4;

/// Finds the quotations of one block of prose.
pub fn scan_block(text: &str) -> Vec<(Range<usize>, Range<usize>, usize, bool)> {
    // (range, content, depth, unclosed)
    let mut out = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    for (i, c) in quote_marks(text) {
        let top = stack.last().map(|&(o, _)| o);
        let closes_top = top.and_then(closer_for) == Some(c);
        if closes_top {
            if let Some((open, start)) = stack.pop() {
                let content = start + open.len_utf8()..i;
                out.push((start..i + c.len_utf8(), content, stack.len(), false));
            }
        } else if c == '"' {
            // A straight quote opens after a space, an opening bracket or the start;
            // after a letter or digit it is an inch mark or a typo, never an opener.
            let prev = text[..i].chars().next_back();
            let opener = prev.is_none_or(|p| !p.is_alphanumeric());
            if opener && stack.len() < MAX_DEPTH {
                stack.push((c, i));
            }
        } else if matches!(c, '«' | '“' | '‹' | '„') {
            // A “ inside an open „ … “ pair was handled above as its closer.
            if stack.len() < MAX_DEPTH {
                stack.push((c, i));
            }
        } else if matches!(c, '»' | '”' | '›') {
            // A stray closer: drop any straight quotes opened inside the broken pair.
            if let Some(pos) = stack.iter().rposition(|&(o, _)| closer_for(o) == Some(c)) {
                let (open, start) = stack[pos];
                stack.truncate(pos);
                let content = start + open.len_utf8()..i;
                out.push((start..i + c.len_utf8(), content, stack.len(), false));
            }
        }
    }
    // Quotes still open run to the end of the block (a quote over several paragraphs).
    for (depth, &(open, start)) in stack.iter().enumerate() {
        // An unmatched straight quote late in a block is too ambiguous to count.
        if open == '"' && depth > 0 {
            continue;
        }
        let content = start + open.len_utf8()..text.len();
        out.push((start..text.len(), content, depth, true));
    }
    out.sort_by_key(|(r, ..)| (r.start, std::cmp::Reverse(r.end)));
    out
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
    let t = content.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}');
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

/// Finds every quotation of the document and decides whether it is attributed.
pub fn find(
    doc: &Document,
    sentences: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
) -> Vec<QuoteSpan> {
    let mut out: Vec<QuoteSpan> = Vec::new();
    // Index of the first sentence of each block.
    let mut first_sentence = vec![usize::MAX; doc.blocks.len()];
    for (i, s) in sentences.iter().enumerate().rev() {
        first_sentence[s.block] = i;
    }
    let mut prev_block_open_quote: Option<usize> = None; // index in `out`
    for (bi, block) in doc.blocks.iter().enumerate() {
        let text = &block.text;
        // Sentences come in block order, so a block's sentences are one contiguous run.
        let from = sentences.partition_point(|s| s.block < bi);
        let to = sentences.partition_point(|s| s.block <= bi);
        let block_sentences: Vec<&Sentence> = sentences[from..to].iter().collect();
        let lang = block_sentences
            .first()
            .and_then(|s| s.lang)
            .or(doc_lang)
            .unwrap_or(Lang::En);
        let lex = lexicons.get(lang);
        let scanned = scan_block(text);
        let quote_ranges: Vec<Range<usize>> = scanned
            .iter()
            .filter(|(_, _, d, _)| *d == 0)
            .map(|(r, ..)| r.clone())
            .collect();
        let mut this_block_open: Option<usize> = None;
        // Where the first character that is not a space or a dash stands from a
        // context's start, for the last context asked about: the quotes of one sentence
        // share their context, and scanning it again for each of them would be quadratic.
        let mut lead_in: Option<(usize, usize)> = None;
        for (range, content, depth, unclosed) in scanned {
            // A block's sentences are sorted and disjoint: the sentence holding the
            // quote's start (or the last one before it) and the last one starting before
            // its end are found by binary search, not by a scan per quote.
            let starts_before = block_sentences.partition_point(|s| s.range.start <= range.start);
            let sent_idx = starts_before.checked_sub(1);
            let sentence = sent_idx.map(|i| block_sentences[i].range.clone());
            let end_sentence = block_sentences
                .partition_point(|s| s.range.start < range.end)
                .checked_sub(1)
                .map(|i| block_sentences[i].range.clone());
            let ctx = match (&sentence, &end_sentence) {
                (Some(a), Some(b)) => a.start.min(range.start)..b.end.max(range.end),
                _ => range.clone(),
            };
            let visible = match lead_in {
                Some((from, at)) if from == ctx.start => at,
                _ => {
                    let rest = &text[ctx.start..];
                    let lead = rest.len()
                        - rest
                            .trim_start_matches(|c: char| {
                                is_space(c) || matches!(c, '—' | '–' | '-' | '*' | '_')
                            })
                            .len();
                    lead_in = Some((ctx.start, ctx.start + lead));
                    ctx.start + lead
                }
            };
            let standalone = visible >= range.start;
            let continued = depth == 0
                && range.start == first_non_space(text)
                && prev_block_open_quote.is_some();
            let mut q = QuoteSpan {
                block: bi,
                range: range.clone(),
                content: content.clone(),
                depth,
                unclosed,
                continued,
                full: is_full(&text[content.clone()]),
                standalone,
                attributed: false,
                speaker: None,
                cue: None,
            };
            if depth == 0 {
                attribute(&mut q, doc, bi, &ctx, &quote_ranges, lex, &out);
                if !q.attributed && continued {
                    if let Some(prev) = prev_block_open_quote.and_then(|i| out.get(i)) {
                        q.attributed = prev.attributed;
                        q.speaker = prev.speaker.clone();
                    }
                }
                if !q.attributed && standalone {
                    continuation(
                        &mut q,
                        doc,
                        sentences,
                        bi,
                        sent_idx,
                        &block_sentences,
                        lex,
                        &out,
                        &first_sentence,
                    );
                }
            }
            if unclosed && depth == 0 {
                this_block_open = Some(out.len());
            }
            out.push(q);
        }
        prev_block_open_quote = this_block_open;
    }
    attribute_at_close(doc, sentences, doc_lang, lexicons, &mut out);
    out
}

/// A quotation left open at the end of its paragraph may be attributed where it closes,
/// one to three paragraphs later: `"Ten years ago, a browser was born. […] we kept
/// going," Microsoft says.`
fn attribute_at_close(
    doc: &Document,
    sentences: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    quotes: &mut [QuoteSpan],
) {
    for q in quotes.iter_mut() {
        if !(q.unclosed && q.depth == 0 && !q.attributed) {
            continue;
        }
        let open = doc.blocks[q.block].text[q.range.clone()].chars().next();
        let Some(close) = open.and_then(closer_for) else {
            continue;
        };
        for b in q.block + 1..(q.block + 4).min(doc.blocks.len()) {
            let text = &doc.blocks[b].text;
            let found = text.char_indices().find(|&(i, c)| {
                c == close
                    && (close != '"' || text[..i].chars().next_back().is_some_and(|p| !is_space(p)))
            });
            let Some((at, c)) = found else {
                // A paragraph that opens a quotation of its own ends the search.
                if text.trim_start().starts_with(['«', '“', '"']) {
                    break;
                }
                continue;
            };
            let lang = sentences
                .iter()
                .find(|s| s.block == b)
                .and_then(|s| s.lang)
                .or(doc_lang)
                .unwrap_or(Lang::En);
            let lex = lexicons.get(lang);
            let rest = &text[at + c.len_utf8()..];
            let clause_end = rest.find(['.', '!', '?']).map_or(rest.len(), |i| i + 1);
            let clause = &rest[..clause_end];
            if let Some(v) = lex.verbs_in(&lex.reporting, clause).first() {
                q.attributed = true;
                let np: String = clause[v.end..]
                    .chars()
                    .take_while(|&c| !matches!(c, ',' | '.' | ';' | '!' | '?'))
                    .collect();
                let before = clause[..v.start].trim_matches(|c: char| is_space(c) || c == ',');
                let speaker = if before.is_empty() {
                    np
                } else {
                    before.to_string()
                };
                if !speaker.trim().is_empty() {
                    q.speaker = Some(shorten(&speaker));
                }
            }
            break;
        }
    }
}

fn first_non_space(text: &str) -> usize {
    text.len() - text.trim_start_matches(is_space).len()
}

/// Looks for a speaker in the quote's own sentence(s), outside any quotation.
fn attribute(
    q: &mut QuoteSpan,
    doc: &Document,
    bi: usize,
    ctx: &Range<usize>,
    quotes: &[Range<usize>],
    lex: &super::lexicon::LangLexicon,
    previous: &[QuoteSpan],
) {
    let block = &doc.blocks[bi];
    let text = &block.text;
    // Links and defined footnotes in the sentence are sources. Both lists are sorted
    // (links do not nest), so the ones near the context are found by binary search
    // rather than by reading the block's whole list for every quote.
    let first_link = block.links.partition_point(|l| l.end <= ctx.start);
    let has_link = block
        .links
        .get(first_link)
        .is_some_and(|l| l.start < ctx.end && l.end > ctx.start);
    let first_note = block.footnotes.partition_point(|&(at, _)| at < ctx.start);
    let has_footnote = block.footnotes[first_note..]
        .iter()
        .take_while(|&&(at, _)| at <= ctx.end + 1)
        .any(|&(_, defined)| defined);
    // Reporting verbs outside quotations. The top-level quotations are sorted and
    // disjoint: only the last one starting at or before `r` can hold it.
    let outside = |r: &Range<usize>| {
        let holder = quotes
            .partition_point(|qr| qr.start <= r.start)
            .checked_sub(1)
            .map(|i| &quotes[i]);
        holder.is_none_or(|qr| r.end > qr.end)
    };
    // The lexicons match lower-cased text; the block keeps a copy with the same offsets.
    let ctx_text = &block.lower[ctx.clone()];
    let verbs: Vec<Range<usize>> = lex
        .verbs_in(&lex.reporting, ctx_text)
        .into_iter()
        .chain(lex.source_markers.find_all(ctx_text))
        .map(|r| r.start + ctx.start..r.end + ctx.start)
        .filter(outside)
        .collect();
    if let Some(v) = verbs.iter().min_by_key(|v| distance(v, &q.range)).cloned() {
        q.attributed = true;
        q.speaker = speaker_near(text, &q.range, &v, ctx, previous);
        q.cue = Some(v);
        return;
    }
    // A colon introduction: « Le ministre : “…” ».
    let before = text[ctx.start..q.range.start].trim_end_matches(is_space);
    if let Some(intro) = before.strip_suffix(':') {
        let intro = intro.trim_matches(is_space);
        if !intro.is_empty() {
            q.attributed = true;
            q.speaker = Some(shorten(intro));
            return;
        }
    }
    // A speaker in an incise inside the quotation: « Nous savons, a déclaré X, que … ».
    // Matching runs on the block's lower-cased copy (same offsets); the name is read
    // from the original.
    let inner = &text[q.content.clone()];
    for v in lex.verbs_in(&lex.reporting, &block.lower[q.content.clone()]) {
        let before = inner[..v.start].trim_end_matches(is_space);
        let after = &inner[v.end..];
        if before.ends_with(',') && after.chars().take(80).any(|c| c == ',') {
            let name: String = after.chars().take_while(|&c| c != ',').collect();
            q.attributed = true;
            q.speaker = Some(shorten(&name));
            q.cue = Some(q.content.start + v.start..q.content.start + v.end);
            return;
        }
    }
    // An attribution line right after the quotation: `"Headline" — The Canadian Press`.
    let after_quote = text[q.range.end.min(text.len())..].trim_start_matches(is_space);
    if let Some(name) = after_quote
        .strip_prefix('—')
        .or_else(|| after_quote.strip_prefix('–'))
    {
        let name = name.trim_matches(is_space);
        if !name.is_empty() {
            q.attributed = true;
            q.speaker = Some(shorten(name));
            return;
        }
    }
    // A blockquote attribution line: « — Nom, fonction », in this block or the next
    // block of the same blockquote.
    if block.blockquote > 0 {
        let after = &text[q.range.end.min(text.len())..];
        let next_in_quote = doc
            .blocks
            .get(bi + 1)
            .filter(|b| b.blockquote_id.is_some() && b.blockquote_id == block.blockquote_id)
            .map(|b| b.text.as_str());
        for candidate in [Some(after), next_in_quote].into_iter().flatten() {
            let t = candidate.trim_start_matches(|c: char| is_space(c) || c == ',' || c == '.');
            if let Some(name) = t
                .strip_prefix('—')
                .or_else(|| t.strip_prefix('–'))
                .or_else(|| t.strip_prefix("--"))
                .or_else(|| t.strip_prefix('-'))
            {
                let name = name.trim_matches(is_space);
                if !name.is_empty() {
                    q.attributed = true;
                    q.speaker = Some(shorten(name));
                    return;
                }
            }
        }
    }
    if has_link || has_footnote {
        q.attributed = true;
    }
}

/// Whether an earlier sentence or paragraph introduced the speaker of a quote that
/// stands alone at the start of its sentence.
#[allow(clippy::too_many_arguments)]
fn continuation(
    q: &mut QuoteSpan,
    doc: &Document,
    sentences: &[Sentence],
    bi: usize,
    sent_idx: Option<usize>,
    block_sentences: &[&Sentence],
    lex: &super::lexicon::LangLexicon,
    previous: &[QuoteSpan],
    first_sentence: &[usize],
) {
    let block = &doc.blocks[bi];
    // `previous` is in document order and a block's top-level quotes are disjoint, so
    // the search backwards stops at the first top-level quote that ends before `r`
    // instead of reading every earlier quote of the document.
    let attributed_quote_in = |block: usize, r: &Range<usize>| {
        for p in previous.iter().rev() {
            if p.block < block || (p.block == block && p.depth == 0 && p.range.end <= r.start) {
                return None;
            }
            if p.block == block
                && p.depth == 0
                && p.attributed
                && p.range.start < r.end
                && p.range.end > r.start
            {
                return Some(p);
            }
        }
        None
    };
    let introduces = |text: &str| {
        let t = text.trim_end_matches(is_space);
        t.ends_with(':') || lex.reporting.is_match(text) || lex.source_markers.is_match(text)
    };
    match sent_idx {
        Some(i) if i > 0 => {
            let prev = &block_sentences[i - 1];
            let prev_text = &block.lower[prev.range.clone()];
            if let Some(p) = attributed_quote_in(bi, &prev.range) {
                q.attributed = true;
                q.speaker = p.speaker.clone();
            } else if introduces(prev_text) {
                q.attributed = true;
            }
        }
        _ => {
            // First sentence of its block: look at the end of the previous block.
            if bi == 0 || first_sentence.get(bi) == Some(&usize::MAX) {
                return;
            }
            let prev_block = bi - 1;
            // Sentences are in block order: the previous block's last one is found by
            // binary search.
            let Some(last) = sentences
                .partition_point(|s| s.block <= prev_block)
                .checked_sub(1)
                .map(|i| &sentences[i])
                .filter(|s| s.block == prev_block)
            else {
                return;
            };
            if doc.blocks[prev_block].is_heading() {
                return;
            }
            let last_text = &doc.blocks[prev_block].lower[last.range.clone()];
            if let Some(p) = attributed_quote_in(prev_block, &last.range) {
                q.attributed = true;
                q.speaker = p.speaker.clone();
            } else if last_text.trim_end_matches(is_space).ends_with(':')
                || reports_speech(last_text, lex)
            {
                // A paragraph that ends by introducing someone's words (« Elle a rappelé
                // que … ») hands the floor to the quote that follows.
                q.attributed = true;
            }
        }
    }
}

/// Removes auxiliaries and adverbs standing between a subject and its reporting verb
/// (« Le ministre a », "the minister has"), or making up all of `s` (« a »).
fn strip_auxiliaries(s: &str) -> &str {
    const AUX: &[&str] = &[
        "a",
        "ont",
        "avait",
        "avaient",
        "aura",
        "est",
        "sont",
        "s'est",
        "s’est",
        "se",
        "s'",
        "lui",
        "leur",
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "also",
        "aussi",
        "également",
        "then",
        "alors",
        "ensuite",
        "encore",
        "already",
        "déjà",
        "later",
        "plus",
        "tard",
    ];
    let mut s = s.trim();
    loop {
        let Some((head, last)) = s.rsplit_once(|c: char| is_space(c)) else {
            return if AUX.contains(&s.to_lowercase().as_str()) {
                ""
            } else {
                s
            };
        };
        if AUX.contains(&last.to_lowercase().as_str()) {
            s = head.trim_end();
        } else {
            return s;
        }
    }
}

/// Whether a sentence reports someone's words: a strong reporting verb (not one inside
/// a hearsay cue such as "is said to"), followed in French by « que » or a colon
/// (« Elle a rappelé que … »), since « un panneau indique la direction » reports nothing.
fn reports_speech(text: &str, lex: &super::lexicon::LangLexicon) -> bool {
    let hearsay = lex.hearsay.find_all(text);
    // A sentence that ends on a reporting verb hands over to the quote: "Marc Lamont
    // Hill commented," / « a-t-il poursuivi : ».
    let ends_on_verb = lex.verbs_in(&lex.reporting, text).into_iter().any(|v| {
        !hearsay.iter().any(|h| h.start < v.end && v.start < h.end)
            && text[v.end..]
                .chars()
                .all(|c| is_space(c) || matches!(c, ',' | ':' | '.' | '—' | '–'))
    });
    if ends_on_verb {
        return true;
    }
    lex.verbs_in(&lex.sources, text).into_iter().any(|v| {
        if hearsay.iter().any(|h| h.start < v.end && v.start < h.end) {
            return false;
        }
        match lex.lang {
            Lang::En => true,
            Lang::Fr => {
                let after: String = text[v.end..]
                    .chars()
                    .take(40)
                    .collect::<String>()
                    .to_lowercase();
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

/// Extracts the speaker around a reporting verb: after an inverted verb (« a déclaré la
/// ministre », "said Jane Doe") or before it ("the minister said", « Le ministre a déclaré »).
fn speaker_near(
    text: &str,
    quote: &Range<usize>,
    verb: &Range<usize>,
    ctx: &Range<usize>,
    previous: &[QuoteSpan],
) -> Option<String> {
    let verb_text = text[verb.clone()].to_lowercase();
    let pronoun = ["-il", "-elle", "-ils", "-elles", "‑il", "‑elle"]
        .iter()
        .any(|p| verb_text.ends_with(p));
    if pronoun {
        // « a-t-elle ajouté »: the speaker is the last one named.
        return previous
            .iter()
            .rev()
            .find_map(|p| p.speaker.clone())
            .or_else(|| verb_text.rsplit(['-', '‑']).next().map(str::to_string));
    }
    let stop = |c: char| {
        matches!(
            c,
            ',' | '.' | ';' | ':' | '!' | '?' | '«' | '»' | '“' | '”' | '"' | '('
        )
    };
    if verb.start >= quote.end {
        // After the quote: « … », a déclaré la ministre. / "…," the minister said.
        let between = strip_auxiliaries(
            text[quote.end..verb.start].trim_matches(|c: char| is_space(c) || c == ','),
        );
        if !between.is_empty() && word_count(between) <= 8 {
            return Some(shorten(between));
        }
        let after = &text[verb.end..ctx.end.min(text.len())];
        let after = after.trim_start_matches(is_space);
        // « a déclaré à l’AFP la ministre » keeps only the subject-like tail.
        let np: String = after.chars().take_while(|&c| !stop(c)).collect();
        let np = np.trim();
        if !np.is_empty() && word_count(np) <= 10 {
            return Some(shorten(np));
        }
    } else {
        // Before the quote: « Le ministre a déclaré : … », "The minister said: …".
        let before = text[ctx.start..verb.start].trim_matches(|c: char| is_space(c) || c == ',');
        let tail: String = before
            .chars()
            .rev()
            .take_while(|&c| !stop(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let tail = strip_auxiliaries(tail.trim());
        if !tail.is_empty() && word_count(tail) <= 10 {
            return Some(shorten(tail));
        }
        // « Selon la ministre, … » — the source follows the marker.
        let after: String = text[verb.end..quote.start.max(verb.end)]
            .chars()
            .take_while(|&c| !stop(c))
            .collect();
        let after = after.trim();
        if !after.is_empty() {
            return Some(shorten(after));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{markdown, sentences};
    use crate::config::Config;

    /// `scan_block` as it was written first, decoding every character: the reference
    /// for the version that jumps between quotation marks.
    fn scan_every_char(text: &str) -> Vec<(Range<usize>, Range<usize>, usize, bool)> {
        let mut out = Vec::new();
        let mut stack: Vec<(char, usize)> = Vec::new();
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            let top = stack.last().map(|&(o, _)| o);
            if top.and_then(closer_for) == Some(c) {
                if let Some((open, start)) = stack.pop() {
                    let content = start + open.len_utf8()..i;
                    out.push((start..i + c.len_utf8(), content, stack.len(), false));
                }
            } else if c == '"' {
                if prev.is_none_or(|p| !p.is_alphanumeric()) && stack.len() < MAX_DEPTH {
                    stack.push((c, i));
                }
            } else if matches!(c, '«' | '“' | '‹' | '„') {
                if stack.len() < MAX_DEPTH {
                    stack.push((c, i));
                }
            } else if matches!(c, '»' | '”' | '›') {
                if let Some(pos) = stack.iter().rposition(|&(o, _)| closer_for(o) == Some(c)) {
                    let (open, start) = stack[pos];
                    stack.truncate(pos);
                    let content = start + open.len_utf8()..i;
                    out.push((start..i + c.len_utf8(), content, stack.len(), false));
                }
            }
            prev = Some(c);
        }
        for (depth, &(open, start)) in stack.iter().enumerate() {
            if open == '"' && depth > 0 {
                continue;
            }
            let content = start + open.len_utf8()..text.len();
            out.push((start..text.len(), content, depth, true));
        }
        out.sort_by_key(|(r, ..)| (r.start, std::cmp::Reverse(r.end)));
        out
    }

    #[test]
    fn scan_jumping_between_marks_matches_the_char_by_char_scan() {
        // Quotation marks mixed with letters, digits, spaces and the other characters
        // whose UTF-8 starts with the same lead bytes (NBSP, ’, dashes, narrow NBSP).
        let palette = [
            "\"", "«", "»", "“", "”", "‹", "›", "„", "a", "é", "7", " ", "\u{a0}", "\u{202f}", "’",
            "—", "…", "·", "x", ".", "日",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(palette[(seed % palette.len() as u64) as usize]);
            }
            assert_eq!(scan_block(&text), scan_every_char(&text), "{text:?}");
        }
    }

    fn quotes(md: &str, lang: Lang) -> Vec<(String, bool, Option<String>)> {
        let doc = markdown::parse(md);
        let s = sentences::split_document(&doc, Some(lang));
        let lex = Lexicons::new(&Config::default());
        find(&doc, &s, Some(lang), &lex)
            .into_iter()
            .filter(|q| q.depth == 0 && q.full)
            .map(|q| {
                let t = doc.blocks[q.block].text[q.content.clone()]
                    .trim()
                    .to_string();
                (t, q.attributed, q.speaker)
            })
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
    fn nesting_stops_at_max_depth() {
        // 16,000 unclosed marks: one quote per level, not one per mark.
        let text = "« ".repeat(16_000);
        let found = scan_block(&text);
        assert_eq!(found.len(), MAX_DEPTH);
        assert!(found.iter().all(|q| q.3), "all left open");
        // Marks nested deeper than the cap are text: the first closers close the
        // deepest quotes that were opened.
        let deep = "« ".repeat(MAX_DEPTH + 2) + &"» ".repeat(MAX_DEPTH + 2);
        let found = scan_block(&deep);
        assert_eq!(found.len(), MAX_DEPTH);
        assert!(found.iter().all(|q| !q.3), "all closed");
    }

    #[test]
    fn inverted_attribution_and_speaker() {
        let q = quotes("« Nous ne céderons pas », a déclaré la ministre.", Lang::Fr);
        assert_eq!(q.len(), 1);
        assert!(q[0].1);
        assert_eq!(q[0].2.as_deref(), Some("la ministre"));

        let q = quotes("\"We will not yield,\" the minister said.", Lang::En);
        assert!(q[0].1);
        assert_eq!(q[0].2.as_deref(), Some("the minister"));
    }

    #[test]
    fn colon_and_continuation() {
        let q = quotes(
            "Le ministre a déclaré : « Nous ne céderons pas. »",
            Lang::Fr,
        );
        assert!(q[0].1);
        assert_eq!(q[0].2.as_deref(), Some("Le ministre"));
        let q = quotes(
            "« Nous resterons ici », a dit le maire.\n\n« Personne ne nous fera partir. »",
            Lang::Fr,
        );
        assert!(q.iter().all(|q| q.1), "{q:?}");
        let q = quotes(
            "La ministre a détaillé son plan. « Il n'y aura pas de recul. »",
            Lang::Fr,
        );
        assert!(q[0].1);
    }

    #[test]
    fn unattributed_and_blockquote() {
        let q = quotes(
            "Le village est désert.\n\n« Nous avons tout perdu ici. »",
            Lang::Fr,
        );
        assert!(!q[0].1);
        let q = quotes(
            "> « Nous avons tout perdu ici. »\n> — Anna K., habitante",
            Lang::Fr,
        );
        assert!(q[0].1);
        assert_eq!(q[0].2.as_deref(), Some("Anna K., habitante"));
    }

    #[test]
    fn scare_quotes_are_not_full() {
        assert!(quotes("Le « plan de paix » est critiqué.", Lang::Fr).is_empty());
        assert!(quotes("the so-called \"peace plan\" failed.", Lang::En).is_empty());
    }
}
