//! Lexicons: the language knowledge of the attribution rules, as data.
//!
//! `lexicon/fr.toml` and `lexicon/en.toml` are embedded at build time and extended by
//! `[lexicon.fr]` / `[lexicon.en]` in `copydesk.toml`. This module compiles them into
//! matchers once per configuration, each set compiled as its own parallel task. Phrases
//! are lower-cased and matched on lower-cased text (same byte offsets, see
//! [`lowercase_same_len`]), without `\b`: Unicode word boundaries push the regex engine
//! off its fast lazy DFA on accented text, so the patterns spell the boundary out as a
//! character class and [`PhraseSet`] checks the rest after each match. (A screen regex
//! made of the union of the claim sets was tried and dropped: on real news its lazy
//! DFA kept building states, a third of the whole analysis, and on the benchmark corpus
//! it saved nothing.)

use crate::config::{Config, LexiconExtra};
use crate::lang::Lang;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use rayon::prelude::*;
use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::{Input, nfa::thompson::WhichCaptures};
use serde::Deserialize;
use std::collections::HashSet;
use std::ops::Range;

const FR_SOURCE: &str = include_str!("../../lexicon/fr.toml");
const EN_SOURCE: &str = include_str!("../../lexicon/en.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    reporting: ReportingSection,
    #[serde(default)]
    conditional: Option<ConditionalSection>,
    #[serde(default)]
    hearsay: PhrasesSection,
    passive: PassiveSection,
    vague: PhrasesSection,
    #[serde(default)]
    people: PeopleSection,
}

/// The `[people]` section: the words the speaker finder reads clauses with.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeopleSection {
    #[serde(default)]
    definite: Vec<String>,
    #[serde(default)]
    indefinite: Vec<String>,
    #[serde(default)]
    quantifiers: Vec<String>,
    #[serde(default)]
    possessive: Vec<String>,
    #[serde(default)]
    pronouns: Vec<String>,
    #[serde(default)]
    clitics: Vec<String>,
    #[serde(default)]
    auxiliaries: Vec<String>,
    #[serde(default)]
    prepositions: Vec<String>,
    #[serde(default)]
    of: Vec<String>,
    #[serde(default)]
    conjunctions: Vec<String>,
    #[serde(default)]
    adverbs: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    vox_pop: Vec<String>,
    #[serde(default)]
    collectives: Vec<String>,
    #[serde(default)]
    informants: Vec<String>,
    #[serde(default)]
    on_record: Vec<String>,
    #[serde(default)]
    vague_documents: Vec<String>,
    #[serde(default)]
    documents: Vec<String>,
    #[serde(default)]
    institution_adjectives: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportingSection {
    lemmas: Vec<String>,
    #[serde(default)]
    weak_lemmas: Vec<String>,
    #[serde(default)]
    opinion_lemmas: Vec<String>,
    #[serde(default)]
    noun_homographs: Vec<String>,
    forms: Vec<String>,
    #[serde(default)]
    weak_forms: Vec<String>,
    source_markers: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionalSection {
    forms: Vec<String>,
    reportive: Vec<String>,
    planning_verbs: Vec<String>,
    irer_imperfects: Vec<String>,
    modal: Vec<String>,
    modal_participles: Vec<String>,
    hypothesis: Vec<String>,
    future_in_past_verbs: Vec<String>,
    impersonal: Vec<String>,
    adverbs: Vec<String>,
    participles: Vec<String>,
    not_verbs: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhrasesSection {
    #[serde(default)]
    phrases: Vec<String>,
    /// Only in `[vague]`: institutions whose mention makes a source identifiable.
    #[serde(default)]
    institutions: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassiveSection {
    auxiliaries: Vec<String>,
    participles: Vec<String>,
    impersonal: Vec<String>,
    agent_markers: Vec<String>,
    #[serde(default)]
    judicial: Vec<String>,
}

/// A set of phrases compiled into one regex, matched on whole words.
#[derive(Debug)]
pub struct PhraseSet {
    re: Option<Regex>,
}

/// The kinds of verbs of saying and opinion, told apart in one pass (see [`VerbSet`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbKind {
    /// A strong reporting verb or a verb of opinion: it names the source of a claim
    /// (« dénonce », "said", "believe").
    Claim,
    /// A noun homograph that is a verb of claim only right after its subject ("lawyers
    /// estimate", "critics claim"); elsewhere often a noun ("legal claims").
    ClaimAfterSubject,
    /// A weak reporting verb: it attributes a quotation next to it, nothing more.
    Report,
}

/// Every verb of saying and opinion of a language in one multi-pattern regex: one pass
/// over a paragraph finds them all and tells their kind, instead of a search per word.
#[derive(Debug)]
pub struct VerbSet {
    re: Option<Regex>,
    /// The first letters of every verb form at the start of a word: a sentence with
    /// none has no verb of saying, and the regex is not run on it.
    screen: Option<AhoCorasick>,
}

impl VerbSet {
    /// Whether a verb may stand in `lower` (lower-cased text): `false` means none does.
    pub fn may_match(&self, lower: &str) -> bool {
        match &self.screen {
            None => true,
            Some(ac) => ac.find_iter(lower).any(|m| {
                lower[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            }),
        }
    }

    /// The screen's prefixes: for each entry (a lemma, a form, a phrase), the first four
    /// letters of each stem a conjugation can start with; for a phrase, of its longest
    /// word (« dans un communiqué » → « comm »).
    fn screen_of(lang: Lang, entries: &[&String]) -> Option<AhoCorasick> {
        let mut prefixes: Vec<String> = Vec::new();
        let mut add = |w: &str| {
            let p: String = w.chars().take(4).collect();
            if p.chars().count() >= 2 {
                prefixes.push(p);
            }
        };
        for e in entries {
            let lower = e.to_lowercase().replace(['’', 'ʼ'], "'");
            let words: Vec<&str> = lower
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
                .filter(|w| w.chars().any(char::is_alphabetic))
                .collect();
            let phrase = lower.contains(['(', '|', '?', '[']) || words.len() > 1;
            let chosen: Vec<&str> = if phrase {
                // A regex or a phrase: its longest word, or every word of an alternation.
                if lower.contains('|') {
                    words
                        .iter()
                        .filter(|w| w.chars().count() >= 3)
                        .copied()
                        .collect()
                } else {
                    words
                        .iter()
                        .max_by_key(|w| w.chars().count())
                        .copied()
                        .into_iter()
                        .collect()
                }
            } else {
                words
            };
            for w in chosen {
                let w = w.trim_start_matches("s'").trim_start_matches("se ");
                add(w);
                if lang == Lang::Fr {
                    // The stems a conjugation takes: « lancer » → « lanç », « répéter » →
                    // « répè », « manger » → « mange ».
                    let stem = w.strip_suffix("er").unwrap_or(w);
                    for (from, to) in [("c", "ç"), ("é", "è")] {
                        if let Some(i) = stem.rfind(from) {
                            let mut v = stem.to_string();
                            v.replace_range(i..i + from.len(), to);
                            add(&v);
                        }
                    }
                }
            }
        }
        // Inverted and elided forms start with these: « a-t-il », « l'a dit ».
        for p in ["a-t-", "ont-"] {
            prefixes.push(p.to_string());
        }
        prefixes.sort();
        prefixes.dedup();
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&prefixes)
            .ok()
    }

    /// Whether a verb of saying or opinion stands anywhere in `text` (any case).
    pub fn is_match(&self, text: &str) -> bool {
        !self.find_lowered(&lowercase_same_len(text)).is_empty()
    }

    /// Whole-word matches in lower-cased text, leftmost first, with their kinds.
    pub fn find_lowered(&self, text: &str) -> Vec<(Range<usize>, VerbKind)> {
        let mut out = Vec::new();
        let Some(re) = &self.re else {
            return out;
        };
        let mut pos = 0;
        while pos <= text.len() {
            let Some(m) = re.find(Input::new(text).range(pos..)) else {
                break;
            };
            if m.start() == m.end() {
                pos = next_char(text, m.end());
                continue;
            }
            let kind = match m.pattern().as_usize() {
                0 => VerbKind::Claim,
                1 => VerbKind::ClaimAfterSubject,
                _ => VerbKind::Report,
            };
            match trim_match(text, m.start(), m.end()) {
                Some(r) => {
                    pos = r.end;
                    out.push((r, kind));
                }
                None => pos = next_char(text, m.start()),
            }
        }
        out
    }
}

impl PhraseSet {
    /// Every whole-word match in `text`, leftmost first, not overlapping.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let Some(_) = &self.re else {
            return out;
        };
        // Patterns are lower case and matched case-sensitively on lower-cased text: a
        // case-insensitive DFA for thousands of alternatives is several times larger and
        // slower. Lower-casing keeps every byte offset (see `lowercase_same_len`).
        let lowered = lowercase_same_len(text);
        self.find_all_lower(&lowered, &mut out);
        out
    }

    /// Like [`PhraseSet::find_all`], for text already lower-cased by
    /// [`lowercase_same_len`].
    pub fn find_lowered(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        self.find_all_lower(text, &mut out);
        out
    }

    /// Like [`PhraseSet::find_all`], for text already lower-cased by
    /// [`lowercase_same_len`] (the analysis lowers each block once).
    pub fn find_all_lower(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let Some(re) = &self.re else {
            return;
        };
        let mut pos = 0;
        while pos <= text.len() {
            let Some(m) = re.find(Input::new(text).range(pos..)) else {
                break;
            };
            if m.start() == m.end() {
                pos = next_char(text, m.end());
                continue;
            }
            match trim_match(text, m.start(), m.end()) {
                Some(r) => {
                    pos = r.end;
                    out.push(r);
                }
                None => pos = next_char(text, m.start()),
            }
        }
    }

    /// Whether any whole-word match exists in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        !self.find_all(text).is_empty()
    }
}

