"""The calibrated settings of each routing classifier, read from ``data/thresholds.yaml``.

That file is written by ``python bench/calibrate_routing.py --write`` from cross-validated
scores on the examples alone (never from an eval set): for each classifier, which model won
(logistic regression or nearest examples), its parameters, and the score at which each label
is accepted. ``safeguarding`` is the threshold on the summed probability of every safeguarding
kind (or, for nearest examples, on the margin of the nearest kind over the nearest other label).

    >>> t = load_thresholds()
    >>> t.model("message") in ("logistic", "nearest")
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Thresholds", "load_thresholds"]

DEFAULT_PARAMS: dict[str, Any] = {"C": 8.0, "k": 3}


@dataclass(frozen=True)
class Thresholds:
    spec: dict[str, dict[str, Any]]

    def model(self, classifier: str) -> str:
        return str(self.spec.get(classifier, {}).get("model", "logistic"))

    def params(self) -> dict[str, dict[str, Any]]:
        """Training parameters by classifier (what the cached weights depend on)."""
        return {name: {k: v for k, v in spec.items() if k in ("C", "k")} | {"model": spec.get("model", "logistic")}
                for name, spec in self.spec.items()}

    def param(self, classifier: str, name: str) -> Any:
        return self.spec.get(classifier, {}).get(name, DEFAULT_PARAMS.get(name))

    def accept(self, classifier: str, label: str, default: float = 0.5) -> float:
        """The score at which ``label`` is accepted."""
        return float(self.spec.get(classifier, {}).get("labels", {}).get(label, default))

    def safeguarding(self, default: float = 0.5) -> float:
        return float(self.spec.get("message", {}).get("safeguarding", default))


@lru_cache(maxsize=1)
def load_thresholds() -> Thresholds:
    text = resources.files("assistant.routing").joinpath("data", "thresholds.yaml").read_text(encoding="utf-8")
    return Thresholds(yaml.safe_load(text) or {})
