-- Drives the VCL language server from Neovim's built-in LSP client, headless:
--   nvim --headless --clean -u test/e2e/nvim/init.lua
-- Environment:
--   VCL_E2E_SERVER  path of dist/server.cjs (started as `node SERVER --stdio`)
--   VCL_E2E_FILE    the file to open (a copy: it is written back)
--   VCL_E2E_RULE    the rule id of the diagnostic to fix
--   VCL_E2E_FIX     the title of the code action to apply
--   VCL_E2E_OUT     where to write the JSON result
-- Written for Neovim 0.7 and later: vim.lsp.start_client and
-- buf_attach_client exist there (vim.lsp.start needs 0.8).

local env = {
  server = os.getenv('VCL_E2E_SERVER'),
  file = os.getenv('VCL_E2E_FILE'),
  rule = os.getenv('VCL_E2E_RULE'),
  fix = os.getenv('VCL_E2E_FIX'),
  out = os.getenv('VCL_E2E_OUT'),
}
local TIMEOUT_MS = 30000

local function write_result(result)
  local f = assert(io.open(env.out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function main()
  for name, value in pairs(env) do
    if value == nil or value == '' then error('missing environment variable for ' .. name) end
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(env.file))
  local bufnr = vim.api.nvim_get_current_buf()
  -- The client sends the filetype as the document's languageId, which the
  -- server goes by; Neovim 0.7 has no filetype for either kind of file.
  vim.bo[bufnr].filetype = env.file:match('%.vcl$') and 'vcl' or 'varnish-params'
  local uri = vim.uri_from_bufnr(bufnr)

  -- Keep the server's own diagnostics (with code and data) as published.
  local published = nil
  local client_id = vim.lsp.start_client({
    name = 'vcl',
    cmd = { 'node', env.server, '--stdio' },
    root_dir = vim.fn.fnamemodify(env.file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        if result and result.uri == uri then published = result end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  if not client_id then error('the language server did not start') end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local target = nil
  local found = vim.wait(TIMEOUT_MS, function()
    if not published then return false end
    for _, d in ipairs(published.diagnostics) do
      if d.code == env.rule then
        target = d
        return true
      end
    end
    return false
  end, 20)
  if not found then error('no ' .. env.rule .. ' diagnostic within ' .. TIMEOUT_MS .. ' ms') end

  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target } },
  }, TIMEOUT_MS)
  local titles, chosen = {}, nil
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      if action.title == env.fix then chosen = action end
    end
  end
  if not chosen then error('no code action titled "' .. env.fix .. '"; offered: ' .. table.concat(titles, ' | ')) end
  if not chosen.edit then error('the code action carries no workspace edit') end
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  vim.cmd('silent write')

  local diagnostics = {}
  for _, d in ipairs(published.diagnostics) do
    table.insert(diagnostics, { code = d.code, line = d.range.start.line, message = d.message })
  end
  write_result({
    nvim = vim.version(),
    diagnostics = diagnostics,
    titles = titles,
    text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n',
  })
  vim.lsp.stop_client(client_id)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    if ok then
      vim.cmd('qall!')
    else
      pcall(write_result, { error = tostring(err) })
      vim.cmd('cquit 1')
    end
  end,
})
