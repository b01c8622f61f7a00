//! `copydesk init [FOLDER]`: starts a newsroom's configuration.
//!
//! Writes a commented `copydesk.toml` (every key shown, most commented out, so that
//! a newsroom learns the settings by reading the file) and `knowledge/newsroom.toml`
//! with one example entity, valid for `copydesk kb check`. It never overwrites: if
//! either file exists, nothing is written and the exit code is 2, since the files a
//! newsroom already has are worth more than a template.

use super::{EXIT_ERROR, EXIT_OK, Streams};
use std::path::{Path, PathBuf};

/// The starter configuration.
pub const CONFIG_TEMPLATE: &str = include_str!("init/copydesk.toml");
/// The starter knowledge-base file, with one example entity.
pub const KNOWLEDGE_TEMPLATE: &str = include_str!("init/newsroom.toml");

/// Arguments of `copydesk init`.
#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// The folder to write into [default: the current folder]. It must exist.
    #[arg(value_name = "FOLDER")]
    pub folder: Option<PathBuf>,
}

/// Runs `copydesk init` and returns the exit code.
pub fn run(args: &InitArgs, streams: &mut Streams<'_>) -> i32 {
    let folder = args.folder.clone().unwrap_or_else(|| PathBuf::from("."));
    if !folder.is_dir() {
        let _ = writeln!(
            streams.err,
            "error: {} is not a folder (create it first)",
            folder.display()
        );
        return EXIT_ERROR;
    }
    let config = folder.join(crate::config::FILE_NAME);
    let knowledge_dir = folder.join("knowledge");
    let knowledge = knowledge_dir.join("newsroom.toml");
    // Both are checked before anything is written, so a refusal leaves no half-done
    // setup behind.
    let existing: Vec<&Path> = [config.as_path(), knowledge.as_path()]
        .into_iter()
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        for path in existing {
            let _ = writeln!(
                streams.err,
                "error: {} already exists; `copydesk init` never overwrites a file (edit it, or move it away first)",
                shown(path)
            );
        }
        return EXIT_ERROR;
    }
    let written = std::fs::create_dir_all(&knowledge_dir)
        .and_then(|()| create_new(&knowledge, KNOWLEDGE_TEMPLATE))
        .and_then(|()| create_new(&config, CONFIG_TEMPLATE));
    if let Err(e) = written {
        let _ = writeln!(streams.err, "error: cannot write the starter files: {e}");
        return EXIT_ERROR;
    }
    let _ = writeln!(
        streams.out,
        "wrote {} and {}\n\
         next: `copydesk check` lists the findings; `copydesk kb check` validates the knowledge base;\n\
         on an existing archive, `copydesk check --write-baseline copydesk-baseline.json` records today's findings\n\
         and `baseline = \"copydesk-baseline.json\"` in copydesk.toml reports only new ones",
        shown(&config),
        shown(&knowledge)
    );
    EXIT_OK
}

/// Writes a file that must not exist yet (so that a file created meanwhile is not
/// overwritten either).
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// A path without a leading `./`, as users write it.
fn shown(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_templates_are_valid() {
        let config = Config::parse(CONFIG_TEMPLATE, Path::new("copydesk.toml"))
            .expect("the starter copydesk.toml parses");
        assert_eq!(config.knowledge, ["knowledge"]);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("newsroom.toml");
        std::fs::write(&file, KNOWLEDGE_TEMPLATE).expect("write");
        let (kb, errors) = crate::kb::Kb::load(true, &[file]);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(kb.get("example-river-observatory").is_some());
    }
}
