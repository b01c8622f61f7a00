//! `copydesk sources PATH…`: the source roster of each article, and a roll-up across
//! the articles.
//!
//! Files are walked, filtered and analysed exactly as `check` does (the same code:
//! folders searched for `.md` and `.markdown`, ignore files honoured, the nearest
//! `copydesk.toml` and its knowledge base), then each file's roster is computed from
//! its analysis ([`crate::analysis::roster`]). The text output is a table per article;
//! `--format json` is versioned and documented in `docs/sources-format.md`.
//!
//! Exit codes: [`EXIT_OK`] on success, [`EXIT_ERROR`] on a usage, configuration or IO
//! error (the articles that could be read are still listed).

use super::check::{CheckArgs, Extras, FailOn, check_with};
use super::report::Format;
use super::report::{CheckedFile, Report};
use super::{ColorChoice, EXIT_ERROR, EXIT_OK, Streams, ignore_broken_pipe};
use crate::analysis::roster::{Roster, Source, SourceClass};
use crate::analysis::{How, Quote, SpeakerKind};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::path::PathBuf;

/// The version of the `copydesk sources --format json` schema.
pub const VERSION: u32 = 1;

/// Arguments of `copydesk sources`.
#[derive(Debug, clap::Args)]
pub struct SourcesArgs {
    /// Files and folders [default: the current folder]. Folders are searched for `.md`
    /// and `.markdown` files.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SourcesFormat::Text)]
    pub format: SourcesFormat,

    /// Use this configuration file for every file instead of discovering
    /// `copydesk.toml` from each file's folder upwards.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Do not honour `.gitignore`, `.ignore` and git's exclude files when walking
    /// folders.
    #[arg(long)]
    pub no_ignore: bool,
}

/// Output formats of `copydesk sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourcesFormat {
    /// A table per article, then a roll-up across articles.
    Text,
    /// One JSON document (see `docs/sources-format.md`).
    Json,
}

/// Runs `copydesk sources`.
pub fn run(args: &SourcesArgs, streams: &mut Streams<'_>) -> i32 {
    let check_args = CheckArgs {
        paths: args.paths.clone(),
        format: Format::Json,
        color: ColorChoice::Never,
        fail_on: FailOn::None,
        config: args.config.clone(),
        stdin: false,
        stdin_filename: None,
        report_suppressions: false,
        force_exclude: false,
        no_ignore: args.no_ignore,
        max_file_size: super::check::DEFAULT_MAX_FILE_SIZE,
        threads: None,
        baseline: None,
        write_baseline: None,
        prune_baseline: false,
        no_baseline: true,
        changed_since: None,
        progress: false,
        no_progress: true,
    };
    let extras = Extras {
        rosters: true,
        ..Extras::default()
    };
    let report = check_with(&check_args, None, &extras);
    for e in &report.errors {
        let _ = writeln!(streams.err, "error: {e}");
    }
    if report.files.is_empty() && report.errors.is_empty() {
        let _ = writeln!(
            streams.err,
            "warning: no Markdown files (folders are searched for .md and .markdown files)"
        );
    }
    let written = match args.format {
        SourcesFormat::Text => write_text(&report, streams.out),
        SourcesFormat::Json => write_json(&report, streams.out),
    };
    if let Err(e) = ignore_broken_pipe(written.and_then(|()| streams.out.flush())) {
        let _ = writeln!(streams.err, "error: cannot write the output: {e}");
        return EXIT_ERROR;
    }
    if report.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}

/// The name of a speaker kind in the JSON output.
pub fn speaker_kind_name(kind: SpeakerKind) -> &'static str {
    match kind {
        SpeakerKind::Named => "named",
        SpeakerKind::Pronoun => "pronoun",
        SpeakerKind::Role => "role",
        SpeakerKind::Document => "document",
        SpeakerKind::Anonymous => "anonymous",
        SpeakerKind::AnonymousInstitutional => "anonymous-institutional",
        SpeakerKind::Other => "other",
    }
}

/// The name of an attribution method in the JSON output.
pub fn how_name(how: How) -> &'static str {
    match how {
        How::Tag => "tag",
        How::Intro => "intro",
        How::Incise => "incise",
        How::AttributionLine => "attribution-line",
        How::Interview => "interview",
        How::PreviousSentence => "previous-sentence",
        How::PreviousParagraph => "previous-paragraph",
        How::FollowingSentence => "following-sentence",
        How::MultiParagraph => "multi-paragraph",
        How::Source => "link-or-note",
    }
}

/// The roster of a file (computed by `check_with` when asked; empty otherwise).
fn roster_of(file: &CheckedFile) -> &Roster {
    static EMPTY: std::sync::OnceLock<Roster> = std::sync::OnceLock::new();
    file.analysis
        .roster
        .as_ref()
        .unwrap_or_else(|| EMPTY.get_or_init(Roster::default))
}

