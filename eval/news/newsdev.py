#!/usr/bin/env python3
"""The news development set: real published news, labelled by hand, scored against copydesk.

The articles come from public repositories pinned at a commit (see `sources/`). Their text is
not ours and stays out of this repository: `build` rebuilds it from a snapshot of each source
into a work folder, as Markdown articles. What the repository keeps is the labels
(`labels/<lang>/<source>.jsonl`), this script, and the source readers.

Commands:

    newsdev.py build  --snapshot OWNER/NAME=PATH ... --out WORK
        Rebuilds every article of the sources whose snapshot is given, as
        WORK/<lang>/<doc>.md, and WORK/manifest.json.
    newsdev.py units  WORK/<lang>/<doc>.md [...]
        Prints an article with its sentence (s1, s2 ...) and quotation (q1, q2 ...) units,
        for labelling.
    newsdev.py verify WORK
        Checks that every label refers to an article that exists and whose text has not
        changed (a SHA-1 of the article is kept with its labels), and that unit ids exist.
    newsdev.py score  WORK --bin target/release/copydesk [--errors 10] [--json OUT]
        Runs `copydesk check --format json` on WORK and scores it against the labels, per
        language and per rule.
    newsdev.py entities WORK --bin target/release/copydesk [--split dev|test|all]
        Runs `copydesk entities --derived --format json` on the labelled articles and
        scores the people and organisations it finds against their `entities` labels:
        precision of the derived entities (those the knowledge base does not list), and
        recall of the labelled entities by derived and knowledge-base ones together.
    newsdev.py speakers WORK --bin target/release/copydesk [--split dev|test|all]
        Runs `copydesk sources --format json` on WORK and compares the speaker of each
        attributed quotation with the labelled one, per language: correct, wrong among
        those answered, unanswered.

The units come from this script's own segmentation, deliberately independent of
copydesk's: a sentence unit ends at terminal punctuation outside any open quotation (so a
quotation of several sentences and its tag stay one unit), and a quotation unit is a
top-level pair of quotation marks (or a mark left open to the end of its paragraph).
`SEGMENTER` changes whenever this segmentation changes; labels record the version they
were made with.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import pathlib
import re
import subprocess
import sys
from dataclasses import dataclass, field

HERE = pathlib.Path(__file__).resolve().parent
SEGMENTER = 1
RULES = ("unattributed-quote", "hearsay", "passive-claim", "vague-source")
QUOTE_LABELS = ("attributed", "unattributed", "other")

# ---------------------------------------------------------------------------------------
# Sources


class Snapshot:
    """Reads files of a repository snapshot (a work tree or a bare git folder) at a commit."""

    def __init__(self, path: str, commit: str):
        self.path = path
        self.commit = commit

    def _git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", "-C", self.path, *args], check=True, capture_output=True
        ).stdout

    def list(self, prefix: str = "") -> list[str]:
        out = self._git("ls-tree", "-r", "--name-only", self.commit, "--", prefix or ".")
        return sorted(line for line in out.decode("utf-8").splitlines() if line)

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")


def load_sources() -> dict[str, object]:
    """Every module of `sources/` that declares a SOURCE, by name."""
    sys.path.insert(0, str(HERE))
    found = {}
    for f in sorted((HERE / "sources").glob("*.py")):
        if f.name.startswith("_"):
            continue
        mod = importlib.import_module(f"sources.{f.stem}")
        if hasattr(mod, "SOURCE"):
            found[f.stem] = mod
    return found


LEADING_MARKDOWN = re.compile(r"^(#{1,6}\s|>|[-*+]\s|\d+[.)]\s|=+\s*$|-+\s*$|\|)")


def markdown_paragraph(p: str) -> str:
    """One paragraph of prose as Markdown that renders as that paragraph and nothing else."""
    # Runs of ASCII whitespace become one space; no-break spaces (U+00A0, U+202F) and the
    # other typographic spaces stay, as published: French typography depends on them.
    p = re.sub(r"[ \t\r\n\f\v]+", " ", p).strip(" ")
    if LEADING_MARKDOWN.match(p):
        p = "\\" + p
    # Inline markup characters that news text uses literally.
    p = p.replace("<", "&lt;").replace("`", "\\`")
    return p


def render_article(meta: dict, paragraphs: list[str]) -> str:
    front = ["---", f"lang: {meta['lang']}"]
    title = meta.get("title", "").replace('"', "'")
    if title:
        front.append(f'title: "{title}"')
    front.append("---")
    body = [markdown_paragraph(p) for p in paragraphs if p.strip()]
    return "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


def cmd_build(args) -> int:
    sources = load_sources()
    snapshots = dict(s.split("=", 1) for s in args.snapshot)
    out = pathlib.Path(args.out)
    # Several sources can be built into one work folder, one after the other: the manifest
    # keeps the entries of the sources that this run does not rebuild.
    mpath = out / "manifest.json"
    manifest = json.loads(mpath.read_text()) if mpath.exists() else []
    rebuilt = {name for name, mod in sources.items() if mod.SOURCE["repo"] in snapshots}
    manifest = [m for m in manifest if m["source"] not in rebuilt]
    for name, mod in sources.items():
        src = mod.SOURCE
        path = snapshots.get(src["repo"])
        if path is None:
            print(f"skipped {name}: no --snapshot {src['repo']}=PATH", file=sys.stderr)
            continue
        snap = Snapshot(path, src["commit"])
        count = 0
        for art in mod.articles(snap):
            doc = f"{name}-{art['id']}"
            lang = art.get("lang", src["lang"])
            text = render_article({"lang": lang, "title": art.get("title", "")}, art["paragraphs"])
            target = out / lang / f"{doc}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            manifest.append(
                {
                    "doc": doc,
                    "source": name,
                    "lang": lang,
                    "outlet": art.get("outlet", src.get("outlet", "")),
                    "url": art.get("url", ""),
                    "date": art.get("date", ""),
                    "sha1": sha1(text),
                }
            )
            count += 1
        print(f"{name}: {count} articles", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    mpath.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return 0


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------
# Segmentation

OPENERS = {"«": "»", "“": "”", "„": "“"}
CLOSERS = {"»", "”"}
ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "mgr", "gal", "gén",
    "mr", "mrs", "ms", "messrs", "sen", "rep", "gov", "lt", "gen", "col", "capt", "sgt", "maj",
    "cpl", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vol", "fig", "p", "pp", "av", "bd",
    "vs", "ft", "mt", "rev", "hon", "prof", "dept", "univ", "jan", "feb", "mar", "apr", "aug",
    "sept", "sep", "oct", "nov", "dec", "env", "art", "al", "cf", "ch", "etc",
}


@dataclass
class Unit:
    id: str
    start: int  # byte offsets into the article's UTF-8 text
    end: int
    text: str
    open: bool = False  # a quotation left open at the end of its paragraph


@dataclass
class Segmented:
    sentences: list[Unit] = field(default_factory=list)
    quotes: list[Unit] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # char offsets


def quote_spans(p: str) -> list[tuple[int, int, bool]]:
    """Top-level quotations of a paragraph, as (start, end, left_open) in characters."""
    spans = []
    stack: list[tuple[str, int]] = []
    for i, c in enumerate(p):
        top = stack[-1][0] if stack else None
        if c == '"':
            if top == '"':
                start = stack.pop()[1]
                if not stack:
                    spans.append((start, i + 1, False))
            elif i == 0 or not p[i - 1].isalnum():
                stack.append((c, i))
        elif top is not None and OPENERS.get(top) == c:
            start = stack.pop()[1]
            if not stack:
                spans.append((start, i + 1, False))
        elif c in OPENERS:
            stack.append((c, i))
        elif c in CLOSERS:
            # A closer that matches something deeper in the stack closes it (and whatever
            # was opened after it); a stray closer is ignored.
            for k in range(len(stack) - 1, -1, -1):
                if OPENERS.get(stack[k][0]) == c:
                    start = stack[k][1]
                    del stack[k:]
                    if not stack:
                        spans.append((start, i + 1, False))
                    break
    if stack:
        spans.append((stack[0][1], len(p), True))
    return spans


def sentence_bounds(p: str, quotes: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph in characters; never ends a sentence inside a quote."""

    def inside_quote(i: int) -> bool:
        return any(s < i < e - 1 for s, e, _ in quotes)

    bounds = []
    start = 0
    i = 0
    n = len(p)
    while i < n:
        c = p[i]
        if c in ".!?…":
            j = i + 1
            while j < n and p[j] in ".!?…»”\")’'":
                j += 1
            if j < n and p[j].isspace():
                k = j
                while k < n and p[k].isspace():
                    k += 1
                nxt = p[k] if k < n else ""
                word = re.findall(r"[\w.]+$", p[start:i])
                w = word[0].lower().rstrip(".") if word else ""
                abbrev = c == "." and (
                    w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(\w\.)+\w", w)
                )
                if (
                    nxt
                    and (nxt.isupper() or nxt.isdigit() or nxt in "«“\"—–-(")
                    and not abbrev
                    and not inside_quote(i)
                ):
                    bounds.append((start, j))
                    start = k
                    i = k
                    continue
        i += 1
    if start < n and p[start:].strip():
        bounds.append((start, n))
    return bounds


