//! The workspace's settings as the server uses them: configuration, knowledge base,
//! analysis engine and file filter, loaded together and swapped together.
//!
//! A [`Workspace`] is immutable. When `copydesk.toml`, a knowledge-base file or the
//! editor's settings change, the server loads a new one with a higher generation and
//! swaps it in; analyses made with an older generation are then redone. Loading
//! follows `copydesk check` exactly (configuration found from the workspace folder
//! upwards, knowledge paths relative to it, the default `knowledge` folder optional;
//! without a configuration file, the workspace folder stands for its folder, as the
//! current folder does for `check`) so that the editor and CI never disagree. Editor settings (`initializationOptions`
//! and `workspace/didChangeConfiguration`) are merged over the file.

use crate::analysis::{Engine, FileAnalysis};
use crate::baseline::{self, Baseline};
use crate::config::{self, Config};
use crate::corpus::FileFilter;
use crate::kb::Kb;
use crate::kb::model::{Entity, Source};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Everything derived from the configuration and the knowledge base.
pub struct Workspace {
    /// Increases with every reload; analyses remember the generation they used.
    pub generation: u64,
    pub engine: Arc<Engine>,
    /// The configuration file in force, if any.
    pub config_path: Option<PathBuf>,
    /// Whether workspace knowledge is read: next to a configuration file, or in the
    /// workspace folder when there is none.
    pub anchored: bool,
    /// The folder globs and knowledge paths are relative to.
    pub base: PathBuf,
    /// The workspace knowledge-base files and folders (absolute).
    pub knowledge: Vec<PathBuf>,
    pub filter: FileFilter,
    /// The project's baseline (`baseline` in `copydesk.toml`), when it loaded.
    pub baseline: Option<ProjectBaseline>,
}

/// A baseline as the server applies it.
pub struct ProjectBaseline {
    /// The baseline file (absolute).
    pub path: PathBuf,
    /// Its canonical folder, which the paths in it are relative to.
    pub dir: PathBuf,
    pub baseline: Baseline,
}

impl Workspace {
    pub fn config(&self) -> &Config {
        self.engine.config()
    }

    pub fn kb(&self) -> &Kb {
        self.engine.kb()
    }

