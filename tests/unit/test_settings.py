"""Settings come from env vars over a TOML file; bad values are refused."""

import json
import pytest
from pydantic import ValidationError

from assistant.settings import Settings
from ingest.kinds import KINDS_VERSION


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WIJKWIJS_EMBEDDING__MODEL_DIR", raising=False)
    s = Settings()
    assert s.data_dir.name == "data" and s.store.mode == "embedded" and s.chunking.words == 220
    assert s.bundled_model_dir == s.data_dir / "models" / "multilingual-e5-small"


def test_toml_file_and_env_vars(monkeypatch, tmp_path):
    config = tmp_path / "eigen.toml"
    config.write_text('data_dir = "elders"\n[chunking]\nwords = 180\n[retrieval]\nk = 7\n', "utf-8")
    monkeypatch.setenv("WIJKWIJS_CONFIG", str(config))
    monkeypatch.setenv("WIJKWIJS_RETRIEVAL__K", "12")  # env beats the file
    s = Settings()
    assert str(s.data_dir) == "elders" and s.chunking.words == 180 and s.retrieval.k == 12
    assert s.ingest_fingerprint() == f"words=180;overlap=30;kinds={KINDS_VERSION}"


@pytest.mark.parametrize(
    "env, value",
    [("WIJKWIJS_STORE__MODE", "cloud"), ("WIJKWIJS_CHUNKING__WORDS", "5"), ("WIJKWIJS_STORE__COLLECTION", "x")],
)
def test_bad_values_are_refused(monkeypatch, tmp_path, env, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(env, value)
    with pytest.raises(ValidationError):
        Settings()


def test_public_dump_leaves_secrets_out():
    from assistant.settings import Settings

    s = Settings(api={"token": "geheim-token"}, answer={"llm": {"api_key": "sk-geheim"}})
    dumped = json.dumps(s.public_dump())
    assert "geheim" not in dumped
    assert s.public_dump()["api"]["port"] == s.api.port  # the rest is all there
