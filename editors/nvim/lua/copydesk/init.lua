-- copydesk.nvim: starts the copydesk language server (`copydesk lsp`) for Markdown
-- buffers.
--
--   require('copydesk').setup({
--     cmd = { 'copydesk', 'lsp' },        -- the server command
--     filetypes = { 'markdown' },
--     settings = { lang = 'fr', rules = { hearsay = 'error' } },  -- copydesk.toml keys
--   })
--
-- The root of a buffer is the nearest folder holding `copydesk.toml`, else the
-- nearest holding `.git`, else the buffer's own folder; one client serves each root.
-- It uses the newest API the running Neovim has: `vim.lsp.config` and
-- `vim.lsp.enable` (0.11+), `vim.lsp.start` (0.8+), or `vim.lsp.start_client` with
-- `vim.lsp.buf_attach_client` (0.7). See `:help copydesk`.

local M = {}

local NAME = 'copydesk'
local GROUP = 'copydesk_lsp'

--- The defaults of `setup()`.
M.defaults = {
  -- The server command: the executable and its arguments.
  cmd = { 'copydesk', 'lsp' },
  -- The filetypes the server attaches to.
  filetypes = { 'markdown' },
  -- Server settings: the keys of `copydesk.toml` (lang, rules, knowledge,
  -- builtin_knowledge, lexicon, lsp = { code_lens, debounce_ms }). Merged over the
  -- project's file; keys left out keep the file's values.
  settings = {},
  -- Files or folders that mark a root, by priority: the first found upwards wins.
  root_markers = { 'copydesk.toml', '.git' },
  -- Passed on to the client.
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
  -- Which API starts the client: 'auto' (the newest available), 'enable'
  -- (vim.lsp.config + vim.lsp.enable, 0.11+), 'start' (vim.lsp.start, 0.8+) or
  -- 'start_client' (vim.lsp.start_client + buf_attach_client, every version). Only
  -- the tests need anything but 'auto'.
  api = 'auto',
}

--- The options in force after `setup()`.
M.options = nil

--- Client ids by root, for the 0.7 API (`start_client`), which does not reuse clients.
local clients_by_root = {}

local uv = vim.loop or vim.uv

--- Whether `id` names no live client (works with the 0.7 closures and the 0.11 methods).
local function client_stopped(id)
  local c = vim.lsp.get_client_by_id(id)
  return c == nil or c.is_stopped(c)
end

--- Sends a notification through `client` (0.11 made the client's functions methods).
local function client_notify(client, method, params)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function notify(msg, level)
  vim.schedule(function()
    vim.notify('copydesk: ' .. msg, level or vim.log.levels.WARN)
  end)
end

--- A deep copy of `t` without empty tables, which JSON would encode as `[]`: the
--- server wants objects.
local function prune(t)
  if type(t) ~= 'table' then
    return t
  end
  local out = {}
  for k, v in pairs(t) do
    local pv = prune(v)
    if not (type(pv) == 'table' and next(pv) == nil) then
      out[k] = pv
    end
  end
  return out
end

--- The settings as sent to the server; nil when there are none.
local function server_settings(settings)
  local s = prune(settings or {})
  if next(s) == nil then
    return nil
  end
  return s
end

--- The API to use for `opts.api`.
local function choose_api(api)
  local has_enable = vim.lsp.config ~= nil and vim.lsp.enable ~= nil
  local has_start = vim.lsp.start ~= nil
  if api == 'enable' and has_enable then
    return 'enable'
  elseif api == 'start' and has_start then
    return 'start'
  elseif api == 'start_client' then
    return 'start_client'
  elseif api ~= 'auto' then
    notify(('api = %q is not available on this Neovim; using the newest API'):format(tostring(api)))
  end
  if has_enable then
    return 'enable'
  elseif has_start then
    return 'start'
  end
  return 'start_client'
end

local function is_dir(path)
  local stat = uv.fs_stat(path)
  return stat ~= nil and stat.type == 'directory'
end

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

--- The folder a buffer's file is in (the current folder for a buffer without a file).
local function buffer_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or name:match('^%a[%w+.-]*://') then
    return uv.cwd()
  end
  local dir = vim.fn.fnamemodify(name, ':p:h')
  if is_dir(dir) then
    return dir
  end
  return uv.cwd()
end

--- The root of `bufnr`: the nearest folder holding the first marker, else the
--- nearest holding the second, …, else the buffer's folder.
function M.find_root(bufnr, markers)
  markers = markers or (M.options or M.defaults).root_markers
  local start = buffer_dir(bufnr or 0)
  for _, marker in ipairs(markers) do
    local dir = start
    while dir do
      if exists(dir .. '/' .. marker) then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ':h')
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return start
end

