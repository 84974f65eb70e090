"""The preset library: one YAML file per question under queries/presets/, loaded and checked here.

A preset file holds:

    id: chain_gaps                      # the file name without .yaml
    title: {zh: 产业链短板, en: Chain gaps}
    question: {zh: …, en: …}            # the question it answers, in both languages
    params:                             # optional
      - name: cluster
        type: str                       # str | int | float | bool
        default: ""
        doc: …
        choices: [...]                  # allowed values, fixed
        values: "MATCH … RETURN x"      # a query filling a dropdown
        strict: true                    # the value must be one of `values` (checked before running)
        min: 1, max: 6                  # bounds of an int
        inline: true                    # an int written into the Cypher at {{name}} (var-length bounds)
    cypher: |                           # Neo4j 5 Cypher; the runner rewrites it for LadybugDB
      …                                 # (queries/dialect.py), {{ACTOR_LABELS}}/{{ACTOR_RELS}} fragments
    variants:                           # instead of `cypher`, only where no rewrite can do it:
      why: …                            # the reason, required
      ladybug: …
      neo4j: …
    json: [awards]                      # columns holding JSON strings, parsed into values
    unnest: {column: evidence, fields: [doc, sentence]}  # one row per item of a JSON list column
    subgraph:                           # how to draw the rows (columns; "=X" is the literal X)
      nodes: [{id: chain_id, name: chain, label: chain_label}]
      edges: [{src: chain_id, dst: item_id, type: rel}]
      induced: true                     # also draw the relationships among the drawn nodes
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graph.stores.base import DIALECTS
from queries.dialect import FRAGMENTS, expand_fragments

PRESET_DIR = Path(__file__).resolve().parent / "presets"
MAX_VARIANTS = 3  # presets that may keep a text per dialect (each says why)
PARAM_TYPES = ("str", "int", "float", "bool")
_INLINE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


class PresetError(ValueError):
    """A preset file is malformed, or a parameter value is not acceptable (the message says which)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "str"
    default: Any = None
    doc: str = ""
    required: bool = False
    choices: tuple[Any, ...] = ()
    values: str | None = None  # a query whose first column lists the allowed values
    strict: bool = False
    min: float | None = None
    max: float | None = None
    inline: bool = False

    def coerce(self, value: Any) -> Any:
        """A CLI string or a Python value → the declared type, within bounds and choices."""
        if value is None:
            if self.required:
                raise PresetError(f"parameter {self.name!r} is required")
            return None
        try:
            if self.type == "int":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError
                out: Any = int(str(value).strip()) if isinstance(value, str) else int(value)
            elif self.type == "float":
                out = float(value)
            elif self.type == "bool":
                if isinstance(value, bool):
                    out = value
                elif str(value).strip().lower() in _TRUE:
                    out = True
                elif str(value).strip().lower() in _FALSE:
                    out = False
                else:
                    raise ValueError
            else:
                if not isinstance(value, str | int | float) or isinstance(value, bool):
                    raise ValueError
                out = str(value)
        except (TypeError, ValueError):
            raise PresetError(f"parameter {self.name!r} must be {self.type}, got {value!r}") from None
        if self.type in ("int", "float"):
            if self.min is not None and out < self.min:
                raise PresetError(f"parameter {self.name!r} must be ≥ {self.min:g}, got {out}")
            if self.max is not None and out > self.max:
                raise PresetError(f"parameter {self.name!r} must be ≤ {self.max:g}, got {out}")
        if self.required and out == "":
            raise PresetError(f"parameter {self.name!r} is required")
        if self.choices and out not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise PresetError(f"parameter {self.name!r} must be one of {allowed}, got {out!r}")
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "default": self.default, "doc": self.doc}
        if self.required:
            out["required"] = True
        if self.choices:
            out["choices"] = list(self.choices)
        if self.values:
            out["values"] = self.values
        if self.strict:
            out["strict"] = True
        for bound in ("min", "max"):
            if getattr(self, bound) is not None:
                out[bound] = getattr(self, bound)
        return out


