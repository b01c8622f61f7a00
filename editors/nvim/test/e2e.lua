-- Headless end-to-end test of copydesk.nvim against the real server.
--
--   COPYDESK_BIN=target/release/copydesk nvim --headless -u NONE -i NONE -c 'luafile editors/nvim/test/e2e.lua'
--
-- (editors/nvim/test/run.sh does that.) Opens the French draft of the fixture
-- workspace (test/fixture: copydesk.toml, fr/brouillon-otsc.md, en/csto-summit.md),
-- waits for the diagnostics and checks their rule codes and ranges, hovers « OTSC »
-- for the CSTO card, asks for its references (the English article must be among
-- them), goes to its definition, edits the buffer, and changes the settings.
--
-- Environment: COPYDESK_BIN (the server, default `copydesk`), COPYDESK_NVIM_API
-- (auto, enable, start or start_client: which Neovim API the plugin uses).
-- Prints one line per check and a closing line `N passed, M failed`; exits 1 on any
-- failure.

local TIMEOUT = 20000

local script = debug.getinfo(1, 'S').source:sub(2)
local test_dir = vim.fn.fnamemodify(script, ':p:h')
local plugin_dir = vim.fn.fnamemodify(test_dir, ':h')
local fixture = test_dir .. '/fixture'
local fr_draft = fixture .. '/fr/brouillon-otsc.md'
local en_article = fixture .. '/en/csto-summit.md'
local bin = os.getenv('COPYDESK_BIN') or 'copydesk'
local api = os.getenv('COPYDESK_NVIM_API') or 'auto'
-- 'snippet': instead of the plugin, run the Neovim 0.11 snippet of editors/README.md
-- (it runs `copydesk` from PATH, and makes hearsay an error).
-- 'native': no plugin either, but lsp/copydesk.lua on the runtime path and the
-- `vim.lsp.enable('copydesk')` snippet of the repository's README.md (0.11+).
local native = api == 'native'
local snippet = api == 'snippet' or native
local readme = vim.fn.fnamemodify(plugin_dir, ':h') .. '/README.md'
local root_readme = vim.fn.fnamemodify(plugin_dir, ':h:h') .. '/README.md'

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function check(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out('ok - ' .. name)
  else
    failed = failed + 1
    out('not ok - ' .. name)
    for l in tostring(err):gmatch('[^\n]+') do
      out('    ' .. l)
    end
  end
  return ok
end

local function finish()
  local ok, copydesk = pcall(require, 'copydesk')
  if ok then
    for _, c in ipairs(copydesk.clients()) do
      vim.lsp.stop_client(c.id)
    end
    vim.wait(2000, function()
      return #copydesk.clients() == 0
    end, 50)
  end
  out(('%d passed, %d failed'):format(passed, failed))
  os.exit(failed == 0 and passed > 0 and 0 or 1)
end

local function wait_for(what, cond, ms, explain)
  local ok = vim.wait(ms or TIMEOUT, cond, 50)
  assert(ok, 'timed out waiting for ' .. what .. (explain and (': ' .. explain()) or ''))
end

--- The rule code of a vim.diagnostic item (0.7 keeps it in user_data).
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function diagnostics_by_code(bufnr)
  local by = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local c = code_of(d)
    if c then
      by[c] = by[c] or {}
      table.insert(by[c], d)
    end
  end
  return by
end

local function text_of(bufnr, d)
  assert(d.lnum == (d.end_lnum or d.lnum), 'a one-line range')
  local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, true)[1]
  return line:sub(d.col + 1, d.end_col)
end

local function describe(bufnr)
  local parts = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(parts, ('%s@%d:%d[%s]'):format(tostring(code_of(d)), d.lnum, d.col, text_of(bufnr, d)))
  end
  return table.concat(parts, ', ')
end

