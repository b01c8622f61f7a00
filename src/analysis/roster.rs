//! The source roster of an article: who is quoted, who and what is cited, and which
//! sources stay anonymous — the question a desk editor asks of every story before it runs.
//!
//! The roster is computed from what the analysis already found, never from a second
//! parse: the quotations with their speakers (resolved through pronouns, surnames and
//! roles by [`super::quotes`]), the `vague-source` findings (kept or silenced: a silenced
//! finding is still a source), and the source markers of each sentence (« selon le
//! ministère », "according to Reuters"), whose object is read on a window of a few
//! words by the clause reader of [`super::speakers`]. Every step is linear in the
//! article: one pass over the quotations, one over the findings, one matcher pass and a
//! bounded read per sentence.
//!
//! One person is one entry, whatever the spelling: a quotation tagged « il » joins the
//! person the pronoun stands for, and a surname met alone (« Dupont ») joins the only
//! full name of the article that ends with it (« Marie Dupont »).

use super::lexicon::{LangLexicon, lowercase_same_len};
use super::speakers::{NpKind, Reader, tokens_unquoted};
use super::{Engine, FileAnalysis, How, SpeakerKind};
use crate::kb::Kind;
use crate::lang::Lang;
use crate::rules::{Finding, Rule};
use std::collections::HashMap;
use std::ops::Range;

/// What kind of source an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceClass {
    /// A person, by name or by role (« le maire », "a resident").
    Person,
    /// An institution, a company, a state or a group: « le ministère », "the Kremlin".
    Institution,
    /// A document or a medium: « le communiqué », « l'AP », a link, a footnote.
    Document,
    /// A source that cannot be identified: « un proche », "officials", « selon des sources ».
    Anonymous,
}

impl SourceClass {
    /// The class's name in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceClass::Person => "person",
            SourceClass::Institution => "institution",
            SourceClass::Document => "document",
            SourceClass::Anonymous => "anonymous",
        }
    }

    /// The class's name for a reader, in the article's language.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SourceClass::Person, Lang::Fr) => "personne",
            (SourceClass::Institution, Lang::Fr) => "institution",
            (SourceClass::Document, Lang::Fr) => "document/média",
            (SourceClass::Anonymous, Lang::Fr) => "anonyme",
            (SourceClass::Person, Lang::En) => "person",
            (SourceClass::Institution, Lang::En) => "institution",
            (SourceClass::Document, Lang::En) => "document/media",
            (SourceClass::Anonymous, Lang::En) => "anonymous",
        }
    }
}

/// One source of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The most complete name the article gives: « Nikol Pachinian » even where a tag
    /// says « il » or « Pachinian »; the words as written for a role or an anonymous source.
    pub name: String,
    pub class: SourceClass,
    /// The description the article gives (the apposition: « analyste militaire au … »).
    pub description: Option<String>,
    /// Every distinct way the article names it near a quotation or a claim, as written.
    pub spellings: Vec<String>,
    /// The quotations that rest on it: indices into [`FileAnalysis::quotes`].
    pub quotes: Vec<usize>,
    /// The claims that rest on it: sentences sourced by « selon X » / "according to X",
    /// and, for an anonymous source, the sentences that introduce it.
    pub claims: usize,
    /// Where the article first names it (source range).
    pub first_mention: Range<usize>,
    /// For a person: whether the article identifies them somewhere, with a full name, a
    /// role or a description. A person named only by a surname or a pronoun is not
    /// identified. Always `true` for the other classes.
    pub identified: bool,
}

/// Every source of one article, in order of first mention.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roster {
    pub sources: Vec<Source>,
    /// Attributed quotations whose speaker the analysis cannot name (a pronoun with no
    /// person before it, a quotation that continues an introduction with no subject):
    /// indices into [`FileAnalysis::quotes`].
    pub unresolved_quotes: Vec<usize>,
    /// Quotations flagged `attribution/unattributed-quote` (kept or silenced).
    pub unattributed_quotes: usize,
}

impl Roster {
    /// How many sources have at least one quotation.
    pub fn quoted_sources(&self) -> usize {
        self.sources.iter().filter(|s| !s.quotes.is_empty()).count()
    }

    /// How many sources are anonymous.
    pub fn anonymous_sources(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| s.class == SourceClass::Anonymous)
            .count()
    }

    /// The share of anonymous sources among all sources, when there is any source.
    pub fn anonymous_share(&self) -> Option<f64> {
        (!self.sources.is_empty())
            .then(|| self.anonymous_sources() as f64 / self.sources.len() as f64)
    }

    /// The source a quotation rests on, by the quotation's index.
    pub fn source_of_quote(&self, quote: usize) -> Option<&Source> {
        self.sources.iter().find(|s| s.quotes.contains(&quote))
    }
}

/// The most sources looked up in the whole text to decide whether a person named only
/// by a surname is identified elsewhere: each lookup reads the article once.
const IDENTITY_SCANS: usize = 16;

impl Engine {
    /// The source roster of an article, from its text and its analysis.
    pub fn roster(&self, text: &str, analysis: &FileAnalysis) -> Roster {
        build(
            text,
            analysis,
            self.kb(),
            self.lexicons.get(analysis.message_lang()),
        )
    }
}

