//! The analysis: from Markdown text to findings, quotations and entity mentions.
//!
//! This is a pure function of the text, the configuration and the knowledge base:
//! no IO, no async, no LSP types; every range is a byte range into the analysed text.
//! The pipeline is `markdown` (prose blocks with an offset map) → `sentences` →
//! `quotes` (with speakers) → `attribution` (the four rules) and the knowledge-base
//! matcher (mentions and entity rules) → `suppress` (comments and configuration).

pub mod anonymous;
pub mod attribution;
pub mod lexicon;
pub mod markdown;
pub mod people;
pub mod quotes;
pub mod roster;
pub mod sentences;
pub mod speakers;
pub mod suppress;
pub mod verbs;

use crate::config::{Config, Level};
use crate::kb::Kb;
use crate::lang::Lang;
use crate::rules::{Finding, Rule};
use std::ops::Range;
use std::sync::Arc;

/// A heading of the article, for outlines and titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The whole heading line.
    pub range: Range<usize>,
    /// The heading's text without the `#` markers.
    pub text_range: Range<usize>,
}

/// A direct quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// From the opening to the closing quotation mark, both included.
    pub range: Range<usize>,
    /// The quoted words, without the marks.
    pub content: String,
    /// Who is quoted, as written (« la ministre », "Jane Doe"), when found.
    pub speaker: Option<String>,
    /// Where the attribution is: the reporting verb or source marker, when found.
    pub cue: Option<Range<usize>>,
    /// What kind of speaker it is, when one is found.
    pub speaker_kind: Option<SpeakerKind>,
    /// The person the speaker's words stand for, when an earlier mention names them: « il »
    /// → « Nikol Pachinian », "the mayor" → "Jane Doe", « Pachinian » → « Nikol Pachinian ».
    pub resolved: Option<String>,
    /// How the quotation was attributed, when it is.
    pub how: Option<How>,
    /// Where the speaker's words stand (source range), when a speaker is found.
    pub speaker_range: Option<Range<usize>>,
    /// The apposition that describes the speaker (« 45 ans, infirmière », "the mayor").
    pub description: Option<String>,
}

impl Quote {
    /// The speaker to show: the resolved person, else the words as written.
    pub fn speaker_name(&self) -> Option<&str> {
        self.resolved.as_deref().or(self.speaker.as_deref())
    }
}

/// What kind of speaker a quotation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeakerKind {
    /// A person or an organisation named by name.
    Named,
    /// A pronoun (« il », "she") standing for someone named before.
    Pronoun,
    /// A person by role: « le maire », "a resident".
    Role,
    /// A written source: « le communiqué », "the statement".
    Document,
    /// An anonymous source: « un proche », "officials", « glisse-t-on ».
    Anonymous,
    /// An anonymous source tied to an institution: « une source policière ».
    AnonymousInstitutional,
    /// Words that name the speaker in no way the analysis classifies.
    Other,
}

/// How a quotation was attributed to its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum How {
    /// A tag after the quotation: « …, a déclaré X », "…," X said.
    Tag,
    /// A speaker named before the quotation in its sentence: « X a déclaré : … ».
    Intro,
    /// A tag inside the quotation: « Nous savons, a déclaré X, que … ».
    Incise,
    /// An attribution line: `— Nom, fonction`.
    AttributionLine,
    /// An interview's question-and-answer labels.
    Interview,
    /// The sentence before names the speaker, or holds their attributed quotation.
    PreviousSentence,
    /// The paragraph before ends with the speaker's attributed quotation or introduction.
    PreviousParagraph,
    /// The sentence after introduces the speaker (a quotation that opens a story).
    FollowingSentence,
    /// A quotation over several paragraphs, attributed where it opens or closes.
    MultiParagraph,
    /// A link or a footnote on the quotation's sentence.
    Source,
}

/// A mention of a knowledge-base entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub range: Range<usize>,
    /// The entity's id in the knowledge base.
    pub entity: Arc<str>,
    /// The words as written in the article.
    pub surface: String,
}

