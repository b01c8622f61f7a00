#!/usr/bin/env bash
# Runs the headless end-to-end test (e2e.lua) of copydesk.nvim on one Neovim.
#
#   editors/nvim/test/run.sh NVIM_BIN [API...]
#
# API is how the plugin starts the client: auto (the default: the newest API the
# Neovim has), enable (vim.lsp.config/enable, 0.11+), start (vim.lsp.start, 0.8+) or
# start_client (0.7's vim.lsp.start_client + buf_attach_client); or snippet: no
# plugin, the Neovim 0.11 snippet of editors/README.md as written (0.11+); or native:
# lsp/copydesk.lua and README.md's `vim.lsp.enable('copydesk')` (0.11+). Several
# APIs run the test once each.
#
# The server is $COPYDESK_BIN, else target/release/copydesk (build it first with
# `cargo build --release`). Neovim runs with -u NONE and temporary XDG folders, so no
# user configuration is read and nothing is written to the home folder.
#
# Prints each run's checks, then a closing line `N passed, M failed` over all runs;
# exits non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)

if [[ $# -lt 1 ]]; then
  echo "usage: $0 NVIM_BIN [auto|enable|start|start_client|snippet|native ...]" >&2
  exit 2
fi
NVIM=$1
shift
APIS=("$@")
[[ ${#APIS[@]} -eq 0 ]] && APIS=(auto)

BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}
if [[ ! -x "$BIN" ]]; then
  echo "run.sh: no server at $BIN: run \`cargo build --release\` or set COPYDESK_BIN" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if ! NVIM_VERSION=$("$NVIM" --version 2>/dev/null | head -n 1); then
  echo "run.sh: cannot run $NVIM" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-nvim-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# The README snippets (apis `snippet` and `native`) run `copydesk` from PATH.
mkdir -p "$TMP/bin"
ln -s "$BIN" "$TMP/bin/copydesk"
export PATH="$TMP/bin:$PATH"

total_passed=0
total_failed=0
for api in "${APIS[@]}"; do
  echo "== $NVIM_VERSION ($NVIM), api $api"
  home="$TMP/$api"
  mkdir -p "$home"/{config,data,state,cache}
  log="$home/stderr.log"
  out="$home/stdout.log"
  XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
    XDG_CACHE_HOME="$home/cache" COPYDESK_BIN="$BIN" COPYDESK_NVIM_API="$api" \
    timeout 300 "$NVIM" --headless -n -u NONE -i NONE -c "luafile $HERE/e2e.lua" \
    </dev/null >"$out" 2>"$log"
  status=$?
  cat "$out"
  closing=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
  if [[ -z "$closing" ]]; then
    echo "run.sh: Neovim exited with $status without a closing line" >&2
    closing="0 passed, 1 failed"
  fi
  passed=${closing%% passed*}
  failed=${closing#*passed, }
  failed=${failed%% failed*}
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1
  fi
  if [[ $failed -ne 0 ]]; then
    echo "-- Neovim's standard error:"
    sed 's/^/   /' "$log"
    lsp_log=$(find "$home" -name 'lsp.log' 2>/dev/null | head -n 1)
    if [[ -n "$lsp_log" ]]; then
      echo "-- the LSP log ($lsp_log), last lines:"
      tail -n 40 "$lsp_log" | sed 's/^/   /'
    fi
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 && $total_passed -gt 0 ]]
