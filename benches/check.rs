//! Benchmark of the analysis and of `copydesk check` over a generated corpus.
//!
//! Generates 2,000 articles of about 800 words (half French, half English) from our own
//! sentence templates twice: a typical corpus (about one sentence in seven carries a
//! quotation, a conditional, a passive or a source; the rest is background) and a dense
//! one made of cues only. For each it measures, reporting medians:
//! - analysis throughput on one core (MB/s), the engine with the built-in knowledge base;
//! - the time to analyse one 2,000-word article;
//! - `copydesk check --format json` over the whole corpus on every core (MB/s).
//!
//! Run with `cargo bench --bench check`. Timings are medians of several runs because the
//! machines are shared and noisy; nothing here asserts a time.

use copydesk::analysis::Engine;
use copydesk::config::Config;
use copydesk::kb::Kb;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FR: &[&str] = &[
    "Le ministre des Affaires étrangères, Ararat Mirzoyan, a rencontré son homologue à Bruxelles mardi.",
    "Selon l’AFP, le convoi aurait franchi la frontière dans la nuit.",
    "Le convoi aurait franchi la frontière près de Goris, dans la province de Syunik.",
    "« Nous ne céderons pas un mètre de notre territoire », a déclaré le Premier ministre, Nikol Pachinian.",
    "« La sécurité de nos villages passe avant tout. »",
    "L’Arménie a gelé sa participation à l’OTSC en février 2024, après des mois de tensions avec Moscou.",
    "Des experts estiment que l’accord reste fragile tant que la constitution n’est pas modifiée.",
    "Le maire de la ville a été accusé de favoritisme dans l’attribution d’un marché public.",
    "S’il pleuvait encore, la route de montagne serait fermée jusqu’au printemps.",
    "Il a annoncé qu’il viendrait à Erevan avant la fin du mois, selon son entourage.",
    "La mission de l’Union européenne en Arménie patrouille le long de la frontière depuis 2023.",
    "Les livraisons de canons Caesar et de radars GM200 ont été confirmées par le ministère des Armées.",
    "Bakou a accueilli la COP29 en novembre 2024, un sommet consacré à la finance climatique.",
    "Les habitants du village, qui vivent de l’élevage, craignent une nouvelle saison sans pâturages.",
    "Le gouvernement préparerait un remaniement avant l’été.",
    "Il aurait dû prévenir les autorités locales plus tôt, a reconnu un responsable du ministère.",
];
const EN: &[&str] = &[
    "Armenia's foreign minister, Ararat Mirzoyan, met his Azerbaijani counterpart in Washington on Tuesday.",
    "The convoy reportedly crossed the border near Goris overnight.",
    "According to the Interior Ministry, the convoy crossed the border near Goris overnight.",
    "\"We will not give up a single metre of our land,\" Prime Minister Nikol Pashinyan said.",
    "\"Security for our villages comes first.\"",
    "Armenia froze its participation in the CSTO in February 2024 after months of tension with Moscow.",
    "Experts say the agreement remains fragile until the constitution is amended.",
    "The mayor was accused of favouritism in the award of a public contract.",
    "The mayor was accused by the auditor of favouritism in the award of a public contract.",
    "Officials said the death toll had risen to twelve by Monday evening.",
    "The European Union Mission in Armenia has patrolled the border since 2023.",
    "Deliveries of Caesar howitzers and GM200 radars were confirmed by the French defence ministry.",
    "Baku hosted COP29 in November 2024, a summit devoted to climate finance.",
    "Villagers who live from herding fear another season without summer pastures.",
    "Pentagon officials said the exercise would go ahead as planned in July.",
    "It is widely believed that the talks will resume after the elections.",
];

/// Background sentences with nothing to flag: most of a real article is like this.
const FR_PLAIN: &[&str] = &[
    "La frontière entre les deux pays s’étend sur près de mille kilomètres à travers des montagnes.",
    "Le village compte un peu plus de quatre cents habitants, pour la plupart des éleveurs.",
    "La route qui mène à la capitale a été rénovée en 2019 avec des fonds européens.",
    "Les négociations ont repris lundi dans la capitale kazakhe, après trois mois d’interruption.",
    "Le texte comporte dix-sept articles et doit encore être ratifié par les deux parlements.",
    "L’hiver est rude dans la région, où les températures descendent souvent sous les moins vingt degrés.",
    "La commission de délimitation s’est réunie à six reprises depuis le printemps.",
    "Le budget de la défense a augmenté de près de moitié en deux ans.",
    "La mission compte environ deux cents observateurs venus d’une vingtaine de pays.",
    "Les élections législatives sont prévues au printemps prochain.",
    "Le pont reliant les deux rives a été construit au début des années 1970.",
    "Le sommet s’est ouvert mardi matin en présence de quarante délégations.",
    "La ville accueille chaque année un festival de musique traditionnelle.",
    "Le gouvernement a adopté mercredi un plan d’aide aux familles déplacées.",
    "Les exportations agricoles représentent un cinquième du produit intérieur brut.",
    "Le ministre a rencontré les maires de la province dans l’après-midi.",
];
const EN_PLAIN: &[&str] = &[
    "The border between the two countries runs for almost a thousand kilometres through mountains.",
    "The village has just over four hundred inhabitants, most of them herders.",
    "The road to the capital was rebuilt in 2019 with European funds.",
    "Negotiations resumed on Monday in the Kazakh capital after a three-month pause.",
    "The text has seventeen articles and must still be ratified by both parliaments.",
    "Winters are harsh in the region, where temperatures often fall below minus twenty degrees.",
    "The border commission has met six times since the spring.",
    "Defence spending has risen by almost half in two years.",
    "The mission has about two hundred monitors from some twenty countries.",
    "Parliamentary elections are due next spring.",
    "The bridge between the two banks was built in the early 1970s.",
    "The summit opened on Tuesday morning with forty delegations present.",
    "The town holds a festival of traditional music every year.",
    "The government adopted a plan on Wednesday to help displaced families.",
    "Farm exports make up a fifth of the economy.",
    "The minister met the mayors of the province in the afternoon.",
];

