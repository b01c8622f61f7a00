//! People and organisations the knowledge base does not list, introduced in the prose.
//!
//! A newsroom's stories quote analysts, local officials and witnesses that no knowledge
//! base will ever hold. This module recognises them where an article *introduces* them,
//! the way a reader does: a full name with an apposition (« Prénom Nom, analyste
//! militaire au Centre… », "Firstname Lastname, a senior fellow at …"), a title or role
//! before the name (« le ministre de la Défense, Prénom Nom », « l'ambassadeur Prénom
//! Nom », "Defense Minister Firstname Lastname"), a name with a verb of saying, or an
//! organisation named with its acronym or by a head word (« Centre d'études
//! stratégiques »). Later mentions of the full name, and of the surname alone after the
//! introduction, are linked to it.
//!
//! Precision comes first: a capitalised run with no such evidence is not a person;
//! headings and title-case lines are skipped; a run inside quotation marks (a title of a
//! work), a place (« rue », "Mount", a month or a day) or a complement (« le maire de
//! Saint Denis ») is not a person; and a name the knowledge base knows is left to it.
//!
//! Names are read with the clause reader of [`super::speakers`] (its tokens and its
//! name reader); this module adds the evidence around them. Each sentence is tokenized
//! once and the linking of later mentions is one Aho-Corasick pass per paragraph, so the
//! cost is linear in the text.

use super::Mention;
use super::lexicon::{LangLexicon, Lexicons};
use super::markdown::Document;
use super::sentences::Sentence;
use super::speakers::{Reader, Tok, tokens};
use super::verbs::{Verbs, covers};
use crate::lang::Lang;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// The most tokens read in one sentence (sentences are at most 2,000 bytes).
const MAX_TOKENS: usize = 600;
/// The most words of an apposition.
const APPOSITION_WORDS: usize = 18;
/// The prefix of every derived entity's key: knowledge-base ids are `[a-z0-9-]+`, so a
/// derived key never equals one.
pub const KEY_PREFIX: char = '~';

/// What a derived entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DerivedKind {
    Person,
    Organisation,
}

impl DerivedKind {
    /// The knowledge-base kind of the same name (see `docs/knowledge-format.md`).
    pub fn as_str(self) -> &'static str {
        match self {
            DerivedKind::Person => "person",
            DerivedKind::Organisation => "organisation",
        }
    }

    /// The kind as a card shows it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DerivedKind::Person, Lang::Fr) => "personne",
            (DerivedKind::Person, Lang::En) => "person",
            (DerivedKind::Organisation, Lang::Fr) => "organisation",
            (DerivedKind::Organisation, Lang::En) => "organization",
        }
    }
}

/// A person or organisation introduced in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduced {
    /// The derived entity's key (see [`key_of`]), shared by every article that names it
    /// the same way.
    pub key: Arc<str>,
    /// The fullest form of the name, as written.
    pub name: String,
    pub kind: DerivedKind,
    /// What the article says it is, at its introduction (the apposition or the title).
    pub description: Option<String>,
    /// The name at its introduction (source range).
    pub range: Range<usize>,
    /// Every spelling the article uses, the full name first.
    pub spellings: Vec<String>,
    /// The language of the introducing sentence.
    pub lang: Option<Lang>,
}

