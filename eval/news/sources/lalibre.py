"""La Libre Belgique (lalibre.be), from the student corpus feryah/gilets_jaunes.

Two files: `LaLibre.xml` (articles found by a search for « gilets jaunes », Nov. 2018 to
Feb. 2019; many are AFP/Belga wire stories) and `LaLibreContrast.xml` (articles on other
topics of the same period). Ids: `gj-NNNN` and `ct-NNNN`, the index of the `<doc>` in its file.
Parsing, cleaning, and what is skipped (empty, duplicate, truncated, no quotation mark): see
`_belgique.py`. The files carry no URL or date.
"""

from . import _belgique

SOURCE = {
    "repo": _belgique.REPO,
    "commit": _belgique.COMMIT,
    "lang": "fr",
    "outlet": "La Libre Belgique",
    "licence": _belgique.LICENCE,
    "description": "La Libre Belgique, gilets jaunes and contrast articles (Nov. 2018 - Feb. 2019), "
    "scraped for an INaLCO course project",
}


def articles(snapshot):
    return _belgique.articles(snapshot, "lalibre")
