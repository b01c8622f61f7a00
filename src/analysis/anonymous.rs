//! Anonymous and vague sources, found by structure: a phrase that leaves its person
//! unidentified (« un proche du président », « des experts », "aides", « l'entourage de
//! X », « certains », "a recent poll") standing where a source stands — the subject of a
//! verb of saying in either order (« souffle un ministre », "officials said"), the object
//! of « selon » / "according to", or the speaker of a quotation.
//!
//! The phrase lists are data (`[people]` in `lexicon/*.toml`). A cheap screen of each
//! sentence's words finds those that can head such a phrase; only around those is the
//! clause read and the reporting-verb matcher run, on a window of a few words, so the
//! cost stays linear in the text and small on the sentences that have none.

use super::lexicon::{LangLexicon, People, inflections};
use super::speakers::{Np, NpKind, Reader, Tok, tokens, tokens_unquoted};
use super::verbs::{BlockVerbs, covers, first_in, last_in};
use crate::lang::Lang;
use std::ops::Range;

/// The trigger words of one language: heads of anonymous phrases, quantifiers and source
/// markers, in every inflected form, found in lower-cased text.
///
/// The screen reads each word once and looks it up in a hash set, which costs a few
/// instructions a byte and stays in the cache; an automaton of the thousands of
/// inflected forms was several times slower on every paragraph. A phrase (« nombre de »,
/// "those close to") is found by its longest word, then checked in place.
#[derive(Debug, Default)]
pub struct Triggers {
    /// Every word that is a trigger or the longest word of a trigger phrase: one hash
    /// lookup a word, the common case being a miss.
    words: std::collections::HashMap<String, Trigger, super::lexicon::FastHash>,
    /// Bit `n` is set when some key is `n` bytes long (63 for anything longer): most
    /// words of a text are skipped on their length before they are hashed.
    lengths: u64,
}

/// What a key of [`Triggers`] stands for.
#[derive(Debug, Default)]
struct Trigger {
    /// The word is a trigger on its own.
    alone: bool,
    /// The phrases it is the longest word of: the phrase, and the word's byte offset in it.
    phrases: Vec<(String, usize)>,
}

/// The bit of [`Triggers::lengths`] for a word of `len` bytes.
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

impl Triggers {
    /// Builds the screen from the people lexicon.
    pub fn new(lang: Lang, entries: &TriggerEntries) -> Triggers {
        let mut all: Vec<String> = Vec::new();
        for w in &entries.heads {
            all.extend(inflections(lang, w));
        }
        for w in &entries.plurals {
            all.extend(
                inflections(lang, w)
                    .into_iter()
                    .filter(|f| f.ends_with(['s', 'x']) || f.ends_with("men") || f == "people"),
            );
        }
        all.extend(
            entries
                .fixed
                .iter()
                .map(|f| f.to_lowercase().replace(['’', 'ʼ'], "'")),
        );
        let mut t = Triggers::default();
        for e in all {
            let e = e.trim().to_string();
            let parts: Vec<(usize, &str)> = word_spans(&e).map(|r| (r.start, &e[r])).collect();
            match parts.as_slice() {
                [] => {}
                [(0, w)] if w.len() == e.len() => {
                    t.lengths |= length_bit(e.len());
                    t.words.entry(e.clone()).or_default().alone = true;
                }
                _ => {
                    if let Some(&(at, key)) = parts.iter().max_by_key(|(_, w)| w.len()) {
                        t.lengths |= length_bit(key.len());
                        t.words
                            .entry(key.to_string())
                            .or_default()
                            .phrases
                            .push((e.clone(), at));
                    }
                }
            }
        }
        t
    }

    /// Byte ranges of trigger words and phrases in a lower-cased text, on word
    /// boundaries, in order.
    pub fn find(&self, lower: &str) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for r in word_spans(lower) {
            if self.lengths & length_bit(r.len()) == 0 {
                continue;
            }
            let Some(trigger) = self.words.get(&lower[r.clone()]) else {
                continue;
            };
            if !trigger.phrases.is_empty() {
                // The longest phrase that stands around this word, apostrophes either way.
                let found = trigger
                    .phrases
                    .iter()
                    .filter_map(|(p, at)| {
                        let start = r.start.checked_sub(*at)?;
                        let end = phrase_end(lower, start, p)?;
                        (boundary_before(lower, start) && boundary_after(lower, end))
                            .then_some(start..end)
                    })
                    .max_by_key(|m| m.len());
                if let Some(m) = found {
                    // A phrase that starts at or before the last word found and covers it
                    // replaces it: the longest trigger wins ("people familiar with").
                    match out.last_mut() {
                        Some(l) if l.end > m.start => {
                            if m.start <= l.start && m.end > l.end {
                                *l = m;
                            }
                        }
                        _ => out.push(m),
                    }
                    continue;
                }
            }
            if trigger.alone && out.last().is_none_or(|l| l.end <= r.start) {
                out.push(r);
            }
        }
        out
    }
}

