//! Benchmark of the knowledge base: load time of the built-in base, and matcher
//! throughput over a generated corpus of French and English prose.
//!
//! A plain binary (`harness = false`) rather than criterion, to keep the dependency
//! tree small: each measurement is repeated and the median printed. Times are the
//! thread's CPU time where the system tells it (Linux), so that the figures are per
//! core and hold on a busy machine. Run with `cargo bench --bench kb`;
//! `COPYDESK_BENCH_MB` sets the corpus size (default 8).

use copydesk::kb::normalize::Normalized;
use copydesk::kb::{Form, Kb, KbMatch, Scratch};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A small deterministic generator (64-bit LCG), so that every run sees the same
/// corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

const FR_WORDS: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "du",
    "une",
    "un",
    "est",
    "et",
    "dans",
    "pour",
    "que",
    "qui",
    "sur",
    "au",
    "avec",
    "selon",
    "a",
    "été",
    "ministre",
    "gouvernement",
    "frontière",
    "accord",
    "négociations",
    "déclaré",
    "sécurité",
    "réunion",
    "sommet",
    "armée",
    "paix",
    "cessez-le-feu",
    "vendredi",
    "après",
    "contre",
    "président",
    "délégation",
    "traité",
    "aujourd’hui",
    "l’armée",
    "d’après",
    "région",
    "conflit",
    "élections",
    "économie",
    "énergie",
    "coopération",
    "queue",
    "appel",
    "aucun",
    "chacun",
];

const EN_WORDS: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "is",
    "in",
    "that",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "said",
    "has",
    "minister",
    "government",
    "border",
    "agreement",
    "talks",
    "security",
    "meeting",
    "summit",
    "army",
    "peace",
    "ceasefire",
    "Friday",
    "after",
    "against",
    "president",
    "delegation",
    "treaty",
    "region",
    "conflict",
    "elections",
    "economy",
    "energy",
    "us",
    "un",
    "a",
    "it's",
    "officials",
    "according",
];

