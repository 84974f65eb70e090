"""Example arguments for a preset's required parameters, taken from the graph it runs on.

Presets name no entity by default (a default would name one document's actor), so whoever runs
every preset unattended — a benchmark, a smoke test — needs values from the graph itself: the
first of the parameter's `values` query, else the name of the best-connected actor.
"""

from __future__ import annotations

from typing import Any

from queries.catalog import load_presets
from queries.runner import Runner

PLACEHOLDER = "x"  # what a required parameter gets on a graph that offers no value


def example_params(runner: Runner | None, preset_id: str) -> dict[str, Any]:
    """Values for `preset_id`'s required parameters that have no default."""
    params: dict[str, Any] = {}
    for p in load_presets()[preset_id].params:
        if p.default is not None or not p.required:
            continue
        values = runner.values(preset_id, p.name) if runner is not None else []
        if not values and runner is not None:  # a free name (a search): the best-connected actor's
            values = [r["name"] for r in runner.run("hubs", {"limit": 1}).records()]
        params[p.name] = values[0] if values else PLACEHOLDER
    return params
