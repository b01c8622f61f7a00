//! `copydesk.toml`: the project configuration, how it is found and how it is read.
//!
//! The file is looked up from the checked path upwards. Every key is known: an
//! unknown key or a bad value is an error that names the file, the line and column,
//! and what is wrong, because a silently ignored setting is worse than a loud one.

use crate::lang::Lang;
use crate::rules::{Rule, Severity};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// The configuration file's name.
pub const FILE_NAME: &str = "copydesk.toml";

/// A rule's configured level: a severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "off" {
            return Ok(Level::Off);
        }
        Severity::parse(&s).map(Level::On).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown level `{s}`: expected one of error, warning, information, hint, off"
            ))
        })
    }
}

/// Extra lexicon entries for one language, added to the built-in lexicon. An entry
/// that is empty or only spaces is an error (it would match everywhere, or nothing).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LexiconExtra {
    /// Reporting verbs: a lemma (regular French `-er` verbs and English verbs are
    /// conjugated) or an exact form such as `a martelé`.
    #[serde(default, deserialize_with = "de_entries")]
    pub reporting_verbs: Vec<String>,
    /// Hearsay phrases, matched as written (case-insensitive).
    #[serde(default, deserialize_with = "de_entries")]
    pub hearsay: Vec<String>,
    /// Accusation and belief verbs, as past participles (`épinglé`, `slammed`).
    #[serde(default, deserialize_with = "de_entries")]
    pub accusation_verbs: Vec<String>,
    /// Vague-source phrases, matched as written (case-insensitive).
    #[serde(default, deserialize_with = "de_entries")]
    pub vague_sources: Vec<String>,
    /// Institutions whose name makes a source identifiable (`parquet`, `Pentagon`).
    #[serde(default, deserialize_with = "de_entries")]
    pub institutions: Vec<String>,
    /// Nouns for people by their role (`bâtonnier`, `alderman`): a quotation tagged by a
    /// determiner and one of these is attributed to that person.
    #[serde(default, deserialize_with = "de_entries")]
    pub people: Vec<String>,
}

const EMPTY_ENTRY: &str = "an empty lexicon entry: write a word or a phrase, or remove the entry";

/// One lexicon entry, refused when it is blank.
struct Entry(String);

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            return Err(serde::de::Error::custom(EMPTY_ENTRY));
        }
        Ok(Entry(s))
    }
}

/// The offset of the first blank lexicon entry of a configuration's text.
fn blank_entry(text: &str) -> Option<usize> {
    type Entries = BTreeMap<String, Vec<toml::Spanned<String>>>;
    #[derive(Deserialize)]
    struct Lexicons {
        #[serde(default)]
        lexicon: BTreeMap<String, Entries>,
    }
    let doc: Lexicons = toml::from_str(text).ok()?;
    doc.lexicon
        .values()
        .flat_map(BTreeMap::values)
        .flatten()
        .filter(|e| e.get_ref().trim().is_empty())
        .map(|e| e.span().start)
        .min()
}

fn de_entries<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Vec::<Entry>::deserialize(d)?
        .into_iter()
        .map(|e| e.0)
        .collect())
}

/// Language-server options; also settable from the editor.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LspOptions {
    /// Show the "N findings · M quoted sources · K entities" lens above the first heading.
    pub code_lens: bool,
    /// Delay between the last keystroke and the diagnostics, in milliseconds.
    pub debounce_ms: u64,
}

impl Default for LspOptions {
    fn default() -> Self {
        LspOptions {
            code_lens: true,
            debounce_ms: 150,
        }
    }
}

/// The whole configuration, with defaults for every key.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The default language of articles without `lang` in their front matter.
    /// `None` (or `"auto"`) means detection.
    #[serde(default, deserialize_with = "de_lang")]
    pub lang: Option<Lang>,
    /// Globs (relative to the configuration's folder) of the files to check.
    /// Empty means every `.md` and `.markdown` file.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files never to check, on top of `.gitignore`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Folders or files of the workspace knowledge base, relative to the configuration.
    #[serde(default = "default_knowledge")]
    pub knowledge: Vec<String>,
    /// Whether the built-in knowledge base is loaded.
    #[serde(default = "default_true")]
    pub builtin_knowledge: bool,
    /// Per-rule levels, by full code or short name.
    #[serde(default, deserialize_with = "de_rules")]
    pub rules: BTreeMap<Rule, Level>,
    /// Extra lexicon entries per language.
    #[serde(default)]
    pub lexicon: LexiconExtras,
    #[serde(default)]
    pub lsp: LspOptions,
    /// The baseline file (relative to the configuration's folder): findings it records
    /// are not reported, by `copydesk check` and by the language server alike.
    #[serde(default, deserialize_with = "de_baseline")]
    pub baseline: Option<String>,
}