/// Where phrase `p` (lower case, straight apostrophes) ends if it stands in `text` at
/// `start`, a curly apostrophe in the text matching a straight one in the phrase.
fn phrase_end(text: &str, start: usize, p: &str) -> Option<usize> {
    let mut at = start;
    for c in p.chars() {
        let t = text.get(at..)?.chars().next()?;
        let same = t == c
            || (c == '\'' && matches!(t, '’' | 'ʼ'))
            || (c == ' ' && (t == '\u{a0}' || t == '\u{202f}'));
        if !same {
            return None;
        }
        at += t.len_utf8();
    }
    Some(at)
}

/// The words of a text: runs of letters and digits, with inner hyphens (« vice-président »)
/// but not apostrophes (« l'entourage » is « l » and « entourage »). Bytes from U+0080 on
/// are read as letters except for the punctuation and spaces of Latin-1 and of General
/// Punctuation, which end a word: no character is decoded on the fast path.
pub fn word_spans(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the start of a word: a non-word character is stepped over whole, so
        // that its continuation bytes are not read as letters.
        loop {
            if i >= b.len() {
                return None;
            }
            match word_char_at(b, i) {
                0 => break,
                n => i += n,
            }
        }
        let start = i;
        // Inside a word every byte of a letter is a word byte: one table lookup a byte.
        while i < b.len() {
            // A hyphen between two letters joins them (« vice-président »).
            let joins = b[i] == b'-' && i > start && i + 1 < b.len() && word_char_at(b, i + 1) == 0;
            if word_char_at(b, i) != 0 && !joins {
                break;
            }
            i += 1;
        }
        Some(start..i)
    })
}

/// How the bytes of a text are read by [`word_spans`].
const WORD: u8 = 0;
const NOT_WORD: u8 = 1;
/// A lead byte whose character must be looked at (U+00A0–U+00BF, U+2000–U+20FF).
const CHECK: u8 = 2;

/// The class of each byte value: ASCII letters and digits, and every byte of a character
/// from U+00C0 on, are word bytes; ASCII punctuation and controls are not.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [WORD; 256];
    let mut c = 0;
    while c < 0x80 {
        if !(c as u8).is_ascii_alphanumeric() {
            t[c] = NOT_WORD;
        }
        c += 1;
    }
    t[0xC2] = CHECK;
    t[0xE2] = CHECK;
    t
};

/// 0 when the byte at `i` belongs to a word (letters and digits: a byte at a time), or
/// else the number of bytes of the character that ends or separates words there.
#[inline]
fn word_char_at(b: &[u8], i: usize) -> usize {
    match BYTE_CLASS[b[i] as usize] {
        WORD => 0,
        NOT_WORD => 1,
        // Latin-1 symbols and punctuation (NBSP, « », ·) are U+00A0–U+00BF: never words.
        _ if b[i] == 0xC2 => 2.min(b.len() - i),
        // General Punctuation (U+2000–U+206F: ’ “ ” — … narrow NBSP) ends a word; the
        // other characters of the E2 block (arrows, symbols) are read as letters.
        _ if matches!(b.get(i + 1), Some(0x80 | 0x81)) => 3.min(b.len() - i),
        _ => 0,
    }
}

/// The words a trigger screen is built from: nouns to inflect, and fixed strings.
#[derive(Debug, Default)]
pub struct TriggerEntries {
    pub heads: Vec<String>,
    /// Nouns whose plural forms only are triggers (ordinary people: a group of them).
    pub plurals: Vec<String>,
    pub fixed: Vec<String>,
}

fn boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

fn boundary_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// A vague or anonymous source found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VagueSource {
    /// The cue: the phrase, with its verb or marker (« Selon un proche », "aides said").
    pub cue: Range<usize>,
    /// The phrase alone, for telling a later mention from the introduction.
    pub phrase: Range<usize>,
    /// Tied to an institution (« une source policière »): one step less severe.
    pub institutional: bool,
}

/// How many words after a source phrase its verb may stand ("officials, who asked not
/// to be named, said" is six).
const VERB_REACH: usize = 8;

/// How far before and after a trigger word, in bytes, its verb may stand: a screen
/// before the phrase is read (« tel l'ont annoncé ses conseillers », "…, said a senior
/// official who asked not to be named").
const NEAR_BEFORE: usize = 80;
const NEAR_AFTER: usize = 160;