@dataclass(frozen=True)
class Preset:
    id: str
    title: dict[str, str]
    question: dict[str, str]
    cypher: str | None  # the one text (Neo4j 5 Cypher), or None when the preset has variants
    params: tuple[Param, ...] = ()
    json_columns: tuple[str, ...] = ()
    unnest: dict[str, Any] | None = None
    subgraph: dict[str, Any] | None = None
    variants: dict[str, str] = field(default_factory=dict)  # dialect → text, where no rewrite can do it
    variants_why: str = ""
    path: Path | None = field(default=None, compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise PresetError(f"preset {self.id!r} has no parameter {name!r}; it has: {self.param_names()}")

    def param_names(self) -> str:
        return ", ".join(p.name for p in self.params) or "(none)"

    def text(self, dialect: str) -> str:
        """The dialect's own text when the preset has variants, else the one text (rewritten later)."""
        if dialect not in DIALECTS:
            raise PresetError(f"unknown dialect {dialect!r}: {' or '.join(DIALECTS)}")
        return self.variants.get(dialect) or self.cypher or ""

    def bind(self, values: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults filled in, every value coerced and checked; unknown names refused."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise PresetError(
                f"preset {self.id!r} has no parameter {', '.join(map(repr, unknown))}; "
                f"it has: {self.param_names()}"
            )
        return {p.name: p.coerce(values.get(p.name, p.default)) for p in self.params}

    def render(self, dialect: str, bound: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(Cypher text with fragments and inline ints written in, driver parameters for the rest)."""
        text = expand_fragments(self.text(dialect))
        inline = {p.name for p in self.params if p.inline}

        def put(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in inline:
                raise PresetError(f"preset {self.id!r}: {{{{{name}}}}} is not an inline parameter")
            return str(int(bound[name]))

        text = _INLINE.sub(put, text)
        return text, {k: v for k, v in bound.items() if k not in inline}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": dict(self.title),
            "question": dict(self.question),
            "params": [p.to_json() for p in self.params],
        }


def _param(raw: dict[str, Any], where: str) -> Param:
    known = {f for f in Param.__dataclass_fields__}
    if not isinstance(raw, dict) or "name" not in raw:
        raise PresetError(f"{where}: each parameter is a mapping with a name")
    extra = set(raw) - known
    if extra:
        raise PresetError(f"{where}: unknown parameter fields {sorted(extra)}")
    kind = raw.get("type", "str")
    if kind not in PARAM_TYPES:
        raise PresetError(f"{where}: type must be one of {PARAM_TYPES}")
    if raw.get("inline") and kind != "int":
        raise PresetError(f"{where}: only int parameters can be inline")
    if raw.get("inline") and (raw.get("min") is None or raw.get("max") is None):
        raise PresetError(f"{where}: an inline parameter needs min and max")
    values = raw.get("values")
    if values is not None and not isinstance(values, str):
        raise PresetError(f"{where}: values is one query text")
    param = Param(
        name=raw["name"],
        type=kind,
        default=raw.get("default"),
        doc=str(raw.get("doc", "")).strip(),
        required=bool(raw.get("required", False)),
        choices=tuple(raw.get("choices") or ()),
        values=str(values).strip() if values else None,
        strict=bool(raw.get("strict", False)),
        min=raw.get("min"),
        max=raw.get("max"),
        inline=bool(raw.get("inline", False)),
    )
    if param.default is not None:
        param.coerce(param.default)  # a default that fails its own checks is a broken preset
    return param


def _bilingual(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("zh") or not raw.get("en"):
        raise PresetError(f"{where}: needs zh and en")
    return {"zh": str(raw["zh"]).strip(), "en": str(raw["en"]).strip()}


def parse_preset(data: dict[str, Any], path: Path | None = None) -> Preset:
    where = str(path or data.get("id", "preset"))
    allowed = {"id", "title", "question", "params", "cypher", "variants", "json", "unnest", "subgraph"}
    if not isinstance(data, dict) or not data.get("id"):
        raise PresetError(f"{where}: a mapping with an id")
    extra = set(data) - allowed
    if extra:
        raise PresetError(f"{where}: unknown fields {sorted(extra)}")
    if path is not None and path.stem != data["id"]:
        raise PresetError(f"{where}: id {data['id']!r} differs from the file name")
    texts, variants, why = _cypher(data, where)
    params = tuple(_param(p, f"{where}.params[{i}]") for i, p in enumerate(data.get("params") or ()))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise PresetError(f"{where}: duplicate parameter names")
    inline = {p.name for p in params if p.inline}
    for dialect, text in texts.items():
        for m in _INLINE.finditer(text):
            if m.group(1) not in inline and m.group(1) not in FRAGMENTS:
                raise PresetError(
                    f"{where} ({dialect}): {{{{{m.group(1)}}}}} is not an inline parameter or a fragment"
                )
    unnest = data.get("unnest")
    if unnest is not None and (not isinstance(unnest, dict) or "column" not in unnest):
        raise PresetError(f"{where}: unnest needs a column")
    return Preset(
        id=str(data["id"]),
        title=_bilingual(data.get("title"), f"{where}.title"),
        question=_bilingual(data.get("question"), f"{where}.question"),
        cypher=str(data["cypher"]).strip() if data.get("cypher") else None,
        params=params,
        json_columns=tuple(data.get("json") or ()),
        unnest=unnest,
        subgraph=data.get("subgraph"),
        variants=variants,
        variants_why=why,
        path=path,
    )


def _cypher(data: dict[str, Any], where: str) -> tuple[dict[str, str], dict[str, str], str]:
    """(text per dialect, variants, why): one `cypher`, or `variants` with a text per dialect and a why."""
    raw = data.get("variants")
    if data.get("cypher") and raw:
        raise PresetError(f"{where}: cypher or variants, not both")
    if data.get("cypher"):
        text = str(data["cypher"])
        return dict.fromkeys(DIALECTS, text), {}, ""
    if not raw:
        raise PresetError(f"{where}: no Cypher (cypher, or variants with {', '.join(DIALECTS)} and why)")
    if not isinstance(raw, dict) or set(raw) - {"why", *DIALECTS}:
        raise PresetError(f"{where}.variants: a mapping with why, {', '.join(DIALECTS)}")
    missing = [d for d in DIALECTS if not raw.get(d)]
    if missing:
        raise PresetError(f"{where}.variants: no query for {', '.join(missing)}")
    why = str(raw.get("why") or "").strip()
    if not why:
        raise PresetError(f"{where}.variants: say why no rewrite can serve both dialects (why: …)")
    variants = {d: str(raw[d]).strip() for d in DIALECTS}
    return variants, variants, why


def load_presets(folder: str | Path = PRESET_DIR) -> dict[str, Preset]:
    """id → Preset, in file-name order; raises PresetError on the first malformed file."""
    presets: dict[str, Preset] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise PresetError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
        preset = parse_preset(data, path)
        presets[preset.id] = preset
    with_variants = [p.id for p in presets.values() if p.variants]
    if len(with_variants) > MAX_VARIANTS:
        raise PresetError(
            f"{folder}: {len(with_variants)} presets keep a text per dialect ({', '.join(with_variants)}); "
            f"at most {MAX_VARIANTS}: write one text and extend queries/dialect.py"
        )
    return presets


@cache
def presets() -> dict[str, Preset]:
    """The shipped library (queries/presets/), loaded once."""
    return load_presets(PRESET_DIR)


def get_preset(preset_id: str) -> Preset:
    library = presets()
    if preset_id not in library:
        raise PresetError(f"no preset {preset_id!r}; `ikg query --list` shows them")
    return library[preset_id]
