//! The knowledge base's data model: [`Entity`] and what it holds, as the rest of
//! copydesk sees it once loaded and checked.
//!
//! The TOML format is documented in `docs/knowledge-format.md`; the raw, spanned
//! structures that read it live in [`super::load`]. Everything here is plain owned
//! data, so that the language server can hover, jump and list without knowing TOML.

use crate::lang::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Per-language values, by language code (`en`, `fr`, `ru`, ...).
pub type LangMap<T> = BTreeMap<String, T>;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Person,
    Country,
    City,
    Region,
    Organisation,
    Treaty,
    Event,
    Company,
    Media,
    WeaponSystem,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Person,
        Kind::Country,
        Kind::City,
        Kind::Region,
        Kind::Organisation,
        Kind::Treaty,
        Kind::Event,
        Kind::Company,
        Kind::Media,
        Kind::WeaponSystem,
        Kind::Other,
    ];

    /// The name written in data files and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Country => "country",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Organisation => "organisation",
            Kind::Treaty => "treaty",
            Kind::Event => "event",
            Kind::Company => "company",
            Kind::Media => "media",
            Kind::WeaponSystem => "weapon-system",
            Kind::Other => "other",
        }
    }

    /// Parses a kind as written in a data file.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind's name in a language, for hovers.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Kind::Person, Lang::Fr) => "personne",
            (Kind::Country, Lang::Fr) => "pays",
            (Kind::City, Lang::Fr) => "ville",
            (Kind::Region, Lang::Fr) => "région",
            (Kind::Organisation, Lang::Fr) => "organisation",
            (Kind::Treaty, Lang::Fr) => "traité",
            (Kind::Event, Lang::Fr) => "événement",
            (Kind::Company, Lang::Fr) => "entreprise",
            (Kind::Media, Lang::Fr) => "média",
            (Kind::WeaponSystem, Lang::Fr) => "système d’armes",
            (Kind::Other, Lang::Fr) => "autre",
            (Kind::WeaponSystem, Lang::En) => "weapon system",
            (kind, Lang::En) => kind.as_str(),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fact about an entity, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub en: String,
    pub fr: String,
    /// When the fact was last true, for facts that change: `YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

impl Fact {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// Named relations to other entities, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// The relation's name: `member-of`, `capital-of`, `head-of`, ...
    pub name: String,
    /// Target entity ids.
    pub ids: Vec<String>,
}

impl Relation {
    /// The relation's name in a language, for hovers; unknown names are shown as
    /// written.
    pub fn label(&self, lang: Lang) -> &str {
        let (en, fr) = match self.name.as_str() {
            "member-of" => ("member of", "membre de"),
            "part-of" => ("part of", "partie de"),
            "capital-of" => ("capital of", "capitale de"),
            "head-of" => ("head of", "à la tête de"),
            "located-in" => ("located in", "situé dans"),
            "operated-by" => ("operated by", "exploité par"),
            "made-by" => ("made by", "fabriqué par"),
            "owned-by" => ("owned by", "détenu par"),
            "successor-of" => ("successor of", "successeur de"),
            "held-in" => ("held in", "tenu à"),
            "party-to" => ("party to", "partie à"),
            "observer-of" => ("observer of", "observateur de"),
            "spokesperson-of" => ("spokesperson of", "porte-parole de"),
            other => (other, other),
        };
        match lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// One house spelling: the form a newsroom writes and the variants it replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseSpelling {
    pub preferred: String,
    pub variants: Vec<String>,
}

/// Where an entity's data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A built-in data file, by file name (`countries.toml`); its text is
    /// [`super::builtin_file`].
    Builtin(&'static str),
    /// A workspace file, as given to [`super::Kb::load`].
    Workspace(PathBuf),
}

impl Source {
    /// The path shown to users: `knowledge/NAME` for a built-in file (where it lives
    /// in copydesk's repository), the given path for a workspace file.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Source::Builtin(name) => Path::new("knowledge").join(name),
            Source::Workspace(path) => path.clone(),
        }
    }

    pub fn is_builtin(&self) -> bool {
        matches!(self, Source::Builtin(_))
    }
}

/// Where an entity is defined: its file and the 1-based line of its `[[entity]]`
/// header, for "go to definition".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Origin {
    pub source: Source,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source.display_path().display(), self.line)
    }
}

/// How a surface form relates to its entity (see [`Entity::form_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// The canonical name in some language.
    Name,
    /// An alias, or a house spelling (preferred or variant).
    Alias,
    /// An acronym, written with its capitals.
    Acronym,
    /// A demonym (adjective or noun of nationality).
    Demonym,
}