/// Generates about `bytes` of prose in paragraphs of 300 to 900 bytes (the size of a
/// prose block), half French and half English, with a mention of some entity every
/// dozen words or so in the spellings articles use: elided (`l’OTSC`, `d’Arménie`),
/// possessive (`Azerbaijan’s`), with NBSP before French colons.
///
/// With `zipf`, the form of each mention is drawn from a Zipf-like law (rank `r`
/// with probability about `1/r`), as in real coverage where a few actors dominate;
/// without it, every form is equally likely, the worst case for the automaton's
/// cache.
fn corpus(kb: &Kb, bytes: usize, zipf: bool) -> Vec<String> {
    let mut rng = Rng(0x5eed_c0de);
    // Forms in Latin script: articles in French and English name Yerevan, not
    // Երևան. (Other scripts take the same path through the normaliser's table.)
    let forms: Vec<(String, Form)> = kb
        .entities()
        .iter()
        .flat_map(|e| e.forms().map(|(f, k)| (f.to_string(), k)))
        .filter(|(f, _)| f.chars().all(|c| (c as u32) < 0x250 || !c.is_alphabetic()))
        .collect();
    // A fixed shuffle, so that the popular forms are not all from one data file.
    let mut forms = forms;
    for i in (1..forms.len()).rev() {
        let j = (rng.next() as usize) % (i + 1);
        forms.swap(i, j);
    }
    let pick_form = |rng: &mut Rng| -> usize {
        if zipf {
            // Log-uniform ranks: P(rank r) is about 1 / (r ln n).
            let u = rng.next() as f64 / (1u64 << 31) as f64;
            ((forms.len() as f64).powf(u) as usize).saturating_sub(1) % forms.len()
        } else {
            (rng.next() as usize) % forms.len()
        }
    };
    let mut paragraphs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let french = rng.next() % 2 == 0;
        let words = if french { FR_WORDS } else { EN_WORDS };
        let target = 300 + (rng.next() % 600) as usize;
        let mut p = String::with_capacity(target + 64);
        while p.len() < target {
            if rng.next() % 12 == 0 && !forms.is_empty() {
                let (form, kind) = &forms[pick_form(&mut rng)];
                match (french, kind, rng.next() % 4) {
                    (true, Form::Acronym, 0) => p.push_str("l’"),
                    (true, _, 1) => p.push_str("d’"),
                    _ => {}
                }
                p.push_str(form);
                if !french && rng.next() % 5 == 0 {
                    p.push_str("’s");
                }
            } else {
                let word: &&str = rng.pick(words);
                p.push_str(word);
            }
            match rng.next() % 16 {
                0 => p.push_str(". "),
                1 => p.push_str(", "),
                2 if french => p.push_str("\u{a0}: "),
                _ => p.push(' '),
            }
        }
        total += p.len();
        paragraphs.push(p);
    }
    paragraphs
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The time this thread has spent on a CPU, from `/proc/thread-self/schedstat`
/// (Linux): the right clock for a per-core figure on a busy machine. `None`
/// elsewhere, where wall time is used instead.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// Runs `f` once to warm up, then `runs` times; the median of the CPU time (or wall
/// time where CPU time is unavailable) of each run.
fn measure(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..runs)
            .map(|_| {
                let (wall, cpu) = (Instant::now(), thread_cpu_time());
                f();
                match (cpu, thread_cpu_time()) {
                    (Some(a), Some(b)) => b.saturating_sub(a),
                    _ => wall.elapsed(),
                }
            })
            .collect(),
    )
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    // `cargo bench` passes `--bench`; a test run (`cargo test --benches`) passes
    // nothing and only needs to know the binary runs.
    let quick = !std::env::args().any(|a| a == "--bench");
    let mb: usize = std::env::var("COPYDESK_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 1 } else { 8 });
    let runs = if quick { 3 } else { 21 };

    let load = measure(runs, || {
        black_box(Kb::load(true, &[]));
    });
    let (kb, errors) = Kb::load(true, &[]);
    println!(
        "kb load (built-in, parse + check + matcher build): median {:.2} ms over {runs} runs \
         ({} entities, {} patterns, {} data errors)",
        load.as_secs_f64() * 1e3,
        kb.len(),
        kb.pattern_count(),
        errors.len()
    );

    let mut scratch = Scratch::default();
    let mut out: Vec<KbMatch> = Vec::new();
    // Matching one corpus paragraph by paragraph, as the analysis calls it (one prose
    // block at a time).
    let mut matcher = |name: &str, paragraphs: &[String]| {
        let bytes: usize = paragraphs.iter().map(String::len).sum();
        let mut mentions = 0;
        let find = measure(runs, || {
            mentions = 0;
            for p in paragraphs {
                out.clear();
                kb.find_with(p, &mut scratch, &mut out);
                mentions += out.len();
            }
            black_box(&out);
        });
        println!(
            "matcher, {name}: median {:.1} MB/s over {runs} runs ({:.1} MB in {} paragraphs, \
             {mentions} mentions)",
            mb_per_s(bytes, find),
            bytes as f64 / 1e6,
            paragraphs.len(),
        );
    };

    let zipf = corpus(&kb, mb * 1_000_000, true);
    matcher("generated, Zipf mentions", &zipf);
    let uniform = corpus(&kb, mb * 1_000_000, false);
    matcher("generated, uniform mentions (worst case)", &uniform);

    // Real prose: the example newsroom's articles, paragraph by paragraph, repeated
    // to the same size as the generated corpus.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/newsroom");
    let mut real: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .flat_map(|text| text.split("\n\n").map(str::to_string).collect::<Vec<_>>())
                .collect()
        })
        .unwrap_or_default();
    real.sort();
    let real_bytes: usize = real.iter().map(String::len).sum();
    if let Some(copies) = (mb * 1_000_000).checked_div(real_bytes) {
        let real: Vec<String> = real
            .iter()
            .cycle()
            .take(real.len() * copies.max(1))
            .cloned()
            .collect();
        matcher("example newsroom", &real);
    }

    let mut norm = Normalized::default();
    let normalize = measure(runs, || {
        for p in &zipf {
            norm.fold(p);
            black_box(norm.as_bytes());
        }
    });
    let bytes: usize = zipf.iter().map(String::len).sum();
    println!(
        "normalisation alone, generated corpus: median {:.1} MB/s",
        mb_per_s(bytes, normalize)
    );
}