/// A small deterministic generator, so every run benchmarks the same corpus.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// One article of about `words` words in the given language. `cue_share` is the share
/// of sentences drawn from the pool of cues (quotations, hearsay, sources); the rest is
/// background with nothing to flag.
fn article(rng: &mut Lcg, fr: bool, words: usize, cue_share: usize) -> String {
    let (cues, plain) = if fr { (FR, FR_PLAIN) } else { (EN, EN_PLAIN) };
    let mut out = format!(
        "---\nlang: {}\ntitle: Generated article\n---\n\n# {}\n\n",
        if fr { "fr" } else { "en" },
        if fr {
            "Le Caucase du Sud sous tension"
        } else {
            "Tension in the South Caucasus"
        }
    );
    let mut count = 0;
    while count < words {
        let n = 3 + rng.next() % 4;
        for _ in 0..n {
            let s = if rng.next() % 100 < cue_share {
                cues[rng.next() % cues.len()]
            } else {
                plain[rng.next() % plain.len()]
            };
            count += s.split_whitespace().count();
            out.push_str(s);
            out.push(' ');
        }
        out.push_str("\n\n");
        if rng.next() % 7 == 0 {
            out.push_str(if fr {
                "## Sur le terrain\n\n"
            } else {
                "## On the ground\n\n"
            });
        }
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn write_corpus(dir: &Path, articles: &[String]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create corpus folder");
    for (i, a) in articles.iter().enumerate() {
        std::fs::write(dir.join(format!("article-{i:04}.md")), a).expect("write article");
    }
}

fn main() {
    let load = Instant::now();
    let engine = Engine::new(Config::default(), Arc::new(Kb::builtin()));
    println!(
        "engine start-up (lexicons + built-in knowledge base): {:.1} ms",
        load.elapsed().as_secs_f64() * 1e3
    );
    // A typical article: about one sentence in seven carries a cue. The dense corpus is
    // made of cues only, the worst case for the matchers.
    for (name, cue_share) in [("typical", 15), ("dense", 100)] {
        let mut rng = Lcg(42);
        let articles: Vec<String> = (0..2000)
            .map(|i| article(&mut rng, i % 2 == 0, 800, cue_share))
            .collect();
        measure(&engine, name, &articles);
        let long = article(&mut rng, true, 2000, cue_share);
        let runs: Vec<Duration> = (0..200)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(engine.analyze(&long));
                t.elapsed()
            })
            .collect();
        println!(
            "{name}: one 2,000-word article ({} KB): median {:.2} ms",
            long.len() / 1000,
            median(runs).as_secs_f64() * 1e3
        );
    }
}

/// Analysis on one core, then the whole command on every core, over one corpus.
fn measure(engine: &Engine, name: &str, articles: &[String]) {
    let bytes: usize = articles.iter().map(String::len).sum();
    let mut runs = Vec::new();
    let mut findings = 0;
    for _ in 0..5 {
        let t = Instant::now();
        findings = articles
            .iter()
            .map(|a| engine.analyze(a).findings.len())
            .sum::<usize>();
        runs.push(t.elapsed());
    }
    let m = median(runs);
    println!(
        "{name}: {} articles, {:.1} MB, {findings} findings",
        articles.len(),
        bytes as f64 / 1e6
    );
    println!(
        "{name}: analysis, one core: median {:.0} ms = {:.1} MB/s",
        m.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / m.as_secs_f64()
    );

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-corpus-{name}"));
    write_corpus(&dir, articles);
    let exe = env!("CARGO_BIN_EXE_copydesk");
    // Nine runs: a whole run is short, and on a shared machine a few of them land on
    // a busy moment; the median of nine is steadier than that of five.
    let mut runs = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        let out = std::process::Command::new(exe)
            .args(["check", "--format", "json", "--fail-on", "none"])
            .arg(&dir)
            .output()
            .expect("run copydesk check");
        runs.push(t.elapsed());
        assert!(
            out.status.success(),
            "check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let fastest = runs.iter().min().copied().unwrap_or_default();
    let slowest = runs.iter().max().copied().unwrap_or_default();
    let m = median(runs);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{name}: copydesk check --format json, {cores} cores: median {:.0} ms = {:.1} MB/s ({:.1} MB/s per core; runs {:.0}-{:.0} ms)",
        m.as_secs_f64() * 1e3,
        bytes as f64 / 1e6 / m.as_secs_f64(),
        bytes as f64 / 1e6 / m.as_secs_f64() / cores as f64,
        fastest.as_secs_f64() * 1e3,
        slowest.as_secs_f64() * 1e3
    );
}
