"""notebooks/explore.ipynb, executed top to bottom with nbclient in a fresh kernel of this interpreter.

The graph is the app tests' corpus graph (tests/app_graph.py: the session's cached extraction, built
into a temporary folder with graph.json and graph.lbdb side by side); the notebook finds it through
IKG_GRAPH_JSON and runs in a temporary copy. Its outputs are checked against that graph and against
the store: the centrality table against neighbour counts taken here from the `Graph` object, the
communities as a partition of the linked entities, the preset's rows against `Runner.run` called
here, the figures as real PNGs. A last cell, added to the copy only, prints the kernel's results as
JSON so they can be compared exactly.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from graph.schema import DOCUMENT, NON_ACTOR_LABELS, NON_ACTOR_RELS
from graph.stores.ladybug import LadybugStore
from queries.runner import Runner
from tests.app_graph import XSS_NAME, AppGraph, build_app_graph

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
CELL_TIMEOUT = 120  # seconds per cell
PROBE_MARK = "NOTEBOOK-PROBE:"
PROBE = f"""
import json as _json
import sys as _sys
print({PROBE_MARK!r} + _json.dumps({{
    "executable": _sys.executable,
    "prefix": _sys.prefix,
    "graph_json": str(GRAPH_JSON),
    "db": str(DB),
    "linked": sorted(U),
    "top_degree": top_degree,
    "top_betweenness": top_betweenness,
    "communities": [sorted(c) for c in communities],
    "preset": preset_result.to_json(),
    "cjk_font": CJK_FONT,
}}, ensure_ascii=False, default=str))
"""
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ENV_CLEARED = ("IKG_GRAPH_JSON", "IKG_DB", "IKG_ROOT", "IKG_STORE", "NEO4J_URI")


# --- running the notebook ---------------------------------------------------------------------------


def _kernel_manager(folder: Path) -> KernelManager:
    """A `python3` kernelspec whose argv is this interpreter, never a `python` found on PATH."""
    kernels = folder / "kernels"
    write_kernel_spec(kernels / "python3")  # argv: [sys.executable, "-m", "ipykernel_launcher", …]
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def _execute(nb: NotebookNode, cwd: Path, scratch: Path) -> NotebookNode:
    client = NotebookClient(
        nb,
        km=_kernel_manager(scratch),
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(cwd)}},  # the kernel's working directory
    )
    client.execute()
    return nb


def _isolated_env(mp: pytest.MonkeyPatch, scratch: Path, **values: str) -> None:
    """The kernel inherits this process's environment: only what the test means to set."""
    for name in ENV_CLEARED:
        mp.delenv(name, raising=False)
    mp.setenv("IPYTHONDIR", str(scratch / "ipython"))  # no user profile or startup files
    mp.setenv("JUPYTER_RUNTIME_DIR", str(scratch / "runtime"))
    for name, value in values.items():
        mp.setenv(name, value)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> AppGraph:
    return build_app_graph(tmp_path_factory.mktemp("notebook_graph"))


@pytest.fixture(scope="module")
def executed(built: AppGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotebookNode]:
    """The notebook run in a temporary working copy on the built graph, with the probe cell appended."""
    work = tmp_path_factory.mktemp("notebook_run")
    copy = work / NOTEBOOK.name
    shutil.copy(NOTEBOOK, copy)
    nb = nbformat.read(copy, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE, id="test-probe"))
    with pytest.MonkeyPatch.context() as mp:
        # graph.lbdb is not named: the notebook takes the one beside graph.json, as after `ikg build`.
        _isolated_env(mp, work, IKG_GRAPH_JSON=str(built.folder / "graph.json"), IKG_ROOT=str(ROOT))
        _execute(nb, work, work)
    nbformat.write(nb, work / "executed.ipynb")  # kept beside the copy for a look after a failure
    yield nb


# --- reading the outputs ------------------------------------------------------------------------------


def _cell(nb: NotebookNode, cell_id: str) -> NotebookNode:
    found = [c for c in nb.cells if c.get("id") == cell_id]
    assert len(found) == 1, f"no single cell {cell_id!r} in the notebook"
    return found[0]