--- Requests `method` with the position of the first `needle` on a line matching
--- `line_pattern`, from the copydesk client only.
local function request_at(bufnr, client, line_pattern, needle, method, extra)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, true)
  local lnum, col
  for i, l in ipairs(lines) do
    if l:match(line_pattern) then
      local s = l:find(needle, 1, true)
      if s then
        lnum, col = i, s
        break
      end
    end
  end
  assert(lnum, ('%q not found'):format(needle))
  -- The cursor in the middle of the word.
  vim.api.nvim_win_set_cursor(0, { lnum, col })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding or 'utf-16')
  for k, v in pairs(extra or {}) do
    params[k] = v
  end
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  assert(responses, 'no response to ' .. method .. ': ' .. tostring(err))
  local r = responses[client.id]
  assert(r, 'the copydesk client did not answer ' .. method)
  assert(r.err == nil, method .. ' failed: ' .. vim.inspect(r.err))
  return r.result
end

local function hover_text(result)
  local c = result and result.contents
  if type(c) == 'string' then
    return c
  elseif type(c) == 'table' and c.value then
    return c.value
  elseif type(c) == 'table' then
    local parts = {}
    for _, p in ipairs(c) do
      table.insert(parts, type(p) == 'string' and p or p.value)
    end
    return table.concat(parts, '\n')
  end
  return ''
end

--- The Lua block after `<!-- snippet: NAME` in editors/README.md (or `file`).
local function readme_snippet(name, file)
  file = file or readme
  local text = table.concat(vim.fn.readfile(file), '\n')
  local start = text:find('<!-- snippet: ' .. name, 1, true)
  assert(start, 'no snippet ' .. name .. ' in ' .. file)
  local code = text:match('```lua\n(.-)\n```', start)
  assert(code, 'no lua block after the snippet marker')
  return code
end