impl Default for Config {
    /// The configuration of an empty `copydesk.toml`: every rule at its default level,
    /// the built-in knowledge base and the workspace's `knowledge/` folder.
    fn default() -> Self {
        Config {
            lang: None,
            include: Vec::new(),
            exclude: Vec::new(),
            knowledge: default_knowledge(),
            builtin_knowledge: true,
            rules: BTreeMap::new(),
            lexicon: LexiconExtras::default(),
            lsp: LspOptions::default(),
            baseline: None,
        }
    }
}

/// Extra lexicon entries for each language.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LexiconExtras {
    #[serde(default)]
    pub fr: LexiconExtra,
    #[serde(default)]
    pub en: LexiconExtra,
}

impl LexiconExtras {
    pub fn get(&self, lang: Lang) -> &LexiconExtra {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

fn default_knowledge() -> Vec<String> {
    vec!["knowledge".to_string()]
}

fn default_true() -> bool {
    true
}

fn de_lang<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Lang>, D::Error> {
    let s = String::deserialize(d)?;
    if s == "auto" {
        return Ok(None);
    }
    Lang::parse(&s).map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!("unknown language `{s}`: expected fr, en or auto"))
    })
}

fn de_baseline<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "baseline must be a file path, such as \"copydesk-baseline.json\"",
        ));
    }
    Ok(Some(s))
}

fn de_rules<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<Rule, Level>, D::Error> {
    let raw = BTreeMap::<String, Level>::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (code, level) in raw {
        let rule = Rule::from_code(&code).ok_or_else(|| {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
            serde::de::Error::custom(format!(
                "unknown rule `{code}`: expected one of {}",
                known.join(", ")
            ))
        })?;
        out.insert(rule, level);
    }
    Ok(out)
}

impl Config {
    /// The level of `rule`: the configured one, else the rule's default severity (or
    /// off, for a rule that is off by default).
    pub fn level(&self, rule: Rule) -> Level {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or(if rule.on_by_default() {
                Level::On(rule.default_severity())
            } else {
                Level::Off
            })
    }

    /// Parses a configuration from TOML text. `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str::<Config>(text).map_err(|e| {
            let mut err = ConfigError::from_toml(path, text, &e);
            // The TOML error points at the list; point at the blank entry itself.
            if err.message.contains(EMPTY_ENTRY) {
                if let Some(at) = blank_entry(text) {
                    (err.line, err.col) = line_col_1based(text, at);
                }
            }
            err
        })
    }

    /// Reads and parses the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_text(path, path)?;
        Config::parse(&text, path)
    }

    /// Merges a JSON object of settings (from an editor) over this configuration.
    /// Keys are the same as in `copydesk.toml`.
    pub fn merged_with_json(&self, overrides: &serde_json::Value) -> Result<Config, String> {
        let base = toml::Value::try_from(ConfigView::from(self)).map_err(|e| e.to_string())?;
        let mut base = match base {
            toml::Value::Table(t) => t,
            _ => return Err("configuration is not a table".into()),
        };
        let over: toml::Value =
            serde_json::from_value(overrides.clone()).map_err(|e| e.to_string())?;
        if let toml::Value::Table(over) = over {
            merge_tables(&mut base, over);
        } else if !overrides.is_null() {
            return Err("settings must be an object".into());
        }
        let text = toml::to_string(&base).map_err(|e| e.to_string())?;
        toml::from_str::<Config>(&text).map_err(|e| e.message().to_string())
    }
}

