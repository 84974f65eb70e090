"""Builds the spaCy ``nlp`` object from ``ingest/config.cfg`` and the registered components."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the component modules registers their factories.
from ingest.components import (  # noqa: F401
    chain_items,
    clusters,
    entities,
    gazetteer,
    indicators,
    lists,
    measures,
    names,
    pos,
    quoted,
    relations,
    structure,
)
from ingest.doc_ext import ensure_extensions

CONFIG_PATH = Path(__file__).with_name("config.cfg")


@functools.lru_cache(maxsize=2)
def build_nlp(config_path: str = str(CONFIG_PATH), ontology_dir: str = "") -> Language:
    logging.getLogger("jieba").setLevel(logging.WARNING)
    ensure_extensions()
    config = spacy.util.load_config(config_path)
    if ontology_dir:
        for comp in config["components"].values():
            if comp["factory"] != "ikg_structure":
                comp["ontology_dir"] = ontology_dir
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    return nlp