/// The roster of `text`, analysed as `analysis`, with the knowledge base and the lexicon
/// of the article's language.
pub fn build(text: &str, analysis: &FileAnalysis, kb: &crate::kb::Kb, lex: &LangLexicon) -> Roster {
    let mut b = Builder {
        text,
        analysis,
        kb,
        lex,
        sources: Vec::new(),
        by_key: HashMap::new(),
        by_role: Vec::new(),
        mentions: Vec::new(),
    };
    let mut roster = Roster::default();

    // 1. The quotations and their speakers.
    for (i, q) in analysis.quotes.iter().enumerate() {
        let Some(how) = q.how else { continue };
        let Some(written) = q.speaker.as_deref() else {
            match source_link(text, analysis, &q.range).filter(|_| how == How::Source) {
                Some((name, at)) => {
                    let s = b.add(SourceClass::Document, &name, &name, at, None);
                    b.sources[s].quotes.push(i);
                }
                None => roster.unresolved_quotes.push(i),
            }
            continue;
        };
        let at = q.speaker_range.clone().unwrap_or(q.range.clone());
        let kind = q.speaker_kind.unwrap_or(SpeakerKind::Other);
        let (class, name) = match (kind, q.resolved.as_deref()) {
            (SpeakerKind::Pronoun, None) => {
                roster.unresolved_quotes.push(i);
                continue;
            }
            (SpeakerKind::Pronoun | SpeakerKind::Named | SpeakerKind::Role, Some(r)) => {
                (b.class_of_name(r, &at), r.to_string())
            }
            (SpeakerKind::Named, None) => (b.class_of_name(written, &at), written.to_string()),
            // « la source », "the insider": a later mention of an anonymous source.
            (SpeakerKind::Role, None) if b.informant(written) => {
                (SourceClass::Anonymous, written.to_string())
            }
            (SpeakerKind::Role, None) => (SourceClass::Person, written.to_string()),
            (SpeakerKind::Document, _) => (SourceClass::Document, written.to_string()),
            (SpeakerKind::Anonymous | SpeakerKind::AnonymousInstitutional, _) => {
                (SourceClass::Anonymous, written.to_string())
            }
            (SpeakerKind::Other, _) => (SourceClass::Institution, written.to_string()),
        };
        let written = if kind == SpeakerKind::Pronoun {
            pronoun_word(written)
        } else {
            written
        };
        // "Daniel Kessler-Hart of the Halden Institute": the name, and what follows it
        // as its description.
        let (name, rest) = if class == SourceClass::Person {
            split_name(without_title(&name))
        } else {
            (name.as_str(), None)
        };
        let description = q.description.as_deref().or(rest);
        let s = b.add(class, name, written, at.clone(), description);
        if kind == SpeakerKind::Role || q.resolved.is_some() && kind == SpeakerKind::Named {
            // A role, or a role with its holder's name in apposition.
            b.by_role.push(s);
        }
        b.sources[s].quotes.push(i);
        b.mentions.push((at.start, s));
    }

    // 2. The source markers of each sentence: « selon le ministère », "according to X".
    let mut marked: Vec<Range<usize>> = Vec::new();
    for sentence in &analysis.sentences {
        b.markers(sentence, &mut marked);
    }

    // 3. Anonymous and vague sources the markers did not already give.
    let mut vague: Vec<&crate::rules::Finding> = analysis
        .findings
        .iter()
        .chain(&analysis.suppressed)
        .filter(|f| f.rule == Rule::VagueSource)
        .collect();
    vague.sort_by_key(|f| f.range.start);
    for f in vague {
        let overlaps = |r: &Range<usize>| r.start < f.range.end && f.range.start < r.end;
        if marked.iter().any(overlaps) {
            continue;
        }
        // The anonymous speaker of a quotation is already in the roster with it.
        let speaker_of_quote = analysis.quotes.iter().any(|q| {
            matches!(
                q.speaker_kind,
                Some(SpeakerKind::Anonymous | SpeakerKind::AnonymousInstitutional)
            ) && q.speaker_range.as_ref().is_some_and(overlaps)
        });
        if speaker_of_quote {
            continue;
        }
        let (name, range) = b.phrase(&f.cue, f.range.clone());
        let s = b.add(SourceClass::Anonymous, &name, &name, range, None);
        b.sources[s].claims += 1;
    }
    roster.unattributed_quotes = analysis
        .findings
        .iter()
        .chain(&analysis.suppressed)
        .filter(|f| f.rule == Rule::UnattributedQuote)
        .count();

    b.merge_surnames();
    b.identify();
    b.first_names();
    let mut sources = b.sources;
    sources.sort_by_key(|s| (s.first_mention.start, s.first_mention.end));
    roster.sources = sources;
    roster
}

struct Builder<'a> {
    text: &'a str,
    analysis: &'a FileAnalysis,
    kb: &'a crate::kb::Kb,
    lex: &'a LangLexicon,
    sources: Vec<Source>,
    by_key: HashMap<(SourceClass, String), usize>,
    /// Sources named by a role somewhere (so identified).
    by_role: Vec<usize>,
    /// Where each source is named, in the order met (for « selon lui »).
    mentions: Vec<(usize, usize)>,
}