/// Whether a trigger can stand in an unidentified phrase, read from the few words before
/// it without tokenizing: a marker, a quantifier, a collective, an informant or a
/// publication; or a noun after an indefinite, quantifying or possessive determiner; or
/// an English plural with no definite determiner ("officials said").
fn plausible(lex: &LangLexicon, lower: &str, hit: &Range<usize>) -> bool {
    let p = &lex.people;
    let word = &lower[hit.clone()];
    // Most triggers are one plain word, looked up as it is; a phrase or an elision
    // (« d'autres », "those close to") is split as the lexicon splits its entries.
    let simple = !word.contains([' ', '\'', '’']);
    let parts = if simple {
        Vec::new()
    } else {
        super::lexicon::split_entry(word)
    };
    let whole = |set: &super::lexicon::WordSet| {
        if simple {
            set.contains(word)
        } else {
            set.match_len(parts.iter().map(String::as_str)) == Some(parts.len())
        }
    };
    if is_marker(word)
        || whole(&p.quantifiers)
        || whole(&p.collectives)
        || whole(&p.informants)
        || whole(&p.vague_documents)
    {
        return true;
    }
    // The last three words before the trigger, elisions split (« d'anciens » → « d' »
    // and « anciens »), read backwards without allocating.
    let from = crate::text::floor_char_boundary(lower, hit.start.saturating_sub(40));
    let before = &lower[from..hit.start];
    let det =
        |w: &str| p.indefinite.contains(w) || p.quantifiers.contains(w) || p.possessive.contains(w);
    let mut seen = 0;
    let mut first: Option<&str> = None;
    for w in before
        .rsplit(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’')))
        .filter(|w| !w.is_empty())
    {
        let (head, tail) = match w.find(['\'', '’']) {
            Some(i) => {
                let after = i + w[i..].chars().next().map_or(1, char::len_utf8);
                (&w[..after], &w[after..])
            }
            None => ("", w),
        };
        for part in [tail, head] {
            if part.is_empty() {
                continue;
            }
            first.get_or_insert(part);
            let is_det = if part.contains('’') {
                det(&part.replace('’', "'"))
            } else {
                det(part)
            };
            if is_det {
                return true;
            }
            seen += 1;
        }
        if seen >= 3 {
            break;
        }
    }
    lex.lang == Lang::En
        && word.ends_with('s')
        && !first.is_some_and(|w| p.definite.contains(w) || p.possessive.contains(w))
}

/// Whether a trigger is a source marker (« selon », "according to").
fn is_marker(w: &str) -> bool {
    matches!(
        w,
        "selon"
            | "d'après"
            | "d’après"
            | "aux dires"
            | "à en croire"
            | "de l'aveu"
            | "de l’aveu"
            | "de source"
            | "according to"
            | "citing"
            | "quoting"
    )
}

/// Finds the vague and anonymous sources of one sentence: `text` and `lower` are its
/// block's prose and lower-cased prose, `sentence` its range, `triggers` the trigger
/// matches of the block and `masked` the ranges inside quotations.
pub fn find<'v>(
    lex: &LangLexicon,
    text: &str,
    lower: &str,
    sentence: &Range<usize>,
    triggers: &[Range<usize>],
    masked: &[Range<usize>],
    block_verbs: &dyn Fn() -> std::borrow::Cow<'v, BlockVerbs>,
) -> Vec<VagueSource> {
    let mut out: Vec<VagueSource> = Vec::new();
    let inside = |r: &Range<usize>| masked.iter().any(|m| m.start <= r.start && r.end <= m.end);
    // The block's triggers are sorted: the sentence's own by binary search. Only those
    // that can head an unidentified phrase are read further, which spares most
    // paragraphs the verb search (« le ministre », "the president" are identified).
    let hits: Vec<&Range<usize>> = super::verbs::within(triggers, sentence)
        .iter()
        .filter(|t| t.end <= sentence.end && !inside(t) && plausible(lex, lower, t))
        .collect();
    if hits.is_empty() {
        return out;
    }
    // The sentence's verbs are found only once a trigger has passed the cheap screen
    // below: most sentences with a trigger word have no verb of saying near it.
    let mut verbs_cell: Option<std::borrow::Cow<'v, BlockVerbs>> = None;
    let people = &lex.people;
    for hit in hits {
        if out
            .iter()
            .any(|v| v.cue.start <= hit.start && hit.end <= v.cue.end)
        {
            continue;
        }
        // A source needs a verb of saying near it, or a marker (« selon ») before it: the
        // words of the window are read only then.
        let near = floor(
            lower,
            hit.start.saturating_sub(NEAR_BEFORE).max(sentence.start),
        )..floor(lower, (hit.end + NEAR_AFTER).min(sentence.end));
        let marker = is_marker(&lower[hit.clone()]);
        if !marker && !lex.verbs.may_match(&lower[near.clone()]) {
            continue;
        }
        let verbs = verbs_cell.get_or_insert_with(block_verbs);
        if !marker && first_in(&verbs.claims, &near).is_none() {
            continue;
        }
        let verbs: &BlockVerbs = verbs;
        let reader = Reader::with_verbs(lex, &verbs.all);
        // A window of words around the trigger, inside the sentence.
        let from = floor(text, hit.start.saturating_sub(64).max(sentence.start));
        let toks = tokens_unquoted(text, lower, from, sentence.end, 36);
        let Some(h) = toks.iter().position(|t| t.range.start >= hit.start) else {
            continue;
        };
        // « Selon X », "according to X", « d'après X »: X is in source position.
        if let Some(v) = after_marker(&reader, lex, lower, &toks, h) {
            if !out
                .iter()
                .any(|o| o.cue.start < v.cue.end && v.cue.start < o.cue.end)
            {
                out.push(v);
            }
            continue;
        }
        // The phrase the trigger heads: its start is a few words back at most.
        let Some((np, next, start)) = anonymous_np(&reader, people, &toks, h) else {
            continue;
        };
        if inside(&np.range) || not_a_subject(&reader, &toks, start) {
            continue;
        }
        // Its verb of saying or of opinion, after it ("officials said", « un proche
        // confie ») or, inverted, before it (« souffle un ministre », "say aides",
        // « tel l'ont annoncé ses conseillers »).
        // A group named by a quantifier and a noun outside the people lexicon speaks as
        // the subject of a verb close after it, never inverted (« a annoncé plusieurs
        // mesures » puts its object there).
        let known = np_has_people_noun(&reader, &toks, start, next);
        let reach = if known { VERB_REACH } else { 4 };
        let verb_after = verb_within(lex, lower, &toks, next, reach, sentence.end, verbs);
        let verb_before = || {
            if known {
                inverted_verb(&reader, lower, &toks, start, next, verbs)
            } else {
                None
            }
        };
        let cue = match verb_after {
            Some(v) => np.range.start..v.end,
            None => match verb_before() {
                Some(v) => v.start..np.range.end,
                None => continue,
            },
        };
        let institutional = matches!(
            np.kind,
            NpKind::Anonymous {
                institutional: true
            }
        );
        if !out
            .iter()
            .any(|o| o.cue.start < cue.end && cue.start < o.cue.end)
        {
            out.push(VagueSource {
                cue,
                phrase: np.range.clone(),
                institutional,
            });
        }
    }
    out
}