/// How a suppression comment silences findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `<!-- copydesk-disable-next-line RULE -->`
    NextLine,
    /// `<!-- copydesk-disable RULE -->` up to `<!-- copydesk-enable -->` (or the end).
    Region,
    /// `copydesk: off` in the front matter.
    File,
}

/// One suppression found in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The comment (or front-matter line) itself.
    pub range: Range<usize>,
    /// The bytes it silences.
    pub scope: Range<usize>,
    /// Rules it names; empty means every rule.
    pub rules: Vec<Rule>,
    /// The reason given after `--`.
    pub reason: Option<String>,
    /// How many findings it silenced in this analysis.
    pub used: usize,
}

/// Everything the analysis knows about one article.
#[derive(Debug, Clone, Default)]
pub struct FileAnalysis {
    /// The article's language (front matter, configuration, then detection).
    pub lang: Option<Lang>,
    /// The front matter's `title`, else the first heading.
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    /// Every sentence of prose, in order.
    pub sentences: Vec<Range<usize>>,
    pub quotes: Vec<Quote>,
    /// Findings that stand, with configured severities, in document order.
    pub findings: Vec<Finding>,
    /// Findings silenced by a suppression comment.
    pub suppressed: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
    pub mentions: Vec<Mention>,
    /// People and organisations the knowledge base does not list, as the article
    /// introduces them (see [`people`]).
    pub introduced: Vec<people::Introduced>,
    /// Every mention of those, their keys (`~name`) standing for entity ids.
    pub derived: Vec<Mention>,
    /// Problems with the document itself (bad front matter, unknown rule in a
    /// suppression comment), with their ranges. They are reported, never fatal.
    pub problems: Vec<(Range<usize>, String)>,
    /// The source roster, when a caller asked for it ([`Engine::roster`]): `copydesk
    /// sources` fills it in; `analyze` leaves it out, and the language server computes
    /// it on demand for the outline, hovers and the code lens.
    pub roster: Option<roster::Roster>,
}

impl FileAnalysis {
    /// The language used for messages: the article's, else English.
    pub fn message_lang(&self) -> Lang {
        self.lang.unwrap_or(Lang::En)
    }
}

/// The analysis engine: a configuration, a knowledge base and the lexicons compiled
/// from both. Build it once and share it; `analyze` takes `&self` and is thread-safe.
pub struct Engine {
    config: Config,
    kb: Arc<Kb>,
    lexicons: lexicon::Lexicons,
    /// Whether `analyze` recognises the people and organisations the knowledge base does
    /// not list ([`people`]): the editor and `entities --derived` show them; `check`
    /// reports nothing from them and skips the pass, a quarter of the analysis on news
    /// full of unknown names.
    derived_entities: bool,
}

impl Engine {
    pub fn new(config: Config, kb: Arc<Kb>) -> Engine {
        let lexicons = lexicon::Lexicons::new(&config);
        Engine::from_parts(config, kb, lexicons)
    }

    /// An engine from lexicons already compiled for `config` (by [`lexicon::Lexicons::new`]),
    /// so that a caller can compile them while it loads the knowledge base.
    pub fn from_parts(config: Config, kb: Arc<Kb>, lexicons: lexicon::Lexicons) -> Engine {
        Engine {
            config,
            kb,
            lexicons,
            derived_entities: true,
        }
    }