impl Builder<'_> {
    /// The entry for `name` of `class`, created at `at` if it is new; `written` is how
    /// the article names it there.
    fn add(
        &mut self,
        class: SourceClass,
        name: &str,
        written: &str,
        at: Range<usize>,
        description: Option<&str>,
    ) -> usize {
        let key = (class, self.key(name, class == SourceClass::Anonymous));
        let i = *self.by_key.entry(key).or_insert_with(|| {
            self.sources.push(Source {
                name: name.to_string(),
                class,
                description: None,
                spellings: Vec::new(),
                quotes: Vec::new(),
                claims: 0,
                first_mention: at.clone(),
                identified: true,
            });
            self.sources.len() - 1
        });
        let s = &mut self.sources[i];
        if at.start < s.first_mention.start {
            s.first_mention = at;
        }
        if s.description.is_none() {
            s.description = description.map(str::to_string);
        }
        if !s.spellings.iter().any(|w| w == written) {
            s.spellings.push(written.to_string());
        }
        i
    }

    /// Whether a role names an informant (« la source », "the insider").
    fn informant(&self, words: &str) -> bool {
        words
            .split_whitespace()
            .last()
            .is_some_and(|w| self.lex.people.informants.contains(&w.to_lowercase()))
    }

    /// The noun phrase that opens a vague-source cue, without the verb the cue may
    /// hold ("Experts say" → "Experts", « Des experts estiment » → « Des experts »);
    /// the cue itself when no phrase opens it.
    fn phrase(&self, cue: &str, range: Range<usize>) -> (String, Range<usize>) {
        let lower = lowercase_same_len(cue);
        let toks = tokens_unquoted(cue, &lower, 0, cue.len(), 16);
        let reader = Reader::new(self.lex);
        // A pronoun opening the cue (« il se dit que ») is no source's name.
        let np = reader
            .np_at(&toks, 0, &[])
            .filter(|(np, _)| np.kind != NpKind::Pronoun)
            .map(|(np, _)| np.range)
            .filter(|r| r.end < cue.len() && r.start < r.end);
        match np.and_then(|r| cue.get(r.clone()).map(|w| (w, r))) {
            Some((words, r)) => (
                words.trim().to_string(),
                range.start + r.start..range.start + r.end,
            ),
            None => (cue.to_string(), range),
        }
    }

    /// The words that tell a source from another: lower case, straight apostrophes,
    /// without determiners; plurals folded for anonymous sources ("officials" and "an
    /// official" are one source).
    fn key(&self, name: &str, fold: bool) -> String {
        let lower = name.to_lowercase().replace(['’', 'ʼ'], "'");
        let p = &self.lex.people;
        let words: Vec<String> = lower
            .split(|c: char| c.is_whitespace() || c == '\'' || c == '\u{a0}')
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
            .filter(|w| !w.is_empty())
            .filter(|w| {
                !(p.definite.contains(w)
                    || p.indefinite.contains(w)
                    || p.possessive.contains(w)
                    || p.quantifiers.contains(w)
                    || matches!(*w, "l" | "d"))
            })
            .map(|w| {
                if fold {
                    w.trim_end_matches(['s', 'x']).to_string()
                } else {
                    w.to_string()
                }
            })
            .collect();
        words.join(" ")
    }

    /// The class of a name: the knowledge base's kind when the name is a mention of it,
    /// else an acronym or a name after a determiner (« l'AFP », "the Kremlin") is an
    /// institution, and other names are people.
    fn class_of_name(&self, name: &str, at: &Range<usize>) -> SourceClass {
        let mentions = &self.analysis.mentions;
        let first = mentions.partition_point(|m| m.range.end <= at.start);
        let kind = mentions[first..]
            .iter()
            .take_while(|m| m.range.start < at.end)
            .find_map(|m| self.kb.get(&m.entity).map(|e| e.kind));
        if let Some(kind) = kind {
            return match kind {
                Kind::Person => SourceClass::Person,
                Kind::Media => SourceClass::Document,
                _ => SourceClass::Institution,
            };
        }
        let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
        let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
        let first_word = name.split_whitespace().next().unwrap_or("");
        let after_determiner = first_word.chars().next().is_some_and(char::is_lowercase);
        if acronym || after_determiner {
            SourceClass::Institution
        } else {
            SourceClass::Person
        }
    }

    /// The sources that the markers of one sentence name, each with one claim; the
    /// ranges of the phrases read are pushed to `marked`.
    fn markers(&mut self, sentence: &Range<usize>, marked: &mut Vec<Range<usize>>) {
        let Some(s) = self.text.get(sentence.clone()) else {
            return;
        };
        let lower = lowercase_same_len(s);
        let mut found = Vec::new();
        self.lex.source_markers.find_all_lower(&lower, &mut found);
        if found.is_empty() {
            return;
        }
        let quotes = &self.analysis.quotes;
        let reader = Reader::new(self.lex);
        for m in found {
            let at = sentence.start + m.start;
            // A marker inside a quotation is the speaker's words, not the article's source.
            let qi = quotes.partition_point(|q| q.range.end <= at);
            if quotes.get(qi).is_some_and(|q| q.range.start <= at) {
                continue;
            }
            let mut toks = tokens_unquoted(s, &lower, m.end, s.len(), 16);
            // Markdown around the source: « selon [l'AP](…) », "according to **Reuters**".
            let skip = toks
                .iter()
                .take_while(|t| matches!(t.punct, Some('[' | '*' | '_' | '(')))
                .count();
            toks.drain(..skip);
            let Some((mut np, next)) = reader.np_at(&toks, 0, &[]) else {
                continue;
            };
            // English noun compounds the phrase reader stops inside ("the transport
            // ministry"): a few more lower-case content words, up to punctuation.
            if np.apposition.is_none() {
                let p = &self.lex.people;
                for t in toks.iter().skip(next).take(3) {
                    let content = t.is_word()
                        && !t.cap
                        && !(p.definite.contains(&t.norm)
                            || p.indefinite.contains(&t.norm)
                            || p.prepositions.contains(&t.norm)
                            || p.conjunctions.contains(&t.norm)
                            || p.pronouns.contains(&t.norm)
                            || p.auxiliaries.contains(&t.norm)
                            || p.adverbs.contains(&t.norm)
                            || p.of.contains(&t.norm));
                    if !content || t.range.start > np.range.end + 1 {
                        break;
                    }
                    np.range.end = t.range.end;
                }
            }
            let Some(words) = s.get(np.range.clone()) else {
                continue;
            };
            let words = words
                .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | ']' | '['));
            let range = sentence.start + np.range.start..sentence.start + np.range.end;
            let (class, name) = match np.kind {
                NpKind::Name => (self.class_of_name(words, &range), words.to_string()),
                NpKind::Pronoun => {
                    // « selon lui »: the person named last before it.
                    let Some(&(_, src)) = self.mentions.iter().rev().find(|(pos, src)| {
                        *pos < range.start && self.sources[*src].class == SourceClass::Person
                    }) else {
                        continue;
                    };
                    self.sources[src].claims += 1;
                    marked.push(range);
                    continue;
                }
                NpKind::Role { .. } => (SourceClass::Person, words.to_string()),
                NpKind::Document => (SourceClass::Document, words.to_string()),
                NpKind::Anonymous { .. } => (SourceClass::Anonymous, words.to_string()),
                NpKind::Other => (SourceClass::Institution, words.to_string()),
            };
            if name.is_empty() {
                continue;
            }
            let description = np
                .apposition
                .as_ref()
                .and_then(|r| s.get(r.clone()))
                .map(|d| d.trim_matches(|c: char| c.is_whitespace() || c == ','));
            let src = self.add(class, &name, &name, range.clone(), description);
            if matches!(np.kind, NpKind::Role { .. }) {
                self.by_role.push(src);
            }
            self.sources[src].claims += 1;
            self.mentions.push((range.start, src));
            marked.push(range);
        }
    }

    /// Joins a person named by a surname alone to the one full name of the article
    /// that ends with it (« Dupont » → « Marie Dupont »).
    fn merge_surnames(&mut self) {
        // Every ending of every full name (« Van Daele » and « Daele » of « Pieter Van
        // Daele »), with the person it belongs to.
        let mut full_by_end: HashMap<String, Option<usize>> = HashMap::new();
        for (i, s) in self.sources.iter().enumerate() {
            let words: Vec<String> = s.name.split_whitespace().map(str::to_lowercase).collect();
            if s.class != SourceClass::Person || words.len() < 2 {
                continue;
            }
            for k in 1..words.len() {
                full_by_end
                    .entry(words[k..].join(" "))
                    .and_modify(|e| {
                        // Two people with one surname: a surname alone is ambiguous.
                        if *e != Some(i) {
                            *e = None;
                        }
                    })
                    .or_insert(Some(i));
            }
        }
        let mut into: Vec<Option<usize>> = vec![None; self.sources.len()];
        for (i, s) in self.sources.iter().enumerate() {
            if s.class == SourceClass::Person
                && s.name.chars().next().is_some_and(char::is_uppercase)
            {
                let key = s
                    .name
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
                    .join(" ");
                into[i] = full_by_end.get(&key).copied().flatten().filter(|&t| t != i);
            }
        }
        if into.iter().all(Option::is_none) {
            return;
        }
        let old = std::mem::take(&mut self.sources);
        let mut kept: Vec<Option<usize>> = vec![None; old.len()];
        let mut moved: Vec<(usize, Source)> = Vec::new();
        for (i, s) in old.into_iter().enumerate() {
            match into[i] {
                Some(t) => moved.push((t, s)),
                None => {
                    kept[i] = Some(self.sources.len());
                    self.sources.push(s);
                }
            }
        }
        for (t, s) in moved {
            let Some(k) = kept[t] else { continue };
            let target = &mut self.sources[k];
            target.quotes.extend(s.quotes);
            target.quotes.sort_unstable();
            target.claims += s.claims;
            if s.first_mention.start < target.first_mention.start {
                target.first_mention = s.first_mention;
            }
            if target.description.is_none() {
                target.description = s.description;
            }
            for w in s.spellings {
                if !target.spellings.contains(&w) {
                    target.spellings.push(w);
                }
            }
        }
        let remap = |i: usize| {
            kept.get(i)
                .copied()
                .flatten()
                .or_else(|| into[i].and_then(|t| kept[t]))
        };
        self.by_role = self.by_role.iter().filter_map(|&i| remap(i)).collect();
        self.mentions = self
            .mentions
            .iter()
            .filter_map(|&(p, i)| remap(i).map(|k| (p, k)))
            .collect();
    }

    /// Decides which people the article identifies: by a full name (two words or
    /// more), a role, a description, a knowledge-base entry, or, for a surname alone,
    /// a first name, a title or a role written right before it somewhere in the text.
    fn identify(&mut self) {
        let mut scans = 0;
        for i in 0..self.sources.len() {
            let s = &self.sources[i];
            if s.class != SourceClass::Person
                || s.name.split_whitespace().count() >= 2
                || s.description.is_some()
                || self.by_role.contains(&i)
                || s.name.chars().next().is_some_and(|c| !c.is_uppercase())
            {
                continue;
            }
            let known = self.kb_person(&s.first_mention);
            if known {
                continue;
            }
            if scans >= IDENTITY_SCANS {
                // Precision first: past the bound, a person is assumed identified.
                continue;
            }
            scans += 1;
            let name = s.name.clone();
            self.sources[i].identified = self.introduced_in_text(&name);
        }
    }

    /// Moves the first mention of a person to where the article first writes the name
    /// in full, when that is before the first quotation or claim (a person quoted as
    /// « il » was named earlier). Bounded like [`Builder::identify`]: each lookup reads
    /// the article once.
    fn first_names(&mut self) {
        let mut scans = 0;
        for s in &mut self.sources {
            if s.class != SourceClass::Person || scans >= 4 * IDENTITY_SCANS {
                continue;
            }
            scans += 1;
            if let Some(at) = self.text.find(s.name.as_str())
                && at < s.first_mention.start
            {
                s.first_mention = at..at + s.name.len();
            }
        }
    }

    /// Whether a knowledge-base person is mentioned at `at`.
    fn kb_person(&self, at: &Range<usize>) -> bool {
        let mentions = &self.analysis.mentions;
        let first = mentions.partition_point(|m| m.range.end <= at.start);
        mentions[first..]
            .iter()
            .take_while(|m| m.range.start < at.end)
            .any(|m| {
                self.kb
                    .get(&m.entity)
                    .is_some_and(|e| e.kind == Kind::Person)
            })
    }

    /// Whether `surname` appears somewhere after a first name, a title or a role
    /// (« Marie Dupont », « le ministre Dupont », "Mayor Smith") or before an apposition
    /// (« Dupont, 45 ans, »).
    fn introduced_in_text(&self, surname: &str) -> bool {
        let text = self.text;
        let p = &self.lex.people;
        let mut from = 0;
        while let Some(found) = text[from..].find(surname) {
            let at = from + found;
            let end = at + surname.len();
            from = end;
            let bounded_before = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let bounded_after = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !(bounded_before && bounded_after) {
                continue;
            }
            // A capitalised word right after it: a name written family name first or a
            // full name the tag cut ("said Kim Yungmin").
            let next: String = text[end..]
                .trim_start_matches([' ', '\u{a0}'])
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect();
            if end < text.len()
                && text[end..].starts_with([' ', '\u{a0}'])
                && next.chars().next().is_some_and(char::is_uppercase)
                && next.chars().skip(1).any(char::is_lowercase)
                && !p.conjunctions.contains(&next.to_lowercase())
                && !p.prepositions.contains(&next.to_lowercase())
            {
                return true;
            }
            // The word before, if it stands in the same sentence; a nickname in quotation
            // marks between the names is skipped (« Jimmy "the Whirlwind" White »).
            let spaced = text[..at].trim_end_matches([' ', '\u{a0}']);
            let gap = at - spaced.len();
            let before = spaced.trim_end_matches(['"', '”', '»', '\'', '’', ' ', '\u{a0}']);
            let prev: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '\'' | '’'))
                .collect::<Vec<char>>()
                .into_iter()
                .rev()
                .collect();
            if gap > 0 && !prev.is_empty() {
                // A nickname in quotation marks stands between the names (« Brian
                // 'Head' Welch »).
                let prev = prev.trim_matches(|c: char| matches!(c, '\'' | '’' | '.'));
                let word = prev.to_lowercase();
                let capital = prev.chars().next().is_some_and(char::is_uppercase);
                let function = p.definite.contains(&word)
                    || p.indefinite.contains(&word)
                    || p.pronouns.contains(&word)
                    || p.conjunctions.contains(&word)
                    || p.prepositions.contains(&word)
                    || p.adverbs.contains(&word);
                let courtesy = is_courtesy(&word);
                let role = p.roles.match_len([word.as_str()].into_iter()).is_some();
                if (capital && !function && !courtesy) || role {
                    return true;
                }
            }
            // An apposition right after the name: « Dupont, 45 ans, ».
            let after = text[end..].trim_start_matches([' ', '\u{a0}']);
            if let Some(rest) = after.strip_prefix(',') {
                let rest = rest.trim_start_matches([' ', '\u{a0}']);
                let words: Vec<&str> = rest
                    .split([',', '.'])
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .collect();
                let described = words.first().is_some_and(|w| {
                    let w = w.to_lowercase();
                    p.definite.contains(&w)
                        || p.indefinite.contains(&w)
                        || w.chars().all(|c| c.is_ascii_digit())
                        || p.roles.match_len([w.as_str()].into_iter()).is_some()
                });
                if described {
                    return true;
                }
            }
        }
        false
    }
}

