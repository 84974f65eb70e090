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
        values: "MATCH … RETURN x"      # a query filling a dropdown (or {cypher, embedded, neo4j})
        strict: true                    # the value must be one of `values` (checked before running)
        min: 1, max: 6                  # bounds of an int
        inline: true                    # an int written into the Cypher at {{name}} (var-length bounds)
    cypher: |                           # runs on both stores …
      …
    variants: {embedded: …, neo4j: …}   # … unless a store needs its own text (dialects differ)
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

PRESET_DIR = Path(__file__).resolve().parent / "presets"
STORES = ("embedded", "neo4j")
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
    values: dict[str, str] | None = None  # {"cypher": …} and/or per-store texts
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

    def values_cypher(self, store: str) -> str | None:
        if not self.values:
            return None
        return self.values.get(store) or self.values.get("cypher")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "default": self.default, "doc": self.doc}
        if self.required:
            out["required"] = True
        if self.choices:
            out["choices"] = list(self.choices)
        if self.values:
            out["values"] = self.values.get("cypher") or self.values.get("embedded")
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
    cypher: dict[str, str]  # store → text (both stores always present after loading)
    params: tuple[Param, ...] = ()
    json_columns: tuple[str, ...] = ()
    unnest: dict[str, Any] | None = None
    subgraph: dict[str, Any] | None = None
    path: Path | None = field(default=None, compare=False)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise PresetError(f"preset {self.id!r} has no parameter {name!r}; it has: {self.param_names()}")

    def param_names(self) -> str:
        return ", ".join(p.name for p in self.params) or "(none)"

    def text(self, store: str) -> str:
        if store not in self.cypher:
            raise PresetError(f"unknown store {store!r}: {' or '.join(STORES)}")
        return self.cypher[store]

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

    def render(self, store: str, bound: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(Cypher text with inline ints written in, driver parameters for the rest)."""
        text = self.text(store)
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


def _texts(raw: Any, where: str, allow_missing: bool = False) -> dict[str, str]:
    """`"MATCH …"` or `{cypher: …, embedded: …, neo4j: …}` → store → text."""
    if isinstance(raw, str):
        return {store: raw for store in STORES}
    if not isinstance(raw, dict) or not set(raw) <= {"cypher", *STORES}:
        raise PresetError(f"{where}: a query text, or a mapping with cypher/embedded/neo4j")
    out = {store: raw.get(store) or raw.get("cypher") for store in STORES}
    missing = [s for s, t in out.items() if not t]
    if missing and not allow_missing:
        raise PresetError(f"{where}: no query for {', '.join(missing)}")
    return {k: v for k, v in out.items() if v}


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
    param = Param(
        name=raw["name"],
        type=kind,
        default=raw.get("default"),
        doc=str(raw.get("doc", "")).strip(),
        required=bool(raw.get("required", False)),
        choices=tuple(raw.get("choices") or ()),
        values=_texts(values, f"{where}.values") if values else None,
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
    texts = {store: data["cypher"] for store in STORES} if data.get("cypher") else {}
    texts.update(_texts(data.get("variants") or {}, f"{where}.variants", allow_missing=True))
    missing = [s for s in STORES if not texts.get(s)]
    if missing:
        raise PresetError(f"{where}: no Cypher for {', '.join(missing)} (cypher, or variants per store)")
    params = tuple(_param(p, f"{where}.params[{i}]") for i, p in enumerate(data.get("params") or ()))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise PresetError(f"{where}: duplicate parameter names")
    for store, text in texts.items():
        for m in _INLINE.finditer(text):
            if m.group(1) not in {p.name for p in params if p.inline}:
                raise PresetError(f"{where} ({store}): {{{{{m.group(1)}}}}} is not an inline parameter")
    unnest = data.get("unnest")
    if unnest is not None and (not isinstance(unnest, dict) or "column" not in unnest):
        raise PresetError(f"{where}: unnest needs a column")
    return Preset(
        id=str(data["id"]),
        title=_bilingual(data.get("title"), f"{where}.title"),
        question=_bilingual(data.get("question"), f"{where}.question"),
        cypher={s: texts[s].strip() for s in STORES},
        params=params,
        json_columns=tuple(data.get("json") or ()),
        unnest=unnest,
        subgraph=data.get("subgraph"),
        path=path,
    )


def load_presets(folder: str | Path = PRESET_DIR) -> dict[str, Preset]:
    """id → Preset, in file-name order; raises PresetError on the first malformed file."""
    presets: dict[str, Preset] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        preset = parse_preset(data, path)
        presets[preset.id] = preset
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
