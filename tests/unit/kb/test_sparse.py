"""SparseIndex and the Dutch analysis behind it: fast, no model."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kb.dutch_text import STOP_WORDS, analyse, char_ngrams, content_tokens, sound_key, tokenize
from kb.sparse import SparseIndex, SparseRecord

CORPUS = Path(__file__).resolve().parents[3] / "corpus"

# (doc, case, year, places, text)
PASSAGES = [
    ("magazine.pdf", "Alphen aan den Rijn", "2019", ["Alphen aan den Rijn"],
     "In Alphen aan den Rijn werken de gemeente en de zorgaanbieders met lumpsumbekostiging. "
     "Het team TOM in de buurt bestaat uit wijkverpleging, huishoudelijke hulp en welzijn."),
    ("magazine.pdf", "Hoorn", "2019", ["Hoorn"],
     "De Pact-partijen in Hoorn agenderen hoe de waakvlamfunctie in de praktijk werkt: "
     "betrouwbare ondersteuners houden contact met kwetsbare bewoners."),
    ("magazine.pdf", "Majella Wonen", "2018", ["Utrecht"],
     "Bewoners die uitstromen uit beschermd wonen krijgen een eigen huurcontract. "
     "Portaal en de Tussenvoorziening zetten samen sociaal beheer op."),
    ("magazine.pdf", "Nijmegen", "2019", ["Nijmegen"],
     "De Moderne Devoten in Nijmegen zijn professionals van verschillende organisaties die elkaar "
     "maandelijks treffen om samen plannen voor de wijk te maken."),
    ("oost.txt", None, "2020", ["Amsterdam-Oost"],
     "Wijkzorg Oost is een alliantie van organisaties voor informele zorg. "
     "Sinds oktober 2019 is Broodje Casus gestart: een maandelijkse casuïstiekbespreking."),
    ("oost.txt", None, "2020", ["Amsterdam-Oost"],
     "Het wijknetwerk in Oost verbindt buurtteams, mantelzorgondersteuning en vrijwilligers. "
     "In 2020 wil de alliantie de samenwerking met de nieuwe buurtteams versterken."),
    ("zuidoost.txt", None, "2015", ["Amsterdam-Zuidoost", "Holendrecht"],
     "In de woonservicewijk Holendrecht ondertekenden veertien partijen een samenwerkingsconvenant. "
     "Het convenant liep vier jaar."),
    ("zuidoost.txt", None, "2015", ["Amsterdam-Zuidoost"],
     "Oliemannetjes zijn aanjagers met veel contacten in de buurt die samenwerking op gang brengen."),
    ("zuidoost.txt", None, "2015", ["Amsterdam-Zuidoost", "Kplus"],
     "In de Kplus ontbraken volgens geïnterviewden de huisartsen en de wijkverpleging aan tafel."),
    ("quickscan.txt", None, "2016", ["Tilburg"],
     "Tilburg werkt met woonzorgservicezones met een straal van ongeveer vijfhonderd meter rond "
     "een voorziening."),
]


def _records(passages=PASSAGES) -> list[SparseRecord]:
    counters: dict[str, int] = {}
    records = []
    for doc, case, year, places, text in passages:
        n = counters[doc] = counters.get(doc, -1) + 1
        records.append(SparseRecord(
            chunk_id=f"{doc}#{n}", doc_id=doc, text=text,
            metadata={"doc_id": doc, "doc_type": doc.rsplit(".", 1)[1], "case": case, "year": year,
                      "places": places},
        ))
    return records


@pytest.fixture(scope="module")
def index() -> SparseIndex:
    return SparseIndex.build(_records())


def top(index: SparseIndex, query: str, **kw) -> str | None:
    hits = index.search(query, **kw)
    return hits[0][0] if hits else None


def ids(hits) -> list[str]:
    return [cid for cid, _ in hits]


# ---------------------------------------------------------------------------- dutch_text
def test_tokenize_normalises_and_keeps_numbers():
    assert tokenize("Coördinatie van ideeën in 2019: Wijkzorg-Oost (bewoners.7) auto's") == [
        "coordinatie", "van", "ideeen", "in", "2019", "wijkzorg", "oost", "bewoners", "7", "auto"]
    assert tokenize("ﬁnanciën") == ["financien"]  # NFKC ligature
    assert tokenize("") == []


def test_stop_words_include_question_words_and_filler():
    for word in ["hoe", "wat", "welke", "waarom", "wanneer", "hoeveel", "de", "het", "ff"]:
        assert word in STOP_WORDS
    assert analyse("Hoe werkt het en wat is de waakvlamfunctie?") == analyse("werkt waakvlamfunctie")
    assert content_tokens("kun je me ff snel vertellen over Hoorn", query=True) == ["hoorn"]
    assert "snel" in content_tokens("zo krijgt de huurder snel hulp")  # filler only in questions


def test_analyse_stems_inflections_and_folds_final_d_t():
    assert analyse("wijknetwerken") == analyse("wijknetwerk")
    assert analyse("casussen") == analyse("casus")
    assert analyse("beschermt wonen") == analyse("beschermd wonen")


def test_sound_key_and_char_ngrams():
    assert sound_key("alfen") == sound_key("alphen")
    assert sound_key("funktie") == sound_key("functie")
    assert sound_key("warren") == sound_key("waren")
    assert char_ngrams("alf") == ["^al", "alf", "lf$", "^alf", "alf$"]
    assert char_ngrams("a", range(3, 5)) == ["^a$"]


# ---------------------------------------------------------------------------- search
def test_stemming_matches_inflections(index):
    assert top(index, "wijknetwerken") == "oost.txt#1"
    assert top(index, "ondertekend convenant") == "zuidoost.txt#0"


def test_stop_words_are_ignored(index):
    assert index.search("wat is het een de van") == []
    assert index.search("Wat is nou eigenlijk de waakvlamfunctie?") == index.search("waakvlamfunctie")


def test_distinctive_queries_rank_first(index):
    assert top(index, "Moderne Devoten") == "magazine.pdf#3"
    assert top(index, "broodje casus") == "oost.txt#0"
    assert top(index, "oliemannetje") == "zuidoost.txt#1"
    assert top(index, "straal woonzorgservicezones Tilburg") == "quickscan.txt#0"


@pytest.mark.parametrize("query, expected", [
    ("alfen", "magazine.pdf#0"),
    ("wie zitten er in tom in de buurt in alfen", "magazine.pdf#0"),
    ("waakvlam funktie", "magazine.pdf#1"),
    ("waakvlamfunktie", "magazine.pdf#1"),
    ("beschermt wonen", "magazine.pdf#2"),
    ("ff snel: wat is wijkzorg oost", "oost.txt#0"),
    ("moderne devooten", "magazine.pdf#3"),
    ("broodje kasus", "oost.txt#0"),
    ("olie mannetjes", "zuidoost.txt#1"),
    ("holendrect convenant", "zuidoost.txt#0"),
])
def test_typos_and_informal_spelling(index, query, expected):
    assert top(index, query) == expected


def test_fuzzy_expansion_is_explainable(index):
    assert "alph" in index.query_terms("alfen")
    assert index.query_terms("wijknetwerk") == {"wijknetwerk": 1.0}  # known words stay as typed
    # a misspelt stop word is dropped rather than matched to something else
    assert index.query_terms("wat warren de lessen") == index.query_terms("lessen")
    assert index.search("ff snel") == []


def test_filters(index):
    q = "organisaties samenwerking wijk zorg"
    assert set(ids(index.search(q, filters={"doc_id": "oost.txt"}))) <= {"oost.txt#0", "oost.txt#1"}
    assert top(index, "plannen", filters={"case": "Nijmegen"}) == "magazine.pdf#3"
    two_cases = ids(index.search("plannen", filters={"case": ["Nijmegen", "Hoorn"]}))
    assert two_cases[0] == "magazine.pdf#3" and set(two_cases) <= {"magazine.pdf#3", "magazine.pdf#1"}
    assert index.search("plannen", filters={"case": "Groningen"}) == []
    # places: contained, case-insensitive, any of the places
    zuidoost = set(ids(index.search(q + " aanjagers huisartsen", filters={"places": "zuidoost"})))
    assert zuidoost and all(c.startswith("zuidoost.txt") for c in zuidoost)
    assert ids(index.search("partijen", filters={"places": "holendrecht"})) == ["zuidoost.txt#0"]
    years = index.search("wijkverpleging organisaties", filters={"year": ["2015", "2019"]})
    assert years and all(c.startswith(("zuidoost", "magazine")) for c in ids(years))
    assert index.search(q, filters={"year": []}) == []
    assert index.search(q, filters={"unknown_field": "x"}) == []
    assert index.search(q, filters={"case": None}) == index.search(q)
    f = {"doc_id": ["magazine.pdf", "zuidoost.txt"], "year": 2019}
    both = index.search("wijkverpleging", filters=f)
    assert ids(both)[0] == "magazine.pdf#0"
    assert all(c.startswith("magazine.pdf") and c != "magazine.pdf#2" for c in ids(both))  # #2 is 2018


def test_filters_apply_before_top_k(index):
    # Unfiltered, the Oost passages outrank the Zuidoost ones for this query; filtered to
    # Zuidoost we still get k results.
    q = "alliantie informele zorg buurt samenwerking"
    assert not any(c.startswith("zuidoost") for c in ids(index.search(q, k=2)))
    hits = index.search(q, k=2, filters={"doc_id": "zuidoost.txt"})
    assert len(hits) == 2 and all(c.startswith("zuidoost") for c in ids(hits))


def test_results_are_sorted_and_limited(index):
    hits = index.search("zorg wijk organisaties bewoners", k=3)
    assert len(hits) == 3
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert index.search("zorg", k=0) == []


def test_empty_index_and_empty_query(index, tmp_path):
    empty = SparseIndex.build([])
    assert len(empty) == 0 and empty.search("zorg") == [] and empty.doc_ids() == set()
    empty.save(tmp_path / "e")
    assert SparseIndex.load(tmp_path / "e").search("zorg") == []
    for q in ["", "   ", "?!", "de het een"]:
        assert index.search(q) == []
    only_stop = SparseIndex.build([SparseRecord(chunk_id="x#0", doc_id="x", text="de het een")])
    assert only_stop.search("zorg") == [] and len(only_stop) == 1


# ---------------------------------------------------------------------------- bookkeeping
def test_sizes_and_ids(index):
    assert len(index) == len(PASSAGES)
    assert index.doc_ids() == {"magazine.pdf", "oost.txt", "zuidoost.txt", "quickscan.txt"}
    assert index.chunk_ids("oost.txt") == {"oost.txt#0", "oost.txt#1"}
    assert index.chunk_ids("nope") == set()


def test_duplicate_chunk_ids_rejected():
    r = _records()[0]
    with pytest.raises(ValueError):
        SparseIndex.build([r, r])


def test_save_load_round_trip(index, tmp_path):
    folder = tmp_path / "sparse"
    index.save(folder)
    loaded = SparseIndex.load(folder)
    assert len(loaded) == len(index) and loaded.doc_ids() == index.doc_ids()
    for q in ["wijknetwerken", "alfen", "waakvlam funktie", "zorg wijk", "Moderne Devoten"]:
        assert loaded.search(q) == index.search(q)
    f = {"places": "zuidoost"}
    assert loaded.search("samenwerking", filters=f) == index.search("samenwerking", filters=f)
    # saving again replaces the folder whole and leaves nothing beside it
    loaded.remove_document("oost.txt")
    loaded.save(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sparse"]
    assert SparseIndex.load(folder).doc_ids() == index.doc_ids() - {"oost.txt"}


def test_load_missing_or_interrupted(index, tmp_path):
    with pytest.raises(FileNotFoundError):
        SparseIndex.load(tmp_path / "none")
    # a crash between moving the old index aside and moving the new one in
    index.save(tmp_path / "sparse")
    (tmp_path / "sparse").rename(tmp_path / "sparse.old")
    assert len(SparseIndex.load(tmp_path / "sparse")) == len(index)
    # a half-written temp folder (no index.json) is not an index
    shutil.copytree(tmp_path / "sparse.old", tmp_path / "half")
    (tmp_path / "half" / "index.json").unlink()
    with pytest.raises(FileNotFoundError):
        SparseIndex.load(tmp_path / "half")


def test_replace_and_remove_document():
    index = SparseIndex.build(_records())
    assert top(index, "oliemannetje") == "zuidoost.txt#1"
    new = [SparseRecord(chunk_id="zuidoost.txt#0", doc_id="zuidoost.txt",
                        text="Het convenant in Holendrecht werd in 2010 verlengd.",
                        metadata={"year": "2016", "places": ["Holendrecht"]})]
    index.replace_document("zuidoost.txt", new)
    assert index.chunk_ids("zuidoost.txt") == {"zuidoost.txt#0"}
    assert len(index) == len(PASSAGES) - 2
    assert not any(c.startswith("zuidoost.txt") for c in ids(index.search("oliemannetje")))
    assert top(index, "convenant verlengd") == "zuidoost.txt#0"
    assert ids(index.search("convenant", filters={"year": "2016"})) == ["zuidoost.txt#0"]
    index.remove_document("zuidoost.txt")
    assert "zuidoost.txt" not in index.doc_ids()
    assert not any(c.startswith("zuidoost.txt") for c in ids(index.search("convenant")))
    index.remove_document("zuidoost.txt")  # removing twice is fine
    index.replace_document("new.txt", [SparseRecord(chunk_id="new.txt#0", doc_id="new.txt",
                                                    text="Een oliemannetje in Breda.", metadata={})])
    assert top(index, "oliemannetjes Breda") == "new.txt#0"
    assert top(index, "alfen") == "magazine.pdf#0"  # the rest is untouched
    with pytest.raises(ValueError):  # records of another document
        index.replace_document("new.txt", _records()[:1])
    with pytest.raises(ValueError):  # chunk id of another document
        index.replace_document("x.txt", [SparseRecord(chunk_id="new.txt#0", doc_id="x.txt", text="x")])


def test_replace_analyses_only_the_replaced_document(monkeypatch):
    # The rest of the index is not re-analysed or rebuilt: a change costs the changed document.
    # (Re-analysing a chunk costs ±0.25 ms; keeping analyses to reuse would cost more memory.)
    import kb.sparse as sparse

    index = SparseIndex.build(_records())
    index.search("zorg")  # the first records are in a segment now
    analysed: list[str] = []
    real = sparse.content_tokens
    def spy(text, *args, **kwargs):
        analysed.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(sparse, "content_tokens", spy)
    changed = _records()[4:6]
    changed[1] = changed[1].model_copy(update={"text": "Nieuwe tekst over buurtteams in Oost."})
    index.replace_document("oost.txt", changed)
    assert analysed == [r.text for r in changed]
    assert top(index, "broodje casus") == "oost.txt#0"
    assert top(index, "buurtteams nieuwe tekst") == "oost.txt#1"


# ---------------------------------------------------------------------------- real corpus
def _pieces(text: str, size: int = 800) -> list[str]:
    """Paragraphs packed into pieces of about `size` characters (long paragraphs cut at a sentence)."""
    out: list[str] = []
    current = ""
    for para in (p.strip() for p in re.split(r"\n\s*\n", text)):
        while len(para) > size * 1.5:
            cut = para.rfind(". ", 0, size)
            cut = cut + 1 if cut > size // 3 else size
            if current:
                out.append(current)
                current = ""
            out.append(para[:cut].strip())
            para = para[cut:].strip()
        if not para:
            continue
        if current and len(current) + len(para) + 2 > size:
            out.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        out.append(current)
    return out


@pytest.fixture(scope="module")
def corpus_index() -> tuple[SparseIndex, dict[str, str]]:
    files = sorted(CORPUS.glob("*.txt"))
    assert files, f"no corpus at {CORPUS}"
    records = [
        SparseRecord(chunk_id=f"{f.name}#{i}", doc_id=f.name, text=piece, metadata={"doc_id": f.name})
        for f in files
        for i, piece in enumerate(_pieces(f.read_text("utf-8")))
    ]
    return SparseIndex.build(records), {r.chunk_id: r.text for r in records}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


@pytest.mark.parametrize("query, phrase", [
    ("waakvlamfunctie", "waakvlamfunctie"),
    ("Moderne Devoten", "moderne devoten"),
    ("Broodje Casus", "broodje casus"),
    ("Armoedecoalitie", "armoedecoalitie"),
    ("oliemannetje", "oliemannetje"),
    ("waakvlam funktie", "waakvlamfunctie"),
    ("Hoe regel je een waakvlam voor iemand die uit beschermt wonen komt?", "waakvlam"),
    ("broodje kasus in oost", "broodje casus"),
    ("wie zitten er in dat tom in de buurt in alfen", "alphen"),
])
def test_real_corpus_distinctive_queries(corpus_index, query, phrase):
    index, texts = corpus_index
    assert len(index) > 300
    hits = index.search(query, k=5)
    assert hits and phrase in _flat(texts[hits[0][0]]), (query, [texts[c][:80] for c, _ in hits])


# ---------------------------------------------------------------------------- mentions
def test_mentions_a_word_its_sound_alike_and_longer_words_not_a_near_miss():
    index = SparseIndex.build(_records())
    assert index.mentions("Tilburg") and index.mentions("Holendrecht")
    assert index.mentions("Holendregt")  # sounds the same ("cht" / "gt")
    assert index.mentions("lumpsum")  # starts "lumpsumbekostiging"
    assert not index.mentions("Zwolle") and not index.mentions("Deventer")
    assert not index.mentions("Tilbury")  # one letter off is another place, not a spelling
    assert not index.mentions("")


def test_a_removed_document_is_no_longer_mentioned():
    index = SparseIndex.build(_records())
    assert index.mentions("Kplus")
    index.remove_document("zuidoost.txt")
    assert not index.mentions("Kplus") and not index.mentions("Oliemannetjes")
    assert index.mentions("Tilburg")