/// The findings of `attribution/unidentified-speaker`: one for each person quoted but
/// named only by a surname (or a pronoun standing for it), never by a full name, a
/// role or a description, at that person's first quotation. A pronoun with no person
/// before it is left alone: the analysis may have missed the name, and precision comes
/// first.
pub fn unidentified(
    roster: &Roster,
    analysis: &FileAnalysis,
    text: &str,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in &roster.sources {
        if s.identified || s.class != SourceClass::Person || !plain_surname(&s.name) {
            continue;
        }
        let quotes: Vec<&super::Quote> = s
            .quotes
            .iter()
            .filter_map(|&i| analysis.quotes.get(i))
            .collect();
        // Evidence that the word is a person and not a company, a first name or a stray
        // capitalised word: a courtesy title before it somewhere (« M. Dupont », "Mr
        // Smith", « Madame Mouraud »). A pronoun is not enough: resolution errs.
        let personal = quotes
            .iter()
            .any(|q| q.speaker.as_deref().is_some_and(courtesy_title))
            || titled_in_text(text, &s.name);
        // Found by the structure of a tag, not read from a sentence's first word.
        let tagged = quotes.iter().any(|q| {
            matches!(q.how, Some(How::Tag | How::Incise | How::AttributionLine))
                && q.speaker_kind == Some(SpeakerKind::Named)
        });
        if !(personal && tagged) {
            continue;
        }
        let Some(q) = quotes.first() else {
            continue;
        };
        let range = q.speaker_range.clone().unwrap_or(q.range.clone());
        let sentences = &analysis.sentences;
        let sentence = sentences
            .partition_point(|r| r.start <= range.start)
            .checked_sub(1)
            .and_then(|i| sentences.get(i))
            .filter(|r| range.start < r.end)
            .cloned()
            .unwrap_or(range.clone());
        let (message, help) =
            super::attribution::messages(Rule::UnidentifiedSpeaker, &s.name, lang);
        out.push(Finding {
            rule: Rule::UnidentifiedSpeaker,
            severity: Rule::UnidentifiedSpeaker.default_severity(),
            range,
            sentence,
            cue: s.name.clone(),
            message,
            help,
            fixes: Vec::new(),
        });
    }
    out
}

