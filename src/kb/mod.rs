//! The knowledge base: people, states, organisations, treaties and events, and the
//! matcher that finds them in prose in every spelling a newsroom uses.
//!
//! - [`model`]: [`Entity`] and its parts, as the rest of copydesk sees them;
//! - [`load`](Kb::load): the TOML files (`docs/knowledge-format.md`), checked with
//!   `file:line:col` errors; the built-in files in `knowledge/` are embedded at build
//!   time (`build.rs` lists them), workspace files add entities and replace built-in
//!   ones by id;
//! - `normalize` and `matcher`: one Aho-Corasick automaton over a normalised copy of
//!   the text (case, accents, apostrophes, hyphens, spaces), with word boundaries and
//!   case-sensitive acronyms checked per candidate;
//! - [`rules`]: `entities/house-spelling` and `style/acronym-first-use`.
//!
//! The analysis calls [`Kb::find`] on each prose block; the language server uses the
//! lookups ([`Kb::get`], [`Kb::index_of`], [`Kb::search`], [`Kb::related_to`]) and
//! each entity's [`Origin`] for hover, definition and workspace symbols.

mod load;
mod matcher;
pub mod model;
pub mod normalize;
pub mod rules;

pub use load::KbError;
pub use matcher::Scratch;
pub use model::{Entity, Fact, Form, HouseSpelling, Kind, LangMap, Origin, Relation, Source};

use matcher::Matcher;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One match of the knowledge base in a prose string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbMatch {
    /// Byte range in the searched string, on character boundaries.
    pub range: Range<usize>,
    /// Index into [`Kb::entities`].
    pub entity: usize,
}

/// The loaded knowledge base. Immutable once built, and shared between threads.
#[derive(Debug, Default)]
pub struct Kb {
    entities: Vec<Entity>,
    by_id: HashMap<String, usize>,
    matcher: Matcher,
    /// Folded keys of every form, for [`Kb::search`]; built on first use.
    search_keys: OnceLock<Vec<(String, usize)>>,
}