/// The key of a derived entity: [`KEY_PREFIX`] and the name folded to lower-case ASCII
/// letters and digits joined by hyphens (« Tigran Hakobian » → `~tigran-hakobian`).
pub fn key_of(name: &str) -> String {
    let mut out = String::from(KEY_PREFIX);
    let mut dash = false;
    for c in fold(name).chars() {
        if c.is_alphanumeric() {
            if dash && out.len() > 1 {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// Lower case without accents.
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name reduced to how it sounds across transliterations, for the consistency hint:
/// accents off, `h` dropped, `kh`/`q`/`c`/`g` as `k`, `y`/`j` as `i`, voiced consonants
/// as unvoiced, `ou` as `u`, doubled letters once. « Hakobian » and "Akopyan" both give
/// `akopian`; « Tchoukhadarian » and "Chukhadaryan" give `tsukatarian`-like forms that
/// compare equal.
pub fn skeleton(name: &str) -> String {
    let folded: String = fold(name)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let s = folded
        .replace("tch", "ch")
        .replace("sch", "ch")
        .replace("ch", "s")
        .replace("sh", "s")
        .replace("zh", "s")
        .replace("ou", "u")
        .replace("ph", "f")
        .replace("ck", "k");
    let mut out = String::new();
    for c in s.chars() {
        let mapped = match c {
            'h' => continue,
            'q' | 'c' | 'g' => 'k',
            'y' | 'j' => 'i',
            'b' => 'p',
            'd' => 't',
            'v' | 'w' => 'f',
            'z' => 's',
            'x' => 'k',
            other => other,
        };
        if !out.ends_with(mapped) {
            out.push(mapped);
        }
    }
    out
}

/// Whether two names may be one person written two ways: different spellings whose
/// surnames sound alike ([`skeleton`], or one letter apart for long names) and whose
/// first names, when both are given, sound alike too.
pub fn same_person(a: &str, b: &str) -> bool {
    if fold(a) == fold(b) {
        return false;
    }
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(skeleton).collect() };
    let (wa, wb) = (words(a), words(b));
    let (Some(la), Some(lb)) = (wa.last(), wb.last()) else {
        return false;
    };
    let close = |x: &str, y: &str| x == y || (x.len() >= 6 && y.len() >= 6 && one_apart(x, y));
    if !close(la, lb) {
        return false;
    }
    match (wa.len() > 1, wb.len() > 1) {
        (true, true) => close(&wa[0], &wb[0]),
        _ => true,
    }
}

/// Whether `a` and `b` differ by one letter inserted, removed or changed.
fn one_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        return a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() != 1 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    short[prefix..] == long[prefix + 1..]
}

/// Titles before a name that say it is a person and are no part of it.
const HONORIFICS: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "prof.",
    "m.",
    "mme",
    "mlle",
    "me",
    "pr",
    "sen.",
    "sen",
    "rep.",
    "gov.",
    "gen.",
    "col.",
    "capt.",
    "lt.",
    "sgt.",
    "mgr",
    "mgr.",
    "archbishop",
    "bishop",
    "cardinal",
    "rev",
    "rev.",
    "reverend",
    "rabbi",
    "imam",
    "sheikh",
    "cheikh",
    "father",
    "sister",
    "brother",
    "docteur",
    "professeur",
    "maître",
    "monseigneur",
    "père",
    "sœur",
    "frère",
];

/// Function words that a capital letter at the start of a sentence puts in front of a
/// name (« Selon Prénom Nom », "According Firstname…"): they are no part of it.
const OPENERS: &[&str] = &[
    "selon",
    "pour",
    "d'après",
    "après",
    "avant",
    "depuis",
    "pendant",
    "malgré",
    "contre",
    "chez",
    "sans",
    "avec",
    "sous",
    "sur",
    "vers",
    "entre",
    "parmi",
    "comme",
    "quand",
    "lorsque",
    "si",
    "mais",
    "et",
    "ou",
    "donc",
    "or",
    "ni",
    "car",
    "hier",
    "aujourd'hui",
    "demain",
    "ainsi",
    "alors",
    "aussi",
    "encore",
    "enfin",
    "puis",
    "ensuite",
    "désormais",
    "according",
    "after",
    "before",
    "since",
    "during",
    "despite",
    "against",
    "with",
    "without",
    "for",
    "from",
    "under",
    "over",
    "among",
    "as",
    "while",
    "when",
    "if",
    "like",
    "unlike",
    "meanwhile",
    "yesterday",
    "today",
    "tomorrow",
    "but",
    "and",
    "or",
    "so",
    "then",
    "also",
    "still",
    "thus",
    "however",
    "although",
    "though",
    "because",
    "at",
    "in",
    "on",
    "by",
    "to",
    "of",
    "via",
    "per",
    "dear",
    "cher",
    "chère",
    "hello",
    "bonjour",
    "merci",
    "thanks",
    "sorry",
    "yes",
    "no",
    "oui",
    "non",
    "a",
    "à",
];

/// First words that make a capitalised run a place or a date, not a person.
const NOT_FIRST: &[&str] = &[
    "saint",
    "sainte",
    "san",
    "santa",
    "mount",
    "mont",
    "lake",
    "lac",
    "rue",
    "place",
    "avenue",
    "boulevard",
    "gare",
    "port",
    "cap",
    "cape",
    "north",
    "south",
    "east",
    "west",
    "nord",
    "sud",
    "est",
    "ouest",
    "new",
    "upper",
    "lower",
    "fort",
    "porte",
    "pont",
    "île",
    "ile",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "dear",
    "cher",
    "chère",
    "god",
    "dieu",
    "allah",
    "hôtel",
    "hotel",
    "palais",
    "stade",
    "stadium",
    "musée",
    "museum",
    "le",
    "la",
    "les",
    "de",
    "du",
    "des",
];

/// Head words that make a capitalised run an organisation's name.
const ORG_HEADS: &[&str] = &[
    "centre",
    "center",
    "institut",
    "institute",
    "university",
    "université",
    "ministry",
    "ministère",
    "party",
    "parti",
    "council",
    "conseil",
    "bank",
    "banque",
    "association",
    "foundation",
    "fondation",
    "group",
    "groupe",
    "agency",
    "agence",
    "committee",
    "comité",
    "commission",
    "federation",
    "fédération",
    "corporation",
    "company",
    "compagnie",
    "inc.",
    "inc",
    "ltd",
    "ltd.",
    "endowment",
    "fund",
    "fonds",
    "organisation",
    "organization",
    "union",
    "movement",
    "mouvement",
    "alliance",
    "court",
    "cour",
    "tribunal",
    "assemblée",
    "assembly",
    "senate",
    "sénat",
    "police",
    "army",
    "armée",
    "society",
    "société",
    "club",
    "office",
    "bureau",
    "department",
    "network",
    "réseau",
    "observatory",
    "observatoire",
    "laboratoire",
    "laboratory",
    "academy",
    "académie",
    "school",
    "école",
    "college",
    "collège",
    "hospital",
    "hôpital",
    "airlines",
    "motors",
    "syndicat",
    "confédération",
    "confederation",
    "front",
    "brigade",
    "brigades",
    "trust",
];

/// Nouns of an apposition that describe an organisation, not a person.
const ORG_NOUNS: &[&str] = &[
    "ong",
    "ngo",
    "association",
    "think",
    "think-tank",
    "groupe",
    "group",
    "company",
    "entreprise",
    "société",
    "firm",
    "firme",
    "parti",
    "party",
    "syndicat",
    "union",
    "agence",
    "agency",
    "institut",
    "institute",
    "organisation",
    "organization",
    "fondation",
    "foundation",
    "cabinet",
    "banque",
    "bank",
    "quotidien",
    "hebdomadaire",
    "newspaper",
    "journal",
    "chaîne",
    "broadcaster",
    "club",
    "fédération",
    "federation",
    "ministère",
    "ministry",
    "université",
    "university",
    "collectif",
    "mouvement",
    "movement",
    "start-up",
    "startup",
    "constructeur",
    "carmaker",
    "fabricant",
    "manufacturer",
    "retailer",
    "distributeur",
    "opérateur",
    "operator",
    "laboratoire",
    "charity",
    "coalition",
    "alliance",
    "network",
    "réseau",
    "conglomerate",
    "conglomérat",
    "insurer",
    "assureur",
    "lender",
    "broker",
    "airline",
    "compagnie",
    "media",
    "média",
    "outlet",
    "website",
    "site",
];

/// Nouns that describe a person in an apposition, beyond the lexicon's roles.
const PERSON_NOUNS: &[&str] = &[
    "fellow",
    "researcher",
    "lecturer",
    "head",
    "chairman",
    "chairwoman",
    "chair",
    "ceo",
    "founder",
    "co-founder",
    "cofondateur",
    "cofondatrice",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "deputy",
    "adviser",
    "advisor",
    "conseillère",
    "directrice",
    "chercheuse",
    "analyste",
    "lawmaker",
    "mp",
    "senator",
    "governor",
    "mayor",
    "economist",
    "strategist",
    "veteran",
    "activist",
    "militante",
    "députée",
    "sénatrice",
    "présidente",
    "autrice",
    "romancier",
    "romancière",
    "philosophe",
    "photographe",
    "cinéaste",
    "humoriste",
    "footballeur",
    "attaquant",
    "défenseur",
    "milieu",
    "gardien",
    "striker",
    "midfielder",
    "goalkeeper",
    "winger",
    "coach",
    "manager",
    "boss",
    "star",
    "singer",
    "actor",
    "actress",
    "director",
    "writer",
    "author",
    "novelist",
    "historian",
    "professor",
    "student",
    "mother",
    "father",
    "son",
    "daughter",
    "wife",
    "husband",
    "widow",
    "resident",
    "owner",
    "lawyer",
    "prosecutor",
    "judge",
    "officer",
    "soldier",
    "commander",
    "general",
    "colonel",
    "pilot",
    "doctor",
    "nurse",
    "surgeon",
    "teacher",
    "farmer",
    "worker",
    "employee",
    "chef",
    "entrepreneur",
    "businessman",
    "businesswoman",
    "investor",
    "banker",
    "diplomat",
    "envoy",
    "secretary",
    "minister",
    "president",
    "leader",
    "candidate",
    "official",
];

/// Roles that head no description of a person before a name (« la voix de », « la
/// source »): the lexicon lists them for speakers, not for titles.
const NOT_TITLES: &[&str] = &[
    "source",
    "sources",
    "voix",
    "figure",
    "personne",
    "gens",
    "groupe",
    "association",
    "collectif",
    "ong",
];

/// Lower-case words that may stand before a title (« l'ancien ministre », "former
/// Defense Minister").
const TITLE_ADJECTIVES: &[&str] = &[
    "former",
    "ancien",
    "ancienne",
    "deputy",
    "senior",
    "vice",
    "chief",
    "top",
    "then",
    "nouveau",
    "nouvelle",
    "actuel",
    "actuelle",
    "premier",
    "première",
    "acting",
    "interim",
    "junior",
    "assistant",
    "associate",
    "executive",
    "managing",
    "général",
    "générale",
];

/// A candidate found in one sentence, with block-relative ranges.
struct Candidate {
    block: usize,
    name: Range<usize>,
    kind: DerivedKind,
    description: Option<Range<usize>>,
    acronym: Option<Range<usize>>,
    lang: Lang,
    /// A first name and a surname with no evidence around them: kept only if the
    /// article later names the person by the surname alone (« Prénom Nom … Nom »), as
    /// articles do with people.
    weak: bool,
}

/// Finds the people and organisations the article introduces that no knowledge-base
/// mention covers, and every later mention of them. `kb_mentions` are the article's
/// knowledge-base mentions (source ranges): a name they touch is the knowledge base's.
pub fn find(
    doc: &Document,
    sentences: &[Sentence],
    doc_lang: Option<Lang>,
    lexicons: &Lexicons,
    verbs: &Verbs<'_>,
    kb_mentions: &[Mention],
) -> (Vec<Introduced>, Vec<Mention>) {
    let mut kb: Vec<Range<usize>> = kb_mentions.iter().map(|m| m.range.clone()).collect();
    kb.sort_by_key(|r| (r.start, r.end));
    let mut candidates = Vec::new();
    for s in sentences {
        let Some(block) = doc.blocks.get(s.block) else {
            continue;
        };
        if block.is_heading() {
            continue;
        }
        let Some(sentence) = block.text.get(s.range.clone()) else {
            continue;
        };
        // Most sentences name nobody new: a word with a capital initial is needed that
        // neither opens the sentence nor lies in a knowledge-base mention.
        if !new_capital(sentence, |at| {
            let from = s.range.start + at;
            overlaps(&kb, &block.range_to_source(&(from..from + 1)))
        }) {
            continue;
        }
        let lang = s.lang.or(doc_lang).unwrap_or(Lang::En);
        let lex = lexicons.get(lang);
        let toks = tokens(
            &block.text,
            &block.lower,
            s.range.start,
            s.range.end,
            MAX_TOKENS,
        );
        if headline(&toks) {
            continue;
        }
        // The verbs of saying are found only for a sentence with a run worth reading.
        let mut sentence_verbs = None;
        let plain = Reader::new(lex);
        let mut i = 0;
        while i < toks.len() {
            if !plain.name_word(&toks, i) {
                i += 1;
                continue;
            }
            let end = plain.name_end(&toks, i).max(i + 1);
            // A name the knowledge base knows is its own (checked on the run's first
            // and last words, so that a known title or demonym before a new name, or a
            // known party after it, does not hide it); one capitalised word names nobody new unless an apposition or an
            // acronym follows, or a noun of organisations or people stands before it
            // (« la chaîne BFMTV »).
            let last = block.range_to_source(&toks[end - 1].range);
            let single = end == i + 1
                && !norm_in(&toks[i], ORG_HEADS)
                && !(1..=2).any(|back| {
                    i >= back
                        && (norm_in(&toks[i - back], ORG_NOUNS)
                            || person_noun(lex, &toks, i - back).is_some())
                })
                && toks
                    .get(end)
                    .is_none_or(|t| !matches!(t.punct, Some(',' | '(')));
            let first = block.range_to_source(&toks[i].range);
            if single || overlaps(&kb, &last) && overlaps(&kb, &first) {
                i = end;
                continue;
            }
            let found = sentence_verbs.get_or_insert_with(|| verbs.around(s.block, &s.range));
            let reader = Reader::with_verbs(lex, &found.all);
            if let Some(c) = candidate(&reader, lex, &toks, i, end, &block.text) {
                let source = block.range_to_source(&c.name);
                if !overlaps(&kb, &source) {
                    candidates.push(Candidate {
                        block: s.block,
                        ..c
                    });
                }
            }
            i = end;
        }
    }
    link(doc, candidates, &kb)
}

/// Whether `sentence` has a word with a capital initial past its first word that
/// `known` (a byte offset in the sentence) does not claim for the knowledge base. A
/// sentence without one is skipped before it is tokenized; this is what keeps the
/// analysis cheap on text whose names are all known.
fn new_capital(sentence: &str, known: impl Fn(usize) -> bool) -> bool {
    let mut prev_word = false;
    let mut seen_word = false;
    for (at, c) in sentence.char_indices() {
        let word = c.is_alphanumeric() || matches!(c, '-' | '\'' | '’');
        if word && !prev_word {
            if seen_word && c.is_uppercase() && !known(at) {
                return true;
            }
            seen_word = true;
        }
        prev_word = word;
    }
    false
}

/// Whether a sentence is a title-case line (a headline, a list of names): most of its
/// words are capitalised.
fn headline(toks: &[Tok]) -> bool {
    let words = toks.iter().filter(|t| t.is_word()).count();
    let caps = toks.iter().filter(|t| t.is_word() && t.cap).count();
    words >= 4 && caps * 10 >= words * 7
}

/// Whether `r` overlaps one of `sorted` (sorted by start).
fn overlaps(sorted: &[Range<usize>], r: &Range<usize>) -> bool {
    let after = sorted.partition_point(|m| m.start < r.end);
    sorted[..after]
        .iter()
        .rev()
        .take(8)
        .any(|m| m.end > r.start)
}

fn norm_in(t: &Tok, list: &[&str]) -> bool {
    t.is_word() && list.contains(&t.norm.as_ref())
}

/// Whether the word at `k` is a noun of people (the lexicon's roles or [`PERSON_NOUNS`]).
fn person_noun(lex: &LangLexicon, toks: &[Tok], k: usize) -> Option<usize> {
    if norm_in(&toks[k], PERSON_NOUNS) {
        return Some(1);
    }
    lex.people.roles.match_len(Reader::words(toks, k))
}

/// Reads the capitalised run `toks[i..end]` and what stands around it; returns a
/// candidate when the evidence says it names a person or an organisation.
fn candidate(
    reader: &Reader<'_>,
    lex: &LangLexicon,
    toks: &[Tok],
    i: usize,
    end: usize,
    text: &str,
) -> Option<Candidate> {
    let p = &lex.people;
    // A title of a work: the run fills a pair of quotation marks.
    let opens = |t: &Tok| matches!(t.punct, Some('«' | '“' | '"' | '‘' | '„'));
    let closes = |t: &Tok| matches!(t.punct, Some('»' | '”' | '"' | '’'));
    if i > 0 && opens(&toks[i - 1]) && toks.get(end).is_some_and(closes) {
        return None;
    }
    let mut a = i;
    let b = end;
    let mut titled = false;
    let mut title: Option<Range<usize>> = None;
    while a < b && norm_in(&toks[a], OPENERS) {
        a += 1;
    }
    let i = a;
    let mut b = b;
    // « Marine Le Pen du Front national »: a particle before an organisation's head
    // word ends the person's name.
    if let Some(h) = (a + 1..b).find(|&k| norm_in(&toks[k], ORG_HEADS))
        && let Some(cut) = (a + 1..h).find(|&k| !toks[k].cap)
    {
        b = cut;
    }
    let org_head = (a..b).any(|k| norm_in(&toks[k], ORG_HEADS));
    while a < b && norm_in(&toks[a], HONORIFICS) {
        a += 1;
        titled = true;
    }
    // A title inside the run: "Defense Minister Firstname Lastname", "President X Y".
    if !org_head
        && reader.lang == Lang::En
        && let Some(r) = (a..b).rev().find(|&k| {
            !norm_in(&toks[k], NOT_TITLES)
                && p.roles.match_len([toks[k].norm.as_ref()].into_iter()) == Some(1)
        })
    {
        title = Some(toks[i].range.start..toks[r].range.end);
        a = r + 1;
        titled = true;
    }
    // A possessive inside the run belongs to what comes before: "Munster's Firstname
    // Lastname" names Firstname Lastname.
    if let Some(k) = (a..b.saturating_sub(1))
        .rev()
        .find(|&k| toks[k].norm.ends_with("'s"))
    {
        a = k + 1;
    }
    if a >= b
        || norm_in(&toks[i], NOT_FIRST)
        || NOT_FIRST.contains(&toks[i].norm.trim_end_matches("'s"))
    {
        return None;
    }
    // A run after « de » / "of" is a complement (« le maire de Saint Denis »): with
    // three words or more, its first word is the complement's and the rest a name
    // (« le ministre de la Défense Prénom Nom »).
    let mut after_of = false;
    // Two words after « de » may be a complement or a name (« la France insoumise de
    // Prénom Nom »): only a later surname-only mention can tell (see `weak`).
    let mut complement = false;
    if a == i && i > 0 {
        let k = if p.definite.contains(&toks[i - 1].norm) && i > 1 {
            i - 2
        } else {
            i - 1
        };
        if toks[k].is_word() && p.of.contains(&toks[k].norm) {
            if b - a >= 3 && !org_head {
                a += 1;
                while a + 2 < b && (p.of.contains(&toks[a].norm) || toks[a].norm == "d'") {
                    a += 1;
                }
                after_of = true;
            } else if !org_head {
                complement = true;
            }
        }
    }
    // A possessive ends the name: "Firstname Lastname's lawyer".
    let last = &toks[b - 1];
    let mut name_end = last.range.end;
    let possessive = last.norm.ends_with("'s");
    if possessive {
        // The apostrophe may be straight, curly or a modifier letter: cut before it.
        let word = &text[last.range.clone()];
        if let Some(cut) = word.rfind(['\'', '’', 'ʼ']) {
            name_end = last.range.start + cut;
        }
    }
    let n = b - a;
    let name = toks[a].range.start..name_end;
    if norm_in(&toks[a], NOT_FIRST) {
        return None;
    }
    // An acronym in brackets after the name: « Centre d'études (CEST) ».
    let acronym = (toks.get(b).is_some_and(|t| t.punct == Some('('))
        && toks.get(b + 2).is_some_and(|t| t.punct == Some(')')))
    .then(|| &toks[b + 1])
    .filter(|t| t.is_word() && is_acronym(&text[t.range.clone()]))
    .map(|t| t.range.clone());

    // French organisation names go on in lower case after their head word: « Parti
    // socialiste », « Centre d'études stratégiques ».
    // English ones go on with "of" and more capitalised words: "Harvard School of
    // Public Health", "Royal National Institute of the Blind".
    let (name, b) = if org_head && reader.lang == Lang::Fr && acronym.is_none() {
        let e = french_org_end(reader, toks, b);
        (toks[a].range.start..toks[e - 1].range.end.max(name.end), e)
    } else if org_head && !possessive && toks.get(b).is_some_and(|t| t.is_word() && t.norm == "of")
    {
        let mut k = b + 1;
        if toks.get(k).is_some_and(|t| t.norm == "the") {
            k += 1;
        }
        let e = reader.name_end(toks, k);
        if e > k {
            (toks[a].range.start..toks[e - 1].range.end, e)
        } else {
            (name, b)
        }
    } else {
        (name, b)
    };
    let acronym = acronym.or_else(|| {
        (toks.get(b).is_some_and(|t| t.punct == Some('('))
            && toks.get(b + 2).is_some_and(|t| t.punct == Some(')')))
        .then(|| &toks[b + 1])
        .filter(|t| t.is_word() && is_acronym(&text[t.range.clone()]))
        .map(|t| t.range.clone())
    });

    // The apposition after the name.
    let appo = if !possessive && toks.get(b).is_some_and(|t| t.punct == Some(',')) {
        apposition(reader, lex, toks, b + 1)
    } else {
        None
    };
    // A role before it: « l'ambassadeur Prénom Nom », « le ministre de la Défense, P. N. ».
    let before = if titled || after_of {
        role_before(reader, lex, toks, i)
    } else {
        role_before(reader, lex, toks, a)
    };
    if after_of && before.is_none() {
        return None;
    }
    // A verb of saying right after the name, or right before it in an inverted tag.
    let said = !possessive
        && (toks
            .get(b)
            .is_some_and(|t| covers(reader.verbs, t.range.start))
            || (toks.get(b).is_some_and(|t| p.auxiliaries.contains(&t.norm))
                && toks
                    .get(b + 1)
                    .is_some_and(|t| covers(reader.verbs, t.range.start)))
            || (i > 0
                && covers(reader.verbs, toks[i - 1].range.start)
                && toks.get(b).is_none_or(|t| !t.is_word())));

    // An affiliation after the name: « Prénom Nom de La France insoumise », "Firstname
    // Lastname of the Brookings Institution".
    let affiliated = !possessive
        && toks
            .get(b)
            .is_some_and(|t| t.is_word() && p.of.contains(&t.norm))
        && {
            let mut k = b + 1;
            if toks.get(k).is_some_and(|t| p.definite.contains(&t.norm)) {
                k += 1;
            }
            reader.name_word(toks, k)
                && (norm_in(&toks[k], ORG_HEADS)
                    || toks.get(k + 1).is_some_and(|t| t.is_word())
                    || is_acronym(&text[toks[k].range.clone()]))
        };
    let all_caps = (a..b).all(|k| is_acronym(&text[toks[k].range.clone()]));
    let kind = if org_head
        || acronym.is_some() && n >= 2
        || appo.as_ref().is_some_and(|(_, org)| *org)
        || before.as_ref().is_some_and(|(_, org)| *org)
    {
        DerivedKind::Organisation
    } else {
        DerivedKind::Person
    };
    let description = match (&appo, &before, &title) {
        (Some((r, _)), _, _) => Some(r.clone()),
        (None, Some((r, _)), _) => Some(r.clone()),
        (None, None, Some(t)) => Some(t.clone()),
        _ => None,
    };
    // A run right before a noun of people qualifies it ("Senate Democratic leader").
    if !possessive
        && toks.get(b).is_some_and(|t| t.is_word())
        && person_noun(lex, toks, b).is_some()
    {
        return None;
    }
    let letters = text[name.clone()]
        .chars()
        .filter(|c| c.is_alphabetic())
        .count();
    // One word after « à », « en », "in", "at" is a place, whatever follows it.
    let place_before = i > 0
        && matches!(
            toks[i - 1].norm.as_ref(),
            "in" | "at" | "from" | "to" | "à" | "en" | "au" | "aux" | "dans" | "vers" | "near"
        );
    let evidence = match kind {
        // A person has a first name and a surname, and something says who they are.
        DerivedKind::Person => {
            n >= 2
                && !all_caps
                && !is_acronym(&text[toks[a].range.clone()])
                && (titled || appo.is_some() || before.is_some() || said || affiliated)
                && (a..b).all(|k| toks[k].norm.chars().any(char::is_alphabetic))
        }
        // An organisation is named by its head word (two words or more), given an
        // acronym, or described as one.
        DerivedKind::Organisation => {
            letters >= 2
                && ((org_head && n >= 2)
                    || acronym.is_some()
                    || !(n == 1 && place_before)
                        && (appo.as_ref().is_some_and(|(_, org)| *org)
                            || before.as_ref().is_some_and(|(_, org)| *org)))
        }
    };
    let evidence = evidence && (!complement || affiliated || said || appo.is_some());
    let weak = !evidence
        && kind == DerivedKind::Person
        && n >= 2
        && !all_caps
        && !is_acronym(&text[toks[a].range.clone()])
        && !place_before
        && (a..b).all(|k| toks[k].norm.chars().any(char::is_alphabetic));
    if !evidence && !weak {
        return None;
    }
    Some(Candidate {
        block: 0,
        name,
        kind,
        description,
        acronym,
        lang: reader.lang,
        weak,
    })
}

/// Whether `w` is written in capitals (two letters or more): an acronym.
fn is_acronym(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && w.chars().all(|c| !c.is_lowercase())
}

/// The end of a French organisation's name after its capitalised words: lower-case
/// adjectives and « de / d' / des / du » complements, up to four words.
fn french_org_end(reader: &Reader<'_>, toks: &[Tok], from: usize) -> usize {
    let p = reader.people;
    let mut end = from;
    let mut k = from;
    while k < toks.len() && k < from + 5 {
        let t = &toks[k];
        if !t.is_word()
            || t.cap
            || NOT_FIRST.contains(&t.norm.as_ref())
            || covers(reader.verbs, t.range.start)
            || p.auxiliaries.contains(&t.norm)
            || p.conjunctions.contains(&t.norm)
            || p.clitics.contains(&t.norm)
            || p.pronouns.contains(&t.norm)
            || p.prepositions.contains(&t.norm)
            || p.definite.contains(&t.norm)
            || p.indefinite.contains(&t.norm)
        {
            break;
        }
        if p.of.contains(&t.norm) || t.norm == "d'" {
            // A complement needs its word: « d'études ».
            if toks.get(k + 1).is_none_or(|n| !n.is_word()) {
                break;
            }
            k += 1;
            continue;
        }
        k += 1;
        end = k;
    }
    end
}

/// Reads an apposition from token `from` (after the comma): a few words up to a comma,
/// a full stop or the end. Returns its range and whether it describes an organisation,
/// when it describes a person or an organisation at all (a role, an age, a noun of
/// organisations).
fn apposition(
    reader: &Reader<'_>,
    lex: &LangLexicon,
    toks: &[Tok],
    from: usize,
) -> Option<(Range<usize>, bool)> {
    let p = reader.people;
    let mut k = from;
    while k < toks.len() && k < from + APPOSITION_WORDS && toks[k].is_word() {
        k += 1;
    }
    if k == from
        || toks
            .get(k)
            .is_some_and(|t| !matches!(t.punct, Some(',' | '.' | ';' | ')' | '—' | '–' | ':')))
    {
        return None;
    }
    let first = &toks[from];
    let relative = matches!(first.norm.as_ref(), "who" | "qui");
    if !relative
        && (p.conjunctions.contains(&first.norm)
            || p.pronouns.contains(&first.norm)
            || p.prepositions.contains(&first.norm)
            || reader.name_word(toks, from) && !p.definite.contains(&first.norm))
    {
        return None;
    }
    // A clause is the sentence going on, not a description: « …, a déclaré », "…, he said".
    let verbish = toks[from..k].iter().any(|t| {
        covers(reader.verbs, t.range.start)
            || !relative && p.auxiliaries.contains(&t.norm)
            || !relative && p.clitics.contains(&t.norm) && t.norm != "l'"
    });
    if verbish {
        return None;
    }
    let age = first.norm.chars().all(|c| c.is_ascii_digit())
        && (k == from + 1
            || toks
                .get(from + 1)
                .is_some_and(|t| matches!(t.norm.as_ref(), "ans" | "an" | "years" | "year")))
        || toks[from..k]
            .iter()
            .any(|t| t.norm.ends_with("-year-old") || t.norm == "aged");
    // The head noun: the first noun of people or of organisations.
    if first.cap && !p.definite.contains(&first.norm) && !p.indefinite.contains(&first.norm) {
        return None;
    }
    let head = (from..k.min(from + 4)).find_map(|j| {
        if norm_in(&toks[j], ORG_NOUNS) {
            Some(true)
        } else if person_noun(lex, toks, j).is_some() {
            Some(false)
        } else {
            None
        }
    });
    let org = head == Some(true);
    if head.is_none() && !age {
        return None;
    }
    Some((toks[from].range.start..toks[k - 1].range.end, org))
}

/// A role right before the name at token `i`, its comma allowed: « l'ambassadeur », « le
/// ministre de la Défense, », "ambassador". Returns the title's range (with its
/// determiner and qualifiers) and whether it names an organisation's kind.
fn role_before(
    reader: &Reader<'_>,
    lex: &LangLexicon,
    toks: &[Tok],
    i: usize,
) -> Option<(Range<usize>, bool)> {
    let p = reader.people;
    let mut e = i;
    if e > 0 && toks[e - 1].punct == Some(',') {
        e -= 1;
    }
    let floor = e.saturating_sub(8);
    let title_word = |k: usize| {
        let t = &toks[k];
        t.is_word()
            && (p.of.contains(&t.norm)
                || p.definite.contains(&t.norm)
                || t.norm == "d'"
                || t.cap
                || !(covers(reader.verbs, t.range.start)
                    || p.auxiliaries.contains(&t.norm)
                    || p.conjunctions.contains(&t.norm)
                    || p.prepositions.contains(&t.norm)
                    || p.pronouns.contains(&t.norm)
                    || p.clitics.contains(&t.norm)
                    || p.indefinite.contains(&t.norm)
                    || p.quantifiers.contains(&t.norm)))
    };
    for k in (floor..e).rev() {
        if !toks[k].is_word() {
            return None;
        }
        if norm_in(&toks[k], NOT_TITLES) {
            continue;
        }
        let n = if norm_in(&toks[k], ORG_NOUNS) {
            Some(1)
        } else {
            person_noun(lex, toks, k)
        };
        let Some(n) = n else { continue };
        if k + n > e || !(k + n..e).all(title_word) {
            continue;
        }
        // A complement between the title and the name makes the name its object ("head
        // of the agency's Health Initiative") unless a comma sets the holder apart
        // (« le ministre de la Défense, Prénom Nom »).
        if e == i && (k + n..e).any(|j| p.of.contains(&toks[j].norm) || toks[j].norm == "d'") {
            return None;
        }
        // The title's start: its determiner and qualifiers.
        let mut start = k;
        while start > 0 && start + 3 > k {
            let t = &toks[start - 1];
            if t.is_word()
                && (p.definite.contains(&t.norm)
                    || p.possessive.contains(&t.norm)
                    || t.cap
                    || norm_in(t, TITLE_ADJECTIVES))
            {
                start -= 1;
            } else {
                break;
            }
        }
        let org = norm_in(&toks[k], ORG_NOUNS);
        return Some((toks[start].range.start..toks[e - 1].range.end, org));
    }
    None
}

/// Name particles that start a surname: « Marine Le Pen » is « Le Pen » on second
/// mention, "Ursula von der Leyen" "von der Leyen".
const SURNAME_PARTICLES: &[&str] = &[
    "le", "la", "de", "du", "des", "d'", "d’", "di", "da", "del", "della", "van", "von", "der",
    "den", "dos", "das", "el", "al", "ben", "bin", "ibn", "mac", "st",
];

/// The surname of a full name: its last word, with the particles before it.
fn surname(name: &str) -> Option<&str> {
    let words: Vec<(usize, &str)> = name
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    let (last_at, _) = *words.last()?;
    let mut start = last_at;
    for &(at, w) in words[1..words.len().saturating_sub(1).max(1)].iter().rev() {
        if SURNAME_PARTICLES.contains(&w.to_lowercase().as_str()) {
            start = at;
        } else {
            break;
        }
    }
    name.get(start..)
}

/// Whether a surname found alone at `range` of `text` stands as a name: not after a
/// determiner ("the Zionist", « les Tutsi ») or a preposition of place ("in Ireland"),
/// and not followed by another capitalised word (part of another name).
fn solo_context(text: &str, range: Range<usize>) -> bool {
    let before: Vec<&str> = text[..range.start]
        .split_whitespace()
        .rev()
        .take(1)
        .collect();
    let prev = before.first().map(|w| w.to_lowercase()).unwrap_or_default();
    let prev = prev.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    let bad_prev = matches!(
        prev,
        "the"
            | "a"
            | "an"
            | "le"
            | "la"
            | "les"
            | "un"
            | "une"
            | "des"
            | "in"
            | "at"
            | "from"
            | "to"
            | "à"
            | "en"
            | "au"
            | "aux"
            | "dans"
            | "of"
    ) || prev.ends_with("l'")
        || prev.ends_with("l’");
    let next_cap = text[range.end..]
        .trim_start_matches([' ', '\u{a0}'])
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
        && text[range.end..].starts_with([' ', '\u{a0}']);
    !bad_prev && !next_cap
}

/// Collapses runs of white space (a name broken over two lines) into one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns the candidates into introductions, one per key, and finds every mention of
/// them: the full name anywhere, the surname alone (for a person) and the acronym
/// (for an organisation) after the introduction, never where the knowledge base is.
fn link(
    doc: &Document,
    candidates: Vec<Candidate>,
    kb: &[Range<usize>],
) -> (Vec<Introduced>, Vec<Mention>) {
    let mut intros: Vec<Introduced> = Vec::new();
    let mut by_key: HashMap<Arc<str>, usize> = HashMap::new();
    // Whether each introduction rests only on weak candidates.
    let mut weak: Vec<bool> = Vec::new();
    // Spelling → (introduction, whether it is the full name).
    let mut forms: HashMap<String, (usize, bool)> = HashMap::new();
    let mut ambiguous: Vec<String> = Vec::new();
    for c in candidates {
        let Some(block) = doc.blocks.get(c.block) else {
            continue;
        };
        let Some(raw) = block.text.get(c.name.clone()) else {
            continue;
        };
        let name = squash(raw);
        let key: Arc<str> = Arc::from(key_of(&name));
        let description = c
            .description
            .as_ref()
            .and_then(|r| block.text.get(r.clone()))
            .map(squash);
        if let Some(&at) = by_key.get(&key) {
            if intros[at].description.is_none() {
                intros[at].description = description;
            }
            weak[at] &= c.weak;
            continue;
        }
        weak.push(c.weak);
        let idx = intros.len();
        by_key.insert(Arc::clone(&key), idx);
        forms.insert(name.clone(), (idx, true));
        let mut short = Vec::new();
        if c.kind == DerivedKind::Person
            && let Some(surname) = surname(&name)
            && surname.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !is_acronym(surname)
            && surname != name
        {
            short.push(surname.to_string());
        }
        if let Some(acr) = c.acronym.as_ref().and_then(|r| block.text.get(r.clone())) {
            short.push(acr.to_string());
        }
        for s in short {
            match forms.get(&s) {
                Some(&(other, _)) if other != idx => ambiguous.push(s),
                Some(_) => {}
                None => {
                    forms.insert(s, (idx, false));
                }
            }
        }
        intros.push(Introduced {
            key,
            name,
            kind: c.kind,
            description,
            range: block.range_to_source(&c.name),
            spellings: Vec::new(),
            lang: Some(c.lang),
        });
    }
    for s in ambiguous {
        if forms.get(&s).is_some_and(|(_, full)| !full) {
            forms.remove(&s);
        }
    }
    if intros.is_empty() {
        return (intros, Vec::new());
    }
    let patterns: Vec<&String> = forms.keys().collect();
    // A few patterns per article, searched once: an automaton that is cheap to build
    // (no DFA, which costs more to build than the search it speeds up).
    let Ok(ac) = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
    else {
        return (intros, Vec::new());
    };
    let mut mentions = Vec::new();
    for block in &doc.blocks {
        let text = &block.text;
        for m in ac.find_iter(text.as_str()) {
            let word_char = |c: char| c.is_alphanumeric() || c == '-';
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(word_char) || after.is_some_and(word_char) {
                continue;
            }
            let form = patterns[m.pattern().as_usize()];
            let Some(&(idx, full)) = forms.get(form.as_str()) else {
                continue;
            };
            let range = block.range_to_source(&m.range());
            if overlaps(kb, &range)
                || (!full
                    && (range.start < intros[idx].range.start || !solo_context(text, m.range())))
            {
                continue;
            }
            let intro = &mut intros[idx];
            if !intro.spellings.iter().any(|s| s == form) {
                intro.spellings.push(form.clone());
            }
            mentions.push(Mention {
                range,
                entity: Arc::clone(&intro.key),
                surface: text[m.range()].to_string(),
            });
        }
    }
    // A weak introduction stands only if the surname alone names the person later.
    if weak.iter().any(|w| *w) {
        let confirmed = |idx: usize| {
            let surname = surname(&intros[idx].name).unwrap_or("");
            intros[idx].spellings.iter().any(|s| s == surname)
        };
        let dropped: std::collections::HashSet<Arc<str>> = (0..intros.len())
            .filter(|&i| weak[i] && !confirmed(i))
            .map(|i| Arc::clone(&intros[i].key))
            .collect();
        if !dropped.is_empty() {
            intros.retain(|i| !dropped.contains(&i.key));
            mentions.retain(|m| !dropped.contains(&m.entity));
        }
    }
    for intro in &mut intros {
        // The full name first, then the other forms in the order met.
        intro.spellings.retain(|s| *s != intro.name);
        intro.spellings.insert(0, intro.name.clone());
    }
    mentions.sort_by_key(|m| (m.range.start, m.range.end));
    (intros, mentions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Engine;
    use crate::config::Config;
    use crate::kb::Kb;

    fn engine(kb: &str) -> Engine {
        let (kb, errors) = Kb::load_texts(
            false,
            &[(
                std::path::PathBuf::from("/w/knowledge/t.toml"),
                kb.to_string(),
            )],
        );
        assert!(errors.is_empty(), "{errors:?}");
        Engine::new(Config::default(), Arc::new(kb))
    }

    fn people(text: &str) -> Vec<(String, DerivedKind, Option<String>)> {
        let a = engine("").analyze(text);
        a.introduced
            .into_iter()
            .map(|i| (i.name, i.kind, i.description))
            .collect()
    }

    fn names(text: &str) -> Vec<String> {
        people(text).into_iter().map(|p| p.0).collect()
    }

    #[test]
    fn french_introductions() {
        let text = "---\nlang: fr\n---\n\nSelon Tigran Hakobian, analyste militaire au Centre d'études régionales, le front est calme.\n\nLe ministre de la Défense, Souren Papikian, a démenti. L'ambassadeur Armen Sarkissov était absent.\n\nHakobian a ajouté que rien ne bougeait.\n";
        let found = people(text);
        assert!(
            found.contains(&(
                "Tigran Hakobian".into(),
                DerivedKind::Person,
                Some("analyste militaire au Centre d'études régionales".into())
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "Souren Papikian".into(),
                DerivedKind::Person,
                Some("Le ministre de la Défense".into())
            )),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.0 == "Armen Sarkissov" && p.2.as_deref() == Some("L'ambassadeur")),
            "{found:?}"
        );
        // The surname alone, later, is a mention of the full name.
        let a = engine("").analyze(text);
        let hakobian: Vec<&str> = a
            .derived
            .iter()
            .filter(|m| &*m.entity == "~tigran-hakobian")
            .map(|m| m.surface.as_str())
            .collect();
        assert_eq!(hakobian, ["Tigran Hakobian", "Hakobian"]);
    }

    #[test]
    fn english_introductions() {
        let text = "# T\n\n\"We are ready,\" said Defense Minister Alan Forsythe on Monday.\n\nJane Whitcombe, a senior fellow at the Atlantic Policy Institute, disagreed. Ambassador Peter Lindqvist declined to comment.\n\nWhitcombe said the talks would fail.\n";
        let found = people(text);
        let get = |n: &str| found.iter().find(|p| p.0 == n).cloned();
        assert_eq!(
            get("Alan Forsythe").and_then(|p| p.2),
            Some("Defense Minister".into()),
            "{found:?}"
        );
        assert_eq!(
            get("Jane Whitcombe").and_then(|p| p.2),
            Some("a senior fellow at the Atlantic Policy Institute".into()),
            "{found:?}"
        );
        assert!(get("Peter Lindqvist").is_some(), "{found:?}");
        assert_eq!(
            get("Atlantic Policy Institute").map(|p| p.1),
            Some(DerivedKind::Organisation),
            "{found:?}"
        );
    }

    #[test]
    fn precision_traps_are_not_people() {
        // A capitalised phrase at a sentence start, a place, a title of a work, a
        // headline, a date.
        let text = "# Defense Minister Alan Forsythe Resigns\n\nBreaking News tonight in the capital.\n\nNew York, the largest city, was quiet. They read « Guerre et Paix » and \"Gone Girl\" again.\n\nOn Monday Morning the market fell. The Kremlin Wall stood. Saint Petersburg, a port, froze.\n\nLe maire de Saint Denis a parlé.\n";
        assert_eq!(names(text), Vec::<String>::new());
    }

    #[test]
    fn possessives_end_the_name_whatever_the_apostrophe() {
        for apo in ["'", "’", "ʼ"] {
            let text = format!(
                "# T\n\nAnna Kovalenko{apo}s lawyer, Peter Lindqvist, was brief. Kovalenko said nothing.\n"
            );
            let found = names(&text);
            assert!(
                found.contains(&"Peter Lindqvist".to_string()),
                "{apo}: {found:?}"
            );
            assert!(
                found.contains(&"Anna Kovalenko".to_string()),
                "{apo}: {found:?}"
            );
        }
    }

    #[test]
    fn a_bare_name_needs_its_surname_later() {
        // No evidence around « Jean Valmont »: only the later « Valmont » makes it a
        // person; « Place Rouge » and a name never repeated are not.
        let text = "---\nlang: fr\n---\n\nLes militants de Jean Valmont étaient là, comme ceux de Paul Arnaud.\n\nValmont est resté muet. Ils ont marché vers la Place Rouge.\n";
        assert_eq!(names(text), ["Jean Valmont"]);
    }

    #[test]
    fn the_knowledge_base_wins() {
        let kb = "[[entity]]\nid = \"tigran-hakobian\"\nkind = \"person\"\nname = { en = \"Tigran Hakobian\", fr = \"Tigran Hakobian\" }\ndescription = { en = \"An analyst.\", fr = \"Un analyste.\" }\naliases = { fr = [\"Hakobian\"] }\n";
        let text = "---\nlang: fr\n---\n\nTigran Hakobian, analyste militaire, est inquiet. Hakobian a ajouté ceci.\n";
        let a = engine(kb).analyze(text);
        assert!(a.introduced.is_empty(), "{:?}", a.introduced);
        assert!(a.derived.is_empty());
        assert_eq!(a.mentions.len(), 2);
    }

    #[test]
    fn keys_and_skeletons() {
        assert_eq!(key_of("Tigran  Hakobian"), "~tigran-hakobian");
        assert_eq!(key_of("Élise d'Orsay"), "~elise-d-orsay");
        assert_eq!(skeleton("Hakobian"), skeleton("Akopyan"));
        assert!(same_person("Tigran Hakobian", "Tigran Akopyan"));
        assert!(same_person("Hakobian", "Tigran Akopyan"));
        assert!(!same_person("Tigran Hakobian", "Tigran Hakobian"));
        assert!(!same_person("Tigran Hakobian", "Armen Hakobian"));
        assert!(!same_person("Jane Smith", "Jane Brown"));
        assert!(one_apart("abcdef", "abcxef"));
        assert!(one_apart("abcdef", "abcdefg"));
        assert!(!one_apart("abcdef", "abxdey"));
    }
}
