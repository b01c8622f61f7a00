//! The language server's benchmark (issue 4, "Evidence"): indexing a generated
//! workspace of 10,000 articles, memory after indexing, find-references latency,
//! and the analysis after an edit to a 5,000-word article.
//!
//! Run with `cargo bench --bench lsp` (release build). It measures the server's own
//! code paths in-process: [`corpus::discover`] and [`corpus::summarize_files`] in
//! chunks (what the server's background indexing runs), [`references::find`] on a
//! real snapshot (plus the JSON encoding of its answer), and
//! [`Document::apply_changes`] followed by the analysis (what a keystroke costs).
//! Set `COPYDESK_BENCH_ARTICLES` to change the corpus size.

use copydesk::corpus::{self, Corpus, FileSummary};
use copydesk::lang::Lang;
use copydesk::lsp::context::{Ctx, FileUris, Snapshot};
use copydesk::lsp::convert::{Encoding, LineMap};
use copydesk::lsp::documents::{Document, path_to_uri};
use copydesk::lsp::references;
use copydesk::lsp::workspace::Workspace;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Counts the bytes the process has allocated and not freed, so that the size of the
/// corpus index can be told apart from what the allocator keeps around.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is
// only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_mib() -> f64 {
    LIVE.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0)
}

/// A small deterministic generator (xorshift), so every run writes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FR_FILLER: &[&str] = &[
    "La réunion s'est tenue dans un climat tendu, selon plusieurs participants présents à la table.",
    "Les discussions ont porté sur le calendrier, le financement et la sécurité des frontières.",
    "Le texte doit encore être examiné par le Parlement avant la fin de la session.",
    "Aucun accord n'a été trouvé sur la question des observateurs internationaux.",
    "Les négociateurs se retrouveront le mois prochain pour une nouvelle série de consultations.",
];
const EN_FILLER: &[&str] = &[
    "The meeting took place in a tense atmosphere, according to two people at the table.",
    "Talks covered the timetable, the funding and the security of the border.",
    "The text still has to be examined by parliament before the end of the session.",
    "No agreement was reached on the question of international observers.",
    "Negotiators will meet again next month for a new round of consultations.",
];

/// Names to mention: every built-in entity's names and acronyms in both languages.
fn entity_forms(ws: &Workspace) -> (Vec<String>, Vec<String>) {
    let mut fr = Vec::new();
    let mut en = Vec::new();
    for e in ws.kb().entities() {
        fr.push(e.name(Lang::Fr).to_string());
        en.push(e.name(Lang::En).to_string());
        fr.extend(e.acronyms.get("fr").into_iter().flatten().cloned());
        en.extend(e.acronyms.get("en").into_iter().flatten().cloned());
    }
    (fr, en)
}

