#!/usr/bin/env bash
# The steps of the copydesk GitHub Action (action.yml), kept in a script so that CI
# can run them for real outside GitHub (scripts/test-action.sh).
#
#   action-run.sh locate    where the build is cached: `dir` and `key` outputs
#   action-run.sh install   builds copydesk into $COPYDESK_DIR (cache miss)
#   action-run.sh check     runs `copydesk check`: annotations, optional SARIF file,
#                           `exit-code` and `summary` outputs, a job summary
#
# Environment, as action.yml passes it: ACTION_PATH (the action's checkout),
# COPYDESK_DIR (the install folder, from `locate`), INPUT_PATHS, INPUT_FAIL_ON,
# INPUT_BASELINE, INPUT_CHANGED_SINCE, INPUT_SARIF; and GitHub's own GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GITHUB_BASE_REF (set on pull_request events), RUNNER_OS,
# RUNNER_ARCH, RUNNER_TOOL_CACHE.
#
# `check` itself exits 0 once it has run copydesk, whatever it found: the action's
# last step fails with copydesk's exit code, so that the SARIF upload in between
# still happens when there are findings.
set -euo pipefail

ACTION_PATH=${ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

say() { printf 'copydesk action: %s\n' "$*" >&2; }
# Appends `name=value` to a GitHub output file (or prints it when there is none).
output() {
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$1" "$2"
  fi
}

locate() {
  local version hash
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
  # Everything that goes into the binary: a change to any of it is a new build.
  hash=$(cd "$ACTION_PATH" \
    && find Cargo.toml Cargo.lock build.rs src lexicon knowledge docs/rules -type f -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  local root=${RUNNER_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}}
  output dir "$root/copydesk-action/$version-$hash"
  output key "copydesk-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$version-$hash"
}

install() {
  : "${COPYDESK_DIR:?COPYDESK_DIR is not set (run locate first)}"
  if ! command -v cargo >/dev/null 2>&1; then
    say "cargo is not installed: GitHub's Ubuntu, macOS and Windows runners have Rust; elsewhere add a Rust toolchain step before this action"
    exit 2
  fi
  say "building copydesk from $ACTION_PATH into $COPYDESK_DIR (once per version of the action)"
  # --locked: the dependency versions of Cargo.lock, as tested.
  cargo install --locked --root "$COPYDESK_DIR" --path "$ACTION_PATH"
}

# Makes sure `$1` names a commit with a merge base with HEAD, fetching the base
# branch (and the history a shallow checkout lacks) when it is missing.
ensure_revision() {
  local ref=$1
  if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
    if [[ "$ref" == origin/* ]]; then
      say "fetching ${ref#origin/} from origin"
      git fetch --no-tags --quiet origin "+refs/heads/${ref#origin/}:refs/remotes/$ref" || true
    fi
  fi
  if ! git merge-base "$ref" HEAD >/dev/null 2>&1 \
     && [[ "$(git rev-parse --is-shallow-repository 2>/dev/null)" == true ]]; then
    say "the checkout is shallow: fetching the history (use fetch-depth: 0 in actions/checkout to skip this)"
    git fetch --no-tags --quiet --unshallow origin || true
  fi
}

check() {
  local bin=copydesk
  if [[ -n "${COPYDESK_DIR:-}" && -x "$COPYDESK_DIR/bin/copydesk" ]]; then
    bin="$COPYDESK_DIR/bin/copydesk"
  elif ! command -v copydesk >/dev/null 2>&1; then
    say "no copydesk binary in ${COPYDESK_DIR:-(no install folder)} nor on PATH"
    output exit-code 2
    exit 2
  fi

  local -a paths args
  # Paths are separated by spaces or new lines.
  read -r -d '' -a paths < <(printf '%s\0' "${INPUT_PATHS:-.}") || true
  [[ ${#paths[@]} -gt 0 ]] || paths=(.)

  local ref=${INPUT_CHANGED_SINCE:-}
  if [[ -z "$ref" && -n "${GITHUB_BASE_REF:-}" ]]; then
    ref="origin/$GITHUB_BASE_REF"
  fi
  [[ "$ref" == none ]] && ref=""

  args=(check "${paths[@]}" --color never --fail-on "${INPUT_FAIL_ON:-warning}")
  if [[ -n "${INPUT_BASELINE:-}" ]]; then args+=(--baseline "$INPUT_BASELINE"); fi
  if [[ -n "$ref" ]]; then
    ensure_revision "$ref"
    args+=(--changed-since "$ref")
  fi

  local out code summary
  out=$(mktemp)
  say "$bin ${args[*]} --format github"
  set +e
  "$bin" "${args[@]}" --format github >"$out"
  code=$?
  set -e
  # The workflow commands become annotations on the pull request.
  cat "$out"
  summary=$(grep -v '^::' "$out" | tail -n 1 || true)
  if [[ -n "${INPUT_SARIF:-}" ]]; then
    set +e
    "$bin" "${args[@]}" --format sarif >"$INPUT_SARIF"
    set -e
    say "SARIF written to $INPUT_SARIF"
  fi
  rm -f "$out"

  output exit-code "$code"
  output summary "$summary"
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    {
      echo "### copydesk"
      echo
      echo "$summary"
      if [[ -n "$ref" ]]; then
        echo
        echo "Findings on the lines changed since \`$ref\` only."
      fi
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  say "exit code $code (${INPUT_FAIL_ON:-warning} or worse fails)"
}

case "${1:-}" in
  locate) locate ;;
  install) install ;;
  check) check ;;
  *)
    echo "usage: $0 locate|install|check" >&2
    exit 2
    ;;
esac