def _text(cell: NotebookNode) -> str:
    """Everything a reader sees in a cell's output: streams, plain text and HTML."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        for mime in ("text/plain", "text/html"):
            if mime in out.get("data", {}):
                parts.append(out.data[mime])
    return "\n".join(parts)


def _htmls(cell: NotebookNode) -> list[str]:
    return [out.data["text/html"] for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]


def _probe(nb: NotebookNode) -> dict[str, Any]:
    text = _text(_cell(nb, "test-probe"))
    line = next(line for line in text.splitlines() if line.startswith(PROBE_MARK))
    return json.loads(line[len(PROBE_MARK) :])


def _partners(built: AppGraph) -> dict[str, set[str]]:
    """Each actor's distinct partners over the actor relationships, from the Graph object."""
    partners: dict[str, set[str]] = {}
    for edge in built.graph.edges:
        if not _actor_edge(built, edge):
            continue
        partners.setdefault(edge.src, set()).add(edge.dst)
        partners.setdefault(edge.dst, set()).add(edge.src)
    return partners


def _actor_edge(built: AppGraph, edge) -> bool:
    """Not provenance, not a figure: the relationships the notebook (and the hubs preset) count."""
    if edge.type in NON_ACTOR_RELS:
        return False
    return all(built.graph.label_of(end) not in NON_ACTOR_LABELS for end in (edge.src, edge.dst))


def _actors(built: AppGraph) -> list[str]:
    return [n for n, node in built.graph.nodes.items() if node.label not in NON_ACTOR_LABELS]


def _relationships(built: AppGraph, node_id: str) -> int:
    return sum((e.src == node_id) + (e.dst == node_id) for e in built.graph.edges if _actor_edge(built, e))


# --- the committed file --------------------------------------------------------------------------------


def test_the_committed_notebook_has_no_outputs_and_a_python3_kernel() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert {"locate", "load", "centrality", "communities", "plot", "preset"} <= {c.id for c in code}
    assert all(c.cell_type == "markdown" for c in nb.cells[:2])


# --- the run on the corpus graph --------------------------------------------------------------------------


@pytest.mark.slow
def test_every_cell_ran_in_this_interpreter_without_an_error(executed: NotebookNode, built: AppGraph) -> None:
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, cell.id
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.id
    probe = _probe(executed)
    assert probe["executable"] == sys.executable
    assert probe["prefix"] == sys.prefix  # the venv, not a system Python behind the same symlink
    assert probe["graph_json"] == str((built.folder / "graph.json").resolve())
    assert probe["db"] == str(built.db.resolve())  # graph.lbdb found beside graph.json


@pytest.mark.slow
def test_the_loaded_graph_counts_match_the_build(executed: NotebookNode, built: AppGraph) -> None:
    text = _text(_cell(executed, "load"))
    n_nodes = len(built.graph.nodes) + len(built.graph.documents)
    assert f"graph.json: {n_nodes} nodes, {len(built.graph.edges)} edges" in text
    n_relationships = sum(1 for e in built.graph.edges if _actor_edge(built, e))
    assert f"entities: {len(_actors(built))}, relationships: {n_relationships}" in text
    assert _probe(executed)["linked"] == sorted(_partners(built))


@pytest.mark.slow
def test_the_centrality_tables_name_real_nodes_with_their_degrees(
    executed: NotebookNode, built: AppGraph
) -> None:
    probe = _probe(executed)
    partners = _partners(built)
    n_linked = len(partners)
    top = probe["top_degree"]
    assert len(top) == 10 and len(probe["top_betweenness"]) == 10
    shown = "\n".join(_htmls(_cell(executed, "centrality")))
    for row in [*top, *probe["top_betweenness"]]:
        node = built.graph.nodes[row["id"]]  # a node of the graph, not of another label
        assert (row["name"], row["type"]) == (node.name, node.label)
        assert node.label != DOCUMENT
        assert row["relationships"] == _relationships(built, row["id"])
        assert row["degree_centrality"] == pytest.approx(len(partners[row["id"]]) / (n_linked - 1), abs=6e-5)
        assert 0 <= row["betweenness"] <= 1
        assert html.escape(node.name) in shown
    # The ten with the most partners, and nobody left out has more than the tenth.
    counts = [len(partners[r["id"]]) for r in top]
    assert counts == sorted(counts, reverse=True)
    outside = [len(p) for node_id, p in partners.items() if node_id not in {r["id"] for r in top}]
    assert max(outside) <= counts[-1]
    betweenness = [r["betweenness"] for r in probe["top_betweenness"]]
    assert betweenness == sorted(betweenness, reverse=True) and betweenness[0] > 0


