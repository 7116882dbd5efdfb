"""How the ONNX embedder cuts a build's texts into batches (no model): shortest first, each
batch within a token budget (rows times its longest text) and a row cap, one row at least."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.adapters.embedding import token_batches


@pytest.mark.parametrize("seed", range(20))
def test_every_row_once_in_order_within_the_budget(seed: int) -> None:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 257, size=int(rng.integers(1, 400)))
    order = np.argsort(lengths, kind="stable")
    most, tokens = int(rng.integers(1, 80)), int(rng.integers(1, 4096))
    batches = token_batches(lengths[order], order, most, tokens)
    assert np.concatenate(batches).tolist() == order.tolist()
    for batch in batches:
        assert 1 <= len(batch) <= most
        assert len(batch) == 1 or len(batch) * int(lengths[batch].max()) <= tokens
    # greedy: no batch could have taken the next row without breaking a limit
    for batch, following in zip(batches, batches[1:]):
        grown = np.append(batch, following[0])
        assert len(grown) > most or len(grown) * int(lengths[grown].max()) > tokens


def test_short_texts_go_many_at_a_time_and_long_ones_few() -> None:
    lengths = np.array([16] * 100 + [256] * 20)
    order = np.arange(len(lengths))
    sizes = [len(b) for b in token_batches(lengths, order, most=64, tokens=2048)]
    assert sizes == [64, 36, 8, 8, 4]