/// Whether the phrase from `start` to `next` has a noun of the people lexicon, an
/// informant, a collective or a publication.
fn np_has_people_noun(reader: &Reader, toks: &[Tok], start: usize, next: usize) -> bool {
    let p = reader.people;
    (start..next.min(toks.len())).any(|k| {
        let w = [toks[k].norm.as_ref()];
        p.roles.match_len(w.iter().copied()).is_some()
            || p.vox_pop.match_len(w.iter().copied()).is_some()
            || p.informants.contains(&toks[k].norm)
            || p.collectives.contains(&toks[k].norm)
            || p.vague_documents.contains(&toks[k].norm)
    }) || next == start + 1
}

fn floor(text: &str, at: usize) -> usize {
    crate::text::floor_char_boundary(text, at)
}

/// Whether the phrase starting at token `start` cannot be the subject of a clause: it
/// follows a preposition (« aux ministres », "to leaders of"), a number or a percentage
/// (« 65 % des personnes interrogées » are a poll's figures), or stands in apposition to a
/// name (« Priscillia Ludosky, une figure du mouvement », "Helena Kennedy, a Labour peer").
fn not_a_subject(reader: &Reader, toks: &[Tok], start: usize) -> bool {
    let Some(prev) = start.checked_sub(1).map(|k| &toks[k]) else {
        return false;
    };
    // A negation or a figure a few words back: "no official leaders", "31% of people
    // who identify as supporters".
    let back = &toks[start.saturating_sub(6)..start];
    if back
        .iter()
        .rev()
        .take(2)
        .any(|t| matches!(t.norm.as_ref(), "no" | "aucun" | "aucune" | "sans"))
        || back.iter().any(|t| {
            t.punct == Some('%') || t.norm == "%" || t.norm.ends_with('%') || t.norm == "per"
        })
    {
        return true;
    }
    if prev.is_word() {
        let w = prev.norm.as_ref();
        if reader.people.prepositions.contains(w)
            || w.chars().next().is_some_and(|c| c.is_ascii_digit())
            || w == "%"
            // "no official leaders", « aucun responsable »: nobody, not a source.
            || matches!(w, "no" | "aucun" | "aucune" | "sans" | "nor" | "ni")
            || (reader.lang == Lang::En && matches!(w, "told" | "asked" | "urged" | "telling" | "asking" | "urging"))
        {
            return true;
        }
    }
    if prev.punct == Some('%') {
        return true;
    }
    in_apposition(reader, toks, start)
}

