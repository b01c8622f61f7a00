//! Zed extension: runs `copydesk lsp` for Markdown files.
//!
//! The server is `lsp.copydesk.binary.path` from Zed's settings when set, else
//! `copydesk` on the worktree's PATH. `lsp.copydesk.initialization_options` and
//! `lsp.copydesk.settings` (the keys of `copydesk.toml`) are passed to the server as
//! `initializationOptions` and as its workspace configuration (the settings, else the
//! initialization options).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

struct Copydesk;

impl zed::Extension for Copydesk {
    fn new() -> Self {
        Copydesk
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.binary);
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".to_string()]);
        let command = binary
            .and_then(|b| b.path)
            .or_else(|| worktree.which("copydesk"))
            .ok_or_else(|| {
                "copydesk was not found on PATH: install it (cargo install --locked --path . in a \
                 checkout of the repository) or set lsp.copydesk.binary.path in Zed's settings"
                    .to_string()
            })?;
        Ok(zed::Command {
            command,
            args,
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        // The server reads its settings under `copydesk` (or bare). A configuration
        // change replaces the initialization options on the server, so without
        // `settings` the initialization options are sent again.
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.settings.or(s.initialization_options))
            .map(|s| serde_json::json!({ "copydesk": s })))
    }
}

zed::register_extension!(Copydesk);
