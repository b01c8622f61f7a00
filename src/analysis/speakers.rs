//! Who speaks: the tag of a quotation, the subject of a sentence, and anonymous sources.
//!
//! Attribution is found by the *structure* of a clause, not by a list of verbs: after a
//! quotation, a comma and a short clause with a subject is the tag whatever the verb
//! (« …, s'insurge Jean-Paul », "…," counters the resident, "…," the statement read). The
//! clause reader here tokenizes a bounded window of prose (a tag, the first words of a
//! sentence, the words around a reporting verb), so every call costs a few dozen words
//! whatever the size of the document. The closed word classes it needs — determiners,
//! pronouns, prepositions, nouns for people by role — are data in `lexicon/*.toml`
//! (`[people]`, see [`People`]).
//!
//! A noun phrase ([`Np`]) is classified by what it says of the person: a name, a pronoun,
//! a role (« le maire »), a document (« le communiqué »), or an anonymous source (« un
//! proche », « des experts », "officials", « l'entourage du président »), which may be
//! tied to an institution (« une source policière », "a State Department official").

use super::lexicon::{LangLexicon, People};
use super::verbs::covers;
use crate::lang::Lang;
use std::borrow::Cow;
use std::ops::Range;

/// The most words a clause reader looks at: tags and subjects are short, and the bound
/// keeps every call's cost independent of the paragraph's length.
const WINDOW: usize = 24;

/// A word or punctuation mark of prose, with its byte range in the block.
#[derive(Debug, Clone)]
pub struct Tok<'a> {
    pub range: Range<usize>,
    /// Lower case with straight apostrophes, for lexicon lookups; empty for punctuation.
    /// Borrowed from the block's lower-cased copy unless an apostrophe had to change.
    pub norm: Cow<'a, str>,
    /// The punctuation mark, for a token that is one.
    pub punct: Option<char>,
    /// The word starts with a capital letter (or a digit, for names such as « 3M »).
    pub cap: bool,
}

impl Tok<'_> {
    pub fn is_word(&self) -> bool {
        self.punct.is_none()
    }
    fn is(&self, c: char) -> bool {
        self.punct == Some(c)
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '‑' | '\'' | '’' | 'ʼ')
}

/// Tokenizes `text[from..to]` into at most `max` tokens; `lower` is `text` lower-cased
/// with the same byte offsets (see [`super::lexicon::lowercase_same_len`]), which the
/// tokens' lookup forms borrow. A French elision ends its word after the apostrophe
/// (« l'entourage » is « l' » and « entourage »); hyphens stay inside words (« a-t-il »,
/// « Jean-Paul »); a capital initial keeps its full stop (« J. »), and so does an acronym
/// written with stops ("U.S.").
pub fn tokens<'a>(text: &str, lower: &'a str, from: usize, to: usize, max: usize) -> Vec<Tok<'a>> {
    tokenize(text, lower, from, to, max, false)
}

/// [`tokens`] without the quotation marks: « des «gilets jaunes» » reads as a phrase.
pub fn tokens_unquoted<'a>(
    text: &str,
    lower: &'a str,
    from: usize,
    to: usize,
    max: usize,
) -> Vec<Tok<'a>> {
    tokenize(text, lower, from, to, max, true)
}

/// Whether `head` (lower case, the apostrophe left off) is a French word that elides
/// before a vowel and stands on its own: « l' », « d' », « qu' », « jusqu' ».
fn elides(head: &str) -> bool {
    matches!(
        head,
        "l" | "d"
            | "s"
            | "n"
            | "m"
            | "t"
            | "c"
            | "j"
            | "qu"
            | "jusqu"
            | "lorsqu"
            | "puisqu"
            | "quoiqu"
            | "presqu"
    )
}

fn tokenize<'a>(
    text: &str,
    lower: &'a str,
    from: usize,
    to: usize,
    max: usize,
    unquoted: bool,
) -> Vec<Tok<'a>> {
    // Callers give byte offsets that may fall inside a character: both ends are moved
    // back to a boundary rather than dropping the whole window.
    let to = crate::text::floor_char_boundary(text, to.min(text.len()).min(lower.len()));
    let from = crate::text::floor_char_boundary(text, from);
    let mut out = Vec::new();
    let Some(slice) = text.get(from..to) else {
        return out;
    };
    let mut it = slice.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if out.len() >= max {
            break;
        }
        if is_space(c) {
            continue;
        }
        let start = from + i;
        if unquoted && matches!(c, '«' | '»' | '“' | '”' | '"' | '„') {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Tok {
                range: start..start + c.len_utf8(),
                norm: Cow::Borrowed(""),
                punct: Some(c),
                cap: false,
            });
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut curly = false;
        let mut letters = 1usize;
        let mut last_upper = c.is_uppercase();
        let mut dotted = false;
        while let Some(&(j, d)) = it.peek() {
            if is_word_char(d) {
                // A trailing apostrophe or hyphen is punctuation, not part of the word.
                let next_is_word = slice[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
                if !d.is_alphanumeric() && !next_is_word {
                    break;
                }
                it.next();
                let at = from + j;
                end = at + d.len_utf8();
                if matches!(d, '\'' | '’' | 'ʼ') {
                    curly |= d != '\'';
                    if elides(lower.get(start..at).unwrap_or("")) {
                        break;
                    }
                } else {
                    letters += 1;
                    last_upper = d.is_uppercase();
                }
            } else if d == '.' {
                // « J. » and "U.S.": a stop right after one capital letter belongs to it.
                if last_upper && (letters == 1 || dotted) {
                    it.next();
                    end = from + j + 1;
                    dotted = true;
                    letters = 0;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let lowered = lower.get(start..end).unwrap_or("");
        let norm = if curly {
            Cow::Owned(lowered.replace(['’', 'ʼ'], "'"))
        } else {
            Cow::Borrowed(lowered)
        };
        out.push(Tok {
            range: start..end,
            norm,
            punct: None,
            cap: c.is_uppercase() || c.is_ascii_digit(),
        });
    }
    out
}

/// What a noun phrase says of the person it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpKind {
    /// A proper name (a person or an organisation): « Nikol Pachinian », « l'AFP ».
    Name,
    /// A subject pronoun standing for someone named before: il, elle, he, she, they.
    Pronoun,
    /// A person by role: « le maire », « la porte-parole », "the resident", « un habitant ».
    Role { definite: bool },
    /// A written source: « le communiqué », "the statement".
    Document,
    /// A source that cannot be identified: « un proche », « des experts », "officials",
    /// « l'entourage du président », « on ». `institutional` when it is tied to an
    /// institution (« une source policière », "a State Department official").
    Anonymous { institutional: bool },
    /// Something that is not a person (« le village »).
    Other,
}

impl NpKind {
    /// Whether the phrase can be the speaker of a quotation.
    pub fn is_speaker(self) -> bool {
        !matches!(self, NpKind::Other)
    }
}

/// A noun phrase found by the clause reader.
#[derive(Debug, Clone)]
pub struct Np {
    /// The phrase, complements included (« un proche du président »), without apposition.
    pub range: Range<usize>,
    pub kind: NpKind,
    /// An apposition that describes or names it: « , 45 ans, infirmière », ", the mayor,".
    pub apposition: Option<Range<usize>>,
    /// A name given in apposition to a role (« le porte-parole, Olivier Véran, »).
    pub name_in_apposition: Option<Range<usize>>,
    /// A single capitalised word opening its sentence, with no determiner: a name
    /// ("Smith said") or a common word capitalised by its place ("Summaries are…").
    /// Callers accept it as a name only with other evidence.
    pub uncertain_name: bool,
}

/// The clause reader for one language.
pub struct Reader<'l> {
    pub lang: Lang,
    pub people: &'l People,
    pub lex: &'l LangLexicon,
    /// The verbs of saying of the paragraph being read (sorted byte ranges, see
    /// [`super::verbs`]): a phrase ends at one. Empty when the text read is not a
    /// paragraph's prose.
    pub verbs: &'l [Range<usize>],
}

