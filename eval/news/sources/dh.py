"""La DH / La Dernière Heure (dhnet.be), from the student corpus feryah/gilets_jaunes.

Two files: `DH.xml` (articles found by a search for « gilets jaunes », 17 Nov. 2018 to
23 Feb. 2019; many are AFP/Belga wire stories) and `DH_CONTRAST.xml` (articles on other topics
of the same period). Ids: `gj-NNNN` and `ct-NNNN`, the index of the `<doc>` in its file.
Parsing, cleaning, and what is skipped (empty, duplicate, truncated, no quotation mark): see
`_belgique.py`; a story whose title or first paragraph already appears in the La Libre files is
a duplicate and is skipped here. The files carry no URL or date.
"""

from . import _belgique

SOURCE = {
    "repo": _belgique.REPO,
    "commit": _belgique.COMMIT,
    "lang": "fr",
    "outlet": "La DH",
    "licence": _belgique.LICENCE,
    "description": "La DH (La Dernière Heure), gilets jaunes and contrast articles (Nov. 2018 - "
    "Feb. 2019), scraped for an INaLCO course project",
}


def articles(snapshot):
    return _belgique.articles(snapshot, "dh")
