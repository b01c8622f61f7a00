"""20 minutes (Suisse romande) articles, from the 20min-XD corpus of ZurichNLP.

20min-XD (Wastl et al., 2025) aligns German articles of 20 Minuten with French articles of
20 minutes, the Swiss free daily's online editions. The full corpus is not in the repository
(it is on Hugging Face); the repository keeps a validation set, `data/val/val_set.tsv`: 14
article pairs, all published on 28 August 2024, with each article's body in the site's own
markup (<ld> lead, <p> paragraph, <zt> intertitle, <lg> picture caption, <ka> pull quote,
<au> author, <a> link). Only the French side is read.

Why this source: the Swiss files of feryah/gilets_jaunes (fr_CH_corpus*.xml, Le Temps, Le
Matin, Tribune de Genève, Le Nouvelliste) lost their paragraphs in the scraping. Le Matin,
TdG and Le Nouvelliste joined paragraphs with a single space, like sentences; Le Temps joined
them with nothing ("mobilisation».Lire aussi: ...apaiséeSi tous"), which could be split at
the joins, but the text also carries "Lire aussi" titles, intertitles and embedded tweets
glued to the prose with no mark of where they end, so no deterministic rule restores them
faithfully. This file keeps its paragraphs.

Cleaning, deterministic: captions (<lg>), pull quotes (<ka>, which repeat the body) and the
author line (<au>) are dropped, as is a closing agency or initials credit ("(AFP)", "(ffa)").
The lead and the intertitles stay, one paragraph each. Links are kept as Markdown links
(a link is a source for the attribution rules); the scraper removed the spaces around <a>
elements ("avoir été<a …>terrassé … match</a>à Sao Paulo"), so a space is put back where a
word (or a comma, a closing quote) meets the link, and where the link meets a word, an
opening quote or a dash.

Selection for labelling (labels/fr/swiss.jsonl): every French article of the file, in file
order.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import re

SOURCE = {
    "repo": "ZurichNLP/20min-XD",
    "commit": "649f7b7bd4c84efd7a2536e3606071bb5bb83767",
    "lang": "fr",
    "outlet": "20 minutes (Suisse)",
    "licence": "repository under the MIT licence (code); the README restricts the dataset to "
    "non-commercial research use; the articles are © 20 minutes / TX Group",
    "description": "French side of the 20min-XD validation set: 14 articles of 20 minutes "
    "online (Switzerland), 28 August 2024",
}

VALSET = "data/val/val_set.tsv"
DROP = re.compile(r"<(lg|ka)>.*?</\1>", re.S)
CREDIT = re.compile(r"^\([\w/ .’'-]{1,30}\)$")


def _links(html: str) -> str:
    """Each <a href="URL">text</a> as a Markdown link, with the spaces the scraper removed."""

    def link(m: re.Match) -> str:
        before = html[m.start() - 1] if m.start() else ""
        after = html[m.end()] if m.end() < len(html) else ""
        space_before = " " if before.isalnum() or before in ",;:?!»)" else ""
        space_after = " " if after.isalnum() or after in "«(-–" else ""
        return f"{space_before}[{m.group(2)}]({htmllib.unescape(m.group(1))}){space_after}"

    return re.sub(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', link, html, flags=re.S)


def _paragraphs(content: str) -> list[str]:
    body = DROP.sub("", content)
    body = re.sub(r"<p><au>.*?</au></p>", "", body, flags=re.S)
    body = _links(body)
    paras = []
    for m in re.finditer(r"<(p|zt)>(.*?)</\1>", body, re.S):
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        if text and not CREDIT.match(text):
            paras.append(text)
    return paras


def articles(snapshot):
    csv.field_size_limit(1 << 30)
    data = snapshot.read(VALSET).decode("utf-8")
    for row in csv.DictReader(io.StringIO(data), delimiter="\t"):
        yield {
            "id": row["id_fr"],
            "title": row["head_fr"].strip(),
            "paragraphs": _paragraphs(row["content_fr"]),
            "url": row["article_link_fr"],
            "date": row["pubtime_fr"][:10],
            "outlet": "20 minutes (Suisse)",
        }
