//! copydesk: a language server and CI linter for editorial Markdown.
//!
//! The crate is one pure analysis with two front ends. [`analysis`] turns a Markdown
//! article into a [`analysis::FileAnalysis`] (attribution findings, quotations, entity
//! mentions) with byte offsets and no IO; [`cli`] prints it for people and CI; [`lsp`]
//! serves it to editors. Both front ends call [`analysis::Engine::analyze`], so they
//! can never disagree about a finding.

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod files;
pub mod kb;
pub mod lang;
pub mod lsp;
pub mod rules;
pub mod text;
