#!/usr/bin/env bash
# Installs what the editor tests need, idempotently, into a git-ignored cache:
#   - Debian packages: chromium (the browser playwright drives), neovim (the
#     second LSP client), ripgrep (VS Code's search), libkrb5-dev + a compiler
#     (native modules of code-server).
#   - code-server (VS Code 1.100.3 server + web workbench; 4.100.x is the last
#     line that runs on Node 20) and playwright-core, from the npm registry.
# Only the npm registry and the apt mirrors are contacted.
#
#   test/e2e/setup.sh                 # cache: <repo>/.e2e-cache (or $E2E_HOME)
#
# A stamp file records a finished install; a re-run checks it and exits in ~2 s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_HOME="${E2E_HOME:-$ROOT/.e2e-cache}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
STAMP="$E2E_HOME/.installed-cs${CODE_SERVER_VERSION}-pw${PLAYWRIGHT_VERSION}"

log() { printf '[e2e setup %s] %s\n' "$(date -u +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- apt packages
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
{ command -v make && command -v g++; } >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists may be stale or absent on a fresh machine: update only when needed.
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { log "install failed; apt-get update and retry"; $SUDO apt-get update >&2 \
         && $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get install ${missing[*]} failed"
fi

# ---------------------------------------------------------------- node
command -v node >/dev/null || die "node not found"
[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] \
  || log "WARNING: code-server $CODE_SERVER_VERSION is built for Node 20, found $(node -v)"
# node-gyp must not download Node headers (offline): use the ones installed beside node.
if [ -z "${npm_config_nodedir:-}" ]; then
  NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$NODE_PREFIX/include/node/node.h" ] && export npm_config_nodedir="$NODE_PREFIX"
fi
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

mkdir -p "$E2E_HOME"
printf '*\n' > "$E2E_HOME/.gitignore"
VS_DIR="$E2E_HOME/node_modules/code-server/lib/vscode"
# code-server writes config.yaml under XDG dirs: keep them out of $HOME.
cs() { XDG_CONFIG_HOME="$E2E_HOME/xdg/config" XDG_DATA_HOME="$E2E_HOME/xdg/data" \
       "$E2E_HOME/node_modules/.bin/code-server" "$@"; }

if [ -f "$STAMP" ] && cs --version >/dev/null 2>&1; then
  log "already installed in $E2E_HOME ($(basename "$STAMP"))"
else
  T0=$(date +%s)
  rm -f "$E2E_HOME"/.installed-*
  # 1. No lifecycle scripts: code-server's postinstall refuses root and would
  #    redo the steps below without the offline fixes.
  cat > "$E2E_HOME/package.json" <<JSON
{ "name": "corpus-navigator-e2e-cache", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION", "playwright-core": "$PLAYWRIGHT_VERSION" } }
JSON
  log "npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION"
  (cd "$E2E_HOME" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

  # 2. What code-server's postinstall.sh does, by hand.
  log "npm install in lib/vscode"
  (cd "$VS_DIR" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  # @vscode/ripgrep's postinstall downloads rg from GitHub: link Debian's instead.
  mkdir -p "$VS_DIR/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$VS_DIR/node_modules/@vscode/ripgrep/bin/rg"
  log "npm rebuild in lib/vscode (node-pty, spdlog, kerberos, ...)"
  (cd "$VS_DIR" && npm rebuild --loglevel=error >&2)
  (cd "$VS_DIR" && ln -sfn node_modules node_modules.asar)
  (cd "$VS_DIR/bin/remote-cli" && ln -sfn code-linux.sh code-server)
  (cd "$VS_DIR/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
  log "npm install in lib/vscode/extensions"
  (cd "$VS_DIR/extensions" && npm install --omit=dev --no-audit --no-fund --loglevel=error >&2)
  # 3. code-server's own native module only; a full `npm rebuild` here would
  #    run code-server's postinstall.sh.
  log "npm rebuild argon2"
  (cd "$E2E_HOME" && npm rebuild argon2 --loglevel=error >&2)

  cs --version >/dev/null 2>&1 || die "code-server does not start: try $E2E_HOME/node_modules/.bin/code-server --version"
  touch "$STAMP"
  log "installed in $(( $(date +%s) - T0 )) s"
fi

(cd "$E2E_HOME" && node -e 'require("playwright-core")') || die "playwright-core is not loadable from $E2E_HOME"
log "code-server $(cs --version 2>/dev/null | head -1); $(chromium --version 2>/dev/null | head -1); $(nvim --version | head -1)"
echo "$E2E_HOME"