// ---------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    articles: Vec<Article<'a>>,
    corpus: Corpus,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    start_byte: usize,
    end_byte: usize,
}

impl Location {
    fn new(file: &CheckedFile, range: &Range<usize>) -> Location {
        let (start, end) = file.span(range);
        Location {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            start_byte: range.start,
            end_byte: range.end.max(range.start),
        }
    }
}

#[derive(Serialize)]
struct Article<'a> {
    path: String,
    lang: Option<&'static str>,
    title: Option<&'a str>,
    counts: Counts,
    sources: Vec<SourceOut<'a>>,
    quotations: Vec<QuoteOut<'a>>,
}

#[derive(Serialize)]
struct Counts {
    sources: usize,
    quoted_sources: usize,
    anonymous_sources: usize,
    anonymous_share: Option<f64>,
    quotations: usize,
    attributed_quotations: usize,
    unresolved_quotations: usize,
    unattributed_quotations: usize,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    id: usize,
    name: &'a str,
    class: &'static str,
    description: Option<&'a str>,
    spellings: &'a [String],
    identified: bool,
    quotes: usize,
    claims: usize,
    first_mention: Location,
    /// Indices into the article's `quotations`.
    quotations: &'a [usize],
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    #[serde(flatten)]
    location: Location,
    text: &'a str,
    attributed: bool,
    how: Option<&'static str>,
    speaker: Option<&'a str>,
    speaker_kind: Option<&'static str>,
    resolved: Option<&'a str>,
    description: Option<&'a str>,
    /// The index of the source in the article's `sources`.
    source: Option<usize>,
}

#[derive(Serialize)]
struct Corpus {
    articles: usize,
    sources: Vec<CorpusSource>,
    anonymous_share: Option<f64>,
}

#[derive(Serialize)]
struct CorpusSource {
    name: String,
    class: &'static str,
    quotes: usize,
    claims: usize,
    articles: Vec<CorpusArticle>,
}

#[derive(Serialize)]
struct CorpusArticle {
    path: String,
    quotes: usize,
    claims: usize,
}

fn article<'a>(file: &'a CheckedFile) -> Article<'a> {
    let roster = roster_of(file);
    let quotes = &file.analysis.quotes;
    let mut source_of: HashMap<usize, usize> = HashMap::new();
    for (k, s) in roster.sources.iter().enumerate() {
        for &q in &s.quotes {
            source_of.insert(q, k);
        }
    }
    Article {
        path: file.slash_path(),
        lang: file.analysis.lang.map(|l| l.code()),
        title: file.analysis.title.as_deref(),
        counts: counts(roster, quotes),
        sources: roster
            .sources
            .iter()
            .enumerate()
            .map(|(id, s)| SourceOut {
                id,
                name: &s.name,
                class: s.class.as_str(),
                description: s.description.as_deref(),
                spellings: &s.spellings,
                identified: s.identified,
                quotes: s.quotes.len(),
                claims: s.claims,
                first_mention: Location::new(file, &s.first_mention),
                quotations: &s.quotes,
            })
            .collect(),
        quotations: quotes
            .iter()
            .enumerate()
            .map(|(i, q)| QuoteOut {
                location: Location::new(file, &q.range),
                text: &q.content,
                attributed: q.how.is_some(),
                how: q.how.map(how_name),
                speaker: q.speaker.as_deref(),
                speaker_kind: q.speaker_kind.map(speaker_kind_name),
                resolved: q.resolved.as_deref(),
                description: q.description.as_deref(),
                source: source_of.get(&i).copied(),
            })
            .collect(),
    }
}

