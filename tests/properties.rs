//! Property tests: whatever Markdown comes in, every range the analysis returns lies
//! inside the document and on character boundaries, and the analysis never panics.
//!
//! Documents are drawn from two generators: arbitrary strings (bytes that happen to be
//! valid UTF-8, control characters and all), and Markdown assembled from the pieces that
//! exercise the analysis — guillemets with NBSP, curly and straight quotes, reportive
//! conditionals, footnotes (defined or dangling), links, inline and fenced code, front
//! matter, headings, blockquotes, emoji and combining accents, entity names.

use copydesk::analysis::{Engine, FileAnalysis};
use copydesk::config::Config;
use copydesk::kb::Kb;
use proptest::prelude::*;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Config::default(), Arc::new(Kb::builtin())))
}

const PIECES: &[&str] = &[
    "Le ministre aurait démissionné hier soir. ",
    "« Nous ne céderons pas », a déclaré la ministre. ",
    "«\u{202f}C’est une trahison.\u{202f}» ",
    "“We will not yield,” the minister said. ",
    "\"Straight quotes left open ",
    "Selon des sources proches du dossier, ",
    "The mayor was accused of favouritism. ",
    "Officials said the toll had risen. ",
    "L’OTSC et la CSTO, l'UE et l’OTAN. ",
    "Pachinian et Pashinyan à Erevan. ",
    "[selon l’AFP](https://www.afp.com/x) ",
    "aurait fui le pays.[^1] ",
    "aurait fui le pays.[^9] ",
    "`code « x » aurait` ",
    "😀 ",
    "e\u{301}\u{301} ",
    "\u{a0}:\u{a0}? ",
    "**gras** et *italique* ",
    "<!-- copydesk-disable-next-line attribution/hearsay -- raison -->\n",
    "<!-- copydesk-disable hearsay -->\n",
    "<!-- copydesk-enable -->\n",
    "\n\n",
    "\n",
    "\r\n",
    "# Titre « cité »\n",
    "> « Citation »\n> — Nom, fonction\n",
    "- élément\n",
    "| a | b |\n|---|---|\n| « c » | d |\n",
    "```\n« code » aurait\n```\n",
    "[^1]: Note.\n",
    "---\nlang: fr\n---\n",
    "+++\nlang = \"en\"\n+++\n",
    "M. J. R. Smith, 4 400, 3.5 %… ",
    "« ",
    " »",
    "\"",
    "[",
    "]",
];

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end, "{what}: inverted range {r:?}");
    assert!(
        r.end <= text.len(),
        "{what}: {r:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start),
        "{what}: start {r:?} inside a character"
    );
    assert!(
        text.is_char_boundary(r.end),
        "{what}: end {r:?} inside a character"
    );
}

fn check_all(text: &str, a: &FileAnalysis) {
    for f in a.findings.iter().chain(&a.suppressed) {
        check_range(text, &f.range, f.rule.code());
        check_range(text, &f.sentence, "sentence of a finding");
        for fix in &f.fixes {
            for e in &fix.edits {
                check_range(text, &e.range, "fix edit");
            }
        }
    }
    for s in &a.sentences {
        check_range(text, s, "sentence");
    }
    for q in &a.quotes {
        check_range(text, &q.range, "quote");
        if let Some(c) = &q.cue {
            check_range(text, c, "quote cue");
        }
    }
    for m in &a.mentions {
        check_range(text, &m.range, "mention");
    }
    for h in &a.headings {
        check_range(text, &h.range, "heading");
        check_range(text, &h.text_range, "heading text");
    }
    for s in &a.suppressions {
        check_range(text, &s.range, "suppression");
        check_range(text, &s.scope, "suppression scope");
    }
    for (r, _) in &a.problems {
        check_range(text, r, "problem");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn ranges_stay_inside_generated_markdown(text in markdown()) {
        let a = engine().analyze(&text);
        check_all(&text, &a);
    }

    #[test]
    fn ranges_stay_inside_arbitrary_text(text in any::<String>()) {
        let a = engine().analyze(&text);
        check_all(&text, &a);
    }
}
