//! `copydesk kb check [PATHS]`: validate knowledge-base files.
//!
//! The files are loaded exactly as `check` and the language server load them (over
//! the built-in base unless the configuration turns it off, so that `related` may name
//! built-in entities), and every problem is printed as `file:line:col: message`.
//! Without paths, the `knowledge` folders of the configuration discovered from the
//! current folder are checked. Exit code 0 prints `N entities OK`; any problem exits
//! with 2.
//!
//! [`knowledge_paths`] is shared with `copydesk entities`, which must load the same
//! knowledge base as `check` does.

use super::{EXIT_ERROR, EXIT_OK, Streams, ignore_broken_pipe};
use crate::config::{self, Config};
use crate::kb::Kb;
use std::path::{Path, PathBuf};

/// Arguments of `copydesk kb`.
#[derive(Debug, clap::Args)]
pub struct KbArgs {
    #[command(subcommand)]
    pub command: KbCommand,
}

/// The `kb` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KbCommand {
    /// Validate knowledge-base files: unknown keys, missing fields, duplicate ids,
    /// forms claimed by two entities, unknown related ids, bad dates and kinds.
    Check(KbCheckArgs),
}

/// Arguments of `copydesk kb check`.
#[derive(Debug, clap::Args)]
pub struct KbCheckArgs {
    /// Knowledge-base files or folders (searched for `*.toml`) [default: the
    /// `knowledge` paths of the discovered configuration].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Use this configuration file instead of discovering `copydesk.toml` from the
    /// current folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Runs `copydesk kb`.
pub fn run(args: &KbArgs, streams: &mut Streams<'_>) -> i32 {
    match &args.command {
        KbCommand::Check(check) => run_check(check, streams),
    }
}

fn run_check(args: &KbCheckArgs, streams: &mut Streams<'_>) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let found = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::discover(&cwd),
    };
    let (config, config_path) = match found {
        Some(path) => match Config::load(&path) {
            Ok(config) => (config, Some(path)),
            Err(e) => {
                let _ = writeln!(streams.err, "error: {e}");
                return EXIT_ERROR;
            }
        },
        None => (default_config(), None),
    };
    let paths = if args.paths.is_empty() {
        knowledge_paths(&config, config_path.as_deref(), &cwd)
    } else {
        args.paths.clone()
    };
    let (kb, errors) = Kb::load(config.builtin_knowledge, &paths);
    if !errors.is_empty() {
        let mut text = String::new();
        for e in &errors {
            text.push_str(&e.to_string());
            text.push('\n');
        }
        let _ = ignore_broken_pipe(streams.out.write_all(text.as_bytes()));
        let _ = writeln!(
            streams.err,
            "error: {} problem{} in the knowledge base",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        return EXIT_ERROR;
    }
    let builtin = kb
        .entities()
        .iter()
        .filter(|e| e.origin.source.is_builtin())
        .count();
    let workspace = kb.len() - builtin;
    let detail = match (builtin, workspace) {
        (0, _) => String::new(),
        (_, 0) => format!(" ({builtin} built-in)"),
        _ => format!(" ({builtin} built-in, {workspace} from the workspace)"),
    };
    let _ = ignore_broken_pipe(
        writeln!(streams.out, "{} entities OK{detail}", kb.len())
            .and_then(|()| streams.out.flush()),
    );
    EXIT_OK
}

/// The configuration of a project without `copydesk.toml`: what an empty file means.
pub(crate) fn default_config() -> Config {
    Config::parse("", Path::new(config::FILE_NAME)).unwrap_or_default()
}

/// The workspace knowledge paths of a configuration, relative to its folder (or to
/// `cwd` without a configuration file). The default `knowledge` folder may be absent;
/// a path the user configured is kept, so that loading reports it missing.
pub(crate) fn knowledge_paths(
    config: &Config,
    config_path: Option<&Path>,
    cwd: &Path,
) -> Vec<PathBuf> {
    let dir = config_path
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    let is_default = config.knowledge == ["knowledge"];
    config
        .knowledge
        .iter()
        .map(|entry| dir.join(entry))
        .filter(|path| !is_default || path.exists())
        .map(|path| match path.strip_prefix(cwd) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
            _ => path,
        })
        .collect()
}
