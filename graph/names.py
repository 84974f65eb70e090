"""Name normalisation for ids and matching (never for display: display keeps the document's characters)."""

from __future__ import annotations

import re
import unicodedata

# Quotation marks carry no identity: “1+4+N”创新平台体系 and 1+4+N创新平台体系 are one name.
_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞＂＇]")
_SPACE = re.compile(r"\s+")


def normalize(name: str) -> str:
    """Matching key: NFKC (full-width → half-width, so （）→()), quotes and whitespace removed."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _QUOTES.sub("", text)
    return _SPACE.sub("", text)


def display(name: str) -> str:
    """Display form: the document's characters, only brackets made half-width and outer space trimmed."""
    return (name or "").replace("（", "(").replace("）", ")").strip()


def strip_suffix_qualifier(key: str) -> str | None:
    """`X(Y)` → `X`; None when the key does not end in a bracketed qualifier.

    A trailing qualifier marks a campus or branch (大学(青川) is not 大学), so such names are kept
    apart from their unqualified form unless the alias file merges them.
    """
    if key.endswith(")") and "(" in key:
        head = key[: key.rindex("(")]
        return head or None
    return None


def short_city(name: str) -> str:
    """青川市 → 青川: the form a city is often written in before another name."""
    for suffix in ("市", "区", "县", "省"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