@pytest.mark.slow
def test_the_communities_partition_the_linked_entities(executed: NotebookNode, built: AppGraph) -> None:
    communities = _probe(executed)["communities"]
    assert len(communities) > 1
    members = [m for c in communities for m in c]
    assert len(members) == len(set(members))  # disjoint
    assert set(members) == set(_partners(built))  # and covering every linked entity
    sizes = [len(c) for c in communities]
    assert sizes == sorted(sizes, reverse=True)
    cell = _cell(executed, "communities")
    assert f"{len(communities)} communities, modularity" in _text(cell)
    table = "\n".join(_htmls(cell))
    for community in communities[:3]:  # the biggest member of each of the largest communities is listed
        name = {m: built.graph.nodes[m].name for m in community}
        biggest = min(community, key=lambda m: (-_relationships(built, m), name[m], m))
        assert f"<td>{len(community)}</td>" in table
        assert html.escape(built.graph.nodes[biggest].name) in table


@pytest.mark.slow
def test_the_preset_rows_equal_the_runner_called_directly(executed: NotebookNode, built: AppGraph) -> None:
    store = LadybugStore(built.db)
    try:
        direct = Runner(store).run("hubs", {"limit": 10})
    finally:
        store.close()
    assert direct.rows
    assert _probe(executed)["preset"] == {"columns": direct.columns, "rows": direct.rows}
    cell = _cell(executed, "preset")
    assert f"{len(direct.rows)} rows in" in _text(cell)
    table = "\n".join(_htmls(cell))  # a DataFrame: pandas is installed with the app
    assert "dataframe" in table
    for record in direct.records():
        assert html.escape(record["name"]) in table
        assert f"<td>{record['degree']}</td>" in table
    agree = _text(_cell(executed, "crosscheck"))
    assert f"store and networkx agree on the degree of all {len(direct.rows)} hubs" in agree


@pytest.mark.slow
def test_the_plots_are_png_images(executed: NotebookNode) -> None:
    cell = _cell(executed, "plot")
    images = [base64.b64decode(o.data["image/png"]) for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2
    for png in images:
        assert png.startswith(PNG_MAGIC)
        width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
        assert width > 300 and height > 200
        assert len(png) > 10_000  # drawn, not blank
    from matplotlib import font_manager

    if any("wqy" in Path(p).name.lower() for p in font_manager.findSystemFonts()):
        assert _probe(executed)["cjk_font"], "a WenQuanYi font is installed but the notebook did not use it"


@pytest.mark.slow
def test_names_are_escaped_in_html_tables(executed: NotebookNode) -> None:
    for cell in executed.cells:
        for table in _htmls(cell):
            assert XSS_NAME not in table


# --- no graph ---------------------------------------------------------------------------------------------


def test_a_missing_graph_stops_at_the_first_cell_with_the_build_command(tmp_path: Path) -> None:
    """Run where a notebook user runs it (cwd notebooks/, root found upwards), on a graph not built."""
    missing = tmp_path / "nowhere" / "graph.json"
    nb = nbformat.read(NOTEBOOK, as_version=4)  # read only: the file in the repository is not written
    with pytest.MonkeyPatch.context() as mp:
        _isolated_env(mp, tmp_path, IKG_GRAPH_JSON=str(missing))
        with pytest.raises(CellExecutionError):
            _execute(nb, NOTEBOOK.parent, tmp_path)
    locate = _cell(nb, "locate")
    errors = [o for o in locate.outputs if o.output_type == "error"]
    assert len(errors) == 1
    error = errors[0]
    assert error.ename == "GraphNotBuilt"
    for part in (str(missing), "make build", "ikg build data/raw", str(ROOT)):
        assert part in error.evalue
    # One line, no frames: the message, not a traceback dump.
    assert len(error.traceback) == 1
    assert "Traceback" not in error.traceback[0] and "File " not in error.traceback[0]
    later = [c for c in nb.cells if c.cell_type == "code" and c.id != "locate"]
    assert all(c.execution_count is None and not c.outputs for c in later)