    /// Loads the workspace of the folder `root` (the first workspace folder), with
    /// `overrides` from the editor merged over the file. Problems are returned as
    /// messages for the log; a broken configuration falls back to the defaults so
    /// that the server keeps working.
    pub fn load(
        root: Option<&Path>,
        overrides: &serde_json::Value,
        generation: u64,
    ) -> (Workspace, Vec<String>) {
        let mut problems = Vec::new();
        let config_path = root.and_then(config::discover);
        let base = config_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| root.map(Path::to_path_buf))
            .unwrap_or_default();
        let mut config = match &config_path {
            Some(path) => Config::load(path).unwrap_or_else(|e| {
                problems.push(format!("configuration error, using the defaults: {e}"));
                default_config()
            }),
            None => default_config(),
        };
        if !overrides.is_null() {
            match config.merged_with_json(overrides) {
                Ok(merged) => config = merged,
                Err(e) => problems.push(format!("editor settings ignored: {e}")),
            }
        }
        // As in `copydesk check`, workspace knowledge is read next to the
        // configuration file, or without one in the workspace folder (as if an empty
        // `copydesk.toml` stood there); the default `knowledge` folder may be absent.
        let mut knowledge = Vec::new();
        let anchored = config_path.is_some() || root.is_some();
        if anchored {
            let is_default = config.knowledge == ["knowledge"];
            for entry in &config.knowledge {
                let path = base.join(entry);
                if is_default && !path.exists() {
                    continue;
                }
                knowledge.push(path);
            }
        }
        let (kb, errors) = Kb::load(config.builtin_knowledge, &knowledge);
        problems.extend(errors.into_iter().map(|e| format!("knowledge base: {e}")));
        let (filter, glob_errors) = FileFilter::new(&config, &base);
        problems.extend(
            glob_errors
                .into_iter()
                .map(|e| format!("configuration: {e}")),
        );
        // The baseline is read as `copydesk check` reads it, relative to the
        // configuration's folder; a broken one is reported and not applied.
        let baseline = match (&config_path, &config.baseline) {
            (Some(_), Some(name)) => {
                let path = base.join(name);
                match Baseline::load(&path) {
                    Ok(baseline) => Some(ProjectBaseline {
                        dir: path
                            .parent()
                            .and_then(|d| std::fs::canonicalize(d).ok())
                            .unwrap_or_else(|| base.clone()),
                        path,
                        baseline,
                    }),
                    Err(e) => {
                        problems.push(format!("baseline not applied: {e}"));
                        None
                    }
                }
            }
            _ => None,
        };
        let engine = Arc::new(Engine::new(config, Arc::new(kb)));
        (
            Workspace {
                generation,
                engine,
                config_path,
                anchored,
                base,
                knowledge,
                filter,
                baseline,
            },
            problems,
        )
    }

    /// A workspace around an engine built elsewhere (tests, benchmarks), with no
    /// configuration file: globs are relative to `base`.
    pub fn with_engine(engine: Arc<Engine>, base: &Path, generation: u64) -> Workspace {
        let (filter, _) = FileFilter::new(engine.config(), base);
        Workspace {
            generation,
            engine,
            config_path: None,
            anchored: false,
            base: base.to_path_buf(),
            knowledge: Vec::new(),
            filter,
            baseline: None,
        }
    }

    /// An empty workspace, before `initialize` has said where the files are.
    pub fn empty() -> Workspace {
        Workspace::load(None, &serde_json::Value::Null, 0).0
    }

    /// Takes out of `analysis` the findings the project's baseline accounts for, as
    /// `copydesk check` does, so that a writer sees in the editor what CI reports.
    /// `path` is the document's file; a buffer without one is left as it is.
    pub fn apply_baseline(&self, path: Option<&Path>, text: &str, analysis: &mut FileAnalysis) {
        let (Some(project), Some(path)) = (&self.baseline, path) else {
            return;
        };
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let key = baseline::file_key(&project.dir, &canonical);
        let findings = std::mem::take(&mut analysis.findings);
        let (kept, _) = project.baseline.matcher().partition(&key, text, findings);
        analysis.findings = kept;
    }

    /// Whether a change to `path` means the configuration or the knowledge base must
    /// be reloaded.
    pub fn is_settings_file(&self, path: &Path) -> bool {
        if path.file_name().is_some_and(|n| n == config::FILE_NAME) {
            return true;
        }
        if self.baseline_path().is_some_and(|b| b == path) {
            return true;
        }
        // Every configured knowledge path counts, even one that did not exist at load
        // time: creating the `knowledge` folder must be noticed too.
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        is_toml
            && self.anchored
            && self
                .config()
                .knowledge
                .iter()
                .any(|k| path.starts_with(self.base.join(k)))
    }

    /// The configured baseline file (absolute), whether or not it loaded.
    pub fn baseline_path(&self) -> Option<PathBuf> {
        self.config_path.as_ref()?;
        self.config().baseline.as_ref().map(|b| self.base.join(b))
    }

    /// The workspace knowledge-base file new entities are appended to: the first
    /// configured knowledge file, or in the first configured folder `entities.toml`
    /// if it exists, else its first TOML file, else a new `entities.toml`. `None`
    /// without a configuration file or a workspace folder, since workspace knowledge
    /// is read next to one. The flag says whether the file exists.
    pub fn knowledge_target(&self) -> Option<(PathBuf, bool)> {
        if !self.anchored {
            return None;
        }
        let first = self.config().knowledge.first().map(|k| self.base.join(k))?;
        if first.is_file() {
            return Some((first, true));
        }
        if first.extension().is_some_and(|e| e == "toml") && !first.exists() {
            return Some((first, false));
        }
        let preferred = first.join("entities.toml");
        if preferred.is_file() {
            return Some((preferred, true));
        }
        let mut tomls: Vec<PathBuf> = std::fs::read_dir(&first)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
                    .collect()
            })
            .unwrap_or_default();
        tomls.sort();
        match tomls.into_iter().next() {
            Some(path) => Some((path, true)),
            None => Some((preferred, false)),
        }
    }
}

/// The configuration of a project without `copydesk.toml`: what an empty file means.
/// `Config::default()` is not that, because serde's per-field defaults (such as the
/// built-in knowledge base being on) only apply when parsing.
pub fn default_config() -> Config {
    Config::parse("", Path::new(config::FILE_NAME)).unwrap_or_default()
}

/// Where an entity is defined, as a file and a zero-based line. A workspace entity is
/// in its own file. A built-in one lives inside the binary, so its data file is
/// written (once, read-only) to a cache folder and that copy is returned: the user
/// always lands on a readable definition.
pub fn entity_location(entity: &Entity) -> Option<(PathBuf, u32)> {
    let line = entity.origin.line.saturating_sub(1) as u32;
    match &entity.origin.source {
        Source::Workspace(path) => {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            Some((path, line))
        }
        Source::Builtin(name) => {
            let text = crate::kb::builtin_file(name)?;
            let path = builtin_copy(name, text)?;
            Some((path, line))
        }
    }
}

/// Writes a built-in knowledge file to `$XDG_CACHE_HOME/copydesk/knowledge/<version>/`
/// (or `~/.cache/…`, or the temporary folder), read-only, unless an identical copy is
/// already there. The version in the path keeps copies of different releases apart.
fn builtin_copy(name: &str, text: &str) -> Option<PathBuf> {
    // Remember the copies already checked, so that listing many built-in entities
    // (workspace symbols) does not reread the same file for each of them.
    static WRITTEN: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let written = WRITTEN.get_or_init(Mutex::default);
    let mut written = written.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(path) = written.get(name).filter(|p| p.is_file()) {
        return Some(path.clone());
    }
    let path = write_builtin_copy(name, text)?;
    written.insert(name.to_string(), path.clone());
    Some(path)
}

