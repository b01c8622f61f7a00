//! Build script: lists every `knowledge/*.toml` file so that the built-in knowledge
//! base embeds all of them with `include_str!`.
//!
//! Listing the folder here, rather than naming the files in the source, means that a
//! data file added to `knowledge/` is embedded without touching any Rust code, and a
//! renamed one cannot be silently left out.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let Some(manifest) = env::var_os("CARGO_MANIFEST_DIR") else {
        panic!("cargo sets CARGO_MANIFEST_DIR for build scripts");
    };
    let Some(out_dir) = env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts");
    };
    let dir = PathBuf::from(manifest).join("knowledge");
    // Cargo scans a folder given here recursively, so adding, editing or removing a
    // data file reruns this script.
    println!("cargo::rerun-if-changed=knowledge");

    let mut files: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .filter_map(|path| {
                    let name = path.file_name()?.to_str()?.to_string();
                    Some((name, path))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();

    let mut code = String::from("&[\n");
    for (name, path) in &files {
        let Some(path) = path.to_str() else { continue };
        code.push_str(&format!("    ({name:?}, include_str!({path:?})),\n"));
    }
    code.push_str("]\n");
    let target = PathBuf::from(out_dir).join("builtin_knowledge.rs");
    if let Err(e) = fs::write(&target, code) {
        panic!("cannot write {}: {e}", target.display());
    }
}
