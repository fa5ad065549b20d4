"""The page number of a workspace list, from the query string: a whole number from 1 to MAX_PAGE.

Anything else (words, signs, digits of other scripts, a number too large to page to) gives the nearest page
in range, never an error: a list beyond its last page is simply empty."""

from __future__ import annotations

MAX_PAGE = 10_000


def page_number(raw: str | None) -> int:
    if not raw or not raw.isascii() or not raw.isdigit():
        return 1
    return MAX_PAGE if len(raw) > len(str(MAX_PAGE)) else min(max(int(raw), 1), MAX_PAGE)
