"""Shared pytest setup: the Neo4j fixtures (skip without a server, fail under CI=true) and the corpus
graph in both stores behind query runners."""

pytest_plugins = ["tests.neo4j_support", "tests.corpus_runners"]
