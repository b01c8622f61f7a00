#!/usr/bin/env python3
"""Runs the steps of a composite GitHub Action (action.yml) on this machine, the way a
runner does, so that CI can test the action without GitHub.

    scripts/run-composite.py ACTION_DIR [--input NAME=VALUE ...] [--cache-hit true|false]

- `run:` steps run with `bash --noprofile --norc -eo pipefail` (the runner's bash),
  with their `env:` and the files GITHUB_OUTPUT (one per step, read back as the
  step's outputs) and GITHUB_ENV/GITHUB_PATH (applied to later steps);
- `${{ ... }}` expressions are evaluated for the contexts an action uses here:
  `inputs.*` (with the action's defaults), `steps.<id>.outputs.*`,
  `github.action_path`, `github.workspace`, `runner.*`; `if:` conditions may join
  comparisons (`==`, `!=`) of those with `&&`, as this action's do; anything else is
  refused, so the action cannot grow an expression this runner silently misreads;
- `uses:` steps are not run: `actions/cache` reports `cache-hit` (`--cache-hit`), and
  `github/codeql-action/upload-sarif` checks that its file is a SARIF 2.1.0 log and
  records the upload. Any other action is refused.

Prints each step, then one JSON line `RESULT {...}` with the failed step (if any), its
exit code, the action's outputs and the uploads; exits with the job's exit code.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Context:
    def __init__(self, action_dir, inputs, cache_hit):
        self.action_dir = action_dir
        self.inputs = inputs
        self.cache_hit = cache_hit
        self.steps = {}
        self.env = dict(os.environ)

    def lookup(self, ref):
        parts = ref.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if parts == ["github", "action_path"]:
            return str(self.action_dir)
        if parts == ["github", "workspace"]:
            return os.getcwd()
        if parts[0] == "runner" and len(parts) == 2:
            return {"temp": tempfile.gettempdir(), "os": "Linux", "arch": "X64"}.get(parts[1], "")
        raise ValueError(f"unsupported expression `{ref}`")

    def value(self, term):
        term = term.strip()
        m = re.fullmatch(r"'((?:[^']|'')*)'", term)
        if m:
            return m.group(1).replace("''", "'")
        if re.fullmatch(r"[A-Za-z_][\w.-]*", term):
            return self.lookup(term)
        raise ValueError(f"unsupported expression `{term}`")

    def condition(self, expr):
        expr = EXPR.sub(lambda m: m.group(1), expr.strip())
        result = True
        for clause in expr.split("&&"):
            m = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", clause)
            if not m:
                raise ValueError(f"unsupported condition `{clause.strip()}`")
            left, op, right = self.value(m.group(1)), m.group(2), self.value(m.group(3))
            result = result and ((left == right) if op == "==" else (left != right))
        return result

    def substitute(self, text):
        return EXPR.sub(lambda m: str(self.value(m.group(1))), str(text))


def read_outputs(path):
    """Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` blocks."""
    out = {}
    lines = pathlib.Path(path).read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                body.append(lines[i])
                i += 1
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    action_dir = pathlib.Path(args.pop(0)).resolve()
    given, cache_hit = {}, "false"
    while args:
        flag = args.pop(0)
        if flag == "--input" and args:
            name, _, value = args.pop(0).partition("=")
            given[name] = value
        elif flag == "--cache-hit" and args:
            cache_hit = args.pop(0)
        else:
            print(f"run-composite: unknown argument {flag}", file=sys.stderr)
            return 2
    action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    if action.get("runs", {}).get("using") != "composite":
        print("run-composite: not a composite action", file=sys.stderr)
        return 2
    declared = action.get("inputs") or {}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        print(f"run-composite: the action has no input {', '.join(unknown)}", file=sys.stderr)
        return 2
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    inputs.update(given)
    ctx = Context(action_dir, inputs, cache_hit)
    result = {"failed_step": None, "exit_code": 0, "outputs": {}, "uploads": []}
    work = pathlib.Path(tempfile.mkdtemp(prefix="run-composite."))

    for number, step in enumerate(action["runs"]["steps"], 1):
        name = step.get("name") or step.get("id") or f"step {number}"
        if "if" in step and not ctx.condition(str(step["if"])):
            print(f"--- skipped: {name}", flush=True)
            continue
        print(f"--- {name}", flush=True)
        outputs = {}
        if "uses" in step:
            used = step["uses"].split("@")[0]
            with_ = {k: ctx.substitute(v) for k, v in (step.get("with") or {}).items()}
            if used == "actions/cache":
                outputs["cache-hit"] = cache_hit
                print(f"    (cache {with_.get('key')}: hit={cache_hit})")
            elif used == "github/codeql-action/upload-sarif":
                sarif = pathlib.Path(with_.get("sarif_file", ""))
                log = json.loads(sarif.read_text(encoding="utf-8"))
                if log.get("version") != "2.1.0":
                    raise SystemExit(f"run-composite: {sarif} is not a SARIF 2.1.0 log")
                result["uploads"].append({"sarif_file": str(sarif), "category": with_.get("category")})
                print(f"    (would upload {sarif} to code scanning)")
            else:
                raise SystemExit(f"run-composite: no stand-in for the action {used}")
        else:
            if step.get("shell") != "bash":
                raise SystemExit(f"run-composite: {name}: only `shell: bash` steps are supported")
            files = {k: work / f"{k.lower()}.{number}" for k in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")}
            for f in files.values():
                f.write_text("")
            env = dict(ctx.env)
            env.update({k: ctx.substitute(v) for k, v in (step.get("env") or {}).items()})
            env.update({k: str(v) for k, v in files.items()})
            script = ctx.substitute(step["run"])
            code = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], env=env).returncode
            outputs = read_outputs(files["GITHUB_OUTPUT"])
            ctx.env.update(read_outputs(files["GITHUB_ENV"]))
            for line in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines():
                if line.strip():
                    ctx.env["PATH"] = line.strip() + os.pathsep + ctx.env.get("PATH", "")
            if code != 0:
                result["failed_step"] = name
                result["exit_code"] = code
                print(f"    failed with exit code {code}", flush=True)
                break
        if "id" in step:
            ctx.steps[step["id"]] = outputs

    for out_name, spec in (action.get("outputs") or {}).items():
        result["outputs"][out_name] = ctx.substitute(spec.get("value", ""))
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
    return result["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
