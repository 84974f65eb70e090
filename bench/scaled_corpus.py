"""Corpora N× the shared corpus: copy 0 is the real documents, every later copy the same documents
with each place name the gazetteer knows replaced by an invented one, the same one throughout
that copy, so that copies do not simply merge into the first one's entities.

    python bench/scaled_corpus.py SRC OUT --copies 10      (or --docs 1000)

What is renamed (the gazetteer of `ingest.ontology`, i.e. cpca's NBS division list): provinces and
prefecture-level cities by full name and short form (山东省 / 山东), counties and districts by full
name, and by their short form in a document that also names them in full. An invented stem keeps
the administrative suffix (X市, X区), is never a real place name and is used by one place of one
copy only. The corpora are generated, never committed.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.components.automata import WordAutomaton  # noqa: E402

# Characters invented place names are drawn from: common in Chinese toponyms, none a suffix.
_POOL = (
    "安宝北滨昌辰川春丹德东峰丰凤福阜港高广桂海汉禾和河横红鸿湖华淮黄嘉江金锦晋京景靖九"
    "康澜蓝乐丽临陵龙隆鹿罗茂梅美明南宁平浦齐祁启青清庆瑞润山善绍盛石寿舒顺松泰潭棠天"
    "通桐潼万威文武西溪霞湘祥新信兴秀旭阳耀宜义益银英永玉源岳云泽章长昭柘珍镇正中舟竹"
)


@dataclass(frozen=True)
class PlaceForms:
    """One gazetteer place: its full name, its stem and suffix (威海市 = 威海 + 市), its level."""

    name: str
    stem: str
    suffix: str
    level: str


def gazetteer() -> list[PlaceForms]:
    from ingest.ontology import load_ontology

    out = []
    for p in load_ontology().places:
        # a place without a short form (or one that is not a prefix of its name) is renamed whole
        stem = p.short if p.short and p.name.startswith(p.short) else p.name
        out.append(PlaceForms(p.name, stem, p.name[len(stem) :], p.level))
    return out


@dataclass
class Renamer:
    """Invented names per copy; a stem once given is never given again (nor is a real one)."""

    places: list[PlaceForms]
    seed: int = 0
    _real: set[str] = field(default_factory=set)
    _used: set[str] = field(default_factory=set)
    _stems: dict[tuple[int, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._real = {p.stem for p in self.places} | {p.name for p in self.places}
        # Leftmost-longest matching over every form: 威海市 wins over 威海, 山东省 over 山东.
        self._forms: dict[str, list[PlaceForms]] = {}
        for p in self.places:
            self._forms.setdefault(p.name, []).append(p)
            if p.level != "county" and len(p.stem) >= 2 and p.stem != p.name:
                self._forms.setdefault(p.stem, []).append(p)
        self._auto = WordAutomaton({form: form for form in self._forms})
        self._county_stems = WordAutomaton(
            {
                p.stem: p.stem
                for p in self.places
                if p.level == "county" and len(p.stem) >= 2 and p.stem != p.name
            }
        )

    def stem(self, copy: int, place: PlaceForms) -> str:
        key = (copy, place.name)
        if key not in self._stems:
            rng = random.Random(f"{self.seed}:{copy}:{place.name}")
            length = max(2, len(place.stem))
            for attempt in range(200):
                size = length + attempt // 50  # longer stems once the short ones run out
                candidate = "".join(rng.choice(_POOL) for _ in range(size))
                if candidate not in self._used and candidate not in self._real:
                    break
            self._used.add(candidate)
            self._stems[key] = candidate
        return self._stems[key]

    def rename(self, text: str, copy: int) -> str:
        if copy == 0:
            return text
        named: dict[str, PlaceForms] = {}  # county short form → county, when named in full here
        replacements: list[tuple[int, int, str]] = []
        for start, end, form in self._auto.leftmost_longest(text):
            place = min(self._forms[form], key=lambda p: ("province", "city", "county").index(p.level))
            if place.level == "county":
                named[place.stem] = place
            new = self.stem(copy, place) + (place.suffix if form == place.name else "")
            replacements.append((start, end, new))
        if named:
            taken = [(s, e) for s, e, _ in replacements]
            for start, end, stem in self._county_stems.leftmost_longest(text):
                if stem in named and not any(s < end and start < e for s, e in taken):
                    replacements.append((start, end, self.stem(copy, named[stem])))
        out, at = [], 0
        for start, end, new in sorted(replacements):
            out.append(text[at:start])
            out.append(new)
            at = end
        out.append(text[at:])
        return "".join(out)


def write_corpus(src: Path, out: Path, copies: int = 1, docs: int | None = None, seed: int = 0) -> list[Path]:
    """`copies` copies of the documents under `src` (or as many as make `docs` documents) in `out`."""
    files = sorted(p for p in src.iterdir() if p.is_file() and p.suffix == ".txt")
    if not files:
        raise FileNotFoundError(f"no .txt documents in {src}")
    want = docs if docs is not None else copies * len(files)
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    renamer = Renamer(gazetteer(), seed)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    copy = 0
    while len(written) < want:
        for f in files:
            if len(written) == want:
                break
            target = out / f"c{copy:03d}_{f.name}"
            target.write_text(renamer.rename(texts[f], copy), encoding="utf-8")
            written.append(target)
        copy += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--copies", type=int, default=1)
    size.add_argument("--docs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    written = write_corpus(args.src, args.out, args.copies, args.docs, args.seed)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in written)
    print(f"{len(written)} documents, {chars:,} characters in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