/// Whether the phrase at token `start` stands in an apposition to a name: « Priscillia
/// Ludosky, une figure du mouvement », "Helena Kennedy, a Labour peer and a human rights
/// lawyer, said", "Mujahedin-e-Khalq (MEK), a fringe organisation". A name then a comma
/// stand a few words back, with no end of clause in between.
fn in_apposition(reader: &Reader, toks: &[Tok], start: usize) -> bool {
    let mut k = start;
    let mut seen_comma = false;
    while k > 0 && start - k < 16 {
        k -= 1;
        let t = &toks[k];
        match t.punct {
            Some(',') => {
                seen_comma = true;
                // The words right before the comma (a parenthesis aside) end a name.
                let mut j = k;
                while j > 0 && toks[j - 1].punct == Some(')') {
                    while j > 0 && toks[j - 1].punct != Some('(') {
                        j -= 1;
                    }
                    j = j.saturating_sub(1);
                }
                if j > 0 && toks[j - 1].is_word() && toks[j - 1].cap {
                    // A capitalised word before the comma that is not the clause's first
                    // word after a verb: the start of a name.
                    let mut n = j - 1;
                    while n > 0 && toks[n - 1].is_word() && toks[n - 1].cap {
                        n -= 1;
                    }
                    if reader.starts_np(toks, n)
                        && !reader.people.prepositions.contains(&toks[n].norm)
                    {
                        return true;
                    }
                }
            }
            Some('.' | ';' | ':' | '!' | '?') => return false,
            None if !seen_comma
                && t.is_word()
                && !t.cap
                && !matches!(t.norm.as_ref(), "and" | "et" | "or" | "ou")
                && covers(reader.verbs, t.range.start) =>
            {
                return false;
            }
            _ => {}
        }
    }
    false
}

/// The anonymous phrase that the trigger at token `h` belongs to, its end and its
/// first token: the phrase read from the earliest start, a few words back at most, that
/// holds the trigger. When that phrase names someone (« le Premier ministre », "Mercedes
/// chief executive Eckhard Cordes"), the trigger makes no anonymous source.
fn anonymous_np(
    reader: &Reader,
    people: &People,
    toks: &[Tok],
    h: usize,
) -> Option<(Np, usize, usize)> {
    let trigger = &toks[h];
    let norms = |k: usize| toks[k..].iter().map(|t| t.norm.as_ref());
    for start in h.saturating_sub(4)..=h {
        if start < h && !reader.starts_np(toks, start) {
            continue;
        }
        // A phrase starting before a punctuation mark that stands before the trigger does
        // not hold it.
        if toks[start..h].iter().any(|t| !t.is_word()) {
            continue;
        }
        let Some((np, next)) = reader.np_at(toks, start, &[]) else {
            continue;
        };
        if np.range.end < trigger.range.end {
            continue;
        }
        if np.name_in_apposition.is_some() {
            return None;
        }
        let words: Vec<&str> = toks[start..]
            .iter()
            .take(3)
            .map(|t| t.norm.as_ref())
            .collect();
        let indefinite = people.indefinite.match_len(words.iter().copied()).is_some()
            || people
                .quantifiers
                .match_len(words.iter().copied())
                .is_some();
        let quantified = people
            .quantifiers
            .match_len(words.iter().copied())
            .is_some();
        match np.kind {
            NpKind::Anonymous { .. } => return Some((np, next, start)),
            // A quantified group of anything that speaks (« d'autres « gilets jaunes »
            // ont évoqué », « nombre d'observateurs craignent ») is a vague source: the
            // verb of saying, checked by the caller, tells it is people.
            NpKind::Other
                if quantified
                    && start == h
                    && np.range.end >= trigger.range.end
                    // A noun after the quantifier, not a figure ("some 47%") or a
                    // preposition (« beaucoup à dire »).
                    && toks.get(h + 1).is_some_and(|t| {
                        t.is_word()
                            && t.norm.chars().next().is_some_and(char::is_alphabetic)
                            && !people.prepositions.contains(&t.norm)
                            && !people.of.contains(&t.norm)
                    })
                    && !matches!(trigger.norm.as_ref(), "la plupart" | "la plupart des" | "beaucoup") =>
            {
                return Some((
                    Np {
                        kind: NpKind::Anonymous {
                            institutional: false,
                        },
                        ..np
                    },
                    next,
                    start,
                ));
            }
            // Publications and informants are vague when indefinite or bare: « selon un
            // sondage », "polls show", « des études montrent », « une source ».
            NpKind::Document | NpKind::Other | NpKind::Role { .. } => {
                // The trigger must be the phrase's head, not a word of its complement
                // (« une conférence de presse »).
                let in_complement = toks[start..h].iter().any(|t| people.of.contains(&t.norm));
                let head_is_vague = !in_complement
                    && (people.vague_documents.match_len(norms(h)).is_some()
                        || people.informants.match_len(norms(h)).is_some());
                let bare = start == h && reader.lang == Lang::En && trigger.norm.ends_with('s');
                if head_is_vague && (indefinite || bare) && !named(reader, toks, start, next) {
                    let institutional = np_institutional(reader, toks, start, next);
                    return Some((
                        Np {
                            kind: NpKind::Anonymous { institutional },
                            ..np
                        },
                        next,
                        start,
                    ));
                }
            }
            _ => {}
        }
        // A quantifier standing for people, right before its verb: "some say",
        // « certains estiment », "others have gone so far as to accuse".
        if start == h
            && people
                .quantifiers
                .match_len(std::iter::once(trigger.norm.as_ref()))
                .is_some()
        {
            // Only an auxiliary, a clitic, an adverb or the verb itself may follow it.
            let verb_next = toks.get(h + 1).is_some_and(|t| {
                t.is_word()
                    && (people.auxiliaries.contains(&t.norm)
                        || people.clitics.contains(&t.norm)
                        || people.adverbs.contains(&t.norm)
                        || covers(reader.verbs, t.range.start))
            });
            if verb_next {
                return Some((
                    Np {
                        range: trigger.range.clone(),
                        kind: NpKind::Anonymous {
                            institutional: false,
                        },
                        apposition: None,
                        name_in_apposition: None,
                        uncertain_name: false,
                    },
                    h + 1,
                    start,
                ));
            }
        }
        return None;
    }
    None
}

