"""Write ``data/ontology/places/divisions_update.tsv``: the division changes between cpca's codes
and a newer cpca-style ``adcodes.csv``.

    python -m ingest.gazetteer_refresh NEWER_ADCODES_CSV --source "..." --licence "..." --date "..."

Added divisions get, in ``replaces``, the abolished cpca codes they took over, matched by rule: in
the same province, the same proper part of the name (长乐市 → 长乐区, 郫县 → 郫都区, 莱芜市 →
莱芜区), preferring the same prefecture; an abolished code with no match is written as retired.
Codes that keep their number and change name are written as renamed.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from ingest.gazetteer_data import (
    DEFAULT_PLACES_DIR,
    UPDATE_FILE,
    division_level,
    read_adcodes,
    read_yaml,
)

log = logging.getLogger(__name__)

# the one-character type of a division that a successor may lengthen (郫县 → 郫都区)
_TYPE_SUFFIXES = ("地区", "县", "市", "区", "旗")


def _proper_part(name: str) -> str:
    for s in _TYPE_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def _successor(old_code: str, old_name: str, added: dict[str, str]) -> str | None:
    stem = _proper_part(old_name)
    cands = []
    for code, name in added.items():
        # a county's successor is a county; a city may become a district (莱芜市 → 莱芜区)
        if code[:2] != old_code[:2] or (
            division_level(old_code) == "county" and division_level(code) != "county"
        ):
            continue
        new_stem = _proper_part(name)
        if new_stem == stem or (len(stem) == 1 and new_stem.startswith(stem)):
            cands.append(code)
    if len(cands) > 1:
        cands = [c for c in cands if c[:4] == old_code[:4]] or cands
    return cands[0] if len(cands) == 1 else None


def changes(
    old: dict[str, str],
    new: dict[str, str],
    skip_names: set[str],
    skip_codes: set[str],
    keep: Callable[[str], bool],
) -> list[tuple[str, str, str, str]]:
    """Rows (change, adcode, name, replaces) turning ``old`` into ``new``."""
    added = {
        c: n
        for c, n in new.items()
        if c not in old and n not in skip_names and c not in skip_codes and keep(c)
    }
    gone = {c: n for c, n in old.items() if c not in new and n not in skip_names and c not in skip_codes}
    replaces: dict[str, list[str]] = {c: [] for c in added}
    retired = []
    for code, name in sorted(gone.items()):
        succ = _successor(code, name, added)
        if succ:
            replaces[succ].append(code)
        else:
            retired.append(code)
    rows = [("added", c, added[c], ",".join(replaces[c])) for c in sorted(added)]
    rows += [
        ("renamed", c, new[c], old[c])
        for c in sorted(new)
        if c in old and old[c] != new[c] and old[c] not in skip_names
    ]
    rows += [("retired", c, old[c], "") for c in retired]
    return rows


def _taiwan_below_county(code: str) -> bool:
    # Taiwan's districts and townships (71xxyy with yy > 0 under a 71xx00 city) are left out:
    # many repeat generic names (东区, 北区) and none is in cpca
    return code.startswith("71") and not code.startswith("719") and division_level(code) == "county"


def write_update(newer: Path, out: Path, source: str, licence: str, date: str) -> int:
    rules = read_yaml(DEFAULT_PLACES_DIR / "division_rules.yaml")
    new_areas = read_yaml(DEFAULT_PLACES_DIR / "new_areas.yaml")
    skip_codes = {str(e["adcode"]) for e in new_areas["new_areas"] if e.get("adcode")}
    # codes the newer list lacks in error: these divisions are still in force
    skip_codes |= {str(c) for c in rules.get("still_in_force", [])}
    current, newest = read_adcodes(), read_adcodes(newer)
    # an entry named as a park (…工业园区) has a code but is a Park, not a division
    parks = tuple(rules["park_suffixes"])
    skip_names = set(rules["placeholder_names"]) | {
        n for n in (*current.values(), *newest.values()) if n.endswith(parks)
    }
    rows = changes(
        current,
        newest,
        skip_names,
        skip_codes,
        keep=lambda c: not _taiwan_below_county(c),
    )
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# source: {source}\n# licence: {licence}\n# date: {date}\n")
        fh.write("change\tadcode\tname\treplaces\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    log.info("%s: %d rows", out, len(rows))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("newer", type=Path, help="a newer cpca-style adcodes.csv")
    ap.add_argument("--out", type=Path, default=DEFAULT_PLACES_DIR / UPDATE_FILE)
    ap.add_argument("--source", required=True)
    ap.add_argument("--licence", required=True)
    ap.add_argument("--date", required=True)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_update(args.newer, args.out, args.source, args.licence, args.date)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
