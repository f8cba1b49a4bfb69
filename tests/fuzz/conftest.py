"""The soak variants of the fuzz tests run only when asked for by marker:
``python -m pytest -m slow tests/fuzz``. Every other run skips them, so the whole suite (and
CI) stays within its time (as in tests/reliability)."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.option.markexpr or ""):
        return  # the -m expression names them: run (or deselect) them as it says
    skip = pytest.mark.skip(reason="a soak variant: run with -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