/// Whether a name inside or right after a phrase identifies it: « un sondage Elabe », "a
/// poll by Ifop", « une étude de l'Ifop », « selon un récent sondage d'Ipsos ».
fn named(reader: &Reader, toks: &[Tok], start: usize, next: usize) -> bool {
    if toks[start + 1..next.min(toks.len())]
        .iter()
        .any(|t| t.is_word() && t.cap)
    {
        return true;
    }
    // "a survey last month by Elabé", « un rapport publié en novembre par Oxfam »: a
    // maker named a few words on.
    let mut k = next;
    while k < toks.len() && k < next + 5 && toks[k].is_word() {
        if matches!(
            toks[k].norm.as_ref(),
            "by" | "par" | "de" | "du" | "d'" | "des" | "of" | "from" | "in" | "for"
        ) {
            let mut j = k + 1;
            if toks
                .get(j)
                .is_some_and(|t| reader.people.definite.contains(&t.norm))
            {
                j += 1;
            }
            if toks.get(j).is_some_and(|t| t.is_word() && t.cap) {
                return true;
            }
        }
        k += 1;
    }
    toks.get(next).is_some_and(|t| t.is_word() && t.cap)
}

/// Whether the words of a phrase tie it to an institution.
fn np_institutional(reader: &Reader, toks: &[Tok], start: usize, end: usize) -> bool {
    toks[start..end.min(toks.len())].iter().skip(1).any(|t| {
        t.is_word()
            && (reader.people.institution_adjectives.contains(&t.norm)
                || reader.lex.institutions.is_match(&t.norm)
                || t.cap)
    })
}