/// Name particles that may stand between the capitalised words of a name.
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "da", "di", "del", "della",
    "dos", "das", "bin", "ibn", "al", "el", "abu", "ben", "y", "st.", "mc",
];

impl<'l> Reader<'l> {
    pub fn new(lex: &'l LangLexicon) -> Reader<'l> {
        Reader::with_verbs(lex, &[])
    }

    /// A reader of a paragraph whose verbs of saying are `verbs`.
    pub fn with_verbs(lex: &'l LangLexicon, verbs: &'l [Range<usize>]) -> Reader<'l> {
        Reader {
            lang: lex.lang,
            people: &lex.people,
            lex,
            verbs,
        }
    }

    /// Whether the token is a verb of saying of the paragraph.
    fn is_verb(&self, t: &Tok) -> bool {
        covers(self.verbs, t.range.start)
    }

    /// The lower-cased words from token `i` on, up to the next punctuation mark.
    pub fn words<'t>(toks: &'t [Tok<'_>], i: usize) -> impl Iterator<Item = &'t str> + Clone {
        toks.get(i..)
            .unwrap_or(&[])
            .iter()
            .take(6)
            .take_while(|t| t.is_word())
            .map(|t| t.norm.as_ref())
    }

    fn set_len(set: &super::lexicon::WordSet, toks: &[Tok], i: usize) -> Option<usize> {
        set.match_len(Self::words(toks, i))
    }

    /// The determiner at `i`, if any: its class and its length in tokens.
    fn determiner(&self, toks: &[Tok], i: usize) -> Option<(Det, usize)> {
        let p = self.people;
        // Quantifiers first: « des » is indefinite, « nombre de » a quantifier.
        [
            (Det::Quantifier, &p.quantifiers),
            (Det::Indefinite, &p.indefinite),
            (Det::Definite, &p.definite),
            (Det::Possessive, &p.possessive),
        ]
        .into_iter()
        .find_map(|(d, set)| Self::set_len(set, toks, i).map(|n| (d, n)))
    }

    /// Whether the token at `i` is a pronoun subject (il, elle, he, they) or « on ».
    pub fn pronoun(&self, toks: &[Tok], i: usize) -> Option<NpKind> {
        let t = toks.get(i)?;
        if self.lang == Lang::Fr && t.norm == "on" {
            // « on » as a subject is mostly generic (« on peut craindre »): only inverted
            // after a verb of saying (« glisse-t-on ») is it an anonymous source, and the
            // tag reader handles that form.
            return Some(NpKind::Other);
        }
        self.people
            .pronouns
            .contains(&t.norm)
            .then_some(NpKind::Pronoun)
    }

    /// Whether the token at `i` is a name word: a capitalised word that is not a
    /// function word (a sentence's first « Le » or "The" is not a name).
    pub fn name_word(&self, toks: &[Tok], i: usize) -> bool {
        let Some(t) = toks.get(i) else { return false };
        // A capital letter, not a digit: « 89 000 » starts no name.
        if !t.is_word() || !t.cap || !t.norm.chars().next().is_some_and(char::is_alphabetic) {
            return false;
        }
        let p = self.people;
        !(p.definite.contains(&t.norm)
            || p.indefinite.contains(&t.norm)
            || p.possessive.contains(&t.norm)
            || p.quantifiers.contains(&t.norm)
            || p.pronouns.contains(&t.norm)
            || p.prepositions.contains(&t.norm)
            || p.conjunctions.contains(&t.norm)
            || p.adverbs.contains(&t.norm)
            || p.of.contains(&t.norm)
            || (self.lang == Lang::Fr && t.norm == "on")
            // A clitic or a first- or second-person pronoun is nobody's name (« S'il… »,
            // « Nous », « Je », "I", "We").
            || p.clitics.contains(&t.norm)
            || matches!(
                t.norm.as_ref(),
                "je" | "j'" | "tu" | "nous" | "vous" | "c'" | "ça" | "cela" | "ceci" | "i" | "we"
                    | "you"
            )
            // A French capital « A » is the preposition « À » written without its accent
            // (« A Paris, … »): the verb « a » never opens a sentence on its own.
            || (self.lang == Lang::Fr && t.norm == "a")
            // A present participle opening a clause (« Revenant sur… », « Abondant dans
            // ce sens, … ») is no name.
            || (self.lang == Lang::Fr
                && (i == 0 || !toks[i - 1].is_word())
                && t.norm.ends_with("ant")
                && t.norm.chars().count() > 5
                && toks.get(i + 1).is_some_and(|n| n.is_word() && !n.cap))
            // A noun of the people lexicon capitalised by its place ("Officials said",
            // "Polls show", « Experts et analystes ») is that noun, not a name.
            || (i == 0 || !toks[i - 1].is_word())
                && self.known_noun(toks, i)
                && !self.capitalised_word(toks, i + 1))
    }

    /// Whether the token at `i` is a capitalised word that is no function word: after a
    /// capitalised noun of the lexicon, it makes that noun a first name (« Marie Dupont »,
    /// where « marie » is also a role).
    fn capitalised_word(&self, toks: &[Tok], i: usize) -> bool {
        let Some(t) = toks.get(i) else { return false };
        let p = self.people;
        t.is_word()
            && t.cap
            && t.norm.chars().next().is_some_and(char::is_alphabetic)
            && !(p.definite.contains(&t.norm)
                || p.indefinite.contains(&t.norm)
                || p.pronouns.contains(&t.norm)
                || p.prepositions.contains(&t.norm)
                || p.conjunctions.contains(&t.norm)
                || p.of.contains(&t.norm)
                || self.known_noun(toks, i))
    }

    /// Whether the word at `i` is a noun of the people lexicon (a role, a document, an
    /// informant, a publication, a collective), in any of its forms.
    fn known_noun(&self, toks: &[Tok], i: usize) -> bool {
        let w = [toks[i].norm.as_ref()];
        let p = self.people;
        p.roles.match_len(w.iter().copied()).is_some()
            || p.documents.match_len(w.iter().copied()).is_some()
            || p.informants.contains(&toks[i].norm)
            || p.vague_documents.contains(&toks[i].norm)
            || p.collectives.contains(&toks[i].norm)
    }

    /// The end (exclusive token index) of a name starting at `i`: capitalised words,
    /// with particles between them (« Charles de Gaulle », "Ursula von der Leyen").
    pub fn name_end(&self, toks: &[Tok], i: usize) -> usize {
        let mut j = i;
        let mut end = i;
        while j < toks.len() && j < i + 8 {
            if self.name_word(toks, j) {
                j += 1;
                end = j;
            } else if toks[j].is_word()
                && PARTICLES.contains(&toks[j].norm.as_ref())
                && self.name_word(toks, j + 1)
                && end > i
            {
                j += 1;
            } else {
                break;
            }
        }
        end
    }

    /// Whether the token at `i` may start a noun phrase.
    pub fn starts_np(&self, toks: &[Tok], i: usize) -> bool {
        self.pronoun(toks, i).is_some()
            || self.determiner(toks, i).is_some()
            || self.name_word(toks, i)
            || Self::set_len(&self.people.collectives, toks, i).is_some()
            || self.bare_plural(toks, i).is_some()
    }

    /// An English bare plural of people ("officials", "aides", "residents"): the noun's
    /// length in tokens.
    fn bare_plural(&self, toks: &[Tok], i: usize) -> Option<usize> {
        if self.lang != Lang::En {
            return None;
        }
        let t = toks.get(i)?;
        if !t.is_word() || !t.norm.ends_with('s') || t.norm.ends_with("ss") {
            return None;
        }
        self.people.roles.match_len(Self::words(toks, i))
    }

    /// Parses the noun phrase starting at token `i`. Returns it and the index of the
    /// token after it (apposition included). `stops` are byte offsets where the phrase
    /// must end (the reporting verbs of the block, for "the mayor said").
    pub fn np_at(&self, toks: &[Tok], i: usize, stops: &[Range<usize>]) -> Option<(Np, usize)> {
        let stop_at = |j: usize| toks.get(j).is_some_and(|t| covers(stops, t.range.start));
        let first = toks.get(i)?;
        if stop_at(i) {
            return None;
        }
        if let Some(kind) = self.pronoun(toks, i) {
            return Some((
                Np {
                    range: first.range.clone(),
                    kind,
                    apposition: None,
                    name_in_apposition: None,
                    uncertain_name: false,
                },
                i + 1,
            ));
        }
        // Collectives: « l'entourage », "those close to", "people familiar with".
        let (det, mut j) = match self.determiner(toks, i) {
            Some((d, n)) => (Some(d), i + n),
            None => (None, i),
        };
        if let Some(n) = Self::set_len(&self.people.collectives, toks, j)
            .or_else(|| Self::set_len(&self.people.collectives, toks, i).inspect(|_| j = i))
        {
            let mut end = j + n;
            // "those close to him", « l'entourage du président »: the complement.
            end = self.complement_end(toks, end, stops, self.lang == Lang::En);
            let institutional = self.institutional(toks, i, end, usize::MAX);
            return Some(self.finish(toks, i, end, NpKind::Anonymous { institutional }, stops));
        }
        // A name, possibly after a determiner (« l'AFP », "the White House").
        if self.name_word(toks, j) {
            let name_end = self.name_end(toks, j);
            // "a State Department official", « un ministre » : a capitalised qualifier
            // before a noun of people makes an anonymous or a role phrase, not a name.
            if let Some(n) = self.people.roles.match_len(Self::words(toks, name_end))
                && !stop_at(name_end)
            {
                let end = self.complement_end(toks, name_end + n, stops, false);
                if let Some(named) = self.role_then_name(toks, i, end, stops) {
                    return Some(named);
                }
                let kind = self.role_kind(det, toks, name_end, true, j, end);
                return Some(self.finish(toks, i, end, kind, stops));
            }
            // "Armenia's foreign ministry", "Macron's spokesman": a possessive name is the
            // determiner of the phrase after it.
            if toks[name_end - 1].norm.ends_with("'s")
                && toks.get(name_end).is_some_and(Tok::is_word)
            {
                if let Some((np, next)) = self.np_after_possessive(toks, i, name_end, stops) {
                    return Some((np, next));
                }
            }
            let end = self.complement_end(toks, name_end, stops, false);
            return Some(self.finish(toks, i, end, NpKind::Name, stops));
        }
        // A bare English plural: "officials", "aides", "residents"; or a title before a
        // name: "prosecutor Remy Heitz", "lawmaker Delphine Batho"; or publications and
        // informants with no determiner: "polls show", "sources say".
        if det.is_none() {
            let w = Self::words(toks, i);
            if self.lang == Lang::En && toks[i].norm.ends_with('s') {
                if let Some(n) = self.people.informants.match_len(w.clone()) {
                    let end = self.complement_end(toks, i + n, stops, false);
                    return Some(self.finish(
                        toks,
                        i,
                        end,
                        NpKind::Anonymous {
                            institutional: false,
                        },
                        stops,
                    ));
                }
                if let Some(n) = self.people.vague_documents.match_len(w.clone()) {
                    let end = self.complement_end(toks, i + n, stops, false);
                    return Some(self.finish(toks, i, end, NpKind::Document, stops));
                }
            }
            if let Some(n) = self.people.roles.match_len(Self::words(toks, i))
                && let Some(named) = self.role_then_name(toks, i, i + n, stops)
            {
                return Some(named);
            }
            // Up to two adjectives before it: "local officials", "senior EU sources".
            let p = self.people;
            let head = (i..(i + 3).min(toks.len()))
                .take_while(|&k| {
                    toks[k].is_word()
                        && !p.prepositions.contains(&toks[k].norm)
                        && !p.of.contains(&toks[k].norm)
                        && !p.auxiliaries.contains(&toks[k].norm)
                        && !p.conjunctions.contains(&toks[k].norm)
                })
                .find(|&k| self.bare_plural(toks, k).is_some())?;
            let n = self.bare_plural(toks, head)?;
            let end = self.complement_end(toks, head + n, stops, false);
            let qualified = (i..head).any(|k| toks[k].cap && k > i);
            let kind = self.role_kind(Some(Det::BarePlural), toks, head, qualified, i, end);
            return Some(self.finish(toks, i, end, kind, stops));
        }
        // A determiner, up to three qualifiers, then a noun.
        for k in j..(j + 4).min(toks.len()) {
            if !toks[k].is_word() || stop_at(k) {
                break;
            }
            let w = Self::words(toks, k);
            if let Some(n) = self.people.documents.match_len(w.clone()) {
                let end = self.complement_end(toks, k + n, stops, false);
                return Some(self.finish(toks, i, end, NpKind::Document, stops));
            }
            if let Some(n) = self.people.roles.match_len(w.clone()) {
                let end = self.complement_end(toks, k + n, stops, false);
                if let Some(named) = self.role_then_name(toks, i, end, stops) {
                    return Some(named);
                }
                let qualified = (j..k).any(|q| toks[q].cap);
                let kind = self.role_kind(det, toks, k, qualified, j, end);
                return Some(self.finish(toks, i, end, kind, stops));
            }
            if self.name_word(toks, k) {
                break;
            }
            // Only a qualifier may stand before the noun: an English adjective, a French
            // adjective of the few that go first (« un ancien ministre », « un haut
            // fonctionnaire »). A verb, an auxiliary or a preposition ends the phrase: in
            // « l'ont annoncé ses conseillers », « l' » is no determiner of « conseillers ».
            let w = toks[k].norm.as_ref();
            let p = self.people;
            let qualifier = !(p.prepositions.contains(w)
                || p.of.contains(w)
                || p.auxiliaries.contains(w)
                || p.clitics.contains(w)
                || p.conjunctions.contains(w)
                || p.definite.contains(w)
                || p.possessive.contains(w))
                && match self.lang {
                    Lang::Fr => FRENCH_PRENOMINAL.contains(&w),
                    Lang::En => !self.is_verb(&toks[k]),
                };
            if !qualifier {
                break;
            }
        }
        // Some other noun: the phrase names no person (« le village »).
        let end = (j + 1).min(toks.len()).max(i + 1);
        if toks.get(j).is_none_or(|t| !t.is_word()) {
            return None;
        }
        let end = self.complement_end(toks, end, stops, false);
        Some(self.finish(toks, i, end, NpKind::Other, stops))
    }

    /// A role right before a name (« le Premier ministre Edouard Philippe », "Mercedes
    /// chief executive Eckhard Cordes"): the phrase names that person.
    fn role_then_name(
        &self,
        toks: &[Tok],
        start: usize,
        end: usize,
        stops: &[Range<usize>],
    ) -> Option<(Np, usize)> {
        // The name may come after more words of the title: "chief executive Eckhard
        // Cordes", "director of rugby Rob Andrew".
        let at = (end..(end + 4).min(toks.len()))
            .take_while(|&k| toks[k].is_word())
            .find(|&k| self.name_word(toks, k))?;
        // Only more words of the title stand between: no verb, conjunction or auxiliary.
        let title_word = |k: usize| {
            let w = [toks[k].norm.as_ref()];
            self.people.of.contains(&toks[k].norm)
                || self.people.roles.match_len(w.iter().copied()).is_some()
                || (!toks[k].cap
                    && !self.is_verb(&toks[k])
                    && !self.people.conjunctions.contains(&toks[k].norm)
                    && !self.people.auxiliaries.contains(&toks[k].norm)
                    && !self.people.prepositions.contains(&toks[k].norm))
        };
        if !(end..at).all(title_word) {
            return None;
        }
        let end = at;
        let name_end = self.name_end(toks, end);
        let name = toks[end].range.start..toks[name_end - 1].range.end;
        let (mut np, next) = self.finish(toks, start, name_end, NpKind::Name, stops);
        np.name_in_apposition = Some(name);
        Some((np, next))
    }

    /// The phrase after a possessive name ("Macron's spokesman"), from the name on.
    fn np_after_possessive(
        &self,
        toks: &[Tok],
        start: usize,
        from: usize,
        stops: &[Range<usize>],
    ) -> Option<(Np, usize)> {
        let stop_at = |j: usize| toks.get(j).is_some_and(|t| covers(stops, t.range.start));
        for k in from..(from + 4).min(toks.len()) {
            if !toks[k].is_word() || stop_at(k) {
                break;
            }
            let w = Self::words(toks, k);
            if let Some(n) = self.people.documents.match_len(w.clone()) {
                let end = self.complement_end(toks, k + n, stops, false);
                return Some(self.finish(toks, start, end, NpKind::Document, stops));
            }
            if let Some(n) = self.people.roles.match_len(w.clone()) {
                let end = self.complement_end(toks, k + n, stops, false);
                return Some(self.finish(toks, start, end, NpKind::Role { definite: true }, stops));
            }
        }
        let end = (from + 1).min(toks.len());
        Some(self.finish(toks, start, end, NpKind::Other, stops))
    }

    /// The kind of a phrase whose head is a noun of people at token `head`.
    fn role_kind(
        &self,
        det: Option<Det>,
        toks: &[Tok],
        head: usize,
        qualified: bool,
        from: usize,
        end: usize,
    ) -> NpKind {
        let w = Self::words(toks, head);
        if self.people.on_record.match_len(w.clone()).is_some() {
            return NpKind::Role {
                definite: det.is_some_and(|d| matches!(d, Det::Definite | Det::Possessive)),
            };
        }
        let vox_pop = self.people.vox_pop.match_len(w.clone()).is_some();
        // A group (« des manifestants », "lawyers", « ses conseillers ») is a vague source
        // when it speaks, whoever its members are; one unnamed witness is not.
        let counted = toks[from..head].iter().any(|t| {
            matches!(
                t.norm.as_ref(),
                "deux" | "trois" | "quatre" | "cinq" | "two" | "three" | "four" | "five"
            ) || t.norm.chars().next().is_some_and(|c| c.is_ascii_digit())
        });
        // A counted few (« cinq femmes », "three witnesses") are individuals, not a group.
        if counted && vox_pop {
            return NpKind::Role { definite: false };
        }
        let plural = toks[head].norm.ends_with(['s', 'x'])
            || toks[from..head]
                .iter()
                .any(|t| matches!(t.norm.as_ref(), "des" | "d'anciens" | "d'anciennes"));
        let det = match det {
            None if self.lang == Lang::En && plural && head == from => Some(Det::BarePlural),
            d => d,
        };
        match det {
            Some(Det::Possessive) if plural && !vox_pop => NpKind::Anonymous {
                institutional: qualified || self.institutional(toks, from, end, head),
            },
            Some(Det::Definite | Det::Possessive) => NpKind::Role { definite: true },
            Some(Det::Quantifier) => NpKind::Anonymous {
                institutional: qualified || self.institutional(toks, from, end, head),
            },
            // A title with no determiner ("Interior minister", « Premier ministre »)
            // names an office: a role, not an anonymous source; a plural is a group.
            None if !plural => NpKind::Role { definite: true },
            None => NpKind::Anonymous {
                institutional: qualified || self.institutional(toks, from, end, head),
            },
            Some(Det::Indefinite | Det::BarePlural) => {
                if vox_pop && !plural {
                    NpKind::Role { definite: false }
                } else {
                    NpKind::Anonymous {
                        institutional: qualified || self.institutional(toks, from, end, head),
                    }
                }
            }
        }
    }

    /// Whether the words of `toks[from..end]` tie a source to an institution: an
    /// institution's name or an acronym, or an adjective such as « policière ».
    fn institutional(&self, toks: &[Tok], from: usize, end: usize, head: usize) -> bool {
        (from..end.min(toks.len())).filter(|&k| k != head).any(|k| {
            let t = &toks[k];
            t.is_word()
                && (self.people.institution_adjectives.contains(&t.norm)
                    || self.lex.institutions.is_match(&t.norm)
                    || (t.norm.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && t.norm.len() <= 8
                        && t.cap
                        && t.range.len() == t.norm.len()
                        && k > from))
        })
    }

    /// Extends a phrase over its complements: adjectives after the noun (« européen »,
    /// « policière »), and « de / of » with what follows (« du président », "of the
    /// ministry"), up to a few words. `loose` also takes a short run of words after the
    /// noun ("those close to him", "people familiar with the matter").
    fn complement_end(
        &self,
        toks: &[Tok],
        mut end: usize,
        stops: &[Range<usize>],
        loose: bool,
    ) -> usize {
        let limit = (end + 6).min(toks.len());
        let stopped = |j: usize| {
            toks.get(j)
                .is_none_or(|t| !t.is_word() || covers(stops, t.range.start))
        };
        let p = self.people;
        while end < limit && !stopped(end) {
            let t = &toks[end];
            if p.of.contains(&t.norm) || (loose && p.prepositions.contains(&t.norm)) {
                // « du président », « de l'Élysée », "of the ministry", "close to him".
                let mut k = end + 1;
                if let Some((_, n)) = self.determiner(toks, k) {
                    k += n;
                }
                let mut took = false;
                while k < limit && !stopped(k) && !p.conjunctions.contains(&toks[k].norm) {
                    let w = &toks[k].norm;
                    // A verb ends the complement: « l'entourage du président assure ».
                    if p.prepositions.contains(w)
                        || (took && p.of.contains(w))
                        || p.auxiliaries.contains(w)
                        || (took && !toks[k].cap && self.is_verb(&toks[k]))
                    {
                        break;
                    }
                    took = true;
                    k += 1;
                    // A complement is a noun with its own name or adjective: two words.
                    if k - end >= 4 {
                        break;
                    }
                }
                if !took {
                    break;
                }
                end = k;
            } else if loose
                && !p.auxiliaries.contains(&t.norm)
                && !p.conjunctions.contains(&t.norm)
                && !self.is_verb(t)
            {
                end += 1;
            } else if self.lang == Lang::Fr
                && !t.cap
                && (p.institution_adjectives.contains(&t.norm) || is_adjective_like(&t.norm))
                && !p.auxiliaries.contains(&t.norm)
                && !p.clitics.contains(&t.norm)
            {
                // French adjectives follow the noun: « un diplomate européen ».
                end += 1;
            } else {
                break;
            }
        }
        end
    }

    /// Adds the apposition after a phrase (« , 45 ans, infirmière, », ", the mayor,").
    fn finish(
        &self,
        toks: &[Tok],
        start: usize,
        end: usize,
        kind: NpKind,
        stops: &[Range<usize>],
    ) -> (Np, usize) {
        let end = end.max(start + 1).min(toks.len());
        let range = toks[start].range.start..toks[end - 1].range.end;
        let mut np = Np {
            range,
            kind,
            apposition: None,
            name_in_apposition: None,
            uncertain_name: false,
        };
        let mut next = end;
        // An apposition: a comma, a few words, and a comma or the clause's end.
        if toks.get(end).is_some_and(|t| t.is(',')) {
            let from = end + 1;
            let mut k = from;
            while k < toks.len() && k < from + 10 && toks[k].is_word() {
                k += 1;
            }
            let closes = toks
                .get(k)
                .is_none_or(|t| t.is(',') || t.is('.') || t.is(';'));
            // An apposition describes; a clause with an auxiliary or a verb of saying is
            // the sentence going on (« Selon des cadres, Tayeb Hmarnia a fait appel »).
            let stopped = toks[from..k].iter().any(|t| {
                covers(stops, t.range.start)
                    || self.people.auxiliaries.contains(&t.norm)
                    || self.people.clitics.contains(&t.norm) && t.norm != "l'"
            });
            if k > from
                && closes
                && !stopped
                && !self.people.conjunctions.contains(&toks[from].norm)
            {
                np.apposition = Some(toks[from].range.start..toks[k - 1].range.end);
                // « le porte-parole, Olivier Véran, » names the role's holder.
                // « deux chercheurs, Dave Hyatt et Blake Ross, » names both.
                if !matches!(kind, NpKind::Name) && self.name_word(toks, from) {
                    let mut name_end = self.name_end(toks, from);
                    while name_end + 1 < k
                        && self.people.conjunctions.contains(&toks[name_end].norm)
                        && self.name_word(toks, name_end + 1)
                    {
                        name_end = self.name_end(toks, name_end + 1);
                    }
                    if name_end == k {
                        np.name_in_apposition = Some(toks[from].range.start..toks[k - 1].range.end);
                    }
                }
                next = if toks.get(k).is_some_and(|t| t.is(',')) {
                    k + 1
                } else {
                    k
                };
            }
        }
        (np, next)
    }

    /// The subject of a clause starting at token `i`, after leading adverbials: an
    /// opening « Mardi, », « Dans un communiqué, », "On Tuesday," is skipped; « Selon X, »
    /// and "According to X," give X. Returns the phrase and whether it came from such a
    /// source marker.
    pub fn subject(&self, toks: &[Tok], lower: &str, stops: &[Range<usize>]) -> Option<(Np, bool)> {
        let mut i = 0;
        // Leading dashes, emphasis and list markers.
        while toks
            .get(i)
            .is_some_and(|t| !t.is_word() && !matches!(t.punct, Some('«' | '“' | '"')))
        {
            i += 1;
        }
        let first = toks.get(i)?;
        let from = first.range.start;
        let end = crate::text::floor_char_boundary(lower, from + 40);
        let window = lower.get(from..end).unwrap_or("");
        if let Some(m) = self
            .lex
            .source_markers
            .find_all(window)
            .first()
            .filter(|m| m.start == 0)
        {
            // « Selon le ministre, … »: the words after the marker.
            let after = from + m.end;
            let k = toks.iter().position(|t| t.range.start >= after)?;
            return self.np_at(toks, k, stops).map(|(np, _)| (np, true));
        }
        // « Pour Olivier Faure, premier secrétaire du PS, « … » »: the opinion of a person
        // named (or a role) right after « pour » and before a comma.
        if self.lang == Lang::Fr
            && first.norm == "pour"
            && let Some((np, next)) = self.np_at(toks, i + 1, stops)
            && matches!(np.kind, NpKind::Name | NpKind::Role { .. })
            && (np.apposition.is_some() || toks.get(next).is_some_and(|t| t.is(',')))
            && !np.uncertain_name
        {
            return Some((np, true));
        }
        // A conjunction or an adverb opening the sentence before its subject ("But he
        // said", "As one of his advisers told …", « Mais le ministre a répondu »).
        let p = self.people;
        if first.cap
            && (p.conjunctions.contains(&first.norm) || p.adverbs.contains(&first.norm))
            && toks.get(i + 1).is_some_and(Tok::is_word)
            && self.starts_np(toks, i + 1)
            && let Some((np, _)) = self.np_at(toks, i + 1, stops)
            && np.kind.is_speaker()
        {
            return Some((np, false));
        }
        // An English participle opening the sentence starts an adverbial clause, whose
        // comma the subject follows ("Speaking on the radio, the spokesman said").
        let participle = self.lang == Lang::En
            && (first.norm.ends_with("ing") || first.norm.ends_with("ed"))
            && first.norm.chars().count() > 4
            && toks.get(i + 1).is_some_and(|t| t.is_word() && !t.cap);
        let starts = self.starts_np(toks, i)
            && !participle
            && !(first.cap
                && (self.people.prepositions.contains(&first.norm)
                    || self.people.adverbs.contains(&first.norm)
                    || self.people.conjunctions.contains(&first.norm)));
        if starts && let Some((mut np, _)) = self.np_at(toks, i, stops) {
            // One capitalised word opening the sentence may be a name or a common word.
            // A comma after it with no apposition is an adverbial (« Mardi, »); a
            // reporting verb right after it makes it a name ("Smith said"); otherwise
            // the caller decides.
            // Also when lower-case words follow it inside the phrase (« Près de la moitié
            // des espèces », « Faire des micro-siestes »): its name is one word.
            let one_word = np.range.end == first.range.end
                || toks.get(i + 1).is_some_and(|t| t.is_word() && !t.cap);
            if np.kind == NpKind::Name && one_word {
                let next = toks.get(i + 1);
                if next.is_some_and(|t| t.is(',')) && np.apposition.is_none() {
                    np.kind = NpKind::Other;
                } else if !next.is_some_and(|t| covers(stops, t.range.start)) {
                    np.uncertain_name = true;
                }
            }
            if np.kind != NpKind::Other || toks.get(i + 1).is_none_or(|t| !t.is(',')) {
                return Some((np, false));
            }
        }
        // Skip an opening adverbial up to its comma, then read the subject.
        let comma = toks.iter().take(24).position(|t| t.is(','))?;
        let k = comma + 1;
        if self.starts_np(toks, k) {
            return self.np_at(toks, k, stops).map(|(np, _)| (np, false));
        }
        None
    }
}

/// Determiner classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Det {
    Definite,
    Indefinite,
    Quantifier,
    Possessive,
    /// No determiner, an English plural ("officials said").
    BarePlural,
}

