//! `copydesk explain RULE` and `copydesk rules`: the rule pages and the rule list.
//!
//! The pages are the ones embedded from `docs/rules/`, so the terminal, SARIF's
//! `help.markdown` and the editor's hover all show the same words.

use super::{EXIT_ERROR, EXIT_OK, Streams, ignore_broken_pipe};
use crate::rules::Rule;
use std::io::{self, Write};

/// Arguments of `copydesk explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule: its full code (`attribution/hearsay`) or its short name (`hearsay`).
    #[arg(value_name = "RULE", required_unless_present = "list")]
    pub rule: Option<String>,
    /// List the rules instead, like `copydesk rules`.
    #[arg(long, conflicts_with = "rule")]
    pub list: bool,
}

/// Runs `copydesk explain`.
pub fn run_explain(args: &ExplainArgs, streams: &mut Streams<'_>) -> i32 {
    let Some(name) = args.rule.as_deref().filter(|_| !args.list) else {
        return run_rules(streams);
    };
    match Rule::from_code(name) {
        Some(rule) => {
            let page = rule.doc();
            let text = if page.trim().is_empty() {
                // A page still being written should not print nothing at all.
                format!("# {}\n\n{}\n", rule.code(), rule.summary())
            } else if page.ends_with('\n') {
                page.to_string()
            } else {
                format!("{page}\n")
            };
            let _ = ignore_broken_pipe(streams.out.write_all(text.as_bytes()));
            EXIT_OK
        }
        None => {
            let _ = writeln!(streams.err, "error: unknown rule `{name}`; the rules are:");
            let _ = write_rule_list(streams.err);
            EXIT_ERROR
        }
    }
}

/// Runs `copydesk rules`.
pub fn run_rules(streams: &mut Streams<'_>) -> i32 {
    let _ = ignore_broken_pipe(write_rule_list(streams.out));
    EXIT_OK
}

/// Writes one line per rule: code, default severity, summary, aligned in columns.
fn write_rule_list(out: &mut dyn Write) -> io::Result<()> {
    let width = Rule::ALL.iter().map(|r| r.code().len()).max().unwrap_or(0);
    for rule in Rule::ALL {
        writeln!(
            out,
            "{:<width$}  {:<11}  {}",
            rule.code(),
            if rule.on_by_default() {
                rule.default_severity().as_str()
            } else {
                "off"
            },
            rule.summary()
        )?;
    }
    Ok(())
}