def segment(text: str) -> Segmented:
    """Sentence and quotation units of a rendered article (front matter excluded)."""
    seg = Segmented()
    body_start = 0
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            body_start = end + 5
    # Byte offset of every character, so that units carry byte offsets like copydesk's.
    byte_at = [0] * (len(text) + 1)
    b = 0
    for i, ch in enumerate(text):
        byte_at[i] = b
        b += len(ch.encode("utf-8"))
    byte_at[len(text)] = b
    pos = body_start
    for chunk in text[body_start:].split("\n\n"):
        chunk_start = text.index(chunk, pos) if chunk else pos
        pos = chunk_start + len(chunk)
        para = chunk.strip()
        if not para:
            continue
        p_start = chunk_start + chunk.index(para)
        seg.paragraphs.append((p_start, p_start + len(para)))
        qs = quote_spans(para)
        for s, e, left_open in qs:
            seg.quotes.append(
                Unit(f"q{len(seg.quotes) + 1}", byte_at[p_start + s], byte_at[p_start + e],
                     para[s:e], left_open)
            )
        for s, e in sentence_bounds(para, qs):
            while e > s and para[e - 1].isspace():
                e -= 1
            seg.sentences.append(
                Unit(f"s{len(seg.sentences) + 1}", byte_at[p_start + s], byte_at[p_start + e],
                     para[s:e])
            )
    return seg