/// French adjectives that stand before their noun (« un ancien ministre », « un haut
/// responsable », « de nombreux jeunes militants »), in their forms.
const FRENCH_PRENOMINAL: &[&str] = &[
    "ancien",
    "ancienne",
    "anciens",
    "anciennes",
    "haut",
    "haute",
    "hauts",
    "hautes",
    "jeune",
    "jeunes",
    "nouveau",
    "nouvel",
    "nouvelle",
    "nouveaux",
    "nouvelles",
    "grand",
    "grande",
    "grands",
    "grandes",
    "petit",
    "petite",
    "petits",
    "petites",
    "premier",
    "première",
    "premiers",
    "premières",
    "autre",
    "autres",
    "simple",
    "simples",
    "proche",
    "proches",
    "ex",
    "futur",
    "future",
    "vieux",
    "vieil",
    "vieille",
    "bon",
    "bonne",
    "seul",
    "seule",
    "même",
    "mêmes",
    "certain",
    "certaine",
    "principal",
    "principale",
    "principaux",
    "vrai",
    "faux",
    "fausse",
    "plusieurs",
    "rares",
    "divers",
    "diverses",
    "nombreux",
    "nombreuses",
];

/// French words that look like adjectives after a noun: common adjective endings.
fn is_adjective_like(w: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ain", "aine", "ains", "aines", "ais", "aise", "aises", "ien", "ienne", "iens", "iennes",
        "al", "ale", "aux", "ales", "el", "elle", "els", "elles", "if", "ive", "ifs", "ives",
        "ique", "iques", "é", "ée", "és", "ées", "eur", "eure", "eurs", "ard", "arde", "ois",
        "oise", "ien", "in", "ine", "ins", "ines", "an", "ane", "ans", "anes",
    ];
    w.chars().count() > 3 && ENDINGS.iter().any(|e| w.ends_with(e))
}