fn write_builtin_copy(name: &str, text: &str) -> Option<PathBuf> {
    let dir = cache_dir()
        .join("copydesk")
        .join("knowledge")
        .join(env!("CARGO_PKG_VERSION"));
    let path = dir.join(name);
    if std::fs::read_to_string(&path).is_ok_and(|existing| existing == text) {
        return Some(path);
    }
    std::fs::create_dir_all(&dir).ok()?;
    // A stale read-only copy cannot be overwritten in place: remove it first.
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, text).ok()?;
    if let Ok(meta) = std::fs::metadata(&path) {
        let mut perms = meta.permissions();
        perms.set_readonly(true);
        let _ = std::fs::set_permissions(&path, perms);
    }
    Some(path)
}

fn cache_dir() -> PathBuf {
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    from_env("XDG_CACHE_HOME")
        .or_else(|| from_env("HOME").map(|h| h.join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_the_builtin_knowledge() {
        let (ws, problems) = Workspace::load(None, &serde_json::Value::Null, 1);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(ws.config().builtin_knowledge);
        assert!(ws.knowledge.is_empty());
        assert_eq!(ws.knowledge_target(), None);
    }

    #[test]
    fn without_a_configuration_the_workspace_folder_knowledge_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir(root.join("knowledge")).expect("folder");
        std::fs::write(root.join("knowledge/broken.toml"), "[[entity]]\nid = \n").expect("write");
        let (ws, problems) = Workspace::load(Some(&root), &serde_json::Value::Null, 1);
        assert_eq!(ws.config_path, None);
        assert_eq!(ws.knowledge, vec![root.join("knowledge")]);
        assert!(
            problems.iter().any(|p| p.contains("broken.toml")),
            "{problems:?}"
        );
        assert!(ws.is_settings_file(&root.join("knowledge/other.toml")));
    }

    #[test]
    fn bad_settings_fall_back_and_are_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("copydesk.toml"), "bogus = 1\n").expect("write");
        let overrides = serde_json::json!({"rules": {"nope": "off"}});
        let (ws, problems) = Workspace::load(Some(dir.path()), &overrides, 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("bogus"), "{problems:?}");
        assert!(ws.config().builtin_knowledge);
    }

    #[test]
    fn the_baseline_hides_what_it_records() {
        use crate::baseline::Fingerprint;
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let text = "---\nlang: fr\n---\n\nLe ministre aurait démissionné.\n\nLe convoi aurait franchi la frontière.\n";
        let article = root.join("a.md");
        std::fs::write(&article, text).expect("write");
        let (ws, _) = Workspace::load(Some(&root), &serde_json::Value::Null, 1);
        let analysis = ws.engine.analyze(text);
        assert_eq!(analysis.findings.len(), 2, "{:?}", analysis.findings);
        // Record the first finding only.
        let mut recorded = Baseline::default();
        recorded.add(Fingerprint::of("a.md", text, &analysis.findings[0]));
        recorded.save(&root.join("b.json")).expect("save");
        std::fs::write(root.join("copydesk.toml"), "baseline = \"b.json\"\n").expect("write");

        let (ws, problems) = Workspace::load(Some(&root), &serde_json::Value::Null, 2);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(ws.is_settings_file(&root.join("b.json")));
        let mut analysis = ws.engine.analyze(text);
        ws.apply_baseline(Some(&article), text, &mut analysis);
        assert_eq!(analysis.findings.len(), 1);
        assert_eq!(analysis.findings[0].cue, "aurait franchi");

        std::fs::write(root.join("copydesk.toml"), "baseline = \"missing.json\"\n").expect("write");
        let (ws, problems) = Workspace::load(Some(&root), &serde_json::Value::Null, 3);
        assert!(ws.baseline.is_none());
        assert!(problems[0].contains("missing.json"), "{problems:?}");
    }

    #[test]
    fn knowledge_target_prefers_existing_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::write(root.join("copydesk.toml"), "").expect("write");
        let (ws, _) = Workspace::load(Some(&root), &serde_json::Value::Null, 1);
        assert_eq!(
            ws.knowledge_target(),
            Some((root.join("knowledge").join("entities.toml"), false))
        );
        std::fs::create_dir(root.join("knowledge")).expect("mkdir");
        std::fs::write(root.join("knowledge").join("people.toml"), "").expect("write");
        assert_eq!(
            ws.knowledge_target(),
            Some((root.join("knowledge").join("people.toml"), true))
        );
        assert!(ws.is_settings_file(&root.join("copydesk.toml")));
        assert!(!ws.is_settings_file(&root.join("a.md")));
    }
}