/// Lower-cases `text` character by character, keeping a character whose lower case has
/// another length (the Turkish « İ »), so that every byte offset stays valid in both.
pub fn lowercase_same_len(text: &str) -> std::borrow::Cow<'_, str> {
    // French and English prose is ASCII and Latin-1, so the scan works on bytes and
    // decodes a character only at a non-ASCII lead byte; the text is copied only once a
    // character actually changes.
    let Some(first) = first_change(text, 0) else {
        return std::borrow::Cow::Borrowed(text);
    };
    // Copies the runs between changes as they are, so the result needs no new UTF-8
    // check: each change replaces one character by one of the same length.
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut next = Some(first);
    while let Some(at) = next {
        let (len, lower) = lowered_at(text, at);
        if let Some(lower) = lower {
            out.push_str(&text[copied..at]);
            out.push(lower);
            copied = at + len;
        }
        next = first_change(text, at + len);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The offset of the first character at or after `from` that [`lowercase_same_len`]
/// changes.
fn first_change(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        i = skip_lower_ascii(bytes, i);
        // At most one word's worth of bytes one by one, then back to the fast skip.
        let stop = (i + 8).min(bytes.len());
        while i < stop {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_uppercase() {
                    return Some(i);
                }
                i += 1;
                continue;
            }
            let (len, lower) = lowered_at(text, i);
            if lower.is_some() {
                return Some(i);
            }
            i += len.max(1);
        }
    }
    None
}

/// The offset of the first eight-byte block at or after `from` that holds a byte other
/// than ASCII outside `A`–`Z` (or `bytes.len()` rounded down to the last whole block):
/// eight bytes are tested at once, since most of a paragraph needs no change.
fn skip_lower_ascii(bytes: &[u8], from: usize) -> usize {
    use crate::text::{LANES_HIGH as HIGH, LANES_ONE as ONES, eight_bytes_at};
    let mut i = from;
    while let Some(x) = eight_bytes_at(bytes, i) {
        // With no high bit set, adding 0x3F sets a byte's high bit from `A` up and
        // adding 0x25 from `[` up, without carrying into the next byte.
        let upper = x.wrapping_add(ONES * 0x3F) & !x.wrapping_add(ONES * 0x25);
        if (x | upper) & HIGH != 0 {
            break;
        }
        i += 8;
    }
    i
}

/// The length of the character at `at` (a character boundary) and its lower case when
/// that differs and has the same length in UTF-8.
fn lowered_at(text: &str, at: usize) -> (usize, Option<char>) {
    let bytes = text.as_bytes();
    let b = bytes[at];
    if b < 0x80 {
        return (1, b.is_ascii_uppercase().then_some((b | 0x20) as char));
    }
    if b == 0xC3 {
        // Latin-1 letters: À–Þ (but ×) are 32 code points above their lower case; the
        // rest of the block is already lower case.
        let second = bytes.get(at + 1).copied().unwrap_or(0);
        let lower = ((0x80..=0x9E).contains(&second) && second != 0x97)
            .then(|| char::from_u32(0xC0 + u32::from(second - 0x80) + 32))
            .flatten();
        return (2, lower);
    }
    if b == 0xC2 || (b == 0xE2 && bytes.get(at + 1) == Some(&0x80)) {
        // U+0080–U+00BF (NBSP, « ») and U+2000–U+203F (’, dashes, narrow NBSP) have no
        // case.
        return (if b == 0xC2 { 2 } else { 3 }, None);
    }
    let Some(c) = text[at..].chars().next() else {
        return (1, None);
    };
    let len = c.len_utf8();
    // Title-case letters (« ǅ ») are not upper case but still have a lower case.
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(l), None) if l.len_utf8() == len && l != c => (len, Some(l)),
        _ => (len, None),
    }
}

/// Lower-cases a regex pattern, leaving escapes alone: `\p{Lu}` and `\S` mean
/// something else in lower case.
fn lowercase_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend(c.to_lowercase());
            continue;
        }
        out.push(c);
        let Some(next) = chars.next() else { break };
        out.push(next);
        if matches!(next, 'p' | 'P' | 'u' | 'x') && chars.peek() == Some(&'{') {
            for c in chars.by_ref() {
                out.push(c);
                if c == '}' {
                    break;
                }
            }
        }
    }
    out
}

