"""Training the small models: their files, the grouped folds, the labels, and a whole round on the
tiny corpus (fit, save, load into the components, answer)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.components import Components
from assistant.models import LinearModel, ModelError, fit_linear, load_model
from evals.questions import Question as Gold
from evals.training.dataset import Example, build_examples, folds
from evals.training.fit import fit_models, is_evidence
from evals.training.train import train
from tests.fakes import HashEmbedder


def test_a_model_file_round_trips_and_refuses_other_features(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X[:, 0] + 0.1 * rng.normal(size=200) > 0
    model = fit_linear(X, y, ("a", "b", "c"), C=1.0, meta={"note": "test"})
    model.save(tmp_path / "m.json")
    loaded = LinearModel.from_json(json.loads((tmp_path / "m.json").read_text("utf-8")))
    assert np.allclose(loaded.score(X), model.score(X)) and loaded.meta == {"note": "test"}
    assert (loaded.probability(X) > 0.5).mean() == pytest.approx(y.mean(), abs=0.05)
    assert loaded.check(("a", "b", "c")) is loaded
    with pytest.raises(ModelError, match="train"):
        loaded.check(("a", "b"))
    with pytest.raises(ModelError, match="ontbreekt"):
        load_model("bestaat-niet", str(tmp_path))


def _gold(qid: str, question: str, quotes: list[str], qtype: str = "fact", must: list[str] | None = None) -> Gold:
    return Gold(id=qid, question=question, type=qtype if quotes else "unanswerable", answerable=bool(quotes),
                evidence=[{"doc": "a.txt", "quote": q} for q in quotes], must_mention=must or [])


def test_questions_on_the_same_passage_stay_in_one_fold():
    def example(qid, chunks, qtype="fact"):
        return Example(_gold(qid, "Vraag?", ["x"], qtype), None, None, None, [], np.zeros(0, bool), set(chunks))

    examples = [example(f"q{i}", {f"a.txt#{i}"}) for i in range(20)]
    examples += [example("s1", {"a.txt#3", "a.txt#40"}), example("s2", {"a.txt#40"})]
    fold_of = folds(examples, n=5)
    assert fold_of[3] == fold_of[20] == fold_of[21]  # q3, s1 and s2 share passages
    assert len(set(fold_of)) == 5


def test_a_unit_is_evidence_when_it_stands_in_a_quote_or_holds_a_term_to_mention():
    gold = _gold("q", "Vraag?", ["De buurt telt ongeveer 4.425 inwoners en is gebouwd in de jaren 60."], must=["69%"])
    assert is_evidence("De buurt telt ongeveer 4.425 inwoners", gold)
    assert is_evidence("Van de woningen is 69% sociale huur.", gold)
    assert not is_evidence("De buurt heeft veel groen en een winkelcentrum.", gold)


GOLD = [
    ("Hoe lang blijft de begeleider bereikbaar na beschermd wonen?",
     ["de begeleider na het stoppen van de begeleiding nog twee jaar bereikbaar blijft"], ["twee jaar"]),
    ("Wie betaalt de waakvlam?", ["De gemeente betaalt de waakvlam uit de middelen voor beschermd wonen."],
     ["gemeente"]),
    ("Hoeveel bewoners kregen een eigen woning?", ["Meer dan veertig bewoners kregen een eigen woning in de wijk."],
     ["veertig"]),
    ("Hoe vaak is er een wijktafel?", ["Elke maand is er een wijktafel"], ["elke maand"]),
    ("Wat is de les over informele zorg?", ["Gelijkwaardige samenwerking met informele zorg vraagt tijd."],
     ["tijd"]),
    ("Wat brengen de wijknetwerken samen?", ["De wijknetwerken brengen zorg, welzijn en informele zorg samen."],
     ["welzijn"]),
    ("Hoeveel mantelzorgers wonen er in de wijk?", [], []),
    ("Hoe regelt Zwolle de wijknetwerken?", [], []),
]


def test_a_whole_training_round_on_the_tiny_corpus(fake_components, tiny_corpus, tmp_path, monkeypatch):
    fake_components.indexer.sync_folder(tiny_corpus)
    golds = [_gold(f"t{i}", q, quotes, must=must) for i, (q, quotes, must) in enumerate(GOLD)]
    golds = [g.model_copy(update={"evidence": [e.model_copy(update={"doc": d}) for e in g.evidence
                                               for d in ("waakvlam.txt", "wijknetwerk.md")]}) for g in golds]
    examples = build_examples(golds, fake_components.retriever, fake_components.store)
    assert sum(e.relevant.any() for e in examples) >= 5  # the evidence is found among the candidates
    models = fit_models(examples, fake_components.retriever, fake_components.retriever.next_passage, grid=False)
    assert 0.0 <= models.threshold <= 0.9 and models.selection.max_points >= 1
    # the files, written and read by the components like the shipped ones
    monkeypatch.setattr("evals.training.train.build_examples", lambda *a, **k: examples if not k.get("files") else [])
    monkeypatch.setattr("evals.training.train.load_training_questions", lambda **k: golds)
    summary = train(fake_components, tmp_path / "models", with_cv=False, log=lambda *_: None)
    assert summary["questions"] == len(golds) and "in_sample" in summary
    settings = fake_components.settings.model_copy(
        update={"answer": fake_components.settings.answer.model_copy(update={"models_dir": tmp_path / "models"})})
    trained = Components(settings, embedder=HashEmbedder())
    trained.__dict__["store"] = fake_components.store
    answer = trained.assistant.ask("Hoe lang blijft de begeleider bereikbaar?")
    assert answer.contexts and answer.timings_ms["total"] > 0