thread_local! {
    /// Per-thread buffers for [`Kb::find`], so that matching allocates nothing once
    /// they have grown.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Kb {
    /// A knowledge base with no entity: matches nothing.
    pub fn empty() -> Kb {
        Kb::default()
    }

    /// The built-in knowledge base alone. Errors in the built-in data (which a test
    /// rules out) are printed to standard error; whatever loaded is kept.
    pub fn builtin() -> Kb {
        let (kb, errors) = Kb::load(true, &[]);
        for e in errors {
            eprintln!("copydesk: built-in knowledge base: {e}");
        }
        kb
    }

    /// Loads the built-in base (when `builtin`) and the workspace `paths`: files, or
    /// folders searched recursively for `*.toml`. A broken file or entity is reported
    /// and skipped; everything else loads.
    pub fn load(builtin: bool, paths: &[PathBuf]) -> (Kb, Vec<KbError>) {
        load::load(builtin, paths)
    }

    /// Like [`Kb::load`], with workspace files given as `(path, text)`: for tests and
    /// for unsaved editor buffers. Paths are only used in errors and origins.
    pub fn load_texts(builtin: bool, files: &[(PathBuf, String)]) -> (Kb, Vec<KbError>) {
        load::load_texts(builtin, files)
    }

    pub(crate) fn from_parts(
        entities: Vec<Entity>,
        by_id: HashMap<String, usize>,
        matcher: Matcher,
    ) -> Kb {
        Kb {
            entities,
            by_id,
            matcher,
            search_keys: OnceLock::new(),
        }
    }

    /// Every entity; a [`KbMatch::entity`] indexes this slice.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.index_of(id).and_then(|i| self.entities.get(i))
    }

    /// The index of the entity with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The entity at `index`.
    pub fn entity(&self, index: usize) -> Option<&Entity> {
        self.entities.get(index)
    }

    /// Number of distinct patterns in the matcher (forms after normalisation).
    pub fn pattern_count(&self) -> usize {
        self.matcher.pattern_count()
    }

    /// Every mention in one prose string: byte ranges into `text`, sorted and
    /// non-overlapping, each the longest form at its place.
    pub fn find(&self, text: &str) -> Vec<KbMatch> {
        let mut out = Vec::new();
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.find_with(text, &mut scratch, &mut out),
            // Only reachable if a caller re-entered `find` on this thread; a fresh
            // buffer is slower but correct.
            Err(_) => self.find_with(text, &mut Scratch::default(), &mut out),
        });
        out
    }

    /// Like [`Kb::find`], appending to `out` and using the caller's buffers.
    pub fn find_with(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<KbMatch>) {
        self.matcher.find(text, scratch, out);
    }

    /// Entities whose name, alias or acronym starts with `query` (or has a word that
    /// does), ignoring case and accents, best first: exact forms, then prefixes of the
    /// whole form, then prefixes of a word; ties in entity order. An empty query
    /// lists every entity. At most `limit` results.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let q = normalize::key(query);
        if q.is_empty() {
            return (0..self.entities.len()).take(limit).collect();
        }
        let keys = self.search_keys.get_or_init(|| {
            let mut keys = Vec::new();
            for (i, e) in self.entities.iter().enumerate() {
                keys.push((normalize::key(&e.id), i));
                for (form, kind) in e.forms() {
                    if kind != Form::Demonym {
                        keys.push((normalize::key(form), i));
                    }
                }
            }
            keys
        });
        let mut best: HashMap<usize, u8> = HashMap::new();
        for (key, i) in keys {
            let rank = if *key == q {
                0
            } else if key.starts_with(&q) {
                1
            } else if key
                .match_indices(&q)
                .any(|(at, _)| key[..at].ends_with([' ', '\'', '-']))
            {
                2
            } else {
                continue;
            };
            let slot = best.entry(*i).or_insert(rank);
            *slot = (*slot).min(rank);
        }
        let mut ranked: Vec<(u8, usize)> = best.into_iter().map(|(i, r)| (r, i)).collect();
        ranked.sort_unstable();
        ranked.into_iter().take(limit).map(|(_, i)| i).collect()
    }

    /// The entities that name `id` in their `related` table, with the relation:
    /// the members of an organisation, the cities of a country. In entity order.
    pub fn related_to(&self, id: &str) -> Vec<(&str, usize)> {
        let mut out = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            for r in &e.related {
                if r.ids.iter().any(|t| t == id) {
                    out.push((r.name.as_str(), i));
                }
            }
        }
        out
    }
}

/// The built-in data files, as `(file name, text)`, for showing an entity's
/// definition when it is built in.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    load::BUILTIN_FILES
}

/// The text of one built-in data file, by file name.
pub fn builtin_file(name: &str) -> Option<&'static str> {
    load::BUILTIN_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small knowledge base for the tests of this module and its children.

    use super::Kb;
    use std::path::PathBuf;

    pub const TOML: &str = r#"
[[entity]]
id = "csto"
kind = "organisation"
name = { en = "Collective Security Treaty Organization", fr = "Organisation du traité de sécurité collective" }
description = { en = "A military alliance.", fr = "Une alliance militaire." }
aliases = { en = ["Collective Security Treaty Organisation"] }
acronyms = { en = ["CSTO"], fr = ["OTSC"], ru = ["ОДКБ"] }

[[entity]]
id = "armenia"
kind = "country"
name = { en = "Armenia", fr = "Arménie" }
description = { en = "A country.", fr = "Un pays." }
demonyms = { en = ["Armenian", "Armenians"], fr = ["arménien", "arménienne", "arméniens", "arméniennes"] }

[[entity]]
id = "azerbaijan"
kind = "country"
name = { en = "Azerbaijan", fr = "Azerbaïdjan" }
description = { en = "A country.", fr = "Un pays." }
demonyms = { en = ["Azerbaijani", "Azerbaijanis"], fr = ["azerbaïdjanais", "azerbaïdjanaise", "azerbaïdjanaises", "azéri", "azérie", "azéris", "azéries"] }

[[entity]]
id = "israel"
kind = "country"
name = { en = "Israel", fr = "Israël" }
description = { en = "A country.", fr = "Un pays." }

[[entity]]
id = "iran"
kind = "country"
name = { en = "Iran", fr = "Iran" }
description = { en = "A country.", fr = "Un pays." }