def cmd_units(args) -> int:
    for f in args.files:
        text = pathlib.Path(f).read_text(encoding="utf-8")
        seg = segment(text)
        print(f"# {pathlib.Path(f).stem}  (segmenter {SEGMENTER}, sha1 {sha1(text)})")
        qi = 0
        raw = text.encode("utf-8")
        para_of = []
        for ps, pe in seg.paragraphs:
            para_of.append((len(text[:ps].encode("utf-8")), len(text[:pe].encode("utf-8"))))
        for pn, (pb, pe) in enumerate(para_of, 1):
            print(f"\n[¶{pn}]")
            for s in seg.sentences:
                if pb <= s.start < pe:
                    print(f"  {s.id}: {s.text}")
            while qi < len(seg.quotes) and seg.quotes[qi].start < pe:
                q = seg.quotes[qi]
                mark = " (left open)" if q.open else ""
                print(f"    {q.id}{mark}: {raw[q.start:q.end].decode('utf-8')}")
                qi += 1
    return 0


# ---------------------------------------------------------------------------------------
# Labels


def load_labels() -> list[dict]:
    out = []
    for f in sorted((HERE / "labels").glob("*/*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise SystemExit(f"{f}:{n}: {e}")
            rec["_where"] = f"{f.relative_to(HERE)}:{n}"
            out.append(rec)
    return out


def check_label(rec: dict, seg: Segmented) -> list[str]:
    """Problems with one document's labels."""
    problems = []
    sids = {u.id for u in seg.sentences}
    qids = {u.id for u in seg.quotes}
    if rec.get("segmenter") != SEGMENTER:
        problems.append(f"segmenter {rec.get('segmenter')} (this script is {SEGMENTER})")
    for sid, rules in rec.get("sentences", {}).items():
        if sid not in sids:
            problems.append(f"unknown sentence {sid}")
        for r in rules:
            if r.split("/")[0] not in RULES:
                problems.append(f"{sid}: unknown rule {r}")
    for qid, q in rec.get("quotes", {}).items():
        if qid not in qids:
            problems.append(f"unknown quote {qid}")
        if q.get("a") not in QUOTE_LABELS:
            problems.append(f"{qid}: label must be one of {QUOTE_LABELS}")
    missing = qids - set(rec.get("quotes", {}))
    if missing:
        problems.append(f"quotes without a label: {', '.join(sorted(missing, key=lambda x: int(x[1:])))}")
    return problems


def read_work(work: pathlib.Path) -> dict[str, tuple[str, str]]:
    """doc -> (lang, text) for every article of a work folder."""
    docs = {}
    for f in sorted(work.glob("*/*.md")):
        docs[f.stem] = (f.parent.name, f.read_text(encoding="utf-8"))
    return docs


def cmd_verify(args) -> int:
    docs = read_work(pathlib.Path(args.work))
    bad = 0
    counts: dict[str, list[int]] = {}
    for rec in load_labels():
        doc = rec.get("doc")
        if doc not in docs:
            print(f"{rec['_where']}: {doc}: no such article in the work folder")
            bad += 1
            continue
        lang, text = docs[doc]
        if rec.get("sha1") != sha1(text):
            print(f"{rec['_where']}: {doc}: the article's text changed since it was labelled")
            bad += 1
            continue
        seg = segment(text)
        for p in check_label(rec, seg):
            print(f"{rec['_where']}: {doc}: {p}")
            bad += 1
        c = counts.setdefault(lang, [0, 0, 0])
        c[0] += 1
        c[1] += len(seg.sentences)
        c[2] += len(seg.quotes)
    for lang, (d, s, q) in sorted(counts.items()):
        print(f"{lang}: {d} labelled articles, {s} sentences, {q} quotation units")
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------
# Scoring


def run_copydesk(binary: str, work: pathlib.Path) -> list[dict]:
    dirs = sorted(str(d) for d in work.iterdir() if d.is_dir())
    proc = subprocess.run(
        [binary, "check", "--format", "json", "--fail-on", "none", *dirs],
        capture_output=True,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"copydesk failed ({proc.returncode}): {proc.stderr.decode()[:2000]}")
    return json.loads(proc.stdout)["findings"]


def split_of(doc: str) -> str:
    """The split an article belongs to: `test` for three in ten, chosen by a hash of its
    id, `dev` for the rest. Errors are studied on `dev` only; `test` is scored to check
    that what was learned on `dev` holds."""
    return "test" if int(hashlib.sha1(doc.encode()).hexdigest(), 16) % 10 < 3 else "dev"


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def print_errors(errors: dict, lang: str, first: int) -> None:
    """The first errors of each kind for one language, as every scorer prints them."""
    for kind, lines in sorted(errors.get(lang, {}).items()):
        print(f"\n-- {lang}: {kind} ({len(lines)}; first {min(first, len(lines))})")
        for line in lines[:first]:
            print("   " + line)


def cmd_score(args) -> int:
    work = pathlib.Path(args.work)
    docs = read_work(work)
    labels = {rec["doc"]: rec for rec in load_labels()}
    findings: dict[str, list[dict]] = {}
    for f in run_copydesk(args.bin, work):
        if f["rule"].startswith("attribution/"):
            findings.setdefault(pathlib.Path(f["path"]).stem, []).append(f)

    # Per language: quote counts and sentence counts by rule.
    stats: dict[str, dict] = {}
    errors: dict[str, dict[str, list[str]]] = {}

    def err(lang: str, kind: str, line: str) -> None:
        errors.setdefault(lang, {}).setdefault(kind, []).append(line)

    for doc, rec in sorted(labels.items()):
        if doc not in docs or (args.split != "all" and split_of(doc) != args.split):
            continue
        lang, text = docs[doc]
        if rec.get("sha1") != sha1(text):
            print(f"warning: {doc} changed since it was labelled; skipped", file=sys.stderr)
            continue
        raw = text.encode("utf-8")
        seg = segment(text)
        st = stats.setdefault(lang, {"docs": 0, "q": {}, "s": {}, "fine": [0, 0]})
        st["docs"] += 1
        found = findings.get(doc, [])
        # Quotation units.
        for q in seg.quotes:
            lab = rec["quotes"].get(q.id, {}).get("a", "other")
            flagged = any(
                f["rule"] == "attribution/unattributed-quote"
                and f["start_byte"] < q.end
                and q.start < f["end_byte"]
                for f in found
            )
            c = st["q"].setdefault(lab, [0, 0])
            c[0] += 1
            c[1] += flagged
            if flagged and lab != "unattributed":
                err(lang, f"quote flagged but {lab}", f"{doc} {q.id}: {q.text[:300]}")
            if not flagged and lab == "unattributed":
                err(lang, "unattributed quote missed", f"{doc} {q.id}: {q.text[:300]}")
        # Sentence units.
        for s in seg.sentences:
            want = {r.split("/")[0] for r in rec["sentences"].get(s.id, [])}
            got = {
                f["rule"].split("/", 1)[1]
                for f in found
                if s.start <= f["start_byte"] < max(s.end, s.start + 1)
            }
            if not want:
                st["fine"][0] += 1
                if got:
                    st["fine"][1] += 1
            for r in RULES:
                c = st["s"].setdefault(r, [0, 0, 0])  # tp, fp, fn
                if r in want and r in got:
                    c[0] += 1
                elif r in got:
                    c[1] += 1
                    err(lang, f"{r}: false alarm", f"{doc} {s.id}: {raw[s.start:s.end].decode()[:300]}")
                elif r in want:
                    c[2] += 1
                    err(lang, f"{r}: missed", f"{doc} {s.id}: {raw[s.start:s.end].decode()[:300]}")
            any_c = st["s"].setdefault("any", [0, 0, 0])
            if want and got:
                any_c[0] += 1
            elif got:
                any_c[1] += 1
            elif want:
                any_c[2] += 1

    summary = {}
    for lang, st in sorted(stats.items()):
        att = st["q"].get("attributed", [0, 0])
        oth = st["q"].get("other", [0, 0])
        una = st["q"].get("unattributed", [0, 0])
        quote_flags = att[1] + oth[1] + una[1]
        print(f"\n== {lang}: {st['docs']} articles ({args.split} split)")
        print(
            f"quotations: {att[0]} attributed, flagged {att[1]} ({ratio(att[1], att[0])}); "
            f"{oth[0]} other (scare quotes, titles), flagged {oth[1]}; "
            f"{una[0]} unattributed, flagged {una[1]} (recall {ratio(una[1], una[0])}); "
            f"precision of quote flags {ratio(una[1], quote_flags)}"
        )
        print(
            f"fine sentences: {st['fine'][0]}, with an attribution finding: {st['fine'][1]} "
            f"({ratio(st['fine'][1], st['fine'][0])})"
        )
        print(f"{'rule':<20} {'tp':>5} {'fp':>5} {'fn':>5} {'precision':>10} {'recall':>8}")
        rows = {}
        for r in (*RULES, "any"):
            tp, fp, fn = st["s"].get(r, [0, 0, 0])
            print(f"{r:<20} {tp:>5} {fp:>5} {fn:>5} {ratio(tp, tp + fp):>10} {ratio(tp, tp + fn):>8}")
            rows[r] = {"tp": tp, "fp": fp, "fn": fn}
        summary[lang] = {
            "articles": st["docs"],
            "quotes": {k: {"n": v[0], "flagged": v[1]} for k, v in st["q"].items()},
            "fine_sentences": {"n": st["fine"][0], "flagged": st["fine"][1]},
            "rules": rows,
        }
        print_errors(errors, lang, args.errors)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0


# ---------------------------------------------------------------------------------------
# Entities: people and organisations introduced in the prose

# Knowledge-base kinds that are people or organisations.
KB_KINDS = {"person", "organisation", "company", "media"}
LEADING = re.compile(r"^(the|le|la|les|l')\s*", re.I)


def norm_name(s: str) -> str:
    """A name as matching sees it: accents, case, apostrophes, spacing and a leading
    article do not count (« l'Otan » = "Otan", "the State Department" = "State
    Department")."""
    import unicodedata

    s = unicodedata.normalize("NFD", s.replace("\u2019", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[\s\u00a0\u202f]+", " ", s).strip()
    return LEADING.sub("", s).strip(" .,;:")


def cmd_entities(args) -> int:
    work = pathlib.Path(args.work)
    docs = read_work(work)
    labels = {rec["doc"]: rec for rec in load_labels()}
    chosen = {}
    for doc, rec in sorted(labels.items()):
        if doc not in docs or (args.split != "all" and split_of(doc) != args.split):
            continue
        lang, text = docs[doc]
        if rec.get("sha1") != sha1(text):
            print(f"warning: {doc} changed since it was labelled; skipped", file=sys.stderr)
            continue
        chosen[doc] = (lang, rec)
    files = [str(work / lang / f"{doc}.md") for doc, (lang, _) in chosen.items()]
    proc = subprocess.run(
        [args.bin, "entities", "--derived", "--format", "json", *files], capture_output=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"copydesk failed ({proc.returncode}): {proc.stderr.decode()[:2000]}")
    # doc -> id -> {"kind", "derived", "names"}
    found: dict[str, dict[str, dict]] = {}
    for row in json.loads(proc.stdout):
        doc = pathlib.Path(row["path"]).stem
        e = found.setdefault(doc, {}).setdefault(
            row["id"], {"kind": row["kind"], "derived": row.get("derived", False), "names": set()}
        )
        e["names"].add(norm_name(row["surface"]))
        if row.get("name"):
            e["names"].add(norm_name(row["name"]))
            e["name"] = row["name"]
            e["desc"] = row.get("description")
    stats: dict[str, dict[str, int]] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    for doc, (lang, rec) in chosen.items():
        st = stats.setdefault(lang, {"docs": 0, "derived": 0, "derived_tp": 0, "kind_ok": 0,
                                     "gold": 0, "gold_found": 0, "gold_found_derived": 0})
        st["docs"] += 1
        gold = [
            (g, {norm_name(g["name"])} | {norm_name(a) for a in g.get("aliases", [])})
            for g in rec.get("entities", [])
        ]
        pred = [
            (pid, e) for pid, e in found.get(doc, {}).items()
            if e["derived"] or e["kind"] in KB_KINDS
        ]

        def matches(e: dict, forms: set[str]) -> bool:
            return bool(e["names"] & forms)

        for pid, e in pred:
            if not e["derived"]:
                continue
            st["derived"] += 1
            hit = [g for g, forms in gold if matches(e, forms)]
            if hit:
                st["derived_tp"] += 1
                want = "person" if hit[0]["kind"] == "person" else "organisation"
                st["kind_ok"] += e["kind"] == want
            else:
                errors.setdefault(lang, {}).setdefault("derived, not labelled", []).append(
                    f"{doc}: {e.get('name')} ({e['kind']}; {e.get('desc')})")
        for g, forms in gold:
            st["gold"] += 1
            by = [e for _, e in pred if matches(e, forms)]
            if by:
                st["gold_found"] += 1
                st["gold_found_derived"] += any(e["derived"] for e in by)
            else:
                errors.setdefault(lang, {}).setdefault("labelled, not found", []).append(
                    f"{doc}: {g['name']} ({g['kind']}; {g.get('desc', '')})")
    summary = {}
    for lang, st in sorted(stats.items()):
        print(f"\n== {lang}: {st['docs']} articles ({args.split} split)")
        print(f"derived entities: {st['derived']}, labelled {st['derived_tp']} "
              f"(precision {ratio(st['derived_tp'], st['derived'])}); right kind "
              f"{st['kind_ok']} of {st['derived_tp']}")
        print(f"labelled entities: {st['gold']}, found {st['gold_found']} "
              f"(recall {ratio(st['gold_found'], st['gold'])}); by a derived entity "
              f"{st['gold_found_derived']} ({ratio(st['gold_found_derived'], st['gold'])})")
        summary[lang] = st
        print_errors(errors, lang, args.errors)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0


# ---------------------------------------------------------------------------------------
# Speakers

# Words left out when names are compared: determiners, courtesy titles and function words
# that a tag or a label may or may not carry (« le ministre » / "the minister", "Dr Khoo" /
# "Khoo"). Names are compared without case, accents or apostrophe differences.
SPEAKER_STOPWORDS = {
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "the", "a", "an", "of", "and",
    "et", "m", "mme", "mlle", "mr", "mrs", "ms", "miss", "dr", "pr", "prof", "sen", "rep", "gov",
    "sir", "lord", "lady", "monsieur", "madame", "son", "sa", "ses", "his", "her", "their",
}


def speaker_words(name: str) -> list[str]:
    import unicodedata

    s = unicodedata.normalize("NFKD", name.lower().replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    words = re.findall(r"[\w-]+", s)
    return [w for w in words if w not in SPEAKER_STOPWORDS]


def speaker_matches(answer: str, label: str, ref: str | None) -> bool:
    """Whether copydesk's speaker names the labelled person: the same words, one name's
    words contained in the other's (« Pachinian » in « Nikol Pachinian », « un proche »
    in « un proche du président »), or the label's surname (its last word) among the
    answer's words. The label's `ref` (the words near the quote) counts too for a
    non-person label."""
    a = speaker_words(answer)
    if not a:
        return False
    for target in filter(None, (label, ref)):
        t = speaker_words(target)
        if not t:
            continue
        if set(a) <= set(t) or set(t) <= set(a):
            return True
        if t[-1] in a:
            return True
    return False


def run_sources(binary: str, work: pathlib.Path) -> dict[str, list[dict]]:
    """doc -> the quotations of `copydesk sources --format json`."""
    dirs = sorted(str(d) for d in work.iterdir() if d.is_dir())
    proc = subprocess.run([binary, "sources", "--format", "json", *dirs], capture_output=True)
    if proc.returncode != 0:
        raise SystemExit(f"copydesk sources failed ({proc.returncode}): {proc.stderr.decode()[:2000]}")
    out = {}
    for art in json.loads(proc.stdout)["articles"]:
        out[pathlib.Path(art["path"]).stem] = art["quotations"]
    return out


def copydesk_speaker(quotes: list[dict], unit: Unit) -> str | None:
    """copydesk's speaker for a quotation unit: of the quotations that overlap it, the
    first with a speaker; the resolved person if any, else the words as written. A
    pronoun that copydesk could not resolve is no answer."""
    for q in quotes:
        if q["start_byte"] < unit.end and unit.start < q["end_byte"] and q.get("speaker"):
            if q.get("resolved"):
                return q["resolved"]
            if q.get("speaker_kind") == "pronoun":
                return None
            return q["speaker"]
    return None


def cmd_speakers(args) -> int:
    work = pathlib.Path(args.work)
    docs = read_work(work)
    labels = {rec["doc"]: rec for rec in load_labels()}
    found = run_sources(args.bin, work)
    stats: dict[str, dict[str, int]] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    for doc, rec in sorted(labels.items()):
        if doc not in docs or (args.split != "all" and split_of(doc) != args.split):
            continue
        lang, text = docs[doc]
        if rec.get("sha1") != sha1(text):
            print(f"warning: {doc} changed since it was labelled; skipped", file=sys.stderr)
            continue
        seg = segment(text)
        st = stats.setdefault(lang, {"n": 0, "correct": 0, "wrong": 0, "unanswered": 0})
        for u in seg.quotes:
            lab = rec["quotes"].get(u.id, {})
            if lab.get("a") != "attributed" or not lab.get("speaker"):
                continue
            st["n"] += 1
            answer = copydesk_speaker(found.get(doc, []), u)
            where = f"{doc} {u.id} [{lab.get('how', '?')}] label={lab['speaker']!r}"
            if lab.get("ref"):
                where += f" ref={lab['ref']!r}"
            if answer is None:
                st["unanswered"] += 1
                errors.setdefault(lang, {}).setdefault("unanswered", []).append(where)
            elif speaker_matches(answer, lab["speaker"], lab.get("ref")):
                st["correct"] += 1
            else:
                st["wrong"] += 1
                errors.setdefault(lang, {}).setdefault("wrong", []).append(
                    f"{where} copydesk={answer!r}"
                )
    summary = {}
    for lang, st in sorted(stats.items()):
        n, c, w, u = st["n"], st["correct"], st["wrong"], st["unanswered"]
        print(f"\n== {lang} ({args.split} split): {n} attributed quotations with a labelled speaker")
        print(
            f"speaker correct {c} ({ratio(c, n)}); wrong {w} ({ratio(w, c + w)} of those answered); "
            f"unanswered {u} ({ratio(u, n)})"
        )
        summary[lang] = st
        print_errors(errors, lang, args.errors)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(summary, indent=1))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--snapshot", action="append", default=[], metavar="OWNER/NAME=PATH")
    b.add_argument("--out", required=True)
    u = sub.add_parser("units")
    u.add_argument("files", nargs="+")
    v = sub.add_parser("verify")
    v.add_argument("work")
    # The three scorers run copydesk on a work folder and read the same options.
    for name in ("score", "entities", "speakers"):
        c = sub.add_parser(name)
        c.add_argument("work")
        c.add_argument("--bin", default=str(HERE.parent.parent / "target/release/copydesk"))
        c.add_argument("--errors", type=int, default=10)
        c.add_argument("--json")
        c.add_argument("--split", choices=["dev", "test", "all"], default="dev",
                       help="score the dev split (default), the held-back test split, or both")
    args = ap.parse_args()
    return {"build": cmd_build, "units": cmd_units, "verify": cmd_verify, "score": cmd_score,
            "entities": cmd_entities, "speakers": cmd_speakers}[
        args.cmd
    ](args)


if __name__ == "__main__":
    sys.exit(main())