/// A source after « selon », « d'après », "according to": anonymous or vague.
fn after_marker(
    reader: &Reader,
    lex: &LangLexicon,
    lower: &str,
    toks: &[Tok],
    h: usize,
) -> Option<VagueSource> {
    let t = &toks[h];
    let window = lower.get(t.range.start..(t.range.start + 24).min(lower.len()))?;
    let m = lex
        .source_markers
        .find_all(window)
        .into_iter()
        .find(|m| m.start == 0)?;
    let after = t.range.start + m.end;
    let k = toks.iter().position(|x| x.range.start >= after)?;
    let people = reader.people;
    let (np, next) = reader.np_at(toks, k, &[])?;
    if np.name_in_apposition.is_some() {
        return None;
    }
    let words: Vec<&str> = toks[k..].iter().take(3).map(|t| t.norm.as_ref()).collect();
    let det_len = people
        .indefinite
        .match_len(words.iter().copied())
        .or_else(|| people.quantifiers.match_len(words.iter().copied()))
        .or_else(|| people.definite.match_len(words.iter().copied()))
        .unwrap_or(0);
    let indefinite = people.indefinite.match_len(words.iter().copied()).is_some()
        || people
            .quantifiers
            .match_len(words.iter().copied())
            .is_some();
    // The phrase's head: a publication or an informant among its first words, after
    // adjectives ("Belgian media", « un récent sondage »), before any complement.
    let first = (k + det_len).min(toks.len());
    let head_at = (first..(first + 3).min(toks.len()))
        .take_while(|&j| toks[j].is_word() && !people.of.contains(&toks[j].norm))
        .find(|&j| {
            let it = || toks[j..].iter().map(|t| t.norm.as_ref());
            people.vague_documents.match_len(it()).is_some()
                || people.informants.match_len(it()).is_some()
        });
    let head_word = head_at.map(|j| toks[j].norm.as_ref());
    let is_informant = head_at.is_some_and(|j| {
        people
            .informants
            .match_len(toks[j..].iter().map(|t| t.norm.as_ref()))
            .is_some()
    });
    // Publications are vague when indefinite (« selon un sondage »); the media as a whole
    // are vague whatever the determiner (« selon les médias », "according to media").
    let media = matches!(head_word, Some("médias" | "media" | "presse" | "press"));
    let next = head_at.map_or(next, |j| next.max(j + 1));
    let unnamed = head_at.is_some_and(|j| !named(reader, toks, j, next));
    let vague_publication =
        head_at.is_some() && !is_informant && (indefinite || media || det_len == 0) && unnamed;
    let informant = is_informant && (indefinite || det_len == 0) && unnamed;
    let institutional = match np.kind {
        NpKind::Anonymous { institutional } => institutional,
        _ if vague_publication || informant => np_institutional(reader, toks, k, next),
        _ => return None,
    };
    let end = match head_at {
        Some(_) => toks[next.min(toks.len()) - 1].range.end.max(np.range.end),
        None => np.range.end,
    };
    Some(VagueSource {
        cue: t.range.start..end,
        phrase: np.range.start..end,
        institutional,
    })
}

/// The verb of saying or opinion that starts within `reach` words after token `from`,
/// before the clause ends.
fn verb_within(
    lex: &LangLexicon,
    lower: &str,
    toks: &[Tok],
    from: usize,
    reach: usize,
    end: usize,
    verbs: &BlockVerbs,
) -> Option<Range<usize>> {
    let start = toks.get(from)?.range.start;
    let people = &lex.people;
    let mut last = from;
    let mut words = 0;
    let mut in_commas = false;
    for (k, t) in toks.iter().enumerate().skip(from) {
        if matches!(t.punct, Some('.' | ';' | '!' | '?' | '«' | '“' | ':')) {
            break;
        }
        if t.punct == Some(',') {
            in_commas = !in_commas;
        }
        if t.is_word() {
            // A relative or a conjunction outside commas starts another clause, with
            // its own subject ("groups which the president said").
            if !in_commas && CLAUSE_STARTS.contains(&t.norm.as_ref()) {
                break;
            }
            words += 1;
        }
        last = k;
        if words >= reach {
            break;
        }
    }
    let stop = toks.get(last).map_or(end, |t| t.range.end).min(end);
    let v = first_in(&verbs.claims, &(start..stop))?;
    let vk = toks.iter().position(|t| t.range.start >= v.start)?;
    // A name or a pronoun between the phrase and the verb is the verb's subject ("some
    // limitations, Jackson said"), unless it stands in a preposition's phrase ("some
    // observers in France have said").
    let own_subject = (from..vk).any(|k| {
        let t = &toks[k];
        let in_pp = k > 0
            && toks[k - 1].is_word()
            && (people.prepositions.contains(&toks[k - 1].norm)
                || people.of.contains(&toks[k - 1].norm)
                || people.definite.contains(&toks[k - 1].norm));
        t.is_word()
            && ((t.cap && !in_pp && t.norm.chars().next().is_some_and(char::is_alphabetic))
                || people.pronouns.contains(&t.norm))
    });
    if own_subject {
        return None;
    }
    // An inverting verb with a name after it has that name for subject (« …, said Clint
    // Zeagler »); "told Reuters" has an object there.
    let after = vk
        + toks[vk..]
            .iter()
            .take_while(|t| t.range.start < v.end)
            .count();
    let verb_word = lower[v.clone()].split_whitespace().next().unwrap_or("");
    let inverting = lex.lang == Lang::Fr || EN_INVERTING.contains(&verb_word);
    if inverting
        && toks.get(after).is_some_and(|t| {
            t.is_word() && t.cap && t.norm.chars().next().is_some_and(char::is_alphabetic)
        })
    {
        return None;
    }
    // After a comma, a verb followed by its own subject is an incise of someone else:
    // « ses proches, avait rapporté l'agence ».
    let comma_between = toks[from..vk].iter().any(|t| t.punct == Some(','));
    if comma_between
        && toks.get(after).is_some_and(|t| {
            t.is_word()
                && (people.definite.contains(&t.norm)
                    || people.indefinite.contains(&t.norm)
                    || people.possessive.contains(&t.norm))
        })
    {
        return None;
    }
    // A passive ("stand accused", « est accusé ») or a French participle without its
    // auxiliary (« un collectif jugé modéré ») says what is said of the phrase, not what
    // it says.
    let before = vk
        .checked_sub(1)
        .map(|k| toks[k].norm.as_ref())
        .unwrap_or("");
    let passive = matches!(
        before,
        "is" | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "stand"
            | "stands"
            | "est"
            | "sont"
            | "été"
            | "était"
            | "étaient"
    );
    let verb_text = &lower[v.clone()];
    let bare_participle = lex.lang == Lang::Fr
        && !verb_text.contains(' ')
        && ["é", "ée", "és", "ées"]
            .iter()
            .any(|e| verb_text.ends_with(e))
        && !people.auxiliaries.contains(before);
    if passive || bare_participle {
        return None;
    }
    Some(v)
}

