//! Sentence splitting for French and English news prose.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis, followed by closing quotes or
//! brackets, then whitespace (NBSP and narrow NBSP included), then something that can
//! start a sentence: a capital letter, a digit, an opening quote or a dash. Abbreviations
//! (M., Mme, Dr, U.S., Jan.), initials (J. R. Smith) and numbers (3.5, 4 400) never end
//! one. French puts a (narrow) no-break space before `?` and `!`, which is why spaces are
//! skipped backwards and forwards rather than assumed.

use super::markdown::Document;
use crate::lang::Lang;
use std::ops::Range;

/// A sentence: a range of prose in one block.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub block: usize,
    /// Byte range in the block's prose text, trimmed of surrounding spaces.
    pub range: Range<usize>,
    /// The language this sentence is read in (the document's, or its paragraph's when
    /// a mixed document switches language).
    pub lang: Option<Lang>,
}

impl Sentence {
    /// The sentence's range in the source text.
    pub fn source_range(&self, doc: &Document) -> Range<usize> {
        doc.blocks[self.block].range_to_source(&self.range)
    }

    /// The sentence's prose.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.blocks[self.block].text[self.range.clone()]
    }
}

/// The length in bytes of the longest abbreviation.
const MAX_ABBREVIATION_LEN: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > max {
            max = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    max
};

const ABBREVIATIONS: &[&str] = &[
    // French
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "me", "mgr", "gal", "gén", "cf",
    "etc", "av", "apr", "j.-c", "env", "art", "al", "p", "pp", "vol", "éd", "ed", "coll", "janv",
    "févr", "sept", "oct", "nov", "déc", "n", "no", "nº", "tél", "boul", "bd",
    // English
    "mr", "mrs", "ms", "jr", "sr", "gen", "sen", "rep", "gov", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "maj", "prof", "rev", "hon", "u.s", "u.k", "u.n", "e.u", "jan", "feb", "mar", "aug",
    "sep", "dec", "vs", "inc", "ltd", "co", "corp", "dept", "univ", "approx", "fig", "mt", "ft",
    "e.g", "i.e", "a.m", "p.m", "ph.d", "st",
];

/// Splits every prose block of the document into sentences. Each sentence gets the
/// document's language, or its block's when the block is clearly in the other language.
pub fn split_document(doc: &Document, doc_lang: Option<Lang>) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        let lang = block_lang(&block.text, doc_lang);
        for range in split(&block.text) {
            out.push(Sentence {
                block: i,
                range,
                lang,
            });
        }
    }
    out
}

/// The language of one block: the document's, unless the block is long enough and
/// clearly in the other language (a mixed document).
fn block_lang(text: &str, doc_lang: Option<Lang>) -> Option<Lang> {
    if text.len() < 200 {
        return doc_lang;
    }
    // The first few hundred bytes tell the language as well as the whole paragraph.
    let sample = &text[..crate::text::floor_char_boundary(text, 240)];
    match (crate::lang::detect(sample), doc_lang) {
        (Some(detected), _) => Some(detected),
        (None, l) => l,
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '»' | '”' | '"' | '’' | '\'' | ')' | ']' | '›' | '*' | '_'
    )
}

fn can_start_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '«' | '“' | '"' | '‹' | '—' | '–' | '-' | '(' | '[' | '¿' | '¡' | '‘'
        )
        || c == super::markdown::PLACEHOLDER
}

/// The longest sentence, in bytes. Prose that runs on longer without a sentence end (a
/// table flattened into one line, an export without punctuation) is cut at the last
/// space before the limit. Every rule reads a sentence, and some read it once per
/// quotation or cue in it: the cap keeps that work proportional to the text. A sentence
/// of newsroom prose is a few hundred bytes; 2,000 is about 330 words.
pub const MAX_SENTENCE: usize = 2000;

