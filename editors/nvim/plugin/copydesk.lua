-- copydesk.nvim: commands. The server starts only once `require('copydesk').setup()`
-- has been called (see :help copydesk).
if vim.g.loaded_copydesk then
  return
end
vim.g.loaded_copydesk = 1

if vim.fn.has('nvim-0.7') ~= 1 then
  vim.api.nvim_err_writeln('copydesk.nvim needs Neovim 0.7 or later')
  return
end

vim.api.nvim_create_user_command('CopydeskRestart', function()
  require('copydesk').restart()
end, { desc = 'Restart the copydesk language server' })

vim.api.nvim_create_user_command('CopydeskInfo', function()
  print(require('copydesk').info())
end, { desc = 'Show the copydesk clients and their roots' })
