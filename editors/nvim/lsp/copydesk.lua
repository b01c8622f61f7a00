-- The copydesk language server for Neovim 0.11 and later's own LSP configuration
-- (`:help lsp-config`). With this folder (editors/nvim) on the runtime path, as any
-- plugin manager puts it, one line in init.lua starts the server for Markdown:
--
--   vim.lsp.enable('copydesk')
--
-- Change what you need with `vim.lsp.config('copydesk', { ... })`, for instance
-- `cmd = { '/path/to/copydesk', 'lsp' }`, or `init_options` holding copydesk.toml
-- keys (`{ lang = 'fr', rules = { hearsay = 'error' } }`). The root is the nearest
-- folder with copydesk.toml, else with .git. The plugin's `setup()` (lua/copydesk)
-- is not needed with this file; it adds the commands and older Neovims.

---@type vim.lsp.Config
return {
  cmd = { 'copydesk', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '.git' },
}
