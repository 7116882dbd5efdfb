"""The embedding model exported to ONNX and run by onnxruntime: the same vectors, no torch.

`send-assistant index` exports the bundled model (from its local weights, downloading nothing)
beside the index; a server then embeds questions with onnxruntime. These tests export the real
model into a temp folder once and compare it with sentence-transformers on torch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.adapters.embedding import OnnxEmbedder, SentenceTransformerEmbedder, default_model_path, export_onnx, onnx_file
from assistant.config import Settings
from assistant.errors import ConfigError
from conftest import SMALL_CORPUS, write_corpus

pytestmark = pytest.mark.integration

TEXTS = [
    "How long does the council have to decide whether to do an EHC needs assessment?",
    "   reg 13?   ",
    "CoP 9.14",
    "My son is 17 and his college says they can't meet his needs; can the council cease his EHC plan? " * 12,
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    models = tmp_path_factory.mktemp("data") / "models"
    return export_onnx(None, onnx_file(None, models))


@pytest.fixture(scope="module")
def onnx_embedder(exported: Path) -> OnnxEmbedder:
    return OnnxEmbedder(exported)


def test_the_onnx_vectors_equal_sentence_transformers(onnx_embedder: OnnxEmbedder, embedder: Any) -> None:
    ours = onnx_embedder.embed(TEXTS)
    reference = embedder._encode(TEXTS)
    assert ours.shape == reference.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    one_by_one = np.stack([onnx_embedder._encode([t])[0] for t in TEXTS])
    np.testing.assert_allclose(one_by_one, ours, atol=1e-5)  # padding in a batch changes nothing
    assert onnx_embedder.name == embedder.name and onnx_embedder.dimension == embedder.dimension


def test_batches_cut_by_tokens_give_the_same_vectors(exported: Path, onnx_embedder: OnnxEmbedder) -> None:
    """A build's mix of long passages and short questions, cut into batches by a small token
    budget, embeds to the vectors each text gets alone."""
    texts = [t * k for t in TEXTS for k in (1, 3)] + [f"question {n} about an EHC plan" for n in range(20)]
    small = OnnxEmbedder(exported, batch_size=8, batch_tokens=64, cache_size=0)
    alone = np.stack([onnx_embedder._encode([t])[0] for t in texts])
    np.testing.assert_allclose(small.embed(texts), alone, atol=1e-5)


def test_the_onnx_embedder_remembers_recent_questions(onnx_embedder: OnnxEmbedder, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    encode = onnx_embedder._encode

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return encode(texts)

    monkeypatch.setattr(onnx_embedder, "_encode", counting)
    onnx_embedder._cache.clear()
    onnx_embedder.embed(["What is a personal budget?"])
    onnx_embedder.embed(["What is a personal budget?", "What does the SENCO do?"])
    assert calls == [["What is a personal budget?"], ["What does the SENCO do?"]]


def test_make_embedder_uses_the_export_when_there_is_one(exported: Path, tmp_path: Path) -> None:
    from assistant.services import make_embedder

    settings = Settings(data_dir=tmp_path / "data")
    assert isinstance(make_embedder(settings), SentenceTransformerEmbedder), "no export yet: torch"
    with pytest.raises(ConfigError, match="send-assistant index"):
        make_embedder(settings.model_copy(update={"embedding_backend": "onnx"}))
    settings.models_dir.mkdir(parents=True)
    shutil.copy(exported, onnx_file(None, settings.models_dir))
    assert isinstance(make_embedder(settings), OnnxEmbedder)
    assert isinstance(make_embedder(settings.model_copy(update={"embedding_backend": "torch"})), SentenceTransformerEmbedder)


def test_an_export_belongs_to_the_model_it_was_made_from(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(default_model_path(), copy)
    before = onnx_file(copy, tmp_path / "models")
    assert before.name.startswith("model-") or before.name.startswith("all-MiniLM-L6-v2-")
    (copy / "config.json").write_text((copy / "config.json").read_text() + "\n")
    assert onnx_file(copy, tmp_path / "models") != before, "a changed model folder needs a new export"


def test_the_same_passages_are_retrieved_with_onnx_as_with_torch(exported: Path, embedder: Any, tmp_path: Path) -> None:
    from assistant.services import build_services, run_index

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=write_corpus(tmp_path / "corpus", SMALL_CORPUS))
    run_index(settings, embedder)
    questions = ["How long does the council have to decide on an assessment?", "What is the LGSCO?",
                 "Are Individual Support Plans law yet?", "Can I appeal a refusal to assess?"]
    ranked = {}
    for name, model in (("torch", embedder), ("onnx", OnnxEmbedder(exported))):
        pipeline = build_services(settings, embedder=model).ensure_ready()
        ranked[name] = [[(p.chunk.chunk_id, round(p.score, 4)) for p in pipeline.retriever.retrieve(q).passages] for q in questions]
    assert ranked["onnx"] == ranked["torch"]


def test_a_server_on_the_onnx_export_never_imports_torch(exported: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    shutil.copy(exported, onnx_file(None, data / "models"))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from assistant.config import Settings\n"
        "from assistant.services import make_embedder\n"
        f"embedder = make_embedder(Settings(data_dir=Path({str(data)!r}), compute_threads=1))\n"
        "print(type(embedder).__name__, embedder.embed(['reg 13?']).shape, 'torch' in sys.modules, "
        "'sentence_transformers' in sys.modules)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["OnnxEmbedder", "(1,", "384)", "False", "False"]


@pytest.fixture
def prepared(tmp_path: Path, embedder: Any) -> Iterator[Settings]:
    from assistant.services import prepare_serving

    settings = Settings(data_dir=tmp_path / "data")
    made = prepare_serving(settings, embedder)
    assert any("ONNX export" in m for m in made) and any("routing example" in m for m in made), made
    yield settings


def test_prepare_serving_exports_the_model_and_the_routing_vectors_once(prepared: Settings, embedder: Any) -> None:
    from assistant.services import prepare_serving, routing_cache, serving_ready

    assert serving_ready(prepared)
    assert routing_cache(prepared).is_file() and onnx_file(None, prepared.models_dir).is_file()
    assert prepare_serving(prepared, embedder) == [], "nothing to do the second time"


def test_the_export_fuses_each_layers_attention(exported: Path) -> None:
    import onnx

    ops = [node.op_type for node in onnx.load(str(exported), load_external_data=False).graph.node]
    assert ops.count("Attention") == 6  # MiniLM-L6: one fused attention node per layer
    assert "Softmax" not in ops  # nothing left of the unfused attention
