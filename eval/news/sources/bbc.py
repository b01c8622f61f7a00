"""BBC News website articles of 2004-2005 (the "BBC" dataset of Greene and Cunningham, 2006).

2,225 articles of the BBC News website in five sections (business, entertainment, politics,
sport, tech), one plain-text file each: the headline on the first line, then the article's
paragraphs separated by blank lines. The files carry no scraping debris (no captions,
bylines or links), so the reader keeps every paragraph as it is.

Reader rules: files are read in path order (`bbc/<section>/<nnn>.txt`); the id is
`<section>-<nnn>`. A file is decoded as UTF-8, or as Latin-1 when it is not valid UTF-8 (one
file of this copy, sport/199, kept the dataset's original encoding). A file whose text
(headline and body) repeats an earlier one exactly is skipped (the dataset holds a few
duplicates). The dataset gives no URL and no date.

`selection_order()` gives the order in which articles were taken for labelling: all
articles sorted by the SHA-1 of "newsdev-en-b:" followed by the id (a fixed pseudo-random
order spreading the five sections), keeping those that contain at least one double
quotation mark.
"""

from __future__ import annotations

import hashlib

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
    return [a for a in keyed if any('"' in p or "“" in p for p in a["paragraphs"])]
