//! Anonymous and vague sources, found by structure: a phrase that leaves its person
//! unidentified (« un proche du président », « des experts », "aides", « l'entourage de
//! X », « certains », "a recent poll") standing where a source stands — the subject of a
//! verb of saying in either order (« souffle un ministre », "officials said"), the object
//! of « selon » / "according to", or the speaker of a quotation.
//!
//! The phrase lists are data (`[people]` in `lexicon/*.toml`). A cheap Aho-Corasick screen
//! over each paragraph finds the words that can head such a phrase; only around those is
//! the clause read and the reporting-verb matcher run, on a window of a few words, so the
//! cost stays linear in the text and small on the paragraphs that have none.

use super::lexicon::{LangLexicon, People};
use super::speakers::{Np, NpKind, Reader, Tok, tokens, tokens_unquoted};
use crate::lang::Lang;
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// The trigger words of one language: heads of anonymous phrases, quantifiers and source
/// markers, in every inflected form, matched on lower-cased text.
#[derive(Debug, Default)]
pub struct Triggers {
    ac: Option<AhoCorasick>,
}

impl Triggers {
    /// Builds the screen from the people lexicon.
    pub fn new(lang: Lang, entries: &TriggerEntries) -> Triggers {
        let mut words: Vec<String> = Vec::new();
        for w in &entries.heads {
            words.extend(inflections(lang, w));
        }
        words.extend(entries.fixed.iter().cloned());
        words.retain(|w| !w.is_empty());
        words.sort();
        words.dedup();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .ok();
        Triggers { ac }
    }

    /// Byte ranges of trigger words in a lower-cased text, at word boundaries.
    pub fn find(&self, lower: &str) -> Vec<Range<usize>> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        ac.find_iter(lower)
            .map(|m| m.start()..m.end())
            .filter(|r| boundary_before(lower, r.start) && boundary_after(lower, r.end))
            .collect()
    }
}

/// The words a trigger screen is built from: nouns to inflect, and fixed strings.
#[derive(Debug, Default)]
pub struct TriggerEntries {
    pub heads: Vec<String>,
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

/// The inflected forms of a noun: plural, and in French the feminine.
fn inflections(lang: Lang, w: &str) -> Vec<String> {
    let w = w.to_lowercase().replace('’', "'");
    let mut out = vec![w.clone()];
    if w.contains(' ') {
        return out;
    }
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
                out.push(format!("{s}s"));
                out.push(s);
            }
            if let Some(stem) = w.strip_suffix("al") {
                out.push(format!("{stem}aux"));
            }
            out.push(format!("{w}x"));
        }
        Lang::En => {
            out.push(format!("{w}s"));
            out.push(format!("{w}es"));
            if let Some(stem) = w.strip_suffix('y') {
                out.push(format!("{stem}ies"));
            }
            if let Some(stem) = w.strip_suffix("man") {
                out.push(format!("{stem}men"));
            }
        }
    }
    out
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

