#!/usr/bin/env bash
# Runs the headless eglot test (e2e.el) of the Emacs snippet in editors/README.md.
#
#   editors/emacs/test/run.sh [EMACS]
#
# Needs Emacs with eglot and markdown-mode (Debian 12: emacs-nox elpa-eglot
# elpa-markdown-mode). The server is $COPYDESK_BIN, else target/release/copydesk; it
# is put on PATH as `copydesk`, as the snippet expects. The fixture
# (editors/nvim/test/fixture) is copied to a temporary folder with a .git folder, so
# that it is its own project. Prints `N passed, M failed`; exits non-zero on failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EDITORS=$(cd "$HERE/../.." && pwd)
ROOT=$(cd "$EDITORS/.." && pwd)
EMACS=${1:-emacs}
BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}

if [[ ! -x "$BIN" ]]; then
  echo "run.sh: no server at $BIN: run \`cargo build --release\` or set COPYDESK_BIN" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-emacs-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin" "$TMP/home" "$TMP/cache"
ln -s "$BIN" "$TMP/bin/copydesk"
cp -r "$EDITORS/nvim/test/fixture" "$TMP/fixture"
mkdir "$TMP/fixture/.git"

echo "== $("$EMACS" --version | head -n 1), eglot test"
# Not -Q: Debian's site-start makes its elpa-* packages loadable.
HOME="$TMP/home" XDG_CACHE_HOME="$TMP/cache" PATH="$TMP/bin:$PATH" \
  timeout 180 "$EMACS" --batch -l "$HERE/e2e.el" "$TMP/fixture" "$EDITORS/README.md" \
  </dev/null >"$TMP/out.log" 2>"$TMP/err.log"
status=$?
cat "$TMP/out.log"
if ! grep -qE '^[0-9]+ passed, 0 failed$' "$TMP/out.log" || [[ $status -ne 0 ]]; then
  echo "-- Emacs's standard error:"
  sed 's/^/   /' "$TMP/err.log" | tail -n 60
  grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$TMP/out.log" || echo "0 passed, 1 failed"
  exit 1
fi
