"""The one place where the Neo4j and LadybugDB dialects of Cypher meet.

Presets (and free queries) are written in Neo4j 5 Cypher. Before a query reaches LadybugDB the runner
rewrites the few spellings LadybugDB lacks or reads differently; nothing else is changed:

    labels(x)[0]          → label(x)                 Ladybug's labels() is a list indexed from 1
    type(r)               → label(r)                 Ladybug has no type()
    split(s, d)[i]        → split_part(s, d, i + 1)  no split(); lists are indexed from 1
    split(s, d)           → string_split(s, d)
    toInteger(e)          → CAST(e AS INT64)         no conversion functions; CAST also types the
    toFloat(e)            → CAST(e AS DOUBLE)        nulls of a UNION branch (toString(null) AS x),
    toString(e)           → CAST(e AS STRING)        which Ladybug needs and Neo4j reads as null
    toStringList(e)       → CAST(e AS STRING[])

Write `COUNT { MATCH … }` and `EXISTS { MATCH … }` (both stores read that form), and no label
predicates in WHERE (`n:Label`; compare `n.id STARTS WITH 'Label:'` instead). Named fragments
`{{ACTOR_LABELS}}` and `{{ACTOR_RELS}}` spell the schema's actor labels and relationship types
(graph/schema.py: everything but provenance and figures) for a pattern such as `(a:{{ACTOR_LABELS}})`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.schema import LABELS, NON_ACTOR_LABELS, NON_ACTOR_RELS, REL_TYPES

# What "actor" means wherever the presets count or walk relationships (degree, neighbourhoods,
# paths, evidence): organisations, places, parks, chains, clusters, systems, programmes, measures,
# and the relationships among them. Provenance (Document, MENTIONED_IN) and figures (Indicator,
# AwardKind and the policy-layer edges to them) are left out.
ACTOR_LABELS: tuple[str, ...] = tuple(label for label in LABELS if label not in NON_ACTOR_LABELS)
ACTOR_RELS: tuple[str, ...] = tuple(t for t in REL_TYPES if t not in NON_ACTOR_RELS)
FRAGMENTS: dict[str, str] = {"ACTOR_LABELS": "|".join(ACTOR_LABELS), "ACTOR_RELS": "|".join(ACTOR_RELS)}
FRAGMENT = re.compile(r"\{\{\s*([A-Z_]+)\s*\}\}")

_IDENT = re.compile(r"[A-Za-z_]\w*")
_INDEX = re.compile(r"\s*\[\s*(\d+)\s*\]")
_CASTS = {"tointeger": "INT64", "tofloat": "DOUBLE", "tostring": "STRING", "tostringlist": "STRING[]"}


def expand_fragments(text: str) -> str:
    """`{{ACTOR_LABELS}}` / `{{ACTOR_RELS}}` written out; an unknown upper-case name is left as it is."""
    return FRAGMENT.sub(lambda m: FRAGMENTS.get(m.group(1), m.group(0)), text)


def translate(text: str, dialect: str) -> str:
    """The query as `dialect` ("neo4j" or "ladybug") needs it (see the module's table)."""
    if dialect == "neo4j":
        return text
    if dialect != "ladybug":
        raise ValueError(f"unknown dialect {dialect!r}: ladybug or neo4j")
    return _rewrite(text)


# --- the rewrites ----------------------------------------------------------------------------------

Rule = Callable[[list[str], "re.Match[str] | None"], "tuple[str, bool] | None"]


def _labels(args: list[str], index: re.Match[str] | None) -> tuple[str, bool] | None:
    if len(args) == 1 and index is not None and index.group(1) == "0":
        return f"label({args[0]})", True
    return None


def _type(args: list[str], index: re.Match[str] | None) -> tuple[str, bool] | None:
    return (f"label({args[0]})", False) if len(args) == 1 else None


def _split(args: list[str], index: re.Match[str] | None) -> tuple[str, bool] | None:
    if len(args) != 2:
        return None
    if index is not None:
        return f"split_part({args[0]}, {args[1]}, {int(index.group(1)) + 1})", True
    return f"string_split({args[0]}, {args[1]})", False


def _cast(target: str) -> Rule:
    def rule(args: list[str], index: re.Match[str] | None) -> tuple[str, bool] | None:
        return (f"CAST({args[0]} AS {target})", False) if len(args) == 1 else None

    return rule


RULES: dict[str, Rule] = {
    "labels": _labels,
    "type": _type,
    "split": _split,
    **{name: _cast(target) for name, target in _CASTS.items()},
}


def _skip_literal(text: str, i: int) -> int:
    """The index after the string, back-quoted name or comment starting at i (i itself if none does)."""
    c = text[i]
    if c in "'\"`":
        j = i + 1
        while j < len(text):
            if text[j] == "\\" and c != "`":
                j += 2
                continue
            if text[j] == c:
                return j + 1
            j += 1
        return len(text)
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    return i


def _arguments(text: str, open_at: int) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose `(` is at open_at, and the index after its `)`."""
    depth, start, args, i = 0, open_at + 1, [], open_at
    while i < len(text):
        skipped = _skip_literal(text, i)
        if skipped != i:
            i = skipped
            continue
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return ([] if args == [""] else args), i + 1
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1
    return None  # unbalanced: the engine will say so


def _rewrite(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        skipped = _skip_literal(text, i)
        if skipped != i:
            out.append(text[i:skipped])
            i = skipped
            continue
        m = _IDENT.match(text, i)
        if not m:
            out.append(text[i])
            i += 1
            continue
        name, end = m.group(0), m.end()
        follows_name = i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.$")
        rule = None if follows_name else RULES.get(name.lower())
        paren = end + len(text[end:]) - len(text[end:].lstrip(" \t"))
        call = _arguments(text, paren) if rule and text.startswith("(", paren) else None
        if rule is None or call is None:
            out.append(name)
            i = end
            continue
        args, after = call
        args = [_rewrite(a) for a in args]
        index = _INDEX.match(text, after)
        done = rule(args, index)
        if done is None:  # not a form this table rewrites: keep it, with its arguments rewritten
            out.append(f"{name}({', '.join(args)})")
            i = after
            continue
        replacement, used_index = done
        out.append(replacement)
        i = index.end() if used_index and index else after
    return "".join(out)
