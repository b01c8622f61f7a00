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

-- The code lens ("2 findings · 3 quoted sources · …") runs `copydesk.sources`: the
-- server answers with the article's source roster as Markdown, shown here in a
-- scratch window (`:lua vim.lsp.codelens.run()` on the lens line).
local function show_sources(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not client then
    return
  end
  client:request('workspace/executeCommand', command, function(err, result)
    if err or type(result) ~= 'string' then
      vim.notify('copydesk: no source roster: ' .. tostring(err and err.message or result), vim.log.levels.WARN)
      return
    end
    vim.cmd('botright new')
    local buf = vim.api.nvim_get_current_buf()
    vim.bo[buf].buftype = 'nofile'
    vim.bo[buf].bufhidden = 'wipe'
    vim.bo[buf].swapfile = false
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(result, '\n', { plain = true }))
    -- Markdown colours without the Markdown filetype, which would attach the server.
    vim.bo[buf].syntax = 'markdown'
    vim.bo[buf].modifiable = false
  end, ctx.bufnr)
end

---@type vim.lsp.Config
return {
  cmd = { 'copydesk', 'lsp' },
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '.git' },
  commands = { ['copydesk.sources'] = show_sources },
}
