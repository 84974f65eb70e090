"""Shared pytest setup: the Neo4j fixtures (skip without a server, fail under CI=true)."""

pytest_plugins = ["tests.neo4j_support"]
