"""`ikg app`: serve the Streamlit app (headless, 127.0.0.1 by default) on the built graph.

Registered on the top-level CLI (ikg/cli.py) through `register`. The store is chosen as in app/config.py:
`--store` (or IKG_STORE), else Neo4j when NEO4J_URI is set, else the LadybugDB file `--db`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.config import ENV_DB, ENV_GRAPH_DIR, ENV_STORE, source
from graph.stores.ladybug import DEFAULT_DB

HOME = Path(__file__).resolve().parent / "Home.py"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "app",
        help="serve the Streamlit app: overview, explore, chain gaps, presets, query, actor pages",
        description="Serve the app on the built graph (headless; open the printed URL in a browser).",
    )
    parser.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--store",
        choices=("embedded", "neo4j"),
        default=None,
        help="store to read (default: neo4j when NEO4J_URI is set, else embedded)",
    )
    parser.add_argument(
        "--db", default=None, help=f"LadybugDB file for the embedded store (default $IKG_DB or {DEFAULT_DB})"
    )
    parser.add_argument(
        "--graph-dir", default=None, help="folder with build_report.json (default: the folder of --db)"
    )
    parser.set_defaults(func=cmd_app)


def streamlit_command(port: int, host: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(HOME),
        "--server.headless=true",
        f"--server.port={port}",
        f"--server.address={host}",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
        "--client.toolbarMode=viewer",
        # Streamlit collects all garbage after every script run: 70-100 ms of CPU a page run under
        # one GIL for every session (bench/bench_app_load.py), where Python's own collector suffices.
        "--runner.postScriptGC=false",
    ]


def app_environment(args: argparse.Namespace) -> dict[str, str]:
    """The environment of the Streamlit process: absolute paths, so its working directory does not matter."""
    env = dict(os.environ)
    if args.store:
        env[ENV_STORE] = args.store
    if args.db:
        env[ENV_DB] = str(Path(args.db).resolve())
    elif env.get(ENV_DB):
        env[ENV_DB] = str(Path(env[ENV_DB]).resolve())
    else:
        env[ENV_DB] = str(DEFAULT_DB.resolve())
    if args.graph_dir:
        env[ENV_GRAPH_DIR] = str(Path(args.graph_dir).resolve())
    elif env.get(ENV_GRAPH_DIR):
        env[ENV_GRAPH_DIR] = str(Path(env[ENV_GRAPH_DIR]).resolve())
    return env


def cmd_app(args: argparse.Namespace) -> int:
    env = app_environment(args)
    src = source(env)  # refuses an unknown IKG_STORE before anything starts
    if src.kind == "embedded" and not Path(src.location).exists():
        print(f"note: no graph at {src.location} yet: run `ikg build` (the app says so too)", file=sys.stderr)
    print(f"ikg app: {src.description} · http://{args.host}:{args.port}", flush=True)
    proc = subprocess.Popen(streamlit_command(args.port, args.host), env=env)
    # A SIGTERM to `ikg app` stops the server too (Ctrl+C reaches both through the terminal).
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        try:
            return proc.wait(timeout=10) or 130
        except subprocess.TimeoutExpired:
            proc.kill()
            return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """`python -m app.cli [--port N] ...`: the same as `ikg app`, without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="ikg")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["app", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
