"""The analyst-editable alias file (data/ontology/aliases.yaml): home cities, rules, merges, splits.

Every merge/split entry must say why (and preferably where from), so a reviewer can judge it later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.names import normalize, short_city
from graph.schema import ENTITY_LABELS

DEFAULT_ALIASES = Path(__file__).resolve().parent.parent / "data" / "ontology" / "aliases.yaml"
DEFAULT_RELATIVE_PREFIXES = ("我市", "本市", "全市", "市")


@dataclass(frozen=True)
class HomeCity:
    name: str
    short: tuple[str, ...]
    # Also treat a name with no place prefix at all (科技局) as this city's, in its documents.
    bare: bool = False
    why: str = ""

    def forms(self) -> tuple[str, ...]:
        """Normalised prefixes that mean this city, longest first (青川市 before 青川)."""
        forms = {normalize(self.name), normalize(short_city(self.name)), *(normalize(s) for s in self.short)}
        return tuple(sorted((f for f in forms if f), key=len, reverse=True))


@dataclass(frozen=True)
class MergeRule:
    label: str
    names: tuple[str, ...]  # the first one is the display name of the merged node
    why: str
    source: str = ""


@dataclass(frozen=True)
class SplitRule:
    label: str
    name: str
    others: tuple[str, ...]
    why: str
    source: str = ""


@dataclass(frozen=True)
class AliasConfig:
    home_cities: tuple[HomeCity, ...] = ()
    # A name starting with one of these (市科技局) means the document's own city.
    relative_prefixes: tuple[str, ...] = DEFAULT_RELATIVE_PREFIXES
    merges: tuple[MergeRule, ...] = ()
    splits: tuple[SplitRule, ...] = ()
    path: str = ""


class AliasFileError(ValueError):
    pass


def load_aliases(path: str | Path | None = DEFAULT_ALIASES) -> AliasConfig:
    """Read the alias file; a missing file means no curated knowledge (not an error)."""
    if path is None or not Path(path).is_file():
        return AliasConfig(path=str(path or ""))
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise AliasFileError(f"{path}: expected a mapping at the top level")
    rules = data.get("rules") or {}
    return AliasConfig(
        home_cities=tuple(_home_city(path, i, e) for i, e in enumerate(data.get("home_cities") or [])),
        relative_prefixes=tuple(
            sorted(rules.get("relative_prefixes", DEFAULT_RELATIVE_PREFIXES), key=len, reverse=True)
        ),
        merges=tuple(_merge(path, i, e) for i, e in enumerate(data.get("merge") or [])),
        splits=tuple(_split(path, i, e) for i, e in enumerate(data.get("split") or [])),
        path=str(path),
    )


def _require(path: str | Path, where: str, entry: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise AliasFileError(f"{path}: {where}: expected a mapping, got {entry!r}")
    missing = [k for k in keys if not entry.get(k)]
    if missing:
        raise AliasFileError(f"{path}: {where}: missing {', '.join(missing)}")
    label = entry.get("label")
    if label is not None and label not in ENTITY_LABELS:
        raise AliasFileError(f"{path}: {where}: unknown label {label!r}")
    return entry


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value or ())


def _home_city(path: str | Path, i: int, entry: Any) -> HomeCity:
    e = _require(path, f"home_cities[{i}]", entry, ("name", "why"))
    return HomeCity(str(e["name"]), _names(e.get("short")), bool(e.get("bare", False)), str(e["why"]))


def _merge(path: str | Path, i: int, entry: Any) -> MergeRule:
    e = _require(path, f"merge[{i}]", entry, ("label", "names", "why"))
    names = _names(e["names"])
    if len(names) < 2:
        raise AliasFileError(f"{path}: merge[{i}]: needs at least two names")
    return MergeRule(e["label"], names, str(e["why"]), str(e.get("source", "")))


def _split(path: str | Path, i: int, entry: Any) -> SplitRule:
    e = _require(path, f"split[{i}]", entry, ("label", "name", "not", "why"))
    return SplitRule(e["label"], str(e["name"]), _names(e["not"]), str(e["why"]), str(e.get("source", "")))
