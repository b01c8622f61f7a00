//! Replays the fuzz targets' bodies (`fuzz/bodies.rs`) over the committed corpus
//! (`fuzz/corpus/TARGET/`) and crash reproducers (`fuzz/regressions/TARGET/`) on the
//! stable toolchain, so that `cargo test` fails when a fixed crash comes back or an
//! input the fuzzers once explored breaks an invariant. Running the fuzzers
//! themselves needs the nightly toolchain: see "Fuzzing" in the README.

#[allow(dead_code)]
#[path = "../fuzz/bodies.rs"]
mod bodies;

use std::path::Path;

/// Runs `body` on every file of the target's corpus and regressions folders, naming
/// the file that fails; returns how many inputs were replayed.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for folder in ["corpus", "regressions"] {
        let dir = root.join(folder).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a corpus entry").path();
            if path.is_file() {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    for path in &inputs {
        let data = std::fs::read(path).expect("a corpus file");
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
    println!("{target}: {} inputs replayed", inputs.len());
    inputs.len()
}

#[test]
fn analysis() {
    assert!(replay("analysis", bodies::analysis) > 0, "no corpus");
}

#[test]
fn positions() {
    assert!(replay("positions", bodies::positions) > 0, "no corpus");
}

#[test]
fn transport() {
    assert!(replay("transport", bodies::transport) > 0, "no corpus");
}
