from __future__ import annotations

import pytest

from xapp.predict import Predictor


@pytest.fixture(scope="session")
def predictor() -> Predictor:
    """The shipped default model, in process, without a worker pool: the reference the service must match."""
    return Predictor()