local function ends_with(s, suffix)
  return s:sub(-#suffix) == suffix
end

local function main()
  out(('# %s, server %s, api %s'):format(vim.split(vim.fn.execute('version'), '\n', { trimempty = true })[1], bin, api))
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('runtime plugin/copydesk.lua')
  vim.o.swapfile = false
  vim.cmd('filetype on')
  if vim.lsp.log and vim.lsp.log.set_level then
    vim.lsp.log.set_level('warn')
  else
    vim.lsp.set_log_level('warn')
  end

  local copydesk
  if native then
    check("lsp/copydesk.lua and README.md's vim.lsp.enable snippet", function()
      -- The configuration comes from lsp/copydesk.lua on the runtime path alone.
      local config = vim.lsp.config.copydesk
      assert(config and config.cmd and config.cmd[1] == 'copydesk', 'lsp/copydesk.lua is not found: ' .. vim.inspect(config))
      assert(vim.deep_equal(config.root_markers, { 'copydesk.toml', '.git' }), vim.inspect(config.root_markers))
      local code = readme_snippet('nvim-native', root_readme)
      local chunk = assert((loadstring or load)(code, 'README snippet'))
      chunk()
    end)
    copydesk = { clients = require('copydesk').clients }
  elseif snippet then
    check('the Neovim 0.11 snippet of editors/README.md runs as written', function()
      local code = readme_snippet('nvim-0.11')
      local chunk = assert((loadstring or load)(code, 'README snippet'))
      chunk()
    end)
    -- Only the clients() helper of the plugin is used.
    copydesk = { clients = require('copydesk').clients }
  else
    check('setup() with settings', function()
      copydesk = require('copydesk')
      copydesk.setup({
        cmd = { bin, 'lsp' },
        api = api,
        -- Editor settings over the fixture's copydesk.toml: vague sources become errors.
        settings = { rules = { ['attribution/vague-source'] = 'error' }, lsp = { code_lens = true } },
      })
      assert(vim.fn.exists(':CopydeskRestart') == 2, ':CopydeskRestart is defined')
      if api ~= 'auto' then
        assert(copydesk.api == api, ('api %s in use, %s asked'):format(copydesk.api, api))
      end
    end)
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(fr_draft))
  local bufnr = vim.api.nvim_get_current_buf()
  local client

  if not check('the server attaches to the French draft, rooted at copydesk.toml', function()
    assert(vim.bo[bufnr].filetype == 'markdown', 'filetype ' .. vim.bo[bufnr].filetype)
    wait_for('the copydesk client', function()
      local cs = copydesk.clients()
      client = cs[1]
      return client ~= nil and client.initialized ~= false and client.server_capabilities ~= nil
    end)
    assert(#copydesk.clients() == 1, 'one client')
    local root = vim.fn.resolve(client.config.root_dir)
    assert(root == vim.fn.resolve(fixture), 'root ' .. root)
    wait_for('the buffer to be attached', function()
      return vim.lsp.buf_is_attached(bufnr, client.id)
    end)
  end) then
    return finish()
  end

  check('diagnostics: hearsay, vague source and acronym with their ranges', function()
    wait_for('the diagnostics', function()
      local by = diagnostics_by_code(bufnr)
      return by['attribution/hearsay'] and by['attribution/vague-source'] and by['style/acronym-first-use']
    end, nil, function()
      return 'have ' .. describe(bufnr)
    end)
    local by = diagnostics_by_code(bufnr)
    local hearsay = by['attribution/hearsay'][1]
    assert(text_of(bufnr, hearsay) == 'aurait franchi', 'hearsay on ' .. describe(bufnr))
    assert(hearsay.source == 'copydesk', 'source ' .. tostring(hearsay.source))
    local vague = by['attribution/vague-source'][1]
    assert(text_of(bufnr, vague) == 'Selon des témoins', 'vague source on ' .. describe(bufnr))
    if native then
      assert(hearsay.severity == vim.diagnostic.severity.WARN, 'hearsay keeps its default')
      assert(vague.severity == vim.diagnostic.severity.INFO, 'vague-source keeps its default')
    elseif snippet then
      assert(hearsay.severity == vim.diagnostic.severity.ERROR, 'the snippet made hearsay an error')
      assert(vague.severity == vim.diagnostic.severity.INFO, 'vague-source keeps its default')
    else
      assert(hearsay.severity == vim.diagnostic.severity.WARN, 'hearsay is a warning')
      assert(vague.severity == vim.diagnostic.severity.ERROR, 'the rules setting made vague-source an error')
    end
    assert(text_of(bufnr, by['style/acronym-first-use'][1]) == 'OTSC', 'acronym on ' .. describe(bufnr))
  end)

  check('hover on « OTSC » shows the CSTO card', function()
    local result = request_at(bufnr, client, "^L'Arm", 'OTSC', 'textDocument/hover')
    local text = hover_text(result)
    assert(text:find('Organisation du traité de sécurité collective', 1, true), 'French name in:\n' .. text)
    assert(text:find('CSTO', 1, true), 'English acronym in:\n' .. text)
    assert(text:find('Alliance militaire', 1, true), 'French description in:\n' .. text)
  end)

  check('references of « OTSC » include the English article', function()
    local files
    -- The corpus is indexed in the background: ask until the English article is in.
    wait_for('the English article among the references', function()
      local result = request_at(bufnr, client, "^L'Arm", 'OTSC', 'textDocument/references', {
        context = { includeDeclaration = false },
      }) or {}
      files = {}
      for _, loc in ipairs(result) do
        table.insert(files, vim.uri_to_fname(loc.uri))
      end
      for _, f in ipairs(files) do
        if ends_with(f, '/en/csto-summit.md') then
          return true
        end
      end
      return false
    end, 10000)
    local own = false
    for _, f in ipairs(files) do
      own = own or ends_with(f, '/fr/brouillon-otsc.md')
    end
    assert(own, 'the draft itself is among ' .. table.concat(files, ', '))
    assert(vim.fn.filereadable(en_article) == 1)
  end)

  check('definition of « OTSC » is its knowledge-base entry', function()
    local result = request_at(bufnr, client, "^L'Arm", 'OTSC', 'textDocument/definition')
    assert(result, 'a definition')
    local loc = result.uri and result or result[1]
    local uri = loc.uri or loc.targetUri
    assert(uri and ends_with(uri, 'organisations.toml'), 'definition in ' .. vim.inspect(result))
  end)

  check('the code lens runs copydesk.sources, answered with the roster', function()
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
    local function call(method, p)
      local responses = vim.lsp.buf_request_sync(bufnr, method, p, TIMEOUT)
      local r = responses and responses[client.id]
      return r and r.result
    end
    local lenses
    wait_for('the code lens', function()
      lenses = call('textDocument/codeLens', params)
      return lenses ~= nil and #lenses > 0
    end)
    local cmd = lenses[1].command
    assert(cmd and cmd.command == 'copydesk.sources', 'lens command: ' .. vim.inspect(cmd))
    -- Whatever the client knows of the command, the server answers it.
    local md = call('workspace/executeCommand', cmd)
    assert(type(md) == 'string' and md:find('# Sources', 1, true), 'roster: ' .. vim.inspect(md))
    if native then
      -- lsp/copydesk.lua handles the command: the roster opens in a scratch window.
      local exec = client.exec_cmd or client._exec_cmd
      exec(client, cmd, { bufnr = bufnr })
      local shown
      wait_for('the roster window', function()
        for _, b in ipairs(vim.api.nvim_list_bufs()) do
          local first = vim.api.nvim_buf_get_lines(b, 0, 1, false)[1] or ''
          if first:find('# Sources', 1, true) then
            shown = b
            return true
          end
        end
        return false
      end)
      vim.api.nvim_buf_delete(shown, { force = true })
      vim.api.nvim_set_current_buf(bufnr)
    end
  end)

  check('an edit is analysed: a new hearsay cue is flagged', function()
    local last = vim.api.nvim_buf_line_count(bufnr)
    vim.api.nvim_buf_set_lines(bufnr, last, last, true, { '', 'Le ministre aurait démissionné jeudi.' })
    wait_for('a diagnostic on the new line', function()
      for _, d in ipairs(diagnostics_by_code(bufnr)['attribution/hearsay'] or {}) do
        if d.lnum == last + 1 then
          return text_of(bufnr, d) == 'aurait démissionné'
        end
      end
      return false
    end)
  end)

  if not snippet then check('roots: copydesk.toml first, then .git, then the folder', function()
    local tmp = vim.fn.tempname()
    local function mk(path, is_dir)
      vim.fn.mkdir(vim.fn.fnamemodify(tmp .. '/' .. path, is_dir and ':p' or ':p:h'), 'p')
      if not is_dir then
        vim.fn.writefile({}, tmp .. '/' .. path)
      end
    end
    mk('proj/copydesk.toml')
    mk('proj/sub/.git', true)
    mk('proj/sub/a.md')
    mk('repo/.git', true)
    mk('repo/x/b.md')
    mk('lonely/c.md')
    local function root_of(path)
      local b = vim.api.nvim_create_buf(false, true)
      vim.api.nvim_buf_set_name(b, tmp .. '/' .. path)
      local r = copydesk.find_root(b)
      vim.api.nvim_buf_delete(b, { force = true })
      return vim.fn.resolve(r)
    end
    local real = vim.fn.resolve(tmp)
    assert(root_of('proj/sub/a.md') == real .. '/proj', root_of('proj/sub/a.md'))
    assert(root_of('repo/x/b.md') == real .. '/repo', root_of('repo/x/b.md'))
    assert(root_of('lonely/c.md') == real .. '/lonely', root_of('lonely/c.md'))
    vim.fn.delete(tmp, 'rf')
  end) end

  if not snippet then check('new settings reach the server (update_settings)', function()
    copydesk.update_settings({ rules = { ['attribution/vague-source'] = 'off' } })
    wait_for('the vague-source diagnostic to go', function()
      local by = diagnostics_by_code(bufnr)
      return by['attribution/vague-source'] == nil and by['attribution/hearsay'] ~= nil
    end)
  end) end

  check('a second buffer of the same root reuses the client', function()
    vim.cmd('edit ' .. vim.fn.fnameescape(en_article))
    local en_buf = vim.api.nvim_get_current_buf()
    wait_for('the English article to be attached', function()
      return vim.lsp.buf_is_attached(en_buf, client.id)
    end)
    assert(#copydesk.clients() == 1, #copydesk.clients() .. ' clients')
    wait_for('the English diagnostics', function()
      return diagnostics_by_code(en_buf)['style/acronym-first-use'] ~= nil
    end)
  end)

  if not snippet then check(':CopydeskRestart starts a new client', function()
    local old = client.id
    vim.cmd('CopydeskRestart')
    wait_for('a new client', function()
      local cs = copydesk.clients()
      return #cs == 1 and cs[1].id ~= old and vim.lsp.buf_is_attached(bufnr, cs[1].id)
    end)
  end) end

  finish()
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  failed = failed + 1
  out('not ok - the test script itself')
  out('    ' .. tostring(err))
  finish()
end
