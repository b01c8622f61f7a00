//! The rule registry: every rule copydesk knows, its code, default severity and
//! documentation page, and the [`Finding`] type the analysis produces.
//!
//! Rule pages live in `docs/rules/` and are embedded in the binary, so that
//! `copydesk explain`, the SARIF rule metadata and LSP hovers all serve the same text.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

/// How serious a finding is. `off` is a configuration value, not a severity: a rule
/// that is off produces no finding at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    /// One step less severe (a hint stays a hint).
    pub fn softer(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            Severity::Warning => Severity::Information,
            Severity::Information | Severity::Hint => Severity::Hint,
        }
    }

    /// The severity's name in `lang`, for messages shown to writers.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        use crate::lang::Lang;
        match (self, lang) {
            (Severity::Error, Lang::Fr) => "erreur",
            (Severity::Warning, Lang::Fr) => "avertissement",
            (Severity::Information, Lang::Fr) => "information",
            (Severity::Hint, Lang::Fr) => "suggestion",
            (s, Lang::En) => s.as_str(),
        }
    }

    /// Parses a severity name, accepting the common short forms.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule copydesk implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    UnattributedQuote,
    Hearsay,
    PassiveClaim,
    VagueSource,
    HouseSpelling,
    AcronymFirstUse,
    UnidentifiedSpeaker,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Rule::UnattributedQuote,
        Rule::Hearsay,
        Rule::PassiveClaim,
        Rule::VagueSource,
        Rule::HouseSpelling,
        Rule::AcronymFirstUse,
        Rule::UnidentifiedSpeaker,
    ];

    /// The stable code shown to users and used in configuration and suppressions.
    pub fn code(self) -> &'static str {
        match self {
            Rule::UnattributedQuote => "attribution/unattributed-quote",
            Rule::Hearsay => "attribution/hearsay",
            Rule::PassiveClaim => "attribution/passive-claim",
            Rule::VagueSource => "attribution/vague-source",
            Rule::HouseSpelling => "entities/house-spelling",
            Rule::AcronymFirstUse => "style/acronym-first-use",
            Rule::UnidentifiedSpeaker => "attribution/unidentified-speaker",
        }
    }

    /// Finds a rule by its full code (`attribution/hearsay`) or its short name (`hearsay`).
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.code() == code || r.code().rsplit('/').next() == Some(code))
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Rule::UnattributedQuote | Rule::Hearsay | Rule::PassiveClaim => Severity::Warning,
            Rule::VagueSource | Rule::HouseSpelling | Rule::UnidentifiedSpeaker => {
                Severity::Information
            }
            Rule::AcronymFirstUse => Severity::Hint,
        }
    }

    /// Whether the rule runs when the configuration says nothing of it. A rule that is
    /// off by default runs at its default severity once a level is configured for it.
    pub fn on_by_default(self) -> bool {
        !matches!(self, Rule::UnidentifiedSpeaker)
    }

    /// A one-line summary, for rule lists and SARIF `shortDescription`.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::UnattributedQuote => "A direct quotation whose speaker is named nowhere nearby.",
            Rule::Hearsay => {
                "Hearsay wording with no source: the French reportive conditional, \"reportedly\", \"allegedly\"."
            }
            Rule::PassiveClaim => {
                "An accusation or belief stated in the agentless passive: \"a été accusé de\", \"is widely believed\"."
            }
            Rule::VagueSource => {
                "A source is given but cannot be identified: \"selon des sources\", \"experts say\"."
            }
            Rule::HouseSpelling => {
                "A known actor written in a spelling other than the house spelling for the article's language."
            }
            Rule::AcronymFirstUse => "An acronym's first mention in an article is not expanded.",
            Rule::UnidentifiedSpeaker => {
                "A quoted person named only by a surname or a pronoun, never by full name or role (off by default)."
            }
        }
    }

    /// The one-line summary in `lang` (the rule pages themselves are in English).
    pub fn summary_in(self, lang: crate::lang::Lang) -> &'static str {
        use crate::lang::Lang;
        match (self, lang) {
            (_, Lang::En) => self.summary(),
            (Rule::UnattributedQuote, Lang::Fr) => {
                "Une citation directe dont l’auteur n’est nommé nulle part à proximité."
            }
            (Rule::Hearsay, Lang::Fr) => {
                "Une information rapportée sans source : conditionnel journalistique, « reportedly », « allegedly »."
            }
            (Rule::PassiveClaim, Lang::Fr) => {
                "Une accusation ou une croyance au passif sans auteur : « a été accusé de », « is widely believed »."
            }
            (Rule::VagueSource, Lang::Fr) => {
                "Une source est donnée mais ne peut être identifiée : « selon des sources », « des experts estiment »."
            }
            (Rule::HouseSpelling, Lang::Fr) => {
                "Un acteur connu écrit autrement que selon l’orthographe maison de la langue de l’article."
            }
            (Rule::AcronymFirstUse, Lang::Fr) => {
                "La première mention d’un sigle dans l’article n’est pas développée."
            }
            (Rule::UnidentifiedSpeaker, Lang::Fr) => {
                "Une personne citée nommée seulement par son nom de famille ou un pronom, jamais par son nom complet ou sa fonction (désactivée par défaut)."
            }
        }
    }

    /// The file name of the rule's page under `docs/rules/`.
    pub fn doc_file(self) -> &'static str {
        match self {
            Rule::UnattributedQuote => "unattributed-quote.md",
            Rule::Hearsay => "hearsay.md",
            Rule::PassiveClaim => "passive-claim.md",
            Rule::VagueSource => "vague-source.md",
            Rule::HouseSpelling => "house-spelling.md",
            Rule::AcronymFirstUse => "acronym-first-use.md",
            Rule::UnidentifiedSpeaker => "unidentified-speaker.md",
        }
    }

    /// The rule's documentation page, embedded at build time.
    pub fn doc(self) -> &'static str {
        match self {
            Rule::UnattributedQuote => include_str!("../docs/rules/unattributed-quote.md"),
            Rule::Hearsay => include_str!("../docs/rules/hearsay.md"),
            Rule::PassiveClaim => include_str!("../docs/rules/passive-claim.md"),
            Rule::VagueSource => include_str!("../docs/rules/vague-source.md"),
            Rule::HouseSpelling => include_str!("../docs/rules/house-spelling.md"),
            Rule::AcronymFirstUse => include_str!("../docs/rules/acronym-first-use.md"),
            Rule::UnidentifiedSpeaker => include_str!("../docs/rules/unidentified-speaker.md"),
        }
    }

    /// Where the rule's page is published: the repository's `docs/rules/` folder.
    pub fn doc_url(self) -> String {
        format!(
            "{}/blob/main/docs/rules/{}",
            env!("CARGO_PKG_REPOSITORY"),
            self.doc_file()
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One text edit: replace the bytes of `range` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A fix a user may apply: a title and the edits it makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
}

/// One diagnostic of the analysis. Ranges are byte offsets into the analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// The cue: the words that triggered the rule. The squiggle goes here.
    pub range: Range<usize>,
    /// The sentence the cue stands in.
    pub sentence: Range<usize>,
    /// The cue's text, as written.
    pub cue: String,
    /// What is wrong, quoting the cue.
    pub message: String,
    /// What an editor wants instead, in one sentence.
    pub help: String,
    /// Fixes a user may apply (quick fixes in the editor).
    pub fixes: Vec<Fix>,
}
