"""`Retriever.retrieve`'s lifts (kind, answer type, source) apply before the cut to k."""

from __future__ import annotations

from kb.retriever import Hit, _kind_lift


def _indexed(fake_components, tiny_corpus):
    fake_components.indexer.sync_folder(tiny_corpus)
    return fake_components.retriever


def test_a_preferred_source_below_the_k_best_comes_in(fake_components, tiny_corpus):
    retriever = _indexed(fake_components, tiny_corpus)
    query = "waakvlamfunctie begeleider huurder"
    plain = retriever.retrieve(query, k=10)
    assert plain[0].doc_id == "waakvlam.txt" and any(h.doc_id == "wijknetwerk.md" for h in plain)

    retriever.source_bonus = 0.0
    unlifted = retriever.retrieve(query, k=1, prefer_source=lambda h: h.doc_id == "wijknetwerk.md")
    assert [h.doc_id for h in unlifted] == ["waakvlam.txt"]  # no bonus, no lift

    retriever.source_bonus = 100.0
    lifted = retriever.retrieve(query, k=1, prefer_source=lambda h: h.doc_id == "wijknetwerk.md")
    assert [h.doc_id for h in lifted] == ["wijknetwerk.md"] and lifted[0].rank == 1


def test_lifts_add_up_and_rank_again(fake_components, tiny_corpus):
    retriever = _indexed(fake_components, tiny_corpus)
    query = "waakvlamfunctie begeleider huurder"
    base = {h.chunk_id: h.score for h in retriever.retrieve(query, k=10)}
    retriever.source_bonus = 0.5
    hits = retriever.retrieve(query, k=10, prefer_source=lambda h: h.doc_id == "wijknetwerk.md")
    for h in hits:
        assert h.score == base[h.chunk_id] + (0.5 if h.doc_id == "wijknetwerk.md" else 0.0)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def _kinded(chunk_id: str, kind: str | None, about: int) -> tuple:
    return Hit(chunk_id, "tekst", {"doc_id": f"{chunk_id}.txt", "kind": kind}, 0.0), about


def test_the_kind_lift_goes_to_the_passages_most_about_what_is_named():
    pairs = [_kinded("alkmaar", "knelpunt", 0), _kinded("oost", "knelpunt", 2),
             _kinded("oost-les", "les", 2), _kinded("oost-half", "knelpunt", 1)]
    hits, about = [h for h, _ in pairs], {h.chunk_id: a for h, a in pairs}
    lifted = _kind_lift(hits, ["knelpunt"], lambda h: about[h.chunk_id])
    assert [h.chunk_id for h in hits if lifted(h)] == ["oost"]


def test_no_kind_lift_when_no_passage_of_the_kind_is_about_what_is_named():
    pairs = [_kinded("alkmaar", "knelpunt", 0), _kinded("oost", None, 1)]
    hits, about = [h for h, _ in pairs], {h.chunk_id: a for h, a in pairs}
    lifted = _kind_lift(hits, ["knelpunt"], lambda h: about[h.chunk_id])
    assert not any(lifted(h) for h in hits)


def test_every_passage_of_the_kind_is_lifted_when_nothing_named_is_in_the_passages():
    hits = [_kinded("a", "les", 0)[0], _kinded("b", "les", 0)[0], _kinded("c", None, 0)[0]]
    for about in (None, lambda h: 0):
        lifted = _kind_lift(hits, ["les"], about)
        assert [h.chunk_id for h in hits if lifted(h)] == ["a", "b"]


def test_a_passage_that_is_also_of_the_asked_kind_is_lifted():
    both = Hit("fase1", "tekst", {"doc_id": "z.txt", "kind": "resultaat", "also_kinds": ["knelpunt"]}, 0.0)
    result_only = Hit("fase2", "tekst", {"doc_id": "z.txt", "kind": "resultaat"}, 0.0)
    lifted = _kind_lift([both, result_only], ["knelpunt"], None)
    assert lifted(both) and not lifted(result_only)
    assert _kind_lift([both, result_only], ["resultaat"], None)(result_only)