/// Joins regex fragments into one alternation where each fragment that ends in a word
/// character must be followed by a non-word character or the end of the text. Checking
/// the end inside the regex (rather than after the match) lets leftmost-first matching
/// fall back to a longer alternative: `add|added` still finds "added".
fn with_end_boundaries(parts: &[String]) -> String {
    // Fragments that start with punctuation (« , accusé de ») need no word boundary before
    // them; the others must follow a non-word character or the start of the text, checked
    // inside the regex so that a match never has to be retried one character later.
    let (punct, word): (Vec<&String>, Vec<&String>) =
        parts.iter().partition(|p| p.starts_with([',', ';', ':']));
    let mut out = Vec::new();
    for (group, start) in [(word, r"(?:^|[^\p{L}\p{N}])"), (punct, "")] {
        let (open, bounded): (Vec<&String>, Vec<&String>) = group
            .into_iter()
            .partition(|p| p.ends_with("['’ʼ]") || p.ends_with("[-‐‑]"));
        let join = |v: &[&String]| {
            v.iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|")
        };
        if !bounded.is_empty() {
            out.push(format!(
                r"{start}(?:{})(?:[^\p{{L}}\p{{N}}]|$)",
                join(&bounded)
            ));
        }
        if !open.is_empty() {
            out.push(format!("{start}(?:{})", join(&open)));
        }
    }
    out.join("|")
}

/// Compiles a lexicon pattern. The lexicons are large alternations, above the regex
/// crate's default size limits once case folding is applied.
/// Compiles several patterns into one regex whose matches tell which pattern matched.
/// An empty group never matches.
fn compile_many(patterns: &[Option<String>]) -> Option<Regex> {
    // A pattern that matches nothing keeps every group at its index.
    let never = r"[^\s\S]".to_string();
    let patterns: Vec<String> = patterns
        .iter()
        .map(|p| p.clone().unwrap_or_else(|| never.clone()))
        .collect();
    builder().build_many(&patterns).ok()
}

fn compile(pattern: &str) -> Option<Regex> {
    builder().build(pattern).ok()
}

/// The regex builder of every lexicon set. Only the span of a match is ever asked for:
/// no capture groups, and none of the engines that exist to report them. Compiling
/// fewer automata keeps start-up short.
fn builder() -> regex_automata::meta::Builder {
    let mut b = Regex::builder();
    b.configure(
        Regex::config()
            .which_captures(WhichCaptures::Implicit)
            .onepass(false)
            .backtrack(false)
            .dfa(false)
            .nfa_size_limit(Some(64 << 20))
            .hybrid_cache_capacity(64 << 20),
    )
    .syntax(syntax::Config::new().utf8(true));
    b
}

