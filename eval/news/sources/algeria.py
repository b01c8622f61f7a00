"""El Watan (Algeria) articles on the "gilets jaunes", from the feryah/gilets_jaunes corpus.

The repository is a student project (M2 TAL, INaLCO, 2018-2019) that scraped the international
press about the "gilets jaunes" movement. `Francais_DZ/gilets_jaunes.xml` holds 151 articles
from three Algerian French-language dailies, in the order of the scraping script
(`Francais_DZ/gilets_jaunes_2.py`): Liberté (ids 1-40), El Watan (ids 41-116, one per URL of
the script's `bons_urls8` list, in the same order) and Le Courrier d'Algérie (ids 117-151).

Only the El Watan articles are read. The other two outlets lost their paragraphs in the
scraping (a Liberté article is a lead and one block of 2,000-3,000 characters; a Courrier
article is one or two blocks), and nothing in the text marks where the paragraphs were, so
they cannot be restored faithfully. The contrast file (`contrast_gilets.xml`, Liberté's
regional pages) has the same problem. El Watan's articles keep one paragraph a line.

Cleaning, deterministic: lines are stripped and empty ones (or lines of non-breaking spaces)
dropped; a line that starts with a lowercase letter continues the previous one (a hard wrap
inside a paragraph, seen twice); a closing byline ("Par Nom, fonction", within the last two
paragraphs and under 160 characters) is dropped with what follows it; a signature glued after the final punctuation of a paragraph
("… le peuple». Walid Mebarek", "… R. I.", one per item in the news-in-brief pages) is cut.
Articles whose text is
empty or repeats an earlier article's text (id 97 carries the text of id 40; id 83 is 13
characters) are skipped. Each article's URL and date come from the scraping script.

Selection for labelling (see labels/fr/algeria.jsonl): the articles this module yields,
minus the opinion sections (URL under /edition/contributions/ or /chroniques/) and minus
articles without any quotation unit, taken in the order of `random.Random(2019).shuffle` of
their ids (`selection_order()` below) and labelled in that order, whole articles only. One
eligible article is left out as a republication: id 100 is the same story as id 101 (labelled
first in that order) with a few words changed.
"""

from __future__ import annotations

import ast
import random
import re
import xml.etree.ElementTree as ET

SOURCE = {
    "repo": "feryah/gilets_jaunes",
    "commit": "69d104955e6dc1aea04d7aad796f70696878f495",
    "lang": "fr",
    "outlet": "El Watan",
    "licence": "none stated: the repository has no licence file; the articles are © El Watan "
    "(Algiers), scraped for a university course",
    "description": "El Watan articles about the gilets jaunes and related news, Nov 2018 - Mar 2019, "
    "from Francais_DZ/gilets_jaunes.xml (ids 41-116)",
}

CORPUS = "Francais_DZ/gilets_jaunes.xml"
SCRIPT = "Francais_DZ/gilets_jaunes_2.py"
FIRST_ID, LAST_ID = 41, 116  # the El Watan block, one id per URL of bons_urls8
BYLINE = re.compile(r"^Par [A-ZÀ-Ý]")
# A signature glued to the end of a paragraph: initials ("R. I.", "N. B.") or a name of two or
# three capitalised words ("Walid Mebarek"), after the paragraph's final punctuation.
SIGNATURE = re.compile(
    r"(?<=[.!?»…])\s+(?:(?:[A-ZÀ-Ý]\.\s?){1,3}|[A-ZÀ-Ý][a-zà-ÿ]+(?:[ -][A-ZÀ-Ý][a-zà-ÿ]+){1,2})$"
)
OPINION = ("/edition/contributions/", "/chroniques/")


def _urls(snapshot) -> list[str]:
    script = snapshot.read(SCRIPT).decode("utf-8")
    m = re.search(r"^bons_urls8 = (\[.*?\])$", script, re.M)
    return ast.literal_eval(m.group(1))


def _paragraphs(content: str) -> list[str]:
    paras: list[str] = []
    for line in content.split("\n"):
        line = line.strip()
        if not line:
            continue
        if paras and line[0].islower():
            paras[-1] += " " + line
        else:
            paras.append(line)
    paras = [SIGNATURE.sub("", p) for p in paras]
    for k in range(max(0, len(paras) - 2), len(paras)):
        if BYLINE.match(paras[k]) and len(paras[k]) < 160:
            del paras[k:]
            break
    return paras


def _date(url: str) -> str:
    m = re.search(r"-(\d\d)-(\d\d)-(\d{4})$", url)
    return f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else ""


def articles(snapshot):
    root = ET.fromstring(snapshot.read(CORPUS))
    arts = root.findall(".//article")
    urls = _urls(snapshot)
    assert len(urls) == LAST_ID - FIRST_ID + 1
    seen = set()
    for a in arts:
        content = a.findtext("content") or ""
        key = " ".join(content.split())
        n = int(a.get("id"))
        if n < FIRST_ID:
            seen.add(key)
            continue
        if n > LAST_ID:
            break
        if len(key) < 200 or key in seen:
            seen.add(key)
            continue
        seen.add(key)
        url = urls[n - FIRST_ID]
        yield {
            "id": f"{n:03d}",
            "title": " ".join((a.findtext("title") or "").split()),
            "paragraphs": _paragraphs(content),
            "url": url,
            "date": _date(url),
            "outlet": "El Watan",
            "opinion": any(s in url for s in OPINION),
        }


def selection_order(snapshot) -> list[str]:
    """Ids of the articles eligible for labelling, in the order they are labelled."""
    import sys, pathlib

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
    from newsdev import render_article, segment

    ids = []
    for art in articles(snapshot):
        if art["opinion"]:
            continue
        text = render_article({"lang": "fr", "title": art["title"]}, art["paragraphs"])
        if segment(text).quotes:
            ids.append(art["id"])
    random.Random(2019).shuffle(ids)
    return ids
