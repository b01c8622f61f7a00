"""CNN articles on (and around) the French "gilets jaunes" protests, 2011-2019.

The articles come from a student corpus of the international press coverage of the
"gilets jaunes" movement (INaLCO, M2 TAL 2018-2019): two XML files of CNN pages scraped with
Selenium, `CNN_original.xml` (pages found by searching "gilets jaunes" / "yellow vests") and
`CNN_contraste.xml` (a contrast corpus: the same search pages and unrelated CNN pages that
merely contain the word "vest"). Each `<doc>` has the page's `link`, `date` and `title`
attributes and its text, one line per paragraph of the page, but with the scraping debris of
the page interleaved.

Reader rules (deterministic, in this order):

1. Documents are read from `CNN_original.xml`, then `CNN_contraste.xml`; a URL seen before is
   skipped (the duplicates are identical). The id is the zero-padded index in that order.
2. Everything up to and including the dateline line (`Paris (CNN)`, ` (CNN)`) is dropped: it
   holds the opinion writers' biographies and the "Story highlights" bullets.
3. Page furniture is dropped, and acts as a paragraph barrier: "Read More", video players
   (`JUST WATCHED` to the clip's duration), photo galleries (`Photos:` to the last `N of N`
   line, and the `In photos:` title), newsletter and social blocks ("Sign up for our new
   newsletter", "Join us on Twitter and Facebook"), embedded tweets (the `— Name (@handle)`
   line, its date, bare links), "Read:"/"Read more:" related links, "Click to view" lines,
   the CNN Health "Join the conversation" block, and the closing credit lines ("CNN's X
   contributed to this report", "CNN's X reported from Paris"). Line ends are CRLF in the
   files; they are read as LF.
4. A line that the page split around a hyperlink is joined back to its paragraph: a line
   that starts with a space, a lowercase letter, closing punctuation or "'s" continues the
   previous one, and so does a line after one that ends with a space and no terminal
   punctuation, or a closing quotation mark after a line without terminal punctuation, or
   a line after a quotation that ends with a comma (its tag follows; a space is put
   between them if the page lost it).
5. A paragraph that does not end with terminal punctuation (a subheading, a related-story
   headline, a photo caption without a full stop, a tweet's text) is dropped.
6. The remaining photo captions, related-story headlines and embedded tweets that do end
   with punctuation are dropped by a hand-reviewed list (`DROP`: per article, the first 10
   hex digits of the SHA-1 of the paragraph as built by rules 1-5 and whitespace-collapsed);
   a headline glued to the start of a paragraph is cut off by a hand-reviewed length
   (`CUT`). These lists cover the articles that were reviewed for labelling.

The article text is otherwise kept exactly as scraped.

Labelling selection (annotator en-b): every article in id order from 000 to 037, except the
news-digest page 024 ("News today", a list of one-line briefs); 038 and 051 are digests too.
"""

from __future__ import annotations

import hashlib
import re

SOURCE = {
    "repo": "feryah/gilets_jaunes",
    "commit": "69d104955e6dc1aea04d7aad796f70696878f495",
    "lang": "en",
    "outlet": "CNN",
    "licence": "no licence in the repository (student corpus, INaLCO M2 TAL 2018-2019); "
    "article text (c) CNN",
    "description": "CNN web articles on the French 'gilets jaunes' protests (and a contrast "
    "set of unrelated CNN pages), scraped in 2019; Anglais/Anglais_US/CNN_original.xml and "
    "CNN_contraste.xml",
}

FILES = ("Anglais/Anglais_US/CNN_original.xml", "Anglais/Anglais_US/CNN_contraste.xml")

