"""Extractions → resolved knowledge graph → stores and exports.

Public API: `graph.pipeline` (the build stage by stage: extract, resolve, validate, load, write, and
`build`), `graph.build.build_graph` / `load_extractions` / `write_outputs`, `graph.model.Graph`,
`graph.export.export`, `graph.stores.open_store` (embedded LadybugDB or Neo4j), `graph.schema`.
"""