[[entity]]
id = "united-states"
kind = "country"
name = { en = "United States", fr = "États-Unis" }
description = { en = "A country.", fr = "Un pays." }
acronyms = { en = ["US", "U.S.", "USA"] }

[[entity]]
id = "nagorno-karabakh"
kind = "region"
name = { en = "Nagorno-Karabakh", fr = "Haut-Karabakh" }
description = { en = "A region.", fr = "Une région." }
aliases = { en = ["Karabakh"], fr = ["Karabagh"], hy = ["Artsakh"] }

[[entity]]
id = "eu"
kind = "organisation"
name = { en = "European Union", fr = "Union européenne" }
description = { en = "A union.", fr = "Une union." }
acronyms = { en = ["EU"], fr = ["UE"] }

[[entity]]
id = "un"
kind = "organisation"
name = { en = "United Nations", fr = "Organisation des Nations unies" }
description = { en = "A body.", fr = "Un organisme." }
aliases = { fr = ["Nations unies"] }
acronyms = { en = ["UN"], fr = ["ONU"] }

[[entity]]
id = "ap"
kind = "media"
name = { en = "Associated Press", fr = "Associated Press" }
description = { en = "A news agency.", fr = "Une agence de presse." }
acronyms = { en = ["AP"] }

[[entity]]
id = "minsk"
kind = "city"
name = { en = "Minsk", fr = "Minsk" }
description = { en = "A city.", fr = "Une ville." }

[[entity]]
id = "minsk-group"
kind = "organisation"
name = { en = "OSCE Minsk Group", fr = "groupe de Minsk de l’OSCE" }
description = { en = "A mediation group.", fr = "Un groupe de médiation." }
aliases = { en = ["Minsk Group"], fr = ["groupe de Minsk"] }

[[entity]]
id = "euma"
kind = "organisation"
name = { en = "European Union Mission in Armenia", fr = "Mission de l’Union européenne en Arménie" }
description = { en = "A mission.", fr = "Une mission." }
acronyms = { en = ["EUMA"], fr = ["EUMA"] }

[[entity]]
id = "cop29"
kind = "event"
name = { en = "2024 United Nations Climate Change Conference", fr = "Conférence de Bakou sur le climat" }
description = { en = "A conference.", fr = "Une conférence." }
acronyms = { en = ["COP29"], fr = ["COP29"] }

[[entity]]
id = "mbda"
kind = "company"
name = { en = "MBDA", fr = "MBDA" }
description = { en = "A missile maker.", fr = "Un fabricant de missiles." }
acronyms = { en = ["MBDA"] }

[[entity]]
id = "bayraktar-tb2"
kind = "weapon-system"
name = { en = "Bayraktar TB2", fr = "Bayraktar TB2" }
description = { en = "A drone.", fr = "Un drone." }
acronyms = { en = ["TB2"] }

[[entity]]
id = "le-monde"
kind = "media"
name = { en = "Le Monde", fr = "Le Monde" }
description = { en = "A newspaper.", fr = "Un quotidien." }

[[entity]]
id = "paris"
kind = "city"
name = { en = "Paris", fr = "Paris" }
description = { en = "A city.", fr = "Une ville." }

[[entity]]
id = "nikol-pashinyan"
kind = "person"
name = { en = "Nikol Pashinyan", fr = "Nikol Pachinian" }
description = { en = "A prime minister.", fr = "Un Premier ministre." }

[entity.house_spelling.fr]
"Pachinian" = ["Pashinyan", "Pachinyan"]
"Nikol Pachinian" = ["Nikol Pashinyan"]

[entity.house_spelling.en]
"Pashinyan" = ["Pachinian"]

[entity.related]
"head-of" = ["armenia"]

[[entity]]
id = "erdogan"
kind = "person"
name = { en = "Recep Tayyip Erdoğan", fr = "Recep Tayyip Erdoğan" }
description = { en = "A president.", fr = "Un président." }