    /// The same engine without the recognition of people and organisations the
    /// knowledge base does not list: `FileAnalysis::introduced` and `derived` stay empty.
    pub fn without_derived_entities(mut self) -> Engine {
        self.derived_entities = false;
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    pub fn kb_arc(&self) -> Arc<Kb> {
        Arc::clone(&self.kb)
    }

    /// Analyses one article.
    pub fn analyze(&self, text: &str) -> FileAnalysis {
        // A lone `\r` ends a line (old Mac files, some CMS exports), as in LSP and in
        // `text::LineIndex`. The steps below know `\n`: they read a copy where each
        // lone `\r` is a `\n`, which has the same length, so every byte offset holds.
        let text = &*lone_cr_as_lf(text);
        let doc = markdown::parse(text);
        let lang = doc
            .front_matter
            .lang
            .or(self.config.lang)
            .or_else(|| crate::lang::detect(&doc.prose_sample()));
        let mut out = FileAnalysis {
            lang,
            title: doc.title(),
            headings: doc.headings.clone(),
            problems: doc.problems.clone(),
            ..FileAnalysis::default()
        };

        let sentences = sentences::split_document(&doc, lang);
        out.sentences = sentences.iter().map(|s| s.source_range(&doc)).collect();

        // The verbs of saying of each paragraph, found once on first use and shared by
        // the quotation and attribution rules.
        let verbs = verbs::Verbs::new(&doc, &sentences, lang, &self.lexicons);
        let quotes = quotes::find(&doc, &sentences, lang, &self.lexicons, &verbs);
        let mut findings =
            attribution::check(&doc, &sentences, &quotes, lang, &self.lexicons, &verbs);
        out.quotes = quotes.iter().map(|q| q.to_public(&doc)).collect();

        out.mentions = doc.find_mentions(&self.kb);
        if self.derived_entities {
            (out.introduced, out.derived) = people::find(
                &doc,
                &sentences,
                lang,
                &self.lexicons,
                &verbs,
                &out.mentions,
            );
        }
        findings.extend(crate::kb::rules::check(
            text,
            &out.mentions,
            &self.kb,
            lang.unwrap_or(Lang::En),
            &out.sentences,
        ));

        // The optional rule on people quoted but never introduced reads the roster,
        // which only this rule needs during an analysis.
        if self.config.level(Rule::UnidentifiedSpeaker) != Level::Off {
            let lex = self.lexicons.get(lang.unwrap_or(Lang::En));
            let r = roster::build(text, &out, &self.kb, lex);
            findings.extend(roster::unidentified(
                &r,
                &out,
                text,
                lang.unwrap_or(Lang::En),
            ));
        }

        // Configured levels: drop rules that are off, apply severities.
        findings.retain_mut(|f| match self.config.level(f.rule) {
            Level::Off => false,
            Level::On(sev) => {
                // A finding the analysis made one step softer than its rule (an anonymous
                // source tied to an institution) stays one step below the configured level.
                f.severity = if f.severity < f.rule.default_severity() {
                    sev.softer()
                } else {
                    sev
                };
                true
            }
        });
        findings.sort_by_key(|f| (f.range.start, f.range.end, f.rule));

        let (kept, silenced, suppressions, problems) = suppress::apply(text, &doc, findings);
        out.findings = kept;
        out.suppressed = silenced;
        out.suppressions = suppressions;
        out.problems.extend(problems);
        out
    }
}

/// `text` with each `\r` that is not followed by `\n` replaced by `\n`: the same
/// bytes everywhere else, so offsets into one are offsets into the other.
pub fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |&i: &usize| bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(|i| lone(&i)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes).filter(lone) {
        out[i] = b'\n';
    }
    // One ASCII byte replaced by another keeps the text UTF-8.
    match String::from_utf8(out) {
        Ok(s) => std::borrow::Cow::Owned(s),
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_read_as_line_feeds() {
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(
            lone_cr_as_lf("a\r\nb\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        // The same findings, at the same places, whatever the line endings.
        let engine = Engine::new(Config::default(), Arc::new(Kb::empty()));
        let lf = "---\nlang: fr\n---\n# Titre\n\nLe ciel est bleu.\n\nLe convoi aurait franchi la frontière.\n";
        let cr = lf.replace('\n', "\r");
        let ranges = |t: &str| -> Vec<(Rule, Range<usize>)> {
            engine
                .analyze(t)
                .findings
                .into_iter()
                .map(|f| (f.rule, f.range))
                .collect()
        };
        assert!(!ranges(lf).is_empty());
        assert_eq!(ranges(lf), ranges(&cr));
    }
}
