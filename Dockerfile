# innovation-kg's `ikg` command and its app, for docker-compose.yml: builds the graph from data/raw into
# the `neo4j` service, then serves the app. Build context: the repository root (see .dockerignore).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The project, installed editable as `make setup` does: the code finds data/ontology beside its packages.
COPY pyproject.toml README.md ./
COPY ikg ./ikg
COPY ingest ./ingest
COPY graph ./graph
COPY queries ./queries
COPY app ./app
COPY data/ontology ./data/ontology
COPY data/raw ./data/raw
RUN pip install --no-deps -e . \
    && useradd --create-home --uid 1000 ikg \
    && mkdir -p data/build \
    && chown -R ikg:ikg /app

USER ikg
EXPOSE 8501

# docker-compose.yml overrides this with build-then-app; alone, the image builds into the embedded store.
CMD ["ikg", "build"]