/// A quotation's tag: the clause after its closing mark that says who speaks.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The speaker, when the clause names one.
    pub speaker: Option<Np>,
    /// The verb or the start of the clause (the squiggle for the hover).
    pub cue: Range<usize>,
}

impl Reader<'_> {
    /// Reads the tag after a quotation closing at `quote_end` in `text` (a block's
    /// prose). `content_end` is the quoted words' last character (a comma, question or
    /// exclamation mark inside the marks counts as the tag's comma). `verbs` are the
    /// block's reporting verbs, which stop a subject-first noun phrase ("the mayor said").
    pub fn tag_after(
        &self,
        text: &str,
        lower: &str,
        quote_end: usize,
        content_last: Option<char>,
        verbs: &[Range<usize>],
    ) -> Option<Tag> {
        let rest = text.get(quote_end..)?;
        let skipped = rest.len() - rest.trim_start_matches(is_space).len();
        let mut at = quote_end + skipped;
        let next = text[at..].chars().next()?;
        let mut comma = matches!(content_last, Some(',' | '?' | '!' | '…' | '—' | '–'));
        match next {
            // « "Tout ce qui se passe ici, c'est politique": Éric Drouet a estimé … »
            ',' | ':' => {
                comma = true;
                at += next.len_utf8();
            }
            '.' | ';' | ')' | ']' => return None,
            _ => {}
        }
        let toks = tokens(text, lower, at, text.len(), WINDOW);
        // The clause ends at the sentence's end or at the next quotation.
        let end = toks
            .iter()
            .position(|t| {
                matches!(
                    t.punct,
                    Some('.' | ';' | '!' | '?' | ':' | '«' | '“' | '"' | '(')
                )
            })
            .unwrap_or(toks.len());
        let toks = &toks[..end];
        let first = toks.first()?;
        if !first.is_word() {
            return None;
        }
        if self.people.conjunctions.contains(&first.norm) {
            return None;
        }
        // Without a comma ("What now?" Smith asked / « Oui » a dit X), only a clause that
        // starts like a tag counts: a pronoun, a name or a verb group.
        if !comma {
            let verb_first = self.people.auxiliaries.contains(&first.norm)
                || self.people.clitics.contains(&first.norm)
                || verbs.iter().any(|v| v.start == first.range.start)
                || inverted_pronoun(&first.norm).is_some();
            let subject_first = (first.cap || self.pronoun(toks, 0).is_some())
                && toks.len() <= 6
                && (toks.len() == 2
                    || verbs
                        .iter()
                        .any(|v| toks.iter().any(|t| t.range.start == v.start)));
            if !(verb_first || subject_first) {
                return None;
            }
            // Without a comma, the clause is a tag only when it names someone who can
            // speak: « « Les flammes sortaient déjà. » Le feu a été maîtrisé » is the
            // next sentence (« Le » there is no object pronoun).
            let speaker = self.tag_subject(toks, verbs);
            if speaker.as_ref().is_none_or(|np| !np.kind.is_speaker()) {
                return None;
            }
            return Some(Tag {
                speaker,
                cue: first.range.clone(),
            });
        }
        let cue = first.range.clone();
        Some(Tag {
            speaker: self.tag_subject(toks, verbs),
            cue,
        })
    }

    /// The subject of a tag clause, in either order: « a martelé le maire », « le cueille
    /// d'emblée le maire », « ajoute-t-elle », "the mayor said", "counters the resident".
    pub fn tag_subject(&self, toks: &[Tok], verbs: &[Range<usize>]) -> Option<Np> {
        toks.first()?;
        // « a-t-il déclaré », « poursuit-elle », « glisse-t-on »: the pronoun is in the verb.
        for (k, t) in toks.iter().enumerate().take(4) {
            if let Some(p) = inverted_pronoun(&t.norm) {
                let kind = if p == "on" {
                    // « peut-on lire sur une pancarte », « lit-on dans le communiqué »: the
                    // words are read in a document, not told by an anonymous source.
                    let reading = ["lit-", "peut-", "pouvait-", "voit-", "entend-", "découvre-"]
                        .iter()
                        .any(|v| t.norm.starts_with(v))
                        || toks.get(k + 1).is_some_and(|n| {
                            matches!(n.norm.as_ref(), "lire" | "voir" | "entendre")
                        })
                        || toks
                            .get(k + 1)
                            .is_some_and(|n| matches!(n.norm.as_ref(), "sur" | "dans"));
                    if reading {
                        // The document itself, when the tag names it: « lit-on dans le
                        // communiqué du parti », « peut-on lire sur une pancarte ».
                        let doc = (k + 1..(k + 3).min(toks.len()))
                            .find(|&j| matches!(toks[j].norm.as_ref(), "dans" | "sur"))
                            .and_then(|j| self.np_at(toks, j + 1, verbs))
                            .filter(|(np, _)| np.kind != NpKind::Pronoun);
                        if let Some((mut np, _)) = doc {
                            np.kind = NpKind::Document;
                            np.uncertain_name = false;
                            return Some(np);
                        }
                        NpKind::Document
                    } else {
                        NpKind::Anonymous {
                            institutional: false,
                        }
                    }
                } else {
                    NpKind::Pronoun
                };
                return Some(Np {
                    range: t.range.clone(),
                    kind,
                    apposition: None,
                    name_in_apposition: None,
                    uncertain_name: false,
                });
            }
        }
        let p = self.people;
        // Subject first: a name, a pronoun, or a phrase of people ("the mayor said",
        // « Marie Dupont raconte »). A phrase that names no person is kept only when no
        // phrase of people follows: a French « le » or « la » first is often an object
        // pronoun (« le cueille d'emblée le maire »).
        let mut first_other = None;
        if self.starts_np(toks, 0)
            && let Some((np, _)) = self.np_at(toks, 0, verbs)
        {
            if np.kind.is_speaker() {
                return Some(np);
            }
            first_other = Some(np);
        }
        // Verb first: skip the verb group, then the first phrase that is not the
        // complement of a preposition (« a déclaré à l'AFP le maire »). A phrase that
        // names no person may be an object pronoun and its verb (« le cueille ») or an
        // object (« lance un appel »): a later phrase of people is preferred.
        let mut k = 0;
        let mut in_pp = false;
        let mut fallback: Option<Np> = None;
        while k < toks.len() && k < 14 {
            let t = &toks[k];
            if !t.is_word() {
                if t.is(',') && k > 0 {
                    in_pp = false;
                }
                k += 1;
                continue;
            }
            if p.prepositions.contains(&t.norm) {
                in_pp = true;
                k += 1;
                continue;
            }
            if k > 0 && self.starts_np(toks, k) {
                let Some((np, next)) = self.np_at(toks, k, verbs) else {
                    k += 1;
                    continue;
                };
                if in_pp {
                    // The complement's own phrase.
                    k = next.max(k + 1);
                    in_pp = false;
                    continue;
                }
                if np.kind.is_speaker() {
                    return Some(np);
                }
                fallback.get_or_insert(np);
                k += 1;
                continue;
            }
            k += 1;
        }
        fallback.or(first_other)
    }
}

