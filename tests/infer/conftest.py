"""The constant checkpoint: the pipeline's plumbing does not need a trained model."""

from __future__ import annotations

import pytest

from polyocr.model.testing import constant_checkpoint


@pytest.fixture(scope="session")
def checkpoint(tmp_path_factory):
    return constant_checkpoint(tmp_path_factory.mktemp("ckpt") / "model")