fn merge_tables(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_tables(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// A serialisable mirror of [`Config`], used to merge editor settings over it.
#[derive(serde::Serialize)]
struct ConfigView {
    lang: String,
    include: Vec<String>,
    exclude: Vec<String>,
    knowledge: Vec<String>,
    builtin_knowledge: bool,
    rules: BTreeMap<String, String>,
    lexicon: BTreeMap<String, LexiconExtra>,
    lsp: BTreeMap<String, toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<String>,
}

impl From<&Config> for ConfigView {
    fn from(c: &Config) -> Self {
        // The lexicon serialises itself, so that a key added to it can never be
        // dropped when editor settings are merged over the file.
        let lex = |l: &LexiconExtra| l.clone();
        ConfigView {
            lang: c.lang.map_or("auto", Lang::code).to_string(),
            include: c.include.clone(),
            exclude: c.exclude.clone(),
            knowledge: c.knowledge.clone(),
            builtin_knowledge: c.builtin_knowledge,
            rules: c
                .rules
                .iter()
                .map(|(r, l)| {
                    let level = match l {
                        Level::Off => "off",
                        Level::On(s) => s.as_str(),
                    };
                    (r.code().to_string(), level.to_string())
                })
                .collect(),
            lexicon: BTreeMap::from([
                ("fr".to_string(), lex(&c.lexicon.fr)),
                ("en".to_string(), lex(&c.lexicon.en)),
            ]),
            lsp: BTreeMap::from([
                (
                    "code_lens".to_string(),
                    toml::Value::Boolean(c.lsp.code_lens),
                ),
                (
                    "debounce_ms".to_string(),
                    toml::Value::Integer(c.lsp.debounce_ms.min(i64::MAX as u64) as i64),
                ),
            ]),
            baseline: c.baseline.clone(),
        }
    }
}

/// Globs matched like `.gitignore` patterns, used for the configuration's `include` and
/// `exclude` by both `copydesk check` and the language server: a pattern with a `/` is anchored at the
/// configuration's folder, one without matches a file or folder name at any depth,
/// and a pattern that matches a folder matches everything inside it.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    anchored: GlobSet,
    floating: GlobSet,
}

impl Globs {
    /// Builds the two sets; an invalid pattern is returned with its error message.
    pub fn new(patterns: &[String]) -> Result<Globs, (String, String)> {
        let mut anchored = GlobSetBuilder::new();
        let mut floating = GlobSetBuilder::new();
        for pattern in patterns {
            let trimmed = pattern.trim_end_matches('/');
            let (target, glob) = match trimmed.strip_prefix('/') {
                Some(rest) => (&mut anchored, rest),
                None if trimmed.contains('/') => (&mut anchored, trimmed),
                None => (&mut floating, trimmed),
            };
            let glob = GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
                .map_err(|e| (pattern.clone(), e.kind().to_string()))?;
            target.add(glob);
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| (String::new(), e.to_string()));
        Ok(Globs {
            anchored: build(anchored)?,
            floating: build(floating)?,
        })
    }

    /// Whether `rel` (relative to the configuration's folder) or one of its folders
    /// matches.
    pub fn matches(&self, rel: &Path) -> bool {
        let mut prefix = PathBuf::new();
        for component in rel.components() {
            let Component::Normal(name) = component else {
                continue;
            };
            prefix.push(name);
            if self.anchored.is_match(&prefix) || self.floating.is_match(Path::new(name)) {
                return true;
            }
        }
        false
    }
}

/// Finds `copydesk.toml` in `start` (a file's folder or a folder) or any parent.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// A problem in a file a newsroom writes (`copydesk.toml`, a knowledge-base file),
/// positioned at a 1-based line and character column (both 0 when the problem has no
/// position, such as an unreadable file). Displays as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl FileError {
    /// Builds an error from a `toml` error, turning its byte span into a line and column.
    pub fn from_toml(path: &Path, text: &str, e: &toml::de::Error) -> FileError {
        let (line, col) = match e.span() {
            Some(span) => line_col_1based(text, span.start),
            None => (0, 0),
        };
        FileError {
            path: path.to_path_buf(),
            line,
            col,
            message: e.message().trim().to_string(),
        }
    }
}

/// Reads a file a newsroom writes as UTF-8 text. A file that is not UTF-8 (a binary
/// file saved as `copydesk.toml`) is an error positioned at the first byte that is
/// not; `shown` is the path used in messages.
pub fn read_text(path: &Path, shown: &Path) -> Result<String, FileError> {
    let error = |line, col, message| FileError {
        path: shown.to_path_buf(),
        line,
        col,
        message,
    };
    let bytes = crate::files::read_regular(path, crate::files::DEFAULT_MAX_FILE_SIZE)
        .map_err(|e| error(0, 0, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let valid = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let (line, col) = line_col_1based(valid, at);
        error(
            line,
            col,
            format!("not UTF-8 text: byte {at} is not valid UTF-8 (is this a binary file?)"),
        )
    })
}

/// The 1-based line and character column of byte `offset` in `text`.
pub fn line_col_1based(text: &str, offset: usize) -> (usize, usize) {
    let idx = crate::text::LineIndex::new(text);
    let pos = idx.position(text, offset, crate::text::ColumnUnit::Char);
    (pos.line as usize + 1, pos.col as usize + 1)
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                self.line,
                self.col,
                self.message
            )
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)
        }
    }
}

impl std::error::Error for FileError {}

