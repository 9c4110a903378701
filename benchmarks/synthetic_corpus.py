"""A synthetic corpus of N Dutch-like documents built from the bundled ones, for scale benchmarks.

    .venv/bin/python benchmarks/synthetic_corpus.py OUT_DIR --docs 1000 [--seed 8] [--words 1300]

Each document is Markdown: a title, then paragraphs drawn (shuffled) from the cleaned paragraphs
of the documents in corpus/, under headings from those documents, with every place name renamed
to invented ones ("Noordbroek", "Klein Linderwijk"), so the texts read like the real reports but
no two documents are the same. About 1,300 words per document: ±10 passages (220 words, cut at paragraphs), so
1,000 documents give ±10k passages and 10,000 give ±100k. A `manifest.json` gives each document
a type, a year, publishers and its places, as a maintainer's manifest would. Deterministic per
seed: the same N and seed give the same files, and N documents are the first N of a larger run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.cleaning import clean_pages  # noqa: E402
from ingest.loaders import load_file  # noqa: E402
from ingest.structure import analyse  # noqa: E402

CORPUS = REPO / "corpus"
DOCS_PER_FOLDER = 1000  # keeps directory listings short at 10k documents

# Place names in the bundled documents; each document renames them to invented ones.
KNOWN_PLACES = """
Amsterdam Zuidoost Holendrecht Kplus K-buurt Nellestein Driemond Venserpolder Gaasperdam Weesp IJburg
Oostelijk Havengebied Indische Buurt Dapperbuurt Watergraafsmeer Middenmeer Amsteldorp Zeeburgereiland
Oss Ruwaard Utrecht Groningen Selwerd Enschede Posten Alkmaar Dijk Waard BUCH Alphen Rijn Assen Drenthe
Hoorn Zwaag Nijmegen Zaanstad Purmerend Enkhuizen Andijk Rotterdam Antwerpen Breda Tilburg Gelderland
Almere Leiden Den Haag Eindhoven Zwolle Arnhem Haarlem Amersfoort Apeldoorn Deventer Delft Dordrecht
""".split()
_PLACE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, KNOWN_PLACES), key=len, reverse=True)) + r")\b")

_PREFIXES = ["", "", "", "Noord", "Zuid", "Oost", "West", "Nieuw", "Oud", "Groot ", "Klein ", "Hoog", "Sint-"]
_CORES = ["Amstel", "Berken", "Eiken", "Linden", "Heide", "Moer", "Veen", "Water", "Zand", "Klaver", "Beuken",
          "Wilgen", "Vlas", "Rogge", "Haver", "Duin", "Kreek", "Polder", "Molen", "Kasteel", "Esch", "Lier",
          "Maas", "Ijssel", "Vecht", "Hazel", "Els", "Iepen", "Brem", "Reigers"]
_SUFFIXES = ["dam", "dijk", "broek", "hoven", "wijk", "horst", "woude", "meer", "dorp", "rade", "loo", "beek",
             "sluis", "veld", "berg", "kerk", "zijl", "hem", "burg", "haven"]
THEMES = [
    "Woonservicewijk", "Zorgzame buurt", "Wijknetwerk", "Uitstroom uit beschermd wonen",
    "Gebiedsgerichte aanpak wonen, welzijn en zorg", "Woonzorgconcept", "Buurtteam", "Wijkzorg",
    "Samenwerking corporatie en zorg", "Leefbare en vitale buurt", "Ouder worden in de wijk",
]
DOC_TYPES = ["evaluatie", "rapport", "praktijkvoorbeeld", "verslag", "quick-scan", "jaarplan"]
PUBLISHERS = ["Gemeente", "Woningcorporatie", "Zorgaanbieder", "Welzijnsorganisatie", "Adviesbureau",
              "Provincie", "Huurdersvereniging"]


@dataclass(frozen=True)
class Source:
    name: str
    paragraphs: list[str]
    headings: list[str]


def load_sources(corpus: Path = CORPUS) -> list[Source]:
    """The bundled documents' cleaned paragraphs (±25+ words) and headings, via the ingest pipeline."""
    sources = []
    for path in sorted(corpus.glob("*.txt")):
        loaded = load_file(path)
        blocks = analyse(clean_pages(loaded.pages, title_hint=loaded.title)).blocks
        paragraphs = [b.text for b in blocks if b.kind in ("para", "list") and b.words >= 25]
        # Headings without their numbers ("4.2 Toegang" → "Toegang"): documents are shuffled.
        headings = sorted({
            re.sub(r"^[\d.]+\s+", "", b.text) for b in blocks
            if b.kind in ("heading", "subheading") and 2 <= b.words <= 8 and not b.text.rstrip().endswith(":")
        })
        sources.append(Source(path.name, paragraphs, headings))
    return sources


def _place(rng: random.Random) -> str:
    prefix, core, suffix = rng.choice(_PREFIXES), rng.choice(_CORES), rng.choice(_SUFFIXES)
    word = (core + suffix) if not prefix or prefix.endswith((" ", "-")) else (core.lower() + suffix)
    return f"{prefix}{word}".replace("Ijssel", "IJssel")


def document(i: int, sources: list[Source], seed: int, words: int) -> tuple[str, dict]:
    """Document number `i`: (Markdown text, manifest entry without corpus_name)."""
    rng = random.Random(f"{seed}:{i}")  # per document, so N documents are a prefix of N+1
    places = []
    while len(places) < rng.randint(1, 3):
        name = _place(rng)
        if name not in places:
            places.append(name)
    rename = {}

    def renamed(match: re.Match) -> str:
        return rename.setdefault(match.group(0), rng.choice(places))

    main = rng.choice(sources)
    target = int(words * rng.uniform(0.65, 1.35))
    lines = [f"# {rng.choice(THEMES)} in {places[0]}", ""]
    count = 0
    while count < target:
        source = main if rng.random() < 0.7 else rng.choice(sources)
        if len(source.headings) >= 3 and rng.random() < 0.35:
            lines += [f"## {_PLACE_RE.sub(renamed, rng.choice(source.headings))}", ""]
        para = _PLACE_RE.sub(renamed, rng.choice(source.paragraphs))
        lines += [para, ""]
        count += len(para.split())
    entry = {
        "title": lines[0][2:],
        "authors_publishers": [f"{rng.choice(PUBLISHERS)} {places[0]}"],
        "year": str(rng.randint(2008, 2025)),
        "document_type": rng.choice(DOC_TYPES),
        "places": places,
    }
    return "\n".join(lines), entry


def doc_path(i: int) -> str:
    return f"d{i // DOCS_PER_FOLDER:02d}/doc-{i:05d}.md"


def generate(out: Path, n: int, seed: int = 8, words: int = 1300, sources: list[Source] | None = None) -> Path:
    """Write N documents and their manifest to `out` (left as is when it already holds them)."""
    out = Path(out)
    stamp = out / ".synthetic.json"
    wanted = {"docs": n, "seed": seed, "words": words}
    if stamp.is_file() and json.loads(stamp.read_text("utf-8")) == wanted:
        return out
    sources = sources or load_sources()
    manifest = []
    for i in range(n):
        text, entry = document(i, sources, seed, words)
        path = out / doc_path(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        manifest.append({"corpus_name": doc_path(i), **entry})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=0), "utf-8")
    stamp.write_text(json.dumps(wanted), "utf-8")  # hidden: not a corpus file
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--words", type=int, default=1300, help="average words per document")
    args = ap.parse_args()
    generate(args.out, args.docs, args.seed, args.words)
    print(f"{args.docs} documenten in {args.out}")


if __name__ == "__main__":
    main()
