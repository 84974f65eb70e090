"""What a query must pass before it is sent: bounds the engines survive, and the write check.

Bounds (`check_query`, QueryRefused with one line saying which): the text's length, its tokens, how
deep parentheses, brackets and braces nest, and the size and depth of the parameters. Both engines
break on input they parse recursively: 3,000 nested parentheses crashed LadybugDB with a segmentation
fault and kept Neo4j's parser busy for minutes past any transaction timeout; a few hundred nested
brackets took LadybugDB 16 s to parse, thousands of ORs seconds and a gigabyte, all before its timeout
starts counting. The presets stay far inside every bound (at most 2,200 characters, 700 tokens,
3 levels): the bounds are for free Cypher, and the same for every query.

The write check: is a Cypher string read-only? Decided on tokens, not on a substring match.

The text is tokenized the way a Cypher parser would see it: string literals ('…', "…", with backslash
escapes), backtick-quoted names and comments (// to the end of the line, /* … */) are taken out first,
so `WHERE n.name = 'CREATE'` reads and `'it\\'s' CREATE (n)` writes. Then the keyword tokens are
checked for clauses that write or administer (both dialects: Neo4j 5 and LadybugDB), for procedure
calls outside a small list of read-only ones, and for a second statement after a `;`.

This is the first guard. The second is the store itself: the runner always queries a read-only
Ladybug `Database` or a Neo4j session in READ access mode, so a write this check missed still fails.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_QUERY_CHARS = 20_000
MAX_TOKENS = 4_000
MAX_NESTING = 32  # parentheses, brackets and braces, all kinds counted together
MAX_PARAM_ITEMS = 100_000  # values in the parameters, list items and map entries included
MAX_PARAM_CHARS = 1_000_000  # characters (or bytes) of all string values together
_OPEN, _CLOSE = "([{", ")]}"


class QueryRefused(ValueError):
    """A query was refused before it reached the store: it writes, or the engines cannot read it safely."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"refused: {reason}")
        self.reason = reason


class WriteRefused(QueryRefused):
    """A query was refused because it writes (or hides what it does: an unterminated string)."""

    def __init__(self, reason: str) -> None:
        ValueError.__init__(self, f"refused: the query writes ({reason}) — queries are read-only")
        self.reason = reason


# Clauses that change data, schema, settings, files or transactions, in Neo4j 5 or LadybugDB.
WRITE_KEYWORDS = frozenset(
    {
        "CREATE", "MERGE", "DELETE", "DETACH", "NODETACH", "SET", "REMOVE", "DROP", "INSERT",
        "FOREACH", "LOAD", "COPY", "ALTER", "RENAME", "INSTALL", "UNINSTALL", "IMPORT", "EXPORT",
        "ATTACH", "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "GRANT", "DENY", "REVOKE",
        "START", "STOP", "TERMINATE", "ENABLE", "DEALLOCATE", "REALLOCATE",
    }
)  # fmt: skip

# Procedures a read-only query may CALL (lower case). Everything else is refused, apoc.*, dbms.*,
# db.create*, gds.* and Ladybug's settings calls (`CALL threads=4`) included.
READ_PROCEDURES = frozenset(
    {
        # Neo4j
        "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
        "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
        # LadybugDB
        "show_tables", "table_info", "show_connection", "db_version", "show_functions",
    }
)  # fmt: skip

_BATCHED = ("TRANSACTIONS", "CONCURRENT")  # CALL { … } IN [CONCURRENT] TRANSACTIONS: batched writes
_WORD = re.compile(r"[^\W\d]\w*")
# A number is digits (hex, fraction, exponent); letters right after it start a new word: `1CREATE`.
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Token:
    kind: str  # word, string, name (backticks), param, number, punct
    text: str
    pos: int


def tokenize(cypher: str) -> list[Token]:
    """Cypher → tokens, comments dropped; raises WriteRefused on an unterminated string or comment."""
    # Invisible format characters (zero-width space, BOM, bidi marks) could hide a keyword from a
    # reader (CRE\u200bATE): drop them before looking at the words, so the check errs towards refusing.
    text = "".join(c for c in cypher if unicodedata.category(c) != "Cf")
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end == -1:
                raise WriteRefused("unterminated comment")
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise WriteRefused("unterminated string literal")
            tokens.append(Token("string", text[i + 1 : j], i))
            i = j + 1
        elif c == "`":
            j = i + 1
            while True:
                j = text.find("`", j)
                if j == -1:
                    raise WriteRefused("unterminated `name`")
                if text.startswith("``", j):  # an escaped backtick inside the name
                    j += 2
                    continue
                break
            tokens.append(Token("name", text[i + 1 : j], i))
            i = j + 1
        elif c == "$":
            m = _WORD.match(text, i + 1) or _NUMBER.match(text, i + 1)
            end = m.end() if m else i + 1
            tokens.append(Token("param", text[i + 1 : end], i))
            i = end
        elif m := _WORD.match(text, i):
            tokens.append(Token("word", m.group(0), i))
            i = m.end()
        elif m := _NUMBER.match(text, i):
            tokens.append(Token("number", m.group(0), i))
            i = m.end()
        else:
            tokens.append(Token("punct", c, i))
            i += 1
    return tokens


