-- For nvim.e2e.mjs: with nvim-user-config.lua as the user's init.lua, the buffer gets a client by itself; wait for
-- references across the workspace (= indexed), then record hover and references at the cursor.
local out = { failures = {} }
local timeout = tonumber(vim.env.CN_TIMEOUT_MS or '30000')
local function clients() return vim.lsp.buf_get_clients(0) end
local ok, err = pcall(function()
  if not vim.wait(timeout, function() local c = clients()[1]; return c ~= nil and c.initialized end, 50) then
    error('no initialized client attached to the buffer within ' .. timeout .. ' ms', 0)
  end
  local client = clients()[1]
  out.name = client.name
  vim.api.nvim_win_set_cursor(0, { tonumber(vim.env.CN_LINE), tonumber(vim.env.CN_COL) })
  local params = vim.lsp.util.make_position_params()
  params.context = { includeDeclaration = true }
  -- the open buffer is indexed first; the rest of the workspace follows: wait for references in CN_MIN_FILES files
  local want = tonumber(vim.env.CN_MIN_FILES or '1')
  vim.wait(timeout, function()
    local res = client.request_sync('textDocument/references', params, 5000, 0)
    local files = {}
    out.references, out.referenceFiles = 0, 0
    for _, l in ipairs(res and res.result or {}) do
      out.references = out.references + 1
      if not files[l.uri] then files[l.uri] = true; out.referenceFiles = out.referenceFiles + 1 end
    end
    return out.referenceFiles >= want
  end, 250)
  local h = client.request_sync('textDocument/hover', params, 5000, 0)
  out.hover = h and h.result and h.result.contents and (h.result.contents.value or h.result.contents) or vim.NIL
end)
if not ok then table.insert(out.failures, tostring(err)) end
local f = assert(io.open(vim.env.CN_OUT, 'w'))
f:write(vim.fn.json_encode(out))
f:close()
for _, c in ipairs(vim.lsp.get_active_clients()) do c.stop() end
vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
vim.cmd('qa!')
