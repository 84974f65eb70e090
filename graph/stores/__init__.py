"""Graph stores behind one interface (base.Store): the embedded LadybugDB file and Neo4j."""

from __future__ import annotations

from graph.stores.base import Store, open_store

__all__ = ["Store", "open_store"]
