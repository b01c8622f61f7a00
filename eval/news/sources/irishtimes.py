"""The Irish Times, as scraped by the INaLCO "gilets jaunes" student project (2018-2019).

Two files of the repository: `IT_original.xml` (a crawl of the site's Europe section started
from a search for "gilets jaunes", Nov 2018 - Mar 2019: gilets jaunes coverage and other
European news) and `IT_contraste.xml` (a crawl started from a search for "france -gilets
-vest": Brexit, US, Middle East and some French news).

The scraper (scrapy, `response.css('p::text')`) kept only the text nodes that are direct
children of `<p>`: **the text of links and of bold or italic spans is missing** (often a name:
"the French president, , denounced …"). Nothing can restore it; the articles are built as
scraped, and labels judge the text as it stands. The two files differ in how the text nodes
were joined:

- `IT_contraste.xml` keeps one text node a line. Paragraphs are rebuilt by joining a line to
  the previous one unless it starts a new paragraph: a line that starts (without leading
  space) with a capital letter, a digit or an opening quotation mark, after a line that ends
  with terminal punctuation (optionally followed by closing marks). A line after a removed
  link starts with a space or punctuation and is joined. The photo and video captions at the
  head of the page (a line ending in a "Photograph: …" / "Video: …" credit) are dropped.
- `IT_original.xml` joins the text nodes with nothing, so paragraph breaks show as a sentence
  end glued to the next sentence ("… meeting.“The wind …"). Paragraphs are split there
  (terminal punctuation, optional closing marks, then directly a capital letter or an opening
  mark, the punctuation following a lowercase letter, digit, closing mark or ")"). The
  captions at the head are cut up to the end of the last credit (`CREDIT`). Articles that
  are also in `IT_contraste.xml` (same URL) are taken from there only.

Documents whose text is a paywall teaser (under 1,200 characters once cleaned) or a section
page without a title are skipped. Ids are the file ("o" / "c") and the zero-based position
of the document in that file, so they are stable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SOURCE = {
    "repo": "feryah/gilets_jaunes",
    "commit": "69d104955e6dc1aea04d7aad796f70696878f495",
    "lang": "en",
    "outlet": "The Irish Times",
    "licence": "articles © The Irish Times (some syndicated from The Guardian, Reuters, "
    "The New York Times); the scraping repository states no licence (used here for "
    "evaluation only, text not redistributed)",
    "description": "The Irish Times articles on the gilets jaunes and on other topics "
    "(Anglais/Anglais_IE/corpus/IT_original.xml and IT_contraste.xml); link text lost by "
    "the scraper",
}

ORIGINAL = "Anglais/Anglais_IE/corpus/IT_original.xml"
CONTRAST = "Anglais/Anglais_IE/corpus/IT_contraste.xml"
MIN_CHARS = 1200
CAPTION_ZONE = 2500

# The site's own furniture: a promotion paragraph, a "Read more about …" link glued to the
# end, and the agency credit at the end of the last paragraph ("… – Reuters",
# "– Copyright The Financial Times Limited 2019", "Additional reporting: – Reuters/PA").
PROMO = re.compile(r"Deal or No Deal: countdown to Brexit continues as the deadline for "
                   r"crashing out of Europe fast approaches\. See more here\.")
READ_MORE = re.compile(r"Read more about [^.]*$")
WIRES = r"(?:Guardian|Reuters|AP|PA|AFP|Bloomberg|New York Times|Washington Post)"
CREDIT_TAIL = re.compile(
    r"\s*(?:Additional reporting:\s*)?[–-]\s*(?:Copyright The Financial Times Limited \d{4}|"
    + WIRES + r"(?:/" + WIRES + r")*)\s*$"
)

# A caption line: it ends with a photo or video credit.
CAPTION_LINE = re.compile(r"(?:(?:File )?[Pp]hotograph|Photographs|Video|Photo|Illustration)s?: [^.]{0,80}$")
# The credit at the end of a caption, in the glued text of IT_original: names and agencies
# separated by slashes ("Bertrand Guay/AFP/Getty Images"). The text after it is glued on
# ("…/EPAPresident …") or follows a space. The last segment ends after a known agency, else
# at a "camel hump" (a lowercase letter glued to a capital: "LangsdonProtest"), else after
# two words (a photographer's name).
AGENCY = re.compile(
    r"(?<![A-Za-z])(?:Getty Images|Getty|AFP|EPA|Reuters TV|Reuters|REUTERS|AP|PA|Bloomberg|"
    r"NYT|New York Times|Washington Post|Merrion Street)(?![a-z])"
)
CREDIT_MARK = re.compile(r"(?:[Pp]hotographs?|[Pp]hotgraph|Video|Photo|Illustration): ")
HUMP = re.compile(r"(?:[a-zé]|[A-Z]{2,})(?=[A-Z][a-z]|[“‘\"])|[a-zé](?=[A-Z])")
PARA_SPLIT = re.compile(
    r"(?:(?<=[a-z0-9”’\") ])|(?<=[A-Za-z][A-Z]))[.?!][”’\")]*(?=[A-Z“‘\"])"
)
SENTENCE_END = re.compile(r"[.?!…][”’\")\]]*$")


def hump(window: str) -> int | None:
    """Where the first glued-on text starts in `window`, if anywhere."""
    for m in HUMP.finditer(window):
        if window[: m.end()].endswith(("Mc", "Mac")):
            continue  # McGrath, MacDougall
        return m.end()
    return None


def credit_end(text: str, start: int) -> int:
    """End of the credit that starts at `start` (just after "Photograph: ")."""
    window = text[start : start + 90]
    h = hump(window)
    seg = window[: h if h is not None else 60].rfind("/") + 1
    m = AGENCY.search(window, seg)
    if m and m.start() - seg <= 20 and (h is None or m.end() <= h):
        return start + m.end()
    if h is not None:
        return start + h
    m = re.match(r"\s*\S+(?: \S+)?", window[seg:])
    return start + seg + (m.end() if m else 0)


def original_paragraphs(text: str) -> list[str]:
    text = text.strip()
    # Captions (and a video blurb) come at the head of the page, sometimes after a first
    # paragraph: cut up to the end of the last credit that starts in the first CAPTION_ZONE
    # characters.
    head_end = 0
    for m in CREDIT_MARK.finditer(text):
        if m.start() > CAPTION_ZONE:
            break
        head_end = max(head_end, credit_end(text, m.end()))
    text = text[head_end:].strip()
    parts = []
    last = 0
    for m in PARA_SPLIT.finditer(text):
        parts.append(text[last : m.end()])
        last = m.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


def contrast_paragraphs(text: str) -> list[str]:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    # Captions come first; drop them (they may be split by a removed link, so a caption is
    # everything up to the last caption line among the first lines).
    head = 0
    for k, ln in enumerate(lines[:4]):
        if CAPTION_LINE.search(ln.strip()):
            head = k + 1
    lines = lines[head:]
    paras: list[str] = []
    for ln in lines:
        starts_new = bool(re.match(r"[A-Z0-9“‘\"'«]", ln)) and (
            not paras or SENTENCE_END.search(paras[-1].rstrip()) is not None
        )
        if starts_new or not paras:
            paras.append(ln)
        else:
            paras[-1] += ln
    return [" ".join(p.split()) for p in paras if p.strip()]


def strip_furniture(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        p = PROMO.sub("", p)
        p = READ_MORE.sub("", p)
        p = CREDIT_TAIL.sub("", p).strip()
        if p:
            out.append(p)
    return out


def articles(snapshot):
    contrast = ET.fromstring(snapshot.read(CONTRAST))
    original = ET.fromstring(snapshot.read(ORIGINAL))
    contrast_urls = {d.get("url") for d in contrast.iter("doc")}
    seen: set[str] = set()
    for prefix, root, split in (("o", original, original_paragraphs), ("c", contrast, contrast_paragraphs)):
        for n, doc in enumerate(root.iter("doc")):
            url = (doc.get("url") or "").strip()
            if url in seen or (prefix == "o" and url in contrast_urls):
                continue
            seen.add(url)
            title = (doc.get("title") or "").strip()
            paragraphs = strip_furniture(split(doc.text or ""))
            if not title or sum(len(p) for p in paragraphs) < MIN_CHARS:
                continue
            yield {
                "id": f"{prefix}{n:03d}",
                "title": title,
                "paragraphs": paragraphs,
                "url": url,
                "date": (doc.get("date") or "").strip(),
                "outlet": "The Irish Times",
            }
