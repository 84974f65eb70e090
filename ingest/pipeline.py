"""Builds the spaCy ``nlp`` object from ``ingest/config.cfg`` and the registered components."""

from __future__ import annotations

import functools
import gc
import logging
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the component modules registers their factories.
from ingest.components import (  # noqa: F401
    chains,
    entities,
    indicators,
    lists,
    measures,
    names,
    places,
    quoted,
    relations,
    structure,
    tokens,
)
from ingest.state import ensure_extension

CONFIG_PATH = Path(__file__).with_name("config.cfg")


@functools.lru_cache(maxsize=2)
def build_nlp(config_path: str = str(CONFIG_PATH), ontology_dir: str = "") -> Language:
    """The pipeline; ``ontology_dir`` points every component at another ontology folder."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    ensure_extension()
    config = spacy.util.load_config(config_path)
    if ontology_dir:
        for comp in config["components"].values():
            comp["ontology_dir"] = ontology_dir
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    tokens.word_tags(), tokens.word_freq()  # the dictionary tables every document reads: loaded now
    # The model's tables (gazetteer, ontology, dictionaries) live as long as the process. Frozen, they
    # are left out of the collector's full passes, which otherwise walk them all again every few
    # documents (about a tenth of the extraction time).
    gc.collect()
    gc.freeze()
    return nlp
