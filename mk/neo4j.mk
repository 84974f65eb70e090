# Neo4j 5 test server: Neo4j embedded in a JVM, Bolt on 127.0.0.1 (tests/neo4j_server/).
# Included from the Makefile. Needs Java 17+ and Maven; the first `make neo4j-up` downloads ~130 MB into ~/.m2.
# The script is pure standard library: the venv's Python if there is one, else python3.
# Included anywhere in the Makefile, it leaves the default goal as it was (or unset, if included first).
_NEO4J_SAVED_GOAL := $(.DEFAULT_GOAL)
NEO4J_CTL := tests/neo4j_server/neo4j_ctl.py
NEO4J_PY   = $(if $(wildcard $(or $(BIN),.venv/bin)/python),$(or $(BIN),.venv/bin)/python,python3)

.PHONY: neo4j-up neo4j-down neo4j-status neo4j-env

# Build if needed, start (fresh data) and wait until ready; prints the URI. Idempotent.
neo4j-up:
	@$(NEO4J_PY) $(NEO4J_CTL) up

neo4j-down:
	@$(NEO4J_PY) $(NEO4J_CTL) down

neo4j-status:
	@$(NEO4J_PY) $(NEO4J_CTL) status

# Usage: eval "$$(make -s neo4j-env)"
neo4j-env:
	@$(NEO4J_PY) $(NEO4J_CTL) env --export

.DEFAULT_GOAL := $(_NEO4J_SAVED_GOAL)
