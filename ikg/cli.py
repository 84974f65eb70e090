"""`ikg`: one command with a subcommand per stage.

Each stage module exposes ``register(subparsers)`` which adds its subcommand and sets
``func`` on the parsed arguments; this file only assembles them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# Modules providing subcommands, in the order they appear in --help.
COMMAND_MODULES = ("ingest.cli", "graph.cli", "queries.cli", "app.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ikg", description="innovation-kg: plans → knowledge graph")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an optional stage whose dependencies are missing
            logging.getLogger(__name__).debug("skipping %s: %s", name, exc)
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ikg query … | head`: the reader has gone, which is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a clear line for users; the traceback only on request
        if args.debug:
            raise
        logging.getLogger("ikg").error("%s", error_line(exc))
        return 1


def error_line(exc: BaseException) -> str:
    """One line for an error: the message of an error we raise for users (a store or a file that
    cannot be used: it says what is wrong), otherwise "ExceptionType: message"."""
    from graph.stores.base import StoreError
    from ingest.readers import ReadError

    message = " ".join(str(exc).split())
    if isinstance(exc, (StoreError, ReadError)) and message:
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
