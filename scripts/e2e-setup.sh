#!/usr/bin/env bash
# Installs what the end-to-end tests need, and only what is missing:
# Debian's Chromium, ripgrep, Neovim and the headers code-server's native
# modules build against; code-server (a real VS Code workbench) in the
# git-ignored .e2e-cache/ folder. code-server is not a dependency of the
# extension, so it stays out of package.json. Safe to run again: a finished
# install leaves a marker and is not redone.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
CACHE="$PWD/.e2e-cache"
CS_ROOT="$CACHE/code-server-$CODE_SERVER_VERSION"

# --- Debian packages -------------------------------------------------------
packages=(libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium neovim g++ make)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "e2e-setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- code-server -----------------------------------------------------------
if [ -f "$CS_ROOT/.ready" ]; then
  echo "e2e-setup: code-server $CODE_SERVER_VERSION already installed in $CS_ROOT"
  exit 0
fi

echo "e2e-setup: installing code-server $CODE_SERVER_VERSION into $CS_ROOT"
rm -rf "$CS_ROOT"
mkdir -p "$CS_ROOT"
cd "$CS_ROOT"
# Its own package.json, so that npm does not treat the project as the root.
printf '{ "name": "e2e-code-server", "private": true }\n' > package.json
# --ignore-scripts: code-server's post-install downloads ripgrep from outside
# the package registries; its steps are done by hand below.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null

export npm_config_yes=true npm_config_unsafe_perm=true
VSCODE_DIR="$CS_ROOT/node_modules/code-server/lib/vscode"
(
  cd "$VSCODE_DIR"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null
  # Debian's ripgrep stands in for the one @vscode/ripgrep would download.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm rebuild >/dev/null
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sf code-linux.sh code-server)
  (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
  (cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)
)
# npm hoists argon2 (used by code-server's password login) to this level.
npm rebuild argon2 >/dev/null

touch "$CS_ROOT/.ready"
echo "e2e-setup: done"