/// Whether `name` is one plain word that can be a surname: a capital, then lower-case
/// letters (not "I", "MSPs" or "We've").
fn plain_surname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_uppercase)
        && name.chars().count() >= 3
        && chars.all(|c| c.is_lowercase() || c == '-')
}

/// Whether `surname` appears somewhere right after a courtesy title (« M. Dupont »,
/// "Mr Smith", « Madame Mouraud »).
fn titled_in_text(text: &str, surname: &str) -> bool {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find(surname)) {
        let at = from + found;
        from = at + surname.len();
        let before = text[..at].trim_end_matches([' ', '\u{a0}']);
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic() || *c == '.')
            .collect::<Vec<char>>()
            .into_iter()
            .rev()
            .collect();
        if before.len() < at && courtesy_title(&format!("{word} {surname}")) {
            return true;
        }
    }
    false
}

/// A name without the courtesy title it opens with: « M. Dupont » → « Dupont », "Mr
/// Ebbers" → "Ebbers" (so that it joins « Marc Dupont », "Bernie Ebbers").
fn without_title(name: &str) -> &str {
    match name.split_once(' ') {
        Some((first, rest)) if is_courtesy(first) => rest.trim_start(),
        _ => name,
    }
}

/// Whether a word is a courtesy title: « M. », « Mme », "Mr", "Ms".
fn is_courtesy(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.').to_lowercase().as_str(),
        "m" | "mme" | "mlle" | "mr" | "mrs" | "ms" | "miss" | "monsieur" | "madame"
    )
}

