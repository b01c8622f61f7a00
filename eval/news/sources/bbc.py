"""BBC News website articles of 2004-2005 (the "BBC" dataset of Greene and Cunningham, 2006).

2,225 articles of the BBC News website in five sections (business, entertainment, politics,
sport, tech), one plain-text file each: the headline on the first line, then the article's
paragraphs separated by blank lines. The files carry no scraping debris (no captions,
bylines or links), so the reader keeps every paragraph as it is.

Reader rules: files are read in path order (`bbc/<section>/<nnn>.txt`); the id is
`<section>-<nnn>`. The dataset joined some of the site's paragraphs into one, which breaks
the newspaper convention for a quotation running over several paragraphs (the paragraph
ends without a closing mark and the next one opens with a new mark): the text then reads
`... offers. "But we ...` with a quotation still open. The reader restores the paragraph
break before such a mark (a straight double quote preceded by a space and a full stop,
question or exclamation mark while a quotation is open, and followed by a letter or a
mark, not by a space). A last paragraph that only
presents the writer ("Clark Boyd is technology correspondent for The World, ...") is a
byline and is dropped. A file is decoded as UTF-8, or as Latin-1 when it is not valid UTF-8 (one
file of this copy, sport/199, kept the dataset's original encoding). A file whose text
(headline and body) repeats an earlier one exactly is skipped (the dataset holds a few
duplicates). The dataset gives no URL and no date.

`selection_order()` gives the order in which articles were taken for labelling: all
articles sorted by the SHA-1 of "newsdev-en-b:" followed by the id (a fixed pseudo-random
order spreading the five sections), keeping those that contain at least one double
quotation mark and no paragraph of fewer than three words (a sign of a text the dataset
garbled, such as sport-121, whose italics became one-word paragraphs and which ends with
readers' comments).
"""

from __future__ import annotations

import hashlib
import re

SOURCE = {
    "repo": "dejanbatanjac/bbc-article-classify-bert",
    "commit": "8265dc84e88b82b87ce7f5b2df5bbbb1159ae922",
    "lang": "en",
    "outlet": "BBC News",
    "licence": "no licence in the repository; the dataset (mlg.ucd.ie/datasets/bbc.html) "
    "says: all rights, including copyright, in the content of the original articles are "
    "owned by the BBC",
    "description": "BBC News website articles from 2004-2005 in five sections (business, "
    "entertainment, politics, sport, tech), the dataset of D. Greene and P. Cunningham, "
    "'Practical Solutions to the Problem of Diagonal Dominance in Kernel Document "
    "Clustering', ICML 2006; bbc/<section>/<nnn>.txt",
}


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


BYLINE = re.compile(
    r"^[A-Z][\w'.-]+( [A-Z][\w'.-]+){1,3} is (the |a )?[\w ]*\b(editor|correspondent)\b"
)


def split_continuations(p: str) -> list[str]:
    """A paragraph split where the dataset joined a quotation's continuation paragraph."""
    cuts = []
    open_quote = False
    for i, c in enumerate(p):
        if c != '"':
            continue
        prev = p[i - 1] if i else " "
        nxt = p[i + 1] if i + 1 < len(p) else " "
        if open_quote and prev == " " and i >= 2 and p[i - 2] in ".?!" and not nxt.isspace():
            cuts.append(i)  # a new paragraph of the same quotation opens here
        elif open_quote:
            open_quote = False
        elif i == 0 or not prev.isalnum():
            open_quote = True
    parts = []
    start = 0
    for i in cuts:
        parts.append(p[start:i].rstrip())
        start = i
    parts.append(p[start:])
    return [x for x in parts if x]


def articles(snapshot):
    seen = set()
    for path in snapshot.list("bbc"):
        parts = path.split("/")
        if len(parts) != 3 or not parts[2].endswith(".txt"):
            continue
        text = decode(snapshot.read(path)).replace("\r\n", "\n")
        digest = hashlib.sha1(text.strip().encode("utf-8")).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        blocks = [b.strip() for b in text.strip().split("\n\n")]
        title, body = blocks[0], [b for b in blocks[1:] if b]
        if body and len(body[-1].split()) < 20 and BYLINE.match(body[-1]):
            body = body[:-1]
        body = [part for b in body for part in split_continuations(b)]
        yield {
            "id": f"{parts[1]}-{parts[2][:-4]}",
            "title": title,
            "paragraphs": body,
            "url": "",
            "date": "",
            "outlet": "BBC News",
        }


def selection_order(arts) -> list[dict]:
    """The labelling order: a fixed pseudo-random order of the articles with a quote mark."""
    keyed = sorted(arts, key=lambda a: hashlib.sha1(f"newsdev-en-b:{a['id']}".encode()).hexdigest())
    return [
        a
        for a in keyed
        if any('"' in p or "“" in p for p in a["paragraphs"])
        and all(len(p.split()) >= 3 for p in a["paragraphs"])
    ]
