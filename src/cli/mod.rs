//! The command-line front end: argument parsing, subcommand dispatch and exit codes.
//!
//! `src/main.rs` only calls [`run`]; everything else lives in the library so that
//! tests can drive the same code. Each subcommand is one variant of [`Command`] and
//! one module with a `run` function taking its arguments and the output streams, so
//! adding a subcommand is adding a variant, a module and a match arm.
//!
//! Exit codes follow ripgrep and ruff: [`EXIT_OK`] when nothing is at or above
//! `--fail-on`, [`EXIT_FINDINGS`] when something is, [`EXIT_ERROR`] on a usage,
//! configuration or IO error (which wins over findings, because a run that could not
//! look at everything cannot vouch for anything).

pub mod baseline;
pub mod changed;
pub mod check;
pub mod entities;
pub mod explain;
pub mod init;
pub mod kb_check;
pub mod progress;
pub mod report;
pub mod sources;

use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};

/// Nothing at or above the `--fail-on` threshold.
pub const EXIT_OK: i32 = 0;
/// At least one finding at or above the `--fail-on` threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// A usage, configuration or IO error.
pub const EXIT_ERROR: i32 = 2;

/// copydesk checks newsroom Markdown (French and English) for attribution problems.
#[derive(Debug, Parser)]
#[command(name = "copydesk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand. Add a variant here and an arm in [`run_from`].
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Markdown files and folders and report findings.
    Check(check::CheckArgs),
    /// Print the documentation page of a rule.
    Explain(explain::ExplainArgs),
    /// List every rule with its default severity.
    Rules,
    /// Run the language server on standard input and output (for editors).
    Lsp(crate::lsp::LspArgs),
    /// List the knowledge-base entities mentioned in Markdown files.
    Entities(entities::EntitiesArgs),
    /// List the sources of each article (quoted people, institutions, documents,
    /// anonymous sources) and a roll-up across articles.
    Sources(sources::SourcesArgs),
    /// Knowledge-base tools: `copydesk kb check` validates knowledge-base files.
    Kb(kb_check::KbArgs),
    /// Write a commented starter copydesk.toml and a knowledge-base file with one
    /// example entity (never overwrites).
    Init(init::InitArgs),
}

/// Runs copydesk with the process's arguments and standard streams, and returns the
/// exit code.
pub fn run() -> i32 {
    // The standard streams are not locked for the whole run: a subcommand such as a
    // language server may read and write them from other threads, which would then
    // wait forever on a lock held here. Each write locks for its own duration.
    let mut streams = Streams {
        stdin: &mut io::stdin(),
        // Large writes: a JSON report of a whole newsroom runs to megabytes, and each
        // write to a pipe is a system call and often a wait for the reader.
        out: &mut io::BufWriter::with_capacity(1 << 16, io::stdout()),
        err: &mut io::stderr(),
        out_is_terminal: io::stdout().is_terminal(),
        err_is_terminal: io::stderr().is_terminal(),
    };
    let code = run_from(std::env::args_os(), &mut streams);
    // A closed pipe (`copydesk check | head`) is not worth an error message.
    let _ = streams.out.flush();
    code
}

/// The streams a command reads and writes, so that tests can capture them.
pub struct Streams<'a> {
    pub stdin: &'a mut dyn Read,
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Whether `out` is a terminal, for `--color auto`.
    pub out_is_terminal: bool,
    /// Whether `err` is a terminal, for `--color auto`.
    pub err_is_terminal: bool,
}

/// Parses `args` (the first one is the program name) and runs the command.
pub fn run_from<I, T>(args: I, streams: &mut Streams<'_>) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output with exit code 0; usage errors go
            // to standard error with exit code 2, which is clap's code for them too.
            let text = if streams.err_is_terminal {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let code = e.exit_code();
            let sink = if code == 0 {
                &mut *streams.out
            } else {
                &mut *streams.err
            };
            let _ = sink.write_all(text.as_bytes());
            return if code == 0 { EXIT_OK } else { EXIT_ERROR };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args, streams),
        Command::Explain(args) => explain::run_explain(&args, streams),
        Command::Rules => explain::run_rules(streams),
        Command::Lsp(_) => crate::lsp::run(),
        Command::Entities(args) => entities::run(&args, streams),
        Command::Sources(args) => sources::run(&args, streams),
        Command::Kb(args) => kb_check::run(&args, streams),
        Command::Init(args) => init::run(&args, streams),
    }
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream. `always` wins over `NO_COLOR`, as the convention at
    /// no-color.org asks: an explicit flag is the user's latest word.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Writes to a stream, treating a closed pipe as success: a reader that stopped
/// reading (`| head`) does not make the run fail.
pub(crate) fn ignore_broken_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