/// Whether a speaker as written opens with a courtesy title (« M. Dupont », "Mr Smith").
fn courtesy_title(written: &str) -> bool {
    let mut words = written.split_whitespace();
    words.next().is_some_and(is_courtesy) && words.count() == 1
}

/// Name particles that stand in lower case inside a name (« Charles de Gaulle »,
/// "Ursula von der Leyen").
const PARTICLES: &[&str] = &[
    "de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "da", "di", "del", "della",
    "dos", "das", "bin", "ibn", "al", "el", "abu", "ben", "y",
];

/// A person's name and the complement written after it: "Daniel Kessler-Hart of the
/// Halden Institute" → ("Daniel Kessler-Hart", "of the Halden Institute"). The name is
/// the run of capitalised words and particles it opens with; a name that does not
/// open with two capitalised words is left whole.
pub fn split_name(name: &str) -> (&str, Option<&str>) {
    let mut caps = 0;
    let mut end = 0;
    let mut pos = 0;
    for word in name.split(' ') {
        let start = pos;
        pos += word.len() + 1;
        if word.chars().next().is_some_and(char::is_uppercase) {
            caps += 1;
            end = start + word.len();
        } else if !PARTICLES.contains(&word.to_lowercase().as_str()) && !word.is_empty() {
            break;
        }
    }
    let rest = name.get(end..).map(str::trim).filter(|r| !r.is_empty());
    match rest {
        Some(rest) if caps >= 2 => (&name[..end], Some(rest)),
        _ => (name, None),
    }
}

