"""Shared reader for the Belgian press files of feryah/gilets_jaunes (La Libre Belgique, La DH).

The files are loose XML written by a scraper (`<doc title="…" source="…">`, then the text of
the article's `<p>` elements, one per line, with HTML entities). They are read with a tolerant
regular expression, entities are unescaped, and the scraping debris is removed
deterministically:

- photo credits and captions (a line that starts with ©, or ends with « © CREDIT »);
- cross-links (« Lire aussi : … », « ►Lire aussi », « >>> Lire : … »), template placeholders
  (« {{1}} »), live-blog « Plus d'infos à suivre/venir » lines, promotional « Découvrez tous
  les résultats … » lines, embedded-video lead-ins (« Revivez le direct de Brut : »), and a
  « Cet article vous a intéressé ? Consultez aussi … » trailer with the links after it;
- bylines: « Un édito de X. », « La Dernière Humeur est signée X. » / « … par X », an opening
  or closing « Par Prénom Nom, fonction. » line, a « Par Prénom Nom. » glued to the first
  sentence, and initials or a bare name alone on the last line (« G.La », « S.M. », « LEF »);
- a line of punctuation only (« . », « ". », « ” »), which the scraper split off the end of the
  previous paragraph, is joined back to it.

An article is *truncated* (a subscriber-only teaser) when a line is only « (...) » / « […] »
or ends with « (...) »; such articles are not yielded. Nor are empty articles, articles with no
quotation mark at all (« », “ ”, ") in their text, and duplicates: an article whose title or
first paragraph (case- and space-insensitive) equals that of an article read before it, the
files being read in the order La Libre (gilets jaunes), La Libre (contrast), La DH (gilets
jaunes), La DH (contrast). The same AFP/Belga wire story published by both papers is thus kept
once, in La Libre.

Ids are `<stratum>-<index>` with the zero-padded index of the `<doc>` in its file (counting
every `<doc>`, yielded or not), so they do not move when the cleaning rules change.

Selection for labelling (annotator fr-a, labels/fr/lalibre.jsonl and labels/fr/dh.jsonl): the
yielded articles of each of the four strata (lalibre-gj, dh-gj, lalibre-ct, dh-ct) are ordered
by the SHA-1 of "fr-a:<doc>", then taken round-robin in that stratum order (the first of each
stratum, then the second of each, ...; a stratum that runs out is passed over) and labelled in
that order, none skipped, until the target was reached.
"""

from __future__ import annotations

import html
import re

REPO = "feryah/gilets_jaunes"
COMMIT = "69d104955e6dc1aea04d7aad796f70696878f495"
LICENCE = (
    "none given: the repository (an INaLCO M2 course project, 2018-2019) has no licence file; "
    "the article texts are © their publishers (La Libre Belgique, La DH, and the AFP/Belga "
    "wires). Used here for evaluation only; no text is redistributed."
)

# (stratum, path in the snapshot, outlet)
FILES = {
    "lalibre": [
        ("gj", "Francais/Belgique/LaLibre.xml", "La Libre Belgique"),
        ("ct", "Francais/Belgique/LaLibreContrast.xml", "La Libre Belgique"),
    ],
    "dh": [
        ("gj", "Francais/Belgique/DH.xml", "La DH"),
        ("ct", "Francais/Belgique/DH_CONTRAST.xml", "La DH"),
    ],
}

