"""Rebuild the shipped default model: ``python -m xapp.models [DATA_DIR] [OUT_DIR]``.

DATA_DIR defaults to ../shared/data, OUT_DIR to the package's ``shipped``
directory; the recipe itself is `xapp.models.train.train_default_bundle`.
"""
from __future__ import annotations

import sys
from typing import Sequence

from xapp.models.train import train_default_bundle


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 2 or any(a.startswith("-") for a in args):
        print("usage: python -m xapp.models [DATA_DIR] [OUT_DIR]", file=sys.stderr)
        return 2
    result = train_default_bundle(*args)
    evaluation = result.evaluation
    accuracy = f"{evaluation.metric(1.0):.3f}" if evaluation else "not measured"
    print(f"wrote {result.bundle} ({len(result.featurized)} rows, stratified 10-fold accuracy at 1x: "
          f"{accuracy}, {result.seconds:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