/// A person, state, place, organisation, treaty, event, company, medium or weapon
/// system that articles mention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// Stable slug: `[a-z0-9-]+`.
    pub id: String,
    pub kind: Kind,
    /// Canonical name per language; always has `en` and `fr`.
    pub name: LangMap<String>,
    /// One or two factual sentences per language; always has `en` and `fr`.
    pub description: LangMap<String>,
    pub aliases: LangMap<Vec<String>>,
    /// Acronyms per language, matched case-sensitively.
    pub acronyms: LangMap<Vec<String>>,
    /// Demonyms per language, every inflection spelt out.
    pub demonyms: LangMap<Vec<String>>,
    /// House spellings per language.
    pub house_spelling: LangMap<Vec<HouseSpelling>>,
    /// Relations to other entities, in file order.
    pub related: Vec<Relation>,
    /// Facts, in file order.
    pub facts: Vec<Fact>,
    /// A verified Wikidata QID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    pub origin: Origin,
    /// The keys of the forms, for [`Entity::form_of`].
    #[serde(skip)]
    pub form_keys: FormKeys,
}

/// The key of each form of an entity (cased for acronyms), computed the first time
/// [`Entity::form_of`] needs them: folding every form again at every mention cost
/// more than the rest of the acronym rule. A copy starts empty, since its forms may
/// then change; the keys take no part in comparisons.
#[derive(Debug, Default)]
pub struct FormKeys(std::sync::OnceLock<Vec<(String, Form)>>);

impl Clone for FormKeys {
    fn clone(&self) -> Self {
        FormKeys::default()
    }
}

impl PartialEq for FormKeys {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for FormKeys {}

impl Entity {
    /// The canonical name in `lang` (every loaded entity has one in both languages).
    pub fn name(&self, lang: Lang) -> &str {
        lang_value(&self.name, lang)
    }

    /// The description in `lang`.
    pub fn description(&self, lang: Lang) -> &str {
        lang_value(&self.description, lang)
    }

    /// The acronyms, the ones of `lang` first.
    pub fn acronyms_for(&self, lang: Lang) -> impl Iterator<Item = &str> {
        let own = self.acronyms.get(lang.code()).into_iter().flatten();
        let others = self
            .acronyms
            .iter()
            .filter(move |(code, _)| code.as_str() != lang.code())
            .flat_map(|(_, v)| v.iter());
        own.chain(others).map(String::as_str)
    }

    /// The house spellings of `lang`.
    pub fn house_spelling(&self, lang: Lang) -> &[HouseSpelling] {
        self.house_spelling
            .get(lang.code())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Every form the matcher recognises for this entity, with its kind and whether it
    /// is case-sensitive, in a stable order: names, aliases, house spellings,
    /// acronyms, demonyms.
    pub fn forms(&self) -> impl Iterator<Item = (&str, Form)> {
        let names = self.name.values().map(|s| (s.as_str(), Form::Name));
        let aliases = self
            .aliases
            .values()
            .flatten()
            .map(|s| (s.as_str(), Form::Alias));
        let house = self.house_spelling.values().flatten().flat_map(|h| {
            std::iter::once(h.preferred.as_str())
                .chain(h.variants.iter().map(String::as_str))
                .map(|s| (s, Form::Alias))
        });
        let acronyms = self
            .acronyms
            .values()
            .flatten()
            .map(|s| (s.as_str(), Form::Acronym));
        let demonyms = self
            .demonyms
            .values()
            .flatten()
            .map(|s| (s.as_str(), Form::Demonym));
        names
            .chain(aliases)
            .chain(house)
            .chain(acronyms)
            .chain(demonyms)
    }

    /// Whether the entity has an acronym in any language.
    pub fn has_acronyms(&self) -> bool {
        self.acronyms.values().any(|v| !v.is_empty())
    }

    /// How `surface` (a mention of this entity, as written) names it, or `None` when
    /// it is none of its forms. Names and aliases win over acronyms, so an entity
    /// whose name is its acronym (`MBDA`) is never treated as an unexpanded acronym;
    /// acronyms must match with their capitals.
    pub fn form_of(&self, surface: &str) -> Option<Form> {
        use super::normalize::{cased_key, key};
        let keys = self.form_keys.0.get_or_init(|| {
            self.forms()
                .map(|(form, kind)| match kind {
                    Form::Acronym => (cased_key(form), kind),
                    _ => (key(form), kind),
                })
                .collect()
        });
        let folded = key(surface);
        let mut cased = None;
        let mut best: Option<Form> = None;
        for (form_key, kind) in keys {
            let kind = *kind;
            let matches = match kind {
                Form::Acronym => *cased.get_or_insert_with(|| cased_key(surface)) == *form_key,
                _ => *form_key == folded,
            };
            if matches {
                best = Some(match (best, kind) {
                    (Some(Form::Name), _) | (_, Form::Name) => Form::Name,
                    (Some(Form::Alias), _) | (_, Form::Alias) => Form::Alias,
                    (Some(Form::Acronym), _) | (_, Form::Acronym) => Form::Acronym,
                    _ => Form::Demonym,
                });
            }
        }
        best
    }
}

/// The value for `lang`, else English, else French, else any.
fn lang_value(map: &LangMap<String>, lang: Lang) -> &str {
    map.get(lang.code())
        .or_else(|| map.get("en"))
        .or_else(|| map.get("fr"))
        .or_else(|| map.values().next())
        .map(String::as_str)
        .unwrap_or_default()
}
