"""Could a learned passage-kind classifier replace the rule table of ingest/kinds.py? Measured
leave-one-document-out over every labelled passage: the bundled hand labels
(tests/fixtures/kind_labels.jsonl) and the labelled new documents (e.g. ../shared/newdocs).

    .venv/bin/python -m evals.kind_lodo ../shared/newdocs

Three candidates against the rules: logistic regression over character n-grams of heading and
text; logistic regression over the e5 vectors of text and heading plus their similarity to a
description of each kind; and that similarity alone (zero-shot). Needs the e5 model
(`wijkwijs setup`). The rules' figures on the bundled documents are in-sample (they were written
with those labels); on the new documents they are not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from evals.doc_labels import _chunk_holding, labelled_folders
from evals.kind_accuracy import corpus_chunks, load_labels, locate
from ingest.pipeline import prepare_document

REPO = Path(__file__).resolve().parents[1]
KEY_KINDS = ("les", "aanbeveling", "knelpunt", "resultaat")
DESCRIPTIONS = {  # what each kind is, in the words a reader would use (zero-shot prototypes)
    "les": "lessen, geleerde lessen, leerpunten, wat werkt", "aanbeveling": "aanbevelingen, adviezen, tips",
    "knelpunt": "knelpunten, belemmeringen, problemen", "resultaat": "resultaten, opbrengsten, wat is bereikt",
    "pluspunt": "pluspunten, wat ging goed", "minpunt": "minpunten, wat kan beter",
    "werkwijze": "werkwijze, aanpak, hoe we werken", "achtergrond": "achtergrond, aanleiding, inleiding",
}


def labelled_rows(folders: list[Path]) -> list[tuple[str, str, str, str, str]]:
    """(document, heading, text, label, the rules' kind) per labelled passage."""
    chunks_of = corpus_chunks()
    rows = []
    for label in load_labels():
        chunk = locate(label, chunks_of)
        if chunk is not None:
            rows.append((label.doc, chunk.section or "", chunk.text, label.label or "geen", chunk.kind or "geen"))
    for root in folders:
        for path, labels in labelled_folders(root):
            chunks = prepare_document(path, path.parent, None)[1]
            for p in labels["passages"]:
                chunk = _chunk_holding(chunks, p["text"])
                rows.append((path.name, (chunk.section if chunk else "") or "", p["text"], p["kind"],
                             (chunk.kind if chunk else None) or "geen"))
    return rows


def scores(y: np.ndarray, pred: np.ndarray) -> str:
    out = []
    for k in KEY_KINDS:
        tp, fp, fn = ((pred == k) & (y == k)).sum(), ((pred == k) & (y != k)).sum(), ((pred != k) & (y == k)).sum()
        out.append(f"{k} P {tp / max(tp + fp, 1):.2f} R {tp / max(tp + fn, 1):.2f}")
    return " · ".join(out)


def leave_one_document_out(rows, features: np.ndarray | None, ngram: bool) -> np.ndarray:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.array([r[3] for r in rows])
    heads = [r[1].split(" › ")[-1] for r in rows]
    texts = [r[2] for r in rows]
    pred = np.empty(len(rows), dtype=object)
    for doc in sorted({r[0] for r in rows}):
        train = [i for i, r in enumerate(rows) if r[0] != doc]
        test = [i for i, r in enumerate(rows) if r[0] == doc]
        if ngram:
            vh = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
            vt = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
            X = hstack([vh.fit_transform([heads[i] for i in train]), vt.fit_transform([texts[i] for i in train])])
            Xt = hstack([vh.transform([heads[i] for i in test]), vt.transform([texts[i] for i in test])])
        else:
            X, Xt = features[train], features[test]
        model = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(X, y[train])
        pred[test] = model.predict(Xt)
    return pred


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    args = parser.parse_args(argv)
    rows = labelled_rows(args.folders)
    y = np.array([r[3] for r in rows])
    rules = np.array([r[4] for r in rows])
    from assistant.settings import Settings
    from kb.embedders import SentenceTransformerEmbedder

    settings = Settings()
    embedder = SentenceTransformerEmbedder(settings.embedding.model, str(settings.embedding.model_dir))
    text_vecs = np.asarray(embedder.embed_passages([r[2][:1500] for r in rows]))
    head_vecs = np.asarray(embedder.embed_passages([r[1].split(" › ")[-1] or "-" for r in rows]))
    kinds = np.vstack([embedder.embed_query(d) for d in DESCRIPTIONS.values()])
    features = np.hstack([text_vecs, head_vecs, 5 * head_vecs @ kinds.T, 5 * text_vecs @ kinds.T])
    zero_shot = np.array(list(DESCRIPTIONS))[np.argmax(head_vecs @ kinds.T + 0.5 * text_vecs @ kinds.T, axis=1)]
    new = np.array([not (REPO / "corpus" / r[0]).exists() for r in rows])
    runs = {"regels": rules, "n-grammen + LR": leave_one_document_out(rows, None, True),
            "e5 + LR": leave_one_document_out(rows, features, False), "e5 zero-shot": zero_shot}
    print(f"{len(rows)} gelabelde passages in {len({r[0] for r in rows})} documenten (leave-one-document-out)")
    for name, pred in runs.items():
        print(f"{name:16s} alle: {scores(y, pred)}")
        if new.any():
            print(f"{'':16s} nieuw: {scores(y[new], pred[new])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