fn counts(roster: &Roster, quotes: &[Quote]) -> Counts {
    Counts {
        sources: roster.sources.len(),
        quoted_sources: roster.quoted_sources(),
        anonymous_sources: roster.anonymous_sources(),
        anonymous_share: roster.anonymous_share().map(round3),
        quotations: quotes.len(),
        attributed_quotations: quotes.iter().filter(|q| q.how.is_some()).count(),
        unresolved_quotations: roster.unresolved_quotes.len(),
        unattributed_quotations: roster.unattributed_quotes,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The roll-up: each source (by class and name, case folded) with the articles it is in.
fn corpus(report: &Report) -> Corpus {
    let mut by_key: HashMap<(SourceClass, String), usize> = HashMap::new();
    let mut out: Vec<CorpusSource> = Vec::new();
    let (mut all, mut anonymous) = (0, 0);
    for file in &report.files {
        let roster = roster_of(file);
        all += roster.sources.len();
        anonymous += roster.anonymous_sources();
        for s in &roster.sources {
            let key = (s.class, corpus_key(s));
            let k = *by_key.entry(key).or_insert_with(|| {
                out.push(CorpusSource {
                    name: s.name.clone(),
                    class: s.class.as_str(),
                    quotes: 0,
                    claims: 0,
                    articles: Vec::new(),
                });
                out.len() - 1
            });
            let c = &mut out[k];
            c.quotes += s.quotes.len();
            c.claims += s.claims;
            c.articles.push(CorpusArticle {
                path: file.slash_path(),
                quotes: s.quotes.len(),
                claims: s.claims,
            });
        }
    }
    // The most cited first: articles, then quotations and claims; then by name.
    out.sort_by(|a, b| {
        (b.articles.len(), b.quotes + b.claims)
            .cmp(&(a.articles.len(), a.quotes + a.claims))
            .then_with(|| a.name.cmp(&b.name))
    });
    Corpus {
        articles: report.files.len(),
        sources: out,
        anonymous_share: (all > 0).then(|| round3(anonymous as f64 / all as f64)),
    }
}

/// A source's name for the roll-up: lower case, straight apostrophes, single spaces.
fn corpus_key(s: &Source) -> String {
    s.name
        .to_lowercase()
        .replace(['’', 'ʼ'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let doc = Output {
        version: VERSION,
        tool: Tool {
            name: "copydesk",
            version: env!("CARGO_PKG_VERSION"),
        },
        articles: report.files.iter().map(article).collect(),
        corpus: corpus(report),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

// ---------------------------------------------------------------------------------------
// Text

/// Cuts `s` to `n` characters, with an ellipsis when it is longer.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `s` padded with spaces to `n` characters.
fn pad(s: &str, n: usize) -> String {
    let len = s.chars().count();
    format!("{s}{}", " ".repeat(n.saturating_sub(len)))
}

/// "1 source", "2 sources".
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |x| format!("{:.0} %", x * 100.0))
}

fn write_text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for (n, file) in report.files.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let roster = roster_of(file);
        let c = counts(roster, &file.analysis.quotes);
        writeln!(
            out,
            "{}: {} ({} quoted, {} anonymous: {}); {}, {} unattributed, {} speaker unknown",
            file.path.display(),
            plural(c.sources, "source"),
            c.quoted_sources,
            c.anonymous_sources,
            percent(c.anonymous_share),
            plural(c.quotations, "quotation"),
            c.unattributed_quotations,
            c.unresolved_quotations,
        )?;
        if roster.sources.is_empty() {
            continue;
        }
        writeln!(
            out,
            "  {} {} {:>6} {:>6} {:>8}  description",
            pad("source", 32),
            pad("class", 12),
            "quotes",
            "claims",
            "first",
        )?;
        for s in &roster.sources {
            let pos = file.position(s.first_mention.start);
            let mut name = cut(&s.name, 31);
            if !s.identified {
                name = cut(&format!("{name} (?)"), 32);
            }
            writeln!(
                out,
                "  {} {} {:>6} {:>6} {:>8}  {}",
                pad(&name, 32),
                pad(s.class.as_str(), 12),
                s.quotes.len(),
                s.claims,
                format!("{}:{}", pos.line, pos.column),
                s.description
                    .as_deref()
                    .map(|d| cut(d, 60))
                    .unwrap_or_default(),
            )?;
        }
        if roster.sources.iter().any(|s| !s.identified) {
            writeln!(
                out,
                "  (?) named only by a surname or a pronoun in this article"
            )?;
        }
    }
    if report.files.len() > 1 {
        let corpus = corpus(report);
        writeln!(
            out,
            "\nAcross {} articles: {}, anonymous {}",
            corpus.articles,
            plural(corpus.sources.len(), "source"),
            percent(corpus.anonymous_share),
        )?;
        writeln!(
            out,
            "  {} {} {:>8} {:>6} {:>6}",
            pad("source", 32),
            pad("class", 12),
            "articles",
            "quotes",
            "claims",
        )?;
        for s in &corpus.sources {
            writeln!(
                out,
                "  {} {} {:>8} {:>6} {:>6}",
                pad(&cut(&s.name, 32), 32),
                pad(s.class, 12),
                s.articles.len(),
                s.quotes,
                s.claims,
            )?;
        }
        writeln!(out, "\nAnonymous sources per article:")?;
        for file in &report.files {
            let roster = roster_of(file);
            writeln!(
                out,
                "  {:>5}  {} of {}  {}",
                percent(roster.anonymous_share()),
                roster.anonymous_sources(),
                roster.sources.len(),
                file.path.display(),
            )?;
        }
    }
    Ok(())
}
