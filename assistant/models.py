"""The small learned models of the assistant, as files in the repository (assistant/models/).

Each is a logistic regression over named, standardised features, stored as JSON (readable, no
pickle, no library needed to apply it). On the training questions LightGBM did no better (passage
ranking hit@5 0.87-0.88 against 0.90, cross-validated; docs/answers.md), so the simpler model
stays. `python -m evals.training.train` rebuilds the files; their cross-validated figures are in
their `meta`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models"


class ModelError(RuntimeError):
    """A model file that is missing or does not fit the code's features."""


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict = field(default_factory=dict)

    def score(self, X: np.ndarray) -> np.ndarray:
        """The model's logit per row."""
        if X.shape[0] == 0:
            return np.zeros(0)
        return ((X - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.score(X)))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(tuple(data["features"]), np.asarray(data["mean"]), np.asarray(data["scale"]),
                   np.asarray(data["coef"]), float(data["intercept"]), data.get("meta", {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n", "utf-8")

    def check(self, features: tuple[str, ...]) -> LinearModel:
        if tuple(features) != self.features:
            raise ModelError("Het modelbestand past niet bij de code (andere kenmerken); "
                             "bouw de modellen opnieuw met `python -m evals.training.train`.")
        return self


def fit_linear(X: np.ndarray, y: np.ndarray, features: tuple[str, ...], C: float = 0.1,
               balanced: bool = False, meta: dict | None = None) -> LinearModel:
    """Standardise and fit a logistic regression (scikit-learn, used at training time only)."""
    from sklearn.linear_model import LogisticRegression

    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000, class_weight="balanced" if balanced else None)
    lr.fit((X - mean) / scale, y)
    return LinearModel(tuple(features), mean, scale, lr.coef_[0], float(lr.intercept_[0]), meta or {})


@lru_cache(maxsize=8)
def load_model(name: str, folder: str | None = None) -> LinearModel:
    path = Path(folder) if folder else MODEL_DIR
    file = path / f"{name}.json"
    if not file.is_file():
        raise ModelError(f"Modelbestand {file.name} ontbreekt; bouw het met `python -m evals.training.train`.")
    return LinearModel.from_json(json.loads(file.read_text("utf-8")))
