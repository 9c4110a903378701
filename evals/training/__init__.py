"""Training and cross-validation of the assistant's small learned models (ranker, composer,
answerability) on the training questions: `python -m evals.training.train` rebuilds the model files,
`python -m evals.training.cv` (or `wijkwijs eval --cv`) prints per-fold and mean figures."""