--- Sends a request through `client` without a handler: the default one applies.
local function client_request(client, method, params, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return client:request(method, params, nil, bufnr)
  end
  return client.request(method, params, nil, bufnr)
end

--- Asks the server again for the diagnostics of every buffer of the client: the
--- answer to `workspace/diagnostic/refresh` (sent after the server reloads its
--- configuration or knowledge base) for a Neovim that pulls diagnostics.
local function on_diagnostic_refresh(_, _, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client then
    for bufnr in pairs(client.attached_buffers or {}) do
      if vim.api.nvim_buf_is_loaded(bufnr) then
        client_request(client, 'textDocument/diagnostic', {
          textDocument = vim.lsp.util.make_text_document_params(bufnr),
        }, bufnr)
      end
    end
  end
  return vim.NIL
end

--- The client capabilities and extra handlers. Neovim 0.10+ pulls diagnostics but
--- (up to 0.12 at least) cannot be told to pull again when the server reloads its
--- settings: declare `workspace/diagnostic/refresh` and answer it here, unless this
--- Neovim does so itself.
local function capabilities_and_handlers(opts)
  local caps = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), opts.capabilities or {})
  local handlers = {}
  local pulls = caps.textDocument and caps.textDocument.diagnostic ~= nil
  local native = vim.lsp.handlers['workspace/diagnostic/refresh'] ~= nil
  local refresh = caps.workspace and caps.workspace.diagnostics and caps.workspace.diagnostics.refreshSupport
  if pulls and not native and not refresh then
    caps.workspace = caps.workspace or {}
    caps.workspace.diagnostics = vim.tbl_extend('force', caps.workspace.diagnostics or {}, { refreshSupport = true })
    handlers['workspace/diagnostic/refresh'] = on_diagnostic_refresh
  end
  return caps, handlers
end

--- The client configuration for a root (nil root: the 0.11 API finds it itself).
local function client_config(opts, root)
  local init_options = server_settings(opts.settings)
  local capabilities, handlers = capabilities_and_handlers(opts)
  local config = {
    name = NAME,
    cmd = opts.cmd,
    root_dir = root,
    init_options = init_options,
    -- Sent again on `workspace/didChangeConfiguration` by update_settings().
    settings = {},
    on_attach = opts.on_attach,
    capabilities = capabilities,
    handlers = vim.tbl_extend('force', handlers, opts.handlers or {}),
  }
  if root then
    config.workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') },
    }
  end
  return config
end

local warned_missing = false

--- Whether the server command can run; says once why not.
local function executable_or_warn(opts)
  local exe = opts.cmd and opts.cmd[1]
  if type(exe) == 'string' and vim.fn.executable(exe) == 1 then
    return true
  end
  if not warned_missing then
    warned_missing = true
    notify(
      ('cannot run the server %q: install copydesk (see :help copydesk-install) or set `cmd`'):format(
        tostring(exe)
      ),
      vim.log.levels.ERROR
    )
  end
  return false
end

--- Starts (or reuses) the client for `bufnr` and attaches it, with the 0.7 or 0.8 API.
function M.attach(bufnr)
  local opts = M.options or M.defaults
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if not executable_or_warn(opts) then
    return nil
  end
  local root = M.find_root(bufnr, opts.root_markers)
  local api = M.api or choose_api(opts.api)
  if api == 'start' or api == 'enable' then
    -- vim.lsp.start reuses a client with the same name and root.
    return vim.lsp.start(client_config(opts, root), { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  if id == nil or client_stopped(id) then
    local start_client = vim.lsp.start_client
    id = start_client(client_config(opts, root))
    if id == nil then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The running copydesk clients.
function M.clients()
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ name = NAME })
  else
    all = {}
    for _, c in pairs(vim.lsp.get_active_clients()) do
      if c.name == NAME then
        table.insert(all, c)
      end
    end
  end
  return all