/// Finds the vague and anonymous sources of one sentence: `text` and `lower` are its
/// block's prose and lower-cased prose, `sentence` its range, `triggers` the trigger
/// matches of the block and `masked` the ranges inside quotations.
pub fn find(
    lex: &LangLexicon,
    text: &str,
    lower: &str,
    sentence: &Range<usize>,
    triggers: &[Range<usize>],
    masked: &[Range<usize>],
) -> Vec<VagueSource> {
    let mut out: Vec<VagueSource> = Vec::new();
    let inside = |r: &Range<usize>| masked.iter().any(|m| m.start <= r.start && r.end <= m.end);
    let hits: Vec<&Range<usize>> = triggers
        .iter()
        .filter(|t| sentence.start <= t.start && t.end <= sentence.end && !inside(t))
        .collect();
    if hits.is_empty() {
        return out;
    }
    let reader = Reader::new(lex);
    let people = &lex.people;
    for hit in hits {
        if out
            .iter()
            .any(|v| v.cue.start <= hit.start && hit.end <= v.cue.end)
        {
            continue;
        }
        // A window of words around the trigger, inside the sentence.
        let from = floor(text, hit.start.saturating_sub(64).max(sentence.start));
        let toks = tokens_unquoted(text, from, sentence.end, 56);
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
        let verb_after = verb_within(lex, lower, &toks, next, reach, sentence.end);
        let verb_before = || {
            if known {
                inverted_verb(&reader, lower, &toks, start, next, sentence.start)
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
        let w = [toks[k].norm.as_str()];
        p.roles.match_len(reader.lang, &w).is_some()
            || p.vox_pop.match_len(reader.lang, &w).is_some()
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
        .any(|t| matches!(t.norm.as_str(), "no" | "aucun" | "aucune" | "sans"))
        || back.iter().any(|t| {
            t.punct == Some('%') || t.norm == "%" || t.norm.ends_with('%') || t.norm == "per"
        })
    {
        return true;
    }
    if prev.is_word() {
        let w = prev.norm.as_str();
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
                && !matches!(t.norm.as_str(), "and" | "et" | "or" | "ou")
                && !reader
                    .lex
                    .verbs_in(&reader.lex.reporting, &t.norm)
                    .is_empty() =>
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
    let norms = |k: usize| toks[k..].iter().map(|t| t.norm.as_str());
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
            .map(|t| t.norm.as_str())
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
                    && !matches!(trigger.norm.as_str(), "la plupart" | "la plupart des" | "beaucoup") =>
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
                .match_len(std::iter::once(trigger.norm.as_str()))
                .is_some()
        {
            // Only an auxiliary, a clitic, an adverb or the verb itself may follow it.
            let verb_next = toks.get(h + 1).is_some_and(|t| {
                t.is_word()
                    && (people.auxiliaries.contains(&t.norm)
                        || people.clitics.contains(&t.norm)
                        || people.adverbs.contains(&t.norm)
                        || reader
                            .lex
                            .verbs_in(&reader.lex.claimers, &t.norm)
                            .first()
                            .is_some_and(|v| v.start == 0))
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
            toks[k].norm.as_str(),
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
    let words: Vec<&str> = toks[k..].iter().take(3).map(|t| t.norm.as_str()).collect();
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
            let it = || toks[j..].iter().map(|t| t.norm.as_str());
            people.vague_documents.match_len(it()).is_some()
                || people.informants.match_len(it()).is_some()
        });
    let head_word = head_at.map(|j| toks[j].norm.as_str());
    let is_informant = head_at.is_some_and(|j| {
        people
            .informants
            .match_len(toks[j..].iter().map(|t| t.norm.as_str()))
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
            if !in_commas && CLAUSE_STARTS.contains(&t.norm.as_str()) {
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
    let window = lower.get(start..stop)?;
    let v = lex
        .verbs_in(&lex.claimers_after_subject, window)
        .into_iter()
        .find(|v| !is_marker(&window[v.clone()]))?;
    let v = v.start + start..v.end + start;
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
        .map(|k| toks[k].norm.as_str())
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

/// Whether a match of the reporting set is a source marker, not a verb (« selon »,
/// « d'après », "according to", « cité par »).
fn is_marker(m: &str) -> bool {
    let m = m.trim_start();
    [
        "selon",
        "d'après",
        "d’après",
        "according",
        "à en croire",
        "aux dires",
        "de l'aveu",
        "cité",
        "citée",
        "cités",
        "citées",
        "dans un",
        "dans une",
        "in a",
        "in an",
        "sur son",
        "sur x",
    ]
    .iter()
    .any(|p| m.starts_with(p))
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
    sentence_start: usize,
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
    let _ = sentence_start;
    let opens = toks
        .get(k.wrapping_sub(1))
        .is_some_and(|t| matches!(t.punct, Some(',' | '»' | '”' | '"' | '—' | '–')))
        || matches!(
            toks[k].norm.as_str(),
            "comme" | "tel" | "telle" | "ainsi" | "as"
        );
    if !opens {
        return None;
    }
    let from = toks[k].range.start;
    let to = toks[start].range.start;
    let window = lower.get(from..to)?;
    let verbs = reader.lex.verbs_in(&reader.lex.claimers, window);
    let v = verbs.last()?;
    let verb = &window[v.clone()];
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
    let gap = tokens(&lower[..to], v.end + from, to, 8);
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
    Some(v.start + from..v.end + from)
}