/// The pronoun of an inverted French verb: « a-t-il » → il, « glisse-t-on » → on.
pub fn inverted_pronoun(word: &str) -> Option<&'static str> {
    const SUFFIXES: &[(&str, &str)] = &[
        ("-t-il", "il"),
        ("-t-elle", "elle"),
        ("-t-on", "on"),
        ("-t-ils", "ils"),
        ("-t-elles", "elles"),
        ("-ils", "ils"),
        ("-elles", "elles"),
        ("-il", "il"),
        ("-elle", "elle"),
        ("-on", "on"),
    ];
    let w = word.replace('‑', "-");
    SUFFIXES
        .iter()
        .find(|(s, _)| w.ends_with(s) && w.len() > s.len())
        .map(|&(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lexicon::Lexicons;
    use crate::config::Config;

    fn tag(lang: Lang, text: &str) -> Option<(String, NpKind)> {
        let lexicons = Lexicons::new(&Config::default());
        let lex = lexicons.get(lang);
        let lower = text.to_lowercase();
        let index = crate::analysis::verbs::BlockVerbs::find(&lower, lex);
        let reader = Reader::with_verbs(lex, &index.all);
        let verbs = index.all.clone();
        // The quotation is the text up to the last closing mark.
        let close = text.rfind(['»', '”', '"']).expect("a closing mark");
        let content_last = text[..close].trim_end().chars().next_back();
        let close_end = close + text[close..].chars().next().map_or(1, char::len_utf8);
        let t = reader.tag_after(text, &lower, close_end, content_last, &verbs)?;
        t.speaker.map(|np| (text[np.range].to_string(), np.kind))
    }

    #[test]
    fn tokens_split_elisions_and_keep_hyphens() {
        let text = "l'entourage a-t-il dit à J. R. Smith d’U.S. aujourd'hui";
        let lower = crate::analysis::lexicon::lowercase_same_len(text);
        let t = tokens(text, &lower, 0, 200, 40);
        let words: Vec<&str> = t.iter().map(|t| t.norm.as_ref()).collect();
        assert_eq!(
            words,
            [
                "l'",
                "entourage",
                "a-t-il",
                "dit",
                "à",
                "j.",
                "r.",
                "smith",
                "d'",
                "u.s.",
                "aujourd'hui"
            ]
        );
    }

    #[test]
    fn french_tags_by_structure() {
        let cases = [
            (
                "« C'est fini », a martelé le maire.",
                "le maire",
                NpKind::Role { definite: true },
            ),
            (
                "« C'est du grand n'importe quoi », s'insurge Jean-Paul.",
                "Jean-Paul",
                NpKind::Name,
            ),
            (
                "« Tenez bon ! », lui lance le passant.",
                "le passant",
                NpKind::Role { definite: true },
            ),
            (
                "« On nous avait promis autre chose », le cueille d'emblée le maire.",
                "le maire",
                NpKind::Role { definite: true },
            ),
            (
                "« Oui », a déclaré à l'AFP la ministre.",
                "la ministre",
                NpKind::Role { definite: true },
            ),
            ("« Oui », a-t-elle ajouté.", "a-t-elle", NpKind::Pronoun),
            (
                "« C'est une trahison », glisse un proche du président.",
                "un proche du président",
                NpKind::Anonymous {
                    institutional: false,
                },
            ),
            (
                "« Rien n'est décidé », souffle un ministre.",
                "un ministre",
                NpKind::Anonymous {
                    institutional: false,
                },
            ),
            (
                "« Rien n'est décidé », confie-t-on à Matignon.",
                "confie-t-on",
                NpKind::Anonymous {
                    institutional: false,
                },
            ),
            (
                "« Nous partirons », explique une source policière.",
                "une source policière",
                NpKind::Anonymous {
                    institutional: true,
                },
            ),
            (
                "« Nous partirons », raconte un habitant.",
                "un habitant",
                NpKind::Role { definite: false },
            ),
            (
                "« Nous restons », indique le communiqué.",
                "le communiqué",
                NpKind::Document,
            ),
        ];
        for (text, speaker, kind) in cases {
            assert_eq!(
                tag(Lang::Fr, text),
                Some((speaker.to_string(), kind)),
                "{text}"
            );
        }
    }

    #[test]
    fn english_tags_by_structure() {
        let cases = [
            (
                "\"We are leaving,\" the mayor said.",
                "the mayor",
                NpKind::Role { definite: true },
            ),
            (
                "\"You're missing the point,\" counters the resident.",
                "the resident",
                NpKind::Role { definite: true },
            ),
            ("\"What is the plan?\" Smith asked.", "Smith", NpKind::Name),
            (
                "\"We were hacked,\" the statement read.",
                "the statement",
                NpKind::Document,
            ),
            (
                "\"It's over,\" a State Department official said.",
                "a State Department official",
                NpKind::Anonymous {
                    institutional: true,
                },
            ),
            ("\"It's over,\" she told reporters.", "she", NpKind::Pronoun),
            (
                "\"It's over,\" said Jane Doe, the city's mayor.",
                "Jane Doe",
                NpKind::Name,
            ),
        ];
        for (text, speaker, kind) in cases {
            assert_eq!(
                tag(Lang::En, text),
                Some((speaker.to_string(), kind)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_conjunction_is_no_tag() {
        assert_eq!(
            tag(Lang::Fr, "« C'est fini », et la salle s'est vidée."),
            None
        );
        assert_eq!(tag(Lang::En, "\"It's over,\" and the room emptied."), None);
    }
}