/// Splits one block of prose into sentence ranges (trimmed, never empty, at most
/// [`MAX_SENTENCE`] bytes).
pub fn split(text: &str) -> Vec<Range<usize>> {
    // Byte offsets throughout: the scan jumps from one terminal mark to the next, so the
    // cost is in the few characters around each mark, not in every character.
    let at = |i: usize| text.get(i..).and_then(|t| t.chars().next());
    let next = |i: usize| at(i).map_or(text.len(), |c| i + c.len_utf8());
    let skip_spaces = |mut i: usize| {
        while at(i).is_some_and(is_space) {
            i = next(i);
        }
        i
    };
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while let Some(pos) = find_terminal(text, i) {
        let c = at(pos).unwrap_or('.');
        // Swallow runs of terminal punctuation ("?!", "...").
        let mut j = next(pos);
        while at(j).is_some_and(|c| matches!(c, '.' | '!' | '?' | '…')) {
            j = next(j);
        }
        // Closing quotes and brackets belong to the sentence they close.
        while let Some(c) = at(j) {
            if is_closer(c) {
                j = next(j);
            } else if is_space(c) {
                // A space before a closing guillemet is French typography, not a break.
                let k = skip_spaces(j);
                if at(k).is_some_and(|c| matches!(c, '»' | '”' | '›')) {
                    j = k;
                } else {
                    break;
                }
            } else if c == '[' && at(j + 1) == Some('^') {
                // A footnote reference after the period belongs to the sentence. A label
                // has no spaces, so the search stops at the first one: a run of `[^`
                // with no closing bracket is not read to its end once per mark.
                match text[j..].find(|c: char| c == ']' || is_space(c)) {
                    Some(close) if text[j + close..].starts_with(']') => j += close + 1,
                    _ => break,
                }
            } else {
                break;
            }
        }
        // An abbreviation is a lone period right before the space: « M. », not « no. » ».
        let single = j == next(pos);
        // A break needs whitespace, then a sentence start.
        let k = skip_spaces(j);
        let at_end = k >= text.len();
        let spaced = k > j;
        if !at_end && (!spaced || !at(k).is_some_and(can_start_sentence)) {
            i = j.max(next(pos));
            continue;
        }
        if c == '.' && single && is_abbreviation(text, pos) {
            i = j;
            continue;
        }
        push_capped(text, start..j.min(text.len()), &mut out);
        start = k.min(text.len());
        i = k.max(next(pos));
        if i >= text.len() {
            break;
        }
    }
    push_capped(text, start..text.len(), &mut out);
    out
}

/// Pushes a sentence, cut into pieces of at most [`MAX_SENTENCE`] bytes at spaces (or
/// at a character boundary when a piece has no space).
fn push_capped(text: &str, mut r: Range<usize>, out: &mut Vec<Range<usize>>) {
    while r.end - r.start > MAX_SENTENCE {
        let limit = crate::text::floor_char_boundary(text, r.start + MAX_SENTENCE);
        let cut = text[r.start..limit]
            .rfind(is_space)
            .map(|i| r.start + i)
            .filter(|&i| i > r.start)
            .unwrap_or(limit);
        push_trimmed(text, r.start..cut, out);
        r.start = cut;
    }
    push_trimmed(text, r, out);
}

/// The offset of the first terminal mark (`.`, `!`, `?`, `…`) at or after `from`.
/// Searched with SIMD byte searches: most of a paragraph is not punctuation, and a
/// search for a set of characters would decode every character on the way.
fn find_terminal(text: &str, from: usize) -> Option<usize> {
    let rest = text.as_bytes().get(from..)?;
    let mark = memchr::memchr3(b'.', b'!', b'?', rest);
    // « … » is E2 80 A6 in UTF-8; only look for it before the next ASCII mark. A
    // search for its lead byte (also that of ’ and the narrow NBSP) costs less than
    // setting up a substring search at every call.
    let before = &rest[..mark.unwrap_or(rest.len())];
    let ellipsis = memchr::memchr_iter(0xE2, before)
        .find(|&i| before.get(i + 1..i + 3) == Some(&[0x80, 0xA6]));
    ellipsis.or(mark).map(|i| from + i)
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    // Most sentences start and end with a visible ASCII character: nothing to trim.
    if let (Some(first), Some(last)) = (s.as_bytes().first(), s.as_bytes().last()) {
        if first.is_ascii_graphic() && last.is_ascii_graphic() {
            out.push(r);
            return;
        }
    }
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let trail = s.len() - s.trim_end_matches(is_space).len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

/// Whether the period at `dot` ends an abbreviation or an initial rather than a sentence.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_space(c) || matches!(c, '(' | '«' | '“' | '"' | '\'' | '’'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // A single capital letter is an initial: « J. R. Smith ».
    let mut chars = word.chars();
    if let (Some(first), None) = (chars.next(), chars.next()) {
        return first.is_uppercase();
    }
    is_abbreviation_word(word)
}

