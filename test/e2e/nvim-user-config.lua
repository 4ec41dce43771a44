-- Corpus Navigator in Neovim (0.7 and later), without plugins: put this in your init.lua (or :luafile it).
-- It starts the language server for plain-text and Markdown buffers, one client per project root (the nearest
-- folder with a .git, else the file's folder). test/e2e/nvim.e2e.mjs loads this very file, so it stays working.
local function corpus_navigator_root(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  local git = vim.fn.finddir('.git', dir .. ';')
  return git ~= '' and vim.fn.fnamemodify(git, ':p:h:h') or dir
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'text', 'markdown' },
  callback = function(args)
    local root = corpus_navigator_root(vim.api.nvim_buf_get_name(args.buf))
    local config = {
      name = 'corpus-navigator',
      -- or { 'node', '/path/to/corpus-navigator/dist/server.js', '--stdio' }
      cmd = vim.g.corpus_navigator_cmd or { 'corpus-nav', 'lsp', '--stdio' },
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
      settings = { corpusNavigator = { include = { '**/*.txt', '**/*.md' } } },
    }
    if vim.lsp.start then
      vim.lsp.start(config, { bufnr = args.buf }) -- Neovim 0.8+: reuses the running client of the same root
    else
      -- Neovim 0.7: start one client per root, then attach each buffer to it
      _G.corpus_navigator_clients = _G.corpus_navigator_clients or {}
      local id = _G.corpus_navigator_clients[root]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = vim.lsp.start_client(config)
        _G.corpus_navigator_clients[root] = id
      end
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
-- Then, on a name: K or :lua vim.lsp.buf.hover()  (the entity card), :lua vim.lsp.buf.references(),
-- :lua vim.lsp.buf.definition() (first full-name mention), :lua vim.lsp.buf.document_symbol(),
-- :lua vim.lsp.buf.workspace_symbol('corb').