/// An error in `copydesk.toml`.
pub type ConfigError = FileError;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("copydesk.toml"))
    }

    #[test]
    fn defaults_when_empty() {
        let c = parse("").expect("empty config parses");
        assert_eq!(c, Config::default());
        assert_eq!(c.lang, None);
        assert_eq!(c.knowledge, vec!["knowledge"]);
        assert!(c.builtin_knowledge);
        assert_eq!(c.level(Rule::Hearsay), Level::On(Severity::Warning));
        assert_eq!(c.lsp.debounce_ms, 150);
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            r#"
lang = "fr"
include = ["articles/**"]
exclude = ["archive/**"]
knowledge = ["kb"]
builtin_knowledge = false
[rules]
"attribution/vague-source" = "off"
hearsay = "error"
[lexicon.fr]
reporting_verbs = ["marteler"]
[lsp]
code_lens = false
"#,
        )
        .expect("valid config");
        assert_eq!(c.lang, Some(Lang::Fr));
        assert_eq!(c.level(Rule::VagueSource), Level::Off);
        assert_eq!(c.level(Rule::Hearsay), Level::On(Severity::Error));
        assert_eq!(c.lexicon.fr.reporting_verbs, vec!["marteler"]);
        assert!(!c.lsp.code_lens);
        assert!(!c.builtin_knowledge);
    }

    #[test]
    fn unknown_key_is_positioned() {
        let e = parse("lang = \"fr\"\n\nfoo = 1\n").expect_err("unknown key");
        assert_eq!((e.line, e.col), (3, 1), "{e}");
        assert!(e.message.contains("foo"), "{e}");
    }

    #[test]
    fn bad_values_are_positioned() {
        let e = parse("[rules]\nhearsay = \"loud\"\n").expect_err("bad level");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("loud"), "{e}");
        let e = parse("[rules]\n\"attribution/nope\" = \"off\"\n").expect_err("bad rule");
        assert!(e.message.contains("attribution/nope"), "{e}");
        let e = parse("lang = \"de\"\n").expect_err("bad lang");
        assert_eq!((e.line, e.col), (1, 8), "{e}");
    }

    #[test]
    fn baseline_is_a_path_kept_by_editor_settings() {
        let c = parse("baseline = \"copydesk-baseline.json\"\n").expect("valid");
        assert_eq!(c.baseline.as_deref(), Some("copydesk-baseline.json"));
        let merged = c
            .merged_with_json(&serde_json::json!({"lang": "fr"}))
            .expect("merge");
        assert_eq!(merged.baseline, c.baseline);
        let e = parse("lang = \"fr\"\nbaseline = \"\"\n").expect_err("empty path");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("baseline"), "{e}");
        let e = parse("baseline = 3\n").expect_err("not a string");
        assert_eq!((e.line, e.col), (1, 12), "{e}");
    }

    #[test]
    fn empty_lexicon_entries_are_positioned() {
        let e =
            parse("[lexicon.fr]\nhearsay = [\"à ce qu'on dit\", \"\"]\n").expect_err("empty entry");
        assert_eq!((e.line, e.col), (2, 30), "{e}");
        assert!(e.message.contains("empty lexicon entry"), "{e}");
        let e = parse("[lexicon.en]\nvague_sources = [\n  \"  \",\n]\n").expect_err("blank");
        assert_eq!((e.line, e.col), (3, 3), "{e}");
    }

    #[test]
    fn a_binary_file_is_an_error_with_a_position() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, b"lang = \"fr\"\n\x00\x9f\x92\x96 binary\n").expect("write");
        let e = Config::load(&path).expect_err("binary");
        assert_eq!((e.line, e.col), (2, 2), "{e}");
        assert!(e.message.contains("not UTF-8"), "{e}");
        assert!(e.to_string().contains("copydesk.toml:2:2:"), "{e}");
    }

    #[test]
    fn editor_settings_merge_over_file() {
        let c = parse("lang = \"fr\"\n[rules]\nhearsay = \"error\"\n").expect("valid");
        let merged = c
            .merged_with_json(
                &serde_json::json!({"rules": {"vague-source": "off"}, "lsp": {"code_lens": false}}),
            )
            .expect("merge");
        assert_eq!(merged.lang, Some(Lang::Fr));
        assert_eq!(merged.level(Rule::Hearsay), Level::On(Severity::Error));
        assert_eq!(merged.level(Rule::VagueSource), Level::Off);
        assert!(!merged.lsp.code_lens);
        assert!(
            c.merged_with_json(&serde_json::json!({"bogus": 1}))
                .is_err()
        );
    }

    #[test]
    fn every_lexicon_key_survives_editor_settings() {
        let c = parse(
            "[lexicon.fr]\npeople = [\"bâtonnier\"]\ninstitutions = [\"parquet\"]\n[lexicon.en]\npeople = [\"alderman\"]\n",
        )
        .expect("valid");
        let merged = c
            .merged_with_json(&serde_json::json!({"lexicon": {"en": {"hearsay": ["word is"]}}}))
            .expect("merge");
        assert_eq!(merged.lexicon.fr, c.lexicon.fr);
        assert_eq!(merged.lexicon.en.people, vec!["alderman"]);
        assert_eq!(merged.lexicon.en.hearsay, vec!["word is"]);
    }
}
