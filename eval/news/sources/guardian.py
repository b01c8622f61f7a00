"""The Guardian, as scraped by the INaLCO "gilets jaunes" student project (2018-2019).

Two files of the repository: `Guardian_original.xml` (articles found by searching for the
gilets jaunes / yellow vests, Nov 2018 - Mar 2019) and `Guardian_contraste.xml` (articles on
other topics, mostly found by searching for "France": sport, business, culture, diplomacy).
Each `<doc link=… title=… [date=…]>` holds the article body, one paragraph a line (the
scraper took the `<p>` children of the article body with Selenium).

Cleaning, deterministic and applied before labelling (the labels keep a SHA-1 of each article):
- a paragraph of a single capital letter is a drop cap: it is glued to the next paragraph;
- paragraphs starting with "•" (author bios, correction notes, "Follow … on Twitter"), "***"
  section separators, embedded tweets (a line with "pic.twitter.com") and the Guardian's
  reader call-outs and comment-moderation notes are dropped (see `BOILERPLATE`);
- pull quotes are dropped: a paragraph with no final punctuation whose pieces (split at "…",
  editorial [brackets] removed, three words or more each) all occur in another paragraph;
- the " | section | The Guardian" tail of the page title is cut.
Duplicates (the same link earlier in either file) and empty documents (galleries, live blogs,
whose text the scraper did not capture) are skipped. Ids are the file ("o" original,
"c" contrast) and the document's zero-based position in that file, so they are stable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SOURCE = {
    "repo": "feryah/gilets_jaunes",
    "commit": "69d104955e6dc1aea04d7aad796f70696878f495",
    "lang": "en",
    "outlet": "The Guardian",
    "licence": "articles © Guardian News & Media; the scraping repository states no licence "
    "(used here for evaluation only, text not redistributed)",
    "description": "The Guardian articles on the gilets jaunes and on other topics "
    "(Anglais/Anglais_GB/corpus/Guardian_original.xml and Guardian_contraste.xml)",
}

FILES = (
    ("o", "Anglais/Anglais_GB/corpus/Guardian_original.xml"),
    ("c", "Anglais/Anglais_GB/corpus/Guardian_contraste.xml"),
)

# Whole paragraphs that are page furniture, not article text.
BOILERPLATE = (
    re.compile(r"^•"),
    re.compile(r"^\*\*\*$"),
    re.compile(r"pic\.twitter\.com"),
    re.compile(r"^You can get in touch by filling in this encrypted form\.$"),
    re.compile(r"^Your responses will only be seen by the Guardian"),
    re.compile(r"^Follow Guardian \w+ on Twitter"),
    re.compile(r"^Comments on this piece are premoderated"),
    re.compile(r"^If you would like a comment on this piece to be considered"),
    re.compile(r"^[A-Z][\w ]{0,40} contributed to this report\.?$"),
    re.compile(r"^This article is adapted from a talk given"),
)

URL_DATE = re.compile(r"/(\d{4})/([a-z]{3})/(\d{1,2})/")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def pull_quote_pieces(p: str) -> list[str]:
    p = re.sub(r"\[[^\]]*\]", " ", p)
    return [f.strip(" .,;:–-") for f in re.split(r"…|\.\.\.", p) if len(f.split()) >= 3]


def is_pull_quote(k: int, paragraphs: list[str]) -> bool:
    p = paragraphs[k]
    if re.search(r"[.?!”\"’:)]$", p):
        return False
    pieces = pull_quote_pieces(p)
    others = " ".join(paragraphs[:k] + paragraphs[k + 1 :])
    return bool(pieces) and all(f in others for f in pieces)


def clean_paragraphs(text: str) -> list[str]:
    raw = [p.strip() for p in text.split("\n")]
    raw = [p for p in raw if p]
    out: list[str] = []
    i = 0
    while i < len(raw):
        p = raw[i]
        # A drop cap scraped as its own paragraph: "T" then "he body landed …".
        if re.fullmatch(r"[A-Z]", p) and i + 1 < len(raw):
            p = p + raw[i + 1]
            i += 1
        i += 1
        if any(rx.search(p) for rx in BOILERPLATE):
            continue
        out.append(p)
    return [p for k, p in enumerate(out) if not is_pull_quote(k, out)]


def url_date(url: str) -> str:
    m = URL_DATE.search(url)
    if not m or m.group(2) not in MONTHS:
        return ""
    return f"{m.group(1)}-{MONTHS[m.group(2)]:02d}-{int(m.group(3)):02d}"


def articles(snapshot):
    seen: set[str] = set()
    for prefix, path in FILES:
        root = ET.fromstring(snapshot.read(path))
        for n, doc in enumerate(root.iter("doc")):
            url = (doc.get("link") or "").lstrip(">").strip()
            if url in seen:
                continue
            seen.add(url)
            paragraphs = clean_paragraphs(doc.text or "")
            if not paragraphs:
                continue
            title = (doc.get("title") or "").split(" | ")[0].strip()
            yield {
                "id": f"{prefix}{n:03d}",
                "title": title,
                "paragraphs": paragraphs,
                "url": url,
                "date": url_date(url) or (doc.get("date") or ""),
                "outlet": "The Guardian",
            }
