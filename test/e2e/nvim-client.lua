-- Drives the Corpus Navigator language server from Neovim's built-in LSP client (headless), for nvim.e2e.mjs.
-- Uses only APIs Neovim 0.7 has (vim.lsp.start_client, buf_attach_client, client.request_sync), so it runs on
-- Debian's 0.7.2 and on newer versions. Everything it needs comes from a JSON spec file named by $CN_E2E_SPEC:
--   { cmd = [...], root = dir, out = result file, timeoutMs = n,
--     files = [abs paths to open], probes = [{ name, file, line, character }]   (LSP positions: 0-based, UTF-16),
--     edit = { file, sentence, word } }
-- It records raw answers in the result file; the assertions are made by nvim.e2e.mjs.
local spec = vim.fn.json_decode(table.concat(vim.fn.readfile(vim.env.CN_E2E_SPEC), '\n'))
local timeout = spec.timeoutMs or 30000
local out = { failures = {}, timings = {}, probes = {}, statuses = {}, nvim = string.format('%d.%d.%d', vim.version().major, vim.version().minor, vim.version().patch) }
local function now() return vim.loop.hrtime() / 1e6 end
local T0 = now()
local client_id

local function fail(msg) table.insert(out.failures, msg) end

local function finish()
  out.timings.totalMs = math.floor(now() - T0)
  local f = assert(io.open(spec.out, 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  if client_id then -- shutdown + exit, then give the server a moment to go
    vim.lsp.stop_client(client_id)
    local c = vim.lsp.get_client_by_id(client_id)
    vim.wait(3000, function() return c == nil or c.is_stopped() end, 20)
  end
  vim.cmd('qa!')
end

-- Text of a hover result, whatever shape `contents` has (MarkupContent, MarkedString, or a list of them).
local function hover_text(h)
  local parts = {}
  local function collect(c)
    if type(c) == 'string' then table.insert(parts, c)
    elseif type(c) == 'table' then
      if c.value then table.insert(parts, c.value) else for _, x in ipairs(c) do collect(x) end end
    end
  end
  if type(h) == 'table' then collect(h.contents) end
  return table.concat(parts, '\n')
end

local ok, err = pcall(function()
  -- 1. open every file the probes use (one buffer each)
  local bufs = {}
  for _, file in ipairs(spec.files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    bufs[file] = vim.api.nvim_get_current_buf()
  end
  out.filetype = vim.bo.filetype

  -- 2. start the server; listen for its index status notification (the readiness signal)
  local status = nil
  local t = now()
  local id = vim.lsp.start_client({
    name = 'corpus-navigator',
    cmd = spec.cmd,
    root_dir = spec.root,
    workspace_folders = { { uri = vim.uri_from_fname(spec.root), name = vim.fn.fnamemodify(spec.root, ':t') } },
    handlers = {
      ['corpusNavigator/indexStatus'] = function(_, result)
        status = result
        if #out.statuses < 50 then
          table.insert(out.statuses, { state = result.state, filesDone = result.filesDone, filesTotal = result.filesTotal, atMs = math.floor(now() - T0) })
        end
      end,
    },
    on_init = function(_, result) out.serverInfo = result.serverInfo end,
    on_exit = function(code, signal) out.serverExit = { code = code, signal = signal } end,
  })
  if not id then error('vim.lsp.start_client failed for ' .. vim.fn.json_encode(spec.cmd), 0) end
  client_id = id
  for _, b in pairs(bufs) do vim.lsp.buf_attach_client(b, id) end
  local client = vim.lsp.get_client_by_id(id)
  if not vim.wait(timeout, function() return client.initialized or out.serverExit ~= nil end, 10) or not client.initialized then
    error('server did not initialize within ' .. timeout .. ' ms' .. (out.serverExit and (' (exited with code ' .. tostring(out.serverExit.code) .. ')') or ''), 0)
  end
  out.timings.initializeMs = math.floor(now() - t)
  local caps = client.server_capabilities or client.resolved_capabilities or {}
  out.capabilities = {
    hover = caps.hoverProvider or caps.hover or false,
    documentSymbol = caps.documentSymbolProvider or caps.document_symbol or false,
    references = caps.referencesProvider or caps.find_references or false,
    definition = caps.definitionProvider or caps.goto_definition or false,
    workspaceSymbol = caps.workspaceSymbolProvider or caps.workspace_symbol or false,
  }

  local function request(method, params, bufnr)
    local t0 = now()
    local res, e = client.request_sync(method, params, timeout, bufnr)
    local ms = math.floor(now() - t0)
    if not res then return nil, method .. ': ' .. tostring(e or 'no response'), ms end
    if res.err then return nil, method .. ': ' .. vim.inspect(res.err), ms end
    return res.result, nil, ms
  end
  local function pos_params(p)
    return { textDocument = { uri = vim.uri_from_fname(p.file) }, position = { line = p.line, character = p.character } }
  end

  -- 3. readiness: the server's "ready" status, or (a server that sends none) references that come back non-empty
  local first = spec.probes[1]
  t = now()
  local ready = vim.wait(timeout, function()
    if status and status.state == 'ready' then out.readyBy = 'indexStatus'; return true end
    if out.serverExit then return true end
    return false
  end, 20)
  if not ready or out.serverExit then
    local rp = pos_params(first)
    rp.context = { includeDeclaration = true }
    ready = vim.wait(timeout, function()
      if out.serverExit then return true end
      local refs = request('textDocument/references', rp, bufs[first.file])
      return type(refs) == 'table' and #refs > 0
    end, 250)
    if ready and not out.serverExit then out.readyBy = 'references' end
  end
  if out.serverExit then error('the server exited (code ' .. tostring(out.serverExit.code) .. ')', 0) end
  if not ready then fail('the index was not ready within ' .. timeout .. ' ms (last status: ' .. vim.inspect(status) .. ')') end
  out.timings.readyMs = math.floor(now() - t)
  out.lastStatus = status

  -- 4. the probes: hover, references, definition at a mention; documentSymbol of its file
  for _, p in ipairs(spec.probes) do
    local r = { name = p.name, file = p.file, position = { line = p.line, character = p.character }, timings = {} }
    local b = bufs[p.file]
    local params = pos_params(p)
    local h, e1, ms1 = request('textDocument/hover', params, b)
    r.hoverText, r.timings.hoverMs = hover_text(h), ms1
    if e1 then fail(p.name .. ' ' .. e1) end
    local rp = vim.deepcopy(params)
    rp.context = { includeDeclaration = true }
    local refs, e2, ms2 = request('textDocument/references', rp, b)
    r.references, r.timings.referencesMs = refs, ms2
    if e2 then fail(p.name .. ' ' .. e2) end
    local def, e3, ms3 = request('textDocument/definition', params, b)
    r.definition, r.timings.definitionMs = def, ms3
    if e3 then fail(p.name .. ' ' .. e3) end
    local syms, e4, ms4 = request('textDocument/documentSymbol', { textDocument = params.textDocument }, b)
    r.documentSymbol, r.timings.documentSymbolMs = syms, ms4
    if e4 then fail(p.name .. ' ' .. e4) end
    table.insert(out.probes, r)
  end

  -- 5. an unsaved edit: append a sentence naming a new person; the hover there must know them without a save
  if spec.edit then
    local b = bufs[spec.edit.file]
    local n = vim.api.nvim_buf_line_count(b)
    vim.api.nvim_buf_set_lines(b, n, n, false, { '', spec.edit.sentence })
    local line = n + 1 -- 0-based index of the added sentence
    local col = string.find(spec.edit.sentence, spec.edit.word, 1, true) -- ASCII sentence: bytes = UTF-16 units
    local params = { textDocument = { uri = vim.uri_from_fname(spec.edit.file) }, position = { line = line, character = col } }
    local e = { position = params.position }
    t = now()
    vim.wait(timeout, function()
      local h = request('textDocument/hover', params, b)
      e.hoverText = hover_text(h)
      return e.hoverText:find(spec.edit.word, 1, true) ~= nil
    end, 100)
    e.timings = { hoverAfterEditMs = math.floor(now() - t) }
    e.workspaceSymbol = request('workspace/symbol', { query = spec.edit.word }, b)
    out.edit = e
  end
end)
if not ok then fail(tostring(err)) end
finish()