def _is_keyword(tokens: list[Token], k: int) -> bool:
    """A word in keyword position: not a property (n.set), a label (:Set), a map key ({set: 1})."""
    if tokens[k].kind != "word":
        return False
    before = tokens[k - 1] if k else None
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    if before is not None and before.kind == "punct" and before.text in ".:":
        return False
    return not (after is not None and after.kind == "punct" and after.text == ":")


def _procedure(tokens: list[Token], k: int) -> str:
    """The dotted procedure name after CALL at position k ('' for a subquery `CALL {`)."""
    parts: list[str] = []
    j = k + 1
    while j < len(tokens):
        t = tokens[j]
        if t.kind in ("word", "name"):
            parts.append(t.text)
        elif not (t.kind == "punct" and t.text == "."):
            break
        j += 1
    return ".".join(parts)


def write_reason(cypher: str, tokens: list[Token] | None = None) -> str | None:
    """Why the query writes (a keyword, `CALL proc`, 'multiple statements' …), or None if it reads."""
    tokens = tokenize(cypher) if tokens is None else tokens
    for k, t in enumerate(tokens):
        if t.kind == "punct" and t.text == ";" and k + 1 < len(tokens):
            return "multiple statements"
        if not _is_keyword(tokens, k):
            continue
        word = t.text.upper()
        if word in WRITE_KEYWORDS:
            nxt = tokens[k + 1].text.upper() if k + 1 < len(tokens) else ""
            if word == "LOAD" and nxt in ("CSV", "EXTENSION", "FROM"):
                return f"LOAD {nxt}"
            return word
        if word == "IN" and k + 1 < len(tokens) and tokens[k + 1].text.upper() in _BATCHED:
            return "CALL … IN TRANSACTIONS"
        if word == "CALL":
            name = _procedure(tokens, k)
            if not name:
                continue  # CALL { subquery }: its clauses are checked like the rest
            if name.lower() not in READ_PROCEDURES:
                return f"CALL {name}"
    return None


def check_read_only(cypher: str, tokens: list[Token] | None = None) -> None:
    """Raise WriteRefused unless the query only reads (ValueError when it is empty)."""
    if not cypher or not cypher.strip():
        raise ValueError("empty query")
    reason = write_reason(cypher, tokens)
    if reason:
        raise WriteRefused(reason)


def check_text(cypher: str) -> None:
    """Raise QueryRefused for a text longer than MAX_QUERY_CHARS: checked before anything parses it."""
    if len(cypher) > MAX_QUERY_CHARS:
        raise QueryRefused(
            f"the query is {len(cypher):,} characters long, more than the {MAX_QUERY_CHARS:,} allowed "
            "(long lists of values belong in a parameter)"
        )


def check_query(cypher: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise QueryRefused unless the query is inside every bound and only reads (WriteRefused)."""
    check_text(cypher)
    check_params(params)
    tokens = tokenize(cypher)
    depth = deepest = 0
    for t in tokens:
        if t.kind == "punct" and t.text in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "punct" and t.text in _CLOSE:
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryRefused(
            f"parentheses, brackets or braces nest {deepest} deep, more than the {MAX_NESTING} allowed"
        )
    if len(tokens) > MAX_TOKENS:
        raise QueryRefused(
            f"the query has {len(tokens):,} tokens, more than the {MAX_TOKENS:,} allowed "
            "(long chains of OR belong in `IN $list`)"
        )
    check_read_only(cypher, tokens)


def check_params(params: Mapping[str, Any] | None) -> None:
    """Raise QueryRefused for parameters past MAX_PARAM_ITEMS values, MAX_PARAM_CHARS characters of text
    or MAX_NESTING levels of lists and maps. Walked without recursion, stopping at the first bound."""
    too_many = QueryRefused(f"the parameters hold more than {MAX_PARAM_ITEMS:,} values")
    too_long = QueryRefused(f"the parameters hold more than {MAX_PARAM_CHARS:,} characters of text")
    params = params or {}
    if len(params) > MAX_PARAM_ITEMS:
        raise too_many
    items = chars = 0
    stack: list[tuple[Any, int]] = [(v, 1) for v in params.values()]
    while stack:
        value, depth = stack.pop()
        items += 1
        if depth > MAX_NESTING:
            raise QueryRefused(f"the parameters nest more than {MAX_NESTING} lists or maps deep")
        if isinstance(value, str | bytes | bytearray):
            chars += len(value)
        elif isinstance(value, Mapping | list | tuple | set | frozenset):
            if items + len(stack) + len(value) > MAX_PARAM_ITEMS:
                raise too_many
            if isinstance(value, Mapping):
                chars += sum(len(str(k)) for k in value)
                value = value.values()
            stack.extend((v, depth + 1) for v in value)
        if chars > MAX_PARAM_CHARS:
            raise too_long