DOC = re.compile(r"<doc\b([^>]*)>(.*?)</doc>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')

CREDIT_LINE = re.compile(r"^©")
CAPTION_WITH_CREDIT = re.compile(r"\s©\s?[^©]{1,40}$")
CROSS_LINK = re.compile(r"^\W*(?:lire aussi|lire)\s*:", re.I)
PLACEHOLDER = re.compile(r"^\{\{\d+\}\}$")
MORE_TO_COME = re.compile(r"^Plus d'infos à (?:suivre|venir)\W*$")
PROMO = re.compile(r"^Découvrez tous les résultats\b")
EMBED_LEAD = re.compile(r"^Revivez le direct de .*:$")
TRAILER = re.compile(r"^Cet article vous a intéressé \?")
EDITO_BYLINE = re.compile(r"^Un édito de [^.]+\.?$")
HUMEUR_BYLINE = re.compile(r"^La Dernière Humeur (?:est signée|par) .*$")
PAR_BYLINE = re.compile(r"^Par [A-ZÉ][\w'’-]+ (?:(?:de|De|van|Van|du|Du|le|Le) )*[A-ZÉ][\w'’-]+,[^.]*\..{0,40}$")
GLUED_BYLINE = re.compile(r"^Par [A-ZÉ][\w'’-]+ (?:(?:de|De|van|Van|du|Du|le|Le) )*[A-ZÉ][\w'’-]+\.(?=[A-ZÀ-Ý])")
INITIALS = re.compile(
    r"^(?:(?:[A-Z][a-zA-Z]{0,2}\.\s?){1,3}|[A-Z]\.\s?[A-Z][a-z]{1,2}\.?|[A-Z]{2,4}\.?)$"
)
BARE_NAME = re.compile(r"^[A-ZÉ][a-zéèï]+(?: (?:[Dd]e|[Vv]an|[Dd]u|[Ll]e))* [A-Z][\w-]+$")
PUNCT_ONLY = re.compile(r"^[.\"”»’)]+$")
TRUNCATION = re.compile(r"^(?:\(\.\.\.\)|\(…\)|\[\.\.\.\]|\[…\])$")


def norm(s: str) -> str:
    return " ".join(s.split()).lower()


def parse(data: bytes):
    """(index, title, lines) for every <doc> of a file, entities unescaped."""
    text = data.decode("utf-8")
    for i, m in enumerate(DOC.finditer(text)):
        attrs = dict(ATTR.findall(m.group(1)))
        title = " ".join(html.unescape(attrs.get("title", "")).split())
        lines = [html.unescape(l).strip() for l in m.group(2).split("\n")]
        yield i, title, [l for l in lines if l]


def clean(lines: list[str]) -> tuple[list[str], bool]:
    """The article's paragraphs without scraping debris, and whether it is a truncated teaser."""
    truncated = False
    kept: list[str] = []
    for line in lines:
        if TRAILER.match(line):
            break
        if TRUNCATION.match(line):
            truncated = True
            continue
        if line.endswith("(...)") or line.endswith("(…)"):
            truncated = True
        if (
            CREDIT_LINE.match(line)
            or CAPTION_WITH_CREDIT.search(line)
            or CROSS_LINK.match(line)
            or PLACEHOLDER.match(line)
            or MORE_TO_COME.match(line)
            or PROMO.match(line)
            or EMBED_LEAD.match(line)
            or EDITO_BYLINE.match(line)
            or HUMEUR_BYLINE.match(line)
        ):
            continue
        if PUNCT_ONLY.match(line) and kept:
            kept[-1] += line
            continue
        kept.append(line)
    if kept and PAR_BYLINE.match(kept[0]):
        kept = kept[1:]
    if kept and GLUED_BYLINE.match(kept[0]):
        kept[0] = GLUED_BYLINE.sub("", kept[0])
    if kept and (PAR_BYLINE.match(kept[-1]) or INITIALS.match(kept[-1]) or BARE_NAME.match(kept[-1])):
        kept = kept[:-1]
    return kept, truncated


QUOTE_MARK = re.compile(r"[«»“”\"]")


def articles(snapshot, paper: str):
    """The yielded articles of one paper (see the module's docstring for what is skipped)."""
    seen_titles: set[str] = set()
    seen_firsts: set[str] = set()
    for name, files in FILES.items():
        for stratum, path, outlet in files:
            for i, title, lines in parse(snapshot.read(path)):
                paragraphs, truncated = clean(lines)
                if not paragraphs:
                    continue
                t, f = norm(title), norm(paragraphs[0])
                duplicate = t in seen_titles or f in seen_firsts
                seen_titles.add(t)
                seen_firsts.add(f)
                if name != paper or duplicate or truncated:
                    continue
                if not any(QUOTE_MARK.search(p) for p in paragraphs):
                    continue
                yield {
                    "id": f"{stratum}-{i:04d}",
                    "title": title,
                    "paragraphs": paragraphs,
                    "url": "",
                    "date": "",
                    "outlet": outlet,
                }
        if name == paper:
            return