/// The pronoun of an inverted tag without its verb: « a-t-elle » → « elle », « dit-il »
/// → « il »; other words unchanged.
pub fn pronoun_word(written: &str) -> &str {
    written.rsplit(['-', '‑']).next().unwrap_or(written)
}

/// The link or defined footnote that sources a quotation: the link's host (or its
/// text), or the footnote's label; with the range of the link in the text.
fn source_link(
    text: &str,
    analysis: &FileAnalysis,
    quote: &Range<usize>,
) -> Option<(String, Range<usize>)> {
    let sentences = &analysis.sentences;
    let i = sentences
        .partition_point(|s| s.start <= quote.start)
        .checked_sub(1)?;
    let from = sentences[i].start.min(quote.start);
    let to = sentences
        .get(i..)?
        .iter()
        .take_while(|s| s.start < quote.end)
        .last()
        .map_or(quote.end, |s| s.end.max(quote.end));
    let window = text.get(from..to)?;
    if let Some(k) = window.find("](") {
        let url_start = k + 2;
        let url_end = window[url_start..]
            .find([')', ' '])
            .map_or(window.len(), |e| url_start + e);
        let url = &window[url_start..url_end];
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', '?', '#']).next())
            .map(|h| h.trim_start_matches("www."))
            .filter(|h| !h.is_empty());
        let open = window[..k].rfind('[').unwrap_or(k);
        let label = window[open..k].trim_start_matches('[').trim();
        let name = host
            .map(str::to_string)
            .unwrap_or_else(|| label.to_string());
        if !name.is_empty() {
            return Some((name, from + open..from + url_end));
        }
    }
    let k = window.find("[^")?;
    let close = window[k..].find(']')? + k;
    Some((window[k..=close].to_string(), from + k..from + close + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::kb::Kb;
    use std::sync::Arc;

    fn roster(md: &str) -> (Roster, FileAnalysis) {
        let engine = Engine::new(Config::default(), Arc::new(Kb::empty()));
        let a = engine.analyze(md);
        (engine.roster(md, &a), a)
    }

    fn find<'r>(r: &'r Roster, name: &str) -> &'r Source {
        match r.sources.iter().find(|s| s.name == name) {
            Some(s) => s,
            None => panic!("no source {name:?} in {:#?}", r.sources),
        }
    }

    #[test]
    fn french_pronouns_join_the_person_named_before() {
        let md = "---\nlang: fr\n---\n\
            Marie Dupont, analyste militaire au Centre d'études stratégiques, suit le dossier depuis dix ans. « La frontière n'est pas sûre », a-t-elle déclaré.\n\n\
            « Nous attendons des renforts depuis des mois », a ajouté Dupont.\n\n\
            « Le village est vide », glisse un proche du maire.\n";
        let (r, a) = roster(md);
        assert_eq!(a.quotes.len(), 3, "{:#?}", a.quotes);
        let marie = find(&r, "Marie Dupont");
        assert_eq!(marie.class, SourceClass::Person);
        assert_eq!(marie.quotes, vec![0, 1], "{:#?}", r.sources);
        assert!(marie.spellings.iter().any(|s| s == "elle"));
        assert!(marie.identified);
        let anon = r
            .sources
            .iter()
            .find(|s| s.class == SourceClass::Anonymous)
            .expect("the anonymous source");
        assert_eq!(anon.quotes, vec![2]);
        assert_eq!(r.quoted_sources(), 2);
        assert_eq!(r.anonymous_share(), Some(0.5));
    }

    #[test]
    fn english_sources_markers_and_vague_sources() {
        let md = "---\nlang: en\n---\n\
            \"We will not leave this valley,\" said Jane Doe, the mayor of Milltown.\n\n\
            \"The road is closed,\" she said.\n\n\
            The bridge will be rebuilt next year, according to the ministry.\n\n\
            The contract was signed in March, according to the ministry.\n\n\
            Officials said the convoy had been delayed.\n";
        let (r, _) = roster(md);
        let jane = find(&r, "Jane Doe");
        assert_eq!(jane.quotes.len(), 2);
        assert_eq!(jane.description.as_deref(), Some("the mayor of Milltown"));
        let ministry = r
            .sources
            .iter()
            .find(|s| s.class == SourceClass::Institution)
            .expect("the ministry");
        assert_eq!(ministry.claims, 2, "{:#?}", r.sources);
        assert!(ministry.quotes.is_empty());
        let officials = r
            .sources
            .iter()
            .find(|s| s.class == SourceClass::Anonymous)
            .expect("officials");
        assert_eq!(officials.claims, 1);
        // In order of first mention.
        let starts: Vec<usize> = r.sources.iter().map(|s| s.first_mention.start).collect();
        let mut sorted = starts.clone();
        sorted.sort_unstable();
        assert_eq!(starts, sorted);
    }

    #[test]
    fn documents_and_media_are_their_own_class() {
        let md = "---\nlang: fr\n---\n\
            « Les réserves sont épuisées », indique le communiqué du ministère.\n\n\
            Le convoi est reparti mardi, selon l'AFP.\n";
        let (r, _) = roster(md);
        assert!(
            r.sources
                .iter()
                .any(|s| s.class == SourceClass::Document && s.quotes == vec![0]),
            "{:#?}",
            r.sources
        );
        let afp = r
            .sources
            .iter()
            .find(|s| s.name.contains("AFP"))
            .expect("AFP");
        assert_eq!(afp.class, SourceClass::Institution);
        assert_eq!(afp.claims, 1);
    }

    #[test]
    fn a_surname_alone_is_not_identified_but_a_role_is() {
        let md = "---\nlang: en\n---\n\
            The meeting ran late.\n\n\
            \"We have no water,\" Kowalczyk said.\n\n\
            \"The pumps failed,\" said the mayor.\n";
        let (r, _) = roster(md);
        assert!(!find(&r, "Kowalczyk").identified, "{:#?}", r.sources);
        assert!(find(&r, "the mayor").identified);
        // Named with a first name elsewhere: identified.
        let md = "---\nlang: en\n---\n\
            Piotr Kowalczyk runs the farm.\n\n\
            \"We have no water,\" Kowalczyk said.\n";
        let (r, _) = roster(md);
        assert!(r.sources.iter().all(|s| s.identified), "{:#?}", r.sources);
    }

    #[test]
    fn links_source_quotations() {
        let md = "---\nlang: en\n---\n\
            The agency published its figures. \"Exports fell by a third over the year\" ([report](https://stats.example.org/2024/q3)).\n";
        let (r, a) = roster(md);
        let doc = r.sources.iter().find(|s| s.class == SourceClass::Document);
        // Whether the link or the previous sentence attributes it, the quote is counted once.
        let attributed = a.quotes.iter().filter(|q| q.how.is_some()).count();
        let counted: usize =
            r.sources.iter().map(|s| s.quotes.len()).sum::<usize>() + r.unresolved_quotes.len();
        assert_eq!(attributed, counted);
        if let Some(doc) = doc {
            assert_eq!(doc.name, "stats.example.org");
        }
    }

    #[test]
    fn names_and_their_complements() {
        assert_eq!(
            split_name("Daniel Kessler-Hart of the Halden Institute"),
            ("Daniel Kessler-Hart", Some("of the Halden Institute"))
        );
        assert_eq!(
            split_name("Ursula von der Leyen"),
            ("Ursula von der Leyen", None)
        );
        assert_eq!(split_name("Charles de Gaulle"), ("Charles de Gaulle", None));
        assert_eq!(split_name("Kessler-Hart"), ("Kessler-Hart", None));
        // Every ending of a full name joins it, and vague cues lose their verb.
        let md = "---\nlang: en\n---\n\
            \"We patrol every day,\" said Pieter Van Daele of the monitoring mission.\n\n\
            \"Nothing moves at night,\" Van Daele said.\n\n\
            Experts say the border is calm.\n";
        let (r, _) = roster(md);
        let p = find(&r, "Pieter Van Daele");
        assert_eq!(p.quotes, vec![0, 1], "{:#?}", r.sources);
        assert_eq!(p.description.as_deref(), Some("of the monitoring mission"));
        assert!(find(&r, "Experts").class == SourceClass::Anonymous);
    }

    #[test]
    fn the_optional_rule_flags_a_titled_surname_never_introduced() {
        let on = Config::parse(
            "[rules]\nunidentified-speaker = \"information\"\n",
            std::path::Path::new("copydesk.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let engine = Engine::new(on, Arc::new(Kb::empty()));
        let rule = |md: &str| -> Vec<String> {
            engine
                .analyze(md)
                .findings
                .into_iter()
                .filter(|f| f.rule == Rule::UnidentifiedSpeaker)
                .map(|f| md[f.range].to_string())
                .collect()
        };
        let flagged = "---\nlang: en\n---\n\
            Mr Okonjo has run the pumping station since spring.\n\n\
            \"The pumps failed last week,\" Okonjo said.\n";
        assert_eq!(rule(flagged), ["Okonjo"]);
        let fr = "---\nlang: fr\n---\n\
            « Nous n'avons plus d'eau », a dit M. Kowalczyk.\n";
        assert_eq!(rule(fr), ["M. Kowalczyk"]);
        // Introduced somewhere: a first name, a role, an apposition.
        for intro in [
            "Ada Okonjo has run the pumping station since spring.",
            "Mayor Okonjo has run the pumping station since spring.",
            "Okonjo, an engineer, has run the pumping station since spring.",
        ] {
            let md = format!(
                "---\nlang: en\n---\n{intro} Mr Okonjo agreed.\n\n\"The pumps failed last week,\" Okonjo said.\n"
            );
            assert!(rule(&md).is_empty(), "{md}");
        }
        // A company, a first name: no courtesy title, no finding.
        let md = "---\nlang: en\n---\n\"Demand remains solid,\" Ericsson said.\n\n\"We stay,\" said Christian.\n";
        assert!(rule(md).is_empty());
        // Off by default.
        let off = Engine::new(Config::default(), Arc::new(Kb::empty()));
        assert!(
            off.analyze(flagged)
                .findings
                .iter()
                .all(|f| f.rule != Rule::UnidentifiedSpeaker)
        );
    }

    #[test]
    fn unresolved_pronouns_are_counted_apart() {
        let md = "---\nlang: en\n---\n\
            \"It is over,\" he said.\n";
        let (r, _) = roster(md);
        assert!(r.sources.is_empty(), "{:#?}", r.sources);
        assert_eq!(r.unresolved_quotes, vec![0]);
    }
}