/// Whether a word of two characters or more is a known abbreviation or a dotted
/// acronym.
fn is_abbreviation_word(word: &str) -> bool {
    // Most words before a period are ASCII and longer than any abbreviation: they are
    // answered without lower-casing them or reading the list.
    if word.is_ascii() {
        if word.len() <= MAX_ABBREVIATION_LEN {
            let mut buf = [0u8; MAX_ABBREVIATION_LEN];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            if ABBREVIATIONS.iter().any(|a| a.as_bytes() == lower) {
                return true;
            }
        }
        return word.contains('.') && word.bytes().filter(u8::is_ascii_alphabetic).count() <= 4;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // Dotted acronyms: « U.S. », « J.-C. ».
    lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_abbreviations_read_as_the_lower_cased_list_says() {
        // The lower-casing reference, which non-ASCII words still take.
        let reference = |word: &str| {
            let lower = word.to_lowercase();
            ABBREVIATIONS.contains(&lower.as_str())
                || (lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 4)
        };
        let mut words: Vec<String> = Vec::new();
        for a in ABBREVIATIONS {
            words.push(a.to_string());
            words.push(a.to_uppercase());
            words.push(format!("{a}x"));
            words.push(format!("x{a}"));
        }
        words.extend(
            [
                "Mardi",
                "approximately",
                "U.S",
                "u.s.a",
                "A.B.C.D.E",
                "ph.d",
                "Ph.D",
                "x.y.z.w.v",
                "..",
                "a-b",
            ]
            .map(String::from),
        );
        for w in words.iter().filter(|w| w.chars().count() > 1) {
            assert_eq!(is_abbreviation_word(w), reference(w), "{w}");
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sentences("Le convoi est parti. Il est arrivé mardi ! Pourquoi ?"),
            vec![
                "Le convoi est parti.",
                "Il est arrivé mardi !",
                "Pourquoi ?"
            ]
        );
    }

    #[test]
    fn french_typography() {
        let t = "Il l’a dit\u{202f}: «\u{202f}Nous resterons.\u{202f}» Puis il est parti\u{a0}! Ensuite, rien.";
        assert_eq!(
            sentences(t),
            vec![
                "Il l’a dit\u{202f}: «\u{202f}Nous resterons.\u{202f}»",
                "Puis il est parti\u{a0}!",
                "Ensuite, rien."
            ]
        );
    }

    #[test]
    fn quotes_ending_sentences() {
        assert_eq!(
            sentences("« Nous ne céderons pas », a-t-il dit. « Jamais. » Le ministre est parti."),
            vec![
                "« Nous ne céderons pas », a-t-il dit.",
                "« Jamais. »",
                "Le ministre est parti."
            ]
        );
        assert_eq!(
            sentences("\"We will stay.\" The minister left. He said \"no.\" Then he went."),
            vec![
                "\"We will stay.\"",
                "The minister left.",
                "He said \"no.\"",
                "Then he went."
            ]
        );
    }

    #[test]
    fn abbreviations_initials_and_numbers() {
        assert_eq!(
            sentences("M. Dupont et Mme Durand sont là. Le Dr Martin aussi."),
            vec!["M. Dupont et Mme Durand sont là.", "Le Dr Martin aussi."]
        );
        assert_eq!(
            sentences("Mr. Smith met Gen. Jones in the U.S. Capitol on Jan. 5. J. R. Smith left."),
            vec![
                "Mr. Smith met Gen. Jones in the U.S. Capitol on Jan. 5.",
                "J. R. Smith left."
            ]
        );
        assert_eq!(
            sentences("Il y a 4 400 soldats, soit 3.5 % de plus. La hausse est de 4,4 %."),
            vec![
                "Il y a 4 400 soldats, soit 3.5 % de plus.",
                "La hausse est de 4,4 %."
            ]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            sentences("Il hésite… puis part. Et après... Rien."),
            vec!["Il hésite… puis part.", "Et après...", "Rien."]
        );
    }

    #[test]
    fn never_empty_and_within_bounds() {
        for t in ["", " ", ".", "...", "« »", "a. b. c.", "?!"] {
            for r in split(t) {
                assert!(r.start < r.end && r.end <= t.len(), "{t:?} {r:?}");
            }
        }
    }

    #[test]
    fn run_on_prose_is_cut_at_spaces() {
        // 12,000 bytes without a sentence end, then a word longer than the cap.
        let words = "mot ".repeat(3000) + &"é".repeat(MAX_SENTENCE);
        let ranges = split(&words);
        assert!(ranges.len() >= 7, "{}", ranges.len());
        let mut covered = 0;
        for r in &ranges {
            assert!(r.len() <= MAX_SENTENCE, "{r:?}");
            assert!(words.is_char_boundary(r.start) && words.is_char_boundary(r.end));
            // Cut at spaces while there are spaces: no word is split in two.
            if r.end < 12_000 {
                assert!(words[r.clone()].ends_with("mot"), "{r:?}");
            }
            covered += words[r.clone()].matches("mot").count();
        }
        assert_eq!(covered, 3000);
        // An ordinary sentence is left alone.
        let short = "Le ministre a parlé.";
        assert_eq!(split(short), vec![0..short.len()]);
    }
}
