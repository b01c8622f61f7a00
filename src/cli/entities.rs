//! `copydesk entities FILE…`: list every knowledge-base mention in articles.
//!
//! Each file is analysed with the configuration discovered from its folder (or
//! `--config`) and that configuration's knowledge base, exactly as `check` does, so
//! the list shows the mentions the entity rules see (prose only: code, front matter
//! and link targets are not searched). Folders are searched for `.md` and
//! `.markdown` files, honouring ignore files.
//!
//! Text output is one line per mention, `path:line:col  surface  id  kind`, columns
//! counted in characters; `--format json` prints an array of objects with the same
//! fields plus the end position and the byte range.
//!
//! `--derived` adds the people and organisations the knowledge base does not list, as
//! the articles introduce them (see [`crate::analysis::people`]): their id is their
//! derived key (`~tigran-hakobian`), and JSON rows carry `derived: true`, the full
//! `name` and the `description` the article gives.

use super::kb_check::{default_config, knowledge_paths};
use super::{EXIT_ERROR, EXIT_OK, Streams, ignore_broken_pipe};
use crate::analysis::Engine;
use crate::config::{self, Config};
use crate::kb::Kb;
use crate::text::{ColumnUnit, LineIndex};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Arguments of `copydesk entities`.
#[derive(Debug, clap::Args)]
pub struct EntitiesArgs {
    /// Markdown files, or folders to search for them.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = EntitiesFormat::Text)]
    pub format: EntitiesFormat,

    /// Use this configuration file for every file instead of discovering
    /// `copydesk.toml` from each file's folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also list the people and organisations the knowledge base does not list, as the
    /// articles introduce them.
    #[arg(long)]
    pub derived: bool,
}

/// Output formats of `copydesk entities`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EntitiesFormat {
    /// `path:line:col  surface  id  kind`, one mention per line.
    Text,
    /// A JSON array of mentions.
    Json,
}

/// One mention, as printed.
#[derive(Debug, Serialize)]
struct Row {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start: usize,
    end: usize,
    surface: String,
    id: String,
    kind: String,
    /// For a derived entity: its full name, its description, and `true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    derived: bool,
}

/// Runs `copydesk entities`.
pub fn run(args: &EntitiesArgs, streams: &mut Streams<'_>) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut failed = false;
    let mut error = |streams: &mut Streams<'_>, message: String| {
        let _ = writeln!(streams.err, "error: {message}");
        failed = true;
    };

    let mut files = Vec::new();
    for path in &args.files {
        if path.is_dir() {
            files.extend(markdown_files(path));
        } else {
            files.push(path.clone());
        }
    }

    // One engine per configuration file (`None`: no configuration found).
    let mut engines: HashMap<Option<PathBuf>, Arc<Engine>> = HashMap::new();
    let mut rows = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                error(streams, format!("{}: cannot read: {e}", file.display()));
                continue;
            }
        };
        let config_path = match &args.config {
            Some(path) => Some(path.clone()),
            None => {
                let start = file.parent().filter(|p| !p.as_os_str().is_empty());
                config::discover(start.unwrap_or(Path::new(".")))
            }
        };
        let engine = match engines.get(&config_path) {
            Some(engine) => Arc::clone(engine),
            None => {
                let config = match &config_path {
                    Some(path) => match Config::load(path) {
                        Ok(config) => config,
                        Err(e) => {
                            error(streams, e.to_string());
                            continue;
                        }
                    },
                    None => default_config(),
                };
                let paths = knowledge_paths(&config, config_path.as_deref(), &cwd);
                let (kb, errors) = Kb::load(config.builtin_knowledge, &paths);
                for e in errors {
                    error(streams, e.to_string());
                }
                // The people and organisations the knowledge base does not list are
                // recognised only when asked for.
                let engine = Engine::new(config, Arc::new(kb));
                let engine = Arc::new(if args.derived {
                    engine
                } else {
                    engine.without_derived_entities()
                });
                engines.insert(config_path.clone(), Arc::clone(&engine));
                engine
            }
        };
        let analysis = engine.analyze(&text);
        let index = LineIndex::new(&text);
        let shown = file.strip_prefix(".").unwrap_or(file).display().to_string();
        let file_first = rows.len();
        // One row per mention, of the knowledge base or derived from the prose.
        let row = |m: &crate::analysis::Mention,
                   kind: &str,
                   name: Option<String>,
                   description: Option<String>,
                   derived: bool| {
            let start = index.position(&text, m.range.start, ColumnUnit::Char);
            let end = index.position(&text, m.range.end, ColumnUnit::Char);
            Row {
                path: shown.clone(),
                line: start.line as usize + 1,
                column: start.col as usize + 1,
                end_line: end.line as usize + 1,
                end_column: end.col as usize + 1,
                start: m.range.start,
                end: m.range.end,
                surface: m.surface.clone(),
                id: m.entity.to_string(),
                kind: kind.to_string(),
                name,
                description,
                derived,
            }
        };
        for m in &analysis.mentions {
            let kind = engine.kb().get(&m.entity).map_or("", |e| e.kind.as_str());
            rows.push(row(m, kind, None, None, false));
        }
        if args.derived {
            for m in &analysis.derived {
                let Some(intro) = analysis.introduced.iter().find(|i| i.key == m.entity) else {
                    continue;
                };
                rows.push(row(
                    m,
                    intro.kind.as_str(),
                    Some(intro.name.clone()),
                    intro.description.clone(),
                    true,
                ));
            }
            // One list in document order, whichever base knows the entity.
            rows[file_first..].sort_by_key(|r| (r.start, r.derived));
        }
    }

    let output = match args.format {
        EntitiesFormat::Text => rows
            .iter()
            .map(|r| {
                format!(
                    "{}:{}:{}  {}  {}  {}\n",
                    r.path, r.line, r.column, r.surface, r.id, r.kind
                )
            })
            .collect::<String>(),
        EntitiesFormat::Json => match serde_json::to_string_pretty(&rows) {
            Ok(json) => json + "\n",
            Err(e) => {
                error(streams, format!("cannot write JSON: {e}"));
                String::new()
            }
        },
    };
    let _ = ignore_broken_pipe(
        streams
            .out
            .write_all(output.as_bytes())
            .and_then(|()| streams.out.flush()),
    );
    if failed { EXIT_ERROR } else { EXIT_OK }
}

/// The Markdown files below `dir`, in path order, honouring ignore files.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .is_some_and(|ext| ext == "md" || ext == "markdown")
        })
        .collect();
    out.sort();
    out
}