end

--- Sends new settings (copydesk.toml keys) to the running servers, which reload.
function M.update_settings(settings)
  local opts = M.options or M.defaults
  opts.settings = settings or {}
  for _, client in ipairs(M.clients()) do
    local s = server_settings(opts.settings) or vim.empty_dict()
    client_notify(client, 'workspace/didChangeConfiguration', { settings = { copydesk = s } })
  end
end

local function matching_buffers(filetypes)
  local wanted = {}
  for _, ft in ipairs(filetypes) do
    wanted[ft] = true
  end
  local bufs = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and wanted[vim.bo[b].filetype] then
      table.insert(bufs, b)
    end
  end
  return bufs
end

--- Stops every copydesk client, then attaches the Markdown buffers again.
function M.restart()
  local opts = M.options or M.defaults
  local bufs = matching_buffers(opts.filetypes)
  local stopping = M.clients()
  for _, c in ipairs(stopping) do
    vim.lsp.stop_client(c.id)
  end
  clients_by_root = {}
  local function stopped()
    for _, c in ipairs(stopping) do
      if not client_stopped(c.id) then
        return false
      end
    end
    return true
  end
  vim.wait(3000, stopped, 50)
  if M.api == 'enable' then
    -- vim.lsp.enable attaches again on the next FileType event.
    for _, b in ipairs(bufs) do
      local ok = pcall(vim.api.nvim_exec_autocmds, 'FileType', { group = 'nvim.lsp.enable', buffer = b })
      if not ok then
        vim.api.nvim_exec_autocmds('FileType', { buffer = b, modeline = false })
      end
    end
    return
  end
  for _, b in ipairs(bufs) do
    M.attach(b)
  end
end

--- Configures the plugin and starts the server for Markdown buffers, including those
--- already open.
function M.setup(user)
  local opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user or {})
  -- Lists replace the defaults instead of merging index by index.
  if user and user.cmd then
    opts.cmd = user.cmd
  end
  if user and user.filetypes then
    opts.filetypes = user.filetypes
  end
  if user and user.root_markers then
    opts.root_markers = user.root_markers
  end
  if type(opts.cmd) == 'string' then
    opts.cmd = { opts.cmd, 'lsp' }
  end
  M.options = opts
  M.api = choose_api(opts.api)

  if M.api == 'enable' then
    local config = client_config(opts, nil)
    config.root_dir = function(bufnr, on_dir)
      if vim.bo[bufnr].buftype == '' and executable_or_warn(opts) then
        on_dir(M.find_root(bufnr, opts.root_markers))
      end
    end
    config.workspace_folders = nil
    config.filetypes = opts.filetypes
    vim.lsp.config(NAME, config)
    vim.lsp.enable(NAME)
    -- vim.lsp.enable skips a server whose command is missing without a word: say it.
    vim.api.nvim_create_autocmd('FileType', {
      group = vim.api.nvim_create_augroup(GROUP, { clear = true }),
      pattern = opts.filetypes,
      callback = function()
        executable_or_warn(opts)
      end,
      desc = 'copydesk: check that the language server can run',
    })
    for _ in ipairs(matching_buffers(opts.filetypes)) do
      executable_or_warn(opts)
    end
    return M
  end

  local group = vim.api.nvim_create_augroup(GROUP, { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'copydesk: start the language server',
  })
  for _, b in ipairs(matching_buffers(opts.filetypes)) do
    M.attach(b)
  end
  return M
end

--- A short report for `:CopydeskInfo`.
function M.info()
  local opts = M.options
  if not opts then
    return 'copydesk: setup() has not been called'
  end
  local lines = {
    ('copydesk: api %s, cmd %s'):format(M.api, table.concat(opts.cmd, ' ')),
  }
  for _, c in ipairs(M.clients()) do
    local root = c.config and c.config.root_dir or '?'
    table.insert(lines, ('client %d: root %s'):format(c.id, tostring(root)))
  end
  if #lines == 1 then
    table.insert(lines, 'no client running')
  end
  return table.concat(lines, '\n')
end

return M