/// One article of roughly `words` words, in French or English.
fn article(rng: &mut Rng, n: usize, words: usize, forms: &(Vec<String>, Vec<String>)) -> String {
    let french = n % 2 == 0;
    let (names, filler) = if french {
        (&forms.0, FR_FILLER)
    } else {
        (&forms.1, EN_FILLER)
    };
    let mut out = String::new();
    let lang = if french { "fr" } else { "en" };
    let a = rng.pick(names).clone();
    out.push_str(&format!(
        "---\ntitle: Article {n}: {a}\nlang: {lang}\n---\n\n# {a}\n\n"
    ));
    let mut count = 0;
    while count < words {
        let x = rng.pick(names);
        let y = rng.pick(names);
        let sentence = match (rng.below(6), french) {
            (0, true) => format!("{x} aurait rencontré des représentants de {y} mardi."),
            (0, false) => format!("{x} reportedly met representatives of {y} on Tuesday."),
            (1, true) => format!("« Nous ne céderons pas », a déclaré un porte-parole de {x}."),
            (1, false) => format!("\"We will not yield,\" a spokesman for {x} said."),
            (2, true) => format!("Selon des sources proches du dossier, {x} et {y} discutent."),
            (2, false) => format!("Experts say {x} and {y} are still talking."),
            (3, true) => format!("{x} a annoncé un accord avec {y}, a indiqué le ministère."),
            (3, false) => format!("{x} announced a deal with {y}, the ministry said."),
            _ => rng.pick(filler).to_string(),
        };
        count += sentence.split_whitespace().count();
        out.push_str(&sentence);
        out.push(if rng.below(4) == 0 { '\n' } else { ' ' });
        if rng.below(8) == 0 {
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

fn write_corpus(root: &Path, articles: usize, forms: &(Vec<String>, Vec<String>)) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for n in 0..articles {
        let dir = root.join(format!("desk{:02}", n % 50));
        if n < 50 {
            std::fs::create_dir_all(&dir).expect("create folder");
        }
        let words = 250 + rng.below(500);
        let text = article(&mut rng, n, words, forms);
        std::fs::write(dir.join(format!("article-{n:05}.md")), text).expect("write article");
    }
}

/// CPU time used by this process so far (user + system), from `/proc/self/stat`
/// (Linux only; clock ticks taken as 100 per second, the kernel's `USER_HZ`).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// `VmRSS` and `VmHWM` of this process, in MiB (Linux only).
fn memory() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful.
    // Either way, a quick run is enough when not benchmarking.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let articles: usize = std::env::var("COPYDESK_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if benchmarking { 10_000 } else { 200 });

    let dir = tempfile::tempdir().expect("temporary folder");
    let root = std::fs::canonicalize(dir.path()).expect("canonical folder");
    std::fs::write(root.join("copydesk.toml"), "").expect("write configuration");
    let (ws, problems) = Workspace::load(Some(&root), &serde_json::Value::Null, 1);
    assert!(problems.is_empty(), "{problems:?}");
    let forms = entity_forms(&ws);
    write_corpus(&root, articles, &forms);
    let (rss_before, _) = memory().unwrap_or_default();
    let live_before = live_mib();

    // Where the time goes, on one thread: analysis alone, then the summary.
    let sample: Vec<PathBuf> = corpus::discover(&root, &ws.filter)
        .into_iter()
        .take(500)
        .collect();
    let texts: Vec<String> = sample
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    let t = Instant::now();
    let analyses: Vec<_> = texts.iter().map(|t| ws.engine.analyze(t)).collect();
    let analyse_each = t.elapsed() / texts.len() as u32;
    let t = Instant::now();
    for (text, a) in texts.iter().zip(&analyses) {
        std::hint::black_box(FileSummary::new(text, a));
    }
    let summarise_each = t.elapsed() / texts.len() as u32;
    drop((analyses, texts, sample));

    // 1. Indexing, as the server does it: discover, then batches analysed by rayon.
    let started = Instant::now();
    let cpu_before = cpu_time().unwrap_or_default();
    let files = corpus::discover(&root, &ws.filter);
    let mut index = Corpus::new();
    let mut failures = 0;
    for chunk in files.chunks(256) {
        for (path, result) in corpus::summarize_files(&ws.engine, chunk) {
            match result {
                Ok(summary) => index.set_disk(&path, summary),
                Err(_) => failures += 1,
            }
        }
    }
    let index_time = started.elapsed();
    let index_cpu = cpu_time().unwrap_or_default().saturating_sub(cpu_before);
    assert_eq!(failures, 0);
    let (rss, hwm) = memory().unwrap_or_default();
    let index_heap = live_mib() - live_before;
    let mentions: usize = index.files().map(|(_, s)| s.mentions.len()).sum();

    // 2. References from a mention in one article, for the most and least mentioned
    //    entities among those it mentions.
    let probe: &PathBuf = &files[files.len() / 2];
    let text: Arc<str> = Arc::from(std::fs::read_to_string(probe).expect("read probe"));
    let uri = path_to_uri(probe).expect("file URI");
    let analysis = ws.engine.analyze(&text);
    let snap = Snapshot::new(
        uri,
        Some(probe.clone()),
        Some(1),
        1,
        Arc::clone(&text),
        analysis,
    );
    let ctx = Ctx {
        snap: &snap,
        ws: &ws,
        corpus: &index,
        encoding: Encoding::Utf16,
        uris: &FileUris,
    };
    let map = LineMap::new(&snap.text, &snap.index, Encoding::Utf16);
    let mut ref_times = Vec::new();
    let mut json_times = Vec::new();
    let mut largest = 0usize;
    for m in &snap.analysis.mentions {
        let pos = map.position(m.range.start);
        for _ in 0..5 {
            let t = Instant::now();
            let found = references::find(&ctx, pos, true).unwrap_or_default();
            ref_times.push(t.elapsed());
            let t = Instant::now();
            let encoded = serde_json::to_string(&found).expect("encode");
            json_times.push(t.elapsed());
            std::hint::black_box(encoded);
            largest = largest.max(found.len());
        }
    }

    // 3. A keystroke in a 5,000-word article: apply the edit to the rope, take the
    //    snapshot, analyse it and summarise it for the corpus.
    let mut rng = Rng(42);
    let long = article(&mut rng, 0, 5_000, &forms);
    let words = long.split_whitespace().count();
    let long_uri = path_to_uri(&root.join("long.md")).expect("file URI");
    let mut doc = Document::new(long_uri, 1, &long);
    let line = long.lines().count() as u32 / 2;
    let mut edit_times = Vec::new();
    let mut analysis_times = Vec::new();
    for version in 2..52 {
        let at = Position::new(line, 0);
        let t = Instant::now();
        doc.apply_changes(
            version,
            vec![TextDocumentContentChangeEvent {
                range: Some(Range::new(at, at)),
                range_length: None,
                text: "x".to_string(),
            }],
            Encoding::Utf16,
        );
        let snapshot = doc.text();
        edit_times.push(t.elapsed());
        let t = Instant::now();
        let a = ws.engine.analyze(&snapshot);
        let summary = FileSummary::new(&snapshot, &a);
        analysis_times.push(t.elapsed());
        std::hint::black_box(summary);
    }

    // The index's own size: what dropping it frees.
    let live_with_index = live_mib();
    drop(index);
    let index_size = live_with_index - live_mib();

    println!(
        "copydesk lsp benchmark ({} cores; load average {})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| "unknown".to_string())
    );
    println!(
        "  corpus:                      {} articles, {} mentions",
        files.len(),
        mentions
    );
    println!(
        "  index (discover + analyse):  {:.2} s wall, {:.2} s CPU (target ≤ 5 s)",
        index_time.as_secs_f64(),
        index_cpu.as_secs_f64()
    );
    println!(
        "  memory after indexing:       VmRSS {rss:.0} MiB, VmHWM {hwm:.0} MiB (before indexing: {rss_before:.0} MiB; target ≤ 200 MiB)"
    );
    println!(
        "  heap: corpus index {index_size:.0} MiB, all live data {index_heap:.0} MiB; one thread: analysis {:.3} ms, summary {:.3} ms per article",
        ms(analyse_each),
        ms(summarise_each)
    );
    println!(
        "  references (median):         {:.3} ms, + {:.3} ms to encode as JSON; largest answer {} locations (target ≤ 20 ms)",
        ms(median(ref_times)),
        ms(median(json_times)),
        largest
    );
    println!(
        "  edit to a {words}-word article: apply + snapshot {:.3} ms, analysis {:.3} ms (median; target ≤ 10 ms)",
        ms(median(edit_times)),
        ms(median(analysis_times))
    );
}