/// A regex match trimmed of the characters it consumed around the phrase to check the
/// word boundaries there, or `None` when the phrase does not stand on word boundaries.
fn trim_match(text: &str, m_start: usize, m_end: usize) -> Option<Range<usize>> {
    let mut start = m_start;
    let mut it = text[start..m_end].chars();
    if let (Some(first), Some(second)) = (it.next(), it.next())
        && !first.is_alphanumeric()
        && second.is_alphanumeric()
    {
        start += first.len_utf8();
    }
    let mut end = m_end;
    if let Some(last) = text[start..end].chars().next_back() {
        // A final period is the phrase's own only in dotted abbreviations ("U.S.").
        let dotted = last == '.' && text[start..end - 1].contains('.');
        if !last.is_alphanumeric()
            && !matches!(last, '\'' | '’' | 'ʼ' | '-')
            && !dotted
            && end - last.len_utf8() > start
        {
            end -= last.len_utf8();
        }
    }
    is_word_boundary_match(text, start, end).then_some(start..end)
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

/// Whether `start..end` starts and ends on word boundaries (letters and digits are word
/// characters; apostrophes and hyphens end a word, so « l’OTSC » holds the word OTSC).
pub fn is_word_boundary_match(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let ok_start = !(word(before) && word(first));
    let ok_end = !(word(after) && word(last));
    ok_start && ok_end
}

/// Turns a lexicon phrase into a regex fragment: spaces match any run of whitespace
/// (NBSP included), apostrophes match every apostrophe, and hyphens match hyphen variants.
fn phrase_to_regex(phrase: &str) -> String {
    let phrase = phrase.trim();
    let mut out = String::with_capacity(phrase.len() * 2);
    let mut last_space = false;
    for c in phrase.chars() {
        match c {
            ' ' | '\u{a0}' | '\u{202f}' => {
                if !last_space {
                    out.push_str(r"[\s\u{a0}\u{202f}]+");
                }
                last_space = true;
                continue;
            }
            '\'' | '’' | 'ʼ' => out.push_str("['’ʼ]"),
            '-' => out.push_str("[-‐‑]"),
            _ => out.push(c),
        }
        last_space = false;
    }
    out
}

/// The regex for the words after the first one of a multi-word entry (« mis en cause »):
/// `rest` keeps its leading space, which `phrase_to_regex` would trim.
fn tail(rest: &str) -> String {
    if rest.trim().is_empty() {
        String::new()
    } else {
        format!(r"[\s\u{{a0}}\u{{202f}}]+{}", phrase_to_regex(rest))
    }
}

/// Escapes a user's literal phrase so that only spaces and apostrophes stay special.
fn literal(phrase: &str) -> String {
    regex::escape(phrase)
}

/// Conjugates a French reporting verb given as a lemma into a regex fragment matching
/// its third-person and participle forms. Irregular verbs (other than -er and -ir of
/// the second group) return `None`: the lexicon lists their forms.
fn french_verb_forms(lemma: &str) -> Option<String> {
    let lemma = lemma
        .trim()
        .trim_start_matches("s'")
        .trim_start_matches("s’")
        .trim_start_matches("se ");
    let (verb, rest) = match lemma.split_once(' ') {
        Some((v, r)) => (v, format!(" {r}")),
        None => (lemma, String::new()),
    };
    const IRREGULAR_IR: &[&str] = &[
        "venir",
        "tenir",
        "prévenir",
        "soutenir",
        "partir",
        "sortir",
        "mentir",
        "démentir",
        "sentir",
        "ouvrir",
        "offrir",
        "souffrir",
        "courir",
        "mourir",
        "servir",
        "dormir",
        "fuir",
        "cueillir",
        "acquérir",
        "conquérir",
        "devenir",
        "intervenir",
        "revenir",
    ];
    let endings_er = "e|es|ent|ait|aient|a|èrent|é|ée|és|ées|era|eront|erait|eraient|ant|ons|ez";
    let endings_ir = "it|issent|issait|issaient|i|ie|is|ies|ira|iront|irait|iraient|issant";
    let inversion = r"(?:[-‐‑]t)?(?:[-‐‑](?:il|elle|on|ils|elles))?";
    if let Some(stem) = verb.strip_suffix("er") {
        let mut stems = vec![stem.to_string()];
        if let Some(s) = stem.strip_suffix('c') {
            stems.push(format!("{s}ç"));
        }
        if stem.ends_with('g') {
            stems.push(format!("{stem}e"));
        }
        // « répéter » → « répète »: the last é of the stem becomes è before a mute e.
        if let Some(i) = stem.rfind('é') {
            let mut s = stem.to_string();
            s.replace_range(i..i + 'é'.len_utf8(), "è");
            stems.push(s);
        }
        // « rappeler » → « rappelle », « jeter » → « jette ».
        if stem.ends_with('l') || stem.ends_with('t') {
            if let Some(last) = stem.chars().last() {
                stems.push(format!("{stem}{last}"));
            }
        }
        let stems: Vec<String> = stems.iter().map(|s| regex::escape(s)).collect();
        return Some(format!(
            "(?:{})(?:{endings_er}){inversion}{}",
            stems.join("|"),
            tail(&rest)
        ));
    }
    if let Some(stem) = verb.strip_suffix("ir") {
        if !IRREGULAR_IR.contains(&verb) {
            return Some(format!(
                "{}(?:{endings_ir}){inversion}{}",
                regex::escape(stem),
                tail(&rest)
            ));
        }
    }
    None
}

/// Conjugates an English reporting verb: the lemma, -s, -ed and -ing forms.
fn english_verb_forms(lemma: &str, noun_homograph: bool, gerund: bool) -> String {
    let lemma = lemma.trim();
    let (verb, rest) = match lemma.split_once(' ') {
        Some((v, r)) => (v, format!(" {r}")),
        None => (lemma, String::new()),
    };
    const DOUBLING: &[&str] = &[
        "admit", "quip", "regret", "commit", "omit", "refer", "prefer",
    ];
    let mut forms = vec![verb.to_string()];
    let consonant_y = verb.ends_with('y')
        && !verb.ends_with("ay")
        && !verb.ends_with("ey")
        && !verb.ends_with("oy");
    if consonant_y {
        let base = &verb[..verb.len() - 1];
        forms.push(format!("{base}ies"));
        forms.push(format!("{base}ied"));
        forms.push(format!("{verb}ing"));
    } else if let Some(base) = verb.strip_suffix('e') {
        forms.push(format!("{verb}s"));
        forms.push(format!("{verb}d"));
        forms.push(format!("{base}ing"));
    } else {
        let es = ["s", "sh", "ch", "x", "z"]
            .iter()
            .any(|e| verb.ends_with(e));
        forms.push(format!("{verb}{}", if es { "es" } else { "s" }));
        if DOUBLING.contains(&verb) {
            let last = verb.chars().last().unwrap_or('t');
            forms.push(format!("{verb}{last}ed"));
            forms.push(format!("{verb}{last}ing"));
        } else {
            forms.push(format!("{verb}ed"));
            forms.push(format!("{verb}ing"));
        }
    }
    if noun_homograph {
        // "state", "report": the bare and -s forms are nouns far more often than verbs.
        forms.retain(|f| f.ends_with('d') || f.ends_with("ing"));
    }
    if !gerund {
        // "before telling anyone": a gerund rarely names the source of a claim.
        forms.retain(|f| !f.ends_with("ing"));
    } else {
        forms.retain(|f| f.ends_with("ing"));
    }
    let forms: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
    format!("(?:{}){}", forms.join("|"), tail(&rest))
}

/// The compiled lexicon of one language.
#[derive(Debug)]
pub struct LangLexicon {
    pub lang: Lang,
    /// Every verb of saying and opinion, with its kind: the strong reporting verbs and
    /// the verbs of opinion name the source of a claim (and make a vague source of a
    /// subject that cannot be identified, « des experts jugent »); the weak ones only
    /// attribute a quotation. One pass per paragraph (see [`super::verbs`]).
    pub verbs: VerbSet,
    /// « selon », "according to": prepositions that introduce a source.
    pub source_markers: PhraseSet,
    pub hearsay: PhraseSet,
    pub passive: PhraseSet,
    pub passive_impersonal: PhraseSet,
    pub agent_markers: Vec<String>,
    /// Words of a judicial procedure: an accusation next to them is a fact of procedure.
    pub judicial: PhraseSet,
    pub vague: PhraseSet,
    /// Institutions (« la police », "the ministry"): a source named by one is not vague.
    pub institutions: PhraseSet,
    /// French only: what the conditional detector needs.
    pub conditional: Option<ConditionalLexicon>,
    /// The words the speaker finder reads clauses with (see [`People`]).
    pub people: People,
}

/// A hasher for the short words of the lexicon sets: the clause reader looks up every
/// word it reads in a dozen sets, and the standard SipHash, built against collision
/// attacks the lexicon does not face, costs several times more per short key. This is
/// the multiply-rotate scheme of the Firefox and rustc hashers.
#[derive(Default, Clone, Copy)]
pub struct WordHasher {
    hash: u64,
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        // The last bytes as one word, zero-padded: a short key is hashed in one step.
        // `str` keys end with a 0xFF byte written apart, so "ab" and "ab\0" differ.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.hash = (self.hash.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FastHash = std::hash::BuildHasherDefault<WordHasher>;

/// A set of words and multi-word entries, looked up token by token: an entry matches
/// where its words stand one after the other (`premier ministre`, `those close to`).
#[derive(Debug, Default)]
pub struct WordSet {
    /// Entries by first word, longest first.
    by_first: std::collections::HashMap<String, Vec<Vec<String>>, FastHash>,
}

impl WordSet {
    fn new<S: AsRef<str>>(entries: impl IntoIterator<Item = S>) -> WordSet {
        let mut set = WordSet::default();
        for e in entries {
            let words = split_entry(e.as_ref());
            if let Some(first) = words.first().cloned() {
                set.by_first.entry(first).or_default().push(words);
            }
        }
        for v in set.by_first.values_mut() {
            v.sort_by_key(|w| std::cmp::Reverse(w.len()));
            v.dedup();
        }
        set
    }

    /// Whether `word` (lower case, apostrophes straight) is a one-word entry.
    pub fn contains(&self, word: &str) -> bool {
        self.by_first
            .get(word)
            .is_some_and(|v| v.iter().any(|e| e.len() == 1))
    }

    /// The number of words of the longest entry that starts at the first of `words`, if
    /// any. `words` yields the lower-cased words of the text from the position on.
    pub fn match_len<'w, I>(&self, mut words: I) -> Option<usize>
    where
        I: Iterator<Item = &'w str> + Clone,
    {
        let first = words.next()?;
        let entries = self.by_first.get(first)?;
        // Longest first: the first entry whose other words follow is the longest match.
        entries
            .iter()
            .find(|e| {
                let mut rest = words.clone();
                e[1..].iter().all(|w| rest.next() == Some(w.as_str()))
            })
            .map(Vec::len)
    }
}

/// Splits a lexicon entry into the words the tokenizer gives: spaces separate words, and
/// a French elision (« d'emblée », « l'un ») ends its word after the apostrophe.
pub fn split_entry(entry: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in entry.split_whitespace() {
        let w = w.to_lowercase().replace(['’', 'ʼ'], "'");
        match w.find('\'') {
            Some(i) if i + 1 < w.len() && is_elision(&w[..=i]) => {
                out.push(w[..=i].to_string());
                out.push(w[i + 1..].to_string());
            }
            _ => out.push(w),
        }
    }
    out
}

/// Whether `head` (lower case, ending in a straight apostrophe) is a French elided word
/// that stands on its own: « l' », « d' », « qu' », « jusqu' ».
pub fn is_elision(head: &str) -> bool {
    matches!(
        head,
        "l'" | "d'"
            | "s'"
            | "n'"
            | "m'"
            | "t'"
            | "c'"
            | "j'"
            | "qu'"
            | "jusqu'"
            | "lorsqu'"
            | "puisqu'"
            | "quoiqu'"
            | "presqu'"
    )
}

/// Nouns of people, looked up in every feminine and plural form: the forms are made
/// once, when the lexicon is built, so that a lookup is one hash probe.
#[derive(Debug, Default)]
pub struct NounSet {
    words: WordSet,
}

impl NounSet {
    fn new<S: AsRef<str>>(lang: Lang, entries: impl IntoIterator<Item = S>) -> NounSet {
        let mut all: Vec<String> = Vec::new();
        for e in entries {
            let words = split_entry(e.as_ref());
            let Some((first, rest)) = words.split_first() else {
                continue;
            };
            for form in inflections(lang, first) {
                let mut entry = vec![form];
                entry.extend(rest.iter().cloned());
                all.push(entry.join(" "));
                // A multi-word noun takes its plural on its last word too ("prime
                // ministers", « hauts fonctionnaires »).
                if let Some(last) = rest.last() {
                    for plural in inflections(lang, last) {
                        let mut entry = vec![form_of(&all, first)];
                        entry.extend(rest[..rest.len() - 1].iter().cloned());
                        entry.push(plural);
                        all.push(entry.join(" "));
                    }
                }
            }
        }
        NounSet {
            words: WordSet::new(&all),
        }
    }

    /// The number of words of the noun entry that starts at the first of `words`,
    /// whatever its gender and number (« conseillères » for « conseiller »).
    pub fn match_len<'w, I>(&self, words: I) -> Option<usize>
    where
        I: Iterator<Item = &'w str> + Clone,
    {
        self.words.match_len(words)
    }
}

/// The first word of a multi-word entry, unchanged, for its plural forms.
fn form_of(_all: &[String], first: &str) -> String {
    first.to_string()
}

/// The forms of a noun given in its masculine singular: plurals, and in French the
/// feminine (-e, -ère, -euse, -trice, -ienne, -ive, -ette) and their plurals.
pub fn inflections(lang: Lang, w: &str) -> Vec<String> {
    let w = w.to_lowercase().replace(['’', 'ʼ'], "'");
    let mut out = vec![w.clone()];
    match lang {
        Lang::Fr => {
            let mut stems = vec![w.clone()];
            for (m, f) in [
                ("er", "ère"),
                ("eur", "euse"),
                ("teur", "trice"),
                ("ien", "ienne"),
                ("f", "ve"),
                ("et", "ette"),
            ] {
                if let Some(stem) = w.strip_suffix(m) {
                    stems.push(format!("{stem}{f}"));
                }
            }
            if !w.ends_with('e') {
                stems.push(format!("{w}e"));
            }
            for s in stems {
                if !s.ends_with(['s', 'x']) {
                    out.push(format!("{s}s"));
                }
                out.push(s);
            }
            if let Some(stem) = w.strip_suffix("al") {
                out.push(format!("{stem}aux"));
            }
            if w.ends_with("eau") || w.ends_with("eu") {
                out.push(format!("{w}x"));
            }
        }
        Lang::En => {
            out.push(format!("{w}s"));
            if w.ends_with(['s', 'x', 'z']) || w.ends_with("ch") || w.ends_with("sh") {
                out.push(format!("{w}es"));
            }
            if let Some(stem) = w.strip_suffix('y') {
                out.push(format!("{stem}ies"));
            }
            if let Some(stem) = w.strip_suffix("man") {
                out.push(format!("{stem}men"));
            }
            if w == "person" {
                out.push("people".into());
            }
            if w == "child" {
                out.push("children".into());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The closed word classes and noun lists the speaker finder reads clauses with.
#[derive(Debug, Default)]
pub struct People {
    pub definite: WordSet,
    pub indefinite: WordSet,
    pub quantifiers: WordSet,
    pub possessive: WordSet,
    pub pronouns: WordSet,
    pub clitics: WordSet,
    pub auxiliaries: WordSet,
    pub prepositions: WordSet,
    pub of: WordSet,
    pub conjunctions: WordSet,
    pub adverbs: WordSet,
    pub roles: NounSet,
    pub vox_pop: NounSet,
    pub collectives: WordSet,
    pub informants: WordSet,
    /// People who speak on the record for others (spokespeople, reporters).
    pub on_record: NounSet,
    pub vague_documents: WordSet,
    pub documents: NounSet,
    pub institution_adjectives: WordSet,
    /// The screen for anonymous sources (see [`super::anonymous`]).
    pub triggers: super::anonymous::Triggers,
}

impl People {
    fn new(lang: Lang, p: &PeopleSection, extra: &LexiconExtra) -> People {
        // The screen's words: the nouns of people, the informants, collectives and
        // publications, the quantifiers and the source markers.
        // The nouns of people; of the ordinary ones only the plurals: one unnamed witness
        // is no anonymous source, but a group of them making a claim is ("lawyers
        // estimate", « des manifestants estiment »). Fewer words keep the screen small.
        let vox: HashSet<&str> = p.vox_pop.iter().map(String::as_str).collect();
        let mut entries = super::anonymous::TriggerEntries::default();
        entries.heads.extend(
            p.roles
                .iter()
                .chain(&extra.people)
                .filter(|r| !vox.contains(r.as_str()))
                .cloned(),
        );
        entries.plurals.extend(p.vox_pop.iter().cloned());
        entries.heads.extend(p.informants.iter().cloned());
        entries.heads.extend(p.vague_documents.iter().cloned());
        entries
            .fixed
            .extend(p.collectives.iter().map(|c| c.to_lowercase()));
        entries
            .fixed
            .extend(p.quantifiers.iter().map(|c| c.to_lowercase()));
        let markers: &[&str] = match lang {
            Lang::Fr => &[
                "selon",
                "d'après",
                "d’après",
                "aux dires",
                "à en croire",
                "de l'aveu",
                "de l’aveu",
                "de source",
            ],
            Lang::En => &["according to", "citing", "quoting"],
        };
        entries.fixed.extend(markers.iter().map(|m| m.to_string()));
        People {
            triggers: super::anonymous::Triggers::new(lang, &entries),
            definite: WordSet::new(&p.definite),
            indefinite: WordSet::new(&p.indefinite),
            quantifiers: WordSet::new(&p.quantifiers),
            possessive: WordSet::new(&p.possessive),
            pronouns: WordSet::new(&p.pronouns),
            clitics: WordSet::new(&p.clitics),
            auxiliaries: WordSet::new(&p.auxiliaries),
            prepositions: WordSet::new(&p.prepositions),
            of: WordSet::new(&p.of),
            conjunctions: WordSet::new(&p.conjunctions),
            adverbs: WordSet::new(&p.adverbs),
            roles: NounSet::new(lang, p.roles.iter().chain(&extra.people)),
            vox_pop: NounSet::new(lang, &p.vox_pop),
            collectives: WordSet::new(&p.collectives),
            informants: WordSet::new(&p.informants),
            on_record: NounSet::new(lang, &p.on_record),
            vague_documents: WordSet::new(&p.vague_documents),
            documents: NounSet::new(lang, &p.documents),
            institution_adjectives: WordSet::new(&p.institution_adjectives),
        }
    }
}

/// The French conditional detector's word lists.
#[derive(Debug)]
pub struct ConditionalLexicon {
    pub forms: HashSet<String>,
    /// The conditionals that report (bare forms: « trouverait » for « se trouverait »).
    pub reportive: HashSet<String>,
    pub planning_verbs: HashSet<String>,
    pub irer_imperfects: HashSet<String>,
    pub modal: HashSet<String>,
    pub modal_participles: HashSet<String>,
    pub hypothesis: PhraseSet,
    pub future_in_past: Vec<String>,
    pub impersonal: PhraseSet,
    pub adverbs: HashSet<String>,
    pub participles: HashSet<String>,
    pub not_verbs: HashSet<String>,
}

impl ConditionalLexicon {
    /// Whether `word` (lower case) is a third-person conditional.
    pub fn is_conditional(&self, word: &str) -> bool {
        if self.not_verbs.contains(word) || word.chars().count() < 5 {
            return false;
        }
        if self.forms.contains(word) {
            return true;
        }
        if self.irer_imperfects.contains(word) {
            return false;
        }
        word.ends_with("erait")
            || word.ends_with("eraient")
            || word.ends_with("irait")
            || word.ends_with("iraient")
    }

    /// Whether `word` (lower case) can be a past participle.
    pub fn is_participle(&self, word: &str) -> bool {
        // Irregular participles also end their compounds: « réécrit », « reconstruit ».
        if self.participles.contains(word)
            || self
                .participles
                .iter()
                .any(|p| p.chars().count() >= 4 && word.ends_with(p.as_str()))
        {
            return true;
        }
        let w = word.trim_end_matches('s').trim_end_matches('e');
        w.chars().count() >= 2 && (w.ends_with('é') || w.ends_with('i') || w.ends_with('u'))
    }

    /// Whether the word before a « que » makes the clause a future in the past.
    pub fn introduces_future_in_past(&self, word: &str) -> bool {
        self.future_in_past.iter().any(|p| {
            if p.chars().count() < 4 {
                word == p
            } else {
                word.starts_with(p.as_str())
            }
        })
    }
}

impl LangLexicon {
    /// Matches of a verb set that are verbs: a match right after a determiner is a noun
    /// (« l’accusé », « le prévenu », "the state").
    pub fn verbs_in(&self, set: &PhraseSet, text: &str) -> Vec<Range<usize>> {
        self.verbs_only(text, set.find_all(text))
    }

    /// The matches of a verb set in `text` that are verbs (see [`LangLexicon::verbs_in`]).
    pub fn verbs_only(&self, text: &str, matches: Vec<Range<usize>>) -> Vec<Range<usize>> {
        const FR: &[&str] = &[
            "le", "la", "l", "les", "un", "une", "des", "du", "ce", "cet", "cette", "ces", "son",
            "sa", "ses", "leur", "leurs", "notre", "votre", "au", "aux",
        ];
        const EN: &[&str] = &[
            "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their",
            "our", "your", "my", "no",
        ];
        let dets = match self.lang {
            Lang::Fr => FR,
            Lang::En => EN,
        };
        matches
            .into_iter()
            .filter(|r| {
                let before = text[..r.start].trim_end_matches(['\'', '’', ' ', '\u{a0}']);
                let word_start = before
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| c.is_alphabetic())
                    .last()
                    .map_or(before.len(), |(i, _)| i);
                let word = &before[word_start..];
                !dets.iter().any(|d| d.eq_ignore_ascii_case(word))
            })
            .collect()
    }

    fn build(lang: Lang, file: LexiconFile, extra: &LexiconExtra) -> LangLexicon {
        let homographs: HashSet<&str> = file
            .reporting
            .noun_homographs
            .iter()
            .map(String::as_str)
            .collect();
        let conjugate = |lemma: &String| match lang {
            Lang::Fr => {
                french_verb_forms(lemma).unwrap_or_else(|| phrase_to_regex(&literal(lemma)))
            }
            Lang::En => english_verb_forms(lemma, homographs.contains(lemma.as_str()), false),
        };
        let gerunds = |lemma: &String| match lang {
            Lang::Fr => String::new(),
            Lang::En => english_verb_forms(lemma, homographs.contains(lemma.as_str()), true),
        };
        // Strong reporting verbs name a source; weak ones only attribute a quotation
        // standing next to them. Extra verbs from the configuration are strong.
        let mut strong: Vec<String> = file
            .reporting
            .lemmas
            .iter()
            .chain(&extra.reporting_verbs)
            .map(conjugate)
            .collect();
        strong.extend(file.reporting.forms.iter().map(|f| phrase_to_regex(f)));
        let mut all = strong.clone();
        all.extend(file.reporting.weak_lemmas.iter().map(conjugate));
        all.extend(
            file.reporting
                .lemmas
                .iter()
                .chain(&file.reporting.weak_lemmas)
                .map(gerunds)
                .filter(|g| !g.is_empty()),
        );
        all.extend(file.reporting.weak_forms.iter().map(|f| phrase_to_regex(f)));
        // Opinion verbs attribute a quotation like the weak ones, and make a vague source
        // like the strong ones when their subject cannot be identified.
        let opinion: Vec<String> = file
            .reporting
            .opinion_lemmas
            .iter()
            .map(conjugate)
            .collect();
        all.extend(opinion.iter().cloned());
        let mut claimers = strong;
        claimers.extend(opinion);
        let mut after_subject: Vec<String> = Vec::new();
        // Right after a subject, a noun homograph is a verb ("lawyers estimate", "critics
        // claim"): that set has every form of the lemmas. Elsewhere "legal claims" is a
        // noun, so the claims set keeps the usual forms.
        if lang == Lang::En {
            after_subject.extend(
                file.reporting
                    .lemmas
                    .iter()
                    .chain(&file.reporting.opinion_lemmas)
                    .filter(|l| homographs.contains(l.as_str()))
                    .map(|l| english_verb_forms(l, false, false)),
            );
        }
        // The verb set: claims first, so that a verb in both groups is a claim.
        let screen_entries: Vec<&String> = file
            .reporting
            .lemmas
            .iter()
            .chain(&file.reporting.weak_lemmas)
            .chain(&file.reporting.opinion_lemmas)
            .chain(&file.reporting.forms)
            .chain(&file.reporting.weak_forms)
            .chain(&extra.reporting_verbs)
            .collect();
        let verb_screen = VerbSet::screen_of(lang, &screen_entries);
        let verb_groups = [
            Pending::regexes(claimers).pattern,
            Pending::regexes(after_subject).pattern,
            Pending::regexes(all).pattern,
        ];

        let literal_extra = |v: &[String]| v.iter().map(|p| literal(p)).collect::<Vec<_>>();
        let mut hearsay = file.hearsay.phrases.clone();
        hearsay.extend(literal_extra(&extra.hearsay));
        let mut vague = file.vague.phrases.clone();
        vague.extend(literal_extra(&extra.vague_sources));

        let mut participles: Vec<String> = Vec::new();
        for p in file
            .passive
            .participles
            .iter()
            .chain(&extra.accusation_verbs)
        {
            participles.push(inflect_participle(lang, p));
        }
        let aux: Vec<String> = file
            .passive
            .auxiliaries
            .iter()
            .map(|a| phrase_to_regex(a))
            .collect();
        let adverb = match lang {
            Lang::Fr => {
                r"(?:[\s\u{a0}\u{202f}]+(?:déjà|également|aussi|souvent|longtemps|largement|régulièrement|publiquement|notamment|désormais|maintes fois|plusieurs fois|à plusieurs reprises|lui-même|elle-même|officiellement|formellement|ouvertement|directement|même|pourtant|parfois|toujours|encore|cependant|néanmoins|généralement|volontiers))?"
            }
            Lang::En => {
                r"(?:[\s\u{a0}\u{202f}]+(?:also|widely|long|repeatedly|frequently|often|publicly|openly|now|previously|formally|officially|variously|generally|commonly|even|still|increasingly|sometimes|largely))?"
            }
        };
        let passive_re = format!(
            r"(?:{})(?:{adverb})[\s\u{{a0}}\u{{202f}}]+(?:{})",
            aux.join("|"),
            participles.join("|")
        );

        let (hypothesis, impersonal) = match &file.conditional {
            Some(c) => (
                Pending::phrases(&c.hypothesis),
                Pending::phrases(&c.impersonal),
            ),
            None => (Pending::regexes(Vec::new()), Pending::regexes(Vec::new())),
        };
        let mut institutions = file.vague.institutions.clone();
        institutions.extend(literal_extra(&extra.institutions));
        let hearsay = Pending::phrases(&hearsay);
        let passive = Pending::regexes(vec![passive_re]);
        let passive_impersonal = Pending::phrases(&file.passive.impersonal);
        let judicial = Pending::phrases(&file.passive.judicial);
        let vague = Pending::phrases(&vague);
        let pending = vec![
            judicial,
            Pending::phrases(&file.reporting.source_markers),
            Pending::phrases(&institutions),
            hypothesis,
            impersonal,
        ];
        let claims = vec![hearsay, passive, passive_impersonal, vague];
        // Every set compiles as its own task: the sets differ in size by a factor of
        // twenty, and tasks balance across the cores where languages would not.
        let (verb_set, (compiled, claims)) = rayon::join(
            || compile_many(&verb_groups),
            || {
                rayon::join(
                    || {
                        pending
                            .into_par_iter()
                            .map(Pending::compile)
                            .collect::<Vec<_>>()
                    },
                    || {
                        claims
                            .into_par_iter()
                            .map(Pending::compile)
                            .collect::<Vec<_>>()
                    },
                )
            },
        );
        let [
            judicial,
            source_markers,
            institutions,
            hypothesis,
            impersonal,
        ] = <[PhraseSet; 5]>::try_from(compiled).unwrap_or_else(|_| unreachable!());
        let [hearsay, passive, passive_impersonal, vague] =
            <[PhraseSet; 4]>::try_from(claims).unwrap_or_else(|_| unreachable!());

        let conditional = file.conditional.map(|c| {
            let set = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
            let bare = |v: Vec<String>| -> HashSet<String> {
                v.into_iter()
                    .map(|s| {
                        let s = s.to_lowercase();
                        ["se ", "s'", "s’"]
                            .iter()
                            .find_map(|p| s.strip_prefix(p).map(str::to_string))
                            .unwrap_or(s)
                    })
                    .collect()
            };
            ConditionalLexicon {
                reportive: bare(c.reportive),
                planning_verbs: set(c.planning_verbs),
                forms: set(c.forms),
                irer_imperfects: set(c.irer_imperfects),
                modal: set(c.modal),
                modal_participles: set(c.modal_participles),
                hypothesis,
                future_in_past: c.future_in_past_verbs,
                impersonal,
                adverbs: set(c.adverbs),
                participles: set(c.participles),
                not_verbs: set(c.not_verbs),
            }
        });

        LangLexicon {
            lang,
            verbs: VerbSet {
                re: verb_set,
                screen: verb_screen,
            },
            source_markers,
            hearsay,
            passive,
            passive_impersonal,
            agent_markers: file.passive.agent_markers,
            judicial,
            vague,
            institutions,
            conditional,
            people: People::new(lang, &file.people, extra),
        }
    }
}

/// A phrase set ready to compile: its fragments and the pattern made of them. Building
/// the patterns is cheap; compiling them is most of the engine's start-up, so the sets
/// of a lexicon compile in parallel.
struct Pending {
    parts: Vec<String>,
    /// `None` when there is nothing to match.
    pattern: Option<String>,
}

impl Pending {
    /// Phrases written in the lexicon syntax (see the lexicon files' header).
    fn phrases<S: AsRef<str>>(phrases: impl IntoIterator<Item = S>) -> Pending {
        Pending::regexes(
            phrases
                .into_iter()
                .map(|p| phrase_to_regex(p.as_ref()))
                .collect(),
        )
    }

    /// Fragments already in regex syntax.
    fn regexes(mut parts: Vec<String>) -> Pending {
        parts.retain(|p| !p.is_empty());
        // Longer alternatives first, so that leftmost-first matching prefers them.
        parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
        parts.dedup();
        let pattern = Pending::pattern_of(&parts);
        Pending { parts, pattern }
    }

    fn pattern_of(parts: &[String]) -> Option<String> {
        (!parts.is_empty())
            .then(|| lowercase_pattern(&format!("(?:{})", with_end_boundaries(parts))))
    }

    /// Compiles the set. A fragment that does not compile is dropped rather than
    /// failing the whole set; the built-in lexicons are checked by a test.
    fn compile(mut self) -> PhraseSet {
        let mut re = self.pattern.take().and_then(|p| compile(&p));
        // Checking each part on its own is only worth it when the whole set does not
        // compile (a bad entry from a user's lexicon).
        if re.is_none() {
            self.parts.retain(|p| regex_syntax_ok(p));
            re = Pending::pattern_of(&self.parts).and_then(|p| compile(&p));
        }
        PhraseSet { re }
    }
}

/// Whether a regex fragment is valid regex syntax.
fn regex_syntax_ok(fragment: &str) -> bool {
    regex::Regex::new(fragment).is_ok()
}

/// Inflects the first word of a participle phrase for gender and number and returns a
/// regex fragment: « accusé » → accusé|accusée|accusés|accusées.
fn inflect_participle(lang: Lang, phrase: &str) -> String {
    let phrase = phrase.trim();
    if lang == Lang::En {
        return phrase_to_regex(phrase);
    }
    // « largement considéré comme »: an adverb first, and the participle after it.
    let (adverb, phrase) = match phrase.split_once(' ') {
        Some((a, r)) if a.ends_with("ment") => {
            (format!(r"{}[\s\u{{a0}}\u{{202f}}]+", regex::escape(a)), r)
        }
        _ => (String::new(), phrase),
    };
    let (first, rest) = match phrase.split_once(' ') {
        Some((f, r)) => (f, format!(" {r}")),
        None => (phrase, String::new()),
    };
    let base = regex::escape(first);
    let endings = if first.ends_with('s') {
        "(?:e|es)?"
    } else {
        "(?:e|s|es)?"
    };
    format!("{adverb}{base}{endings}{}", tail(&rest))
}

/// Both languages' compiled lexicons.
#[derive(Debug)]
pub struct Lexicons {
    fr: LangLexicon,
    en: LangLexicon,
}

impl Lexicons {
    /// Compiles the built-in lexicons with the configuration's extra entries.
    pub fn new(config: &Config) -> Lexicons {
        let load = |src: &str| toml::from_str::<LexiconFile>(src).unwrap_or_default();
        // The two languages compile on two cores when there are: start-up is on the
        // critical path of every `check` run.
        let (fr, en) = rayon::join(
            || LangLexicon::build(Lang::Fr, load(FR_SOURCE), &config.lexicon.fr),
            || LangLexicon::build(Lang::En, load(EN_SOURCE), &config.lexicon.en),
        );
        Lexicons { fr, en }
    }

    pub fn get(&self, lang: Lang) -> &LangLexicon {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicons_parse_and_compile() {
        for src in [FR_SOURCE, EN_SOURCE] {
            let file: LexiconFile = toml::from_str(src).expect("lexicon parses");
            let all = file
                .hearsay
                .phrases
                .iter()
                .chain(&file.vague.phrases)
                .chain(&file.passive.impersonal)
                .chain(&file.reporting.forms);
            for p in all {
                let re = phrase_to_regex(p);
                assert!(regex_syntax_ok(&re), "phrase {p:?} does not compile: {re}");
            }
        }
        let lex = Lexicons::new(&Config::default());
        assert!(lex.get(Lang::Fr).verbs.re.is_some());
        assert!(lex.get(Lang::En).passive.re.is_some());
    }

    #[test]
    fn french_reporting_forms() {
        let lex = Lexicons::new(&Config::default());
        let fr = &lex.get(Lang::Fr).verbs;
        for s in [
            "a déclaré",
            "déclare-t-elle",
            "a-t-il ajouté",
            "lança",
            "rappelle",
            "s'inquiète",
            "répète",
            "averti",
        ] {
            assert!(fr.is_match(s), "{s}");
        }
        assert!(!fr.is_match("la déclaration"));
    }

    #[test]
    fn english_reporting_forms() {
        let lex = Lexicons::new(&Config::default());
        let en = &lex.get(Lang::En).verbs;
        for s in [
            "said",
            "told reporters",
            "added",
            "admitted",
            "replied",
            "according to",
        ] {
            assert!(en.is_match(s), "{s}");
        }
        assert!(!en.is_match("saidan"));
    }

    #[test]
    fn extra_entries_from_config() {
        let mut config = Config::default();
        config.lexicon.fr.reporting_verbs.push("marmonner".into());
        config
            .lexicon
            .en
            .vague_sources
            .push("a little bird said".into());
        let lex = Lexicons::new(&config);
        assert!(lex.get(Lang::Fr).verbs.is_match("a marmonné"));
        assert!(lex.get(Lang::En).vague.is_match("A little bird said so."));
    }

    #[test]
    fn lowercasing_keeps_offsets() {
        for t in ["ÉTAT Élysée", "OTSC l’UE", "İstanbul", "déjà vu", "ÀÞ×Œ"] {
            let l = lowercase_same_len(t);
            assert_eq!(l.len(), t.len(), "{t}");
            assert_eq!(
                l,
                t.chars()
                    .map(|c| {
                        let mut lc = c.to_lowercase();
                        match (lc.next(), lc.next()) {
                            (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                            _ => c,
                        }
                    })
                    .collect::<String>(),
                "{t}"
            );
        }
        // Every character of the scripts a newsroom writes in, and then some.
        let all: String = (0u32..0x2000)
            .chain(0x1E00..0x2200)
            .filter_map(char::from_u32)
            .collect();
        let expected: String = all
            .chars()
            .map(|c| {
                let mut lc = c.to_lowercase();
                match (lc.next(), lc.next()) {
                    (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                    _ => c,
                }
            })
            .collect();
        assert_eq!(lowercase_same_len(&all), expected);
        assert!(matches!(
            lowercase_same_len("déjà vu"),
            std::borrow::Cow::Borrowed(_)
        ));
        // Upper case and accents at every offset of the eight-byte blocks that are
        // skipped at once, and every ASCII byte around them.
        for k in 0..40 {
            for mark in ["B", "@", "[", "`", "{", "Z", "A", "É", "é", "’", "\u{7f}"] {
                let t = format!("{}{mark}{}", "a".repeat(k), "x [@`{Zz".repeat(3));
                let expected: String = t
                    .chars()
                    .map(|c| match c {
                        'A'..='Z' => c.to_ascii_lowercase(),
                        'É' => 'é',
                        _ => c,
                    })
                    .collect();
                assert_eq!(lowercase_same_len(&t), expected, "{t}");
            }
        }
        let long = "la frontière est fermée depuis mardi, ".repeat(20);
        assert!(matches!(
            lowercase_same_len(&long),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn conditional_morphology() {
        let lex = Lexicons::new(&Config::default());
        let c = lex.get(Lang::Fr).conditional.as_ref().expect("french");
        for w in [
            "préparerait",
            "aurait",
            "serait",
            "finirait",
            "détiendrait",
            "s'élèverait",
        ] {
            let w = w.trim_start_matches("s'");
            assert!(c.is_conditional(w), "{w}");
        }
        for w in [
            "portrait",
            "préparait",
            "tirait",
            "retirait",
            "durait",
            "était",
        ] {
            assert!(!c.is_conditional(w), "{w}");
        }
    }
}
