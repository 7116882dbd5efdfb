"""Calibrate routing on its own examples: cross-validate the classifiers, keep the better, and
(with --write) write assistant/routing/data/thresholds.yaml. No eval set is read.

    python bench/calibrate_routing.py            # print the cross-validated figures
    python bench/calibrate_routing.py --write    # and write the calibrated thresholds

Cross-validation is repeated (5 repeats x 5 stratified folds, fixed seeds) on the example
vectors cached in models/routing-exemplars.npz; about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    from assistant.config import get_settings
    from assistant.indexing import make_embedder, model_name, routing_cache
    from assistant.routing.cache import load_or_build
    from assistant.routing.calibrate import THRESHOLDS, calibrate

    parser = argparse.ArgumentParser(description="Calibrate the routing classifiers on their examples (repeated 5-fold cross-validation).")
    parser.add_argument("--write", action="store_true", help="write data/thresholds.yaml")
    parser.add_argument("--report", type=Path, default=None, help="also write the figures to this Markdown file")
    parser.add_argument("--jobs", type=int, default=None, help="folds fitted in parallel (default: cores, at most 4)")
    args = parser.parse_args(argv)
    settings = get_settings()
    embedder = make_embedder(settings)
    vectors = load_or_build(embedder, cache=routing_cache(settings), model=model_name(settings)).vectors
    spec, report = calibrate(vectors, jobs=args.jobs)
    print(report)
    if args.report:
        args.report.write_text("# Routing classifiers: cross-validated on the examples\n" + report + "\n")
    if args.write:
        header = ("# Written by `python bench/calibrate_routing.py --write` from repeated cross-validation (5 x 5\n"
                  "# folds) on the examples in this folder (no eval set is read). Do not edit by hand; the figures are in the README.\n")
        THRESHOLDS.write_text(header + yaml.safe_dump(spec, sort_keys=False))
        print(f"\nwrote {THRESHOLDS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