DOC = re.compile(r"<doc ([^>]*)>(.*?)</doc>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')
DATELINE = re.compile(r"\(CNN(?: Business)?\)\s*$")
TERMINAL = re.compile(r"""[.!?…][\s"”’')]*$""")
QUOTE_THEN_TAG = re.compile(r""",["”]$""")
CONTINUES = re.compile(r"""^(\s|[a-z]|[.,;:)!?%]|['’]s\b)""")
CLOSING_QUOTE = re.compile(r"""^["”]([\s,.;:)?!]|$)""")

# Single lines of page furniture (compared after strip()).
FURNITURE = {
    "Read More", "Replay", "More Videos ...", "MUST WATCH", "Hide Caption", "Photos:",
    "Click to view.", "Click here to view", "Join the conversation",
    "Follow CNN Health on Facebook and Twitter",
}
# The newsletter and social block: a run of these lines that starts with one of the first
# three.
SOCIAL_START = {
    "Stay up to date...", "For more opinion...", "Sign up for our new",
    "See the latest news and share your comments with CNN Health on",
}
SOCIAL = SOCIAL_START | {"newsletter", ".", "Join us on", "Twitter", "and", "Facebook"}
FURNITURE_START = re.compile(
    r"^(Read:|READ:|Read more:|READ MORE:|In photos:|Sign up here for|Get '5 things'"
    r")"
)
CREDIT = re.compile(r"^CNN's [A-Z].*\b(contributed|reported|wrote)\b")
TWEET_BY = re.compile(r"^— .*\(@\w+\)\s*$")
DATE_LINE = re.compile(r"^(January|February|March|April|May|June|July|August|September|"
                       r"October|November|December) \d{1,2}, \d{4}$")
BARE_LINK = re.compile(r"^(https?://\S+|pic\.twitter\.com/\S+)$")
DURATION = re.compile(r"^\d{1,2}:\d{2}$")
GALLERY_COUNT = re.compile(r"^(\d+) of (\d+)$")

# Rule 6: hand-reviewed captions, related headlines and tweet texts (article id -> SHA-1
# prefixes of the paragraph).
DROP: dict[str, set[str]] = {
    "000": {"4d0e0e557d", "4f5f2b0234"},
    "001": {"88b39c3f2e"},
    "003": {"eefe564823", "44a82b475d", "8fd3461b7e"},
    "004": {"bf152e4628", "e18fcdf504"},
    "005": {"2b5f418f9a", "7cee1d5455", "f3db73ab31"},
    "007": {"faa7172b62"},
    "008": {"d749bec4d4"},
    "009": {"33be960439", "a1c4596bc2", "0f051ee47b"},
    "010": {"1570e22ccd"},
    "011": {"bf86cb0426"},
    "012": {"2daf60da65", "35ef0b8fe7", "83527ebf16"},
    "015": {"051bc7ae0b"},
    "017": {"4b00a2ff93"},
    "018": {"b268197f39"},
    "020": {"edc813ace9"},
    "021": {"e6a763acb2"},
    "022": {"d749bec4d4", "bfb84b49e8", "0ee36624e4", "e18fcdf504", "d416c2c332"},
    "023": {"c13c6931de", "ee92a44da7", "2678713293", "71afbefe29", "fa6d55417a"},
    "026": {"2771bbeb04", "3b27b34793"},
    "027": {"bf2bc24a1c", "de8cc54754", "a2dfe1c77e"},
    "028": {"621d38c775", "339b1b8798", "70d8e09aad", "75694c2acc", "17f40d5b7f", "2ddb9fb81b", "acdda5b4b2", "73cfed37e9", "f7c0299f2c"},
    "030": {"74f1bb7e80", "df4f1a49e6", "8ac83a9fc3"},
    "031": {"7e8cf0d9da"},
    "032": {"8e8bae1555"},
    "033": {"fbe2a95056", "96f0aaba7f", "e52fd94fa3"},
    "034": {"5e98fa7e7c", "9e2cd5b2af", "b385822a18", "bf152e4628", "538df61ef8", "e18fcdf504",
            "f7f303a030", "6dfc987254"},
    "036": {"b38541febc", "f76b5043e7"},
    "037": {"ad44d81914", "554359ab95", "a0466e30ed"},
}
# A related-story headline glued to the start of a paragraph (the page lost the line
# break): article id -> paragraph SHA-1 prefix -> number of leading characters to cut.
CUT: dict[str, dict[str, int]] = {
    "007": {"ce3b95f22a": 38},
    "023": {"8eb4a5a34a": 26},
    "026": {"338123ebe4": 65},
}


def norm(p: str) -> str:
    return " ".join(p.split())


def key(p: str) -> str:
    return hashlib.sha1(norm(p).encode("utf-8")).hexdigest()[:10]


def strip_furniture(lines: list[str]) -> list[str | None]:
    """The lines with furniture replaced by None (a paragraph barrier)."""
    out: list[str | None] = []
    i = 0
    n = len(lines)
    while i < n:
        s = lines[i].strip()
        if s == "JUST WATCHED":
            # The clip's title, Replay, More Videos ..., MUST WATCH, blank, duration.
            j = i + 1
            while j < n and j <= i + 8 and not DURATION.match(lines[j].strip()):
                j += 1
            i = j + 1 if j < n and DURATION.match(lines[j].strip()) else i + 1
            out.append(None)
            continue
        if s == "Photos:":
            # Gallery: up to the last "N of N" line.
            j = i + 1
            last = None
            while j < n:
                m = GALLERY_COUNT.match(lines[j].strip())
                if m and m.group(1) == m.group(2):
                    last = j
                    break
                j += 1
            if last is not None:
                out.append(None)
                i = last + 1
                continue
        if s in SOCIAL_START:
            j = i + 1
            while j < n and lines[j].strip() in SOCIAL:
                j += 1
            out.append(None)
            i = j
            continue
        if (
            s in FURNITURE
            or FURNITURE_START.match(s)
            or TWEET_BY.match(s)
            or DATE_LINE.match(s)
            or BARE_LINK.match(s)
            or GALLERY_COUNT.match(s)
            or CREDIT.match(s)
        ):
            out.append(None)
        elif s == "" and lines[i] == "":
            out.append(None)
        else:
            out.append(lines[i])
        i += 1
    return out


def paragraphs(text: str) -> list[str]:
    lines = text.split("\n")
    for n, line in enumerate(lines[:40]):
        if DATELINE.search(line):
            lines = lines[n + 1:]
            break
    items = strip_furniture(lines)
    paras: list[str] = []
    cur: str | None = None
    for k, line in enumerate(items):
        if line is None:
            if cur is not None:
                paras.append(cur)
            cur = None
            continue
        if cur is not None and QUOTE_THEN_TAG.search(cur.rstrip()):
            # A quotation ending with a comma goes on with its tag ("...," X said).
            if not cur[-1:].isspace() and not line[:1].isspace():
                cur += " "
            cur += line
        elif cur is not None and (
            CONTINUES.match(line)
            or (CLOSING_QUOTE.match(line) and not TERMINAL.search(cur.rstrip()))
            or (cur[-1:].isspace() and not TERMINAL.search(cur.rstrip()))
        ):
            cur += line
        else:
            if cur is not None:
                paras.append(cur)
            cur = line
    if cur is not None:
        paras.append(cur)
    out = []
    for p in paras:
        p = p.strip()
        if p and TERMINAL.search(p):
            out.append(p)
    return out


def articles(snapshot):
    seen = set()
    index = 0
    for path in FILES:
        text = snapshot.read(path).decode("utf-8").replace("\r\n", "\n")
        for attrs, body in DOC.findall(text):
            a = dict(ATTR.findall(attrs))
            url = a.get("link", "")
            if url in seen:
                continue
            seen.add(url)
            doc_id = f"{index:03d}"
            index += 1
            drop = DROP.get(doc_id, set())
            cut = CUT.get(doc_id, {})
            paras = []
            for p in paragraphs(body):
                k = key(p)
                if k in drop:
                    continue
                paras.append(p[cut[k]:].strip() if k in cut else p)
            title = re.sub(r"\s+- CNN(Politics)?\s*$", "", a.get("title", "")).strip()
            yield {
                "id": doc_id,
                "title": title,
                "paragraphs": paras,
                "url": url,
                "date": a.get("date", ""),
                "outlet": "CNN",
            }