/// Words that start another clause, with its own subject: a relative or a conjunction
/// ("groups which the president said", "some who feared").
const CLAUSE_STARTS: &[&str] = &[
    "which", "who", "whom", "whose", "that", "what", "but", "while", "whereas", "because",
    "although", "qui", "que", "qu'", "dont", "où", "mais", "tandis", "car", "parce", "puisque",
    "lorsque", "quand", "si",
];

/// English verbs that invert with their subject after a quotation or a clause ("…, said
/// a senior official", "…, say aides"). Other verbs put their object there ("told
/// reporters", "urged leaders").
const EN_INVERTING: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "explained",
    "explains",
    "noted",
    "notes",
    "wrote",
    "writes",
    "continued",
    "argued",
    "argues",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "recalled",
    "warned",
    "warns",
    "acknowledged",
    "admitted",
    "conceded",
    "observed",
];

/// The verb of an inverted subject: the phrase from token `start` to `next` stands right
/// after its verb (« souffle un ministre », « a affirmé à l'AFP une source française »,
/// "say aides"), the verb group follows a comma, a quotation or « comme / tel » (an
/// incise), and the phrase ends its clause.
fn inverted_verb(
    reader: &Reader,
    lower: &str,
    toks: &[Tok],
    start: usize,
    next: usize,
    verbs: &BlockVerbs,
) -> Option<Range<usize>> {
    // The phrase ends its clause.
    let ends = toks.get(next).is_none_or(|t| {
        matches!(t.punct, Some('.' | ',' | ';' | ':' | '!' | '?' | ')'))
            || (t.is_word() && reader.people.prepositions.contains(&t.norm))
    });
    if !ends || start == 0 {
        return None;
    }
    // Back over the verb group: up to five words, stopping at punctuation; a
    // preposition's phrase in between is allowed (« a affirmé à l'AFP une source »).
    let mut k = start;
    let mut words = 0;
    while k > 0 && words < 8 {
        if !toks[k - 1].is_word() {
            break;
        }
        k -= 1;
        words += 1;
    }
    let opens = toks
        .get(k.wrapping_sub(1))
        .is_some_and(|t| matches!(t.punct, Some(',' | '»' | '”' | '"' | '—' | '–')))
        || matches!(
            toks[k].norm.as_ref(),
            "comme" | "tel" | "telle" | "ainsi" | "as"
        );
    if !opens {
        return None;
    }
    let from = toks[k].range.start;
    let to = toks[start].range.start;
    let v = last_in(&verbs.claims, &(from..to))?;
    let verb = lower.get(v.clone())?;
    if reader.lang == Lang::En
        && !EN_INVERTING
            .iter()
            .any(|w| verb.split_whitespace().next() == Some(*w))
    {
        return None;
    }
    // Between the verb and the phrase, only adverbs and a preposition's short phrase
    // (« a affirmé à l'AFP une source », "said on Tuesday a senior official").
    let p = reader.people;
    let gap = tokens(&lower[..to], lower, v.end, to, 8);
    let mut in_pp = 0;
    for t in &gap {
        if p.prepositions.contains(&t.norm) {
            in_pp = 3;
        } else if in_pp > 0 {
            in_pp -= 1;
        } else if !(p.adverbs.contains(&t.norm) || p.clitics.contains(&t.norm)) {
            return None;
        }
    }
    Some(v)
}