[entity.house_spelling.fr]
"Erdoğan" = ["Erdogan"]
"#;

    /// The fixture, loaded as one workspace file with no built-in base.
    pub fn kb() -> Kb {
        let (kb, errors) =
            Kb::load_texts(false, &[(PathBuf::from("fixture.toml"), TOML.to_string())]);
        assert!(errors.is_empty(), "fixture errors: {errors:#?}");
        kb
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every match as `(surface, id)`, checking that ranges are sorted, disjoint and
    /// on character boundaries.
    fn found(kb: &Kb, text: &str) -> Vec<(String, String)> {
        let matches = kb.find(text);
        for pair in matches.windows(2) {
            assert!(
                pair[0].range.end <= pair[1].range.start,
                "sorted, disjoint: {matches:?}"
            );
        }
        matches
            .iter()
            .map(|m| {
                assert!(text.is_char_boundary(m.range.start) && text.is_char_boundary(m.range.end));
                (
                    text[m.range.clone()].to_string(),
                    kb.entities()[m.entity].id.clone(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn french_elision_with_both_apostrophes() {
        let kb = fixture::kb();
        assert_eq!(
            found(&kb, "l’OTSC, l'OTSC, lʼOTSC, d’Arménie, qu’Israël, l' AP"),
            pairs(&[
                ("OTSC", "csto"),
                ("OTSC", "csto"),
                ("OTSC", "csto"),
                ("Arménie", "armenia"),
                ("Israël", "israel"),
                ("AP", "ap"),
            ])
        );
        assert_eq!(
            found(&kb, "L’UE et l’ONU"),
            pairs(&[("UE", "eu"), ("ONU", "un")])
        );
    }

    #[test]
    fn spaces_nbsp_and_hyphen_variants() {
        let kb = fixture::kb();
        for text in [
            "Haut-Karabakh",
            "Haut Karabakh",
            "Haut\u{2011}Karabakh",
            "Haut\u{2013}Karabakh",
            "Haut\u{a0}Karabakh",
            "Haut\u{202f}Karabakh",
            "Haut  \n  Karabakh",
            "Haut-\u{ad}Karabakh",
        ] {
            assert_eq!(
                found(&kb, &format!("Le {text} est")),
                pairs(&[(text, "nagorno-karabakh")]),
                "{text:?}"
            );
        }
        assert_eq!(
            found(&kb, "les Nations\u{202f}unies"),
            pairs(&[("Nations\u{202f}unies", "un")])
        );
    }

    #[test]
    fn accents_and_case_are_ignored_for_names() {
        let kb = fixture::kb();
        for text in [
            "Arménie",
            "Armenie",
            "ARMÉNIE",
            "Arme\u{301}nie",
            "ARME\u{301}NIE",
        ] {
            assert_eq!(
                found(&kb, &format!("en {text}.")),
                pairs(&[(text, "armenia")]),
                "{text:?}"
            );
        }
        assert_eq!(
            found(&kb, "Israel, Israël"),
            pairs(&[("Israel", "israel"), ("Israël", "israel")])
        );
        // A house-spelling variant is recognised too, so that the rule can flag it.
        assert_eq!(found(&kb, "M. Erdogan"), pairs(&[("Erdogan", "erdogan")]));
        assert_eq!(found(&kb, "M. ERDOĞAN"), pairs(&[("ERDOĞAN", "erdogan")]));
    }

    #[test]
    fn capitalised_words_stay_capitalised() {
        let kb = fixture::kb();
        assert_eq!(
            found(&kb, "selon Le Monde, LE MONDE"),
            pairs(&[("Le Monde", "le-monde"), ("LE MONDE", "le-monde")])
        );
        // Common words that happen to spell a name.
        assert!(found(&kb, "tout le monde le sait ; Le monde entier ; les paris").is_empty());
        assert_eq!(found(&kb, "à Paris"), pairs(&[("Paris", "paris")]));
        assert!(found(&kb, "en arménie").is_empty());
        // Lower-case forms (French demonyms) match any capitalisation.
        assert_eq!(
            found(&kb, "les Arméniens"),
            pairs(&[("Arméniens", "armenia")])
        );
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        let kb = fixture::kb();
        assert_eq!(found(&kb, "OTSC"), pairs(&[("OTSC", "csto")]));
        assert!(found(&kb, "otsc Otsc oTSC").is_empty());
        assert_eq!(found(&kb, "ОДКБ"), pairs(&[("ОДКБ", "csto")]));
        assert!(found(&kb, "одкб").is_empty());
        // French articles and English pronouns are not acronyms.
        assert!(found(&kb, "un accord, une ue, the us, Us").is_empty());
        assert_eq!(
            found(&kb, "the UN and the US"),
            pairs(&[("UN", "un"), ("US", "united-states")])
        );
        assert_eq!(
            found(&kb, "U.S. officials"),
            pairs(&[("U.S.", "united-states")])
        );
        // A name that is also its acronym matches in any case.
        assert_eq!(found(&kb, "Mbda"), pairs(&[("Mbda", "mbda")]));
    }

    #[test]
    fn word_boundaries() {
        let kb = fixture::kb();
        assert!(
            found(
                &kb,
                "QUEUE, APPEL, Irangate, UNESCO, Minsker, EUMAS, COP290"
            )
            .is_empty()
        );
        assert_eq!(found(&kb, "Iran-Contra"), pairs(&[("Iran", "iran")]));
        assert_eq!(found(&kb, "(UE)"), pairs(&[("UE", "eu")]));
        assert_eq!(found(&kb, "**OTSC**"), pairs(&[("OTSC", "csto")]));
        assert_eq!(found(&kb, "COP29,"), pairs(&[("COP29", "cop29")]));
        assert_eq!(
            found(&kb, "Arménie Azerbaïdjan Iran"),
            pairs(&[
                ("Arménie", "armenia"),
                ("Azerbaïdjan", "azerbaijan"),
                ("Iran", "iran")
            ])
        );
    }

    #[test]
    fn english_possessives() {
        let kb = fixture::kb();
        assert_eq!(
            found(
                &kb,
                "Azerbaijan's army, Azerbaijan’s army, the CSTO's members, Armenians'"
            ),
            pairs(&[
                ("Azerbaijan", "azerbaijan"),
                ("Azerbaijan", "azerbaijan"),
                ("CSTO", "csto"),
                ("Armenians", "armenia"),
            ])
        );
    }

    #[test]
    fn plural_and_feminine_demonyms() {
        let kb = fixture::kb();
        assert_eq!(
            found(
                &kb,
                "les forces arméniennes, un soldat arménien, les Arméniens, des frappes azéries, l’armée azerbaïdjanaise, Azerbaijanis"
            ),
            pairs(&[
                ("arméniennes", "armenia"),
                ("arménien", "armenia"),
                ("Arméniens", "armenia"),
                ("azéries", "azerbaijan"),
                ("azerbaïdjanaise", "azerbaijan"),
                ("Azerbaijanis", "azerbaijan"),
            ])
        );
    }

    #[test]
    fn longest_form_wins_and_shorter_forms_survive_a_rejection() {
        let kb = fixture::kb();
        assert_eq!(
            found(&kb, "Haut-Karabakh, Karabakh, Artsakh"),
            pairs(&[
                ("Haut-Karabakh", "nagorno-karabakh"),
                ("Karabakh", "nagorno-karabakh"),
                ("Artsakh", "nagorno-karabakh"),
            ])
        );
        assert_eq!(
            found(&kb, "the Minsk Group met"),
            pairs(&[("Minsk Group", "minsk-group")])
        );
        // `Minsk Group` is no match here, and `Minsk` must still be found.
        assert_eq!(found(&kb, "Minsk Groupe"), pairs(&[("Minsk", "minsk")]));
        assert_eq!(
            found(&kb, "Organisation du traité de sécurité collective (OTSC)"),
            pairs(&[
                ("Organisation du traité de sécurité collective", "csto"),
                ("OTSC", "csto"),
            ])
        );
    }

    #[test]
    fn ranges_map_back_through_multibyte_text() {
        let kb = fixture::kb();
        let text =
            "« Les frappes » — selon l’Œuvre, à Bakou… l’OTSC\u{a0}; 😀 États-Unis ; ÉTATS UNIS.";
        assert_eq!(
            found(&kb, text),
            pairs(&[
                ("OTSC", "csto"),
                ("États-Unis", "united-states"),
                ("ÉTATS UNIS", "united-states")
            ])
        );
    }

    #[test]
    fn empty_kb_and_empty_text() {
        assert!(Kb::empty().find("OTSC").is_empty());
        assert!(fixture::kb().find("").is_empty());
        assert!(fixture::kb().find("   ").is_empty());
    }

    #[test]
    fn lookups() {
        let kb = fixture::kb();
        let i = kb.index_of("csto").expect("csto");
        assert_eq!(kb.entity(i).map(|e| e.id.as_str()), Some("csto"));
        assert_eq!(kb.get("csto").map(|e| e.kind), Some(Kind::Organisation));
        assert!(kb.get("nope").is_none());
        let ids = |v: Vec<usize>| -> Vec<String> {
            v.into_iter().map(|i| kb.entities()[i].id.clone()).collect()
        };
        assert_eq!(ids(kb.search("otsc", 5)), vec!["csto"]);
        assert_eq!(ids(kb.search("armé", 5)), vec!["armenia", "euma"]);
        assert_eq!(ids(kb.search("pach", 5)), vec!["nikol-pashinyan"]);
        assert_eq!(kb.search("", 3).len(), 3);
        let related: Vec<(&str, String)> = kb
            .related_to("armenia")
            .into_iter()
            .map(|(r, i)| (r, kb.entities()[i].id.clone()))
            .collect();
        assert_eq!(related, vec![("head-of", "nikol-pashinyan".to_string())]);
    }

    #[test]
    fn forms_are_classified() {
        let kb = fixture::kb();
        let csto = kb.get("csto").expect("csto");
        assert_eq!(csto.form_of("OTSC"), Some(Form::Acronym));
        assert_eq!(csto.form_of("Otsc"), None);
        assert_eq!(
            csto.form_of("organisation du traite de securite collective"),
            Some(Form::Name)
        );
        let mbda = kb.get("mbda").expect("mbda");
        assert_eq!(mbda.form_of("MBDA"), Some(Form::Name));
        let armenia = kb.get("armenia").expect("armenia");
        assert_eq!(armenia.form_of("arméniennes"), Some(Form::Demonym));
    }

    proptest::proptest! {
        /// Whatever the text, matching never panics and its ranges keep the contract:
        /// sorted, disjoint, on character boundaries, each a form of its entity.
        #[test]
        fn ranges_keep_the_contract(
            text in "([A-Za-zÀ-ÿ0-9’'ʼ \u{a0}\u{202f}\u{301}\u{ad}\u{200b}«»().,;:!?—–‑-]|OTSC|UE|Arménie|Haut-Karabakh|l’|😀){0,40}"
        ) {
            let kb = fixture::kb();
            let matches = kb.find(&text);
            let mut last_end = 0;
            for m in &matches {
                proptest::prop_assert!(m.range.start >= last_end && m.range.start < m.range.end);
                proptest::prop_assert!(text.is_char_boundary(m.range.start));
                proptest::prop_assert!(text.is_char_boundary(m.range.end));
                let surface = &text[m.range.clone()];
                proptest::prop_assert!(kb.entities()[m.entity].form_of(surface).is_some(), "{surface:?}");
                last_end = m.range.end;
            }
        }

        /// The offset map is monotonic and lands on character boundaries.
        #[test]
        fn offsets_map_back_monotonically(text in "\\PC{0,60}") {
            let mut n = normalize::Normalized::default();
            n.fold(&text);
            let mut last = 0;
            for at in 0..=n.as_bytes().len() {
                let orig = n.to_original(at);
                proptest::prop_assert!(orig >= last && orig <= text.len());
                last = orig;
            }
        }
    }

    #[test]
    fn builtin_knowledge_base_loads_without_errors() {
        let (kb, errors) = Kb::load(true, &[]);
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            errors.is_empty(),
            "built-in data errors:\n{}",
            shown.join("\n")
        );
        assert!(kb.len() >= 120, "only {} built-in entities", kb.len());
        for (name, _) in builtin_files() {
            assert!(builtin_file(name).is_some());
        }
    }

    #[test]
    fn builtin_embeds_every_data_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".toml"))
                    .collect()
            })
            .unwrap_or_default();
        on_disk.sort();
        let embedded: Vec<String> = builtin_files().iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(embedded, on_disk);
    }
}
