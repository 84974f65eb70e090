"""Extraction benchmark: pipeline load time, throughput over data/raw, plain jieba for scale, and a
per-component breakdown.

    python bench/bench_extract.py [--repeat 3] [--raw data/raw]

Every document is read once up front; then, ``--repeat`` times, the whole corpus goes through
extraction (spaCy pipeline + Doc → Extraction records) and right after through ``jieba.lcut``
(dictionary warmed first), which shows what the segmenter alone costs. The median wall times give
characters/s and documents/s; the ratio of the two is the median of the rounds' ratios, so a drift in
the machine's speed touches both sides of each. The breakdown runs ``nlp.make_doc`` and then each
pipeline component in turn on every document, timing each step separately (median over the
repeats). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def _fmt_rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "inf"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the corpus (median is reported)")
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of documents (default: data/raw)")
    args = ap.parse_args(argv)
    repeat = max(1, args.repeat)
    logging.getLogger("jieba").setLevel(logging.WARNING)

    # -- load -------------------------------------------------------------------------------
    t0 = time.perf_counter()
    import jieba
    import spacy

    from ingest.extract import doc_to_extraction
    from ingest.pipeline import build_nlp
    from ingest.readers import iter_paths, read_document

    t_import = time.perf_counter() - t0
    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    nlp = build_nlp()  # config, components, ontology YAML, cpca gazetteer, jieba segmenter
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    nlp("科技创新规划\n一、总体要求\n加快建设创新平台。")  # first call: lazy dictionaries (jieba.posseg)
    t_warm = time.perf_counter() - t0

    documents = [read_document(p) for p in iter_paths([args.raw])]
    texts = [d.text for d in documents]
    n_chars = sum(len(t) for t in texts)
    n_docs = len(documents)
    if not n_docs:
        print(f"no documents in {args.raw}")
        return 1

    print(
        f"python {platform.python_version()}, spaCy {spacy.__version__}, jieba {jieba.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"corpus: {n_docs} documents, {n_chars:,} characters ({args.raw})")
    print(f"repeat: {repeat} (median wall time)")
    print()
    print("load")
    print(f"  imports (spaCy, jieba, ingest)    {t_import:8.3f} s")
    print(f"  build_nlp (model + ontology)       {t_build:8.3f} s")
    print(f"  first call (lazy dictionaries)     {t_warm:8.3f} s")
    print()

    # -- full extraction and jieba alone, interleaved ------------------------------------------
    # Each round times one extraction pass and then one plain-jieba pass over the same texts, so a
    # change in the machine's speed during the run touches both; the ratio is the median of the
    # rounds' ratios.
    jieba.initialize()
    jieba.lcut("科技创新规划")
    totals: list[float] = []
    j_totals: list[float] = []
    per_doc: list[list[float]] = [[] for _ in documents]
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for i, d in enumerate(documents):
            t = time.perf_counter()
            doc_to_extraction(nlp(d.text), d)
            per_doc[i].append(time.perf_counter() - t)
        totals.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        j_totals.append(time.perf_counter() - start)
    t_extract = statistics.median(totals)
    t_jieba = statistics.median(j_totals)
    ratios = [e / j for e, j in zip(totals, j_totals, strict=True)]
    ratio = statistics.median(ratios)

    print("throughput")
    print(f"  {'':<28}{'median s':>10}{'chars/s':>12}{'docs/s':>9}")
    print(
        f"  {'extraction (pipeline+JSON)':<28}{t_extract:>10.3f}{_fmt_rate(n_chars, t_extract):>12}"
        f"{n_docs / t_extract:>9.2f}"
    )
    print(
        f"  {'jieba.lcut only':<28}{t_jieba:>10.3f}{_fmt_rate(n_chars, t_jieba):>12}{n_docs / t_jieba:>9.2f}"
    )
    print(
        f"  extraction takes {ratio:,.2f}x the time of plain segmentation "
        f"(median of {repeat} interleaved rounds; rounds {min(ratios):.2f}–{max(ratios):.2f}x)"
    )
    print()
    print("per document (median)")
    for d, times in sorted(zip(documents, per_doc, strict=True), key=lambda x: len(x[0].text)):
        med = statistics.median(times)
        print(f"  {d.name:<28}{len(d.text):>8,} chars{med:>9.3f} s{_fmt_rate(len(d.text), med):>10} chars/s")
    print()

    # -- per component --------------------------------------------------------------------------
    steps = ["make_doc (tokenizer)", *[name for name, _ in nlp.pipeline], "doc_to_extraction"]
    runs: dict[str, list[float]] = {s: [] for s in steps}
    for _ in range(repeat):
        acc = dict.fromkeys(steps, 0.0)
        for d in documents:
            t = time.perf_counter()
            doc = nlp.make_doc(d.text)
            acc["make_doc (tokenizer)"] += time.perf_counter() - t
            for name, proc in nlp.pipeline:
                t = time.perf_counter()
                doc = proc(doc)
                acc[name] += time.perf_counter() - t
            t = time.perf_counter()
            doc_to_extraction(doc, d)
            acc["doc_to_extraction"] += time.perf_counter() - t
        for s in steps:
            runs[s].append(acc[s])
    med = {s: statistics.median(v) for s, v in runs.items()}
    total = sum(med.values())
    print("per component (whole corpus, median)")
    print(f"  {'step':<24}{'s':>9}{'share':>8}{'chars/s':>14}")
    for s in steps:
        print(f"  {s:<24}{med[s]:>9.3f}{100 * med[s] / total:>7.1f}%{_fmt_rate(n_chars, med[s]):>14}")
    print(f"  {'sum':<24}{total:>9.3f}{100.0:>7.1f}%{_fmt_rate(n_chars, total):>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
