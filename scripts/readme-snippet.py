#!/usr/bin/env python3
"""Prints a snippet of a Markdown file: the first fenced code block after the line
`<!-- snippet: NAME ... -->`.

    scripts/readme-snippet.py NAME [FILE]     (FILE defaults to the repository's README.md)

The README's "Use it in a newsroom" snippets are marked this way, and the tests run
them from there, so that what a newsroom copies is what CI ran. Exits 1 when the
marker or its code block is missing.
"""
import pathlib
import re
import sys


def snippet(text: str, name: str) -> str:
    marker = re.search(r"<!-- snippet: " + re.escape(name) + r"\b[^>]*-->", text)
    if not marker:
        raise LookupError(f"no `<!-- snippet: {name} -->` marker")
    block = re.compile(r"^(```+|~~~+)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S).search(text, marker.end())
    if not block:
        raise LookupError(f"no fenced code block after the `{name}` marker")
    return block.group(2)


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    path = pathlib.Path(sys.argv[2]) if len(sys.argv) == 3 else pathlib.Path(__file__).resolve().parent.parent / "README.md"
    try:
        sys.stdout.write(snippet(path.read_text(encoding="utf-8"), sys.argv[1]))
    except (OSError, LookupError) as e:
        print(f"readme-snippet: {path}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
